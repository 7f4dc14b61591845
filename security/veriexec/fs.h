/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Opens, and keeping monitored files from changing
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_FS_H
#define _SECURITY_VERIEXEC_FS_H

#include <linux/init.h>

#include "eval.h"

struct file;
struct super_block;

int veriexec_check_blkdev_write(struct file *file);
void veriexec_note_shared_map(struct file *file);
bool veriexec_storage_mapped(const struct super_block *sb);
int veriexec_check_shared_write(struct file *file, enum veriexec_op op,
				bool may_sleep);
void __init veriexec_add_fs_hooks(void);

#endif /* _SECURITY_VERIEXEC_FS_H */
