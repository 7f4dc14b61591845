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
#include <linux/slab.h>

#include "audit.h"
#include "common.h"
#include "level.h"
#include "limits.h"
#include "load.h"
#include "manifest.h"
#include "resolve.h"
#include "signature.h"
#include "store.h"
#include "verifyd.h"

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
static int install(struct veriexec_manifest *m, struct veriexec_resolved *r,
		   bool empty)
{
	struct veriexec_set *set;
	const char *dup = NULL;
	size_t i;
	int rc;

	if (empty)
		return veriexec_store_unload(veriexec_live_store(), m->name,
					     m->version);
	set = veriexec_set_build(m, r->keys, r->devs, r->skipped, &dup);
	if (IS_ERR(set)) {
		if (PTR_ERR(set) == -EEXIST)
			pr_notice("\"%s\": one file listed twice in set \"%s\"\n",
				  dup, m->name);
		return PTR_ERR(set);
	}
	for (i = 0; i < m->count; i++)
		veriexec_set_note_disk(set, r->keys[i].sb_id, r->disks[i]);
	veriexec_set_add_guards(set, r->dirs, r->nr_dirs);
	r->dirs = NULL;
	set->paths_ns = r->paths_ns;
	rc = veriexec_store_replace(veriexec_live_store(), set, &dup);
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
 * Return: 0 or an errno of the admin guide's table; on error nothing
 * changed.
 */
int veriexec_load(const u8 *msg, size_t len)
{
	struct veriexec_content text = { };
	struct veriexec_manifest *m = NULL;
	struct veriexec_resolved r = { };
	bool empty;
	int rc;

	if (veriexec_store_sealed(veriexec_live_store()))
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
	rc = veriexec_resolve_paths(m, &r);
	if (!rc)
		rc = install(m, &r, empty);
	if (!rc && !empty && m->verify_now)
		veriexec_verify_set(m->name);
out_audit:
	veriexec_audit_load(m ? m->name : "?", m ? m->version : 0,
			    m ? m->count : 0, rc);
	veriexec_resolved_free(&r);
	veriexec_manifest_free(m);
	return rc;
}
