// SPDX-License-Identifier: GPL-2.0
/* vs_apply.c - keepalived.conf servers -> the IPVS model, see vs_apply.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "laddr.h"
#include "log.h"
#include "vs_apply.h"

/* The service flags a config sets; others (set by xvsd) are kept. */
#define CONFIG_SVC_FLAGS (XVS_SVC_F_PERSISTENT | XVS_SVC_F_ONEPACKET | XVS_SVC_F_SCHED1 | \
			  XVS_SVC_F_SCHED2 | XVS_SVC_F_SCHED3)

typedef void (*key_fn)(void *arg, const struct xvs_kc_vs *vs, const struct xvs_svc_key *key);

/*
 * Call fn for each service key vs stands for: its address and port, its
 * fwmark, or every entry of its group (address ranges expanded).
 */
static void for_each_key(const struct xvs_kc_vs *vs, key_fn fn, void *arg)
{
	struct xvs_svc_key key = { .af = vs->af };

	if (vs->kind == XVS_KC_VS_ADDR) {
		key.addr = vs->addr.addr;
		key.port = htons(vs->port);
		key.proto = vs->proto;
		fn(arg, vs, &key);
		return;
	}
	if (vs->kind == XVS_KC_VS_FWMARK) {
		key.fwmark = vs->fwmark;
		fn(arg, vs, &key);
		return;
	}
	for (size_t i = 0; vs->group && i < vs->group->n_entries; i++) {
		const struct xvs_kc_vsg_entry *e = &vs->group->entries[i];
		unsigned int last_byte, last;

		memset(&key, 0, sizeof(key));
		if (e->is_fwmark) {
			key.af = e->addr.af;
			key.fwmark = e->fwmark;
			fn(arg, vs, &key);
			continue;
		}
		key.af = e->addr.af;
		key.addr = e->addr.addr;
		key.port = htons(e->port ? e->port : vs->port);
		key.proto = vs->proto;
		last_byte = e->addr.af == XVS_AF_INET ? 3 : 15;
		last = e->range_last ? e->range_last : key.addr.bytes[last_byte];
		for (unsigned int b = key.addr.bytes[last_byte]; b <= last; b++) {
			key.addr.bytes[last_byte] = (uint8_t)b;
			fn(arg, vs, &key);
		}
	}
}

static bool same_key(const struct xvs_svc_key *a, const struct xvs_svc_key *b)
{
	return a->af == b->af && a->proto == b->proto && a->port == b->port &&
	       a->fwmark == b->fwmark && !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static const char *key_str(const struct xvs_svc_key *k, char *buf, size_t len)
{
	if (k->fwmark)
		snprintf(buf, len, "fwmark %u", k->fwmark);
	else
		xvs_addr_port_fmt(k->af, &k->addr, k->port, buf, len);
	return buf;
}

struct key_search {
	const struct xvs_svc_key *key;
	bool found;
};

static void key_match(void *arg, const struct xvs_kc_vs *vs, const struct xvs_svc_key *key)
{
	struct key_search *ks = arg;

	(void)vs;
	ks->found |= same_key(ks->key, key);
}

static bool config_has_key(const struct xvs_kconf *kc, const struct xvs_svc_key *key)
{
	struct key_search ks = { .key = key };

	for (size_t i = 0; kc && i < kc->n_vs && !ks.found; i++)
		for_each_key(&kc->vs[i], key_match, &ks);
	return ks.found;
}

struct apply_ctx {
	struct xvs_model *m;
	const struct xvs_kconf *kc;	/* the config being applied */
	int errors;
};

static void del_stale_service(void *arg, const struct xvs_kc_vs *vs, const struct xvs_svc_key *key)
{
	struct apply_ctx *ax = arg;
	char k[XVS_ADDRPORT_STRLEN + 16];
	int err;

	if (config_has_key(ax->kc, key))
		return;
	err = xvs_model_del_service(ax->m, key);
	if (err && err != -ESRCH)
		xvs_log_err("%s:%d: virtual server %s: cannot delete: %s", vs->loc.file,
			    vs->loc.line, key_str(key, k, sizeof(k)), strerror(-err));
	else if (!err)
		xvs_log_info("virtual server %s removed", key_str(key, k, sizeof(k)));
}

static bool rs_in_vs(const struct xvs_kc_vs *vs, const struct xvs_dest *d)
{
	for (size_t i = 0; i < vs->n_rs + vs->has_sorry; i++) {
		const struct xvs_kc_rs *rs = i < vs->n_rs ? &vs->rs[i] : &vs->sorry;

		if (rs->addr.af == d->af && htons(rs->port) == d->port &&
		    !memcmp(&rs->addr.addr, &d->addr, sizeof(d->addr)))
			return true;
	}
	return false;
}

/* Remove the dests of service key that vs no longer lists. */
static void del_stale_dests(struct apply_ctx *ax, const struct xvs_kc_vs *vs,
			    const struct xvs_svc_key *key)
{
	struct xvs_model_svc *s = xvs_model_find_svc(ax->m, key);

	for (uint32_t i = 0; s && i < s->dests.n_dests;) {
		const struct xvs_dest *d = &ax->m->dests[s->dests.ids[i]].d;
		struct xvs_ctl_dest c = { .svc = *key, .addr = d->addr, .port = d->port,
					  .af = d->af };

		if (rs_in_vs(vs, d) || xvs_model_del_dest(ax->m, &c))
			i++;	/* deleting shifts the list: stay on i otherwise */
	}
}

/*
 * A FULLNAT virtual server's local addresses: its local_address_group,
 * ranges in the last octet expanded. TOA is switched on with the pool, as
 * on the LVS-FULLNAT directors these configs come from, where every
 * FULLNAT connection carries the client address to the real server. The
 * pool is rewritten only when it differs, so a reload that keeps it leaves
 * it alone. Returns 0 or -errno.
 */
static int apply_laddrs(struct apply_ctx *ax, const struct xvs_kc_vs *vs,
			const struct xvs_svc_key *key)
{
	const struct xvs_kc_laddr_group *g = vs->laddr_group;
	union xvs_addr want[XVS_SVC_MAX_LADDRS];
	struct xvs_laddrs have;
	unsigned int n = 0;
	int err;

	if (!g || vs->fwd != XVS_FWD_FULLNAT)
		return 0;
	for (size_t i = 0; i < g->n_entries; i++) {
		const struct xvs_kc_laddr *e = &g->entries[i];
		unsigned int last_byte = e->addr.af == XVS_AF_INET ? 3 : 15;
		unsigned int first = e->addr.addr.bytes[last_byte];
		unsigned int last = e->range_last ? e->range_last : first;

		for (unsigned int b = first; b <= last; b++) {
			if (n == XVS_SVC_MAX_LADDRS)
				return -E2BIG;
			want[n] = e->addr.addr;
			want[n++].bytes[last_byte] = (uint8_t)b;
		}
	}
	err = xvs_model_get_laddrs(ax->m, key, &have);
	if (err)
		return err;
	if (have.n != n || memcmp(have.addrs, want, n * sizeof(want[0]))) {
		err = xvs_model_set_laddrs(ax->m, key, want, n);
		if (err)
			return err;
	}
	return xvs_model_set_toa(ax->m, key, true);
}

static void apply_service(void *arg, const struct xvs_kc_vs *vs, const struct xvs_svc_key *key)
{
	struct apply_ctx *ax = arg;
	struct xvs_ctl_service want = {
		.key = *key,
		.sched = vs->sched,
		.flags = (vs->persistent ? XVS_SVC_F_PERSISTENT : 0) |
			 (vs->ops ? XVS_SVC_F_ONEPACKET : 0) | vs->sched_flags,
		.timeout = vs->persistent ? vs->persistence_timeout : 0,
		.pmask_len = vs->persistence_prefix,
	};
	struct xvs_model_svc *have = xvs_model_find_svc(ax->m, key);
	char k[XVS_ADDRPORT_STRLEN + 16];
	int err = 0;

	if (!have) {
		err = xvs_model_add_service(ax->m, &want);
		if (!err)
			xvs_log_info("virtual server %s added", key_str(key, k, sizeof(k)));
	} else if (have->svc.sched != want.sched ||
		   (have->svc.flags & CONFIG_SVC_FLAGS) != want.flags ||
		   have->svc.timeout != want.timeout || have->svc.pmask_len != want.pmask_len) {
		want.flags |= have->svc.flags & ~CONFIG_SVC_FLAGS;
		err = xvs_model_edit_service(ax->m, &want);
	}
	if (err) {
		xvs_log_err("%s:%d: virtual server %s: %s", vs->loc.file, vs->loc.line,
			    key_str(key, k, sizeof(k)),
			    err == -EOPNOTSUPP ? "not supported by the data plane" : strerror(-err));
		ax->errors++;
		return;
	}
	err = apply_laddrs(ax, vs, key);
	if (err) {
		xvs_log_err("%s:%d: virtual server %s: local_address_group %s: %s",
			    vs->loc.file, vs->loc.line, key_str(key, k, sizeof(k)),
			    vs->laddr_group->name,
			    err == -E2BIG ? "more than 16 local addresses" : strerror(-err));
		ax->errors++;
	}
	del_stale_dests(ax, vs, key);
}

int xvs_vs_apply_services(struct xvs_model *m, const struct xvs_kconf *old,
			  const struct xvs_kconf *kc)
{
	struct apply_ctx ax = { .m = m, .kc = kc };

	for (size_t i = 0; old && i < old->n_vs; i++)
		for_each_key(&old->vs[i], del_stale_service, &ax);
	for (size_t i = 0; i < kc->n_vs; i++)
		for_each_key(&kc->vs[i], apply_service, &ax);
	return ax.errors ? -EINVAL : 0;
}

struct dest_verdict {
	struct xvs_model *m;
	const struct xvs_kc_rs *rs;
	bool present;
	int weight;
};

/* The dest of service s at rs's address and port, or NULL. */
static const struct xvs_dest *find_dest(struct xvs_model *m, const struct xvs_model_svc *s,
					const struct xvs_ctl_dest *c)
{
	for (uint32_t i = 0; i < s->dests.n_dests; i++) {
		const struct xvs_dest *d = &m->dests[s->dests.ids[i]].d;

		if (d->af == c->af && d->port == c->port && !memcmp(&d->addr, &c->addr, sizeof(c->addr)))
			return d;
	}
	return NULL;
}

static void set_dest_in(void *arg, const struct xvs_kc_vs *vs, const struct xvs_svc_key *key)
{
	const struct dest_verdict *v = arg;
	const struct xvs_kc_rs *rs = v->rs;
	struct xvs_ctl_dest c = {
		.svc = *key, .addr = rs->addr.addr, .port = htons(rs->port), .af = rs->addr.af,
		.fwd = rs->fwd, .weight = v->weight, .u_threshold = rs->u_threshold,
		.l_threshold = rs->l_threshold,
	};
	struct xvs_model_svc *s = xvs_model_find_svc(v->m, key);
	char a[XVS_ADDRPORT_STRLEN], k[XVS_ADDRPORT_STRLEN + 16];
	const struct xvs_dest *d;
	int err = 0;

	if (!s)
		return;	/* its service failed to apply, already reported */
	d = find_dest(v->m, s, &c);
	if (!v->present) {
		if (d)
			err = xvs_model_del_dest(v->m, &c);
	} else if (!d) {
		err = xvs_model_add_dest(v->m, &c);
	} else if (d->weight != c.weight || d->u_threshold != c.u_threshold ||
		   d->l_threshold != c.l_threshold ||
		   (d->fwd != c.fwd && d->fwd != XVS_FWD_LOCAL)) {
		err = xvs_model_edit_dest(v->m, &c);
	}
	if (err)
		xvs_log_err("%s:%d: real server %s of %s: %s", rs->loc.file, rs->loc.line,
			    xvs_addr_port_fmt(c.af, &c.addr, c.port, a, sizeof(a)),
			    key_str(key, k, sizeof(k)),
			    err == -EOPNOTSUPP ? "forwarding method not supported by the data plane"
					       : strerror(-err));
	(void)vs;
}

void xvs_vs_apply_set_dest(void *ctx, const struct xvs_kc_vs *vs, const struct xvs_kc_rs *rs,
			   bool present, int weight)
{
	struct dest_verdict v = { .m = ctx, .rs = rs, .present = present, .weight = weight };

	for_each_key(vs, set_dest_in, &v);
}

void xvs_vs_apply_all_up(struct xvs_model *m, const struct xvs_kconf *kc)
{
	for (size_t i = 0; i < kc->n_vs; i++) {
		const struct xvs_kc_vs *vs = &kc->vs[i];
		uint64_t live = 0;

		for (size_t k = 0; k < vs->n_rs; k++) {
			live += (uint64_t)vs->rs[k].weight;
			xvs_vs_apply_set_dest(m, vs, &vs->rs[k], true, vs->rs[k].weight);
		}
		if (vs->has_sorry)
			xvs_vs_apply_set_dest(m, vs, &vs->sorry, live < vs->quorum, vs->sorry.weight);
	}
}
