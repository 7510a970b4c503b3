// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_list.c - xvsadm's listings (cli/list.c) against the exact text
 * ipvsadm 1.31 prints, trailing blanks included; sorting; -S round trip.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../cli/cli.h"

static char out[8192];

static FILE *open_out(void)
{
	memset(out, 0, sizeof(out));
	return fmemopen(out, sizeof(out), "w");
}

static void v4(union xvs_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	inet_pton(AF_INET, s, &a->ip4);
}

static void v6(union xvs_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	inet_pton(AF_INET6, s, a->bytes);
}

static void svc(struct xvs_cli_svc *s, int af, const char *addr, int proto,
		int port, int sched)
{
	memset(s, 0, sizeof(*s));
	s->svc.key.af = (__u8)af;
	if (af == XVS_AF_INET6)
		v6(&s->svc.key.addr, addr);
	else
		v4(&s->svc.key.addr, addr);
	s->svc.key.proto = (__u8)proto;
	s->svc.key.port = htons((uint16_t)port);
	s->svc.sched = (__u8)sched;
	s->svc.pmask_len = af == XVS_AF_INET6 ? 128 : 32;
}

static struct xvs_ctl_dest *dest(struct xvs_cli_svc *s, const char *addr, int port,
				 int fwd, int weight)
{
	struct xvs_ctl_dest *d;

	s->dests = realloc(s->dests, (s->svc.n_dests + 1) * sizeof(*d));
	d = &s->dests[s->svc.n_dests++];
	memset(d, 0, sizeof(*d));
	d->svc = s->svc.key;
	d->af = strchr(addr, ':') ? XVS_AF_INET6 : XVS_AF_INET;
	if (d->af == XVS_AF_INET6)
		v6(&d->addr, addr);
	else
		v4(&d->addr, addr);
	d->port = htons((uint16_t)port);
	d->fwd = (__u8)fwd;
	d->weight = weight;
	return d;
}

/* The table of the default-listing test, in a deliberately unsorted order. */
static void sample_table(struct xvs_cli_table *t)
{
	struct xvs_ctl_dest *d;

	t->n = 3;
	t->svcs = calloc(3, sizeof(*t->svcs));
	svc(&t->svcs[0], XVS_AF_INET6, "2001:db8::100", IPPROTO_TCP, 443, XVS_SCHED_SH);
	t->svcs[0].svc.flags = XVS_SVC_F_SCHED2;
	dest(&t->svcs[0], "2001:db8::11", 443, XVS_FWD_TUN, 1);
	svc(&t->svcs[1], XVS_AF_INET, "198.18.0.100", IPPROTO_UDP, 53, XVS_SCHED_RR);
	t->svcs[1].svc.flags = XVS_SVC_F_PERSISTENT;
	t->svcs[1].svc.timeout = 300;
	t->svcs[1].svc.pmask_len = 24;
	d = dest(&t->svcs[1], "198.18.0.13", 5353, XVS_FWD_NAT, 0);
	d->inactive = 1;
	svc(&t->svcs[2], XVS_AF_INET, "198.18.0.100", IPPROTO_TCP, 80, XVS_SCHED_WLC);
	dest(&t->svcs[2], "198.18.0.12", 80, XVS_FWD_DR, 2);
	d = dest(&t->svcs[2], "198.18.0.11", 80, XVS_FWD_DR, 1);
	d->active = 3;
	d->inactive = 7;
}

static void test_default_listing(void **state)
{
	struct xvs_ctl_info info = { .version_code = 0x010201, .conn_tab_size = 4096 };
	struct xvs_cli_table t;
	FILE *f = open_out();

	(void)state;
	sample_table(&t);
	xvs_cli_print_table(f, &info, &t, XVS_CLI_FMT_NUMERIC);
	fclose(f);
	assert_string_equal(out,
		"IP Virtual Server version 1.2.1 (size=4096)\n"
		"Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		"TCP  198.18.0.100:80 wlc\n"
		"  -> 198.18.0.11:80               Route   1      3          7         \n"
		"  -> 198.18.0.12:80               Route   2      0          0         \n"
		"UDP  198.18.0.100:53 rr persistent 300 mask 255.255.255.0\n"
		"  -> 198.18.0.13:5353             Masq    0      0          1         \n"
		"TCP  [2001:db8::100]:443 sh (sh-port)\n"
		"  -> [2001:db8::11]:443           Tunnel  1      0          0         \n");
	xvs_cli_table_free(&t);
}

static void test_save_and_round_trip(void **state)
{
	struct xvs_cli_table t;
	char *lines, *line, *save = NULL;
	FILE *f = open_out();
	int nsvc = 0, ndest = 0;

	(void)state;
	sample_table(&t);
	t.svcs[1].svc.flags |= XVS_SVC_F_ONEPACKET;
	t.svcs[0].svc.flags |= XVS_SVC_F_PERSISTENT;
	t.svcs[0].svc.timeout = 360;
	t.svcs[0].svc.pmask_len = 64;
	xvs_cli_print_table(f, NULL, &t, XVS_CLI_FMT_NUMERIC | XVS_CLI_FMT_RULE);
	fclose(f);
	assert_string_equal(out,
		"-A -t 198.18.0.100:80 -s wlc\n"
		"-a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 1\n"
		"-a -t 198.18.0.100:80 -r 198.18.0.12:80 -g -w 2\n"
		"-A -u 198.18.0.100:53 -s rr -p 300 -M 255.255.255.0 -o\n"
		"-a -u 198.18.0.100:53 -r 198.18.0.13:5353 -m -w 0\n"
		"-A -t [2001:db8::100]:443 -s sh -p 360 -M 64 -b sh-port\n"
		"-a -t [2001:db8::100]:443 -r [2001:db8::11]:443 -i -w 1 --tun-type ipip\n");

	/* Every saved line parses back to what was saved (t is sorted now). */
	lines = strdup(out);
	for (line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct xvs_cli_req req;
		char *argv[32];
		FILE *err = fopen("/dev/null", "w");
		int argc = xvs_cli_split_line(line, "ipvsadm", argv, 32);

		assert_int_equal(xvs_cli_parse(argc, argv, &req, err), 0);
		fclose(err);
		if (req.cmd == XVS_CLI_CMD_ADD) {
			struct xvs_ctl_service s;
			const struct xvs_ctl_service *o = &t.svcs[nsvc++].svc;

			assert_int_equal(xvs_cli_req_service(&req, &s), 0);
			assert_memory_equal(&s.key, &o->key, sizeof(s.key));
			assert_int_equal(s.sched, o->sched);
			assert_int_equal(s.flags, o->flags);
			assert_int_equal(s.timeout, o->timeout);
			if (o->flags & XVS_SVC_F_PERSISTENT)
				assert_int_equal(s.pmask_len, o->pmask_len);
			ndest = 0;
		} else {
			struct xvs_ctl_dest d;
			const struct xvs_ctl_dest *o = &t.svcs[nsvc - 1].dests[ndest++];

			assert_int_equal(req.cmd, XVS_CLI_CMD_ADDDEST);
			xvs_cli_req_dest(&req, &d);
			assert_memory_equal(&d.svc, &o->svc, sizeof(d.svc));
			assert_memory_equal(&d.addr, &o->addr, sizeof(d.addr));
			assert_int_equal(d.port, o->port);
			assert_int_equal(d.af, o->af);
			assert_int_equal(d.fwd, o->fwd);
			assert_int_equal(d.weight, o->weight);
		}
	}
	assert_int_equal(nsvc, 3);
	free(lines);
	xvs_cli_table_free(&t);
}

static void test_stats_rate(void **state)
{
	struct xvs_cli_svc s;
	struct xvs_ctl_dest *d;
	FILE *f;

	(void)state;
	svc(&s, XVS_AF_INET, "198.18.0.100", IPPROTO_TCP, 80, XVS_SCHED_WLC);
	s.svc.stats = (struct xvs_stats){ 5, 100, 0, 123456000ULL, 4000000000ULL };
	s.svc.rate = (struct xvs_ctl_rate){ 1, 2, 3, 4, 5 };
	d = dest(&s, "198.18.0.11", 80, XVS_FWD_DR, 1);
	d->stats = (struct xvs_stats){ 5, 100, 0, 99999999, 0 };
	d->rate = (struct xvs_ctl_rate){ 1, 2, 3, 4, 5 };

	f = open_out();
	xvs_cli_print_title(f, XVS_CLI_FMT_STATS);
	xvs_cli_print_service(f, &s, XVS_CLI_FMT_STATS | XVS_CLI_FMT_NUMERIC);
	fclose(f);
	assert_string_equal(out,
		"Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n"
		"TCP  198.18.0.100:80                     5      100        0  123456K    4000M\n"
		"  -> 198.18.0.11:80                      5      100        0 99999999        0\n");

	f = open_out();
	xvs_cli_print_title(f, XVS_CLI_FMT_RATE);
	xvs_cli_print_service(f, &s, XVS_CLI_FMT_RATE | XVS_CLI_FMT_NUMERIC);
	fclose(f);
	assert_string_equal(out,
		"Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n  -> RemoteAddress:Port\n"
		"TCP  198.18.0.100:80                     1        2        3        4        5\n"
		"  -> 198.18.0.11:80                      1        2        3        4        5\n");
	free(s.dests);
}

static void test_thresholds_persist(void **state)
{
	struct xvs_cli_svc s;
	struct xvs_ctl_dest *d;
	FILE *f;

	(void)state;
	svc(&s, XVS_AF_INET, "198.18.0.100", IPPROTO_TCP, 80, XVS_SCHED_WLC);
	d = dest(&s, "198.18.0.11", 80, XVS_FWD_DR, 1);
	d->u_threshold = 10;
	d->l_threshold = 5;
	d->active = 3;
	d->inactive = 7;
	d->persist = 4;

	f = open_out();
	xvs_cli_print_title(f, XVS_CLI_FMT_THRESHOLDS);
	xvs_cli_print_service(f, &s, XVS_CLI_FMT_THRESHOLDS | XVS_CLI_FMT_NUMERIC);
	fclose(f);
	assert_string_equal(out,
		"Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n  -> RemoteAddress:Port\n"
		"TCP  198.18.0.100:80 wlc\n"
		"  -> 198.18.0.11:80               10         5          3          7         \n");

	f = open_out();
	xvs_cli_print_title(f, XVS_CLI_FMT_PERSISTENTCONN);
	xvs_cli_print_service(f, &s, XVS_CLI_FMT_PERSISTENTCONN | XVS_CLI_FMT_NUMERIC);
	fclose(f);
	assert_string_equal(out,
		"Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n  -> RemoteAddress:Port\n"
		"TCP  198.18.0.100:80 wlc\n"
		"  -> 198.18.0.11:80               1         4           3          7         \n");
	free(s.dests);
}

static void test_largenum(void **state)
{
	static const struct { uint64_t n; unsigned int fmt; const char *s; } cases[] = {
		{ 0, 0, "        0" },
		{ 99999999ULL, 0, " 99999999" },
		{ 100000000ULL, 0, "  100000K" },
		{ 999999999ULL, 0, "  999999K" },
		{ 1000000000ULL, 0, "    1000M" },
		{ 99999999999ULL, 0, "   99999M" },
		{ 100000000000ULL, 0, "     100G" },
		{ 99999999999999ULL, 0, "   99999G" },
		{ 100000000000000ULL, 0, "     100T" },
		{ 123, XVS_CLI_FMT_EXACT, "      123" },
		{ 12345678ULL, XVS_CLI_FMT_EXACT, " 12345678" },
		{ 1234567890ULL, XVS_CLI_FMT_EXACT, " 1234567890" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f = open_out();

		xvs_cli_print_largenum(f, cases[i].n, cases[i].fmt);
		fclose(f);
		assert_string_equal(out, cases[i].s);
	}
}

static void test_sort_quirk(void **state)
{
	struct xvs_cli_table t = { .n = 3 };
	FILE *f = open_out();

	(void)state;
	t.svcs = calloc(3, sizeof(*t.svcs));
	svc(&t.svcs[0], XVS_AF_INET, "127.0.0.1", IPPROTO_TCP, 80, XVS_SCHED_RR);
	svc(&t.svcs[1], XVS_AF_INET, "255.255.255.254", IPPROTO_TCP, 80, XVS_SCHED_RR);
	svc(&t.svcs[2], XVS_AF_INET, "127.0.0.1", IPPROTO_TCP, 22, XVS_SCHED_RR);
	/* 0x7f000001 - 0xfffffffe overflows int: libipvs puts 255.x first. */
	xvs_cli_print_table(f, NULL, &t, XVS_CLI_FMT_NUMERIC);
	fclose(f);
	assert_non_null(strstr(out,
		"TCP  255.255.255.254:80 rr\nTCP  127.0.0.1:22 rr\nTCP  127.0.0.1:80 rr\n"));
	xvs_cli_table_free(&t);

	/* --nosort keeps xvsd's order. */
	t.n = 2;
	t.svcs = calloc(2, sizeof(*t.svcs));
	svc(&t.svcs[0], XVS_AF_INET, "198.18.0.2", IPPROTO_UDP, 80, XVS_SCHED_RR);
	svc(&t.svcs[1], XVS_AF_INET, "198.18.0.1", IPPROTO_TCP, 80, XVS_SCHED_RR);
	dest(&t.svcs[1], "198.18.0.12", 80, XVS_FWD_DR, 1);
	dest(&t.svcs[1], "198.18.0.11", 80, XVS_FWD_DR, 1);
	f = open_out();
	xvs_cli_print_table(f, NULL, &t, XVS_CLI_FMT_NUMERIC | XVS_CLI_FMT_NOSORT);
	fclose(f);
	assert_non_null(strstr(out, "UDP  198.18.0.2:80 rr\nTCP  198.18.0.1:80 rr\n"
				    "  -> 198.18.0.12:80"));
	xvs_cli_table_free(&t);
}

static void test_conns_and_timeout(void **state)
{
	struct xvs_ctl_conn c[2] = { 0 };
	struct xvs_ctl_timeout to = { .tcp = 900, .tcpfin = 120, .udp = 300 };
	FILE *f = open_out();

	(void)state;
	c[0].af = XVS_AF_INET;
	c[0].proto = IPPROTO_TCP;
	v4(&c[0].caddr, "198.18.0.1");
	v4(&c[0].vaddr, "198.18.0.100");
	v4(&c[0].daddr, "198.18.0.11");
	c[0].cport = htons(40000);
	c[0].vport = htons(80);
	c[0].dport = htons(80);
	c[0].state = XVS_TCP_ESTABLISHED;
	c[0].expire_ms = 65999;
	c[1] = c[0];
	c[1].proto = IPPROTO_UDP;
	c[1].state = XVS_UDP_STATE;
	c[1].cport = htons(5000);
	c[1].vport = htons(53);
	v4(&c[1].daddr, "198.18.0.13");
	c[1].dport = htons(5353);
	c[1].expire_ms = 300000;
	xvs_cli_print_conns(f, c, 2, XVS_CLI_FMT_NUMERIC);
	xvs_cli_print_timeout(f, &to);
	fclose(f);
	assert_string_equal(out,
		"IPVS connection entries\n"
		"pro expire state       source             virtual            destination\n"
		"TCP 01:05  ESTABLISHED 198.18.0.1:40000   198.18.0.100:80    198.18.0.11:80\n"
		"UDP 05:00  UDP         198.18.0.1:5000    198.18.0.100:53    198.18.0.13:5353\n"
		"Timeout (tcp tcpfin udp): 900 120 300\n");
}

static void test_names(void **state)
{
	union xvs_addr a;
	char buf[64];

	(void)state;
	v4(&a, "127.0.0.1");
	xvs_cli_addrport(XVS_AF_INET, &a, 80, IPPROTO_TCP, XVS_CLI_FMT_NUMERIC, buf);
	assert_string_equal(buf, "127.0.0.1:80");
	/* Without -n the port gets its service name, as getservbyport says. */
	xvs_cli_addrport(XVS_AF_INET, &a, 80, IPPROTO_TCP, 0, buf);
	assert_non_null(strstr(buf, ":http"));
	xvs_cli_addrport(XVS_AF_INET, &a, 40001, IPPROTO_TCP, 0, buf);
	assert_non_null(strstr(buf, ":40001"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_listing),
		cmocka_unit_test(test_save_and_round_trip),
		cmocka_unit_test(test_stats_rate),
		cmocka_unit_test(test_thresholds_persist),
		cmocka_unit_test(test_largenum),
		cmocka_unit_test(test_sort_quirk),
		cmocka_unit_test(test_conns_and_timeout),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
