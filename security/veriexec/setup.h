/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Registration
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_SETUP_H
#define _SECURITY_VERIEXEC_SETUP_H

#include <linux/lsm_hooks.h>

extern bool veriexec_initialized;
extern const struct lsm_id veriexec_lsmid;
extern struct lsm_blob_sizes veriexec_blob_sizes;

#endif /* _SECURITY_VERIEXEC_SETUP_H */
