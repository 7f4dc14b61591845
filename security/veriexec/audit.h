/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Denial records, log lines and counters
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_AUDIT_H
#define _SECURITY_VERIEXEC_AUDIT_H

#include <linux/percpu.h>
#include <linux/types.h>

#include "eval.h"

struct seq_file;

/**
 * enum veriexec_stat - Counters of the status file, in its order
 * @VERIEXEC_STAT_LOOKUPS: Searches of the store.
 * @VERIEXEC_STAT_CACHE_HITS: Verdicts taken from the inode blob.
 * @VERIEXEC_STAT_FINGERPRINTS: Files hashed.
 * @VERIEXEC_STAT_BYTES_HASHED: Bytes hashed.
 * @VERIEXEC_STAT_DENIALS: Denials and level-0 "would deny".
 * @VERIEXEC_STAT_DENIED: First of the per-reason counters.
 * @__VERIEXEC_STAT_MAX: Number of counters.
 */
enum veriexec_stat {
	VERIEXEC_STAT_LOOKUPS,
	VERIEXEC_STAT_CACHE_HITS,
	VERIEXEC_STAT_FINGERPRINTS,
	VERIEXEC_STAT_BYTES_HASHED,
	VERIEXEC_STAT_DENIALS,
	VERIEXEC_STAT_DENIED,	/* first of __VERIEXEC_REASON_MAX counters */
	__VERIEXEC_STAT_MAX = VERIEXEC_STAT_DENIED + __VERIEXEC_REASON_MAX
};

DECLARE_PER_CPU(u64[__VERIEXEC_STAT_MAX], veriexec_counters);

/**
 * veriexec_count() - Add to a status counter
 * @stat: The counter.
 * @n: How much to add.
 *
 * Context: Any context.
 */
static inline void veriexec_count(enum veriexec_stat stat, u64 n)
{
	this_cpu_add(veriexec_counters[stat], n);
}

void veriexec_show_counters(struct seq_file *m);

void veriexec_audit_deny(const struct veriexec_decision *d,
			 const struct veriexec_target *t);
void veriexec_pending_add(long n);
void veriexec_audit_level(unsigned int old, unsigned int new);
void veriexec_audit_seal(void);
void veriexec_audit_load(const char *name, u64 version, size_t entries,
			 int rc);

#endif /* _SECURITY_VERIEXEC_AUDIT_H */
