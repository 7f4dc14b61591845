// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - User-space versions of the kernel helpers the manifest
 * parser calls, with the kernel's semantics.
 */
#include <ctype.h>
#include <limits.h>

#include "include/linux/kshim.h"

/* As the kernel's: digits only, no sign, no space, range-checked. */
int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	u64 v = 0;

	if (base != 10 || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		if (v > (UINT64_MAX - (*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*s - '0');
	}
	*res = v;
	return 0;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int hex2bin(u8 *dst, const char *src, size_t count)
{
	while (count--) {
		int hi = hex_val(src[0]), lo;

		if (hi < 0)
			return -EINVAL;
		lo = hex_val(src[1]);
		if (lo < 0)
			return -EINVAL;
		*dst++ = hi << 4 | lo;
		src += 2;
	}
	return 0;
}
