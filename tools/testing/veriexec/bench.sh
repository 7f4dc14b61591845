#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: veriexec against no LSM and against IMA appraisal, on one
# kernel booted three ways (lsm=capability, lsm=veriexec, lsm=ima), rounds
# interleaved, each in wall-clock time and with -icount shift=0 (guest
# time counts instructions and repeats exactly).  Prints the medians and
# the ratios: the cached exec loop, first verification of a 64 MB file
# against busybox sha256sum on it in the same boot, and loading a signed
# manifest of 100k paths against stat(2) of those paths from user space.
# The store's KUnit benchmark (lookups in 1k and 1M entries) runs in
# boots of the test kernel, with both clocks too.
#
# Usage: bench.sh BZIMAGE IMAGE TEST_BZIMAGE
set -eu

kernel=$1 image=$2 test_kernel=$3
here=$(cd "$(dirname "$0")" && pwd)
rounds=${BENCH_ROUNDS:-3}
execs=${BENCH_EXECS:-300}
paths=${BENCH_PATHS:-100000}
writes=${BENCH_WRITES:-2000}
empty=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
work=$(mktemp -d "${TMPDIR:-/tmp}/veriexec-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat > "$work/guest.sh" <<GUEST
mode=\$(sed -n 's/.*vxbench=\([a-z]*\).*/\1/p' /proc/cmdline)
B=/usr/bin/veriexec-bench
dd if=/dev/zero of=/tmp/b.img bs=1M count=96 2>/dev/null
dev=\$(losetup -f) && losetup \$dev /tmp/b.img && mke2fs -q \$dev &&
	mkdir -p /mnt/b && mount -t ext4 \$dev /mnt/b || exit 1
cp \$B /mnt/b/nop
dd if=/dev/zero of=/mnt/b/big bs=1M count=64 2>/dev/null
case \$mode in
veriexec)
	veriexecctl generate --all --name bench /bin /usr /lib /lib64 /mnt/b > /tmp/m
	veriexecctl sign --key /etc/veriexec/test/signing.key \
		--cert /etc/veriexec/test/signing.crt -o /tmp/m.p7s /tmp/m
	veriexecctl load /tmp/m.p7s || exit 1 ;;
ima)
	printf 'appraise func=BPRM_CHECK fsmagic=0xef53\nappraise func=MMAP_CHECK mask=MAY_EXEC fsmagic=0xef53\nappraise func=FILE_CHECK mask=MAY_READ fsmagic=0xef53\n' \
		> /sys/kernel/security/ima/policy || exit 1 ;;
esac
# Warm up: first verifications (IMA in fix mode labels here), page cache.
\$B exec /mnt/b/nop 20 > /dev/null || exit 1
\$B open /mnt/b/big > /dev/null || exit 1
sha256sum /mnt/b/big > /dev/null
echo "exec \$(\$B exec /mnt/b/nop $execs)"
\$B dirty /mnt/b/big
echo "verify \$(\$B open /mnt/b/big)"
echo "sha256sum \$(\$B time /usr/bin/sha256sum /mnt/b/big)"
# From here veriexec runs at level 2 (IPS): writes to unlisted files on a
# filesystem with monitored files, and execs through overlays.
[ \$mode = veriexec ] && { veriexecctl level 2 || exit 1; }
mkdir -p /mnt/b/w && \$B writes /mnt/b/w 50 > /dev/null || exit 1
echo "writes \$(\$B writes /mnt/b/w $writes)"
echo "mapw \$(\$B mapw /mnt/b/w $writes)"
# Two overlays on the ext4 as their lower layer: a cached exec through
# the first against the same exec on the layer, then a first exec in the
# second, which must be a cache hit (no new fingerprint).
mkdir -p /tmp/o && mount -t tmpfs tmpfs /tmp/o &&
	mkdir -p /tmp/o/u1 /tmp/o/w1 /tmp/o/m1 /tmp/o/u2 /tmp/o/w2 /tmp/o/m2 &&
	mount -t overlay o -o lowerdir=/mnt/b,upperdir=/tmp/o/u1,workdir=/tmp/o/w1 /tmp/o/m1 &&
	mount -t overlay o -o lowerdir=/mnt/b,upperdir=/tmp/o/u2,workdir=/tmp/o/w2 /tmp/o/m2 || exit 1
\$B exec /tmp/o/m1/nop 20 > /dev/null || exit 1
echo "lowerexec \$(\$B exec /mnt/b/nop $execs)"
echo "ovlexec \$(\$B exec /tmp/o/m1/nop $execs)"
fp() { awk '\$1 == "fingerprints" { print \$2 }' /sys/kernel/security/veriexec/status; }
if [ \$mode = veriexec ]; then
	f0=\$(fp); \$B exec /tmp/o/m2/nop 1 > /dev/null || exit 1
	echo "ovl2fp \$((\$(fp) - f0))"
fi
[ \$mode = veriexec ] || exit 0
# Path walks are the floor of a load: $paths files, stat(2) of each from
# user space against a signed manifest listing them, interleaved.
mkdir /tmp/paths && \$B files /tmp/paths $paths > /tmp/paths.list || exit 1
{ echo "@name paths"; sed 's/\$/ sha256 $empty/' /tmp/paths.list; } > /tmp/pm
veriexecctl sign --key /etc/veriexec/test/signing.key \
	--cert /etc/veriexec/test/signing.crt -o /tmp/pm.p7s /tmp/pm || exit 1
\$B stat /tmp/paths.list > /dev/null || exit 1
for i in 1 2 3; do
	echo "stat \$(\$B stat /tmp/paths.list)"
	echo "load \$(\$B load /tmp/pm.p7s)"
done
GUEST
echo true > "$work/store.sh"

# boot MODE CLOCK: one boot, its three figures appended to results.
boot() {
	case $1 in
	none) lsm="lsm=capability" ;;
	veriexec) lsm="lsm=veriexec" ;;
	ima) lsm="lsm=ima ima_appraise=fix" ;;
	esac
	if [ "$2" = icount ]; then
		tcg="-accel tcg -cpu max" qargs="-icount shift=0"
	else
		tcg="-accel tcg,thread=multi -cpu max" qargs=
	fi
	VM_SMP=1 VM_TCG="$tcg" VM_QEMU_ARGS="$qargs" \
		KCMDLINE="$lsm vxbench=$1" \
		"$here/vm-run.sh" "$kernel" "$image" "$work/guest.sh" \
		> "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
	sed -n "s/^\(exec\|verify\|sha256sum\|stat\|load\|writes\|mapw\|lowerexec\|ovlexec\|ovl2fp\) \([0-9]*\)$/$2 $1 \1 \2/p" \
		"$work/out" >> "$work/results"
}

# store CLOCK: the store's KUnit benchmark, alone, in the test kernel.
store() {
	if [ "$1" = icount ]; then
		tcg="-accel tcg -cpu max" qargs="-icount shift=0"
	else
		tcg="-accel tcg,thread=multi -cpu max" qargs=
	fi
	VM_SMP=1 VM_TCG="$tcg" VM_QEMU_ARGS="$qargs" VM_LOG="$work/klog" \
		KCMDLINE="kunit.enable=1 kunit.filter_glob=veriexec_store.test_veriexec_store_benchmark" \
		"$here/vm-run.sh" "$test_kernel" "$image" "$work/store.sh" \
		> "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
	grep -q "^ok 1 veriexec_store" "$work/klog" ||
		{ cat "$work/klog" >&2; exit 1; }
	sed -n "s/.*lookup ns .*: 1k \([0-9]*\), 1M \([0-9]*\),.*/$1 store 1k \1\n$1 store 1M \2/p" \
		"$work/klog" >> "$work/results"
}

for r in $(seq "$rounds"); do
	for clock in wall icount; do
		for mode in none veriexec ima; do
			echo "bench: round $r, $clock, $mode" >&2
			boot "$mode" "$clock"
		done
		echo "bench: round $r, $clock, store" >&2
		store "$clock"
	done
done

awk '
function median(key,    n, i, j, t, v) {
	n = split(vals[key], v, " ")
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{ vals[$1 " " $2 " " $3] = vals[$1 " " $2 " " $3] " " $4 }
END {
	for (c = 1; c <= 2; c++) {
		clock = c == 1 ? "wall" : "icount"
		en = median(clock " none exec"); ev = median(clock " veriexec exec")
		ei = median(clock " ima exec")
		hv = median(clock " veriexec verify") / median(clock " veriexec sha256sum")
		hi = median(clock " ima verify") / median(clock " ima sha256sum")
		printf "%s (medians of %d rounds)\n", clock, '"$rounds"'
		printf "  cached exec ns: none %d, veriexec %d, IMA %d\n", en, ev, ei
		printf "  cached exec: veriexec/none %.3f  IMA/none %.3f  veriexec/IMA %.3f\n", ev / en, ei / en, ev / ei
		printf "  first verification of 64 MB, time / sha256sum time: veriexec %.2f  IMA %.2f  veriexec/IMA %.3f\n", hv, hi, hv / hi
		printf "  (as speed against sha256sum: veriexec %.2fx, IMA %.2fx)\n", 1 / hv, 1 / hi
		st = median(clock " veriexec stat"); ld = median(clock " veriexec load")
		printf "  load of '"$paths"' path entries / stat(2) of the same paths: %.2f (load %.0f ms, stat %.0f ms)\n", ld / st, ld / 1e6, st / 1e6
		wn = median(clock " none writes"); wv = median(clock " veriexec writes")
		mn = median(clock " none mapw"); mv = median(clock " veriexec mapw")
		printf "  unlisted files at level 2, veriexec/none: open+write+close %.3f (%d / %d ns), mmap MAP_SHARED %.3f (%d / %d ns)\n", wv / wn, wv, wn, mv / mn, mv, mn
		lo = median(clock " veriexec lowerexec"); ov = median(clock " veriexec ovlexec")
		printf "  cached exec through an overlay / on its lower layer: %.3f (%d / %d ns); fingerprints of a first exec in a second overlay: %d\n", ov / lo, ov, lo, median(clock " veriexec ovl2fp")
		s1 = median(clock " store 1k"); s2 = median(clock " store 1M")
		printf "  store lookup ns (KUnit): 1k %d, 1M %d, 1M/1k %.2f\n", s1, s2, s2 / s1
	}
}' "$work/results"
