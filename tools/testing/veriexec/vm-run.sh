#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test kernel under QEMU, run a script as root in the guest, print
# its output and exit with its status (contract section 8).
#
# Usage: vm-run.sh KERNEL BASE_CPIO SCRIPT [FILES_DIR]
# Environment: KCMDLINE, ACCEL (tcg|kvm), VM_TIMEOUT (seconds), VM_SMP,
#	VM_MEM, VM_LOG (keep the console log there), VM_QEMU_ARGS.
set -eu

kernel=$1 base=$2 script=$3 files=${4:-}
timeout_s=${VM_TIMEOUT:-1200}
work=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/root/vm" "$work/root/mnt/files"
cp "$script" "$work/root/vm/script"
[ -n "$files" ] && cp -a "$files/." "$work/root/mnt/files/"
(cd "$work/root" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 > "$work/extra.cpio")
cat "$base" "$work/extra.cpio" > "$work/initrd.cpio"

case "${ACCEL:-tcg}" in
kvm) accel="-accel kvm -cpu host" ;;
*) accel=${VM_TCG:--accel tcg,thread=multi -cpu max} ;;
esac

set +e
# shellcheck disable=SC2086
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 $accel \
	-m "${VM_MEM:-1024}" -smp "${VM_SMP:-2}" \
	-display none -vga none -monitor none -no-reboot \
	-serial "file:$work/console.log" -serial "file:$work/out.log" \
	-kernel "$kernel" -initrd "$work/initrd.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=7 ${KCMDLINE:-}" \
	${VM_QEMU_ARGS:-} </dev/null
qrc=$?
set -e

[ -n "${VM_LOG:-}" ] && tr -d '\r' < "$work/console.log" > "$VM_LOG"
# The serial line turns \n into \r\n.
tr -d '\r' < "$work/out.log" > "$work/out.txt"
sed '/^@@VM-EXIT [0-9]*@@$/d' "$work/out.txt"
rc=$(sed -n 's/^@@VM-EXIT \([0-9]*\)@@$/\1/p' "$work/out.txt" | tail -n 1)

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "vm-run: guest ran past ${timeout_s}s" >&2
	rc=124
elif [ -z "$rc" ]; then
	echo "vm-run: guest stopped before the script finished" >&2
	rc=125
fi
if grep -E -q 'Kernel panic|Oops|WARNING:|BUG:|Call Trace:|general protection fault|kmemleak: [0-9]+ new suspected' \
		"$work/console.log"; then
	echo "vm-run: the kernel reported a problem:" >&2
	grep -E -A 30 'Kernel panic|Oops|WARNING:|BUG:|general protection fault|kmemleak' \
		"$work/console.log" | head -n 60 >&2
	[ "$rc" = 0 ] && rc=126
fi
exit "$rc"
