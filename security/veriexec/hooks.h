/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Exec, mmap, mprotect and open hooks
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_HOOKS_H
#define _SECURITY_VERIEXEC_HOOKS_H

#include <linux/init.h>

void __init veriexec_add_hooks(void);

#endif /* _SECURITY_VERIEXEC_HOOKS_H */
