#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: boot the test kernel and show veriexec at work on the test
# image: a signed manifest loaded, a listed binary running, a tampered and
# an unlisted one refused, a protected file kept from changing.
#
# Usage: demo.sh BZIMAGE IMAGE
set -eu

here=$(cd "$(dirname "$0")" && pwd)
script=$(mktemp "${TMPDIR:-/tmp}/veriexec-demo.XXXXXX")
trap 'rm -f "$script"' EXIT

cat > "$script" <<'DEMO'
K=/etc/veriexec/test
say() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; echo "  (exit status $?)"; }

say "veriexec is registered; nothing is loaded yet"
run cat /sys/kernel/security/lsm; echo
run veriexecctl state

say "Fingerprint the system's programs and libraries, and sign the manifest"
mkdir -p /opt/demo
printf '#!/bin/sh\necho "hello from a verified script, run by a verified shell"\n' \
	> /opt/demo/hello
chmod 755 /opt/demo/hello
cp /bin/busybox /opt/demo/tampered
cp /bin/busybox /opt/demo/unlisted
echo "PermitRootLogin no" > /opt/demo/protected.conf
veriexecctl generate --name demo --version 1 /bin /sbin /usr /lib /lib64 \
	/opt/demo/hello /opt/demo/tampered > /tmp/demo.manifest
hex=$(sha256sum /opt/demo/protected.conf | cut -d' ' -f1)
echo "/opt/demo/protected.conf sha256 $hex file" >> /tmp/demo.manifest
grep /opt/demo /tmp/demo.manifest
run veriexecctl sign --key $K/signing.key --cert $K/signing.crt \
	-o /tmp/demo.p7s /tmp/demo.manifest

say "Load it (the kernel checks the signature against its trusted keys)"
run veriexecctl load /tmp/demo.p7s
run veriexecctl sets
run veriexecctl state

say "Tamper with a listed binary after the load"
echo "evil" >> /opt/demo/tampered

say "Raise the strict level to 2 (IPS)"
run veriexecctl level 2

say "A listed program (a script and its interpreter, both listed) runs"
run /opt/demo/hello

say "The tampered binary is refused"
run /opt/demo/tampered echo "should not run"

say "An unlisted binary is refused"
run /opt/demo/unlisted echo "should not run"

say "A protected file cannot be changed"
run sh -c 'echo "PermitRootLogin yes" > /opt/demo/protected.conf'
run rm /opt/demo/hello

say "What the kernel logged"
dmesg | grep 'veriexec: denied' | tail -n 5
run veriexecctl status
DEMO

echo "Booting the test kernel under QEMU (${ACCEL:-tcg})..."
KCMDLINE="kunit.enable=0" "$here/vm-run.sh" "$1" "$2" "$script"
