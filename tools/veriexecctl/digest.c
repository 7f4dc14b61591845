// SPDX-License-Identifier: GPL-2.0
/*
 * veriexecctl - Fingerprinting files with OpenSSL
 *
 * Copyright © 2026 The veriexec authors
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../security/veriexec/manifest.h"
#include "veriexecctl.h"

static const char *const evp_names[] = {
	[VERIEXEC_ALGO_SHA256] = "SHA256",
	[VERIEXEC_ALGO_SHA384] = "SHA384",
	[VERIEXEC_ALGO_SHA512] = "SHA512",
};

void hex_encode(const unsigned char *in, unsigned int len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

static int sha_fd(int fd, int algo, const void *head, size_t head_len,
		  unsigned char *out, unsigned int *len)
{
	static unsigned char buf[1 << 20];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, evp_names[algo], NULL);
	ssize_t n;
	int rc = -1;

	if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	if (head_len && !EVP_DigestUpdate(ctx, head, head_len))
		goto out;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto out;
	if (n < 0 || !EVP_DigestFinal_ex(ctx, out, len))
		goto out;
	rc = 0;
out:
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	return rc;
}

/*
 * Hash what is left of @fd after @head, which was already read from it.
 * fsverity-* fingerprints are computed as fs-verity would (fsverity.c).
 */
int digest_fd(int fd, int algo, const void *head, size_t head_len,
	      unsigned char *out, unsigned int *len)
{
	if (veriexec_algo_is_fsverity(algo))
		return fsverity_digest_fd(fd, algo, head, head_len, out, len);
	return sha_fd(fd, algo, head, head_len, out, len);
}

/*
 * Only regular files are fingerprinted: O_NONBLOCK keeps the open of a
 * FIFO from waiting for a writer, and has no effect on a regular file.
 */
int digest_file(const char *path, int algo, unsigned char *out,
		unsigned int *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	int rc;

	if (fd < 0 || fstat(fd, &st)) {
		fail("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fail("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	rc = digest_fd(fd, algo, NULL, 0, out, len);
	if (rc)
		fail("%s: %s", path, errno ? strerror(errno) : "cannot hash");
	close(fd);
	return rc;
}
