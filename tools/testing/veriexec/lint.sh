#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict, kernel-doc and sparse (C=1) over the
# project's kernel code, and docutils over its documentation; fails on any
# finding.
set -u

cd "$KTREE"
rc=0
files=$(ls security/veriexec/*.[ch])

echo "== checkpatch --strict"
# ENOSYS: the task_prctl hook's "not handled" value is -ENOSYS by the LSM
# API (task.c names it once, as PRCTL_NOT_MINE).
# shellcheck disable=SC2086
./scripts/checkpatch.pl --strict --no-tree --quiet --terse \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,ENOSYS -f $files || rc=1

echo "== kernel-doc"
# shellcheck disable=SC2086
out=$(./scripts/kernel-doc -none -Wall $files 2>&1)
[ -n "$out" ] && { echo "$out"; rc=1; }

echo "== sparse (C=1)"
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
make -s -C "$KTREE" O="$KOUT" ARCH=x86_64 CC="$cc" C=2 \
	security/veriexec/ > "$KOUT/sparse.log" 2>&1 || rc=1
grep -E 'warning|error' "$KOUT/sparse.log" && rc=1

echo "== rst (docutils)"
# Plain docutils knows no Sphinx directives; the page uses none, and
# anything it warns about would break htmldocs too.
python3 - Documentation/admin-guide/LSM/veriexec.rst <<'EOF' || rc=1
import sys
import docutils.core
import docutils.utils

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        docutils.core.publish_doctree(
            f.read(), source_path=sys.argv[1],
            settings_overrides={"report_level": 2, "halt_level": 2})
except docutils.utils.SystemMessage as e:
    print(e)
    sys.exit(1)
EOF

[ $rc = 0 ] && echo "lint: clean"
exit $rc
