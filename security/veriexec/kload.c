// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Kernel code and data read from files
 *
 * Copyright © 2026 The veriexec authors
 *
 * Kernel modules, firmware, kexec kernels and initramfs images, and every
 * other file the kernel reads whole, are judged as files executed: any
 * option of an entry qualifies.  Loads with no file behind them cannot be
 * fingerprinted and are refused from level 2 as "no entry".
 */

#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/lsm_hooks.h>
#include <linux/security.h>

#include "cache.h"
#include "eval.h"
#include "hooks.h"
#include "kload.h"
#include "level.h"
#include "setup.h"
#include "task.h"
#include "verify.h"

/*
 * kexec_file_load(2) takes a command line no entry vouches for: a listed
 * kernel booted with "veriexec.level=0" or "lsm=" without veriexec ends
 * every level.  Like kexec_load(2) and the kernel's integrity lockdown,
 * from level 2 it is for trusted programs only.
 */
static bool kexec_by_untrusted(enum kernel_read_file_id id, unsigned int level)
{
	return (id == READING_KEXEC_IMAGE || id == READING_KEXEC_INITRAMFS) &&
	       veriexec_integrity_lockdown(level) && !veriexec_trusted();
}

/*
 * kernel_read_file() denies writers before it asks, so the bytes hashed
 * here are the bytes it then reads: its post-read hook adds nothing.
 */
static int hook_kernel_read_file(struct file *file,
				 enum kernel_read_file_id id, bool contents)
{
	unsigned int level = veriexec_level();
	struct veriexec_target t = {
		.op = VERIEXEC_OP_KERNEL_READ,
		.path = &file->f_path,
		.dentry = file->f_path.dentry,
		.detail = kernel_read_file_id_str(id),
	};
	struct veriexec_verdict v;

	if (kexec_by_untrusted(id, level))
		return veriexec_refuse(VERIEXEC_REASON_NOT_TRUSTED, level, &t);
	if (!veriexec_checks_needed(veriexec_active(), level))
		return 0;
	return veriexec_check_file(file, VERIEXEC_USE_KERNEL, &t, level, &v);
}

static int hook_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	struct veriexec_target t = {
		.op = VERIEXEC_OP_KERNEL_LOAD,
		.detail = kernel_load_data_id_str(id),
	};

	return veriexec_refuse(VERIEXEC_REASON_NO_ENTRY, veriexec_level(), &t);
}

static struct security_hook_list kload_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(kernel_read_file, hook_kernel_read_file),
	LSM_HOOK_INIT(kernel_load_data, hook_kernel_load_data),
};

/**
 * veriexec_add_kload_hooks() - Register the kernel read and load hooks
 */
void __init veriexec_add_kload_hooks(void)
{
	security_add_hooks(kload_hooks, ARRAY_SIZE(kload_hooks),
			   &veriexec_lsmid);
}
