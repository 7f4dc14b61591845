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
 * enum veriexec_status - Last verdict on an entry, for the entries file
 * @VERIEXEC_UNEVALUATED: Not hashed since it was loaded.
 * @VERIEXEC_VALID: The file matched its fingerprint.
 * @VERIEXEC_MISMATCH: The file did not match.
 */
enum veriexec_status {
	VERIEXEC_UNEVALUATED,
	VERIEXEC_VALID,
	VERIEXEC_MISMATCH,
};

/**
 * struct veriexec_entry - One loaded fingerprint
 *
 * Entries live packed in their set's arena and never change after the set
 * is published, except @status.  They are freed with their set, after a
 * grace period: readers hold rcu_read_lock() while they use one.
 */
struct veriexec_entry {
	/** @ino_next: Next entry in the same inode-table bucket. */
	struct veriexec_entry *ino_next;
	/** @dig_next: Next entry in the same digest-table bucket. */
	struct veriexec_entry *dig_next;
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
	/** @status: An &enum veriexec_status; READ_ONCE()/WRITE_ONCE(). */
	u8 status;
	/** @data: The digest, then the NUL-terminated path if any. */
	u8 data[];
};

/**
 * struct veriexec_set - The entries of one manifest, by its @name
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
	/** @bits: log2 of the number of buckets of each table. */
	u32 bits;
	/** @nr_sb: Number of distinct superblocks in @sb_ids. */
	u32 nr_sb;
	/** @sb_ids: The superblocks holding the set's files, for lockdown. */
	u64 *sb_ids;
	/** @bytes: Memory the set takes, for the benchmark. */
	size_t bytes;
	/** @index: The entries in manifest order, for listing. */
	struct veriexec_entry **index;
	/** @ino_table: Buckets by inode key. */
	struct veriexec_entry **ino_table;
	/** @dig_table: Buckets by (algorithm, digest). */
	struct veriexec_entry **dig_table;
	/** @arena: Storage of every entry. */
	void *arena;
};

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

int veriexec_store_replace(struct veriexec_set *set, const char *name,
			   u64 version, const char **dup);
u32 veriexec_store_gen(void);
const struct veriexec_entry *
veriexec_store_find_inode(const struct veriexec_key *key);
const struct veriexec_entry *veriexec_store_find_digest(u8 algo,
							const u8 *digest);
bool veriexec_store_has_sb(u64 sb_id);
struct list_head *veriexec_store_sets(void);

#endif /* _SECURITY_VERIEXEC_STORE_H */
