// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - veriexec.level= and veriexec.lock= at boot
 *
 * Copyright © 2026 The veriexec authors
 *
 * Run in a boot with "veriexec.level=1 veriexec.lock=1" on the command
 * line (run-tests.sh does); skipped otherwise.
 */

#include "common.h"

TEST(boot_level)
{
	if (!booted_with("veriexec.level=1"))
		SKIP(return, "not booted with veriexec.level=1");
	EXPECT_EQ(1, current_level());
	EXPECT_EQ(-EPERM, set_level(0));
}

TEST(boot_lock)
{
	char buf[256];

	if (!booted_with("veriexec.lock=1"))
		SKIP(return, "not booted with veriexec.lock=1");
	SKIP_WITHOUT_SIGNING();
	ASSERT_LT(0, read_file(VERIEXEC_FS "state", buf, sizeof(buf)));
	EXPECT_STREQ("active enforce locked\n", buf);
	EXPECT_EQ(-EPERM, load_text("@name lk\n"));
}

TEST_HARNESS_MAIN
