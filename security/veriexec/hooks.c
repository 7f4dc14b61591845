// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Exec, mmap and mprotect hooks
 *
 * Copyright © 2026 The veriexec authors
 *
 * Each hook turns its event into a request for eval.c.  An exec of a file
 * already verified costs veriexec_verdict()'s lock-free read of the inode
 * blob and nothing else.
 */

#include <linux/binfmts.h>
#include <linux/coredump.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/security.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "cache.h"
#include "eval.h"
#include "fs.h"
#include "hooks.h"
#include "level.h"
#include "manifest.h"
#include "setup.h"
#include "task.h"
#include "verify.h"

static bool checks_needed(unsigned int level)
{
	return veriexec_checks_needed(veriexec_active(), level);
}

static enum veriexec_learn_op learn_op(enum veriexec_use use,
				       enum veriexec_op op)
{
	switch (use) {
	case VERIEXEC_USE_EXEC:
		return VERIEXEC_LEARN_EXEC;
	case VERIEXEC_USE_INDIRECT:
		return op == VERIEXEC_OP_EXEC ? VERIEXEC_LEARN_INTERP :
						VERIEXEC_LEARN_MMAP;
	case VERIEXEC_USE_OPEN:
		return VERIEXEC_LEARN_OPEN;
	default:
		return VERIEXEC_LEARN_MMAP;
	}
}

/*
 * Whoever can change the file's bytes unseen: a descriptor open for
 * writing (a shared writable mapping holds one), or a shared writable
 * mapping of the storage below it, made before the level was raised.
 */
static bool writers(struct inode *inode)
{
	return inode_is_open_for_write(inode) ||
	       veriexec_storage_mapped(inode->i_sb);
}

/**
 * veriexec_check_file() - Judge one use of a file and enforce the verdict
 * @file: The file.
 * @use: How it is about to be used.
 * @t: What a report names.
 * @level: The level the hook read.
 * @v: Receives the verdict, for the caller.
 *
 * Context: Process context; may sleep to hash the file.
 * Return: 0, -EPERM when refused, or the errno that kept the file from
 * being hashed (no verdict is then cached).
 */
int veriexec_check_file(struct file *file, enum veriexec_use use,
			const struct veriexec_target *t, unsigned int level,
			struct veriexec_verdict *v)
{
	struct veriexec_request req = { .use = use, .level = level };
	struct veriexec_target learn = *t;
	struct veriexec_decision d;
	int rc;

	learn.learn = learn_op(use, t->op);
	rc = veriexec_verdict(file, v);
	if (rc)
		return rc;
	req.match = v->match;
	req.opts = v->opts;
	req.writers = v->match != VERIEXEC_MATCH_NONE &&
		      writers(veriexec_file_inode(file));
	d = veriexec_eval(&req);
	return veriexec_enforce(&d, &learn);
}

static struct veriexec_target file_target(enum veriexec_op op,
					  const struct file *file)
{
	return (struct veriexec_target){
		.op = op,
		.path = &file->f_path,
		.dentry = file->f_path.dentry,
	};
}

/*
 * What an ELF image gets executable inside execve(), where no mmap or
 * mprotect hook sees it: the zero-filled tail of an executable PT_LOAD
 * segment longer in memory than in the file (elf_load() makes it with
 * vm_brk_flags(VM_EXEC), anonymous and writable), and for the program
 * itself an executable stack: PT_GNU_STACK with PF_X, or for 32-bit
 * programs none at all (binfmt_elf then sets READ_IMPLIES_EXEC).
 */
struct elf_seg {
	u32 type, flags;
	u64 vaddr, filesz, memsz;
};

static void elf_seg(const void *phdr, bool wide, struct elf_seg *seg)
{
	const struct elf64_phdr *p64 = phdr;
	const struct elf32_phdr *p32 = phdr;

	*seg = wide ? (struct elf_seg){ p64->p_type, p64->p_flags,
					p64->p_vaddr, p64->p_filesz,
					p64->p_memsz } :
		      (struct elf_seg){ p32->p_type, p32->p_flags,
					p32->p_vaddr, p32->p_filesz,
					p32->p_memsz };
}

static bool elf_execmem(struct file *file, const void *head, bool program)
{
	const struct elf64_hdr *eh = head;
	const struct elf32_hdr *eh32 = head;
	bool wide = eh->e_ident[EI_CLASS] == ELFCLASS64;
	size_t entsize = wide ? sizeof(struct elf64_phdr) :
				sizeof(struct elf32_phdr);
	unsigned int i, n = wide ? eh->e_phnum : eh32->e_phnum;
	loff_t pos = wide ? eh->e_phoff : eh32->e_phoff;
	bool stack = program && !wide, tail = false;
	struct elf_seg seg;
	void *phdrs;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || !n ||
	    n > SZ_64K / entsize)
		return false;
	phdrs = kmalloc_array(n, entsize, GFP_KERNEL);
	if (!phdrs)
		return true;
	if (kernel_read(file, phdrs, n * entsize, &pos) != n * entsize)
		n = 0;
	for (i = 0; i < n && !tail; i++) {
		elf_seg(phdrs + i * entsize, wide, &seg);
		if (seg.type == PT_GNU_STACK && program)
			stack = seg.flags & PF_X;
		tail = seg.type == PT_LOAD && (seg.flags & PF_X) &&
		       PAGE_ALIGN(seg.vaddr + seg.filesz) <
		       PAGE_ALIGN(seg.vaddr + seg.memsz);
	}
	kfree(phdrs);
	return stack || tail;
}

/* At level 3 that is anonymous memory made executable. */
static int check_exec_stack(struct linux_binprm *bprm, u8 opts,
			    unsigned int level)
{
	struct veriexec_target t = file_target(VERIEXEC_OP_EXEC, bprm->file);

	if (!veriexec_lockdown_level(level) || (opts & VERIEXEC_OPT_EXECMEM) ||
	    !elf_execmem(bprm->file, bprm->buf, true))
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_EXECMEM, level, &t);
}

/* The same for the ELF interpreter binfmt_elf maps during execve(). */
static int check_interp_execmem(struct file *file, unsigned int level)
{
	struct veriexec_target t = file_target(VERIEXEC_OP_MMAP, file);
	struct elf64_hdr head;
	loff_t pos = 0;

	if (!veriexec_lockdown_level(level) ||
	    (veriexec_cred(current_cred())->opts & VERIEXEC_OPT_EXECMEM) ||
	    kernel_read(file, &head, sizeof(head), &pos) != sizeof(head) ||
	    !elf_execmem(file, &head, false))
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_EXECMEM, level, &t);
}

/* Each execve() starts its passes afresh: the first is the file named. */
static int hook_bprm_creds_for_exec(struct linux_binprm *bprm)
{
	struct veriexec_cred_sec *cred = veriexec_cred(bprm->cred);

	cred->exec_pass = 0;
	cred->exec_file = NULL;
	cred->opts = 0;
	return 0;
}

/* A no_ptrace program must not start under a tracer set up before. */
static int check_traced(const struct linux_binprm *bprm, unsigned int level)
{
	struct veriexec_target t = file_target(VERIEXEC_OP_EXEC, bprm->file);

	if (!(veriexec_cred(bprm->cred)->opts & VERIEXEC_OPT_NO_PTRACE) ||
	    !(bprm->unsafe & LSM_UNSAFE_PTRACE))
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_NO_PTRACE, level, &t);
}

/*
 * Called once per binfmt pass: first for the file named in execve(), then
 * for each interpreter binfmt_script or binfmt_misc put in its place.
 * 6.12 sets bprm->executable for neither, so the cred counts the passes.
 * The process takes the options of the file named: a script's own entry,
 * never its interpreter's.
 */
static int hook_bprm_check_security(struct linux_binprm *bprm)
{
	struct veriexec_cred_sec *cred = veriexec_cred(bprm->cred);
	bool interpreter = cred->exec_pass;
	unsigned int level = veriexec_level();
	struct veriexec_target t = file_target(VERIEXEC_OP_EXEC, bprm->file);
	struct veriexec_verdict v;
	int rc;

	cred->exec_pass = 1;
	cred->exec_file = bprm->file;
	if (!checks_needed(level))
		return 0;
	rc = veriexec_check_file(bprm->file, interpreter ?
				 VERIEXEC_USE_INDIRECT : VERIEXEC_USE_EXEC,
				 &t, level, &v);
	if (!rc && !interpreter && v.match == VERIEXEC_MATCH_VALID)
		cred->opts = veriexec_task_opts(v.opts);
	if (!rc)
		rc = check_exec_stack(bprm, cred->opts, level);
	if (rc || interpreter)
		return rc;
	return check_traced(bprm, level);
}

/* No core dump, and no ptrace without CAP_SYS_PTRACE, for no_ptrace. */
static void hook_bprm_committing_creds(const struct linux_binprm *bprm)
{
	if ((veriexec_cred(bprm->cred)->opts & VERIEXEC_OPT_NO_PTRACE) &&
	    veriexec_enforcing(veriexec_level()))
		set_dumpable(current->mm, SUID_DUMP_DISABLE);
}

/*
 * binfmt_elf maps the program itself during execve(), after
 * bprm_check_security judged it: judge it once, not twice.  Its ld.so,
 * also mapped then, is checked as used indirectly.
 */
static bool judged_at_exec(struct file *file)
{
	return current->in_execve &&
	       veriexec_cred(current_cred())->exec_file == file;
}

/*
 * memfd, MAP_SHARED|MAP_ANONYMOUS and the like live on the kernel's
 * internal mounts: memory, not storage, so execmem rules them.
 */
static bool is_memory(const struct file *file)
{
	return !file || (file->f_path.mnt->mnt_flags & MNT_INTERNAL);
}

static int check_execmem(const struct file *file, enum veriexec_op op,
			 unsigned int level)
{
	struct veriexec_target t = { .op = op };

	if (file) {
		t.path = &file->f_path;
		t.dentry = file->f_path.dentry;
	}
	if (veriexec_cred(current_cred())->opts & VERIEXEC_OPT_EXECMEM)
		return 0;
	return veriexec_refuse(VERIEXEC_REASON_EXECMEM, level, &t);
}

static int refuse_file(enum veriexec_reason reason, enum veriexec_op op,
		       struct file *file, unsigned int level)
{
	struct veriexec_target t = file_target(op, file);

	return veriexec_refuse(reason, level, &t);
}

static int hook_mmap_file(struct file *file, unsigned long reqprot,
			  unsigned long prot, unsigned long flags)
{
	unsigned int level = veriexec_level();
	bool shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	struct veriexec_target t;
	struct veriexec_verdict v;
	int rc;

	if (is_memory(file))
		return prot & PROT_EXEC ?
		       check_execmem(file, VERIEXEC_OP_MMAP, level) : 0;
	/* At any level: it may be made before the load or the raise. */
	if (shared && (file->f_mode & FMODE_WRITE))
		veriexec_note_shared_map(file);
	if (!checks_needed(level))
		return 0;
	if (shared && (prot & PROT_WRITE)) {
		rc = veriexec_check_shared_write(file, VERIEXEC_OP_MMAP, true);
		if (rc)
			return rc;
	}
	if (!(prot & PROT_EXEC))
		return 0;
	/* Pages written in a private mapping are not what was hashed. */
	if (!shared && (prot & PROT_WRITE))
		return refuse_file(VERIEXEC_REASON_MISMATCH, VERIEXEC_OP_MMAP,
				   file, level);
	/* do_mmap() refuses it with -EACCES: never read it to hash it. */
	if (!(file->f_mode & FMODE_READ) || judged_at_exec(file))
		return 0;
	if (current->in_execve) {
		rc = check_interp_execmem(file, level);
		if (rc)
			return rc;
	}
	t = file_target(VERIEXEC_OP_MMAP, file);
	return veriexec_check_file(file, VERIEXEC_USE_INDIRECT, &t, level,
				   &v);
}

/*
 * Runs under the mmap lock, where hashing could invert the lock order of
 * filesystems whose reads take i_rwsem: only cached verdicts count here.
 */
static int hook_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	struct veriexec_request req = { .use = VERIEXEC_USE_INDIRECT };
	struct file *file = vma->vm_file;
	struct veriexec_decision d;
	struct veriexec_verdict v;
	struct veriexec_target t;

	req.level = veriexec_level();
	if (is_memory(file))
		return (prot & PROT_EXEC) && !(vma->vm_flags & VM_EXEC) ?
		       check_execmem(file, VERIEXEC_OP_MPROTECT, req.level) : 0;
	if (!checks_needed(req.level))
		return 0;
	/* /dev/zero and other devices too: no entry lists them. */
	veriexec_verdict_nosleep(file_inode(file), &v);
	t = file_target(VERIEXEC_OP_MPROTECT, file);
	if ((vma->vm_flags & VM_SHARED) && (prot & PROT_WRITE)) {
		int rc = veriexec_check_shared_write(file, VERIEXEC_OP_MPROTECT,
						     false);

		if (rc)
			return rc;
	}
	if (!(prot & PROT_EXEC))
		return 0;
	if (!(vma->vm_flags & VM_SHARED) &&
	    ((prot & PROT_WRITE) || vma->anon_vma))
		return veriexec_refuse(VERIEXEC_REASON_MISMATCH, req.level,
				       &t);
	if (vma->vm_flags & VM_EXEC)
		return 0;
	req.match = v.match;
	req.opts = v.opts;
	req.writers = v.match != VERIEXEC_MATCH_NONE &&
		      writers(veriexec_file_inode(file));
	t.learn = VERIEXEC_LEARN_MMAP;
	d = veriexec_eval(&req);
	return veriexec_enforce(&d, &t);
}

/*
 * With READ_IMPLIES_EXEC (personality(2) sets it at will) the heap that
 * brk(2) grows is executable, and brk() asks no mmap or mprotect hook:
 * only this one, through get_unmapped_area().  Any other mapping of such
 * a task is executable too, and judged as such by the hooks above.
 */
static int hook_mmap_addr(unsigned long addr)
{
	unsigned int level;

	if (!(current->personality & READ_IMPLIES_EXEC))
		return 0;
	level = veriexec_level();
	if (!veriexec_lockdown_level(level))
		return 0;
	return check_execmem(NULL, VERIEXEC_OP_MMAP, level);
}

static struct security_hook_list hooks[] __ro_after_init = {
	LSM_HOOK_INIT(bprm_creds_for_exec, hook_bprm_creds_for_exec),
	LSM_HOOK_INIT(bprm_check_security, hook_bprm_check_security),
	LSM_HOOK_INIT(bprm_committing_creds, hook_bprm_committing_creds),
	LSM_HOOK_INIT(mmap_file, hook_mmap_file),
	LSM_HOOK_INIT(mmap_addr, hook_mmap_addr),
	LSM_HOOK_INIT(file_mprotect, hook_file_mprotect),
};

/**
 * veriexec_add_hooks() - Register the exec, mmap and mprotect hooks
 */
void __init veriexec_add_hooks(void)
{
	security_add_hooks(hooks, ARRAY_SIZE(hooks), &veriexec_lsmid);
}
