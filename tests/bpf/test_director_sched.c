// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_sched.c - bpf/xvs_director.bpf.c under BPF_PROG_TEST_RUN:
 * scheduling (rr, wrr, wlc, weight 0, removed dests), IPVS's INPUT_ONLY
 * TCP states with their ActiveConn/InActConn accounting, TIME_WAIT
 * reuse, and UDP entries. Packet bytes are checked on every forwarded
 * frame (xt_expect_dr), states and counts after every step.
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

/* SETUP: VIP:80/tcp with scheduler sched and DR dests ids, weights w. */
static void setup_svc(uint8_t sched, const uint32_t *ids, const int32_t *w, uint32_t n)
{
	xt_dests_dr(SVC, ids, w, n);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, sched, ids, n);
}

/* Send one segment from sport with flags; expect DR to the conn's dest. */
static void send_seg(uint16_t sport, uint8_t flags)
{
	uint8_t in[PKT_BUF_SIZE];
	size_t len = xt_tcp4(in, sport, flags, 0, false);
	struct xvs_dest d = xt_dest_get(xt_tcp_conn(sport).dest_id);

	xt_expect_dr(in, len, &d);
}

/* CHECK the connection from sport: state, timeout, inactive flag. */
static void expect_state(uint16_t sport, uint8_t state, bool inactive)
{
	struct xvs_conn c = xt_tcp_conn(sport);

	assert_int_equal(c.state, state);
	assert_int_equal(c.timeout, xt_timeouts[state]);
	assert_int_equal(!!(c.flags & XVS_CONN_F_INACTIVE), inactive);
}

/* ---- TCP states (IPVS INPUT_ONLY table) ---- */

static void test_tcp_syn_ack_fin(void **st)
{
	static const uint32_t ids[] = { DA };

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 1);
	assert_int_equal(xt_syn_dest(50000), DA);
	expect_state(50000, XVS_TCP_SYN_RECV, true);
	xt_expect_conns(DA, 0, 1);

	send_seg(50000, PKT_TCP_ACK);
	expect_state(50000, XVS_TCP_ESTABLISHED, false);
	xt_expect_conns(DA, 1, 0);

	send_seg(50000, PKT_TCP_ACK | PKT_TCP_PSH);
	expect_state(50000, XVS_TCP_ESTABLISHED, false);
	xt_expect_conns(DA, 1, 0);

	send_seg(50000, PKT_TCP_FIN | PKT_TCP_ACK);
	expect_state(50000, XVS_TCP_FIN_WAIT, true);
	xt_expect_conns(DA, 0, 1);

	/* The client's last ACK: INPUT_ONLY keeps FIN_WAIT. */
	send_seg(50000, PKT_TCP_ACK);
	expect_state(50000, XVS_TCP_FIN_WAIT, true);
	xt_expect_conns(DA, 0, 1);
	/* Five forwarded packets counted on one connection. */
	assert_int_equal(xt_stats(xt_skel->maps.xvs_svc_stats_v1, SVC).inpkts, 5);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_dest_stats_v1, DA).conns, 1);
}

static void test_tcp_rst(void **st)
{
	static const uint32_t ids[] = { DA };

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 1);
	/* RST in SYN_RECV: IPVS's table keeps SYN_RECV. */
	xt_syn_dest(50100);
	send_seg(50100, PKT_TCP_RST);
	expect_state(50100, XVS_TCP_SYN_RECV, true);
	xt_expect_conns(DA, 0, 1);

	/* RST when established: CLOSE, active -> inactive. */
	send_seg(50100, PKT_TCP_ACK);
	xt_expect_conns(DA, 1, 0);
	send_seg(50100, PKT_TCP_RST | PKT_TCP_ACK);
	expect_state(50100, XVS_TCP_CLOSE, true);
	xt_expect_conns(DA, 0, 1);

	/* An ACK after CLOSE stays CLOSE and is still forwarded. */
	send_seg(50100, PKT_TCP_ACK);
	expect_state(50100, XVS_TCP_CLOSE, true);
	xt_expect_conns(DA, 0, 1);
}

static void test_tcp_fin_in_syn_recv(void **st)
{
	static const uint32_t ids[] = { DA };

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 1);
	xt_syn_dest(50200);
	send_seg(50200, PKT_TCP_FIN | PKT_TCP_ACK);
	expect_state(50200, XVS_TCP_TIME_WAIT, true);
	xt_expect_conns(DA, 0, 1);
	/* A retransmitted SYN in SYN_RECV is not a new connection. */
	xt_syn_dest(50201);
	send_seg(50201, PKT_TCP_SYN);
	expect_state(50201, XVS_TCP_SYN_RECV, true);
	xt_expect_conns(DA, 0, 2);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_svc_stats_v1, SVC).conns, 2);
}

static void test_time_wait_reuse(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_conn c;
	size_t len;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 2);
	/* SYN -> DA, FIN -> TIME_WAIT. */
	assert_int_equal(xt_syn_dest(50300), DA);
	send_seg(50300, PKT_TCP_FIN | PKT_TCP_ACK);
	expect_state(50300, XVS_TCP_TIME_WAIT, true);
	xt_expect_conns(DA, 0, 1);

	/* A new SYN on the TIME_WAIT entry: rescheduled (rr: DB), the old
	 * connection no longer counted on DA, the new one on DB. */
	len = xt_tcp4(in, 50300, PKT_TCP_SYN, 0, false);
	{
		struct xvs_dest b = xt_dest_get(DB);

		xt_expect_dr(in, len, &b);
	}
	c = xt_tcp_conn(50300);
	assert_int_equal(c.dest_id, DB);
	expect_state(50300, XVS_TCP_SYN_RECV, true);
	xt_expect_conns(DA, 0, 0);
	xt_expect_conns(DB, 0, 1);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_svc_stats_v1, SVC).conns, 2);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_dest_stats_v1, DB).conns, 1);

	/* A non-SYN in TIME_WAIT stays on the old entry. */
	assert_int_equal(xt_syn_dest(50301), DA);
	send_seg(50301, PKT_TCP_FIN);
	send_seg(50301, PKT_TCP_ACK);
	c = xt_tcp_conn(50301);
	assert_int_equal(c.dest_id, DA);
	assert_int_equal(c.state, XVS_TCP_TIME_WAIT);
}

/*
 * A SYN on a TIME_WAIT entry when the service has no usable dest any
 * more: the client gets port unreachable, and the old entry must stay
 * accounted as long as it stays in the table, because xvsd decrements
 * its dest's count when it expires it. Fails while the entry is
 * unaccounted before scheduling and left in place when scheduling fails
 * (the count later goes to -1).
 */
static void test_time_wait_reuse_no_dest(void **st)
{
	static const uint32_t ids[] = { DA };
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xvs_conn_key k;
	struct xvs_conn c;
	size_t len, out_len;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 1);
	xt_syn_dest(50400);
	send_seg(50400, PKT_TCP_FIN | PKT_TCP_ACK);
	expect_state(50400, XVS_TCP_TIME_WAIT, true);
	xt_expect_conns(DA, 0, 1);
	xt_svc_dests(SVC, NULL, 0);

	len = xt_tcp4(in, 50400, PKT_TCP_SYN, 0, false);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);	/* ICMP */
	assert_int_equal(out[14 + 9], IPPROTO_ICMP);
	k = xt_conn_key4(XT_CLIENT, 50400, XT_VIP, XT_VPORT, IPPROTO_TCP);
	if (xt_conn_get(&k, &c) == 0) {
		/* Still in the table, still INACTIVE: still counted. */
		assert_true(c.flags & XVS_CONN_F_INACTIVE);
		xt_expect_conns(DA, 0, 1);
	} else {
		xt_expect_conns(DA, 0, 0);
	}
}

/* ---- schedulers ---- */

static void test_sched_rr(void **st)
{
	static const uint32_t ids[] = { DA, DB, DC };
	uint16_t p;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 3);
	for (p = 0; p < 7; p++)
		assert_int_equal(xt_syn_dest(51000 + p), ids[p % 3]);
	xt_expect_conns(DA, 0, 3);
	xt_expect_conns(DB, 0, 2);
	xt_expect_conns(DC, 0, 2);
}

/*
 * IPVS's rr (ip_vs_rr.c) resumes after the dest it chose last, so with
 * DA quiescent it alternates DB DC DB DC. Fails while the cursor only
 * advances by one per connection and skipping DA lands on DB twice.
 */
static void test_sched_rr_skips_fairly(void **st)
{
	static const uint32_t ids[] = { DA, DB, DC };
	static const int32_t w[] = { 0, 1, 1 };
	uint32_t got[6];
	uint16_t p;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, w, 3);
	for (p = 0; p < 6; p++) {
		got[p] = xt_syn_dest(51100 + p);
		assert_int_not_equal(got[p], DA);
	}
	for (p = 1; p < 6; p++) {
		if (got[p] == got[p - 1])
			fprintf(stderr, "rr chose dest %u twice in a row (conn %u)\n",
				got[p], p);
		assert_int_not_equal(got[p], got[p - 1]);
	}
}

static void test_sched_wrr(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	static const int32_t w[] = { 3, 1 };
	static const uint16_t slots[] = { 0, 0, 0, 1 };
	static const uint32_t want[] = { DA, DA, DA, DB, DA, DA, DA, DB };
	uint16_t p;

	(void)st;
	setup_svc(XVS_SCHED_WRR, ids, w, 2);
	xt_sched_tab(SVC, slots, 4);
	for (p = 0; p < 8; p++)
		assert_int_equal(xt_syn_dest(52000 + p), want[p]);
	xt_expect_conns(DA, 0, 6);
	xt_expect_conns(DB, 0, 2);
}

static void test_sched_wrr_skips_ineligible(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	static const int32_t w[] = { 3, 1 };
	static const uint16_t slots[] = { 0, 0, 0, 1 };
	uint16_t p;

	(void)st;
	setup_svc(XVS_SCHED_WRR, ids, w, 2);
	xt_sched_tab(SVC, slots, 4);
	/* DA overloaded since the table was built: every slot gives DB. */
	xt_dest_overload(DA, 1);
	for (p = 0; p < 5; p++)
		assert_int_equal(xt_syn_dest(52100 + p), DB);
}

static void test_sched_wlc(void **st)
{
	static const uint32_t ids[] = { DA, DB, DC };
	static const int32_t w[] = { 1, 1, 1 };
	static const int32_t w31[] = { 3, 1, 1 };

	(void)st;
	setup_svc(XVS_SCHED_WLC, ids, w, 3);
	/* All idle: ties go to the earlier dest. */
	assert_int_equal(xt_syn_dest(53000), DA);
	/* DA has 1 inactive: DB, then DC, then DA again. */
	assert_int_equal(xt_syn_dest(53001), DB);
	assert_int_equal(xt_syn_dest(53002), DC);
	assert_int_equal(xt_syn_dest(53003), DA);

	/* Overhead = active * 256 + inactive, divided by weight. */
	xt_dest_conns_set(DA, 1, 0);		/* 256 */
	xt_dest_conns_set(DB, 0, 255);		/* 255: least */
	xt_dest_conns_set(DC, 0, 300);
	assert_int_equal(xt_syn_dest(53004), DB);
	xt_expect_conns(DB, 0, 256);
	/* Now DA 256 and DB 256 tie: the earlier, DA. */
	assert_int_equal(xt_syn_dest(53005), DA);
	xt_expect_conns(DA, 1, 1);

	/* Weighted: DA 300/3 = 100 beats DB 101/1; compared as products. */
	xt_dests_dr(SVC, ids, w31, 3);
	xt_dest_conns_set(DA, 0, 300);
	xt_dest_conns_set(DB, 0, 101);
	xt_dest_conns_set(DC, 0, 1000);
	assert_int_equal(xt_syn_dest(53006), DA);
	xt_dest_conns_set(DA, 0, 300);
	xt_dest_conns_set(DB, 0, 100);		/* 300/3 == 100/1: DA */
	assert_int_equal(xt_syn_dest(53007), DA);
	xt_dest_conns_set(DA, 0, 300);
	xt_dest_conns_set(DB, 0, 99);		/* 99 < 100: DB */
	assert_int_equal(xt_syn_dest(53008), DB);
}

static void test_sched_wlc_counts_active(void **st)
{
	static const uint32_t ids[] = { DA, DB };

	(void)st;
	setup_svc(XVS_SCHED_WLC, ids, NULL, 2);
	/* An established connection on DA weighs 256 inactive ones. */
	assert_int_equal(xt_syn_dest(53100), DA);
	send_seg(53100, PKT_TCP_ACK);
	xt_expect_conns(DA, 1, 0);
	xt_dest_conns_set(DB, 0, 255);
	assert_int_equal(xt_syn_dest(53101), DB);
	assert_int_equal(xt_syn_dest(53102), DA);	/* 256 vs 256: DA */
}

static void test_weight0_keeps_existing(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	struct xvs_dest a;
	uint16_t p;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 2);
	assert_int_equal(xt_syn_dest(54000), DA);
	send_seg(54000, PKT_TCP_ACK);
	/* Quiesce DA (ipvsadm -e -w 0). */
	a = xt_dest_get(DA);
	a.weight = 0;
	xt_dest_put(DA, &a);
	for (p = 1; p < 5; p++)
		assert_int_equal(xt_syn_dest(54000 + p), DB);
	/* The existing connection still goes to DA, bytes and counts. */
	send_seg(54000, PKT_TCP_ACK | PKT_TCP_PSH);
	assert_int_equal(xt_tcp_conn(54000).dest_id, DA);
	xt_expect_conns(DA, 1, 0);
	xt_expect_conns(DB, 0, 4);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_dest_stats_v1, DA).inpkts, 3);

	/* wlc too. */
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_WLC, ids, 2);
	assert_int_equal(xt_syn_dest(54010), DB);
}

static void test_removed_dest_keeps_conn(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	static const uint32_t only_b[] = { DB };
	struct xt_cnts snap;
	struct xvs_dest a;
	uint16_t p;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 2);
	assert_int_equal(xt_syn_dest(55000), DA);
	send_seg(55000, PKT_TCP_ACK);
	/* ipvsadm -d: out of the list and not AVAILABLE, still VALID. */
	a = xt_dest_get(DA);
	a.flags &= ~XVS_DEST_F_AVAILABLE;
	xt_dest_put(DA, &a);
	xt_svc_dests(SVC, only_b, 1);
	for (p = 1; p < 4; p++)
		assert_int_equal(xt_syn_dest(55000 + p), DB);
	snap = xt_cnts_snap();
	send_seg(55000, PKT_TCP_ACK | PKT_TCP_PSH);
	send_seg(55000, PKT_TCP_FIN | PKT_TCP_ACK);
	expect_state(55000, XVS_TCP_FIN_WAIT, true);
	xt_expect_conns(DA, 0, 1);
	xt_expect_cnt_delta(&snap, XVS_CNT_MAX, 0);

	/* AVAILABLE cleared but a stale list still names DA: skipped. */
	xt_svc_dests(SVC, ids, 2);
	for (p = 10; p < 13; p++)
		assert_int_equal(xt_syn_dest(55000 + p), DB);
}

static void test_dest_gone_drops(void **st)
{
	static const uint32_t ids[] = { DA };
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xt_cnts snap;
	struct xvs_dest a;
	size_t len, out_len;

	(void)st;
	setup_svc(XVS_SCHED_RR, ids, NULL, 1);
	xt_syn_dest(56000);
	/* The dest's slot freed (xvsd deleted it after its last conn). */
	a = xt_dest_get(DA);
	a.flags = 0;
	xt_dest_put(DA, &a);
	snap = xt_cnts_snap();
	len = xt_tcp4(in, 56000, PKT_TCP_ACK, 0, false);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_DROP);
	xt_expect_cnt_delta(&snap, XVS_CNT_DROP_DEST_GONE, 1);
}

/* ---- UDP ---- */

static void test_udp_new_and_established(void **st)
{
	static const uint32_t ids[] = { DA, DB };
	struct pkt_desc pd = PKT_DESC_UDP4(XT_CLIENT, 5353, XT_VIP, 53);
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_conn_key k;
	struct xvs_conn c;
	struct xvs_dest a;
	size_t len;

	(void)st;
	xt_dests_dr(SVC, ids, NULL, 2);
	xt_svc_add(XT_VIP, 53, IPPROTO_UDP, SVC, XVS_SCHED_RR, ids, 2);
	pd.payload = "query";
	pd.payload_len = 5;
	len = pkt_build(in, sizeof(in), &pd);
	a = xt_dest_get(DA);

	xt_expect_dr(in, len, &a);
	k = xt_conn_key4(XT_CLIENT, 5353, XT_VIP, 53, IPPROTO_UDP);
	assert_int_equal(xt_conn_get(&k, &c), 0);
	assert_int_equal(c.state, XVS_UDP_STATE);
	assert_int_equal(c.timeout, xt_timeouts[XVS_TIMEOUT_UDP]);
	assert_int_equal(c.dest_id, DA);
	assert_int_equal(c.fwd, XVS_FWD_DR);
	xt_expect_conns(DA, 0, 1);

	/* The next datagram of the flow: same dest (rr would say DB). */
	xt_expect_dr(in, len, &a);
	assert_int_equal(xt_conn_get(&k, &c), 0);
	assert_int_equal(c.state, XVS_UDP_STATE);
	xt_expect_conns(DA, 0, 1);
	xt_expect_conns(DB, 0, 0);
	xt_expect_stats(SVC, DA, 1, 2, 2 * (len - PKT_ETH_HLEN));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_tcp_syn_ack_fin),
		T(test_tcp_rst),
		T(test_tcp_fin_in_syn_recv),
		T(test_time_wait_reuse),
		T(test_time_wait_reuse_no_dest),
		T(test_sched_rr),
		T(test_sched_rr_skips_fairly),
		T(test_sched_wrr),
		T(test_sched_wrr_skips_ineligible),
		T(test_sched_wlc),
		T(test_sched_wlc_counts_active),
		T(test_weight0_keeps_existing),
		T(test_removed_dest_keeps_conn),
		T(test_dest_gone_drops),
		T(test_udp_new_and_established),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
