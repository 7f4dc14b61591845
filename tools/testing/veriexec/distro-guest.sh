#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The distro boot's acceptance checks (issue 18), run by systemd once
# multi-user.target is reached, as /usr/local/sbin/vx-distro-test.  Writes
# TAP to the second serial port, which the host reads, then powers off.
# Everything here runs at level 2 with the image's signed set loaded and
# loads locked, as the initramfs and /usr/lib/veriexec/init left them.
set -u

exec > /dev/ttyS1 2>&1
fs=/sys/kernel/security/veriexec
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
counter() { sed -n "s/^$1 //p" $fs/status; }
# refused CMD...: it fails with "Operation not permitted" (EPERM).
refused() {
	"$@" > /tmp/vx-out 2>&1 && return 1
	grep -q 'Operation not permitted' /tmp/vx-out
}
diag() { sed 's/^/# /'; }
# stress-ng's exec stressor refuses to run as root.
stress() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		stress-ng --temp-path /tmp "$@"
}
param() { sed -n "s/.*vxtest\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
finish() {
	echo "# status after the checks:"
	[ -d $fs ] && diag < $fs/status
	echo "# done"
	sync
	systemctl --no-block poweroff
	exit 0
}

# stress_denials LOGGED DENIALS NO_ENTRY: since those counts (denial lines
# in the kernel log, the counters), nothing but copies of stress-ng was
# refused: its exec stressor also runs copies of itself that it makes in
# its temporary directory, which have no entry and are refused as any copy
# is.  The log is rate-limited: every other denial shows in the counters.
stress_denials() {
	d=$(($(counter denials) - $2)) ne=$(($(counter denied_no_entry) - $3))
	dmesg | grep 'veriexec: denied' | tail -n "+$(($1 + 1))" |
		grep -v 'path="/tmp/tmp-stress-ng-exec-[^"]*" .*reason="no entry"' \
		> /tmp/vx-other
	diag < /tmp/vx-other
	check "  ... no listed file refused ($d denials, all of copies stress-ng made)" \
		test ! -s /tmp/vx-other -a "$d" -eq "$ne"
}
logged() { dmesg | grep -c 'veriexec: denied'; }

# What the learning boot runs twice: programs that map libraries of
# /usr/lib/x86_64-linux-gnu, which its first manifest leaves out.  Not the
# exec stressor: it runs copies of stress-ng it makes, which no manifest
# can list.
workload() {
	/usr/bin/id > /dev/null &&
	dpkg-query -W hostname > /dev/null &&
	apparmor_parser --version > /dev/null &&
	stress --fork 1 --mmap 1 --timeout 5s > /tmp/vx-work 2>&1
}

# The learning boot (vxtest.mode=learn): level 0, a set that leaves out
# most shared libraries; learn, sign, load, level 2, the same workload.
learn_boot() {
	echo "1..8"
	check "learning boot: level 0, not locked" \
		test "$(cat $fs/level)" = 0 -a -z "$(grep locked $fs/state)"
	sed 's/^/# set: /' $fs/sets
	check "the workload runs at level 0" workload
	grep -c 'x86_64-linux-gnu/' $fs/learned > /tmp/vx-n
	check "learned lists libraries of /usr/lib/x86_64-linux-gnu ($(cat /tmp/vx-n))" \
		test "$(cat /tmp/vx-n)" -gt 0
	learn() {
		printf '@name learned\n@version 1\n' > /root/learned &&
		veriexecctl learn >> /root/learned
	}
	check "veriexecctl learn writes a manifest ($(($(wc -l < $fs/learned))) files learned)" \
		learn
	grep -v '^@' /root/learned | head -n 5 | diag
	check "it is signed and loads" sh -c 'veriexecctl sign \
		--key /root/vx-keys/signing.key --cert /root/vx-keys/signing.crt \
		-o /root/learned.p7s /root/learned && veriexecctl load /root/learned.p7s'
	sed 's/^/# set: /' $fs/sets
	# Without the learned set, level 2 would stop everything here.
	if grep -q '^learned ' $fs/sets; then
		check "level 2" veriexecctl level 2
	else
		not_ok "level 2 (not raised: the learned set is not loaded)"
	fi
	before=$(counter denials)
	check "the workload runs at level 2" workload
	check "  ... with 0 denials" test -n "$before" -a "$(counter denials)" = "$before"
	finish
}

# The benchmark boots (make bench-distro, vxtest.mode=bench), with and
# without veriexec in lsm=: when multi-user.target was reached (monotonic
# time since the kernel started, virtual under -icount), then stress-ng's
# bogo-ops.
bench_boot() {
	echo "1..3"
	up=$(systemctl show -p ActiveEnterTimestampMonotonic --value multi-user.target)
	echo "# bench multi_user_us ${up:-0}"
	[ -d $fs ] && echo "# bench level $(cat $fs/level) pending $(counter pending) fingerprints $(counter fingerprints)"
	# Where the boot's time went, in the kernel's clock.
	dmesg | grep -E 'veriexec: (set|strict|manifest)|Run /init|Freeing unused kernel|systemd\[1\]: systemd [0-9]' | diag
	systemd-analyze blame 2> /dev/null | head -n 8 | diag
	check "multi-user.target reached" test "${up:-0}" -gt 0
	before_log=$(logged)
	[ -d $fs ] && before=$(counter denials) before_ne=$(counter denied_no_entry)
	stress --exec 1 --fork 1 --mmap 1 --dir 1 --rename 1 --flock 1 \
		--fcntl 1 --timeout "$(param stress)s" --metrics-brief \
		> /tmp/vx-stress 2>&1
	rc=$?
	diag < /tmp/vx-stress
	awk '$4 ~ /^(exec|fork|mmap|dir|rename|flock|fcntl)$/ && $5 ~ /^[0-9]+$/ {
		print "# bench bogo " $4 " " $5 }' /tmp/vx-stress
	check "stress-ng for $(param stress) s (status $rc)" test $rc -eq 0
	if [ -d $fs ]; then
		stress_denials "$before_log" "$before" "$before_ne"
	else
		ok "  ... veriexec is not in lsm="
	fi
	finish
}

echo "TAP version 13"
case $(param mode) in
learn) learn_boot ;;
bench) bench_boot ;;
esac
# Debug kernels (make test-distro-debug) scan for leaks at the end.
km=/sys/kernel/debug/kmemleak
if [ -e $km ]; then echo "1..24"; else echo "1..23"; fi

# "starting" while this unit, ordered after multi-user.target, runs.
echo "# system state: $(systemctl is-system-running)"
systemctl list-jobs --no-legend | diag
check "systemd reached multi-user.target" \
	test "$(systemctl is-active multi-user.target)" = active
check "veriexec is at level 2" test "$(cat $fs/level)" = 2
echo "# state: $(cat $fs/state)"
grep -q locked $fs/state
check "manifest loads are locked" test $? = 0
sed 's/^/# set: /' $fs/sets
check "the image's signed set is loaded" grep -q '^debian 1 [1-9]' $fs/sets
# @verify now: the background pass over the set ends.
waited=0
while [ "$(counter pending)" != 0 ] && [ $waited -lt 1800 ]; do
	sleep 5
	waited=$((waited + 5))
done
check "@verify now: pending reaches 0 ($(counter fingerprints) fingerprints)" \
	test "$(counter pending)" = 0

lsm=$(cat /sys/kernel/security/lsm)
echo "# lsm: $lsm"
missing=
for m in capability landlock lockdown yama apparmor bpf veriexec ima; do
	case ",$lsm," in *",$m,"*) ;; *) missing="$missing $m" ;; esac
done
case ",$lsm," in *,selinux,*) missing="$missing (selinux selected)" ;; esac
check "LSMs stacked: landlock lockdown yama apparmor bpf veriexec ima${missing:+; missing:$missing}" \
	test -z "$missing"
check "AppArmor is enabled" \
	test "$(cat /sys/module/apparmor/parameters/enabled)" = Y

# Each profile the apparmor package installs is loaded.
loaded=$(sed 's/ (.*//' /sys/kernel/security/apparmor/profiles | sort)
echo "$loaded" | sed 's/^/# apparmor profile: /'
want=$(for f in /etc/apparmor.d/*; do
	[ -f "$f" ] && apparmor_parser -N "$f" 2>/dev/null
done | sort -u)
notloaded=$(echo "$want" | grep -vxF "$loaded" || true)
check "AppArmor has the apparmor package's profiles loaded ($(echo "$want" | grep -c .))" \
	test -n "$want" -a -z "$notloaded"
[ -n "$notloaded" ] && echo "$notloaded" | sed 's/^/# not loaded: /'

echo "# status at the end of the boot:"
diag < $fs/status
check "status: denials 0 for the boot" test "$(counter denials)" = 0
failed=$(systemctl --failed --no-legend --plain | awk '{ print $1 }')
echo "$failed" | sed '/^$/d; s/^/# failed unit: /'
# A unit veriexec made fail would have logged a denial; name any that
# did, and show the journal of every failed unit.
vxfailed=
for u in $failed; do
	journalctl -b -u "$u" --no-pager -n 20 | diag
	journalctl -b -u "$u" --no-pager | grep -q 'Operation not permitted' &&
		vxfailed="$vxfailed $u"
done
check "systemctl --failed lists nothing veriexec caused${vxfailed:+:$vxfailed}" \
	test -z "$vxfailed" -a "$(counter denials)" = 0
check "systemctl --failed lists no unit at all" test -z "$failed"

# --- What level 2 refuses --------------------------------------------
cp /usr/bin/id /dev/shm/id && cp /usr/bin/id /root/id
check "a copy of /usr/bin/id in /dev/shm (tmpfs) is refused" refused /dev/shm/id
check "a copy of /usr/bin/id in /root (the ext4 root) is refused" refused /root/id
runs_id() { /usr/bin/id -u > /dev/null; }
check "/usr/bin/id itself runs" runs_id
before=$(counter denied_mismatch)
check "a tampered listed binary is refused" refused /usr/local/bin/vx-tampered
check "  ... as a fingerprint mismatch" \
	test "$(counter denied_mismatch)" -gt "$before"

printf '#!/bin/sh\necho unlisted script ran\n' > /root/vx-script
chmod 755 /root/vx-script
check "an unlisted script is refused when executed" refused /root/vx-script
# Contract 4.1: a script read by a listed interpreter is data below
# level 3, where reading code is checked; so this one runs.
runs_as_data() { sh /root/vx-script | grep -q 'unlisted script ran'; }
check "  ... and runs as 'sh script' (data read by a listed sh; level 3 checks reads)" \
	runs_as_data

# --- dpkg -i of an upgrade of a listed package -----------------------
deb=$(ls /root/hostname_*+vx1_amd64.deb)
old_ver=$(dpkg-query -W -f='${Version}' hostname)
files=$(dpkg-query -L hostname | while read -r p; do
	[ -f "$p" ] && [ ! -h "$p" ] && echo "$p"; done)
sums=$(echo "$files" | xargs sha256sum)
dpkg -i "$deb" > /tmp/vx-dpkg 2>&1
rc=$?
diag < /tmp/vx-dpkg
check "dpkg -i of an upgrade of hostname fails (status $rc)" test $rc -ne 0
unchanged() { echo "$sums" | sha256sum -c --quiet -; }
still_old() {
	test "$(dpkg-query -W -f='${Version} ${Status}' hostname)" = \
		"$old_ver install ok installed" && test -z "$(dpkg --audit)"
}
check "  ... and the package's files are as they were" unchanged
check "  ... and dpkg still has version $old_ver installed, nothing half-done" \
	still_old
dpkg --audit | diag

# --- Load: stress-ng at level 2 --------------------------------------
# Seconds from the command line (STRESS_SECS on the host), 20 by default.
secs=$(param stress)
before_log=$(logged) before=$(counter denials) before_ne=$(counter denied_no_entry)
stress --exec 1 --fork 1 --mmap 1 --dir 1 --rename 1 --flock 1 \
	--fcntl 1 --timeout "${secs:-20}s" --metrics-brief > /tmp/vx-stress 2>&1
rc=$?
diag < /tmp/vx-stress
check "stress-ng exec, fork, mmap, dir, rename, flock, fcntl for ${secs:-20} s (status $rc)" \
	test $rc -eq 0
stress_denials "$before_log" "$before" "$before_ne"

# --- Leaks, on a kmemleak kernel -------------------------------------
# vx-kmemleak is the debug image's trusted copy of dd (mkdistro.sh): only
# a trusted program may open the scan file for writing from level 2.  Two
# scans, as kmemleak reports an object unreferenced in a scan after the
# one that first found it.
if [ -e $km ]; then
	kml() { printf '%s\n' "$1" | /usr/local/sbin/vx-kmemleak of=$km conv=notrunc status=none; }
	kml scan && sleep 6 && kml scan &&
		/usr/local/sbin/vx-kmemleak if=$km status=none > /tmp/vx-leaks
	rc=$?
	head -n 60 /tmp/vx-leaks | diag
	check "kmemleak scans after the load and reports no leak (status $rc)" \
		test $rc -eq 0 -a ! -s /tmp/vx-leaks
fi

finish
