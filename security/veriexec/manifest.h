/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Manifest parser
 *
 * Copyright © 2026 The veriexec authors
 *
 * This header and manifest.c are also built into veriexecctl, so they use
 * only what tools/veriexecctl/include/ provides.
 */

#ifndef _SECURITY_VERIEXEC_MANIFEST_H
#define _SECURITY_VERIEXEC_MANIFEST_H

#include <linux/bits.h>
#include <linux/types.h>

#include "limits.h"

/**
 * enum veriexec_algo - Fingerprint algorithms, in the order
 * /sys/kernel/security/veriexec/algorithms lists them.
 * @VERIEXEC_ALGO_SHA256: SHA-256.
 * @VERIEXEC_ALGO_SHA384: SHA-384.
 * @VERIEXEC_ALGO_SHA512: SHA-512.
 * @VERIEXEC_ALGO_FSVERITY_SHA256: fs-verity file digest, SHA-256 tree.
 * @VERIEXEC_ALGO_FSVERITY_SHA512: fs-verity file digest, SHA-512 tree.
 * @__VERIEXEC_ALGO_MAX: Number of algorithms.
 */
enum veriexec_algo {
	VERIEXEC_ALGO_SHA256,
	VERIEXEC_ALGO_SHA384,
	VERIEXEC_ALGO_SHA512,
	VERIEXEC_ALGO_FSVERITY_SHA256,
	VERIEXEC_ALGO_FSVERITY_SHA512,
	__VERIEXEC_ALGO_MAX
};

/**
 * veriexec_algo_is_fsverity() - Whether an algorithm names an fs-verity digest
 * @algo: An &enum veriexec_algo value.
 *
 * Such a fingerprint is taken from fs-verity, never computed by reading.
 *
 * Return: True for the fsverity-* algorithms.
 */
static inline bool veriexec_algo_is_fsverity(unsigned int algo)
{
	return algo == VERIEXEC_ALGO_FSVERITY_SHA256 ||
	       algo == VERIEXEC_ALGO_FSVERITY_SHA512;
}

/* Entry options, in the order of the admin guide's table (and of output). */
#define VERIEXEC_OPT_DIRECT	BIT(0)
#define VERIEXEC_OPT_INDIRECT	BIT(1)
#define VERIEXEC_OPT_FILE	BIT(2)
#define VERIEXEC_OPT_UNTRUSTED	BIT(3)
#define VERIEXEC_OPT_NO_PTRACE	BIT(4)
#define VERIEXEC_OPT_TRUSTED	BIT(5)
#define VERIEXEC_OPT_EXECMEM	BIT(6)
#define VERIEXEC_OPT_COUNT	7

/**
 * struct veriexec_manifest_entry - One parsed manifest line
 */
struct veriexec_manifest_entry {
	/**
	 * @path: Unescaped absolute path, or NULL for a path-less entry.
	 * Points into &veriexec_manifest.text.
	 */
	const char *path;
	/**
	 * @digest: Binary fingerprint, veriexec_algo_size(@algo) bytes.
	 * Points into &veriexec_manifest.text.
	 */
	const u8 *digest;
	/** @line: Line number in the manifest, from 1. */
	u32 line;
	/** @algo: One of &enum veriexec_algo. */
	u8 algo;
	/** @opts: VERIEXEC_OPT_* bits; never 0. */
	u8 opts;
	/** @path_len: strlen(@path), at most %VERIEXEC_PATH_MAX; 0: none. */
	u16 path_len;
};

/**
 * struct veriexec_manifest - A parsed manifest
 */
struct veriexec_manifest {
	/** @name: Set name from @name, "default" when absent. */
	char name[VERIEXEC_SET_NAME_MAX + 1];
	/** @version: From @version, 0 when absent. */
	u64 version;
	/** @verify_now: "@verify now": hash every entry after the load. */
	bool verify_now;
	/** @count: Number of entries in @entries. */
	size_t count;
	/** @entries: Parsed entries, in manifest order. */
	struct veriexec_manifest_entry *entries;
	/** @text: Working copy of the text; owns every string above. */
	char *text;
};

/**
 * struct veriexec_parse_error - Where and why a manifest was rejected
 */
struct veriexec_parse_error {
	/** @line: Line number, from 1; 0 when not tied to a line. */
	unsigned int line;
	/** @reason: Static description of what was wrong. */
	const char *reason;
};

struct veriexec_manifest *
veriexec_manifest_parse(const char *buf, size_t len,
			struct veriexec_parse_error *err);
void veriexec_manifest_free(struct veriexec_manifest *m);

const char *veriexec_algo_name(enum veriexec_algo algo);
unsigned int veriexec_algo_size(enum veriexec_algo algo);
int veriexec_algo_from_name(const char *name);
const char *veriexec_opt_name(unsigned int bit);

#endif /* _SECURITY_VERIEXEC_MANIFEST_H */
