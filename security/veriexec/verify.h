/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - From a file to its verdict
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_VERIFY_H
#define _SECURITY_VERIEXEC_VERIFY_H

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/types.h>

#include "cache.h"
#include "limits.h"
#include "set.h"
#include "store.h"

struct dentry;

/**
 * struct veriexec_found - A copy of the entry that lists a file
 * @key: The entry's inode key, to find it again; sb_id 0 if path-less.
 * @algo: Its algorithm.
 * @opts: Its options.
 * @digest: Its fingerprint.
 */
struct veriexec_found {
	struct veriexec_key key;
	u8 algo;
	u8 opts;
	u8 digest[VERIEXEC_DIGEST_MAX];
};

/**
 * veriexec_inode_key() - The store key of an inode
 * @inode: The inode.
 * @key: Receives its key.
 */
static inline void veriexec_inode_key(const struct inode *inode,
				      struct veriexec_key *key)
{
	key->sb_id = veriexec_sb_id(inode->i_sb);
	key->ino = inode->i_ino;
	key->gen = inode->i_generation;
}

/**
 * veriexec_real_inode() - The inode whose content a dentry serves
 * @dentry: A dentry, possibly of an overlay.
 *
 * An entry names a file, not a layer: through overlayfs, the real inode
 * of the upper or lower layer is keyed, cached and protected.
 *
 * Context: Process context (overlayfs may look the data layer up).
 * Return: The real inode, or NULL for a negative dentry.
 */
static __always_inline struct inode *
veriexec_real_inode(struct dentry *dentry)
{
	return d_real_inode(dentry);
}

/**
 * veriexec_file_inode() - The inode whose content a file serves
 * @file: An open file, possibly of an overlay.
 *
 * Return: The real inode.
 */
static __always_inline struct inode *
veriexec_file_inode(const struct file *file)
{
	return veriexec_real_inode(file->f_path.dentry);
}

/**
 * veriexec_active() - Whether any set is loaded
 *
 * Context: Any context.
 * Return: True when at least one set is loaded.
 */
static inline bool veriexec_active(void)
{
	return !veriexec_store_empty(veriexec_live_store());
}

bool veriexec_find(struct dentry *dentry, struct inode *inode,
		   struct veriexec_found *found);
bool veriexec_listed_slow(struct dentry *dentry, struct inode *inode,
			  u8 *opts);

/**
 * veriexec_listed() - Whether an entry lists a file, cheaply
 * @dentry: The file's dentry.
 * @inode: The file's inode.
 * @opts: Receives the entry's options when listed.
 *
 * Opens and changes of unlisted files are frequent: the cached verdict
 * of the current generation answers, inline, without a call; only a file
 * with none goes to the store.
 *
 * Context: Process context; may sleep to read the label.
 * Return: True when an entry lists the file.
 */
static __always_inline bool veriexec_listed(struct dentry *dentry,
					    struct inode *inode, u8 *opts)
{
	bool listed;

	if (veriexec_cache_peek(inode, veriexec_store_gen(veriexec_live_store()),
				&listed, opts))
		return listed;
	return veriexec_listed_slow(dentry, inode, opts);
}

int veriexec_verdict(struct file *file, struct veriexec_verdict *v);
void veriexec_verdict_nosleep(struct inode *inode, struct veriexec_verdict *v);
bool veriexec_unwatched(const struct super_block *sb);
bool veriexec_sb_monitored(const struct super_block *sb);

#endif /* _SECURITY_VERIEXEC_VERIFY_H */
