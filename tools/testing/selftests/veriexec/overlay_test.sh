#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Veriexec selftests - overlayfs: an entry names a file, not a layer.
# Entries listed by lower-layer, upper-layer and overlay paths hold through
# two overlays on that layer, share one verdict, and keep the real files
# immutable whichever path reaches them; level 3 locks the overlays down.
# The same cases run with the layers on tmpfs and on ext4.  Raises the
# level to 3: runs only in a boot whose command line carries
# "vxtest.boot=overlay_test.sh".

K=/etc/veriexec/test
top=/tmp/vx-ovl.$$
n=0 failed=0

echo "TAP version 13"
if ! grep -qw "vxtest.boot=overlay_test.sh" /proc/cmdline; then
	echo "1..0 # SKIP not booted for overlay_test.sh"
	exit 4
fi
command -v veriexecctl > /dev/null || { echo "1..0 # SKIP no veriexecctl"; exit 4; }
grep -qw overlay /proc/filesystems || { echo "1..0 # SKIP no overlayfs"; exit 4; }
[ -r /opt/vx-ext4.img ] || { echo "1..0 # SKIP no /opt/vx-ext4.img"; exit 4; }

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
sum=$(sha256sum /bin/busybox | awk '{ print $1 }')

# keyed_by PATH FILE: the entry of PATH shows FILE's device and inode.
keyed_by() {
	dev=$(stat -c %d "$2") ino=$(stat -c %i "$2")
	key="$(((dev >> 8) & 4095)):$(((dev & 255) | ((dev >> 12) & 1048320))):$ino"
	grep -q "^[^ ]* $1 sha256 $sum [a-z_,]* $key " \
		/sys/kernel/security/veriexec/entries
}

# setup FS: the layers on FS (tmpfs or ext4) under $top/FS, two overlays
# on the same lower layer, and a set listing files of each kind of path.
setup() {
	d=$top/$1
	mkdir -p "$d"
	if [ "$1" = ext4 ]; then
		cp /opt/vx-ext4.img "$top/ext4.img" &&
			mount -o loop "$top/ext4.img" "$d"
	else
		mount -t tmpfs tmpfs "$d"
	fi || { result 1 "$1: the layers' filesystem mounts"; return 1; }
	mkdir -p "$d/lower" "$d/u1" "$d/w1" "$d/u2" "$d/w2" "$d/m1" "$d/m2"
	# busybox picks its applet by name: name each copy after one.
	for f in true echo pwd id; do cp /bin/busybox "$d/lower/$f"; done
	cp /bin/busybox "$d/u1/date"
	mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/u1,workdir=$d/w1" "$d/m1"
	mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/u2,workdir=$d/w2" "$d/m2"
	# A third whose upper layer is on a filesystem with no monitored file.
	mkdir -p "$top/$1-up" "$d/m3" && mount -t tmpfs tmpfs "$top/$1-up" &&
		mkdir "$top/$1-up/u" "$top/$1-up/w" &&
		mount -t overlay overlay \
			-o "lowerdir=$d/lower,upperdir=$top/$1-up/u,workdir=$top/$1-up/w" "$d/m3"
	{
		echo "@name ovl-$1"
		echo "$d/lower/true sha256 $sum direct"
		echo "$d/m1/echo sha256 $sum direct"
		echo "$d/lower/pwd sha256 $sum direct"
		echo "$d/m1/date sha256 $sum direct"
	} > "$top/$1.m"
	ok "$1: a set listing lower-layer and overlay paths loads" load "$top/$1.m"

	result "$(keyed_by "$d/lower/true" "$d/lower/true"; echo $?)" \
		"$1: entries show the real device:inode"
	result "$(keyed_by "$d/m1/echo" "$d/lower/echo"; echo $?)" \
		"$1: an entry listed through the overlay is keyed by the lower file"
	result "$(keyed_by "$d/m1/date" "$d/u1/date"; echo $?)" \
		"$1: and one whose file is in the upper layer by the upper file"
	printf '@name ovl2-%s\n%s sha256 %s direct\n' "$1" "$d/m2/true" "$sum" > "$top/$1.m2"
	refused "$1: the same file through another overlay is the same file (EEXIST)" \
		load "$top/$1.m2"

	ok "$1: a lower-layer entry runs through the overlay" "$d/m1/true"
	fp=$(counter fingerprints)
	ok "$1: and through a second overlay on the same layer" "$d/m2/true"
	result "$([ "$(counter fingerprints)" = "$fp" ]; echo $?)" "$1: which is a cache hit"
	ok "$1: an overlay-path entry runs from the lower layer" "$d/lower/echo"
	ok "$1: and through both overlays" sh -c "$d/m1/echo && $d/m2/echo"
	ok "$1: an upper-layer entry runs" "$d/m1/date"

	# Copied up below level 2: a new inode, with no entry.
	echo >> "$d/m1/pwd"
}

# level2 FS: what level 2 refuses, through the overlay and beside it.
level2() {
	d=$top/$1
	ok "$1: level 2: the listed file runs through the overlay" "$d/m1/true"
	ok "$1: level 2: so does the upper-layer entry" "$d/m1/date"
	refused "$1: an unlisted lower file is refused through the overlay" "$d/m1/id"
	refused "$1: a copied-up (changed) file is refused" "$d/m1/pwd"
	cp /bin/busybox "$d/u1/hostname" 2> /dev/null
	refused "$1: an unlisted file in the upper layer is refused" "$d/m1/hostname"
	refused "$1: a write through the overlay is refused" sh -c "echo >> $d/m2/true"
	refused "$1: a direct write to the lower file is refused" sh -c "echo >> $d/lower/true"
	refused "$1: a direct write to the upper file is refused" sh -c "echo >> $d/u1/date"
	refused "$1: a write to the upper file through the overlay is refused" \
		sh -c "echo >> $d/m1/date"
	refused "$1: a rename through the overlay is refused" mv "$d/m2/true" "$d/m2/moved"
	refused "$1: a rename of the upper file is refused" mv "$d/u1/date" "$d/u1/moved"
	refused "$1: an unlink through the overlay is refused" rm -f "$d/m2/echo"
	refused "$1: an unlink of the lower file is refused" rm -f "$d/lower/echo"
	refused "$1: a chmod through the overlay is refused" chmod 700 "$d/m2/true"
	# Times or owner alone would copy the file up: a new, unlisted inode.
	refused "$1: a touch through the overlay is refused (no copy-up)" touch "$d/m2/true"
	refused "$1: a chown through the overlay is refused" chown 0:0 "$d/m2/true"
	ok "$1: after them the file still runs through that overlay" "$d/m2/true"
	result "$(cmp -s /bin/busybox "$d/lower/true"; echo $?)" "$1: the lower file did not change"
	result "$(cmp -s /bin/busybox "$d/u1/date"; echo $?)" "$1: nor the upper one"
	result "$([ ! -e "$d/u2/true" ]; echo $?)" "$1: and the lower one was not copied up"
}

# level3 FS: lockdown holds on the overlays as on their layers.
level3() {
	d=$top/$1
	ok "$1: level 3: the listed file runs through the overlay" "$d/m1/true"
	ok "$1: level 3: and is read through it" cat "$d/m1/true"
	refused "$1: creating a file in the overlay is refused" touch "$d/m1/new"
	refused "$1: creating a directory in the overlay is refused" mkdir "$d/m2/newdir"
	refused "$1: opening an unlisted file through the overlay is refused" cat "$d/m1/id"
	refused "$1: so is the copied-up one" cat "$d/m1/pwd"
	refused "$1: unmounting the overlay is refused" umount "$d/m2"
	refused "$1: an overlay whose upper layer holds no monitored file is locked down too" \
		touch "$d/m3/new"
	ok "$1: while that upper filesystem itself still takes new files" touch "$top/$1-up/new"
	refused "$1: so is a lazy unmount" umount -l "$d/m1"
	result "$([ ! -e "$d/m1/new" ] && [ ! -e "$d/u1/new" ]; echo $?)" \
		"$1: nothing was created"
}

mkdir -p "$top"
for fs in tmpfs ext4; do setup $fs; done

# The image's own programs, so that the shell can go on at levels 2 and 3.
veriexecctl generate --all --name ovlbase /bin /sbin /usr /lib /lib64 \
	> "$top/base" 2> /dev/null
ok "the image's programs load" load "$top/base"
veriexecctl level 2
for fs in tmpfs ext4; do level2 $fs; done
veriexecctl level 3
for fs in tmpfs ext4; do level3 $fs; done

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
