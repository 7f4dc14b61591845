// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - securityfs interface
 *
 * Copyright © 2026 The veriexec authors
 *
 * /sys/kernel/security/veriexec/: the files the admin guide lists.
 */

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include <linux/kdev_t.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "audit.h"
#include "common.h"
#include "eval.h"
#include "learn.h"
#include "level.h"
#include "limits.h"
#include "load.h"
#include "manifest.h"
#include "setup.h"
#include "store.h"
#include "verifyd.h"

static bool may_admin(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN);
}

/* Totals over the sets loaded now, for state and status. */
struct totals {
	u64 entries, sets, skipped;
};

static void count_sets(struct totals *t)
{
	struct veriexec_store *store = veriexec_live_store();
	struct veriexec_set *set;

	memset(t, 0, sizeof(*t));
	guard(rcu)();
	for (set = veriexec_store_first_set(store); set;
	     set = veriexec_store_next_set(store, set)) {
		t->entries += set->count;
		t->skipped += set->skipped;
		t->sets++;
	}
}

static int state_show(struct seq_file *m, void *v)
{
	struct totals t;

	count_sets(&t);
	if (t.entries)
		seq_puts(m, "loaded ");
	seq_puts(m, "active");
	if (veriexec_enforcing(veriexec_level()))
		seq_puts(m, " enforce");
	if (veriexec_store_sealed(veriexec_live_store()))
		seq_puts(m, " locked");
	seq_putc(m, '\n');
	return 0;
}

static int algorithms_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < __VERIEXEC_ALGO_MAX; i++)
		seq_printf(m, "%s%s", i ? " " : "", veriexec_algo_name(i));
	seq_putc(m, '\n');
	return 0;
}

static int level_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", veriexec_level());
	return 0;
}

static int status_show(struct seq_file *m, void *v)
{
	struct totals t;

	count_sets(&t);
	seq_printf(m, "entries %llu\nsets %llu\nskipped %llu\n", t.entries,
		   t.sets, t.skipped);
	veriexec_show_counters(m);
	return 0;
}

static int sets_show(struct seq_file *m, void *v)
{
	struct veriexec_store *store = veriexec_live_store();
	struct veriexec_set *set;

	guard(rcu)();
	for (set = veriexec_store_first_set(store); set;
	     set = veriexec_store_next_set(store, set))
		seq_printf(m, "%s %llu %u %u\n", set->name, set->version,
			   set->count, set->skipped);
	return 0;
}

/**
 * struct entries_pos - Where a read of the entries file is
 * @set: The set, valid under the RCU read lock taken in start().
 * @i: Index in @set.
 */
struct entries_pos {
	struct veriexec_set *set;
	u32 i;
};

/* The entry at @pos over all sets, walking sets by their counts. */
static void *entries_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct veriexec_store *store = veriexec_live_store();
	struct entries_pos *p = m->private;
	struct veriexec_set *set;
	loff_t left = *pos;

	rcu_read_lock();
	for (set = veriexec_store_first_set(store); set;
	     set = veriexec_store_next_set(store, set)) {
		if (left < set->count) {
			p->set = set;
			p->i = left;
			return p;
		}
		left -= set->count;
	}
	return NULL;
}

static void *entries_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct entries_pos *p = v;

	++*pos;
	if (++p->i < p->set->count)
		return p;
	p->i = 0;
	do {
		p->set = veriexec_store_next_set(veriexec_live_store(), p->set);
	} while (p->set && !p->set->count);
	return p->set ? p : NULL;
}

static void entries_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static const char *const status_names[] = {
	[VERIEXEC_MATCH_NONE] = "unevaluated",
	[VERIEXEC_MATCH_VALID] = "valid",
	[VERIEXEC_MATCH_MISMATCH] = "mismatch",
};

static void show_opts(struct seq_file *m, u8 opts)
{
	bool first = true;
	int bit;

	for (bit = 0; bit < VERIEXEC_OPT_COUNT; bit++) {
		if (!(opts & BIT(bit)))
			continue;
		seq_printf(m, "%s%s", first ? "" : ",", veriexec_opt_name(bit));
		first = false;
	}
}

static int entries_show(struct seq_file *m, void *v)
{
	const struct entries_pos *p = v;
	const struct veriexec_entry *e = veriexec_set_nth(p->set, p->i);
	const char *path = veriexec_entry_path(e);

	seq_printf(m, "%s ", p->set->name);
	if (path)
		seq_escape(m, path, " \t\n\\");
	else
		seq_putc(m, '-');
	seq_printf(m, " %s %*phN ", veriexec_algo_name(e->algo),
		   veriexec_algo_size(e->algo), veriexec_entry_digest(e));
	show_opts(m, e->opts);
	if (e->key.sb_id)
		seq_printf(m, " %u:%u:%llu", MAJOR(new_decode_dev(e->dev)),
			   MINOR(new_decode_dev(e->dev)), e->key.ino);
	else
		seq_puts(m, " -");
	seq_printf(m, " %s\n", status_names[READ_ONCE(e->status)]);
	return 0;
}

static const struct seq_operations entries_seq_ops = {
	.start = entries_start,
	.next = entries_next,
	.stop = entries_stop,
	.show = entries_show,
};

static int entries_open(struct inode *inode, struct file *file)
{
	if (!may_admin(file))
		return -EPERM;
	return seq_open_private(file, &entries_seq_ops,
				sizeof(struct entries_pos));
}

static int learned_show(struct seq_file *m, void *v)
{
	return veriexec_show_learned(m);
}

static int learned_open(struct inode *inode, struct file *file)
{
	if (!may_admin(file))
		return -EPERM;
	return single_open(file, learned_show, NULL);
}

static const struct file_operations learned_fops = {
	.open = learned_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations entries_fops = {
	.open = entries_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/**
 * struct upload - A manifest being written to the manifest file
 * @lock: Serializes writes and flushes of one open file.
 * @buf: What was written so far.
 * @len: Bytes in @buf.
 * @size: Bytes allocated for @buf.
 * @done: Loaded (or refused) at the first flush; later flushes of dup()ed
 *	  descriptors only return @rc.
 * @rc: What that load returned.
 */
struct upload {
	struct mutex lock;	/* serializes this file's writes and flushes */
	u8 *buf;
	size_t len, size;
	bool done;
	int rc;
};

static int manifest_open(struct inode *inode, struct file *file)
{
	struct upload *up;

	if (!may_admin(file))
		return -EPERM;
	up = kzalloc(sizeof(*up), GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	mutex_init(&up->lock);
	file->private_data = up;
	return 0;
}

static int grow(struct upload *up, size_t need)
{
	size_t size = max_t(size_t, up->size * 2, SZ_64K);
	u8 *buf;

	while (size < need)
		size *= 2;
	size = min_t(size_t, size, VERIEXEC_MANIFEST_MAX);
	buf = kvrealloc(up->buf, size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	up->buf = buf;
	up->size = size;
	return 0;
}

/* Appends; the load happens when the file is closed. */
static ssize_t manifest_write(struct file *file, const char __user *data,
			      size_t len, loff_t *ppos)
{
	struct upload *up = file->private_data;
	int rc;

	if (!may_admin(file) || !capable(CAP_MAC_ADMIN))
		return -EPERM;
	guard(mutex)(&up->lock);
	if (up->done)
		return -EINVAL;
	if (len > VERIEXEC_MANIFEST_MAX - up->len)
		return -EFBIG;
	if (up->len + len > up->size) {
		rc = grow(up, up->len + len);
		if (rc)
			return rc;
	}
	if (copy_from_user(up->buf + up->len, data, len))
		return -EFAULT;
	up->len += len;
	return len;
}

/* close(2) returns what ->flush() returns, so the verdict reaches it. */
static int manifest_flush(struct file *file, fl_owner_t id)
{
	struct upload *up = file->private_data;

	guard(mutex)(&up->lock);
	if (up->done || !up->len)
		return up->rc;
	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	up->rc = veriexec_load(up->buf, up->len);
	up->done = true;
	kvfree(up->buf);
	up->buf = NULL;
	return up->rc;
}

static int manifest_release(struct inode *inode, struct file *file)
{
	struct upload *up = file->private_data;

	kvfree(up->buf);
	kfree(up);
	return 0;
}

static const struct file_operations manifest_fops = {
	.open = manifest_open,
	.write = manifest_write,
	.flush = manifest_flush,
	.release = manifest_release,
	.llseek = noop_llseek,
};

static ssize_t level_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	unsigned int n, old;
	int rc;

	if (!may_admin(file))
		return -EPERM;
	rc = kstrtouint_from_user(buf, len, 10, &n);
	if (rc)
		return rc;
	rc = veriexec_raise_level(n, &old);
	if (rc)
		return rc;
	/* The writer reports it, with old and new, as IPE's setenforce(). */
	if (old != n)
		veriexec_audit_level(old, n);
	return len;
}

static ssize_t lock_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	struct veriexec_store *store = veriexec_live_store();
	bool on;
	int rc;

	if (!may_admin(file))
		return -EPERM;
	rc = kstrtobool_from_user(buf, len, &on);
	if (rc)
		return rc;
	if (!on)
		return veriexec_store_sealed(store) ? -EPERM : -EINVAL;
	veriexec_store_seal(store);
	veriexec_audit_seal();
	return len;
}

/* "NAME\n": hash the files of set NAME in the background (load -e). */
static ssize_t verify_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	char name[VERIEXEC_SET_NAME_MAX + 2];
	int rc;

	if (!may_admin(file))
		return -EPERM;
	if (!len || len >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, buf, len))
		return -EFAULT;
	name[len] = '\0';
	strim(name);
	rc = veriexec_verify_set(name);
	return rc ? rc : len;
}

#define SHOW_FOPS(name)							\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_show, NULL);			\
}									\
static const struct file_operations name##_fops = {			\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

SHOW_FOPS(state);
SHOW_FOPS(algorithms);
SHOW_FOPS(status);
SHOW_FOPS(sets);

static int level_open(struct inode *inode, struct file *file)
{
	return single_open(file, level_show, NULL);
}

static const struct file_operations level_fops = {
	.open = level_open,
	.read = seq_read,
	.write = level_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations lock_fops = {
	.write = lock_write,
	.llseek = noop_llseek,
};

static const struct file_operations verify_fops = {
	.write = verify_write,
	.llseek = noop_llseek,
};

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} files[] = {
	{ "manifest", 0200, &manifest_fops },
	{ "level", 0644, &level_fops },
	{ "lock", 0200, &lock_fops },
	{ "state", 0444, &state_fops },
	{ "entries", 0400, &entries_fops },
	{ "sets", 0444, &sets_fops },
	{ "algorithms", 0444, &algorithms_fops },
	{ "status", 0444, &status_fops },
	{ "learned", 0400, &learned_fops },
	{ "verify", 0200, &verify_fops },
};

static struct dentry *root __ro_after_init;

static int __init veriexec_init_securityfs(void)
{
	struct dentry *d;
	size_t i;

	if (!veriexec_initialized)
		return 0;
	root = securityfs_create_dir(VERIEXEC_NAME, NULL);
	if (IS_ERR(root))
		return PTR_ERR(root);
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		d = securityfs_create_file(files[i].name, files[i].mode, root,
					   NULL, files[i].fops);
		if (IS_ERR(d))
			goto out_remove;
	}
	return 0;

out_remove:
	securityfs_recursive_remove(root);
	return PTR_ERR(d);
}

fs_initcall(veriexec_init_securityfs);
