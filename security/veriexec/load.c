// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Loading a signed manifest
 *
 * Copyright © 2026 The veriexec authors
 *
 * Signature, parse, path resolution, then one swap in the store.  Every
 * step before the swap works on private copies, so a failure anywhere
 * leaves the loaded sets as they were.
 */

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/namei.h>
#include <linux/slab.h>

#include "audit.h"
#include "cache.h"
#include "common.h"
#include "level.h"
#include "limits.h"
#include "load.h"
#include "manifest.h"
#include "signature.h"
#include "store.h"

/**
 * struct resolved - Where a manifest's paths led
 * @keys: Per entry, the inode key (sb_id 0: none).
 * @devs: Per entry, the device for listing.
 * @skipped: Paths that did not exist.
 */
struct resolved {
	struct veriexec_key *keys;
	u32 *devs;
	u32 skipped;
};

/* -ENOENT for a path that does not exist: skipped, not an error. */
static int resolve_one(const char *name, struct veriexec_key *key, u32 *dev)
{
	struct inode *inode;
	struct path path;
	int rc;

	rc = kern_path(name, LOOKUP_FOLLOW, &path);
	if (rc)
		return rc == -ENOTDIR ? -ENOENT : rc;
	inode = d_backing_inode(path.dentry);
	if (!S_ISREG(inode->i_mode)) {
		path_put(&path);
		return -EISDIR;
	}
	key->sb_id = veriexec_sb_id(inode->i_sb);
	key->ino = inode->i_ino;
	key->gen = inode->i_generation;
	*dev = new_encode_dev(inode->i_sb->s_dev);
	path_put(&path);
	return 0;
}

/* Resolve every path; drop the ones that do not exist from @m. */
static int resolve_paths(struct veriexec_manifest *m, struct resolved *r)
{
	size_t i, kept = 0;
	int rc;

	r->keys = kvcalloc(m->count ? m->count : 1, sizeof(*r->keys),
			   GFP_KERNEL);
	r->devs = kvcalloc(m->count ? m->count : 1, sizeof(*r->devs),
			   GFP_KERNEL);
	if (!r->keys || !r->devs)
		return -ENOMEM;
	for (i = 0; i < m->count; i++) {
		struct veriexec_manifest_entry *e = &m->entries[i];

		if (e->path) {
			rc = resolve_one(e->path, &r->keys[kept], &r->devs[kept]);
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

static struct veriexec_manifest *parse(const struct veriexec_content *text)
{
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;

	m = veriexec_manifest_parse(text->data, text->len, &err);
	if (PTR_ERR_OR_ZERO(m) == -EINVAL)
		pr_notice("manifest rejected: line %u: %s\n", err.line,
			  err.reason);
	return m;
}

/* Build the set (none for an empty manifest: that unloads) and swap. */
static int install(struct veriexec_manifest *m, const struct resolved *r,
		   bool empty)
{
	struct veriexec_set *set = NULL;
	const char *dup = NULL;
	int rc;

	if (!empty) {
		set = veriexec_set_build(m, r->keys, r->devs, r->skipped, &dup);
		if (IS_ERR(set)) {
			if (PTR_ERR(set) == -EEXIST)
				pr_notice("\"%s\": one file listed twice in set \"%s\"\n",
					  dup, m->name);
			return PTR_ERR(set);
		}
	}
	rc = veriexec_store_replace(set, m->name, m->version, &dup);
	if (rc == -EEXIST)
		pr_notice("\"%s\" is already listed by another set\n", dup);
	if (rc)
		veriexec_set_free(set);
	return rc;
}

/**
 * veriexec_load() - Load a signed manifest
 * @msg: The PKCS#7 message as written to the manifest file.
 * @len: Its length.
 *
 * Context: Process context; sleeps.  Paths resolve in the caller's mount
 * namespace.
 * Return: 0 or the errno of the contract (section 5); on error nothing
 * changed.
 */
int veriexec_load(const u8 *msg, size_t len)
{
	struct veriexec_content text = { };
	struct veriexec_manifest *m = NULL;
	struct resolved r = { };
	bool empty;
	int rc;

	if (veriexec_locked())
		return -EPERM;
	if (len > VERIEXEC_MANIFEST_MAX)
		return -EFBIG;
	rc = veriexec_verify_manifest(msg, len, &text);
	if (rc)
		goto out_audit;
	m = parse(&text);
	if (IS_ERR(m)) {
		rc = PTR_ERR(m);
		m = NULL;
		goto out_audit;
	}
	empty = !m->count;
	rc = resolve_paths(m, &r);
	if (!rc)
		rc = install(m, &r, empty);
out_audit:
	veriexec_audit_load(m ? m->name : "?", m ? m->version : 0,
			    m ? m->count : 0, rc);
	kvfree(r.keys);
	kvfree(r.devs);
	veriexec_manifest_free(m);
	kvfree(text.data);
	return rc;
}
