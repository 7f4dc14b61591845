/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - What a process runs: no_ptrace and trusted
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_TASK_H
#define _SECURITY_VERIEXEC_TASK_H

#include <linux/cred.h>
#include <linux/init.h>
#include <linux/types.h>

#include "manifest.h"
#include "setup.h"

/**
 * struct veriexec_cred_sec - Cred security blob
 */
struct veriexec_cred_sec {
	/**
	 * @exec_file: The file binfmt maps during the execve that made this
	 * cred; compared only, never dereferenced.
	 */
	const struct file *exec_file;
	/** @opts: Options of the entry of the program the task runs. */
	u8 opts;
	/**
	 * @exec_pass: Nonzero once the file named in execve() was judged:
	 * later passes of that execve() are its interpreters.
	 */
	u8 exec_pass;
};

static inline struct veriexec_cred_sec *veriexec_cred(const struct cred *cred)
{
	return cred->security + veriexec_blob_sizes.lbs_cred;
}

/**
 * veriexec_trusted() - Whether the current task runs a `trusted` program
 *
 * Context: Any task context.
 * Return: True when the entry of the program it runs has `trusted`.
 */
static inline bool veriexec_trusted(void)
{
	return veriexec_cred(current_cred())->opts & VERIEXEC_OPT_TRUSTED;
}

struct file;

int veriexec_check_devmem(struct file *file);
int veriexec_check_proc_mem(struct file *file);
void __init veriexec_add_task_hooks(void);

#endif /* _SECURITY_VERIEXEC_TASK_H */
