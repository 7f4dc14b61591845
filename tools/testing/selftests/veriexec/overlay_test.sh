#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Veriexec selftests - overlayfs: an entry names a file, not a layer.
# Entries listed by lower-layer path hold through two overlays on that
# layer, share one verdict, and keep the real files immutable whichever
# path reaches them.  Raises the level to 2: runs only in a boot whose
# command line carries "vxtest.boot=overlay_test.sh".

K=/etc/veriexec/test
d=/tmp/vx-ovl.$$
n=0 failed=0

echo "TAP version 13"
if ! grep -qw "vxtest.boot=overlay_test.sh" /proc/cmdline; then
	echo "1..0 # SKIP not booted for overlay_test.sh"
	exit 4
fi
command -v veriexecctl > /dev/null || { echo "1..0 # SKIP no veriexecctl"; exit 4; }
grep -qw overlay /proc/filesystems || { echo "1..0 # SKIP no overlayfs"; exit 4; }

result() {	# result STATUS DESC
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}
ok() { desc=$1; shift; "$@" > /dev/null 2>&1; result $? "$desc"; }
refused() { desc=$1; shift; "$@" > /dev/null 2>&1; result "$([ $? != 0 ]; echo $?)" "$desc"; }
counter() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/security/veriexec/status; }
load() {
	veriexecctl sign --key $K/signing.key --cert $K/signing.crt \
		-o "$1.p7s" "$1" && veriexecctl load "$1.p7s"
}

mkdir -p "$d"
mount -t tmpfs tmpfs "$d"
mkdir -p "$d/lower" "$d/u1" "$d/w1" "$d/u2" "$d/w2" "$d/m1" "$d/m2"
for f in prog other copied; do cp /bin/busybox "$d/lower/$f"; done
cp /bin/busybox "$d/lower/unlisted"
mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/u1,workdir=$d/w1" "$d/m1"
mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/u2,workdir=$d/w2" "$d/m2"
sum=$(sha256sum /bin/busybox | awk '{ print $1 }')
{
	echo "@name ovl"
	echo "$d/lower/prog sha256 $sum direct"
	echo "$d/m1/other sha256 $sum direct"
	echo "$d/lower/copied sha256 $sum direct"
} > "$d/m"
ok "a set listing lower-layer and overlay paths loads" load "$d/m"

ino=$(stat -c %i "$d/lower/prog")
result "$(grep -q " $d/lower/prog sha256 .* [0-9]*:[0-9]*:$ino " /sys/kernel/security/veriexec/entries; echo $?)" \
	"entries show the real inode"
ino=$(stat -c %i "$d/lower/other")
result "$(grep -q " $d/m1/other sha256 .* [0-9]*:[0-9]*:$ino " /sys/kernel/security/veriexec/entries; echo $?)" \
	"an entry listed through the overlay is keyed by the real inode"
printf '@name ovl2\n%s sha256 %s direct\n' "$d/m2/prog" "$sum" > "$d/m2.txt"
refused "the same file through another overlay is the same file (EEXIST)" load "$d/m2.txt"

ok "a lower-layer entry runs through the overlay" "$d/m1/prog" true
fp=$(counter fingerprints)
ok "and through a second overlay on the same layer" "$d/m2/prog" true
result "$([ "$(counter fingerprints)" = "$fp" ]; echo $?)" "which is a cache hit"
ok "an overlay-path entry runs from the lower layer" "$d/lower/other" true

# Copied up below level 2: a new inode, with no entry.
echo >> "$d/m1/copied"

veriexecctl level 2
ok "level 2: the listed file runs through the overlay" "$d/m1/prog" true
refused "an unlisted lower file is refused through the overlay" "$d/m1/unlisted" true
refused "a copied-up (changed) file is refused" "$d/m1/copied" true
cp /bin/busybox "$d/u1/new" 2> /dev/null
refused "an unlisted file in the upper layer is refused" "$d/m1/new" true
refused "a write through the overlay is refused" sh -c "echo >> $d/m2/prog"
refused "a direct write to the lower file is refused" sh -c "echo >> $d/lower/prog"
refused "a rename through the overlay is refused" mv "$d/m2/prog" "$d/m2/moved"
refused "an unlink through the overlay is refused" rm -f "$d/m2/other"
refused "a chmod through the overlay is refused" chmod 700 "$d/m2/prog"
result "$(cmp -s /bin/busybox "$d/lower/prog"; echo $?)" "the lower file did not change"
result "$([ ! -e "$d/u2/prog" ]; echo $?)" "and was not copied up"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
