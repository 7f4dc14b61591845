// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Per-inode verdict cache and superblock ids
 *
 * Copyright © 2026 The veriexec authors
 *
 * A verdict holds until the store changes (its generation) or the file's
 * content may have changed: i_version where the filesystem keeps one, and
 * mtime, ctime and size everywhere.  The change hooks also drop it at once.
 *
 * An absence (no entry lists the file) does not depend on the content:
 * only a new store generation, or a change of the file's label or inode
 * key (veriexec_cache_forget()), ends it.  Unlisted files are most of
 * what is opened and written, and they keep their O(1) answer however
 * often they are written.
 */

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/iversion.h>
#include <linux/lsm_hooks.h>
#include <linux/seqlock.h>

#include "cache.h"
#include "setup.h"

/* Superblock ids start at 1: 0 means "no inode" in a store key. */
static atomic64_t next_sb_id = ATOMIC64_INIT(0);

/**
 * veriexec_cache_set() - Cache a verdict
 * @inode: The inode.
 * @v: The verdict, with veriexec_snapshot() of the content it was made on.
 *
 * Context: Any context.
 */
void veriexec_cache_set(struct inode *inode, const struct veriexec_verdict *v)
{
	struct veriexec_inode_sec *sec = veriexec_inode(inode);

	write_seqlock(&sec->lock);
	sec->verdict = *v;
	write_sequnlock(&sec->lock);
}

static void clear_verdict(struct veriexec_inode_sec *sec)
{
	write_seqlock(&sec->lock);
	sec->verdict.gen = 0;
	write_sequnlock(&sec->lock);
}

/**
 * veriexec_cache_clear() - Forget the cached verdict of an inode
 * @inode: The inode.
 *
 * Context: Any context.
 */
void veriexec_cache_clear(struct inode *inode)
{
	clear_verdict(veriexec_inode(inode));
}

/**
 * veriexec_cache_forget() - Forget every verdict of an inode, absence too
 * @inode: The inode, whose label or inode key is changing.
 *
 * Context: Any context.
 */
void veriexec_cache_forget(struct inode *inode)
{
	struct veriexec_inode_sec *sec = veriexec_inode(inode);

	WRITE_ONCE(sec->changes, READ_ONCE(sec->changes) + 1);
	if (READ_ONCE(sec->verdict.gen))
		clear_verdict(sec);
}

/**
 * veriexec_snapshot() - Record what identifies the content of an inode
 * @inode: The inode, about to be hashed.
 * @v: The verdict to fill.
 *
 * Taken before hashing, so a change made while hashing shows up as a
 * different content next time.
 *
 * Context: Process context.
 */
void veriexec_snapshot(struct inode *inode, struct veriexec_verdict *v)
{
	v->changes = READ_ONCE(veriexec_inode(inode)->changes);
	v->version = IS_I_VERSION(inode) ? inode_query_iversion(inode) : 0;
	v->mtime = inode_get_mtime(inode);
	v->ctime = inode_get_ctime(inode);
	v->size = i_size_read(inode);
}

static int hook_inode_alloc_security(struct inode *inode)
{
	seqlock_init(&veriexec_inode(inode)->lock);
	return 0;
}

static int hook_sb_alloc_security(struct super_block *sb)
{
	veriexec_sb(sb)->id = atomic64_inc_return(&next_sb_id);
	return 0;
}

static struct security_hook_list cache_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_alloc_security, hook_inode_alloc_security),
	LSM_HOOK_INIT(sb_alloc_security, hook_sb_alloc_security),
};

/**
 * veriexec_add_cache_hooks() - Register the blob set-up hooks
 */
void __init veriexec_add_cache_hooks(void)
{
	security_add_hooks(cache_hooks, ARRAY_SIZE(cache_hooks),
			   &veriexec_lsmid);
}
