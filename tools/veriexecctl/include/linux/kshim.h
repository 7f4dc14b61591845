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

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BIT(n)			(1UL << (n))
#define BITS_PER_BYTE		8
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define GFP_KERNEL		0

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

/* The kernel's two-argument strscpy() into an array. */
static inline long strscpy_n(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

#define strscpy(dst, src) strscpy_n(dst, src, sizeof(dst))

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
int kstrtou64(const char *s, unsigned int base, u64 *res);

#endif /* _VERIEXECCTL_KSHIM_H */
