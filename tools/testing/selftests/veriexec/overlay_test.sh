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
# busybox picks its applet by name: name each copy after one.
for f in true echo pwd id; do cp /bin/busybox "$d/lower/$f"; done
mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/u1,workdir=$d/w1" "$d/m1"
mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/u2,workdir=$d/w2" "$d/m2"
sum=$(sha256sum /bin/busybox | awk '{ print $1 }')
{
	echo "@name ovl"
	echo "$d/lower/true sha256 $sum direct"
	echo "$d/m1/echo sha256 $sum direct"
	echo "$d/lower/pwd sha256 $sum direct"
} > "$d/m"
ok "a set listing lower-layer and overlay paths loads" load "$d/m"

ino=$(stat -c %i "$d/lower/true")
result "$(grep -q " $d/lower/true sha256 .* [0-9]*:[0-9]*:$ino " /sys/kernel/security/veriexec/entries; echo $?)" \
	"entries show the real inode"
ino=$(stat -c %i "$d/lower/echo")
result "$(grep -q " $d/m1/echo sha256 .* [0-9]*:[0-9]*:$ino " /sys/kernel/security/veriexec/entries; echo $?)" \
	"an entry listed through the overlay is keyed by the real inode"
printf '@name ovl2\n%s sha256 %s direct\n' "$d/m2/true" "$sum" > "$d/m2.txt"
refused "the same file through another overlay is the same file (EEXIST)" load "$d/m2.txt"

ok "a lower-layer entry runs through the overlay" "$d/m1/true"
fp=$(counter fingerprints)
ok "and through a second overlay on the same layer" "$d/m2/true"
result "$([ "$(counter fingerprints)" = "$fp" ]; echo $?)" "which is a cache hit"
ok "an overlay-path entry runs from the lower layer" "$d/lower/echo"

# Copied up below level 2: a new inode, with no entry.
echo >> "$d/m1/pwd"

# The image's own programs, so that the shell can go on at level 2.
veriexecctl generate --all --name ovlbase /bin /sbin /usr /lib /lib64 \
	> "$d/base" 2> /dev/null
ok "the image's programs load" load "$d/base"
veriexecctl level 2
ok "level 2: the listed file runs through the overlay" "$d/m1/true"
refused "an unlisted lower file is refused through the overlay" "$d/m1/id"
refused "a copied-up (changed) file is refused" "$d/m1/pwd"
cp /bin/busybox "$d/u1/hostname" 2> /dev/null
refused "an unlisted file in the upper layer is refused" "$d/m1/hostname"
refused "a write through the overlay is refused" sh -c "echo >> $d/m2/true"
refused "a direct write to the lower file is refused" sh -c "echo >> $d/lower/true"
refused "a rename through the overlay is refused" mv "$d/m2/true" "$d/m2/moved"
refused "an unlink through the overlay is refused" rm -f "$d/m2/echo"
refused "a chmod through the overlay is refused" chmod 700 "$d/m2/true"
# Times or owner alone would copy the file up: a new, unlisted inode.
refused "a touch through the overlay is refused (no copy-up)" touch "$d/m2/true"
refused "a chown through the overlay is refused" chown 0:0 "$d/m2/true"
ok "after them the file still runs through that overlay" "$d/m2/true"
result "$(cmp -s /bin/busybox "$d/lower/true"; echo $?)" "the lower file did not change"
result "$([ ! -e "$d/u2/true" ]; echo $?)" "and was not copied up"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
