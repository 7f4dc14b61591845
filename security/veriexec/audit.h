/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Denial records, log lines and counters
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_AUDIT_H
#define _SECURITY_VERIEXEC_AUDIT_H

#include <linux/types.h>

struct dentry;
struct path;
struct seq_file;

/**
 * enum veriexec_op - Operations veriexec checks, as logged
 * @VERIEXEC_OP_EXEC: execve(2) of a program or script interpreter.
 * @VERIEXEC_OP_MMAP: A PROT_EXEC mapping.
 * @VERIEXEC_OP_MPROTECT: mprotect(2) to PROT_EXEC.
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
	__VERIEXEC_OP_MAX
};

/**
 * enum veriexec_reason - Why an operation is denied, as the contract
 * names it; also the order of the denied_* counters.
 * @VERIEXEC_REASON_MISMATCH: The content does not match the fingerprint.
 * @VERIEXEC_REASON_NO_ENTRY: No entry allows the use.
 * @VERIEXEC_REASON_INDIRECT: An indirect-only entry executed directly.
 * @VERIEXEC_REASON_IMMUTABLE: A change to a monitored file.
 * @VERIEXEC_REASON_OPEN_FOR_WRITE: Executed or mapped while open for write.
 * @VERIEXEC_REASON_NO_PTRACE: Tracing a no_ptrace program.
 * @VERIEXEC_REASON_NOT_TRUSTED: A memory device written by an untrusted
 *	program.
 * @VERIEXEC_REASON_LOCKDOWN: Refused by level 3.
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
	__VERIEXEC_REASON_MAX
};

/**
 * enum veriexec_stat - Counters of the status file, in its order
 * @VERIEXEC_STAT_LOOKUPS: Searches of the store.
 * @VERIEXEC_STAT_CACHE_HITS: Verdicts taken from the inode blob.
 * @VERIEXEC_STAT_FINGERPRINTS: Files hashed.
 * @VERIEXEC_STAT_BYTES_HASHED: Bytes hashed.
 * @VERIEXEC_STAT_DENIALS: Denials and level-0 "would deny".
 * @VERIEXEC_STAT_DENIED: First of the per-reason counters.
 * @__VERIEXEC_STAT_MAX: Number of counters.
 */
enum veriexec_stat {
	VERIEXEC_STAT_LOOKUPS,
	VERIEXEC_STAT_CACHE_HITS,
	VERIEXEC_STAT_FINGERPRINTS,
	VERIEXEC_STAT_BYTES_HASHED,
	VERIEXEC_STAT_DENIALS,
	VERIEXEC_STAT_DENIED,	/* first of __VERIEXEC_REASON_MAX counters */
	__VERIEXEC_STAT_MAX = VERIEXEC_STAT_DENIED + __VERIEXEC_REASON_MAX
};

void veriexec_count(enum veriexec_stat stat, u64 n);
void veriexec_show_counters(struct seq_file *m);

void veriexec_audit_deny(enum veriexec_op op, enum veriexec_reason reason,
			 const struct path *path, struct dentry *dentry,
			 bool denied);
void veriexec_audit_level(unsigned int old, unsigned int new);
void veriexec_audit_load(const char *name, u64 version, size_t entries,
			 int rc);

#endif /* _SECURITY_VERIEXEC_AUDIT_H */
