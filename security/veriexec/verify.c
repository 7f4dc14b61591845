// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - From a file to its verdict
 *
 * Copyright © 2026 The veriexec authors
 *
 * The cached verdict first (one lock-free read of the inode blob), then
 * the store by inode key, then the security.veriexec label, then the
 * fingerprint.  Entries are copied out under RCU because hashing sleeps.
 */

#include <linux/fs.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "audit.h"
#include "cache.h"
#include "fingerprint.h"
#include "manifest.h"
#include "store.h"
#include "verify.h"

/**
 * veriexec_active() - Whether any set is loaded
 *
 * Context: Any context.
 * Return: True when at least one set is loaded.
 */
bool veriexec_active(void)
{
	return !list_empty(veriexec_store_sets());
}

static void copy_entry(const struct veriexec_entry *e,
		       struct veriexec_found *found)
{
	found->key = e->key;
	found->algo = e->algo;
	found->opts = e->opts;
	memcpy(found->digest, veriexec_entry_digest(e),
	       veriexec_algo_size(e->algo));
}

static bool find_by_key(const struct veriexec_key *key,
			struct veriexec_found *found)
{
	const struct veriexec_entry *e;

	guard(rcu)();
	e = veriexec_store_find_inode(key);
	if (e)
		copy_entry(e, found);
	return e;
}

static bool find_by_label(struct dentry *dentry, struct inode *inode,
			  struct veriexec_found *found)
{
	const struct veriexec_entry *e;
	u8 digest[VERIEXEC_DIGEST_MAX];
	u8 algo;

	if (!dentry || veriexec_read_label(dentry, inode, &algo, digest))
		return false;
	guard(rcu)();
	e = veriexec_store_find_digest(algo, digest);
	if (e)
		copy_entry(e, found);
	return e;
}

/**
 * veriexec_find() - Find the entry that lists a file
 * @dentry: The file's dentry, or NULL to look by inode only.
 * @inode: The file's inode.
 * @found: Receives a copy of the entry.
 *
 * Context: Process context; may sleep to read the label.
 * Return: True when an entry lists the file.
 */
bool veriexec_find(struct dentry *dentry, struct inode *inode,
		   struct veriexec_found *found)
{
	struct veriexec_key key = {
		.sb_id = veriexec_sb_id(inode->i_sb),
		.ino = inode->i_ino,
		.gen = inode->i_generation,
	};

	if (!veriexec_active())
		return false;
	veriexec_count(VERIEXEC_STAT_LOOKUPS, 1);
	return find_by_key(&key, found) || find_by_label(dentry, inode, found);
}

static void cache_absence(struct inode *inode, u32 gen,
			  struct veriexec_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->gen = gen;
	v->match = VERIEXEC_MATCH_NONE;
	veriexec_snapshot(inode, v);
	veriexec_cache_set(inode, v);
}

/**
 * veriexec_listed() - Whether an entry lists a file, cheaply
 * @dentry: The file's dentry.
 * @inode: The file's inode.
 * @opts: Receives the entry's options when listed.
 *
 * Opens and changes of unlisted files are frequent: the cached verdict
 * answers first, and an absence found the slow way (store, then label)
 * is cached too.
 *
 * Context: Process context; may sleep to read the label.
 * Return: True when an entry lists the file.
 */
bool veriexec_listed(struct dentry *dentry, struct inode *inode, u8 *opts)
{
	struct veriexec_verdict v;
	struct veriexec_found found;
	u32 gen = veriexec_store_gen();

	if (!veriexec_active())
		return false;
	if (veriexec_cache_get(inode, gen, &v)) {
		*opts = v.opts;
		return v.match != VERIEXEC_MATCH_NONE;
	}
	if (veriexec_find(dentry, inode, &found)) {
		*opts = found.opts;
		return true;
	}
	cache_absence(inode, gen, &v);
	return false;
}

/* Record the verdict on the entry too, for the entries file. */
static void set_status(const struct veriexec_found *found, u32 gen,
		       enum veriexec_match match)
{
	struct veriexec_entry *e;

	guard(rcu)();
	/* Same generation: the set we copied from is still published. */
	if (veriexec_store_gen() != gen)
		return;
	if (found->key.sb_id)
		e = (struct veriexec_entry *)veriexec_store_find_inode(&found->key);
	else
		e = (struct veriexec_entry *)
			veriexec_store_find_digest(found->algo, found->digest);
	if (e)
		WRITE_ONCE(e->status, match == VERIEXEC_MATCH_VALID ?
			   VERIEXEC_VALID : VERIEXEC_MISMATCH);
}

static enum veriexec_match hash_and_compare(struct file *file,
					    const struct veriexec_found *found,
					    struct veriexec_verdict *v)
{
	struct inode *inode = file_inode(file);
	u8 digest[VERIEXEC_DIGEST_MAX];

	veriexec_snapshot(inode, v);
	if (veriexec_fingerprint(file, found->algo, digest))
		return VERIEXEC_MATCH_MISMATCH;
	/* Changed while we read it: what we hashed may be a mix. */
	if (!veriexec_same_content(inode, v))
		return VERIEXEC_MATCH_MISMATCH;
	if (memcmp(digest, found->digest, veriexec_algo_size(found->algo)))
		return VERIEXEC_MATCH_MISMATCH;
	return VERIEXEC_MATCH_VALID;
}

/**
 * veriexec_verdict() - The verdict on a file, cached or made now
 * @file: The file, open for reading.
 * @v: Receives the verdict.
 *
 * Context: Process context; may sleep to hash the file.
 */
void veriexec_verdict(struct file *file, struct veriexec_verdict *v)
{
	struct inode *inode = file_inode(file);
	struct veriexec_found found;
	u32 gen = veriexec_store_gen();

	if (veriexec_cache_get(inode, gen, v)) {
		veriexec_count(VERIEXEC_STAT_CACHE_HITS, 1);
		return;
	}
	if (!veriexec_find(file->f_path.dentry, inode, &found)) {
		cache_absence(inode, gen, v);
		return;
	}
	memset(v, 0, sizeof(*v));
	v->gen = gen;
	v->opts = found.opts;
	v->match = hash_and_compare(file, &found, v);
	set_status(&found, gen, v->match);
	if (!(found.opts & VERIEXEC_OPT_UNTRUSTED))
		veriexec_cache_set(inode, v);
}
