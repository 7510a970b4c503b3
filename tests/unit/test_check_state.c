// SPDX-License-Identifier: GPL-2.0
/*
 * test_check_state.c - keepalived's health-check rules (lib/check_state.c):
 * retries before a verdict, alpha, MISC_CHECK exit codes with and without
 * misc_dynamic, quorum with hysteresis, the dest plan with
 * inhibit_on_failure and the sorry server, and dynamic weights.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "check_state.h"

static const struct xvs_chk_timing timing = {
	.delay_loop_us = 6000000, .delay_before_retry_us = 3000000, .retry = 2,
};

/* An up checker goes down only after retry failed re-tries. */
static void test_retry_then_down(void **st)
{
	struct xvs_chk_fsm f;
	uint64_t next;

	(void)st;
	xvs_chk_fsm_init(&f, false);
	assert_true(f.up);
	assert_int_equal(xvs_chk_fsm_result(&f, true, &timing, &next), XVS_CHK_SAME);
	assert_int_equal(next, timing.delay_loop_us);
	assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_SAME);
	assert_int_equal(next, timing.delay_before_retry_us);
	assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_SAME);
	assert_int_equal(next, timing.delay_before_retry_us);
	assert_true(f.up);
	assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_WENT_DOWN);
	assert_int_equal(next, timing.delay_loop_us);
	assert_false(f.up);
	/* Down: every failure waits delay_loop, no retries. */
	assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_SAME);
	assert_int_equal(next, timing.delay_loop_us);
	/* One success brings it back. */
	assert_int_equal(xvs_chk_fsm_result(&f, true, &timing, &next), XVS_CHK_WENT_UP);
	assert_true(f.up);
}

/* A success between failures resets the retry count. */
static void test_success_resets_retries(void **st)
{
	struct xvs_chk_fsm f;
	uint64_t next;

	(void)st;
	xvs_chk_fsm_init(&f, false);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_SAME);
		assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_SAME);
		assert_int_equal(xvs_chk_fsm_result(&f, true, &timing, &next), XVS_CHK_SAME);
	}
	assert_true(f.up);
}

/* retry 0 (MISC_CHECK's default): the first failure is the verdict. */
static void test_retry_zero(void **st)
{
	struct xvs_chk_timing t = timing;
	struct xvs_chk_fsm f;
	uint64_t next;

	(void)st;
	t.retry = 0;
	xvs_chk_fsm_init(&f, false);
	assert_int_equal(xvs_chk_fsm_result(&f, false, &t, &next), XVS_CHK_WENT_DOWN);
}

/* alpha: down from the start; the first success is a change. */
static void test_alpha(void **st)
{
	struct xvs_chk_fsm f;
	uint64_t next;

	(void)st;
	xvs_chk_fsm_init(&f, true);
	assert_false(f.up);
	/* Not yet run: failures are retried before the first verdict. */
	assert_int_equal(xvs_chk_fsm_result(&f, false, &timing, &next), XVS_CHK_SAME);
	assert_int_equal(next, timing.delay_before_retry_us);
	assert_int_equal(xvs_chk_fsm_result(&f, true, &timing, &next), XVS_CHK_WENT_UP);
	assert_true(f.up);
}

static void test_misc_exit(void **st)
{
	struct xvs_misc_verdict v;

	(void)st;
	v = xvs_misc_exit_verdict(W_EXITCODE(0, 0), false);
	assert_true(v.ok);
	assert_false(v.set_weight);
	v = xvs_misc_exit_verdict(W_EXITCODE(1, 0), false);
	assert_false(v.ok);
	v = xvs_misc_exit_verdict(W_EXITCODE(7, 0), false);
	assert_false(v.ok);			/* not dynamic: non-zero is down */
	v = xvs_misc_exit_verdict(W_EXITCODE(0, 0), true);
	assert_true(v.ok);
	assert_false(v.set_weight);		/* 0: weight unchanged */
	v = xvs_misc_exit_verdict(W_EXITCODE(1, 0), true);
	assert_false(v.ok);
	v = xvs_misc_exit_verdict(W_EXITCODE(2, 0), true);
	assert_true(v.ok);
	assert_true(v.set_weight);
	assert_int_equal(v.weight, 0);
	v = xvs_misc_exit_verdict(W_EXITCODE(12, 0), true);
	assert_int_equal(v.weight, 10);
	v = xvs_misc_exit_verdict(W_EXITCODE(255, 0), true);
	assert_int_equal(v.weight, 253);
	/* Killed (the timeout's SIGKILL): down, dynamic or not. */
	v = xvs_misc_exit_verdict(SIGKILL, true);
	assert_false(v.ok);
	assert_false(v.set_weight);
}

static void test_quorum_hysteresis(void **st)
{
	(void)st;
	/* quorum 10, hysteresis 2: gained at >= 12, lost below 8. */
	assert_false(xvs_quorum_next(false, 11, 10, 2));
	assert_true(xvs_quorum_next(false, 12, 10, 2));
	assert_true(xvs_quorum_next(true, 8, 10, 2));
	assert_false(xvs_quorum_next(true, 7, 10, 2));
	assert_false(xvs_quorum_next(false, 9, 10, 2));
	/* Defaults quorum 1, hysteresis 0: any live weight. */
	assert_true(xvs_quorum_next(false, 1, 1, 0));
	assert_false(xvs_quorum_next(true, 0, 1, 0));
	/* hysteresis above quorum: never lost (no negative underflow). */
	assert_true(xvs_quorum_next(true, 0, 1, 5));
}

static void test_plan(void **st)
{
	struct xvs_rs_view rs[3] = {
		{ .alive = true, .weight = 5 },
		{ .alive = false, .weight = 3 },
		{ .alive = false, .inhibit = true, .weight = 4 },
	};
	struct xvs_dest_plan p[3], sorry;

	(void)st;
	/* Quorum up: live in, dead out, dead+inhibit at weight 0; no sorry. */
	xvs_vs_plan(rs, 3, true, true, 1, false, p, &sorry);
	assert_true(p[0].present);
	assert_int_equal(p[0].weight, 5);
	assert_false(p[1].present);
	assert_true(p[2].present);
	assert_int_equal(p[2].weight, 0);
	assert_false(sorry.present);
	/* sorry_server_inhibit: the sorry server waits at weight 0. */
	xvs_vs_plan(rs, 3, true, true, 1, true, p, &sorry);
	assert_true(sorry.present);
	assert_int_equal(sorry.weight, 0);
	/* Quorum lost with a sorry server: it replaces the pool. */
	xvs_vs_plan(rs, 3, false, true, 7, false, p, &sorry);
	assert_false(p[0].present);
	assert_false(p[1].present);
	assert_true(p[2].present);
	assert_int_equal(p[2].weight, 0);
	assert_true(sorry.present);
	assert_int_equal(sorry.weight, 7);
	/* Quorum lost, no sorry server: the live servers keep serving. */
	xvs_vs_plan(rs, 3, false, false, 0, false, p, &sorry);
	assert_true(p[0].present);
	assert_int_equal(p[0].weight, 5);
	assert_false(sorry.present);
}

static void test_dynamic_weight(void **st)
{
	int dyn[3] = { 10, 0, 20 };
	bool set[3] = { true, false, false };

	(void)st;
	/* One dynamic checker sets the weight outright. */
	assert_int_equal(xvs_rs_weight(3, dyn, set, 3), 10);
	/* Two move it by their differences: 3 + (10-3) + (20-3) = 27. */
	set[2] = true;
	assert_int_equal(xvs_rs_weight(3, dyn, set, 3), 27);
	/* None: the configured weight; never negative. */
	set[0] = set[2] = false;
	assert_int_equal(xvs_rs_weight(3, dyn, set, 3), 3);
	dyn[0] = 0;
	dyn[2] = 0;
	set[0] = set[2] = true;
	assert_int_equal(xvs_rs_weight(3, dyn, set, 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_then_down),
		cmocka_unit_test(test_success_resets_retries),
		cmocka_unit_test(test_retry_zero),
		cmocka_unit_test(test_alpha),
		cmocka_unit_test(test_misc_exit),
		cmocka_unit_test(test_quorum_hysteresis),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_dynamic_weight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
