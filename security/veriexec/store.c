// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 *
 * The loaded sets, each published with one list update, so that readers
 * never see half a set and never lock; replacement by name, the version
 * records against rollback, and lookups across every set.
 */

#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "level.h"
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

			if (e->key.sb_id && veriexec_set_find_inode(set, &e->key)) {
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
		e = veriexec_set_find_inode(set, key);
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
	struct veriexec_set *set;
	struct veriexec_entry *e;

	list_for_each_entry_rcu(set, &sets, node) {
		e = veriexec_set_find_digest(set, algo, digest);
		if (e)
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

	list_for_each_entry_rcu(set, &sets, node)
		if (veriexec_set_sb(set, sb_id))
			return true;
	return false;
}

/**
 * veriexec_store_has_dev() - Whether monitored files live on a device
 * @dev: The device, new_encode_dev()d.
 *
 * Context: Under rcu_read_lock().
 * Return: True when a loaded entry is on a filesystem of @dev, or of a
 * partition of @dev.
 */
bool veriexec_store_has_dev(u32 dev)
{
	struct veriexec_set *set;

	list_for_each_entry_rcu(set, &sets, node)
		if (veriexec_set_on_dev(set, dev))
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
		if (veriexec_set_guards(set, key))
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
	veriexec_seal_loads();
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
