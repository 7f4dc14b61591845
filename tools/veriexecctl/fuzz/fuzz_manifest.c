// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - libFuzzer harness for the kernel's manifest parser
 *
 * Copyright © 2026 The veriexec authors
 *
 * Built with ASan and UBSan over security/veriexec/manifest.c itself.
 * Beyond not crashing, a parsed manifest must hold what the parser
 * promises: absolute paths without control characters and options that
 * are never empty.
 */
#include <stdlib.h>

#include "../../../security/veriexec/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;
	size_t i;

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
