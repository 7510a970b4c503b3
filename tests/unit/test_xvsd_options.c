// SPDX-License-Identifier: GPL-2.0
/* test_xvsd_options.c - xvsd's command line (daemon/options.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../daemon/options.h"
#include "xvs/ctl-t.h"

/*
 * Parse a NULL-terminated word list after "xvsd". The words are copied
 * into argv (getopt permutes it) that lives until the next call, since
 * o keeps pointers into it.
 */
static char *argv_buf[64];

static int parse_words(struct xvsd_options *o, ...)
{
	int argc = 0;
	va_list ap;

	argv_buf[argc++] = "xvsd";
	va_start(ap, o);
	while ((argv_buf[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return xvsd_parse_options(argc, argv_buf, o);
}

#define PARSE(o, ...) parse_words(o, ##__VA_ARGS__, (char *)NULL)

static void test_defaults(void **s)
{
	struct xvsd_options o;

	(void)s;
	memset(&o, 0x5a, sizeof(o));
	assert_int_equal(PARSE(&o), 0);
	assert_string_equal(o.name, "xvsd");
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/xvs/xvsd");
	assert_string_equal(o.ctl_path, "/run/xvs/xvsd.sock");
	assert_string_equal(o.ctl_path, XVS_CTL_DEFAULT_PATH);
	assert_false(o.foreground);
	assert_false(o.log_console);
	assert_false(o.log_detail);
	assert_false(o.cleanup);
	assert_null(o.pidfile);
	assert_int_equal(o.n_ifaces, 0);
	assert_int_equal(o.xdp_mode, XVS_XDP_NATIVE);
	assert_int_equal(o.conn_tab_bits, 0);
	assert_int_equal(o.max_svcs, 0);
	assert_int_equal(o.max_dests, 0);
}

static void test_flags(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "-n", "-l", "-D", "-p", "/run/x.pid", "--cleanup"), 0);
	assert_true(o.foreground);
	assert_true(o.log_console);
	assert_true(o.log_detail);
	assert_true(o.cleanup);
	assert_string_equal(o.pidfile, "/run/x.pid");

	assert_int_equal(PARSE(&o, "-nlD"), 0);
	assert_true(o.foreground && o.log_console && o.log_detail);

	assert_int_equal(PARSE(&o, "--dont-fork", "--log-console", "--log-detail",
			       "--pid=/tmp/p"), 0);
	assert_true(o.foreground && o.log_console && o.log_detail);
	assert_string_equal(o.pidfile, "/tmp/p");
	/* A fresh parse starts from the defaults again. */
	assert_int_equal(PARSE(&o), 0);
	assert_false(o.foreground);
	assert_null(o.pidfile);
}

static void test_name(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--name", "lb-2.a_B"), 0);
	assert_string_equal(o.name, "lb-2.a_B");
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/xvs/lb-2.a_B");
	assert_string_equal(o.ctl_path, "/run/xvs/lb-2.a_B.sock");

	assert_int_equal(PARSE(&o, "--name=x"), 0);
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/xvs/x");
	assert_string_equal(o.ctl_path, "/run/xvs/x.sock");

	/* An explicit --ctl wins over the one derived from --name. */
	assert_int_equal(PARSE(&o, "--ctl", "/tmp/my.sock", "--name", "x"), 0);
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/xvs/x");
	assert_string_equal(o.ctl_path, "/tmp/my.sock");
}

static void test_name_longest(void **s)
{
	char name[65], pin[128], ctl[128];
	struct xvsd_options o;

	(void)s;
	memset(name, 'n', 64);
	name[64] = '\0';
	assert_int_equal(PARSE(&o, "--name", name), 0);
	snprintf(pin, sizeof(pin), "/sys/fs/bpf/xvs/%s", name);
	snprintf(ctl, sizeof(ctl), "/run/xvs/%s.sock", name);
	assert_string_equal(o.pin_dir, pin);
	assert_string_equal(o.ctl_path, ctl);
}

static void test_name_bad(void **s)
{
	char name[66];
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--name", "../x"), -1);
	assert_int_equal(PARSE(&o, "--name", ""), -1);
	assert_int_equal(PARSE(&o, "--name", "a/b"), -1);
	assert_int_equal(PARSE(&o, "--name", ".."), -1);
	assert_int_equal(PARSE(&o, "--name", "."), -1);
	assert_int_equal(PARSE(&o, "--name", ".hidden"), -1);
	assert_int_equal(PARSE(&o, "--name", "a b"), -1);
	assert_int_equal(PARSE(&o, "--name", "x\n"), -1);
	memset(name, 'n', 65);
	name[65] = '\0';
	assert_int_equal(PARSE(&o, "--name", name), -1);
	/* Missing argument. */
	assert_int_equal(PARSE(&o, "--name"), -1);
}

static void test_conn_tab_bits(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "8"), 0);
	assert_int_equal(o.conn_tab_bits, 8);
	assert_int_equal(PARSE(&o, "--conn-tab-bits=26"), 0);
	assert_int_equal(o.conn_tab_bits, 26);
	assert_int_equal(PARSE(&o, "--conn-tab-bits=20"), 0);
	assert_int_equal(o.conn_tab_bits, 20);

	assert_int_equal(PARSE(&o, "--conn-tab-bits", "7"), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "27"), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "0"), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "-8"), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", ""), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "12x"), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "abc"), -1);
	assert_int_equal(PARSE(&o, "--conn-tab-bits", "99999999999999999999"), -1);
}

/* --max-services and --max-dests only raise the defaults. */
static void test_max_sizes(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--max-services", "10000", "--max-dests=100001"), 0);
	assert_int_equal(o.max_svcs, 10000);
	assert_int_equal(o.max_dests, 100001);
	assert_int_equal(PARSE(&o, "--max-services=4096", "--max-dests", "65536"), 0);
	assert_int_equal(o.max_svcs, XVS_MAX_SERVICES);
	assert_int_equal(o.max_dests, XVS_MAX_DESTS);
	assert_int_equal(PARSE(&o, "--max-services=1048576", "--max-dests=4194304"), 0);

	assert_int_equal(PARSE(&o, "--max-services", "4095"), -1);
	assert_int_equal(PARSE(&o, "--max-services", "1048577"), -1);
	assert_int_equal(PARSE(&o, "--max-services", "1e4"), -1);
	assert_int_equal(PARSE(&o, "--max-dests", "65535"), -1);
	assert_int_equal(PARSE(&o, "--max-dests", "4194305"), -1);
	assert_int_equal(PARSE(&o, "--max-dests", ""), -1);
}

static void test_xdp_mode(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--xdp-mode", "generic"), 0);
	assert_int_equal(o.xdp_mode, XVS_XDP_GENERIC);
	assert_int_equal(PARSE(&o, "--xdp-mode=native"), 0);
	assert_int_equal(o.xdp_mode, XVS_XDP_NATIVE);
	assert_int_equal(PARSE(&o, "--xdp-mode", "skb"), -1);
	assert_int_equal(PARSE(&o, "--xdp-mode", "Native"), -1);
	assert_int_equal(PARSE(&o, "--xdp-mode", ""), -1);
}

static void test_interfaces(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--interface", "eth0", "--interface=eth1",
			       "--interface", "veth-x"), 0);
	assert_int_equal(o.n_ifaces, 3);
	assert_string_equal(o.ifaces[0], "eth0");
	assert_string_equal(o.ifaces[1], "eth1");
	assert_string_equal(o.ifaces[2], "veth-x");
}

/* Parse "--interface=ifN" n times. */
static int parse_n_ifaces(struct xvsd_options *o, int n)
{
	static char words[XVSD_MAX_IFACES + 2][32];
	static char *argv[XVSD_MAX_IFACES + 3];
	int argc = 0;

	argv[argc++] = "xvsd";
	for (int i = 0; i < n; i++) {
		snprintf(words[i], sizeof(words[i]), "--interface=if%d", i);
		argv[argc++] = words[i];
	}
	argv[argc] = NULL;
	return xvsd_parse_options(argc, argv, o);
}

static void test_too_many_interfaces(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(parse_n_ifaces(&o, XVSD_MAX_IFACES), 0);
	assert_int_equal(o.n_ifaces, XVSD_MAX_IFACES);
	assert_string_equal(o.ifaces[XVSD_MAX_IFACES - 1], "if31");
	assert_int_equal(parse_n_ifaces(&o, XVSD_MAX_IFACES + 1), -1);
}

static void test_positional(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "extra"), -1);
	assert_int_equal(PARSE(&o, "-n", "extra"), -1);
	/* GNU getopt permutes: a word before the options is still extra. */
	assert_int_equal(PARSE(&o, "extra", "-n"), -1);
	assert_int_equal(PARSE(&o, "-n", "--", "extra"), -1);
}

static void test_unknown_option(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--bogus"), -1);
	assert_int_equal(PARSE(&o, "-x"), -1);
	assert_int_equal(PARSE(&o, "-p"), -1);
	/* After errors, a good line parses from scratch. */
	assert_int_equal(PARSE(&o, "-n"), 0);
	assert_true(o.foreground);
}

/* A second parse starts clean, even after a cluster was cut short. */
static void test_reparse(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "-hn"), 1);
	assert_int_equal(PARSE(&o, "--name", "x"), 0);
	assert_false(o.foreground);
	assert_string_equal(o.name, "x");
}

static void test_help_version(void **s)
{
	struct xvsd_options o;

	(void)s;
	assert_int_equal(PARSE(&o, "--help"), 1);
	assert_int_equal(PARSE(&o, "--version"), 1);
	assert_int_equal(PARSE(&o, "-v"), 1);
	fflush(stdout);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_name_longest),
		cmocka_unit_test(test_name_bad),
		cmocka_unit_test(test_conn_tab_bits),
		cmocka_unit_test(test_max_sizes),
		cmocka_unit_test(test_xdp_mode),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_too_many_interfaces),
		cmocka_unit_test(test_positional),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_reparse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
