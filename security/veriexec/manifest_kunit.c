// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - KUnit tests of the manifest parser
 *
 * Copyright © 2026 The veriexec authors
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/string.h>

#include "manifest.h"
#include "manifest_cases.h"
#include "setup.h"

static void case_desc(const struct veriexec_parse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, veriexec_parse_cases, case_desc);

static void test_veriexec_manifest_parse_cases(struct kunit *test)
{
	const struct veriexec_parse_case *c = test->param_value;
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;
	size_t len = c->len ? c->len : strlen(c->text);

	m = veriexec_manifest_parse(c->text, len, &err);
	if (c->rc) {
		KUNIT_ASSERT_TRUE(test, IS_ERR(m));
		KUNIT_EXPECT_EQ(test, PTR_ERR(m), c->rc);
		KUNIT_EXPECT_EQ(test, err.line, c->line);
		KUNIT_EXPECT_NOT_NULL(test, err.reason);
		return;
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(m), "line %u: %s", err.line,
			       err.reason);
	KUNIT_EXPECT_EQ(test, m->count, c->count);
	veriexec_manifest_free(m);
}

/* The reason names the first byte that is not allowed. */
static void test_veriexec_manifest_parse_reasons(struct kunit *test)
{
	static const struct {
		const char *text;
		size_t len;
		const char *reason;
	} cases[] = {
		{ "/a sha256 x\x01\0", 13, "control character" },
		{ "/a sha256 x\0\x01", 13, "NUL byte" },
		{ "/a sha256 x # \0", 15, "NUL byte" },
		{ "/a sha256 " H32 " fast", 0, "unknown option" },
		{ "/a sha256 " H48, 0, "bad fingerprint" },
		{ "/a\\08 sha256 " H32, 0, "bad escape in path" },
	};
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = cases[i].len ?: strlen(cases[i].text);

		m = veriexec_manifest_parse(cases[i].text, len, &err);
		KUNIT_ASSERT_TRUE(test, IS_ERR(m));
		KUNIT_EXPECT_EQ(test, err.line, 1);
		KUNIT_EXPECT_STREQ_MSG(test, err.reason, cases[i].reason,
				       "case %zu", i);
	}
}

/*
 * Fingerprints decode eight digits at a time: every digit value in both
 * cases at every position of a word, and each near miss of a digit at
 * every position, must come out as hex2bin() says.
 */
static void test_veriexec_manifest_parse_hex(struct kunit *test)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	static const char misses[] = "/:@G`g\x7f\x80\xb0\xc1\xe6~";
	char text[128], hex[65];
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;
	u8 want[32];
	size_t i, k;

	for (i = 0; i < 64; i++)
		hex[i] = digits[(i * 7 + i / 22) % (sizeof(digits) - 1)];
	hex[64] = '\0';
	KUNIT_ASSERT_EQ(test, hex2bin(want, hex, 32), 0);
	snprintf(text, sizeof(text), "- sha256 %s\n", hex);
	m = veriexec_manifest_parse(text, strlen(text), &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	KUNIT_EXPECT_MEMEQ(test, m->entries[0].digest, want, 32);
	veriexec_manifest_free(m);

	for (i = 0; i < 64; i++) {
		for (k = 0; k < sizeof(misses) - 1; k++) {
			snprintf(text, sizeof(text), "- sha256 %s\n", hex);
			text[9 + i] = misses[k];
			m = veriexec_manifest_parse(text, strlen(text), &err);
			KUNIT_ASSERT_TRUE_MSG(test, IS_ERR(m), "byte %#x at %zu",
					      (u8)misses[k], i);
			KUNIT_EXPECT_STREQ(test, err.reason, "bad fingerprint");
		}
	}
}

static void test_veriexec_manifest_parse_fields(struct kunit *test)
{
	static const char text[] =
		"@name base\n@version 7\n"
		"/usr/bin/a\\040b SHA384 " H48 " no_ptrace,INDIRECT\n"
		"- sha256 " H32 " library untrusted\n"
		"/c sha512 " H64 "\n";
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;

	m = veriexec_manifest_parse(text, sizeof(text) - 1, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	KUNIT_EXPECT_STREQ(test, m->name, "base");
	KUNIT_EXPECT_EQ(test, m->version, 7);
	KUNIT_ASSERT_EQ(test, m->count, 3);
	KUNIT_EXPECT_STREQ(test, m->entries[0].path, "/usr/bin/a b");
	KUNIT_EXPECT_EQ(test, m->entries[0].algo, VERIEXEC_ALGO_SHA384);
	KUNIT_EXPECT_EQ(test, m->entries[0].opts,
			VERIEXEC_OPT_INDIRECT | VERIEXEC_OPT_NO_PTRACE);
	KUNIT_EXPECT_EQ(test, m->entries[0].digest[0], 0x01);
	KUNIT_EXPECT_EQ(test, m->entries[0].digest[47], 0xef);
	KUNIT_EXPECT_EQ(test, m->entries[0].line, 3);
	KUNIT_EXPECT_NULL(test, m->entries[1].path);
	KUNIT_EXPECT_EQ(test, m->entries[1].opts,
			VERIEXEC_OPT_FILE | VERIEXEC_OPT_INDIRECT |
			VERIEXEC_OPT_UNTRUSTED);
	KUNIT_EXPECT_EQ(test, m->entries[2].opts, VERIEXEC_OPT_DIRECT);
	veriexec_manifest_free(m);
}

static void test_veriexec_manifest_parse_defaults(struct kunit *test)
{
	struct veriexec_parse_error err;
	struct veriexec_manifest *m;

	m = veriexec_manifest_parse("/a sha256 " H32 " file", 74 + 5, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	KUNIT_EXPECT_STREQ(test, m->name, "default");
	KUNIT_EXPECT_EQ(test, m->version, 0);
	/* "file" alone is data, never executable. */
	KUNIT_EXPECT_EQ(test, m->entries[0].opts, VERIEXEC_OPT_FILE);
	veriexec_manifest_free(m);
}

static void test_veriexec_algo_table(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, veriexec_algo_from_name("SHA512"),
			VERIEXEC_ALGO_SHA512);
	KUNIT_EXPECT_EQ(test, veriexec_algo_from_name("sha1"), -ENOENT);
	KUNIT_EXPECT_EQ(test, veriexec_algo_size(VERIEXEC_ALGO_SHA384), 48);
	KUNIT_EXPECT_STREQ(test, veriexec_opt_name(4), "no_ptrace");
}

/* Fails when the LSM is built but not registered. */
static void test_veriexec_lsm_initialized(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, veriexec_initialized);
}

static struct kunit_case manifest_test_cases[] = {
	KUNIT_CASE_PARAM(test_veriexec_manifest_parse_cases, parse_gen_params),
	KUNIT_CASE(test_veriexec_manifest_parse_reasons),
	KUNIT_CASE(test_veriexec_manifest_parse_hex),
	KUNIT_CASE(test_veriexec_manifest_parse_fields),
	KUNIT_CASE(test_veriexec_manifest_parse_defaults),
	KUNIT_CASE(test_veriexec_algo_table),
	KUNIT_CASE(test_veriexec_lsm_initialized),
	{}
};

static struct kunit_suite manifest_test_suite = {
	.name = "veriexec_manifest",
	.test_cases = manifest_test_cases,
};

kunit_test_suite(manifest_test_suite);
