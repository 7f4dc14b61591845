/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Fingerprinting files
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_FINGERPRINT_H
#define _SECURITY_VERIEXEC_FINGERPRINT_H

#include <linux/types.h>

struct dentry;
struct file;
struct inode;

#define VERIEXEC_XATTR_SUFFIX	"veriexec"
#define VERIEXEC_XATTR		"security." VERIEXEC_XATTR_SUFFIX

int veriexec_fingerprint(struct file *file, u8 algo, u8 *digest);
int veriexec_read_label(struct dentry *dentry, struct inode *inode,
			u8 *algo, u8 *digest);

#endif /* _SECURITY_VERIEXEC_FINGERPRINT_H */
