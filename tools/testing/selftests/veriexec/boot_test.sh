#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Veriexec selftests - Boot integration: the initramfs-tools init-bottom
# script loads the real root's /etc/veriexec/*.p7s with paths resolved in
# that root, then applies its level and lock, before its init runs.
# Raises the level and locks: runs only in a boot of its own, whose
# command line holds "vxtest.boot=boot_test.sh" (run-tests.sh adds it),
# and skips anywhere else.

ksft_skip=4
K=/etc/veriexec/test
hook=/opt/initramfs-tools/scripts/init-bottom/veriexec
skip() { echo "# SKIP: $*"; exit $ksft_skip; }
case " $(cat /proc/cmdline) " in
*" vxtest.boot=boot_test.sh "*) ;;
*) skip "raises the level and locks: needs vxtest.boot=boot_test.sh" ;;
esac
[ -x "$hook" ] || skip "no $hook"
command -v veriexecctl > /dev/null || skip "veriexecctl is not on PATH"
[ -r $K/signing.key ] && [ -r $K/signing.crt ] || skip "no test keys in $K"
[ "$(cat /sys/kernel/security/veriexec/level)" = 0 ] ||
	skip "level already raised"

fail() { echo "# FAIL: $*"; exit 1; }

rootmnt=/tmp/vx-realroot
mkdir -p "$rootmnt" && mount -t tmpfs tmpfs "$rootmnt" || fail "mount"
mkdir -p "$rootmnt/usr/bin" "$rootmnt/etc/veriexec"
cp /bin/busybox "$rootmnt/usr/bin/prog"
hex=$(sha256sum "$rootmnt/usr/bin/prog" | cut -d' ' -f1)
# Paths as the real root sees them.
printf '@name boot_test\n@version 3\n/usr/bin/prog sha256 %s direct\n/usr/bin/absent sha256 %s\n' \
	"$hex" "$hex" > /tmp/vx-boot.txt
veriexecctl sign --key $K/signing.key --cert $K/signing.crt \
	-o "$rootmnt/etc/veriexec/10-boot.p7s" /tmp/vx-boot.txt || fail "sign"
echo 1 > "$rootmnt/etc/veriexec/level"
echo 1 > "$rootmnt/etc/veriexec/lock"

rootmnt=$rootmnt sh "$hook" || fail "hook exited $?"

grep -qx "boot_test 3 1 1" /sys/kernel/security/veriexec/sets ||
	fail "set not loaded: $(cat /sys/kernel/security/veriexec/sets)"
ino=$(stat -c %i "$rootmnt/usr/bin/prog")
grep -q "^boot_test /usr/bin/prog sha256 $hex direct [0-9]*:[0-9]*:$ino " \
	/sys/kernel/security/veriexec/entries ||
	fail "entry not keyed to the real root's file"
[ "$(cat /sys/kernel/security/veriexec/level)" = 1 ] || fail "level not raised"
grep -q locked /sys/kernel/security/veriexec/state || fail "not locked"
echo "# boot hook loaded the set, raised the level and locked"

# veriexecctl level and lock against the real kernel.
[ "$(veriexecctl level)" = 1 ] || fail "veriexecctl level"
veriexecctl level 0 2>/dev/null && fail "veriexecctl level 0 lowered the level"
veriexecctl lock || fail "veriexecctl lock"
veriexecctl load "$rootmnt/etc/veriexec/10-boot.p7s" 2> /tmp/vx-e &&
	fail "load after lock"
grep -q "not permitted" /tmp/vx-e || fail "load after lock: $(cat /tmp/vx-e)"
echo "# veriexecctl level and lock work"
