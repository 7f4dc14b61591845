#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build veriexecctl's Debian package with dpkg-buildpackage and
# debhelper, out of tree.  The top of this tree is a kernel tree, not a
# Debian source package: what the tool builds from (tools/veriexecctl and
# security/veriexec) is copied to OUTDIR/veriexecctl-VERSION, laid out as
# here, with tools/veriexecctl/debian moved to its top.  The .deb (and the
# .buildinfo, .changes and -dbgsym package) land in OUTDIR; its path is
# printed.  VERSION is the top entry of tools/veriexecctl/debian/changelog.
#
# Usage: mkdeb.sh OUTDIR
set -eu

out=${1:?usage: mkdeb.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
version=$(dpkg-parsechangelog -l "$top/tools/veriexecctl/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
src=$out/veriexecctl-$version

rm -rf "$src"
rm -f "$out/veriexecctl_${version}_"* "$out/veriexecctl-dbgsym_${version}_"*
mkdir -p "$src/tools" "$src/security"
cp -R "$top/tools/veriexecctl" "$src/tools/"
cp -R "$top/security/veriexec" "$src/security/"
mv "$src/tools/veriexecctl/debian" "$src/debian"

if ! (cd "$src" && dpkg-buildpackage -b -us -uc -J) > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "mkdeb: dpkg-buildpackage failed; see $out/build.log" >&2
	exit 1
fi
echo "$out/veriexecctl_${version}_$arch.deb"
