// SPDX-License-Identifier: GPL-2.0
/* render.c - xvsd's /metrics families, see render.h and docs/metrics.md. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "names.h"
#include "render.h"
#include "xvs/ctl-t.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the services list ------------------------------------------------ */

/* Walks a GET_SERVICES reply: each service, then its dests. */
struct svc_iter {
	const char *p, *end;
	uint32_t left;
};

static void svc_iter_init(struct svc_iter *it, const struct xvs_mx_view *v)
{
	const struct xvs_ctl_list *l = v->list;

	it->p = (const char *)(l + 1);
	it->end = (const char *)v->list + v->list_len;
	it->left = l->count;
}

/* The next service and its dests, or NULL at the end or on a short list. */
static const struct xvs_ctl_service *svc_next(struct svc_iter *it,
					      const struct xvs_ctl_dest **dests)
{
	const struct xvs_ctl_service *s = (const void *)it->p;
	size_t room = (size_t)(it->end - it->p);

	if (!it->left || room < sizeof(*s) ||
	    (room - sizeof(*s)) / sizeof(**dests) < s->n_dests)
		return NULL;
	*dests = (const void *)(s + 1);
	it->p += sizeof(*s) + (size_t)s->n_dests * sizeof(**dests);
	it->left--;
	return s;
}

/* A list reply whose services all fit in list_len. */
static bool list_valid(const struct xvs_mx_view *v)
{
	const struct xvs_ctl_dest *d;
	struct svc_iter it;
	uint32_t n = 0;

	if (!v->list || v->list_len < sizeof(struct xvs_ctl_list))
		return false;
	svc_iter_init(&it, v);
	while (svc_next(&it, &d))
		n++;
	return n == ((const struct xvs_ctl_list *)v->list)->count;
}

/* ---- labels ----------------------------------------------------------- */

/* Room for node_exporter's six backend labels and one more. */
struct labels {
	char laddr[INET6_ADDRSTRLEN], raddr[INET6_ADDRSTRLEN];
	char lport[8], rport[8], mark[12];
	struct xvs_expo_label l[7];
	size_t n;
};

static bool svc_is_fwmark(const struct xvs_svc_key *k)
{
	return k->fwmark != 0;
}

/*
 * node_exporter's labels, valued as its IPVS collector reads them from
 * /proc/net/ip_vs: a fwmark service has local_address "", local_port "0",
 * proto "FWM" and local_mark the mark as %08X; any other has local_mark "".
 * Without raddr, the service's four of them (local_address, local_port,
 * proto, local_mark).
 */
static void backend_labels(struct labels *b, const struct xvs_svc_key *k,
			   uint8_t af, const union xvs_addr *raddr, uint16_t rport_be)
{
	bool fwm = svc_is_fwmark(k);

	b->laddr[0] = b->mark[0] = '\0';
	if (fwm)
		snprintf(b->mark, sizeof(b->mark), "%08X", k->fwmark);
	else
		xvs_addr_fmt(k->af, &k->addr, b->laddr, sizeof(b->laddr));
	snprintf(b->lport, sizeof(b->lport), "%u", fwm ? 0u : ntohs(k->port));
	b->l[0] = (struct xvs_expo_label){ "local_address", b->laddr };
	b->l[1] = (struct xvs_expo_label){ "local_port", b->lport };
	b->l[4] = (struct xvs_expo_label){ "proto", fwm ? "FWM" : xvs_proto_name(k->proto) };
	b->l[5] = (struct xvs_expo_label){ "local_mark", b->mark };
	b->n = 6;
	if (!raddr) {
		/* the service alone: its four labels, in the same order */
		b->l[2] = b->l[4];
		b->l[3] = b->l[5];
		b->n = 4;
		return;
	}
	xvs_addr_fmt(af, raddr, b->raddr, sizeof(b->raddr));
	snprintf(b->rport, sizeof(b->rport), "%u", ntohs(rport_be));
	b->l[2] = (struct xvs_expo_label){ "remote_address", b->raddr };
	b->l[3] = (struct xvs_expo_label){ "remote_port", b->rport };
}

/* The seed's labels: vip, port, proto in lower case ("tcp"). */
static void seed_labels(struct labels *b, const struct xvs_svc_key *k)
{
	const char *proto = k->proto == IPPROTO_TCP ? "tcp" :
			    k->proto == IPPROTO_UDP ? "udp" :
			    k->proto == IPPROTO_SCTP ? "sctp" : "ip";

	xvs_addr_fmt(k->af, &k->addr, b->laddr, sizeof(b->laddr));
	snprintf(b->lport, sizeof(b->lport), "%u", ntohs(k->port));
	b->l[0] = (struct xvs_expo_label){ "vip", b->laddr };
	b->l[1] = (struct xvs_expo_label){ "port", b->lport };
	b->l[2] = (struct xvs_expo_label){ "proto", proto };
	b->n = 3;
}

/* ---- node_ipvs totals ------------------------------------------------- */

struct stats_family {
	const char *name, *help;
	size_t off;		/* of the __u64 in struct xvs_stats */
};

/* /proc/net/ip_vs_stats's totals, as node_exporter names and describes them. */
static const struct stats_family ipvs_totals[] = {
	{ "node_ipvs_connections_total", "The total number of connections made.",
	  offsetof(struct xvs_stats, conns) },
	{ "node_ipvs_incoming_packets_total", "The total number of incoming packets.",
	  offsetof(struct xvs_stats, inpkts) },
	{ "node_ipvs_outgoing_packets_total", "The total number of outgoing packets.",
	  offsetof(struct xvs_stats, outpkts) },
	{ "node_ipvs_incoming_bytes_total", "The total amount of incoming data.",
	  offsetof(struct xvs_stats, inbytes) },
	{ "node_ipvs_outgoing_bytes_total", "The total amount of outgoing data.",
	  offsetof(struct xvs_stats, outbytes) },
};

/* The same counters per real server (node_exporter has none). */
static const struct stats_family backend_totals[] = {
	{ "xvs_backend_connections_total",
	  "Connections scheduled to the real server (ipvsadm --stats Conns).",
	  offsetof(struct xvs_stats, conns) },
	{ "xvs_backend_incoming_packets_total",
	  "Packets forwarded to the real server (ipvsadm --stats InPkts).",
	  offsetof(struct xvs_stats, inpkts) },
	{ "xvs_backend_outgoing_packets_total",
	  "Reply packets from the real server seen by the director (ipvsadm --stats OutPkts).",
	  offsetof(struct xvs_stats, outpkts) },
	{ "xvs_backend_incoming_bytes_total",
	  "Bytes forwarded to the real server (ipvsadm --stats InBytes).",
	  offsetof(struct xvs_stats, inbytes) },
	{ "xvs_backend_outgoing_bytes_total",
	  "Reply bytes from the real server seen by the director (ipvsadm --stats OutBytes).",
	  offsetof(struct xvs_stats, outbytes) },
};

static uint64_t stat_at(const struct xvs_stats *s, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)s + off, sizeof(v));
	return v;
}

/*
 * IPVS's totals count every service's traffic; here they are the sum over
 * the services that exist now (a deleted service takes its share along,
 * which Prometheus's rate() takes as a counter reset).
 */
static void render_totals(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	for (size_t f = 0; f < ARRAY_SIZE(ipvs_totals); f++) {
		const struct xvs_ctl_service *s;
		const struct xvs_ctl_dest *d;
		struct svc_iter it;
		uint64_t sum = 0;

		svc_iter_init(&it, v);
		while ((s = svc_next(&it, &d)))
			sum += stat_at(&s->stats, ipvs_totals[f].off);
		xvs_expo_family(e, ipvs_totals[f].name, XVS_EXPO_COUNTER, ipvs_totals[f].help);
		xvs_expo_u64(e, ipvs_totals[f].name, NULL, 0, sum);
	}
}

/* ---- per real server -------------------------------------------------- */

/* A per-dest value; counters below zero never show (they race for an instant). */
typedef uint64_t (*dest_value_fn)(const struct xvs_ctl_dest *d, size_t off);

static uint64_t nonneg(int32_t v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

static uint64_t dest_active(const struct xvs_ctl_dest *d, size_t off)
{
	(void)off;
	return nonneg(d->active);
}

static uint64_t dest_inactive(const struct xvs_ctl_dest *d, size_t off)
{
	(void)off;
	return nonneg(d->inactive);
}

static uint64_t dest_weight(const struct xvs_ctl_dest *d, size_t off)
{
	(void)off;
	return nonneg(d->weight);
}

static uint64_t dest_stat(const struct xvs_ctl_dest *d, size_t off)
{
	return stat_at(&d->stats, off);
}

/*
 * The backend label text of every (service, dest), in list order, made
 * once per render: the eight per-dest families repeat the same label
 * sets, and formatting addresses is most of a sample's cost.
 */
struct dest_labels {
	struct xvs_expo text;	/* the label texts, one after another */
	size_t *off;		/* n + 1 offsets into text.buf */
	size_t n;
};

static int dest_labels_make(struct dest_labels *dl, const struct xvs_mx_view *v)
{
	const struct xvs_ctl_service *s;
	const struct xvs_ctl_dest *d;
	struct svc_iter it;
	struct labels b;
	size_t n = 0;

	memset(dl, 0, sizeof(*dl));
	xvs_expo_init(&dl->text);
	svc_iter_init(&it, v);
	while ((s = svc_next(&it, &d)))
		n += s->n_dests;
	dl->off = calloc(n + 1, sizeof(*dl->off));
	if (!dl->off)
		return -ENOMEM;
	svc_iter_init(&it, v);
	while ((s = svc_next(&it, &d))) {
		for (uint32_t i = 0; i < s->n_dests; i++) {
			dl->off[dl->n++] = dl->text.len;
			backend_labels(&b, &s->key, d[i].af, &d[i].addr, d[i].port);
			xvs_expo_labels(&dl->text, b.l, b.n);
		}
	}
	dl->off[dl->n] = dl->text.len;
	return dl->text.oom ? -ENOMEM : 0;
}

static void dest_labels_free(struct dest_labels *dl)
{
	xvs_expo_free(&dl->text);
	free(dl->off);
}

/* One family with one sample per (service, dest), node_exporter's labels. */
static void render_dest_family(const struct xvs_mx_view *v, const struct dest_labels *dl,
			       struct xvs_expo *e, const char *name, enum xvs_expo_type type,
			       const char *help, dest_value_fn fn, size_t off)
{
	const struct xvs_ctl_service *s;
	const struct xvs_ctl_dest *d;
	struct svc_iter it;
	size_t k = 0;

	xvs_expo_family(e, name, type, help);
	svc_iter_init(&it, v);
	while ((s = svc_next(&it, &d))) {
		for (uint32_t i = 0; i < s->n_dests; i++, k++)
			xvs_expo_u64_pre(e, name, dl->text.buf + dl->off[k],
					 dl->off[k + 1] - dl->off[k], fn(&d[i], off));
	}
}

static void render_backends(const struct xvs_mx_view *v, const struct dest_labels *dl,
			    struct xvs_expo *e)
{
	render_dest_family(v, dl, e, "node_ipvs_backend_connections_active", XVS_EXPO_GAUGE,
			   "The current active connections by local and remote address.",
			   dest_active, 0);
	render_dest_family(v, dl, e, "node_ipvs_backend_connections_inactive", XVS_EXPO_GAUGE,
			   "The current inactive connections by local and remote address.",
			   dest_inactive, 0);
	render_dest_family(v, dl, e, "node_ipvs_backend_weight", XVS_EXPO_GAUGE,
			   "The current backend weight by local and remote address.",
			   dest_weight, 0);
}

static void render_backend_totals(const struct xvs_mx_view *v, const struct dest_labels *dl,
				  struct xvs_expo *e)
{
	for (size_t f = 0; f < ARRAY_SIZE(backend_totals); f++)
		render_dest_family(v, dl, e, backend_totals[f].name, XVS_EXPO_COUNTER,
				   backend_totals[f].help, dest_stat, backend_totals[f].off);
}

/*
 * What a VIP can still take: the sum of its real servers' weights, 0 when
 * all are quiesced or it has none (keepalived's checkers remove a failed
 * real server, and node_ipvs_backend_weight then has no series left to
 * show 0 on). One series per service, fwmark ones included.
 */
static void render_service_weight(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	const struct xvs_ctl_service *s;
	const struct xvs_ctl_dest *d;
	struct svc_iter it;
	struct labels b;

	xvs_expo_family(e, "xvs_service_weight", XVS_EXPO_GAUGE,
			"Sum of the virtual service's real server weights; 0: it takes "
			"no new connection.");
	svc_iter_init(&it, v);
	while ((s = svc_next(&it, &d))) {
		uint64_t sum = 0;

		for (uint32_t i = 0; i < s->n_dests; i++)
			sum += dest_weight(&d[i], 0);
		backend_labels(&b, &s->key, 0, NULL, 0);
		xvs_expo_u64(e, "xvs_service_weight", b.l, b.n, sum);
	}
}

/* ---- the seed's lvs_* ------------------------------------------------- */

enum seed_value { SEED_IN_PPS, SEED_OUT_PPS, SEED_IN_CPS, SEED_OUT_CPS, SEED_ACTIVE };

static const struct {
	const char *name, *help;
	enum seed_value what;
} seed_families[] = {
	{ "lvs_rate_in_pps", "Incoming packets per second of the virtual service "
	  "(ipvsadm --rate InPPS).", SEED_IN_PPS },
	{ "lvs_rate_out_pps", "Outgoing packets per second of the virtual service "
	  "(ipvsadm --rate OutPPS).", SEED_OUT_PPS },
	{ "lvs_rate_in_cps", "New connections per second to the virtual service "
	  "(ipvsadm --rate CPS).", SEED_IN_CPS },
	{ "lvs_rate_out_cps", "New connections per second from the virtual service to "
	  "its real servers (sum of their ipvsadm --rate CPS).", SEED_OUT_CPS },
	{ "lvs_active_connections", "Active connections of the virtual service "
	  "(sum of its real servers' ActiveConn).", SEED_ACTIVE },
};

static uint64_t seed_value(const struct xvs_ctl_service *s, const struct xvs_ctl_dest *d,
			   enum seed_value what)
{
	uint64_t sum = 0;

	switch (what) {
	case SEED_IN_PPS:
		return s->rate.inpps;
	case SEED_OUT_PPS:
		return s->rate.outpps;
	case SEED_IN_CPS:
		return s->rate.cps;
	case SEED_OUT_CPS:
		for (uint32_t i = 0; i < s->n_dests; i++)
			sum += d[i].rate.cps;
		return sum;
	case SEED_ACTIVE:
		for (uint32_t i = 0; i < s->n_dests; i++)
			sum += nonneg(d[i].active);
		return sum;
	}
	return 0;
}

/* The seed's exporter reads only TCP and UDP services: fwmark ones have no vip. */
static void render_seed(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	for (size_t f = 0; f < ARRAY_SIZE(seed_families); f++) {
		const struct xvs_ctl_service *s;
		const struct xvs_ctl_dest *d;
		struct svc_iter it;
		struct labels b;

		xvs_expo_family(e, seed_families[f].name, XVS_EXPO_GAUGE, seed_families[f].help);
		svc_iter_init(&it, v);
		while ((s = svc_next(&it, &d))) {
			if (svc_is_fwmark(&s->key))
				continue;
			seed_labels(&b, &s->key);
			xvs_expo_u64(e, seed_families[f].name, b.l, b.n,
				     seed_value(s, d, seed_families[f].what));
		}
	}
}

/* ---- the data plane and the connection table ------------------------- */

/*
 * Every counter of enum xvs_drop_reason, its label and what it counts: a
 * packet handed to the kernel (pass), one not forwarded (drop), or an
 * event on a packet that was forwarded all the same.
 */
static const struct {
	const char *name;
	enum xvs_mx_reason_kind kind;
} reasons[XVS_CNT_MAX] = {
	[XVS_CNT_PASS_NOT_IP] = { "not_ip", XVS_MX_PASS },
	[XVS_CNT_PASS_MALFORMED] = { "malformed", XVS_MX_PASS },
	[XVS_CNT_PASS_FRAGMENT] = { "fragment", XVS_MX_PASS },
	[XVS_CNT_PASS_NO_SERVICE] = { "no_service", XVS_MX_PASS },
	[XVS_CNT_PASS_NO_CONN] = { "no_conn", XVS_MX_PASS },
	[XVS_CNT_DROP_NO_DEST] = { "no_dest", XVS_MX_DROP },
	[XVS_CNT_DROP_CONN_FULL] = { "conn_full", XVS_MX_DROP },
	[XVS_CNT_DROP_NO_NEIGH] = { "no_neigh", XVS_MX_DROP },
	[XVS_CNT_DROP_ENCAP] = { "encap", XVS_MX_DROP },
	[XVS_CNT_ICMP_FRAG_NEEDED] = { "frag_needed", XVS_MX_DROP },
	[XVS_CNT_DROP_TOO_BIG] = { "too_big", XVS_MX_DROP },
	[XVS_CNT_DROP_DEST_GONE] = { "dest_gone", XVS_MX_DROP },
	[XVS_CNT_PASS_LOCAL] = { "local", XVS_MX_PASS },
	[XVS_CNT_DROP_UNSUPPORTED] = { "unsupported", XVS_MX_DROP },
	[XVS_CNT_DROP_FIB] = { "no_route", XVS_MX_DROP },
	[XVS_CNT_DROP_LPORT_EXHAUSTED] = { "lport_exhausted", XVS_MX_DROP },
	[XVS_CNT_TOA_NO_ROOM] = { "toa_no_room", XVS_MX_EVENT },
	[XVS_CNT_PASS_REPLY_NO_CONN] = { "reply_no_conn", XVS_MX_PASS },
	[XVS_CNT_ICMP_XLATED] = { "icmp_translated", XVS_MX_EVENT },
	[XVS_CNT_ICMP_FORWARDED] = { "icmp_forwarded", XVS_MX_EVENT },
	[XVS_CNT_PASS_NAT_NO_NEIGH] = { "nat_no_neigh", XVS_MX_PASS },
	[XVS_CNT_PASS_OTHER_HOST] = { "other_host", XVS_MX_PASS },
};

const char *xvs_mx_reason_name(unsigned int reason)
{
	return reason < XVS_CNT_MAX ? reasons[reason].name : NULL;
}

enum xvs_mx_reason_kind xvs_mx_reason_kind(unsigned int reason)
{
	/* A counter appended to the ABI and not described here yet is an event. */
	if (reason >= XVS_CNT_MAX || !reasons[reason].name)
		return XVS_MX_EVENT;
	return reasons[reason].kind;
}

static const struct {
	const char *name, *help;
} reason_families[] = {
	[XVS_MX_PASS] = { "xvs_dp_passes_total",
			  "Packets the data plane handed to the kernel, by reason (nat_no_neigh: "
			  "a translated NAT reply whose next hop the kernel resolves)." },
	[XVS_MX_DROP] = { "xvs_dp_drops_total",
			  "Packets the data plane did not forward, by reason (frag_needed: "
			  "an ICMP error went back instead)." },
	[XVS_MX_EVENT] = { "xvs_dp_events_total",
			   "Other data-plane events on packets it forwarded, by reason." },
};

/* One family per kind; every reason listed (zeros too) so that rates start at once. */
static void render_reasons(const struct xvs_mx_view *v, struct xvs_expo *e,
			   enum xvs_mx_reason_kind kind)
{
	const char *name = reason_families[kind].name;
	bool any = false;
	char other[24];

	for (unsigned int r = 0; r < XVS_CNT_MAX; r++) {
		struct xvs_expo_label l = { "reason", xvs_mx_reason_name(r) };

		if (xvs_mx_reason_kind(r) != kind)
			continue;
		if (!any)
			xvs_expo_family(e, name, XVS_EXPO_COUNTER, reason_families[kind].help);
		any = true;
		if (!l.value) {
			snprintf(other, sizeof(other), "reason_%u", r);
			l.value = other;
		}
		xvs_expo_u64(e, name, &l, 1, v->cnt[r]);
	}
}

static void render_conn_table(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	xvs_expo_family(e, "xvs_conn_table_size", XVS_EXPO_GAUGE,
			"Capacity of the connection table, in entries (--conn-tab-bits).");
	xvs_expo_u64(e, "xvs_conn_table_size", NULL, 0, v->conn_tab_size);
	if (v->conn_live >= 0) {
		xvs_expo_family(e, "xvs_conn_table_entries", XVS_EXPO_GAUGE,
				"Live connection entries at the last housekeeping scan.");
		xvs_expo_u64(e, "xvs_conn_table_entries", NULL, 0, (uint64_t)v->conn_live);
	}
	xvs_expo_family(e, "xvs_conn_expired_total", XVS_EXPO_COUNTER,
			"Connection entries removed by housekeeping after their state's timeout.");
	xvs_expo_u64(e, "xvs_conn_expired_total", NULL, 0, v->conn_expired);
	xvs_expo_family(e, "xvs_conn_evicted_total", XVS_EXPO_COUNTER,
			"Connection entries that left the full table before expiring (LRU "
			"eviction), as housekeeping's recount found them.");
	xvs_expo_u64(e, "xvs_conn_evicted_total", NULL, 0, v->conn_evicted);
}

/* ---- checks ----------------------------------------------------------- */

enum check_value { CHECK_UP, CHECK_DURATION, CHECK_RUNS, CHECK_FAILURES };

static const struct {
	const char *name, *help;
	enum xvs_expo_type type;
	enum check_value what;
} check_families[] = {
	{ "xvs_check_up", "1 when the real server's last health check passed, else 0.",
	  XVS_EXPO_GAUGE, CHECK_UP },
	{ "xvs_check_duration_seconds", "Duration of the real server's last completed "
	  "health check (NaN before the first).", XVS_EXPO_GAUGE, CHECK_DURATION },
	{ "xvs_check_runs_total", "Health checks completed for the real server.",
	  XVS_EXPO_COUNTER, CHECK_RUNS },
	{ "xvs_check_failures_total", "Health checks of the real server that failed.",
	  XVS_EXPO_COUNTER, CHECK_FAILURES },
};

struct check_ctx {
	struct xvs_expo *e;
	size_t family;
};

static void render_one_check(void *arg, const struct xvs_mx_check *c)
{
	struct check_ctx *x = arg;
	const char *name = check_families[x->family].name;
	struct labels b;

	backend_labels(&b, &c->svc, c->af, &c->addr, htons(c->port));
	b.l[b.n++] = (struct xvs_expo_label){ "checker", c->checker };
	switch (check_families[x->family].what) {
	case CHECK_UP:
		xvs_expo_u64(x->e, name, b.l, b.n, c->up ? 1 : 0);
		break;
	case CHECK_DURATION:
		xvs_expo_f64(x->e, name, b.l, b.n,
			     c->last_duration_s < 0 ? __builtin_nan("") : c->last_duration_s);
		break;
	case CHECK_RUNS:
		xvs_expo_u64(x->e, name, b.l, b.n, c->runs);
		break;
	case CHECK_FAILURES:
		xvs_expo_u64(x->e, name, b.l, b.n, c->failures);
		break;
	}
}

static void render_checks(const struct xvs_mx_sources *src, struct xvs_expo *e)
{
	struct check_ctx x = { .e = e };

	for (x.family = 0; x.family < ARRAY_SIZE(check_families); x.family++) {
		xvs_expo_family(e, check_families[x.family].name,
				check_families[x.family].type, check_families[x.family].help);
		src->checks(src->checks_ctx, render_one_check, &x);
	}
}

/* ---- VRRP ------------------------------------------------------------- */

static const char *const vrrp_states[] = { "INIT", "BACKUP", "MASTER", "FAULT" };

enum vrrp_value { VRRP_STATE, VRRP_PRIORITY, VRRP_MASTERS };

struct vrrp_ctx {
	struct xvs_expo *e;
	enum vrrp_value what;
};

/* xvs_vrrp_state is one series per state, 1 for the current one. */
static void render_vrrp_state(struct xvs_expo *e, const struct xvs_mx_vrrp *v)
{
	struct xvs_expo_label l[2] = { { "vrrp_instance", v->instance }, { "state", NULL } };
	bool known = false;

	for (size_t i = 0; i < ARRAY_SIZE(vrrp_states); i++) {
		bool cur = v->state && !strcmp(v->state, vrrp_states[i]);

		known |= cur;
		l[1].value = vrrp_states[i];
		xvs_expo_u64(e, "xvs_vrrp_state", l, 2, cur);
	}
	if (!known && v->state) {
		l[1].value = v->state;
		xvs_expo_u64(e, "xvs_vrrp_state", l, 2, 1);
	}
}

static void render_one_vrrp(void *arg, const struct xvs_mx_vrrp *v)
{
	struct vrrp_ctx *x = arg;
	char vrid[8];
	struct xvs_expo_label l[3] = {
		{ "vrrp_instance", v->instance }, { "interface", v->iface }, { "vrid", vrid },
	};

	snprintf(vrid, sizeof(vrid), "%u", v->vrid);
	switch (x->what) {
	case VRRP_STATE:
		render_vrrp_state(x->e, v);
		break;
	case VRRP_PRIORITY:
		xvs_expo_u64(x->e, "xvs_vrrp_priority", l, 3, v->priority);
		break;
	case VRRP_MASTERS:
		xvs_expo_u64(x->e, "xvs_vrrp_became_master_total", l, 1, v->became_master);
		break;
	}
}

static void render_vrrp(const struct xvs_mx_sources *src, struct xvs_expo *e)
{
	struct vrrp_ctx x = { .e = e };

	xvs_expo_family(e, "xvs_vrrp_state", XVS_EXPO_GAUGE,
			"VRRP instance state: 1 on the series of the current state.");
	x.what = VRRP_STATE;
	src->vrrp(src->vrrp_ctx, render_one_vrrp, &x);
	xvs_expo_family(e, "xvs_vrrp_priority", XVS_EXPO_GAUGE,
			"Effective VRRP priority of the instance.");
	x.what = VRRP_PRIORITY;
	src->vrrp(src->vrrp_ctx, render_one_vrrp, &x);
	xvs_expo_family(e, "xvs_vrrp_became_master_total", XVS_EXPO_COUNTER,
			"Transitions of the VRRP instance to MASTER.");
	x.what = VRRP_MASTERS;
	src->vrrp(src->vrrp_ctx, render_one_vrrp, &x);
}

/* ---- the endpoint itself ---------------------------------------------- */

static void render_http(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	static const unsigned int codes[XVS_MX_N_HTTP_CODES] = XVS_MX_HTTP_CODES;
	char code[8];
	struct xvs_expo_label l = { "code", code };

	xvs_expo_family(e, "xvs_metrics_http_responses_total", XVS_EXPO_COUNTER,
			"Responses of the metrics endpoint by HTTP status code (errors the "
			"HTTP library sends itself on malformed requests are not counted).");
	for (size_t i = 0; i < XVS_MX_N_HTTP_CODES; i++) {
		snprintf(code, sizeof(code), "%u", codes[i]);
		xvs_expo_u64(e, "xvs_metrics_http_responses_total", &l, 1, v->responses[i]);
	}
}

/* The families that read the services list. Returns 0 or -ENOMEM. */
static int render_services(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	struct dest_labels dl;
	int err = dest_labels_make(&dl, v);

	if (!err) {
		render_totals(v, e);
		render_backends(v, &dl, e);
		render_seed(v, e);
		render_service_weight(v, e);
		render_backend_totals(v, &dl, e);
	}
	dest_labels_free(&dl);
	return err;
}

int xvs_mx_render(const struct xvs_mx_view *v, struct xvs_expo *e)
{
	int err = 0;

	if (!list_valid(v))
		err = -EINVAL;
	else if (render_services(v, e))
		e->oom = true;
	render_conn_table(v, e);
	if (v->cnt) {
		render_reasons(v, e, XVS_MX_DROP);
		render_reasons(v, e, XVS_MX_PASS);
		render_reasons(v, e, XVS_MX_EVENT);
	}
	if (v->src && v->src->checks)
		render_checks(v->src, e);
	if (v->src && v->src->vrrp)
		render_vrrp(v->src, e);
	if (v->responses)
		render_http(v, e);
	return err;
}
