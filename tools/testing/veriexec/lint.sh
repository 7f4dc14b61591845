#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict, kernel-doc and sparse (C=1) over the
# project's kernel code; fails on any finding.
set -u

cd "$KTREE"
rc=0
files=$(ls security/veriexec/*.[ch])

echo "== checkpatch --strict"
# shellcheck disable=SC2086
./scripts/checkpatch.pl --strict --no-tree --quiet --terse \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files || rc=1

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

[ $rc = 0 ] && echo "lint: clean"
exit $rc
