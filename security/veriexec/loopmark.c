// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Which loop devices a file has backed
 *
 * Copyright © 2026 The veriexec authors
 *
 * Writing the backing file of a loop device changes the filesystem on
 * it with no hook of that filesystem seeing it.  The loop driver keeps
 * the backing file to itself, so veriexec remembers, on the file's
 * inode, every loop device it was given to: a file that backed two
 * devices (the second attached, then detached, before the load) is
 * still known to back the first.  Nearly every inode has no marks, and
 * asking costs one pointer read.
 */

#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "cache.h"
#include "loopmark.h"
#include "setup.h"
#include "store.h"

/* Serialises the writers of every inode's @loop_marks; attaches are rare. */
static DEFINE_SPINLOCK(marks_lock);

static bool has_mark(const struct veriexec_loop_marks *m, u32 dev)
{
	u32 i;

	for (i = 0; m && i < m->n; i++)
		if (m->devs[i] == dev)
			return true;
	return false;
}

static u32 count_marks(struct veriexec_inode_sec *sec, u32 dev, bool *found)
{
	const struct veriexec_loop_marks *m;

	guard(rcu)();
	m = rcu_dereference(sec->loop_marks);
	*found = has_mark(m, dev);
	return m ? m->n : 0;
}

/* -EAGAIN when another attach changed the marks since they were counted. */
static int add_mark(struct veriexec_inode_sec *sec, u32 dev)
{
	struct veriexec_loop_marks *old, *new;
	bool found;
	u32 n = count_marks(sec, dev, &found);

	if (found)
		return 0;
	if (n >= VERIEXEC_LOOP_MARKS_MAX)
		return -EBUSY;
	/* Allocated outside the lock, which only swaps the pointer. */
	new = kmalloc(struct_size(new, devs, n + 1), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	spin_lock(&marks_lock);
	old = rcu_dereference_protected(sec->loop_marks,
					lockdep_is_held(&marks_lock));
	if ((old ? old->n : 0) != n) {
		spin_unlock(&marks_lock);
		kfree(new);
		return -EAGAIN;
	}
	new->n = n + 1;
	if (old)
		memcpy(new->devs, old->devs, n * sizeof(*new->devs));
	new->devs[n] = dev;
	rcu_assign_pointer(sec->loop_marks, new);
	spin_unlock(&marks_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * veriexec_loop_mark() - Remember that a file backs a loop device
 * @inode: The backing file's inode.
 * @dev: The loop device (new_encode_dev()).
 *
 * Context: Process context; takes and releases marks_lock.
 * Return: 0, -ENOMEM, or -EBUSY when the file already backed
 * %VERIEXEC_LOOP_MARKS_MAX other devices: the attach must then fail, or
 * writes to the file could go unjudged.
 */
int veriexec_loop_mark(struct inode *inode, u32 dev)
{
	struct veriexec_inode_sec *sec = veriexec_inode(inode);
	int rc;

	do {
		rc = add_mark(sec, dev);
	} while (rc == -EAGAIN);
	return rc;
}

/**
 * veriexec_backs_monitored_loop() - Whether a file backs monitored files
 * @inode: A regular file's inode.
 *
 * Context: Any context.
 * Return: True when a loop device the file was given to holds a
 * filesystem with monitored files.
 */
bool veriexec_backs_monitored_loop(const struct inode *inode)
{
	const struct veriexec_loop_marks *m;
	u32 i;

	if (!rcu_access_pointer(veriexec_inode(inode)->loop_marks))
		return false;
	guard(rcu)();
	m = rcu_dereference(veriexec_inode(inode)->loop_marks);
	for (i = 0; m && i < m->n; i++)
		if (veriexec_store_has_dev(m->devs[i]))
			return true;
	return false;
}

/* After the grace period that frees the blob: no reader is left. */
static void hook_inode_free_security_rcu(void *blob)
{
	struct veriexec_inode_sec *sec = blob + veriexec_blob_sizes.lbs_inode;

	kfree(rcu_dereference_raw(sec->loop_marks));
}

static struct security_hook_list loopmark_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_free_security_rcu, hook_inode_free_security_rcu),
};

/**
 * veriexec_add_loopmark_hooks() - Register the hook that frees the marks
 */
void __init veriexec_add_loopmark_hooks(void)
{
	security_add_hooks(loopmark_hooks, ARRAY_SIZE(loopmark_hooks),
			   &veriexec_lsmid);
}
