// SPDX-License-Identifier: GPL-2.0
/*
 * test_check_dns.c - DNS_CHECK's messages (lib/dns_msg.c): the query's
 * bytes against RFC 1035's layout, name limits, type names, and the
 * verdict on replies (ours, foreign, queries, error RCODEs, short).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "dns_msg.h"

static void test_query_bytes(void **st)
{
	static const uint8_t want[] = {
		0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
		0x00, 0x06, 0x00, 0x01,
	};
	uint8_t buf[XVS_DNS_QUERY_MAX];

	(void)st;
	assert_int_equal(xvs_dns_build_query(buf, sizeof(buf), 0x1234, "www.example", 6),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* A trailing dot names the same, fully qualified. */
	assert_int_equal(xvs_dns_build_query(buf, sizeof(buf), 0x1234, "www.example.", 6),
			 sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* keepalived's default name "." is the root: one zero octet. */
static void test_root(void **st)
{
	uint8_t buf[XVS_DNS_QUERY_MAX];

	(void)st;
	assert_int_equal(xvs_dns_build_query(buf, sizeof(buf), 1, ".", 2), 12 + 1 + 4);
	assert_int_equal(buf[12], 0);
	assert_int_equal(buf[13], 0);
	assert_int_equal(buf[14], 2);
}

static void test_bad_names(void **st)
{
	uint8_t buf[XVS_DNS_QUERY_MAX];
	char label64[80], long_name[300];

	(void)st;
	memset(label64, 'a', 64);
	label64[64] = '\0';
	assert_int_equal(xvs_dns_build_query(buf, sizeof(buf), 1, label64, 1), -EINVAL);
	label64[63] = '\0';
	assert_true(xvs_dns_build_query(buf, sizeof(buf), 1, label64, 1) > 0);
	assert_int_equal(xvs_dns_build_query(buf, sizeof(buf), 1, "a..b", 1), -EINVAL);
	/* 128 labels "a." = 256 octets on the wire: over 255. */
	for (int i = 0; i < 128; i++)
		memcpy(long_name + 2 * i, "a.", 2);
	long_name[256] = '\0';
	assert_int_equal(xvs_dns_build_query(buf, sizeof(buf), 1, long_name, 1), -EINVAL);
	assert_int_equal(xvs_dns_build_query(buf, 16, 1, "example", 1), -ENOSPC);
}

static void test_types(void **st)
{
	(void)st;
	assert_int_equal(xvs_dns_type_code("A"), 1);
	assert_int_equal(xvs_dns_type_code("soa"), 6);
	assert_int_equal(xvs_dns_type_code("AAAA"), 28);
	assert_int_equal(xvs_dns_type_code("MX"), 15);
	assert_int_equal(xvs_dns_type_code("TXT"), 16);
	assert_int_equal(xvs_dns_type_code("CNAME"), 5);
	assert_int_equal(xvs_dns_type_code("NS"), 2);
	assert_int_equal(xvs_dns_type_code("ANY"), -EINVAL);
}

static void test_reply_verdict(void **st)
{
	uint8_t r[12] = { 0xab, 0xcd, 0x81, 0x80 };	/* QR RD RA, RCODE 0 */
	int rcode = -1;

	(void)st;
	assert_int_equal(xvs_dns_check_reply(r, sizeof(r), 0xabcd, &rcode), XVS_DNS_OK);
	assert_int_equal(rcode, 0);
	assert_int_equal(xvs_dns_check_reply(r, sizeof(r), 0xabce, &rcode), XVS_DNS_IGNORE);
	assert_int_equal(xvs_dns_check_reply(r, 11, 0xabcd, &rcode), XVS_DNS_IGNORE);
	r[3] = 0x83;					/* NXDOMAIN */
	assert_int_equal(xvs_dns_check_reply(r, sizeof(r), 0xabcd, &rcode), XVS_DNS_FAIL);
	assert_int_equal(rcode, 3);
	r[3] = 0x82;					/* SERVFAIL */
	assert_int_equal(xvs_dns_check_reply(r, sizeof(r), 0xabcd, &rcode), XVS_DNS_FAIL);
	assert_int_equal(rcode, 2);
	r[2] = 0x01;					/* a query echoed back */
	assert_int_equal(xvs_dns_check_reply(r, sizeof(r), 0xabcd, &rcode), XVS_DNS_IGNORE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_bytes),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_reply_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
