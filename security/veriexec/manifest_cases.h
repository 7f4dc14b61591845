/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Manifest parser cases, shared with veriexecctl
 *
 * Copyright © 2026 The veriexec authors
 *
 * manifest_kunit.c runs these through the kernel's build of manifest.c,
 * tools/veriexecctl/tests/parse_cases_test.c through the tool's, so that
 * the two builds cannot come to disagree on a manifest.  Like manifest.h,
 * this uses only what tools/veriexecctl/include/ provides.
 */

#ifndef _SECURITY_VERIEXEC_MANIFEST_CASES_H
#define _SECURITY_VERIEXEC_MANIFEST_CASES_H

#include <linux/errno.h>
#include <linux/types.h>

/* Fingerprints of the lengths of SHA-256, SHA-384 and SHA-512, in hex. */
#define H32 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H48 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/**
 * struct veriexec_parse_case - A manifest and what parsing it gives
 * @desc: What it tests; the name of the test.
 * @text: The manifest.
 * @len: Its length; 0 for strlen(@text).
 * @rc: 0, or the error veriexec_manifest_parse() returns.
 * @line: The line the error names, when @rc is not 0.
 * @count: The number of entries, when @rc is 0.
 */
struct veriexec_parse_case {
	const char *desc;
	const char *text;
	size_t len;
	int rc;
	unsigned int line;
	size_t count;
};

/* Included by one file of each build: a copy there costs nothing. */
static const struct veriexec_parse_case veriexec_parse_cases[] = {
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

#endif /* _SECURITY_VERIEXEC_MANIFEST_CASES_H */
