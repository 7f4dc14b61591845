// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Verdicts
 *
 * Copyright © 2026 The veriexec authors
 *
 * The contract's level table as code: a request and a level in, a
 * decision out.  No VFS, no globals, so KUnit can walk every cell.
 */

#include "eval.h"
#include "level.h"
#include "manifest.h"

/* The level from which each reason is a denial rather than a log line. */
static const u8 deny_from[__VERIEXEC_REASON_MAX] = {
	[VERIEXEC_REASON_MISMATCH] = VERIEXEC_IDS,
	[VERIEXEC_REASON_NO_ENTRY] = VERIEXEC_IPS,
	[VERIEXEC_REASON_INDIRECT] = VERIEXEC_IPS,
	[VERIEXEC_REASON_IMMUTABLE] = VERIEXEC_IPS,
	[VERIEXEC_REASON_OPEN_FOR_WRITE] = VERIEXEC_IDS,
	[VERIEXEC_REASON_NO_PTRACE] = VERIEXEC_IDS,
	[VERIEXEC_REASON_NOT_TRUSTED] = VERIEXEC_IDS,
	[VERIEXEC_REASON_LOCKDOWN] = VERIEXEC_LOCKDOWN,
};

/**
 * veriexec_judge() - Deny, log or allow for a reason at a level
 * @reason: What is wrong.
 * @level: The strict level.
 *
 * Below its level a reason is logged only at level 0 ("would deny"),
 * except changes to monitored files, which IDS mode (level 1) logs too.
 *
 * Return: The decision.
 */
struct veriexec_decision veriexec_judge(enum veriexec_reason reason,
					unsigned int level)
{
	struct veriexec_decision d = { .reason = reason };

	d.deny = level >= deny_from[reason];
	d.report = d.deny || level == VERIEXEC_LEARNING ||
		   (reason == VERIEXEC_REASON_IMMUTABLE &&
		    level == VERIEXEC_IDS);
	return d;
}

/* Whether the entry's options allow the use. */
static bool use_allowed(enum veriexec_use use, u8 opts)
{
	switch (use) {
	case VERIEXEC_USE_EXEC:
		return opts & VERIEXEC_OPT_DIRECT;
	case VERIEXEC_USE_INDIRECT:
		return opts & (VERIEXEC_OPT_DIRECT | VERIEXEC_OPT_INDIRECT);
	default:
		return true;
	}
}

/**
 * veriexec_eval() - Decide on the use of a file
 * @req: The request.
 *
 * An entry that does not allow the use counts as no entry for it, except
 * an indirect-only entry executed directly, which the contract names.
 *
 * Return: The decision; @deny and @report false when all is well.
 */
struct veriexec_decision veriexec_eval(const struct veriexec_request *req)
{
	struct veriexec_decision ok = { };

	if (!req->listed) {
		if (req->use == VERIEXEC_USE_OPEN)
			return ok;
		return veriexec_judge(VERIEXEC_REASON_NO_ENTRY, req->level);
	}
	if (req->writers && req->use != VERIEXEC_USE_OPEN)
		return veriexec_judge(VERIEXEC_REASON_OPEN_FOR_WRITE,
				      req->level);
	if (!use_allowed(req->use, req->opts)) {
		if (req->use == VERIEXEC_USE_EXEC &&
		    (req->opts & VERIEXEC_OPT_INDIRECT))
			return veriexec_judge(VERIEXEC_REASON_INDIRECT,
					      req->level);
		return veriexec_judge(VERIEXEC_REASON_NO_ENTRY, req->level);
	}
	if (!req->match)
		return veriexec_judge(VERIEXEC_REASON_MISMATCH, req->level);
	return ok;
}
