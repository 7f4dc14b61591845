#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Configure (when the fragments changed) and build the test kernel.
#
# Usage: kernel.sh VARIANT	(test, debug, bench, distro or distro-debug)
#
# A VARIANT of several words joined by "-" merges their fragments in that
# order: distro-debug is the distro kernel with the debug checkers.
set -eu

variant=${1:-test}
here=$(cd "$(dirname "$0")" && pwd)
frags="$here/qemu.config"
for part in $(echo "$variant" | tr - ' '); do
	[ -f "$here/$part.config" ] && frags="$frags $here/$part.config"
done

mkdir -p "$KOUT"
keyfrag=$KOUT/keys.config
echo "CONFIG_SYSTEM_TRUSTED_KEYS=\"$KEYS/ca.crt\"" > "$keyfrag.new"
cmp -s "$keyfrag.new" "$keyfrag" || mv "$keyfrag.new" "$keyfrag"
rm -f "$keyfrag.new"

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
# Paths relative to the build directory, so that another clone (CI) hits
# the same cache entries.
export CCACHE_BASEDIR="$BUILD" CCACHE_NOHASHDIR=1
kmake() {
	make -s -C "$KTREE" O="$KOUT" ARCH=x86_64 CC="$cc" "$@"
}

# shellcheck disable=SC2086
sum=$(cat $frags "$keyfrag" "$KTREE/security/veriexec/Kconfig" | md5sum)
if [ ! -f "$KOUT/.config" ] || [ "$(cat "$KOUT/.frags" 2>/dev/null)" != "$sum" ]; then
	echo "kernel: configuring $variant kernel"
	kmake tinyconfig >/dev/null
	# shellcheck disable=SC2086
	"$KTREE/scripts/kconfig/merge_config.sh" -m -O "$KOUT" \
		"$KOUT/.config" $frags "$keyfrag" >/dev/null
	kmake olddefconfig >/dev/null
	# The last fragment to set an option wins, as merge_config.sh does.
	# shellcheck disable=SC2086
	for opt in $(cat $frags | awk -F= '/^CONFIG_[A-Z0-9_]+=/ { v[$1] = $0 }
			END { for (k in v) if (v[k] ~ /=y$/) print v[k] }'); do
		grep -qx "$opt" "$KOUT/.config" ||
			{ echo "kernel: $opt did not stick" >&2; exit 1; }
	done
	echo "$sum" > "$KOUT/.frags"
fi
echo "kernel: building $variant kernel"
# modules: Module.symvers, for the selftests' out-of-tree test module.
kmake -j"$JOBS" bzImage modules
kmake headers >/dev/null
