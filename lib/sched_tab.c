// SPDX-License-Identifier: GPL-2.0
/* sched_tab.c - precomputed scheduler tables, see sched_tab.h. */
#include <stdbool.h>
#include <stdlib.h>

#include "sched_tab.h"
#include "xvs/dp-t.h"

static int32_t gcd(int32_t a, int32_t b)
{
	while (b) {
		int32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Sum of w/di over positive weights: the length of one wrr cycle. */
static uint64_t wrr_cycle_len(const int32_t *w, uint32_t n)
{
	int32_t di = 0;
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		if (w[i] > 0)
			di = gcd(w[i], di);
	if (!di)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (w[i] > 0)
			sum += (uint64_t)(w[i] / di);
	return sum;
}

/* One cycle of the IPVS sequence into slots (which has room for it). */
static uint32_t wrr_fill(const int32_t *w, uint32_t n, uint16_t *slots)
{
	int32_t di = 0, mw = 0, cw;
	uint32_t len = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (w[i] <= 0)
			continue;
		di = gcd(w[i], di);
		if (w[i] > mw)
			mw = w[i];
	}
	/* IPVS: mw = maxweight - (di - 1); cw runs mw, mw-di, ... > 0. */
	mw -= di - 1;
	for (cw = mw; cw > 0; cw -= di)
		for (uint32_t i = 0; i < n; i++)
			if (w[i] > 0 && w[i] >= cw)
				slots[len++] = (uint16_t)i;
	return len;
}

/* Halve every positive weight, rounding up so none drops to 0.
 * Returns whether any weight changed (false once all are 1). */
static bool halve_weights(int32_t *w, uint32_t n)
{
	bool changed = false;

	for (uint32_t i = 0; i < n; i++) {
		if (w[i] > 1) {
			/* In 64 bits: w + 1 overflows at INT32_MAX. */
			w[i] = (int32_t)(((int64_t)w[i] + 1) / 2);
			changed = true;
		}
	}
	return changed;
}

uint32_t xvs_wrr_table(const int32_t *weights, uint32_t n, uint16_t *slots,
		       uint32_t max)
{
	int32_t w[XVS_SVC_MAX_DESTS];
	uint64_t len;

	if (n > XVS_SVC_MAX_DESTS)
		n = XVS_SVC_MAX_DESTS;
	for (uint32_t i = 0; i < n; i++)
		w[i] = weights[i];
	while ((len = wrr_cycle_len(w, n)) > max && halve_weights(w, n))
		;
	if (!len)
		return 0;
	if (len > max) {
		/* More positive dests than slots: every weight is 1 now, so
		 * the cycle is the positive dests in order; keep the first max. */
		uint32_t k = 0;

		for (uint32_t i = 0; i < n && k < max; i++)
			if (w[i] > 0)
				slots[k++] = (uint16_t)i;
		return k;
	}
	return wrr_fill(w, n, slots);
}

uint32_t xvs_sh_table(const int32_t *weights, uint32_t n, uint16_t *slots)
{
	uint32_t p = 0;
	int32_t taken = 0;

	if (n > XVS_SVC_MAX_DESTS)
		n = XVS_SVC_MAX_DESTS;
	if (!n)
		return 0;
	for (uint32_t b = 0; b < XVS_SCHED_HASH_SIZE; b++) {
		slots[b] = (uint16_t)p;
		/* IPVS moves on once ++count >= weight: weight 0 or 1 alike
		 * take one bucket. */
		if (++taken >= weights[p]) {
			p = p + 1 < n ? p + 1 : 0;
			taken = 0;
		}
	}
	return XVS_SCHED_HASH_SIZE;
}

uint32_t xvs_dh_table(uint32_t n, uint16_t *slots)
{
	if (n > XVS_SVC_MAX_DESTS)
		n = XVS_SVC_MAX_DESTS;
	if (!n)
		return 0;
	for (uint32_t b = 0; b < XVS_SCHED_HASH_SIZE; b++)
		slots[b] = (uint16_t)(b % n);
	return XVS_SCHED_HASH_SIZE;
}
