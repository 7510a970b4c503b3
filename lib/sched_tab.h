/* SPDX-License-Identifier: GPL-2.0 */
/* sched_tab.h - scheduler tables that xvsd precomputes for the data plane. */
#ifndef XVS_SCHED_TAB_H
#define XVS_SCHED_TAB_H

#include <stdint.h>

/*
 * Fill slots with one full cycle of IPVS's weighted round robin
 * (ip_vs_wrr.c) over n dests of the given weights: cw starts at the max
 * weight mw and steps down by the gcd di of the positive weights; a dest
 * is taken when its weight >= cw. Weights 3,1 give 0,0,0,1.
 *
 * A cycle has sum(w)/di slots. When that exceeds max, the weights are
 * scaled down proportionally (rounding up, so no positive weight becomes
 * 0) until it fits; the split then only approximates the weights. With
 * more positive weights than max slots, the first max positive dests get
 * one slot each. Returns the number of slots (0 if no weight is
 * positive), at most max.
 */
uint32_t xvs_wrr_table(const int32_t *weights, uint32_t n, uint16_t *slots,
		       uint32_t max);

#endif
