// SPDX-License-Identifier: GPL-2.0
/*
 * test_director.c - bpf/xvs_director.bpf.c under BPF_PROG_TEST_RUN:
 * forwarding and packet handling. DR (MAC rewrite), TUN (IPIP encap),
 * the ICMP errors the director answers itself, and everything it must
 * hand to the kernel byte for byte. Scheduling and connection states are
 * in test_director_sched.c.
 *
 * Each test loads a fresh program with unpinned maps (helpers.h), sets
 * the maps up as xvsd would (SETUP), runs crafted frames through it and
 * compares the bytes that come out field by field against frames built
 * independently here, with checksums computed from scratch by pkt.h
 * (CHECK). The drop/pass counters are checked as deltas so that a wrong
 * path shows even when the bytes happen to match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "pkt_extra.h"

#define SVC	1	/* service id */
#define DA	1	/* dest ids */
#define DB	2

/* SETUP: VIP:80/tcp, rr, one DR dest DA. */
static void setup_dr_one(void)
{
	static const uint32_t ids[] = { DA };

	xt_dests_dr(SVC, ids, NULL, 1);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_RR, ids, 1);
}

/* SETUP: VIP:80/tcp, rr, one TUN dest DA at 198.18.1.11 with mtu. */
static struct xvs_dest setup_tun_one(uint16_t mtu)
{
	static const uint32_t ids[] = { DA };
	struct xvs_dest d = xt_dest_dr(DA, SVC, 1);

	d.fwd = XVS_FWD_TUN;
	d.addr.ip4 = pkt_ip4_addr("198.18.1.11");
	d.saddr.ip4 = pkt_ip4_addr(XT_DIRECTOR);
	d.mtu = mtu;
	xt_dest_put(DA, &d);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_RR, ids, 1);
	return d;
}

/* ---- DR ---- */

static void test_dr_syn_creates_conn(void **st)
{
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest d;
	struct xvs_conn c;
	struct xt_cnts snap;
	size_t len;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	snap = xt_cnts_snap();
	len = xt_tcp4(in, 40000, PKT_TCP_SYN, 0, false);

	xt_expect_dr(in, len, &d);

	c = xt_tcp_conn(40000);
	assert_int_equal(c.dest_id, DA);
	assert_int_equal(c.svc_id, SVC);
	assert_int_equal(c.state, XVS_TCP_SYN_RECV);
	assert_int_equal(c.timeout, xt_timeouts[XVS_TCP_SYN_RECV]);
	assert_int_equal(c.flags, XVS_CONN_F_INACTIVE | XVS_CONN_F_NOOUTPUT);
	assert_int_equal(c.fwd, XVS_FWD_DR);
	assert_true(c.last_seen_ns != 0);
	xt_expect_conns(DA, 0, 1);
	xt_expect_stats(SVC, DA, 1, 1, len - PKT_ETH_HLEN);
	xt_expect_cnt_delta(&snap, XVS_CNT_MAX, 0);
}

static void test_dr_established_data(void **st)
{
	uint8_t syn[PKT_BUF_SIZE], ack[PKT_BUF_SIZE], data[PKT_BUF_SIZE];
	size_t syn_len, ack_len, data_len;
	struct xvs_dest d;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	syn_len = xt_tcp4(syn, 40000, PKT_TCP_SYN, 0, false);
	ack_len = xt_tcp4(ack, 40000, PKT_TCP_ACK, 0, false);
	data_len = xt_tcp4(data, 40000, PKT_TCP_ACK | PKT_TCP_PSH, 1000, false);

	xt_expect_dr(syn, syn_len, &d);
	xt_expect_dr(ack, ack_len, &d);
	xt_expect_dr(data, data_len, &d);
	assert_int_equal(xt_tcp_conn(40000).state, XVS_TCP_ESTABLISHED);
	xt_expect_conns(DA, 1, 0);
	xt_expect_stats(SVC, DA, 1, 3, syn_len + ack_len + data_len - 3 * PKT_ETH_HLEN);
}

static void test_dr_vlan_kept(void **st)
{
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	len = xt_tcp4(in, 40001, PKT_TCP_SYN, 10, true);
	assert_int_equal(pkt_l3_off(in, len), 18);
	/* Only the 12 MAC bytes change: the tag and the rest stay. */
	xt_expect_dr(in, len, &d);
}

static void test_dr_ip_options(void **st)
{
	/* Router alert (RFC 2113) and a NOP pad: IHL 6. */
	static const uint8_t opts[4] = { 0x94, 0x04, 0x00, 0x00 };
	struct pkt_desc pd = PKT_DESC_TCP4(XT_CLIENT, 40002, XT_VIP, XT_VPORT);
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	pd.ip.opts = opts;
	pd.ip.opts_len = sizeof(opts);
	len = pkt_build(in, sizeof(in), &pd);
	xt_expect_dr(in, len, &d);
	assert_int_equal(xt_tcp_conn(40002).dest_id, DA);
}

static void test_dr_other_interface_redirects(void **st)
{
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	d.ifindex = XT_IFINDEX + 1;
	xt_dest_put(DA, &d);
	len = xt_tcp4(in, 40003, PKT_TCP_SYN, 0, false);
	xt_expect_dr(in, len, &d);	/* XDP_REDIRECT, same bytes */
}

static void test_dr_ipv6_service(void **st)
{
	static const uint32_t ids[] = { DA };
	struct pkt_eth e = { .dst = PKT_MAC_B, .src = PKT_MAC_A };
	uint8_t in[PKT_BUF_SIZE], cli[16], vip[16];
	struct xvs_svc_key k;
	struct xvs_conn_key ck;
	struct xvs_conn c;
	struct xvs_dest d;
	size_t len;

	(void)st;
	pkt_ip6_addr("2001:db8::1", cli);
	pkt_ip6_addr("2001:db8::100", vip);
	d = xt_dest_dr(DA, SVC, 1);
	d.af = XVS_AF_INET6;
	pkt_ip6_addr("2001:db8::11", d.addr.bytes);
	xt_dest_put(DA, &d);
	memset(&k, 0, sizeof(k));
	memcpy(k.addr.bytes, vip, 16);
	k.port = htons(XT_VPORT);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET6;
	xt_svc_add_key(&k, SVC, XVS_SCHED_RR, ids, 1);

	len = pkt_build_tcp6(in, sizeof(in), &e, cli, vip, 40004, XT_VPORT, PKT_TCP_SYN);
	xt_expect_dr(in, len, &d);
	memset(&ck, 0, sizeof(ck));
	memcpy(ck.saddr.bytes, cli, 16);
	memcpy(ck.daddr.bytes, vip, 16);
	ck.sport = htons(40004);
	ck.dport = htons(XT_VPORT);
	ck.proto = IPPROTO_TCP;
	ck.af = XVS_AF_INET6;
	assert_int_equal(xt_conn_get(&ck, &c), 0);
	assert_int_equal(c.state, XVS_TCP_SYN_RECV);
	xt_expect_stats(SVC, DA, 1, 1, len - PKT_ETH_HLEN);
}

static void test_dr_neigh_unresolved_drops(void **st)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xt_cnts snap;
	struct xvs_dest d;
	size_t len, out_len;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	d.flags &= ~XVS_DEST_F_NEIGH_OK;
	xt_dest_put(DA, &d);
	snap = xt_cnts_snap();
	len = xt_tcp4(in, 40005, PKT_TCP_SYN, 0, false);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_DROP);
	xt_expect_cnt_delta(&snap, XVS_CNT_DROP_NO_NEIGH, 1);
}

/* ---- TUN ---- */

/*
 * CHECK a TUN frame: out must be in's link layer with d's MACs, then an
 * outer IPv4 header built here from the inner one (tos, DF, ttl copied;
 * id 0 with DF, not checked without), then the inner datagram byte for
 * byte.
 */
static void expect_tun(const uint8_t *in, size_t len, const uint8_t *out,
		       size_t out_len, const struct xvs_dest *d)
{
	size_t l2 = pkt_l3_off(in, len);
	const uint8_t *inner = in + l2, *outer = out + l2;
	uint8_t want[PKT_BUF_SIZE];
	uint16_t frag = pkt_get16(inner + 6) & PKT_IP_DF;

	assert_true(l2 > 0);
	assert_int_equal(out_len, len + PKT_IP4_HLEN);
	memcpy(want, in, l2);
	memcpy(want, d->dmac, 6);
	memcpy(want + 6, d->smac, 6);
	want[l2 + 0] = 0x45;
	want[l2 + 1] = inner[1];				/* tos */
	pkt_put16(want + l2 + 2, (uint16_t)(len - l2 + PKT_IP4_HLEN));
	/* Without DF the id must vary (RFC 6864); take the program's. */
	pkt_put16(want + l2 + 4, frag ? 0 : pkt_get16(outer + 4));
	pkt_put16(want + l2 + 6, frag);
	want[l2 + 8] = inner[8];				/* ttl */
	want[l2 + 9] = IPPROTO_IPIP;
	pkt_put16(want + l2 + 10, 0);
	memcpy(want + l2 + 12, &d->saddr.ip4, 4);
	memcpy(want + l2 + 16, &d->addr.ip4, 4);
	pkt_put16(want + l2 + 10, pkt_ip4_csum(want + l2));
	memcpy(want + l2 + PKT_IP4_HLEN, inner, len - l2);
	expect_bytes(out, out_len, want, len + PKT_IP4_HLEN);
	assert_true(pkt_ip4_csum_ok(outer));
	assert_true(pkt_ip4_csum_ok(outer + PKT_IP4_HLEN));
	assert_true(pkt_l4_csum_ok(outer + PKT_IP4_HLEN));
}

static void test_tun_encap(void **st)
{
	struct pkt_desc pd = PKT_DESC_TCP4(XT_CLIENT, 41000, XT_VIP, XT_VPORT);
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xvs_dest d;
	struct xt_cnts snap;
	size_t len, out_len;

	(void)st;
	d = setup_tun_one(1500);
	pd.ip.tos = 0x2e << 2;		/* DSCP EF: must be copied */
	pd.ip.ttl = 33;
	pd.ip.id = 0xbeef;
	pd.ip.frag = PKT_IP_DF;
	len = pkt_build(in, sizeof(in), &pd);
	snap = xt_cnts_snap();

	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	expect_tun(in, len, out, out_len, &d);
	/* Spot-check the fields an off-by-one would move. */
	assert_int_equal(out[14], 0x45);
	assert_int_equal(out[15], 0xb8);
	assert_int_equal(pkt_get16(out + 16), len - 14 + 20);
	assert_int_equal(pkt_get16(out + 20), PKT_IP_DF);
	assert_int_equal(out[22], 33);
	assert_int_equal(out[23], 4);
	assert_memory_equal(out + 26, &d.saddr.ip4, 4);
	assert_memory_equal(out + 30, &d.addr.ip4, 4);
	assert_int_equal(xt_tcp_conn(41000).fwd, XVS_FWD_TUN);
	xt_expect_stats(SVC, DA, 1, 1, len - PKT_ETH_HLEN);
	xt_expect_cnt_delta(&snap, XVS_CNT_MAX, 0);
}

static void test_tun_encap_no_df(void **st)
{
	struct pkt_desc pd = PKT_DESC_UDP4(XT_CLIENT, 5000, XT_VIP, XT_VPORT);
	static const uint32_t ids[] = { DA };
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len, out_len;

	(void)st;
	d = setup_tun_one(1500);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_UDP, SVC, XVS_SCHED_RR, ids, 1);
	pd.ip.tos = 0x01;
	pd.ip.ttl = 200;
	pd.payload = "abcdefg";
	pd.payload_len = 7;
	len = pkt_build(in, sizeof(in), &pd);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	expect_tun(in, len, out, out_len, &d);
	assert_int_equal(pkt_get16(out + 20), 0);	/* no DF */
}

static void test_tun_vlan_kept(void **st)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len, out_len;

	(void)st;
	d = setup_tun_one(1500);
	len = xt_tcp4(in, 41001, PKT_TCP_SYN, 33, true);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	/* Tag 42 and EtherType IPv4 behind it, outer header at 18. */
	assert_int_equal(pkt_get16(out + 12), PKT_ETH_P_8021Q);
	assert_int_equal(pkt_get16(out + 14), 42);
	assert_int_equal(pkt_get16(out + 16), PKT_ETH_P_IP);
	expect_tun(in, len, out, out_len, &d);
}

static void test_tun_established(void **st)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len, out_len;

	(void)st;
	d = setup_tun_one(1500);
	len = xt_tcp4(in, 41002, PKT_TCP_SYN, 0, false);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	len = xt_tcp4(in, 41002, PKT_TCP_ACK | PKT_TCP_PSH, 1400, false);
	/* 1454-byte frame, 1440-byte datagram: 1460 outer fits 1500. */
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	expect_tun(in, len, out, out_len, &d);
	assert_int_equal(xt_tcp_conn(41002).state, XVS_TCP_ESTABLISHED);
}

/*
 * The ICMP error the director should send for in: in's link layer with
 * the MACs swapped, IPv4 VIP -> client (tos 0xc0, id 0, no DF, ttl 64,
 * as Linux sends ICMP), type/code/mtu, and the quoted original IP header
 * plus 8 bytes (RFC 792). Checksums computed here. Returns its length.
 */
static size_t want_icmp(const uint8_t *in, size_t len, uint8_t type, uint8_t code,
			uint16_t mtu, uint8_t *want)
{
	size_t l2 = pkt_l3_off(in, len);
	const uint8_t *iph = in + l2;
	size_t quote = pkt_ip4_hlen(iph) + 8;
	uint8_t *ip = want + l2, *ic = ip + 20;

	assert_true(l2 > 0);
	memcpy(want, in, l2);
	memcpy(want, in + 6, 6);
	memcpy(want + 6, in, 6);
	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[1] = 0xc0;
	pkt_put16(ip + 2, (uint16_t)(28 + quote));
	ip[8] = 64;
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, iph + 16, 4);		/* from the VIP */
	memcpy(ip + 16, iph + 12, 4);		/* to the client */
	pkt_put16(ip + 10, pkt_ip4_csum(ip));
	ic[0] = type;
	ic[1] = code;
	pkt_put16(ic + 6, mtu);
	memcpy(ic + 8, iph, quote);
	pkt_put16(ic + 2, pkt_csum_fold(pkt_csum_add(0, ic, 8 + quote)));
	return l2 + 28 + quote;
}

/* CHECK an ICMP reply: bytes, and both checksums from scratch. */
static void expect_icmp(const uint8_t *in, size_t len, const uint8_t *out,
			size_t out_len, uint8_t type, uint8_t code, uint16_t mtu)
{
	uint8_t want[PKT_BUF_SIZE];
	size_t want_len = want_icmp(in, len, type, code, mtu, want);
	size_t l2 = pkt_l3_off(out, out_len);

	expect_bytes(out, out_len, want, want_len);
	assert_true(pkt_ip4_csum_ok(out + l2));
	assert_int_equal(pkt_csum_fold(pkt_csum_add(0, out + l2 + 20,
						     out_len - l2 - 20)), 0);
}

static void test_tun_frag_needed(void **st)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xt_cnts snap;
	size_t len, out_len;
	int vlan;

	(void)st;
	setup_tun_one(1400);
	for (vlan = 0; vlan < 2; vlan++) {
		uint16_t sport = (uint16_t)(41100 + vlan);

		len = xt_tcp4(in, sport, PKT_TCP_SYN, 0, vlan);
		assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
		/* 40 + 1341 = 1381 + 20 = 1401 > 1400, DF set. */
		len = xt_tcp4(in, sport, PKT_TCP_ACK, 1341, vlan);
		snap = xt_cnts_snap();
		assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
		expect_icmp(in, len, out, out_len, 3, 4, 1400 - 20);
		xt_expect_cnt_delta(&snap, XVS_CNT_ICMP_FRAG_NEEDED, 1);
		/* One byte less fits exactly. */
		len = xt_tcp4(in, sport, PKT_TCP_ACK, 1340, vlan);
		assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
		assert_int_equal(out_len, len + 20);
	}
}

static void test_tun_frag_needed_ip_options(void **st)
{
	static const uint8_t opts[8] = { 0x94, 0x04, 0x00, 0x00, 1, 1, 1, 0 };
	struct pkt_desc pd = PKT_DESC_TCP4(XT_CLIENT, 41200, XT_VIP, XT_VPORT);
	static uint8_t payload[600];
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	size_t len, out_len;

	(void)st;
	setup_tun_one(576);
	memset(payload, 0xab, sizeof(payload));
	pd.ip.opts = opts;
	pd.ip.opts_len = sizeof(opts);
	pd.ip.frag = PKT_IP_DF;
	pd.payload = payload;
	pd.payload_len = sizeof(payload);
	len = pkt_build(in, sizeof(in), &pd);
	/* The quote is the 28-byte header with options plus 8 bytes. */
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	assert_int_equal(out_len, 14 + 20 + 8 + 28 + 8);
	expect_icmp(in, len, out, out_len, 3, 4, 576 - 20);
}

static void test_tun_too_big_no_df_drops(void **st)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xt_cnts snap;
	size_t len, out_len;

	(void)st;
	setup_tun_one(1400);
	len = xt_tcp4(in, 41300, PKT_TCP_SYN, 0, false);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	len = xt_tcp4(in, 41300, PKT_TCP_ACK, 1341, false);
	in[14 + 6] = 0;				/* clear DF */
	pkt_put16(in + 14 + 10, 0);
	pkt_put16(in + 14 + 10, pkt_ip4_csum(in + 14));
	snap = xt_cnts_snap();
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_DROP);
	xt_expect_cnt_delta(&snap, XVS_CNT_DROP_TOO_BIG, 1);
}

/* ---- no dest: ICMP port unreachable ---- */

static void test_no_dest_port_unreachable(void **st)
{
	static const uint32_t ids[] = { DA };
	static const int32_t w0[] = { 0 };
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct xvs_conn_key k;
	struct xvs_conn c;
	struct xt_cnts snap;
	size_t len, out_len;
	int vlan;

	(void)st;
	/* An empty service. */
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_WLC, NULL, 0);
	for (vlan = 0; vlan < 2; vlan++) {
		len = xt_tcp4(in, 42000, PKT_TCP_SYN, 0, vlan);
		snap = xt_cnts_snap();
		assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
		expect_icmp(in, len, out, out_len, 3, 3, 0);
		xt_expect_cnt_delta(&snap, XVS_CNT_DROP_NO_DEST, 1);
	}
	k = xt_conn_key4(XT_CLIENT, 42000, XT_VIP, XT_VPORT, IPPROTO_TCP);
	assert_int_equal(xt_conn_get(&k, &c), -ENOENT);

	/* Only quiescent (weight 0) dests, rr and wlc, TCP and UDP. */
	xt_dests_dr(SVC, ids, w0, 1);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_RR, ids, 1);
	len = xt_tcp4(in, 42001, PKT_TCP_SYN, 5, false);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	expect_icmp(in, len, out, out_len, 3, 3, 0);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_WLC, ids, 1);
	assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
	expect_icmp(in, len, out, out_len, 3, 3, 0);
	{
		struct pkt_desc pd = PKT_DESC_UDP4(XT_CLIENT, 53, XT_VIP, 53);

		xt_svc_add(XT_VIP, 53, IPPROTO_UDP, 2, XVS_SCHED_RR, ids, 1);
		pd.payload = "0123456789";
		pd.payload_len = 10;
		len = pkt_build(in, sizeof(in), &pd);
		assert_int_equal(xt_run(in, len, out, &out_len), XDP_TX);
		expect_icmp(in, len, out, out_len, 3, 3, 0);
	}
	xt_expect_conns(DA, 0, 0);
}

/* ---- handed to the kernel untouched ---- */

/* Run in, expect XDP_PASS, the same bytes, and counter k bumped once. */
static void expect_pass(const uint8_t *in, size_t len, uint32_t k)
{
	struct xt_cnts snap = xt_cnts_snap();

	xt_expect_pass_untouched(in, len);
	xt_expect_cnt_delta(&snap, k, 1);
}

static void test_pass_not_service(void **st)
{
	struct pkt_eth e = { .dst = PKT_MAC_B, .src = PKT_MAC_A };
	uint8_t in[PKT_BUF_SIZE], a6[16], b6[16];
	struct pkt_desc pd;
	size_t len;

	(void)st;
	setup_dr_one();
	/* Another port, another address, another protocol to the VIP. */
	pd = PKT_DESC_TCP4(XT_CLIENT, 40000, XT_VIP, 81);
	len = pkt_build(in, sizeof(in), &pd);
	expect_pass(in, len, XVS_CNT_PASS_NO_SERVICE);
	pd = PKT_DESC_TCP4(XT_CLIENT, 40000, "198.18.0.101", XT_VPORT);
	len = pkt_build(in, sizeof(in), &pd);
	expect_pass(in, len, XVS_CNT_PASS_NO_SERVICE);
	pd = PKT_DESC_UDP4(XT_CLIENT, 40000, XT_VIP, XT_VPORT);
	len = pkt_build(in, sizeof(in), &pd);
	expect_pass(in, len, XVS_CNT_PASS_NO_SERVICE);
	pd = PKT_DESC_TCP4(XT_CLIENT, 40000, XT_VIP, XT_VPORT);
	pd.l4.proto = 0;
	pd.ip.proto = IPPROTO_ICMP;
	pd.payload = "\x08\x00\xf7\xff\x00\x00\x00\x00";
	pd.payload_len = 8;
	len = pkt_build(in, sizeof(in), &pd);
	expect_pass(in, len, XVS_CNT_PASS_NO_SERVICE);

	/* ARP, IPv6 to no service. */
	len = pkt_build_arp(in, sizeof(in), pkt_ip4_addr(XT_CLIENT),
			    pkt_ip4_addr(XT_VIP));
	expect_pass(in, len, XVS_CNT_PASS_NOT_IP);
	pkt_ip6_addr("2001:db8::1", a6);
	pkt_ip6_addr("2001:db8::100", b6);
	len = pkt_build_tcp6(in, sizeof(in), &e, a6, b6, 40000, XT_VPORT, PKT_TCP_SYN);
	expect_pass(in, len, XVS_CNT_PASS_NO_SERVICE);
	assert_int_equal(xt_dest_conns(DA).inactive, 0);
}

/*
 * A frame for another MAC, on an interface whose MAC xvsd listed, is the
 * kernel's (IPVS sees only PACKET_HOST): a flooded frame meant for the
 * master must not be forwarded by a backup too. For the listed MAC the
 * same frame is forwarded.
 */
static void test_pass_other_host(void **st)
{
	static const uint8_t ours[6] = PKT_MAC_A, frames_dst[6] = PKT_MAC_B;
	struct xvs_iface_mac *tab = xt_skel->bss->xvs_iface_macs;
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_dest d;
	size_t len;

	(void)st;
	setup_dr_one();
	d = xt_dest_get(DA);
	len = xt_tcp4(in, 40000, PKT_TCP_SYN, 0, false);
	assert_memory_equal(in, frames_dst, 6);

	tab[0] = (struct xvs_iface_mac){ .ifindex = XT_IFINDEX };
	memcpy(tab[0].mac, ours, 6);
	expect_pass(in, len, XVS_CNT_PASS_OTHER_HOST);
	xt_expect_conns(DA, 0, 0);

	/* Another interface's entry does not filter this one. */
	tab[0].ifindex = XT_IFINDEX + 1;
	xt_expect_dr(in, len, &d);

	tab[0].ifindex = XT_IFINDEX;
	memcpy(tab[0].mac, frames_dst, 6);
	xt_expect_dr(in, len, &d);
	xt_expect_conns(DA, 0, 1);
	tab[0] = (struct xvs_iface_mac){ 0 };
}

static void test_pass_no_conn(void **st)
{
	static const uint8_t flags[] = {
		PKT_TCP_ACK, PKT_TCP_ACK | PKT_TCP_PSH, PKT_TCP_FIN | PKT_TCP_ACK,
		PKT_TCP_RST, PKT_TCP_SYN | PKT_TCP_ACK, PKT_TCP_SYN | PKT_TCP_RST, 0,
	};
	uint8_t in[PKT_BUF_SIZE];
	struct xvs_conn_key k;
	struct xvs_conn c;
	size_t i, len;

	(void)st;
	setup_dr_one();
	for (i = 0; i < sizeof(flags); i++) {
		len = xt_tcp4(in, 43000, flags[i], 4, false);
		expect_pass(in, len, XVS_CNT_PASS_NO_CONN);
	}
	k = xt_conn_key4(XT_CLIENT, 43000, XT_VIP, XT_VPORT, IPPROTO_TCP);
	assert_int_equal(xt_conn_get(&k, &c), -ENOENT);
	xt_expect_conns(DA, 0, 0);
}

/* Rewrite the IPv4 header checksum of the frame's header at iph. */
static void fix_csum(uint8_t *iph)
{
	pkt_put16(iph + 10, 0);
	pkt_put16(iph + 10, pkt_ip4_csum(iph));
}

static void test_pass_fragments(void **st)
{
	static const uint16_t frags[] = { PKT_IP_MF, 1, PKT_IP_MF | 185,
					  PKT_IP_DF | 3, PKT_IP_OFFSET };
	uint8_t in[PKT_BUF_SIZE];
	size_t i, len;

	(void)st;
	setup_dr_one();
	for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		len = xt_tcp4(in, 44000, PKT_TCP_SYN, 16, i & 1);
		pkt_put16(in + pkt_l3_off(in, len) + 6, frags[i]);
		fix_csum(in + pkt_l3_off(in, len));
		expect_pass(in, len, XVS_CNT_PASS_FRAGMENT);
	}
	xt_expect_conns(DA, 0, 0);
}

static void test_pass_malformed(void **st)
{
	uint8_t in[PKT_BUF_SIZE];
	uint8_t *iph = in + PKT_ETH_HLEN;
	size_t full, len;

	(void)st;
	setup_dr_one();

	/* Every truncation of a SYN to the service (TEST_RUN needs 14 bytes). */
	full = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	for (len = PKT_ETH_HLEN; len < full; len++)
		expect_pass(in, len, XVS_CNT_PASS_MALFORMED);
	full = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, true);
	for (len = PKT_ETH_HLEN + 1; len < full; len++)
		expect_pass(in, len, XVS_CNT_PASS_MALFORMED);

	/* IHL below 5. */
	len = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	iph[0] = 0x44;
	fix_csum(iph);
	expect_pass(in, len, XVS_CNT_PASS_MALFORMED);
	/* Version 6 in an IPv4 EtherType. */
	len = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	iph[0] = 0x65;
	fix_csum(iph);
	expect_pass(in, len, XVS_CNT_PASS_MALFORMED);
	/* tot_len beyond the frame. */
	len = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	pkt_put16(iph + 2, (uint16_t)(len - PKT_ETH_HLEN + 1));
	fix_csum(iph);
	expect_pass(in, len, XVS_CNT_PASS_MALFORMED);
	/* tot_len shorter than the header. */
	len = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	pkt_put16(iph + 2, 19);
	fix_csum(iph);
	expect_pass(in, len, XVS_CNT_PASS_MALFORMED);
	/* TCP data offset below 5. */
	len = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	iph[20 + 12] = 4 << 4;
	expect_pass(in, len, XVS_CNT_PASS_MALFORMED);
	/* IHL 15 with a 20-byte header: the TCP header is cut off. */
	len = xt_tcp4(in, 45000, PKT_TCP_SYN, 0, false);
	iph[0] = 0x4f;
	fix_csum(iph);
	expect_pass(in, len, XVS_CNT_PASS_MALFORMED);

	xt_expect_conns(DA, 0, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_dr_syn_creates_conn),
		T(test_dr_established_data),
		T(test_dr_vlan_kept),
		T(test_dr_ip_options),
		T(test_dr_other_interface_redirects),
		T(test_dr_ipv6_service),
		T(test_dr_neigh_unresolved_drops),
		T(test_tun_encap),
		T(test_tun_encap_no_df),
		T(test_tun_vlan_kept),
		T(test_tun_established),
		T(test_tun_frag_needed),
		T(test_tun_frag_needed_ip_options),
		T(test_tun_too_big_no_df_drops),
		T(test_no_dest_port_unreachable),
		T(test_pass_not_service),
		T(test_pass_other_host),
		T(test_pass_no_conn),
		T(test_pass_fragments),
		T(test_pass_malformed),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
