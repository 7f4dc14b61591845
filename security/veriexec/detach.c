// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Taking the manifest out of its PKCS#7 message
 *
 * Copyright © 2026 The veriexec authors
 *
 * The kernel's ASN.1 decoder refuses input over 64 KiB, and a manifest may
 * be 64 MiB.  So the attached content is taken out here, and what is left,
 * a few kilobytes of certificates and signer infos, goes to
 * verify_pkcs7_signature() as a detached signature with the text beside
 * it.  The signature covers the content either way: nothing is trusted
 * that was not before.  Only the path down to the content is parsed; the
 * rest is copied as is for the PKCS#7 parser to judge.  DER only: definite
 * lengths and a primitive OCTET STRING, as the admin guide asks.
 *
 *	ContentInfo ::= SEQUENCE {
 *		contentType	OBJECT IDENTIFIER (signedData),
 *		content		[0] EXPLICIT SignedData }
 *	SignedData ::= SEQUENCE {
 *		version, digestAlgorithms,
 *		encapContentInfo SEQUENCE {
 *			eContentType	OBJECT IDENTIFIER,
 *			eContent	[0] EXPLICIT OCTET STRING },
 *		certificates, crls, signerInfos }
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "detach.h"

#define DER_INTEGER		0x02
#define DER_OCTET_STRING	0x04
#define DER_OID			0x06
#define DER_SEQUENCE		0x30
#define DER_SET			0x31
#define DER_EXPLICIT_0		0xa0

/* Four length bytes cover any message we take (64 MiB). */
#define DER_LEN_BYTES_MAX	4

/* 1.2.840.113549.1.7.2 */
static const u8 oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

/**
 * struct der - A span of DER
 * @p: Its first byte.
 * @len: Its length.
 */
struct der {
	const u8 *p;
	size_t len;
};

/*
 * Take the element at the start of @in, which must have @tag: @tlv gets
 * all of it, @value its contents.  Checks that it fits in @in.
 */
static int der_take(struct der *in, u8 tag, struct der *tlv, struct der *value)
{
	size_t hdr = 2, len, n, i;

	if (in->len < hdr || in->p[0] != tag)
		return -EBADMSG;
	len = in->p[1];
	if (len & 0x80) {
		n = len & 0x7f;
		/* n == 0 is BER's indefinite length. */
		if (!n || n > DER_LEN_BYTES_MAX || in->len < hdr + n)
			return -EBADMSG;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | in->p[hdr + i];
		hdr += n;
	}
	if (len > in->len - hdr)
		return -EBADMSG;
	*tlv = (struct der){ in->p, hdr + len };
	*value = (struct der){ in->p + hdr, len };
	in->p += tlv->len;
	in->len -= tlv->len;
	return 0;
}

/* Like der_take(), for an element that must fill @in. */
static int der_take_all(struct der *in, u8 tag, struct der *tlv,
			struct der *value)
{
	int rc = der_take(in, tag, tlv, value);

	return rc ?: in->len ? -EBADMSG : 0;
}

static size_t der_header_len(size_t len)
{
	size_t n = 0;

	if (len < 0x80)
		return 2;
	for (; len; len >>= 8)
		n++;
	return 2 + n;
}

static u8 *der_put_header(u8 *p, u8 tag, size_t len)
{
	size_t n = der_header_len(len) - 2;

	*p++ = tag;
	if (!n) {
		*p++ = len;
		return p;
	}
	*p++ = 0x80 | n;
	while (n--)
		*p++ = len >> (8 * n);
	return p;
}

static u8 *der_put(u8 *p, const struct der *d)
{
	memcpy(p, d->p, d->len);
	return p + d->len;
}

/**
 * struct signed_data - The parts of a SignedData a detached copy needs
 * @content_type: The ContentInfo's contentType, whole.
 * @head: version and digestAlgorithms, whole.
 * @econtent_type: The encapContentInfo's eContentType, whole.
 * @content: The eContent's octets.
 * @tail: certificates, crls and signerInfos, whole.
 */
struct signed_data {
	struct der content_type, head, econtent_type, content, tail;
};

static int split_content_info(const u8 *msg, size_t len,
			      struct signed_data *s, struct der *sd)
{
	struct der in = { msg, len }, tlv, ci, oid, explicit;
	int rc;

	rc = der_take_all(&in, DER_SEQUENCE, &tlv, &ci);
	if (rc)
		return rc;
	rc = der_take(&ci, DER_OID, &s->content_type, &oid);
	if (rc)
		return rc;
	if (oid.len != sizeof(oid_signed_data) ||
	    memcmp(oid.p, oid_signed_data, oid.len))
		return -EBADMSG;
	rc = der_take_all(&ci, DER_EXPLICIT_0, &tlv, &explicit);
	if (rc)
		return rc;
	return der_take_all(&explicit, DER_SEQUENCE, &tlv, sd);
}

static int split_encap(struct der *encap, struct signed_data *s)
{
	struct der value, explicit, tlv;
	int rc;

	rc = der_take(encap, DER_OID, &s->econtent_type, &value);
	if (rc)
		return rc;
	/* No eContent: already detached, and we have no text to check. */
	rc = der_take_all(encap, DER_EXPLICIT_0, &tlv, &explicit);
	if (rc)
		return rc;
	return der_take_all(&explicit, DER_OCTET_STRING, &tlv, &s->content);
}

static int split(const u8 *msg, size_t len, struct signed_data *s)
{
	struct der sd, tlv, value, encap;
	const u8 *start;
	int rc;

	rc = split_content_info(msg, len, s, &sd);
	if (rc)
		return rc;
	start = sd.p;
	rc = der_take(&sd, DER_INTEGER, &tlv, &value);
	if (!rc)
		rc = der_take(&sd, DER_SET, &tlv, &value);
	if (rc)
		return rc;
	s->head = (struct der){ start, sd.p - start };
	rc = der_take(&sd, DER_SEQUENCE, &tlv, &encap);
	if (!rc)
		rc = split_encap(&encap, s);
	s->tail = sd;
	return rc;
}

/* The message again, its encapContentInfo reduced to eContentType. */
static u8 *build_detached(const struct signed_data *s, size_t *len)
{
	size_t encap = s->econtent_type.len;
	size_t sd = s->head.len + der_header_len(encap) + encap + s->tail.len;
	size_t explicit = der_header_len(sd) + sd;
	size_t ci = s->content_type.len + der_header_len(explicit) + explicit;
	u8 *msg, *p;

	*len = der_header_len(ci) + ci;
	msg = kmalloc(*len, GFP_KERNEL);
	if (!msg)
		return NULL;
	p = der_put_header(msg, DER_SEQUENCE, ci);
	p = der_put(p, &s->content_type);
	p = der_put_header(p, DER_EXPLICIT_0, explicit);
	p = der_put_header(p, DER_SEQUENCE, sd);
	p = der_put(p, &s->head);
	p = der_put_header(p, DER_SEQUENCE, encap);
	p = der_put(p, &s->econtent_type);
	der_put(p, &s->tail);
	return msg;
}

/**
 * veriexec_detach() - Split a signed message into content and signature
 * @msg: A DER PKCS#7 SignedData with attached content.
 * @len: Its length.
 * @out: Receives the content (inside @msg) and a detached signature.
 *
 * Context: Process context; may sleep.
 * Return:
 * * 0		- Done; kfree() @out->sig.
 * * %-EBADMSG	- Not DER, not a SignedData, or no attached content.
 * * %-ENOMEM	- Out of memory.
 */
int veriexec_detach(const u8 *msg, size_t len, struct veriexec_detached *out)
{
	struct signed_data s;
	int rc;

	rc = split(msg, len, &s);
	if (rc)
		return rc;
	out->sig = build_detached(&s, &out->sig_len);
	if (!out->sig)
		return -ENOMEM;
	out->content = s.content.p;
	out->content_len = s.content.len;
	return 0;
}
