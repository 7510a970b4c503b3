// SPDX-License-Identifier: GPL-2.0
/*
 * test_tcp_states.c - every transition of IPVS's INPUT_ONLY TCP state
 * table (DR and TUN: the director sees the client's side only), through
 * the data plane under BPF_PROG_TEST_RUN.
 *
 * For each state S and each kind of segment: SETUP writes an entry in
 * state S into the connection table (with the dest's ActiveConn or
 * InActConn holding it, as the data plane would have), CHECK sends one
 * client segment and reads the entry's new state, its timeout and the
 * dest's counts. The expected table is typed here from IPVS's
 * ip_vs_proto_tcp.c (tcp_states[], INPUT-ONLY rows), not taken from
 * bpf/lib/conn.h, so that a wrong entry there fails. The segments are
 * chosen to show the precedence rst > syn > fin > ack as well: SYN|ACK
 * takes the syn row, FIN|ACK the fin row, RST|ACK the rst row. A
 * segment with none of the four flags closes the connection
 * (set_tcp_state's default).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#define SVC	1
#define DA	1
#define SPORT	4000

enum { NO = XVS_TCP_NONE, ES = XVS_TCP_ESTABLISHED, SS = XVS_TCP_SYN_SENT,
       SR = XVS_TCP_SYN_RECV, FW = XVS_TCP_FIN_WAIT, TW = XVS_TCP_TIME_WAIT,
       CL = XVS_TCP_CLOSE, CW = XVS_TCP_CLOSE_WAIT, LA = XVS_TCP_LAST_ACK,
       LI = XVS_TCP_LISTEN, SA = XVS_TCP_SYNACK };

/* ip_vs_proto_tcp.c, tcp_states[], INPUT-ONLY: [segment][from]. */
static const uint8_t want_input_only[4][XVS_TCP_STATE_MAX] = {
	/*         NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA */
	/* syn */ { SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR },
	/* fin */ { CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW },
	/* ack */ { CL, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES },
	/* rst */ { CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL },
};

/* The segment that drives each row, with a lower-precedence flag added. */
static const uint8_t row_flags[4] = {
	PKT_TCP_SYN | PKT_TCP_ACK,	/* syn beats ack */
	PKT_TCP_FIN | PKT_TCP_ACK,	/* fin beats ack */
	PKT_TCP_ACK,
	PKT_TCP_RST | PKT_TCP_ACK,	/* rst beats ack */
};

static const char *const row_names[4] = { "syn", "fin", "ack", "rst" };

/* SETUP: one DR service with dest DA. */
static void setup_svc(void)
{
	static const uint32_t ids[] = { DA };

	xt_dests_dr(SVC, ids, NULL, 1);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_RR, ids, 1);
}

/* SETUP: the client's connection in state from, counted as IPVS counts it. */
static void put_conn(uint8_t from)
{
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, SPORT, XT_VIP, XT_VPORT, IPPROTO_TCP);
	struct xvs_conn c = {
		.dest_id = DA,
		.svc_id = SVC,
		.timeout = xt_timeouts[from],
		.state = from,
		.flags = XVS_CONN_F_NOOUTPUT | (from == ES ? 0 : XVS_CONN_F_INACTIVE),
		.fwd = XVS_FWD_DR,
	};

	c.last_seen_ns = 1;
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_conn_v1), &k, &c,
					     BPF_ANY), 0);
	xt_dest_conns_set(DA, from == ES, from != ES);
}

/*
 * CHECK: a segment with flags to a connection in state from is forwarded
 * and leaves it in state to, with to's timeout and the dest counting it
 * as active only in ESTABLISHED.
 */
static void expect_transition(uint8_t from, uint8_t flags, uint8_t to, const char *what)
{
	uint8_t in[PKT_BUF_SIZE];
	size_t len = xt_tcp4(in, SPORT, flags, 0, false);
	struct xvs_dest d = xt_dest_get(DA);
	struct xvs_conn c;

	put_conn(from);
	xt_expect_dr(in, len, &d);
	c = xt_tcp_conn(SPORT);
	if (c.state != to)
		fprintf(stderr, "%s from state %u: got %u, want %u\n", what, from,
			c.state, to);
	assert_int_equal(c.state, to);
	assert_int_equal(c.timeout, xt_timeouts[to]);
	assert_int_equal(c.dest_id, DA);
	assert_int_equal(!(c.flags & XVS_CONN_F_INACTIVE), to == ES);
	xt_expect_conns(DA, to == ES, to != ES);
}

/* Every (state, segment) pair of the INPUT_ONLY table. */
static void test_input_only_table(void **st)
{
	(void)st;
	setup_svc();
	for (int row = 0; row < 4; row++)
		for (uint8_t from = 0; from < XVS_TCP_STATE_MAX; from++)
			expect_transition(from, row_flags[row], want_input_only[row][from],
					  row_names[row]);
}

/* The bare flags drive the same rows (no lower-precedence flag set). */
static void test_bare_flags(void **st)
{
	(void)st;
	setup_svc();
	for (uint8_t from = 0; from < XVS_TCP_STATE_MAX; from++) {
		expect_transition(from, PKT_TCP_FIN, want_input_only[1][from], "bare fin");
		expect_transition(from, PKT_TCP_RST, want_input_only[3][from], "bare rst");
		/* rst beats syn too. */
		expect_transition(from, PKT_TCP_RST | PKT_TCP_SYN, want_input_only[3][from],
				  "rst+syn");
	}
}

/* None of syn, fin, ack, rst: IPVS's set_tcp_state goes to CLOSE. */
static void test_no_flags_close(void **st)
{
	(void)st;
	setup_svc();
	for (uint8_t from = 0; from < XVS_TCP_STATE_MAX; from++)
		expect_transition(from, PKT_TCP_PSH, CL, "psh only");
}

/* A handshake, data, and the client's close, as a DR director sees them. */
static void test_client_lifecycle(void **st)
{
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len;

	(void)st;
	setup_svc();
	d = xt_dest_get(DA);
	len = xt_tcp4(in, SPORT, PKT_TCP_SYN, 0, false);
	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(SPORT).state, SR);
	xt_expect_conns(DA, 0, 1);
	len = xt_tcp4(in, SPORT, PKT_TCP_ACK, 0, false);
	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(SPORT).state, ES);
	xt_expect_conns(DA, 1, 0);
	len = xt_tcp4(in, SPORT, PKT_TCP_ACK | PKT_TCP_PSH, 100, false);
	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(SPORT).state, ES);
	len = xt_tcp4(in, SPORT, PKT_TCP_FIN | PKT_TCP_ACK, 0, false);
	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(SPORT).state, FW);
	xt_expect_conns(DA, 0, 1);
	len = xt_tcp4(in, SPORT, PKT_TCP_ACK, 0, false);
	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(SPORT).state, FW);
	assert_int_equal(xt_tcp_conn(SPORT).timeout, xt_timeouts[FW]);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_input_only_table),
		T(test_bare_flags),
		T(test_no_flags_close),
		T(test_client_lifecycle),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
