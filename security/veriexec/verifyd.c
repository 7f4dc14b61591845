// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Verification ahead of first use
 *
 * Copyright © 2026 The veriexec authors
 *
 * NetBSD's "veriexecctl load -e", done in the background: after a set is
 * published, its files are hashed by an unbound workqueue on every CPU,
 * so that the first exec finds a cached verdict.  An exec that arrives
 * while its file is being hashed waits for that hash (verify.c).  A later
 * load of the same set makes the work left of the old one a no-op.
 */

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "audit.h"
#include "cache.h"
#include "common.h"
#include "store.h"
#include "verify.h"
#include "verifyd.h"

/**
 * struct verify_job - One file to hash for a set
 * @work: On @verify_wq.
 * @name: The set's name.
 * @serial: The build of the set the job belongs to.
 * @path: The file's path, as loaded.
 */
struct verify_job {
	struct work_struct work;
	char name[VERIEXEC_SET_NAME_MAX + 1];
	u64 serial;
	char path[];
};

static struct workqueue_struct *verify_wq __ro_after_init;

static bool still_loaded(const struct verify_job *job)
{
	struct veriexec_set *set;

	guard(rcu)();
	set = veriexec_store_find_set(veriexec_live_store(), job->name);
	return set && set->serial == job->serial;
}

static void verify_one(struct work_struct *work)
{
	struct verify_job *job = container_of(work, struct verify_job, work);
	struct veriexec_verdict v;
	struct file *file;

	if (still_loaded(job)) {
		/* A FIFO at a listed path must not hold the worker. */
		file = filp_open(job->path, O_RDONLY | O_LARGEFILE | O_NONBLOCK, 0);
		if (!IS_ERR(file)) {
			if (!veriexec_verdict(file, &v) &&
			    v.match == VERIEXEC_MATCH_MISMATCH)
				pr_notice("set \"%s\": \"%s\": fingerprint mismatch\n",
					  job->name, job->path);
			fput(file);
		}
	}
	veriexec_pending_add(-1);
	kfree(job);
}

static struct verify_job *new_job(const char *name, u64 serial,
				  const char *path)
{
	size_t len = strlen(path) + 1;
	struct verify_job *job;

	job = kmalloc(struct_size(job, path, len), GFP_KERNEL);
	if (!job)
		return NULL;
	INIT_WORK(&job->work, verify_one);
	strscpy(job->name, name);
	job->serial = serial;
	memcpy(job->path, path, len);
	return job;
}

/*
 * The path of entry @i of the build @serial of set @name, copied to @buf:
 * jobs are allocated outside the RCU section, one entry at a time.
 * Return: @buf, "" for an entry with no path, NULL past the end or once
 * the set was replaced.
 */
static const char *nth_path(const char *name, u64 serial, u32 i,
			    char *buf, size_t len)
{
	struct veriexec_set *set;
	const char *path;

	guard(rcu)();
	set = veriexec_store_find_set(veriexec_live_store(), name);
	if (!set || set->serial != serial || i >= set->count)
		return NULL;
	path = veriexec_entry_path(veriexec_set_nth(set, i));
	if (!path || strscpy(buf, path, len) < 0)
		return "";
	return buf;
}

/**
 * veriexec_verify_set() - Hash every file of a loaded set in the background
 * @name: The set's name.
 *
 * Paths resolve in the initial mount namespace, as the workers see it; a
 * file not found there is verified at its first use instead.
 *
 * Context: Process context; sleeps.
 * Return: 0, -ENOENT when no set of that name is loaded, or -ENOMEM.
 */
int veriexec_verify_set(const char *name)
{
	struct veriexec_set *set;
	struct verify_job *job;
	char *buf, set_name[VERIEXEC_SET_NAME_MAX + 1];
	const char *path;
	u64 serial;
	u32 i;

	scoped_guard(rcu) {
		set = veriexec_store_find_set(veriexec_live_store(), name);
		if (!set)
			return -ENOENT;
		serial = set->serial;
		strscpy(set_name, set->name);
	}
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; (path = nth_path(set_name, serial, i, buf, PATH_MAX)); i++) {
		if (!*path)
			continue;
		job = new_job(set_name, serial, path);
		if (!job)
			break;
		veriexec_pending_add(1);
		queue_work(verify_wq, &job->work);
		cond_resched();
	}
	kfree(buf);
	return 0;
}

static int __init veriexec_init_verifyd(void)
{
	if (!veriexec_initialized)
		return 0;
	verify_wq = alloc_workqueue("veriexec_verify", WQ_UNBOUND, 0);
	return verify_wq ? 0 : -ENOMEM;
}

late_initcall(veriexec_init_verifyd);
