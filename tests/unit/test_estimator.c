// SPDX-License-Identifier: GPL-2.0
/*
 * test_estimator.c - the IPVS rate estimator (lib/estimator.c) against
 * the kernel's arithmetic (ip_vs_est.c): every 2 s, rate = delta << 9
 * (bytes: << 4), avg += (rate - avg) >> 2, read as (avg + 0x1FF) >> 10
 * (bytes: (avg + 0xF) >> 5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "estimator.h"

/* The kernel's estimator for one counter, written out again here. */
struct ref_est {
	int64_t avg;
	uint64_t last;
	int shift;	/* 9 for counts, 4 for bytes */
};

static void ref_update(struct ref_est *r, uint64_t now)
{
	int64_t rate = (int64_t)((now - r->last) << r->shift);

	r->last = now;
	/* >> of a negative s64 is arithmetic, as in the kernel. */
	r->avg += (rate - r->avg) >> 2;
}

static uint64_t ref_read(const struct ref_est *r)
{
	if (r->shift == 9)
		return (uint64_t)(r->avg + 0x1FF) >> 10;
	return (uint64_t)(r->avg + 0xF) >> 5;
}

/* Advance every counter of st by its per-second rate times 2 s. */
static void tick(struct xvs_stats *st, uint64_t cps, uint64_t inpps,
		 uint64_t outpps, uint64_t inbps, uint64_t outbps)
{
	st->conns += cps * XVS_EST_INTERVAL_S;
	st->inpkts += inpps * XVS_EST_INTERVAL_S;
	st->outpkts += outpps * XVS_EST_INTERVAL_S;
	st->inbytes += inbps * XVS_EST_INTERVAL_S;
	st->outbytes += outbps * XVS_EST_INTERVAL_S;
}

static void test_reset(void **s)
{
	struct xvs_stats now = { 0 };
	struct xvs_ctl_rate r;
	struct xvs_est e;

	(void)s;
	memset(&e, 0x5a, sizeof(e));
	now.conns = 100;
	now.inpkts = 2000;
	now.outpkts = 1000;
	now.inbytes = 3000000;
	now.outbytes = 4000000;
	xvs_est_reset(&e, &now);
	assert_memory_equal(&e.last, &now, sizeof(now));
	assert_int_equal(e.cps, 0);
	assert_int_equal(e.inpps, 0);
	assert_int_equal(e.outpps, 0);
	assert_int_equal(e.inbps, 0);
	assert_int_equal(e.outbps, 0);
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, 0);
	assert_int_equal(r.inpps, 0);
	assert_int_equal(r.outpps, 0);
	assert_int_equal(r.inbps, 0);
	assert_int_equal(r.outbps, 0);

	/* No traffic since the reset: still 0, not the old totals. */
	xvs_est_update(&e, &now);
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, 0);
	assert_int_equal(r.inbps, 0);
}

static void test_first_update(void **s)
{
	struct xvs_stats now = { 0 };
	struct xvs_ctl_rate r;
	struct xvs_est e;

	(void)s;
	xvs_est_reset(&e, &now);
	/* Per second: 4 conns, 1000 in pkts, 1 out pkt, 1000 and 7 bytes. */
	tick(&now, 4, 1000, 1, 1000, 7);
	xvs_est_update(&e, &now);
	/* avg = rate / 4 = (per-second << 10) / 4 = per-second << 8. */
	assert_int_equal(e.cps, 4 << 8);
	assert_int_equal(e.inpps, 1000 << 8);
	assert_int_equal(e.outpps, 1 << 8);
	assert_int_equal(e.inbps, 1000 << 3);
	assert_int_equal(e.outbps, 7 << 3);
	assert_memory_equal(&e.last, &now, sizeof(now));
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, (1024 + 0x1FF) >> 10);		/* 1 */
	assert_int_equal(r.inpps, (256000 + 0x1FF) >> 10);	/* 250 */
	assert_int_equal(r.outpps, (256 + 0x1FF) >> 10);	/* 0 */
	assert_int_equal(r.inbps, (8000 + 0xF) >> 5);		/* 250 */
	assert_int_equal(r.outbps, (56 + 0xF) >> 5);		/* 2 */
	assert_int_equal(r.cps, 1);
	assert_int_equal(r.inpps, 250);
	assert_int_equal(r.outpps, 0);
	assert_int_equal(r.inbps, 250);
	assert_int_equal(r.outbps, 2);
}

/*
 * Feed constant per-second rates for many intervals; after every update
 * the estimator must agree with the reference exactly, and at the end it
 * must report the rates themselves.
 */
static void run_constant(uint64_t cps, uint64_t inpps, uint64_t outpps,
			 uint64_t inbps, uint64_t outbps, int intervals)
{
	struct xvs_stats now = { .conns = 7, .inpkts = 11, .outpkts = 13,
				 .inbytes = 17, .outbytes = 19 };
	struct ref_est rc = { .last = 7, .shift = 9 };
	struct ref_est ri = { .last = 11, .shift = 9 };
	struct ref_est ro = { .last = 13, .shift = 9 };
	struct ref_est rib = { .last = 17, .shift = 4 };
	struct ref_est rob = { .last = 19, .shift = 4 };
	struct xvs_ctl_rate r;
	struct xvs_est e;

	xvs_est_reset(&e, &now);
	for (int i = 0; i < intervals; i++) {
		tick(&now, cps, inpps, outpps, inbps, outbps);
		xvs_est_update(&e, &now);
		ref_update(&rc, now.conns);
		ref_update(&ri, now.inpkts);
		ref_update(&ro, now.outpkts);
		ref_update(&rib, now.inbytes);
		ref_update(&rob, now.outbytes);
		assert_int_equal(e.cps, rc.avg);
		assert_int_equal(e.inpps, ri.avg);
		assert_int_equal(e.outpps, ro.avg);
		assert_int_equal(e.inbps, rib.avg);
		assert_int_equal(e.outbps, rob.avg);
		xvs_est_read(&e, &r);
		assert_int_equal(r.cps, ref_read(&rc));
		assert_int_equal(r.inpps, ref_read(&ri));
		assert_int_equal(r.outpps, ref_read(&ro));
		assert_int_equal(r.inbps, ref_read(&rib));
		assert_int_equal(r.outbps, ref_read(&rob));
	}
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, cps);
	assert_int_equal(r.inpps, inpps);
	assert_int_equal(r.outpps, outpps);
	assert_int_equal(r.inbps, inbps);
	assert_int_equal(r.outbps, outbps);
}

static void test_converges(void **s)
{
	(void)s;
	run_constant(1, 1, 1, 1, 1, 100);
	run_constant(100, 5000, 4000, 1250000, 60000000, 200);
	run_constant(0, 3, 0, 0, 100, 100);
	run_constant(123457, 1000003, 999999, 1000000007, 12345678901ull, 300);
}

static void test_converged_avg(void **s)
{
	struct xvs_stats now = { 0 };
	struct xvs_est e;

	(void)s;
	/*
	 * From below, avg stops where (rate - avg) >> 2 is 0: within 3 of
	 * rate. With 10 conns/s, rate = 10 << 10 = 10240.
	 */
	xvs_est_reset(&e, &now);
	for (int i = 0; i < 200; i++) {
		tick(&now, 10, 0, 0, 1000, 0);
		xvs_est_update(&e, &now);
	}
	assert_true(e.cps <= 10240 && e.cps >= 10240 - 3);
	assert_true(e.inbps <= 32000 && e.inbps >= 32000 - 3);
}

static void test_decays_to_zero(void **s)
{
	struct xvs_stats now = { 0 };
	struct xvs_ctl_rate r;
	struct xvs_est e;

	(void)s;
	xvs_est_reset(&e, &now);
	for (int i = 0; i < 100; i++) {
		tick(&now, 50, 50, 50, 50000, 50000);
		xvs_est_update(&e, &now);
	}
	/*
	 * Traffic stops: avg += (0 - avg) >> 2 rounds toward -inf, so the
	 * average reaches exactly 0 rather than sticking at 1..3.
	 */
	for (int i = 0; i < 200; i++)
		xvs_est_update(&e, &now);
	assert_int_equal(e.cps, 0);
	assert_int_equal(e.inpps, 0);
	assert_int_equal(e.outpps, 0);
	assert_int_equal(e.inbps, 0);
	assert_int_equal(e.outbps, 0);
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, 0);
	assert_int_equal(r.outbps, 0);
}

static void test_step_down_matches_ref(void **s)
{
	struct xvs_stats now = { 0 };
	struct ref_est rc = { .shift = 9 }, rb = { .shift = 4 };
	struct xvs_ctl_rate r;
	struct xvs_est e;

	(void)s;
	xvs_est_reset(&e, &now);
	/* High, then low: the negative (rate - avg) path. */
	for (int i = 0; i < 120; i++) {
		uint64_t c = i < 60 ? 1000 : 3, b = i < 60 ? 9999999 : 77;

		tick(&now, c, 0, 0, b, 0);
		xvs_est_update(&e, &now);
		ref_update(&rc, now.conns);
		ref_update(&rb, now.inbytes);
		assert_int_equal(e.cps, rc.avg);
		assert_int_equal(e.inbps, rb.avg);
	}
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, 3);
	assert_int_equal(r.inbps, 77);
}

static void test_reset_after_traffic(void **s)
{
	struct xvs_stats now = { 0 };
	struct xvs_ctl_rate r;
	struct xvs_est e;

	(void)s;
	xvs_est_reset(&e, &now);
	for (int i = 0; i < 50; i++) {
		tick(&now, 20, 20, 20, 2000, 2000);
		xvs_est_update(&e, &now);
	}
	/* -Z: counters go to 0 and the estimator restarts from them. */
	memset(&now, 0, sizeof(now));
	xvs_est_reset(&e, &now);
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, 0);
	assert_int_equal(r.inbps, 0);
	tick(&now, 8, 8, 8, 800, 800);
	xvs_est_update(&e, &now);
	/* First update after reset: avg = per-second << 8 (bytes << 3). */
	assert_int_equal(e.cps, 8 << 8);
	assert_int_equal(e.inbps, 800 << 3);
	xvs_est_read(&e, &r);
	assert_int_equal(r.cps, (2048 + 0x1FF) >> 10);
	assert_int_equal(r.inbps, (6400 + 0xF) >> 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_first_update),
		cmocka_unit_test(test_converges),
		cmocka_unit_test(test_converged_avg),
		cmocka_unit_test(test_decays_to_zero),
		cmocka_unit_test(test_step_down_matches_ref),
		cmocka_unit_test(test_reset_after_traffic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
