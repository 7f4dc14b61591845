/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's <linux/types.h> includes the uAPI one (__u32, __le64, ...);
 * so does this, for tool files that also use uAPI headers.
 */
#include_next <linux/types.h>
#include "kshim.h"
