// SPDX-License-Identifier: GPL-2.0
/*
 * test_rs_decap.c - bpf/xvs_rs.bpf.c under BPF_PROG_TEST_RUN.
 *
 * Each test crafts frames with pkt.h, runs the real object (loaded through
 * its skeleton) on them and compares the bytes that come out: an IPIP
 * frame must come out as exactly the inner frame with the link layer kept;
 * everything else must come out byte for byte as it went in. The per-CPU
 * counters are checked too, so that a wrong path shows even when the bytes
 * happen to match.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "pkt.h"
#include "expect.h"
#include "xvs_rs.skel.h"
#include "../../rs/decap-t.h"

#define OUTER_SRC "198.18.0.10"		/* director */
#define OUTER_DST "198.18.1.11"		/* real server */
#define CLIENT    "198.18.2.1"
#define VIP       "198.18.0.100"

static struct xvs_rs *skel;

static const char payload[] = "GET / HTTP/1.0\r\n\r\n";

/* An inner TCP frame, client -> VIP, and its length. */
static size_t inner_tcp(uint8_t *buf, bool vlan)
{
	struct pkt_desc d = PKT_DESC_TCP4(CLIENT, 40000, VIP, 80);

	d.eth.vlan = vlan;
	d.eth.vlan_tci = 42;
	d.l4.tcp_flags = PKT_TCP_ACK | PKT_TCP_PSH;
	d.payload = payload;
	d.payload_len = sizeof(payload) - 1;
	return pkt_build(buf, PKT_BUF_SIZE, &d);
}

static struct pkt_ip4 outer_default(void)
{
	return (struct pkt_ip4){
		.saddr = pkt_ip4_addr(OUTER_SRC),
		.daddr = pkt_ip4_addr(OUTER_DST),
		.id = 7,
		.frag = PKT_IP_DF,
	};
}

/* Reset every counter on every CPU. */
static void counters_reset(struct xvs_rs *s)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t zero[ncpu];
	uint32_t k;

	memset(zero, 0, sizeof(zero));
	for (k = 0; k < XVS_RS_CNT_MAX; k++)
		assert_int_equal(bpf_map_update_elem(
			bpf_map__fd(s->maps.xvs_rs_stats_v1), &k, zero, 0), 0);
}

/* One counter, summed over CPUs. */
static uint64_t counter(struct xvs_rs *s, uint32_t k)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t v[ncpu], sum = 0;
	int i;

	assert_int_equal(bpf_map_lookup_elem(
		bpf_map__fd(s->maps.xvs_rs_stats_v1), &k, v), 0);
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* Run the program once on in; returns the XDP verdict, fills out. */
static int run(struct xvs_rs *s, const uint8_t *in, size_t len,
	       uint8_t *out, size_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (uint32_t)len,
		.data_out = out,
		.data_size_out = PKT_BUF_SIZE,
		.repeat = 1,
	);
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(s->progs.xvs_rs_decap), &o);
	assert_int_equal(err, 0);
	*out_len = o.data_size_out;
	return (int)o.retval;
}


/* Run in, expect XDP_PASS with the frame unchanged and counter k bumped. */
static void expect_untouched(const uint8_t *in, size_t len, uint32_t k)
{
	uint8_t out[PKT_BUF_SIZE];
	size_t out_len;

	counters_reset(skel);
	assert_int_equal(run(skel, in, len, out, &out_len), XDP_PASS);
	expect_bytes(out, out_len, in, len);
	assert_int_equal(counter(skel, k), 1);
	assert_int_equal(counter(skel, XVS_RS_CNT_DECAP), 0);
}

/* Wrap inner (len bytes) with outer, decap, expect inner back intact. */
static void expect_decap(struct xvs_rs *s, const uint8_t *inner, size_t len,
			 const struct pkt_ip4 *outer)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	size_t in_len, out_len, l3;

	memcpy(in, inner, len);
	in_len = pkt_ipip_wrap(in, len, sizeof(in), outer);
	assert_int_equal(in_len, len + PKT_IP4_HLEN + outer->opts_len);
	l3 = pkt_l3_off(in, in_len);
	assert_true(pkt_ip4_csum_ok(in + l3));
	assert_int_equal(in[l3 + 9], IPPROTO_IPIP);

	counters_reset(s);
	assert_int_equal(run(s, in, in_len, out, &out_len), XDP_PASS);
	expect_bytes(out, out_len, inner, len);
	assert_true(pkt_ip4_csum_ok(out + l3));
	assert_true(pkt_l4_csum_ok(out + l3));
	assert_int_equal(counter(s, XVS_RS_CNT_DECAP), 1);
}

static void test_pkt_builder_checksums(void **st)
{
	uint8_t buf[PKT_BUF_SIZE];
	size_t len = inner_tcp(buf, false);

	(void)st;
	assert_int_equal(len, 14 + 20 + 20 + sizeof(payload) - 1);
	assert_true(pkt_ip4_csum_ok(buf + 14));
	assert_true(pkt_l4_csum_ok(buf + 14));
	/* The checkers must be able to say no. */
	buf[14 + 8]--;				/* TTL */
	assert_false(pkt_ip4_csum_ok(buf + 14));
	buf[14 + 8]++;
	buf[len - 1] ^= 0x40;			/* payload */
	assert_false(pkt_l4_csum_ok(buf + 14));
}

static void test_decap_tcp(void **st)
{
	uint8_t inner[PKT_BUF_SIZE];
	size_t len = inner_tcp(inner, false);
	struct pkt_ip4 outer = outer_default();

	(void)st;
	expect_decap(skel, inner, len, &outer);
}

static void test_decap_vlan_kept(void **st)
{
	uint8_t inner[PKT_BUF_SIZE];
	size_t len = inner_tcp(inner, true);
	struct pkt_ip4 outer = outer_default();

	(void)st;
	assert_int_equal(pkt_l3_off(inner, len), 18);
	expect_decap(skel, inner, len, &outer);
}

static void test_decap_udp(void **st)
{
	struct pkt_desc d = PKT_DESC_UDP4(CLIENT, 5353, VIP, 53);
	uint8_t inner[PKT_BUF_SIZE];
	struct pkt_ip4 outer = outer_default();
	size_t len;

	(void)st;
	d.payload = payload;
	d.payload_len = 7;			/* odd length */
	len = pkt_build(inner, sizeof(inner), &d);
	assert_true(len > 0);
	expect_decap(skel, inner, len, &outer);
}

static void test_decap_outer_options(void **st)
{
	static const uint8_t nops[40] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	};
	uint8_t inner[PKT_BUF_SIZE];
	size_t len = inner_tcp(inner, true);
	struct pkt_ip4 outer = outer_default();

	(void)st;
	outer.opts = nops;
	for (outer.opts_len = 4; outer.opts_len <= 40; outer.opts_len += 36)
		expect_decap(skel, inner, len, &outer);
}

static void test_decap_inner_options_and_fragment(void **st)
{
	/* Router alert (RFC 2113), 4 bytes. */
	static const uint8_t ra[4] = { 0x94, 0x04, 0x00, 0x00 };
	struct pkt_desc d = PKT_DESC_UDP4(CLIENT, 5353, VIP, 53);
	uint8_t inner[PKT_BUF_SIZE];
	struct pkt_ip4 outer = outer_default();
	size_t len;

	(void)st;
	/* An inner fragment is the stack's to reassemble: decap it. */
	d.ip.opts = ra;
	d.ip.opts_len = sizeof(ra);
	d.ip.frag = PKT_IP_MF;
	d.payload = payload;
	d.payload_len = 16;
	len = pkt_build(inner, sizeof(inner), &d);
	assert_int_equal(len, 14 + 24 + 8 + 16);
	expect_decap(skel, inner, len, &outer);
}

static void test_decap_keeps_padding(void **st)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE], want[PKT_BUF_SIZE];
	struct pkt_desc d = PKT_DESC_UDP4(CLIENT, 1, VIP, 2);
	struct pkt_ip4 outer = outer_default();
	size_t len, in_len, out_len;

	(void)st;
	/* 14 + 20 + 20 + 8 = 62 bytes: pad to 70 after the outer datagram,
	 * as a link layer may. The padding stays behind the inner one. */
	len = pkt_build(in, sizeof(in), &d);
	memcpy(want, in, len);
	in_len = pkt_ipip_wrap(in, len, sizeof(in), &outer);
	memset(in + in_len, 0xee, 8);
	memset(want + len, 0xee, 8);

	counters_reset(skel);
	assert_int_equal(run(skel, in, in_len + 8, out, &out_len), XDP_PASS);
	expect_bytes(out, out_len, want, len + 8);
	assert_int_equal(counter(skel, XVS_RS_CNT_DECAP), 1);
}

static void test_pass_plain_tcp(void **st)
{
	uint8_t buf[PKT_BUF_SIZE];
	size_t len;

	(void)st;
	len = inner_tcp(buf, false);
	expect_untouched(buf, len, XVS_RS_CNT_PASS);
	len = inner_tcp(buf, true);
	expect_untouched(buf, len, XVS_RS_CNT_PASS);
}

static void test_pass_not_ipv4(void **st)
{
	uint8_t buf[64];
	struct pkt_eth e = { .dst = PKT_MAC_B, .src = PKT_MAC_A };

	(void)st;
	memset(buf, 0x5a, sizeof(buf));
	pkt_put_eth(buf, &e, PKT_ETH_P_ARP);
	expect_untouched(buf, 42, XVS_RS_CNT_PASS);
	pkt_put_eth(buf, &e, PKT_ETH_P_IPV6);
	/* Next header 4 at the IPv4 protocol offset must not fool it. */
	buf[14 + 9] = IPPROTO_IPIP;
	expect_untouched(buf, sizeof(buf), XVS_RS_CNT_PASS);
}

/* An IPIP frame with the inner TCP frame inside; returns its length. */
static size_t ipip_frame(uint8_t *buf, bool vlan)
{
	struct pkt_ip4 outer = outer_default();
	size_t len = inner_tcp(buf, vlan);

	return pkt_ipip_wrap(buf, len, PKT_BUF_SIZE, &outer);
}

static void test_truncated_untouched(void **st)
{
	uint8_t buf[PKT_BUF_SIZE];
	size_t full, len;
	int v;

	(void)st;
	for (v = 0; v < 2; v++) {
		full = ipip_frame(buf, v);
		/* BPF_PROG_TEST_RUN needs at least an Ethernet header. */
		for (len = PKT_ETH_HLEN; len < full; len++) {
			uint8_t out[PKT_BUF_SIZE];
			size_t out_len;

			counters_reset(skel);
			assert_int_equal(run(skel, buf, len, out, &out_len),
					 XDP_PASS);
			expect_bytes(out, out_len, buf, len);
			assert_int_equal(counter(skel, XVS_RS_CNT_DECAP), 0);
		}
	}
}

/* Recompute the outer header checksum after a mutation. */
static void fix_csum(uint8_t *iph)
{
	pkt_put16(iph + 10, 0);
	pkt_put16(iph + 10, pkt_ip4_csum(iph));
}

static void test_malformed_untouched(void **st)
{
	uint8_t buf[PKT_BUF_SIZE];
	uint8_t *iph = buf + PKT_ETH_HLEN;
	size_t len;

	(void)st;
	/* Outer IHL below 5 (RFC 791: minimum 5). */
	len = ipip_frame(buf, false);
	iph[0] = 0x44;
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* Outer IHL 15 with only a 20-byte header: the "options" would be
	 * the inner header and tot_len leaves no inner header. */
	len = ipip_frame(buf, false);
	iph[0] = 0x4f;
	pkt_put16(iph + 2, 60);
	fix_csum(iph);
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* Outer version 6 in an IPv4 EtherType. */
	len = ipip_frame(buf, false);
	iph[0] = 0x65;
	fix_csum(iph);
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* tot_len larger than the frame. */
	len = ipip_frame(buf, false);
	pkt_put16(iph + 2, (uint16_t)(len - PKT_ETH_HLEN + 1));
	fix_csum(iph);
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* tot_len too small for an inner header. */
	len = ipip_frame(buf, false);
	pkt_put16(iph + 2, 20 + 19);
	fix_csum(iph);
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* Bad outer header checksum. */
	len = ipip_frame(buf, false);
	iph[10] ^= 0x01;
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* Inner packet is not IPv4. */
	len = ipip_frame(buf, false);
	iph[20] = 0x65;
	expect_untouched(buf, len, XVS_RS_CNT_MALFORMED);

	/* A VLAN tag and nothing after it. */
	len = ipip_frame(buf, true);
	expect_untouched(buf, 17, XVS_RS_CNT_MALFORMED);
}

static void test_outer_fragment_untouched(void **st)
{
	static const uint16_t frags[] = { PKT_IP_MF, 1, PKT_IP_MF | 100,
					  PKT_IP_DF | 3 };
	uint8_t buf[PKT_BUF_SIZE];
	uint8_t *iph = buf + PKT_ETH_HLEN;
	size_t i, len;

	(void)st;
	for (i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		len = ipip_frame(buf, false);
		pkt_put16(iph + 6, frags[i]);
		fix_csum(iph);
		expect_untouched(buf, len, XVS_RS_CNT_FRAGMENT);
	}
}

static void test_local_filter(void **st)
{
	uint8_t inner[PKT_BUF_SIZE], in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct pkt_ip4 outer = outer_default();
	struct xvs_rs *s;
	uint32_t local = pkt_ip4_addr(OUTER_DST);
	uint8_t one = 1;
	size_t len, in_len, out_len;

	(void)st;
	s = xvs_rs__open();
	assert_non_null(s);
	s->rodata->xvs_rs_check_daddr = 1;
	assert_int_equal(xvs_rs__load(s), 0);
	assert_int_equal(bpf_map_update_elem(
		bpf_map__fd(s->maps.xvs_rs_local_v1), &local, &one, 0), 0);

	len = inner_tcp(inner, false);
	expect_decap(s, inner, len, &outer);

	/* Outer destination not local: untouched, counted. */
	outer.daddr = pkt_ip4_addr("198.18.1.12");
	memcpy(in, inner, len);
	in_len = pkt_ipip_wrap(in, len, sizeof(in), &outer);
	counters_reset(s);
	assert_int_equal(run(s, in, in_len, out, &out_len), XDP_PASS);
	expect_bytes(out, out_len, in, in_len);
	assert_int_equal(counter(s, XVS_RS_CNT_NOT_LOCAL), 1);
	assert_int_equal(counter(s, XVS_RS_CNT_DECAP), 0);
	xvs_rs__destroy(s);
}

static int setup(void **st)
{
	(void)st;
	skel = xvs_rs__open_and_load();
	if (!skel) {
		fprintf(stderr, "cannot load xvs_rs: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	xvs_rs__destroy(skel);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_builder_checksums),
		cmocka_unit_test(test_decap_tcp),
		cmocka_unit_test(test_decap_vlan_kept),
		cmocka_unit_test(test_decap_udp),
		cmocka_unit_test(test_decap_outer_options),
		cmocka_unit_test(test_decap_inner_options_and_fragment),
		cmocka_unit_test(test_decap_keeps_padding),
		cmocka_unit_test(test_pass_plain_tcp),
		cmocka_unit_test(test_pass_not_ipv4),
		cmocka_unit_test(test_truncated_untouched),
		cmocka_unit_test(test_malformed_untouched),
		cmocka_unit_test(test_outer_fragment_untouched),
		cmocka_unit_test(test_local_filter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
