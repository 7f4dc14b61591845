#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test-distro: build the Debian 12 image (mkdistro.sh) and boot it on
# the distro kernel under QEMU (virtio disk, the image's own initramfs):
# once at level 2 for the acceptance checks, once at level 0 for the
# learning workflow (learn.img).  systemd runs distro-guest.sh after
# multi-user.target; its TAP comes back on the second serial port.  Ends with "N passed, N failed", non-zero on
# any failure, a missing result, a timeout or a kernel oops/WARN/BUG.
#
# Usage: distro-test.sh BZIMAGE DEB
# Environment: BUILD, KOUT, KTREE, KEYS, CTL; DISTRO_OUT (the images and
#	logs, BUILD/distro by default); VM_TIMEOUT (seconds, default 1800),
#	VM_MEM (MB, default 1024), VM_SMP (CPUs, default 2), VM_APPEND (more
#	of the kernel command line), STRESS_SECS (stress-ng's run, default 20;
#	300 for the issue's five minutes).
set -u

kernel=${1:?usage: distro-test.sh BZIMAGE DEB}
deb=${2:?usage: distro-test.sh BZIMAGE DEB}
here=$(cd "$(dirname "$0")" && pwd)
out=${DISTRO_OUT:-$BUILD/distro}
logs=$out/logs
rm -rf "$logs"
mkdir -p "$logs"
pass=0 fail=0
t0=$(date +%s)

step() { echo "== $* ($(( $(date +%s) - t0 )) s)"; }

step "image: mkdistro.sh"
if ! DISTRO_CACHE=$BUILD/distro \
		sh "$here/mkdistro.sh" "$out" "$deb" "$here/distro-guest.sh"; then
	echo "FAILED: the image could not be built"
	echo "0 passed, 1 failed"
	exit 1
fi

case "${ACCEL:-tcg}" in
kvm) accel="-accel kvm -cpu host" ;;
*) accel="-accel tcg,thread=multi -cpu max" ;;
esac

# boot NAME DISK APPEND: boot DISK; its console in $logs/NAME-console.log,
# its TAP (second serial port) counted from $logs/NAME-tap.log.
boot() {
	name=$1 disk=$2
	step "boot $name: QEMU, distro kernel, $disk"
	# -snapshot: the boot changes the image (dpkg, copies), and a rerun
	# must start from the image as built.
	# shellcheck disable=SC2086
	timeout --foreground -k 5 "${VM_TIMEOUT:-1800}" nice -n 19 \
		qemu-system-x86_64 $accel -m "${VM_MEM:-1024}" -smp "${VM_SMP:-2}" \
		-display none -vga none -monitor none -no-reboot \
		-serial "file:$logs/$name-console.raw" \
		-serial "file:$logs/$name-tap.raw" \
		-kernel "$kernel" -initrd "$out/initrd.img" \
		-drive "file=$disk,format=raw,if=virtio,snapshot=on" \
		-append "console=ttyS0 root=/dev/vda panic=-1 loglevel=7 $3 ${VM_APPEND:-}" \
		-nic none < /dev/null
	qrc=$?
	console=$logs/$name-console.log tap=$logs/$name-tap.log
	tr -d '\r' < "$logs/$name-console.raw" > "$console"
	tr -d '\r' < "$logs/$name-tap.raw" > "$tap"
	step "boot $name ended (QEMU status $qrc)"
	sed 's/^/   /' "$tap"
	p=$(grep -c '^ok ' "$tap") f=$(grep -c '^not ok ' "$tap")
	pass=$((pass + p)) fail=$((fail + f))
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$tap" | head -n 1)
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "FAILED: $name: the guest ran past ${VM_TIMEOUT:-1800} s"
		fail=$((fail + 1))
	fi
	if [ -z "$plan" ]; then
		echo "FAILED: $name: the guest's checks did not run; end of the console:"
		tail -n 40 "$console"
		fail=$((fail + 1))
	elif [ $((p + f)) -lt "$plan" ]; then
		echo "FAILED: $name: $((p + f)) results of $plan planned"
		fail=$((fail + 1))
	fi
	if ! grep -qx '# done' "$tap"; then
		echo "FAILED: $name: the guest's checks did not finish"
		fail=$((fail + 1))
	fi
	# KASAN and lockdep report as BUG: and WARNING:, kmemleak as below.
	bad='Kernel panic|Oops|WARNING:|BUG:|general protection fault'
	bad="$bad|kmemleak: [0-9]+ new suspected|INFO: task .* blocked for more"
	if grep -E -q "$bad" "$console"; then
		echo "FAILED: $name: the kernel reported a problem:"
		grep -E -A 30 "$bad" "$console" | head -n 60
		fail=$((fail + 1))
	fi
	# Denials any time in the boot (the guest's counter starts at the load).
	grep 'veriexec:.*\(denied\|would deny\)' "$console" | head -n 20 |
		sed "s/^/# $name console: /"
}

boot main "$out/disk.img" "vxtest.stress=${STRESS_SECS:-20}"
main_console=$console

# The order in the kernel log: the set loaded and level 1 from the
# initramfs, level 2 and the lock from /usr/lib/veriexec/init, and only
# then systemd.
line() { grep -n "$1" "$main_console" | head -n 1 | cut -d: -f1; }
l_load=$(line 'veriexec: set "debian" version 1 loaded')
l_one=$(line 'veriexec: strict level 0 -> 1')
l_two=$(line 'veriexec: strict level 1 -> 2')
l_lock=$(line 'veriexec: manifest loads locked')
l_sysd=$(line 'systemd\[1\]: systemd .* running in system mode')
echo "# console lines: load $l_load, level 1 $l_one, level 2 $l_two, lock $l_lock, systemd $l_sysd"
if [ -n "$l_load" ] && [ -n "$l_one" ] && [ -n "$l_two" ] && [ -n "$l_lock" ] &&
   [ -n "$l_sysd" ] && [ "$l_load" -lt "$l_one" ] && [ "$l_one" -lt "$l_two" ] &&
   [ "$l_two" -lt "$l_sysd" ] && [ "$l_lock" -lt "$l_sysd" ]; then
	echo "ok - host: set loaded, level 1, then level 2 and lock before systemd ran"
	pass=$((pass + 1))
else
	echo "not ok - host: set loaded, level 1, then level 2 and lock before systemd ran"
	grep -n 'veriexec:\|running in system mode\|Run /init\|init-bottom' \
		"$main_console" | head -n 30 | sed 's/^/# /'
	fail=$((fail + 1))
fi


# Level 0 with a set that leaves out most libraries, then learn, sign,
# load and level 2 (issue 18's learning mode).
boot learn "$out/learn.img" "vxtest.mode=learn"
echo "# logs: $logs"
step "total"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
