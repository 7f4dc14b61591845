// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 *
 * Loaded sets, each built aside from a parsed manifest and published with
 * one list update, so that readers never see half a set and never lock.
 * A set is immutable once published.  Its tables are open-addressed with
 * the keys inline: a lookup in a million entries reads one slot (or a few
 * neighbours in the same cache line) and no entry until it has a match,
 * which keeps it as cheap as in a thousand.  Slots point into one arena by
 * 32-bit offsets, which keeps an entry with a 40-byte path within 160
 * bytes.  No VFS here: the loader resolves paths.
 */

#include <linux/atomic.h>
#include <linux/bsearch.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "level.h"
#include "store.h"

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

/*
 * @store_lock serializes writers of @sets, @versions and @store_gen:
 * loads are rare and may sleep.  Readers of @sets use RCU only.
 */
static DEFINE_MUTEX(store_lock);
static LIST_HEAD(sets);

/* Bumped after each change of @sets: verdicts cached before are stale. */
static u32 store_gen = 1;

/**
 * struct version_rec - Highest @version seen for a set name since boot
 * @node: In @versions, under @store_lock.
 * @version: The highest version loaded.
 * @name: The set name.
 */
struct version_rec {
	struct list_head node;
	u64 version;
	char name[VERIEXEC_SET_NAME_MAX + 1];
};

static LIST_HEAD(versions);

/* Never reused, unlike set addresses: names one build of a set. */
static atomic64_t next_serial = ATOMIC64_INIT(0);

/* A third of the slots stay empty: short probes, and they always end. */
static u32 table_size(u32 entries)
{
	return entries + entries / 2 + 1;
}

/* Map a 32-bit hash onto [0, @size) without a division. */
static u32 first_slot(u32 hash, u32 size)
{
	return ((u64)hash * size) >> 32;
}

static u32 hash_inode(const struct veriexec_key *key)
{
	return hash_64(key->ino ^ (u64)key->gen << 32, 32);
}

/* Digests are uniformly distributed already: their bytes will do. */
static u32 hash_digest(const u8 *digest)
{
	return get_unaligned((const u32 *)digest);
}

static u32 digest_tag(const u8 *digest)
{
	return get_unaligned((const u32 *)(digest + 4));
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

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_sb_table(const void *key, const void *elt)
{
	const struct veriexec_sb_table *t = elt;

	return cmp_u64(key, &t->sb_id);
}

static struct veriexec_sb_table *find_sb_table(const struct veriexec_set *set,
					       u64 sb_id)
{
	return __inline_bsearch(&sb_id, set->sbs, set->nr_sb,
				sizeof(*set->sbs), cmp_sb_table);
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
	sort(ids, runs, sizeof(*ids), cmp_u64, NULL);
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
			find_sb_table(set, keys[i].sb_id)->size++;
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

/* The slot holding @key, or the empty slot where it would go. */
static struct veriexec_inode_slot *
probe_inode(const struct veriexec_set *set, const struct veriexec_sb_table *t,
	    const struct veriexec_key *key)
{
	struct veriexec_inode_slot *slots = set->inode_slots + t->first;
	u32 i = first_slot(hash_inode(key), t->size);

	/* Ends: a table always has an empty slot. */
	for (;; i = i + 1 < t->size ? i + 1 : 0) {
		struct veriexec_inode_slot *s = &slots[i];

		if (!s->off || (s->ino == key->ino && s->gen == key->gen))
			return s;
	}
}

static struct veriexec_entry *find_in_set(const struct veriexec_set *set,
					  const struct veriexec_key *key)
{
	const struct veriexec_sb_table *t = find_sb_table(set, key->sb_id);
	const struct veriexec_inode_slot *s;

	if (!t)
		return NULL;
	s = probe_inode(set, t, key);
	return s->off ? veriexec_set_entry(set, s->off) : NULL;
}

/*
 * The slot of the first entry with (@algo, @digest), or the empty slot
 * where it would go.
 */
static struct veriexec_digest_slot *
probe_digest(const struct veriexec_set *set, u8 algo, const u8 *digest)
{
	u32 size = set->nr_digest_slots, tag = digest_tag(digest);
	u32 i = first_slot(hash_digest(digest), size);
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

	if (e->key.sb_id) {
		s = probe_inode(set, find_sb_table(set, e->key.sb_id), &e->key);
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
	d = probe_digest(set, e->algo, e->data);
	if (!d->off) {
		d->tag = digest_tag(e->data);
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
		if (keys[i].sb_id)
			find_sb_table(set, keys[i].sb_id)->dev = devs[i];
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

static int cmp_key(const void *a, const void *b)
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

	sort(dirs, n, sizeof(*dirs), cmp_key, NULL);
	for (i = 0; i < n; i++)
		if (!kept || cmp_key(&dirs[kept - 1], &dirs[i]))
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
	struct veriexec_sb_table *t = sb_id ? find_sb_table(set, sb_id) : NULL;

	if (t)
		t->disk = disk;
}

static struct veriexec_set *find_set(const char *name)
{
	struct veriexec_set *set;

	list_for_each_entry(set, &sets, node)
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

static struct version_rec *find_version(const char *name)
{
	struct version_rec *v;

	list_for_each_entry(v, &versions, node)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

/* Anti-rollback, and a record for a name seen for the first time. */
static int check_version(const char *name, u64 version,
			 struct version_rec **fresh)
{
	struct version_rec *v = find_version(name);

	lockdep_assert_held(&store_lock);
	if (v)
		return version < v->version ? -ESTALE : 0;
	*fresh = kzalloc(sizeof(**fresh), GFP_KERNEL);
	if (!*fresh)
		return -ENOMEM;
	strscpy((*fresh)->name, name);
	return 0;
}

/* A file another set lists is refused: only one entry per inode. */
static int check_other_sets(const struct veriexec_set *new, const char **dup)
{
	struct veriexec_set *set;
	u32 i;

	lockdep_assert_held(&store_lock);
	list_for_each_entry(set, &sets, node) {
		if (!strcmp(set->name, new->name))
			continue;
		for (i = 0; i < new->count; i++) {
			const struct veriexec_entry *e = veriexec_set_nth(new, i);

			if (e->key.sb_id && find_in_set(set, &e->key)) {
				*dup = veriexec_entry_path(e);
				return -EEXIST;
			}
		}
	}
	return 0;
}

static void publish(struct veriexec_set *old, struct veriexec_set *new)
{
	lockdep_assert_held(&store_lock);
	if (old && new)
		list_replace_rcu(&old->node, &new->node);
	else if (old)
		list_del_rcu(&old->node);
	else if (new)
		list_add_tail_rcu(&new->node, &sets);
	/*
	 * Verdict caches compare against the generation: order it after the
	 * list update; pairs with the smp_rmb() in veriexec_store_gen().
	 */
	smp_wmb();
	WRITE_ONCE(store_gen, store_gen + 1 ? store_gen + 1 : 1);
}

/* Swap in @set (NULL: none) for @name, once the version allows it. */
static int replace(const char *name, u64 version, struct veriexec_set *set,
		   const char **dup)
{
	struct version_rec *fresh = NULL, *v;
	struct veriexec_set *old;
	int rc;

	mutex_lock(&store_lock);
	/* A load that raced with the lock must not finish after it. */
	rc = veriexec_locked() ? -EPERM : check_version(name, version, &fresh);
	if (!rc && set)
		rc = check_other_sets(set, dup);
	if (rc)
		goto out_unlock;
	if (fresh)
		list_add(&fresh->node, &versions);
	v = fresh ? fresh : find_version(name);
	v->version = version;
	fresh = NULL;
	old = find_set(name);
	publish(old, set);
	mutex_unlock(&store_lock);
	/* The loader need not wait out the readers of a set it dropped. */
	if (old)
		queue_rcu_work(system_unbound_wq, &old->free_work);
	return 0;

out_unlock:
	mutex_unlock(&store_lock);
	kfree(fresh);
	return rc;
}

/**
 * veriexec_store_replace() - Load a set, replacing the one of its name
 * @set: The new set, from veriexec_set_build().
 * @dup: Set to a path that another set already lists, on -EEXIST.
 *
 * On success the store owns @set; on failure the caller still does.
 * Either way the sets of other names are untouched.
 *
 * Context: Process context; may sleep.  The set replaced is freed after a
 * grace period.
 * Return:
 * * 0		- Done.
 * * %-ESTALE	- @set's version is below the highest loaded for its name.
 * * %-EEXIST	- A file of @set is listed by another set.
 * * %-ENOMEM	- Out of memory; nothing changed.
 */
int veriexec_store_replace(struct veriexec_set *set, const char **dup)
{
	return replace(set->name, set->version, set, dup);
}

/**
 * veriexec_store_unload() - Unload the set of a name
 * @name: The set name; none loaded is no error.
 * @version: The version of the empty manifest that unloads it.
 *
 * Context: Process context; may sleep.  The set is freed after a grace
 * period.
 * Return:
 * * 0		- Done.
 * * %-ESTALE	- @version is below the highest loaded for @name.
 * * %-ENOMEM	- Out of memory; nothing changed.
 */
int veriexec_store_unload(const char *name, u64 version)
{
	return replace(name, version, NULL, NULL);
}

/**
 * veriexec_store_gen() - Generation of the store's contents
 *
 * Context: Any context.
 * Return: A number that changes whenever a set is loaded or unloaded.
 */
u32 veriexec_store_gen(void)
{
	u32 gen = READ_ONCE(store_gen);

	/* Pairs with publish(): the list read after is at least as new. */
	smp_rmb();
	return gen;
}

/**
 * veriexec_store_find_inode() - Find the entry of an inode
 * @key: The inode's key.
 *
 * Context: Under rcu_read_lock(); the entry is valid until it is dropped.
 * Return: The entry, or NULL.
 */
const struct veriexec_entry *
veriexec_store_find_inode(const struct veriexec_key *key)
{
	struct veriexec_set *set;
	struct veriexec_entry *e;

	list_for_each_entry_rcu(set, &sets, node) {
		e = find_in_set(set, key);
		if (e)
			return e;
	}
	return NULL;
}

/**
 * veriexec_store_find_digest() - Find an entry by fingerprint
 * @algo: The algorithm.
 * @digest: The fingerprint.
 *
 * Context: Under rcu_read_lock(); the entry is valid until it is dropped.
 * Return: The first entry with that algorithm and fingerprint in the
 * first set that has one, or NULL.
 */
const struct veriexec_entry *veriexec_store_find_digest(u8 algo,
							const u8 *digest)
{
	const struct veriexec_digest_slot *s;
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &sets, node) {
		s = probe_digest(set, algo, digest);
		if (s->off)
			return veriexec_set_entry(set, s->off);
	}
	return NULL;
}

/**
 * veriexec_store_has_sb() - Whether a superblock holds listed files
 * @sb_id: The superblock's id.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded entry is on that superblock.
 */
bool veriexec_store_has_sb(u64 sb_id)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &sets, node)
		if (find_sb_table(set, sb_id))
			return true;
	return false;
}

/**
 * veriexec_store_has_dev() - Whether monitored files live on a device
 * @dev: The device, new_encode_dev()d.
 *
 * A handful of superblocks per set: a walk of their tables is cheap.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded entry is on a filesystem of @dev, or of a
 * partition of @dev.
 */
bool veriexec_store_has_dev(u32 dev)
{
	struct veriexec_set *set;
	u32 i;

	list_for_each_entry_rcu(set, &sets, node)
		for (i = 0; i < set->nr_sb; i++)
			if (set->sbs[i].dev == dev || set->sbs[i].disk == dev)
				return true;
	return false;
}

/**
 * veriexec_store_guards() - Whether a directory is on a monitored path
 * @key: The directory's key.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded set guards it.
 */
bool veriexec_store_guards(const struct veriexec_key *key)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &sets, node)
		if (__inline_bsearch(key, set->dirs, set->nr_dirs,
				     sizeof(*key), cmp_key))
			return true;
	return false;
}

/**
 * veriexec_store_seal() - Refuse every later load, and those under way
 *
 * Taken under the store's lock, so a load either replaced its set before
 * or fails with -EPERM.
 *
 * Context: Process context; may sleep.
 */
void veriexec_store_seal(void)
{
	guard(mutex)(&store_lock);
	veriexec_lock();
}

/**
 * veriexec_store_find_set() - The loaded set of a name
 * @name: The set name.
 *
 * Context: Under rcu_read_lock(); the set is valid until it is dropped.
 * Return: The set, or NULL.
 */
struct veriexec_set *veriexec_store_find_set(const char *name)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &sets, node)
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

/**
 * veriexec_store_sets() - The list of loaded sets, for listing
 *
 * Context: Walk it under rcu_read_lock() with list_for_each_entry_rcu().
 * Return: The list head.
 */
struct list_head *veriexec_store_sets(void)
{
	return &sets;
}
