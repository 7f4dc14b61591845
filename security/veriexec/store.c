// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 *
 * Loaded sets, each built aside from a parsed manifest and published with
 * one list update, so that readers never see half a set and never lock.
 * A set is immutable once published: its two hash tables are singly linked
 * chains over one arena, sized to the set, which keeps an entry with a
 * 40-byte path within 160 bytes.  No VFS here: the loader resolves paths.
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "store.h"

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

static u32 hash_key(const struct veriexec_key *key, u32 bits)
{
	return hash_64(key->sb_id * GOLDEN_RATIO_64 ^ key->ino ^
		       (u64)key->gen << 32, bits);
}

/* Digests are uniformly distributed already: their first bytes will do. */
static u32 hash_digest(const u8 *digest, u32 bits)
{
	return hash_64(get_unaligned((const u64 *)digest), bits);
}

static bool same_key(const struct veriexec_key *a, const struct veriexec_key *b)
{
	return a->sb_id == b->sb_id && a->ino == b->ino && a->gen == b->gen;
}

static size_t entry_size(const struct veriexec_manifest_entry *me)
{
	size_t len = sizeof(struct veriexec_entry) +
		     veriexec_algo_size(me->algo);

	if (me->path)
		len += strlen(me->path) + 1;
	return ALIGN(len, sizeof(void *));
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
	kvfree(set->ino_table);
	kvfree(set->dig_table);
	kfree(set->sb_ids);
	kfree(set);
}

static int alloc_tables(struct veriexec_set *set, size_t arena_len)
{
	size_t buckets = 1UL << set->bits;

	set->arena = kvzalloc(arena_len, GFP_KERNEL);
	set->index = kvcalloc(set->count, sizeof(*set->index), GFP_KERNEL);
	set->ino_table = kvcalloc(buckets, sizeof(*set->ino_table), GFP_KERNEL);
	set->dig_table = kvcalloc(buckets, sizeof(*set->dig_table), GFP_KERNEL);
	if (!set->arena || !set->index || !set->ino_table || !set->dig_table)
		return -ENOMEM;
	set->bytes = alloc_size(set, sizeof(*set)) +
		     alloc_size(set->arena, arena_len) +
		     alloc_size(set->index, set->count * sizeof(*set->index)) +
		     2 * alloc_size(set->ino_table,
				    buckets * sizeof(*set->ino_table));
	return 0;
}

static struct veriexec_entry *find_in_set(const struct veriexec_set *set,
					  const struct veriexec_key *key)
{
	struct veriexec_entry *e;

	e = READ_ONCE(set->ino_table[hash_key(key, set->bits)]);
	for (; e; e = READ_ONCE(e->ino_next))
		if (same_key(&e->key, key))
			return e;
	return NULL;
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
		e->path_len = strlen(me->path);
		memcpy(e->data + size, me->path, e->path_len + 1);
	}
}

/* Insert the entry; fails when another entry has the same inode. */
static int link_entry(struct veriexec_set *set, struct veriexec_entry *e)
{
	u32 h;

	if (e->key.sb_id) {
		if (find_in_set(set, &e->key))
			return -EEXIST;
		h = hash_key(&e->key, set->bits);
		e->ino_next = set->ino_table[h];
		set->ino_table[h] = e;
	}
	h = hash_digest(e->data, set->bits);
	e->dig_next = set->dig_table[h];
	set->dig_table[h] = e;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The distinct superblocks of the set, for veriexec_store_has_sb(). */
static int collect_sbs(struct veriexec_set *set, const struct veriexec_key *keys,
		       size_t n)
{
	size_t i, nr = 0;
	u64 *ids;

	ids = kvmalloc_array(n ? n : 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (keys[i].sb_id)
			ids[nr++] = keys[i].sb_id;
	sort(ids, nr, sizeof(*ids), cmp_u64, NULL);
	for (i = 0, n = 0; i < nr; i++)
		if (!n || ids[n - 1] != ids[i])
			ids[n++] = ids[i];
	set->sb_ids = kmemdup(ids, (n ? n : 1) * sizeof(*ids), GFP_KERNEL);
	set->nr_sb = n;
	kvfree(ids);
	return set->sb_ids ? 0 : -ENOMEM;
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
	struct veriexec_set *set;
	size_t i, len = 0;
	u8 *pos;
	int rc;

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	strscpy(set->name, m->name);
	set->version = m->version;
	set->count = m->count;
	set->skipped = skipped;
	/* hash_64() takes 1 to 64 bits: two buckets at the least. */
	set->bits = m->count > 2 ? ilog2(roundup_pow_of_two(m->count)) : 1;
	for (i = 0; i < m->count; i++)
		len += entry_size(&m->entries[i]);
	rc = alloc_tables(set, len ? len : 1);
	if (!rc)
		rc = collect_sbs(set, keys, m->count);
	if (rc)
		goto out_free;
	pos = set->arena;
	for (i = 0; i < m->count; i++) {
		struct veriexec_entry *e = (struct veriexec_entry *)pos;

		fill_entry(e, &m->entries[i], &keys[i], devs[i]);
		rc = link_entry(set, e);
		if (rc) {
			*dup = m->entries[i].path;
			goto out_free;
		}
		set->index[i] = e;
		pos += entry_size(&m->entries[i]);
	}
	return set;

out_free:
	veriexec_set_free(set);
	return ERR_PTR(rc);
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
			const struct veriexec_entry *e = new->index[i];

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

/**
 * veriexec_store_replace() - Replace the set of a name, or unload it
 * @set: The new set from veriexec_set_build(), or NULL to unload @name.
 * @name: The set name.
 * @version: The manifest's version.
 * @dup: Set to a path that another set already lists, on -EEXIST.
 *
 * On success the store owns @set; on failure the caller still does.
 * Either way the sets of other names are untouched.
 *
 * Context: Process context; sleeps for a grace period.
 * Return:
 * * 0		- Done.
 * * %-ESTALE	- @version is below the highest loaded for @name.
 * * %-EEXIST	- A file of @set is listed by another set.
 * * %-ENOMEM	- Out of memory; nothing changed.
 */
int veriexec_store_replace(struct veriexec_set *set, const char *name,
			   u64 version, const char **dup)
{
	struct version_rec *fresh = NULL, *v;
	struct veriexec_set *old;
	int rc;

	mutex_lock(&store_lock);
	rc = check_version(name, version, &fresh);
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
	synchronize_rcu();
	veriexec_set_free(old);
	return 0;

out_unlock:
	mutex_unlock(&store_lock);
	kfree(fresh);
	return rc;
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
 * Return: An entry with that algorithm and fingerprint, or NULL.
 */
const struct veriexec_entry *veriexec_store_find_digest(u8 algo,
							const u8 *digest)
{
	unsigned int size = veriexec_algo_size(algo);
	struct veriexec_set *set;
	struct veriexec_entry *e;

	list_for_each_entry_rcu(set, &sets, node) {
		e = READ_ONCE(set->dig_table[hash_digest(digest, set->bits)]);
		for (; e; e = READ_ONCE(e->dig_next))
			if (e->algo == algo && !memcmp(e->data, digest, size))
				return e;
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
	u32 i;

	list_for_each_entry_rcu(set, &sets, node)
		for (i = 0; i < set->nr_sb; i++)
			if (set->sb_ids[i] == sb_id)
				return true;
	return false;
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
