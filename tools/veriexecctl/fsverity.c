// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - fs-verity file digests in user space; fsverity-enable
 *
 * Copyright © 2026 The veriexec authors
 *
 * An fsverity-* fingerprint is the digest that FS_IOC_MEASURE_VERITY
 * returns and `fsverity digest` prints: the hash of a struct
 * fsverity_descriptor that holds the root of a Merkle tree over the file
 * (Documentation/filesystems/fsverity.rst, "File digest computation").
 * veriexec always uses 4096-byte blocks and no salt.  Computing it here
 * lets generate fingerprint an image on any filesystem, before fs-verity
 * is turned on where the files will run.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fsverity.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

#define VERITY_LOG_BLOCK	12
#define VERITY_BLOCK		BIT(VERITY_LOG_BLOCK)
/* 2^64 bytes in 4096-byte blocks, 64 SHA-512 hashes a block: 9 levels. */
#define VERITY_MAX_LEVELS	10

/*
 * A Merkle tree built as the file streams by.  Each level keeps only its
 * block being filled: a full block is hashed into the level above at once,
 * so memory stays at one block a level whatever the file's size.
 */
struct tree {
	const EVP_MD *md;
	EVP_MD_CTX *ctx;
	unsigned int hash_size;
	u64 data_size;
	size_t fill[VERITY_MAX_LEVELS + 1];
	unsigned char level[VERITY_MAX_LEVELS + 1][VERITY_BLOCK];
	/* The data block being filled. */
	size_t data_fill;
	unsigned char data[VERITY_BLOCK];
};

/* Digest sizes and FS_VERITY_HASH_ALG_* for the fsverity-* algorithms. */
static int verity_alg(int algo)
{
	return algo == VERIEXEC_ALGO_FSVERITY_SHA512 ?
		FS_VERITY_HASH_ALG_SHA512 : FS_VERITY_HASH_ALG_SHA256;
}

static int hash(struct tree *t, const void *data, size_t len,
		unsigned char *out)
{
	return EVP_DigestInit_ex(t->ctx, t->md, NULL) &&
	       EVP_DigestUpdate(t->ctx, data, len) &&
	       EVP_DigestFinal_ex(t->ctx, out, NULL) ? 0 : -1;
}

/* Add a hash to @lvl; a block it fills goes one level up. */
static int push(struct tree *t, unsigned int lvl, const unsigned char *h)
{
	unsigned char up[EVP_MAX_MD_SIZE];

	if (lvl > VERITY_MAX_LEVELS)
		return -1;
	memcpy(t->level[lvl] + t->fill[lvl], h, t->hash_size);
	t->fill[lvl] += t->hash_size;
	if (t->fill[lvl] < VERITY_BLOCK)
		return 0;
	t->fill[lvl] = 0;
	return hash(t, t->level[lvl], VERITY_BLOCK, up) ?: push(t, lvl + 1, up);
}

/* Hash a partly filled block, zero-padded, into the level above. */
static int flush(struct tree *t, unsigned char *block, size_t *fill,
		 unsigned int up)
{
	unsigned char h[EVP_MAX_MD_SIZE];

	if (!*fill)
		return 0;
	memset(block + *fill, 0, VERITY_BLOCK - *fill);
	*fill = 0;
	return hash(t, block, VERITY_BLOCK, h) ?: push(t, up, h);
}

static int feed(struct tree *t, const unsigned char *p, size_t len)
{
	t->data_size += len;
	while (len) {
		size_t n = VERITY_BLOCK - t->data_fill;

		if (n > len)
			n = len;
		memcpy(t->data + t->data_fill, p, n);
		t->data_fill += n;
		p += n;
		len -= n;
		if (t->data_fill == VERITY_BLOCK &&
		    flush(t, t->data, &t->data_fill, 0))
			return -1;
	}
	return 0;
}

/* Levels above the data: none for one block, so its hash is the root. */
static unsigned int tree_levels(const struct tree *t)
{
	u64 blocks = (t->data_size + VERITY_BLOCK - 1) / VERITY_BLOCK;
	unsigned int arity = VERITY_BLOCK / t->hash_size, n = 0;

	for (; blocks > 1; n++)
		blocks = (blocks + arity - 1) / arity;
	return n;
}

/* Close the tree and hash the descriptor around its root. */
static int finish(struct tree *t, int algo, unsigned char *out)
{
	struct fsverity_descriptor desc = {
		.version = 1,
		.hash_algorithm = verity_alg(algo),
		.log_blocksize = VERITY_LOG_BLOCK,
		.data_size = htole64(t->data_size),
	};
	unsigned int i, levels;

	if (flush(t, t->data, &t->data_fill, 0))
		return -1;
	levels = tree_levels(t);
	for (i = 0; i < levels; i++)
		if (flush(t, t->level[i], &t->fill[i], i + 1))
			return -1;
	/* An empty file has an all-zero root. */
	if (t->data_size) {
		if (t->fill[levels] != t->hash_size)
			return -1;
		memcpy(desc.root_hash, t->level[levels], t->hash_size);
	}
	return hash(t, &desc, sizeof(desc), out);
}

/**
 * fsverity_digest_fd() - fs-verity file digest of what is left of a file
 * @fd: The file, read to its end.
 * @algo: VERIEXEC_ALGO_FSVERITY_SHA256 or _SHA512.
 * @head: What was already read from @fd, hashed first.
 * @head_len: Its length.
 * @out: The digest.
 * @len: Its length.
 *
 * Return: 0, or -1 with errno set when the file cannot be read.
 */
int fsverity_digest_fd(int fd, int algo, const void *head, size_t head_len,
		       unsigned char *out, unsigned int *len)
{
	static unsigned char buf[1 << 16];
	struct tree *t = calloc(1, sizeof(*t));
	ssize_t n = 0;
	int rc = -1;

	if (!t)
		return -1;
	t->md = algo == VERIEXEC_ALGO_FSVERITY_SHA512 ? EVP_sha512() :
							  EVP_sha256();
	t->hash_size = EVP_MD_get_size(t->md);
	t->ctx = EVP_MD_CTX_new();
	if (!t->ctx || feed(t, head, head_len))
		goto out;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (feed(t, buf, n))
			goto out;
	if (n < 0 || finish(t, algo, out))
		goto out;
	*len = t->hash_size;
	rc = 0;
out:
	if (rc && n >= 0)
		errno = EIO;
	EVP_MD_CTX_free(t->ctx);
	free(t);
	return rc;
}

/**
 * fsverity_measure() - The digest fs-verity holds for an open file
 * @fd: The file.
 * @algo: Set to the VERIEXEC_ALGO_FSVERITY_* the file's tree uses.
 * @out: The digest, at least 64 bytes.
 * @len: Its length.
 *
 * Return: 0, or -1 with errno set: ENODATA when fs-verity is not enabled,
 * ENOTTY or EOPNOTSUPP when the filesystem cannot have it.
 */
int fsverity_measure(int fd, int *algo, unsigned char *out, unsigned int *len)
{
	struct {
		struct fsverity_digest d;
		unsigned char buf[64];
	} m = { .d.digest_size = sizeof(m.buf) };

	if (ioctl(fd, FS_IOC_MEASURE_VERITY, &m))
		return -1;
	*algo = m.d.digest_algorithm == FS_VERITY_HASH_ALG_SHA512 ?
		VERIEXEC_ALGO_FSVERITY_SHA512 : VERIEXEC_ALGO_FSVERITY_SHA256;
	*len = m.d.digest_size;
	memcpy(out, m.d.digest, m.d.digest_size);
	return 0;
}

static const char *enable_error(int err)
{
	switch (err) {
	case ENOTTY:
	case EOPNOTSUPP:
		return "fs-verity is not supported on this filesystem";
	case ETXTBSY:
		return "the file is open for writing";
	case EACCES:
		return "needs write permission on the file";
	case EPERM:
		return "not permitted (append-only file, or signatures required)";
	case EROFS:
		return "read-only filesystem";
	default:
		return strerror(err);
	}
}

/* Already enabled is fine when the tree is the one veriexec reads. */
static int already_enabled(int fd, const char *path)
{
	unsigned char md[64];
	unsigned int len;
	int algo;

	if (fsverity_measure(fd, &algo, md, &len)) {
		fail("%s: cannot measure fs-verity: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	if (algo == VERIEXEC_ALGO_FSVERITY_SHA256)
		return EXIT_OK;
	fail("%s: fs-verity is already enabled with %s", path,
	     veriexec_algo_name(algo));
	return EXIT_FAIL;
}

/* fs-verity wants the file open read-only, and nobody writing it. */
static int enable_one(const char *path)
{
	struct fsverity_enable_arg arg = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.block_size = VERITY_BLOCK,
	};
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	int rc = EXIT_OK;

	if (fd < 0) {
		fail("%s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	if (ioctl(fd, FS_IOC_ENABLE_VERITY, &arg)) {
		if (errno == EEXIST) {
			rc = already_enabled(fd, path);
		} else {
			fail("%s: cannot enable fs-verity: %s", path,
			     enable_error(errno));
			rc = EXIT_FAIL;
		}
	}
	close(fd);
	return rc;
}

int cmd_fsverity_enable(int argc, char **argv)
{
	int i, rc = EXIT_OK;

	if (argc < 2)
		return usage_error(find_command("fsverity-enable"),
				   "no file given");
	for (i = 1; i < argc; i++)
		if (enable_one(argv[i]) != EXIT_OK)
			rc = EXIT_FAIL;
	return rc;
}
