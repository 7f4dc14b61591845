/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Verdicts
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_EVAL_H
#define _SECURITY_VERIEXEC_EVAL_H

#include <linux/types.h>

#include "audit.h"

/**
 * enum veriexec_use - How a file is about to be used
 * @VERIEXEC_USE_EXEC: execve(2) of the file itself.
 * @VERIEXEC_USE_INDIRECT: Script interpreter, or mapped PROT_EXEC.
 * @VERIEXEC_USE_OPEN: Opened for reading.
 */
enum veriexec_use {
	VERIEXEC_USE_EXEC,
	VERIEXEC_USE_INDIRECT,
	VERIEXEC_USE_OPEN,
};

/**
 * struct veriexec_request - What eval decides on
 * @use: How the file is used.
 * @level: The strict level.
 * @listed: An entry lists the file.
 * @match: Its content matches the entry (meaningful when @listed).
 * @opts: The entry's VERIEXEC_OPT_* bits (when @listed).
 * @writers: The file is open for writing somewhere.
 */
struct veriexec_request {
	enum veriexec_use use;
	unsigned int level;
	bool listed;
	bool match;
	u8 opts;
	bool writers;
};

/**
 * struct veriexec_decision - What to do
 * @deny: Fail the operation with -EPERM.
 * @report: Log it (a denial, or what would be denied).
 * @reason: Why, when @deny or @report.
 */
struct veriexec_decision {
	bool deny;
	bool report;
	enum veriexec_reason reason;
};

struct veriexec_decision veriexec_eval(const struct veriexec_request *req);
struct veriexec_decision veriexec_judge(enum veriexec_reason reason,
					unsigned int level);

#endif /* _SECURITY_VERIEXEC_EVAL_H */
