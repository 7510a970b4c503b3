// SPDX-License-Identifier: GPL-2.0
/*
 * test_lblc_ref.c - reference models of IPVS's locality schedulers lblc
 * and lblcr (net/netfilter/ipvs/ip_vs_lblc.c, ip_vs_lblcr.c), run through
 * fixed sequences of new connections with hand-computed picks.
 * tests/bpf/test_director_lblc.c runs the same sequences through the
 * data plane (bpf/lib/lblc.h).
 *
 * Semantics:
 * - wlc (both fall back to it): the least (active*256 + inactive) /
 *   weight among dests in the service with weight > 0 and no OVERLOAD
 *   flag, the first wins ties;
 * - overloaded (is_overloaded): active > weight while some dest of the
 *   service has active*2 < weight; the OVERLOAD flag of -x is not it;
 * - lblc: the cached dest of the address if it is still in the service
 *   with weight > 0 and not overloaded, else wlc's pick, cached;
 * - lblcr: the set's least loaded member (newest first, ties to the
 *   newest; skipping OVERLOAD-flagged and removed members, the first
 *   with weight > 0 seeds); a set of more than one unchanged for
 *   lblcr_expiration (24 h) loses its most loaded member (weight > 0);
 *   no member, or an overloaded one: wlc's pick joins the set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "lblc_seq.h"

#define NONE	SEQ_NONE
#define NDEST	SEQ_NDEST
#define SETMAX	8
#define EXPIRE	(24LL * 3600)	/* lblcr_expiration, seconds */

struct ref_dest {
	int32_t active, inactive, weight;
	int overload;		/* -x's flag */
	int in_svc;		/* in the service's list (AVAILABLE) */
};

static int64_t oh(const struct ref_dest *d)
{
	return (int64_t)d->active * 256 + d->inactive;
}

/* wlc, written as "no dest has a lower load, no earlier one an equal one". */
static int ref_wlc(const struct ref_dest *d, int n)
{
	for (int i = 0; i < n; i++) {
		int beaten = 0;

		if (!d[i].in_svc || d[i].weight <= 0 || d[i].overload)
			continue;
		for (int j = 0; j < n && !beaten; j++) {
			if (j == i || !d[j].in_svc || d[j].weight <= 0 || d[j].overload)
				continue;
			if (oh(&d[j]) * d[i].weight < oh(&d[i]) * d[j].weight ||
			    (j < i && oh(&d[j]) * d[i].weight == oh(&d[i]) * d[j].weight))
				beaten = 1;
		}
		if (!beaten)
			return i;
	}
	return NONE;
}

static int ref_overloaded(const struct ref_dest *d, int n, int i)
{
	if (d[i].active <= d[i].weight)
		return 0;
	for (int j = 0; j < n; j++)
		if (d[j].in_svc && (int64_t)d[j].active * 2 < d[j].weight)
			return 1;
	return 0;
}

/* lblc with its one-address cache (cached: a dest index or NONE). */
static int ref_lblc(int *cached, const struct ref_dest *d, int n)
{
	int pick;

	if (*cached != NONE) {
		const struct ref_dest *c = &d[*cached];

		if (c->in_svc && c->weight > 0 && !ref_overloaded(d, n, *cached))
			return *cached;
	}
	pick = ref_wlc(d, n);
	if (pick != NONE)
		*cached = pick;
	return pick;
}

/* An lblcr set: members newest first. */
struct ref_set {
	int n;
	int m[SETMAX];
	int64_t lastmod;
	int exists;
};

/* The least loaded usable member: the minimum, the newest among equals. */
static int ref_set_min(const struct ref_set *s, const struct ref_dest *d)
{
	int best = NONE;

	for (int k = 0; k < s->n; k++) {
		const struct ref_dest *x = &d[s->m[k]];

		if (x->overload || !x->in_svc)
			continue;
		if (best == NONE) {
			if (x->weight > 0)
				best = s->m[k];
			continue;
		}
		if (oh(&d[best]) * x->weight > oh(x) * d[best].weight)
			best = s->m[k];
	}
	return best;
}

/* The most loaded member with weight > 0; the newest among equals. */
static int ref_set_max(const struct ref_set *s, const struct ref_dest *d)
{
	int best = NONE;

	for (int k = 0; k < s->n; k++) {
		const struct ref_dest *x = &d[s->m[k]];

		if (x->weight <= 0)
			continue;
		if (best == NONE || oh(&d[best]) * x->weight < oh(x) * d[best].weight)
			best = s->m[k];
	}
	return best;
}

static void ref_set_add(struct ref_set *s, int dest, int64_t now)
{
	for (int k = 0; k < s->n; k++)
		if (s->m[k] == dest)
			return;
	for (int k = s->n; k > 0; k--)
		s->m[k] = s->m[k - 1];
	s->m[0] = dest;
	s->n++;
	s->lastmod = now;
}

static void ref_set_del(struct ref_set *s, int dest, int64_t now)
{
	int k = 0;

	while (k < s->n && s->m[k] != dest)
		k++;
	if (k == s->n)
		return;
	for (; k + 1 < s->n; k++)
		s->m[k] = s->m[k + 1];
	s->n--;
	s->lastmod = now;
}

static int ref_lblcr(struct ref_set *s, const struct ref_dest *d, int n, int64_t now)
{
	int pick;

	if (s->exists) {
		pick = ref_set_min(s, d);
		if (s->n > 1 && now - s->lastmod > EXPIRE) {
			int most = ref_set_max(s, d);

			if (most != NONE)
				ref_set_del(s, most, now);
		}
		if (pick != NONE && !ref_overloaded(d, n, pick))
			return pick;
		pick = ref_wlc(d, n);
		if (pick != NONE)
			ref_set_add(s, pick, now);
		return pick;
	}
	pick = ref_wlc(d, n);
	if (pick != NONE) {
		s->exists = 1;
		s->n = 0;
		ref_set_add(s, pick, now);
	}
	return pick;
}

static void load(struct ref_dest *d, const struct ref_step *s)
{
	for (int i = 0; i < NDEST; i++) {
		d[i].active = s->act[i];
		d[i].inactive = s->inact[i];
		d[i].weight = s->weight[i];
		d[i].overload = s->overload[i];
		d[i].in_svc = s->in_svc[i];
	}
}

static void test_lblc_sequence(void **st)
{
	struct ref_dest d[NDEST];
	int cached = NONE;

	(void)st;
	for (size_t i = 0; i < sizeof(lblc_seq) / sizeof(lblc_seq[0]); i++) {
		int got;

		load(d, &lblc_seq[i]);
		got = ref_lblc(&cached, d, NDEST);
		if (got != lblc_seq[i].want)
			fprintf(stderr, "lblc step %zu (%s): got %d\n", i, lblc_seq[i].what, got);
		assert_int_equal(got, lblc_seq[i].want);
	}
}

static void test_lblcr_sequence(void **st)
{
	struct ref_set set = { 0 };
	struct ref_dest d[NDEST];
	int64_t now = 100000;

	(void)st;
	for (size_t i = 0; i < sizeof(lblcr_seq) / sizeof(lblcr_seq[0]); i++) {
		const struct ref_step *s = &lblcr_seq[i];
		int got, k;

		now += 1;
		load(d, s);
		if (s->age_set)
			set.lastmod = now - EXPIRE - 3600;
		got = ref_lblcr(&set, d, NDEST, now);
		if (got != s->want)
			fprintf(stderr, "lblcr step %zu (%s): got %d\n", i, s->what, got);
		assert_int_equal(got, s->want);
		for (k = 0; s->want_set[k] != NONE; k++)
			assert_int_equal(set.m[k], s->want_set[k]);
		assert_int_equal(set.n, k);
	}
}

/* No eligible dest: neither picks, and lblcr makes no set. */
static void test_none(void **st)
{
	struct ref_dest d[NDEST] = {
		{ 0, 0, 0, 0, 1 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 0, 0 },
	};
	struct ref_set set = { 0 };
	int cached = NONE;

	(void)st;
	assert_int_equal(ref_lblc(&cached, d, NDEST), NONE);
	assert_int_equal(cached, NONE);
	assert_int_equal(ref_lblcr(&set, d, NDEST, 1), NONE);
	assert_false(set.exists);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lblc_sequence),
		cmocka_unit_test(test_lblcr_sequence),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
