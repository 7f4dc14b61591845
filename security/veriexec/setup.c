// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Registration
 *
 * Copyright © 2026 The veriexec authors
 */

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "cache.h"
#include "common.h"
#include "fs.h"
#include "hooks.h"
#include "kload.h"
#include "loopmark.h"
#include "setup.h"
#include "task.h"

/* Set once every hook is registered; securityfs is created only then. */
bool veriexec_initialized __ro_after_init;

const struct lsm_id veriexec_lsmid = {
	.name = VERIEXEC_NAME,
	.id = LSM_ID_VERIEXEC,
};

/* Not const: security_init() turns each size into the blob's offset. */
struct lsm_blob_sizes veriexec_blob_sizes __ro_after_init = {
	.lbs_cred = sizeof(struct veriexec_cred_sec),
	.lbs_inode = sizeof(struct veriexec_inode_sec),
	.lbs_superblock = sizeof(struct veriexec_sb_sec),
};

static int __init veriexec_init(void)
{
	veriexec_add_cache_hooks();
	veriexec_add_task_hooks();
	veriexec_add_hooks();
	veriexec_add_fs_hooks();
	veriexec_add_loopmark_hooks();
	veriexec_add_kload_hooks();
	veriexec_initialized = true;
	pr_info("Up and running.\n");
	return 0;
}

DEFINE_LSM(veriexec) = {
	.name = VERIEXEC_NAME,
	.init = veriexec_init,
	.blobs = &veriexec_blob_sizes,
};
