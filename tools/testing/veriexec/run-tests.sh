#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test: host tests, then KUnit and the kselftests under QEMU, and one
# closing line "N passed, N failed" counted from the real results.
#
# Most selftests share one boot (with KUnit, which runs at boot).  Those
# that raise the level or lock loads change the machine for good, so each
# gets a boot of its own.
#
# Usage: run-tests.sh BZIMAGE IMAGE
set -u

kernel=$1 image=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
isolated="enforce_test exec_test kload_test storage_test level_test lock_test boot_test.sh verity_test.sh overlay_test.sh"
# Extra kernel command line of an isolated test's boot.  vxtest.raise lets
# a binary raise the level (the kernel ignores the word): without it the
# route tests skip, so that a stock kselftest run never leaves a machine
# locked down.
cmdline_of() {
	case "$1" in
	lock_test) echo "veriexec.level=1 veriexec.lock=1" ;;
	exec_test | kload_test | storage_test) echo "vxtest.raise vxtest.boot=$1" ;;
	*) echo "vxtest.boot=$1" ;;
	esac
}
pass=0 fail=0 skip=0
work=$(mktemp -d "${TMPDIR:-/tmp}/veriexec-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

add() {
	pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + ${3:-0}))
}

host_tests() {
	echo "== host tests"
	out=$work/host.tap
	sh "$top/tools/veriexecctl/tests/run.sh" "$BUILD/veriexecctl/veriexecctl" \
		> "$out" 2>&1
	grep -E '^not ok' "$out" >&2
	add "$(grep -c '^ok' "$out")" "$(grep -c '^not ok' "$out")"
	tail -n 1 "$out"
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

# vm_selftests NAME KCMDLINE TEST...: run the named selftests in one boot.
vm_selftests() {
	name=$1 cmdline=$2
	shift 2
	args=
	for t in "$@"; do args="$args -t veriexec:$t"; done
	# On a kmemleak kernel, scan after the tests: vm-run fails the boot
	# on any leak reported in the console log.
	printf 'cd /opt/kselftest && ./run_kselftest.sh%s\nrc=$?\n%s\nexit $rc\n' \
		"$args" 'if [ -e /sys/kernel/debug/kmemleak ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null && [ -e /sys/kernel/debug/kmemleak ]; then echo scan > /sys/kernel/debug/kmemleak; sleep 6; echo scan > /sys/kernel/debug/kmemleak; cat /sys/kernel/debug/kmemleak; fi' \
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
	set -- $(awk -f "$here/tapcount.awk" "$work/$name.out")
	add "$1" "$2" "$3"
	echo "   $1 passed, $2 failed, $3 skipped"
	[ "$2" -gt 0 ] && grep -v '^ok\|^# ok' "$work/$name.out" | tail -n 60 >&2
}

kunit_results() {
	echo "== KUnit (at boot)"
	python3 "$KTREE/tools/testing/kunit/kunit.py" parse "$work/main.log" \
		> "$work/kunit.txt" 2>&1
	line=$(grep 'Testing complete' "$work/kunit.txt" | tail -n 1)
	echo "   ${line#*] }"
	p=$(echo "$line" | sed -n 's/.*passed: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*failed: \([0-9]*\).*/\1/p')
	e=$(echo "$line" | sed -n 's/.*errors: \([0-9]*\).*/\1/p')
	s=$(echo "$line" | sed -n 's/.*skipped: \([0-9]*\).*/\1/p')
	add "${p:-0}" "$((${f:-0} + ${e:-0}))" "${s:-0}"
	for suite in $(cat "$here/kunit-suites"); do
		grep -q "Subtest: $suite\$" "$work/main.log" && continue
		echo "FAILED: KUnit suite $suite did not run" >&2
		add 0 1
	done
	grep -E '\[FAILED\]|\[ERROR\]' "$work/kunit.txt" >&2
}

host_tests
fuzz_smoke
all=$(sed -n 's/^veriexec://p' "$KSFT/kselftest-list.txt")
shared=
for t in $all; do
	case " $isolated " in *" $t "*) ;; *) shared="$shared $t" ;; esac
done
# shellcheck disable=SC2086
vm_selftests main "" $shared
kunit_results
for t in $all; do
	case " $isolated " in
	*" $t "*) vm_selftests "$t" "kunit.enable=0 $(cmdline_of "$t")" "$t" ;;
	esac
done

[ "$skip" -gt 0 ] && s=", $skip skipped" || s=
echo "$pass passed, $fail failed$s"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
