// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_sched2.c - the count-driven schedulers lc, sed, nq, fo
 * and ovf of bpf/xvs_director.bpf.c under BPF_PROG_TEST_RUN.
 *
 * SETUP writes weights, flags and ActiveConn/InActConn into the maps as
 * xvsd would; CHECK sends SYNs and reads which dest each new connection
 * went to. The expected picks are the hand-computed ones of
 * tests/unit/test_sched_ref.c (IPVS's ip_vs_{lc,sed,nq,fo,ovf}.c): ties,
 * weight 0 and OVERLOAD skipped, nq's idle-first rule, ovf's capacity
 * (active <= weight). A SYN itself adds one inactive connection to its
 * dest, which lc counts and the others do not.
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
#define DC	3

static const uint32_t ids3[] = { DA, DB, DC };

/* SETUP: VIP:80/tcp with scheduler sched and DR dests ids, weights w. */
static void setup_svc(uint8_t sched, const uint32_t *ids, const int32_t *w, uint32_t n)
{
	xt_dests_dr(SVC, ids, w, n);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, sched, ids, n);
}

/* SETUP: set the counts of DA, DB, DC to act[i]/inact[i]. */
static void set_conns3(const int32_t *act, const int32_t *inact)
{
	for (int i = 0; i < 3; i++)
		xt_dest_conns_set(ids3[i], act[i], inact ? inact[i] : 0);
}

/* SETUP: mark dest id OVERLOADED (-x threshold reached). */
static void overload(uint32_t id)
{
	xt_dest_overload(id, 1);
}

/* CHECK: a SYN from sport gets ICMP port unreachable: no eligible dest. */
static void expect_no_dest(uint16_t sport)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	size_t len = xt_tcp4(in, sport, PKT_TCP_SYN, 0, false), out_len;

	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	assert_int_equal(out[PKT_ETH_HLEN + 9], IPPROTO_ICMP);
}

/*
 * A new connection from sport that completes its handshake: the dest
 * its SYN went to, now counting it as active.
 */
static uint32_t est_dest(uint16_t sport)
{
	uint32_t id = xt_syn_dest(sport);
	uint8_t in[PKT_BUF_SIZE];
	size_t len = xt_tcp4(in, sport, PKT_TCP_ACK, 0, false);
	struct xvs_dest d = xt_dest_get(id);

	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(sport).state, XVS_TCP_ESTABLISHED);
	return id;
}

/* CHECK: connections from sport on go to want[0..n), each established. */
static void expect_est_seq(uint16_t sport, const uint32_t *want, int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t got = est_dest(sport + i);

		if (got != want[i])
			fprintf(stderr, "connection %d went to %u, want %u\n",
				i, got, want[i]);
		assert_int_equal(got, want[i]);
	}
}

/* ---- lc ---- */

static void test_lc(void **st)
{
	static const int32_t w[] = { 1, 100, 1 };
	static const int32_t a1[] = { 1, 0, 0 }, i1[] = { 0, 255, 300 };
	static const int32_t a2[] = { 0, 0, 0 }, i2[] = { 10, 11, 10 };

	(void)st;
	setup_svc(XVS_SCHED_LC, ids3, w, 3);
	/* Idle: the first. Its SYN is one inactive, so then DB, then DC. */
	assert_int_equal(xt_syn_dest(60000), DA);
	assert_int_equal(xt_syn_dest(60001), DB);
	assert_int_equal(xt_syn_dest(60002), DC);
	/* 1 active = 256 > 255 inactive. */
	set_conns3(a1, i1);
	assert_int_equal(xt_syn_dest(60003), DB);
	/* Now DA 256 == DB 256: strict <, the earlier. */
	assert_int_equal(xt_syn_dest(60004), DA);
	/* Weight is ignored (DB's 100 does not help it): 10 < 11, and
	 * DA 10 == DC 10 keeps DA. */
	set_conns3(a2, i2);
	assert_int_equal(xt_syn_dest(60005), DA);
}

static void test_lc_skips(void **st)
{
	static const int32_t w[] = { 0, 1, 1 };
	static const int32_t a[] = { 0, 0, 0 }, in[] = { 0, 50, 9 };

	(void)st;
	/* DA quiescent though idle: DB 50 vs DC 9, DC. */
	setup_svc(XVS_SCHED_LC, ids3, w, 3);
	set_conns3(a, in);
	assert_int_equal(xt_syn_dest(60100), DC);
	/* DB 0 beats DC 10, until DB is overloaded. */
	xt_dest_conns_set(DB, 0, 0);
	assert_int_equal(xt_syn_dest(60101), DB);
	overload(DB);
	assert_int_equal(xt_syn_dest(60102), DC);
	overload(DC);
	expect_no_dest(60103);
}

/* lc over established connections: 0 2 0 1 2 0 of test_sched_ref.c. */
static void test_lc_seq(void **st)
{
	static const int32_t a[] = { 0, 0, 0 }, in[] = { 0, 300, 255 };
	static const uint32_t want[] = { DA, DC, DA, DB, DC, DA };

	(void)st;
	setup_svc(XVS_SCHED_LC, ids3, NULL, 3);
	set_conns3(a, in);
	expect_est_seq(60200, want, 6);
}

/* ---- sed ---- */

static void test_sed(void **st)
{
	static const int32_t w[] = { 3, 1, 2 };
	static const int32_t a1[] = { 2, 0, 0 };
	static const int32_t a2[] = { 2, 0, 1 }, i2[] = { 0, 1000, 0 };

	(void)st;
	setup_svc(XVS_SCHED_SED, ids3, w, 3);
	/* (2+1)/3 = 1 == (0+1)/1, but (0+1)/2 is less: DC. */
	set_conns3(a1, NULL);
	assert_int_equal(xt_syn_dest(61000), DC);
	/* SYNs are inactive and ignored: DC again. */
	assert_int_equal(xt_syn_dest(61001), DC);
	/* DC (1+1)/2 = 1 ties DA 1 and DB 1: the first, DA; DB's 1000
	 * inactive do not count. */
	set_conns3(a2, i2);
	assert_int_equal(xt_syn_dest(61002), DA);
}

static void test_sed_skips(void **st)
{
	static const int32_t w[] = { 0, 1, 1 };
	static const int32_t a[] = { 0, 2, 1 };

	(void)st;
	setup_svc(XVS_SCHED_SED, ids3, w, 3);
	set_conns3(a, NULL);
	/* DA idle but weight 0: skipped. DB 3 vs DC 2: DC. */
	assert_int_equal(xt_syn_dest(61100), DC);
	overload(DC);
	assert_int_equal(xt_syn_dest(61101), DB);
}

/* sed, weights 1 and 2, every connection established: B A B B A B B A. */
static void test_sed_seq(void **st)
{
	static const int32_t w[] = { 1, 2 };
	static const uint32_t want[] = { DB, DA, DB, DB, DA, DB, DB, DA };

	(void)st;
	setup_svc(XVS_SCHED_SED, ids3, w, 2);
	expect_est_seq(61200, want, 8);
}

/* ---- nq ---- */

static void test_nq_idle_first(void **st)
{
	static const int32_t w[] = { 10, 1, 1 };
	static const int32_t a1[] = { 1, 0, 0 }, i1[] = { 0, 500, 0 };
	static const int32_t a2[] = { 1, 1, 0 };

	(void)st;
	setup_svc(XVS_SCHED_NQ, ids3, w, 3);
	/* sed would take DA (2/10 < 1/1); nq takes the first idle one,
	 * DB, whatever its inactive connections. */
	set_conns3(a1, i1);
	assert_int_equal(xt_syn_dest(62000), DB);
	/* The same under sed, as a contrast in the same state. */
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_SED, ids3, 3);
	assert_int_equal(xt_syn_dest(62001), DA);
	/* An idle dest later in the list wins over busier earlier ones. */
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_NQ, ids3, 3);
	set_conns3(a2, NULL);
	assert_int_equal(xt_syn_dest(62002), DC);
}

static void test_nq_no_idle(void **st)
{
	static const int32_t w[] = { 2, 1, 4 };
	static const int32_t a[] = { 3, 2, 5 };

	(void)st;
	/* 4/2 = 2, 3/1 = 3, 6/4 = 1.5: DC, as sed. */
	setup_svc(XVS_SCHED_NQ, ids3, w, 3);
	set_conns3(a, NULL);
	assert_int_equal(xt_syn_dest(62100), DC);
	/* 4/2 == 6/3 after DC's weight drops to 3: tie, the earlier. */
	{
		struct xvs_dest c = xt_dest_get(DC);

		c.weight = 3;
		xt_dest_put(DC, &c);
	}
	assert_int_equal(xt_syn_dest(62101), DA);
}

static void test_nq_skips(void **st)
{
	static const int32_t w[] = { 0, 1, 1 };
	static const int32_t a[] = { 0, 2, 0 };

	(void)st;
	setup_svc(XVS_SCHED_NQ, ids3, w, 3);
	set_conns3(a, NULL);
	/* DA idle but quiescent; DC idle: DC. */
	assert_int_equal(xt_syn_dest(62200), DC);
	/* DC idle but overloaded: no idle dest left, DB. */
	overload(DC);
	assert_int_equal(xt_syn_dest(62201), DB);
}

/* nq, weights 1 and 2, established: A B (both idle), then as sed. */
static void test_nq_seq(void **st)
{
	static const int32_t w[] = { 1, 2 };
	static const uint32_t want[] = { DA, DB, DB, DB, DA, DB, DB, DA };

	(void)st;
	setup_svc(XVS_SCHED_NQ, ids3, w, 2);
	expect_est_seq(62300, want, 8);
}

/* ---- fo ---- */

static void test_fo(void **st)
{
	static const int32_t w[] = { 1, 3, 3 };
	static const int32_t a[] = { 0, 1000, 0 }, in[] = { 0, 1000, 0 };
	struct xvs_dest d;

	(void)st;
	setup_svc(XVS_SCHED_FO, ids3, w, 3);
	/* DB and DC tie on 3: the first, whatever the load. */
	set_conns3(a, in);
	for (uint16_t p = 0; p < 3; p++)
		assert_int_equal(xt_syn_dest(63000 + p), DB);
	/* DB overloaded: DC. */
	overload(DB);
	assert_int_equal(xt_syn_dest(63003), DC);
	/* DC quiesced: DA, the only one left. */
	d = xt_dest_get(DC);
	d.weight = 0;
	xt_dest_put(DC, &d);
	assert_int_equal(xt_syn_dest(63004), DA);
	d = xt_dest_get(DA);
	d.weight = 0;
	xt_dest_put(DA, &d);
	expect_no_dest(63005);
}

/* ---- ovf ---- */

static void test_ovf_capacity(void **st)
{
	static const int32_t w[] = { 3, 2, 2 };
	static const int32_t a1[] = { 3, 0, 0 }, i1[] = { 500, 0, 0 };
	static const int32_t a2[] = { 4, 2, 3 };
	static const int32_t a3[] = { 4, 3, 3 };

	(void)st;
	setup_svc(XVS_SCHED_OVF, ids3, w, 3);
	/* active == weight still takes one more; inactive do not count. */
	set_conns3(a1, i1);
	assert_int_equal(xt_syn_dest(64000), DA);
	/* active > weight overflows to the next weight: DB (2 <= 2), not
	 * DC (3 > 2). */
	set_conns3(a2, NULL);
	assert_int_equal(xt_syn_dest(64001), DB);
	/* All over capacity: none. */
	set_conns3(a3, NULL);
	expect_no_dest(64002);
}

static void test_ovf_skips(void **st)
{
	static const int32_t w[] = { 5, 0, 2 };

	(void)st;
	setup_svc(XVS_SCHED_OVF, ids3, w, 3);
	/* DA heaviest and idle but overloaded; DB quiescent: DC. */
	overload(DA);
	assert_int_equal(xt_syn_dest(64100), DC);
}

/*
 * ovf, weights 2, 1, 2, established: each dest takes weight + 1
 * connections, heaviest first, ties in list order, then none.
 */
static void test_ovf_seq(void **st)
{
	static const int32_t w[] = { 2, 1, 2 };
	static const uint32_t want[] = { DA, DA, DA, DC, DC, DC, DB, DB };

	(void)st;
	setup_svc(XVS_SCHED_OVF, ids3, w, 3);
	expect_est_seq(64200, want, 8);
	expect_no_dest(64208);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_lc),
		T(test_lc_skips),
		T(test_lc_seq),
		T(test_sed),
		T(test_sed_skips),
		T(test_sed_seq),
		T(test_nq_idle_first),
		T(test_nq_no_idle),
		T(test_nq_skips),
		T(test_nq_seq),
		T(test_fo),
		T(test_ovf_capacity),
		T(test_ovf_skips),
		T(test_ovf_seq),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
