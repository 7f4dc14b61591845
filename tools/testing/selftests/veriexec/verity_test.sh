#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Veriexec selftests - fs-verity fingerprints and verification ahead of
# first use, on an ext4 image made with "mkfs.ext4 -O verity".  Raises
# the level to 1: runs only in a boot whose command line carries
# "vxtest.boot=verity_test.sh" (run-tests.sh gives it one).

K=/etc/veriexec/test
d=/tmp/vx-verity.$$
n=0 failed=0

echo "TAP version 13"
if ! grep -qw "vxtest.boot=verity_test.sh" /proc/cmdline; then
	echo "1..0 # SKIP not booted for verity_test.sh"
	exit 4
fi
for need in veriexecctl /opt/vx-verity.img "$K/signing.key"; do
	command -v "$need" > /dev/null 2>&1 || [ -e "$need" ] || {
		echo "1..0 # SKIP $need is missing"; exit 4; }
done

result() {	# result STATUS DESC
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

t() {	# t DESC CMD...: a case that must succeed
	desc=$1; shift
	"$@" > "$d.out" 2>&1
	rc=$?
	[ $rc = 0 ] || sed 's/^/#   /' "$d.out"
	result $rc "$desc"
}

counter() { awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/security/veriexec/status; }
entry_status() { awk -v p="$1" '$2 == p { print $NF }' /sys/kernel/security/veriexec/entries; }

load() {	# load MANIFEST
	veriexecctl sign --key $K/signing.key --cert $K/signing.crt \
		-o "$1.p7s" "$1" && veriexecctl load "$1.p7s"
}

mkdir -p "$d"
cp /opt/vx-verity.img "$d.img"
mount -o loop "$d.img" "$d" || { echo "1..0 # SKIP cannot mount the verity image"; exit 4; }
cp /bin/busybox "$d/prog"
cp /bin/busybox "$d/plain"
cp /bin/busybox "$d/other" && echo x >> "$d/other"
t "fsverity-enable turns fs-verity on" veriexecctl fsverity-enable "$d/prog" "$d/other"
digest=$(veriexecctl generate --fsverity "$d/prog" | awk '{ print $3 }')
t "generate --fsverity prints a digest" [ ${#digest} = 64 ]
cat > "$d.m" <<EOM
@name verity
@version 1
$d/prog fsverity-sha256 $digest direct
$d/plain fsverity-sha256 $digest direct
$d/other fsverity-sha256 $digest direct
EOM
t "a manifest of fsverity-sha256 entries loads" load "$d.m"

fp=$(counter fingerprints) bytes=$(counter bytes_hashed)
t "an fsverity-sha256 entry runs" "$d/prog" true
result "$([ "$(counter fingerprints)" = "$fp" ] && [ "$(counter bytes_hashed)" = "$bytes" ]; echo $?)" \
	"fingerprints and bytes_hashed do not grow: nothing is read"
result "$([ "$(entry_status "$d/prog")" = valid ]; echo $?)" "entries shows it valid"

# Verification ahead of first use: @verify now, then pending drops to 0.
mkdir -p "$d/pre"
for i in 1 2 3 4 5 6 7 8; do cp /bin/busybox "$d/pre/p$i"; done
echo y >> "$d/pre/p8"
sum=$(sha256sum /bin/busybox | awk '{ print $1 }')
{
	echo "@name pre"; echo "@verify now"
	for i in 1 2 3 4 5 6 7 8; do echo "$d/pre/p$i sha256 $sum direct"; done
} > "$d.pre"
t "a manifest with @verify now loads" load "$d.pre"
i=0
while [ "$(counter pending)" != 0 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
result "$([ "$(counter pending)" = 0 ]; echo $?)" "pending drops to 0"
result "$([ "$(entry_status "$d/pre/p1")" = valid ] && [ "$(entry_status "$d/pre/p8")" = mismatch ]; echo $?)" \
	"the background pass marks entries valid and mismatch"
fp=$(counter fingerprints)
t "after the pass, a first exec is a cache hit" "$d/pre/p3" true
result "$([ "$(counter fingerprints)" = "$fp" ]; echo $?)" "fingerprints does not grow"
# load -e through the verify file: refused for a set that is not loaded.
result "$(echo nosuchset > /sys/kernel/security/veriexec/verify 2>/dev/null; [ $? != 0 ]; echo $?)" \
	"verify refuses a set that is not loaded"

veriexecctl level 1
"$d/plain" true 2> /dev/null
result "$([ $? = 126 ]; echo $?)" "the file without fs-verity is refused at level 1"
"$d/other" true 2> /dev/null
result "$([ $? = 126 ]; echo $?)" "a file whose fs-verity digest differs is refused at level 1"
t "the fs-verity entry still runs at level 1" "$d/prog" true
result "$(dmesg | grep -q 'denied exec path="'"$d"'/plain".*reason="fingerprint mismatch"'; echo $?)" \
	"the refusal is logged as a fingerprint mismatch"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
