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
# busybox picks its applet by name: each copy is a "true" of its own.
mkdir -p "$d/prog" "$d/plain" "$d/other"
for f in prog plain other; do
	cp /bin/busybox "$d/$f/true" || { echo "1..0 # SKIP the image is full"; exit 4; }
done
echo x >> "$d/other/true"
t "fsverity-enable turns fs-verity on" veriexecctl fsverity-enable "$d/prog/true" "$d/other/true"
digest=$(veriexecctl generate --fsverity "$d/prog/true" | awk '{ print $3 }')
t "generate --fsverity prints a digest" [ ${#digest} = 64 ]
cat > "$d.m" <<EOM
@name verity
@version 1
$d/prog/true fsverity-sha256 $digest direct
$d/plain/true fsverity-sha256 $digest direct
$d/other/true fsverity-sha256 $digest direct
EOM
t "a manifest of fsverity-sha256 entries loads" load "$d.m"

fp=$(counter fingerprints) bytes=$(counter bytes_hashed)
t "an fsverity-sha256 entry runs" "$d/prog/true"
result "$([ "$(counter fingerprints)" = "$fp" ] && [ "$(counter bytes_hashed)" = "$bytes" ]; echo $?)" \
	"fingerprints and bytes_hashed do not grow: nothing is read"
result "$([ "$(entry_status "$d/prog/true")" = valid ]; echo $?)" "entries shows it valid"

# Verification ahead of first use: @verify now, then pending drops to 0.
# Small scripts: the 16 MiB image holds three busybox copies already.
for i in 1 2 3 4 5 6 7 8; do
	mkdir -p "$d/pre/$i" && printf '#!/bin/sh\nexit 0\n' > "$d/pre/$i/true" &&
		chmod 755 "$d/pre/$i/true"
done
sum=$(sha256sum "$d/pre/1/true" | awk '{ print $1 }')
echo "# changed" >> "$d/pre/8/true"
{
	echo "@name pre"; echo "@verify now"
	for i in 1 2 3 4 5 6 7 8; do echo "$d/pre/$i/true sha256 $sum direct"; done
} > "$d.pre"
t "a manifest with @verify now loads" load "$d.pre"
i=0
while [ "$(counter pending)" != 0 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
result "$([ "$(counter pending)" = 0 ]; echo $?)" "pending drops to 0"
result "$([ "$(entry_status "$d/pre/1/true")" = valid ] && [ "$(entry_status "$d/pre/8/true")" = mismatch ]; echo $?)" \
	"the background pass marks entries valid and mismatch"
fp=$(counter fingerprints)
t "after the pass, a first exec is a cache hit" "$d/pre/3/true"
result "$([ "$(counter fingerprints)" = "$fp" ]; echo $?)" "fingerprints does not grow"
# An exec racing the background pass waits for its hash: one hash only.
# busybox runs with data after its end: an 8 MiB "true" takes a while.
mkdir -p "$d.race"
cat /bin/busybox > "$d.race/true" && head -c 8388608 /dev/zero >> "$d.race/true" &&
	chmod 755 "$d.race/true"
rsum=$(sha256sum "$d.race/true" | awk '{ print $1 }')
rsize=$(wc -c < "$d.race/true")
printf '@name race\n@verify now\n%s sha256 %s direct\n' "$d.race/true" "$rsum" > "$d.race.m"
bytes=$(counter bytes_hashed) fp=$(counter fingerprints)
t "an exec right after a load with @verify now runs" sh -c "veriexecctl sign --key $K/signing.key --cert $K/signing.crt -o $d.race.m.p7s $d.race.m && veriexecctl load $d.race.m.p7s && $d.race/true"
i=0
while [ "$(counter pending)" != 0 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
result "$([ "$(counter fingerprints)" = $((fp + 1)) ] && [ "$(counter bytes_hashed)" = $((bytes + rsize)) ]; echo $?)" \
	"the file was hashed once, by the pass or by the exec"
result "$([ "$(entry_status "$d.race/true")" = valid ]; echo $?)" "and its entry is valid"
# load -e through the verify file: refused for a set that is not loaded.
result "$(echo nosuchset > /sys/kernel/security/veriexec/verify 2>/dev/null; [ $? != 0 ]; echo $?)" \
	"verify refuses a set that is not loaded"

veriexecctl level 1
# A fresh window of the log's rate limit (10 lines in 5 s) for the line.
sleep 5
before=$(counter denied_mismatch)
"$d/plain/true" 2> /dev/null
result "$([ $? = 126 ]; echo $?)" "the file without fs-verity is refused at level 1"
result "$([ "$(counter denied_mismatch)" = $((before + 1)) ]; echo $?)" \
	"denied_mismatch grows by one"
"$d/other/true" 2> /dev/null
result "$([ $? = 126 ]; echo $?)" "a file whose fs-verity digest differs is refused at level 1"
t "the fs-verity entry still runs at level 1" "$d/prog/true"
result "$(dmesg | grep -q 'denied exec path="'"$d"'/plain/true".*reason="fingerprint mismatch"'; echo $?)" \
	"the refusal is logged as a fingerprint mismatch"

# A data block changed on the image underneath: fs-verity fails the read
# (EIO), and the changed code never runs.  At level 1 the write to the
# loop device's backing file is only logged.
mkdir -p "$d/bad"
printf '#!/bin/sh\n# VXCORRUPT%s\nexit 0\n' $$ > "$d/bad/true" && chmod 755 "$d/bad/true"
t "fsverity-enable on a script" veriexecctl fsverity-enable "$d/bad/true"
bdigest=$(veriexecctl generate --fsverity "$d/bad/true" | awk '{ print $3 }')
printf '@name bad\n%s fsverity-sha256 %s direct\n' "$d/bad/true" "$bdigest" > "$d.bad"
t "its fsverity-sha256 entry loads" load "$d.bad"
t "the listed fs-verity script runs" "$d/bad/true"
sync
# strings prints the offset of the line "# VXCORRUPT<pid>": change its '#'.
off=$(strings -t d "$d.img" | awk -v m="VXCORRUPT$$" 'index($0, m) { print $1; exit }')
t "its data block is found in the image" [ -n "$off" ]
printf 'X' | dd of="$d.img" bs=1 seek="$off" conv=notrunc 2> /dev/null
sync
echo 3 > /proc/sys/vm/drop_caches
cat "$d/bad/true" > /dev/null 2> "$d.err"
result "$([ $? != 0 ] && grep -q -e 'Input/output error' -e 'I/O error' "$d.err"; echo $?)" "reading the changed block fails with EIO"
sed 's/^/#   /' "$d.err"
"$d/bad/true" > /dev/null 2>&1
result "$([ $? != 0 ]; echo $?)" "executing it fails"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
