/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Kernel code and data read from files
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_KLOAD_H
#define _SECURITY_VERIEXEC_KLOAD_H

#include <linux/init.h>

void __init veriexec_add_kload_hooks(void);

#endif /* _SECURITY_VERIEXEC_KLOAD_H */
