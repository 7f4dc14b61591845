/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Loading a signed manifest
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_LOAD_H
#define _SECURITY_VERIEXEC_LOAD_H

#include <linux/types.h>

int veriexec_load(const u8 *msg, size_t len);

#endif /* _SECURITY_VERIEXEC_LOAD_H */
