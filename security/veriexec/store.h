/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_STORE_H
#define _SECURITY_VERIEXEC_STORE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "set.h"

/**
 * struct veriexec_store - The loaded sets, and what loading remembers
 *
 * The hooks consult one instance, veriexec_live_store(); KUnit tests make
 * their own with veriexec_store_create(), so they never touch it.
 */
struct veriexec_store {
	/**
	 * @lock: Serializes the writers of @sets, @versions, @gen and
	 * @sealed.  A mutex: loads are rare and may sleep.  Readers of @sets
	 * use RCU only; @gen and @sealed are read without it.
	 */
	struct mutex lock;
	/**
	 * @sets: The published sets (&struct veriexec_set), each name once.
	 * Changed under @lock with the _rcu list helpers; walked under
	 * rcu_read_lock().
	 */
	struct list_head sets;
	/**
	 * @versions: The highest version loaded for each set name since the
	 * store was made, against rollback; under @lock.
	 */
	struct list_head versions;
	/**
	 * @gen: Bumped under @lock after each change of @sets, never 0, so
	 * that verdicts cached before are known stale.  Read through
	 * veriexec_store_gen().
	 */
	u32 gen;
	/**
	 * @sealed: Set under @lock, never cleared: every later load fails.
	 * Read through veriexec_store_sealed().
	 */
	bool sealed;
	/**
	 * @opens_checked: Published sets with `file` entries, which read
	 * opens must look up below level 3; under @lock, read with
	 * READ_ONCE() by veriexec_store_checks_opens().
	 */
	unsigned int opens_checked;
};

/* Defined for veriexec_live_store() to inline; use that. */
extern struct veriexec_store veriexec_live;

/**
 * veriexec_live_store() - The store the hooks consult
 *
 * Return: The store of the running system.
 */
static inline struct veriexec_store *veriexec_live_store(void)
{
	return &veriexec_live;
}

/**
 * veriexec_store_empty() - Whether no set is loaded in a store
 * @store: The store.
 *
 * Context: Any context.
 * Return: True when @store has no set.
 */
static inline bool veriexec_store_empty(const struct veriexec_store *store)
{
	return list_empty(&store->sets);
}

/**
 * veriexec_store_sealed() - Whether a store refuses every load
 * @store: The store.
 *
 * Context: Any context.
 * Return: True once veriexec_store_seal() ran on @store (for the live
 * store, or veriexec.lock=1 was given at boot).
 */
static inline bool veriexec_store_sealed(const struct veriexec_store *store)
{
	return READ_ONCE(store->sealed);
}

/**
 * veriexec_store_gen() - Generation of a store's contents
 * @store: The store.
 *
 * Context: Any context.
 * Return: A number that changes whenever a set is loaded or unloaded.
 */
static inline u32 veriexec_store_gen(const struct veriexec_store *store)
{
	u32 gen = READ_ONCE(store->gen);

	/* Pairs with publish(): the list read after is at least as new. */
	smp_rmb();
	return gen;
}

/**
 * veriexec_store_checks_opens() - Whether any set has a `file` entry
 * @store: The store.
 *
 * Below level 3 only `file` entries are checked on open: with none, a
 * read open needs no lookup at all.
 *
 * Context: Any context.
 * Return: True when a published set of @store has a `file` entry.
 */
static inline bool
veriexec_store_checks_opens(const struct veriexec_store *store)
{
	return READ_ONCE(store->opens_checked);
}

struct veriexec_store *veriexec_store_create(void);
void veriexec_store_free(struct veriexec_store *store);
int veriexec_store_replace(struct veriexec_store *store,
			   struct veriexec_set *set, const char **dup);
int veriexec_store_unload(struct veriexec_store *store, const char *name,
			  u64 version);
void veriexec_store_seal(struct veriexec_store *store);
const struct veriexec_entry *
veriexec_store_find_inode(const struct veriexec_store *store,
			  const struct veriexec_key *key);
const struct veriexec_entry *
veriexec_store_find_digest(const struct veriexec_store *store, u8 algo,
			   const u8 *digest);
bool veriexec_store_has_sb(const struct veriexec_store *store, u64 sb_id);
bool veriexec_store_has_dev(const struct veriexec_store *store, u32 dev);
bool veriexec_store_paths_ns(const struct veriexec_store *store, u32 ns);
bool veriexec_store_guards(const struct veriexec_store *store,
			   const struct veriexec_key *key);
struct veriexec_set *veriexec_store_find_set(const struct veriexec_store *store,
					     const char *name);
struct veriexec_set *veriexec_store_first_set(struct veriexec_store *store);
struct veriexec_set *veriexec_store_next_set(struct veriexec_store *store,
					     struct veriexec_set *set);

#endif /* _SECURITY_VERIEXEC_STORE_H */
