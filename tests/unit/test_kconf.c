// SPDX-License-Identifier: GPL-2.0
/* test_kconf.c - the keepalived.conf parser (lib/kconf*.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kconf.h"
#include "log.h"
#include "names.h"

/* The seed's DR config, addresses moved to 198.18.0.0/15. */
static const char seed[] =
	"! Configuration File for keepalived\n"
	"global_defs {\n"
	"router_id LVS_MASTER\n"
	"notification_email { ops@example.com }\n"
	"notification_email_from lvs@example.com\n"
	"smtp_server 127.0.0.1\n"
	"smtp_connect_timeout 30\n"
	"}\n"
	"vrrp_script check_lvs {\n"
	"script \"/usr/local/bin/check_ipvs.sh\"\n"
	"interval 3\nweight -20\nfall 3\nrise 2\ntimeout 5\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"state MASTER\ninterface eth0\nvirtual_router_id 51\npriority 100\nadvert_int 1\n"
	"authentication {\nauth_type PASS\nauth_pass YourStrongPass\n}\n"
	"unicast_src_ip 198.18.0.10\n"
	"unicast_peer { 198.18.0.20 }\n"
	"virtual_ipaddress {\n198.18.0.100/24 dev eth0 label eth0:1\n}\n"
	"notify_master \"/usr/local/bin/notify.sh master\"\n"
	"track_script { check_lvs }\n"
	"}\n"
	"virtual_server 198.18.0.100 80 {\n"
	"delay_loop 6\nlb_algo wlc\nlb_kind DR\npersistence_timeout 50\n"
	"persistence_granularity 255.255.255.0\nprotocol TCP\nsorry_server 127.0.0.1 80\n"
	"real_server 198.18.0.11 80 {\nweight 100\n"
	"TCP_CHECK {\nconnect_timeout 3\nnb_get_retry 3\ndelay_before_retry 2\nconnect_port 80\n}\n}\n"
	"real_server 198.18.0.12 80 {\nweight 100\n"
	"TCP_CHECK {\nconnect_timeout 3\nnb_get_retry 3\ndelay_before_retry 2\nconnect_port 80\n}\n}\n"
	"}\n";

static struct xvs_kconf *parse(const char *text)
{
	struct xvs_kconf *kc = xvs_kconf_load_buf("t.conf", text, strlen(text));

	assert_non_null(kc);
	return kc;
}

/* Whether some diagnostic contains both needles. */
static bool has_diag(const struct xvs_kconf *kc, const char *a, const char *b)
{
	for (size_t i = 0; i < kc->n_diags; i++)
		if (strstr(kc->diags[i], a) && (!b || strstr(kc->diags[i], b)))
			return true;
	return false;
}

static uint32_t ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void test_seed(void **st)
{
	struct xvs_kconf *kc = parse(seed);
	const struct xvs_kc_vs *vs;
	const struct xvs_kc_vrrp_instance *vi;
	const struct xvs_kc_check *c;

	(void)st;
	assert_int_equal(kc->n_errors, 0);
	assert_false(kc->fatal);
	assert_int_equal(xvs_kconf_test_status(kc), 0);
	assert_string_equal(kc->global.router_id, "LVS_MASTER");
	assert_int_equal(kc->global.n_notification_email, 1);
	assert_int_equal(kc->global.smtp_connect_timeout_us, 30000000);

	assert_int_equal(kc->n_vrrp_scripts, 1);
	assert_int_equal(kc->vrrp_scripts[0].interval_us, 3000000);
	assert_int_equal(kc->vrrp_scripts[0].timeout_us, 5000000);
	assert_int_equal(kc->vrrp_scripts[0].weight, -20);
	assert_int_equal(kc->vrrp_scripts[0].fall, 3);
	assert_int_equal(kc->vrrp_scripts[0].rise, 2);
	assert_string_equal(kc->vrrp_scripts[0].script, "/usr/local/bin/check_ipvs.sh");

	vi = xvs_kconf_find_instance(kc, "VI_1");
	assert_non_null(vi);
	assert_int_equal(vi->state, XVS_KC_VRRP_MASTER);
	assert_string_equal(vi->interface, "eth0");
	assert_int_equal(vi->vrid, 51);
	assert_int_equal(vi->priority, 100);
	assert_int_equal(vi->advert_int_us, 1000000);
	assert_int_equal(vi->version, 2);
	assert_int_equal(vi->auth_type, XVS_KC_AUTH_PASS);
	assert_string_equal(vi->auth_pass, "YourStro");	/* 8 characters */
	assert_true(has_diag(kc, "t.conf:25:", "first 8"));
	assert_int_equal(vi->unicast_src_ip.addr.ip4, ip4("198.18.0.10"));
	assert_int_equal(vi->n_unicast_peer, 1);
	assert_int_equal(vi->unicast_peer[0].addr.addr.ip4, ip4("198.18.0.20"));
	assert_int_equal(vi->n_vips, 1);
	assert_int_equal(vi->vips[0].addr.prefix_len, 24);
	assert_string_equal(vi->vips[0].dev, "eth0");
	assert_string_equal(vi->vips[0].label, "eth0:1");
	assert_string_equal(vi->notify_master, "/usr/local/bin/notify.sh master");
	assert_int_equal(vi->n_track_script, 1);
	assert_string_equal(vi->track_script[0].name, "check_lvs");
	assert_int_equal(vi->garp_master_delay, 5);
	assert_int_equal(vi->garp_master_repeat, 5);

	assert_int_equal(kc->n_vs, 1);
	vs = &kc->vs[0];
	assert_int_equal(vs->kind, XVS_KC_VS_ADDR);
	assert_int_equal(vs->addr.addr.ip4, ip4("198.18.0.100"));
	assert_int_equal(vs->port, 80);
	assert_int_equal(vs->proto, IPPROTO_TCP);
	assert_int_equal(vs->sched, XVS_SCHED_WLC);
	assert_int_equal(vs->fwd, XVS_FWD_DR);
	assert_true(vs->persistent);
	assert_int_equal(vs->persistence_timeout, 50);
	assert_int_equal(vs->persistence_prefix, 24);
	assert_int_equal(vs->delay_loop_us, 6000000);
	assert_true(vs->has_sorry);
	assert_int_equal(vs->sorry.addr.addr.ip4, ip4("127.0.0.1"));
	assert_int_equal(vs->sorry.fwd, XVS_FWD_DR);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->n_rs, 2);
	assert_int_equal(vs->rs[1].addr.addr.ip4, ip4("198.18.0.12"));
	assert_int_equal(vs->rs[1].weight, 100);
	assert_int_equal(vs->rs[1].fwd, XVS_FWD_DR);
	assert_int_equal(vs->rs[1].n_checks, 1);
	c = &vs->rs[1].checks[0];
	assert_int_equal(c->type, XVS_KC_CHECK_TCP);
	assert_int_equal(c->connect_timeout_us, 3000000);
	assert_int_equal(c->retry, 3);
	assert_int_equal(c->delay_before_retry_us, 2000000);
	assert_int_equal(c->delay_loop_us, 6000000);
	assert_int_equal(c->warmup_us, 6000000);
	assert_int_equal(c->connect_port, 80);
	assert_int_equal(c->connect_ip.addr.ip4, ip4("198.18.0.12"));
	xvs_kconf_free(kc);
}

static void test_syntax(void **st)
{
	struct xvs_kconf *kc = parse(
		"# comment\n"
		"global_defs { router_id \"a b\" ! trailing\n"
		"  notification_email {\n  a@x b@x # two\n  }\n"
		"  lvs_timeouts tcp 900 \\\n   udp 30\n"
		"}\n"
		"@nosuchhost-xvs global_defs { router_id skipped }\n"
		"@^nosuchhost-xvs global_defs { smtp_server 198.18.0.1 25 }\n");

	(void)st;
	assert_int_equal(kc->n_errors, 0);
	assert_string_equal(kc->global.router_id, "a b");
	assert_int_equal(kc->global.n_notification_email, 2);
	assert_string_equal(kc->global.notification_email[1], "b@x");
	assert_int_equal(kc->global.lvs_timeout_tcp, 900);
	assert_int_equal(kc->global.lvs_timeout_udp, 30);
	assert_string_equal(kc->global.smtp_server, "198.18.0.1 25");
	xvs_kconf_free(kc);
}

static void test_diagnostics(void **st)
{
	struct xvs_kconf *kc;

	(void)st;
	/* Unknown keyword: a warning at its line, nothing else. */
	kc = parse("global_defs {\n router_id x\n frobnicate 1\n}\n");
	assert_int_equal(kc->n_errors, 0);
	assert_int_equal(kc->n_warnings, 1);
	assert_true(has_diag(kc, "t.conf:3:", "unknown keyword 'frobnicate'"));
	assert_int_equal(xvs_kconf_test_status(kc), 0);
	xvs_kconf_free(kc);

	/* Bad values: errors at their lines, status 4, the rest parsed. */
	kc = parse("virtual_server 198.18.0.1 80 {\n protocol TCP\n lb_algo bogus\n"
		   " delay_loop x\n real_server 198.18.0.2 80 {\n weight 70000\n }\n}\n");
	assert_int_equal(kc->n_errors, 3);
	assert_true(has_diag(kc, "t.conf:3:", "unknown scheduler 'bogus'"));
	assert_true(has_diag(kc, "t.conf:4:", "not a time"));
	assert_true(has_diag(kc, "t.conf:6:", "0..65535"));
	assert_int_equal(xvs_kconf_test_status(kc), 4);
	assert_int_equal(kc->n_vs, 1);
	assert_int_equal(kc->vs[0].n_rs, 1);
	assert_int_equal(kc->vs[0].rs[0].weight, 1);
	xvs_kconf_free(kc);

	/* Structural: an unclosed block and a stray brace are fatal (3). */
	kc = parse("global_defs {\n router_id x\n\nvirtual_server 198.18.0.1 80 {\n}\n");
	assert_true(kc->fatal);
	assert_true(has_diag(kc, "t.conf:1:", "not closed"));
	assert_int_equal(xvs_kconf_test_status(kc), 3);
	xvs_kconf_free(kc);
	kc = parse("global_defs {\n}\n}\n");
	assert_true(has_diag(kc, "t.conf:3:", "closes no block"));
	assert_int_equal(xvs_kconf_test_status(kc), 3);
	xvs_kconf_free(kc);
	kc = parse("{ router_id x }\n");
	assert_true(has_diag(kc, "t.conf:1:", "without a keyword"));
	assert_int_equal(xvs_kconf_test_status(kc), 3);
	xvs_kconf_free(kc);

	/* Wrong shapes. */
	kc = parse("global_defs router_id\nvrrp_instance { }\nvirtual_server 198.18.0.1 80 {\n"
		   " real_server 198.18.0.2 80\n}\n");
	assert_true(has_diag(kc, "t.conf:1:", "takes 0 arguments, not 1"));
	assert_true(has_diag(kc, "t.conf:2:", "takes 1 argument, not 0"));
	assert_true(has_diag(kc, "t.conf:4:", "needs a block"));
	xvs_kconf_free(kc);

	/* Unterminated quote. */
	kc = parse("global_defs {\n router_id \"abc\n}\n");
	assert_true(has_diag(kc, "t.conf:2:", "missing closing quote"));
	xvs_kconf_free(kc);
}

static void test_defaults(void **st)
{
	struct xvs_kconf *kc = parse(
		"virtual_server 198.18.0.1 80 {\n"
		" retry 7\n"
		" real_server 198.18.0.2 8080 {\n"
		"  delay_loop 2.5\n"
		"  HTTP_GET { url { path /x\n status_code 200 301-302\n"
		"   digest 9b3a0c85a887a256d6939da88aabd8cd }\n url { path /y } }\n"
		"  DNS_CHECK { retry 4 }\n"
		"  MISC_CHECK { misc_path \"/nonexistent/xvs-check arg\"\n misc_dynamic }\n"
		"  TCP_CHECK { warmup 0 }\n"
		" }\n"
		" real_server 198.18.0.3 {\n  DNS_CHECK { type aaaa }\n  inhibit_on_failure\n }\n"
		"}\n");
	const struct xvs_kc_vs *vs;
	const struct xvs_kc_check *http, *dns, *misc, *tcp, *dns2;

	(void)st;
	assert_int_equal(kc->n_errors, 0);
	vs = &kc->vs[0];
	/* keepalived's defaults when unset, each with a warning. */
	assert_int_equal(vs->proto, IPPROTO_UDP);
	assert_int_equal(vs->sched, XVS_SCHED_WLC);
	assert_int_equal(vs->fwd, XVS_FWD_NAT);
	assert_true(has_diag(kc, "t.conf:1:", "no protocol set"));
	assert_int_equal(vs->delay_loop_us, 60000000);
	assert_int_equal(vs->n_rs, 2);
	http = &vs->rs[0].checks[0];
	dns = &vs->rs[0].checks[1];
	misc = &vs->rs[0].checks[2];
	tcp = &vs->rs[0].checks[3];
	dns2 = &vs->rs[1].checks[0];
	/* Nearest level wins: checker, real server, virtual server, type default. */
	assert_int_equal(http->delay_loop_us, 2500000);
	assert_int_equal(http->retry, 7);
	assert_int_equal(dns->retry, 4);
	assert_int_equal(http->delay_before_retry_us, 3000000);
	assert_int_equal(dns->delay_before_retry_us, 2500000);
	assert_int_equal(misc->delay_before_retry_us, 1000000);
	assert_int_equal(http->connect_timeout_us, 5000000);
	assert_int_equal(http->warmup_us, 2500000);
	assert_int_equal(tcp->warmup_us, 0);
	assert_int_equal(http->connect_port, 8080);
	assert_int_equal(http->n_urls, 2);
	assert_true(xvs_kc_url_status_ok(&http->urls[0], 200));
	assert_true(xvs_kc_url_status_ok(&http->urls[0], 302));
	assert_false(xvs_kc_url_status_ok(&http->urls[0], 204));
	assert_true(http->urls[0].has_digest);
	assert_int_equal(http->urls[0].digest[0], 0x9b);
	assert_int_equal(http->urls[0].digest[15], 0xcd);
	assert_true(xvs_kc_url_status_ok(&http->urls[1], 204));
	assert_false(xvs_kc_url_status_ok(&http->urls[1], 301));
	assert_string_equal(dns->dns_type, "SOA");
	assert_string_equal(dns->dns_name, ".");
	assert_string_equal(dns2->dns_type, "AAAA");
	assert_int_equal(dns2->retry, 7);
	assert_string_equal(misc->misc_path, "/nonexistent/xvs-check arg");
	assert_true(misc->misc_dynamic);
	assert_int_equal(misc->misc_timeout_us, 2500000);
	/* A real server without a port takes the virtual server's. */
	assert_int_equal(vs->rs[1].port, 80);
	assert_true(vs->rs[1].inhibit_on_failure);
	assert_false(vs->rs[0].inhibit_on_failure);
	assert_true(has_diag(kc, "t.conf:10:", "not there"));
	xvs_kconf_free(kc);
}

static void test_groups_fullnat(void **st)
{
	struct xvs_kconf *kc = parse(
		"virtual_server_group web {\n 198.18.1.1-3 80\n fwmark 7\n 2001:db8::5 443\n}\n"
		"local_address_group laddr_g1 {\n 198.18.2.5-9\n 198.18.2.20 dpdk1\n}\n"
		"virtual_server group web {\n protocol TCP\n lb_algo rr\n lb_kind FNAT\n"
		" laddr_group_name laddr_g1\n syn_proxy\n sh-port\n ops\n"
		" real_server 198.18.3.1 80 { weight 2 }\n}\n"
		"virtual_server fwmark 9 {\n lb_kind TUN type gue port 6080\n lb_algo mh\n"
		" mh-fallback\n real_server 198.18.3.2 0 { }\n}\n"
		"virtual_server group nosuch {\n protocol TCP\n}\n");
	const struct xvs_kc_vs *g, *fw;

	(void)st;
	assert_int_equal(kc->n_vsgs, 1);
	assert_int_equal(kc->vsgs[0].n_entries, 3);
	assert_int_equal(kc->vsgs[0].entries[0].range_last, 3);
	assert_int_equal(kc->vsgs[0].entries[0].port, 80);
	assert_true(kc->vsgs[0].entries[1].is_fwmark);
	assert_int_equal(kc->vsgs[0].entries[2].addr.af, XVS_AF_INET6);
	assert_int_equal(kc->n_laddr_groups, 1);
	assert_int_equal(kc->laddr_groups[0].entries[0].range_last, 9);
	assert_string_equal(kc->laddr_groups[0].entries[1].dev, "dpdk1");
	/* The group that does not exist is dropped with an error. */
	assert_int_equal(kc->n_vs, 2);
	assert_true(has_diag(kc, "t.conf:26:", "no virtual_server_group"));
	g = &kc->vs[0];
	assert_int_equal(g->kind, XVS_KC_VS_GROUP);
	assert_ptr_equal(g->group, &kc->vsgs[0]);
	assert_ptr_equal(g->laddr_group, &kc->laddr_groups[0]);
	assert_int_equal(g->fwd, XVS_FWD_FULLNAT);
	assert_true(g->syn_proxy);
	assert_true(g->ops);
	assert_int_equal(g->sched_flags, XVS_SVC_F_SCHED2);
	assert_int_equal(g->rs[0].weight, 2);
	assert_int_equal(g->rs[0].fwd, XVS_FWD_FULLNAT);
	fw = &kc->vs[1];
	assert_int_equal(fw->kind, XVS_KC_VS_FWMARK);
	assert_int_equal(fw->fwmark, 9);
	assert_int_equal(fw->fwd, XVS_FWD_TUN);
	assert_int_equal(fw->tun_type, XVS_KC_TUN_GUE);
	assert_int_equal(fw->tun_port, 6080);
	assert_int_equal(fw->sched, XVS_SCHED_MH);
	assert_int_equal(fw->sched_flags, XVS_SVC_F_SCHED1);
	xvs_kconf_free(kc);
}

static void test_vrrp(void **st)
{
	struct xvs_kconf *kc = parse(
		"global_defs { vrrp_version 3\n vrrp_garp_master_delay 1\n }\n"
		"vrrp_script chk { script /bin/false\n interval 2 }\n"
		"vrrp_instance A {\n state BACKUP\n interface veth0\n virtual_router_id 7\n"
		" priority 150\n advert_int 0.5\n nopreempt\n preempt_delay 30\n"
		" garp_master_repeat 2\n"
		" unicast_peer {\n 198.18.0.2 min_ttl 10 max_ttl 64\n 198.18.0.3\n }\n"
		" virtual_ipaddress {\n 198.18.0.100/24 brd 198.18.0.255 dev veth0 scope link\n"
		" 2001:db8::100/64 no_track\n }\n"
		" virtual_routes {\n src 198.18.0.100 198.18.9.0/24 via 198.18.0.1 dev veth0 metric 5\n"
		"  blackhole 198.18.8.0/24\n }\n"
		" track_interface { veth1 weight -10\n }\n"
		" track_script { chk weight 20\n missing\n }\n"
		" notify /bin/notify\n"
		"}\n"
		"vrrp_instance B {\n interface veth0\n virtual_router_id 8\n version 2\n"
		" advert_int 1.4\n virtual_ipaddress { 198.18.0.101 }\n}\n"
		"vrrp_instance C {\n interface veth0\n}\n"
		"vrrp_sync_group G {\n group {\n A B\n }\n notify_master /bin/x\n}\n");
	const struct xvs_kc_vrrp_instance *a, *b;

	(void)st;
	assert_int_equal(kc->n_vrrp_instances, 2);	/* C has no virtual_router_id */
	assert_true(has_diag(kc, "t.conf:41:", "no virtual_router_id"));
	a = xvs_kconf_find_instance(kc, "A");
	b = xvs_kconf_find_instance(kc, "B");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->version, 3);
	assert_int_equal(a->advert_int_us, 500000);
	assert_int_equal(a->priority, 150);
	assert_true(a->nopreempt);
	assert_int_equal(a->preempt_delay_us, 30000000);
	assert_int_equal(a->garp_master_delay, 1);
	assert_int_equal(a->garp_master_repeat, 2);
	assert_int_equal(a->n_unicast_peer, 2);
	assert_int_equal(a->unicast_peer[0].min_ttl, 10);
	assert_int_equal(a->unicast_peer[0].max_ttl, 64);
	assert_int_equal(a->unicast_peer[1].max_ttl, 255);
	assert_int_equal(a->n_vips, 2);
	assert_int_equal(a->vips[0].scope, 253);
	assert_int_equal(a->vips[0].brd.addr.ip4, ip4("198.18.0.255"));
	assert_int_equal(a->vips[1].addr.af, XVS_AF_INET6);
	assert_int_equal(a->vips[1].addr.prefix_len, 64);
	assert_true(a->vips[1].no_track);
	assert_int_equal(a->n_vroutes, 2);
	assert_int_equal(a->vroutes[0].dst.prefix_len, 24);
	assert_int_equal(a->vroutes[0].via.addr.ip4, ip4("198.18.0.1"));
	assert_int_equal(a->vroutes[0].src.addr.ip4, ip4("198.18.0.100"));
	assert_int_equal(a->vroutes[0].metric, 5);
	assert_int_equal(a->vroutes[1].type, 6);
	assert_int_equal(a->n_track_interface, 1);
	assert_int_equal(a->track_interface[0].weight, -10);
	/* The unknown track_script is dropped with a warning. */
	assert_int_equal(a->n_track_script, 1);
	assert_true(a->track_script[0].has_weight);
	assert_int_equal(a->track_script[0].weight, 20);
	assert_true(has_diag(kc, "'missing'", "no vrrp_script"));
	assert_string_equal(a->sync_group, "G");
	assert_string_equal(b->sync_group, "G");
	/* VRRPv2 rounds the interval to whole seconds. */
	assert_int_equal(b->version, 2);
	assert_int_equal(b->advert_int_us, 1000000);
	/* Root scripts without enable_script_security: status 5. */
	assert_true(kc->insecure_scripts);
	assert_int_equal(xvs_kconf_test_status(kc), 4);
	xvs_kconf_free(kc);

	kc = parse("global_defs { enable_script_security }\n"
		   "vrrp_script chk { script /bin/false }\n");
	assert_false(kc->insecure_scripts);
	assert_int_equal(xvs_kconf_test_status(kc), 0);
	xvs_kconf_free(kc);
	kc = parse("vrrp_script chk { script /bin/false }\n");
	assert_int_equal(xvs_kconf_test_status(kc), 5);
	xvs_kconf_free(kc);
}

static void test_include(void **st)
{
	char dir[] = "/tmp/xvs-kconf-XXXXXX", path[128], main_conf[128];
	struct xvs_kconf *kc;
	FILE *f;

	(void)st;
	assert_non_null(mkdtemp(dir));
	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/vs%d.conf", dir, i);
		f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "virtual_server 198.18.0.%d 80 {\n protocol TCP\n lb_algo rr\n"
			" lb_kind DR\n%s}\n", i, i == 2 ? " bogus_key 1\n" : "");
		fclose(f);
	}
	snprintf(main_conf, sizeof(main_conf), "%s/keepalived.conf", dir);
	f = fopen(main_conf, "w");
	assert_non_null(f);
	fprintf(f, "global_defs {\n router_id r\n}\ninclude vs*.conf\ninclude nothing-*.conf\n");
	fclose(f);
	kc = xvs_kconf_load(main_conf);
	assert_non_null(kc);
	assert_int_equal(kc->n_vs, 2);
	assert_int_equal(kc->vs[0].addr.addr.ip4, ip4("198.18.0.1"));
	assert_int_equal(kc->vs[1].addr.addr.ip4, ip4("198.18.0.2"));
	/* Diagnostics name the included file and its own line. */
	assert_true(has_diag(kc, "vs2.conf:5:", "bogus_key"));
	assert_true(has_diag(kc, "keepalived.conf:5:", "no file matches"));
	assert_int_equal(xvs_kconf_test_status(kc), 4);
	xvs_kconf_free(kc);

	/* An include of itself stops at the depth limit instead of looping. */
	f = fopen(main_conf, "w");
	assert_non_null(f);
	fprintf(f, "include keepalived.conf\n");
	fclose(f);
	kc = xvs_kconf_load(main_conf);
	assert_non_null(kc);
	assert_true(kc->fatal);
	xvs_kconf_free(kc);

	kc = xvs_kconf_load("/nonexistent/keepalived.conf");
	assert_non_null(kc);
	assert_int_equal(xvs_kconf_test_status(kc), 3);
	xvs_kconf_free(kc);
	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof(path), "%s/vs%d.conf", dir, i);
		unlink(path);
	}
	unlink(main_conf);
	rmdir(dir);
}

static void test_duplicates(void **st)
{
	struct xvs_kconf *kc = parse(
		"virtual_server 198.18.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n"
		" real_server 198.18.0.2 80 { }\n real_server 198.18.0.2 80 { }\n"
		" real_server 2001:db8::2 80 { }\n}\n"
		"virtual_server 198.18.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n}\n");

	(void)st;
	assert_int_equal(kc->n_vs, 1);
	assert_int_equal(kc->vs[0].n_rs, 1);
	assert_true(has_diag(kc, "t.conf:6:", "listed twice"));
	assert_true(has_diag(kc, "t.conf:7:", "other address family"));
	assert_true(has_diag(kc, "t.conf:9:", "defined twice"));
	xvs_kconf_free(kc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_diagnostics),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_groups_fullnat),
		cmocka_unit_test(test_vrrp),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_duplicates),
	};

	/* Diagnostics are checked through kc->diags; keep the output short. */
	xvs_log_init("test_kconf", false, XVS_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
