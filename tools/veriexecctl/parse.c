// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - The kernel's own manifest parser, run in user space
 *
 * Copyright © 2026 The veriexec authors
 */
#include <errno.h>
#include <stdio.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

int check_manifest_text(const char *label, const char *text, size_t len)
{
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;

	m = veriexec_manifest_parse(text, len, &err);
	if (IS_ERR(m)) {
		if (PTR_ERR(m) == -EINVAL)
			fail("%s: line %u: %s", label, err.line, err.reason);
		else
			fail("%s: out of memory", label);
		return -1;
	}
	veriexec_manifest_free(m);
	return 0;
}
