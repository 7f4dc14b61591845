// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Strict level
 *
 * Copyright © 2026 The veriexec authors
 *
 * The level only goes up while the system runs, so it is a single word
 * updated with cmpxchg() and read with READ_ONCE() from any context, with
 * no lock.  The lock on loads is the store's seal (store.c).
 */

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "common.h"
#include "level.h"
#include "limits.h"

unsigned int veriexec_strict_level = CONFIG_SECURITY_VERIEXEC_DEFAULT_LEVEL;

/**
 * veriexec_raise_level() - Raise the strict level
 * @new: The level wanted.
 * @prev: Receives the level it replaced.
 *
 * Setting the current level again is accepted and changes nothing.
 * The caller reports the change: this runs in any context.
 *
 * Context: Any context.
 * Return:
 * * 0		- The level is now @new.
 * * %-EINVAL	- @new is above VERIEXEC_LEVEL_MAX.
 * * %-EPERM	- @new is below the current level.
 */
int veriexec_raise_level(unsigned int new, unsigned int *prev)
{
	unsigned int old = READ_ONCE(veriexec_strict_level);

	*prev = old;
	if (new > VERIEXEC_LEVEL_MAX)
		return -EINVAL;
	do {
		if (new < old)
			return -EPERM;
		if (new == old)
			return 0;
	} while (!try_cmpxchg(&veriexec_strict_level, &old, new));
	*prev = old;
	return 0;
}

/* veriexec.level=N: exact decimal 0-3, never a prefix match. */
static int param_set_level(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 10, &n) || n > VERIEXEC_LEVEL_MAX)
		return -EINVAL;
	if (n > veriexec_strict_level)
		veriexec_strict_level = n;
	return 0;
}

static const struct kernel_param_ops level_ops = {
	.set = param_set_level,
	.get = param_get_uint,
};

module_param_cb(level, &level_ops, &veriexec_strict_level, 0);
MODULE_PARM_DESC(level, "Strict level at boot, 0-3 (only raises the default)");
