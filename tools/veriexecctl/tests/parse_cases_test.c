// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Host test: the KUnit parser cases through the tool's parser
 *
 * security/veriexec/manifest_kunit.c runs the cases of manifest_cases.h
 * through the kernel's build of manifest.c; this runs them through the
 * tool's build, on the shim, and expects the same outcome, so that a shim
 * helper that answers otherwise than the kernel's shows here.  Prints
 * "ok DESC" or "not ok DESC" lines for tests/run.sh, and exits 1 when a
 * case fails.
 */
#include <stdio.h>

#include <linux/kshim.h>

#include "../../../security/veriexec/manifest.h"
#include "../../../security/veriexec/manifest_cases.h"

/* As the KUnit case: the error, its line and a reason; or the count. */
static bool run_case(const struct veriexec_parse_case *c)
{
	size_t len = c->len ? c->len : strlen(c->text);
	struct veriexec_parse_error err = { 0 };
	struct veriexec_manifest *m;
	bool ok;

	m = veriexec_manifest_parse(c->text, len, &err);
	if (IS_ERR(m)) {
		ok = PTR_ERR(m) == c->rc && err.line == c->line && err.reason;
		if (!ok)
			printf("# %s: error %ld at line %u (%s), want %d at line %u\n",
			       c->desc, PTR_ERR(m), err.line,
			       err.reason ? err.reason : "no reason", c->rc,
			       c->line);
		return ok;
	}
	ok = !c->rc && m->count == c->count;
	if (!ok)
		printf("# %s: parsed, %zu entries, want %s%zu\n", c->desc,
		       m->count, c->rc ? "an error, not " : "", c->count);
	veriexec_manifest_free(m);
	return ok;
}

int main(void)
{
	bool failed = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(veriexec_parse_cases); i++) {
		const struct veriexec_parse_case *c = &veriexec_parse_cases[i];
		bool ok = run_case(c);

		printf("%s %s\n", ok ? "ok" : "not ok", c->desc);
		failed |= !ok;
	}
	return failed;
}
