// SPDX-License-Identifier: GPL-2.0
/* housekeeping.c - connection expiry and counter upkeep, see housekeeping.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "housekeeping.h"
#include "log.h"
#include "nat_out.h"
#include "overload.h"
#include "tpl_control.h"

/* Entries fetched per batch syscall. */
#define HK_BATCH 4096

uint64_t xvs_hk_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool conn_expired(const struct xvs_conn *c, uint64_t now)
{
	return now > c->last_seen_ns &&
	       now - c->last_seen_ns > (uint64_t)c->timeout * 1000000000ull;
}

/* Visit every entry of the connection table with fn; batched. */
typedef void (*conn_fn)(const struct xvs_conn_key *k, const struct xvs_conn *c, void *arg);

static int for_each_conn(int fd, conn_fn fn, void *arg)
{
	struct xvs_conn_key *keys = calloc(HK_BATCH, sizeof(*keys));
	struct xvs_conn *vals = calloc(HK_BATCH, sizeof(*vals));
	struct xvs_conn_key in, out;
	bool first = true;
	int err = 0;

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);
		__u32 n = HK_BATCH;
		int ret = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys, vals,
					       &n, &opts);

		if (ret && errno != ENOENT) {
			err = -errno;
			break;
		}
		for (__u32 i = 0; i < n; i++)
			fn(&keys[i], &vals[i], arg);
		if (ret)	/* ENOENT: that was the last batch */
			break;
		in = out;
		first = false;
	}
out:
	free(keys);
	free(vals);
	return err;
}

/* Counts gathered by one scan. */
struct scan {
	struct xvs_model *m;
	uint64_t now;
	int32_t *active, *inactive;	/* by dest id */
	int32_t *persist;		/* templates, by dest id */
	struct xvs_tpl_control ctl;	/* templates with live connections */
	long live;
	struct xvs_conn_key *expired;
	size_t n_expired, cap_expired;
};

/* Count an entry against its dest: the counters still hold it. */
static void count_entry(struct scan *s, const struct xvs_conn *c)
{
	if (c->dest_id >= s->m->dp->max_dests)
		return;
	if (c->flags & XVS_CONN_F_TEMPLATE)
		s->persist[c->dest_id]++;
	else if (c->flags & XVS_CONN_F_INACTIVE)
		s->inactive[c->dest_id]++;
	else
		s->active[c->dest_id]++;
}

/* Remember an expired entry for deletion after the recount. */
static void note_expired(struct scan *s, const struct xvs_conn_key *k)
{
	if (s->n_expired == s->cap_expired) {
		size_t cap = s->cap_expired ? s->cap_expired * 2 : 1024;
		void *p = realloc(s->expired, cap * sizeof(*s->expired));

		if (!p)
			return;	/* the next scan gets it */
		s->expired = p;
		s->cap_expired = cap;
	}
	s->expired[s->n_expired++] = *k;
}

static void scan_one(const struct xvs_conn_key *k, const struct xvs_conn *c, void *arg)
{
	struct scan *s = arg;

	/* A NAT/FULLNAT reply entry: not a connection of its own. */
	if (k->kind == XVS_CONN_KIND_OUT) {
		if (xvs_nat_out_stale(s->m->dp->conn_fd, k, c, s->now))
			note_expired(s, k);
		return;
	}
	count_entry(s, c);
	if (conn_expired(c, s->now)) {
		note_expired(s, k);
		return;
	}
	s->live++;
	xvs_tpl_control_note(&s->ctl, k, c);
	if (c->dest_id < s->m->dp->max_dests)
		s->m->dests[c->dest_id].conn_refs++;
	if (c->svc_id < s->m->dp->max_svcs)
		s->m->svcs[c->svc_id].conn_refs++;
}

/*
 * Delete one expired entry, unless a packet refreshed it since the scan
 * read it, and release its count. Lookup-then-delete can still race with
 * a packet; the recount below repairs what that costs. Returns whether
 * it deleted the entry.
 */
static bool expire_one(struct xvs_model *m, const struct xvs_conn_key *k, uint64_t now)
{
	struct xvs_conn c;
	struct xvs_dest_conns *cnt;

	if (bpf_map_lookup_elem(m->dp->conn_fd, k, &c))
		return false;
	if (k->kind == XVS_CONN_KIND_OUT)	/* no count to release */
		return xvs_nat_out_stale(m->dp->conn_fd, k, &c, now) &&
		       bpf_map_delete_elem(m->dp->conn_fd, k) == 0;
	if (!conn_expired(&c, now))
		return false;
	if (bpf_map_delete_elem(m->dp->conn_fd, k))
		return false;
	if (c.dest_id >= m->dp->max_dests)
		return true;
	cnt = &m->dp->dest_conns[c.dest_id];
	if (c.flags & XVS_CONN_F_TEMPLATE)
		__atomic_fetch_sub(&cnt->persist, 1, __ATOMIC_RELAXED);
	else if (c.flags & XVS_CONN_F_INACTIVE)
		__atomic_fetch_sub(&cnt->inactive, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_sub(&cnt->active, 1, __ATOMIC_RELAXED);
	return true;
}

/*
 * Make a dest's counters match the scan. Only when they did not move
 * while the scan ran (before == after): then the table and the counters
 * describe the same moment, and any difference is drift, such as entries
 * the LRU evicted without telling anyone. Returns how many entries the
 * counters held that the table no longer has: the evicted ones.
 */
static uint64_t correct_counts(struct xvs_dest_conns *cnt, const struct xvs_dest_conns *before,
			       int32_t active, int32_t inactive)
{
	struct xvs_dest_conns after = *cnt;
	int64_t missing = (int64_t)after.active + after.inactive - active - inactive;

	if (after.active != before->active || after.inactive != before->inactive)
		return 0;
	if (active != after.active)
		__atomic_fetch_add(&cnt->active, active - after.active, __ATOMIC_RELAXED);
	if (inactive != after.inactive)
		__atomic_fetch_add(&cnt->inactive, inactive - after.inactive, __ATOMIC_RELAXED);
	return missing > 0 ? (uint64_t)missing : 0;
}

/* The same for PersistConn: templates the LRU evicted leave it too high. */
static void correct_persist(struct xvs_dest_conns *cnt, const struct xvs_dest_conns *before,
			    int32_t persist)
{
	int32_t after = __atomic_load_n(&cnt->persist, __ATOMIC_RELAXED);

	if (after == before->persist && after != persist)
		__atomic_fetch_add(&cnt->persist, persist - after, __ATOMIC_RELAXED);
}

/*
 * IPVS never expires a template that still controls connections:
 * ip_vs_conn_expire re-arms its timer for another full timeout. Take
 * such templates off the expiry list and restart their timeout. A packet
 * that refreshes the template between the lookup and the update loses
 * nothing but that refresh, which this one replaces.
 */
static void keep_controlling_templates(struct scan *s)
{
	int fd = s->m->dp->conn_fd;
	size_t kept = 0;

	for (size_t i = 0; i < s->n_expired; i++) {
		const struct xvs_conn_key *k = &s->expired[i];
		struct xvs_conn c;

		if (k->kind != XVS_CONN_KIND_TEMPLATE || !xvs_tpl_controls(&s->ctl, k)) {
			s->expired[kept++] = *k;
			continue;
		}
		if (bpf_map_lookup_elem(fd, k, &c) == 0 && conn_expired(&c, s->now)) {
			c.last_seen_ns = s->now;
			bpf_map_update_elem(fd, k, &c, BPF_EXIST);
		}
	}
	s->n_expired = kept;
}

/*
 * Clear OVERLOAD where the counts fell far enough, by IPVS's rule for a
 * connection that unbinds (xvs_overload_clear). Runs after expiry and the
 * recount, so both expired and evicted entries have been released. The
 * data plane may set the flag again between the read and the store; that
 * set is lost, but it sets it on every new connection at or above the
 * upper threshold, so the next one restores it.
 */
static void clear_overloads(struct xvs_model *m)
{
	for (uint32_t id = 1; id < m->dp->max_dests; id++) {
		const struct xvs_dest *d = &m->dests[id].d;
		struct xvs_dest_conns *cnt = &m->dp->dest_conns[id];
		int64_t total;

		if (!(d->flags & XVS_DEST_F_VALID) ||
		    !__atomic_load_n(&cnt->overload, __ATOMIC_RELAXED))
			continue;
		total = (int64_t)__atomic_load_n(&cnt->active, __ATOMIC_RELAXED) +
			__atomic_load_n(&cnt->inactive, __ATOMIC_RELAXED);
		if (xvs_overload_clear(total, d->u_threshold, d->l_threshold))
			__atomic_store_n(&cnt->overload, 0, __ATOMIC_RELAXED);
	}
}

long xvs_hk_scan(struct xvs_model *m, uint64_t now_ns, struct xvs_hk_totals *tot)
{
	struct scan s = { .m = m, .now = now_ns };
	uint64_t expired = 0, evicted = 0;
	struct xvs_dest_conns *before = calloc(m->dp->max_dests, sizeof(*before));
	long ret;
	int err;

	s.active = calloc(m->dp->max_dests, sizeof(*s.active));
	s.inactive = calloc(m->dp->max_dests, sizeof(*s.inactive));
	s.persist = calloc(m->dp->max_dests, sizeof(*s.persist));
	if (!before || !s.active || !s.inactive || !s.persist) {
		ret = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < m->dp->max_svcs; i++)
		m->svcs[i].conn_refs = 0;
	for (uint32_t id = 0; id < m->dp->max_dests; id++)
		m->dests[id].conn_refs = 0;
	memcpy(before, m->dp->dest_conns, m->dp->max_dests * sizeof(*before));

	err = for_each_conn(m->dp->conn_fd, scan_one, &s);
	if (err) {
		ret = err;
		goto out;
	}
	for (uint32_t id = 1; id < m->dp->max_dests; id++)
		if (m->dests[id].d.flags & XVS_DEST_F_VALID)
			evicted += correct_counts(&m->dp->dest_conns[id], &before[id],
						  s.active[id], s.inactive[id]);
	for (uint32_t id = 1; id < m->dp->max_dests; id++)
		if (m->dests[id].d.flags & XVS_DEST_F_VALID)
			correct_persist(&m->dp->dest_conns[id], &before[id], s.persist[id]);
	keep_controlling_templates(&s);
	/* Expire after the recount, which counted the expired entries in,
	 * as the counters do until expire_one() releases them. */
	for (size_t i = 0; i < s.n_expired; i++)
		expired += expire_one(m, &s.expired[i], now_ns);
	clear_overloads(m);
	if (tot) {
		tot->expired += expired;
		tot->evicted += evicted;
		tot->live = s.live;
	}
	ret = s.live;
out:
	free(s.expired);
	free(s.active);
	free(s.inactive);
	free(s.persist);
	xvs_tpl_control_reset(&s.ctl);
	free(before);
	return ret;
}

/* Gathering a GET_CONNS reply. */
struct conn_list {
	struct xvs_model *m;
	uint64_t now;
	struct xvs_ctl_conn *v;
	size_t n, cap;
};

static void list_one(const struct xvs_conn_key *k, const struct xvs_conn *c, void *arg)
{
	struct conn_list *l = arg;
	const struct xvs_dest *d;
	struct xvs_ctl_conn *o;
	uint64_t age, ttl;

	/* Expired entries are listed (expire 00:00) until housekeeping
	 * removes them, as IPVS lists a connection until its timer runs. */
	if ((k->kind != XVS_CONN_KIND_IN && k->kind != XVS_CONN_KIND_TEMPLATE) ||
	    c->dest_id >= l->m->dp->max_dests)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		void *p = realloc(l->v, cap * sizeof(*l->v));

		if (!p)
			return;
		l->v = p;
		l->cap = cap;
	}
	d = &l->m->dests[c->dest_id].d;
	o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->caddr = k->saddr;
	o->vaddr = k->daddr;
	o->cport = k->sport;
	o->vport = k->dport;
	o->daddr = d->addr;
	/* IPVS's dport: a template's is its dest's port, 0 for a port-0
	 * service's; a port-0 dest takes the client's destination port. */
	if (k->kind == XVS_CONN_KIND_TEMPLATE)
		o->dport = k->dport ? d->port : 0;
	else
		o->dport = d->port ? d->port : k->dport;
	o->proto = k->proto;
	o->af = k->af;
	o->state = c->state;
	o->flags = c->flags;
	o->fwd = c->fwd;
	age = l->now > c->last_seen_ns ? l->now - c->last_seen_ns : 0;
	ttl = (uint64_t)c->timeout * 1000000000ull;
	o->expire_ms = (uint32_t)((ttl > age ? ttl - age : 0) / 1000000ull);
}

int xvs_hk_list_conns(struct xvs_model *m, uint64_t now_ns, void **buf, uint32_t *len)
{
	struct conn_list l = { .m = m, .now = now_ns };
	struct xvs_ctl_list *hdr;
	size_t size;
	int err = for_each_conn(m->dp->conn_fd, list_one, &l);

	if (err) {
		free(l.v);
		return err;
	}
	size = sizeof(*hdr) + l.n * sizeof(*l.v);
	if (size > XVS_CTL_MAX_REPLY) {
		free(l.v);
		return -EMSGSIZE;
	}
	hdr = malloc(size);
	if (!hdr) {
		free(l.v);
		return -ENOMEM;
	}
	hdr->count = (uint32_t)l.n;
	hdr->pad0 = 0;
	if (l.n)
		memcpy(hdr + 1, l.v, l.n * sizeof(*l.v));
	free(l.v);
	*buf = hdr;
	*len = (uint32_t)size;
	return 0;
}
