// SPDX-License-Identifier: GPL-2.0
/*
 * test_metrics_render.c - /metrics's families from a synthetic view
 * (daemon/metrics/render.c): node_exporter's IPVS names, labels and label
 * values (IPv4, IPv6, fwmark), the seed's lvs_* with its labels, the
 * data-plane counters, the check and VRRP families, and the grouping the
 * text format requires (each family's samples together, after its TYPE).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../daemon/metrics/render.h"
#include "xvs/ctl-t.h"

/* A GET_SERVICES reply with room for a few services and dests. */
struct list_buf {
	char bytes[sizeof(struct xvs_ctl_list) + 4 * sizeof(struct xvs_ctl_service) +
		   8 * sizeof(struct xvs_ctl_dest)];
	size_t len;
	struct xvs_ctl_service *cur;
};

static void list_init(struct list_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->len = sizeof(struct xvs_ctl_list);
}

static struct xvs_ctl_service *add_svc(struct list_buf *b, uint8_t af, const char *addr,
				       uint8_t proto, uint16_t port, uint32_t fwmark)
{
	struct xvs_ctl_service *s = (void *)(b->bytes + b->len);

	s->key.af = af;
	s->key.proto = proto;
	s->key.port = htons(port);
	s->key.fwmark = fwmark;
	if (addr)
		assert_int_equal(inet_pton(af == XVS_AF_INET6 ? AF_INET6 : AF_INET, addr,
					   s->key.addr.bytes), 1);
	b->len += sizeof(*s);
	b->cur = s;
	((struct xvs_ctl_list *)b->bytes)->count++;
	return s;
}

static struct xvs_ctl_dest *add_dest(struct list_buf *b, uint8_t af, const char *addr,
				     uint16_t port, int32_t weight, int32_t active,
				     int32_t inactive)
{
	struct xvs_ctl_dest *d = (void *)(b->bytes + b->len);

	d->af = af;
	assert_int_equal(inet_pton(af == XVS_AF_INET6 ? AF_INET6 : AF_INET, addr,
				   d->addr.bytes), 1);
	d->port = htons(port);
	d->weight = weight;
	d->active = active;
	d->inactive = inactive;
	b->len += sizeof(*d);
	b->cur->n_dests++;
	return d;
}

static void view_of(struct xvs_mx_view *v, const struct list_buf *b)
{
	memset(v, 0, sizeof(*v));
	v->list = b->bytes;
	v->list_len = (uint32_t)b->len;
	v->conn_tab_size = 1u << 20;
	v->conn_live = 31;
	v->conn_expired = 4;
	v->conn_evicted = 2;
}

/*
 * The seed's TCP VIP with two real servers, an IPv6 UDP service with one,
 * and a fwmark service with one; v views them.
 */
static void three_services(struct list_buf *b, struct xvs_mx_view *v)
{
	struct xvs_ctl_service *s;
	struct xvs_ctl_dest *d;

	list_init(b);
	s = add_svc(b, XVS_AF_INET, "198.18.0.100", IPPROTO_TCP, 80, 0);
	s->stats = (struct xvs_stats){ 20, 101, 0, 7312, 0 };
	s->rate = (struct xvs_ctl_rate){ 2, 13, 0, 950, 0 };
	d = add_dest(b, XVS_AF_INET, "198.18.0.11", 80, 100, 3, 7);
	d->stats = (struct xvs_stats){ 10, 50, 0, 3630, 0 };
	d->rate.cps = 1;
	d = add_dest(b, XVS_AF_INET, "198.18.0.12", 8080, 50, -1, 2);	/* racing: -1 */
	d->stats = (struct xvs_stats){ 10, 51, 0, 3682, 0 };
	d->rate.cps = 2;
	s = add_svc(b, XVS_AF_INET6, "2001:db8::100", IPPROTO_UDP, 53, 0);
	s->stats = (struct xvs_stats){ 5, 5, 1, 500, 64 };
	s->rate = (struct xvs_ctl_rate){ 1, 1, 1, 10, 10 };
	d = add_dest(b, XVS_AF_INET6, "2001:db8::11", 53, 1, 0, 1);
	add_svc(b, XVS_AF_INET, NULL, 0, 0, 42);
	add_dest(b, XVS_AF_INET, "198.18.0.13", 0, 7, 4, 0);
	view_of(v, b);
}

/* Each test's state: the three services and a view of them. */
struct fixture {
	struct list_buf b;
	struct xvs_mx_view v;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	three_services(&f->b, &f->v);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Render v; the caller frees the text. */
static char *render(const struct xvs_mx_view *v, int *ret)
{
	struct xvs_expo e;
	size_t len;
	char *t;

	xvs_expo_init(&e);
	*ret = xvs_mx_render(v, &e);
	t = xvs_expo_take(&e, &len);
	assert_non_null(t);
	return t;
}


/* The text has this exact line. */
static void has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
	fail_msg("missing line: %s", line);
}

static void lacks(const char *text, const char *what)
{
	if (strstr(text, what))
		fail_msg("unexpected: %s", what);
}

#define B4(ra, rp) "local_address=\"198.18.0.100\",local_port=\"80\",remote_address=\"" \
	ra "\",remote_port=\"" rp "\",proto=\"TCP\",local_mark=\"\""

static void test_node_ipvs(void **s)
{
	struct fixture *f = *s;
	struct xvs_mx_view *v = &f->v;
	char *t;
	int ret;

	t = render(v, &ret);
	assert_int_equal(ret, 0);
	/* Totals: the sum over services, unlabelled counters. */
	has_line(t, "# TYPE node_ipvs_connections_total counter");
	has_line(t, "# HELP node_ipvs_connections_total The total number of connections made.");
	has_line(t, "node_ipvs_connections_total 25");
	has_line(t, "node_ipvs_incoming_packets_total 106");
	has_line(t, "node_ipvs_outgoing_packets_total 1");
	has_line(t, "node_ipvs_incoming_bytes_total 7812");
	has_line(t, "node_ipvs_outgoing_bytes_total 64");
	has_line(t, "# HELP node_ipvs_incoming_bytes_total The total amount of incoming data.");
	/* Backends: gauges, node_exporter's six labels in its order. */
	has_line(t, "# TYPE node_ipvs_backend_connections_active gauge");
	has_line(t, "# HELP node_ipvs_backend_weight The current backend weight by local and remote address.");
	has_line(t, "node_ipvs_backend_connections_active{" B4("198.18.0.11", "80") "} 3");
	has_line(t, "node_ipvs_backend_connections_inactive{" B4("198.18.0.11", "80") "} 7");
	has_line(t, "node_ipvs_backend_weight{" B4("198.18.0.11", "80") "} 100");
	has_line(t, "node_ipvs_backend_connections_active{" B4("198.18.0.12", "8080") "} 0");
	has_line(t, "node_ipvs_backend_weight{" B4("198.18.0.12", "8080") "} 50");
	has_line(t, "node_ipvs_backend_connections_inactive{local_address=\"2001:db8::100\","
		 "local_port=\"53\",remote_address=\"2001:db8::11\",remote_port=\"53\","
		 "proto=\"UDP\",local_mark=\"\"} 1");
	/* fwmark: as /proc/net/ip_vs's "FWM  0000002A" line reads. */
	has_line(t, "node_ipvs_backend_connections_active{local_address=\"\",local_port=\"0\","
		 "remote_address=\"198.18.0.13\",remote_port=\"0\",proto=\"FWM\","
		 "local_mark=\"0000002A\"} 4");
	/* Per service: the sum of weights (-1 never counts), fwmark included. */
	has_line(t, "# TYPE xvs_service_weight gauge");
	has_line(t, "xvs_service_weight{local_address=\"198.18.0.100\",local_port=\"80\","
		 "proto=\"TCP\",local_mark=\"\"} 150");
	has_line(t, "xvs_service_weight{local_address=\"2001:db8::100\",local_port=\"53\","
		 "proto=\"UDP\",local_mark=\"\"} 1");
	has_line(t, "xvs_service_weight{local_address=\"\",local_port=\"0\","
		 "proto=\"FWM\",local_mark=\"0000002A\"} 7");
	/* Per-dest traffic. */
	has_line(t, "xvs_backend_incoming_bytes_total{" B4("198.18.0.12", "8080") "} 3682");
	has_line(t, "xvs_backend_connections_total{" B4("198.18.0.11", "80") "} 10");
	free(t);
}

static void test_seed_lvs(void **s)
{
	struct fixture *f = *s;
	struct xvs_mx_view *v = &f->v;
	char *t;
	int ret;

	t = render(v, &ret);
	has_line(t, "# TYPE lvs_rate_in_pps gauge");
	has_line(t, "lvs_rate_in_pps{vip=\"198.18.0.100\",port=\"80\",proto=\"tcp\"} 13");
	has_line(t, "lvs_rate_out_pps{vip=\"198.18.0.100\",port=\"80\",proto=\"tcp\"} 0");
	has_line(t, "lvs_rate_in_cps{vip=\"198.18.0.100\",port=\"80\",proto=\"tcp\"} 2");
	has_line(t, "lvs_rate_out_cps{vip=\"198.18.0.100\",port=\"80\",proto=\"tcp\"} 3");
	/* 3 + (-1 shown as 0) */
	has_line(t, "lvs_active_connections{vip=\"198.18.0.100\",port=\"80\",proto=\"tcp\"} 3");
	has_line(t, "lvs_rate_out_pps{vip=\"2001:db8::100\",port=\"53\",proto=\"udp\"} 1");
	/* The fwmark service has no vip: the seed's exporter skips it too. */
	lacks(t, "lvs_active_connections{vip=\"\"");
	lacks(t, "lvs_active_connections{vip=\"0.0.0.0\"");
	free(t);
}

static void test_conn_table_and_reasons(void **s)
{
	struct fixture *f = *s;
	struct xvs_mx_view *v = &f->v;
	uint64_t cnt[XVS_CNT_MAX];
	char *t, line[96];
	int ret;

	for (unsigned int i = 0; i < XVS_CNT_MAX; i++)
		cnt[i] = 1000 + i;
	v->cnt = cnt;
	t = render(v, &ret);
	has_line(t, "xvs_conn_table_size 1048576");
	has_line(t, "xvs_conn_table_entries 31");
	has_line(t, "xvs_conn_expired_total 4");
	has_line(t, "xvs_conn_evicted_total 2");
	has_line(t, "# TYPE xvs_dp_drops_total counter");
	snprintf(line, sizeof(line), "xvs_dp_drops_total{reason=\"no_dest\"} %u",
		 1000 + XVS_CNT_DROP_NO_DEST);
	has_line(t, line);
	snprintf(line, sizeof(line), "xvs_dp_passes_total{reason=\"no_service\"} %u",
		 1000 + XVS_CNT_PASS_NO_SERVICE);
	has_line(t, line);
	/* Every counter appears exactly once, in one of the three families. */
	for (unsigned int r = 0; r < XVS_CNT_MAX; r++) {
		const char *fam[] = { "xvs_dp_drops_total", "xvs_dp_passes_total",
				      "xvs_dp_events_total" };
		const char *name = xvs_mx_reason_name(r);
		char rn[24];
		int found = 0;

		if (!name) {
			snprintf(rn, sizeof(rn), "reason_%u", r);
			name = rn;
		}
		for (size_t f = 0; f < 3; f++) {
			snprintf(line, sizeof(line), "\n%s{reason=\"%s\"} %u\n", fam[f], name, 1000 + r);
			found += strstr(t, line) != NULL;
		}
		assert_int_equal(found, 1);
	}
	free(t);
	/* Before the first scan there is no entries gauge. */
	v->conn_live = -1;
	t = render(v, &ret);
	lacks(t, "xvs_conn_table_entries");
	free(t);
}

/* A list shorter than its count says: an error, no service families. */
static void test_bad_list(void **s)
{
	struct fixture *f = *s;
	struct xvs_mx_view *v = &f->v;
	char *t;
	int ret;

	v->list_len -= 1;
	t = render(v, &ret);
	assert_int_equal(ret, -EINVAL);
	lacks(t, "node_ipvs");
	has_line(t, "xvs_conn_table_size 1048576");
	free(t);
	v->list_len = 4;	/* not even the list header */
	t = render(v, &ret);
	assert_int_equal(ret, -EINVAL);
	free(t);
}

/* Fake sources: two checked real servers, one VRRP instance. */
static void fake_checks(void *src, xvs_mx_check_fn fn, void *arg)
{
	struct xvs_mx_check c = {
		.af = XVS_AF_INET, .port = 80, .up = 1, .checker = "HTTP_GET",
		.last_duration_s = 0.0025, .runs = 12, .failures = 1,
	};

	(void)src;
	c.svc.af = XVS_AF_INET;
	c.svc.proto = IPPROTO_TCP;
	c.svc.port = htons(80);
	inet_pton(AF_INET, "198.18.0.100", &c.svc.addr.ip4);
	inet_pton(AF_INET, "198.18.0.11", &c.addr.ip4);
	fn(arg, &c);
	inet_pton(AF_INET, "198.18.0.12", &c.addr.ip4);
	c.up = 0;
	c.checker = "TCP_CHECK";
	c.last_duration_s = -1;
	c.runs = 0;
	fn(arg, &c);
}

static void fake_vrrp(void *src, xvs_mx_vrrp_fn fn, void *arg)
{
	struct xvs_mx_vrrp v = { "VI_1", "eth0", 51, 100, "MASTER", 3 };

	(void)src;
	fn(arg, &v);
}

static void test_sources(void **s)
{
	struct fixture *f = *s;
	struct xvs_mx_view *v = &f->v;
	struct xvs_mx_sources src = { fake_checks, NULL, fake_vrrp, NULL };
	uint64_t responses[XVS_MX_N_HTTP_CODES] = { 5, 1, 0, 0, 0, 2 };
	char *t;
	int ret;

	t = render(v, &ret);
	lacks(t, "xvs_check");
	lacks(t, "xvs_vrrp");
	free(t);
	v->src = &src;
	v->responses = responses;
	t = render(v, &ret);
	has_line(t, "xvs_check_up{" B4("198.18.0.11", "80") ",checker=\"HTTP_GET\"} 1");
	has_line(t, "xvs_check_up{" B4("198.18.0.12", "80") ",checker=\"TCP_CHECK\"} 0");
	has_line(t, "xvs_check_duration_seconds{" B4("198.18.0.11", "80") ",checker=\"HTTP_GET\"} 0.0025");
	has_line(t, "xvs_check_duration_seconds{" B4("198.18.0.12", "80") ",checker=\"TCP_CHECK\"} NaN");
	has_line(t, "xvs_check_runs_total{" B4("198.18.0.11", "80") ",checker=\"HTTP_GET\"} 12");
	has_line(t, "xvs_check_failures_total{" B4("198.18.0.11", "80") ",checker=\"HTTP_GET\"} 1");
	has_line(t, "xvs_vrrp_state{vrrp_instance=\"VI_1\",state=\"MASTER\"} 1");
	has_line(t, "xvs_vrrp_state{vrrp_instance=\"VI_1\",state=\"BACKUP\"} 0");
	has_line(t, "xvs_vrrp_state{vrrp_instance=\"VI_1\",state=\"FAULT\"} 0");
	has_line(t, "xvs_vrrp_state{vrrp_instance=\"VI_1\",state=\"INIT\"} 0");
	has_line(t, "xvs_vrrp_priority{vrrp_instance=\"VI_1\",interface=\"eth0\",vrid=\"51\"} 100");
	has_line(t, "xvs_vrrp_became_master_total{vrrp_instance=\"VI_1\"} 3");
	has_line(t, "xvs_metrics_http_responses_total{code=\"200\"} 5");
	has_line(t, "xvs_metrics_http_responses_total{code=\"503\"} 2");
	free(t);
}

/*
 * The text format's structure, checked line by line: every sample's
 * family was announced by HELP then TYPE just before its first sample,
 * a family's samples are contiguous, no family is announced twice, no
 * sample series repeats, every line ends with a newline.
 */
static void test_structure(void **s)
{
	struct fixture *f = *s;
	struct xvs_mx_view *v = &f->v;
	struct xvs_mx_sources src = { fake_checks, NULL, fake_vrrp, NULL };
	uint64_t responses[XVS_MX_N_HTTP_CODES] = { 0 };
	uint64_t cnt[XVS_CNT_MAX] = { 0 };
	char fams[64][64], cur[64] = "", help[64] = "";
	size_t n_fams = 0, n_series = 0;
	char **series = calloc(512, sizeof(*series));
	char *t, *line, *save;
	int ret;

	v->cnt = cnt;
	v->src = &src;
	v->responses = responses;
	t = render(v, &ret);
	assert_int_equal(t[strlen(t) - 1], '\n');
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];

		if (sscanf(line, "# HELP %63s", name) == 1) {
			for (size_t i = 0; i < n_fams; i++)
				if (!strcmp(fams[i], name))
					fail_msg("family %s announced twice", name);
			strcpy(help, name);
			continue;
		}
		if (sscanf(line, "# TYPE %63s", name) == 1) {
			assert_string_equal(name, help);
			assert_true(n_fams < 64);
			strcpy(fams[n_fams++], name);
			strcpy(cur, name);
			continue;
		}
		assert_int_not_equal(line[0], '#');
		assert_int_equal(sscanf(line, "%63[a-zA-Z0-9_:]", name), 1);
		assert_string_equal(name, cur);
		/* the series: everything up to the last space */
		*strrchr(line, ' ') = '\0';
		for (size_t i = 0; i < n_series; i++)
			if (!strcmp(series[i], line))
				fail_msg("series twice: %s", line);
		assert_true(n_series < 512);
		series[n_series++] = line;
	}
	assert_true(n_fams >= 30);
	free(series);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_node_ipvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seed_lvs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conn_table_and_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_structure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
