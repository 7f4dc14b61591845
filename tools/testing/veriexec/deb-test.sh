#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deb: build veriexecctl's package, check that each file is in it at
# the path the hook, the init-bottom script and the unit expect, that
# lintian reports nothing (overrides: README.md, "Debian package"), and
# that installed by dpkg in a throwaway root the unit is enabled and the
# binary runs, and purged nothing of it is left.  Prints TAP.
#
# Usage: deb-test.sh OUTDIR
set -u

out=${1:?usage: deb-test.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/veriexec-deb.XXXXXX")
trap 'rm -rf "$t"' EXIT
n=0 failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %s %s\n' "$n" "$2"
	else
		printf 'not ok %s %s\n' "$n" "$2"
		failed=$((failed + 1))
	fi
	return "$1"
}

finish() {
	echo "# $((n - failed)) passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

mkdir -p "$out"
deb=$("$here/mkdeb.sh" "$out" 2> "$t/build.err")
[ -f "$deb" ]
ok $? "make deb builds ${deb##*/}" || { sed 's/^/# /' "$t/build.err"; finish; }
case ${deb##*/} in
veriexecctl_*_amd64.deb) ok 0 "it is named veriexecctl_VERSION_amd64.deb" ;;
*) ok 1 "it is named veriexecctl_VERSION_amd64.deb" ;;
esac

# Each file at its path, with its mode, as dpkg-deb -c lists it.
dpkg-deb -c "$deb" | awk '{ sub(/^\./, "", $6); print $1, $6 }' > "$t/list"
while read -r mode path; do
	grep -qxF -- "$mode $path" "$t/list"
	ok $? "$mode $path" || grep -F -- " $path" "$t/list" | sed 's/^/# found: /'
done <<'LIST'
-rwxr-xr-x /usr/sbin/veriexecctl
-rw-r--r-- /usr/share/man/man8/veriexecctl.8.gz
-rwxr-xr-x /usr/share/initramfs-tools/hooks/veriexec
-rwxr-xr-x /usr/share/initramfs-tools/scripts/init-bottom/veriexec
-rwxr-xr-x /usr/lib/veriexec/init
-rw-r--r-- /lib/systemd/system/veriexec.service
drwxr-xr-x /etc/veriexec/
-rw-r--r-- /usr/share/doc/veriexecctl/copyright
-rw-r--r-- /usr/share/doc/veriexecctl/changelog.gz
LIST

dpkg-deb -f "$deb" Depends > "$t/depends"
grep -q 'libssl3' "$t/depends" && grep -q 'libkeyutils1' "$t/depends"
ok $? "Depends: from shlibs names libssl3 and libkeyutils1" ||
	sed 's/^/# /' "$t/depends"

# The hook's update-initramfs trigger; the unit enabled, not started.
dpkg-deb -e "$deb" "$t/DEBIAN"
grep -qx 'activate-noawait update-initramfs' "$t/DEBIAN/triggers"
ok $? "the hook triggers update-initramfs"
grep -q "deb-systemd-helper enable 'veriexec.service'" "$t/DEBIAN/postinst" &&
	! grep -q 'deb-systemd-invoke' "$t/DEBIAN/postinst"
ok $? "postinst enables veriexec.service and does not start it"

# Errors, warnings, info and pedantic tags all fail.  (With
# --show-overrides, lintian would fail on the overridden ones too.)
lintian -I --pedantic --fail-on error,warning,info,pedantic "$deb" \
	> "$t/lintian" 2>&1
rc=$?
sed 's/^/# lintian: /' "$t/lintian"
[ $rc = 0 ] && ! grep -q '^[EWIPX]: ' "$t/lintian"
ok $? "lintian -I --pedantic reports no tag"

# Installed by dpkg into a throwaway root.  Its maintainer scripts run
# outside it, with DPKG_ROOT set, which deb-systemd-helper honours: it
# must, or enabling the unit would touch this machine's /etc.
root=$t/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: > "$root/var/lib/dpkg/status"
if ! grep -q DPKG_ROOT /usr/bin/deb-systemd-helper; then
	ok 1 "dpkg --root installs it"
	echo "# deb-systemd-helper ignores DPKG_ROOT: not Debian 12's"
	finish
fi
dpkg --root="$root" --log=/dev/null --force-depends \
	--force-script-chrootless -i "$deb" > "$t/dpkg" 2>&1 &&
	dpkg-query --root="$root" -W -f='${Status}\n' veriexecctl |
	grep -qx 'install ok installed'
ok $? "dpkg --root installs it" || sed 's/^/# /' "$t/dpkg"
grep -v '^#' "$root/usr/share/lintian/overrides/veriexecctl" |
	sed 's/^/# lintian override: /'
wants=$root/etc/systemd/system/sysinit.target.wants/veriexec.service
[ "$(readlink "$wants")" = /lib/systemd/system/veriexec.service ]
ok $? "postinst enables veriexec.service in sysinit.target"
# The hook, the init-bottom script and the unit must run the tool by the
# path it is installed at.
for f in usr/share/initramfs-tools/hooks/veriexec \
	 usr/share/initramfs-tools/scripts/init-bottom/veriexec \
	 usr/lib/veriexec/init \
	 lib/systemd/system/veriexec.service; do
	paths=$(grep -o '/[a-z/]*/veriexecctl' "$root/$f" | sort -u)
	[ "$paths" = /usr/sbin/veriexecctl ]
	ok $? "${f##*/} in ${f%/*} runs /usr/sbin/veriexecctl" ||
		echo "# it names: $paths"
done
"$root/usr/sbin/veriexecctl" --help > "$t/help" 2>&1 &&
	grep -q '^usage: veriexecctl COMMAND' "$t/help"
ok $? "the installed veriexecctl --help runs" || sed 's/^/# /' "$t/help"
"$root/usr/sbin/veriexecctl" generate "$root/usr/sbin/veriexecctl" > "$t/gen" 2>&1
grep -q "^$root/usr/sbin/veriexecctl sha256 [0-9a-f]\{64\} direct$" "$t/gen"
ok $? "the installed veriexecctl generate lists itself" || sed 's/^/# /' "$t/gen"
readelf -d "$root/usr/sbin/veriexecctl" > "$t/dynamic"
! grep -q 'RPATH\|RUNPATH' "$t/dynamic" && grep -q 'BIND_NOW' "$t/dynamic" &&
	readelf -h "$root/usr/sbin/veriexecctl" | grep -q 'Type:.*DYN'
ok $? "no rpath; PIE, bound now (dpkg-buildflags)"

dpkg --root="$root" --log=/dev/null --force-script-chrootless -P veriexecctl \
	> "$t/dpkg" 2>&1
ok $? "dpkg --root purges it" || sed 's/^/# /' "$t/dpkg"
left=$(cd "$root" && find usr lib etc/veriexec "${wants#"$root"/}" 2>/dev/null)
[ -z "$left" ]
ok $? "purging leaves none of its files, nor the unit enabled" ||
	echo "$left" | sed 's/^/# left: /'

finish
