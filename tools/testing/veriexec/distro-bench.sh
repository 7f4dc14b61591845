#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-distro: boot the Debian image of make test-distro twice under
# -icount shift=0 (guest time counts instructions: repeatable), once with
# veriexec at level 2, its set hashed from the load on (@verify now), and
# once with veriexec out of lsm=.  Prints the ratio of the times at which
# multi-user.target was reached, the ratio of the boots' wall-clock times
# beside it, and stress-ng's bogo-ops per stressor in both boots.
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

# run NAME APPEND...: one boot; its TAP in $logs/NAME.tap, its wall-clock
# seconds in $logs/NAME.wall.
run() {
	name=$1
	shift
	echo "== bench boot: $name ($*)"
	t0=$(date +%s%N)
	timeout --foreground -k 5 "${VM_TIMEOUT:-3600}" \
		qemu-system-x86_64 -accel tcg -cpu max -icount shift=0 -smp 1 \
		-m "${VM_MEM:-1024}" -display none -vga none -monitor none \
		-no-reboot -nic none \
		-serial "file:$logs/$name.console" -serial "file:$logs/$name.raw" \
		-kernel "$kernel" -initrd "$out/initrd.img" \
		-drive "file=$out/disk.img,format=raw,if=virtio,snapshot=on" \
		-append "console=ttyS0 root=/dev/vda panic=-1 loglevel=4 vxtest.mode=bench vxtest.stress=$secs $*" \
		< /dev/null
	echo "$(( ($(date +%s%N) - t0) / 1000000 ))" > "$logs/$name.wall"
	tr -d '\r' < "$logs/$name.raw" > "$logs/$name.tap"
	sed 's/^/   /' "$logs/$name.tap" | grep -v 'stress-ng: \(info\|metrc\)'
}

run veriexec ""
run none "lsm=$lsm_without"

val() { sed -n "s/^# bench $2 //p" "$logs/$1.tap" | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "n/a" }'; }
a=$(val veriexec multi_user_us) b=$(val none multi_user_us)
wa=$(cat "$logs/veriexec.wall") wb=$(cat "$logs/none.wall")
echo "== results (-icount shift=0; wall clock in brackets)"
echo "boot to multi-user.target: veriexec level 2 with @verify now $a us, without veriexec $b us"
echo "  ratio veriexec/none: $(ratio "$a" "$b") [wall, boot to power-off: $(ratio "$wa" "$wb")] (target <= 1.05)"
for s in exec fork mmap dir rename flock fcntl; do
	oa=$(val veriexec "bogo $s") ob=$(val none "bogo $s")
	echo "stress-ng $s, $secs s: bogo-ops veriexec ${oa:-?}, none ${ob:-?}, ratio $(ratio "${oa:-0}" "${ob:-0}")"
done
fails=$(cat "$logs/veriexec.tap" "$logs/none.tap" | grep -c '^not ok')
echo "# logs: $logs"
[ -n "$a" ] && [ -n "$b" ] && [ "$fails" -eq 0 ]
