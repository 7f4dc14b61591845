#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-distro: boot the Debian image of make test-distro under
# -icount shift=0 (guest time counts instructions: repeatable), with
# veriexec at level 2 and its set hashed from the load on (@verify now),
# and with veriexec out of lsm=.  Twice: with the image's sha256 manifest
# (disk.img), and with fsverity-sha256 entries on an image whose listed
# files have fs-verity on (verity.img, after a preparation boot turns it
# on), which both of its boots pay for in page checks.  Prints the ratios
# of the times at which multi-user.target was reached, the ratios of the
# boots' wall-clock times beside them, and stress-ng's bogo-ops per
# stressor with and without veriexec.
#
# Usage: distro-bench.sh BZIMAGE DEB
# Environment: as distro-test.sh; BENCH_STRESS_SECS (guest seconds of
#	stress-ng, default 60), VM_TIMEOUT (per boot, default 3600).
set -u

kernel=${1:?usage: distro-bench.sh BZIMAGE DEB}
deb=${2:?usage: distro-bench.sh BZIMAGE DEB}
here=$(cd "$(dirname "$0")" && pwd)
out=$BUILD/distro
logs=$out/bench-logs
secs=${BENCH_STRESS_SECS:-60}
# Debian's order, as distro.config has it, without veriexec; IMA is
# always last.
lsm_without=landlock,lockdown,yama,apparmor,bpf
rm -rf "$logs"
mkdir -p "$logs"

sh "$here/mkdistro.sh" "$out" "$deb" "$here/distro-guest.sh" || exit 1

# qemu DISK SNAPSHOT NAME APPEND: one icount boot of DISK; its consoles in
# $logs/NAME.console and $logs/NAME.raw, its wall-clock ms in $logs/NAME.wall.
qemu() {
	t0=$(date +%s%N)
	timeout --foreground -k 5 "${VM_TIMEOUT:-3600}" \
		qemu-system-x86_64 -accel tcg -cpu max -icount shift=0 -smp 1 \
		-m "${VM_MEM:-1024}" -display none -vga none -monitor none \
		-no-reboot -nic none \
		-serial "file:$logs/$3.console" -serial "file:$logs/$3.raw" \
		-kernel "$kernel" -initrd "$out/initrd.img" \
		-drive "file=$1,format=raw,if=virtio,snapshot=$2" \
		-append "console=ttyS0 root=/dev/vda panic=-1 loglevel=4 $4" \
		< /dev/null
	echo "$(( ($(date +%s%N) - t0) / 1000000 ))" > "$logs/$3.wall"
	tr -d '\r' < "$logs/$3.raw" > "$logs/$3.tap"
}

# run NAME DISK APPEND: a benchmark boot (distro-guest.sh, mode bench).
run() {
	echo "== bench boot: $1 ($3)"
	qemu "$2" on "$1" "vxtest.mode=bench vxtest.stress=$secs $3"
	sed 's/^/   /' "$logs/$1.tap" | grep -v 'stress-ng: \(info\|metrc\)'
}

# fs-verity on, once, in a copy of verity.img, so reruns start from the
# image as built.
echo "== preparation boot: fs-verity on for the listed files of verity.img"
cp --sparse=always "$out/verity.img" "$logs/verity.img"
qemu "$logs/verity.img" off verity-prep \
	"rw lsm=$lsm_without init=/usr/local/sbin/vx-verity-enable"
cat "$logs/verity-prep.tap"
grep -q '^vx-verity: enabled [1-9][0-9]*, failed 0$' "$logs/verity-prep.tap" ||
	{ echo "FAILED: fs-verity could not be turned on"; exit 1; }

run sha256 "$out/disk.img" ""
run none "$out/disk.img" "lsm=$lsm_without"
run verity "$logs/verity.img" ""
run verity-none "$logs/verity.img" "lsm=$lsm_without"

val() { sed -n "s/^# bench $2 //p" "$logs/$1.tap" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "n/a" }'; }
# compare WITH WITHOUT WHAT: the boot-time and bogo-ops lines of a pair.
compare() {
	a=$(val "$1" multi_user_us) b=$(val "$2" multi_user_us)
	echo "$3: multi-user.target at $a us with veriexec (level 2, @verify now), $b us without"
	echo "  ratio: $(ratio "$a" "$b") [wall clock, boot to power-off: $(ratio "$(cat "$logs/$1.wall")" "$(cat "$logs/$2.wall")")] (target <= 1.05)"
	for s in exec fork mmap dir rename flock fcntl; do
		oa=$(val "$1" "bogo $s") ob=$(val "$2" "bogo $s")
		echo "  stress-ng $s, $secs s: bogo-ops ${oa:-?} with, ${ob:-?} without, ratio $(ratio "${oa:-0}" "${ob:-0}")"
	done
}
echo "== results (-icount shift=0; wall clock in brackets)"
compare sha256 none "sha256 entries"
compare verity verity-none "fsverity-sha256 entries, fs-verity on in both boots"
fails=$(cat "$logs"/sha256.tap "$logs"/none.tap "$logs"/verity.tap \
	"$logs"/verity-none.tap | grep -c '^not ok')
rm -f "$logs/verity.img"
echo "# logs: $logs"
[ "$fails" -eq 0 ] && [ -n "$(val sha256 multi_user_us)" ] &&
	[ -n "$(val verity multi_user_us)" ]
