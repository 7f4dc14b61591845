/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - From a manifest's paths to inode keys
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_RESOLVE_H
#define _SECURITY_VERIEXEC_RESOLVE_H

#include <linux/types.h>

#include "manifest.h"
#include "set.h"

/**
 * struct veriexec_resolved - Where a manifest's paths led
 * @keys: Per entry, the inode key (sb_id 0: none).
 * @devs: Per entry, the device for listing.
 * @disks: Per entry, the whole disk below its filesystem, or 0.
 * @skipped: Paths that did not exist.
 * @dirs: The directories on the entries' paths, mount points included,
 *	  with repeats.
 * @nr_dirs: Number of @dirs.
 * @room: Room in @dirs.
 * @last_parent: Key of the directory whose ancestors were added last.
 * @paths_ns: The mount namespace the paths resolved in (its inum).
 */
struct veriexec_resolved {
	struct veriexec_key *keys;
	u32 *devs;
	u32 *disks;
	u32 skipped;
	struct veriexec_key *dirs;
	u32 nr_dirs;
	u32 room;
	struct veriexec_key last_parent;
	u32 paths_ns;
};

int veriexec_resolve_paths(struct veriexec_manifest *m,
			   struct veriexec_resolved *r);
void veriexec_resolved_free(struct veriexec_resolved *r);
u32 veriexec_mnt_ns(void);

#endif /* _SECURITY_VERIEXEC_RESOLVE_H */
