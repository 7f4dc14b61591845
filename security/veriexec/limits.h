/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Limits
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_LIMITS_H
#define _SECURITY_VERIEXEC_LIMITS_H

/* Largest signed manifest accepted through securityfs (-EFBIG past it). */
#define VERIEXEC_MANIFEST_MAX	(64UL << 20)

/* Longest set name given by @name. */
#define VERIEXEC_SET_NAME_MAX	63

/* Longest path in a manifest, after unescaping. */
#define VERIEXEC_PATH_MAX	4095

/* Largest digest of the supported algorithms (SHA-512). */
#define VERIEXEC_DIGEST_MAX	64

/* Highest strict level (lockdown). */
#define VERIEXEC_LEVEL_MAX	3
/* Records of the learned file: about 1 MiB of paths at most. */
#define VERIEXEC_LEARNED_MAX	8192

#endif /* _SECURITY_VERIEXEC_LIMITS_H */
