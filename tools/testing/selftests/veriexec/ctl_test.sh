#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Veriexec selftests - veriexecctl against the real kernel, at level 0:
# generate, sign, load, state, list, sets, status, check, label, key add,
# and the kernel's refusals in veriexecctl's words.

ksft_skip=4
K=/etc/veriexec/test
here=$(cd "$(dirname "$0")" && pwd)
d=/tmp/vx-ctl.$$
n=0 failed=0

skip() { echo "# SKIP: $*"; exit $ksft_skip; }
command -v veriexecctl > /dev/null || skip "veriexecctl is not on PATH"
[ -r $K/signing.key ] && [ -r $K/signing.crt ] && [ -r $K/ca.crt ] ||
	skip "no test keys in $K"
[ -r "$here/libvxtest.so" ] || skip "no $here/libvxtest.so"
[ "$(cat /sys/kernel/security/veriexec/level 2>/dev/null)" = 0 ] ||
	skip "the level is not 0"
mkdir -p "$d/tree"

t() {	# t DESC CMD...: a case that must succeed
	desc=$1; shift
	n=$((n + 1))
	if "$@" > "$d/out" 2> "$d/err"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"; sed 's/^/#   /' "$d/err" "$d/out"
		failed=$((failed + 1))
	fi
}

cp /bin/busybox "$d/tree/prog"
cp "$here/libvxtest.so" "$d/tree/lib.so"
echo data > "$d/tree/data"
set_name=ctl$$
veriexecctl generate --name "$set_name" --version 1 "$d/tree" > "$d/m"

echo "TAP version 13"
t "generate lists the program and the library" \
	sh -c "grep -q '$d/tree/prog sha256 .* direct' $d/m && grep -q '$d/tree/lib.so sha256 .* indirect' $d/m"
t "sign" veriexecctl sign --key $K/signing.key --cert $K/signing.crt -o "$d/m.p7s" "$d/m"
t "verify" veriexecctl verify --cert $K/ca.crt "$d/m.p7s"
t "load" veriexecctl load "$d/m.p7s"
t "sets shows the set" sh -c "veriexecctl sets | grep -qx '$set_name 1 2 0'"
t "list shows the entries" sh -c "veriexecctl list | grep -q '^$set_name $d/tree/prog sha256 '"
t "state says loaded" sh -c "veriexecctl state | grep -q '^loaded active'"
t "status has the counters" sh -c "veriexecctl status | grep -q '^fingerprints [0-9]'"
t "level reads 0" sh -c "[ \$(veriexecctl level) = 0 ]"
t "check: ok" sh -c "veriexecctl check $d/tree/prog | grep -qx '$d/tree/prog: ok'"
t "check: no entry" sh -c "! veriexecctl check $d/tree/data > $d/c; grep -qx '$d/tree/data: no entry' $d/c"
printf 'x' >> "$d/tree/prog"
t "check: mismatch" sh -c "! veriexecctl check $d/tree/prog > $d/c; grep -qx '$d/tree/prog: mismatch' $d/c"
t "label writes security.veriexec" veriexecctl label "$d/tree/data"
hex=$(sha256sum "$d/tree/data" | cut -d' ' -f1)
printf '@name %sl\n- sha256 %s file\n' "$set_name" "$hex" > "$d/l"
veriexecctl sign --key $K/signing.key --cert $K/signing.crt -o "$d/l.p7s" "$d/l"
t "load a path-less entry" veriexecctl load "$d/l.p7s"
t "check finds it through the label" sh -c "veriexecctl check $d/tree/data | grep -qx '$d/tree/data: ok'"
t "key add of a CA-signed certificate" veriexecctl key add $K/signing.der
t "key add refuses an untrusted one" sh -c "! veriexecctl key add $K/rogue.der 2> $d/e; grep -q 'rogue.der' $d/e"
veriexecctl sign --key $K/rogue.key --cert $K/rogue.crt -o "$d/r.p7s" "$d/m"
t "load reports an unknown signer" sh -c "! veriexecctl load $d/r.p7s 2> $d/e; grep -q 'does not trust' $d/e"
printf '@name %s\n@version 0\n' "$set_name" > "$d/old"
veriexecctl sign --key $K/signing.key --cert $K/signing.crt -o "$d/old.p7s" "$d/old"
t "load reports a rollback" sh -c "! veriexecctl load $d/old.p7s 2> $d/e; grep -q 'rollback' $d/e"
printf '@name %s\n@version 1\n/x sha256 00\n' "$set_name" > "$d/bad"
veriexecctl sign --force --key $K/signing.key --cert $K/signing.crt -o "$d/bad.p7s" "$d/bad"
t "load reports a malformed manifest" sh -c "! veriexecctl load $d/bad.p7s 2> $d/e; grep -q 'malformed' $d/e"
t "the set is still there" sh -c "veriexecctl sets | grep -qx '$set_name 1 2 0'"

# Learning mode: at level 0, with a set loaded, an unlisted program runs
# and is remembered; learn turns it into a direct entry.
mkdir -p "$d/unl" && cp /bin/busybox "$d/unl/true"
"$d/unl/true"
t "learned names the unlisted program executed" \
	sh -c "grep -q '^exec $d/unl/true [0-9]*:[0-9]*:[0-9]*\$' /sys/kernel/security/veriexec/learned"
t "learn turns it into a direct entry" \
	sh -c "veriexecctl learn | grep -q '^$d/unl/true sha256 [0-9a-f]* direct\$'"

printf '@name %s\n@version 1\n' "$set_name" > "$d/e1"
printf '@name %sl\n' "$set_name" > "$d/e2"
for f in e1 e2; do
	veriexecctl sign --key $K/signing.key --cert $K/signing.crt -o "$d/$f.p7s" "$d/$f"
	veriexecctl load "$d/$f.p7s"
done
echo "1..$n"
rm -rf "$d"
[ "$failed" = 0 ]
