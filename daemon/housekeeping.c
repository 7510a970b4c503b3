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

/*
 * Tables up to this many entries are walked whole every tick; a bigger
 * one a quarter of its size per tick (docs/datapath.md, Housekeeping).
 */
#define HK_FULL_WALK_ENTRIES (1u << 17)

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

/* Visit table entries with fn; batched. */
typedef void (*conn_fn)(const struct xvs_conn_key *k, const struct xvs_conn *c, void *arg);

/* Where a walk stands: the batch token is a bucket position. */
struct walk_cursor {
	struct xvs_conn_key token;
	bool started;		/* false: at the table's start */
};

/*
 * Visit entries from *cur on, until at least budget were visited (a
 * batch may carry it past by up to HK_BATCH - 1) or the table ends. The
 * kernel's token survives deletions, so a later call resumes where this
 * one stopped. Adds the entries visited to *visited. Returns 1 at the
 * table's end (*cur is back at its start), 0 when the budget ran out,
 * or -errno.
 */
static int walk_conns(int fd, struct walk_cursor *cur, uint64_t budget, conn_fn fn, void *arg,
		      uint64_t *visited)
{
	struct xvs_conn_key *keys = calloc(HK_BATCH, sizeof(*keys));
	struct xvs_conn *vals = calloc(HK_BATCH, sizeof(*vals));
	uint64_t done = 0;
	int ret = 0;

	if (!keys || !vals) {
		ret = -ENOMEM;
		goto out;
	}
	while (done < budget) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);
		struct xvs_conn_key out;
		__u32 n = HK_BATCH;
		int err = bpf_map_lookup_batch(fd, cur->started ? &cur->token : NULL, &out,
					       keys, vals, &n, &opts);

		if (err && errno != ENOENT) {
			ret = -errno;
			break;
		}
		for (__u32 i = 0; i < n; i++)
			fn(&keys[i], &vals[i], arg);
		done += n;
		if (err) {	/* ENOENT: that was the last batch */
			cur->started = false;
			ret = 1;
			break;
		}
		cur->token = out;
		cur->started = true;
	}
	*visited += done;
out:
	free(keys);
	free(vals);
	return ret;
}

/* Visit every entry of the connection table with fn. */
static int for_each_conn(int fd, conn_fn fn, void *arg)
{
	struct walk_cursor cur = { .started = false };
	uint64_t visited = 0;
	int ret = walk_conns(fd, &cur, UINT64_MAX, fn, arg, &visited);

	return ret < 0 ? ret : 0;
}

/*
 * One pass over the whole table, spread over ticks. Everything that needs
 * the whole table (recount, references, controlling templates) is
 * gathered here and acted on when the pass ends; expired connections are
 * deleted in the tick that finds them.
 */
struct xvs_hk_pass {
	struct xvs_model *m;
	uint64_t now;			/* the current tick's */
	struct walk_cursor cur;
	bool open;			/* a pass is under way */
	struct xvs_dest_conns *before;	/* the counters when the pass began */
	int32_t *active, *inactive;	/* by dest id: entries the pass saw */
	int32_t *persist;		/* templates, by dest id */
	int32_t *rel_active, *rel_inactive;	/* released by this pass's expiry */
	uint32_t *dest_refs, *svc_refs;	/* live connections, by id */
	struct xvs_tpl_control ctl;	/* templates with live connections */
	long live;
	struct xvs_conn_key *expired;	/* found expired, not yet deleted */
	size_t n_expired, cap_expired;
};

/* Count an entry against its dest: the counters still hold it. */
static void count_entry(struct xvs_hk_pass *s, const struct xvs_conn *c)
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

/* Remember an expired entry for deletion. */
static void note_expired(struct xvs_hk_pass *s, const struct xvs_conn_key *k)
{
	if (s->n_expired == s->cap_expired) {
		size_t cap = s->cap_expired ? s->cap_expired * 2 : 1024;
		void *p = realloc(s->expired, cap * sizeof(*s->expired));

		if (!p)
			return;	/* the next pass gets it */
		s->expired = p;
		s->cap_expired = cap;
	}
	s->expired[s->n_expired++] = *k;
}

static void scan_one(const struct xvs_conn_key *k, const struct xvs_conn *c, void *arg)
{
	struct xvs_hk_pass *s = arg;

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
		s->dest_refs[c->dest_id]++;
	if (c->svc_id < s->m->dp->max_svcs)
		s->svc_refs[c->svc_id]++;
}

/*
 * Delete one expired entry, unless a packet refreshed it since the walk
 * read it, and release its count (noting the release, which the recount
 * takes into account). Lookup-then-delete can still race with a packet;
 * the recount repairs what that costs. Returns whether it deleted the
 * entry.
 */
static bool expire_one(struct xvs_hk_pass *s, const struct xvs_conn_key *k)
{
	struct xvs_model *m = s->m;
	struct xvs_conn c;
	struct xvs_dest_conns *cnt;

	if (bpf_map_lookup_elem(m->dp->conn_fd, k, &c))
		return false;
	if (k->kind == XVS_CONN_KIND_OUT)	/* no count to release */
		return xvs_nat_out_stale(m->dp->conn_fd, k, &c, s->now) &&
		       bpf_map_delete_elem(m->dp->conn_fd, k) == 0;
	if (!conn_expired(&c, s->now))
		return false;
	if (bpf_map_delete_elem(m->dp->conn_fd, k))
		return false;
	if (c.dest_id >= m->dp->max_dests)
		return true;
	cnt = &m->dp->dest_conns[c.dest_id];
	if (c.flags & XVS_CONN_F_TEMPLATE) {
		__atomic_fetch_sub(&cnt->persist, 1, __ATOMIC_RELAXED);
	} else if (c.flags & XVS_CONN_F_INACTIVE) {
		__atomic_fetch_sub(&cnt->inactive, 1, __ATOMIC_RELAXED);
		s->rel_inactive[c.dest_id]++;
	} else {
		__atomic_fetch_sub(&cnt->active, 1, __ATOMIC_RELAXED);
		s->rel_active[c.dest_id]++;
	}
	return true;
}

/*
 * Make a dest's counters match the pass. Only when nothing but the pass's
 * own expiry moved them while it ran (before == after + released): then
 * the table and the counters describe the same moment, and any
 * difference is drift, such as entries the LRU evicted without telling
 * anyone. Returns how many entries the counters held that the table no
 * longer has: the evicted ones.
 */
static uint64_t correct_counts(struct xvs_hk_pass *s, uint32_t id)
{
	struct xvs_dest_conns *cnt = &s->m->dp->dest_conns[id];
	struct xvs_dest_conns after = *cnt;
	int32_t active = s->active[id] - s->rel_active[id];
	int32_t inactive = s->inactive[id] - s->rel_inactive[id];
	int64_t missing = (int64_t)after.active + after.inactive - active - inactive;

	if (after.active + s->rel_active[id] != s->before[id].active ||
	    after.inactive + s->rel_inactive[id] != s->before[id].inactive)
		return 0;
	if (active != after.active)
		__atomic_fetch_add(&cnt->active, active - after.active, __ATOMIC_RELAXED);
	if (inactive != after.inactive)
		__atomic_fetch_add(&cnt->inactive, inactive - after.inactive, __ATOMIC_RELAXED);
	return missing > 0 ? (uint64_t)missing : 0;
}

/* The same for PersistConn: templates the LRU evicted leave it too high.
 * Templates are deleted only after this, so the pass released none. */
static void correct_persist(struct xvs_hk_pass *s, uint32_t id)
{
	struct xvs_dest_conns *cnt = &s->m->dp->dest_conns[id];
	int32_t after = __atomic_load_n(&cnt->persist, __ATOMIC_RELAXED);

	if (after == s->before[id].persist && after != s->persist[id])
		__atomic_fetch_add(&cnt->persist, s->persist[id] - after, __ATOMIC_RELAXED);
}

/*
 * IPVS never expires a template that still controls connections:
 * ip_vs_conn_expire re-arms its timer for another full timeout. Take
 * such templates off the expiry list and restart their timeout. A packet
 * that refreshes the template between the lookup and the update loses
 * nothing but that refresh, which this one replaces.
 */
static void keep_controlling_templates(struct xvs_hk_pass *s)
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
 * Delete the expired entries noted so far, but templates unless the pass
 * is complete: whether one still controls a connection is known only
 * then. Returns how many it deleted.
 */
static uint64_t expire_noted(struct xvs_hk_pass *s, bool complete)
{
	uint64_t expired = 0;
	size_t kept = 0;

	for (size_t i = 0; i < s->n_expired; i++) {
		const struct xvs_conn_key *k = &s->expired[i];

		if (!complete && k->kind == XVS_CONN_KIND_TEMPLATE)
			s->expired[kept++] = *k;
		else
			expired += expire_one(s, k);
	}
	s->n_expired = kept;
	return expired;
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

static void pass_free(struct xvs_hk_pass *s)
{
	if (!s)
		return;
	free(s->before);
	free(s->active);
	free(s->inactive);
	free(s->persist);
	free(s->rel_active);
	free(s->rel_inactive);
	free(s->dest_refs);
	free(s->svc_refs);
	free(s->expired);
	xvs_tpl_control_reset(&s->ctl);
	free(s);
}

static struct xvs_hk_pass *pass_new(struct xvs_model *m)
{
	struct xvs_hk_pass *s = calloc(1, sizeof(*s));
	uint32_t nd = m->dp->max_dests;

	if (!s)
		return NULL;
	s->m = m;
	s->before = calloc(nd, sizeof(*s->before));
	s->active = calloc(nd, sizeof(*s->active));
	s->inactive = calloc(nd, sizeof(*s->inactive));
	s->persist = calloc(nd, sizeof(*s->persist));
	s->rel_active = calloc(nd, sizeof(*s->rel_active));
	s->rel_inactive = calloc(nd, sizeof(*s->rel_inactive));
	s->dest_refs = calloc(nd, sizeof(*s->dest_refs));
	s->svc_refs = calloc(m->dp->max_svcs, sizeof(*s->svc_refs));
	if (!s->before || !s->active || !s->inactive || !s->persist || !s->rel_active ||
	    !s->rel_inactive || !s->dest_refs || !s->svc_refs) {
		pass_free(s);
		return NULL;
	}
	return s;
}

/* Start a pass: zero its counts and take the counters' snapshot. */
static void pass_begin(struct xvs_hk_pass *s)
{
	uint32_t nd = s->m->dp->max_dests;

	memset(s->active, 0, nd * sizeof(*s->active));
	memset(s->inactive, 0, nd * sizeof(*s->inactive));
	memset(s->persist, 0, nd * sizeof(*s->persist));
	memset(s->rel_active, 0, nd * sizeof(*s->rel_active));
	memset(s->rel_inactive, 0, nd * sizeof(*s->rel_inactive));
	memset(s->dest_refs, 0, nd * sizeof(*s->dest_refs));
	memset(s->svc_refs, 0, s->m->dp->max_svcs * sizeof(*s->svc_refs));
	memcpy(s->before, s->m->dp->dest_conns, nd * sizeof(*s->before));
	xvs_tpl_control_reset(&s->ctl);
	s->live = 0;
	s->n_expired = 0;
	s->cur.started = false;
	s->open = true;
}

/* End a complete pass: recount, references, templates. Returns the
 * entries found evicted. */
static uint64_t pass_end(struct xvs_hk_pass *s)
{
	struct xvs_model *m = s->m;
	uint64_t evicted = 0;

	for (uint32_t id = 1; id < m->dp->max_dests; id++)
		if (m->dests[id].d.flags & XVS_DEST_F_VALID)
			evicted += correct_counts(s, id);
	for (uint32_t id = 1; id < m->dp->max_dests; id++)
		if (m->dests[id].d.flags & XVS_DEST_F_VALID)
			correct_persist(s, id);
	for (uint32_t id = 0; id < m->dp->max_dests; id++)
		m->dests[id].conn_refs = s->dest_refs[id];
	for (uint32_t id = 0; id < m->dp->max_svcs; id++)
		m->svcs[id].conn_refs = s->svc_refs[id];
	keep_controlling_templates(s);
	s->open = false;
	return evicted;
}

uint64_t xvs_hk_tick_budget(const struct xvs_dp *dp)
{
	uint64_t quarter = dp->conn_tab_size / 4;

	return quarter > HK_FULL_WALK_ENTRIES ? quarter : HK_FULL_WALK_ENTRIES;
}

int xvs_hk_step(struct xvs_model *m, uint64_t now_ns, uint64_t budget, struct xvs_hk *hk)
{
	struct xvs_hk_pass *s = hk->pass;
	uint64_t visited = 0;
	int ret;

	if (!s) {
		s = hk->pass = pass_new(m);
		if (!s)
			return -ENOMEM;
	}
	if (!s->open)
		pass_begin(s);
	s->now = now_ns;
	ret = walk_conns(m->dp->conn_fd, &s->cur, budget, scan_one, s, &visited);
	hk->tot.walked += visited;
	if (ret < 0) {
		s->open = false;	/* start over next tick */
		return ret;
	}
	if (ret == 1) {
		hk->tot.evicted += pass_end(s);
		hk->tot.live = s->live;
		hk->tot.passes++;
	}
	/* Expire after the walk, which counted the expired entries in, as
	 * the counters do until expire_one() releases them; the recount
	 * takes the releases of a pass's earlier ticks back off. */
	hk->tot.expired += expire_noted(s, ret == 1);
	clear_overloads(m);
	return ret;
}

void xvs_hk_release(struct xvs_hk *hk)
{
	pass_free(hk->pass);
	hk->pass = NULL;
}

long xvs_hk_scan(struct xvs_model *m, uint64_t now_ns, struct xvs_hk *hk)
{
	int ret;

	if (hk->pass && hk->pass->open)
		hk->pass->open = false;	/* a whole pass of its own */
	ret = xvs_hk_step(m, now_ns, UINT64_MAX, hk);
	return ret < 0 ? ret : hk->tot.live;
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
