// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - From a manifest's paths to inode keys
 *
 * Copyright © 2026 The veriexec authors
 *
 * Manifests list files directory by directory.  Each directory is walked
 * once, and each file in it is then one dcache lookup of its last
 * component, so that loading 100k paths costs less than stat(2) of them.
 * A last component that is a symlink or a mount point, or is not a plain
 * name, takes the full walk of its path instead: the answer is the same.
 */

#include <linux/blkdev.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cache.h"
#include "common.h"
#include "resolve.h"
#include "verify.h"

/**
 * struct dir_cache - The directory of the last path resolved
 * @name: That path; its first @len bytes name the directory.
 * @len: Length of the directory's name, with its final '/'; 0: none.
 * @path: The directory, when @err is 0.
 * @err: Why the directory could not be resolved.
 */
struct dir_cache {
	const char *name;
	size_t len;
	struct path path;
	int err;
};

static void dir_cache_drop(struct dir_cache *dc)
{
	if (dc->len && !dc->err)
		path_put(&dc->path);
	dc->len = 0;
}

/* Make @dc the directory of @name, the first @len bytes of it. */
static int dir_cache_update(struct dir_cache *dc, const char *name, size_t len)
{
	char *dir;

	if (dc->len == len && !memcmp(dc->name, name, len))
		return dc->err;
	dir_cache_drop(dc);
	dir = kstrndup(name, len, GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	dc->err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dc->path);
	kfree(dir);
	dc->name = name;
	dc->len = len;
	return dc->err;
}

static bool is_plain_name(const char *base)
{
	return *base && strcmp(base, ".") && strcmp(base, "..");
}

/* As kern_path(@name, LOOKUP_FOLLOW, @path), walking less; @len: strlen. */
static int lookup(struct dir_cache *dc, const char *name, size_t len,
		  struct path *path)
{
	const char *base = strrchr(name, '/') + 1;
	struct dentry *dentry;
	int rc;

	if (!is_plain_name(base))
		return kern_path(name, LOOKUP_FOLLOW, path);
	rc = dir_cache_update(dc, name, base - name);
	if (rc)
		return rc;
	dentry = lookup_one_unlocked(mnt_idmap(dc->path.mnt), base,
				     dc->path.dentry, len - (base - name));
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (d_is_symlink(dentry) || d_managed(dentry)) {
		dput(dentry);
		return kern_path(name, LOOKUP_FOLLOW, path);
	}
	if (d_is_negative(dentry)) {
		dput(dentry);
		return -ENOENT;
	}
	path->mnt = mntget(dc->path.mnt);
	path->dentry = dentry;
	return 0;
}

static int add_dir(struct veriexec_resolved *r, const struct inode *inode)
{
	if (r->nr_dirs == r->room) {
		u32 room = max(2 * r->room, 64);
		void *dirs = kvrealloc(r->dirs, room * sizeof(*r->dirs),
				       GFP_KERNEL);

		if (!dirs)
			return -ENOMEM;
		r->dirs = dirs;
		r->room = room;
	}
	veriexec_inode_key(inode, &r->dirs[r->nr_dirs++]);
	return 0;
}

/*
 * Every directory from @file's up to the namespace root, and the mount
 * points crossed on the way.  Files come directory by directory: a file
 * whose directory was the last one walked adds nothing new.
 */
static int add_ancestors(struct veriexec_resolved *r, const struct path *file)
{
	struct veriexec_key parent;
	struct path p = *file;
	struct dentry *up;
	int rc = 0;

	up = dget_parent(file->dentry);
	veriexec_inode_key(d_backing_inode(up), &parent);
	dput(up);
	if (r->nr_dirs && !memcmp(&parent, &r->last_parent, sizeof(parent)))
		return 0;
	r->last_parent = parent;
	path_get(&p);
	for (;;) {
		if (p.dentry == p.mnt->mnt_root) {
			if (!follow_up(&p))
				break;
		} else {
			struct dentry *up = dget_parent(p.dentry);

			dput(p.dentry);
			p.dentry = up;
		}
		rc = add_dir(r, d_backing_inode(p.dentry));
		if (rc)
			break;
	}
	path_put(&p);
	return rc;
}

/* -ENOENT for a path that does not exist: skipped, not an error. */
static int resolve_one(struct dir_cache *dc,
		       const struct veriexec_manifest_entry *e,
		       struct veriexec_resolved *r, size_t i)
{
	struct inode *inode;
	struct path path;
	int rc;

	rc = lookup(dc, e->path, e->path_len, &path);
	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	inode = veriexec_real_inode(path.dentry);
	if (!S_ISREG(inode->i_mode)) {
		path_put(&path);
		return -EISDIR;
	}
	veriexec_inode_key(inode, &r->keys[i]);
	r->devs[i] = new_encode_dev(inode->i_sb->s_dev);
	if (inode->i_sb->s_bdev)
		r->disks[i] = new_encode_dev(disk_devt(inode->i_sb->s_bdev->bd_disk));
	rc = add_ancestors(r, &path);
	path_put(&path);
	return rc;
}

static int resolve_all(struct veriexec_manifest *m, struct veriexec_resolved *r,
		       struct dir_cache *dc)
{
	size_t i, kept = 0;
	int rc;

	for (i = 0; i < m->count; i++) {
		struct veriexec_manifest_entry *e = &m->entries[i];

		if (e->path) {
			rc = resolve_one(dc, e, r, kept);
			if (rc == -ENOENT) {
				r->skipped++;
				continue;
			}
			if (rc) {
				pr_notice("line %u: \"%s\": %s\n", e->line,
					  e->path, rc == -EISDIR ?
					  "not a regular file" : "cannot resolve");
				return rc == -EISDIR ? -EINVAL : rc;
			}
		}
		m->entries[kept++] = *e;
		cond_resched();
	}
	m->count = kept;
	return 0;
}

/**
 * veriexec_resolve_paths() - Resolve a manifest's paths to inode keys
 * @m: The manifest; entries whose paths do not exist are dropped from it.
 * @r: Receives, for each entry kept, its key and device, and the count of
 *     paths dropped.  Free it with veriexec_resolved_free(), even on error.
 *
 * Paths resolve in the caller's mount namespace, following symlinks.
 *
 * Context: Process context; sleeps.
 * Return:
 * * 0		- Done.
 * * %-EINVAL	- A path is not a regular file.
 * * %-ENOMEM	- Out of memory.
 * * Another errno of a path that could not be resolved.
 */
int veriexec_resolve_paths(struct veriexec_manifest *m,
			   struct veriexec_resolved *r)
{
	struct dir_cache dc = { };
	int rc;

	r->keys = kvcalloc(m->count ? m->count : 1, sizeof(*r->keys),
			   GFP_KERNEL);
	r->devs = kvcalloc(m->count ? m->count : 1, sizeof(*r->devs),
			   GFP_KERNEL);
	r->disks = kvcalloc(m->count ? m->count : 1, sizeof(*r->disks),
			    GFP_KERNEL);
	if (!r->keys || !r->devs || !r->disks)
		return -ENOMEM;
	r->paths_ns = veriexec_mnt_ns();
	rc = resolve_all(m, r, &dc);
	dir_cache_drop(&dc);
	return rc;
}

/**
 * veriexec_mnt_ns() - The mount namespace the caller's paths resolve in
 *
 * The namespace is named by its inode number, as /proc/PID/ns/mnt shows
 * it: a set keeps no reference to it.  A number reused by a later
 * namespace only extends the guards of mounts to it.
 *
 * Context: Process context.
 * Return: The inode number, or 0 for an exiting task.
 */
u32 veriexec_mnt_ns(void)
{
	struct ns_common *ns = mntns_operations.get(current);
	u32 inum;

	if (!ns)
		return 0;
	inum = ns->inum;
	/* The caller's nsproxy still holds it: never the last reference. */
	mntns_operations.put(ns);
	return inum;
}

/**
 * veriexec_resolved_free() - Free what veriexec_resolve_paths() made
 * @r: The result.
 */
void veriexec_resolved_free(struct veriexec_resolved *r)
{
	kvfree(r->keys);
	kvfree(r->devs);
	kvfree(r->disks);
	kvfree(r->dirs);
}
