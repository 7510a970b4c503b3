// SPDX-License-Identifier: GPL-2.0
/*
 * test_nat.c - NAT and FULLNAT in bpf/xvs_director.bpf.c under
 * BPF_PROG_TEST_RUN: every rewrite in both directions, the INPUT/OUTPUT
 * state tables, reply counters, local port allocation, TOA, and replies
 * that must not be translated.
 *
 * The program runs in a private network namespace (nat_env.h) so that
 * bpf_fib_lookup() has routes and neighbours for the return path. Every
 * expected frame is built independently by pkt.h, checksums computed from
 * scratch over the whole packet (not incrementally, as the program does),
 * and compared byte for byte with what the program left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "nat_env.h"

#define SVC	1
#define DA	1
#define RPORT	8080	/* the real server's port: NAT rewrites ports too */
#define CPORT	40000

static const uint8_t mac_xa[6] = XN_MAC_XA, mac_xb[6] = XN_MAC_XB;
static const uint8_t mac_gw[6] = XN_MAC_GW, mac_rs[6] = XN_MAC_RS;

/* SETUP: the devmap as xvsd fills it, and VIP:80/proto -> XN_RS:8080 by fwd. */
static void setup_nat(uint8_t proto, uint8_t fwd, uint32_t svc_flags)
{
	static const uint32_t ids[] = { DA };
	struct xvs_svc_key k = xt_svc_key4(XT_VIP, XT_VPORT, proto);
	struct xvs_svc svc = { .id = SVC, .sched = XVS_SCHED_RR, .flags = svc_flags };
	struct xvs_dest d = xt_dest_dr(DA, SVC, 1);
	uint32_t ifs[] = { xn_if_a, xn_if_b };

	for (int i = 0; i < 2; i++)
		assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_tx_ports_v1),
						     &ifs[i], &ifs[i], BPF_ANY), 0);
	d.fwd = fwd;
	d.addr.ip4 = pkt_ip4_addr(XN_RS);
	d.port = htons(RPORT);
	d.ifindex = xn_if_b;
	memcpy(d.dmac, mac_rs, 6);
	memcpy(d.smac, mac_xb, 6);
	xt_dest_put(DA, &d);
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_v1), &k, &svc,
					     BPF_ANY), 0);
	xt_svc_dests(SVC, ids, 1);
}

/* SETUP: the service's FULLNAT local addresses. */
static void setup_laddrs(const char *const *addrs, uint32_t n)
{
	struct xvs_laddrs la;
	uint32_t id = SVC;

	memset(&la, 0, sizeof(la));
	la.n = n;
	for (uint32_t i = 0; i < n; i++)
		la.addrs[i].ip4 = pkt_ip4_addr(addrs[i]);
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_laddr_v1), &id, &la,
					     BPF_ANY), 0);
}

/* One frame as the tests describe them. Ports in host order. */
struct frame {
	const uint8_t *dmac, *smac;
	const char *saddr, *daddr;
	uint16_t sport, dport;
	uint8_t proto, tcp_flags, ttl;
	size_t payload_len;
};

static size_t build(uint8_t *buf, const struct frame *f)
{
	static uint8_t payload[1400];
	struct pkt_desc d;
	size_t len;

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 13 + 5);
	memset(&d, 0, sizeof(d));
	memcpy(d.eth.dst, f->dmac, 6);
	memcpy(d.eth.src, f->smac, 6);
	d.ip.saddr = pkt_ip4_addr(f->saddr);
	d.ip.daddr = pkt_ip4_addr(f->daddr);
	d.ip.id = 0x4242;
	d.ip.frag = PKT_IP_DF;
	d.ip.ttl = f->ttl;
	d.l4.proto = f->proto;
	d.l4.sport = f->sport;
	d.l4.dport = f->dport;
	d.l4.seq = 7000;
	d.l4.ack = f->tcp_flags & PKT_TCP_ACK ? 9000 : 0;
	d.l4.tcp_flags = f->tcp_flags;
	d.payload = payload;
	d.payload_len = f->payload_len;
	len = pkt_build(buf, PKT_BUF_SIZE, &d);
	assert_true(len > 0);
	return len;
}

/* Run in (arriving on ifindex) and expect verdict and exactly want. */
static void expect_frame(const struct frame *in, uint32_t ifindex, int verdict,
			 const struct frame *want)
{
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE], wbuf[PKT_BUF_SIZE];
	size_t ilen = build(ibuf, in), olen, wlen = build(wbuf, want);

	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, ifindex), verdict);
	assert_true(pkt_ip4_csum_ok(obuf + PKT_ETH_HLEN));
	assert_true(pkt_l4_csum_ok(obuf + PKT_ETH_HLEN));
	expect_bytes(obuf, olen, wbuf, wlen);
}

/* Run in on ifindex and expect it handed to the kernel untouched. */
static void expect_pass(const struct frame *in, uint32_t ifindex)
{
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	size_t ilen = build(ibuf, in), olen;

	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, ifindex), XDP_PASS);
	expect_bytes(obuf, olen, ibuf, ilen);
}

/* The client's segment to the VIP, as it arrives on xa. */
static struct frame from_client(uint16_t cport, uint8_t flags, size_t payload_len)
{
	return (struct frame){ mac_xa, mac_gw, XT_CLIENT, XT_VIP, cport, XT_VPORT,
			       IPPROTO_TCP, flags, 64, payload_len };
}

static struct xvs_conn_key out_key(const char *daddr, uint16_t dport, uint8_t proto)
{
	struct xvs_conn_key k = xt_conn_key4(XN_RS, RPORT, daddr, dport, proto);

	k.kind = XVS_CONN_KIND_OUT;
	return k;
}

/* The client's SYN from CPORT, DNATed to XN_RS:RPORT (setup_nat NAT). */
static void nat_syn(void)
{
	struct frame in = from_client(CPORT, PKT_TCP_SYN, 0);
	struct frame want = { mac_rs, mac_xb, XT_CLIENT, XN_RS, CPORT, RPORT,
			      IPPROTO_TCP, PKT_TCP_SYN, 64, 0 };

	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
}

/* ---- NAT ---- */

static void test_nat_tcp_both_ways(void **st)
{
	struct frame in, want, reply, back;
	struct xvs_conn_key ok = out_key(XT_CLIENT, CPORT, IPPROTO_TCP);
	struct xvs_conn_out o;
	struct xvs_conn c;
	struct xvs_stats s;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	/* In: only the destination changes, to the real server. */
	nat_syn();
	c = xt_tcp_conn(CPORT);
	assert_int_equal(c.fwd, XVS_FWD_NAT);
	assert_int_equal(c.flags, XVS_CONN_F_INACTIVE);	/* sees both ways */
	assert_int_equal(c.state, XVS_TCP_SYN_RECV);
	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_conn_v1), &ok, &o), 0);
	assert_int_equal(o.caddr.ip4, pkt_ip4_addr(XT_CLIENT));
	assert_int_equal(o.vaddr.ip4, pkt_ip4_addr(XT_VIP));
	assert_int_equal(o.dest_id, DA);

	/* Out: the source becomes VIP:80, routed to the client's gateway,
	 * TTL down by one as any forwarded packet. */
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 63, 0 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
	assert_int_equal(xt_tcp_conn(CPORT).state, XVS_TCP_SYN_RECV);

	in = from_client(CPORT, PKT_TCP_ACK, 0);
	want = (struct frame){ mac_rs, mac_xb, XT_CLIENT, XN_RS, CPORT, RPORT,
			       IPPROTO_TCP, PKT_TCP_ACK, 64, 0 };
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	assert_int_equal(xt_tcp_conn(CPORT).state, XVS_TCP_ESTABLISHED);
	xt_expect_conns(DA, 1, 0);

	reply.tcp_flags = back.tcp_flags = PKT_TCP_ACK | PKT_TCP_PSH;
	reply.payload_len = back.payload_len = 1000;
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);

	s = xt_stats(xt_skel->maps.xvs_dest_stats_v1, DA);
	assert_int_equal(s.conns, 1);
	assert_int_equal(s.inpkts, 2);
	assert_int_equal(s.outpkts, 2);
	assert_int_equal(s.outbytes, 2 * (20 + 20) + 1000);
	s = xt_stats(xt_skel->maps.xvs_svc_stats_v1, SVC);
	assert_int_equal(s.outpkts, 2);
}

/* IPVS's INPUT and OUTPUT tables: client FIN, then the server's. */
static void test_nat_close_states(void **st)
{
	struct frame in, want, reply, back;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	want = (struct frame){ mac_rs, mac_xb, XT_CLIENT, XN_RS, CPORT, RPORT,
			       IPPROTO_TCP, PKT_TCP_SYN, 64, 0 };
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 63, 0 };
	in = from_client(CPORT, PKT_TCP_SYN, 0);
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
	in.tcp_flags = want.tcp_flags = PKT_TCP_ACK;
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	xt_expect_conns(DA, 1, 0);

	in.tcp_flags = want.tcp_flags = PKT_TCP_FIN | PKT_TCP_ACK;
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	assert_int_equal(xt_tcp_conn(CPORT).state, XVS_TCP_CLOSE_WAIT);
	xt_expect_conns(DA, 0, 1);
	reply.tcp_flags = back.tcp_flags = PKT_TCP_FIN | PKT_TCP_ACK;
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
	assert_int_equal(xt_tcp_conn(CPORT).state, XVS_TCP_TIME_WAIT);
	assert_int_equal(xt_tcp_conn(CPORT).timeout, xt_timeouts[XVS_TCP_TIME_WAIT]);
}

/* The server's RST goes through OUTPUT: established -> CLOSE. */
static void test_nat_server_rst(void **st)
{
	struct frame reply, back;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	nat_syn();
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_TCP, PKT_TCP_RST | PKT_TCP_ACK, 64, 0 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_RST | PKT_TCP_ACK, 63, 0 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
	assert_int_equal(xt_tcp_conn(CPORT).state, XVS_TCP_CLOSE);
}

static void test_nat_udp_both_ways(void **st)
{
	struct frame in, want, reply, back;
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	size_t ilen, olen;

	(void)st;
	setup_nat(IPPROTO_UDP, XVS_FWD_NAT, 0);
	in = (struct frame){ mac_xa, mac_gw, XT_CLIENT, XT_VIP, CPORT, XT_VPORT,
			     IPPROTO_UDP, 0, 64, 100 };
	want = (struct frame){ mac_rs, mac_xb, XT_CLIENT, XN_RS, CPORT, RPORT,
			       IPPROTO_UDP, 0, 64, 100 };
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_UDP, 0, 64, 33 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_UDP, 0, 63, 33 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);

	/* A datagram without a checksum (0, IPv4) stays without one. */
	ilen = build(ibuf, &reply);
	ibuf[PKT_ETH_HLEN + 20 + 6] = ibuf[PKT_ETH_HLEN + 20 + 7] = 0;
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_b), XDP_REDIRECT);
	assert_int_equal(pkt_get16(obuf + PKT_ETH_HLEN + 20 + 6), 0);
	assert_true(pkt_ip4_csum_ok(obuf + PKT_ETH_HLEN));
	assert_int_equal(pkt_get16(obuf + PKT_ETH_HLEN + 20), XT_VPORT);
}

/*
 * -o with NAT keeps the entry (the reply must be translated back), and a
 * persistent NAT service's connection names its template (CONTROLLED).
 */
static void test_nat_onepacket_persistent(void **st)
{
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, CPORT, XT_VIP, XT_VPORT, IPPROTO_UDP);
	struct frame in, want, reply, back;
	struct xvs_conn c;

	(void)st;
	setup_nat(IPPROTO_UDP, XVS_FWD_NAT, XVS_SVC_F_ONEPACKET | XVS_SVC_F_PERSISTENT);
	in = (struct frame){ mac_xa, mac_gw, XT_CLIENT, XT_VIP, CPORT, XT_VPORT,
			     IPPROTO_UDP, 0, 64, 100 };
	want = (struct frame){ mac_rs, mac_xb, XT_CLIENT, XN_RS, CPORT, RPORT,
			       IPPROTO_UDP, 0, 64, 100 };
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	assert_int_equal(xt_conn_get(&k, &c), 0);
	assert_int_equal(c.dest_id, DA);
	assert_true(c.flags & XVS_CONN_F_CONTROLLED);
	assert_int_equal(xt_dest_conns(DA).persist, 1);
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_UDP, 0, 64, 33 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_UDP, 0, 63, 33 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
}

/*
 * Replies that claim a connection they do not belong to are never
 * translated: from another server, to another client port, or after the
 * forward entry is gone.
 */
static void test_nat_reply_mismatch_passes(void **st)
{
	struct frame reply;
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, CPORT, XT_VIP, XT_VPORT, IPPROTO_TCP);
	struct xt_cnts snap;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	nat_syn();

	reply = (struct frame){ mac_xb, mac_rs, "198.18.1.12", XT_CLIENT, RPORT, CPORT,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	expect_pass(&reply, xn_if_b);
	reply.saddr = XN_RS;
	reply.dport = CPORT + 1;
	expect_pass(&reply, xn_if_b);
	reply.dport = CPORT;
	reply.sport = RPORT + 1;
	expect_pass(&reply, xn_if_b);

	/* The forward entry expired: its OUT entry no longer translates. */
	assert_int_equal(bpf_map_delete_elem(xt_fd(xt_skel->maps.xvs_conn_v1), &k), 0);
	reply.sport = RPORT;
	snap = xt_cnts_snap();
	expect_pass(&reply, xn_if_b);
	xt_expect_cnt_delta(&snap, XVS_CNT_PASS_REPLY_NO_CONN, 1);
}

/* No route back to the client: the reply is dropped and counted. */
static void test_nat_reply_no_route_dropped(void **st)
{
	struct frame reply;
	struct xt_cnts snap;
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	size_t ilen, olen;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	assert_int_equal(system("ip route del 198.18.2.0/24"), 0);
	nat_syn();
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	snap = xt_cnts_snap();
	ilen = build(ibuf, &reply);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_b), XDP_DROP);
	xt_expect_cnt_delta(&snap, XVS_CNT_DROP_FIB, 1);
	assert_int_equal(system("ip route add 198.18.2.0/24 via 198.18.0.1 dev xa"), 0);
}

/*
 * A client on the director's own link whose MAC it has not learnt yet:
 * the reply goes to the kernel translated (it resolves the neighbour and
 * forwards it), TTL untouched (the kernel's forwarding takes one off).
 */
static void test_nat_reply_unknown_neighbour(void **st)
{
	struct frame in, want, reply, back;
	struct xt_cnts snap;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	in = (struct frame){ mac_xa, mac_gw, "198.18.0.77", XT_VIP, CPORT, XT_VPORT,
			     IPPROTO_TCP, PKT_TCP_SYN, 64, 0 };
	want = (struct frame){ mac_rs, mac_xb, "198.18.0.77", XN_RS, CPORT, RPORT,
			       IPPROTO_TCP, PKT_TCP_SYN, 64, 0 };
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, "198.18.0.77", RPORT, CPORT,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	back = (struct frame){ mac_xb, mac_rs, XT_VIP, "198.18.0.77", XT_VPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	snap = xt_cnts_snap();
	expect_frame(&reply, xn_if_b, XDP_PASS, &back);
	xt_expect_cnt_delta(&snap, XVS_CNT_PASS_NAT_NO_NEIGH, 1);
	assert_int_equal(xt_stats(xt_skel->maps.xvs_dest_stats_v1, DA).outpkts, 1);
}

/*
 * IPVS's INPUT and OUTPUT tables (ip_vs_proto_tcp.c), transcribed here
 * from the reference, rows syn, fin, ack, rst, columns sNO sES sSS sSR sFW
 * sTW sCL sCW sLA sLI sSA: every transition, driven through the program.
 */
enum { NO, ES, SS, SR, FW, TW, CL, CW, LA, LI, SA, NSTATES };
static const uint8_t ref_input[4][NSTATES] = {
	{ SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR },
	{ CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW },
	{ CL, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES },
	{ CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR },
};
static const uint8_t ref_output[4][NSTATES] = {
	{ SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR },
	{ TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW },
	{ ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES },
	{ CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL },
};

static void test_nat_state_tables(void **st)
{
	static const uint8_t row_flags[4] = {
		PKT_TCP_SYN, PKT_TCP_FIN | PKT_TCP_ACK, PKT_TCP_ACK, PKT_TCP_RST | PKT_TCP_ACK,
	};
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, CPORT, XT_VIP, XT_VPORT, IPPROTO_TCP);
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	struct frame in = from_client(CPORT, PKT_TCP_SYN, 0), reply;
	size_t ilen, olen;
	struct xvs_conn c;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	ilen = build(ibuf, &in);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XT_CLIENT, RPORT, CPORT,
				IPPROTO_TCP, 0, 64, 0 };
	for (int dir = 0; dir < 2; dir++) {
		for (int row = 0; row < 4; row++) {
			for (uint8_t s0 = 0; s0 < NSTATES; s0++) {
				uint8_t want = dir ? ref_output[row][s0] : ref_input[row][s0];

				/* A client SYN on TIME_WAIT is a new connection. */
				if (!dir && row == 0 && s0 == TW)
					continue;
				assert_int_equal(xt_conn_get(&k, &c), 0);
				c.state = s0;
				assert_int_equal(bpf_map_update_elem(
					xt_fd(xt_skel->maps.xvs_conn_v1), &k, &c, BPF_EXIST), 0);
				if (dir) {
					reply.tcp_flags = row_flags[row];
					ilen = build(ibuf, &reply);
				} else {
					in.tcp_flags = row_flags[row];
					ilen = build(ibuf, &in);
				}
				assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen,
							   dir ? xn_if_b : xn_if_a), XDP_REDIRECT);
				assert_int_equal(xt_conn_get(&k, &c), 0);
				if (c.state != want)
					fprintf(stderr, "%s row %d from %u: %u, want %u\n",
						dir ? "OUTPUT" : "INPUT", row, s0, c.state, want);
				assert_int_equal(c.state, want);
				if (want != s0)
					assert_int_equal(c.timeout, xt_timeouts[want]);
			}
		}
	}
}

/* ---- FULLNAT ---- */

/* The OUT entry a FULLNAT SYN from cport made: its LIP and lport. */
static void fnat_local(uint16_t cport, uint32_t *lip, uint16_t *lport)
{
	struct xvs_conn c = xt_tcp_conn(cport);

	assert_int_equal(c.fwd, XVS_FWD_FULLNAT);
	*lip = c.nat_addr.ip4;
	*lport = ntohs(c.nat_sport);
	assert_int_equal(ntohs(c.nat_dport), RPORT);
}

/* The client's SYN from cport through FULLNAT: its local address and port. */
static void fnat_syn(uint16_t cport, uint32_t *lip, uint16_t *lport)
{
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	struct frame in = from_client(cport, PKT_TCP_SYN, 0);
	size_t ilen = build(ibuf, &in), olen;

	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	fnat_local(cport, lip, lport);
}

static void test_fullnat_tcp_both_ways(void **st)
{
	static const char *const lips[] = { XN_LIP_A, XN_LIP_B };
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE], wbuf[PKT_BUF_SIZE];
	struct frame in, want, reply, back;
	struct xvs_conn_key ok;
	struct xvs_conn_out o;
	char lip_s[INET_ADDRSTRLEN];
	size_t ilen, olen, wlen;
	uint16_t lport;
	uint32_t lip;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_FULLNAT, 0);
	setup_laddrs(lips, 2);
	in = from_client(CPORT, PKT_TCP_SYN, 0);
	ilen = build(ibuf, &in);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	fnat_local(CPORT, &lip, &lport);
	assert_true(lip == pkt_ip4_addr(XN_LIP_A) || lip == pkt_ip4_addr(XN_LIP_B));
	assert_true(lport >= XVS_LPORT_MIN);
	inet_ntop(AF_INET, &lip, lip_s, sizeof(lip_s));
	/* In: LIP:lport -> RS:rport. */
	want = (struct frame){ mac_rs, mac_xb, lip_s, XN_RS, lport, RPORT,
			       IPPROTO_TCP, PKT_TCP_SYN, 64, 0 };
	wlen = build(wbuf, &want);
	expect_bytes(obuf, olen, wbuf, wlen);
	ok = out_key(lip_s, lport, IPPROTO_TCP);
	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_conn_v1), &ok, &o), 0);
	assert_int_equal(o.cport, htons(CPORT));

	/* Out: RS:rport -> LIP:lport becomes VIP:80 -> client:cport. */
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, lip_s, RPORT, lport,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 63, 0 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);

	in = from_client(CPORT, PKT_TCP_ACK | PKT_TCP_PSH, 500);
	want.tcp_flags = PKT_TCP_ACK | PKT_TCP_PSH;
	want.payload_len = 500;
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	assert_int_equal(xt_tcp_conn(CPORT).state, XVS_TCP_ESTABLISHED);

	/* A reply to the LIP on another lport is nobody's. */
	reply.dport = lport == 65535 ? 1024 : lport + 1;
	expect_pass(&reply, xn_if_b);
}

static void test_fullnat_udp_both_ways(void **st)
{
	static const char *const lips[] = { XN_LIP_A };
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE], wbuf[PKT_BUF_SIZE];
	struct frame in, want, reply, back;
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, CPORT, XT_VIP, XT_VPORT, IPPROTO_UDP);
	struct xvs_conn c;
	size_t ilen, olen, wlen;
	uint16_t lport;

	(void)st;
	setup_nat(IPPROTO_UDP, XVS_FWD_FULLNAT, 0);
	setup_laddrs(lips, 1);
	in = (struct frame){ mac_xa, mac_gw, XT_CLIENT, XT_VIP, CPORT, XT_VPORT,
			     IPPROTO_UDP, 0, 64, 60 };
	ilen = build(ibuf, &in);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	assert_int_equal(xt_conn_get(&k, &c), 0);
	lport = ntohs(c.nat_sport);
	want = (struct frame){ mac_rs, mac_xb, XN_LIP_A, XN_RS, lport, RPORT,
			       IPPROTO_UDP, 0, 64, 60 };
	wlen = build(wbuf, &want);
	expect_bytes(obuf, olen, wbuf, wlen);
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XN_LIP_A, RPORT, lport,
				IPPROTO_UDP, 0, 64, 20 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_UDP, 0, 63, 20 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
}

/* Many connections: every (LIP, lport) distinct, each with its OUT entry. */
static void test_fullnat_ports_unique(void **st)
{
	static const char *const lips[] = { XN_LIP_A, XN_LIP_B };
	enum { N = 600 };
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	static uint32_t seen[N][2];
	size_t ilen, olen;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_FULLNAT, 0);
	setup_laddrs(lips, 2);
	for (int i = 0; i < N; i++) {
		struct frame in = from_client((uint16_t)(20000 + i), PKT_TCP_SYN, 0);
		uint16_t lport;

		ilen = build(ibuf, &in);
		assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
		fnat_local((uint16_t)(20000 + i), &seen[i][0], &lport);
		seen[i][1] = lport;
		for (int j = 0; j < i; j++)
			assert_false(seen[j][0] == seen[i][0] && seen[j][1] == seen[i][1]);
	}
	/* Both local addresses are in use. */
	int a = 0;

	for (int i = 0; i < N; i++)
		a += seen[i][0] == pkt_ip4_addr(XN_LIP_A);
	assert_true(a > 0 && a < N);
}

/* No local address: new connections are refused and counted. */
static void test_fullnat_no_laddr_refused(void **st)
{
	struct frame in = from_client(CPORT, PKT_TCP_SYN, 0);
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, CPORT, XT_VIP, XT_VPORT, IPPROTO_TCP);
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	struct xvs_conn c;
	struct xt_cnts snap;
	size_t ilen, olen;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_FULLNAT, 0);
	snap = xt_cnts_snap();
	ilen = build(ibuf, &in);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_DROP);
	xt_expect_cnt_delta(&snap, XVS_CNT_DROP_LPORT_EXHAUSTED, 1);
	assert_int_equal(xt_conn_get(&k, &c), -ENOENT);
	xt_expect_conns(DA, 0, 0);
}

/*
 * want with the TOA option (kind 254, len 8, client port, client address)
 * after its TCP header: the frame built anew, checksums from scratch.
 */
static size_t build_with_toa(uint8_t *buf, const struct frame *f)
{
	size_t len = build(buf, f), l4 = PKT_ETH_HLEN + 20, hl = 20;
	uint8_t *iph = buf + PKT_ETH_HLEN;

	memmove(buf + l4 + hl + 8, buf + l4 + hl, len - l4 - hl);
	buf[l4 + hl] = 254;
	buf[l4 + hl + 1] = 8;
	pkt_put16(buf + l4 + hl + 2, CPORT);
	memcpy(buf + l4 + hl + 4, &(uint32_t){ pkt_ip4_addr(XT_CLIENT) }, 4);
	buf[l4 + 12] = (uint8_t)(((hl + 8) / 4) << 4);
	pkt_put16(iph + 2, (uint16_t)(pkt_get16(iph + 2) + 8));
	pkt_put16(iph + 10, 0);
	pkt_put16(iph + 10, pkt_ip4_csum(iph));
	pkt_put16(buf + l4 + 16, 0);
	pkt_put16(buf + l4 + 16, pkt_l4_csum(iph));
	return len + 8;
}

static void test_fullnat_toa(void **st)
{
	static const char *const lips[] = { XN_LIP_A };
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE], wbuf[PKT_BUF_SIZE];
	struct frame in, want, reply, back;
	size_t ilen, olen, wlen;
	uint16_t lport;
	uint32_t lip;
	struct xt_cnts snap;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_FULLNAT, XVS_SVC_F_TOA);
	setup_laddrs(lips, 1);
	in = from_client(CPORT, PKT_TCP_SYN, 0);
	ilen = build(ibuf, &in);
	/* The SYN carries no TOA. */
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	assert_int_equal(olen, ilen);
	fnat_local(CPORT, &lip, &lport);
	reply = (struct frame){ mac_xb, mac_rs, XN_RS, XN_LIP_A, RPORT, lport,
				IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 64, 0 };
	back = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_SYN | PKT_TCP_ACK, 63, 0 };
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);

	/* The handshake's ACK, and the first data, carry it. */
	want = (struct frame){ mac_rs, mac_xb, XN_LIP_A, XN_RS, lport, RPORT,
			       IPPROTO_TCP, PKT_TCP_ACK, 64, 0 };
	for (size_t pl = 0; pl <= 300; pl += 300) {
		in = from_client(CPORT, PKT_TCP_ACK, pl);
		want.payload_len = pl;
		ilen = build(ibuf, &in);
		wlen = build_with_toa(wbuf, &want);
		assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
		assert_true(pkt_ip4_csum_ok(obuf + PKT_ETH_HLEN));
		assert_true(pkt_l4_csum_ok(obuf + PKT_ETH_HLEN));
		expect_bytes(obuf, olen, wbuf, wlen);
	}

	/* The server answered past the handshake: no more TOA. */
	reply.tcp_flags = back.tcp_flags = PKT_TCP_ACK;
	expect_frame(&reply, xn_if_b, XDP_REDIRECT, &back);
	in = from_client(CPORT, PKT_TCP_ACK, 100);
	want.payload_len = 100;
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);

	/* A full-sized segment has no room under the MTU: sent without. */
	{
		struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, CPORT, XT_VIP, XT_VPORT,
						     IPPROTO_TCP);
		struct xvs_conn c;

		assert_int_equal(xt_conn_get(&k, &c), 0);
		c.nat_flags &= (uint8_t)~XVS_NAT_F_TOA_DONE;
		assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_conn_v1), &k,
						     &c, BPF_EXIST), 0);
	}
	in = from_client(CPORT, PKT_TCP_ACK, 1460);
	want.payload_len = 1460;
	snap = xt_cnts_snap();
	expect_frame(&in, xn_if_a, XDP_REDIRECT, &want);
	xt_expect_cnt_delta(&snap, XVS_CNT_TOA_NO_ROOM, 1);
}

/* ---- ICMP errors ---- */

/*
 * An ICMP error frame: outer osrc -> odst (TTL ttl), type/code (mtu for
 * "fragmentation needed"), quoting the first quote_len bytes of the IP
 * packet q describes. ICMP checksum from scratch over header and quote.
 */
static size_t icmp_frame(uint8_t *buf, const uint8_t *dmac, const uint8_t *smac,
			 const char *osrc, const char *odst, uint8_t ttl, uint8_t type,
			 uint8_t code, uint16_t mtu, const struct frame *q, size_t quote_len)
{
	uint8_t qbuf[PKT_BUF_SIZE], icmp[8 + 64];
	struct pkt_desc d;
	size_t len;

	build(qbuf, q);
	assert_true(quote_len <= 64);
	memset(icmp, 0, sizeof(icmp));
	icmp[0] = type;
	icmp[1] = code;
	pkt_put16(icmp + 6, mtu);
	memcpy(icmp + 8, qbuf + PKT_ETH_HLEN, quote_len);
	pkt_put16(icmp + 2, pkt_csum_fold(pkt_csum_add(0, icmp, 8 + quote_len)));
	memset(&d, 0, sizeof(d));
	memcpy(d.eth.dst, dmac, 6);
	memcpy(d.eth.src, smac, 6);
	d.ip.saddr = pkt_ip4_addr(osrc);
	d.ip.daddr = pkt_ip4_addr(odst);
	d.ip.ttl = ttl;
	d.ip.proto = IPPROTO_ICMP;
	d.payload = icmp;
	d.payload_len = 8 + quote_len;
	len = pkt_build(buf, PKT_BUF_SIZE, &d);
	assert_true(len > 0);
	return len;
}

/* The frame's ICMP checksum and its quoted IP header's are right. */
static void expect_icmp_csums(const uint8_t *f, size_t len)
{
	const uint8_t *iph = f + PKT_ETH_HLEN, *icmp = iph + 20;

	assert_true(pkt_ip4_csum_ok(iph));
	assert_int_equal(pkt_csum_fold(pkt_csum_add(0, icmp, len - PKT_ETH_HLEN - 20)), 0);
	assert_true(pkt_ip4_csum_ok(icmp + 8));
}

/* NAT: a router on the client's side says our reply was too big. */
static void test_icmp_nat_from_client_side(void **st)
{
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE], wbuf[PKT_BUF_SIZE];
	struct frame quoted, orig;
	size_t ilen, olen, wlen;
	struct xt_cnts snap;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	nat_syn();

	quoted = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
				 IPPROTO_TCP, PKT_TCP_ACK, 60, 1400 };
	orig = (struct frame){ mac_gw, mac_xa, XN_RS, XT_CLIENT, RPORT, CPORT,
			       IPPROTO_TCP, PKT_TCP_ACK, 60, 1400 };
	ilen = icmp_frame(ibuf, mac_xa, mac_gw, "198.18.0.1", XT_VIP, 64, 3, 4, 1400,
			  &quoted, 28);
	wlen = icmp_frame(wbuf, mac_rs, mac_xb, "198.18.0.1", XN_RS, 64, 3, 4, 1400,
			  &orig, 28);
	snap = xt_cnts_snap();
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	expect_icmp_csums(obuf, olen);
	expect_bytes(obuf, olen, wbuf, wlen);
	xt_expect_cnt_delta(&snap, XVS_CNT_ICMP_XLATED, 1);
}

/* FULLNAT: a router on the servers' side says our packet was too big. */
static void test_icmp_fullnat_from_server_side(void **st)
{
	static const char *const lips[] = { XN_LIP_A };
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE], wbuf[PKT_BUF_SIZE];
	struct frame quoted, orig;
	size_t ilen, olen, wlen;
	uint16_t lport;
	uint32_t lip;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_FULLNAT, 0);
	setup_laddrs(lips, 1);
	fnat_syn(CPORT, &lip, &lport);

	quoted = (struct frame){ mac_rs, mac_xb, XN_LIP_A, XN_RS, lport, RPORT,
				 IPPROTO_TCP, PKT_TCP_ACK, 64, 1400 };
	orig = (struct frame){ mac_rs, mac_xb, XT_CLIENT, XT_VIP, CPORT, XT_VPORT,
			       IPPROTO_TCP, PKT_TCP_ACK, 64, 1400 };
	ilen = icmp_frame(ibuf, mac_xb, mac_rs, "198.18.1.254", XN_LIP_A, 64, 3, 4, 1300,
			  &quoted, 28);
	wlen = icmp_frame(wbuf, mac_gw, mac_xa, XT_VIP, XT_CLIENT, 63, 3, 4, 1300,
			  &orig, 28);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_b), XDP_REDIRECT);
	expect_icmp_csums(obuf, olen);
	expect_bytes(obuf, olen, wbuf, wlen);
}

/* DR: the error goes to the real server as it came, new MACs only. */
static void test_icmp_dr_forwarded(void **st)
{
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	struct frame in, quoted;
	struct xvs_dest d;
	size_t ilen, olen;
	struct xt_cnts snap;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_DR, 0);
	d = xt_dest_get(DA);
	in = from_client(CPORT, PKT_TCP_SYN, 0);
	ilen = build(ibuf, &in);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	quoted = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
				 IPPROTO_TCP, PKT_TCP_ACK, 60, 1400 };
	ilen = icmp_frame(ibuf, mac_xa, mac_gw, "198.18.0.1", XT_VIP, 64, 3, 4, 1400,
			  &quoted, 28);
	snap = xt_cnts_snap();
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_REDIRECT);
	memcpy(ibuf, d.dmac, 6);
	memcpy(ibuf + 6, d.smac, 6);
	expect_bytes(obuf, olen, ibuf, ilen);
	xt_expect_cnt_delta(&snap, XVS_CNT_ICMP_FORWARDED, 1);
}

/* Errors cut short, or about nothing we track, go to the kernel as they came. */
static void test_icmp_untracked_or_truncated_passes(void **st)
{
	uint8_t ibuf[PKT_BUF_SIZE], obuf[PKT_BUF_SIZE];
	struct frame quoted;
	size_t ilen, olen;

	(void)st;
	setup_nat(IPPROTO_TCP, XVS_FWD_NAT, 0);
	nat_syn();
	quoted = (struct frame){ mac_gw, mac_xa, XT_VIP, XT_CLIENT, XT_VPORT, CPORT,
				 IPPROTO_TCP, PKT_TCP_ACK, 60, 1400 };
	/* The quote stops inside the ports. */
	ilen = icmp_frame(ibuf, mac_xa, mac_gw, "198.18.0.1", XT_VIP, 64, 3, 4, 1400,
			  &quoted, 22);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_PASS);
	expect_bytes(obuf, olen, ibuf, ilen);
	/* Another client port: no connection. */
	quoted.dport = CPORT + 1;
	ilen = icmp_frame(ibuf, mac_xa, mac_gw, "198.18.0.1", XT_VIP, 64, 3, 4, 1400,
			  &quoted, 28);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_PASS);
	expect_bytes(obuf, olen, ibuf, ilen);
	/* Not an error (echo request). */
	quoted.dport = CPORT;
	ilen = icmp_frame(ibuf, mac_xa, mac_gw, "198.18.0.1", XT_VIP, 64, 8, 0, 0,
			  &quoted, 28);
	assert_int_equal(xt_run_if(ibuf, ilen, obuf, &olen, xn_if_a), XDP_PASS);
	expect_bytes(obuf, olen, ibuf, ilen);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_nat_tcp_both_ways),
		T(test_nat_close_states),
		T(test_nat_server_rst),
		T(test_nat_state_tables),
		T(test_nat_udp_both_ways),
		T(test_nat_onepacket_persistent),
		T(test_nat_reply_mismatch_passes),
		T(test_nat_reply_no_route_dropped),
		T(test_nat_reply_unknown_neighbour),
		T(test_fullnat_tcp_both_ways),
		T(test_fullnat_udp_both_ways),
		T(test_fullnat_ports_unique),
		T(test_fullnat_no_laddr_refused),
		T(test_fullnat_toa),
		T(test_icmp_nat_from_client_side),
		T(test_icmp_fullnat_from_server_side),
		T(test_icmp_dr_forwarded),
		T(test_icmp_untracked_or_truncated_passes),
	};
#undef T

	if (xn_netns_setup())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
