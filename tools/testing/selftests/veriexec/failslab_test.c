// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - Loads under failing allocations
 *
 * Copyright © 2026 The veriexec authors
 *
 * With failslab on for the loading task only, each load either succeeds
 * whole or changes nothing.  Needs CONFIG_FAILSLAB and debugfs (the
 * debug kernel of make test-debug); kmemleak, when built, is checked by
 * the harness after the run.
 */

#define _GNU_SOURCE
#include <sys/mount.h>

#include "common.h"

#define FAILSLAB "/sys/kernel/debug/failslab/"

static int put(const char *path, const char *value)
{
	return write_file(path, value, strlen(value));
}

/* Load @p7s with every slab allocation of this task able to fail. */
static int load_failing(const char *p7s)
{
	char buf[16384];
	ssize_t len = read_file(p7s, buf, sizeof(buf));
	int fd, i, rc = 0;

	if (len <= 0)
		return -EIO;
	fd = open(VERIEXEC_FS "manifest", O_WRONLY);
	if (fd < 0)
		return -errno;
	put("/proc/self/make-it-fail", "1");
	if (write(fd, buf, len) != len)
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	/* Turning it off allocates too, and so can fail: until it sticks. */
	for (i = 0; i < 1000 && put("/proc/self/make-it-fail", "0"); i++)
		;
	return rc;
}

FIXTURE(failslab) {};
FIXTURE_SETUP(failslab) {}
FIXTURE_TEARDOWN(failslab) {}

/*
 * 60 signed loads with allocations failing, on a KASAN kernel under an
 * emulator: far more than the harness's default 30 seconds.
 */
TEST_F_TIMEOUT(failslab, loads_are_all_or_nothing, 900)
{
	char dir[] = "/tmp/vx-fs.XXXXXX", text[2][1024], p7s[2][64];
	char path[2][64], hex[2][65], line[2][128], sets[4096];
	int i, ok = 0, failed = 0;

	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(FAILSLAB "probability", W_OK))
		SKIP(return, "no failslab in this kernel");
	SKIP_WITHOUT_SIGNING();
	ASSERT_NE(NULL, mkdtemp(dir));
	for (i = 0; i < 2; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/f%d", dir, i);
		ASSERT_EQ(0, put_text(path[i], i ? "one\n" : "zero\n"));
		ASSERT_EQ(0, sha256_hex(path[i], hex[i]));
	}
	/* Two versions of one set: one entry, or two. */
	snprintf(text[0], sizeof(text[0]), "@name fs%d\n%s sha256 %s\n",
		 getpid(), path[0], hex[0]);
	snprintf(text[1], sizeof(text[1]), "@name fs%d\n%s sha256 %s\n%s sha256 %s\n",
		 getpid(), path[0], hex[0], path[1], hex[1]);
	for (i = 0; i < 2; i++) {
		snprintf(p7s[i], sizeof(p7s[i]), "%s/m%d.p7s", dir, i);
		ASSERT_EQ(0, sign_with(text[i], p7s[i], SIGNING_KEY, SIGNING_CERT));
		snprintf(line[i], sizeof(line[i]), "fs%d 0 %d 0", getpid(), i + 1);
	}
	ASSERT_EQ(0, load_file(p7s[0]));
	ASSERT_EQ(0, put(FAILSLAB "ignore-gfp-wait", "N"));
	ASSERT_EQ(0, put(FAILSLAB "task-filter", "Y"));
	ASSERT_EQ(0, put(FAILSLAB "probability", "3"));
	ASSERT_EQ(0, put(FAILSLAB "interval", "1"));
	ASSERT_EQ(0, put(FAILSLAB "times", "-1"));
	ASSERT_EQ(0, put(FAILSLAB "verbose", "0"));
	for (i = 0; i < 60; i++) {
		bool was_two = file_has_line(VERIEXEC_FS "sets", line[1]);
		int want = !was_two, rc = load_failing(p7s[want]);

		ASSERT_LT(0, read_file(VERIEXEC_FS "sets", sets, sizeof(sets)));
		if (!rc) {
			ok++;
			EXPECT_TRUE(file_has_line(VERIEXEC_FS "sets", line[want])) {
				TH_LOG("load succeeded but sets: %s", sets);
			}
		} else {
			failed++;
			EXPECT_TRUE(file_has_line(VERIEXEC_FS "sets", line[!want])) {
				TH_LOG("failed load (%d) changed sets: %s", rc, sets);
			}
		}
	}
	put(FAILSLAB "probability", "0");
	TH_LOG("%d loads succeeded, %d failed cleanly", ok, failed);
	EXPECT_LT(0, failed);
	EXPECT_LT(0, ok);

}

TEST_HARNESS_MAIN
