#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: veriexec against no LSM and against IMA appraisal, on one
# kernel booted three ways (lsm=capability, lsm=veriexec, lsm=ima), rounds
# interleaved, each in wall-clock time and with -icount shift=0 (guest
# time counts instructions and repeats exactly).  Prints the medians and
# the ratios: the cached exec loop, first verification of a 64 MB file
# against busybox sha256sum on it in the same boot, loading a signed
# manifest of 100k paths against stat(2) of those paths from user space,
# unlisted files written at level 2, execs through overlays, the first
# exec of a 64 MB program on fs-verity, and (in a 2-CPU guest) the
# background pass of load -e against one thread.  The store's KUnit
# benchmark (lookups in 1k and 1M entries) runs in
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
sign() {
	veriexecctl sign --key /etc/veriexec/test/signing.key \
		--cert /etc/veriexec/test/signing.crt -o "\$1.p7s" "\$1" || exit 1
}
dd if=/dev/zero of=/tmp/b.img bs=1M count=96 2>/dev/null
dev=\$(losetup -f) && losetup \$dev /tmp/b.img && mke2fs -q \$dev &&
	mkdir -p /mnt/b && mount -t ext4 \$dev /mnt/b || exit 1
cp \$B /mnt/b/nop
dd if=/dev/zero of=/mnt/b/big bs=1M count=64 2>/dev/null
case \$mode in
veriexec)
	veriexecctl generate --all --name bench /bin /usr /lib /lib64 /mnt/b > /tmp/m
	sign /tmp/m
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
# fs-verity: the first exec of a 64 MB program on ext4 with verity, page
# cache and verdict dropped before each, with an fsverity-sha256 entry,
# with a sha256 entry, and with no LSM (fs-verity checks the pages read
# either way).
mkdir -p /mnt/v && mount -o loop /opt/vx-bench-verity.img /mnt/v &&
	cat \$B /mnt/b/big > /mnt/v/nop && chmod 755 /mnt/v/nop &&
	veriexecctl fsverity-enable /mnt/v/nop || exit 1
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; \$B exec /mnt/v/nop 1; }
case \$mode in
veriexec)
	printf '@name vbig\n@version 1\n/mnt/v/nop sha256 %s\n' \
		"\$(sha256sum /mnt/v/nop | cut -d ' ' -f 1)" > /tmp/vs
	veriexecctl generate --fsverity --name vbig --version 2 /mnt/v/nop > /tmp/vv
	sign /tmp/vs; sign /tmp/vv
	veriexecctl load /tmp/vs.p7s || exit 1
	for i in 1 2 3; do echo "vexecsha \$(cold)"; done
	veriexecctl load /tmp/vv.p7s || exit 1
	for i in 1 2 3; do echo "vexecvty \$(cold)"; done ;;
none)
	for i in 1 2 3; do echo "vexecvty \$(cold)"; done ;;
esac
# From here veriexec runs at level 2 (IPS): writes to unlisted files on a
# filesystem with monitored files, and execs through overlays.
[ \$mode = veriexec ] && { veriexecctl level 2 || exit 1; }
mkdir -p /mnt/b/w && \$B writes /mnt/b/w 50 > /dev/null || exit 1
\$B mapw /mnt/b/w 64 > /dev/null || exit 1
# Five loops each: ext4's journal commits land in one or another.
for i in 1 2 3 4 5; do
	sync
	echo "writes \$(\$B writes /mnt/b/w $writes)"
	echo "mapw \$(\$B mapw /mnt/b/w $writes)"
done
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
sign /tmp/pm
\$B stat /tmp/paths.list > /dev/null || exit 1
for i in 1 2 3; do
	echo "stat \$(\$B stat /tmp/paths.list)"
	echo "load \$(\$B load /tmp/pm.p7s)"
done
GUEST
echo true > "$work/store.sh"

# Verification ahead of first use, in a 2-CPU guest: 2,000 small files
# (scripts) and 20 of 4 MB (programs), hashed by the kernel in one thread
# (each mapped PROT_EXEC in turn after a load) against the background
# pass of load -e, then a first exec of each, which must hash nothing.
cat > "$work/ahead.sh" <<GUEST
B=/usr/bin/veriexec-bench
sign() {
	veriexecctl sign --key /etc/veriexec/test/signing.key \
		--cert /etc/veriexec/test/signing.crt -o "\$1.p7s" "\$1" || exit 1
}
fp() { awk '\$1 == "fingerprints" { print \$2 }' /sys/kernel/security/veriexec/status; }
mkdir -p /tmp/e && mount -t tmpfs tmpfs /tmp/e && mkdir /tmp/e/s || exit 1
cp \$B /tmp/e/nop
dd if=/dev/zero of=/tmp/pad bs=1M count=3 2> /dev/null
i=0
while [ \$i -lt 20 ]; do
	mkdir /tmp/e/l\$i && { cat \$B /tmp/pad; echo \$i; } > /tmp/e/l\$i/nop
	i=\$((i + 1))
done
i=0
while [ \$i -lt 2000 ]; do
	printf '#!/tmp/e/nop\n# %d\n' \$i > /tmp/e/s/f\$i
	i=\$((i + 1))
done
chmod 755 /tmp/e/l*/nop /tmp/e/s/*
for v in 1 2; do
	veriexecctl generate --all --name ahead --version \$v /tmp/e > /tmp/a\$v
	sign /tmp/a\$v
done
awk '/^\// { print \$1 }' /tmp/a1 > /tmp/a.list
veriexecctl load /tmp/a1.p7s || exit 1
echo "serial \$(\$B mapx /tmp/a.list)"
echo "parallel \$(\$B verifyall /tmp/a2.p7s ahead)"
f0=\$(fp)
for f in /tmp/e/l*/nop /tmp/e/s/*; do \$f || exit 1; done
echo "aheadfp \$((\$(fp) - f0))"
GUEST

# The 64 MB program runs from an ext4 with verity (which the guest cannot
# make), in an archive added to the image.
mkdir -p "$work/vroot/opt"
mkfs.ext4 -q -F -b 4096 -O verity -E root_owner=0:0 \
	"$work/vroot/opt/vx-bench-verity.img" 88M
(cd "$work/vroot" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) \
	> "$work/verity.cpio"
cat "$image" "$work/verity.cpio" > "$work/image.cpio"
rm -rf "$work/vroot" "$work/verity.cpio"

# clock CLOCK: QEMU's accelerator and arguments for that guest clock.
clock() {
	if [ "$1" = icount ]; then
		tcg="-accel tcg -cpu max" qargs="-icount shift=0"
	else
		tcg="-accel tcg,thread=multi -cpu max" qargs=
	fi
}

# boot MODE CLOCK: one boot, its figures appended to results.
boot() {
	case $1 in
	none) lsm="lsm=capability" ;;
	veriexec) lsm="lsm=veriexec" ;;
	ima) lsm="lsm=ima ima_appraise=fix" ;;
	esac
	clock "$2"
	VM_SMP=1 VM_MEM=1536 VM_TCG="$tcg" VM_QEMU_ARGS="$qargs" \
		KCMDLINE="$lsm vxbench=$1" \
		"$here/vm-run.sh" "$kernel" "$work/image.cpio" "$work/guest.sh" \
		> "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
	sed -n "s/^\(exec\|verify\|sha256sum\|stat\|load\|writes\|mapw\|lowerexec\|ovlexec\|ovl2fp\|vexecsha\|vexecvty\) \([0-9]*\)$/$2 $1 \1 \2/p" \
		"$work/out" >> "$work/results"
}

# ahead CLOCK: the background pass against one thread, -smp 2.  Under
# -icount the vCPUs run in turn, so only the wall clock can show the gain.
ahead() {
	clock "$1"
	VM_SMP=2 VM_TCG="$tcg" VM_QEMU_ARGS="$qargs" KCMDLINE="lsm=veriexec" \
		"$here/vm-run.sh" "$kernel" "$image" "$work/ahead.sh" \
		> "$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
	sed -n "s/^\(serial\|parallel\|aheadfp\) \([0-9]*\)$/$1 veriexec \1 \2/p" \
		"$work/out" >> "$work/results"
}

# store CLOCK: the store's KUnit benchmark, alone, in the test kernel.
store() {
	clock "$1"
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
		echo "bench: round $r, $clock, ahead (-smp 2)" >&2
		ahead "$clock"
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
		vv = median(clock " veriexec vexecvty"); vs = median(clock " veriexec vexecsha")
		vn = median(clock " none vexecvty")
		printf "  first exec of a 64 MB program on fs-verity, cold: fsverity-sha256/sha256 entry %.4f (%.0f / %.0f ns), fsverity-sha256/no LSM %.3f (%.0f ns)\n", vv / vs, vv, vs, vv / vn, vn
		sp = median(clock " veriexec serial"); pp = median(clock " veriexec parallel")
		printf "  load -e pass, -smp 2 / one thread: %.2f (%.0f / %.0f ms)%s; fingerprints of the first execs after it: %d\n", pp / sp, pp / 1e6, sp / 1e6, clock == "icount" ? " (vCPUs take turns under icount)" : "", median(clock " veriexec aheadfp")
		s1 = median(clock " store 1k"); s2 = median(clock " store 1M")
		printf "  store lookup ns (KUnit): 1k %d, 1M %d, 1M/1k %.2f\n", s1, s2, s2 / s1
	}
}' "$work/results"
