// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - The strict level only rises; the lock file
 *
 * Copyright © 2026 The veriexec authors
 *
 * Raises the level and locks loads for good: runs only in a boot of its
 * own, whose command line holds "vxtest.boot=level_test" (run-tests.sh
 * adds it), and skips anywhere else.
 */

#include "common.h"

#define MARKER_MISSING "raises the level: needs " BOOT_MARKER "level_test"

/* First: at level 3 with nothing loaded, veriexecctl cannot run. */
TEST(lock_refuses_loads)
{
	char buf[256];

	if (!booted_for("level_test"))
		SKIP(return, MARKER_MISSING);
	SKIP_WITHOUT_SIGNING();
	ASSERT_EQ(-EINVAL, write_file(VERIEXEC_FS "lock", "0", 1));
	ASSERT_EQ(0, write_file(VERIEXEC_FS "lock", "1", 1));
	EXPECT_EQ(-EPERM, load_text("@name lt\n"));
	EXPECT_EQ(-EPERM, write_file(VERIEXEC_FS "lock", "0", 1));
	ASSERT_LT(0, read_file(VERIEXEC_FS "state", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "locked"));
}

/* What `veriexecctl level` prints, or -1. */
static int ctl_level(void)
{
	char buf[32] = "";
	FILE *p = popen("veriexecctl level", "r");
	int level = -1;

	if (!p)
		return -1;
	if (fgets(buf, sizeof(buf), p) && buf[0] >= '0' && buf[0] <= '3' &&
	    buf[1] == '\n' && !buf[2])
		level = buf[0] - '0';
	if (pclose(p))
		level = -1;
	return level;
}

TEST(veriexecctl_level_raises)
{
	const char *raise[] = { "veriexecctl", "level", "1", NULL };
	const char *lower[] = { "veriexecctl", "level", "0", NULL };

	if (!booted_for("level_test"))
		SKIP(return, MARKER_MISSING);
	if (!on_path("veriexecctl"))
		SKIP(return, "veriexecctl is not on PATH");
	if (current_level() > 0)
		SKIP(return, "level is %u already", current_level());
	EXPECT_EQ(0, ctl_level());
	ASSERT_EQ(0, run(raise));
	EXPECT_EQ(1, current_level());
	EXPECT_EQ(1, ctl_level());
	/* A refused operation: exit status 1. */
	EXPECT_EQ(1, run(lower));
	EXPECT_EQ(1, current_level());
}

TEST(level_only_rises)
{
	char buf[256];

	if (!booted_for("level_test"))
		SKIP(return, MARKER_MISSING);
	if (current_level() > 1)
		SKIP(return, "level is %u already", current_level());
	ASSERT_EQ(0, set_level(1));
	EXPECT_EQ(1, current_level());
	EXPECT_EQ(-EPERM, set_level(0));
	EXPECT_EQ(1, current_level());
	/* The same level again is not a change. */
	EXPECT_EQ(0, set_level(1));
	ASSERT_LT(0, read_file(VERIEXEC_FS "state", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "enforce"));
	/* Any amount at once. */
	EXPECT_EQ(0, set_level(3));
	EXPECT_EQ(3, current_level());
	EXPECT_EQ(-EPERM, set_level(2));
	EXPECT_EQ(-EINVAL, set_level(4));
	EXPECT_EQ(3, current_level());
}

TEST_HARNESS_MAIN
