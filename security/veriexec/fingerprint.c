// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Fingerprinting files
 *
 * Copyright © 2026 The veriexec authors
 *
 * Hashes a file's content through the page cache with the kernel crypto
 * API, and reads the security.veriexec label that selects a path-less
 * entry.
 */

#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/fsverity.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xattr.h>

#include "audit.h"
#include "common.h"
#include "fingerprint.h"
#include "manifest.h"
#include "setup.h"

/* Large reads keep the per-call overhead well below the hashing cost. */
#define CHUNK_SIZE	(256 * 1024)

static const char *const crypto_names[__VERIEXEC_ALGO_MAX] = {
	[VERIEXEC_ALGO_SHA256] = "sha256",
	[VERIEXEC_ALGO_SHA384] = "sha384",
	[VERIEXEC_ALGO_SHA512] = "sha512",
};

/* Set at late_initcall, read-only after: shash transforms are shareable. */
static struct crypto_shash *tfms[__VERIEXEC_ALGO_MAX] __ro_after_init;

/*
 * Small files get a buffer their size: a 256 KiB one is a vmalloc() and
 * a TLB flush each, which serialise the CPUs of a load -e pass.
 */
static size_t chunk_size(struct file *file)
{
	loff_t size = i_size_read(file_inode(file));

	return clamp_t(loff_t, round_up(size, PAGE_SIZE), PAGE_SIZE,
		       CHUNK_SIZE);
}

static int hash_file(struct shash_desc *desc, struct file *file, void *buf,
		     size_t len)
{
	loff_t pos = 0;
	ssize_t n;
	int rc;

	for (;;) {
		n = kernel_read(file, buf, len, &pos);
		if (n <= 0)
			return n;
		veriexec_count(VERIEXEC_STAT_BYTES_HASHED, n);
		rc = crypto_shash_update(desc, buf, n);
		if (rc)
			return rc;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
}

/*
 * fs-verity has measured the file already and checks every page read
 * from it against that measurement: take its digest, read nothing.
 */
static int fsverity_fingerprint(struct file *file, u8 algo, u8 *digest)
{
	enum hash_algo want = algo == VERIEXEC_ALGO_FSVERITY_SHA256 ?
			      HASH_ALGO_SHA256 : HASH_ALGO_SHA512;
	u8 raw[FS_VERITY_MAX_DIGEST_SIZE];
	enum hash_algo halg;
	int size;

	size = fsverity_get_digest(file_inode(file), raw, NULL, &halg);
	if (size <= 0 || halg != want ||
	    size != veriexec_algo_size(algo))
		return -ENODATA;
	memcpy(digest, raw, size);
	return 0;
}

/**
 * veriexec_fingerprint() - Hash the content of a file
 * @file: The file, open for reading.
 * @algo: The algorithm.
 * @digest: Receives the digest, veriexec_algo_size(@algo) bytes.
 *
 * Context: Process context; sleeps.
 * Return: 0; -ENODATA when the file has no digest of that kind (fs-verity
 * not enabled, or with another hash), which is a mismatch; or the errno
 * that stopped the hash: -EINTR on a fatal signal, -EIO, -ENOMEM, or
 * -ENOPKG before the crypto is set up.  Those are no verdict.
 */
int veriexec_fingerprint(struct file *file, u8 algo, u8 *digest)
{
	struct crypto_shash *tfm = algo < __VERIEXEC_ALGO_MAX ? tfms[algo] : NULL;
	size_t len;
	void *buf;
	int rc;

	if (veriexec_algo_is_fsverity(algo))
		return fsverity_fingerprint(file, algo, digest);
	if (!tfm)
		return -ENOPKG;
	len = chunk_size(file);
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		rc = crypto_shash_init(desc);
		if (!rc)
			rc = hash_file(desc, file, buf, len);
		if (!rc)
			rc = crypto_shash_final(desc, digest);
		shash_desc_zero(desc);
	}
	kvfree(buf);
	if (!rc)
		veriexec_count(VERIEXEC_STAT_FINGERPRINTS, 1);
	return rc;
}

/**
 * veriexec_read_label() - Read a file's security.veriexec label
 * @dentry: The file's dentry.
 * @inode: The file's inode.
 * @algo: Receives the algorithm.
 * @digest: Receives the digest, VERIEXEC_DIGEST_MAX bytes at most.
 *
 * The label is "<algorithm>:<hex fingerprint>", as veriexecctl label
 * writes it.
 *
 * Context: Process context; may sleep.
 * Return: 0, -ENODATA when there is no label, -EINVAL when it is
 * malformed, or another negative errno.
 */
int veriexec_read_label(struct dentry *dentry, struct inode *inode,
			u8 *algo, u8 *digest)
{
	char buf[24 + 2 * VERIEXEC_DIGEST_MAX + 1];
	char *colon;
	int len, a;

	if (!(inode->i_opflags & IOP_XATTR))
		return -ENODATA;
	len = __vfs_getxattr(dentry, inode, VERIEXEC_XATTR, buf,
			     sizeof(buf) - 1);
	if (len < 0)
		return len == -ERANGE ? -EINVAL : len;
	buf[len] = '\0';
	colon = strchr(buf, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	a = veriexec_algo_from_name(buf);
	if (a < 0 || strlen(colon + 1) != 2 * veriexec_algo_size(a) ||
	    hex2bin(digest, colon + 1, veriexec_algo_size(a)))
		return -EINVAL;
	*algo = a;
	return 0;
}

static int __init veriexec_init_crypto(void)
{
	int i;

	if (!veriexec_initialized)
		return 0;
	for (i = 0; i < __VERIEXEC_ALGO_MAX; i++) {
		struct crypto_shash *tfm;

		if (!crypto_names[i])
			continue;
		tfm = crypto_alloc_shash(crypto_names[i], 0, 0);

		if (IS_ERR(tfm)) {
			pr_err("no %s: %ld\n", crypto_names[i], PTR_ERR(tfm));
			continue;
		}
		tfms[i] = tfm;
	}
	return 0;
}

late_initcall(veriexec_init_crypto);
