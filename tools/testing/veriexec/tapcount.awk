# SPDX-License-Identifier: GPL-2.0
#
# Count the results in run_kselftest.sh output: each test case of each
# binary, or the binary itself when it printed no case (a script).
# Prints "PASS FAIL SKIP" and names each failure on stderr.
#
# Variables (awk -v):
#   expect	the binaries that must have run, space-separated
#   allow	an ERE over "BINARY CASE" (or "BINARY" for a binary that
#		skipped whole): the skips this boot may have.  Any other
#		skip is a failure, since the boot was made for the test to run.
#
# Failures besides failing cases: no top-level plan, fewer results than
# planned, an expected binary that gave no result, a binary with cases
# but no plan or fewer cases than its plan, and a binary that failed
# (crash, timeout) with no failing case.

function failure(msg) {
	fail++
	print "FAILED: " msg > "/dev/stderr"
}

function skipped(what) {
	skip++
	if (allow == "" || what !~ allow)
		failure(what " skipped where it should run")
}

BEGIN { nexp = split(expect, expected, " ") }

/^1\.\.[0-9]+$/ && !plan { plan = substr($0, 4) + 0; have_plan = 1; next }
/^# selftests: [^ ]+ [^ ]+$/ {
	bin = $4; cases = 0; cases_failed = 0; bplan = -1
	next
}
/^# 1\.\.[0-9]+$/ { bplan = substr($0, 6) + 0; next }
/^# (not )?ok [0-9]+ / {
	line = substr($0, 3)
	cases++
	name = line
	sub(/^(not )?ok [0-9]+ /, "", name)
	sub(/ # .*$/, "", name)
	if (line ~ /^ok [0-9]+ .* # SKIP/) { skipped(bin " " name); next }
	if (line ~ /^ok /) { pass++; next }
	cases_failed++
	failure(bin " " line)
	next
}
/^(not )?ok [0-9]+ selftests: / {
	results++
	name = $0
	sub(/^(not )?ok [0-9]+ selftests: [^ ]+ /, "", name)
	sub(/ .*$/, "", name)
	seen[name] = 1
	if (name != bin) {
		cases = 0; cases_failed = 0; bplan = -1
	}
	if (!cases) {
		# A test without cases of its own (a script) counts as one.
		if ($0 ~ /^ok .* # SKIP/) skipped(name)
		else if ($0 ~ /^ok/) pass++
	} else if (bplan < 0) {
		failure(name ": " cases " results and no plan")
	} else if (cases < bplan) {
		failure(name ": " cases " results of " bplan " planned")
	}
	if ($0 ~ /^not ok/ && !cases_failed)
		failure($0)
	bin = ""
	next
}
END {
	if (!have_plan)
		failure("no TAP plan: the runner did not start or its output is lost")
	else if (results < plan)
		failure(plan - results " of " plan " test binaries gave no result")
	for (i = 1; i <= nexp; i++)
		if (!(expected[i] in seen))
			failure(expected[i] " did not run")
	print pass + 0, fail + 0, skip + 0
}
