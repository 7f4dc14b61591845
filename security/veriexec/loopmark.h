/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Which loop devices a file has backed
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_LOOPMARK_H
#define _SECURITY_VERIEXEC_LOOPMARK_H

#include <linux/init.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

/* Distinct loop devices one file may back while its inode lives. */
#define VERIEXEC_LOOP_MARKS_MAX	64

/**
 * struct veriexec_loop_marks - Loop devices given a file as backing file
 * @rcu: Frees a replaced array after readers are done.
 * @n: Number of @devs.
 * @devs: Their device numbers (new_encode_dev()), each once.
 */
struct veriexec_loop_marks {
	struct rcu_head rcu;
	u32 n;
	u32 devs[] __counted_by(n);
};

struct inode;

int veriexec_loop_mark(struct inode *inode, u32 dev);
bool veriexec_backs_monitored_loop(const struct inode *inode);
void __init veriexec_add_loopmark_hooks(void);

#endif /* _SECURITY_VERIEXEC_LOOPMARK_H */
