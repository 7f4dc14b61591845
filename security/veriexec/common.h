/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Name and log prefix
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_COMMON_H
#define _SECURITY_VERIEXEC_COMMON_H

#define VERIEXEC_NAME "veriexec"

#ifdef pr_fmt
#undef pr_fmt
#endif

#define pr_fmt(fmt) VERIEXEC_NAME ": " fmt

#endif /* _SECURITY_VERIEXEC_COMMON_H */
