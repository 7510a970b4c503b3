// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_json.c - "xvsadm -L --json" (cli/json.c): the document for a
 * table with an IPv4 and an IPv6 service, sorted as -L sorts, every
 * counter exact; an empty table; and the option's checks in args.c.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/cli.h"

static char *print(const struct xvs_ctl_info *info, struct xvs_cli_table *t, unsigned int fmt)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	xvs_cli_print_json(f, info, t, fmt);
	fclose(f);
	return out;
}

static void test_two_services(void **s)
{
	struct xvs_ctl_info info = { .version_code = 0x010201, .conn_tab_size = 1048576 };
	struct xvs_ctl_dest d4[2] = { 0 }, d6[1] = { 0 };
	struct xvs_cli_svc svcs[2] = { 0 };
	struct xvs_cli_table t = { 2, svcs };
	char *out;

	(void)s;
	/* Given IPv6 first and the IPv4 dests in reverse: -L's order puts them right. */
	svcs[0].svc.key.af = XVS_AF_INET6;
	svcs[0].svc.key.proto = IPPROTO_UDP;
	svcs[0].svc.key.port = htons(53);
	inet_pton(AF_INET6, "2001:db8::100", svcs[0].svc.key.addr.bytes);
	svcs[0].svc.sched = XVS_SCHED_RR;
	svcs[0].svc.flags = XVS_SVC_F_PERSISTENT;
	svcs[0].svc.timeout = 300;
	svcs[0].svc.pmask_len = 128;
	svcs[0].svc.n_dests = 1;
	svcs[0].dests = d6;
	d6[0].af = XVS_AF_INET6;
	inet_pton(AF_INET6, "2001:db8::11", d6[0].addr.bytes);
	d6[0].port = htons(53);
	d6[0].fwd = XVS_FWD_DR;
	d6[0].weight = 1;
	svcs[1].svc.key.af = XVS_AF_INET;
	svcs[1].svc.key.proto = IPPROTO_TCP;
	svcs[1].svc.key.port = htons(80);
	inet_pton(AF_INET, "198.18.0.100", &svcs[1].svc.key.addr.ip4);
	svcs[1].svc.sched = XVS_SCHED_WLC;
	svcs[1].svc.n_dests = 2;
	svcs[1].svc.stats = (struct xvs_stats){ 20, 101, 0, 7312, 0 };
	svcs[1].svc.rate = (struct xvs_ctl_rate){ 2, 13, 0, 950, 0 };
	svcs[1].dests = d4;
	d4[0].af = d4[1].af = XVS_AF_INET;
	inet_pton(AF_INET, "198.18.0.12", &d4[0].addr.ip4);
	inet_pton(AF_INET, "198.18.0.11", &d4[1].addr.ip4);
	d4[0].port = d4[1].port = htons(80);
	d4[0].fwd = XVS_FWD_DR;
	d4[1].fwd = XVS_FWD_TUN;
	d4[0].weight = 1;
	d4[1].weight = 3;
	d4[1].u_threshold = 100;
	d4[1].l_threshold = 50;
	d4[1].active = 2;
	d4[1].inactive = 7;
	d4[1].stats = (struct xvs_stats){ 10, 50, 0, 3630, 5000000000ull };
	out = print(&info, &t, 0);
	assert_string_equal(out,
		"{\"version\": \"1.2.1\", \"conn_tab_size\": 1048576, \"services\": [\n"
		"  {\"protocol\": \"TCP\", \"fwmark\": null, \"address\": \"198.18.0.100\", "
		"\"port\": 80, \"family\": \"inet\", \"scheduler\": \"wlc\", \"persistent\": null, "
		"\"one_packet\": false, \"stats\": {\"conns\": 20, \"inpkts\": 101, \"outpkts\": 0, "
		"\"inbytes\": 7312, \"outbytes\": 0}, \"rate\": {\"cps\": 2, \"inpps\": 13, "
		"\"outpps\": 0, \"inbps\": 950, \"outbps\": 0},\n"
		"   \"dests\": [\n"
		"    {\"address\": \"198.18.0.11\", \"port\": 80, \"family\": \"inet\", "
		"\"forward\": \"Tunnel\", \"weight\": 3, \"upper_threshold\": 100, "
		"\"lower_threshold\": 50, \"active_conns\": 2, \"inactive_conns\": 7, "
		"\"persist_conns\": 0, \"stats\": {\"conns\": 10, \"inpkts\": 50, \"outpkts\": 0, "
		"\"inbytes\": 3630, \"outbytes\": 5000000000}, \"rate\": {\"cps\": 0, \"inpps\": 0, "
		"\"outpps\": 0, \"inbps\": 0, \"outbps\": 0}},\n"
		"    {\"address\": \"198.18.0.12\", \"port\": 80, \"family\": \"inet\", "
		"\"forward\": \"Route\", \"weight\": 1, \"upper_threshold\": 0, "
		"\"lower_threshold\": 0, \"active_conns\": 0, \"inactive_conns\": 0, "
		"\"persist_conns\": 0, \"stats\": {\"conns\": 0, \"inpkts\": 0, \"outpkts\": 0, "
		"\"inbytes\": 0, \"outbytes\": 0}, \"rate\": {\"cps\": 0, \"inpps\": 0, "
		"\"outpps\": 0, \"inbps\": 0, \"outbps\": 0}}\n"
		"   ]},\n"
		"  {\"protocol\": \"UDP\", \"fwmark\": null, \"address\": \"2001:db8::100\", "
		"\"port\": 53, \"family\": \"inet6\", \"scheduler\": \"rr\", "
		"\"persistent\": {\"timeout\": 300, \"prefix_length\": 128}, "
		"\"one_packet\": false, \"stats\": {\"conns\": 0, \"inpkts\": 0, \"outpkts\": 0, "
		"\"inbytes\": 0, \"outbytes\": 0}, \"rate\": {\"cps\": 0, \"inpps\": 0, "
		"\"outpps\": 0, \"inbps\": 0, \"outbps\": 0},\n"
		"   \"dests\": [\n"
		"    {\"address\": \"2001:db8::11\", \"port\": 53, \"family\": \"inet6\", "
		"\"forward\": \"Route\", \"weight\": 1, \"upper_threshold\": 0, "
		"\"lower_threshold\": 0, \"active_conns\": 0, \"inactive_conns\": 0, "
		"\"persist_conns\": 0, \"stats\": {\"conns\": 0, \"inpkts\": 0, \"outpkts\": 0, "
		"\"inbytes\": 0, \"outbytes\": 0}, \"rate\": {\"cps\": 0, \"inpps\": 0, "
		"\"outpps\": 0, \"inbps\": 0, \"outbps\": 0}}\n"
		"   ]}\n"
		"]}\n");
	free(out);
}

static void test_empty_and_single(void **s)
{
	struct xvs_ctl_info info = { .version_code = 0x010201, .conn_tab_size = 256 };
	struct xvs_cli_svc svc = { 0 };
	struct xvs_cli_table t = { 0, NULL };
	char *out;

	(void)s;
	out = print(&info, &t, 0);
	assert_string_equal(out, "{\"version\": \"1.2.1\", \"conn_tab_size\": 256, \"services\": []}\n");
	free(out);
	/* One service (-L -t ... --json): no header; no dests: an empty list. */
	svc.svc.key.fwmark = 7;
	svc.svc.sched = XVS_SCHED_SH;
	t = (struct xvs_cli_table){ 1, &svc };
	out = print(NULL, &t, 0);
	assert_non_null(strstr(out, "{\"services\": [\n  {\"protocol\": \"FWM\", \"fwmark\": 7, "
				    "\"address\": null, \"port\": null, "));
	assert_non_null(strstr(out, "\"scheduler\": \"sh\""));
	assert_non_null(strstr(out, "\"dests\": []}\n]}\n"));
	free(out);
}

/* Parse argv; the exit status, and the request. */
static int parse(struct xvs_cli_req *req, const char *const *args, int n)
{
	char *argv[8];
	FILE *err = fopen("/dev/null", "w");
	int ret;

	for (int i = 0; i < n; i++)
		argv[i] = (char *)args[i];
	ret = xvs_cli_parse(n, argv, req, err);
	fclose(err);
	return ret;
}

static void test_option(void **s)
{
	static const char *const ok[] = { "xvsadm", "-Ln", "--json" };
	static const char *const conns[] = { "xvsadm", "-Lnc", "--json" };
	static const char *const add[] = { "xvsadm", "-A", "-t", "198.18.0.100:80", "--json" };
	static const char *const tmo[] = { "xvsadm", "-L", "--timeout", "--json" };
	struct xvs_cli_req req;

	(void)s;
	assert_int_equal(parse(&req, ok, 3), 0);
	assert_true(req.format & XVS_CLI_FMT_JSON);
	assert_int_equal(parse(&req, conns, 3), XVS_CLI_EXIT_FAIL);
	assert_int_equal(parse(&req, add, 5), XVS_CLI_EXIT_FAIL);
	assert_int_equal(parse(&req, tmo, 4), XVS_CLI_EXIT_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_services),
		cmocka_unit_test(test_empty_and_single),
		cmocka_unit_test(test_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
