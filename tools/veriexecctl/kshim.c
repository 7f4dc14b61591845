// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - User-space versions of the kernel helpers the manifest
 * parser calls, with the kernel's semantics.
 */
#include <ctype.h>
#include <limits.h>

#include "include/linux/kshim.h"

/* Any good string hash will do: it only spreads paths over a table. */
unsigned int full_name_hash(const void *salt, const char *name,
			    unsigned int len)
{
	u32 h = 2166136261u;

	while (len--)
		h = (h ^ (u8)*name++) * 16777619u;
	return h;
}

/* lib/string.c, without the word-at-a-time speed-up. */
ssize_t sized_strscpy(char *dst, const char *src, size_t count)
{
	size_t res = 0;

	if (count == 0 || count > INT_MAX)
		return -E2BIG;
	for (; res < count; res++) {
		dst[res] = src[res];
		if (!src[res])
			return res;
	}
	/* Hit the buffer's end without a NUL: cut, and terminate. */
	dst[res - 1] = '\0';
	return -E2BIG;
}

/* lib/kstrtox.c: base 0 guesses from a 0 or 0x prefix. */
static const char *fixup_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0')
			*base = tolower((unsigned char)s[1]) == 'x' &&
				isxdigit((unsigned char)s[2]) ? 16 : 8;
		else
			*base = 10;
	}
	if (*base == 16 && s[0] == '0' && tolower((unsigned char)s[1]) == 'x')
		s += 2;
	return s;
}

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : 16;
}

/*
 * As the kernel's: an optional '+', digits of @base (at most 16), one
 * optional trailing newline, nothing else; -ERANGE on overflow.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	bool overflow = false;
	size_t n = 0;
	int d;

	if (s[0] == '+')
		s++;
	s = fixup_radix(s, &base);
	for (; (d = digit_value(s[n])) < (int)base; n++) {
		if (v > (ULLONG_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (overflow)
		return -ERANGE;
	if (!n)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}
