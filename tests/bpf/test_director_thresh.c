// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_thresh.c - upper thresholds (-x) in
 * bpf/xvs_director.bpf.c under BPF_PROG_TEST_RUN.
 *
 * IPVS's ip_vs_bind_dest(): when a new connection brings a dest's
 * active + inactive to u_threshold, the dest becomes OVERLOADED and every
 * scheduler skips it. Here the data plane sets xvs_dest_conns.overload on
 * the connection that reaches the threshold; clearing it is xvsd's
 * (tests/unit/test_overload.c), which SETUP stands in for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#define SVC	1
#define DA	1
#define DB	2

/* SETUP: VIP:80/tcp, scheduler sched, DR dests ids with weights w. */
static void setup_svc(uint8_t sched, const uint32_t *ids, const int32_t *w, uint32_t n)
{
	xt_dests_dr(SVC, ids, w, n);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, sched, ids, n);
}

/* SETUP: give dest id the upper threshold u (-x). */
static void set_u_threshold(uint32_t id, uint32_t u)
{
	struct xvs_dest d = xt_dest_get(id);

	d.u_threshold = u;
	xt_dest_put(id, &d);
}

/* CHECK: a SYN from sport gets ICMP port unreachable: no eligible dest. */
static void expect_no_dest(uint16_t sport)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	size_t len = xt_tcp4(in, sport, PKT_TCP_SYN, 0, false), out_len;

	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	assert_int_equal(out[PKT_ETH_HLEN + 9], IPPROTO_ICMP);
}

/* -x 2 on the heavier dest: overloaded at its 2nd connection, skipped
 * for the 3rd (fo would take it otherwise). */
static void test_thresh_fo(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	static const int32_t w[] = { 2, 1 };

	(void)st;
	setup_svc(XVS_SCHED_FO, ids, w, 2);
	set_u_threshold(DA, 2);
	assert_int_equal(xt_syn_dest(40000), DA);
	assert_int_equal(xt_dest_conns(DA).overload, 0);
	assert_int_equal(xt_syn_dest(40001), DA);
	assert_int_equal(xt_dest_conns(DA).overload, 1);
	xt_expect_conns(DA, 0, 2);
	assert_int_equal(xt_syn_dest(40002), DB);
	assert_int_equal(xt_syn_dest(40003), DB);
	/* DB has no threshold: never overloaded. */
	assert_int_equal(xt_dest_conns(DB).overload, 0);
	/* Once xvsd clears it, DA takes connections again. */
	xt_dest_overload(DA, 0);
	assert_int_equal(xt_syn_dest(40004), DA);
	assert_int_equal(xt_dest_conns(DA).overload, 1);
}

/* The only dest, rr: the 3rd connection finds no dest. The existing
 * connections still flow. */
static void test_thresh_rr_only_dest(void **st)
{
	static const uint32_t ids[] = { DA };
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest a;
	size_t len;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 1);
	set_u_threshold(DA, 2);
	assert_int_equal(xt_syn_dest(41000), DA);
	assert_int_equal(xt_syn_dest(41001), DA);
	expect_no_dest(41002);
	a = xt_dest_get(DA);
	len = xt_tcp4(in, 41000, PKT_TCP_ACK, 10, false);
	xt_expect_dr(in, len, &a);
	xt_expect_conns(DA, 1, 1);
}

/* Active connections count too: total = active + inactive. */
static void test_thresh_counts_active(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	static const int32_t w[] = { 2, 1 };

	(void)st;
	setup_svc(XVS_SCHED_FO, ids, w, 2);
	set_u_threshold(DA, 3);
	xt_dest_conns_set(DA, 2, 0);
	assert_int_equal(xt_syn_dest(42000), DA);
	assert_int_equal(xt_dest_conns(DA).overload, 1);
	assert_int_equal(xt_syn_dest(42001), DB);
}

/* wrr (the table path) and wlc (the one-pass scan) skip it as well. */
static void test_thresh_wrr_wlc(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	static const uint16_t slots[] = { 0, 1 };

	(void)st;
	setup_svc(XVS_SCHED_WRR, ids, NULL, 2);
	xt_sched_tab(SVC, slots, 2);
	set_u_threshold(DA, 1);
	assert_int_equal(xt_syn_dest(43000), DA);
	assert_int_equal(xt_dest_conns(DA).overload, 1);
	assert_int_equal(xt_syn_dest(43001), DB);
	assert_int_equal(xt_syn_dest(43002), DB);
	/* wlc would take idle-er DA (1 inactive vs DB's 2) if it could. */
	setup_svc(XVS_SCHED_WLC, ids, NULL, 2);
	set_u_threshold(DA, 1);
	assert_int_equal(xt_syn_dest(43003), DB);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_thresh_fo),
		T(test_thresh_rr_only_dest),
		T(test_thresh_counts_active),
		T(test_thresh_wrr_wlc),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
