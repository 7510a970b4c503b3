// SPDX-License-Identifier: GPL-2.0
/* test_rs_args.c - xvs-rs command-line parsing (rs/args.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../rs/rs.h"

static struct xvs_rs_opts o;
static char err[256];

#define PARSE(...) ({							\
	char *argv[] = { "xvs-rs", __VA_ARGS__ };			\
	xvs_rs_args_parse(sizeof(argv) / sizeof(argv[0]), argv, &o,	\
			  err, sizeof(err));				\
})

/* The parse fails and the message mentions what. */
#define EXPECT_FAIL(what, ...) do {					\
	assert_int_equal(PARSE(__VA_ARGS__), -EINVAL);			\
	assert_non_null(strstr(err, what));				\
} while (0)

static void test_up_defaults(void **st)
{
	(void)st;
	assert_int_equal(PARSE("up", "--vip", "198.18.0.100"), 0);
	assert_int_equal(o.cmd, XVS_RS_CMD_UP);
	assert_int_equal(o.mode, XVS_RS_MODE_DR);
	assert_int_equal(o.xdp_mode, XVS_RS_XDP_AUTO);
	assert_string_equal(o.dev, "");
	assert_string_equal(o.state_dir, XVS_RS_STATE_DIR);
	assert_int_equal(o.n_vips, 1);
	assert_int_equal(o.vips[0].af, XVS_AF_INET);
	assert_int_equal(o.vips[0].addr.ip4, inet_addr("198.18.0.100"));
}

static void test_up_tun_full(void **st)
{
	(void)st;
	assert_int_equal(PARSE("up", "--mode=tun", "--dev", "eth0", "--vip",
			       "198.18.0.100", "--vip", "2001:db8::100",
			       "--vip", "198.18.0.100", "--xdp-mode", "generic",
			       "--local", "198.18.1.11", "--state-dir", "/tmp/x"), 0);
	assert_int_equal(o.mode, XVS_RS_MODE_TUN);
	assert_string_equal(o.dev, "eth0");
	assert_int_equal(o.n_vips, 2);		/* duplicate folded */
	assert_int_equal(o.vips[1].af, XVS_AF_INET6);
	assert_int_equal(o.xdp_mode, XVS_RS_XDP_GENERIC);
	assert_int_equal(o.n_locals, 1);
	assert_int_equal(o.locals[0], inet_addr("198.18.1.11"));
	assert_string_equal(o.state_dir, "/tmp/x");
}

static void test_bad_arguments(void **st)
{
	(void)st;
	assert_int_equal(xvs_rs_args_parse(1, (char *[]){ "xvs-rs" }, &o, err,
					   sizeof(err)), -EINVAL);
	EXPECT_FAIL("unknown command", "upp");
	EXPECT_FAIL("at least one --vip", "up");
	EXPECT_FAIL("not an IPv4 or IPv6", "up", "--vip", "198.18.0");
	EXPECT_FAIL("not a unicast", "up", "--vip", "0.0.0.0");
	EXPECT_FAIL("not a unicast", "up", "--vip", "127.0.0.2");
	EXPECT_FAIL("not a unicast", "up", "--vip", "224.0.0.1");
	EXPECT_FAIL("not a unicast", "up", "--vip", "ff02::1");
	EXPECT_FAIL("not a unicast", "up", "--vip", "fe80::1");
	EXPECT_FAIL("not a unicast", "up", "--vip", "::1");
	EXPECT_FAIL("use dr or tun", "up", "--vip", "198.18.0.100", "--mode", "nat");
	EXPECT_FAIL("give --dev", "up", "--vip", "198.18.0.100", "--mode", "tun");
	EXPECT_FAIL("needs --mode tun", "up", "--vip", "198.18.0.100",
		    "--xdp-mode", "native");
	EXPECT_FAIL("needs --mode tun", "up", "--vip", "198.18.0.100",
		    "--local", "198.18.0.11");
	EXPECT_FAIL("auto, native or generic", "up", "--vip", "198.18.0.100",
		    "--mode", "tun", "--dev", "eth0", "--xdp-mode", "hw");
	EXPECT_FAIL("not a valid interface", "up", "--vip", "198.18.0.100",
		    "--dev", "../../etc");
	EXPECT_FAIL("not a valid interface", "down", "--dev",
		    "a-name-that-is-too-long");
	EXPECT_FAIL("needs a value", "up", "--vip");
	EXPECT_FAIL("unknown option", "up", "--vips", "198.18.0.100");
	EXPECT_FAIL("does not take --vip", "down", "--vip", "198.18.0.100");
	EXPECT_FAIL("unexpected argument", "up", "198.18.0.100");
	EXPECT_FAIL("not an IPv4", "up", "--mode", "tun", "--dev", "eth0",
		    "--vip", "198.18.0.100", "--local", "2001:db8::1");
}

static void test_other_commands(void **st)
{
	(void)st;
	assert_int_equal(PARSE("down"), 0);
	assert_int_equal(o.cmd, XVS_RS_CMD_DOWN);
	assert_int_equal(PARSE("down", "--dev", "eth1"), 0);
	assert_string_equal(o.dev, "eth1");
	assert_int_equal(PARSE("status"), 0);
	assert_int_equal(o.cmd, XVS_RS_CMD_STATUS);
	/* doctor keeps mode unset: it comes from the state file then. */
	assert_int_equal(PARSE("doctor"), 0);
	assert_int_equal(o.cmd, XVS_RS_CMD_DOCTOR);
	assert_int_equal(o.mode, XVS_RS_MODE_UNSET);
	assert_int_equal(PARSE("doctor", "--mode", "tun", "--vip", "198.18.0.100"), 0);
	assert_int_equal(o.mode, XVS_RS_MODE_TUN);
	assert_int_equal(PARSE("up", "--help"), 0);
	assert_int_equal(o.cmd, XVS_RS_CMD_HELP);
	assert_int_equal(PARSE("help"), 0);
	assert_int_equal(o.cmd, XVS_RS_CMD_HELP);
}

static void test_sysctls_wanted(void **st)
{
	struct xvs_rs_saved_sysctl w[XVS_RS_MAX_SYSCTLS];
	int n;

	(void)st;
	/* Exactly the seed's lvs-rs "start", in its order. */
	n = xvs_rs_sysctls_wanted(XVS_RS_MODE_DR, NULL, w, XVS_RS_MAX_SYSCTLS);
	assert_int_equal(n, 4);
	assert_string_equal(w[0].key, "net/ipv4/conf/all/arp_ignore");
	assert_int_equal(w[0].value, 1);
	assert_string_equal(w[1].key, "net/ipv4/conf/all/arp_announce");
	assert_int_equal(w[1].value, 2);
	assert_string_equal(w[2].key, "net/ipv4/conf/lo/arp_ignore");
	assert_int_equal(w[2].value, 1);
	assert_string_equal(w[3].key, "net/ipv4/conf/lo/arp_announce");
	assert_int_equal(w[3].value, 2);

	n = xvs_rs_sysctls_wanted(XVS_RS_MODE_TUN, "eth0", w, XVS_RS_MAX_SYSCTLS);
	assert_int_equal(n, 7);
	assert_string_equal(w[4].key, "net/ipv4/conf/all/rp_filter");
	assert_string_equal(w[5].key, "net/ipv4/conf/lo/rp_filter");
	assert_string_equal(w[6].key, "net/ipv4/conf/eth0/rp_filter");
	assert_int_equal(w[6].value, 0);

	assert_int_equal(xvs_rs_sysctls_wanted(XVS_RS_MODE_TUN, "", w,
					       XVS_RS_MAX_SYSCTLS), -EINVAL);
	assert_int_equal(xvs_rs_sysctls_wanted(XVS_RS_MODE_TUN, "eth0", w, 5),
			 -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_defaults),
		cmocka_unit_test(test_up_tun_full),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_other_commands),
		cmocka_unit_test(test_sysctls_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
