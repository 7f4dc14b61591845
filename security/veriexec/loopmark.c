// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Which loop devices a file has backed
 *
 * Copyright © 2026 The veriexec authors
 *
 * Writing the backing file of a loop device, or another loop device over
 * the same file, changes the filesystem on the first with no hook of that
 * filesystem seeing it.  The loop driver keeps the backing file to
 * itself, so veriexec remembers every loop device a file was given to,
 * in one object the file's inode and each of those devices point to:
 * from the file, or from any of its devices, every device over the same
 * bytes is found, whether it was attached, or attached and detached,
 * before the manifest that makes one of them monitored was loaded.
 * Nearly every inode and device has none, and asking costs one pointer
 * read.
 */

#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "cache.h"
#include "loopmark.h"
#include "setup.h"
#include "store.h"

/*
 * Serialises every change to the inodes' @backing, the objects' @devs and
 * the device table; readers use RCU.  Attaches are rare.
 */
static DEFINE_MUTEX(marks_lock);

/* Loop device number -> the &struct veriexec_backing of its last file. */
static DEFINE_XARRAY(by_dev);

static void put_backing(struct veriexec_backing *b)
{
	if (b && refcount_dec_and_test(&b->ref))
		kfree_rcu(b, rcu);
}

static u32 nr_devs(const struct veriexec_backing *b)
{
	/* Pairs with add_dev(): every device counted is there to read. */
	return smp_load_acquire(&b->n);
}

static bool has_dev(const struct veriexec_backing *b, u32 dev)
{
	u32 i, n = nr_devs(b);

	for (i = 0; i < n; i++)
		if (b->devs[i] == dev)
			return true;
	return false;
}

/* The inode's object, made on its first attach. */
static struct veriexec_backing *inode_backing(struct veriexec_inode_sec *sec,
					      struct veriexec_backing **spare,
					      const u32 under[2])
{
	struct veriexec_backing *b;

	lockdep_assert_held(&marks_lock);
	b = rcu_dereference_protected(sec->backing,
				      lockdep_is_held(&marks_lock));
	if (b)
		return b;
	b = *spare;
	*spare = NULL;
	refcount_set(&b->ref, 1);
	b->under[0] = under[0];
	b->under[1] = under[1];
	rcu_assign_pointer(sec->backing, b);
	return b;
}

static int add_dev(struct veriexec_backing *b, u32 dev)
{
	lockdep_assert_held(&marks_lock);
	if (has_dev(b, dev))
		return 0;
	if (b->n == VERIEXEC_LOOP_MARKS_MAX)
		return -EBUSY;
	b->devs[b->n] = dev;
	/* Lock-free readers see the count only after the device. */
	smp_store_release(&b->n, b->n + 1);
	return 0;
}

/* The device now serves @b's file: its slot takes a reference. */
static int point_dev(struct veriexec_backing *b, u32 dev)
{
	struct veriexec_backing *old;

	lockdep_assert_held(&marks_lock);
	if (xa_load(&by_dev, dev) == b)
		return 0;
	refcount_inc(&b->ref);
	old = xa_store(&by_dev, dev, b, GFP_KERNEL);
	if (xa_is_err(old)) {
		refcount_dec(&b->ref);
		return xa_err(old);
	}
	put_backing(old);
	return 0;
}

/**
 * veriexec_loop_mark() - Remember that a file backs a loop device
 * @inode: The backing file's real inode, or a block device's own inode.
 * @dev: The loop device (new_encode_dev()).
 * @under: For a block device, it and its disk; else zeroes.
 *
 * Context: Process context; takes and releases marks_lock.
 * Return: 0, -ENOMEM, or -EBUSY when the file already backed
 * %VERIEXEC_LOOP_MARKS_MAX other devices: the attach must then fail, or
 * writes to it could go unjudged.
 */
int veriexec_loop_mark(struct inode *inode, u32 dev, const u32 under[2])
{
	struct veriexec_inode_sec *sec = veriexec_inode(inode);
	struct veriexec_backing *spare, *b;
	int rc;

	spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!spare)
		return -ENOMEM;
	mutex_lock(&marks_lock);
	b = inode_backing(sec, &spare, under);
	/* Mapped before it backed anything: veriexec_loop_note_mapped(). */
	if (mapping_writably_mapped(inode->i_mapping))
		WRITE_ONCE(b->mapped, true);
	rc = add_dev(b, dev);
	if (!rc)
		rc = point_dev(b, dev);
	mutex_unlock(&marks_lock);
	kfree(spare);
	return rc;
}

static bool any_monitored(const struct veriexec_backing *b)
{
	struct veriexec_store *store = veriexec_live_store();
	u32 i, n = nr_devs(b);

	/* A loop device over a block device writes what that one holds. */
	if ((b->under[0] && veriexec_store_has_dev(store, b->under[0])) ||
	    (b->under[1] && veriexec_store_has_dev(store, b->under[1])))
		return true;

	for (i = 0; i < n; i++)
		if (veriexec_store_has_dev(store, b->devs[i]))
			return true;
	return false;
}

/**
 * veriexec_backs_monitored_loop() - Whether a file backs monitored files
 * @inode: A regular file's real inode.
 *
 * Context: Any context.
 * Return: True when a loop device the file was given to holds a
 * filesystem with monitored files.
 */
bool veriexec_backs_monitored_loop(const struct inode *inode)
{
	const struct veriexec_backing *b;

	if (!rcu_access_pointer(veriexec_inode(inode)->backing))
		return false;
	guard(rcu)();
	b = rcu_dereference(veriexec_inode(inode)->backing);
	return b && any_monitored(b);
}

/**
 * veriexec_loop_shares_monitored() - Whether a loop device serves the
 * bytes of a monitored filesystem
 * @dev: The loop device (new_encode_dev()).
 *
 * A second loop device over the backing file of one that holds monitored
 * files writes them as surely as the first.
 *
 * Context: Any context.
 * Return: True when the device's backing file also backs a loop device
 * that holds a filesystem with monitored files.
 */
bool veriexec_loop_shares_monitored(u32 dev)
{
	const struct veriexec_backing *b;

	guard(rcu)();
	b = xa_load(&by_dev, dev);
	return b && any_monitored(b);
}

/**
 * veriexec_loop_note_mapped() - Remember a shared writable mapping of a
 * loop device's backing file
 * @inode: A regular file's real inode, mapped shared through a descriptor
 * open for writing.
 *
 * Context: Any context.
 * Return: True when the file backs (or backed) a loop device.
 */
bool veriexec_loop_note_mapped(struct inode *inode)
{
	struct veriexec_backing *b;

	if (!rcu_access_pointer(veriexec_inode(inode)->backing))
		return false;
	guard(rcu)();
	b = rcu_dereference(veriexec_inode(inode)->backing);
	if (!b)
		return false;
	WRITE_ONCE(b->mapped, true);
	return true;
}

/**
 * veriexec_loop_mapped() - Whether a loop device's bytes may be changed
 * through a mapping
 * @dev: The loop device (new_encode_dev()).
 *
 * Context: Any context.
 * Return: True when the device's backing file was ever mapped shared
 * through a descriptor open for writing.
 */
bool veriexec_loop_mapped(u32 dev)
{
	const struct veriexec_backing *b;

	guard(rcu)();
	b = xa_load(&by_dev, dev);
	return b && READ_ONCE(b->mapped);
}

/* After the grace period that frees the blob: no reader is left. */
static void hook_inode_free_security_rcu(void *blob)
{
	struct veriexec_inode_sec *sec = blob + veriexec_blob_sizes.lbs_inode;

	put_backing(rcu_dereference_raw(sec->backing));
}

static struct security_hook_list loopmark_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_free_security_rcu, hook_inode_free_security_rcu),
};

/**
 * veriexec_add_loopmark_hooks() - Register the hook that drops the marks
 */
void __init veriexec_add_loopmark_hooks(void)
{
	security_add_hooks(loopmark_hooks, ARRAY_SIZE(loopmark_hooks),
			   &veriexec_lsmid);
}
