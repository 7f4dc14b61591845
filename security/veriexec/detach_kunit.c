// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - KUnit tests of taking the manifest out of its message
 *
 * Copyright © 2026 The veriexec authors
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "detach.h"

/* The parts of the messages below. */
static const u8 content_type[] = {	/* signedData */
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

static const u8 head[] = {		/* version, digestAlgorithms */
	0x02, 0x01, 0x01, 0x31, 0x00
};

static const u8 econtent_type[] = {	/* data */
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01
};

/* Stands for certificates and signer infos, which are copied as they are. */
static const u8 tail[] = { 0x31, 0x03, 0x02, 0x01, 0x07 };

/* An attached SignedData of "hello", short-form lengths throughout. */
static const u8 attached[] = {
	0x30, 0x2f,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
	0xa0, 0x22, 0x30, 0x20,
	0x02, 0x01, 0x01, 0x31, 0x00,
	0x30, 0x14,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
	0xa0, 0x07, 0x04, 0x05, 'h', 'e', 'l', 'l', 'o',
	0x31, 0x03, 0x02, 0x01, 0x07,
};

/* What veriexec_detach() must make of it. */
static const u8 detached[] = {
	0x30, 0x26,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
	0xa0, 0x19, 0x30, 0x17,
	0x02, 0x01, 0x01, 0x31, 0x00,
	0x30, 0x0b,
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
	0x31, 0x03, 0x02, 0x01, 0x07,
};

KUNIT_DEFINE_ACTION_WRAPPER(kfree_action, kfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);

static int detach(struct kunit *test, const u8 *msg, size_t len,
		  struct veriexec_detached *d)
{
	int rc = veriexec_detach(msg, len, d);

	if (!rc)
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kfree_action,
								d->sig), 0);
	return rc;
}

static void test_veriexec_detach_small(struct kunit *test)
{
	struct veriexec_detached d;

	KUNIT_ASSERT_EQ(test, detach(test, attached, sizeof(attached), &d), 0);
	KUNIT_EXPECT_EQ(test, d.content_len, 5);
	KUNIT_EXPECT_PTR_EQ(test, d.content, attached + sizeof(attached) - 10);
	KUNIT_ASSERT_EQ(test, d.sig_len, sizeof(detached));
	KUNIT_EXPECT_MEMEQ(test, d.sig, detached, sizeof(detached));
}

/* Header with a three-byte length: long form even where short would do. */
static u8 *put_header(u8 *p, u8 tag, size_t len)
{
	*p++ = tag;
	*p++ = 0x83;
	*p++ = len >> 16;
	*p++ = len >> 8;
	*p++ = len;
	return p;
}

static u8 *put(u8 *p, const u8 *src, size_t len)
{
	memcpy(p, src, len);
	return p + len;
}

static void test_veriexec_detach_large(struct kunit *test)
{
	size_t n = 100000, octets = 5 + n, econtent = 5 + octets;
	size_t encap = sizeof(econtent_type) + econtent;
	size_t sd = sizeof(head) + 5 + encap + sizeof(tail);
	size_t explicit = 5 + sd, ci = sizeof(content_type) + 5 + explicit;
	struct veriexec_detached d;
	u8 *msg, *p, *text;

	msg = vmalloc(5 + ci);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_action, msg),
			0);
	p = put_header(msg, 0x30, ci);
	p = put(p, content_type, sizeof(content_type));
	p = put_header(p, 0xa0, explicit);
	p = put_header(p, 0x30, sd);
	p = put(p, head, sizeof(head));
	p = put_header(p, 0x30, encap);
	p = put(p, econtent_type, sizeof(econtent_type));
	p = put_header(p, 0xa0, octets);
	text = put_header(p, 0x04, n);
	memset(text, 'x', n);
	memcpy(text + n, tail, sizeof(tail));

	KUNIT_ASSERT_EQ(test, detach(test, msg, 5 + ci, &d), 0);
	KUNIT_EXPECT_PTR_EQ(test, d.content, (const u8 *)text);
	KUNIT_EXPECT_EQ(test, d.content_len, n);
	/* Without its content the message is the small one's, minimal DER. */
	KUNIT_ASSERT_EQ(test, d.sig_len, sizeof(detached));
	KUNIT_EXPECT_MEMEQ(test, d.sig, detached, sizeof(detached));
}

static void test_veriexec_detach_truncated(struct kunit *test)
{
	u8 longer[sizeof(attached) + 1];
	struct veriexec_detached d;
	size_t len;

	for (len = 0; len < sizeof(attached); len++)
		KUNIT_EXPECT_EQ_MSG(test, detach(test, attached, len, &d),
				    -EBADMSG, "length %zu", len);
	memcpy(longer, attached, sizeof(attached));
	longer[sizeof(attached)] = 0;
	KUNIT_EXPECT_EQ(test, detach(test, longer, sizeof(longer), &d),
			-EBADMSG);
}

/*
 * struct bad_case - One byte changed in @attached, and why that is refused
 * @at: Offset of the byte.
 * @to: Its new value.
 * @what: What the change makes of the message.
 */
struct bad_case {
	size_t at;
	u8 to;
	const char *what;
};

static const struct bad_case bad_cases[] = {
	{ 0, 0x31, "not a SEQUENCE" },
	{ 1, 0x80, "indefinite length" },
	{ 1, 0x85, "five length bytes" },
	{ 12, 0x01, "not signedData" },
	{ 13, 0xa1, "not [0]" },
	{ 15, 0x31, "SignedData not a SEQUENCE" },
	{ 17, 0x04, "version not an INTEGER" },
	{ 22, 0x31, "encapContentInfo not a SEQUENCE" },
	{ 24, 0x04, "eContentType not an OID" },
	{ 35, 0xa1, "eContent not [0]" },
	{ 37, 0x24, "constructed OCTET STRING" },
	{ 38, 0x04, "content shorter than its [0]" },
};

static void test_veriexec_detach_bad(struct kunit *test)
{
	struct veriexec_detached d;
	u8 msg[sizeof(attached)];
	size_t i;
	int v;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		memcpy(msg, attached, sizeof(msg));
		msg[bad_cases[i].at] = bad_cases[i].to;
		KUNIT_EXPECT_EQ_MSG(test, detach(test, msg, sizeof(msg), &d),
				    -EBADMSG, "%s", bad_cases[i].what);
	}
	/* Already detached: no text to check. */
	KUNIT_EXPECT_EQ(test, detach(test, detached, sizeof(detached), &d),
			-EBADMSG);
	/* Any one byte changed: taken apart or refused, nothing else. */
	for (i = 0; i < sizeof(msg); i++) {
		for (v = 0; v < 256; v++) {
			int rc;

			memcpy(msg, attached, sizeof(msg));
			msg[i] = v;
			rc = detach(test, msg, sizeof(msg), &d);
			KUNIT_EXPECT_TRUE(test, rc == 0 || rc == -EBADMSG);
			if (!rc)
				KUNIT_EXPECT_TRUE(test, d.content >= msg &&
						  d.content + d.content_len <=
						  msg + sizeof(msg));
		}
	}
}

static struct kunit_case detach_test_cases[] = {
	KUNIT_CASE(test_veriexec_detach_small),
	KUNIT_CASE(test_veriexec_detach_large),
	KUNIT_CASE(test_veriexec_detach_truncated),
	KUNIT_CASE(test_veriexec_detach_bad),
	{}
};

static struct kunit_suite detach_test_suite = {
	.name = "veriexec_detach",
	.test_cases = detach_test_cases,
};

kunit_test_suite(detach_test_suite);
