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
#include "setup.h"

#define H32 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H48 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct parse_case {
	const char *desc;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int rc;
	unsigned int line;	/* expected error line */
	size_t count;		/* expected entries when rc == 0 */
};

static const struct parse_case parse_cases[] = {
	{ "empty", "", 0, 0, 0, 0 },
	{ "comments and blanks", "# c\n\n\x20\x20\n\t# x\n", 0, 0, 0, 0 },
	{ "one entry", "/bin/a sha256 " H32 "\n", 0, 0, 0, 1 },
	{ "no final newline", "/bin/a sha256 " H32, 0, 0, 0, 1 },
	{ "crlf", "@name x\r\n/bin/a sha256 " H32 " direct\r\n", 0, 0, 0, 1 },
	{ "upper-case algorithm and hex",
	  "/bin/a SHA256 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
	  0, 0, 0, 1 },
	{ "sha384 and sha512",
	  "/a sha384 " H48 "\n/b sha512 " H64 " file\n", 0, 0, 0, 2 },
	{ "options with commas and spaces",
	  "/a sha256 " H32 " direct,no_ptrace trusted\n", 0, 0, 0, 1 },
	{ "netbsd aliases",
	  "/a sha256 " H32 " program\n/b sha256 " H32 " library\n"
	  "/c sha256 " H32 " script\n/d sha256 " H32 " INTERPRETER\n",
	  0, 0, 0, 4 },
	{ "trailing comment", "/a sha256 " H32 " direct # note\n", 0, 0, 0, 1 },
	{ "path-less entries",
	  "- sha256 " H32 "\n- sha256 " H32 "\n", 0, 0, 0, 2 },
	{ "escaped path", "/a\\040b sha256 " H32 "\n", 0, 0, 0, 1 },
	{ "headers", "@name base\n@version 42\n/a sha256 " H32 "\n",
	  0, 0, 0, 1 },
	{ "short digest", "# x\n/a sha256 0123\n", 0, -EINVAL, 2, 0 },
	{ "long digest", "/a sha256 " H48 "\n", 0, -EINVAL, 1, 0 },
	{ "non-hex digest",
	  "/a sha256 z123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
	  0, -EINVAL, 1, 0 },
	{ "unknown algorithm", "/a md5 " H32 "\n", 0, -EINVAL, 1, 0 },
	{ "unknown option", "\n\n/a sha256 " H32 " fast\n", 0, -EINVAL, 3, 0 },
	{ "empty option", "/a sha256 " H32 " direct,,file\n", 0, -EINVAL, 1, 0 },
	{ "relative path", "a sha256 " H32 "\n", 0, -EINVAL, 1, 0 },
	{ "missing digest", "/a sha256\n", 0, -EINVAL, 1, 0 },
	{ "bad escape", "/a\\x sha256 " H32 "\n", 0, -EINVAL, 1, 0 },
	{ "escaped NUL", "/a\\000 sha256 " H32 "\n", 0, -EINVAL, 1, 0 },
	{ "embedded NUL", "/a sha256 " H32 "\n/b\0 sha256", 85,
	  -EINVAL, 2, 0 },
	{ "control character", "/a\x01 sha256 " H32 "\n", 0, -EINVAL, 1, 0 },
	{ "tab-separated fields", "/a\tsha256\t" H32 "\tdirect\t\n",
	  0, 0, 0, 1 },
	{ "cr ends the text", "/a sha256 " H32 "\r", 0, 0, 0, 1 },
	{ "crlf after a comment", "# c\r\n/a sha256 " H32 "\r\n", 0, 0, 0, 1 },
	{ "cr inside a line", "\n/a\rb sha256 " H32 "\n", 0, -EINVAL, 2, 0 },
	{ "two crs", "/a sha256 " H32 "\r\r\n", 0, -EINVAL, 1, 0 },
	{ "control character in a comment", "/a sha256 " H32 "\n# \x7f\x1b\n",
	  0, -EINVAL, 2, 0 },
	{ "control character after the fields", "/a sha256 " H32 " \x02\n",
	  0, -EINVAL, 1, 0 },
	{ "duplicate path",
	  "/a sha256 " H32 "\n/b sha256 " H32 "\n/a sha256 " H32 "\n",
	  0, -EINVAL, 3, 0 },
	{ "header after entry", "/a sha256 " H32 "\n@name x\n",
	  0, -EINVAL, 2, 0 },
	{ "unknown header", "@owner me\n", 0, -EINVAL, 1, 0 },
	{ "second name", "@name a\n@name b\n", 0, -EINVAL, 2, 0 },
	{ "bad name", "@name a/b\n", 0, -EINVAL, 1, 0 },
	{ "version overflow", "@version 18446744073709551616\n",
	  0, -EINVAL, 1, 0 },
	{ "negative version", "@version -1\n", 0, -EINVAL, 1, 0 },
	{ "header without value", "@name\n", 0, -EINVAL, 1, 0 },
};

static void case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, case_desc);

static void test_veriexec_manifest_parse_cases(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
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
