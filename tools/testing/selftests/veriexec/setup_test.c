// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - The LSM is registered and its securityfs is there
 *
 * Copyright © 2026 The veriexec authors
 */

#define _GNU_SOURCE
#include <linux/lsm.h>
#include <sys/syscall.h>

#include "common.h"

#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif

TEST(listed_in_lsm_file)
{
	char buf[512];

	ASSERT_LT(0, read_file("/sys/kernel/security/lsm", buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "veriexec")) {
		TH_LOG("lsm list: %s", buf);
	}
}

TEST(listed_by_lsm_list_modules)
{
	__u64 ids[32];
	__u32 size = sizeof(ids);
	long n, i;
	bool found = false;

	n = syscall(__NR_lsm_list_modules, ids, &size, 0);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++)
		found |= ids[i] == LSM_ID_VERIEXEC;
	ASSERT_TRUE(found);
}

TEST(state_and_algorithms)
{
	char buf[256];

	ASSERT_LT(0, read_file(VERIEXEC_FS "state", buf, sizeof(buf)));
	ASSERT_NE(NULL, strstr(buf, "active"));
	ASSERT_EQ('\n', buf[strlen(buf) - 1]);
	ASSERT_LT(0, read_file(VERIEXEC_FS "algorithms", buf, sizeof(buf)));
	ASSERT_STREQ("sha256 sha384 sha512 fsverity-sha256 fsverity-sha512\n", buf);
}

TEST(file_modes)
{
	static const struct {
		const char *name;
		mode_t mode;
	} files[] = {
		{ "manifest", 0200 }, { "lock", 0200 }, { "level", 0644 },
		{ "entries", 0400 }, { "state", 0444 }, { "sets", 0444 },
		{ "algorithms", 0444 }, { "status", 0444 },
	};
	char path[128];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), VERIEXEC_FS "%s", files[i].name);
		ASSERT_EQ(0, stat(path, &st)) {
			TH_LOG("%s: %s", path, strerror(errno));
		}
		EXPECT_EQ(files[i].mode, st.st_mode & 07777) {
			TH_LOG("%s has mode %o", path, st.st_mode & 07777);
		}
	}
}

TEST_HARNESS_MAIN
