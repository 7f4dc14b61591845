// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 *
 * The loaded sets, each published with one list update, so that readers
 * never see half a set and never lock; replacement by name, the version
 * records against rollback, the seal, and lookups across every set.
 */

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "store.h"

struct veriexec_store veriexec_live = {
	.lock = __MUTEX_INITIALIZER(veriexec_live.lock),
	.sets = LIST_HEAD_INIT(veriexec_live.sets),
	.versions = LIST_HEAD_INIT(veriexec_live.versions),
	.gen = 1,
};

/* Parsed before the LSM starts: a sealed store from the first load on. */
module_param_named(lock, veriexec_live.sealed, bool, 0);
MODULE_PARM_DESC(lock, "Refuse manifest loads from boot on");

/**
 * struct version_rec - Highest @version seen for a set name
 * @node: In the store's @versions, under its @lock.
 * @version: The highest version loaded.
 * @name: The set name.
 */
struct version_rec {
	struct list_head node;
	u64 version;
	char name[VERIEXEC_SET_NAME_MAX + 1];
};

/**
 * veriexec_store_create() - Make an empty store
 *
 * For KUnit: the hooks use veriexec_live_store() only.
 *
 * Context: Process context; may sleep.
 * Return: The store, or ERR_PTR(-ENOMEM).
 */
struct veriexec_store *veriexec_store_create(void)
{
	struct veriexec_store *store = kzalloc(sizeof(*store), GFP_KERNEL);

	if (!store)
		return ERR_PTR(-ENOMEM);
	mutex_init(&store->lock);
	INIT_LIST_HEAD(&store->sets);
	INIT_LIST_HEAD(&store->versions);
	store->gen = 1;
	return store;
}

/**
 * veriexec_store_free() - Free a store made by veriexec_store_create()
 * @store: The store; NULL and error pointers are ignored.
 *
 * Its sets are freed at once: nobody may still read @store.  Sets it
 * replaced earlier are freed by their own work, as ever.
 *
 * Context: Process context.
 */
void veriexec_store_free(struct veriexec_store *store)
{
	struct veriexec_set *set, *next_set;
	struct version_rec *v, *next_v;

	if (IS_ERR_OR_NULL(store) || WARN_ON_ONCE(store == &veriexec_live))
		return;
	list_for_each_entry_safe(set, next_set, &store->sets, node)
		veriexec_set_free(set);
	list_for_each_entry_safe(v, next_v, &store->versions, node)
		kfree(v);
	mutex_destroy(&store->lock);
	kfree(store);
}

static struct veriexec_set *find_set(struct veriexec_store *store,
				     const char *name)
{
	struct veriexec_set *set;

	lockdep_assert_held(&store->lock);
	list_for_each_entry(set, &store->sets, node)
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

static struct version_rec *find_version(struct veriexec_store *store,
					const char *name)
{
	struct version_rec *v;

	lockdep_assert_held(&store->lock);
	list_for_each_entry(v, &store->versions, node)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

/* Anti-rollback, and a record for a name seen for the first time. */
static int check_version(struct veriexec_store *store, const char *name,
			 u64 version, struct version_rec **fresh)
{
	struct version_rec *v = find_version(store, name);

	if (v)
		return version < v->version ? -ESTALE : 0;
	*fresh = kzalloc(sizeof(**fresh), GFP_KERNEL);
	if (!*fresh)
		return -ENOMEM;
	strscpy((*fresh)->name, name);
	return 0;
}

/* Whether @set lists an inode of @new; @dup names its path. */
static bool overlaps(const struct veriexec_set *set,
		     const struct veriexec_set *new, const char **dup)
{
	const struct veriexec_entry *e;
	u32 i;

	for (i = 0; i < new->count; i++) {
		e = veriexec_set_nth(new, i);
		if (e->key.sb_id && veriexec_set_find_inode(set, &e->key)) {
			*dup = veriexec_entry_path(e);
			return true;
		}
	}
	return false;
}

/* A file another set lists is refused: only one entry per inode. */
static int check_other_sets(struct veriexec_store *store,
			    const struct veriexec_set *new, const char **dup)
{
	struct veriexec_set *set;

	lockdep_assert_held(&store->lock);
	list_for_each_entry(set, &store->sets, node)
		if (strcmp(set->name, new->name) && overlaps(set, new, dup))
			return -EEXIST;
	return 0;
}

static void publish(struct veriexec_store *store, struct veriexec_set *old,
		    struct veriexec_set *new)
{
	lockdep_assert_held(&store->lock);
	if (old && new)
		list_replace_rcu(&old->node, &new->node);
	else if (old)
		list_del_rcu(&old->node);
	else if (new)
		list_add_tail_rcu(&new->node, &store->sets);
	WRITE_ONCE(store->opens_checked, store->opens_checked -
		   (old && old->checks_opens) + (new && new->checks_opens));
	/*
	 * Verdict caches compare against the generation: order it after the
	 * list update; pairs with the smp_rmb() in veriexec_store_gen().
	 */
	smp_wmb();
	WRITE_ONCE(store->gen, store->gen + 1 ? store->gen + 1 : 1);
}

/* Swap in @set (NULL: none) for @name, once the version allows it. */
static int replace(struct veriexec_store *store, const char *name,
		   u64 version, struct veriexec_set *set, const char **dup)
{
	struct version_rec *fresh = NULL, *v;
	struct veriexec_set *old;
	int rc;

	mutex_lock(&store->lock);
	/* A load that raced with the seal must not finish after it. */
	rc = store->sealed ? -EPERM :
			     check_version(store, name, version, &fresh);
	if (!rc && set)
		rc = check_other_sets(store, set, dup);
	if (rc)
		goto out_unlock;
	if (fresh)
		list_add(&fresh->node, &store->versions);
	v = fresh ? fresh : find_version(store, name);
	v->version = version;
	fresh = NULL;
	old = find_set(store, name);
	publish(store, old, set);
	mutex_unlock(&store->lock);
	/* The loader need not wait out the readers of a set it dropped. */
	if (old)
		queue_rcu_work(system_unbound_wq, &old->free_work);
	return 0;

out_unlock:
	mutex_unlock(&store->lock);
	kfree(fresh);
	return rc;
}

/**
 * veriexec_store_replace() - Load a set, replacing the one of its name
 * @store: The store.
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
 * * %-EPERM	- @store is sealed.
 * * %-ESTALE	- @set's version is below the highest loaded for its name.
 * * %-EEXIST	- A file of @set is listed by another set.
 * * %-ENOMEM	- Out of memory; nothing changed.
 */
int veriexec_store_replace(struct veriexec_store *store,
			   struct veriexec_set *set, const char **dup)
{
	return replace(store, set->name, set->version, set, dup);
}

/**
 * veriexec_store_unload() - Unload the set of a name
 * @store: The store.
 * @name: The set name; none loaded is no error.
 * @version: The version of the empty manifest that unloads it.
 *
 * Context: Process context; may sleep.  The set is freed after a grace
 * period.
 * Return:
 * * 0		- Done.
 * * %-EPERM	- @store is sealed.
 * * %-ESTALE	- @version is below the highest loaded for @name.
 * * %-ENOMEM	- Out of memory; nothing changed.
 */
int veriexec_store_unload(struct veriexec_store *store, const char *name,
			  u64 version)
{
	return replace(store, name, version, NULL, NULL);
}

/**
 * veriexec_store_seal() - Refuse every later load, and those under way
 * @store: The store.
 *
 * Taken under the store's lock, so a load either replaced its set before
 * or fails with -EPERM.
 *
 * Context: Process context; may sleep.
 */
void veriexec_store_seal(struct veriexec_store *store)
{
	guard(mutex)(&store->lock);
	WRITE_ONCE(store->sealed, true);
}

/**
 * veriexec_store_find_inode() - Find the entry of an inode
 * @store: The store.
 * @key: The inode's key.
 *
 * Context: Under rcu_read_lock(); the entry is valid until it is dropped.
 * Return: The entry, or NULL.
 */
const struct veriexec_entry *
veriexec_store_find_inode(const struct veriexec_store *store,
			  const struct veriexec_key *key)
{
	struct veriexec_set *set;
	struct veriexec_entry *e;

	list_for_each_entry_rcu(set, &store->sets, node) {
		e = veriexec_set_find_inode(set, key);
		if (e)
			return e;
	}
	return NULL;
}

/**
 * veriexec_store_find_digest() - Find an entry by fingerprint
 * @store: The store.
 * @algo: The algorithm.
 * @digest: The fingerprint.
 *
 * Context: Under rcu_read_lock(); the entry is valid until it is dropped.
 * Return: The first entry with that algorithm and fingerprint in the
 * first set that has one, or NULL.
 */
const struct veriexec_entry *
veriexec_store_find_digest(const struct veriexec_store *store, u8 algo,
			   const u8 *digest)
{
	struct veriexec_set *set;
	struct veriexec_entry *e;

	list_for_each_entry_rcu(set, &store->sets, node) {
		e = veriexec_set_find_digest(set, algo, digest);
		if (e)
			return e;
	}
	return NULL;
}

/**
 * veriexec_store_has_sb() - Whether a superblock holds listed files
 * @store: The store.
 * @sb_id: The superblock's id.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded entry is on that superblock.
 */
bool veriexec_store_has_sb(const struct veriexec_store *store, u64 sb_id)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &store->sets, node)
		if (veriexec_set_sb(set, sb_id))
			return true;
	return false;
}

/**
 * veriexec_store_has_dev() - Whether monitored files live on a device
 * @store: The store.
 * @dev: The device, new_encode_dev()d.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded entry is on a filesystem of @dev, or of a
 * partition of @dev.
 */
bool veriexec_store_has_dev(const struct veriexec_store *store, u32 dev)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &store->sets, node)
		if (veriexec_set_on_dev(set, dev))
			return true;
	return false;
}

/**
 * veriexec_store_guards() - Whether a directory is on a monitored path
 * @store: The store.
 * @key: The directory's key.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded set guards it.
 */
bool veriexec_store_guards(const struct veriexec_store *store,
			   const struct veriexec_key *key)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &store->sets, node)
		if (veriexec_set_guards(set, key))
			return true;
	return false;
}

/**
 * veriexec_store_paths_ns() - Whether loaded paths resolved in a namespace
 * @store: The store.
 * @ns: The mount namespace's inode number; 0 (unknown) matches.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded set's paths resolved in @ns.
 */
bool veriexec_store_paths_ns(const struct veriexec_store *store, u32 ns)
{
	struct veriexec_set *set;

	if (!ns)
		return true;
	list_for_each_entry_rcu(set, &store->sets, node)
		if (set->paths_ns == ns)
			return true;
	return false;
}

/**
 * veriexec_store_find_set() - The loaded set of a name
 * @store: The store.
 * @name: The set name.
 *
 * Context: Under rcu_read_lock(); the set is valid until it is dropped.
 * Return: The set, or NULL.
 */
struct veriexec_set *veriexec_store_find_set(const struct veriexec_store *store,
					     const char *name)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &store->sets, node)
		if (!strcmp(set->name, name))
			return set;
	return NULL;
}

/**
 * veriexec_store_first_set() - The first loaded set, for listing
 * @store: The store.
 *
 * Context: Under rcu_read_lock(); the set is valid until it is dropped.
 * Return: The set, or NULL when none is loaded.
 */
struct veriexec_set *veriexec_store_first_set(struct veriexec_store *store)
{
	return list_first_or_null_rcu(&store->sets, struct veriexec_set, node);
}

/**
 * veriexec_store_next_set() - The loaded set after another, for listing
 * @store: The store.
 * @set: A set of @store, found under the same rcu_read_lock().
 *
 * Context: Under rcu_read_lock(); the set is valid until it is dropped.
 * Return: The next set, or NULL after the last.
 */
struct veriexec_set *veriexec_store_next_set(struct veriexec_store *store,
					     struct veriexec_set *set)
{
	return list_next_or_null_rcu(&store->sets, &set->node,
				     struct veriexec_set, node);
}
