// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_persist.c - persistence (-p, -M, port-0 services) and
 * one-packet scheduling (-o) of bpf/xvs_director.bpf.c under
 * BPF_PROG_TEST_RUN.
 *
 * SETUP writes a persistent service as xvsd would (XVS_SVC_F_PERSISTENT,
 * timeout, prefix length); CHECK sends new connections and reads where
 * each went (the next hop's MAC ends in the dest id), the templates in
 * the connection table, PersistConn and the connections' control flags.
 * The rules are IPVS's ip_vs_sched_persist and ip_vs_check_template: a
 * live template with a dest still in the service decides, whatever the
 * scheduler, the weight (0 included, unless expire_quiescent_template)
 * or OVERLOAD; otherwise the scheduler picks and a new template records
 * it. rr is the scheduler throughout: without persistence it alternates,
 * so a repeat of the same dest shows the template at work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "xvs/persist.h"

#define SVC	1
#define DA	1
#define DB	2
#define PTIMEOUT 360
#define CLIENT2	"198.18.2.77"	/* in XT_CLIENT's /24 */
#define CLIENT3	"198.18.3.1"	/* outside it */

static const uint32_t ids2[] = { DA, DB };

/* SETUP: VIP:port/proto, rr over DA and DB, with flags, prefix length. */
static void setup_svc(uint16_t port, uint8_t proto, uint32_t flags, uint8_t mask)
{
	struct xvs_svc_key k = xt_svc_key4(XT_VIP, port, proto);
	struct xvs_svc svc = {
		.id = SVC, .sched = XVS_SCHED_RR, .flags = flags,
		.pmask_len = mask, .timeout = PTIMEOUT,
	};

	xt_dests_dr(SVC, ids2, NULL, 2);
	xt_svc_dests(SVC, ids2, 2);
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_v1),
					     &k, &svc, BPF_ANY), 0);
}

/*
 * Send one packet saddr:sport -> VIP:dport (a SYN for TCP) and return
 * the dest it went to, 0 if it was answered with ICMP (no dest).
 */
static uint32_t send_new(uint8_t proto, const char *saddr, uint16_t sport, uint16_t dport)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct pkt_desc d = proto == IPPROTO_TCP ?
		PKT_DESC_TCP4(saddr, sport, XT_VIP, dport) :
		PKT_DESC_UDP4(saddr, sport, XT_VIP, dport);
	size_t len = pkt_build(in, PKT_BUF_SIZE, &d), out_len;

	assert_true(len > 0);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	if (out[PKT_ETH_HLEN + 9] == IPPROTO_ICMP)
		return 0;
	return out[5];
}

static uint32_t syn(const char *saddr, uint16_t sport, uint16_t dport)
{
	return send_new(IPPROTO_TCP, saddr, sport, dport);
}

/* The template of client saddr for vport (0: a port-0 service's). */
static int tpl_get(uint8_t proto, const char *saddr, uint8_t mask, uint16_t vport,
		   struct xvs_conn *t)
{
	struct xvs_conn_key in = xt_conn_key4(saddr, 1, XT_VIP, vport, proto), k;

	xvs_tpl_key(&k, &in, mask, vport == 0);
	return xt_conn_get(&k, t);
}

/* CHECK: dest id has PersistConn n and no ActiveConn/InActConn from templates. */
static void expect_persist(uint32_t id, int32_t n)
{
	assert_int_equal(xt_dest_conns(id).persist, n);
}

/* A client keeps its dest across connections; another client is scheduled. */
static void test_template_keeps_client(void **st)
{
	struct xvs_conn t, c;

	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP, XVS_SVC_F_PERSISTENT, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	assert_int_equal(syn(XT_CLIENT, 1001, XT_VPORT), DA);
	assert_int_equal(syn(XT_CLIENT, 1002, XT_VPORT), DA);
	assert_int_equal(syn(CLIENT2, 1000, XT_VPORT), DB);

	assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, XT_VPORT, &t), 0);
	assert_int_equal(t.dest_id, DA);
	assert_int_equal(t.svc_id, SVC);
	assert_int_equal(t.flags, XVS_CONN_F_TEMPLATE);
	assert_int_equal(t.state, XVS_TPL_NONE);
	assert_int_equal(t.timeout, PTIMEOUT);
	/* One template each; the three connections count as inactive. */
	expect_persist(DA, 1);
	expect_persist(DB, 1);
	xt_expect_conns(DA, 0, 3);
	c = xt_tcp_conn(1001);
	assert_int_equal(c.flags & (XVS_CONN_F_CONTROLLED | XVS_CONN_F_TPL_ANYPORT),
			 XVS_CONN_F_CONTROLLED);
	assert_int_equal(c.tpl_mask, 32);
	/* Connections count in the stats, templates do not. */
	assert_int_equal(xt_stats(xt_skel->maps.xvs_svc_stats_v1, SVC).conns, 4);
}

/* -M 255.255.255.0: one template for the client's /24. */
static void test_netmask(void **st)
{
	struct xvs_conn t;

	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP, XVS_SVC_F_PERSISTENT, 24);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	assert_int_equal(syn(CLIENT2, 1000, XT_VPORT), DA);
	assert_int_equal(syn(CLIENT3, 1000, XT_VPORT), DB);
	assert_int_equal(tpl_get(IPPROTO_TCP, "198.18.2.0", 32, XT_VPORT, &t), 0);
	assert_int_equal(t.dest_id, DA);
	expect_persist(DA, 1);
	assert_int_equal(xt_tcp_conn(1000).tpl_mask, 24);
}

/* A port-0 service takes every port, with one template for all of them;
 * a service of its own on a port still takes that port. */
static void test_port_zero(void **st)
{
	struct xvs_conn_key k;
	struct xvs_conn t, c;

	(void)st;
	setup_svc(0, IPPROTO_TCP, XVS_SVC_F_PERSISTENT, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, 80), DA);
	assert_int_equal(syn(XT_CLIENT, 1001, 443), DA);
	assert_int_equal(syn(XT_CLIENT, 1002, 22), DA);
	assert_int_equal(syn(CLIENT2, 1000, 443), DB);
	assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, 0, &t), 0);
	assert_int_equal(t.dest_id, DA);
	assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, 443, &t), -ENOENT);
	expect_persist(DA, 1);
	k = xt_conn_key4(XT_CLIENT, 1001, XT_VIP, 443, IPPROTO_TCP);
	assert_int_equal(xt_conn_get(&k, &c), 0);
	assert_int_equal(c.flags & (XVS_CONN_F_CONTROLLED | XVS_CONN_F_TPL_ANYPORT),
			 XVS_CONN_F_CONTROLLED | XVS_CONN_F_TPL_ANYPORT);

	/* A non-persistent service of its own on 8080 (id 2, only DB). */
	{
		static const uint32_t only_b[] = { DB };

		xt_svc_add(XT_VIP, 8080, IPPROTO_TCP, 2, XVS_SCHED_RR, only_b, 1);
		assert_int_equal(syn(XT_CLIENT, 1003, 8080), DB);
	}
}

/* A dest taken out of the service voids its templates: rescheduled. */
static void test_removed_dest(void **st)
{
	static const uint32_t only_b[] = { DB };
	struct xvs_dest d;
	struct xvs_conn t;

	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP, XVS_SVC_F_PERSISTENT, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	/* xvsd's retire_dest: out of the list, not AVAILABLE, draining. */
	d = xt_dest_get(DA);
	d.flags &= ~XVS_DEST_F_AVAILABLE;
	xt_dest_put(DA, &d);
	xt_svc_dests(SVC, only_b, 1);
	assert_int_equal(syn(XT_CLIENT, 1001, XT_VPORT), DB);
	assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, XT_VPORT, &t), 0);
	assert_int_equal(t.dest_id, DB);
	expect_persist(DA, 0);
	expect_persist(DB, 1);
}

/* Weight 0 (quiescent) and OVERLOAD do not break persistence... */
static void test_quiescent_and_overload_keep(void **st)
{
	struct xvs_dest d;

	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP, XVS_SVC_F_PERSISTENT, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	d = xt_dest_get(DA);
	d.weight = 0;
	xt_dest_put(DA, &d);
	assert_int_equal(syn(XT_CLIENT, 1001, XT_VPORT), DA);
	/* ... but a new client skips the quiescent dest. */
	assert_int_equal(syn(CLIENT3, 1000, XT_VPORT), DB);
	d.weight = 1;
	xt_dest_put(DA, &d);
	xt_dest_overload(DA, 1);
	assert_int_equal(syn(XT_CLIENT, 1002, XT_VPORT), DA);
	expect_persist(DA, 1);
}

/* ... unless xvsd expires quiescent templates (expire_quiescent_template). */
static void test_expire_quiescent(void **st)
{
	struct xvs_dest d;

	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP,
		  XVS_SVC_F_PERSISTENT | XVS_SVC_F_EXPIRE_QUIESCENT, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	d = xt_dest_get(DA);
	d.weight = 0;
	xt_dest_put(DA, &d);
	assert_int_equal(syn(XT_CLIENT, 1001, XT_VPORT), DB);
	expect_persist(DA, 0);
	expect_persist(DB, 1);
}

/* Each use refreshes the template; an established controlled TCP
 * connection makes it ASSURED (ip_vs_control_assure_ct). */
static void test_refresh_and_assured(void **st)
{
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_conn t;
	size_t len;

	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP, XVS_SVC_F_PERSISTENT, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, XT_VPORT, &t), 0);
	/* Age it by hand: the next use must bring last_seen back. */
	{
		struct xvs_conn_key in4 = xt_conn_key4(XT_CLIENT, 1, XT_VIP, XT_VPORT,
						       IPPROTO_TCP), k;
		uint64_t seen = t.last_seen_ns;

		xvs_tpl_key(&k, &in4, 32, 0);
		t.last_seen_ns = 1;
		assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_conn_v1),
						     &k, &t, BPF_EXIST), 0);
		assert_int_equal(syn(XT_CLIENT, 1001, XT_VPORT), DA);
		assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, XT_VPORT, &t), 0);
		assert_true(t.last_seen_ns >= seen);
	}
	assert_int_equal(t.state, XVS_TPL_NONE);
	len = xt_tcp4(in, 1000, PKT_TCP_ACK, 0, false);
	{
		struct xvs_dest d = xt_dest_get(DA);

		xt_expect_dr(in, len, &d);
	}
	assert_int_equal(tpl_get(IPPROTO_TCP, XT_CLIENT, 32, XT_VPORT, &t), 0);
	assert_int_equal(t.state, XVS_TPL_ASSURED);
	/* Templates never count as active or inactive. */
	xt_expect_conns(DA, 1, 1);
	expect_persist(DA, 1);
}

/* -o on UDP: each datagram of one flow is scheduled on its own, no entry
 * is kept, and each counts as a connection. */
static void test_onepacket(void **st)
{
	static const uint32_t want[] = { DA, DB, DA, DB };
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, 5353, XT_VIP, 53, IPPROTO_UDP);
	struct xvs_conn c;

	(void)st;
	setup_svc(53, IPPROTO_UDP, XVS_SVC_F_ONEPACKET, 32);
	for (int i = 0; i < 4; i++)
		assert_int_equal(send_new(IPPROTO_UDP, XT_CLIENT, 5353, 53), want[i]);
	assert_int_equal(xt_conn_get(&k, &c), -ENOENT);
	xt_expect_conns(DA, 0, 0);
	xt_expect_conns(DB, 0, 0);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_svc_stats_v1, SVC).conns, 4);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_dest_stats_v1, DA).inpkts, 2);
}

/* -o with -p: the template holds the client, the datagrams leave no entry. */
static void test_onepacket_persistent(void **st)
{
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, 5353, XT_VIP, 53, IPPROTO_UDP);
	struct xvs_conn c, t;

	(void)st;
	setup_svc(53, IPPROTO_UDP, XVS_SVC_F_ONEPACKET | XVS_SVC_F_PERSISTENT, 32);
	for (int i = 0; i < 4; i++)
		assert_int_equal(send_new(IPPROTO_UDP, XT_CLIENT, 5353 + i, 53), DA);
	assert_int_equal(send_new(IPPROTO_UDP, CLIENT3, 5353, 53), DB);
	assert_int_equal(xt_conn_get(&k, &c), -ENOENT);
	assert_int_equal(tpl_get(IPPROTO_UDP, XT_CLIENT, 32, 53, &t), 0);
	assert_int_equal(t.dest_id, DA);
	expect_persist(DA, 1);
	xt_expect_conns(DA, 0, 0);
}

/* -o means nothing to TCP (IPVS applies it to UDP only). */
static void test_onepacket_ignored_for_tcp(void **st)
{
	(void)st;
	setup_svc(XT_VPORT, IPPROTO_TCP, XVS_SVC_F_ONEPACKET, 32);
	assert_int_equal(syn(XT_CLIENT, 1000, XT_VPORT), DA);
	assert_int_equal(xt_tcp_conn(1000).dest_id, DA);
	xt_expect_conns(DA, 0, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_template_keeps_client),
		T(test_netmask),
		T(test_port_zero),
		T(test_removed_dest),
		T(test_quiescent_and_overload_keep),
		T(test_expire_quiescent),
		T(test_refresh_and_assured),
		T(test_onepacket),
		T(test_onepacket_persistent),
		T(test_onepacket_ignored_for_tcp),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
