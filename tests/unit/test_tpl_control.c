// SPDX-License-Identifier: GPL-2.0
/*
 * test_tpl_control.c - which templates still control connections
 * (lib/tpl_control.c), and the template key of include/xvs/persist.h:
 * masking by the prefix length, client port 0, vport 0 for port-0
 * services, IPv6 prefixes across word boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "tpl_control.h"
#include "xvs/persist.h"

static struct xvs_conn_key key4(const char *c, uint16_t cport, uint16_t vport)
{
	struct xvs_conn_key k;

	memset(&k, 0, sizeof(k));
	inet_pton(AF_INET, c, &k.saddr.ip4);
	inet_pton(AF_INET, "198.18.0.100", &k.daddr.ip4);
	k.sport = htons(cport);
	k.dport = htons(vport);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	k.kind = XVS_CONN_KIND_IN;
	return k;
}

static struct xvs_conn controlled(uint8_t mask, bool anyport)
{
	struct xvs_conn c;

	memset(&c, 0, sizeof(c));
	c.flags = XVS_CONN_F_CONTROLLED | (anyport ? XVS_CONN_F_TPL_ANYPORT : 0);
	c.tpl_mask = mask;
	return c;
}

/* The key: masked client, port 0, kind TEMPLATE; vport kept or 0. */
static void test_key4(void **st)
{
	struct xvs_conn_key in = key4("198.18.2.77", 40000, 80), t;
	uint32_t want;

	(void)st;
	xvs_tpl_key(&t, &in, 24, 0);
	inet_pton(AF_INET, "198.18.2.0", &want);
	assert_int_equal(t.saddr.ip4, want);
	assert_int_equal(t.sport, 0);
	assert_int_equal(t.dport, htons(80));
	assert_int_equal(t.kind, XVS_CONN_KIND_TEMPLATE);
	assert_memory_equal(&t.daddr, &in.daddr, sizeof(t.daddr));
	xvs_tpl_key(&t, &in, 32, 1);
	assert_int_equal(t.saddr.ip4, in.saddr.ip4);
	assert_int_equal(t.dport, 0);
	xvs_tpl_key(&t, &in, 0, 0);
	assert_int_equal(t.saddr.ip4, 0);
	xvs_tpl_key(&t, &in, 17, 0);
	inet_pton(AF_INET, "198.18.0.0", &want);
	assert_int_equal(t.saddr.ip4, want);
}

/* IPv6 prefixes: /64 keeps two words, /100 cuts inside the fourth. */
static void test_key6(void **st)
{
	struct xvs_conn_key in, t;
	uint8_t want[16];

	(void)st;
	memset(&in, 0, sizeof(in));
	inet_pton(AF_INET6, "2001:db8:1:2:3:4:5:6", in.saddr.bytes);
	in.af = XVS_AF_INET6;
	xvs_tpl_key(&t, &in, 64, 0);
	inet_pton(AF_INET6, "2001:db8:1:2::", want);
	assert_memory_equal(t.saddr.bytes, want, 16);
	xvs_tpl_key(&t, &in, 100, 0);
	inet_pton(AF_INET6, "2001:db8:1:2:3:4:0:0", want);
	assert_memory_equal(t.saddr.bytes, want, 16);
	xvs_tpl_key(&t, &in, 112, 0);
	inet_pton(AF_INET6, "2001:db8:1:2:3:4:5:0", want);
	assert_memory_equal(t.saddr.bytes, want, 16);
	xvs_tpl_key(&t, &in, 128, 0);
	assert_memory_equal(t.saddr.bytes, in.saddr.bytes, 16);
}

/* Controlled connections keep their own template only. */
static void test_controls(void **st)
{
	struct xvs_tpl_control tc = { 0 };
	struct xvs_conn_key a = key4("198.18.2.1", 1000, 80), b, t;
	struct xvs_conn c = controlled(24, false), free_conn;

	(void)st;
	memset(&free_conn, 0, sizeof(free_conn));
	xvs_tpl_control_note(&tc, &a, &c);
	/* Not controlled: no note. A template entry itself: no note. */
	b = key4("198.18.3.1", 1000, 80);
	xvs_tpl_control_note(&tc, &b, &free_conn);
	xvs_tpl_key(&t, &b, 24, 0);
	xvs_tpl_control_note(&tc, &t, &c);
	for (int i = 0; i < 1000; i++) {
		struct xvs_conn_key k = key4("198.18.4.1", (uint16_t)(2000 + i), 443);

		xvs_tpl_control_note(&tc, &k, &c);
	}
	xvs_tpl_key(&t, &a, 24, 0);
	assert_true(xvs_tpl_controls(&tc, &t));
	xvs_tpl_key(&t, &a, 32, 0);	/* another mask: another template */
	assert_false(xvs_tpl_controls(&tc, &t));
	xvs_tpl_key(&t, &a, 24, 1);	/* a port-0 service's */
	assert_false(xvs_tpl_controls(&tc, &t));
	xvs_tpl_key(&t, &b, 24, 0);
	assert_false(xvs_tpl_controls(&tc, &t));
	b = key4("198.18.4.200", 1, 443);
	xvs_tpl_key(&t, &b, 24, 0);
	assert_true(xvs_tpl_controls(&tc, &t));
	/* A note after a question: sorted again. */
	b = key4("198.18.9.9", 1, 80);
	xvs_tpl_control_note(&tc, &b, &c);
	xvs_tpl_key(&t, &b, 24, 0);
	assert_true(xvs_tpl_controls(&tc, &t));
	xvs_tpl_control_reset(&tc);
	assert_false(xvs_tpl_controls(&tc, &t));
}

/* After a failed note, every template counts as controlling. */
static void test_incomplete_keeps_all(void **st)
{
	struct xvs_tpl_control tc = { 0 };
	struct xvs_conn_key a = key4("198.18.2.1", 1000, 80), t;

	(void)st;
	tc.incomplete = true;
	xvs_tpl_key(&t, &a, 32, 0);
	assert_true(xvs_tpl_controls(&tc, &t));
	xvs_tpl_control_reset(&tc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key4),
		cmocka_unit_test(test_key6),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_incomplete_keeps_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
