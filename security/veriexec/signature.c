// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Manifest signatures and the .veriexec keyring
 *
 * Copyright © 2026 The veriexec authors
 *
 * A manifest is a PKCS#7 SignedData with the text attached, as IPE's
 * policies are.  Its signer must chain to the builtin or secondary trusted
 * keys, or to a key in .veriexec, which only takes keys those have signed.
 * The text is checked as detached content (detach.c): the kernel's ASN.1
 * decoder takes no more than 64 KiB.
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/key.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/verification.h>
#include <crypto/pkcs7.h>
#include <keys/system_keyring.h>

#include "common.h"
#include "detach.h"
#include "eval.h"
#include "level.h"
#include "setup.h"
#include "signature.h"

/* Set once at late_initcall; the keyring itself has its own locking. */
static struct key *veriexec_keyring __ro_after_init;

/* Called once verified, with the text we handed in: no copy needed. */
static int take_content(void *ctx, const void *data, size_t len,
			size_t asn1hdrlen)
{
	struct veriexec_content *content = ctx;

	content->data = data;
	content->len = len;
	return 0;
}

/* Development kernels may take plain text, at level 0 only. */
static int take_unsigned(const u8 *msg, size_t len,
			 struct veriexec_content *content)
{
	if (!veriexec_unsigned_allowed(veriexec_level()))
		return -EKEYREJECTED;
	return take_content(content, msg, len, 0);
}

/**
 * veriexec_verify_manifest() - Check a signed manifest, take its text
 * @msg: What was written to the manifest file.
 * @len: Its length.
 * @content: Receives the manifest text, which points into @msg.
 *
 * Context: Process context; may sleep.
 * Return:
 * * 0			- @content holds the text.
 * * %-EBADMSG		- Not a well-formed PKCS#7 message.
 * * %-EKEYREJECTED	- Signature or content does not verify, or the
 *			  manifest is unsigned and that is not allowed.
 * * %-ENOKEY		- No trusted key vouches for the signer.
 * * %-ENOMEM		- Out of memory.
 */
int veriexec_verify_manifest(const u8 *msg, size_t len,
			     struct veriexec_content *content)
{
	struct pkcs7_message *pkcs7;
	struct veriexec_detached d;
	int rc;

	content->data = NULL;
	content->len = 0;
	/* A DER SEQUENCE starts with 0x30: anything else is plain text. */
	if (!len || msg[0] != 0x30)
		return take_unsigned(msg, len, content);
	rc = veriexec_detach(msg, len, &d);
	if (rc)
		return rc;
	/* Signer infos point into d.sig: it lives as long as the message. */
	pkcs7 = pkcs7_parse_message(d.sig, d.sig_len);
	if (IS_ERR(pkcs7)) {
		rc = PTR_ERR(pkcs7);
		goto out_free_sig;
	}
	rc = verify_pkcs7_message_sig(d.content, d.content_len, pkcs7,
				      VERIFY_USE_SECONDARY_KEYRING,
				      VERIFYING_UNSPECIFIED_SIGNATURE,
				      take_content, content);
	/*
	 * The message keeps the content and its digest: a second keyring
	 * costs a second look at the chain, not a second hash of the text.
	 */
	if (rc == -ENOKEY && veriexec_keyring)
		rc = verify_pkcs7_message_sig(NULL, 0, pkcs7, veriexec_keyring,
					      VERIFYING_UNSPECIFIED_SIGNATURE,
					      take_content, content);
	pkcs7_free_message(pkcs7);
out_free_sig:
	kfree(d.sig);
	if (rc)
		content->data = NULL;
	/* Certificates and signer infos beyond the decoder's 64 KiB. */
	return rc == -EMSGSIZE ? -EBADMSG : rc;
}

static int __init veriexec_init_keyring(void)
{
	struct key_restriction *restriction;
	struct key *keyring;

	if (!veriexec_initialized)
		return 0;
	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return -ENOMEM;
	restriction->check = restrict_link_by_builtin_and_secondary_trusted;
	keyring = keyring_alloc(".veriexec", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(),
				(KEY_POS_ALL & ~KEY_POS_SETATTR) |
				KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
				KEY_USR_SEARCH,
				KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				restriction, NULL);
	if (IS_ERR(keyring)) {
		kfree(restriction);
		pr_err("cannot create the .veriexec keyring: %ld\n",
		       PTR_ERR(keyring));
		return PTR_ERR(keyring);
	}
	veriexec_keyring = keyring;
	return 0;
}

late_initcall(veriexec_init_keyring);
