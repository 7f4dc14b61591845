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
#include <linux/magic.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "audit.h"
#include "cache.h"
#include "fingerprint.h"
#include "manifest.h"
#include "store.h"
#include "verify.h"

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
	e = veriexec_store_find_inode(veriexec_live_store(), key);
	if (e)
		copy_entry(e, found);
	return e;
}

/* Storage whose server or daemon can serve other bytes, or labels. */
static const unsigned long remote_magics[] = {
	FUSE_SUPER_MAGIC, NFS_SUPER_MAGIC, SMB_SUPER_MAGIC, CIFS_SUPER_MAGIC,
	SMB2_SUPER_MAGIC, V9FS_MAGIC, CEPH_SUPER_MAGIC, AFS_FS_MAGIC,
	CODA_SUPER_MAGIC, OCFS2_SUPER_MAGIC, XENFS_SUPER_MAGIC,
};

/**
 * veriexec_unwatched() - Whether the kernel cannot watch a filesystem
 * @sb: The superblock.
 *
 * Network and user-space filesystems change under the kernel's feet: a
 * verdict on their files is never cached and their labels are ignored.
 *
 * Context: Any context.
 * Return: True for FUSE and the network filesystems.
 */
bool veriexec_unwatched(const struct super_block *sb)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(remote_magics); i++)
		if (sb->s_magic == remote_magics[i])
			return true;
	return false;
}

/*
 * A label vouches for bytes that must stay the bytes hashed.  Memory
 * filesystems change only through hooks; the storage of filesystems with
 * path entries is guarded below them (block device, loop backing file);
 * fs-verity checks every page as it is read.  Elsewhere (a USB stick, an
 * image on an unguarded loop device) the storage can be rewritten and the
 * pages evicted after the hash, so a label there selects nothing.
 */
static bool label_holds(const struct inode *inode, u8 algo)
{
	const struct super_block *sb = inode->i_sb;

	return veriexec_algo_is_fsverity(algo) ||
	       sb->s_magic == TMPFS_MAGIC || sb->s_magic == RAMFS_MAGIC ||
	       veriexec_sb_monitored(sb);
}

/*
 * A label that could not be read (an I/O error, no memory) may still
 * name an entry: @unsure says the absence found must not be cached.
 */
static bool find_by_label(struct dentry *dentry, struct inode *inode,
			  struct veriexec_found *found, bool *unsure)
{
	const struct veriexec_entry *e;
	u8 digest[VERIEXEC_DIGEST_MAX];
	u8 algo;
	int rc;

	if (!dentry || !d_backing_inode(dentry) ||
	    veriexec_unwatched(inode->i_sb) ||
	    veriexec_unwatched(dentry->d_sb))
		return false;
	rc = veriexec_read_label(dentry, d_backing_inode(dentry), &algo,
				 digest);
	if (rc) {
		*unsure = rc != -ENODATA && rc != -EOPNOTSUPP && rc != -EINVAL;
		return false;
	}
	guard(rcu)();
	e = veriexec_store_find_digest(veriexec_live_store(), algo, digest);
	if (!e || !label_holds(inode, algo))
		return false;
	copy_entry(e, found);
	return true;
}

static bool find_entry(struct dentry *dentry, struct inode *inode,
		       struct veriexec_found *found, bool *unsure)
{
	struct veriexec_key key;

	*unsure = false;
	if (!veriexec_active())
		return false;
	veriexec_inode_key(inode, &key);
	veriexec_count(VERIEXEC_STAT_LOOKUPS, 1);
	return find_by_key(&key, found) ||
	       find_by_label(dentry, inode, found, unsure);
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
	bool unsure;

	return find_entry(dentry, inode, found, &unsure);
}

static void no_entry(struct inode *inode, u32 gen, struct veriexec_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->gen = gen;
	v->match = VERIEXEC_MATCH_NONE;
	veriexec_snapshot(inode, v);
}

static void cache_absence(struct inode *inode, u32 gen,
			  struct veriexec_verdict *v)
{
	no_entry(inode, gen, v);
	veriexec_cache_set(inode, v);
}

/**
 * veriexec_listed_slow() - Whether an entry lists a file, from the store
 * @dentry: The file's dentry.
 * @inode: The file's inode.
 * @opts: Receives the entry's options when listed.
 *
 * What veriexec_listed() does when the cache has no answer: an absence
 * found the slow way (store, then label) is cached.
 *
 * Context: Process context; may sleep to read the label.
 * Return: True when an entry lists the file.
 */
bool veriexec_listed_slow(struct dentry *dentry, struct inode *inode, u8 *opts)
{
	struct veriexec_verdict v;
	struct veriexec_found found;
	u32 gen = veriexec_store_gen(veriexec_live_store());
	bool unsure;

	if (!veriexec_active())
		return false;
	if (find_entry(dentry, inode, &found, &unsure)) {
		*opts = found.opts;
		return true;
	}
	if (!unsure)
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
	if (veriexec_store_gen(veriexec_live_store()) != gen)
		return;
	if (found->key.sb_id)
		e = (struct veriexec_entry *)
			veriexec_store_find_inode(veriexec_live_store(),
						  &found->key);
	else
		e = (struct veriexec_entry *)
			veriexec_store_find_digest(veriexec_live_store(),
						   found->algo, found->digest);
	if (e)
		WRITE_ONCE(e->status, match);
}

/* The entry was found through the file's label, not its inode key. */
static bool by_label(const struct inode *inode,
		     const struct veriexec_found *found)
{
	return found->key.sb_id != veriexec_sb_id(inode->i_sb) ||
	       found->key.ino != inode->i_ino;
}

/**
 * veriexec_sb_monitored() - Whether a filesystem holds path entries
 * @sb: Its superblock.
 *
 * Such a filesystem is guarded from level 2 down to its storage (block
 * device, loop backing file); a labelled file elsewhere could change
 * underneath and is hashed at every use.
 *
 * Context: Any context.
 * Return: True when a loaded set lists a file of @sb by path.
 */
bool veriexec_sb_monitored(const struct super_block *sb)
{
	guard(rcu)();
	return veriexec_store_has_sb(veriexec_live_store(), veriexec_sb_id(sb));
}

/*
 * Whether a verdict may outlive this operation: not while anyone can
 * change the content unseen (a writer, a shared writable mapping, which
 * holds a writer, or storage the kernel cannot watch), and only when
 * nothing changed while it was made.
 */
static bool cacheable(struct inode *inode, const struct veriexec_found *found,
		      const struct veriexec_verdict *v)
{
	return !(found->opts & VERIEXEC_OPT_UNTRUSTED) &&
	       (!by_label(inode, found) || veriexec_sb_monitored(inode->i_sb)) &&
	       !veriexec_unwatched(inode->i_sb) &&
	       !inode_is_open_for_write(inode) &&
	       veriexec_same_content(inode, v);
}

/* Hash @file and compare; a negative errno when no verdict was made. */
static int hash_and_compare(struct file *file,
			    const struct veriexec_found *found,
			    struct veriexec_verdict *v)
{
	struct inode *inode = veriexec_file_inode(file);
	u8 digest[VERIEXEC_DIGEST_MAX];
	int rc;

	/*
	 * A tmpfs page written out to swap comes back from storage anyone
	 * may rewrite: what was hashed stays in memory, as SHM_LOCK keeps
	 * a segment's, from before it is read.
	 */
	if (shmem_mapping(inode->i_mapping))
		mapping_set_unevictable(inode->i_mapping);
	veriexec_snapshot(inode, v);
	rc = veriexec_fingerprint(file, found->algo, digest);
	if (rc == -ENODATA)
		return VERIEXEC_MATCH_MISMATCH;
	if (rc)
		return rc;
	if (memcmp(digest, found->digest, veriexec_algo_size(found->algo)))
		return VERIEXEC_MATCH_MISMATCH;
	return VERIEXEC_MATCH_VALID;
}

/*
 * One hash of a file at a time: an exec that arrives while the file is
 * being hashed (by the background pass, or another exec) waits for that
 * verdict rather than reading the file again.
 */
static int claim_hash(struct inode *inode)
{
	unsigned long *flags = &veriexec_inode(inode)->flags;
	int rc;

	while (test_and_set_bit_lock(VERIEXEC_HASHING, flags)) {
		rc = wait_on_bit(flags, VERIEXEC_HASHING, TASK_KILLABLE);
		if (rc)
			return -EINTR;
	}
	return 0;
}

static void release_hash(struct inode *inode)
{
	clear_and_wake_up_bit(VERIEXEC_HASHING, &veriexec_inode(inode)->flags);
}

static int hash_verdict(struct file *file, const struct veriexec_found *found,
			u32 gen, struct veriexec_verdict *v)
{
	struct inode *inode = veriexec_file_inode(file);
	int match;

	memset(v, 0, sizeof(*v));
	v->gen = gen;
	v->opts = found->opts;
	match = hash_and_compare(file, found, v);
	if (match < 0)
		return match;
	v->match = match;
	if (cacheable(inode, found, v)) {
		set_status(found, gen, v->match);
		veriexec_cache_set(inode, v);
	} else if (!veriexec_same_content(inode, v)) {
		/* Changed while hashed: what we read may be a mix. */
		v->match = VERIEXEC_MATCH_MISMATCH;
	} else {
		set_status(found, gen, v->match);
	}
	return 0;
}

/**
 * veriexec_verdict() - The verdict on a file, cached or made now
 * @file: The file.
 * @v: Receives the verdict.
 *
 * A file is hashed only through a descriptor opened for reading.  An I/O
 * error or a fatal signal while hashing is no verdict: nothing is cached
 * and the error goes to this one caller.
 *
 * Context: Process context; may sleep to hash the file.
 * Return: 0 with @v filled, -EACCES when the file would need hashing but
 * @file is not open for reading, or the error that stopped the hash.
 */
int veriexec_verdict(struct file *file, struct veriexec_verdict *v)
{
	struct inode *inode = veriexec_file_inode(file);
	struct veriexec_found found;
	u32 gen = veriexec_store_gen(veriexec_live_store());
	bool unsure = false;
	int rc;

	if (veriexec_cache_get(inode, gen, v)) {
		veriexec_count(VERIEXEC_STAT_CACHE_HITS, 1);
		return 0;
	}
	/* Devices and pipes have no fingerprint: never read them. */
	if (!S_ISREG(inode->i_mode) ||
	    !find_entry(file->f_path.dentry, inode, &found, &unsure)) {
		if (unsure)
			no_entry(inode, gen, v);
		else
			cache_absence(inode, gen, v);
		return 0;
	}
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	rc = claim_hash(inode);
	if (rc)
		return rc;
	if (veriexec_cache_get(inode, gen, v))
		veriexec_count(VERIEXEC_STAT_CACHE_HITS, 1);
	else
		rc = hash_verdict(file, &found, gen, v);
	release_hash(inode);
	return rc;
}

/**
 * veriexec_verdict_nosleep() - The verdict on a file, without hashing
 * @inode: The file's inode.
 * @v: Receives the verdict.
 *
 * For callers that hold the mmap lock: the cached verdict, or else an
 * entry found by inode key counts as not verified.  Labels are not read.
 *
 * Context: Any context; never sleeps.
 */
void veriexec_verdict_nosleep(struct inode *inode, struct veriexec_verdict *v)
{
	const struct veriexec_entry *e;
	struct veriexec_key key;

	if (veriexec_cache_get(inode, veriexec_store_gen(veriexec_live_store()),
			       v))
		return;
	memset(v, 0, sizeof(*v));
	if (!veriexec_active())
		return;
	veriexec_inode_key(inode, &key);
	guard(rcu)();
	e = veriexec_store_find_inode(veriexec_live_store(), &key);
	if (e) {
		v->match = VERIEXEC_MATCH_MISMATCH;
		v->opts = e->opts;
	}
}
