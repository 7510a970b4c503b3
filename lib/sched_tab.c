// SPDX-License-Identifier: GPL-2.0
/* sched_tab.c - precomputed scheduler tables, see sched_tab.h. */
#include <stdbool.h>
#include <errno.h>
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

#define MH_SEED1 0x6d682d6f66667365ull	/* "mh-offse": offset */
#define MH_SEED2 0x6d682d736b697070ull	/* "mh-skipp": skip */
#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

uint64_t xvs_mh_dest_hash(const uint8_t *addr, uint16_t port, uint64_t seed)
{
	const uint8_t *pb = (const uint8_t *)&port;
	uint64_t h = FNV64_OFFSET;

	for (int i = 0; i < 8; i++)
		h = (h ^ ((seed >> (8 * i)) & 0xff)) * FNV64_PRIME;
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * FNV64_PRIME;
	for (int i = 0; i < 2; i++)
		h = (h ^ pb[i]) * FNV64_PRIME;
	/* FNV-1a's low bits mix poorly for short inputs; fold the high half
	 * in before the caller's modulo. */
	return h ^ (h >> 29) ^ (h >> 47);
}

/* Index of the highest set bit, 1-based (the kernel's fls()); 0 for 0. */
static int fls32(uint32_t x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

int32_t xvs_mh_table(const struct xvs_mh_dest *dests, uint32_t n, uint16_t *slots)
{
	const uint32_t m = XVS_SCHED_MH_SIZE;
	uint32_t offset[XVS_SVC_MAX_DESTS], skip[XVS_SVC_MAX_DESTS];
	uint32_t next[XVS_SVC_MAX_DESTS], turns[XVS_SVC_MAX_DESTS];
	int32_t di = 0, maxw = 0;
	uint32_t filled = 0;
	int rshift;
	bool *used;

	if (n > XVS_SVC_MAX_DESTS)
		n = XVS_SVC_MAX_DESTS;
	for (uint32_t i = 0; i < n; i++) {
		if (dests[i].weight <= 0)
			continue;
		di = gcd(dests[i].weight, di);
		if (dests[i].weight > maxw)
			maxw = dests[i].weight;
	}
	if (!di)
		return 0;
	/* IPVS bounds the turns so a big weight does not starve the others
	 * of the round robin: at most 6 significant bits of maxw / gcd. */
	rshift = fls32((uint32_t)(maxw / di)) - 6;
	if (rshift < 0)
		rshift = 0;
	for (uint32_t i = 0; i < n; i++) {
		int32_t w = dests[i].weight > 0 ? dests[i].weight : 0;

		turns[i] = (uint32_t)(w / di) >> rshift;
		if (!turns[i] && w)
			turns[i] = 1;
		offset[i] = (uint32_t)(xvs_mh_dest_hash(dests[i].addr, dests[i].port,
							MH_SEED1) % m);
		skip[i] = (uint32_t)(xvs_mh_dest_hash(dests[i].addr, dests[i].port,
						      MH_SEED2) % (m - 1)) + 1;
		next[i] = 0;
	}
	used = calloc(m, sizeof(*used));
	if (!used)
		return -ENOMEM;
	/* Every positive dest takes at least one slot per round, so this
	 * ends; m is prime, so each preference list visits every slot. */
	while (filled < m) {
		for (uint32_t i = 0; i < n && filled < m; i++) {
			for (uint32_t t = 0; t < turns[i] && filled < m; t++) {
				uint32_t c;

				do {
					c = (uint32_t)(((uint64_t)offset[i] +
							(uint64_t)next[i] * skip[i]) % m);
					next[i]++;
				} while (used[c]);
				used[c] = true;
				slots[c] = (uint16_t)i;
				filled++;
			}
		}
	}
	free(used);
	return (int32_t)m;
}
