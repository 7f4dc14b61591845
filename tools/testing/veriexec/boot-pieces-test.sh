#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The boot pieces as a system runs them, from `make install` of veriexecctl
# into a staging tree (TAP):
# - the systemd unit passes systemd-analyze verify and systemctl enable
#   against the host's systemd units, with no warning;
# - a real mkinitramfs (Debian's initramfs-tools) with the hook and the
#   init-bottom script installed builds an initramfs that holds
#   veriexecctl, every library it links and the script where init runs it;
# - that initramfs, booted on the test kernel with an ext4 root, loads the
#   root's signed /etc/veriexec set and applies its level and lock before
#   the root's init runs.
#
# mkinitramfs reads the kernel's config from /boot and its modules from
# /lib/modules, and the hook copies /usr/sbin/veriexecctl, all fixed paths:
# it runs in a private mount namespace where the staging tree is laid over
# /usr and a tmpfs over /boot, so the host is left as it was.
#
# Usage: boot-pieces-test.sh [BZIMAGE]
# Environment: BUILD, KOUT (the test kernel's build directory), KEYS;
#	KEEP=1 keeps the work directory (printed) for a look.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
BUILD=${BUILD:-$top/build}
KOUT=${KOUT:-$BUILD/test/kernel}
KEYS=${KEYS:-$BUILD/keys}
kernel=${1:-$KOUT/arch/x86/boot/bzImage}
ctl=$BUILD/veriexecctl/veriexecctl
src=$top/tools/veriexecctl
unit=/usr/lib/systemd/system/veriexec.service
script=/usr/share/initramfs-tools/scripts/init-bottom/veriexec
export PATH="$PATH:/usr/sbin:/sbin"

work=$(mktemp -d "${TMPDIR:-/tmp}/vx-bootpieces.XXXXXX")
if [ -n "${KEEP:-}" ]; then
	echo "# work directory: $work"
else
	trap 'rm -rf "$work"' EXIT
fi

n=0 failed=0
ok() { n=$((n + 1)) && echo "ok $n - $*"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)) && echo "not ok $n - $*"; }
# show FILE: a log as TAP diagnostics.
show() { sed 's/^/# /' "$1"; }

echo "1..14"
stage=$work/stage
if ! make -s -C "$src" install OUTPUT="$BUILD/veriexecctl/" \
	DESTDIR="$stage" > "$work/install.log" 2>&1; then
	show "$work/install.log"
	echo "Bail out! make install of veriexecctl failed"
	exit 1
fi

# --- The systemd unit ---------------------------------------------------
# A root with the host's systemd units, its /bin/sh (the unit's
# ExecCondition runs it) and the staged install, so that what the unit
# names resolves as it would on the machine.
sysroot=$work/sysroot
mkdir -p "$sysroot/usr/lib/systemd/system" "$sysroot/bin"
for d in /usr/lib/systemd/system /lib/systemd/system; do
	[ -d $d ] && cp -a "$d/." "$sysroot/usr/lib/systemd/system/"
done
cp "$(readlink -f /bin/sh)" "$sysroot/bin/sh"
cp -a "$stage/." "$sysroot/"

# unit_names KEY...: the unit names listed under those keys.
unit_names() {
	for key in "$@"; do
		sed -n "s/^$key=//p" "$stage$unit"
	done | tr ' ' '\n' | sed '/^$/d'
}

# Without systemd (not a Debian 12 with deps.sh run), the checks verify
# makes that matter here: known sections and keys, an installed,
# executable ExecStart.
by_hand() {
	awk '
	/^[[:space:]]*(#|;|$)/ { next }
	/^\[(Unit|Service|Install)\]$/ { sec = $0; next }
	/^\[/ { print FILENAME ": unknown section " $0; bad = 1; next }
	{
		key = $0; sub(/=.*/, "", key)
		ok = sec "," key
		if (index($0, "=") == 0 || ok !~ /^\[Unit\],(Description|Documentation|DefaultDependencies|Before|After|Wants|Requires|Conflicts|Condition[A-Za-z]+|Assert[A-Za-z]+)$|^\[Service\],(Type|RemainAfterExit|ExecCondition|ExecStart|ExecStartPre|ExecStop)$|^\[Install\],(WantedBy|RequiredBy|Alias)$/) {
			print FILENAME ":" NR ": unexpected line: " $0; bad = 1
		}
	}
	END { exit bad }' "$stage$unit" || return 1
	exe=$(sed -n 's/^ExecStart=[-@:+!]*\([^ ]*\).*/\1/p' "$stage$unit")
	case $exe in
	/*) ;;
	*) echo "ExecStart $exe is not an absolute path"; return 1 ;;
	esac
	if ! [ -f "$stage$exe" ] || ! [ -x "$stage$exe" ]; then
		echo "ExecStart $exe is not installed executable"
		return 1
	fi
}

if command -v systemd-analyze > /dev/null; then
	# Any output at all is a warning about the unit (verify exits 0
	# on unknown keys or sections).
	systemd-analyze verify --man=no --generators=no --root="$sysroot" \
		"$unit" > "$work/verify.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$work/verify.log" ]; then
		ok "unit: systemd-analyze verify reports nothing"
	else
		show "$work/verify.log"
		not_ok "unit: systemd-analyze verify (status $rc)"
	fi
elif by_hand > "$work/verify.log" 2>&1; then
	ok "unit: known sections and keys, ExecStart installed (no systemd-analyze)"
else
	show "$work/verify.log"
	not_ok "unit: checked by hand (no systemd-analyze)"
fi

# verify does not look for the units the unit is ordered against.
missing=
for name in $(unit_names Before After Wants Requires WantedBy RequiredBy); do
	[ -e "$sysroot/usr/lib/systemd/system/$name" ] || missing="$missing $name"
done
if [ ! -d /usr/lib/systemd/system ] && [ ! -d /lib/systemd/system ]; then
	ok "unit: ordering and install targets # SKIP systemd is not installed"
elif [ -z "$missing" ]; then
	ok "unit: $(unit_names Before After Wants Requires WantedBy RequiredBy |
		sort -u | tr '\n' ' ')exist"
else
	not_ok "unit: no such units:$missing"
fi

if command -v systemctl > /dev/null; then
	systemctl --root="$sysroot" enable veriexec.service > "$work/enable.log" 2>&1
	rc=$? bad=
	for target in $(unit_names WantedBy); do
		[ "$(readlink "$sysroot/etc/systemd/system/$target.wants/veriexec.service")" = "$unit" ] ||
			bad="$bad $target"
	done
	# Its only output should be the "Created symlink" lines.
	if [ $rc -eq 0 ] && [ -z "$bad" ] && ! grep -qv '^Created symlink' "$work/enable.log"; then
		ok "unit: systemctl enable links it into$(unit_names WantedBy | sed 's/^/ /')"
	else
		show "$work/enable.log"
		not_ok "unit: systemctl enable (status $rc, not linked:$bad)"
	fi
else
	ok "unit: systemctl enable # SKIP systemd is not installed"
fi

# --- The root filesystem to boot ------------------------------------------
# The real root: static busybox, an init that reports what veriexec holds
# and ends the guest, and a set signed with the test key, level 1 and lock.
root=$work/root
mkdir -p "$root/bin" "$root/sbin" "$root/etc/veriexec" "$root/dev" \
	"$root/proc" "$root/sys" "$root/run" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
cat > "$root/sbin/init" << 'EOF'
#!/bin/busybox sh
bb=/bin/busybox fs=/sys/kernel/security/veriexec
{
	echo "vx-init: running"
	$bb sed 's/^/vx-set: /' $fs/sets
	echo "vx-level: $($bb cat $fs/level)"
	echo "vx-state: $($bb cat $fs/state)"
	$bb sed 's/^/vx-entry: /' $fs/entries
	echo "@@VM-EXIT 0@@"
} > /dev/ttyS1 2>&1
$bb sync
# QEMU runs with -no-reboot: a reboot ends the guest.
$bb reboot -f
EOF
chmod 755 "$root/sbin/init"
hex=$(sha256sum "$root/bin/busybox" | cut -d' ' -f1)
printf '@name bootpieces\n@version 7\n/bin/busybox sha256 %s\n' "$hex" \
	> "$work/manifest"
"$ctl" sign --key "$KEYS/signing.key" --cert "$KEYS/signing.crt" \
	-o "$root/etc/veriexec/10-bootpieces.p7s" "$work/manifest" ||
	echo "# signing the manifest failed"
echo 1 > "$root/etc/veriexec/level"
echo 1 > "$root/etc/veriexec/lock"
mkfs.ext4 -q -F -d "$root" -E root_owner=0:0 "$work/vxroot.img" 8M \
	> "$work/mkfs.log" 2>&1 || show "$work/mkfs.log"

# A second root, for level 2: veriexecctl and its libraries, the
# package's /usr/lib/veriexec/init, all listed, and a copy of busybox
# made after the manifest, listed nowhere.  From an initramfs, level 2
# needs that init (its own mount and run-init are listed nowhere).
root2=$work/root2
mkdir -p "$root2/bin" "$root2/sbin" "$root2/etc/veriexec" "$root2/dev" \
	"$root2/proc" "$root2/sys" "$root2/run" "$root2/tmp" "$root2/usr/sbin" \
	"$root2/usr/lib"
cp /bin/busybox "$root2/bin/busybox"
ln -s busybox "$root2/bin/sh"
cp "$ctl" "$root2/usr/sbin/veriexecctl"
for lib in $(ldd "$ctl" | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
	mkdir -p "$root2$(dirname "$lib")"
	cp "$lib" "$root2$lib"
done
cp -a "$stage/usr/lib/veriexec" "$root2/usr/lib/"
cat > "$root2/sbin/init" << 'INIT'
#!/bin/busybox sh
bb=/bin/busybox fs=/sys/kernel/security/veriexec
{
	echo "vx2-init: running as $0, pid $$"
	echo "vx2-level: $($bb cat $fs/level)"
	echo "vx2-state: $($bb cat $fs/state)"
	if /bin/vx-unlisted true 2> /run/err; then
		echo "vx2-unlisted: ran"
	else
		echo "vx2-unlisted: refused: $($bb cat /run/err)"
	fi
	echo "@@VM-EXIT 0@@"
} > /dev/ttyS1 2>&1
$bb sync
$bb reboot -f
INIT
chmod 755 "$root2/sbin/init"
"$ctl" generate --name bootpieces2 --version 1 -r "$root2" "$root2" > "$work/manifest2"
"$ctl" sign --key "$KEYS/signing.key" --cert "$KEYS/signing.crt" \
	-o "$root2/etc/veriexec/10-bootpieces2.p7s" "$work/manifest2" ||
	echo "# signing the second manifest failed"
cp /bin/busybox "$root2/bin/vx-unlisted"
echo 2 > "$root2/etc/veriexec/level"
echo 1 > "$root2/etc/veriexec/lock"
mkfs.ext4 -q -F -d "$root2" -E root_owner=0:0 "$work/vxroot2.img" 32M \
	> "$work/mkfs2.log" 2>&1 || show "$work/mkfs2.log"

# --- mkinitramfs ----------------------------------------------------------
. "$here/stage-modules.sh"
stage_modules "$KOUT" "$stage"
# The host's initramfs-tools configuration, and a hook and a local-top
# script of the test's own: the test kernel has no disk driver, so the
# root filesystem is an ext4 image in the initramfs, on a loop device.
conf=$work/initramfs-tools
cp -a /etc/initramfs-tools "$conf"
mkdir -p "$conf/hooks" "$conf/scripts/local-top"
cat > "$conf/hooks/vxtest-root" << EOF
#!/bin/sh
case "\$1" in
prereqs) exit 0 ;;
esac
. /usr/share/initramfs-tools/hook-functions
copy_file image "$work/vxroot.img" /vxroot.img
copy_file image "$work/vxroot2.img" /vxroot2.img
EOF
chmod 755 "$conf/hooks/vxtest-root"
cat > "$conf/scripts/local-top/vxtest-loop" << 'EOF'
#!/bin/sh
PREREQ=""
prereqs() { echo "$PREREQ"; }
case "$1" in
prereqs) prereqs; exit 0 ;;
esac
losetup /dev/loop0 /vxroot.img
losetup /dev/loop1 /vxroot2.img
EOF
chmod 755 "$conf/scripts/local-top/vxtest-loop"
# udevd needs sockets, which the test kernel lacks (CONFIG_NET=n), so
# udev's init-bottom script fails before it moves /dev to the root: move
# it as that script would, after it.
mkdir -p "$conf/scripts/init-bottom"
cat > "$conf/scripts/init-bottom/vxtest-dev" << 'EOF'
#!/bin/sh
PREREQ="udev"
prereqs() { echo "$PREREQ"; }
case "$1" in
prereqs) prereqs; exit 0 ;;
esac
[ -h /dev ] && exit 0
mount -n -o move /dev "${rootmnt}/dev" && rm -rf /dev && ln -s "${rootmnt}/dev" /dev
EOF
chmod 755 "$conf/scripts/init-bottom/vxtest-dev"
initrd=$work/initrd.img

# Root makes the mount namespace (as the README says, make test runs as
# root); a user namespace would show the host's files as nobody's.
# A container without CAP_SYS_ADMIN has no mount namespace to give.
can_unshare() {
	mkdir -p "$work/probe/l" "$work/probe/m"
	unshare -m sh -c 'mount --make-rprivate / &&
		mount -t overlay -o "lowerdir=$1/l:/usr" overlay "$1/m"' - \
		"$work/probe" > /dev/null 2>&1
}
if [ "$(id -u)" -ne 0 ] || ! can_unshare; then
	echo "mkinitramfs: not root, no private mount namespace" > "$work/mkinitramfs.log"
	rc=skip
else
	# Its scratch files too go in the work directory, not /var/tmp.
	# shellcheck disable=SC2016
	TMPDIR=$work unshare -m sh -c '
		set -e
		mount --make-rprivate /
		mount -t overlay -o "lowerdir=$1/usr:/usr" overlay /usr
		mount -t tmpfs tmpfs /boot
		cp "$2/.config" "/boot/config-$3"
		mkinitramfs -d "$4" -o "$5" "$3"' - \
		"$stage" "$KOUT" "$kver" "$conf" "$initrd" > "$work/mkinitramfs.log" 2>&1
	rc=$?
fi
if [ "$rc" = skip ]; then
	while [ $n -lt 14 ]; do
		ok "initramfs # SKIP no private mount namespace (not root, or a container): mkinitramfs needs one"
	done
	exit 0
elif [ $rc -eq 0 ] && ! grep -q '^E:' "$work/mkinitramfs.log"; then
	ok "mkinitramfs $kver with the hook and the script installed"
	grep '^W:' "$work/mkinitramfs.log" | show /dev/stdin
else
	show "$work/mkinitramfs.log"
	not_ok "mkinitramfs (status $rc)"
	rm -f "$initrd"
fi

x=$work/extracted
[ -s "$initrd" ] && unmkinitramfs "$initrd" "$x" 2> "$work/unmk.log"
# An early (microcode) part puts the main archive in main/.
[ -d "$x/main" ] && x=$x/main
if [ -f "$x/usr/sbin/veriexecctl" ] && cmp -s "$ctl" "$x/usr/sbin/veriexecctl"; then
	ok "initramfs holds /usr/sbin/veriexecctl as built"
else
	not_ok "initramfs holds /usr/sbin/veriexecctl as built"
fi

libs=$(ldd "$ctl" | awk '/=> \// { print $3 } /^\t\// { print $1 }')
bad=
for lib in $libs; do
	[ -e "$x$lib" ] && cmp -s "$lib" "$x$lib" || bad="$bad $lib"
done
if [ -n "$libs" ] && [ -z "$bad" ]; then
	ok "initramfs holds what ldd lists: $(echo "$libs" | paste -s -d ' ')"
else
	not_ok "initramfs lacks libraries:${bad:- (ldd listed none)}"
fi

# Installed at $script, it is run from the initramfs's /scripts, in the
# order its ORDER file gives.
in_image=${script#/usr/share/initramfs-tools}
if cmp -s "$src/initramfs-tools/scripts/init-bottom/veriexec" "$x$in_image" &&
   grep -q "^$in_image " "$x/scripts/init-bottom/ORDER"; then
	ok "initramfs runs $in_image"
else
	[ -f "$x/scripts/init-bottom/ORDER" ] && show "$x/scripts/init-bottom/ORDER"
	not_ok "initramfs runs $in_image"
fi

# boot_root NAME DEVICE: boot the initramfs with the root on DEVICE; its
# output in $work/NAME.out, console in $work/NAME.log, status in $rc.
boot_root() {
	: > "$work/$1.out"
	: > "$work/$1.log"
	if [ ! -s "$initrd" ]; then
		echo "no initramfs" > "$work/$1.err"
		rc=1
		return
	fi
	echo : > "$work/unused"
	VM_TIMEOUT=${VM_TIMEOUT:-180} VM_LOG=$work/$1.log \
	KCMDLINE="kunit.enable=0 root=$2 rootfstype=ext4 fsck.mode=skip" \
		"$here/vm-run.sh" "$kernel" "$initrd" "$work/unused" \
		> "$work/$1.out" 2> "$work/$1.err"
	rc=$?
}

# --- A boot -------------------------------------------------------------
out=$work/boot.out log=$work/boot.log
boot_root boot /dev/loop0
if [ $rc -eq 0 ] && grep -qx 'vx-init: running' "$out"; then
	ok "boot: the initramfs mounted the ext4 root and ran its init"
else
	show "$work/boot.err"
	tail -n 40 "$log" | show /dev/stdin
	not_ok "boot: the root's init did not run (status $rc)"
fi

# The kernel logs the load; init-bottom scripts run after the line
# "Running /scripts/init-bottom".
loaded=$(grep -n 'set "bootpieces" version 7 loaded, 1 entries' "$log" | cut -d: -f1 | head -n 1)
began=$(grep -n 'Running /scripts/init-bottom' "$log" | cut -d: -f1 | head -n 1)
if grep -qx 'vx-set: bootpieces 7 1 0' "$out" &&
   [ -n "$loaded" ] && [ -n "$began" ] && [ "$began" -lt "$loaded" ]; then
	ok "boot: the init-bottom script loaded the signed set"
else
	grep '^vx-set' "$out" | show /dev/stdin
	grep -n 'veriexec\|init-bottom' "$log" | show /dev/stdin
	not_ok "boot: the init-bottom script loaded the signed set"
fi

if grep -qx 'vx-level: 1' "$out" && grep -q '^vx-state: .*locked' "$out"; then
	ok "boot: the root's /etc/veriexec/level and lock were applied"
else
	grep '^vx-level\|^vx-state' "$out" | show /dev/stdin
	not_ok "boot: the root's /etc/veriexec/level and lock were applied"
fi

ino=$(debugfs -R 'stat /bin/busybox' "$work/vxroot.img" 2>/dev/null |
	sed -n 's/^Inode: \([0-9]*\).*/\1/p')
if grep -q "^vx-entry: bootpieces /bin/busybox sha256 $hex .* [0-9]*:[0-9]*:$ino valid\$" "$out"; then
	ok "boot: the entry is the root's /bin/busybox (inode $ino), verified"
else
	grep '^vx-entry' "$out" | show /dev/stdin
	not_ok "boot: the entry is the root's /bin/busybox (inode $ino), verified"
fi

# --- A boot at level 2 ---------------------------------------------------
out2=$work/boot2.out log2=$work/boot2.log
boot_root boot2 /dev/loop1
if [ $rc -eq 0 ] && grep -qx 'vx2-init: running as /sbin/init, pid 1' "$out2"; then
	ok "boot at level 2: /usr/lib/veriexec/init ran the root's /sbin/init as pid 1"
else
	show "$out2"
	show "$work/boot2.err"
	tail -n 40 "$log2" | show /dev/stdin
	not_ok "boot at level 2: the root's init did not run (status $rc)"
fi
# The initramfs stops at level 1; the root's init script raises it.
one=$(grep -n 'veriexec: strict level 0 -> 1' "$log2" | cut -d: -f1 | head -n 1)
two=$(grep -n 'veriexec: strict level 1 -> 2' "$log2" | cut -d: -f1 | head -n 1)
if grep -qx 'vx2-level: 2' "$out2" && grep -q '^vx2-state: .*locked' "$out2" &&
   [ -n "$one" ] && [ -n "$two" ] && [ "$one" -lt "$two" ]; then
	ok "boot at level 2: level 1 from the initramfs, then 2 and the lock before init"
else
	grep -n 'veriexec:' "$log2" | show /dev/stdin
	grep '^vx2-' "$out2" | show /dev/stdin
	not_ok "boot at level 2: level 1 from the initramfs, then 2 and the lock before init"
fi
if grep -q '^vx2-unlisted: refused: .*Operation not permitted' "$out2" &&
   grep -q 'veriexec: denied exec path="/bin/vx-unlisted" .* reason="no entry"' "$log2"; then
	ok "boot at level 2: a program listed nowhere is refused"
else
	grep '^vx2-unlisted' "$out2" | show /dev/stdin
	not_ok "boot at level 2: a program listed nowhere is refused"
fi

exit $((failed > 0))
