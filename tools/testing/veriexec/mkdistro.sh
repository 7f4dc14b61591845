#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build a Debian 12 system image for the distro kernel (make test-distro):
# - mmdebstrap --variant=minbase with systemd, udev, initramfs-tools,
#   apparmor and stress-ng, cached in OUTDIR as a tarball keyed on the
#   package list, so that reruns skip the download;
# - veriexecctl's .deb (make deb) installed inside with dpkg, as a user
#   would, so its hook, init-bottom script and unit are the packaged ones;
# - a manifest of the whole image (veriexecctl generate -r, @verify now),
#   signed with the test key, in /etc/veriexec/ with level 2 and lock;
# - the initramfs made inside the image by its own mkinitramfs;
# - an ext4 disk image made with mkfs.ext4 -d (no mounts).
# Also the fixtures of the boot's acceptance checks: a listed binary
# tampered with after the manifest was made, and a fake newer version of
# an installed package for dpkg -i.
#
# Usage: mkdistro.sh OUTDIR DEB GUEST_TEST
# Environment: KOUT (the distro kernel's build directory), KTREE, KEYS,
#	CTL (the host's veriexecctl); DISTRO_CACHE (where the mmdebstrap
#	tarball is kept, OUTDIR by default: the debug kernel's images share
#	the distro kernel's).
# Prints nothing but progress; leaves OUTDIR/disk.img, OUTDIR/initrd.img,
# OUTDIR/verity.img for make bench-distro and OUTDIR/learn.img for the
# learning boot.
set -eu

out=${1:?usage: mkdistro.sh OUTDIR DEB GUEST_TEST}
deb=${2:?usage: mkdistro.sh OUTDIR DEB GUEST_TEST}
guest=${3:?usage: mkdistro.sh OUTDIR DEB GUEST_TEST}

# Packages beyond minbase: what the issue names, what veriexecctl links
# (so that its .deb installs with dpkg, offline), zstd for the initramfs
# (initramfs-tools' default compression), procps for the checks, dbus for systemd-logind.
pkgs=systemd-sysv,udev,kmod,initramfs-tools,zstd,apparmor,stress-ng,procps,libkeyutils1,dbus
suite=bookworm
key=$(echo "$suite $pkgs" | md5sum | cut -c1-12)
cache=${DISTRO_CACHE:-$out}/rootfs-$key.tar
kver=$(cat "$KOUT/include/config/kernel.release")

mkdir -p "$out" "$(dirname "$cache")"
if [ ! -s "$cache" ]; then
	echo "mkdistro: mmdebstrap $suite ($pkgs)"
	nice -n 19 mmdebstrap --quiet --variant=minbase --include="$pkgs" \
		"$suite" "$cache.tmp.tar"
	mv "$cache.tmp.tar" "$cache"
fi

root=$out/root
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' -xpf "$cache"

# In the image's own mount namespace, so nothing leaks to the host if a
# step fails: /proc for dpkg's and mkinitramfs's helpers.
# shellcheck disable=SC2016
in_root() {
	unshare -m sh -c 'mount -t proc proc "$1/proc" && shift && exec chroot "$@"' \
		- "$root" "$root" "$@"
}

echo "mkdistro: installing ${deb##*/}"
cp "$deb" "$root/tmp/"
in_root dpkg -i "/tmp/${deb##*/}" > "$out/dpkg.log" 2>&1 ||
	{ cat "$out/dpkg.log" >&2; exit 1; }
rm "$root/tmp/${deb##*/}"

echo vxdistro > "$root/etc/hostname"
# The initramfs mounts the root read-only; systemd remounts it as fstab
# says.
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' > "$root/etc/fstab"

# The kernel's modules directory, and its config, which mkinitramfs reads
# for the compression it may use.
. "$(dirname "$0")/stage-modules.sh"
stage_modules "$KOUT" "$root"
cp "$KOUT/.config" "$root/boot/config-$kver"

# The boot's test: run once multi-user.target is reached.
install -m 0755 "$guest" "$root/usr/local/sbin/vx-distro-test"
cat > "$root/etc/systemd/system/vx-distro-test.service" << 'EOF'
[Unit]
Description=veriexec distro acceptance checks (TAP on ttyS1)
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/vx-distro-test
TimeoutStartSec=infinity
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/vx-distro-test.service \
	"$root/etc/systemd/system/multi-user.target.wants/"

# On a kmemleak kernel (make test-distro-debug) the checks scan for leaks
# after the load; the scan file is in debugfs, which from level 2 only a
# `trusted` program may open for writing.  A copy of dd, listed trusted
# below: the one program the debug image trusts.
kmemleak=
if grep -qx CONFIG_DEBUG_KMEMLEAK=y "$KOUT/.config"; then
	kmemleak=/usr/local/sbin/vx-kmemleak
	cp "$root/usr/bin/dd" "$root$kmemleak"
fi

# A listed program whose bytes change after the manifest is made.
cp "$root/usr/bin/id" "$root/usr/local/bin/vx-tampered"

# A fake newer version of hostname (Essential, in minbase): the same
# paths, other bytes, no maintainer scripts, so that what fails is dpkg
# replacing a listed file.
fake=$out/fake-hostname
rm -rf "$fake"
# shellcheck disable=SC2016
ver=$(in_root dpkg-query -W -f='${Version}' hostname)
mkdir -p "$fake/DEBIAN"
in_root dpkg-query -L hostname | while read -r p; do
	if [ ! -f "$root$p" ] || [ -h "$root$p" ]; then
		continue
	fi
	mkdir -p "$fake$(dirname "$p")"
	if [ -x "$root$p" ]; then
		printf '#!/bin/sh\necho fake hostname\n' > "$fake$p"
		chmod 755 "$fake$p"
	else
		echo fake > "$fake$p"
	fi
done
cat > "$fake/DEBIAN/control" << EOF
Package: hostname
Version: $ver+vx1
Architecture: amd64
Essential: yes
Maintainer: veriexec developers <veriexec@example.org>
Description: fake upgrade of hostname for the veriexec distro test
EOF
dpkg-deb --root-owner-group -b "$fake" "$root/root/hostname_$ver+vx1_amd64.deb" > /dev/null

# veriexec's configuration: level 2, loads locked after boot.
echo 2 > "$root/etc/veriexec/level"
echo 1 > "$root/etc/veriexec/lock"

# mkinitramfs cannot see the root's type in a chroot; without it the
# initramfs has no fsck, and systemd-fsck-root would open the mounted
# root's block device for writing at level 2, which is refused.
echo FSTYPE=ext4 > "$root/etc/initramfs-tools/conf.d/vxdistro"

# The initramfs, made by the image's own mkinitramfs with the packaged
# hook: before the manifest, so its build cannot depend on it.
echo "mkdistro: mkinitramfs $kver in the image"
in_root mkinitramfs -o "/boot/initrd.img-$kver" "$kver" > "$out/mkinitramfs.log" 2>&1 ||
	{ cat "$out/mkinitramfs.log" >&2; exit 1; }
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"

echo "mkdistro: manifest of the image"
# @verify now: the set is hashed in the background as soon as it is
# loaded (load -e), so that the boot's first execs find verdicts.
"$CTL" generate --name debian --version 1 -r "$root" "$root" |
	sed '/^@version /a @verify now' > "$out/manifest"
if [ -n "$kmemleak" ]; then
	sed -i "s|^$kmemleak .*|& trusted|" "$out/manifest"
fi
"$CTL" sign --key "$KEYS/signing.key" --cert "$KEYS/signing.crt" \
	-o "$root/etc/veriexec/10-debian.p7s" "$out/manifest"
"$CTL" verify --cert "$KEYS/signing.crt" "$root/etc/veriexec/10-debian.p7s" > /dev/null
printf '\001' >> "$root/usr/local/bin/vx-tampered"

size=$(du -sm "$root" | cut -f1)
echo "mkdistro: ext4 image, $size MB of files"
rm -f "$out/disk.img"
mkfs.ext4 -q -F -L vxroot -d "$root" -E root_owner=0:0 "$out/disk.img" \
	"$((size + size / 2 + 512))M"
echo "mkdistro: $out/disk.img $out/initrd.img ($(grep -c . "$out/manifest") entries)"

# make bench-distro's image: the same system listed by fs-verity digests
# (fsverity-sha256, @verify now) on an ext4 with the verity feature.  Its
# preparation boot (distro-bench.sh) runs vx-verity-enable, which turns
# fs-verity on for each listed file with the parameters generate used.
cp "$root/etc/veriexec/10-debian.p7s" "$out/debian.p7s"
"$CTL" generate --fsverity --name debian --version 1 -r "$root" "$root" |
	sed '/^@version /a @verify now' > "$out/manifest-verity"
"$CTL" sign --key "$KEYS/signing.key" --cert "$KEYS/signing.crt" \
	-o "$root/etc/veriexec/10-debian.p7s" "$out/manifest-verity"
cp "$out/manifest-verity" "$root/root/vx-verity.manifest"
cat > "$root/usr/local/sbin/vx-verity-enable" << 'EOF'
#!/bin/sh
# make bench-distro's preparation boot (veriexec out of lsm=, root rw):
# fs-verity on for every file /root/vx-verity.manifest lists, then off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
n=0 bad=0
for p in $(awk '/^\// { print $1 }' /root/vx-verity.manifest); do
	if veriexecctl fsverity-enable "$p"; then
		n=$((n + 1))
	else
		bad=$((bad + 1))
	fi
done
echo "vx-verity: enabled $n, failed $bad" > /dev/ttyS1
mount -o remount,ro /
sync
echo o > /proc/sysrq-trigger
EOF
chmod 755 "$root/usr/local/sbin/vx-verity-enable"
rm -f "$out/verity.img"
mkfs.ext4 -q -F -O verity -L vxroot -d "$root" -E root_owner=0:0 \
	"$out/verity.img" "$((size + size / 2 + 512))M"
rm "$root/root/vx-verity.manifest" "$root/usr/local/sbin/vx-verity-enable"
cp "$out/debian.p7s" "$root/etc/veriexec/10-debian.p7s"
echo "mkdistro: $out/verity.img ($(grep -c . "$out/manifest-verity") entries)"

# The learning boot's image: level 0 and no lock, a signed manifest that
# leaves out /usr/lib/x86_64-linux-gnu (most shared libraries), and the
# test key, so that the guest can sign the manifest it learns.
echo 0 > "$root/etc/veriexec/level"
rm -f "$root/etc/veriexec/lock"
grep -v '^/usr/lib/x86_64-linux-gnu/' "$out/manifest" > "$out/manifest-partial"
"$CTL" sign --key "$KEYS/signing.key" --cert "$KEYS/signing.crt" \
	-o "$root/etc/veriexec/10-debian.p7s" "$out/manifest-partial"
install -d -m 0700 "$root/root/vx-keys"
install -m 0600 "$KEYS/signing.key" "$KEYS/signing.crt" "$root/root/vx-keys/"
rm -f "$out/learn.img"
mkfs.ext4 -q -F -L vxroot -d "$root" -E root_owner=0:0 "$out/learn.img" \
	"$((size + size / 2 + 512))M"
echo "mkdistro: $out/learn.img ($(grep -c . "$out/manifest-partial") entries)"
