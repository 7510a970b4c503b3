/* SPDX-License-Identifier: GPL-2.0 */
/*
 * housekeeping.h - what IPVS's timers do, done by xvsd once a second:
 * expire idle connections by their state's timeout, keep each dest's
 * ActiveConn/InActConn exact, and free drained dests.
 */
#ifndef XVS_HOUSEKEEPING_H
#define XVS_HOUSEKEEPING_H

#include <stdint.h>

#include "model.h"

/* What the scans found, for /metrics: totals since xvsd started. */
struct xvs_hk_totals {
	long live;		/* entries at the last scan; -1 before the first */
	uint64_t expired;	/* entries deleted after their state's timeout */
	uint64_t evicted;	/* entries gone unexpired: the recount found the
				 * counters higher than the table (LRU eviction) */
};

/*
 * Walk the whole connection table once: delete expired entries (and
 * release their counts), recount every dest, correct counters that drifted
 * (entries the LRU evicted), record per-dest and per-service references.
 * Adds what it expired and found evicted to *tot, and sets its live count,
 * when tot is not NULL.
 * Returns the number of live entries, or -errno.
 */
long xvs_hk_scan(struct xvs_model *m, uint64_t now_ns, struct xvs_hk_totals *tot);

/* xvs_hk_scan() for a caller that keeps no totals (the benchmark). */
static inline long xvs_hk_scan_conns(struct xvs_model *m, uint64_t now_ns)
{
	return xvs_hk_scan(m, now_ns, NULL);
}

/*
 * Build a GET_CONNS reply: xvs_ctl_list then one xvs_ctl_conn per live
 * entry. *buf is malloc'ed. Returns 0 or -errno.
 */
int xvs_hk_list_conns(struct xvs_model *m, uint64_t now_ns, void **buf, uint32_t *len);

/* CLOCK_MONOTONIC_COARSE in ns: the data plane's bpf_ktime_get_coarse_ns(). */
uint64_t xvs_hk_now_ns(void);

#endif
