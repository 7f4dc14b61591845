# SPDX-License-Identifier: GPL-2.0
#
# Count the results in run_kselftest.sh output: each test case of each
# binary, plus one failure for a binary that failed (crash, timeout) with no
# failing case, plus one for each binary that printed no result at all.
# Prints "PASS FAIL SKIP" and lists failures on stderr.

/^1\.\.[0-9]+$/ && !plan { plan = substr($0, 4) + 0; next }
/^# selftests: / { bin = $3; cases = 0; cases_failed = 0; next }
/^# (not )?ok [0-9]+ / {
	line = substr($0, 3)
	cases++
	if (line ~ /# SKIP/) { skip++; next }
	if (line ~ /^ok /) { pass++; next }
	fail++; cases_failed++
	print "FAILED: " bin " " line > "/dev/stderr"
	next
}
/^(not )?ok [0-9]+ selftests: / {
	results++
	# A test without cases of its own (a script) counts as one.
	if (!cases) {
		if ($0 ~ /# SKIP/) skip++
		else if ($0 ~ /^ok/) pass++
	}
	if ($0 ~ /^not ok/ && !cases_failed) {
		fail++
		print "FAILED: " $0 > "/dev/stderr"
	}
	next
}
END {
	if (results < plan) {
		fail += plan - results
		print "FAILED: " plan - results " test binaries gave no result" > "/dev/stderr"
	}
	print pass + 0, fail + 0, skip + 0
}
