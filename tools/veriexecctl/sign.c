// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Signing and checking manifests offline: sign, verify
 *
 * Copyright © 2026 The veriexec authors
 *
 * The kernel takes a CMS/PKCS#7 SignedData with the manifest embedded and
 * no signed attributes, as `openssl cms -sign -nodetach -binary -noattr`
 * makes it.  The signer's certificate rides along in the message: the
 * kernel finds its issuer in its keyrings.
 */
#include <getopt.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "veriexecctl.h"

/* The first OpenSSL error, shortened to its reason. */
static const char *ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r ? r : "unknown OpenSSL error";
}

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pass = getenv("VERIEXEC_KEY_PASS");

	if (!pass)
		return -1;
	snprintf(buf, size, "%s", pass);
	return strlen(buf);
}

static EVP_PKEY *read_key(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	EVP_PKEY *key;

	if (!b) {
		fail("%s: cannot open key: %s", path, ssl_reason());
		return NULL;
	}
	key = PEM_read_bio_PrivateKey(b, NULL, pass_cb, NULL);
	BIO_free(b);
	if (!key)
		fail("%s: cannot read private key (wrong passphrase in VERIEXEC_KEY_PASS?): %s",
		     path, ssl_reason());
	return key;
}

static X509 *read_cert(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	X509 *cert;

	if (!b) {
		fail("%s: cannot open certificate: %s", path, ssl_reason());
		return NULL;
	}
	cert = PEM_read_bio_X509(b, NULL, NULL, NULL);
	if (!cert) {
		BIO_reset(b);
		cert = d2i_X509_bio(b, NULL);
	}
	BIO_free(b);
	if (!cert)
		fail("%s: not a PEM or DER certificate", path);
	return cert;
}

static int write_cms(CMS_ContentInfo *cms, const char *out)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int rc = -1;

	if (!mem || !i2d_CMS_bio(mem, cms)) {
		fail("%s: cannot encode: %s", out ? out : "-", ssl_reason());
		goto out;
	}
	len = BIO_get_mem_data(mem, &data);
	if (!out)
		rc = fwrite(data, 1, len, stdout) == (size_t)len &&
		     !fflush(stdout) ? 0 : -1;
	else
		rc = write_atomic(out, data, len);
out:
	BIO_free(mem);
	return rc;
}

/*
 * Without its certificate (@no_certs) a message is smaller, and the kernel
 * can only trust its signer through a key in the .veriexec keyring.
 */
static CMS_ContentInfo *sign_text(const char *text, size_t len, X509 *cert,
				  EVP_PKEY *key, bool no_certs)
{
	const unsigned int flags = CMS_BINARY | CMS_NOATTR | CMS_NOSMIMECAP |
				   CMS_PARTIAL | (no_certs ? CMS_NOCERTS : 0);
	BIO *in = BIO_new_mem_buf(text, len);
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);

	if (!in || !cms ||
	    !CMS_add1_signer(cms, cert, key, EVP_sha256(), flags) ||
	    !CMS_final(cms, in, NULL, flags)) {
		CMS_ContentInfo_free(cms);
		cms = NULL;
	}
	BIO_free(in);
	return cms;
}

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-certs", no_argument, NULL, 'n' },
		{ }
	};
	const char *keyf = NULL, *certf = NULL, *out = NULL;
	bool force = false, no_certs = false;
	CMS_ContentInfo *cms = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	char *text = NULL;
	int c, rc = EXIT_FAIL;
	size_t len;

	while ((c = getopt_long(argc, argv, "k:c:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			keyf = optarg;
			break;
		case 'c':
			certf = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'n':
			no_certs = true;
			break;
		default:
			return usage_error(find_command("sign"), NULL);
		}
	}
	if (!keyf || !certf || optind != argc - 1)
		return usage_error(find_command("sign"),
				   "--key, --cert and one manifest are needed");
	text = read_whole(argv[optind], &len);
	/* --force signs what the kernel will refuse: for testing the kernel. */
	if (!text || (!force && check_manifest_text(argv[optind], text, len)))
		goto out;
	key = read_key(keyf);
	cert = key ? read_cert(certf) : NULL;
	if (!cert)
		goto out;
	if (X509_check_private_key(cert, key) != 1) {
		fail("%s: certificate does not match the key %s", certf, keyf);
		goto out;
	}
	cms = sign_text(text, len, cert, key, no_certs);
	if (!cms) {
		fail("%s: cannot sign: %s", argv[optind], ssl_reason());
		goto out;
	}
	rc = write_cms(cms, out) ? EXIT_FAIL : EXIT_OK;
out:
	CMS_ContentInfo_free(cms);
	X509_free(cert);
	EVP_PKEY_free(key);
	free(text);
	return rc;
}

/*
 * Check the signature against @cert (a CA or the signer) and unwrap.  The
 * signer's certificate may be @cert itself, for a message without one.
 */
static BIO *verify_cms(const char *path, X509 *cert)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	X509_STORE *store = X509_STORE_new();
	BIO *in = BIO_new_file(path, "rb");
	BIO *content = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = NULL;
	int ok = 0;

	if (!certs || !store || !in || !content || !sk_X509_push(certs, cert)) {
		fail("%s: cannot open: %s", path, ssl_reason());
		goto out;
	}
	cms = d2i_CMS_bio(in, NULL);
	if (!cms) {
		fail("%s: not a DER PKCS#7/CMS signed manifest", path);
		goto out;
	}
	X509_STORE_add_cert(store, cert);
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	ok = CMS_verify(cms, certs, store, NULL, content, CMS_BINARY);
	if (!ok)
		fail("%s: signature does not verify: %s", path, ssl_reason());
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	X509_STORE_free(store);
	sk_X509_free(certs);
	if (!ok) {
		BIO_free(content);
		return NULL;
	}
	return content;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ }
	};
	const char *certf = NULL;
	X509 *cert;
	BIO *content;
	char *text;
	long len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (c != 'c')
			return usage_error(find_command("verify"), NULL);
		certf = optarg;
	}
	if (!certf || optind != argc - 1)
		return usage_error(find_command("verify"),
				   "--cert and one signed manifest are needed");
	cert = read_cert(certf);
	if (!cert)
		return EXIT_FAIL;
	content = verify_cms(argv[optind], cert);
	X509_free(cert);
	if (!content)
		return EXIT_FAIL;
	len = BIO_get_mem_data(content, &text);
	rc = check_manifest_text(argv[optind], text, len);
	if (!rc)
		printf("%s: signature and manifest OK\n", argv[optind]);
	BIO_free(content);
	return rc ? EXIT_FAIL : EXIT_OK;
}
