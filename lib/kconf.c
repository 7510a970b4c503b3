// SPDX-License-Identifier: GPL-2.0
/*
 * kconf.c - loading a keepalived.conf: the top level, global_defs, the
 * virtual server and local address groups, the keepalived -t status,
 * and freeing. See kconf.h; the parser's layout is in kconf_int.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kconf_int.h"

/* ---- global_defs ---- */

static int h_email_list(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			const struct kc_kw *kw)
{
	struct xvs_kc_global *g = obj;

	(void)kw;
	for (size_t i = 0; i < n->n_kids; i++) {
		for (size_t k = 0; k < n->kids[i].n; k++) {
			char **slot = kc_push(&g->notification_email, &g->n_notification_email,
					      sizeof(*slot));

			if (!slot || !(*slot = kc_strdup(n->kids[i].w[k].text)))
				return -1;
		}
	}
	(void)kc;
	return 0;
}

/* smtp_server ADDR [PORT], kept as written. */
static int h_smtp_server(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			 const struct kc_kw *kw)
{
	struct xvs_kc_global *g = obj;
	char *s = NULL;
	uint16_t port;

	(void)kw;
	if (n->n == 3 && kc_port(kc, n, n->w[2].text, &port))
		return -1;
	if (asprintf(&s, "%s%s%s", n->w[1].text, n->n == 3 ? " " : "",
		     n->n == 3 ? n->w[2].text : "") < 0) {
		kc_oom = true;
		return -1;
	}
	free(g->smtp_server);
	g->smtp_server = s;
	return 0;
}

static int h_script_user(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			 const struct kc_kw *kw)
{
	struct xvs_kc_global *g = obj;

	(void)kw;
	free(g->script_user);
	free(g->script_group);
	g->script_group = NULL;
	g->script_user = kc_strdup(n->w[1].text);
	if (n->n > 2)
		g->script_group = kc_strdup(n->w[2].text);
	(void)kc;
	return 0;
}

static bool is_sync_opt(const char *k)
{
	static const char *const opts[] = { "inst", "id", "maxlen", "port", "ttl", "group" };

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(k, opts[i]))
			return true;
	return false;
}

/* lvs_sync_daemon IF [VI | inst VI] [id N] [maxlen N] [port N] [ttl N] [group IP] */
static int h_lvs_sync(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		      const struct kc_kw *kw)
{
	struct xvs_kc_lvs_sync *s = &((struct xvs_kc_global *)obj)->lvs_sync;
	size_t i = 2;
	long v;

	(void)kw;
	free(s->interface);
	free(s->vrrp_instance);
	memset(s, 0, sizeof(*s));
	s->set = true;
	s->interface = kc_strdup(n->w[1].text);
	if (i < n->n && !is_sync_opt(n->w[i].text))
		s->vrrp_instance = kc_strdup(n->w[i++].text);
	for (; i < n->n; i += 2) {
		const char *k = n->w[i].text, *val = i + 1 < n->n ? n->w[i + 1].text : NULL;

		if (!is_sync_opt(k) || !val) {
			kc_err(kc, &n->loc, "lvs_sync_daemon: expected inst|id|maxlen|port|ttl|group "
			       "VALUE, got '%s'", k);
			return -1;
		}
		if (!strcmp(k, "inst")) {
			free(s->vrrp_instance);
			s->vrrp_instance = kc_strdup(val);
		} else if (!strcmp(k, "id")) {
			if (kc_long(kc, n, val, 0, 255, &v))
				return -1;
			s->sync_id = (uint32_t)v;
		} else if (!strcmp(k, "maxlen")) {
			if (kc_long(kc, n, val, 1, 65507, &v))
				return -1;
			s->maxlen = (uint32_t)v;
		} else if (!strcmp(k, "port")) {
			if (kc_port(kc, n, val, &s->port))
				return -1;
		} else if (!strcmp(k, "ttl")) {
			if (kc_long(kc, n, val, 1, 255, &v))
				return -1;
			s->ttl = (uint8_t)v;
		} else if (kc_addr(kc, n, val, false, &s->group)) {
			return -1;
		}
	}
	return 0;
}

/* lvs_timeouts [tcp S] [tcpfin S] [udp S] */
static int h_lvs_timeouts(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			  const struct kc_kw *kw)
{
	struct xvs_kc_global *g = obj;
	long v;

	(void)kw;
	for (size_t i = 1; i < n->n; i += 2) {
		const char *k = n->w[i].text;
		uint32_t *dst = !strcmp(k, "tcp") ? &g->lvs_timeout_tcp :
				!strcmp(k, "tcpfin") ? &g->lvs_timeout_tcpfin :
				!strcmp(k, "udp") ? &g->lvs_timeout_udp : NULL;

		if (!dst || i + 1 >= n->n) {
			kc_err(kc, &n->loc, "lvs_timeouts: expected tcp|tcpfin|udp SECONDS, got '%s'",
			       k);
			return -1;
		}
		if (kc_long(kc, n, n->w[i + 1].text, 0, 86400 * 31, &v))
			return -1;
		*dst = (uint32_t)v;
	}
	return 0;
}

#define G(f) offsetof(struct xvs_kc_global, f)
static const struct kc_kw global_kws[] = {
	{ "router_id", kc_h_str, G(router_id), 0, 0, 1, 1, KC_NOBLOCK },
	{ "notification_email", h_email_list, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "notification_email_from", kc_h_str, G(notification_email_from), 0, 0, 1, -1, KC_NOBLOCK },
	{ "smtp_server", h_smtp_server, 0, 0, 0, 1, 2, KC_NOBLOCK },
	{ "smtp_connect_timeout", kc_h_timer, G(smtp_connect_timeout_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "script_user", h_script_user, 0, 0, 0, 1, 2, KC_NOBLOCK },
	{ "enable_script_security", kc_h_flag, G(enable_script_security), 0, 0, 0, 1, KC_NOBLOCK },
	{ "vrrp_mcast_group4", kc_h_addr, G(vrrp_mcast_group4), 0, 0, 1, 1, KC_NOBLOCK },
	{ "vrrp_mcast_group6", kc_h_addr, G(vrrp_mcast_group6), 0, 0, 1, 1, KC_NOBLOCK },
	{ "vrrp_version", kc_h_int, G(vrrp_version), 2, 3, 1, 1, KC_NOBLOCK },
	{ "vrrp_strict", kc_h_flag, G(vrrp_strict), 0, 0, 0, 1, KC_NOBLOCK },
	{ "vrrp_garp_master_delay", kc_h_int, G(vrrp_garp_master_delay), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "vrrp_garp_master_repeat", kc_h_int, G(vrrp_garp_master_repeat), 1, 1000, 1, 1, KC_NOBLOCK },
	{ "vrrp_garp_master_refresh", kc_h_int, G(vrrp_garp_master_refresh), 0, 86400, 1, 1, KC_NOBLOCK },
	{ "vrrp_garp_master_refresh_repeat", kc_h_int, G(vrrp_garp_master_refresh_repeat), 1, 1000, 1, 1, KC_NOBLOCK },
	{ "vrrp_garp_lower_prio_delay", kc_h_int, G(vrrp_garp_lower_prio_delay), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "vrrp_garp_lower_prio_repeat", kc_h_int, G(vrrp_garp_lower_prio_repeat), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "vrrp_garp_interval", kc_h_timer, G(vrrp_garp_interval_us), 0, 1, 1, 1, KC_NOBLOCK },
	{ "vrrp_gna_interval", kc_h_timer, G(vrrp_gna_interval_us), 0, 1, 1, 1, KC_NOBLOCK },
	{ "vrrp_skip_check_adv_addr", kc_h_flag, G(vrrp_skip_check_adv_addr), 0, 0, 0, 1, KC_NOBLOCK },
	{ "vrrp_check_unicast_src", kc_h_flag, G(vrrp_check_unicast_src), 0, 0, 0, 1, KC_NOBLOCK },
	{ "lvs_sync_daemon", h_lvs_sync, 0, 0, 0, 1, 13, KC_NOBLOCK },
	{ "lvs_timeouts", h_lvs_timeouts, 0, 0, 0, 2, 6, KC_NOBLOCK },
	{ "lvs_flush", kc_h_flag, G(lvs_flush), 0, 0, 0, 1, KC_NOBLOCK },
	{ "smtp_helo_name", kc_h_ignore, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "smtp_alert", kc_h_ignore, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "dynamic_interfaces", kc_h_ignore, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "default_interface", kc_h_ignore, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "enable_traps", kc_h_ignore, 0, 0, 0, 0, 0, KC_NOBLOCK },
	{ "vrrp_iptables", kc_h_ignore, 0, 0, 0, 0, 2, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef G

static int parse_global_defs(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			     const struct kc_kw *kw)
{
	(void)obj;
	(void)kw;
	kc_dispatch(kc, &kc->global, n, global_kws, "global_defs");
	return 0;
}

/* ---- virtual_server_group and local_address_group ---- */

static int vsg_entry(struct xvs_kconf *kc, struct xvs_kc_vsg *g, const struct kc_node *e)
{
	struct xvs_kc_vsg_entry v = { .loc = e->loc };
	struct xvs_kc_vsg_entry *slot;
	long mark;

	if (!strcmp(e->w[0].text, "fwmark")) {
		if (e->n < 2 || e->n > 3 || kc_long(kc, e, e->w[1].text, 1, UINT32_MAX, &mark)) {
			if (e->n < 2 || e->n > 3)
				kc_err(kc, &e->loc, "expected 'fwmark N [inet|inet6]'");
			return -1;
		}
		v.is_fwmark = true;
		v.fwmark = (uint32_t)mark;
		v.addr.af = XVS_AF_INET;
		if (e->n == 3) {
			if (strcmp(e->w[2].text, "inet") && strcmp(e->w[2].text, "inet6")) {
				kc_err(kc, &e->loc, "fwmark family must be inet or inet6");
				return -1;
			}
			v.addr.af = strcmp(e->w[2].text, "inet6") ? XVS_AF_INET : XVS_AF_INET6;
		}
	} else {
		if (e->n > 2) {
			kc_err(kc, &e->loc, "expected 'IP[-LAST] [PORT]' in a virtual_server_group");
			return -1;
		}
		if (kc_addr_range(kc, e, e->w[0].text, &v.addr, &v.range_last) ||
		    (e->n == 2 && kc_port(kc, e, e->w[1].text, &v.port)))
			return -1;
	}
	slot = kc_push(&g->entries, &g->n_entries, sizeof(*slot));
	if (!slot)
		return -1;
	*slot = v;
	return 0;
}

static int parse_vsg(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		     const struct kc_kw *kw)
{
	struct xvs_kc_vsg *g;

	(void)obj;
	(void)kw;
	if (!kc_unique_name(kc, n, kc->vsgs, kc->n_vsgs, sizeof(*g), offsetof(struct xvs_kc_vsg, name)))
		return -1;
	g = kc_push(&kc->vsgs, &kc->n_vsgs, sizeof(*g));
	if (!g || !(g->name = kc_strdup(n->w[1].text)))
		return -1;
	g->loc = n->loc;
	for (size_t i = 0; i < n->n_kids; i++)
		if (n->kids[i].n)
			vsg_entry(kc, g, &n->kids[i]);
	if (!g->n_entries)
		kc_warn(kc, &n->loc, "virtual_server_group '%s' is empty", g->name);
	return 0;
}

static int laddr_entry(struct xvs_kconf *kc, struct xvs_kc_laddr_group *g, const struct kc_node *e)
{
	struct xvs_kc_laddr v = { .loc = e->loc };
	struct xvs_kc_laddr *slot;

	if (e->n > 2) {
		kc_err(kc, &e->loc, "expected 'IP[-LAST] [DEV]' in a local_address_group");
		return -1;
	}
	if (kc_addr_range(kc, e, e->w[0].text, &v.addr, &v.range_last))
		return -1;
	if (e->n == 2 && !(v.dev = kc_strdup(e->w[1].text)))
		return -1;
	slot = kc_push(&g->entries, &g->n_entries, sizeof(*slot));
	if (!slot) {
		free(v.dev);
		return -1;
	}
	*slot = v;
	return 0;
}

static int parse_laddr_group(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			     const struct kc_kw *kw)
{
	struct xvs_kc_laddr_group *g;

	(void)obj;
	(void)kw;
	if (!kc_unique_name(kc, n, kc->laddr_groups, kc->n_laddr_groups, sizeof(*g),
			 offsetof(struct xvs_kc_laddr_group, name)))
		return -1;
	g = kc_push(&kc->laddr_groups, &kc->n_laddr_groups, sizeof(*g));
	if (!g || !(g->name = kc_strdup(n->w[1].text)))
		return -1;
	g->loc = n->loc;
	for (size_t i = 0; i < n->n_kids; i++)
		if (n->kids[i].n)
			laddr_entry(kc, g, &n->kids[i]);
	if (!g->n_entries)
		kc_err(kc, &n->loc, "local_address_group '%s' lists no address", g->name);
	return 0;
}

static const struct kc_kw top_kws[] = {
	{ "global_defs", parse_global_defs, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "vrrp_script", kc_parse_vrrp_script, 0, 0, 0, 1, 1, KC_BLOCK },
	{ "vrrp_instance", kc_parse_vrrp_instance, 0, 0, 0, 1, 1, KC_BLOCK },
	{ "vrrp_sync_group", kc_parse_vrrp_sync_group, 0, 0, 0, 1, 1, KC_BLOCK },
	{ "virtual_server_group", parse_vsg, 0, 0, 0, 1, 1, KC_BLOCK },
	{ "local_address_group", parse_laddr_group, 0, 0, 0, 1, 1, KC_BLOCK },
	{ "virtual_server", kc_parse_virtual_server, 0, 0, 0, 1, 2, KC_BLOCK },
	{ "static_ipaddress", kc_h_ignore, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "static_routes", kc_h_ignore, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "static_rules", kc_h_ignore, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "SSL", kc_h_ignore, 0, 0, 0, 0, 0, KC_BLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};

static void global_defaults(struct xvs_kc_global *g)
{
	g->smtp_connect_timeout_us = 30 * 1000000ull;
	g->vrrp_mcast_group4.af = XVS_AF_INET;
	g->vrrp_mcast_group4.prefix_len = 32;
	g->vrrp_mcast_group4.addr.ip4 = htonl(0xe0000012);	/* 224.0.0.18 */
	g->vrrp_mcast_group6.af = XVS_AF_INET6;
	g->vrrp_mcast_group6.prefix_len = 128;
	g->vrrp_mcast_group6.addr.bytes[0] = 0xff;		/* ff02::12 */
	g->vrrp_mcast_group6.addr.bytes[1] = 0x02;
	g->vrrp_mcast_group6.addr.bytes[15] = 0x12;
	g->vrrp_version = 2;
	g->vrrp_garp_master_delay = 5;
	g->vrrp_garp_master_repeat = 5;
	g->vrrp_garp_master_refresh_repeat = 1;
	g->vrrp_garp_lower_prio_delay = -1;
	g->vrrp_garp_lower_prio_repeat = -1;
}

static struct xvs_kconf *load(const char *name, const char *buf, size_t len)
{
	struct xvs_kconf *kc = calloc(1, sizeof(*kc));
	struct kc_lexer lx;
	struct kc_node root;

	if (!kc)
		return NULL;
	kc_oom = false;
	global_defaults(&kc->global);
	kc_lexer_init(&lx, kc);
	if (buf)
		kc_lex_buf(&lx, name, buf, len, 0);
	else
		kc_lex_file(&lx, name, 0, NULL);
	kc_tree_build(kc, &lx, &root);
	if (!kc_oom) {
		kc_dispatch(kc, NULL, &root, top_kws, "the top level");
		if (kc->global.vrrp_garp_lower_prio_delay < 0)
			kc->global.vrrp_garp_lower_prio_delay = kc->global.vrrp_garp_master_delay;
		if (kc->global.vrrp_garp_lower_prio_repeat < 0)
			kc->global.vrrp_garp_lower_prio_repeat = kc->global.vrrp_garp_master_repeat;
		kc_resolve_vrrp(kc);
		kc_resolve_lvs(kc);
	}
	kc_tree_free(&root);
	kc_lexer_free(&lx);
	if (kc_oom) {
		xvs_kconf_free(kc);
		errno = ENOMEM;
		return NULL;
	}
	return kc;
}

struct xvs_kconf *xvs_kconf_load(const char *path)
{
	return load(path, NULL, 0);
}

struct xvs_kconf *xvs_kconf_load_buf(const char *name, const char *buf, size_t len)
{
	return load(name, buf ? buf : "", buf ? len : 0);
}

void xvs_kconf_free(struct xvs_kconf *kc)
{
	struct xvs_kc_global *g;

	if (!kc)
		return;
	g = &kc->global;
	free(g->router_id);
	for (size_t i = 0; i < g->n_notification_email; i++)
		free(g->notification_email[i]);
	free(g->notification_email);
	free(g->notification_email_from);
	free(g->smtp_server);
	free(g->script_user);
	free(g->script_group);
	free(g->lvs_sync.interface);
	free(g->lvs_sync.vrrp_instance);
	kc_free_vrrp(kc);
	kc_free_lvs(kc);
	for (size_t i = 0; i < kc->n_vsgs; i++) {
		free(kc->vsgs[i].name);
		free(kc->vsgs[i].entries);
	}
	free(kc->vsgs);
	for (size_t i = 0; i < kc->n_laddr_groups; i++) {
		for (size_t k = 0; k < kc->laddr_groups[i].n_entries; k++)
			free(kc->laddr_groups[i].entries[k].dev);
		free(kc->laddr_groups[i].name);
		free(kc->laddr_groups[i].entries);
	}
	free(kc->laddr_groups);
	for (size_t i = 0; i < kc->n_diags; i++)
		free(kc->diags[i]);
	free(kc->diags);
	for (size_t i = 0; i < kc->n_files; i++)
		free(kc->files[i]);
	free(kc->files);
	free(kc);
}

/*
 * keepalived runs scripts as script_user, root by default, and calls a
 * root script without enable_script_security a security violation. A
 * script that is not there is only reported: it will fail when run.
 */
void kc_check_script(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *cmd)
{
	const struct xvs_kc_global *g = &kc->global;
	size_t len = strcspn(cmd, " \t");
	char *path;

	if (!len)
		return;
	path = strndup(cmd, len);
	if (!path) {
		kc_oom = true;
		return;
	}
	if (access(path, X_OK)) {
		kc_warn(kc, loc, "script '%s' is not there or not executable", path);
	} else if (!g->enable_script_security &&
		   (!g->script_user || !strcmp(g->script_user, "root"))) {
		if (!kc->insecure_scripts)
			kc_warn(kc, loc, "SECURITY VIOLATION - scripts are being executed as "
				"root but enable_script_security is not set ('%s')", path);
		kc->insecure_scripts = true;
	}
	free(path);
}

int xvs_kconf_test_status(const struct xvs_kconf *kc)
{
	if (kc->fatal)
		return 3;
	if (kc->n_errors)
		return 4;
	if (kc->insecure_scripts)
		return 5;
	return 0;
}

const struct xvs_kc_vrrp_script *xvs_kconf_find_script(const struct xvs_kconf *kc,
							const char *name)
{
	for (size_t i = 0; i < kc->n_vrrp_scripts; i++)
		if (!strcmp(kc->vrrp_scripts[i].name, name))
			return &kc->vrrp_scripts[i];
	return NULL;
}

const struct xvs_kc_vrrp_instance *xvs_kconf_find_instance(const struct xvs_kconf *kc,
							    const char *name)
{
	for (size_t i = 0; i < kc->n_vrrp_instances; i++)
		if (!strcmp(kc->vrrp_instances[i].name, name))
			return &kc->vrrp_instances[i];
	return NULL;
}
