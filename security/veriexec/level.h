/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Strict level
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_LEVEL_H
#define _SECURITY_VERIEXEC_LEVEL_H

#include <linux/compiler.h>
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

/* Only veriexec_raise_level() writes it, and only upwards. */
extern unsigned int veriexec_strict_level;

/**
 * veriexec_level() - Current strict level
 *
 * Context: Any context.
 * Return: The level, 0 to VERIEXEC_LEVEL_MAX.
 */
static inline unsigned int veriexec_level(void)
{
	return READ_ONCE(veriexec_strict_level);
}

int veriexec_raise_level(unsigned int level, unsigned int *prev);

#endif /* _SECURITY_VERIEXEC_LEVEL_H */
