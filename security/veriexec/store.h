/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_STORE_H
#define _SECURITY_VERIEXEC_STORE_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
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

struct veriexec_sb_table;
struct veriexec_inode_slot;
struct veriexec_digest_slot;

/**
 * struct veriexec_set - The entries of one manifest, by its @name
 *
 * Built whole by veriexec_set_build() and immutable once published, so
 * readers need no lock beyond RCU and no READ_ONCE() on its tables.
 */
struct veriexec_set {
	/** @node: In the store's list of sets; RCU. */
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
	/** @index: Arena offset of each entry in manifest order, for listing. */
	u32 *index;
	/** @arena: Storage of every entry. */
	void *arena;
	/** @serial: Names this build of the set; never reused. */
	u64 serial;
	/** @bytes: Memory the set takes, for the benchmark. */
	size_t bytes;
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

struct veriexec_set *veriexec_set_build(const struct veriexec_manifest *m,
					const struct veriexec_key *keys,
					const u32 *devs, u32 skipped,
					const char **dup);
void veriexec_set_free(struct veriexec_set *set);
void veriexec_set_note_disk(struct veriexec_set *set, u64 sb_id, u32 disk);
void veriexec_set_add_guards(struct veriexec_set *set,
			     struct veriexec_key *dirs, u32 n);

int veriexec_store_replace(struct veriexec_set *set, const char **dup);
int veriexec_store_unload(const char *name, u64 version);
u32 veriexec_store_gen(void);
const struct veriexec_entry *
veriexec_store_find_inode(const struct veriexec_key *key);
const struct veriexec_entry *veriexec_store_find_digest(u8 algo,
							const u8 *digest);
bool veriexec_store_has_sb(u64 sb_id);
bool veriexec_store_has_dev(u32 dev);
bool veriexec_store_guards(const struct veriexec_key *key);
void veriexec_store_seal(void);
struct veriexec_set *veriexec_store_find_set(const char *name);
struct list_head *veriexec_store_sets(void);

#endif /* _SECURITY_VERIEXEC_STORE_H */
