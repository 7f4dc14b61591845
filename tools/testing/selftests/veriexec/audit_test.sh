#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Veriexec selftests - audit records.  Without auditd the kernel prints
# each record to its log ("audit: type=N audit(TIME:SERIAL): FIELDS"):
# the records of a load, a level change, a refused load and a denial are
# read back from there, field by field.  Needs audit=1 and raises the
# level to 1: runs only in a boot whose command line carries
# "vxtest.boot=audit_test.sh" (run-tests.sh gives it one, with audit=1).

K=/etc/veriexec/test
d=/tmp/vx-audit.$$
n=0 failed=0

echo "TAP version 13"
if ! grep -qw "vxtest.boot=audit_test.sh" /proc/cmdline; then
	echo "1..0 # SKIP not booted for audit_test.sh"
	exit 4
fi
for need in veriexecctl "$K/signing.key"; do
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

load() {
	veriexecctl sign --key $K/signing.key --cert $K/signing.crt \
		-o "$1.p7s" "$1" && veriexecctl load "$1.p7s"
}

# Records of this test only: the log from a line it wrote itself.  With
# no auditd, kauditd prints records under printk_ratelimit() (10 in 5 s),
# and each syscall's record comes with SYSCALL and PROCTITLE ones: start
# every step in a fresh window.
mark() { sleep 5; echo "vx-audit-mark-$$-$1" > /dev/kmsg; }
since() { dmesg | sed -n "/vx-audit-mark-$$-$1\$/,\$p"; }

# The records of TYPE after mark NAME that have every FIELD, word for word.
matching() {	# matching NAME TYPE FIELD...
	name=$1 type=$2
	shift 2
	since "$name" | grep "audit: type=$type audit(" > "$d.rec"
	for f in "$@"; do
		grep -F -- " $f" "$d.rec" > "$d.rec2"
		mv "$d.rec2" "$d.rec"
	done
	wc -l < "$d.rec"
}

# Exactly one such record.  kauditd prints records after the fact: wait
# up to 10 s for it.  Prints the records of TYPE when there is none.
has_record() {	# has_record NAME TYPE FIELD...
	i=0
	while [ "$(matching "$@")" = 0 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(matching "$@")" = 1 ] && return 0
	since "$1" | grep "audit: type=$2" | sed 's/^/#   /' >&2
	dmesg | tail -n 5 | sed 's/^/#   /' >&2
	return 1
}

# audit_log_untrustedstring() writes a value with a space as hex.
hex() { printf '%s' "$1" | xxd -p | tr -d '\n' | tr a-f A-F; }

mkdir -p "$d"
mount -t tmpfs tmpfs "$d" || { echo "1..0 # SKIP no tmpfs"; exit 4; }
cp /bin/busybox "$d/true" && cp /bin/busybox "$d/bad" && echo x >> "$d/bad"
sum=$(sha256sum /bin/busybox | awk '{ print $1 }')
printf '@name audit%s\n@version 3\n%s sha256 %s direct\n%s sha256 %s direct\n' \
	$$ "$d/true" "$sum" "$d/bad" "$sum" > "$d.m"

result "$(grep -qw 'audit=1' /proc/cmdline && [ -e /proc/self/loginuid ]; echo $?)" \
	"the kernel audits (audit=1, CONFIG_AUDIT)"

# Level 1 first: at level 0 every unlisted program run would be a "would
# deny" record, and their number would trip printk's rate limit.
mark level
veriexecctl level 1 > /dev/null 2>&1
result "$(has_record level 1404 old_level=0 level=1 res=1 lsm=veriexec; echo $?)" \
	"a level change: MAC_STATUS with old_level and level"

mark load
load "$d.m" > /dev/null 2>&1
result "$(has_record load 1403 "set=\"audit$$\"" version=3 entries=2 errno=0 \
	res=1 lsm=veriexec; echo $?)" \
	"a load: MAC_POLICY_LOAD with set, version, entries, errno and res"

# The same name at a lower version is refused (ESTALE): res=0.
printf '@name audit%s\n@version 2\n' $$ > "$d.old"
mark refused
load "$d.old" > /dev/null 2>&1
result "$(has_record refused 1403 "set=\"audit$$\"" version=2 errno=-116 res=0; echo $?)" \
	"a refused load: errno and res=0"

mark deny
"$d/bad" > /dev/null 2>&1
result "$([ $? = 126 ]; echo $?)" "the changed file is refused at level 1"
ino=$(stat -c %i "$d/bad")
result "$(has_record deny 1800 lsm=veriexec op=exec denied=1 level=1 \
	"reason=$(hex 'fingerprint mismatch')" "path=\"$d/bad\"" "ino=$ino" \
	"comm=" ; echo $?)" \
	"a denial: INTEGRITY_DATA with op, denied, level, reason, path and inode"

mark allowed
"$d/true"
result "$?" "the listed file runs"
sleep 1
result "$([ -z "$(since allowed | grep 'audit: type=1800')" ]; echo $?)" \
	"and makes no record"

umount "$d" 2> /dev/null
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
