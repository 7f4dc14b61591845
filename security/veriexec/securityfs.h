/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - securityfs interface
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_SECURITYFS_H
#define _SECURITY_VERIEXEC_SECURITYFS_H

#endif /* _SECURITY_VERIEXEC_SECURITYFS_H */
