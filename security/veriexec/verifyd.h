/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Verification ahead of first use
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_VERIFYD_H
#define _SECURITY_VERIEXEC_VERIFYD_H

int veriexec_verify_set(const char *name);

#endif /* _SECURITY_VERIEXEC_VERIFYD_H */
