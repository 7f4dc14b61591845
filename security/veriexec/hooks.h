/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Exec, mmap and mprotect hooks
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_HOOKS_H
#define _SECURITY_VERIEXEC_HOOKS_H

#include <linux/init.h>

#include "eval.h"

struct file;
struct veriexec_verdict;

int veriexec_check_file(struct file *file, enum veriexec_use use,
			const struct veriexec_target *t, unsigned int level,
			struct veriexec_verdict *v);
void __init veriexec_add_hooks(void);

#endif /* _SECURITY_VERIEXEC_HOOKS_H */
