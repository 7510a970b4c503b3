/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lblc.h - the locality schedulers lblc and lblcr, with the semantics of
 * ip_vs_lblc.c and ip_vs_lblcr.c: a cache per (service, destination
 * address) of the dest (lblc) or the set of dests (lblcr) that took that
 * address last, filled from wlc's choice.
 *
 * Included by sched.h right before xvs_schedule(), after the one-pass
 * schedulers whose wlc it falls back to.
 *
 * The caches are LRU hashes written by the data plane without a lock
 * (IPVS takes svc->sched_lock): two CPUs updating one lblcr set at once
 * may lose one insert or erase, never an index out of the set. LRU
 * eviction stands in for IPVS's garbage collection (entries idle for 6
 * minutes go when the table is over 16 x 1024, for 24 hours anyway).
 * Entries of a deleted service are not flushed as IPVS's done_service
 * does: a dest they name is used only while it is a valid dest of the
 * entry's service, so a stale entry is at worst a hint wlc overrides.
 */
#ifndef XVS_BPF_LBLC_H
#define XVS_BPF_LBLC_H

#include "lib/maps.h"
#include "lib/parse.h"

#define XVS_LBLC_MAX_ENTRIES	65536
#define XVS_LBLCR_MAX_ENTRIES	16384
/* IPVS's lblcr_expiration default: a set shrinks after a day unchanged. */
#define XVS_LBLCR_EXPIRATION_NS	(24ull * 60 * 60 * 1000000000ull)

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XVS_LBLC_MAX_ENTRIES);
	__type(key, struct xvs_lblc_key);
	__type(value, struct xvs_lblc_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_lblc_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XVS_LBLCR_MAX_ENTRIES);
	__type(key, struct xvs_lblc_key);
	__type(value, struct xvs_lblcr_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_lblcr_v1 SEC(".maps");

/*
 * Per-CPU scratch: a fresh lblcr entry is built here (152 bytes are too
 * many for the stack), and a search leaves the slot it found in pad0.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_lblcr_entry);
} xvs_lblcr_scratch SEC(".maps");

#define XVS_LBLCR_SET_MASK	(XVS_LBLCR_SET_MAX - 1)	/* a power of 2 */

static __always_inline void xvs_lblc_key_of(struct xvs_lblc_key *k, __u32 svc_id,
					    const struct xvs_pkt *p)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->daddr = p->daddr;
	k->svc_id = svc_id;
	k->af = p->af;
}

/* A dest of service svc_id (not a freed id reused elsewhere), its counts. */
static __always_inline struct xvs_dest *xvs_lblc_dest(__u32 id, __u32 svc_id,
						      struct xvs_dest_conns **cnt)
{
	struct xvs_dest *d = bpf_map_lookup_elem(&xvs_dest_v1, &id);

	*cnt = bpf_map_lookup_elem(&xvs_dest_conns_v1, &id);
	if (!d || !*cnt || id == XVS_NO_DEST || !(d->flags & XVS_DEST_F_VALID) ||
	    d->svc_id != svc_id)
		return NULL;
	return d;
}

static __always_inline int xvs_lblc_available(const struct xvs_dest *d)
{
	return d->flags & XVS_DEST_F_AVAILABLE;
}

/* Scan for a dest with active * 2 < weight (is_overloaded's second half). */
struct xvs_lblc_scan {
	struct xvs_svc_dests *sd;
	__u32 n;
	__u32 found;
};

static long xvs_lblc_underused_step(__u32 i, void *ctx)
{
	struct xvs_lblc_scan *s = ctx;
	struct xvs_dest_conns *c;
	struct xvs_dest *d;
	__u32 id;

	if (i >= s->n)
		return 1;
	id = s->sd->ids[i & (XVS_SVC_MAX_DESTS - 1)];
	d = bpf_map_lookup_elem(&xvs_dest_v1, &id);
	c = bpf_map_lookup_elem(&xvs_dest_conns_v1, &id);
	if (!d || !c)
		return 0;
	if ((__s64)c->active * 2 < d->weight) {
		s->found = 1;
		return 1;
	}
	return 0;
}

/*
 * IPVS's is_overloaded() of lblc and lblcr: the dest has more active
 * connections than its weight while some dest of the service has fewer
 * than half its own. (Not -x's OVERLOAD: lblc reuses a cached dest that
 * has that flag.)
 */
static __always_inline int xvs_lblc_overloaded(__u32 svc_id, const struct xvs_dest *d,
					       const struct xvs_dest_conns *c)
{
	struct xvs_lblc_scan s = {};

	if ((__s64)c->active <= d->weight)
		return 0;
	s.sd = bpf_map_lookup_elem(&xvs_svc_dests_v1, &svc_id);
	if (!s.sd)
		return 0;
	s.n = s.sd->n_dests < XVS_SVC_MAX_DESTS ? s.sd->n_dests : XVS_SVC_MAX_DESTS;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_lblc_underused_step, &s, 0);
	return s.found;
}

/*
 * lblc (ip_vs_lblc_schedule): the cached dest of the destination address
 * while it is in the service with a weight above 0 and not overloaded as
 * above; otherwise wlc's choice, which replaces the cached one.
 */
static __always_inline __u32 xvs_sched_lblc(const struct xvs_svc *svc,
					    const struct xvs_pkt *p)
{
	struct xvs_lblc_entry *en, fresh = {};
	struct xvs_dest_conns *c;
	struct xvs_lblc_key k;
	struct xvs_dest *d;
	__u64 now = bpf_ktime_get_coarse_ns();
	__u32 dest_id;

	xvs_lblc_key_of(&k, svc->id, p);
	en = bpf_map_lookup_elem(&xvs_lblc_v1, &k);
	if (en) {
		en->lastuse_ns = now;
		dest_id = en->dest_id;
		d = xvs_lblc_dest(dest_id, svc->id, &c);
		if (d && xvs_lblc_available(d) && d->weight > 0 &&
		    !xvs_lblc_overloaded(svc->id, d, c))
			return dest_id;
	}
	dest_id = xvs_sched_pick(svc->id, XVS_PICK_WLC);
	if (dest_id == XVS_NO_DEST)
		return XVS_NO_DEST;
	if (!en || en->dest_id != dest_id) {
		fresh.lastuse_ns = now;
		fresh.dest_id = dest_id;
		bpf_map_update_elem(&xvs_lblc_v1, &k, &fresh, BPF_ANY);
	}
	return dest_id;
}

/*
 * A scan over an lblcr set, newest member first (IPVS adds members at the
 * head of its list): iteration i looks at ids[n - 1 - i]. mode says which
 * of ip_vs_dest_set_min/max it is; like the one-pass schedulers it runs in
 * two stages, a seed and then the members after it (see xvs_seed_step on
 * why).
 */
enum { XVS_SET_MIN, XVS_SET_MAX };

struct xvs_set_scan {
	struct xvs_lblcr_entry *en;
	__u32 svc_id;
	__u32 n;
	__u32 mode;
	__u32 from;		/* second stage: first iteration */
	__u32 best;		/* dest id, XVS_NO_DEST if none */
	__u32 best_i;		/* the seed's iteration */
	__s64 best_oh;
	__s64 best_w;
};

/*
 * The member at iteration i as a candidate: 1 with its id, overhead and
 * weight, or 0. min: not OVERLOADED, in the service's list (AVAILABLE),
 * and for the seed a weight above 0; max: a weight above 0.
 */
static __always_inline int xvs_set_member(const struct xvs_set_scan *s, __u32 i, int seed,
					  __u32 *id, __s64 *oh, __s64 *w)
{
	struct xvs_dest_conns *c;
	struct xvs_dest *d;

	*id = s->en->ids[(s->n - 1 - i) & XVS_LBLCR_SET_MASK];
	d = xvs_lblc_dest(*id, s->svc_id, &c);
	if (!d)
		return 0;
	*w = d->weight;
	*oh = ((__s64)c->active << 8) + c->inactive;
	if (s->mode == XVS_SET_MAX)
		return *w > 0;
	if (c->overload || !xvs_lblc_available(d))
		return 0;
	return !seed || *w > 0;
}

static long xvs_set_seed_step(__u32 i, void *ctx)
{
	struct xvs_set_scan *s = ctx;
	__s64 oh, w;
	__u32 id;

	if (i >= s->n)
		return 1;
	if (!xvs_set_member(s, i, 1, &id, &oh, &w))
		return 0;
	s->best = id;
	s->best_i = i;
	s->best_oh = oh;
	s->best_w = w;
	return 1;
}

static long xvs_set_improve_step(__u32 i, void *ctx)
{
	struct xvs_set_scan *s = ctx;
	__u32 at = s->from + i, id;
	__s64 oh, w;
	int better;

	if (at >= s->n)
		return 1;
	if (!xvs_set_member(s, at, 0, &id, &oh, &w))
		return 0;
	if (s->mode == XVS_SET_MAX)
		better = s->best_oh * w < oh * s->best_w;
	else
		better = s->best_oh * w > oh * s->best_w;
	if (better) {
		s->best = id;
		s->best_oh = oh;
		s->best_w = w;
	}
	return 0;
}

/* ip_vs_dest_set_min/max over the entry's set: the member, or XVS_NO_DEST. */
static __always_inline __u32 xvs_set_pick(struct xvs_lblcr_entry *en, __u32 svc_id,
					  __u32 mode)
{
	struct xvs_set_scan s = { .en = en, .svc_id = svc_id, .mode = mode };

	s.n = en->n < XVS_LBLCR_SET_MAX ? en->n : XVS_LBLCR_SET_MAX;
	bpf_loop(XVS_LBLCR_SET_MAX, xvs_set_seed_step, &s, 0);
	if (s.best == XVS_NO_DEST)
		return XVS_NO_DEST;
	s.from = s.best_i + 1;
	bpf_loop(XVS_LBLCR_SET_MAX, xvs_set_improve_step, &s, 0);
	return s.best;
}

/*
 * Finding a member, and moving the members after an erased one down. The
 * slot found goes through the per-CPU scratch rather than the stack: read
 * back from a map it is a number the verifier does not know, where a
 * slot carried out of the loop would be one of 32 exact values, and each
 * would be verified separately through the rest of the program.
 */
struct xvs_set_edit {
	struct xvs_lblcr_entry *en;
	__u32 *slot;		/* find: where the slot goes */
	__u32 n;
	__u32 id;		/* find: the member */
	__u32 found;
	__u32 at;		/* shift: the erased slot */
};

static long xvs_set_shift_step(__u32 i, void *ctx)
{
	struct xvs_set_edit *e = ctx;
	__u32 j = e->at + i;

	if (j + 1 >= e->n)
		return 1;
	e->en->ids[j & XVS_LBLCR_SET_MASK] = e->en->ids[(j + 1) & XVS_LBLCR_SET_MASK];
	return 0;
}

static long xvs_set_find_step(__u32 i, void *ctx)
{
	struct xvs_set_edit *e = ctx;

	if (i >= e->n)
		return 1;
	if (e->en->ids[i & XVS_LBLCR_SET_MASK] == e->id) {
		e->found = 1;
		*e->slot = i;
		return 1;
	}
	return 0;
}

/* The slot of dest_id in the set (e->found, e->at); e untouched without scratch. */
static __always_inline void xvs_set_find(struct xvs_set_edit *e, struct xvs_lblcr_entry *en,
					 __u32 dest_id)
{
	struct xvs_lblcr_entry *scratch;
	__u32 zero = 0;

	scratch = bpf_map_lookup_elem(&xvs_lblcr_scratch, &zero);
	if (!scratch)
		return;
	e->en = en;
	e->found = 0;
	e->slot = &scratch->pad0;
	e->id = dest_id;
	e->n = en->n < XVS_LBLCR_SET_MAX ? en->n : XVS_LBLCR_SET_MAX;
	bpf_loop(XVS_LBLCR_SET_MAX, xvs_set_find_step, e, 0);
	e->at = scratch->pad0;
}

/* ip_vs_dest_set_erase: take dest_id out of the set, keeping the order. */
static __always_inline void xvs_set_erase(struct xvs_lblcr_entry *en, __u32 dest_id, __u64 now)
{
	struct xvs_set_edit e = {};

	xvs_set_find(&e, en, dest_id);
	if (!e.found)
		return;
	bpf_loop(XVS_LBLCR_SET_MAX, xvs_set_shift_step, &e, 0);
	en->n = e.n - 1;
	en->lastmod_ns = now;
}

/*
 * ip_vs_dest_set_insert with its check: add dest unless it is a member.
 * A full set takes no more members (IPVS adds without a bound; a set
 * reaches 32 only after 32 rounds of overload within a day).
 */
static __always_inline void xvs_set_insert(struct xvs_lblcr_entry *en, __u32 dest_id, __u64 now)
{
	struct xvs_set_edit e = {};
	__u32 n = en->n;

	/* A failed search (no scratch) adds nothing rather than a twin. */
	e.found = 1;
	xvs_set_find(&e, en, dest_id);
	if (e.found || n >= XVS_LBLCR_SET_MAX)
		return;
	en->ids[n & XVS_LBLCR_SET_MASK] = dest_id;
	en->n = n + 1;
	en->lastmod_ns = now;
}

/*
 * lblcr (ip_vs_lblcr_schedule): the least loaded usable member of the
 * address's set (wlc's rule); a set of more than one that has not changed
 * for lblcr_expiration loses its most loaded member; when no member is
 * usable, or the one found is overloaded (is_overloaded), wlc's choice,
 * which joins the set. Returns the dest id, or XVS_NO_DEST.
 */
static __always_inline __u32 xvs_lblcr_schedule(const struct xvs_lblc_key *k)
{
	struct xvs_lblcr_entry *en, *fresh;
	struct xvs_dest_conns *c;
	struct xvs_dest *d;
	__u64 now = bpf_ktime_get_coarse_ns();
	__u32 dest_id, most, svc_id, zero = 0;

	if (!k)
		return XVS_NO_DEST;
	svc_id = k->svc_id;
	en = bpf_map_lookup_elem(&xvs_lblcr_v1, k);
	if (en) {
		en->lastuse_ns = now;
		dest_id = xvs_set_pick(en, svc_id, XVS_SET_MIN);
		if (en->n > 1 && now - en->lastmod_ns > XVS_LBLCR_EXPIRATION_NS) {
			most = xvs_set_pick(en, svc_id, XVS_SET_MAX);
			if (most != XVS_NO_DEST)
				xvs_set_erase(en, most, now);
		}
		if (dest_id != XVS_NO_DEST) {
			d = xvs_lblc_dest(dest_id, svc_id, &c);
			if (d && !xvs_lblc_overloaded(svc_id, d, c))
				return dest_id;
		}
		dest_id = xvs_sched_pick(svc_id, XVS_PICK_WLC);
		if (dest_id != XVS_NO_DEST)
			xvs_set_insert(en, dest_id, now);
		return dest_id;
	}
	dest_id = xvs_sched_pick(svc_id, XVS_PICK_WLC);
	if (dest_id == XVS_NO_DEST)
		return XVS_NO_DEST;
	fresh = bpf_map_lookup_elem(&xvs_lblcr_scratch, &zero);
	if (fresh) {
		__builtin_memset(fresh, 0, sizeof(*fresh));
		fresh->lastuse_ns = now;
		fresh->lastmod_ns = now;
		fresh->n = 1;
		fresh->ids[0] = dest_id;
		/* Another CPU's entry for the address, if any, stays. */
		bpf_map_update_elem(&xvs_lblcr_v1, k, fresh, BPF_NOEXIST);
	}
	return dest_id;
}

static __always_inline __u32 xvs_sched_lblcr(const struct xvs_svc *svc,
					     const struct xvs_pkt *p)
{
	struct xvs_lblc_key k;

	xvs_lblc_key_of(&k, svc->id, p);
	return xvs_lblcr_schedule(&k);
}

#endif
