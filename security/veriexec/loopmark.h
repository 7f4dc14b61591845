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
#include <linux/refcount.h>
#include <linux/types.h>

/* Distinct loop devices one file may back while its inode lives. */
#define VERIEXEC_LOOP_MARKS_MAX	64

/**
 * struct veriexec_backing - The loop devices one file was given to
 *
 * Shared by the file's inode blob and by each of those devices' slots in
 * loopmark.c's table, each holding a reference: from either side, every
 * device over the same bytes is found.
 */
struct veriexec_backing {
	/** @ref: The inode's reference and one per device slot. */
	refcount_t ref;
	/** @rcu: Frees it a grace period after the last reference. */
	struct rcu_head rcu;
	/**
	 * @n: Number of @devs; only grows, under marks_lock.  Written with
	 * smp_store_release() after the device it counts.
	 */
	u32 n;
	/**
	 * @under: For a block device given as backing file, that device and
	 * its disk (new_encode_dev()); 0 for a regular file.  Set once.
	 */
	u32 under[2];
	/** @devs: The devices (new_encode_dev()), each once. */
	u32 devs[VERIEXEC_LOOP_MARKS_MAX];
	/**
	 * @mapped: The file was mapped shared through a descriptor open for
	 * writing: stores to that mapping reach the devices with no write
	 * to judge.  Set once, never cleared: unmapping is not seen.
	 */
	bool mapped;
};

struct inode;

int veriexec_loop_mark(struct inode *inode, u32 dev, const u32 under[2]);
bool veriexec_backs_monitored_loop(const struct inode *inode);
bool veriexec_loop_shares_monitored(u32 dev);
bool veriexec_loop_note_mapped(struct inode *inode);
bool veriexec_loop_mapped(u32 dev);
void __init veriexec_add_loopmark_hooks(void);

#endif /* _SECURITY_VERIEXEC_LOOPMARK_H */
