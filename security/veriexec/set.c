// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Building a set of fingerprints
 *
 * Copyright © 2026 The veriexec authors
 *
 * A set is built aside from a parsed manifest and immutable once the
 * store publishes it.  Its tables are open-addressed with the keys inline:
 * a lookup in a million entries reads one slot (or a few neighbours in the
 * same cache line) and no entry until it has a match, which keeps it as
 * cheap as in a thousand.  Slots point into one arena by 32-bit offsets,
 * which keeps an entry with a 40-byte path within 160 bytes.  No VFS here:
 * the loader resolves paths.
 */

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "set.h"

/* Never reused, unlike set addresses: names one build of a set. */
static atomic64_t next_serial = ATOMIC64_INIT(0);

/* A third of the slots stay empty: short probes, and they always end. */
static u32 table_size(u32 entries)
{
	return entries + entries / 2 + 1;
}

/*
 * An entry takes fewer arena bytes than its manifest line, give or take
 * alignment: offsets of any manifest we accept fit in 32 bits.
 */
static_assert(2 * VERIEXEC_MANIFEST_MAX / VERIEXEC_ENTRY_ALIGN < U32_MAX);

static size_t entry_size(const struct veriexec_manifest_entry *me)
{
	size_t len = offsetof(struct veriexec_entry, data) +
		     veriexec_algo_size(me->algo);

	if (me->path)
		len += me->path_len + 1;
	return ALIGN(len, VERIEXEC_ENTRY_ALIGN);
}

static size_t alloc_size(const void *p, size_t size)
{
	if (!p)
		return 0;
	return is_vmalloc_addr(p) ? PAGE_ALIGN(size) : ksize(p);
}

/**
 * veriexec_set_free() - Free a set that no reader can see
 * @set: The set; NULL and error pointers are ignored.
 *
 * Context: Process context, after a grace period if it was published.
 */
void veriexec_set_free(struct veriexec_set *set)
{
	if (IS_ERR_OR_NULL(set))
		return;
	kvfree(set->arena);
	kvfree(set->index);
	kvfree(set->inode_slots);
	kvfree(set->digest_slots);
	kvfree(set->sbs);
	kvfree(set->dirs);
	kfree(set);
}

static void free_set_work(struct work_struct *work)
{
	veriexec_set_free(container_of(to_rcu_work(work), struct veriexec_set,
				       free_work));
}

/*
 * The distinct superblocks of @keys, sorted.  Files of one filesystem
 * mostly come in runs: only the first of each run is sorted.
 */
static int find_sbs(struct veriexec_set *set, const struct veriexec_key *keys,
		    u32 n)
{
	u32 i, runs = 0;
	u64 *ids;

	ids = kvmalloc_array(n ? n : 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (keys[i].sb_id && (!runs || ids[runs - 1] != keys[i].sb_id))
			ids[runs++] = keys[i].sb_id;
	sort(ids, runs, sizeof(*ids), veriexec_cmp_u64, NULL);
	set->sbs = kvcalloc(runs ? runs : 1, sizeof(*set->sbs), GFP_KERNEL);
	if (!set->sbs)
		goto out_free;
	for (i = 0; i < runs; i++)
		if (!i || ids[i] != ids[i - 1])
			set->sbs[set->nr_sb++].sb_id = ids[i];
out_free:
	kvfree(ids);
	return set->sbs ? 0 : -ENOMEM;
}

/* Give each superblock's table room for its inodes; returns all slots. */
static u32 size_sb_tables(struct veriexec_set *set,
			  const struct veriexec_key *keys, u32 n)
{
	u32 i, slots = 0;

	for (i = 0; i < n; i++)
		if (keys[i].sb_id)
			veriexec_set_sb(set, keys[i].sb_id)->size++;
	for (i = 0; i < set->nr_sb; i++) {
		set->sbs[i].first = slots;
		set->sbs[i].size = table_size(set->sbs[i].size);
		slots += set->sbs[i].size;
	}
	return slots;
}

static int alloc_tables(struct veriexec_set *set,
			const struct veriexec_key *keys, size_t arena_len)
{
	u32 inode_slots;
	int rc;

	rc = find_sbs(set, keys, set->count);
	if (rc)
		return rc;
	inode_slots = size_sb_tables(set, keys, set->count);
	set->nr_digest_slots = table_size(set->count);
	set->arena = kvzalloc(arena_len, GFP_KERNEL);
	set->index = kvcalloc(set->count ? set->count : 1, sizeof(*set->index),
			      GFP_KERNEL);
	set->inode_slots = kvcalloc(inode_slots ? inode_slots : 1,
				    sizeof(*set->inode_slots), GFP_KERNEL);
	set->digest_slots = kvcalloc(set->nr_digest_slots,
				     sizeof(*set->digest_slots), GFP_KERNEL);
	if (!set->arena || !set->index || !set->inode_slots ||
	    !set->digest_slots)
		return -ENOMEM;
	set->bytes = alloc_size(set, sizeof(*set)) +
		     alloc_size(set->sbs, set->nr_sb * sizeof(*set->sbs)) +
		     alloc_size(set->arena, arena_len) +
		     alloc_size(set->index, set->count * sizeof(*set->index)) +
		     alloc_size(set->inode_slots,
				inode_slots * sizeof(*set->inode_slots)) +
		     alloc_size(set->digest_slots, set->nr_digest_slots *
				sizeof(*set->digest_slots));
	return 0;
}

static void fill_entry(struct veriexec_entry *e,
		       const struct veriexec_manifest_entry *me,
		       const struct veriexec_key *key, u32 dev)
{
	unsigned int size = veriexec_algo_size(me->algo);

	e->key = *key;
	e->dev = dev;
	e->algo = me->algo;
	e->opts = me->opts;
	memcpy(e->data, me->digest, size);
	if (me->path) {
		e->path_len = me->path_len;
		memcpy(e->data + size, me->path, e->path_len + 1);
	}
}

/* Insert the entry at @off; fails when another entry has the same inode. */
static int link_entry(struct veriexec_set *set, u32 off)
{
	struct veriexec_entry *e = veriexec_set_entry(set, off);
	struct veriexec_digest_slot *d;
	struct veriexec_inode_slot *s;
	struct veriexec_sb_table *t;

	if (e->key.sb_id) {
		t = veriexec_set_sb(set, e->key.sb_id);
		s = veriexec_set_probe_inode(set, t, &e->key);
		if (s->off)
			return -EEXIST;
		s->ino = e->key.ino;
		s->gen = e->key.gen;
		s->off = off;
	}
	/*
	 * One slot per fingerprint: the first entry answers for its copies,
	 * and a thousand identical files do not make one long probe.
	 */
	d = veriexec_set_probe_digest(set, e->algo, e->data);
	if (!d->off) {
		d->tag = veriexec_digest_tag(e->data);
		d->off = off;
	}
	return 0;
}

/**
 * veriexec_set_build() - Build a set aside from a parsed manifest
 * @m: The manifest.
 * @keys: For each entry of @m, its inode key (sb_id 0: none).
 * @devs: For each entry of @m, its device, for listing.
 * @skipped: How many paths of @m did not exist.
 * @dup: Set to the path of the second of two entries naming one inode.
 *
 * Context: Process context; may sleep.
 * Return:
 * * The set, not yet visible to anyone.
 * * %-EEXIST	- Two paths of @m are one file (@dup names one).
 * * %-ENOMEM	- Out of memory; nothing is left allocated.
 */
struct veriexec_set *veriexec_set_build(const struct veriexec_manifest *m,
					const struct veriexec_key *keys,
					const u32 *devs, u32 skipped,
					const char **dup)
{
	/* Offset 0 stays unused: it marks an empty slot. */
	size_t i, len = VERIEXEC_ENTRY_ALIGN;
	struct veriexec_set *set;
	int rc;

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	INIT_RCU_WORK(&set->free_work, free_set_work);
	set->serial = atomic64_inc_return(&next_serial);
	strscpy(set->name, m->name);
	set->version = m->version;
	set->count = m->count;
	set->skipped = skipped;
	for (i = 0; i < m->count; i++)
		len += entry_size(&m->entries[i]);
	rc = alloc_tables(set, keys, len);
	if (rc)
		goto out_free;
	len = VERIEXEC_ENTRY_ALIGN;
	for (i = 0; i < m->count; i++) {
		u32 off = len / VERIEXEC_ENTRY_ALIGN;

		fill_entry(veriexec_set_entry(set, off), &m->entries[i],
			   &keys[i], devs[i]);
		if (m->entries[i].opts & VERIEXEC_OPT_FILE)
			set->checks_opens = true;
		if (keys[i].sb_id)
			veriexec_set_sb(set, keys[i].sb_id)->dev = devs[i];
		rc = link_entry(set, off);
		if (rc) {
			*dup = m->entries[i].path;
			goto out_free;
		}
		set->index[i] = off;
		len += entry_size(&m->entries[i]);
	}
	return set;

out_free:
	veriexec_set_free(set);
	return ERR_PTR(rc);
}

/**
 * veriexec_set_add_guards() - Give a set the directories on its paths
 * @set: The set, not yet published.
 * @dirs: Keys of the directories, in any order, with repeats; the set
 *	  takes them over (kvmalloc()ed), even when this fails.
 * @n: Their number.
 *
 * A directory on the path of an entry cannot be renamed, removed or
 * mounted over from level 2: that would change what the path serves.
 *
 * Context: Process context.
 */
void veriexec_set_add_guards(struct veriexec_set *set,
			     struct veriexec_key *dirs, u32 n)
{
	u32 i, kept = 0;

	sort(dirs, n, sizeof(*dirs), veriexec_cmp_key, NULL);
	for (i = 0; i < n; i++)
		if (!kept || veriexec_cmp_key(&dirs[kept - 1], &dirs[i]))
			dirs[kept++] = dirs[i];
	set->dirs = dirs;
	set->nr_dirs = kept;
	set->bytes += kept * sizeof(*dirs);
}

/**
 * veriexec_set_note_disk() - Record the disk below a superblock of a set
 * @set: The set, not yet published.
 * @sb_id: A superblock of its entries; 0 is ignored.
 * @disk: The whole disk below it (new_encode_dev()), or 0.
 *
 * Context: Process context.
 */
void veriexec_set_note_disk(struct veriexec_set *set, u64 sb_id, u32 disk)
{
	struct veriexec_sb_table *t;

	t = sb_id ? veriexec_set_sb(set, sb_id) : NULL;
	if (t)
		t->disk = disk;
}
