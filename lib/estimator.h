/* SPDX-License-Identifier: GPL-2.0 */
/*
 * estimator.h - IPVS's rate estimator (ip_vs_est.c): every 2 seconds the
 * counter deltas feed an exponentially weighted average, kept in fixed
 * point (<<10 for per-second counts, <<5 for bytes) as IPVS keeps it.
 */
#ifndef XVS_ESTIMATOR_H
#define XVS_ESTIMATOR_H

#include <stdint.h>

#include "xvs/ctl-t.h"

#define XVS_EST_INTERVAL_S 2

struct xvs_est {
	struct xvs_stats last;
	int64_t cps, inpps, outpps;	/* avg << 10 */
	int64_t inbps, outbps;		/* avg << 5 */
};

/* Start estimating from the current counters (and after -Z). */
void xvs_est_reset(struct xvs_est *e, const struct xvs_stats *now);

/* Feed the counters read now, XVS_EST_INTERVAL_S after the previous call. */
void xvs_est_update(struct xvs_est *e, const struct xvs_stats *now);

/* The rates, rounded as IPVS reports them. */
void xvs_est_read(const struct xvs_est *e, struct xvs_ctl_rate *r);

#endif
