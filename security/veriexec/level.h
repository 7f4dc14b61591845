/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Strict level
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_LEVEL_H
#define _SECURITY_VERIEXEC_LEVEL_H

#include <linux/types.h>

/**
 * enum veriexec_level - Strict levels
 * @VERIEXEC_LEARNING: Log what would be denied, deny nothing.
 * @VERIEXEC_IDS: Deny fingerprint mismatches; log changes.
 * @VERIEXEC_IPS: Also deny unlisted executables and changes.
 * @VERIEXEC_LOCKDOWN: Also deny unlisted files on monitored filesystems.
 */
enum veriexec_level {
	VERIEXEC_LEARNING,
	VERIEXEC_IDS,
	VERIEXEC_IPS,
	VERIEXEC_LOCKDOWN,
};

unsigned int veriexec_level(void);
int veriexec_raise_level(unsigned int level, unsigned int *prev);

#endif /* _SECURITY_VERIEXEC_LEVEL_H */
