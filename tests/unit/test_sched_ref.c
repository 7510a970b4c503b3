// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_ref.c - reference models of IPVS's count-driven schedulers
 * (lc, wlc, sed, nq, fo, ovf), checked against hand-computed picks.
 *
 * The data plane's versions (bpf/lib/sched.h) are one-pass bpf_loop
 * scans; these models are written from the algorithms instead, mostly as
 * "the first dest that reaches the minimum (maximum)", so that they
 * document the semantics in a second form. tests/bpf/test_director_sched2.c
 * runs the same states and sequences through the real program.
 *
 * Semantics, from net/netfilter/ipvs/ip_vs_{lc,wlc,sed,nq,fo,ovf}.c:
 * - eligible: weight > 0 and not OVERLOADED (all six);
 * - lc: least active*256 + inactive (ip_vs_dest_conn_overhead), weight
 *   ignored, first wins ties (strict <);
 * - wlc: least (active*256 + inactive) / weight, compared as
 *   loh*w_d > doh*w_least, first wins ties;
 * - sed: as wlc with overhead active + 1 (inactive ignored);
 * - nq: the first eligible dest with no active connection, else as sed;
 * - fo: the highest weight, first wins ties (strict >);
 * - ovf: as fo, among dests with active <= weight (IPVS skips a dest
 *   when activeconns > weight).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#define NONE	(-1)	/* no eligible dest */
#define MAXD	8

/* One dest's state as a scheduler sees it. */
struct ref_dest {
	int32_t active;
	int32_t inactive;
	int32_t weight;
	int overload;
};

enum ref_sched { REF_LC, REF_WLC, REF_SED, REF_NQ, REF_FO, REF_OVF };

static int ref_eligible(const struct ref_dest *d)
{
	return d->weight > 0 && !d->overload;
}

/* The load of d as a fraction num/den, per scheduler. */
static void ref_load(enum ref_sched k, const struct ref_dest *d,
		     int64_t *num, int64_t *den)
{
	switch (k) {
	case REF_LC:
		*num = (int64_t)d->active * 256 + d->inactive;
		*den = 1;
		break;
	case REF_WLC:
		*num = (int64_t)d->active * 256 + d->inactive;
		*den = d->weight;
		break;
	default:	/* sed, nq */
		*num = (int64_t)d->active + 1;
		*den = d->weight;
		break;
	}
}

/* a/b < c/d for positive denominators, exactly. */
static int frac_lt(int64_t a, int64_t b, int64_t c, int64_t d)
{
	return a * d < c * b;
}

/* Least-load schedulers: the first dest whose load no other beats. */
static int ref_least(enum ref_sched k, const struct ref_dest *d, int n)
{
	int best = NONE;

	if (k == REF_NQ)
		for (int i = 0; i < n; i++)
			if (ref_eligible(&d[i]) && d[i].active == 0)
				return i;
	for (int i = 0; i < n; i++) {
		int64_t ni, di, nj, dj;
		int beaten = 0;

		if (!ref_eligible(&d[i]))
			continue;
		ref_load(k, &d[i], &ni, &di);
		/* Beaten by a strictly lower load anywhere, or an equal one
		 * earlier in the list. */
		for (int j = 0; j < n && !beaten; j++) {
			if (j == i || !ref_eligible(&d[j]))
				continue;
			ref_load(k, &d[j], &nj, &dj);
			if (frac_lt(nj, dj, ni, di) ||
			    (j < i && !frac_lt(ni, di, nj, dj)))
				beaten = 1;
		}
		if (!beaten) {
			best = i;
			break;
		}
	}
	return best;
}

/* Highest-weight schedulers: the first dest with the maximum weight. */
static int ref_maxw(enum ref_sched k, const struct ref_dest *d, int n)
{
	int32_t maxw = 0;

	for (int i = 0; i < n; i++) {
		if (!ref_eligible(&d[i]))
			continue;
		if (k == REF_OVF && d[i].active > d[i].weight)
			continue;
		if (d[i].weight > maxw)
			maxw = d[i].weight;
	}
	for (int i = 0; i < n && maxw; i++)
		if (ref_eligible(&d[i]) && d[i].weight == maxw &&
		    !(k == REF_OVF && d[i].active > d[i].weight))
			return i;
	return NONE;
}

/* The index of the dest sched k picks among d[0..n), or NONE. */
static int ref_pick(enum ref_sched k, const struct ref_dest *d, int n)
{
	return k == REF_FO || k == REF_OVF ? ref_maxw(k, d, n) : ref_least(k, d, n);
}

/* One fixed state and the pick each scheduler must make in it. */
struct ref_case {
	const char *what;
	int n;
	struct ref_dest d[MAXD];
	int want[REF_OVF + 1];	/* by enum ref_sched */
};

#define W(a, i, w)	{ (a), (i), (w), 0 }
#define OVL(a, i, w)	{ (a), (i), (w), 1 }

/*
 * Hand-computed. Columns: lc wlc sed nq fo ovf. Dests are A=0, B=1, C=2.
 */
static const struct ref_case cases[] = {
	{ "all idle, equal weights: ties keep the first",
	  3, { W(0, 0, 1), W(0, 0, 1), W(0, 0, 1) },
	  { 0, 0, 0, 0, 0, 0 } },
	{ "A 1 active = 256 > B 255 inactive; C 300",
	  3, { W(1, 0, 1), W(0, 255, 1), W(0, 300, 1) },
	  /* lc/wlc: B 255. sed: A 2, B 1, C 1 -> B. nq: B idle first.
	   * fo: tie -> A. ovf: A 1 <= 1 -> A. */
	  { 1, 1, 1, 1, 0, 0 } },
	{ "256 vs 256 ties keep the earlier",
	  2, { W(1, 0, 1), W(0, 256, 1) },
	  /* sed: A 2/1, B 1/1 -> B; nq: B idle. */
	  { 0, 0, 1, 1, 0, 0 } },
	{ "lc ignores weight, wlc does not",
	  2, { W(0, 10, 1), W(0, 11, 100) },
	  /* lc 10 < 11 -> A; wlc 10/1 vs 11/100 -> B; sed 1/1 vs 1/100 -> B;
	   * nq: A idle, first; fo/ovf: B weight 100. */
	  { 0, 1, 1, 0, 1, 1 } },
	{ "sed and nq ignore inactive connections",
	  2, { W(0, 1000, 1), W(0, 0, 1) },
	  /* lc/wlc: B; sed 1 vs 1 -> A; nq: A idle. */
	  { 1, 1, 0, 0, 0, 0 } },
	{ "weighted: products compared, ties to the earlier",
	  3, { W(2, 0, 3), W(0, 0, 1), W(0, 0, 2) },
	  /* lc: 512,0,0 -> B. wlc: 512/3, 0, 0 -> B. sed: 3/3=1, 1/1=1,
	   * 1/2 -> C. nq: B idle first. fo: A weight 3. ovf: A 2 <= 3. */
	  { 1, 1, 2, 1, 0, 0 } },
	{ "nq: an idle dest beats a lower expected delay",
	  2, { W(1, 0, 10), W(0, 0, 1) },
	  /* sed: A 2/10 < B 1/1 -> A; nq: B idle. wlc: 256/10 vs 0 -> B. */
	  { 1, 1, 0, 1, 0, 0 } },
	{ "nq: no idle dest, then as sed",
	  3, { W(3, 0, 2), W(2, 0, 1), W(5, 0, 4) },
	  /* sed/nq: 4/2=2, 3/1=3, 6/4=1.5 -> C. lc: 768,512,1280 -> B.
	   * wlc: 384, 512, 320 -> C. fo: C weight 4. ovf: A 3 > 2 out,
	   * B 2 > 1 out, C 5 > 4 out -> none. */
	  { 1, 2, 2, 2, 2, NONE } },
	{ "weight 0 skipped even when idle",
	  3, { W(0, 0, 0), W(2, 0, 1), W(1, 0, 1) },
	  /* lc 512 vs 256 -> C; sed 3 vs 2 -> C; nq: A is not eligible, no
	   * idle, C. fo: B and C tie -> B. ovf: B 2 > 1 out, C 1 <= 1. */
	  { 2, 2, 2, 2, 1, 2 } },
	{ "OVERLOAD skipped even when idle and heaviest",
	  3, { OVL(0, 0, 5), W(2, 0, 1), W(1, 0, 1) },
	  { 2, 2, 2, 2, 1, 2 } },
	{ "fo: highest weight whatever its load",
	  3, { W(0, 0, 1), W(1000, 1000, 3), W(0, 0, 2) },
	  /* lc/wlc: A 0 (tie with C, first). sed: 1/1, 1001/3, 1/2 -> C.
	   * nq: A idle. ovf: B 1000 > 3 out -> C weight 2. */
	  { 0, 0, 2, 0, 1, 2 } },
	{ "ovf: active == weight still takes one more",
	  2, { W(3, 0, 3), W(0, 0, 2) },
	  /* lc/wlc: B 0. sed: 4/3 vs 1/2 -> B. */
	  { 1, 1, 1, 1, 0, 0 } },
	{ "ovf: active > weight overflows to the next weight",
	  3, { W(4, 0, 3), W(2, 0, 2), W(3, 0, 2) },
	  /* lc 1024, 512, 768 -> B. wlc 1024/3=341, 256, 384 -> B.
	   * sed 5/3, 3/2, 4/2 -> B. fo: A. ovf: A out, B 2 <= 2, C out. */
	  { 1, 1, 1, 1, 0, 1 } },
	{ "nothing eligible",
	  2, { W(0, 0, 0), OVL(0, 0, 1) },
	  { NONE, NONE, NONE, NONE, NONE, NONE } },
};

static const char *const sched_names[] = { "lc", "wlc", "sed", "nq", "fo", "ovf" };

static void test_fixed_states(void **st)
{
	int bad = 0;

	(void)st;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (int k = REF_LC; k <= REF_OVF; k++) {
			int got = ref_pick(k, cases[c].d, cases[c].n);

			if (got != cases[c].want[k]) {
				fprintf(stderr, "%s, %s: picked %d, want %d\n",
					cases[c].what, sched_names[k], got,
					cases[c].want[k]);
				bad++;
			}
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * Run sched k for len new connections from state d: each pick becomes
 * one active connection (it is established at once), as in
 * test_director_sched2.c. Compare the picks with want.
 */
static void run_seq(enum ref_sched k, struct ref_dest *d, int n,
		    const int *want, int len)
{
	for (int i = 0; i < len; i++) {
		int got = ref_pick(k, d, n);

		if (got != want[i])
			fprintf(stderr, "%s: connection %d picked %d, want %d\n",
				sched_names[k], i, got, want[i]);
		assert_int_equal(got, want[i]);
		if (got != NONE)
			d[got].active++;
	}
}

/* sed with weights 1, 2: A:B expected delays 1:0.5, 1:1, 2:1, 2:1.5, 2:2 ... */
static void test_seq_sed(void **st)
{
	struct ref_dest d[] = { W(0, 0, 1), W(0, 0, 2) };
	static const int want[] = { 1, 0, 1, 1, 0, 1, 1, 0 };

	(void)st;
	run_seq(REF_SED, d, 2, want, 8);
}

/* nq with weights 1, 2: both idle dests first (A, B), then as sed. */
static void test_seq_nq(void **st)
{
	struct ref_dest d[] = { W(0, 0, 1), W(0, 0, 2) };
	static const int want[] = { 0, 1, 1, 1, 0, 1, 1, 0 };

	(void)st;
	run_seq(REF_NQ, d, 2, want, 8);
}

/*
 * ovf with weights 2, 1, 2: each dest takes weight + 1 connections
 * (active <= weight before the pick), heaviest first, ties in list
 * order: A A A, C C C, B B, then none.
 */
static void test_seq_ovf(void **st)
{
	struct ref_dest d[] = { W(0, 0, 2), W(0, 0, 1), W(0, 0, 2) };
	static const int want[] = { 0, 0, 0, 2, 2, 2, 1, 1, NONE };

	(void)st;
	run_seq(REF_OVF, d, 3, want, 9);
}

/* lc: active connections outweigh inactive 256 to 1; ties in order. */
static void test_seq_lc(void **st)
{
	struct ref_dest d[] = { W(0, 0, 1), W(0, 300, 1), W(0, 255, 1) };
	/* A 0 -> A; A 256 vs B 300 vs C 255 -> C; C 511 -> A 256 ... */
	static const int want[] = { 0, 2, 0, 1, 2, 0 };

	(void)st;
	run_seq(REF_LC, d, 3, want, 6);
}

/* fo: load never matters; the weight order does. */
static void test_seq_fo(void **st)
{
	struct ref_dest d[] = { W(0, 0, 1), W(0, 0, 3), W(0, 0, 3) };
	static const int want[] = { 1, 1, 1, 1 };

	(void)st;
	run_seq(REF_FO, d, 3, want, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_states),
		cmocka_unit_test(test_seq_sed),
		cmocka_unit_test(test_seq_nq),
		cmocka_unit_test(test_seq_ovf),
		cmocka_unit_test(test_seq_lc),
		cmocka_unit_test(test_seq_fo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
