/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Fingerprint store
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_STORE_H
#define _SECURITY_VERIEXEC_STORE_H

#include <linux/list.h>
#include <linux/types.h>

#include "set.h"

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
