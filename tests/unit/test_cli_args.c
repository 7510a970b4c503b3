// SPDX-License-Identifier: GPL-2.0
/* test_cli_args.c - xvsadm's ipvsadm command line parsing (cli/args.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/cli.h"

static char errbuf[4096];

/* Parse a NULL-terminated word list; error text lands in errbuf. */
static int parse_words(struct xvs_cli_req *req, ...)
{
	char *argv[64];
	int argc = 0, ret;
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	argv[argc++] = "ipvsadm";
	va_start(ap, req);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	memset(errbuf, 0, sizeof(errbuf));
	ret = xvs_cli_parse(argc, argv, req, err);
	fclose(err);
	return ret;
}

#define PARSE(req, ...) parse_words(req, __VA_ARGS__, (char *)NULL)

static void test_add_service_defaults(void **state)
{
	struct xvs_cli_req r;
	struct xvs_ctl_service s;

	(void)state;
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_ADD);
	assert_string_equal(r.sched_name, "wlc");
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.key.af, XVS_AF_INET);
	assert_int_equal(s.key.proto, IPPROTO_TCP);
	assert_int_equal(s.key.port, htons(80));
	assert_int_equal(s.key.addr.ip4, inet_addr("198.18.0.100"));
	assert_int_equal(s.sched, XVS_SCHED_WLC);
	assert_int_equal(s.pmask_len, 32);
	assert_int_equal(s.flags, 0);
}

static void test_edit_resets_sched(void **state)
{
	struct xvs_cli_req r;
	struct xvs_ctl_service s;

	(void)state;
	assert_int_equal(PARSE(&r, "-E", "-u", "198.18.0.100:53"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_EDIT);
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.sched, XVS_SCHED_WLC);
	assert_int_equal(s.key.proto, IPPROTO_UDP);
}

static void test_persistent(void **state)
{
	struct xvs_cli_req r;
	struct xvs_ctl_service s;

	(void)state;
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-p"), 0);
	assert_int_equal(r.timeout, 360);
	assert_true(r.svc_flags & XVS_SVC_F_PERSISTENT);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-p", "300",
			       "-s", "rr"), 0);
	assert_int_equal(r.timeout, 300);
	assert_string_equal(r.sched_name, "rr");
	/* An optional argument never starts with '-'. */
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-p", "-s", "sh"), 0);
	assert_int_equal(r.timeout, 360);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:0", "-p", "0"), 2);
	assert_string_equal(errbuf, "invalid timeout value `0' specified\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:0", "--persistent=2678400",
			       "-M", "24"), 0);
	assert_int_equal(r.timeout, 2678400);
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.pmask_len, 24);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:0", "-p", "2678401"), 2);
}

static void test_netmask(void **state)
{
	struct xvs_cli_req r;
	struct xvs_ctl_service s;

	(void)state;
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-p", "-M",
			       "255.255.255.0"), 0);
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.pmask_len, 24);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-p", "-M",
			       "255.0.255.0"), 2);
	assert_non_null(strstr(errbuf, "not contiguous"));
	assert_int_equal(PARSE(&r, "-A", "-t", "[2001:db8::1]:80", "-p", "-M", "64"), 0);
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.pmask_len, 64);
	assert_int_equal(s.key.af, XVS_AF_INET6);
	assert_int_equal(PARSE(&r, "-A", "-t", "[2001:db8::1]:80", "-M", "129"), 2);
	assert_string_equal(errbuf, "illegal ipv6 netmask specified\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "[2001:db8::1]:80"), 0);
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.pmask_len, 128);
}

static void test_clusters(void **state)
{
	struct xvs_cli_req r;

	(void)state;
	assert_int_equal(PARSE(&r, "-Ln"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_LIST);
	assert_int_equal(r.format, XVS_CLI_FMT_NUMERIC);
	assert_int_equal(PARSE(&r, "-Lnc"), 0);
	assert_true(r.options & (1ULL << XVS_CLI_OPT_CONNECTION));
	assert_int_equal(PARSE(&r, "-ln", "--stats", "--exact"), 0);
	assert_int_equal(r.format, XVS_CLI_FMT_NUMERIC | XVS_CLI_FMT_STATS |
				   XVS_CLI_FMT_EXACT);
	assert_int_equal(PARSE(&r, "-At", "198.18.0.100:80"), 0);
	assert_int_equal(r.key.port, htons(80));
	assert_int_equal(PARSE(&r, "-A", "-t198.18.0.100:443", "-srr"), 0);
	assert_int_equal(r.key.port, htons(443));
	assert_string_equal(r.sched_name, "rr");
	assert_int_equal(PARSE(&r, "--list", "--numeric", "--tcp-service=198.18.0.100:80"), 0);
	assert_true(r.options & (1ULL << XVS_CLI_OPT_SERVICE));
	assert_int_equal(PARSE(&r, "-L", "--timeout"), 0);
	assert_int_equal(PARSE(&r, "-Sn"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_SAVE);
}

static void test_command_first(void **state)
{
	struct xvs_cli_req r;

	(void)state;
	assert_int_equal(PARSE(&r, "-n", "-L"), 255);
	assert_string_equal(errbuf, "Try `ipvsadm -h' or 'ipvsadm --help' for more "
			    "information.\n");
	assert_int_equal(PARSE(&r, "-L", "-A"), 2);
	assert_string_equal(errbuf, "invalid option `-A'\n");
	assert_int_equal(PARSE(&r, "-L", "--bogus"), 255);
	assert_string_equal(errbuf, "--bogus: unknown option\n");
	assert_int_equal(PARSE(&r, "-A", "-t"), 255);
	assert_string_equal(errbuf, "-t: missing argument\n");
	assert_int_equal(PARSE(&r, "-L", "extra"), 2);
	assert_string_equal(errbuf, "unexpected argument extra\n");
	assert_int_equal(PARSE(&r, "-h"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_HELP);
}

static void test_dests(void **state)
{
	struct xvs_cli_req r;
	struct xvs_ctl_dest d;

	(void)state;
	/* -e without -w sends weight 1, as ipvsadm. */
	assert_int_equal(PARSE(&r, "-e", "-t", "198.18.0.100:80", "-r", "198.18.0.11"), 0);
	xvs_cli_req_dest(&r, &d);
	assert_int_equal(d.weight, 1);
	assert_int_equal(d.fwd, XVS_FWD_DR);
	assert_int_equal(d.port, htons(80));
	assert_int_equal(d.addr.ip4, inet_addr("198.18.0.11"));
	assert_int_equal(d.svc.port, htons(80));
	/* DR forces the virtual port, NAT keeps the given one. */
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r",
			       "198.18.0.11:8080", "-g"), 0);
	assert_int_equal(r.dport, htons(80));
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r",
			       "198.18.0.11:8080", "-m", "-w", "0", "-x", "5", "-y", "2"), 0);
	xvs_cli_req_dest(&r, &d);
	assert_int_equal(d.port, htons(8080));
	assert_int_equal(d.fwd, XVS_FWD_NAT);
	assert_int_equal(d.weight, 0);
	assert_int_equal(d.u_threshold, 5);
	assert_int_equal(d.l_threshold, 2);
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r", "198.18.0.11",
			       "-m"), 0);
	assert_int_equal(r.dport, htons(80));
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r", "198.18.0.11",
			       "-i", "-w", "3"), 0);
	assert_int_equal(r.fwd, XVS_FWD_TUN);
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r", "198.18.0.11",
			       "-w", "65536"), 2);
	assert_string_equal(errbuf, "illegal weight specified\n");
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r", "bad..addr"), 2);
	assert_string_equal(errbuf, "illegal real server address[:port] specified\n");
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80"), 2);
	assert_string_equal(errbuf, "You need to supply the 'real-server' option for "
			    "the 'add-server' command\n");
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r",
			       "[2001:db8::11]:80"), 2);
	assert_string_equal(errbuf, "Different address family is allowed only for "
			    "tunneling servers\n");
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r", "198.18.0.11",
			       "-i", "--tun-type", "gue"), 2);
	assert_string_equal(errbuf, "You need to supply the 'tun-port' option for the "
			    "'gue' tunnel type\n");
	assert_int_equal(PARSE(&r, "-a", "-t", "198.18.0.100:80", "-r", "198.18.0.11",
			       "--tun-type", "ipip"), 2);
	assert_string_equal(errbuf, "Tunnel options conflict with forward method\n");
	assert_int_equal(PARSE(&r, "-d", "-t", "198.18.0.100:80", "-r", "198.18.0.11",
			       "-w", "2"), 2);
	assert_string_equal(errbuf, "Illegal 'weight' option with the 'delete-server' "
			    "command\n");
}

static void test_service_errors(void **state)
{
	struct xvs_cli_req r;
	struct xvs_ctl_service s;

	(void)state;
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:99999"), 2);
	assert_string_equal(errbuf, "illegal virtual server address[:port] specified\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "80"), 2);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100"), 2);
	assert_string_equal(errbuf, "Zero port specified for non-persistent service\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-o"), 2);
	assert_string_equal(errbuf, "One-Packet Scheduling is only for UDP virtual "
			    "services\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-s", "rr", "-s", "wrr"), 2);
	assert_string_equal(errbuf, "multiple 'scheduler' options specified\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-s", "nosuch"), 0);
	assert_int_equal(xvs_cli_req_service(&r, &s), -ENOENT);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-b", "sh-port"), 2);
	assert_string_equal(errbuf, "incompatible scheduler flag `sh-port'\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-s", "sh", "-b",
			       "sh-fallback,sh-port"), 0);
	assert_int_equal(r.svc_flags, XVS_SVC_F_SCHED1 | XVS_SVC_F_SCHED2);
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-b", "nope"), 2);
	assert_string_equal(errbuf, "invalid scheduler flag `nope'\n");
	assert_int_equal(PARSE(&r, "-A", "-t", "198.18.0.100:80", "-6"), 2);
	assert_string_equal(errbuf, "-6 used before -f\n\n");
	assert_int_equal(PARSE(&r, "-A", "-f", "0"), 2);
	assert_string_equal(errbuf, "invalid fwmark value `0' specified\n");
	assert_int_equal(PARSE(&r, "-A", "-f", "7", "-6"), 0);
	assert_int_equal(xvs_cli_req_service(&r, &s), 0);
	assert_int_equal(s.key.fwmark, 7);
	assert_int_equal(s.key.proto, 0);
	assert_int_equal(s.key.af, XVS_AF_INET6);
	assert_int_equal(PARSE(&r, "-A", "-u", "198.18.0.100:53", "-o", "--pe", "sip"), 0);
	assert_int_equal(xvs_cli_req_service(&r, &s), -ENOENT);
	assert_int_equal(PARSE(&r, "-D", "-t", "198.18.0.100:80", "-s", "rr"), 2);
	assert_string_equal(errbuf, "Illegal 'scheduler' option with the "
			    "'delete-service' command\n");
	assert_int_equal(PARSE(&r, "-A", "--sctp-service", "198.18.0.100:80"), 0);
	assert_int_equal(r.key.proto, IPPROTO_SCTP);
}

static void test_set_and_list(void **state)
{
	struct xvs_cli_req r;

	(void)state;
	assert_int_equal(PARSE(&r, "--set", "900", "120", "300"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_TIMEOUT);
	assert_int_equal(r.set.tcp, 900);
	assert_int_equal(r.set.tcpfin, 120);
	assert_int_equal(r.set.udp, 300);
	assert_int_equal(PARSE(&r, "--set", "900", "120"), 2);
	assert_string_equal(errbuf, "--set option requires 3 timeout values\n");
	assert_int_equal(PARSE(&r, "--set", "900", "x", "1"), 2);
	assert_string_equal(errbuf, "invalid timeout value `x' specified\n");
	assert_int_equal(PARSE(&r, "-L", "-c", "--stats"), 2);
	assert_string_equal(errbuf, "options conflicts in the list command\n");
	assert_int_equal(PARSE(&r, "-L", "-c", "-t", "198.18.0.100:80"), 2);
	assert_string_equal(errbuf, "The option 'service-address' conflicts with the "
			    "'connection' option in the 'list' command\n");
	assert_int_equal(PARSE(&r, "-Z"), 0);
	assert_int_equal(r.cmd, XVS_CLI_CMD_ZERO);
	assert_int_equal(PARSE(&r, "-C", "-n"), 2);
	assert_string_equal(errbuf, "Illegal 'numeric' option with the 'flush' command\n");
	assert_int_equal(PARSE(&r, "-L", "--ctl", "/tmp/x.sock"), 0);
	assert_string_equal(r.ctl_path, "/tmp/x.sock");
	assert_int_equal(PARSE(&r, "--start-daemon", "master"), 0);
	assert_int_equal(PARSE(&r, "--start-daemon", "slave"), 2);
	assert_string_equal(errbuf, "illegal start-daemon parameter specified\n");
}

static void test_split_line(void **state)
{
	char line[] = "ipvsadm -A -t 198.18.0.100:80 -s rr  \t# comment\n";
	char blank[] = "  \n";
	char *argv[16];

	(void)state;
	assert_int_equal(xvs_cli_split_line(line, "xvsadm", argv, 16), 6);
	assert_string_equal(argv[0], "xvsadm");
	assert_string_equal(argv[1], "-A");
	assert_string_equal(argv[5], "rr");
	assert_int_equal(xvs_cli_split_line(blank, "xvsadm", argv, 16), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_service_defaults),
		cmocka_unit_test(test_edit_resets_sched),
		cmocka_unit_test(test_persistent),
		cmocka_unit_test(test_netmask),
		cmocka_unit_test(test_clusters),
		cmocka_unit_test(test_command_first),
		cmocka_unit_test(test_dests),
		cmocka_unit_test(test_service_errors),
		cmocka_unit_test(test_set_and_list),
		cmocka_unit_test(test_split_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
