// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - KUnit tests of verdicts: the admin guide's level table
 *
 * Copyright © 2026 The veriexec authors
 */

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include "eval.h"
#include "manifest.h"
#include "verify.h"

#define D VERIEXEC_OPT_DIRECT
#define I VERIEXEC_OPT_INDIRECT
#define F VERIEXEC_OPT_FILE
#define EXEC VERIEXEC_USE_EXEC
#define IND VERIEXEC_USE_INDIRECT
#define OPEN VERIEXEC_USE_OPEN
#define KERN VERIEXEC_USE_KERNEL

struct eval_case {
	const char *desc;
	struct veriexec_request req;
	bool deny, report;
	enum veriexec_reason reason;
};

#define MATCH(listed, match)						\
	((listed) ? ((match) ? VERIEXEC_MATCH_VALID : VERIEXEC_MATCH_MISMATCH) \
		  : VERIEXEC_MATCH_NONE)

#define ROW(d, use, lvl, listed, match, opts, wr, deny, report, reason)	\
	{ d, { use, lvl, MATCH(listed, match), opts, wr }, deny, report, \
	  VERIEXEC_REASON_##reason }

static const struct eval_case eval_cases[] = {
	/* A listed file that matches: allowed everywhere. */
	ROW("valid exec L0", EXEC, 0, 1, 1, D, 0, 0, 0, MISMATCH),
	ROW("valid exec L3", EXEC, 3, 1, 1, D, 0, 0, 0, MISMATCH),
	ROW("valid map of indirect L3", IND, 3, 1, 1, I, 0, 0, 0, MISMATCH),
	ROW("valid open of file L3", OPEN, 3, 1, 1, F, 0, 0, 0, MISMATCH),
	/* Mismatch: logged at 0, denied from 1. */
	ROW("mismatch L0", EXEC, 0, 1, 0, D, 0, 0, 1, MISMATCH),
	ROW("mismatch L1", EXEC, 1, 1, 0, D, 0, 1, 1, MISMATCH),
	ROW("mismatch L2", IND, 2, 1, 0, I, 0, 1, 1, MISMATCH),
	ROW("mismatch open L1", OPEN, 1, 1, 0, F, 0, 1, 1, MISMATCH),
	/* No entry: logged at 0, allowed at 1, denied from 2. */
	ROW("no entry L0", EXEC, 0, 0, 0, 0, 0, 0, 1, NO_ENTRY),
	ROW("no entry L1", EXEC, 1, 0, 0, 0, 0, 0, 0, NO_ENTRY),
	ROW("no entry L2", EXEC, 2, 0, 0, 0, 0, 1, 1, NO_ENTRY),
	ROW("no entry map L3", IND, 3, 0, 0, 0, 0, 1, 1, NO_ENTRY),
	ROW("no entry open L3", OPEN, 3, 0, 0, 0, 0, 0, 0, MISMATCH),
	/* Indirect entries executed directly. */
	ROW("indirect exec L1", EXEC, 1, 1, 1, I, 0, 0, 0, INDIRECT),
	ROW("indirect exec L2", EXEC, 2, 1, 1, I, 0, 1, 1, INDIRECT),
	ROW("indirect exec L0", EXEC, 0, 1, 1, I, 0, 0, 1, INDIRECT),
	/* A file entry alone is never executable. */
	ROW("file exec L2", EXEC, 2, 1, 1, F, 0, 1, 1, NO_ENTRY),
	ROW("file map L2", IND, 2, 1, 1, F, 0, 1, 1, NO_ENTRY),
	ROW("file,indirect map L3", IND, 3, 1, 1, F | I, 0, 0, 0, MISMATCH),
	/* Direct entries may be interpreters and mapped. */
	ROW("direct map L3", IND, 3, 1, 1, D, 0, 0, 0, MISMATCH),
	/* Open for write when executed or mapped. */
	ROW("writers L0", IND, 0, 1, 1, I, 1, 0, 1, OPEN_FOR_WRITE),
	ROW("writers L1", IND, 1, 1, 1, I, 1, 1, 1, OPEN_FOR_WRITE),
	ROW("writers exec L3", EXEC, 3, 1, 1, D, 1, 1, 1, OPEN_FOR_WRITE),
	ROW("writers open L3", OPEN, 3, 1, 1, F, 1, 0, 0, MISMATCH),
	/* Kernel reads: any option qualifies, as for a file executed. */
	ROW("kernel read indirect L3", KERN, 3, 1, 1, I, 0, 0, 0, MISMATCH),
	ROW("kernel read file L2", KERN, 2, 1, 1, F, 0, 0, 0, MISMATCH),
	ROW("kernel read mismatch L1", KERN, 1, 1, 0, I, 0, 1, 1, MISMATCH),
	ROW("kernel read no entry L1", KERN, 1, 0, 0, 0, 0, 0, 0, NO_ENTRY),
	ROW("kernel read no entry L2", KERN, 2, 0, 0, 0, 0, 1, 1, NO_ENTRY),
	ROW("kernel read no entry L0", KERN, 0, 0, 0, 0, 0, 0, 1, NO_ENTRY),
};

static void case_desc(const struct eval_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(eval, eval_cases, case_desc);

static void test_veriexec_eval_table(struct kunit *test)
{
	const struct eval_case *c = test->param_value;
	struct veriexec_decision d = veriexec_eval(&c->req);

	KUNIT_EXPECT_EQ(test, d.deny, c->deny);
	KUNIT_EXPECT_EQ(test, d.report, c->report);
	if (c->deny || c->report)
		KUNIT_EXPECT_EQ(test, d.reason, c->reason);
}

struct judge_case {
	enum veriexec_reason reason;
	bool deny[4], report[4];
};

/* Changes, ptrace, memory devices and lockdown, level by level. */
static const struct judge_case judge_cases[] = {
	{ VERIEXEC_REASON_IMMUTABLE, { 0, 0, 1, 1 }, { 1, 1, 1, 1 } },
	{ VERIEXEC_REASON_NO_PTRACE, { 0, 1, 1, 1 }, { 1, 1, 1, 1 } },
	{ VERIEXEC_REASON_NOT_TRUSTED, { 0, 1, 1, 1 }, { 1, 1, 1, 1 } },
	/* Level 3's own rules are no "would deny" of learning mode. */
	{ VERIEXEC_REASON_LOCKDOWN, { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },
	{ VERIEXEC_REASON_EXECMEM, { 0, 0, 0, 1 }, { 0, 0, 0, 1 } },
	{ VERIEXEC_REASON_MISMATCH, { 0, 1, 1, 1 }, { 1, 1, 1, 1 } },
};

static void test_veriexec_judge_levels(struct kunit *test)
{
	size_t i;
	int level;

	for (i = 0; i < ARRAY_SIZE(judge_cases); i++) {
		for (level = 0; level < 4; level++) {
			struct veriexec_decision d;

			d = veriexec_judge(judge_cases[i].reason, level);
			KUNIT_EXPECT_EQ_MSG(test, d.deny, judge_cases[i].deny[level],
					    "reason %d level %d", judge_cases[i].reason, level);
			KUNIT_EXPECT_EQ_MSG(test, d.report, judge_cases[i].report[level],
					    "reason %d level %d", judge_cases[i].reason, level);
		}
	}
}

static void test_veriexec_judge_keeps_level(struct kunit *test)
{
	struct veriexec_decision d = veriexec_judge(VERIEXEC_REASON_NO_ENTRY, 2);
	struct veriexec_request req = {
		.use = EXEC, .level = 3, .match = VERIEXEC_MATCH_VALID, .opts = D,
	};

	KUNIT_EXPECT_EQ(test, d.level, 2);
	d = veriexec_eval(&req);
	KUNIT_EXPECT_EQ(test, d.level, 3);
	KUNIT_EXPECT_FALSE(test, d.deny);
}

static void test_veriexec_open_checked(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, veriexec_open_checked(F, 0));
	KUNIT_EXPECT_FALSE(test, veriexec_open_checked(D, 2));
	KUNIT_EXPECT_TRUE(test, veriexec_open_checked(D, 3));
	KUNIT_EXPECT_TRUE(test, veriexec_open_checked(I, 3));
}

static void test_veriexec_task_opts_trusted_implies_no_ptrace(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, veriexec_task_opts(D | VERIEXEC_OPT_TRUSTED),
			D | VERIEXEC_OPT_TRUSTED | VERIEXEC_OPT_NO_PTRACE);
	KUNIT_EXPECT_EQ(test, veriexec_task_opts(D | VERIEXEC_OPT_EXECMEM),
			D | VERIEXEC_OPT_EXECMEM);
}

static void test_veriexec_integrity_lockdown(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, veriexec_integrity_lockdown(0));
	KUNIT_EXPECT_FALSE(test, veriexec_integrity_lockdown(1));
	KUNIT_EXPECT_TRUE(test, veriexec_integrity_lockdown(2));
	KUNIT_EXPECT_TRUE(test, veriexec_integrity_lockdown(3));
}

/* Storage the kernel cannot watch: never cached, labels ignored. */
static void test_veriexec_unwatched_filesystems(struct kunit *test)
{
	static const unsigned long remote[] = {
		FUSE_SUPER_MAGIC, NFS_SUPER_MAGIC, CIFS_SUPER_MAGIC,
		SMB2_SUPER_MAGIC, V9FS_MAGIC, CEPH_SUPER_MAGIC,
	};
	static const unsigned long local[] = {
		EXT4_SUPER_MAGIC, TMPFS_MAGIC, OVERLAYFS_SUPER_MAGIC,
		RAMFS_MAGIC,
	};
	struct super_block *sb = kunit_kzalloc(test, sizeof(*sb), GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, sb);
	for (i = 0; i < ARRAY_SIZE(remote); i++) {
		sb->s_magic = remote[i];
		KUNIT_EXPECT_TRUE_MSG(test, veriexec_unwatched(sb), "%lx",
				      remote[i]);
	}
	for (i = 0; i < ARRAY_SIZE(local); i++) {
		sb->s_magic = local[i];
		KUNIT_EXPECT_FALSE_MSG(test, veriexec_unwatched(sb), "%lx",
				       local[i]);
	}
}

static struct kunit_case eval_test_cases[] = {
	KUNIT_CASE(test_veriexec_unwatched_filesystems),
	KUNIT_CASE_PARAM(test_veriexec_eval_table, eval_gen_params),
	KUNIT_CASE(test_veriexec_judge_levels),
	KUNIT_CASE(test_veriexec_judge_keeps_level),
	KUNIT_CASE(test_veriexec_open_checked),
	KUNIT_CASE(test_veriexec_task_opts_trusted_implies_no_ptrace),
	KUNIT_CASE(test_veriexec_integrity_lockdown),
	{}
};

static struct kunit_suite eval_test_suite = {
	.name = "veriexec_eval",
	.test_cases = eval_test_cases,
};

kunit_test_suite(eval_test_suite);
