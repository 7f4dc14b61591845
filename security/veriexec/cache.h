/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Per-inode verdict cache and superblock ids
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_CACHE_H
#define _SECURITY_VERIEXEC_CACHE_H

#include <linux/fs.h>
#include <linux/iversion.h>
#include <linux/lsm_hooks.h>
#include <linux/seqlock.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "eval.h"
#include "loopmark.h"
#include "setup.h"

/**
 * struct veriexec_verdict - A file's verdict and what it was made on
 */
struct veriexec_verdict {
	/** @gen: veriexec_store_gen() when it was made; 0 for none. */
	u32 gen;
	/** @match: An &enum veriexec_match value. */
	u8 match;
	/** @opts: The entry's VERIEXEC_OPT_* bits, 0 without an entry. */
	u8 opts;
	/** @version: i_version of the content hashed. */
	u64 version;
	/** @mtime: Modification time of the content hashed. */
	struct timespec64 mtime;
	/** @ctime: Change time of the content hashed. */
	struct timespec64 ctime;
	/** @size: Size of the content hashed. */
	loff_t size;
	/** @changes: &veriexec_inode_sec.changes when hashed. */
	u32 changes;
};

/* Bit of &veriexec_inode_sec.flags. */
#define VERIEXEC_HASHING	0

/**
 * struct veriexec_inode_sec - Inode security blob
 */
struct veriexec_inode_sec {
	/**
	 * @lock: Writers of @verdict take it; readers retry on it and never
	 * block, which keeps the exec of a verified file lock-free.
	 */
	seqlock_t lock;
	/** @verdict: The cached verdict, under @lock. */
	struct veriexec_verdict verdict;
	/**
	 * @changes: Bumped by every change veriexec sees, cached verdict or
	 * not: a hash that a write open, write and close overlapped is not
	 * cached, even within one timestamp tick.  READ_ONCE()/WRITE_ONCE().
	 */
	u32 changes;
	/**
	 * @flags: %VERIEXEC_HASHING while a task hashes the file; others
	 * wait on the bit rather than hash it again.
	 */
	unsigned long flags;
	/**
	 * @backing: The loop devices this file was given to as backing
	 * file, NULL for none (loopmark.c); RCU, set under marks_lock.
	 */
	struct veriexec_backing __rcu *backing;
};

/**
 * struct veriexec_sb_sec - Superblock security blob
 */
struct veriexec_sb_sec {
	/** @id: Never reused, unlike superblock addresses; set at alloc. */
	u64 id;
};

static inline struct veriexec_inode_sec *veriexec_inode(const struct inode *inode)
{
	return inode->i_security + veriexec_blob_sizes.lbs_inode;
}

static inline struct veriexec_sb_sec *veriexec_sb(const struct super_block *sb)
{
	return sb->s_security + veriexec_blob_sizes.lbs_superblock;
}

static inline u64 veriexec_sb_id(const struct super_block *sb)
{
	return veriexec_sb(sb)->id;
}

/*
 * The reads of the verdict cache are the cost of every hook on the hot
 * path: always inlined, whatever the kernel's -Os or -O2.
 */

/**
 * veriexec_same_content() - Whether an inode still has the content hashed
 * @inode: The inode.
 * @v: The verdict, with its veriexec_snapshot().
 *
 * Context: Any context.
 * Return: True when nothing shows that the content changed.
 */
static __always_inline bool
veriexec_same_content(struct inode *inode, const struct veriexec_verdict *v)
{
	struct timespec64 mtime = inode_get_mtime(inode);
	struct timespec64 ctime = inode_get_ctime(inode);

	if (IS_I_VERSION(inode) && !inode_eq_iversion(inode, v->version))
		return false;
	if (READ_ONCE(veriexec_inode(inode)->changes) != v->changes)
		return false;
	return timespec64_equal(&mtime, &v->mtime) &&
	       timespec64_equal(&ctime, &v->ctime) &&
	       i_size_read(inode) == v->size;
}

/**
 * veriexec_cache_get() - Read the cached verdict of an inode
 * @inode: The inode.
 * @gen: The current veriexec_store_gen().
 * @v: Filled with the verdict.
 *
 * Context: Any context; never blocks.
 * Return: True when a verdict was cached for @gen and the content is
 * still the one it was made on.
 */
static __always_inline bool
veriexec_cache_get(struct inode *inode, u32 gen, struct veriexec_verdict *v)
{
	struct veriexec_inode_sec *sec = veriexec_inode(inode);
	unsigned int seq;

	do {
		seq = read_seqbegin(&sec->lock);
		*v = sec->verdict;
	} while (read_seqretry(&sec->lock, seq));
	return v->gen == gen && (v->match == VERIEXEC_MATCH_NONE ||
				 veriexec_same_content(inode, v));
}

/**
 * veriexec_cache_peek() - Whether an entry lists an inode, from its cache
 * @inode: The inode.
 * @gen: The current veriexec_store_gen().
 * @listed: Receives whether an entry lists it.
 * @opts: Receives the entry's options.
 *
 * Whether an entry lists a file does not depend on its content, only on
 * the store and the file's key and label, whose changes forget the
 * verdict: any verdict made for @gen answers, even one whose content has
 * changed since.  Three fields are read, not the whole verdict.
 *
 * Context: Any context; never blocks.
 * Return: True when the cache answered.
 */
static __always_inline bool
veriexec_cache_peek(const struct inode *inode, u32 gen, bool *listed, u8 *opts)
{
	const struct veriexec_inode_sec *sec = veriexec_inode(inode);
	unsigned int seq;
	u32 cached;
	u8 match;

	do {
		seq = read_seqbegin(&sec->lock);
		cached = sec->verdict.gen;
		match = sec->verdict.match;
		*opts = sec->verdict.opts;
	} while (read_seqretry(&sec->lock, seq));
	*listed = match != VERIEXEC_MATCH_NONE;
	return cached == gen;
}

void veriexec_cache_set(struct inode *inode, const struct veriexec_verdict *v);
void veriexec_cache_clear(struct inode *inode);

/**
 * veriexec_cache_drop() - Forget the verdict of an inode's content
 * @inode: The inode, whose content or attributes are changing.
 *
 * A cached absence stays: it says nothing about the content.  A hash
 * racing with the change is not cached either way: it sees @changes move.
 * Every write open, write and truncation of every file comes here: the
 * common case, no verdict or an absence, costs no call.
 *
 * Context: Any context.
 */
static __always_inline void veriexec_cache_drop(struct inode *inode)
{
	struct veriexec_inode_sec *sec = veriexec_inode(inode);

	WRITE_ONCE(sec->changes, READ_ONCE(sec->changes) + 1);
	if (READ_ONCE(sec->verdict.gen) &&
	    READ_ONCE(sec->verdict.match) != VERIEXEC_MATCH_NONE)
		veriexec_cache_clear(inode);
}

void veriexec_cache_forget(struct inode *inode);
void veriexec_snapshot(struct inode *inode, struct veriexec_verdict *v);
void __init veriexec_add_cache_hooks(void);

#endif /* _SECURITY_VERIEXEC_CACHE_H */
