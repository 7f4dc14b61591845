/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Opens, and keeping monitored files from changing
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_FS_H
#define _SECURITY_VERIEXEC_FS_H

#include <linux/init.h>

struct file;

int veriexec_check_blkdev_write(struct file *file);
void __init veriexec_add_fs_hooks(void);

#endif /* _SECURITY_VERIEXEC_FS_H */
