/* SPDX-License-Identifier: GPL-2.0 */
/*
 * housekeeping.h - what IPVS's timers do, done by xvsd once a second:
 * expire idle connections by their state's timeout, keep each dest's
 * ActiveConn/InActConn exact, and free drained dests. A big connection
 * table is walked a slice per second (docs/datapath.md, Housekeeping).
 */
#ifndef XVS_HOUSEKEEPING_H
#define XVS_HOUSEKEEPING_H

#include <stdint.h>

#include "model.h"

/* What the walks found, for /metrics: totals since xvsd started. */
struct xvs_hk_totals {
	long live;		/* entries at the last complete pass; -1 before */
	uint64_t expired;	/* entries deleted after their state's timeout */
	uint64_t evicted;	/* entries gone unexpired: the recount found the
				 * counters higher than the table (LRU eviction) */
	uint64_t walked;	/* entries visited */
	uint64_t passes;	/* complete passes over the table */
};

struct xvs_hk_pass;

/* Housekeeping's state from tick to tick. */
struct xvs_hk {
	struct xvs_hk_totals tot;
	struct xvs_hk_pass *pass;	/* the pass under way; NULL before the first */
};

/*
 * Entries one tick walks: a table of up to 2^17 entries whole, a bigger
 * one a quarter of its size, so that a pass takes at most 4 ticks (5 when
 * the last batch of the 4th ends exactly at the table's end).
 */
uint64_t xvs_hk_tick_budget(const struct xvs_dp *dp);

/*
 * One housekeeping tick: walk the next budget entries of the connection
 * table (a batch may carry it past by up to 4095), resuming where the
 * last tick stopped, and delete the expired connections found. At the end
 * of a pass over the whole table (which takes as many ticks as it takes),
 * recount every dest and correct counters that drifted (entries the LRU
 * evicted), record per-dest and per-service references, and delete the
 * expired templates that no longer control a connection. Adds to hk->tot
 * what it expired, found evicted and visited.
 * Returns 1 when a pass ended this tick, 0 when it goes on, or -errno.
 */
int xvs_hk_step(struct xvs_model *m, uint64_t now_ns, uint64_t budget, struct xvs_hk *hk);

/* A whole pass at once (the benchmark). Returns the live entries or -errno. */
long xvs_hk_scan(struct xvs_model *m, uint64_t now_ns, struct xvs_hk *hk);

/* Free the pass's memory. */
void xvs_hk_release(struct xvs_hk *hk);

/*
 * Build a GET_CONNS reply: xvs_ctl_list then one xvs_ctl_conn per live
 * entry. *buf is malloc'ed. Returns 0 or -errno.
 */
int xvs_hk_list_conns(struct xvs_model *m, uint64_t now_ns, void **buf, uint32_t *len);

/* CLOCK_MONOTONIC_COARSE in ns: the data plane's bpf_ktime_get_coarse_ns(). */
uint64_t xvs_hk_now_ns(void);

#endif
