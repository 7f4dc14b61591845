#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Wire the veriexec LSM into a Linux 6.12 tree: Kconfig, Makefile, the LSM
# id, the static-call slot count, the LSM list selftest and the selftests
# list.  Safe to run any number of times on the same tree.
#
# Usage: wire.sh KERNEL_TREE
set -eu

tree=${1:?usage: wire.sh KERNEL_TREE}
cd "$tree"

# add_after FILE ANCHOR_REGEX NEW_LINE: insert NEW_LINE after the first line
# matching ANCHOR_REGEX, unless NEW_LINE is already in FILE.
add_after() {
	grep -qxF -- "$3" "$1" && return 0
	grep -qE -- "$2" "$1" || { echo "wire.sh: no '$2' in $1" >&2; exit 1; }
	awk -v re="$2" -v line="$3" '
		{ print }
		!done && $0 ~ re { print line; done = 1 }' "$1" > "$1.wire"
	mv "$1.wire" "$1"
}

add_after security/Kconfig '^source "security/ipe/Kconfig"' \
	'source "security/veriexec/Kconfig"'
add_after security/Makefile '^obj-\$\(CONFIG_SECURITY_IPE\)' \
	'obj-$(CONFIG_SECURITY_VERIEXEC)	+= veriexec/'
add_after include/uapi/linux/lsm.h '^#define LSM_ID_IPE' \
	'#define LSM_ID_VERIEXEC		114'

# Default LSM order: veriexec right after ipe, its closest relative.
if ! grep -q 'ipe,veriexec,bpf' security/Kconfig; then
	sed -i 's/,ipe,bpf"/,ipe,veriexec,bpf"/' security/Kconfig
fi

# lsm_count.h sizes the static-call slots: without this line the last LSM
# to register overflows them.
if ! grep -q VERIEXEC_ENABLED include/linux/lsm_count.h; then
	awk '
		/^#if IS_ENABLED\(CONFIG_SECURITY_IPE\)/ && !done {
			print "#if IS_ENABLED(CONFIG_SECURITY_VERIEXEC)"
			print "#define VERIEXEC_ENABLED 1,"
			print "#else"
			print "#define VERIEXEC_ENABLED"
			print "#endif"
			print ""
			done = 1
		}
		/^\t\tIPE_ENABLED\)/ {
			print "\t\tIPE_ENABLED\t\t\\"
			print "\t\tVERIEXEC_ENABLED)"
			next
		}
		{ print }' include/linux/lsm_count.h > include/linux/lsm_count.h.wire
	mv include/linux/lsm_count.h.wire include/linux/lsm_count.h
fi

f=tools/testing/selftests/lsm/lsm_list_modules_test.c
if ! grep -q LSM_ID_VERIEXEC "$f"; then
	awk '
		{ print }
		/^\t\t\tname = "ipe";/ { ipe = 1; next }
		ipe && /^\t\t\tbreak;/ {
			print "\t\tcase LSM_ID_VERIEXEC:"
			print "\t\t\tname = \"veriexec\";"
			print "\t\t\tbreak;"
			ipe = 0
		}' "$f" > "$f.wire"
	mv "$f.wire" "$f"
fi

add_after tools/testing/selftests/Makefile '^TARGETS \+= user_events' \
	'TARGETS += veriexec'
add_after Documentation/admin-guide/LSM/index.rst '^   ipe$' \
	'   veriexec'
