// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Decisions: the level table, and the one enforcement call
 *
 * Copyright © 2026 The veriexec authors
 *
 * The admin guide's level table as code: a request and a level in, a
 * decision out, then veriexec_enforce() reports it and returns the errno.
 * Every hook ends here, so every threshold lives in this file.
 */

#include <linux/errno.h>
#include <linux/kconfig.h>

#include "audit.h"
#include "eval.h"
#include "learn.h"
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
	[VERIEXEC_REASON_EXECMEM] = VERIEXEC_LOCKDOWN,
};

/**
 * veriexec_judge() - Deny, log or allow for a reason at a level
 * @reason: What is wrong.
 * @level: The strict level.
 *
 * Below its level a reason is logged only at level 0 ("would deny"),
 * except changes to monitored files, which IDS mode (level 1) logs too.
 * Level 3's own rules are not level 0's business: learning mode reports
 * what a level 2 system would refuse.
 *
 * Return: The decision.
 */
struct veriexec_decision veriexec_judge(enum veriexec_reason reason,
					unsigned int level)
{
	struct veriexec_decision d = { .reason = reason, .level = level };

	d.deny = level >= deny_from[reason];
	d.report = d.deny ||
		   (level == VERIEXEC_LEARNING &&
		    deny_from[reason] < VERIEXEC_LOCKDOWN) ||
		   (reason == VERIEXEC_REASON_IMMUTABLE &&
		    level == VERIEXEC_IDS);
	return d;
}

/**
 * veriexec_unsigned_allowed() - Whether a plain-text manifest may load
 * @level: The strict level.
 *
 * Only kernels built for developing manifests take one, and only at
 * level 0.
 *
 * Return: True when an unsigned manifest is accepted.
 */
bool veriexec_unsigned_allowed(unsigned int level)
{
	return IS_ENABLED(CONFIG_SECURITY_VERIEXEC_ALLOW_UNSIGNED) &&
	       level == VERIEXEC_LEARNING;
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
 * an indirect-only entry executed directly, which the admin guide names.
 * Opening an unlisted file is no business of this table (level 3's
 * lockdown is judged by the open hook).
 *
 * Return: The decision; @deny and @report false when all is well.
 */
struct veriexec_decision veriexec_eval(const struct veriexec_request *req)
{
	struct veriexec_decision ok = { .level = req->level };

	if (req->match == VERIEXEC_MATCH_NONE) {
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
	if (req->match != VERIEXEC_MATCH_VALID)
		return veriexec_judge(VERIEXEC_REASON_MISMATCH, req->level);
	return ok;
}

/**
 * veriexec_enforce() - Report a decision and turn it into an errno
 * @d: The decision.
 * @t: What it is about.
 *
 * Context: Any context; does not sleep.
 * Return: 0, or -EPERM when @d denies.
 */
int veriexec_enforce(const struct veriexec_decision *d,
		     const struct veriexec_target *t)
{
	if (!d->report || t->quiet)
		return d->deny ? -EPERM : 0;
	veriexec_audit_deny(d, t);
	if (!d->deny)
		veriexec_learn(t);
	return d->deny ? -EPERM : 0;
}

/**
 * veriexec_refuse() - Judge, report and enforce one reason
 * @reason: What is wrong.
 * @level: The level the hook read.
 * @t: What it is about.
 *
 * Context: Any context; does not sleep.
 * Return: 0 when the level lets it go ahead, else -EPERM.
 */
int veriexec_refuse(enum veriexec_reason reason, unsigned int level,
		    const struct veriexec_target *t)
{
	struct veriexec_decision d = veriexec_judge(reason, level);

	return veriexec_enforce(&d, t);
}
