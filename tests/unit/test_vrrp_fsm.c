// SPDX-License-Identifier: GPL-2.0
/*
 * test_vrrp_fsm.c - the VRRP state machine (lib/vrrp_fsm.c) on a fake
 * millisecond clock: timers and skew of v2 and v3, the owner, priority 0,
 * preemption, nopreempt, preempt_delay, ties, FAULT, shutdown and
 * sync-group following.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp_fsm.h"

static union xvs_addr a4(const char *s)
{
	union xvs_addr a = { 0 };

	assert_int_equal(inet_pton(AF_INET, s, &a.ip4), 1);
	return a;
}

/* An instance at 198.18.0.10 with priority prio, v2, advert_int 1 s. */
static void setup(struct xvs_vrrp_fsm *fsm, uint8_t version, uint8_t prio)
{
	struct xvs_vrrp_fsm_cfg cfg = { .version = version, .af = XVS_AF_INET,
		.priority = prio, .adver_int_cs = 100, .primary = a4("198.18.0.10") };

	xvs_vrrp_fsm_init(fsm, &cfg);
	assert_int_equal(fsm->state, XVS_VRRP_INIT);
}

static struct xvs_vrrp_advert advert(uint8_t prio, uint16_t int_cs)
{
	return (struct xvs_vrrp_advert){ .version = 2, .vrid = 51, .priority = prio,
		.n_addrs = 1, .af = XVS_AF_INET, .adver_int_cs = int_cs };
}

static void test_timers_v2(void **st)
{
	struct xvs_vrrp_fsm f;

	(void)st;
	setup(&f, 2, 100);
	/* Skew (256-100)/256 s = 609 ms; Master_Down 3 s + skew. */
	assert_int_equal(xvs_vrrp_fsm_skew_ms(&f), 609);
	assert_int_equal(xvs_vrrp_fsm_down_ms(&f), 3609);
	assert_int_equal(xvs_vrrp_fsm_start(&f, 1000, false), 0);
	assert_int_equal(f.state, XVS_VRRP_BACKUP);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 4609);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 4608), 0);
	assert_int_equal(f.state, XVS_VRRP_BACKUP);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 4609), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	assert_memory_equal(&f.master, &f.cfg.primary, 4);
	/* The advert timer, once a second. */
	assert_int_equal(xvs_vrrp_fsm_next(&f), 5609);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 5000), 0);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 5609), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 6609);
}

static void test_timers_v3_learn_interval(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert a = advert(200, 20);
	union xvs_addr m = a4("198.18.0.20");

	(void)st;
	setup(&f, 3, 100);
	/* v3 skew scales with the interval: 156 * 1000 / 256. */
	assert_int_equal(xvs_vrrp_fsm_skew_ms(&f), 609);
	xvs_vrrp_fsm_start(&f, 0, false);
	a.version = 3;
	xvs_vrrp_fsm_rx(&f, 100, &a, &m);
	/* The backup now uses the master's 200 ms: 600 + 156*200/256. */
	assert_int_equal(f.master_adver_int_cs, 20);
	assert_int_equal(xvs_vrrp_fsm_down_ms(&f), 600 + 121);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 100 + 721);
	assert_true(f.master_known);
	assert_memory_equal(&f.master, &m, 4);
	assert_int_equal(f.master_prio, 200);
}

static void test_owner(void **st)
{
	struct xvs_vrrp_fsm f;

	(void)st;
	setup(&f, 2, 255);
	assert_int_equal(xvs_vrrp_fsm_start(&f, 0, false), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	assert_int_equal(xvs_vrrp_fsm_skew_ms(&f), 3);
}

static void test_backup_resets_and_preempts(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert hi = advert(150, 100), lo = advert(50, 100);
	union xvs_addr m = a4("198.18.0.20");

	(void)st;
	setup(&f, 2, 100);
	xvs_vrrp_fsm_start(&f, 0, false);
	/* A higher-priority master keeps us backup as long as it speaks. */
	for (uint64_t t = 1000; t <= 20000; t += 1000) {
		xvs_vrrp_fsm_rx(&f, t, &hi, &m);
		assert_int_equal(xvs_vrrp_fsm_timer(&f, t + 999), 0);
		assert_int_equal(f.state, XVS_VRRP_BACKUP);
	}
	/* A lower one is ignored: we preempt when the timer runs out. */
	xvs_vrrp_fsm_rx(&f, 21000, &lo, &m);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 20000 + 3609);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 23609), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
}

static void test_release_waits_skew(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert hi = advert(150, 100), zero = advert(0, 100);
	union xvs_addr m = a4("198.18.0.20");

	(void)st;
	setup(&f, 2, 100);
	xvs_vrrp_fsm_start(&f, 0, false);
	xvs_vrrp_fsm_rx(&f, 500, &hi, &m);
	xvs_vrrp_fsm_rx(&f, 1000, &zero, &m);
	assert_false(f.master_known);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 1000 + 609);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 1609), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
}

static void test_nopreempt(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert lo = advert(50, 100);
	union xvs_addr m = a4("198.18.0.20");

	(void)st;
	setup(&f, 2, 100);
	f.cfg.nopreempt = true;
	xvs_vrrp_fsm_start(&f, 0, false);
	for (uint64_t t = 1000; t <= 30000; t += 1000) {
		xvs_vrrp_fsm_rx(&f, t, &lo, &m);
		xvs_vrrp_fsm_timer(&f, t + 999);
		assert_int_equal(f.state, XVS_VRRP_BACKUP);
	}
	/* The lower master going silent still hands over. */
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 30000 + 3609), XVS_VRRP_ACT_ADVERT);
}

static void test_preempt_delay(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert lo = advert(50, 100);
	union xvs_addr m = a4("198.18.0.20");
	uint64_t t;

	(void)st;
	setup(&f, 2, 100);
	f.cfg.preempt_delay_ms = 5000;
	xvs_vrrp_fsm_start(&f, 0, false);
	/* The delay runs from startup: lower adverts hold us until 5 s. */
	for (t = 1000; t < 5000; t += 1000) {
		xvs_vrrp_fsm_rx(&f, t, &lo, &m);
		assert_int_equal(xvs_vrrp_fsm_next(&f), t + 3609);
	}
	/* From then on they are ignored, so we take over 3.6 s later. */
	xvs_vrrp_fsm_rx(&f, 5000, &lo, &m);
	xvs_vrrp_fsm_rx(&f, 6000, &lo, &m);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 4000 + 3609);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 7609), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
}

static void test_master_yields(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert a = advert(100, 100);
	union xvs_addr lower = a4("198.18.0.9"), higher = a4("198.18.0.20");

	(void)st;
	setup(&f, 2, 255);
	f.cfg.priority = f.prio = 100;
	xvs_vrrp_fsm_start(&f, 0, false);
	xvs_vrrp_fsm_timer(&f, 3609);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	/* Equal priority from a lower address: we stay and re-advertise. */
	assert_int_equal(xvs_vrrp_fsm_rx(&f, 4000, &a, &lower), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 5000);
	/* Our own advert looped back changes nothing. */
	assert_int_equal(xvs_vrrp_fsm_rx(&f, 4100, &a, &f.cfg.primary), 0);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	/* Equal priority from a higher address wins. */
	assert_int_equal(xvs_vrrp_fsm_rx(&f, 4200, &a, &higher), 0);
	assert_int_equal(f.state, XVS_VRRP_BACKUP);
	assert_memory_equal(&f.master, &higher, 4);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 4200 + 3609);
	/* And a higher priority wins from any address. */
	xvs_vrrp_fsm_timer(&f, 4200 + 3609);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	a.priority = 101;
	xvs_vrrp_fsm_rx(&f, 9000, &a, &lower);
	assert_int_equal(f.state, XVS_VRRP_BACKUP);
}

static void test_master_answers_release_and_lower(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert zero = advert(0, 100), lo = advert(50, 100);
	union xvs_addr m = a4("198.18.0.20");

	(void)st;
	setup(&f, 2, 255);
	xvs_vrrp_fsm_start(&f, 0, false);
	assert_int_equal(xvs_vrrp_fsm_rx(&f, 300, &zero, &m), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(xvs_vrrp_fsm_rx(&f, 400, &lo, &m), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 1400);
}

static void test_fault_and_stop(void **st)
{
	struct xvs_vrrp_fsm f;
	struct xvs_vrrp_advert hi = advert(200, 100);
	union xvs_addr m = a4("198.18.0.20");

	(void)st;
	setup(&f, 2, 255);
	assert_int_equal(xvs_vrrp_fsm_start(&f, 0, true), 0);
	assert_int_equal(f.state, XVS_VRRP_FAULT);
	assert_int_equal(xvs_vrrp_fsm_next(&f), XVS_VRRP_NEVER);
	/* FAULT listens to nobody and has no timer. */
	assert_int_equal(xvs_vrrp_fsm_rx(&f, 10, &hi, &m), 0);
	assert_int_equal(xvs_vrrp_fsm_timer(&f, 100000), 0);
	assert_int_equal(f.state, XVS_VRRP_FAULT);
	/* Leaving FAULT starts over: the owner is master at once. */
	assert_int_equal(xvs_vrrp_fsm_fault(&f, 200, false), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	/* A master entering FAULT releases with priority 0. */
	assert_int_equal(xvs_vrrp_fsm_fault(&f, 300, true), XVS_VRRP_ACT_RELEASE);
	assert_int_equal(f.state, XVS_VRRP_FAULT);
	assert_int_equal(xvs_vrrp_fsm_fault(&f, 350, true), 0);
	/* A backup leaves FAULT as backup; stop from backup sends nothing. */
	f.prio = 100;
	assert_int_equal(xvs_vrrp_fsm_fault(&f, 400, false), 0);
	assert_int_equal(f.state, XVS_VRRP_BACKUP);
	assert_int_equal(xvs_vrrp_fsm_stop(&f, 500), 0);
	assert_int_equal(f.state, XVS_VRRP_INIT);
	/* Shutdown of a master: priority 0. */
	f.prio = 255;
	xvs_vrrp_fsm_start(&f, 600, false);
	assert_int_equal(xvs_vrrp_fsm_stop(&f, 700), XVS_VRRP_ACT_RELEASE);
	assert_int_equal(f.state, XVS_VRRP_INIT);
	assert_int_equal(xvs_vrrp_fsm_fault(&f, 800, true), 0);	/* INIT stays */
}

static void test_set_prio(void **st)
{
	struct xvs_vrrp_fsm f;

	(void)st;
	setup(&f, 2, 100);
	xvs_vrrp_fsm_start(&f, 0, false);
	/* A backup's new priority changes its skew, nothing is sent. */
	assert_int_equal(xvs_vrrp_fsm_set_prio(&f, 10, 80), 0);
	assert_int_equal(xvs_vrrp_fsm_skew_ms(&f), 687);
	xvs_vrrp_fsm_timer(&f, 3609);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	/* A master advertises a change at once, and only a change. */
	assert_int_equal(xvs_vrrp_fsm_set_prio(&f, 4000, 60), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.master_prio, 60);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 5000);
	assert_int_equal(xvs_vrrp_fsm_set_prio(&f, 4100, 60), 0);
}

static void test_follow(void **st)
{
	struct xvs_vrrp_fsm f;

	(void)st;
	setup(&f, 2, 100);
	assert_int_equal(xvs_vrrp_fsm_follow(&f, 0, XVS_VRRP_MASTER), 0);	/* INIT */
	xvs_vrrp_fsm_start(&f, 0, false);
	assert_int_equal(xvs_vrrp_fsm_follow(&f, 10, XVS_VRRP_MASTER), XVS_VRRP_ACT_ADVERT);
	assert_int_equal(f.state, XVS_VRRP_MASTER);
	assert_int_equal(xvs_vrrp_fsm_follow(&f, 20, XVS_VRRP_MASTER), 0);
	assert_int_equal(xvs_vrrp_fsm_follow(&f, 30, XVS_VRRP_BACKUP), 0);
	assert_int_equal(f.state, XVS_VRRP_BACKUP);
	assert_int_equal(xvs_vrrp_fsm_next(&f), 30 + 3609);
	xvs_vrrp_fsm_fault(&f, 40, true);
	assert_int_equal(xvs_vrrp_fsm_follow(&f, 50, XVS_VRRP_MASTER), 0);
	assert_int_equal(f.state, XVS_VRRP_FAULT);
	assert_string_equal(xvs_vrrp_state_name(XVS_VRRP_FAULT), "FAULT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_v2),
		cmocka_unit_test(test_timers_v3_learn_interval),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_backup_resets_and_preempts),
		cmocka_unit_test(test_release_waits_skew),
		cmocka_unit_test(test_nopreempt),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_master_yields),
		cmocka_unit_test(test_master_answers_release_and_lower),
		cmocka_unit_test(test_fault_and_stop),
		cmocka_unit_test(test_set_prio),
		cmocka_unit_test(test_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
