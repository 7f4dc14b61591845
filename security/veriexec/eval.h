/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Decisions: the level table, and the one enforcement call
 *
 * Copyright © 2026 The veriexec authors
 *
 * The thresholds every hook asks first are inline here, beside the table
 * in eval.c, so that a hook's fast path is a few compares and no call.
 */

#ifndef _SECURITY_VERIEXEC_EVAL_H
#define _SECURITY_VERIEXEC_EVAL_H

#include <linux/types.h>

#include "level.h"
#include "manifest.h"

struct dentry;
struct path;

/**
 * enum veriexec_op - Operations veriexec checks, as logged
 * @VERIEXEC_OP_EXEC: execve(2) of a program or script interpreter.
 * @VERIEXEC_OP_MMAP: A PROT_EXEC or shared writable mapping.
 * @VERIEXEC_OP_MPROTECT: mprotect(2) adding PROT_EXEC or PROT_WRITE.
 * @VERIEXEC_OP_OPEN: An open(2).
 * @VERIEXEC_OP_WRITE: A write open, or a write.
 * @VERIEXEC_OP_TRUNCATE: A truncation.
 * @VERIEXEC_OP_RENAME: A rename, from or over the file.
 * @VERIEXEC_OP_UNLINK: An unlink.
 * @VERIEXEC_OP_LINK: A hard link.
 * @VERIEXEC_OP_SETATTR: chmod, chown and other attribute changes.
 * @VERIEXEC_OP_SETXATTR: Setting an xattr or ACL.
 * @VERIEXEC_OP_REMOVEXATTR: Removing an xattr or ACL.
 * @VERIEXEC_OP_PTRACE: ptrace, /proc/PID/mem, process_vm_*().
 * @VERIEXEC_OP_CREATE: Creating a file, directory, node or link.
 * @VERIEXEC_OP_UMOUNT: Unmounting.
 * @VERIEXEC_OP_RMDIR: Removing a directory.
 * @VERIEXEC_OP_MOUNT: Mounting over a file or directory.
 * @VERIEXEC_OP_IOCTL: An ioctl changing a file's identity or flags.
 * @VERIEXEC_OP_KERNEL_READ: The kernel reading a file (module, firmware).
 * @VERIEXEC_OP_KERNEL_LOAD: The kernel loading code with no file behind.
 * @VERIEXEC_OP_LOCKED_DOWN: An integrity-lockdown operation.
 * @__VERIEXEC_OP_MAX: Number of operations.
 */
enum veriexec_op {
	VERIEXEC_OP_EXEC,
	VERIEXEC_OP_MMAP,
	VERIEXEC_OP_MPROTECT,
	VERIEXEC_OP_OPEN,
	VERIEXEC_OP_WRITE,
	VERIEXEC_OP_TRUNCATE,
	VERIEXEC_OP_RENAME,
	VERIEXEC_OP_UNLINK,
	VERIEXEC_OP_LINK,
	VERIEXEC_OP_SETATTR,
	VERIEXEC_OP_SETXATTR,
	VERIEXEC_OP_REMOVEXATTR,
	VERIEXEC_OP_PTRACE,
	VERIEXEC_OP_CREATE,
	VERIEXEC_OP_UMOUNT,
	VERIEXEC_OP_RMDIR,
	VERIEXEC_OP_MOUNT,
	VERIEXEC_OP_IOCTL,
	VERIEXEC_OP_KERNEL_READ,
	VERIEXEC_OP_KERNEL_LOAD,
	VERIEXEC_OP_LOCKED_DOWN,
	__VERIEXEC_OP_MAX
};

/**
 * enum veriexec_reason - Why an operation is denied, as the admin guide
 * names it; also the order of the denied_* counters.
 * @VERIEXEC_REASON_MISMATCH: The content does not match the fingerprint.
 * @VERIEXEC_REASON_NO_ENTRY: No entry allows the use.
 * @VERIEXEC_REASON_INDIRECT: An indirect-only entry executed directly.
 * @VERIEXEC_REASON_IMMUTABLE: A change to a monitored file.
 * @VERIEXEC_REASON_OPEN_FOR_WRITE: Executed or mapped while open for write.
 * @VERIEXEC_REASON_NO_PTRACE: Tracing a no_ptrace program.
 * @VERIEXEC_REASON_NOT_TRUSTED: Kernel memory or I/O reached by a program
 *	without the trusted option.
 * @VERIEXEC_REASON_LOCKDOWN: Refused by level 3.
 * @VERIEXEC_REASON_EXECMEM: Anonymous memory made executable at level 3.
 * @__VERIEXEC_REASON_MAX: Number of reasons.
 */
enum veriexec_reason {
	VERIEXEC_REASON_MISMATCH,
	VERIEXEC_REASON_NO_ENTRY,
	VERIEXEC_REASON_INDIRECT,
	VERIEXEC_REASON_IMMUTABLE,
	VERIEXEC_REASON_OPEN_FOR_WRITE,
	VERIEXEC_REASON_NO_PTRACE,
	VERIEXEC_REASON_NOT_TRUSTED,
	VERIEXEC_REASON_LOCKDOWN,
	VERIEXEC_REASON_EXECMEM,
	__VERIEXEC_REASON_MAX
};

/**
 * enum veriexec_use - How a file is about to be used
 * @VERIEXEC_USE_EXEC: execve(2) of the file itself.
 * @VERIEXEC_USE_INDIRECT: Script interpreter, or mapped PROT_EXEC.
 * @VERIEXEC_USE_OPEN: Opened for reading.
 * @VERIEXEC_USE_KERNEL: Read by the kernel as code or data (any option).
 */
enum veriexec_use {
	VERIEXEC_USE_EXEC,
	VERIEXEC_USE_INDIRECT,
	VERIEXEC_USE_OPEN,
	VERIEXEC_USE_KERNEL,
};

/**
 * enum veriexec_match - What a file was found to be
 * @VERIEXEC_MATCH_NONE: No entry lists it; as an entry's status, its file
 *	was not hashed since the entry was loaded ("unevaluated").
 * @VERIEXEC_MATCH_VALID: Its entry's fingerprint matches its content.
 * @VERIEXEC_MATCH_MISMATCH: Its entry's fingerprint does not match.
 *
 * One enum for a verdict and for an entry's status in the entries file,
 * so that the verdict is recorded on the entry as it is.
 */
enum veriexec_match {
	VERIEXEC_MATCH_NONE,
	VERIEXEC_MATCH_VALID,
	VERIEXEC_MATCH_MISMATCH,
};

/**
 * struct veriexec_request - What eval decides on
 * @use: How the file is used.
 * @level: The strict level, read once by the hook.
 * @match: What the file was found to be.
 * @opts: The entry's VERIEXEC_OPT_* bits (when listed).
 * @writers: The file is open for writing somewhere.
 */
struct veriexec_request {
	enum veriexec_use use;
	unsigned int level;
	enum veriexec_match match;
	u8 opts;
	bool writers;
};

/**
 * struct veriexec_decision - What to do
 * @deny: Fail the operation.
 * @report: Log it (a denial, or what would be denied).
 * @reason: Why, when @deny or @report.
 * @level: The level the decision was made at, as reported.
 */
struct veriexec_decision {
	bool deny;
	bool report;
	enum veriexec_reason reason;
	unsigned int level;
};

/**
 * enum veriexec_learn_op - How learning mode saw a file used
 * @VERIEXEC_LEARN_NONE: Not a use learning mode records.
 * @VERIEXEC_LEARN_EXEC: Executed.
 * @VERIEXEC_LEARN_MMAP: Mapped executable, or read by the kernel.
 * @VERIEXEC_LEARN_INTERP: Used as a script interpreter.
 * @VERIEXEC_LEARN_OPEN: Opened as a `file` entry.
 */
enum veriexec_learn_op {
	VERIEXEC_LEARN_NONE,
	VERIEXEC_LEARN_EXEC,
	VERIEXEC_LEARN_MMAP,
	VERIEXEC_LEARN_INTERP,
	VERIEXEC_LEARN_OPEN,
};

/**
 * struct veriexec_target - What a report names
 * @op: The operation.
 * @path: The file's path, or NULL when only @dentry is known.
 * @dentry: The file's dentry, or NULL for a task-only operation.
 * @detail: What kind of kernel read or lockdown operation, or NULL.
 * @quiet: Deny without a log line, an audit record or a count (probes
 *	   the kernel makes with PTRACE_MODE_NOAUDIT).
 * @learn: How learning mode records a "would deny" of it.
 */
struct veriexec_target {
	enum veriexec_op op;
	const struct path *path;
	struct dentry *dentry;
	const char *detail;
	bool quiet;
	enum veriexec_learn_op learn;
};

/**
 * veriexec_open_checked() - Whether a read open of a listed file is hashed
 * @opts: The entry's options.
 * @level: The strict level.
 *
 * `file` entries are checked on open; at level 3 every monitored file is,
 * so that a shell reading a listed script reads what was listed.
 *
 * Return: True when the open must match the fingerprint.
 */
static inline bool veriexec_open_checked(u8 opts, unsigned int level)
{
	return (opts & VERIEXEC_OPT_FILE) || level >= VERIEXEC_LOCKDOWN;
}

/**
 * veriexec_enforcing() - Whether a level denies anything at all
 * @level: The strict level.
 *
 * Return: True from level 1, the "enforce" of the state file.
 */
static inline bool veriexec_enforcing(unsigned int level)
{
	return level >= VERIEXEC_IDS;
}

/**
 * veriexec_changes_refused() - Whether monitored files are immutable
 * @level: The strict level.
 *
 * Below, a change goes ahead and only drops the cached verdict, which
 * needs no lookup.
 *
 * Return: True from level 2.
 */
static inline bool veriexec_changes_refused(unsigned int level)
{
	return level >= VERIEXEC_IPS;
}

/**
 * veriexec_lockdown_level() - Whether level 3's own rules apply
 * @level: The strict level.
 *
 * Return: True at level 3.
 */
static inline bool veriexec_lockdown_level(unsigned int level)
{
	return level >= VERIEXEC_LOCKDOWN;
}

/**
 * veriexec_integrity_lockdown() - Whether the kernel's integrity lockdown
 * operations are refused to programs that are not trusted
 * @level: The strict level.
 *
 * From level 2, as NetBSD pairs veriexec with securelevel: a level that
 * root can walk around through kernel memory is worth nothing.
 *
 * Return: True from level 2.
 */
static inline bool veriexec_integrity_lockdown(unsigned int level)
{
	return level >= VERIEXEC_IPS;
}

/**
 * veriexec_task_opts() - The options a process takes from its entry
 * @opts: The entry's options.
 *
 * `trusted` implies `no_ptrace`, as on FreeBSD: otherwise root could take
 * a trusted process's descriptors with pidfd_getfd(2) or its memory.
 *
 * Return: The options the process runs with.
 */
static inline u8 veriexec_task_opts(u8 opts)
{
	if (opts & VERIEXEC_OPT_TRUSTED)
		opts |= VERIEXEC_OPT_NO_PTRACE;
	return opts;
}

/**
 * veriexec_checks_needed() - Whether a use of a file needs judging at all
 * @active: Whether a set is loaded.
 * @level: The strict level.
 *
 * With no set loaded there is nothing to compare with: levels 0 and 1 let
 * everything be, levels 2 and 3 refuse every executable as "no entry".
 *
 * Return: False when every use of a file goes ahead unjudged.
 */
static inline bool veriexec_checks_needed(bool active, unsigned int level)
{
	return active || level >= VERIEXEC_IPS;
}

struct veriexec_decision veriexec_eval(const struct veriexec_request *req);
struct veriexec_decision veriexec_judge(enum veriexec_reason reason,
					unsigned int level);
int veriexec_enforce(const struct veriexec_decision *d,
		     const struct veriexec_target *t);
int veriexec_refuse(enum veriexec_reason reason, unsigned int level,
		    const struct veriexec_target *t);
bool veriexec_unsigned_allowed(unsigned int level);

#endif /* _SECURITY_VERIEXEC_EVAL_H */
