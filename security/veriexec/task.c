// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - What a process runs: no_ptrace, trusted, execmem
 *
 * Copyright © 2026 The veriexec authors
 *
 * The options of the entry a process was executed from ride in its cred,
 * set at execve() and copied to children, so the ptrace and /dev/mem
 * checks need no lookup.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/lsm_hooks.h>
#include <linux/major.h>
#include <linux/prctl.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/string.h>

#include "eval.h"
#include "level.h"
#include "manifest.h"
#include "setup.h"
#include "task.h"

static int hook_cred_prepare(struct cred *new, const struct cred *old,
			     gfp_t gfp)
{
	*veriexec_cred(new) = *veriexec_cred(old);
	return 0;
}

static void hook_cred_transfer(struct cred *new, const struct cred *old)
{
	*veriexec_cred(new) = *veriexec_cred(old);
}

static u8 task_opts(struct task_struct *task)
{
	guard(rcu)();
	return veriexec_cred(__task_cred(task))->opts;
}

/*
 * Every mode is refused, reading included: /proc/PID/fd, environ and
 * pidfd_getfd(2) all ask through here.  Probes the kernel makes without
 * auditing (ps reading /proc/PID/stat) are refused without a word.
 */
static int deny_ptrace(unsigned int mode)
{
	struct veriexec_target t = {
		.op = VERIEXEC_OP_PTRACE,
		.quiet = mode & PTRACE_MODE_NOAUDIT,
	};

	return veriexec_refuse(VERIEXEC_REASON_NO_PTRACE, veriexec_level(), &t);
}

/* Also what /proc/PID/mem and process_vm_*() ask, through mm_access(). */
static int hook_ptrace_access_check(struct task_struct *child,
				    unsigned int mode)
{
	if (!(task_opts(child) & VERIEXEC_OPT_NO_PTRACE))
		return 0;
	return deny_ptrace(mode);
}

static int hook_ptrace_traceme(struct task_struct *parent)
{
	if (!(veriexec_cred(current_cred())->opts & VERIEXEC_OPT_NO_PTRACE))
		return 0;
	return deny_ptrace(0);
}

static bool is_devmem(const struct inode *inode)
{
	unsigned int minor = iminor(inode);

	/* /dev/mem, /dev/kmem, /dev/port: drivers/char/mem.c */
	return imajor(inode) == MEM_MAJOR &&
	       (minor == 1 || minor == 2 || minor == 4);
}

/**
 * veriexec_check_devmem() - Only trusted programs write to memory devices
 * @file: A character device being opened.
 *
 * Context: Process context.
 * Return: 0, or -EPERM when a write open of /dev/mem, /dev/kmem or
 * /dev/port by a program without the trusted option is refused.
 */
int veriexec_check_devmem(struct file *file)
{
	struct veriexec_target t = {
		.op = VERIEXEC_OP_OPEN,
		.path = &file->f_path,
		.dentry = file->f_path.dentry,
	};

	if (!(file->f_mode & FMODE_WRITE) || !is_devmem(file_inode(file)) ||
	    veriexec_trusted())
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_NOT_TRUSTED, veriexec_level(),
			       &t);
}

/*
 * /proc/PID/mem and /proc/PID/task/TID/mem.  Their file operations are
 * private to procfs, but procfs never renames its entries: the names tell
 * them apart.
 */
static bool is_proc_mem(const struct dentry *dentry)
{
	const char *pid = dentry->d_parent->d_name.name;

	return !strcmp(dentry->d_name.name, "mem") && *pid &&
	       strspn(pid, "0123456789") == strlen(pid);
}

/**
 * veriexec_check_proc_mem() - Only trusted programs write process memory
 * @file: A regular file of procfs being written.
 *
 * A write to /proc/PID/mem is forced (FOLL_FORCE): it reaches read-only
 * executable mappings, so it rewrites the code of a listed program.  When
 * PID is the writer's own process, or the descriptor was opened by the
 * process it names (a shell handing /proc/$$/mem to dd), no ptrace check
 * runs and no_ptrace cannot help.  That is code no entry vouches for, so
 * from level 2, with the kernel's integrity operations, only trusted
 * programs write there; a write is judged, not the open, so descriptors
 * opened before the level was raised are caught too.  ptrace(2)'s pokes
 * are left to no_ptrace: tracing is the debugger's explicit interface.
 *
 * Context: Process context.
 * Return: 0, or -EPERM when the write is refused.
 */
int veriexec_check_proc_mem(struct file *file)
{
	unsigned int level = veriexec_level();
	struct veriexec_target t = {
		.op = VERIEXEC_OP_WRITE,
		.path = &file->f_path,
		.dentry = file->f_path.dentry,
	};

	if (!veriexec_integrity_lockdown(level) || veriexec_trusted() ||
	    !is_proc_mem(file->f_path.dentry))
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_NOT_TRUSTED, level, &t);
}

/*
 * The kernel's own gate for every way root can change kernel code or
 * memory without a file: MSRs, ioperm/iopl, PCI resources, kexec_load,
 * bpf_probe_write_user, unsafe module parameters...  Module signatures
 * are left to the kernel's configuration: a listed module needs none.
 */
static int hook_locked_down(enum lockdown_reason what)
{
	unsigned int level = veriexec_level();
	struct veriexec_target t = {
		.op = VERIEXEC_OP_LOCKED_DOWN,
		.detail = lockdown_reasons[what],
	};

	if (what == LOCKDOWN_MODULE_SIGNATURE || what >= LOCKDOWN_INTEGRITY_MAX ||
	    !veriexec_integrity_lockdown(level) || veriexec_trusted())
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_NOT_TRUSTED, level, &t);
}

/*
 * security_task_prctl()'s "not mine" (LSM_RET_DEFAULT(task_prctl)): 0
 * would claim the prctl as done.
 */
#define PRCTL_NOT_MINE	(-ENOSYS)

/* A no_ptrace program stays undumpable: no core of its memory. */
static int hook_task_prctl(int option, unsigned long arg2, unsigned long arg3,
			   unsigned long arg4, unsigned long arg5)
{
	struct veriexec_target t = { .op = VERIEXEC_OP_PTRACE };
	unsigned int level = veriexec_level();
	int rc;

	if (option != PR_SET_DUMPABLE || !arg2 ||
	    !(veriexec_cred(current_cred())->opts & VERIEXEC_OPT_NO_PTRACE) ||
	    !veriexec_enforcing(level))
		return PRCTL_NOT_MINE;
	rc = veriexec_refuse(VERIEXEC_REASON_NO_PTRACE, level, &t);
	return rc ? rc : PRCTL_NOT_MINE;
}

static struct security_hook_list task_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(cred_prepare, hook_cred_prepare),
	LSM_HOOK_INIT(cred_transfer, hook_cred_transfer),
	LSM_HOOK_INIT(ptrace_access_check, hook_ptrace_access_check),
	LSM_HOOK_INIT(ptrace_traceme, hook_ptrace_traceme),
	LSM_HOOK_INIT(locked_down, hook_locked_down),
	LSM_HOOK_INIT(task_prctl, hook_task_prctl),
};

/**
 * veriexec_add_task_hooks() - Register the cred and ptrace hooks
 */
void __init veriexec_add_task_hooks(void)
{
	security_add_hooks(task_hooks, ARRAY_SIZE(task_hooks),
			   &veriexec_lsmid);
}
