/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - One set of fingerprints
 *
 * Copyright © 2026 The veriexec authors
 *
 * The layout of a set and its lookups, inline: the store runs them for
 * each loaded set on every exec, open and change it checks.
 */

#ifndef _SECURITY_VERIEXEC_SET_H
#define _SECURITY_VERIEXEC_SET_H

#include <linux/bsearch.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>

#include "limits.h"
#include "manifest.h"

/**
 * struct veriexec_key - What identifies an inode to the store
 * @sb_id: Never-reused number of the inode's superblock (cache.h); 0 for
 *	   an entry that has no inode (path-less, or skipped at load).
 * @ino: Inode number.
 * @gen: Inode generation, so a reused inode number does not match.
 */
struct veriexec_key {
	u64 sb_id;
	u64 ino;
	u32 gen;
};

/**
 * struct veriexec_entry - One loaded fingerprint
 *
 * Entries live packed in their set's arena and never change after the set
 * is published, except @status.  They are freed with their set, after a
 * grace period: readers hold rcu_read_lock() while they use one.
 */
struct veriexec_entry {
	/** @key: The file's identity; @key.sb_id is 0 when it has none. */
	struct veriexec_key key;
	/** @dev: The file's device (new_encode_dev()), for listing only. */
	u32 dev;
	/** @path_len: Length of the path, 0 for a path-less entry. */
	u16 path_len;
	/** @algo: An &enum veriexec_algo value. */
	u8 algo;
	/** @opts: VERIEXEC_OPT_* bits. */
	u8 opts;
	/**
	 * @status: The last verdict on the file, an &enum veriexec_match:
	 * %VERIEXEC_MATCH_NONE until it is hashed.  READ_ONCE()/WRITE_ONCE().
	 */
	u8 status;
	/** @data: The digest, then the NUL-terminated path if any. */
	u8 data[];
};

/* Entries start on this boundary in the arena; slots count in its units. */
#define VERIEXEC_ENTRY_ALIGN	8

/**
 * struct veriexec_sb_table - The inode table of one superblock in a set
 * @sb_id: The superblock.
 * @first: Index of its first slot in the set's @inode_slots.
 * @size: Number of its slots, more than it has entries: probes end at an
 *	  empty slot.
 * @dev: Its device (new_encode_dev()), so that the block device below a
 *	 monitored filesystem is known.
 * @disk: The whole disk of @dev, likewise; 0 when it has none.
 *
 * Inode numbers are unique within a superblock only; one table each lets
 * a slot hold the rest of the key in 16 bytes.
 */
struct veriexec_sb_table {
	u64 sb_id;
	u32 first;
	u32 size;
	u32 dev;
	u32 disk;
};

/**
 * struct veriexec_inode_slot - A slot of an inode table
 * @ino: Inode number.
 * @gen: Inode generation.
 * @off: The entry's arena offset in %VERIEXEC_ENTRY_ALIGN units; 0: empty.
 */
struct veriexec_inode_slot {
	u64 ino;
	u32 gen;
	u32 off;
};

/**
 * struct veriexec_digest_slot - A slot of the digest table
 * @tag: Digest bits other than those that chose the slot, so that most
 *	 other entries are passed over without reading them.
 * @off: As in &struct veriexec_inode_slot.
 */
struct veriexec_digest_slot {
	u32 tag;
	u32 off;
};

/**
 * struct veriexec_set - The entries of one manifest, by its @name
 *
 * Built whole by veriexec_set_build() and immutable once published, so
 * readers need no lock beyond RCU and no READ_ONCE() on its tables.
 */
struct veriexec_set {
	/** @node: In its store's list of sets; RCU. */
	struct list_head node;
	/** @name: The manifest's @name. */
	char name[VERIEXEC_SET_NAME_MAX + 1];
	/** @version: The manifest's @version. */
	u64 version;
	/** @count: Number of entries. */
	u32 count;
	/** @skipped: Paths that did not exist at load. */
	u32 skipped;
	/** @nr_sb: Number of superblocks in @sbs. */
	u32 nr_sb;
	/** @nr_digest_slots: Size of @digest_slots. */
	u32 nr_digest_slots;
	/** @sbs: Per superblock holding listed files, its inode table. */
	struct veriexec_sb_table *sbs;
	/** @inode_slots: The inode tables of all of @sbs, end to end. */
	struct veriexec_inode_slot *inode_slots;
	/** @digest_slots: The table by (algorithm, digest). */
	struct veriexec_digest_slot *digest_slots;
	/** @dirs: Directories on the paths of its entries, sorted. */
	struct veriexec_key *dirs;
	/** @nr_dirs: Number of @dirs. */
	u32 nr_dirs;
	/** @paths_ns: The mount namespace its paths resolved in (inum). */
	u32 paths_ns;
	/** @index: Arena offset of each entry in manifest order (listing). */
	u32 *index;
	/** @arena: Storage of every entry. */
	void *arena;
	/** @serial: Names this build of the set; never reused. */
	u64 serial;
	/** @bytes: Memory the set takes, for the benchmark. */
	size_t bytes;
	/** @checks_opens: Some entry has the `file` option. */
	bool checks_opens;
	/** @free_work: Frees the set a grace period after it is replaced. */
	struct rcu_work free_work;
};

/**
 * veriexec_set_entry() - The entry of a set at an offset in its arena
 * @set: The set.
 * @off: The offset, in units of %VERIEXEC_ENTRY_ALIGN.
 *
 * Return: The entry.
 */
static inline struct veriexec_entry *
veriexec_set_entry(const struct veriexec_set *set, u32 off)
{
	return set->arena + (size_t)off * VERIEXEC_ENTRY_ALIGN;
}

/**
 * veriexec_set_nth() - The entry of a set in manifest order
 * @set: The set.
 * @i: Its index, below @set->count.
 *
 * Return: The entry.
 */
static inline struct veriexec_entry *
veriexec_set_nth(const struct veriexec_set *set, u32 i)
{
	return veriexec_set_entry(set, set->index[i]);
}

static inline const u8 *veriexec_entry_digest(const struct veriexec_entry *e)
{
	return e->data;
}

static inline const char *veriexec_entry_path(const struct veriexec_entry *e)
{
	return e->path_len ? (const char *)e->data + veriexec_algo_size(e->algo)
			   : NULL;
}

/* Map a 32-bit hash onto [0, @size) without a division. */
static inline u32 veriexec_slot_first(u32 hash, u32 size)
{
	return ((u64)hash * size) >> 32;
}

static inline u32 veriexec_hash_inode(const struct veriexec_key *key)
{
	return hash_64(key->ino ^ (u64)key->gen << 32, 32);
}

/* Digests are uniformly distributed already: their bytes will do. */
static inline u32 veriexec_hash_digest(const u8 *digest)
{
	return get_unaligned((const u32 *)digest);
}

static inline u32 veriexec_digest_tag(const u8 *digest)
{
	return get_unaligned((const u32 *)(digest + 4));
}

static inline int veriexec_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static inline int veriexec_cmp_sb_table(const void *key, const void *elt)
{
	const struct veriexec_sb_table *t = elt;

	return veriexec_cmp_u64(key, &t->sb_id);
}

static inline int veriexec_cmp_key(const void *a, const void *b)
{
	const struct veriexec_key *x = a, *y = b;

	if (x->sb_id != y->sb_id)
		return x->sb_id < y->sb_id ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->gen != y->gen)
		return x->gen < y->gen ? -1 : 1;
	return 0;
}

/**
 * veriexec_set_sb() - The inode table of a superblock in a set
 * @set: The set.
 * @sb_id: The superblock.
 *
 * Return: The table, or NULL when no entry of @set is on @sb_id.
 */
static inline struct veriexec_sb_table *
veriexec_set_sb(const struct veriexec_set *set, u64 sb_id)
{
	return __inline_bsearch(&sb_id, set->sbs, set->nr_sb,
				sizeof(*set->sbs), veriexec_cmp_sb_table);
}

/**
 * veriexec_set_probe_inode() - The slot of an inode in a set
 * @set: The set.
 * @t: The table of @key's superblock in @set.
 * @key: The inode.
 *
 * Return: The slot holding @key, or the empty slot where it would go.
 */
static inline struct veriexec_inode_slot *
veriexec_set_probe_inode(const struct veriexec_set *set,
			 const struct veriexec_sb_table *t,
			 const struct veriexec_key *key)
{
	struct veriexec_inode_slot *slots = set->inode_slots + t->first;
	u32 i = veriexec_slot_first(veriexec_hash_inode(key), t->size);

	/* Ends: a table always has an empty slot. */
	for (;; i = i + 1 < t->size ? i + 1 : 0) {
		struct veriexec_inode_slot *s = &slots[i];

		if (!s->off || (s->ino == key->ino && s->gen == key->gen))
			return s;
	}
}

/**
 * veriexec_set_probe_digest() - The slot of a fingerprint in a set
 * @set: The set.
 * @algo: The algorithm.
 * @digest: The fingerprint.
 *
 * Return: The slot of the first entry with (@algo, @digest), or the empty
 * slot where it would go.
 */
static inline struct veriexec_digest_slot *
veriexec_set_probe_digest(const struct veriexec_set *set, u8 algo,
			  const u8 *digest)
{
	u32 size = set->nr_digest_slots, tag = veriexec_digest_tag(digest);
	u32 i = veriexec_slot_first(veriexec_hash_digest(digest), size);
	const struct veriexec_entry *e;

	/* Ends: the table always has an empty slot. */
	for (;; i = i + 1 < size ? i + 1 : 0) {
		struct veriexec_digest_slot *s = &set->digest_slots[i];

		if (!s->off)
			return s;
		if (s->tag != tag)
			continue;
		e = veriexec_set_entry(set, s->off);
		if (e->algo == algo &&
		    !memcmp(e->data, digest, veriexec_algo_size(algo)))
			return s;
	}
}

/**
 * veriexec_set_find_inode() - The entry of an inode in a set
 * @set: The set.
 * @key: The inode.
 *
 * Return: The entry, or NULL.
 */
static inline struct veriexec_entry *
veriexec_set_find_inode(const struct veriexec_set *set,
			const struct veriexec_key *key)
{
	const struct veriexec_sb_table *t = veriexec_set_sb(set, key->sb_id);
	const struct veriexec_inode_slot *s;

	if (!t)
		return NULL;
	s = veriexec_set_probe_inode(set, t, key);
	return s->off ? veriexec_set_entry(set, s->off) : NULL;
}

/**
 * veriexec_set_find_digest() - The first entry of a fingerprint in a set
 * @set: The set.
 * @algo: The algorithm.
 * @digest: The fingerprint.
 *
 * Return: The entry, or NULL.
 */
static inline struct veriexec_entry *
veriexec_set_find_digest(const struct veriexec_set *set, u8 algo,
			 const u8 *digest)
{
	const struct veriexec_digest_slot *s;

	s = veriexec_set_probe_digest(set, algo, digest);
	return s->off ? veriexec_set_entry(set, s->off) : NULL;
}

/**
 * veriexec_set_on_dev() - Whether a set lists files on a device
 * @set: The set.
 * @dev: The device, new_encode_dev()d.
 *
 * A handful of superblocks per set: a walk of their tables is cheap.
 *
 * Return: True when an entry of @set is on a filesystem of @dev, or of a
 * partition of @dev.
 */
static inline bool veriexec_set_on_dev(const struct veriexec_set *set,
				       u32 dev)
{
	u32 i;

	for (i = 0; i < set->nr_sb; i++)
		if (set->sbs[i].dev == dev || set->sbs[i].disk == dev)
			return true;
	return false;
}

/**
 * veriexec_set_guards() - Whether a directory is on a path of a set
 * @set: The set.
 * @key: The directory.
 *
 * Return: True when @key is on the path of an entry of @set.
 */
static inline bool veriexec_set_guards(const struct veriexec_set *set,
				       const struct veriexec_key *key)
{
	return __inline_bsearch(key, set->dirs, set->nr_dirs, sizeof(*key),
				veriexec_cmp_key);
}

struct veriexec_set *veriexec_set_build(const struct veriexec_manifest *m,
					const struct veriexec_key *keys,
					const u32 *devs, u32 skipped,
					const char **dup);
void veriexec_set_free(struct veriexec_set *set);
void veriexec_set_note_disk(struct veriexec_set *set, u64 sb_id, u32 disk);
void veriexec_set_add_guards(struct veriexec_set *set,
			     struct veriexec_key *dirs, u32 n);

#endif /* _SECURITY_VERIEXEC_SET_H */
