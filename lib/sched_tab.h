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

/*
 * Fill the XVS_SCHED_HASH_SIZE (256) buckets of an sh table as IPVS's
 * ip_vs_sh_reassign() does: walk the n dests in list order, each taking
 * weights[i] consecutive buckets (weight 0 or 1: one bucket), and cycle
 * through the list until every bucket is filled. A weight above 256 gives
 * the first dest the whole table. slots has room for 256. Returns 256, or
 * 0 when n is 0 (no dest: every lookup fails).
 */
uint32_t xvs_sh_table(const int32_t *weights, uint32_t n, uint16_t *slots);

/*
 * Fill the 256 buckets of a dh table as ip_vs_dh_reassign() does: one
 * bucket per dest in list order, cycling; weights do not shape it. Returns
 * 256, or 0 when n is 0.
 */
uint32_t xvs_dh_table(uint32_t n, uint16_t *slots);

/*
 * A dest's place in the mh (Maglev) population: its address and port as
 * the service holds them (network order) and its weight.
 */
struct xvs_mh_dest {
	const uint8_t *addr;	/* 16 bytes, union xvs_addr */
	uint16_t port;		/* network order */
	int32_t weight;
};

/*
 * The 64-bit hash of a dest for mh: FNV-1a over seed (8 bytes, little
 * endian), the 16 address bytes and the 2 port bytes as stored. IPVS uses
 * hsiphash with random-free fixed keys; any fixed function serves the
 * purpose (every director and every xvsd restart lays out the same table),
 * so placement is not bit-compatible with IPVS.
 */
uint64_t xvs_mh_dest_hash(const uint8_t *addr, uint16_t port, uint64_t seed);

/*
 * Fill the XVS_SCHED_MH_SIZE (4093) slots of an mh table as IPVS's
 * ip_vs_mh_populate() does: each dest has offset = hash1 % M and skip =
 * hash2 % (M - 1) + 1 (its preference list is offset + j * skip), and
 * turns = (weight / gcd) >> rshift with rshift = max(0, fls(maxw / gcd)
 * - 6), at least 1 for a positive weight; the dests take turns slots
 * each, round robin in list order, each its next free preferred slot,
 * until the table is full. A weight-0 dest takes no slot: IPVS keeps its
 * slots through last_weight, xvs has no last_weight. slots has room for
 * XVS_SCHED_MH_SIZE. Returns XVS_SCHED_MH_SIZE, or 0 when no weight is
 * positive (every lookup fails), or -ENOMEM.
 */
int32_t xvs_mh_table(const struct xvs_mh_dest *dests, uint32_t n, uint16_t *slots);

#endif
