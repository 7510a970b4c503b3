// SPDX-License-Identifier: GPL-2.0
/*
 * test_nat_out.c - when a NAT/FULLNAT return-path (OUT) entry still
 * belongs to its connection (lib/nat_out.c), the rule housekeeping uses
 * to delete stale ones and free FULLNAT local ports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "nat_out.h"

static union xvs_addr a4(const char *s)
{
	union xvs_addr a;

	memset(&a, 0, sizeof(a));
	inet_pton(AF_INET, s, &a.ip4);
	return a;
}

/* OUT key RS:8080 -> daddr:dport and its value for client:40000 -> VIP:80. */
static void out_entry(struct xvs_conn_key *k, struct xvs_conn_out *o, const char *daddr,
		      uint16_t dport)
{
	memset(k, 0, sizeof(*k));
	k->saddr = a4("198.18.1.11");
	k->daddr = a4(daddr);
	k->sport = htons(8080);
	k->dport = htons(dport);
	k->proto = 6;
	k->af = XVS_AF_INET;
	k->kind = XVS_CONN_KIND_OUT;
	memset(o, 0, sizeof(*o));
	o->caddr = a4("198.18.2.1");
	o->vaddr = a4("198.18.0.100");
	o->cport = htons(40000);
	o->vport = htons(80);
	o->dest_id = 7;
}

static void test_in_key(void **st)
{
	struct xvs_conn_key k, in;
	struct xvs_conn_out o;

	(void)st;
	out_entry(&k, &o, "198.18.2.1", 40000);
	xvs_nat_out_in_key(&k, &o, &in);
	assert_memory_equal(&in.saddr, &o.caddr, sizeof(in.saddr));
	assert_memory_equal(&in.daddr, &o.vaddr, sizeof(in.daddr));
	assert_int_equal(in.sport, htons(40000));
	assert_int_equal(in.dport, htons(80));
	assert_int_equal(in.proto, 6);
	assert_int_equal(in.af, XVS_AF_INET);
	assert_int_equal(in.kind, XVS_CONN_KIND_IN);
}

static void test_nat_owned(void **st)
{
	struct xvs_conn in = { .dest_id = 7, .fwd = XVS_FWD_NAT };
	struct xvs_conn_key k;
	struct xvs_conn_out o;

	(void)st;
	out_entry(&k, &o, "198.18.2.1", 40000);
	assert_true(xvs_nat_out_owned(&k, &o, &in));
	assert_false(xvs_nat_out_owned(&k, &o, NULL));		/* expired, evicted */
	in.dest_id = 8;						/* reused elsewhere */
	assert_false(xvs_nat_out_owned(&k, &o, &in));
	in.dest_id = 7;
	in.fwd = XVS_FWD_DR;					/* not a NAT entry */
	assert_false(xvs_nat_out_owned(&k, &o, &in));
	in.fwd = XVS_FWD_NAT;
	k.dport = htons(40001);					/* not its client */
	assert_false(xvs_nat_out_owned(&k, &o, &in));
}

static void test_fullnat_owned(void **st)
{
	struct xvs_conn in = { .dest_id = 7, .fwd = XVS_FWD_FULLNAT };
	struct xvs_conn_key k;
	struct xvs_conn_out o;

	(void)st;
	out_entry(&k, &o, "198.18.0.50", 20000);
	in.nat_addr = a4("198.18.0.50");
	in.nat_sport = htons(20000);
	assert_true(xvs_nat_out_owned(&k, &o, &in));
	/* A TIME_WAIT reuse took another local port: this one is free. */
	in.nat_sport = htons(20001);
	assert_false(xvs_nat_out_owned(&k, &o, &in));
	in.nat_sport = htons(20000);
	in.nat_addr = a4("198.18.0.51");
	assert_false(xvs_nat_out_owned(&k, &o, &in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_key),
		cmocka_unit_test(test_nat_owned),
		cmocka_unit_test(test_fullnat_owned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
