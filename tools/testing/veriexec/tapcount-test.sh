#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Check that tapcount.awk counts honestly: outputs that must count as
# failures (no plan, a binary missing, fewer cases than planned, a skip
# that was not allowed, a crash) and ones that must not.  Prints TAP.
#
# Usage: tapcount-test.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp "${TMPDIR:-/tmp}/tapcount-test.XXXXXX")
trap 'rm -f "$t"' EXIT
n=0 failed=0

# case_ DESC WANT EXPECT ALLOW: count $t, compare "PASS FAIL SKIP".
case_() {
	n=$((n + 1))
	got=$(awk -v expect="$3" -v allow="$4" -f "$here/tapcount.awk" "$t" 2>/dev/null)
	if [ "$got" = "$2" ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1 (got '$got', want '$2')"
		failed=$((failed + 1))
	fi
}

good='TAP version 13
1..2
# selftests: veriexec: a_test
# TAP version 13
# 1..2
# ok 1 f.one
# ok 2 f.two # SKIP not here
ok 1 selftests: veriexec: a_test
# selftests: veriexec: b.sh
# nothing but comments
ok 2 selftests: veriexec: b.sh'

echo "$good" > "$t"
case_ "all results, allowed skip" "2 0 1" "a_test b.sh" '^a_test f\.two$'
echo "$good" > "$t"
case_ "a skip not allowed here" "2 1 1" "a_test b.sh" ''
echo "$good" > "$t"
case_ "an expected binary missing" "2 1 1" "a_test b.sh c_test" '^a_test f\.two$'
echo "$good" | sed '/^1\.\.2$/d' > "$t"
case_ "no top-level plan" "2 1 1" "a_test b.sh" '^a_test f\.two$'
echo "$good" | sed '/^ok 2 selftests/d' > "$t"
case_ "fewer binaries than planned" "1 2 1" "a_test b.sh" '^a_test f\.two$'
echo "$good" | sed 's/^# 1\.\.2$/# 1..3/' > "$t"
case_ "fewer cases than planned" "2 1 1" "a_test b.sh" '^a_test f\.two$'
echo "$good" | sed '/^# 1\.\.2$/d' > "$t"
case_ "cases without a plan" "2 1 1" "a_test b.sh" '^a_test f\.two$'
echo "$good" | sed 's/^ok 2 selftests: veriexec: b.sh/not ok 2 selftests: veriexec: b.sh # exit=139/' > "$t"
case_ "a script that crashed" "1 1 1" "a_test b.sh" '^a_test f\.two$'
echo "$good" | sed 's/^ok 2 selftests: veriexec: b.sh/ok 2 selftests: veriexec: b.sh # SKIP/' > "$t"
case_ "a script skipped whole, allowed" "1 0 2" "a_test b.sh" '^a_test f\.two$|^b\.sh$'
: > "$t"
case_ "no output at all" "0 2 0" "a_test" ''

echo "1..$n"
[ "$failed" = 0 ]
