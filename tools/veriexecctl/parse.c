// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - The kernel's own manifest parser, run in user space
 *
 * Copyright © 2026 The veriexec authors
 */
#include <errno.h>
#include <stdio.h>

#include "../../security/veriexec/detach.h"
#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

static void parse_failed(const char *label, long err,
			 const struct veriexec_parse_error *perr)
{
	if (err == -EINVAL)
		fail("%s: line %u: %s", label, perr->line, perr->reason);
	else
		fail("%s: out of memory", label);
}

int check_manifest_text(const char *label, const char *text, size_t len)
{
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;

	m = veriexec_manifest_parse(text, len, &err);
	if (IS_ERR(m)) {
		parse_failed(label, PTR_ERR(m), &err);
		return -1;
	}
	veriexec_manifest_free(m);
	return 0;
}

/**
 * signed_manifest_set() - The set a manifest to be loaded defines
 * @label: The file, for messages.
 * @data: A signed manifest, or an unsigned one (not starting with 0x30).
 * @len: Its length.
 * @name: Receives the set name: @name, or "default".
 * @size: Its size, at least %VERIEXEC_SET_NAME_MAX + 1.
 * @entries: Receives the number of entries.
 *
 * The content is taken out of the PKCS#7 message with the kernel's own
 * splitter and parsed with its parser; the signature is left to the
 * kernel, which checks it on load.
 *
 * Return: 0, or -1 after naming @label and the reason.
 */
int signed_manifest_set(const char *label, const void *data, size_t len,
			char *name, size_t size, size_t *entries)
{
	struct veriexec_detached d = { .content = data, .content_len = len };
	struct veriexec_parse_error perr;
	struct veriexec_manifest *m;
	int rc;

	if (len && *(const u8 *)data == 0x30) {
		rc = veriexec_detach(data, len, &d);
		if (rc) {
			fail("%s: %s", label, rc == -ENOMEM ? "out of memory" :
			     load_error(-rc));
			return -1;
		}
	}
	m = veriexec_manifest_parse((const char *)d.content, d.content_len,
				    &perr);
	kfree(d.sig);
	if (IS_ERR(m)) {
		parse_failed(label, PTR_ERR(m), &perr);
		return -1;
	}
	snprintf(name, size, "%s", m->name);
	*entries = m->count;
	veriexec_manifest_free(m);
	return 0;
}
