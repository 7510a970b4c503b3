// SPDX-License-Identifier: GPL-2.0
/*
 * kconf_vrrp.c - vrrp_script, vrrp_instance and vrrp_sync_group blocks,
 * with keepalived's defaults and checks (reference section 5), and the
 * resolution after the whole file: track_script names, sync group
 * members, global VRRP defaults handed to each instance.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kconf_int.h"

/* ---- vrrp_script ---- */

static int h_weight(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		    const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_script *s = obj;
	long v;

	(void)kw;
	if (kc_long(kc, n, n->w[1].text, -253, 253, &v))
		return -1;
	if (n->n == 3 && strcmp(n->w[2].text, "reverse")) {
		kc_err(kc, &n->loc, "weight: expected 'reverse' after the value, not '%s'",
		       n->w[2].text);
		return -1;
	}
	s->weight = (int)v;
	s->weight_reverse = n->n == 3;
	return 0;
}

#define S(f) offsetof(struct xvs_kc_vrrp_script, f)
static const struct kc_kw script_kws[] = {
	{ "script", kc_h_str, S(script), 0, 0, 1, 1, KC_NOBLOCK },
	{ "interval", kc_h_timer, S(interval_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "timeout", kc_h_timer, S(timeout_us), 0, 0, 1, 1, KC_NOBLOCK },
	{ "weight", h_weight, 0, 0, 0, 1, 2, KC_NOBLOCK },
	{ "rise", kc_h_int, S(rise), 1, 1000000, 1, 1, KC_NOBLOCK },
	{ "fall", kc_h_int, S(fall), 1, 1000000, 1, 1, KC_NOBLOCK },
	{ "user", kc_h_user, S(user), 0, 0, 1, 2, KC_NOBLOCK },
	{ "init_fail", kc_h_flag, S(init_fail), 0, 0, 0, 1, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef S

static void free_script(struct xvs_kc_vrrp_script *s)
{
	free(s->name);
	free(s->script);
	free(s->user);
	free(s->group);
}

int kc_parse_vrrp_script(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			 const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_script *s;

	(void)obj;
	(void)kw;
	if (!kc_unique_name(kc, n, kc->vrrp_scripts, kc->n_vrrp_scripts, sizeof(*s),
			 offsetof(struct xvs_kc_vrrp_script, name)))
		return -1;
	s = kc_push(&kc->vrrp_scripts, &kc->n_vrrp_scripts, sizeof(*s));
	if (!s || !(s->name = kc_strdup(n->w[1].text)))
		return -1;
	s->loc = n->loc;
	s->interval_us = 1000000;
	s->timeout_us = KC_UNSET_TIMER;
	s->rise = 1;
	s->fall = 1;
	kc_dispatch(kc, s, n, script_kws, "vrrp_script");
	if (s->timeout_us == KC_UNSET_TIMER)
		s->timeout_us = s->interval_us;
	if (!s->script) {
		kc_err(kc, &n->loc, "vrrp_script '%s' has no 'script': ignored", s->name);
		free_script(s);
		kc->n_vrrp_scripts--;
		return -1;
	}
	return 0;
}

/* ---- vrrp_instance ---- */

static int h_state(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		   const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	if (!strcmp(n->w[1].text, "MASTER")) {
		vi->state = XVS_KC_VRRP_MASTER;
	} else if (!strcmp(n->w[1].text, "BACKUP")) {
		vi->state = XVS_KC_VRRP_BACKUP;
	} else {
		kc_err(kc, &n->loc, "state must be MASTER or BACKUP, not '%s'", n->w[1].text);
		return -1;
	}
	return 0;
}

static int h_auth(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		  const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	for (size_t i = 0; i < n->n_kids; i++) {
		const struct kc_node *e = &n->kids[i];

		if (!e->n)
			continue;
		if (e->n != 2 || e->block) {
			kc_err(kc, &e->loc, "authentication: expected 'auth_type PASS|AH' or "
			       "'auth_pass PASSWORD'");
		} else if (!strcmp(e->w[0].text, "auth_type")) {
			if (!strcmp(e->w[1].text, "PASS"))
				vi->auth_type = XVS_KC_AUTH_PASS;
			else if (!strcmp(e->w[1].text, "AH"))
				vi->auth_type = XVS_KC_AUTH_AH;
			else
				kc_err(kc, &e->loc, "auth_type must be PASS or AH, not '%s'",
				       e->w[1].text);
		} else if (!strcmp(e->w[0].text, "auth_pass")) {
			if (strlen(e->w[1].text) > 8)
				kc_warn(kc, &e->loc, "auth_pass: only the first 8 characters are used");
			memset(vi->auth_pass, 0, sizeof(vi->auth_pass));
			strncpy(vi->auth_pass, e->w[1].text, 8);
		} else {
			kc_warn(kc, &e->loc, "unknown keyword '%s' in authentication, ignored",
				e->w[0].text);
		}
	}
	return 0;
}

static int h_unicast_peer(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			  const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	for (size_t i = 0; i < n->n_kids; i++) {
		const struct kc_node *e = &n->kids[i];
		struct xvs_kc_unicast_peer p = { .max_ttl = 255 };
		struct xvs_kc_unicast_peer *slot;
		long v;
		size_t k;

		if (!e->n || kc_addr(kc, e, e->w[0].text, false, &p.addr))
			continue;
		for (k = 1; k + 1 < e->n; k += 2) {
			bool min = !strcmp(e->w[k].text, "min_ttl");

			if ((!min && strcmp(e->w[k].text, "max_ttl")) ||
			    kc_long(kc, e, e->w[k + 1].text, 0, 255, &v))
				break;
			*(min ? &p.min_ttl : &p.max_ttl) = (int)v;
		}
		if (k < e->n) {
			kc_err(kc, &e->loc, "unicast_peer: expected 'IP [min_ttl N] [max_ttl N]'");
			continue;
		}
		slot = kc_push(&vi->unicast_peer, &vi->n_unicast_peer, sizeof(*slot));
		if (!slot)
			return -1;
		*slot = p;
	}
	return 0;
}

/* One virtual_ipaddress line: IP[/mask] [brd IP] [dev IF] [scope S] [label L] [no_track] */
static int vip_entry(struct xvs_kconf *kc, const struct kc_node *e, struct xvs_kc_vip *v)
{
	v->loc = e->loc;
	if (kc_addr(kc, e, e->w[0].text, true, &v->addr))
		return -1;
	for (size_t k = 1; k < e->n; k++) {
		const char *o = e->w[k].text, *val = k + 1 < e->n ? e->w[k + 1].text : NULL;

		if (!strcmp(o, "no_track")) {
			v->no_track = true;
			continue;
		}
		if (!val) {
			kc_err(kc, &e->loc, "virtual_ipaddress: '%s' needs a value", o);
			return -1;
		}
		k++;
		if (!strcmp(o, "brd") || !strcmp(o, "broadcast")) {
			if (kc_addr(kc, e, val, false, &v->brd))
				return -1;
		} else if (!strcmp(o, "dev")) {
			free(v->dev);
			if (!(v->dev = kc_strdup(val)))
				return -1;
		} else if (!strcmp(o, "label")) {
			free(v->label);
			if (!(v->label = kc_strdup(val)))
				return -1;
		} else if (!strcmp(o, "scope")) {
			if (kc_scope(kc, e, val, &v->scope))
				return -1;
		} else {
			kc_err(kc, &e->loc, "virtual_ipaddress: unknown option '%s'", o);
			return -1;
		}
	}
	return 0;
}

static void free_vip(struct xvs_kc_vip *v)
{
	free(v->dev);
	free(v->label);
}

static int vip_list(struct xvs_kconf *kc, const struct kc_node *n, struct xvs_kc_vip **arr,
		    size_t *count)
{
	for (size_t i = 0; i < n->n_kids; i++) {
		struct xvs_kc_vip v = { 0 }, *slot;

		if (!n->kids[i].n)
			continue;
		if (vip_entry(kc, &n->kids[i], &v)) {
			free_vip(&v);
			continue;
		}
		slot = kc_push(arr, count, sizeof(*slot));
		if (!slot) {
			free_vip(&v);
			return -1;
		}
		*slot = v;
	}
	return 0;
}

static int h_vips(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	return vip_list(kc, n, &vi->vips, &vi->n_vips);
}

static int h_vips_excluded(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			   const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	return vip_list(kc, n, &vi->vips_excluded, &vi->n_vips_excluded);
}

/* One virtual_routes line, see struct xvs_kc_vroute. */
static int vroute_entry(struct xvs_kconf *kc, const struct kc_node *e, struct xvs_kc_vroute *r)
{
	static const struct { const char *name; int type; } types[] = {
		{ "blackhole", 6 }, { "unreachable", 7 }, { "prohibit", 8 }, { "throw", 9 },
	};
	size_t k = 0;
	long v;

	r->loc = e->loc;
	r->scope = -1;
	r->type = 1;	/* RTN_UNICAST */
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		if (!strcmp(e->w[0].text, types[t].name)) {
			r->type = types[t].type;
			k = 1;
		}
	}
	if (k + 1 < e->n && !strcmp(e->w[k].text, "src")) {
		if (kc_addr(kc, e, e->w[k + 1].text, false, &r->src))
			return -1;
		k += 2;
	}
	if (k >= e->n) {
		kc_err(kc, &e->loc, "virtual_routes: no destination");
		return -1;
	}
	if (!strcmp(e->w[k].text, "default")) {
		r->dst.af = XVS_AF_INET;
	} else if (kc_addr(kc, e, e->w[k].text, true, &r->dst)) {
		return -1;
	}
	for (k++; k < e->n; k++) {
		const char *o = e->w[k].text, *val = k + 1 < e->n ? e->w[k + 1].text : NULL;

		if (!strcmp(o, "no_track")) {
			r->no_track = true;
			continue;
		}
		if (!val) {
			kc_err(kc, &e->loc, "virtual_routes: '%s' needs a value", o);
			return -1;
		}
		k++;
		if (!strcmp(o, "via") || !strcmp(o, "gw")) {
			if (kc_addr(kc, e, val, false, &r->via))
				return -1;
		} else if (!strcmp(o, "src")) {
			if (kc_addr(kc, e, val, false, &r->src))
				return -1;
		} else if (!strcmp(o, "dev")) {
			free(r->dev);
			if (!(r->dev = kc_strdup(val)))
				return -1;
		} else if (!strcmp(o, "scope")) {
			if (kc_scope(kc, e, val, &r->scope))
				return -1;
		} else if (!strcmp(o, "table")) {
			if (kc_long(kc, e, val, 0, UINT32_MAX, &v))
				return -1;
			r->table = (uint32_t)v;
		} else if (!strcmp(o, "metric") || !strcmp(o, "preference")) {
			if (kc_long(kc, e, val, 0, UINT32_MAX, &v))
				return -1;
			r->metric = (uint32_t)v;
		} else {
			kc_err(kc, &e->loc, "virtual_routes: unknown option '%s'", o);
			return -1;
		}
	}
	return 0;
}

static int h_vroutes(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		     const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	for (size_t i = 0; i < n->n_kids; i++) {
		struct xvs_kc_vroute r = { 0 }, *slot;

		if (!n->kids[i].n)
			continue;
		if (vroute_entry(kc, &n->kids[i], &r)) {
			free(r.dev);
			continue;
		}
		slot = kc_push(&vi->vroutes, &vi->n_vroutes, sizeof(*slot));
		if (!slot) {
			free(r.dev);
			return -1;
		}
		*slot = r;
	}
	return 0;
}

/* track_script / track_interface: NAME [weight N [reverse]] per line. */
static int track_list(struct xvs_kconf *kc, const struct kc_node *n, struct xvs_kc_track **arr,
		      size_t *count)
{
	for (size_t i = 0; i < n->n_kids; i++) {
		const struct kc_node *e = &n->kids[i];
		struct xvs_kc_track *t;
		long v = 0;

		if (!e->n)
			continue;
		if (e->n == 2 || e->n > 4 || (e->n >= 3 && (strcmp(e->w[1].text, "weight") ||
				kc_long(kc, e, e->w[2].text, -254, 254, &v))) ||
		    (e->n == 4 && strcmp(e->w[3].text, "reverse"))) {
			kc_err(kc, &e->loc, "%s: expected 'NAME [weight N [reverse]]'", n->w[0].text);
			continue;
		}
		t = kc_push(arr, count, sizeof(*t));
		if (!t || !(t->name = kc_strdup(e->w[0].text)))
			return -1;
		t->has_weight = e->n >= 3;
		t->weight = (int)v;
		t->reverse = e->n == 4;
	}
	return 0;
}

static int h_track_script(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			  const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	return track_list(kc, n, &vi->track_script, &vi->n_track_script);
}

static int h_track_interface(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			     const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kw;
	return track_list(kc, n, &vi->track_interface, &vi->n_track_interface);
}

static int h_use_vmac(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		      const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kc;
	(void)kw;
	vi->use_vmac = true;
	if (n->n == 2) {
		free(vi->vmac_name);
		vi->vmac_name = kc_strdup(n->w[1].text);
	}
	return 0;
}

static int h_accept(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		    const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;

	(void)kc;
	(void)kw;
	vi->accept = strcmp(n->w[0].text, "no_accept") != 0;
	return 0;
}

static int h_advert_int(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi = obj;
	uint64_t us;

	(void)kw;
	if (kc_timer(kc, n, n->w[1].text, &us))
		return -1;
	if (us < 10000 || us > 255000000) {
		kc_err(kc, &n->loc, "advert_int must be 0.01..255 seconds");
		return -1;
	}
	vi->advert_int_us = us;
	return 0;
}

#define V(f) offsetof(struct xvs_kc_vrrp_instance, f)
static const struct kc_kw instance_kws[] = {
	{ "state", h_state, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "interface", kc_h_str, V(interface), 0, 0, 1, 1, KC_NOBLOCK },
	{ "virtual_router_id", kc_h_int, V(vrid), 1, 255, 1, 1, KC_NOBLOCK },
	{ "priority", kc_h_int, V(priority), 1, 255, 1, 1, KC_NOBLOCK },
	{ "advert_int", h_advert_int, 0, 0, 0, 1, 1, KC_NOBLOCK },
	{ "version", kc_h_int, V(version), 2, 3, 1, 1, KC_NOBLOCK },
	{ "authentication", h_auth, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "unicast_src_ip", kc_h_addr, V(unicast_src_ip), 0, 0, 1, 1, KC_NOBLOCK },
	{ "mcast_src_ip", kc_h_addr, V(mcast_src_ip), 0, 0, 1, 1, KC_NOBLOCK },
	{ "unicast_peer", h_unicast_peer, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "virtual_ipaddress", h_vips, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "virtual_ipaddress_excluded", h_vips_excluded, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "virtual_routes", h_vroutes, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "track_interface", h_track_interface, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "track_script", h_track_script, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "nopreempt", kc_h_flag, V(nopreempt), 0, 0, 0, 1, KC_NOBLOCK },
	{ "preempt_delay", kc_h_timer, V(preempt_delay_us), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "garp_master_delay", kc_h_int, V(garp_master_delay), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "garp_master_repeat", kc_h_int, V(garp_master_repeat), 1, 1000, 1, 1, KC_NOBLOCK },
	{ "garp_master_refresh", kc_h_int, V(garp_master_refresh), 0, 86400, 1, 1, KC_NOBLOCK },
	{ "garp_master_refresh_repeat", kc_h_int, V(garp_master_refresh_repeat), 1, 1000, 1, 1,
	  KC_NOBLOCK },
	{ "garp_lower_prio_delay", kc_h_int, V(garp_lower_prio_delay), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "garp_lower_prio_repeat", kc_h_int, V(garp_lower_prio_repeat), 0, 1000, 1, 1, KC_NOBLOCK },
	{ "notify_master", kc_h_script, V(notify_master), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_backup", kc_h_script, V(notify_backup), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_fault", kc_h_script, V(notify_fault), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_stop", kc_h_script, V(notify_stop), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify", kc_h_script, V(notify), 0, 0, 1, 3, KC_NOBLOCK },
	{ "smtp_alert", kc_h_flag, V(smtp_alert), 0, 0, 0, 1, KC_NOBLOCK },
	{ "dont_track_primary", kc_h_flag, V(dont_track_primary), 0, 0, 0, 1, KC_NOBLOCK },
	{ "use_vmac", h_use_vmac, 0, 0, 0, 0, 1, KC_NOBLOCK },
	{ "accept", h_accept, 0, 0, 0, 0, 0, KC_NOBLOCK },
	{ "no_accept", h_accept, 0, 0, 0, 0, 0, KC_NOBLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef V

static void free_tracks(struct xvs_kc_track *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

static void free_instance(struct xvs_kc_vrrp_instance *vi)
{
	free(vi->name);
	free(vi->interface);
	free(vi->unicast_peer);
	for (size_t i = 0; i < vi->n_vips; i++)
		free_vip(&vi->vips[i]);
	free(vi->vips);
	for (size_t i = 0; i < vi->n_vips_excluded; i++)
		free_vip(&vi->vips_excluded[i]);
	free(vi->vips_excluded);
	for (size_t i = 0; i < vi->n_vroutes; i++)
		free(vi->vroutes[i].dev);
	free(vi->vroutes);
	free_tracks(vi->track_interface, vi->n_track_interface);
	free_tracks(vi->track_script, vi->n_track_script);
	free(vi->notify_master);
	free(vi->notify_backup);
	free(vi->notify_fault);
	free(vi->notify_stop);
	free(vi->notify);
	free(vi->vmac_name);
	free(vi->sync_group);
}

int kc_parse_vrrp_instance(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			   const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_instance *vi;
	const char *problem = NULL;

	(void)obj;
	(void)kw;
	if (!kc_unique_name(kc, n, kc->vrrp_instances, kc->n_vrrp_instances, sizeof(*vi),
			 offsetof(struct xvs_kc_vrrp_instance, name)))
		return -1;
	vi = kc_push(&kc->vrrp_instances, &kc->n_vrrp_instances, sizeof(*vi));
	if (!vi || !(vi->name = kc_strdup(n->w[1].text)))
		return -1;
	vi->loc = n->loc;
	vi->priority = 100;
	vi->advert_int_us = 1000000;
	vi->accept = -1;
	vi->garp_master_delay = vi->garp_master_repeat = vi->garp_master_refresh = -1;
	vi->garp_master_refresh_repeat = vi->garp_lower_prio_delay = -1;
	vi->garp_lower_prio_repeat = -1;
	kc_dispatch(kc, vi, n, instance_kws, "vrrp_instance");
	if (!vi->interface)
		problem = "has no interface";
	else if (!vi->vrid)
		problem = "has no virtual_router_id";
	if (problem) {
		kc_err(kc, &n->loc, "vrrp_instance '%s' %s: ignored", vi->name, problem);
		free_instance(vi);
		kc->n_vrrp_instances--;
		return -1;
	}
	if (vi->nopreempt && vi->state != XVS_KC_VRRP_BACKUP)
		kc_warn(kc, &n->loc, "vrrp_instance '%s': nopreempt needs the initial state "
			"BACKUP", vi->name);
	if (!vi->n_vips)
		kc_warn(kc, &n->loc, "vrrp_instance '%s' has no virtual_ipaddress", vi->name);
	return 0;
}

/* ---- vrrp_sync_group ---- */

static int h_group(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
		   const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_sync_group *sg = obj;

	(void)kc;
	(void)kw;
	for (size_t i = 0; i < n->n_kids; i++) {
		for (size_t k = 0; k < n->kids[i].n; k++) {
			char **slot = kc_push(&sg->members, &sg->n_members, sizeof(*slot));

			if (!slot || !(*slot = kc_strdup(n->kids[i].w[k].text)))
				return -1;
		}
	}
	return 0;
}

static int h_sg_track_script(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			     const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_sync_group *sg = obj;

	(void)kw;
	return track_list(kc, n, &sg->track_script, &sg->n_track_script);
}

#define SG(f) offsetof(struct xvs_kc_vrrp_sync_group, f)
static const struct kc_kw sync_group_kws[] = {
	{ "group", h_group, 0, 0, 0, 0, 0, KC_BLOCK },
	{ "notify_master", kc_h_script, SG(notify_master), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_backup", kc_h_script, SG(notify_backup), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_fault", kc_h_script, SG(notify_fault), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify_stop", kc_h_script, SG(notify_stop), 0, 0, 1, 3, KC_NOBLOCK },
	{ "notify", kc_h_script, SG(notify), 0, 0, 1, 3, KC_NOBLOCK },
	{ "smtp_alert", kc_h_flag, SG(smtp_alert), 0, 0, 0, 1, KC_NOBLOCK },
	{ "track_script", h_sg_track_script, 0, 0, 0, 0, 0, KC_BLOCK },
	{ NULL, NULL, 0, 0, 0, 0, 0, KC_NOBLOCK },
};
#undef SG

static void free_sync_group(struct xvs_kc_vrrp_sync_group *sg)
{
	free(sg->name);
	for (size_t i = 0; i < sg->n_members; i++)
		free(sg->members[i]);
	free(sg->members);
	free(sg->notify_master);
	free(sg->notify_backup);
	free(sg->notify_fault);
	free(sg->notify_stop);
	free(sg->notify);
	free_tracks(sg->track_script, sg->n_track_script);
}

int kc_parse_vrrp_sync_group(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			     const struct kc_kw *kw)
{
	struct xvs_kc_vrrp_sync_group *sg;

	(void)obj;
	(void)kw;
	if (!kc_unique_name(kc, n, kc->vrrp_sync_groups, kc->n_vrrp_sync_groups, sizeof(*sg),
			 offsetof(struct xvs_kc_vrrp_sync_group, name)))
		return -1;
	sg = kc_push(&kc->vrrp_sync_groups, &kc->n_vrrp_sync_groups, sizeof(*sg));
	if (!sg || !(sg->name = kc_strdup(n->w[1].text)))
		return -1;
	sg->loc = n->loc;
	kc_dispatch(kc, sg, n, sync_group_kws, "vrrp_sync_group");
	return 0;
}

/* ---- after the whole file ---- */

/* Drop track_script entries naming no vrrp_script, as keepalived does. */
static void resolve_tracks(struct xvs_kconf *kc, const struct xvs_kc_loc *loc,
			   struct xvs_kc_track *t, size_t *n)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++) {
		if (xvs_kconf_find_script(kc, t[i].name)) {
			t[kept++] = t[i];
			continue;
		}
		kc_warn(kc, loc, "track_script '%s' names no vrrp_script: ignored", t[i].name);
		free(t[i].name);
	}
	*n = kept;
}

static void inherit(int *v, int global)
{
	if (*v < 0)
		*v = global;
}

void kc_resolve_vrrp(struct xvs_kconf *kc)
{
	const struct xvs_kc_global *g = &kc->global;

	for (size_t i = 0; i < kc->n_vrrp_scripts; i++)
		kc_check_script(kc, &kc->vrrp_scripts[i].loc, kc->vrrp_scripts[i].script);
	for (size_t i = 0; i < kc->n_vrrp_instances; i++) {
		struct xvs_kc_vrrp_instance *vi = &kc->vrrp_instances[i];
		const char *notifies[] = { vi->notify_master, vi->notify_backup, vi->notify_fault,
					   vi->notify_stop, vi->notify };

		if (!vi->version)
			vi->version = g->vrrp_version;
		if (vi->version == 2 && vi->advert_int_us % 1000000) {
			kc_warn(kc, &vi->loc, "vrrp_instance '%s': VRRPv2 advert_int is rounded "
				"to whole seconds", vi->name);
			vi->advert_int_us = (vi->advert_int_us + 500000) / 1000000 * 1000000;
			if (!vi->advert_int_us)
				vi->advert_int_us = 1000000;
		}
		inherit(&vi->garp_master_delay, g->vrrp_garp_master_delay);
		inherit(&vi->garp_master_repeat, g->vrrp_garp_master_repeat);
		inherit(&vi->garp_master_refresh, g->vrrp_garp_master_refresh);
		inherit(&vi->garp_master_refresh_repeat, g->vrrp_garp_master_refresh_repeat);
		inherit(&vi->garp_lower_prio_delay, g->vrrp_garp_lower_prio_delay);
		inherit(&vi->garp_lower_prio_repeat, g->vrrp_garp_lower_prio_repeat);
		resolve_tracks(kc, &vi->loc, vi->track_script, &vi->n_track_script);
		for (size_t k = 0; k < sizeof(notifies) / sizeof(notifies[0]); k++)
			if (notifies[k])
				kc_check_script(kc, &vi->loc, notifies[k]);
	}
	for (size_t i = 0; i < kc->n_vrrp_sync_groups; i++) {
		struct xvs_kc_vrrp_sync_group *sg = &kc->vrrp_sync_groups[i];

		resolve_tracks(kc, &sg->loc, sg->track_script, &sg->n_track_script);
		for (size_t k = 0; k < sg->n_members; k++) {
			struct xvs_kc_vrrp_instance *vi =
				(struct xvs_kc_vrrp_instance *)xvs_kconf_find_instance(kc,
										sg->members[k]);

			if (!vi) {
				kc_err(kc, &sg->loc, "vrrp_sync_group '%s': no vrrp_instance '%s'",
				       sg->name, sg->members[k]);
			} else if (vi->sync_group) {
				kc_err(kc, &sg->loc, "vrrp_instance '%s' is already in "
				       "vrrp_sync_group '%s'", vi->name, vi->sync_group);
			} else if (!(vi->sync_group = kc_strdup(sg->name))) {
				return;
			}
		}
	}
}

void kc_free_vrrp(struct xvs_kconf *kc)
{
	for (size_t i = 0; i < kc->n_vrrp_scripts; i++)
		free_script(&kc->vrrp_scripts[i]);
	free(kc->vrrp_scripts);
	for (size_t i = 0; i < kc->n_vrrp_instances; i++)
		free_instance(&kc->vrrp_instances[i]);
	free(kc->vrrp_instances);
	for (size_t i = 0; i < kc->n_vrrp_sync_groups; i++)
		free_sync_group(&kc->vrrp_sync_groups[i]);
	free(kc->vrrp_sync_groups);
}
