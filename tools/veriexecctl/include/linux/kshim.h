/* SPDX-License-Identifier: GPL-2.0 */
/*
 * veriexecctl - The little of the kernel API that the manifest parser
 * (security/veriexec/manifest.c) and the PKCS#7 splitter (detach.c) use,
 * for building them in user space.
 */
#ifndef _VERIEXECCTL_KSHIM_H
#define _VERIEXECCTL_KSHIM_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)
#define CONCATENATE(a, b)	__PASTE(a, b)
#define __COUNT_ARGS(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, \
		     _13, _14, _15, _n, X...) _n
#define COUNT_ARGS(X...) \
	__COUNT_ARGS(, ##X, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)

/* As in the kernel: a compile error, not a wrong answer at run time. */
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))
#define BUILD_BUG_ON_MSG(cond, msg) do {				\
	extern void __attribute__((error(msg))) __shim_build_bug(void); \
	if (cond)							\
		__shim_build_bug();					\
} while (0)

#define BIT(n)			(1UL << (n))
#define BITS_PER_BYTE		8
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]) + __must_be_array(a))
#define GFP_KERNEL		0

/*
 * The kernel's max() (include/linux/minmax.h, 6.12): each argument is
 * evaluated once, and comparing a signed with an unsigned value is a
 * compile error unless the signed one is a non-negative constant or the
 * unsigned one is narrower than int.
 */
#define is_signed_type(type)	(((type)(-1)) < (type)1)
#define statically_true(x)	(__builtin_constant_p(x) && (x))
#define __is_nonneg(ux)		statically_true((long long)(ux) >= 0)
#define __sign_use(ux) (is_signed_type(typeof(ux)) ?			\
	(2 + __is_nonneg(ux)) : (1 + 2 * (sizeof(ux) < 4)))
#define __types_ok(ux, uy)	(__sign_use(ux) & __sign_use(uy))
#define __cmp_op_min		<
#define __cmp_op_max		>
#define __cmp(op, x, y)		((x) __cmp_op_##op (y) ? (x) : (y))
#define __careful_cmp_once(op, x, y, ux, uy) ({			\
	__auto_type ux = (x); __auto_type uy = (y);		\
	BUILD_BUG_ON_MSG(!__types_ok(ux, uy),			\
		#op"("#x", "#y") signedness error");		\
	__cmp(op, ux, uy); })
#define __careful_cmp(op, x, y) \
	__careful_cmp_once(op, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))
#define min(x, y)		__careful_cmp(min, x, y)
#define max(x, y)		__careful_cmp(max, x, y)

#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE(ptr);
}

static inline void *kmalloc(size_t n, int gfp) { return malloc(n); }
static inline void *kzalloc(size_t n, int gfp) { return calloc(1, n); }
static inline void *kvmalloc(size_t n, int gfp) { return malloc(n); }
static inline void *kvmalloc_array(size_t n, size_t size, int gfp)
{
	return size && n > SIZE_MAX / size ? NULL : malloc(n * size);
}
static inline void *kvcalloc(size_t n, size_t size, int gfp)
{
	return calloc(n, size);
}
static inline void *kvrealloc(const void *p, size_t n, int gfp)
{
	return realloc((void *)p, n);
}
static inline void kfree(const void *p) { free((void *)p); }
static inline void kvfree(const void *p) { free((void *)p); }

/*
 * The kernel's strscpy(): the two-argument form only into an array, the
 * three-argument form with a size; the length copied, or -E2BIG when the
 * size is 0 or @src was cut (lib/string.c).
 */
ssize_t sized_strscpy(char *dst, const char *src, size_t count);
#define __strscpy0(dst, src, ...) \
	sized_strscpy(dst, src, sizeof(dst) + __must_be_array(dst))
#define __strscpy1(dst, src, size)	sized_strscpy(dst, src, size)
#define strscpy(dst, src, ...) \
	CONCATENATE(__strscpy, COUNT_ARGS(__VA_ARGS__))(dst, src, __VA_ARGS__)

/* The kernel's byte order helpers, on any host. */
static inline u64 get_unaligned_le64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline unsigned int __ffs64(u64 w)
{
	return __builtin_ctzll(w);
}

unsigned int full_name_hash(const void *salt, const char *name,
			    unsigned int len);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);

static inline int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	return kstrtoull(s, base, (unsigned long long *)res);
}

#endif /* _VERIEXECCTL_KSHIM_H */
