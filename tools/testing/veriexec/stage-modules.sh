# SPDX-License-Identifier: GPL-2.0
#
# Sourced by boot-pieces-test.sh and mkdistro.sh, which run mkinitramfs
# for a kernel whose code is all built in.
#
# stage_modules KOUT ROOT: ROOT/usr/lib/modules/KVER for the kernel built
# in KOUT: its lists of built-in and ordered modules (there are no
# loadable ones) and depmod's files, made here, since where mkinitramfs
# runs /usr may be read-only.  Sets kver.
stage_modules() {
	kver=$(cat "$1/include/config/kernel.release")
	mkdir -p "$2/usr/lib/modules/$kver"
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$1/$f" ] && cp "$1/$f" "$2/usr/lib/modules/$kver/"
	done
	depmod -b "$2/usr" "$kver"
}
