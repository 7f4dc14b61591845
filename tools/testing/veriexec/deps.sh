#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install with apt-get whatever the build and the tests need and the
# machine lacks (Debian 12), and any packages named as arguments.  Quiet
# when everything is there.
set -eu

pkgs="gcc make bc flex bison libelf-dev libssl-dev openssl pkg-config
	libkeyutils-dev keyutils qemu-system-x86 busybox-static cpio rsync
	xz-utils ccache sparse python3 perl git clang e2fsprogs file fsverity
	linux-libc-dev debhelper dpkg-dev fakeroot lintian initramfs-tools
	systemd mmdebstrap"
[ -z "${KERNEL_SRC:-}" ] && pkgs="$pkgs linux-source-6.12"
pkgs="$pkgs $*"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root, or install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
