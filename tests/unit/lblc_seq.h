/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lblc_seq.h - fixed sequences of new connections for lblc and lblcr,
 * with hand-computed picks: tests/unit/test_lblc_ref.c runs them through
 * reference models, tests/bpf/test_director_lblc.c through the data
 * plane. Each step sets the dests' counts, weights, OVERLOAD flags and
 * membership, then one new connection arrives.
 */
#ifndef XVS_TESTS_LBLC_SEQ_H
#define XVS_TESTS_LBLC_SEQ_H

#include <stdint.h>

#define SEQ_NONE	(-1)
#define SEQ_NDEST	3

/* One step of a sequence: the dests' state, then one new connection. */
struct ref_step {
	const char *what;
	int32_t act[SEQ_NDEST], inact[SEQ_NDEST], weight[SEQ_NDEST];
	int overload[SEQ_NDEST], in_svc[SEQ_NDEST];
	int age_set;	/* lblcr: the set last changed more than a day ago */
	int want;	/* A=0, B=1, C=2 */
	int want_set[SEQ_NDEST + 1];	/* lblcr: the set after, newest first, SEQ_NONE-ended */
};

#define A 0	/* dest ids 1, 2, 3 in the data plane */
#define B 1
#define C 2
#define ALL { 1, 1, 1 }
#define NOF { 0, 0, 0 }
#define W221 { 2, 2, 1 }

/* lblc, A/B weight 2, C weight 1; hand-computed. */
static const struct ref_step lblc_seq[] = {
	{ "no cache: wlc, all idle: A", { 0, 0, 0 }, { 0, 0, 0 }, W221, NOF, ALL, 0, A, { SEQ_NONE } },
	{ "cached A, fine", { 0, 0, 0 }, { 1, 0, 0 }, W221, NOF, ALL, 0, A, { SEQ_NONE } },
	{ "A 3 > 2 and B 0 < 2/2: overloaded, wlc: B", { 3, 0, 0 }, NOF, W221, NOF, ALL, 0, B, { SEQ_NONE } },
	{ "B 3 > 2 and C 0 < 1/2: wlc: A 384 = B 384 > C 0: C",
	  { 3, 3, 0 }, NOF, W221, NOF, ALL, 0, C, { SEQ_NONE } },
	{ "C weight 0: wlc A 768/2 < B 769/2: A",
	  { 3, 3, 0 }, { 0, 1, 0 }, { 2, 2, 0 }, NOF, ALL, 0, A, { SEQ_NONE } },
	{ "A 5 > 2, B idle: wlc: B", { 5, 0, 0 }, NOF, { 2, 2, 0 }, NOF, ALL, 0, B, { SEQ_NONE } },
	{ "B 3 > 2 but nobody under half: stays B", { 5, 3, 0 }, NOF, { 2, 2, 0 }, NOF, ALL, 0, B, { SEQ_NONE } },
	{ "B has -x's OVERLOAD: lblc does not look: B", { 5, 3, 0 }, NOF, { 2, 2, 0 }, { 0, 1, 0 }, ALL, 0, B, { SEQ_NONE } },
	{ "B left the service: wlc over A: A", { 5, 3, 0 }, NOF, { 2, 2, 0 }, NOF, { 1, 0, 1 }, 0, A, { SEQ_NONE } },
};

/* lblcr, same dests. */
static const struct ref_step lblcr_seq[] = {
	{ "no set: wlc: A", NOF, NOF, W221, NOF, ALL, 0, A, { A, SEQ_NONE } },
	{ "set [A], fine", NOF, { 1, 0, 0 }, W221, NOF, ALL, 0, A, { A, SEQ_NONE } },
	{ "A overloaded: wlc B joins", { 3, 0, 0 }, NOF, W221, NOF, ALL, 0, B, { B, A, SEQ_NONE } },
	{ "min of [B A]: B 1/2 < A 768/2", { 3, 0, 0 }, { 0, 1, 0 }, W221, NOF, ALL, 0, B, { B, A, SEQ_NONE } },
	{ "min of [B A]: A 0 < B 256/2", { 0, 1, 0 }, NOF, W221, NOF, ALL, 0, A, { B, A, SEQ_NONE } },
	{ "a day unchanged: most loaded B leaves, A", { 0, 1, 0 }, NOF, W221, NOF, ALL, 1, A, { A, SEQ_NONE } },
	{ "A flagged OVERLOAD: no member, wlc: B joins", NOF, NOF, W221, { 1, 0, 0 }, ALL, 0, B, { B, A, SEQ_NONE } },
	{ "A left the service: min over B alone", NOF, { 0, 5, 0 }, W221, NOF, { 0, 1, 1 }, 0, B, { B, A, SEQ_NONE } },
	{ "equal loads: the newest member, B", NOF, NOF, W221, NOF, ALL, 0, B, { B, A, SEQ_NONE } },
};

#endif
