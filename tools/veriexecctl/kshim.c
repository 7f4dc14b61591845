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
