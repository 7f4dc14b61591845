#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make patch: a git format-patch series that adds veriexec to a pristine
# 6.12 tree (KERNEL_SRC, or Debian's linux-source-6.12), checked by
# applying it with a plain git am to a copy of that whole tree and
# comparing the result with the tree the build used ($KTREE).
#
# A file with a CR in it (tools/veriexecctl/fuzz/corpus/crlf) goes in the
# series as a binary patch: git am would strip the CR from a text one.
#
# Usage: patch.sh OUTDIR
set -eu

out=${1:?usage: patch.sh OUTDIR}
top=$(cd "$(dirname "$0")/../../.." && pwd)
src=$(cat "$KTREE/.veriexec-src")
work=$(mktemp -d "${TMPDIR:-/tmp}/veriexec-patch.XXXXXX")
trap 'rm -rf "$work"' EXIT

wired="security/Kconfig security/Makefile include/uapi/linux/lsm.h
	include/linux/lsm_count.h tools/testing/selftests/Makefile
	tools/testing/selftests/lsm/lsm_list_modules_test.c
	Documentation/admin-guide/LSM/index.rst"

git init -q "$work/repo"
cd "$work/repo"
git config user.name "veriexec developers"
git config user.email "veriexec@example.org"
# Files with a CR: binary patches, which keep every byte.
(cd "$KTREE" && grep -rlI "$(printf '\r')" security/veriexec tools/veriexecctl \
	tools/testing/selftests/veriexec Documentation/admin-guide/LSM/veriexec.rst \
	2>/dev/null || true) | sed 's/$/ binary/' > .git/info/attributes
for f in $wired; do
	mkdir -p "$(dirname "$f")"
	cp "$src/$f" "$f"
done
git add -A
git commit -qm "base: pristine files of $(basename "$src")"
base=$(git rev-parse HEAD)

# commit SUBJECT BODY PATH...: lay the paths in from the wired tree.
commit() {
	subject=$1 body=$2
	shift 2
	for p in "$@"; do
		mkdir -p "$(dirname "$p")"
		rm -rf "$p"
		cp -a "$KTREE/$p" "$p"
	done
	git add -A
	git commit -q -s -m "$subject" -m "$body"
}

commit "veriexec: Add the veriexec LSM" \
"Veriexec lets a machine execute, map executable and open only the files
whose fingerprints are listed in a signed manifest, and keeps those files
from being changed, as NetBSD's veriexec and FreeBSD's mac_veriexec do.
Manifests are PKCS#7-signed text loaded through securityfs; verdicts are
cached in the inode blob so that an exec of a verified file costs one
lock-free read.  KUnit suites cover the parser, the store and the level
table." \
	security/veriexec $wired Documentation/admin-guide/LSM/veriexec.rst
commit "veriexecctl: Add the veriexec manifest tool" \
"veriexecctl generates, signs, verifies, converts (NetBSD and FreeBSD
formats), loads and inspects veriexec manifests, and loads them at boot
from an initramfs-tools hook or a systemd unit.  It builds the kernel's
own manifest parser, so that it accepts exactly what the kernel accepts." \
	tools/veriexecctl
commit "selftests/veriexec: Add veriexec selftests" \
"Manifest loading and refusals, every cell of the level table on tmpfs
and ext4, the level, the lock, boot integration and veriexecctl against
the kernel." \
	tools/testing/selftests/veriexec

rm -rf "$out"
mkdir -p "$out"
git format-patch -q -o "$out" "$base"..HEAD

# The series must apply with git am to a pristine tree and give $KTREE.
# Hard links make the copy cheap; the files git am changes are copied
# first, so that the pristine tree is never written through a link.
pristine=$work/pristine
cp -al "$src" "$pristine" 2>/dev/null || cp -a "$src" "$pristine"
cd "$pristine"
for f in $wired; do
	cp --remove-destination "$src/$f" "$f"
done
git init -q
git config user.name "veriexec developers"
git config user.email "veriexec@example.org"
git add -f $wired
git commit -qm "base: pristine files of $(basename "$src")"
git am -q "$out"/*.patch
if ! diff -rq --no-dereference -x .git -x .veriexec-src "$pristine" "$KTREE" \
		> "$work/diff"; then
	echo "patch: the series applied with git am differs from $KTREE:" >&2
	head -n 20 "$work/diff" >&2
	exit 1
fi
echo "patch: $(ls "$out" | wc -l) patches in $out (apply with git am)"
ls "$out"
