#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prepare $KTREE: a working copy of the kernel source (KERNEL_SRC, or
# Debian's linux-source-6.12 unpacked once under $BUILD/src) with the
# project's files laid in and the wiring applied.  Only changed files are
# copied, so an incremental kernel build rebuilds only what changed.
set -eu

top=$(cd "$(dirname "$0")/../../.." && pwd)
src=${KERNEL_SRC:-}
if [ -z "$src" ]; then
	src=$BUILD/src/linux-source-6.12
	if [ ! -f "$src/Makefile" ]; then
		echo "tree: unpacking /usr/src/linux-source-6.12.tar.xz"
		mkdir -p "$BUILD/src"
		tar -xf /usr/src/linux-source-6.12.tar.xz -C "$BUILD/src"
	fi
fi
src=$(cd "$src" && pwd)
if ! grep -q '^VERSION = 6$' "$src/Makefile" ||
   ! grep -q '^PATCHLEVEL = 12$' "$src/Makefile"; then
	echo "tree: $src is not a Linux 6.12 tree" >&2
	exit 1
fi

if [ "$(cat "$KTREE/.veriexec-src" 2>/dev/null)" != "$src" ]; then
	echo "tree: copying $src to $KTREE"
	rm -rf "$KTREE"
	mkdir -p "$(dirname "$KTREE")"
	# Hard links are enough: every later change replaces files whole.
	cp -al "$src" "$KTREE" 2>/dev/null || cp -a "$src" "$KTREE"
	echo "$src" > "$KTREE/.veriexec-src"
fi

# tools/veriexecctl/debian is make deb's, not the kernel's.
for dir in security/veriexec tools/veriexecctl \
	   tools/testing/selftests/veriexec; do
	mkdir -p "$KTREE/$dir"
	rsync -rlt --delete --exclude=.gitignore --exclude=/debian/ \
		"$top/$dir/" "$KTREE/$dir/"
done
rsync -t "$top/Documentation/admin-guide/LSM/veriexec.rst" \
	"$KTREE/Documentation/admin-guide/LSM/veriexec.rst"
"$top/tools/testing/veriexec/wire.sh" "$KTREE"
