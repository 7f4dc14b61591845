#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test: host tests, then KUnit and the kselftests under QEMU, and one
# closing line "N passed, N failed" counted from the real results.
#
# The first boot (with KUnit, which runs at boot) runs every selftest as
# the stock kselftest runner does, with no marker on the command line:
# the tests that raise the level or lock loads skip there, and the guest
# must still be usable afterwards.  Each of those tests then gets a boot
# of its own, whose command line carries its marker ("vxtest.boot=TEST",
# or the parameters lock_test checks).
#
# Usage: run-tests.sh BZIMAGE IMAGE
set -u

kernel=$1 image=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
isolated="enforce_test exec_test kload_test storage_test level_test lock_test boot_test.sh verity_test.sh overlay_test.sh audit_test.sh"
# Extra kernel command line of an isolated test's boot.  vxtest.raise lets
# a binary raise the level (the kernel ignores the word): without it the
# route tests skip, so that a stock kselftest run never leaves a machine
# locked down.
cmdline_of() {
	case "$1" in
	lock_test) echo "veriexec.level=1 veriexec.lock=1" ;;
	exec_test | kload_test | storage_test) echo "vxtest.raise vxtest.boot=$1" ;;
	audit_test.sh) echo "audit=1 vxtest.boot=$1" ;;
	*) echo "vxtest.boot=$1" ;;
	esac
}

# The skips each boot may have, as an ERE over "BINARY CASE" ("BINARY"
# for a script): any other skip is a failure.  enforce_test's variants
# skip the cases of other levels or filesystems by design.
by_design='^enforce_test enforce\.level[023]_(tmpfs|ext4)\.(level_1_logs_changes|change_then_exec_rehashes)$'
by_design="$by_design"'|^enforce_test enforce\.level[23]_(tmpfs|ext4)\.mapped_while_open_for_write$'
by_design="$by_design"'|^enforce_test enforce\.level(1_tmpfs|[0-3]_ext4)\.denial_log_line$'
allowed_skips() {
	case "$1" in
	main)
		# No markers: what raises the level or locks skips.
		printf '%s' "$by_design"'|^(level_test|lock_test|exec_test|storage_test|kload_test) |^(boot_test|verity_test|overlay_test|audit_test)\.sh$'
		printf '%s' '|^enforce_test enforce\.level[1-3]_'
		# failslab needs the debug kernel (make test-debug).
		grep -q '^CONFIG_FAILSLAB=y' "$KOUT/.config" ||
			printf '%s' '|^failslab_test '
		;;
	enforce_test) printf '%s' "$by_design" ;;
	# Cases that apply to some levels or filesystems only.
	exec_test) printf '%s' '^exec_test exec\.level0\.not_dumpable$' ;;
	storage_test)
		printf '%s' '^storage_test storage\.level[23]_(tmpfs|ext4)\.written_through_shared_mapping_then_used$'
		printf '%s' '|^storage_test storage\.level[0-3]_ext4\.block_device_writes$'
		printf '%s' '|^storage_test storage\.level[0-3]_tmpfs\.(loop_device_and_backing_file|loop_ioctls|block_swapping_ioctls|device_and_image_mapped_writable|device_mapped_before_raise)$'
		printf '%s' '|^storage_test storage\.level[0-3]_ext4\.(swap_device_writes|port_written_through_fd_opened_before_raise|tmpfs_loop_backing_stays_in_memory)$'
		# Level 2 was reached before their setup: no mapping to make first.
		printf '%s' '|^storage_test storage\.level[23]_ext4\.device_mapped_before_raise$'
		;;
	*) printf '%s' '^$' ;;
	esac
}
pass=0 fail=0 skip=0
work=$(mktemp -d "${TMPDIR:-/tmp}/veriexec-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

add() {
	pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + ${3:-0}))
}

# tap_results NAME FILE RC: count a host TAP script's output.  Its plan
# is a "1..N" line or else its closing "# P passed, F failed" line: with
# neither (an early abort), fewer results than either, or a non-zero exit
# status with no failing result, it failed.
tap_results() {
	name=$1 out=$2 rc=$3
	p=$(grep -c '^ok ' "$out") f=$(grep -c '^not ok ' "$out")
	grep -E '^not ok' "$out" >&2
	add "$p" "$f"
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)
	[ -z "$plan" ] && plan=$(sed -n 's/^# \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$out" |
		tail -n 1 | awk '{ print $1 + $2 }')
	if [ -z "$plan" ]; then
		echo "FAILED: $name has no plan (aborted?):" >&2
		tail -n 5 "$out" >&2
		add 0 1
	elif [ $((p + f)) -lt "$plan" ]; then
		echo "FAILED: $name gave $((p + f)) results of $plan planned" >&2
		add 0 1
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAILED: $name exited with status $rc" >&2
		add 0 1
	fi
	echo "   $p passed, $f failed"
}

host_tests() {
	echo "== host tests"
	sh "$top/tools/veriexecctl/tests/run.sh" "$BUILD/veriexecctl/veriexecctl" \
		> "$work/host.tap" 2>&1
	tap_results "veriexecctl host tests" "$work/host.tap" $?
	echo "== harness self-test (tapcount.awk)"
	sh "$here/tapcount-test.sh" > "$work/tapcount.tap" 2>&1
	tap_results "tapcount-test.sh" "$work/tapcount.tap" $?
	echo "== Debian package (make deb)"
	sh "$here/deb-test.sh" "$BUILD/deb" > "$work/deb.tap" 2>&1
	tap_results "deb-test.sh" "$work/deb.tap" $?
	echo "== boot pieces (systemd unit, mkinitramfs, a boot with its initramfs)"
	sh "$here/boot-pieces-test.sh" "$kernel" > "$work/boot-pieces.tap" 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep '^#\|^Bail' "$work/boot-pieces.tap" >&2
	tap_results "boot-pieces-test.sh" "$work/boot-pieces.tap" $rc
}

# make patch: the series must apply with git am to a pristine tree and
# give the very tree this run built.
patch_series() {
	echo "== make patch"
	if "$here/patch.sh" "$work/patches" > "$work/patch.log" 2>&1; then
		add 1 0
		head -n 1 "$work/patch.log" | sed 's/^/   /'
	else
		echo "FAILED: make patch:" >&2
		tail -n 30 "$work/patch.log" >&2
		add 0 1
	fi
}

# The selftests' config fragment, merged onto x86_64 defconfig as make
# kselftest-merge merges it: every line must hold in the final .config.
# (Merged with every other suite's fragment, bpf's CONFIG_LSM wins.)
config_fragment() {
	echo "== selftests config fragment"
	frag=$KTREE/tools/testing/selftests/veriexec/config o=$work/ksm
	bad=
	if make -s -C "$KTREE" O="$o" ARCH=x86_64 defconfig > "$work/ksm.log" 2>&1 &&
	   (cd "$o" && "$KTREE/scripts/kconfig/merge_config.sh" -m -O "$o" \
		"$o/.config" "$frag" && make -s ARCH=x86_64 olddefconfig) \
		>> "$work/ksm.log" 2>&1; then
		while read -r line; do
			case $line in
			"# CONFIG_"*" is not set")
				sym=${line#\# } sym=${sym%% *}
				grep -q "^$sym=" "$o/.config" && bad="$bad $sym" ;;
			CONFIG_*)
				grep -qxF -- "$line" "$o/.config" || bad="$bad ${line%%=*}" ;;
			esac
		done < "$frag"
		# Active, with KUnit off: what a kselftest kernel needs.
		grep -q '^CONFIG_LSM=".*veriexec' "$o/.config" || bad="$bad CONFIG_LSM"
		grep -q '^CONFIG_KUNIT=' "$o/.config" && bad="$bad CONFIG_KUNIT"
	else
		bad=" (merge failed)"
		tail -n 10 "$work/ksm.log" >&2
	fi
	if [ -n "$bad" ]; then
		echo "FAILED: config lines that do not hold:$bad" >&2
		add 0 1
	else
		add 1 0
		echo "   $(grep -c '^CONFIG_\|^# CONFIG_' "$frag") lines hold on defconfig"
	fi
}

# A short libFuzzer run over the kernel's manifest parser (ASan, UBSan).
fuzz_smoke() {
	echo "== fuzz (${FUZZ_SECONDS:-30} s)"
	if make -s -C "$top/tools/veriexecctl" fuzz OUTPUT="$BUILD/veriexecctl/" \
		FUZZ_SECONDS="${FUZZ_SECONDS:-30}" > "$work/fuzz.log" 2>&1; then
		add 1 0
		grep 'number_of_executed_units' "$work/fuzz.log" | sed 's/^/   /'
	else
		echo "FAILED: the fuzzer found a crash:" >&2
		tail -n 30 "$work/fuzz.log" >&2
		add 0 1
	fi
}

# After the stock runner: the guest must still run programs, at level 0,
# unlocked.  Then the suite must not depend on where it is installed
# (ctl_test.sh from another directory), and without veriexecctl, the
# test keys and the ext4 image it must skip, not fail.
usable_check='fs=/sys/kernel/security/veriexec
if /bin/true && [ "$(cat $fs/level)" = 0 ] && ! grep -q locked $fs/state; then
	echo "vx-usable: yes"
else
	echo "vx-usable: no: level $(cat $fs/level), state $(cat $fs/state)"
fi
echo "vx-phase: moved"
mv /opt/kselftest /tmp/ksft-moved && cd /tmp/ksft-moved &&
	./run_kselftest.sh -t veriexec:ctl_test.sh
echo "vx-phase: bare"
rm -rf /usr/bin/veriexecctl /usr/sbin/veriexecctl /etc/veriexec/test /opt/vx-ext4.img
./run_kselftest.sh'

# count_tap WHAT FILE EXPECT ALLOW: add the results of runner output.
count_tap() {
	set -- "$1" "$2" "$(awk -v expect="$3" -v allow="$4" \
		-f "$here/tapcount.awk" "$2")"
	what=$1 file=$2
	set -- $3
	add "$1" "$2" "$3"
	echo "   $what: $1 passed, $2 failed, $3 skipped"
	[ "$2" -gt 0 ] && grep -v '^ok\|^# ok' "$file" | tail -n 60 >&2
}

# vm_selftests NAME KCMDLINE TEST...: run the named selftests in one boot;
# with no TEST, all of them as the stock runner does, then usable_check.
vm_selftests() {
	name=$1 cmdline=$2
	shift 2
	args= expect= check=:
	for t in "$@"; do args="$args -t veriexec:$t"; done
	# The debug kernel is several times slower: each binary gets longer.
	[ "$VARIANT" = debug ] && args="$args -o 3000"
	expect=${*:-$all}
	[ $# -eq 0 ] && check=$usable_check
	# On a kmemleak kernel, scan after the tests: vm-run fails the boot
	# on any leak reported in the console log.  The file is opened before
	# them: from level 2 debugfs files with write bits open for trusted
	# programs only.  Shell builtins only after them: a test may have
	# left nothing listed to execute.
	printf '%s\ncd /opt/kselftest && ./run_kselftest.sh%s\nrc=$?\n%s\n%s\nexit $rc\n' \
		'km=/sys/kernel/debug/kmemleak; [ -e $km ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null; if [ -e $km ]; then exec 3>$km 4<$km; fi' \
		"$args" "$check" 'if [ -e $km ]; then echo scan >&3; read -t 6 _ < /dev/console; echo scan >&3; while IFS= read -r l; do echo "$l"; done <&4; fi' \
		> "$work/$name.sh"
	echo "== QEMU: $name"
	KCMDLINE="$cmdline" VM_LOG="$work/$name.log" \
		"$here/vm-run.sh" "$kernel" "$image" "$work/$name.sh" \
		> "$work/$name.out" 2> "$work/$name.err"
	rc=$?
	cat "$work/$name.err" >&2
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		echo "FAILED: boot '$name' ended with status $rc" >&2
		tail -n 40 "$work/$name.out" >&2
		add 0 1
	fi
	# Exit status 1 is the runner's "a test failed": counted below.
	if [ "$check" = : ]; then
		count_tap "$name" "$work/$name.out" "$expect" "$(allowed_skips "$name")"
		return
	fi
	out=$work/$name.out
	sed '/^vx-phase: moved$/,$d' "$out" > "$out.stock"
	sed -n '/^vx-phase: moved$/,/^vx-phase: bare$/p' "$out" > "$out.moved"
	sed -n '/^vx-phase: bare$/,$p' "$out" > "$out.bare"
	count_tap "stock runner" "$out.stock" "$expect" "$(allowed_skips "$name")"
	if grep -qx 'vx-usable: yes' "$out.stock"; then
		add 1 0
		echo "   the guest is usable after the stock runner"
	else
		echo "FAILED: after the stock runner: $(grep '^vx-usable' "$out.stock")" >&2
		add 0 1
	fi
	count_tap "installed elsewhere" "$out.moved" ctl_test.sh '^$'
	count_tap "no veriexecctl, keys, image" "$out.bare" "$expect" '.'
}

kunit_results() {
	echo "== KUnit (at boot)"
	python3 "$KTREE/tools/testing/kunit/kunit.py" parse "$work/main.log" \
		> "$work/kunit.txt" 2>&1
	line=$(grep 'Testing complete' "$work/kunit.txt" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAILED: no KUnit results in the console log" >&2
		tail -n 20 "$work/kunit.txt" >&2
		add 0 1
	fi
	echo "   ${line#*] }"
	p=$(echo "$line" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
	e=$(echo "$line" | sed -n 's/.*errors: \([0-9]*\).*/\1/p')
	s=$(echo "$line" | sed -n 's/.*skipped: \([0-9]*\).*/\1/p')
	add "${p:-0}" "$((${f:-0} + ${e:-0}))" "${s:-0}"
	# The suites listed, and any the sources define, must all have run.
	suites=$( (cat "$here/kunit-suites"
		sed -n 's/^[[:space:]]*\.name = "\(veriexec_[a-z_]*\)",$/\1/p' \
			"$KTREE"/security/veriexec/*kunit*.c) | sort -u)
	for suite in $suites; do
		grep -q "Subtest: $suite\$" "$work/main.log" && continue
		echo "FAILED: KUnit suite $suite did not run" >&2
		add 0 1
	done
	grep -E '\[FAILED\]|\[ERROR\]' "$work/kunit.txt" >&2
}

host_tests
fuzz_smoke
patch_series
config_fragment
all=$(sed -n 's/^veriexec://p' "$KSFT/kselftest-list.txt")
[ -n "$all" ] || { echo "FAILED: no selftests in $KSFT" >&2; add 0 1; }
vm_selftests main ""
kunit_results
for t in $all; do
	case " $isolated " in
	*" $t "*) vm_selftests "$t" "kunit.enable=0 $(cmdline_of "$t")" "$t" ;;
	esac
done

[ "$skip" -gt 0 ] && s=", $skip skipped" || s=
echo "$pass passed, $fail failed$s"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
