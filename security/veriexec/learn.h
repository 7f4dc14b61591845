/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Learning mode: what level 0 would have denied
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_LEARN_H
#define _SECURITY_VERIEXEC_LEARN_H

#include "eval.h"

struct seq_file;

void veriexec_learn(const struct veriexec_target *t);
int veriexec_show_learned(struct seq_file *m);

#endif /* _SECURITY_VERIEXEC_LEARN_H */
