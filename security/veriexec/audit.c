// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Denial records, log lines and counters
 *
 * Copyright © 2026 The veriexec authors
 *
 * The only code that formats what veriexec reports.  Built whether or not
 * CONFIG_AUDIT is set: <linux/audit.h> stubs the audit calls out.
 */

#include <linux/atomic.h>
#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "audit.h"
#include "common.h"

static const char *const op_names[] = {
	[VERIEXEC_OP_EXEC] = "exec",
	[VERIEXEC_OP_MMAP] = "mmap",
	[VERIEXEC_OP_MPROTECT] = "mprotect",
	[VERIEXEC_OP_OPEN] = "open",
	[VERIEXEC_OP_WRITE] = "write",
	[VERIEXEC_OP_TRUNCATE] = "truncate",
	[VERIEXEC_OP_RENAME] = "rename",
	[VERIEXEC_OP_UNLINK] = "unlink",
	[VERIEXEC_OP_LINK] = "link",
	[VERIEXEC_OP_SETATTR] = "setattr",
	[VERIEXEC_OP_SETXATTR] = "setxattr",
	[VERIEXEC_OP_REMOVEXATTR] = "removexattr",
	[VERIEXEC_OP_PTRACE] = "ptrace",
	[VERIEXEC_OP_CREATE] = "create",
	[VERIEXEC_OP_UMOUNT] = "umount",
	[VERIEXEC_OP_RMDIR] = "rmdir",
	[VERIEXEC_OP_MOUNT] = "mount",
	[VERIEXEC_OP_IOCTL] = "ioctl",
	[VERIEXEC_OP_KERNEL_READ] = "kernel_read",
	[VERIEXEC_OP_KERNEL_LOAD] = "kernel_load",
	[VERIEXEC_OP_LOCKED_DOWN] = "locked_down",
};

static_assert(ARRAY_SIZE(op_names) == __VERIEXEC_OP_MAX);

static const char *const reason_names[] = {
	[VERIEXEC_REASON_MISMATCH] = "fingerprint mismatch",
	[VERIEXEC_REASON_NO_ENTRY] = "no entry",
	[VERIEXEC_REASON_INDIRECT] = "indirect only",
	[VERIEXEC_REASON_IMMUTABLE] = "immutable",
	[VERIEXEC_REASON_OPEN_FOR_WRITE] = "open for write",
	[VERIEXEC_REASON_NO_PTRACE] = "no_ptrace",
	[VERIEXEC_REASON_NOT_TRUSTED] = "not trusted",
	[VERIEXEC_REASON_LOCKDOWN] = "lockdown",
	[VERIEXEC_REASON_EXECMEM] = "execmem",
};

static_assert(ARRAY_SIZE(reason_names) == __VERIEXEC_REASON_MAX);

static const char *const stat_names[] = {
	[VERIEXEC_STAT_LOOKUPS] = "lookups",
	[VERIEXEC_STAT_CACHE_HITS] = "cache_hits",
	[VERIEXEC_STAT_FINGERPRINTS] = "fingerprints",
	[VERIEXEC_STAT_BYTES_HASHED] = "bytes_hashed",
	[VERIEXEC_STAT_DENIALS] = "denials",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_MISMATCH] = "denied_mismatch",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_NO_ENTRY] = "denied_no_entry",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_INDIRECT] = "denied_indirect",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_IMMUTABLE] = "denied_immutable",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_OPEN_FOR_WRITE] =
		"denied_open_for_write",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_NO_PTRACE] = "denied_ptrace",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_NOT_TRUSTED] = "denied_devmem",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_LOCKDOWN] = "denied_lockdown",
	[VERIEXEC_STAT_DENIED + VERIEXEC_REASON_EXECMEM] = "denied_execmem",
};

static_assert(ARRAY_SIZE(stat_names) == __VERIEXEC_STAT_MAX);

/* Per-CPU so that the exec hot path never bounces a shared cache line. */
DEFINE_PER_CPU(u64[__VERIEXEC_STAT_MAX], veriexec_counters);

/* Files a background verification pass has still to hash: a gauge. */
static atomic_long_t pending = ATOMIC_LONG_INIT(0);

/**
 * veriexec_pending_add() - Move the pending gauge of the status file
 * @n: Files queued (positive) or done (negative).
 *
 * Context: Any context.
 */
void veriexec_pending_add(long n)
{
	atomic_long_add(n, &pending);
}

/**
 * veriexec_show_counters() - Print the counters as the status file does
 * @m: The seq_file of the status file.
 */
void veriexec_show_counters(struct seq_file *m)
{
	int i, cpu;

	for (i = 0; i < __VERIEXEC_STAT_MAX; i++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu(veriexec_counters, cpu)[i];
		seq_printf(m, "%s %llu\n", stat_names[i], sum);
	}
	seq_printf(m, "pending %ld\n", max(atomic_long_read(&pending), 0L));
}

static DEFINE_RATELIMIT_STATE(log_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/* Path for the record: absolute when we have a path, else in its fs. */
static const char *path_name(const struct path *path, struct dentry *dentry,
			     char *buf, int len)
{
	char *name;

	if (!buf)
		return "?";
	if (path)
		name = d_path(path, buf, len);
	else
		name = dentry_path_raw(dentry, buf, len);
	return IS_ERR(name) ? "?" : name;
}

static void log_denial(const struct veriexec_decision *d,
		       const struct veriexec_target *t, const char *name,
		       struct inode *inode)
{
	pr_notice("%s %s path=\"%s\" dev=%u:%u ino=%lu comm=\"%s\" pid=%d level=%u reason=\"%s\"%s%s%s\n",
		  d->deny ? "denied" : "would deny", op_names[t->op], name,
		  inode ? MAJOR(inode->i_sb->s_dev) : 0,
		  inode ? MINOR(inode->i_sb->s_dev) : 0,
		  inode ? inode->i_ino : 0, current->comm,
		  task_pid_nr(current), d->level, reason_names[d->reason],
		  t->detail ? " what=\"" : "", t->detail ?: "",
		  t->detail ? "\"" : "");
}

static void audit_denial(const struct veriexec_decision *d,
			 const struct veriexec_target *t, const char *name,
			 struct inode *inode)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     AUDIT_INTEGRITY_DATA);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=veriexec op=%s denied=%d level=%u reason=",
			 op_names[t->op], d->deny, d->level);
	audit_log_untrustedstring(ab, reason_names[d->reason]);
	if (t->detail) {
		audit_log_format(ab, " what=");
		audit_log_untrustedstring(ab, t->detail);
	}
	audit_log_format(ab, " path=");
	audit_log_untrustedstring(ab, name);
	if (inode)
		audit_log_format(ab, " dev=%u:%u ino=%lu",
				 MAJOR(inode->i_sb->s_dev),
				 MINOR(inode->i_sb->s_dev), inode->i_ino);
	audit_log_format(ab, " pid=%d comm=", task_pid_nr(current));
	audit_log_untrustedstring(ab, current->comm);
	audit_log_end(ab);
}

/**
 * veriexec_audit_deny() - Report a denial or a level-0 "would deny"
 * @d: The decision, with the level it was made at.
 * @t: What it is about.
 *
 * Counts the denial, writes a rate-limited log line and, with audit on,
 * an audit record.
 *
 * Context: Any context; does not sleep.
 */
void veriexec_audit_deny(const struct veriexec_decision *d,
			 const struct veriexec_target *t)
{
	struct inode *inode = t->dentry ? d_backing_inode(t->dentry) : NULL;
	bool log = __ratelimit(&log_rs);
	const char *name = "-";
	char *buf = NULL;

	veriexec_count(VERIEXEC_STAT_DENIALS, 1);
	veriexec_count(VERIEXEC_STAT_DENIED + d->reason, 1);
	if (!log && !audit_enabled)
		return;
	if (t->dentry) {
		buf = kmalloc(PATH_MAX, GFP_ATOMIC | __GFP_NOWARN);
		name = path_name(t->path, t->dentry, buf, PATH_MAX);
	}
	if (log)
		log_denial(d, t, name, inode);
	if (audit_enabled)
		audit_denial(d, t, name, inode);
	kfree(buf);
}

static struct audit_buffer *config_start(int type)
{
	if (!audit_enabled)
		return NULL;
	return audit_log_start(audit_context(), GFP_KERNEL, type);
}

/* Who made the change, as every configuration record says. */
static void config_end(struct audit_buffer *ab)
{
	if (!ab)
		return;
	audit_log_format(ab, " auid=%u ses=%u lsm=veriexec",
			 from_kuid(&init_user_ns, audit_get_loginuid(current)),
			 audit_get_sessionid(current));
	audit_log_end(ab);
}

/**
 * veriexec_audit_level() - Report a change of strict level
 * @old: The level before.
 * @new: The level now.
 */
void veriexec_audit_level(unsigned int old, unsigned int new)
{
	struct audit_buffer *ab = config_start(AUDIT_MAC_STATUS);

	pr_info("strict level %u -> %u\n", old, new);
	if (ab)
		audit_log_format(ab, "old_level=%u level=%u res=1", old, new);
	config_end(ab);
}

/**
 * veriexec_audit_seal() - Report that manifest loads are sealed
 */
void veriexec_audit_seal(void)
{
	struct audit_buffer *ab = config_start(AUDIT_MAC_STATUS);

	pr_info("manifest loads locked until reboot\n");
	if (ab)
		audit_log_format(ab, "locked=1 res=1");
	config_end(ab);
}

/**
 * veriexec_audit_load() - Report a manifest load
 * @name: The set's name.
 * @version: The set's version.
 * @entries: Entries loaded.
 * @rc: 0 on success, else the error returned to the loader.
 */
void veriexec_audit_load(const char *name, u64 version, size_t entries,
			 int rc)
{
	struct audit_buffer *ab = config_start(AUDIT_MAC_POLICY_LOAD);

	if (rc)
		pr_notice("set \"%s\" version %llu refused: %d\n",
			  name, version, rc);
	else
		pr_info("set \"%s\" version %llu loaded, %zu entries\n",
			name, version, entries);
	if (ab)
		audit_log_format(ab, "set=\"%s\" version=%llu entries=%zu errno=%d res=%d",
				 name, version, entries, rc, !rc);
	config_end(ab);
}
