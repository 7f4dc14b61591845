// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Exec, mmap, mprotect and open hooks
 *
 * Copyright © 2026 The veriexec authors
 *
 * Each hook turns its event into a request for eval.c.  An exec of a file
 * already verified costs veriexec_verdict()'s lock-free read of the inode
 * blob and nothing else.
 */

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>

#include "audit.h"
#include "cache.h"
#include "eval.h"
#include "hooks.h"
#include "level.h"
#include "setup.h"
#include "task.h"
#include "verify.h"

/*
 * With no set loaded there is nothing to compare with: levels 0 and 1 let
 * everything be, levels 2 and 3 refuse every executable, as "no entry".
 */
static bool nothing_to_check(void)
{
	return !veriexec_active() && veriexec_level() < VERIEXEC_IPS;
}

static void report(const struct veriexec_decision *d, enum veriexec_op op,
		   struct file *file)
{
	if (d->report)
		veriexec_audit_deny(op, d->reason, &file->f_path,
				    file->f_path.dentry, d->deny);
}

/* The verdict on @file for @use; @v receives it for the caller. */
static int check_file(struct file *file, enum veriexec_use use,
		      enum veriexec_op op, struct veriexec_verdict *v)
{
	struct inode *inode = file_inode(file);
	struct veriexec_request req = {
		.use = use,
		.level = veriexec_level(),
	};
	struct veriexec_decision d;

	veriexec_verdict(file, v);
	req.listed = v->match != VERIEXEC_MATCH_NONE;
	req.match = v->match == VERIEXEC_MATCH_VALID;
	req.opts = v->opts;
	req.writers = req.listed && inode_is_open_for_write(inode);
	d = veriexec_eval(&req);
	report(&d, op, file);
	return d.deny ? -EPERM : 0;
}

/*
 * Called once per binfmt pass: first for the file named in execve(), then,
 * for a script, for its interpreter (bprm->executable is set by then).
 */
static int hook_bprm_check_security(struct linux_binprm *bprm)
{
	struct veriexec_cred_sec *cred = veriexec_cred(bprm->cred);
	bool interpreter = bprm->executable;
	struct veriexec_verdict v;
	int rc;

	cred->exec_inode = file_inode(bprm->file);
	if (!interpreter)
		cred->opts = 0;
	if (nothing_to_check())
		return 0;
	rc = check_file(bprm->file, interpreter ? VERIEXEC_USE_INDIRECT :
			VERIEXEC_USE_EXEC, VERIEXEC_OP_EXEC, &v);
	if (!interpreter && v.match == VERIEXEC_MATCH_VALID)
		cred->opts = v.opts;
	return rc;
}

/*
 * binfmt_elf maps the program itself during execve(), after
 * bprm_check_security judged it: judge it once, not twice.  Its ld.so,
 * also mapped then, is checked as used indirectly.
 */
static bool judged_at_exec(struct file *file)
{
	return current->in_execve &&
	       veriexec_cred(current_cred())->exec_inode == file_inode(file);
}

static int hook_mmap_file(struct file *file, unsigned long reqprot,
			  unsigned long prot, unsigned long flags)
{
	struct veriexec_verdict v;

	if (!file || !(prot & PROT_EXEC) || nothing_to_check() ||
	    judged_at_exec(file))
		return 0;
	return check_file(file, VERIEXEC_USE_INDIRECT, VERIEXEC_OP_MMAP, &v);
}

static int hook_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	struct veriexec_decision d;
	struct veriexec_verdict v;
	struct file *file = vma->vm_file;

	if (!file || !(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC) ||
	    nothing_to_check())
		return 0;
	/*
	 * Pages of a private mapping that were written are copies the
	 * fingerprint no longer covers.
	 */
	if (!(vma->vm_flags & VM_SHARED) && vma->anon_vma) {
		d = veriexec_judge(VERIEXEC_REASON_MISMATCH, veriexec_level());
		report(&d, VERIEXEC_OP_MPROTECT, file);
		return d.deny ? -EPERM : 0;
	}
	return check_file(file, VERIEXEC_USE_INDIRECT, VERIEXEC_OP_MPROTECT,
			  &v);
}

/* `file` entries are checked when opened for reading. */
static int hook_file_post_open(struct file *file, int mask)
{
	struct veriexec_verdict v;
	struct inode *inode = file_inode(file);
	u8 opts;

	if (!S_ISREG(inode->i_mode) || !(file->f_mode & FMODE_READ) ||
	    (file->f_mode & FMODE_EXEC))
		return 0;
	if (!veriexec_listed(file->f_path.dentry, inode, &opts) ||
	    !(opts & VERIEXEC_OPT_FILE))
		return 0;
	return check_file(file, VERIEXEC_USE_OPEN, VERIEXEC_OP_OPEN, &v);
}

static struct security_hook_list hooks[] __ro_after_init = {
	LSM_HOOK_INIT(bprm_check_security, hook_bprm_check_security),
	LSM_HOOK_INIT(mmap_file, hook_mmap_file),
	LSM_HOOK_INIT(file_mprotect, hook_file_mprotect),
	LSM_HOOK_INIT(file_post_open, hook_file_post_open),
};

/**
 * veriexec_add_hooks() - Register the exec, mmap and open hooks
 */
void __init veriexec_add_hooks(void)
{
	security_add_hooks(hooks, ARRAY_SIZE(hooks), &veriexec_lsmid);
}
