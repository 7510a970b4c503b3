// SPDX-License-Identifier: GPL-2.0
/*
 * test_vrrp_pkt.c - the VRRP codec and receive checks (lib/vrrp_pkt.c):
 * round trips for v2 and v3 (IPv4 and IPv6), a known v2 packet byte for
 * byte, and every bad input the issue names: bad checksum, wrong VRID,
 * wrong authentication, TTL other than 255 in multicast mode, a sender
 * that is not a unicast peer, a truncated body; plus bad IP headers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp_pkt.h"

static union xvs_addr a4(const char *s)
{
	union xvs_addr a = { 0 };

	assert_int_equal(inet_pton(AF_INET, s, &a.ip4), 1);
	return a;
}

static union xvs_addr a6(const char *s)
{
	union xvs_addr a = { 0 };

	assert_int_equal(inet_pton(AF_INET6, s, a.bytes), 1);
	return a;
}

/* The seed's VI_1 (lab addresses): v2, VRID 51, PASS "YourStro". */
struct fixture {
	union xvs_addr vip, src, dst, peer;
	struct xvs_vrrp_advert adv;
	struct xvs_vrrp_expect exp;
	struct xvs_vrrp_rx rx;
	uint8_t buf[XVS_VRRP_MAX_LEN];
	int len;
};

static void seed_fixture(struct fixture *f, bool unicast)
{
	memset(f, 0, sizeof(*f));
	f->vip = a4("198.18.0.100");
	f->src = a4("198.18.0.10");
	f->dst = unicast ? a4("198.18.0.20") : a4(XVS_VRRP_MCAST4);
	f->peer = f->src;
	f->adv = (struct xvs_vrrp_advert){ .version = 2, .vrid = 51, .priority = 100,
		.n_addrs = 1, .auth_type = XVS_VRRP_AUTH_PASS, .af = XVS_AF_INET,
		.adver_int_cs = 100 };
	memcpy(f->adv.auth, "YourStro", 8);
	f->exp = (struct xvs_vrrp_expect){ .version = 2, .vrid = 51, .af = XVS_AF_INET,
		.auth_type = XVS_VRRP_AUTH_PASS, .n_addrs = 1, .unicast = unicast,
		.adver_int_cs = 100, .peers = &f->peer, .n_peers = 1 };
	memcpy(f->exp.auth, "YourStro", 8);
	f->len = xvs_vrrp_encode(&f->adv, &f->vip, &f->src, &f->dst, f->buf, sizeof(f->buf));
	assert_int_equal(f->len, 8 + 4 + 8);
	f->rx = (struct xvs_vrrp_rx){ .af = XVS_AF_INET, .ttl = 255, .src = f->src,
		.dst = f->dst, .data = f->buf, .len = (size_t)f->len };
}

/* Decode then check; the reason of the first failing stage. */
static enum xvs_vrrp_drop receive(struct fixture *f, struct xvs_vrrp_advert *out)
{
	enum xvs_vrrp_drop d = xvs_vrrp_decode(&f->rx, false, out);

	return d ? d : xvs_vrrp_check(&f->exp, &f->rx, out);
}

/* Recompute the v2 checksum after editing a byte (to test later checks). */
static void fix_csum_v2(struct fixture *f)
{
	uint32_t sum = 0;

	f->buf[6] = f->buf[7] = 0;
	for (int i = 0; i < f->len; i += 2)
		sum += (uint32_t)f->buf[i] << 8 | f->buf[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f->buf[6] = (uint8_t)(~sum >> 8);
	f->buf[7] = (uint8_t)~sum;
}

static void test_v2_bytes(void **st)
{
	struct fixture f;
	/* Ver 2 | Type 1, VRID, Priority, Count, AuthType PASS, 1 s. */
	static const uint8_t want_head[] = { 0x21, 51, 100, 1, 1, 1 };

	(void)st;
	seed_fixture(&f, false);
	assert_memory_equal(f.buf, want_head, sizeof(want_head));
	assert_memory_equal(f.buf + 8, "\xc6\x12\x00\x64", 4);
	assert_memory_equal(f.buf + 12, "YourStro", 8);
	{
		uint32_t sum = 0;

		for (int i = 0; i < f.len; i += 2)
			sum += (uint32_t)f.buf[i] << 8 | f.buf[i + 1];
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		assert_int_equal(sum, 0xffff);	/* a correct checksum sums to ~0 */
	}
}

static void test_v2_roundtrip(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	assert_int_equal(receive(&f, &got), XVS_VRRP_OK);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.vrid, 51);
	assert_int_equal(got.priority, 100);
	assert_int_equal(got.n_addrs, 1);
	assert_int_equal(got.adver_int_cs, 100);
	assert_memory_equal(got.addrs, &f.vip.ip4, 4);
	assert_memory_equal(got.auth, "YourStro", 8);
}

static void test_v3_roundtrip4(void **st)
{
	union xvs_addr vips[2] = { a4("198.18.0.100"), a4("198.18.0.101") };
	union xvs_addr src = a4("198.18.0.10"), dst = a4(XVS_VRRP_MCAST4);
	struct xvs_vrrp_advert adv = { .version = 3, .vrid = 7, .priority = 200,
		.n_addrs = 2, .af = XVS_AF_INET, .adver_int_cs = 25 }, got;
	uint8_t buf[64];
	int n = xvs_vrrp_encode(&adv, vips, &src, &dst, buf, sizeof(buf));
	struct xvs_vrrp_rx rx = { .af = XVS_AF_INET, .ttl = 255, .src = src, .dst = dst,
		.data = buf, .len = (size_t)n };

	(void)st;
	assert_int_equal(n, 8 + 8);
	assert_int_equal(buf[0], 0x31);
	assert_int_equal(xvs_vrrp_decode(&rx, false, &got), XVS_VRRP_OK);
	assert_int_equal(got.adver_int_cs, 25);
	assert_int_equal(got.n_addrs, 2);
	/* The pseudo-header counts: another destination breaks the sum... */
	rx.dst = a4("198.18.0.20");
	assert_int_equal(xvs_vrrp_decode(&rx, false, &got), XVS_VRRP_DROP_CHECKSUM);
	/* ...and keepalived's v3_checksum_as_v2 leaves it out. */
	rx.dst = dst;
	assert_int_equal(xvs_vrrp_decode(&rx, true, &got), XVS_VRRP_DROP_CHECKSUM);
}

static void test_v3_roundtrip6(void **st)
{
	union xvs_addr vip = a6("2001:db8::100");
	union xvs_addr src = a6("fe80::1"), dst = a6(XVS_VRRP_MCAST6);
	struct xvs_vrrp_advert adv = { .version = 3, .vrid = 9, .priority = 100,
		.n_addrs = 1, .af = XVS_AF_INET6, .adver_int_cs = 100 }, got;
	uint8_t buf[64];
	int n = xvs_vrrp_encode(&adv, &vip, &src, &dst, buf, sizeof(buf));
	struct xvs_vrrp_rx rx = { .af = XVS_AF_INET6, .ttl = 255, .src = src, .dst = dst,
		.data = buf, .len = (size_t)n };
	struct xvs_vrrp_expect e = { .version = 3, .vrid = 9, .af = XVS_AF_INET6,
		.n_addrs = 1, .adver_int_cs = 100 };

	(void)st;
	assert_int_equal(n, 8 + 16);
	assert_int_equal(xvs_vrrp_decode(&rx, false, &got), XVS_VRRP_OK);
	assert_int_equal(xvs_vrrp_check(&e, &rx, &got), XVS_VRRP_OK);
	assert_memory_equal(got.addrs, vip.bytes, 16);
	/* A v3 receiver adopts the master's interval: no interval check. */
	e.adver_int_cs = 300;
	assert_int_equal(xvs_vrrp_check(&e, &rx, &got), XVS_VRRP_OK);
	/* v2 does not exist over IPv6. */
	adv.version = 2;
	assert_int_equal(xvs_vrrp_encode(&adv, &vip, &src, &dst, buf, sizeof(buf)), -EINVAL);
}

static void test_bad_checksum(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	f.buf[7] ^= 0x01;
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_CHECKSUM);
	seed_fixture(&f, false);
	f.buf[2] = 254;		/* priority changed in flight */
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_CHECKSUM);
}

static void test_wrong_vrid(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	f.buf[1] = 52;
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_VRID);
}

static void test_wrong_auth(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	f.buf[f.len - 1] = 'X';		/* last password byte */
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_AUTH);
	seed_fixture(&f, false);
	f.buf[4] = XVS_VRRP_AUTH_NONE;	/* no auth where PASS is configured */
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_AUTH);
	seed_fixture(&f, false);
	f.exp.auth_type = XVS_VRRP_AUTH_NONE;	/* PASS where none is */
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_AUTH);
}

static void test_ttl_multicast(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	f.rx.ttl = 254;
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_TTL);
	f.rx.ttl = 1;
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_TTL);
	/* Unicast mode skips the TTL check, as keepalived. */
	seed_fixture(&f, true);
	f.rx.ttl = 64;
	assert_int_equal(receive(&f, &got), XVS_VRRP_OK);
}

static void test_unicast_peer(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, true);
	assert_int_equal(receive(&f, &got), XVS_VRRP_OK);
	f.rx.src = a4("198.18.0.30");
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_PEER);
	/* Multicast mode has no peer list. */
	seed_fixture(&f, false);
	f.rx.src = a4("198.18.0.30");
	assert_int_equal(receive(&f, &got), XVS_VRRP_OK);
}

static void test_truncated(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	for (int n = 0; n < f.len; n++) {
		f.rx.len = (size_t)n;
		assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_TRUNCATED);
	}
	/* A count that claims more addresses than the body has. */
	seed_fixture(&f, false);
	f.buf[3] = 3;
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_TRUNCATED);
}

static void test_version_type_interval_count(void **st)
{
	struct fixture f;
	struct xvs_vrrp_advert got;

	(void)st;
	seed_fixture(&f, false);
	f.buf[0] = 0x22;		/* type 2: not an advert */
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_TYPE);
	f.buf[0] = 0x41;		/* version 4 */
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_VERSION);
	seed_fixture(&f, false);
	f.exp.version = 3;		/* v2 advert, v3 instance */
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_VERSION);
	seed_fixture(&f, false);
	f.buf[5] = 2;			/* advert_int 2 s, we have 1 */
	fix_csum_v2(&f);
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_INTERVAL);
	seed_fixture(&f, false);
	f.exp.n_addrs = 2;
	assert_int_equal(receive(&f, &got), XVS_VRRP_DROP_ADDRS);
	/* v2 rounds a configured 0.4 s up to 1 s, as keepalived. */
	seed_fixture(&f, false);
	f.exp.adver_int_cs = 40;
	assert_int_equal(receive(&f, &got), XVS_VRRP_OK);
}

static void test_split_ip4(void **st)
{
	struct fixture f;
	uint8_t pkt[20 + 64] = { 0x45, 0, 0, 0, 0, 0, 0, 0, 255, XVS_VRRP_PROTO, 0, 0,
				  198, 18, 0, 10, 224, 0, 0, 18 };
	struct xvs_vrrp_rx rx;
	size_t tot;

	(void)st;
	seed_fixture(&f, false);
	memcpy(pkt + 20, f.buf, (size_t)f.len);
	tot = 20 + (size_t)f.len;
	pkt[3] = (uint8_t)tot;
	/* Ethernet padding after the IP packet is ignored. */
	assert_int_equal(xvs_vrrp_split_ip4(pkt, tot + 6, &rx), XVS_VRRP_OK);
	assert_int_equal(rx.len, (size_t)f.len);
	assert_int_equal(rx.ttl, 255);
	assert_memory_equal(&rx.src.ip4, &f.src.ip4, 4);
	assert_memory_equal(&rx.dst.ip4, &f.dst.ip4, 4);
	assert_ptr_equal(rx.data, pkt + 20);
	assert_int_equal(xvs_vrrp_split_ip4(pkt, 19, &rx), XVS_VRRP_DROP_TRUNCATED);
	assert_int_equal(xvs_vrrp_split_ip4(pkt, tot - 1, &rx), XVS_VRRP_DROP_TRUNCATED);
	pkt[9] = 6;
	assert_int_equal(xvs_vrrp_split_ip4(pkt, tot, &rx), XVS_VRRP_DROP_IPHDR);
	pkt[9] = XVS_VRRP_PROTO;
	pkt[0] = 0x44;			/* header length 16 */
	assert_int_equal(xvs_vrrp_split_ip4(pkt, tot, &rx), XVS_VRRP_DROP_IPHDR);
	pkt[0] = 0x4f;			/* 60-byte header, longer than the packet */
	pkt[3] = 40;
	assert_int_equal(xvs_vrrp_split_ip4(pkt, tot, &rx), XVS_VRRP_DROP_IPHDR);
}

static void test_encode_limits(void **st)
{
	struct fixture f;
	uint8_t small[10];

	(void)st;
	seed_fixture(&f, false);
	assert_int_equal(xvs_vrrp_encode(&f.adv, &f.vip, &f.src, &f.dst, small,
					 sizeof(small)), -ENOSPC);
	f.adv.adver_int_cs = 25600;	/* 256 s does not fit v2's byte */
	assert_int_equal(xvs_vrrp_encode(&f.adv, &f.vip, &f.src, &f.dst, f.buf,
					 sizeof(f.buf)), -EINVAL);
	f.adv.version = 3;
	f.adv.adver_int_cs = 4096;	/* 12 bits */
	assert_int_equal(xvs_vrrp_encode(&f.adv, &f.vip, &f.src, &f.dst, f.buf,
					 sizeof(f.buf)), -EINVAL);
	assert_string_equal(xvs_vrrp_drop_name(XVS_VRRP_DROP_PEER), "peer");
	assert_string_equal(xvs_vrrp_drop_name(XVS_VRRP_DROP_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_bytes),
		cmocka_unit_test(test_v2_roundtrip),
		cmocka_unit_test(test_v3_roundtrip4),
		cmocka_unit_test(test_v3_roundtrip6),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_wrong_vrid),
		cmocka_unit_test(test_wrong_auth),
		cmocka_unit_test(test_ttl_multicast),
		cmocka_unit_test(test_unicast_peer),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_version_type_interval_count),
		cmocka_unit_test(test_split_ip4),
		cmocka_unit_test(test_encode_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
