// SPDX-License-Identifier: GPL-2.0
/*
 * kconf_lvs.c - virtual_server, real_server and the checker blocks.
 *
 * The generic checker keys (delay_loop, retry, delay_before_retry,
 * connect_timeout, warmup) may be given in a checker, its real server or
 * the virtual server; the nearest wins. A block is parsed into a local
 * struct that carries those "template" values, and when the virtual
 * server's block ends every checker gets its effective values, then
 * keepalived's per-type defaults (reference section 5, keepalived.conf(5)).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "kconf_int.h"
#include "names.h"

struct rs_parse {
	struct xvs_kc_rs rs;
	struct xvs_kc_check tmpl;	/* generic keys given in the real server */
	bool fwd_set;
	int inhibit;			/* -1 unset */
	char *virtualhost;
};

struct vs_parse {
	struct xvs_kc_vs vs;
	struct xvs_kc_check tmpl;	/* generic keys given in the virtual server */
	bool proto_set, sched_set, fwd_set, sorry_fwd_set;
	uint8_t sorry_fwd;
	int ip_family;			/* ip_family, 0 unset */
	struct rs_parse *rsp;		/* real servers, before resolution */
	size_t n_rsp;
};

static const char *const check_names[XVS_KC_CHECK_MAX] = {
	[XVS_KC_CHECK_TCP] = "TCP_CHECK", [XVS_KC_CHECK_HTTP] = "HTTP_GET",
	[XVS_KC_CHECK_SSL] = "SSL_GET",	  [XVS_KC_CHECK_MISC] = "MISC_CHECK",
	[XVS_KC_CHECK_DNS] = "DNS_CHECK", [XVS_KC_CHECK_SMTP] = "SMTP_CHECK",
	[XVS_KC_CHECK_BFD] = "BFD_CHECK",
};

static void tmpl_unset(struct xvs_kc_check *c)
{
	c->delay_loop_us = KC_UNSET_TIMER;
	c->delay_before_retry_us = KC_UNSET_TIMER;
	c->connect_timeout_us = KC_UNSET_TIMER;
	c->warmup_us = KC_UNSET_TIMER;
	c->retry = KC_UNSET_INT;
}

/* Fill c's unset generic keys from t. */
static void tmpl_inherit(struct xvs_kc_check *c, const struct xvs_kc_check *t)
{
	if (c->delay_loop_us == KC_UNSET_TIMER)
		c->delay_loop_us = t->delay_loop_us;
	if (c->delay_before_retry_us == KC_UNSET_TIMER)
		c->delay_before_retry_us = t->delay_before_retry_us;
	if (c->connect_timeout_us == KC_UNSET_TIMER)
		c->connect_timeout_us = t->connect_timeout_us;
	if (c->warmup_us == KC_UNSET_TIMER)
		c->warmup_us = t->warmup_us;
	if (c->retry == KC_UNSET_INT)
		c->retry = t->retry;
}

/* The keys every level (virtual, real server, checker) accepts. */
#define C(f) offsetof(struct xvs_kc_check, f)
static const struct kc_kw generic_kws[] = {
	{ "delay_loop", kc_h_timer, C(delay_loop_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "delay_before_retry", kc_h_timer, C(delay_before_retry_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "connect_timeout", kc_h_timer, C(connect_timeout_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "warmup", kc_h_timer, C(warmup_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "retry", kc_h_int, C(retry), 0, 1000000, 1, 1, KC_NOBLOCK },
	{ "nb_get_retry", kc_h_int, C(retry), 0, 1000000, 1, 1, KC_NOBLOCK },
	{ "nb_sock_retry", kc_h_int, C(retry), 0, 1000000, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

/* Checker keys: each type's own, the connection ones, the generic ones. */
static const struct kc_kw conn_kws[] = {
	{ "connect_ip", kc_h_addr, C(connect_ip), 0, 0, 1, 1, KC_NOBLOCK },
	{ "connect_port", kc_h_port, C(connect_port), 0, 0, 1, 1, KC_NOBLOCK },
	{ "bindto", kc_h_addr, C(bindto), 0, 0, 1, 1, KC_NOBLOCK },
	{ "bind_port", kc_h_port, C(bind_port), 0, 0, 1, 1, KC_NOBLOCK },
	{ "bind_if", kc_h_str, C(bind_if), 0, 0, 1, 1, KC_NOBLOCK },
	{ "fwmark", kc_h_u32, C(fwmark), 0, UINT32_MAX, 1, 1, KC_NOBLOCK },
	{ "alpha", kc_h_ignore, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "log_all_failures", kc_h_ignore, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

/* status_code 200 | 200-299 [...], into url->status. */
static int h_status_code(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			 const struct kc_kw *kw)
{
	struct xvs_kc_url *u = obj;

	(void)kw;
	memset(u->status, 0, sizeof(u->status));
	for (size_t i = 1; i < n->n; i++) {
		const char *s = n->w[i].text, *dash = strchr(s, '-');
		char lo_s[8];
		long lo, hi;

		if (dash && (size_t)(dash - s) < sizeof(lo_s)) {
			memcpy(lo_s, s, (size_t)(dash - s));
			lo_s[dash - s] = '\0';
			if (kc_long(kc, n, lo_s, XVS_KC_STATUS_MIN, XVS_KC_STATUS_MAX, &lo) ||
			    kc_long(kc, n, dash + 1, lo, XVS_KC_STATUS_MAX, &hi))
				return -1;
		} else if (kc_long(kc, n, s, XVS_KC_STATUS_MIN, XVS_KC_STATUS_MAX, &lo)) {
			return -1;
		} else {
			hi = lo;
		}
		for (long c = lo; c <= hi; c++)
			u->status[(c - XVS_KC_STATUS_MIN) / 8] |= 1u << ((c - XVS_KC_STATUS_MIN) % 8);
	}
	u->status_set = true;
	return 0;
}

static int h_digest(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		    const struct kc_kw *kw)
{
	struct xvs_kc_url *u = obj;
	const char *s = n->w[1].text;

	(void)kw;
	if (strlen(s) != 32 || strspn(s, "0123456789abcdefABCDEF") != 32) {
		kc_err(kc, &n->loc, "digest must be 32 hex digits (an MD5, as genhash prints)");
		return -1;
	}
	for (int i = 0; i < 16; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], 0 };

		u->digest[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	u->has_digest = true;
	return 0;
}

#define U(f) offsetof(struct xvs_kc_url, f)
static const struct kc_kw url_kws[] = {
	{ "path", kc_h_str, U(path), 0, 0, 1, 1, KC_NOBLOCK },
	{ "digest", h_digest, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "status_code", h_status_code, 0, 0, 0, 1, -1, KC_NOBLOCK },
	{ "virtualhost", kc_h_str, U(virtualhost), 0, 0, 1, 1, KC_NOBLOCK },
	{ "regex", kc_h_ignore, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef U

static void free_url(struct xvs_kc_url *u)
{
	free(u->path);
	free(u->virtualhost);
}

static int h_url(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	struct xvs_kc_check *c = obj;
	struct xvs_kc_url u = { .loc = n->loc }, *slot;

	(void)kw;
	kc_dispatch(kc, &u, n, url_kws, "url");
	if (!u.path) {
		kc_err(kc, &n->loc, "url without a path: ignored");
		free_url(&u);
		return -1;
	}
	slot = kc_push(&c->urls, &c->n_urls, sizeof(*slot));
	if (!slot) {
		free_url(&u);
		return -1;
	}
	*slot = u;
	return 0;
}

static int h_http_protocol(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			   const struct kc_kw *kw)
{
	struct xvs_kc_check *c = obj;
	const char *s = n->w[1].text;

	(void)kw;
	if (!strcmp(s, "1.0"))
		c->http_protocol = XVS_KC_HTTP_10;
	else if (!strcmp(s, "1.0C") || !strcmp(s, "1.0c"))
		c->http_protocol = XVS_KC_HTTP_10C;
	else if (!strcmp(s, "1.1"))
		c->http_protocol = XVS_KC_HTTP_11;
	else {
		kc_err(kc, &n->loc, "http_protocol must be 1.0, 1.0C or 1.1, not '%s'", s);
		return -1;
	}
	return 0;
}

static int h_dns_type(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		      const struct kc_kw *kw)
{
	static const char *const types[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA" };
	struct xvs_kc_check *c = obj;

	(void)kw;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (!strcasecmp(n->w[1].text, types[i])) {
			free(c->dns_type);
			c->dns_type = kc_strdup(types[i]);
			return 0;
		}
	}
	kc_err(kc, &n->loc, "DNS_CHECK type must be A NS CNAME SOA MX TXT or AAAA, not '%s'",
	       n->w[1].text);
	return -1;
}

static const struct kc_kw tcp_kws[] = {
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

static const struct kc_kw http_kws[] = {
	{ "url", h_url, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "virtualhost", kc_h_str, C(virtualhost), 0, 0, 1, 1, KC_NOBLOCK },
	{ "http_protocol", h_http_protocol, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "enable_sni", kc_h_flag, C(enable_sni), 0, 0, 0, 1, KC_NOBLOCK },
	{ "fast_recovery", kc_h_ignore, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

static const struct kc_kw misc_kws[] = {
	{ "misc_path", kc_h_script, C(misc_path), 0, 0, 1, 3, KC_NOBLOCK },
	{ "misc_timeout", kc_h_timer, C(misc_timeout_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "misc_dynamic", kc_h_flag, C(misc_dynamic), 0, 0, 0, 1, KC_NOBLOCK },
	{ "user", kc_h_user, C(user), 0, 0, 1, 2, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

static const struct kc_kw dns_kws[] = {
	{ "type", h_dns_type, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "name", kc_h_str, C(dns_name), 0, 0, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

static const struct kc_kw smtp_kws[] = {
	{ "helo_name", kc_h_str, C(helo_name), 0, 0, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

static const struct kc_kw bfd_kws[] = {
	{ "name", kc_h_str, C(bfd_name), 0, 0, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef C

static const struct kc_kw *const check_kws[XVS_KC_CHECK_MAX] = {
	[XVS_KC_CHECK_TCP] = tcp_kws,	[XVS_KC_CHECK_HTTP] = http_kws,
	[XVS_KC_CHECK_SSL] = http_kws,	[XVS_KC_CHECK_MISC] = misc_kws,
	[XVS_KC_CHECK_DNS] = dns_kws,	[XVS_KC_CHECK_SMTP] = smtp_kws,
	[XVS_KC_CHECK_BFD] = bfd_kws,
};

static void free_check(struct xvs_kc_check *c)
{
	for (size_t i = 0; i < c->n_urls; i++)
		free_url(&c->urls[i]);
	free(c->urls);
	free(c->bind_if);
	free(c->virtualhost);
	free(c->misc_path);
	free(c->user);
	free(c->group);
	free(c->dns_type);
	free(c->dns_name);
	free(c->helo_name);
	free(c->bfd_name);
}

static int h_check(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		   const struct kc_kw *kw)
{
	struct rs_parse *rp = obj;
	struct xvs_kc_check c = { .loc = n->loc }, *slot;
	const char *problem = NULL;

	for (int t = 0; t < XVS_KC_CHECK_MAX; t++)
		if (!strcmp(kw->name, check_names[t]))
			c.type = (enum xvs_kc_check_type)t;
	struct kc_table tabs[] = { { check_kws[c.type], &c }, { conn_kws, &c }, { generic_kws, &c } };

	tmpl_unset(&c);
	kc_dispatch_tables(kc, n, kw->name, tabs, 3);
	if ((c.type == XVS_KC_CHECK_HTTP || c.type == XVS_KC_CHECK_SSL) && !c.n_urls)
		problem = "has no url";
	else if (c.type == XVS_KC_CHECK_MISC && !c.misc_path)
		problem = "has no misc_path";
	else if (c.type == XVS_KC_CHECK_BFD && !c.bfd_name)
		problem = "has no name";
	if (problem) {
		kc_err(kc, &n->loc, "%s %s: ignored", kw->name, problem);
		free_check(&c);
		return -1;
	}
	slot = kc_push(&rp->rs.checks, &rp->rs.n_checks, sizeof(*slot));
	if (!slot) {
		free_check(&c);
		return -1;
	}
	*slot = c;
	return 0;
}

/*
 * NAT | DR | TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] |
 * FNAT | FULLNAT, for lb_kind, lvs_method and sorry_server_lvs_method.
 */
static int parse_fwd(struct xvs_kconf *kc, const struct kc_node *n, uint8_t *fwd,
		     struct xvs_kc_vs *vs)
{
	const char *m = n->w[1].text;
	size_t k = 2;

	if (!strcmp(m, "NAT"))
		*fwd = XVS_FWD_NAT;
	else if (!strcmp(m, "DR"))
		*fwd = XVS_FWD_DR;
	else if (!strcmp(m, "TUN"))
		*fwd = XVS_FWD_TUN;
	else if (!strcmp(m, "FNAT") || !strcmp(m, "FULLNAT"))
		*fwd = XVS_FWD_FULLNAT;
	else {
		kc_err(kc, &n->loc, "'%s': method must be NAT, DR, TUN, FNAT or FULLNAT, not '%s'",
		       n->w[0].text, m);
		return -1;
	}
	if (*fwd != XVS_FWD_TUN && n->n > 2) {
		kc_err(kc, &n->loc, "'%s %s' takes no options", n->w[0].text, m);
		return -1;
	}
	if (k < n->n && !strcmp(n->w[k].text, "type") && k + 1 < n->n) {
		const char *t = n->w[k + 1].text;

		k += 2;
		if (!strcmp(t, "ipip")) {
			if (vs)
				vs->tun_type = XVS_KC_TUN_IPIP;
		} else if (!strcmp(t, "gre")) {
			if (vs)
				vs->tun_type = XVS_KC_TUN_GRE;
		} else if (!strcmp(t, "gue") && k + 1 < n->n && !strcmp(n->w[k].text, "port")) {
			uint16_t port;

			if (kc_port(kc, n, n->w[k + 1].text, &port))
				return -1;
			if (vs) {
				vs->tun_type = XVS_KC_TUN_GUE;
				vs->tun_port = port;
			}
			k += 2;
		} else {
			kc_err(kc, &n->loc, "TUN type must be ipip, 'gue port N' or gre");
			return -1;
		}
	}
	if (k < n->n && (!strcmp(n->w[k].text, "nocsum") || !strcmp(n->w[k].text, "csum") ||
			 !strcmp(n->w[k].text, "remcsum")))
		k++;
	if (k < n->n) {
		kc_err(kc, &n->loc, "'%s': unexpected '%s'", n->w[0].text, n->w[k].text);
		return -1;
	}
	return 0;
}

/* ---- real_server ---- */

static int h_rs_fwd(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		    const struct kc_kw *kw)
{
	struct rs_parse *rp = obj;

	(void)kw;
	if (parse_fwd(kc, n, &rp->rs.fwd, NULL))
		return -1;
	rp->fwd_set = true;
	return 0;
}

static int h_rs_inhibit(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			const struct kc_kw *kw)
{
	struct rs_parse *rp = obj;
	bool v = true;

	(void)kw;
	if (n->n == 2 && kc_bool(kc, n, n->w[1].text, &v))
		return -1;
	rp->inhibit = v;
	return 0;
}

#define R(f) offsetof(struct rs_parse, f)
static const struct kc_kw rs_kws[] = {
	{ "weight", kc_h_int, R(rs.weight), 0, 65535, 1, 1, KC_NOBLOCK },
	{ "lvs_method", h_rs_fwd, 0, 0, 0, 1, 7, KC_NOBLOCK },
	{ "lb_kind", h_rs_fwd, 0, 0, 0, 1, 7, KC_NOBLOCK },
	{ "uthreshold", kc_h_u32, R(rs.u_threshold), 0, UINT32_MAX, 1, 1, KC_NOBLOCK },
	{ "lthreshold", kc_h_u32, R(rs.l_threshold), 0, UINT32_MAX, 1, 1, KC_NOBLOCK },
	{ "notify_up", kc_h_script, R(rs.notify_up), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_down", kc_h_script, R(rs.notify_down), 0, 0, 1, 3, KC_NOBLOCK },
	{ "inhibit_on_failure", h_rs_inhibit, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "smtp_alert", kc_h_flag, R(rs.smtp_alert), 0, 0, 0, 1, KC_NOBLOCK },
	{ "virtualhost", kc_h_str, R(virtualhost), 0, 0, 1, 1, KC_NOBLOCK },
	{ "TCP_CHECK", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "HTTP_GET", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "SSL_GET", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "MISC_CHECK", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "DNS_CHECK", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "SMTP_CHECK", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "BFD_CHECK", h_check, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "alpha", kc_h_ignore, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "snmp_name", kc_h_ignore, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef R

static void free_rs(struct xvs_kc_rs *rs)
{
	for (size_t i = 0; i < rs->n_checks; i++)
		free_check(&rs->checks[i]);
	free(rs->checks);
	free(rs->notify_up);
	free(rs->notify_down);
}

/* real_server IP [PORT] and sorry_server IP [PORT] */
static int rs_addr(struct xvs_kconf *kc, const struct kc_node *n, struct xvs_kc_rs *rs)
{
	rs->loc = n->loc;
	rs->weight = 1;
	if (kc_addr(kc, n, n->w[1].text, false, &rs->addr))
		return -1;
	if (n->n > 2 && kc_port(kc, n, n->w[2].text, &rs->port))
		return -1;
	return 0;
}

static int h_real_server(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			 const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;
	struct rs_parse rp = { .inhibit = -1 }, *slot;

	(void)kw;
	if (rs_addr(kc, n, &rp.rs))
		return -1;
	struct kc_table tabs[] = { { rs_kws, &rp }, { generic_kws, &rp.tmpl } };

	tmpl_unset(&rp.tmpl);
	kc_dispatch_tables(kc, n, "real_server", tabs, 2);
	slot = kc_push(&vp->rsp, &vp->n_rsp, sizeof(*slot));
	if (!slot) {
		free_rs(&rp.rs);
		free(rp.virtualhost);
		return -1;
	}
	*slot = rp;
	return 0;
}

/* ---- virtual_server ---- */

static int h_sched(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		   const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;
	int s = xvs_sched_parse(n->w[1].text);

	(void)kw;
	if (s < 0) {
		kc_err(kc, &n->loc, "'%s': unknown scheduler '%s'", n->w[0].text, n->w[1].text);
		return -1;
	}
	vp->vs.sched = (uint8_t)s;
	vp->sched_set = true;
	return 0;
}

static int h_vs_fwd(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		    const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;

	(void)kw;
	if (parse_fwd(kc, n, &vp->vs.fwd, &vp->vs))
		return -1;
	vp->fwd_set = true;
	return 0;
}

static int h_sorry_fwd(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		       const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;

	(void)kw;
	if (parse_fwd(kc, n, &vp->sorry_fwd, NULL))
		return -1;
	vp->sorry_fwd_set = true;
	return 0;
}

static int h_protocol(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		      const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;
	const char *p = n->w[1].text;

	(void)kw;
	if (!strcasecmp(p, "TCP"))
		vp->vs.proto = IPPROTO_TCP;
	else if (!strcasecmp(p, "UDP"))
		vp->vs.proto = IPPROTO_UDP;
	else if (!strcasecmp(p, "SCTP"))
		vp->vs.proto = IPPROTO_SCTP;
	else {
		kc_err(kc, &n->loc, "protocol must be TCP, UDP or SCTP, not '%s'", p);
		return -1;
	}
	vp->proto_set = true;
	return 0;
}

static int h_persistence_timeout(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
				 const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;
	long v = 360;

	(void)kw;
	if (n->n == 2 && kc_long(kc, n, n->w[1].text, 1, UINT32_MAX / 1000, &v))
		return -1;
	vp->vs.persistent = true;
	vp->vs.persistence_timeout = (uint32_t)v;
	return 0;
}

/* persistence_granularity: an IPv4 netmask, or a prefix length. */
static int h_granularity(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			 const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;
	const char *s = n->w[1].text;
	struct xvs_kc_addr a;
	long v;
	int len;

	(void)kw;
	if (strchr(s, '.')) {
		if (kc_addr(kc, n, s, false, &a))
			return -1;
		len = xvs_mask4_len(a.addr.ip4);
		if (a.af != XVS_AF_INET || len < 0) {
			kc_err(kc, &n->loc, "persistence_granularity '%s' is not a netmask", s);
			return -1;
		}
		vp->vs.persistence_prefix = (uint8_t)len;
		return 0;
	}
	if (kc_long(kc, n, s, 1, 128, &v))
		return -1;
	vp->vs.persistence_prefix = (uint8_t)v;
	return 0;
}

static int h_sorry_server(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			  const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;
	struct xvs_kc_rs rs = { 0 };

	(void)kw;
	if (rs_addr(kc, n, &rs))
		return -1;
	vp->vs.sorry = rs;
	vp->vs.has_sorry = true;
	return 0;
}

/* sh-port, flag-2, ... -> XVS_SVC_F_SCHED1..3, as ipvsadm -b. */
static int h_sched_flag(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;

	(void)kc;
	(void)n;
	vp->vs.sched_flags |= (uint32_t)kw->lo;
	return 0;
}

static int h_ip_family(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		       const struct kc_kw *kw)
{
	struct vs_parse *vp = obj;

	(void)kw;
	if (!strcmp(n->w[1].text, "inet"))
		vp->ip_family = XVS_AF_INET;
	else if (!strcmp(n->w[1].text, "inet6"))
		vp->ip_family = XVS_AF_INET6;
	else {
		kc_err(kc, &n->loc, "ip_family must be inet or inet6");
		return -1;
	}
	return 0;
}

#define VS(f) offsetof(struct vs_parse, f)
static const struct kc_kw vs_kws[] = {
	{ "lb_algo", h_sched, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "lvs_sched", h_sched, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "lb_kind", h_vs_fwd, 0, 0, 0, 1, 7, KC_NOBLOCK },
	{ "lvs_method", h_vs_fwd, 0, 0, 0, 1, 7, KC_NOBLOCK },
	{ "protocol", h_protocol, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "persistence_timeout", h_persistence_timeout, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "persistence_granularity", h_granularity, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "virtualhost", kc_h_str, VS(vs.virtualhost), 0, 0, 1, 1, KC_NOBLOCK },
	{ "alpha", kc_h_flag, VS(vs.alpha), 0, 0, 0, 1, KC_NOBLOCK },
	{ "omega", kc_h_flag, VS(vs.omega), 0, 0, 0, 1, KC_NOBLOCK },
	{ "inhibit_on_failure", kc_h_flag, VS(vs.inhibit_on_failure), 0, 0, 0, 1, KC_NOBLOCK },
	{ "quorum", kc_h_u32, VS(vs.quorum), 1, UINT32_MAX, 1, 1, KC_NOBLOCK },
	{ "hysteresis", kc_h_u32, VS(vs.hysteresis), 0, UINT32_MAX, 1, 1, KC_NOBLOCK },
	{ "quorum_up", kc_h_script, VS(vs.quorum_up), 0, 0, 1, 3, KC_NOBLOCK },
	{ "quorum_down", kc_h_script, VS(vs.quorum_down), 0, 0, 1, 3, KC_NOBLOCK },
	{ "sorry_server", h_sorry_server, 0, 0, 0, 1, 2, KC_NOBLOCK },
	{ "sorry_server_inhibit", kc_h_flag, VS(vs.sorry_server_inhibit), 0, 0, 0, 1, KC_NOBLOCK },
	{ "sorry_server_lvs_method", h_sorry_fwd, 0, 0, 0, 1, 7, KC_NOBLOCK },
	{ "ops", kc_h_flag, VS(vs.ops), 0, 0, 0, 1, KC_NOBLOCK },
	{ "flag-1", h_sched_flag, 0, XVS_SVC_F_SCHED1, 0, 0, 0, KC_NOBLOCK },
	{ "flag-2", h_sched_flag, 0, XVS_SVC_F_SCHED2, 0, 0, 0, KC_NOBLOCK },
	{ "flag-3", h_sched_flag, 0, XVS_SVC_F_SCHED3, 0, 0, 0, KC_NOBLOCK },
	{ "sh-fallback", h_sched_flag, 0, XVS_SVC_F_SCHED1, 0, 0, 0, KC_NOBLOCK },
	{ "mh-fallback", h_sched_flag, 0, XVS_SVC_F_SCHED1, 0, 0, 0, KC_NOBLOCK },
	{ "sh-port", h_sched_flag, 0, XVS_SVC_F_SCHED2, 0, 0, 0, KC_NOBLOCK },
	{ "mh-port", h_sched_flag, 0, XVS_SVC_F_SCHED2, 0, 0, 0, KC_NOBLOCK },
	{ "ha_suspend", kc_h_flag, VS(vs.ha_suspend), 0, 0, 0, 1, KC_NOBLOCK },
	{ "smtp_alert", kc_h_flag, VS(vs.smtp_alert), 0, 0, 0, 1, KC_NOBLOCK },
	{ "ip_family", h_ip_family, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "laddr_group_name", kc_h_str, VS(vs.laddr_group_name), 0, 0, 1, 1, KC_NOBLOCK },
	{ "syn_proxy", kc_h_flag, VS(vs.syn_proxy), 0, 0, 0, 1, KC_NOBLOCK },
	{ "real_server", h_real_server, 0, 0, 0, 1, 2, KC_BLOCK },
	{ "persistence_engine", kc_h_ignore, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "snmp_name", kc_h_ignore, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef VS

/* The virtual_server line: IP [PORT] | fwmark N | group NAME. */
static int vs_header(struct xvs_kconf *kc, const struct kc_node *n, struct xvs_kc_vs *vs)
{
	long mark;

	if (!strcmp(n->w[1].text, "fwmark") || !strcmp(n->w[1].text, "group")) {
		if (n->n != 3) {
			kc_err(kc, &n->loc, "expected 'virtual_server %s %s'", n->w[1].text,
			       strcmp(n->w[1].text, "group") ? "N" : "NAME");
			return -1;
		}
		if (!strcmp(n->w[1].text, "group")) {
			vs->kind = XVS_KC_VS_GROUP;
			return (vs->group_name = kc_strdup(n->w[2].text)) ? 0 : -1;
		}
		if (kc_long(kc, n, n->w[2].text, 1, UINT32_MAX, &mark))
			return -1;
		vs->kind = XVS_KC_VS_FWMARK;
		vs->fwmark = (uint32_t)mark;
		return 0;
	}
	vs->kind = XVS_KC_VS_ADDR;
	if (kc_addr(kc, n, n->w[1].text, false, &vs->addr))
		return -1;
	vs->af = vs->addr.af;
	return n->n == 3 ? kc_port(kc, n, n->w[2].text, &vs->port) : 0;
}

static void free_vs(struct xvs_kc_vs *vs)
{
	free(vs->group_name);
	free(vs->virtualhost);
	free(vs->quorum_up);
	free(vs->quorum_down);
	free(vs->laddr_group_name);
	free_rs(&vs->sorry);
	for (size_t i = 0; i < vs->n_rs; i++)
		free_rs(&vs->rs[i]);
	free(vs->rs);
}

static char *vs_name(const struct xvs_kc_vs *vs, char *buf, size_t len)
{
	char a[XVS_ADDRPORT_STRLEN];

	if (vs->kind == XVS_KC_VS_FWMARK)
		snprintf(buf, len, "fwmark %u", vs->fwmark);
	else if (vs->kind == XVS_KC_VS_GROUP)
		snprintf(buf, len, "group %s", vs->group_name);
	else
		snprintf(buf, len, "%s", xvs_addr_port_fmt(vs->af, &vs->addr.addr,
							   htons(vs->port), a, sizeof(a)));
	return buf;
}

/* Effective values for one checker of real server rs. */
static void resolve_check(struct xvs_kc_check *c, const struct rs_parse *rp,
			  const struct vs_parse *vp)
{
	const struct xvs_kc_vs *vs = &vp->vs;

	tmpl_inherit(c, &rp->tmpl);
	tmpl_inherit(c, &vp->tmpl);
	if (c->delay_loop_us == KC_UNSET_TIMER)
		c->delay_loop_us = vs->delay_loop_us;
	if (c->connect_timeout_us == KC_UNSET_TIMER)
		c->connect_timeout_us = 5000000;
	if (c->warmup_us == KC_UNSET_TIMER)
		c->warmup_us = c->delay_loop_us;
	if (c->retry == KC_UNSET_INT)
		c->retry = c->type == XVS_KC_CHECK_DNS ? 3 : c->type == XVS_KC_CHECK_MISC ? 0 : 1;
	if (c->delay_before_retry_us == KC_UNSET_TIMER)
		c->delay_before_retry_us =
			c->type == XVS_KC_CHECK_HTTP || c->type == XVS_KC_CHECK_SSL ? 3000000 :
			c->type == XVS_KC_CHECK_DNS ? c->delay_loop_us : 1000000;
	if (!c->connect_ip.af)
		c->connect_ip = rp->rs.addr;
	if (!c->connect_port)
		c->connect_port = rp->rs.port;
	if (!c->misc_timeout_us)
		c->misc_timeout_us = c->delay_loop_us;
	if (!c->virtualhost && (rp->virtualhost || vs->virtualhost))
		c->virtualhost = kc_strdup(rp->virtualhost ? rp->virtualhost : vs->virtualhost);
	if (c->type == XVS_KC_CHECK_DNS && !c->dns_type)
		c->dns_type = kc_strdup("SOA");
	if (c->type == XVS_KC_CHECK_DNS && !c->dns_name)
		c->dns_name = kc_strdup(".");
}

static bool same_rs(const struct xvs_kc_rs *a, const struct xvs_kc_rs *b)
{
	return a->addr.af == b->addr.af && !memcmp(&a->addr.addr, &b->addr.addr, 16) &&
	       a->port == b->port;
}

/* Defaults with keepalived's warnings, then the real servers. */
static void resolve_vs(struct xvs_kconf *kc, struct vs_parse *vp)
{
	struct xvs_kc_vs *vs = &vp->vs;
	char name[96];

	vs_name(vs, name, sizeof(name));
	if (vp->ip_family && vs->kind == XVS_KC_VS_ADDR && vp->ip_family != vs->af)
		kc_err(kc, &vs->loc, "virtual server %s: ip_family does not match its address",
		       name);
	else if (vp->ip_family)
		vs->af = (uint8_t)vp->ip_family;
	if (!vs->af)
		vs->af = XVS_AF_INET;
	if (!vp->proto_set && vs->kind != XVS_KC_VS_FWMARK) {
		kc_warn(kc, &vs->loc, "virtual server %s: no protocol set - defaulting to UDP "
			"(as keepalived)", name);
		vs->proto = IPPROTO_UDP;
	}
	if (!vp->sched_set) {
		kc_warn(kc, &vs->loc, "virtual server %s: no scheduler set, defaulting to wlc", name);
		vs->sched = XVS_SCHED_WLC;
	}
	if (!vp->fwd_set) {
		kc_warn(kc, &vs->loc, "virtual server %s: no forwarding method set, defaulting "
			"to NAT", name);
		vs->fwd = XVS_FWD_NAT;
	}
	if (vs->kind == XVS_KC_VS_ADDR && !vs->port && !vs->persistent) {
		kc_warn(kc, &vs->loc, "virtual server %s: port 0 is only valid for a persistent "
			"service - setting persistence_timeout 360", name);
		vs->persistent = true;
		vs->persistence_timeout = 360;
	}
	if (!vs->persistence_prefix)
		vs->persistence_prefix = vs->af == XVS_AF_INET ? 32 : 128;
	if (vs->persistence_prefix > (vs->af == XVS_AF_INET ? 32 : 128))
		kc_err(kc, &vs->loc, "virtual server %s: persistence_granularity is longer "
		       "than the address", name);
	vs->delay_loop_us = vp->tmpl.delay_loop_us == KC_UNSET_TIMER ? 60000000 :
			    vp->tmpl.delay_loop_us;
	if (vs->hysteresis >= vs->quorum && vs->hysteresis)
		kc_warn(kc, &vs->loc, "virtual server %s: hysteresis %u is not below quorum %u",
			name, vs->hysteresis, vs->quorum);
	if (vs->has_sorry) {
		vs->sorry.fwd = vp->sorry_fwd_set ? vp->sorry_fwd : vs->fwd;
		vs->sorry.inhibit_on_failure = vs->sorry_server_inhibit;
		if (!vs->sorry.port)
			vs->sorry.port = vs->port;
	}
	if (vs->laddr_group_name && vs->fwd != XVS_FWD_FULLNAT)
		kc_warn(kc, &vs->loc, "virtual server %s: laddr_group_name only matters with "
			"lb_kind FNAT", name);
	for (size_t i = 0; i < vp->n_rsp; i++) {
		struct rs_parse *rp = &vp->rsp[i];
		struct xvs_kc_rs *slot;
		bool dup = false;

		if (!rp->rs.port)
			rp->rs.port = vs->port;
		for (size_t k = 0; k < vs->n_rs; k++)
			dup |= same_rs(&vs->rs[k], &rp->rs);
		if (dup) {
			kc_err(kc, &rp->rs.loc, "virtual server %s: real server listed twice: the "
			       "first is kept", name);
		} else if (vs->kind == XVS_KC_VS_ADDR && rp->rs.addr.af != vs->af &&
			   (rp->fwd_set ? rp->rs.fwd : vs->fwd) != XVS_FWD_TUN) {
			kc_err(kc, &rp->rs.loc, "virtual server %s: a real server of the other "
			       "address family needs lb_kind TUN: ignored", name);
			dup = true;
		}
		if (dup) {
			free_rs(&rp->rs);
			free(rp->virtualhost);
			continue;
		}
		if (!rp->fwd_set)
			rp->rs.fwd = vs->fwd;
		rp->rs.inhibit_on_failure = rp->inhibit < 0 ? vs->inhibit_on_failure : rp->inhibit;
		for (size_t k = 0; k < rp->rs.n_checks; k++)
			resolve_check(&rp->rs.checks[k], rp, vp);
		free(rp->virtualhost);
		slot = kc_push(&vs->rs, &vs->n_rs, sizeof(*slot));
		if (!slot) {
			free_rs(&rp->rs);
			continue;
		}
		*slot = rp->rs;
	}
	free(vp->rsp);
	vp->rsp = NULL;
	vp->n_rsp = 0;
	if (!vs->n_rs && !vs->has_sorry)
		kc_warn(kc, &vs->loc, "virtual server %s has no real servers", name);
}

int kc_parse_virtual_server(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			    const struct kc_kw *kw)
{
	struct vs_parse vp = { 0 };
	struct xvs_kc_vs *slot;

	(void)obj;
	(void)kw;
	vp.vs.loc = n->loc;
	vp.vs.quorum = 1;
	vp.vs.proto = IPPROTO_TCP;
	tmpl_unset(&vp.tmpl);
	if (vs_header(kc, n, &vp.vs)) {
		free_vs(&vp.vs);
		return -1;
	}
	struct kc_table tabs[] = { { vs_kws, &vp }, { generic_kws, &vp.tmpl } };

	kc_dispatch_tables(kc, n, "virtual_server", tabs, 2);
	resolve_vs(kc, &vp);
	slot = kc_oom ? NULL : kc_push(&kc->vs, &kc->n_vs, sizeof(*slot));
	if (!slot) {
		for (size_t i = 0; i < vp.n_rsp; i++) {
			free_rs(&vp.rsp[i].rs);
			free(vp.rsp[i].virtualhost);
		}
		free(vp.rsp);
		free_vs(&vp.vs);
		return -1;
	}
	*slot = vp.vs;
	return 0;
}

static bool same_vs(const struct xvs_kc_vs *a, const struct xvs_kc_vs *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == XVS_KC_VS_GROUP)
		return !strcmp(a->group_name, b->group_name) && a->proto == b->proto &&
		       a->af == b->af;
	if (a->kind == XVS_KC_VS_FWMARK)
		return a->fwmark == b->fwmark && a->af == b->af;
	return a->af == b->af && !memcmp(&a->addr.addr, &b->addr.addr, 16) &&
	       a->port == b->port && a->proto == b->proto;
}

static void check_scripts(struct xvs_kconf *kc, const struct xvs_kc_vs *vs)
{
	if (vs->quorum_up)
		kc_check_script(kc, &vs->loc, vs->quorum_up);
	if (vs->quorum_down)
		kc_check_script(kc, &vs->loc, vs->quorum_down);
	for (size_t i = 0; i < vs->n_rs; i++) {
		const struct xvs_kc_rs *rs = &vs->rs[i];

		if (rs->notify_up)
			kc_check_script(kc, &rs->loc, rs->notify_up);
		if (rs->notify_down)
			kc_check_script(kc, &rs->loc, rs->notify_down);
		for (size_t k = 0; k < rs->n_checks; k++)
			if (rs->checks[k].misc_path)
				kc_check_script(kc, &rs->checks[k].loc, rs->checks[k].misc_path);
	}
}

void kc_resolve_lvs(struct xvs_kconf *kc)
{
	size_t kept = 0;

	for (size_t i = 0; i < kc->n_vs; i++) {
		struct xvs_kc_vs *vs = &kc->vs[i];
		const char *problem = NULL;
		char name[96];

		vs_name(vs, name, sizeof(name));
		for (size_t k = 0; k < kept; k++)
			if (same_vs(&kc->vs[k], vs))
				problem = "is defined twice: the first is kept";
		if (vs->kind == XVS_KC_VS_GROUP) {
			for (size_t k = 0; k < kc->n_vsgs; k++)
				if (!strcmp(kc->vsgs[k].name, vs->group_name))
					vs->group = &kc->vsgs[k];
			if (!vs->group)
				problem = "names no virtual_server_group: ignored";
		}
		if (vs->laddr_group_name) {
			for (size_t k = 0; k < kc->n_laddr_groups; k++)
				if (!strcmp(kc->laddr_groups[k].name, vs->laddr_group_name))
					vs->laddr_group = &kc->laddr_groups[k];
			if (!vs->laddr_group)
				problem = "names no local_address_group: ignored";
		}
		if (problem) {
			kc_err(kc, &vs->loc, "virtual server %s %s", name, problem);
			free_vs(vs);
			continue;
		}
		check_scripts(kc, vs);
		kc->vs[kept++] = *vs;
	}
	kc->n_vs = kept;
}

void kc_free_lvs(struct xvs_kconf *kc)
{
	for (size_t i = 0; i < kc->n_vs; i++)
		free_vs(&kc->vs[i]);
	free(kc->vs);
}

bool xvs_kc_url_status_ok(const struct xvs_kc_url *url, int code)
{
	if (code < XVS_KC_STATUS_MIN || code > XVS_KC_STATUS_MAX)
		return false;
	if (!url->status_set)
		return code >= 200 && code <= 299;
	code -= XVS_KC_STATUS_MIN;
	return url->status[code / 8] & (1u << (code % 8));
}
