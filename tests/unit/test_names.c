// SPDX-License-Identifier: GPL-2.0
/* test_names.c - ipvsadm names of schedulers, methods, states (lib/names.c). */
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "names.h"
#include "xvs/dp-t.h"

static void test_sched_names(void **s)
{
	static const struct { unsigned int sched; const char *name; } want[] = {
		{ XVS_SCHED_RR, "rr" },		{ XVS_SCHED_WRR, "wrr" },
		{ XVS_SCHED_LC, "lc" },		{ XVS_SCHED_WLC, "wlc" },
		{ XVS_SCHED_SED, "sed" },	{ XVS_SCHED_NQ, "nq" },
		{ XVS_SCHED_SH, "sh" },		{ XVS_SCHED_DH, "dh" },
		{ XVS_SCHED_LBLC, "lblc" },	{ XVS_SCHED_LBLCR, "lblcr" },
		{ XVS_SCHED_MH, "mh" },		{ XVS_SCHED_FO, "fo" },
		{ XVS_SCHED_OVF, "ovf" },	{ XVS_SCHED_TWOS, "twos" },
	};

	(void)s;
	/* The table covers every scheduler. */
	assert_int_equal(sizeof(want) / sizeof(want[0]), XVS_SCHED_MAX);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(xvs_sched_name(want[i].sched), want[i].name);
		assert_int_equal(xvs_sched_parse(want[i].name), (int)want[i].sched);
	}
}

static void test_sched_roundtrip(void **s)
{
	(void)s;
	for (unsigned int i = 0; i < XVS_SCHED_MAX; i++) {
		const char *n = xvs_sched_name(i);

		assert_non_null(n);
		assert_int_equal(xvs_sched_parse(n), (int)i);
	}
}

static void test_sched_unknown(void **s)
{
	(void)s;
	assert_null(xvs_sched_name(XVS_SCHED_MAX));
	assert_null(xvs_sched_name(~0u));
	assert_int_equal(xvs_sched_parse(""), -1);
	assert_int_equal(xvs_sched_parse("RR"), -1);
	assert_int_equal(xvs_sched_parse("wr"), -1);
	assert_int_equal(xvs_sched_parse("wrrr"), -1);
	assert_int_equal(xvs_sched_parse("rr "), -1);
	assert_int_equal(xvs_sched_parse("maglev"), -1);
}

static void test_fwd_names(void **s)
{
	(void)s;
	assert_string_equal(xvs_fwd_name(XVS_FWD_DR), "Route");
	assert_string_equal(xvs_fwd_name(XVS_FWD_TUN), "Tunnel");
	assert_string_equal(xvs_fwd_name(XVS_FWD_NAT), "Masq");
	assert_string_equal(xvs_fwd_name(XVS_FWD_FULLNAT), "FullNat");
	assert_string_equal(xvs_fwd_name(XVS_FWD_LOCAL), "Local");
	assert_int_equal(XVS_FWD_MAX, 5);
	assert_string_equal(xvs_fwd_name(XVS_FWD_MAX), "Unknown");
	assert_string_equal(xvs_fwd_name(~0u), "Unknown");
}

static void test_proto_names(void **s)
{
	(void)s;
	assert_string_equal(xvs_proto_name(IPPROTO_TCP), "TCP");
	assert_string_equal(xvs_proto_name(IPPROTO_UDP), "UDP");
	assert_string_equal(xvs_proto_name(IPPROTO_SCTP), "SCTP");
	assert_string_equal(xvs_proto_name(0), "IP");
	assert_string_equal(xvs_proto_name(IPPROTO_ICMP), "IP");
}

static void test_state_names(void **s)
{
	static const char *const tcp[] = {
		[XVS_TCP_NONE] = "NONE",
		[XVS_TCP_ESTABLISHED] = "ESTABLISHED",
		[XVS_TCP_SYN_SENT] = "SYN_SENT",
		[XVS_TCP_SYN_RECV] = "SYN_RECV",
		[XVS_TCP_FIN_WAIT] = "FIN_WAIT",
		[XVS_TCP_TIME_WAIT] = "TIME_WAIT",
		[XVS_TCP_CLOSE] = "CLOSE",
		[XVS_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
		[XVS_TCP_LAST_ACK] = "LAST_ACK",
		[XVS_TCP_LISTEN] = "LISTEN",
		[XVS_TCP_SYNACK] = "SYNACK",
	};

	(void)s;
	assert_int_equal(sizeof(tcp) / sizeof(tcp[0]), XVS_TCP_STATE_MAX);
	for (unsigned int i = 0; i < XVS_TCP_STATE_MAX; i++)
		assert_string_equal(xvs_state_name(IPPROTO_TCP, i), tcp[i]);
	/* UDP has one state whatever the number says. */
	assert_string_equal(xvs_state_name(IPPROTO_UDP, XVS_UDP_STATE), "UDP");
	assert_string_equal(xvs_state_name(IPPROTO_UDP, 0), "UDP");
	assert_string_equal(xvs_state_name(IPPROTO_UDP, XVS_TCP_ESTABLISHED), "UDP");
	/* Out of range for TCP. */
	assert_string_equal(xvs_state_name(IPPROTO_TCP, XVS_TCP_STATE_MAX), "ERR!");
	assert_string_equal(xvs_state_name(IPPROTO_TCP, 255), "ERR!");
	assert_string_equal(xvs_state_name(IPPROTO_TCP, ~0u), "ERR!");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_names),
		cmocka_unit_test(test_sched_roundtrip),
		cmocka_unit_test(test_sched_unknown),
		cmocka_unit_test(test_fwd_names),
		cmocka_unit_test(test_proto_names),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
