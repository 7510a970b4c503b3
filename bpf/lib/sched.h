/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched.h - choosing a dest for a new connection, with IPVS's semantics.
 * Runs only for new connections. Every scan over a service's dests is a
 * bpf_loop bounded by XVS_SVC_MAX_DESTS, so the verifier sees one
 * iteration, whatever the number of dests.
 *
 * Eligible (IPVS): in the service's list, weight > 0, not OVERLOADED.
 * Weight 0 is quiescent: existing connections continue (they never come
 * here), new ones skip the dest.
 */
#ifndef XVS_BPF_SCHED_H
#define XVS_BPF_SCHED_H

#include "lib/maps.h"

#define XVS_NO_DEST 0	/* dest id 0 is never allocated */

/* The dest's entry if it may take a new connection, else NULL. */
static __always_inline struct xvs_dest *xvs_dest_eligible(__u32 dest_id)
{
	struct xvs_dest *d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);

	if (!d || dest_id == XVS_NO_DEST)
		return NULL;
	if ((d->flags & (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE |
			 XVS_DEST_F_OVERLOAD)) !=
	    (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE))
		return NULL;
	return d->weight > 0 ? d : NULL;
}

/* IPVS's connection overhead for lc/wlc: active * 256 + inactive. */
static __always_inline __s64 xvs_dest_overhead(__u32 dest_id)
{
	struct xvs_dest_conns *c = bpf_map_lookup_elem(&xvs_dest_conns_v1, &dest_id);

	if (!c)
		return 0;
	return ((__s64)c->active << 8) + c->inactive;
}

/* Dest id at position i of the service's list, or XVS_NO_DEST. */
static __always_inline __u32 xvs_svc_dest_at(__u32 svc_id, __u32 i)
{
	struct xvs_svc_dests *sd = bpf_map_lookup_elem(&xvs_svc_dests_v1, &svc_id);

	if (!sd || i >= XVS_SVC_MAX_DESTS || i >= sd->n_dests)
		return XVS_NO_DEST;
	return sd->ids[i];
}

/*
 * State of a scan over a service's dests, passed to bpf_loop callbacks.
 * It carries the list itself, looked up once per scan rather than once
 * per dest: the verifier follows the spilled map-value pointer.
 */
struct xvs_scan {
	struct xvs_svc_dests *sd;
	__u32 svc_id;
	__u32 n;		/* dests in the list, <= XVS_SVC_MAX_DESTS */
	__u32 start;		/* rr: first position to try */
	__u32 best;		/* chosen dest id, XVS_NO_DEST if none */
	__u32 best_pos;		/* rr: its position in the list */
	__s64 best_oh;		/* wlc: overhead of best */
	__s64 best_w;		/* wlc: weight of best */
};

/* rr: the first eligible dest at or after start, wrapping once. */
static long xvs_rr_step(__u32 i, void *ctx)
{
	struct xvs_scan *s = ctx;
	__u32 pos = s->start + i;
	__u32 id;

	if (i >= s->n)
		return 1;
	if (pos >= s->n)
		pos -= s->n;
	id = s->sd->ids[pos & (XVS_SVC_MAX_DESTS - 1)];
	if (xvs_dest_eligible(id)) {
		s->best = id;
		s->best_pos = pos;
		return 1;
	}
	return 0;
}

/*
 * wlc (ip_vs_wlc.c): start from the first eligible dest; a later one wins
 * when loh * w_d > doh * w_least, so ties keep the earlier dest.
 */
static long xvs_wlc_step(__u32 i, void *ctx)
{
	struct xvs_scan *s = ctx;
	struct xvs_dest *d;
	__s64 oh;
	__u32 id;

	if (i >= s->n)
		return 1;
	id = s->sd->ids[i & (XVS_SVC_MAX_DESTS - 1)];
	d = xvs_dest_eligible(id);
	if (!d)
		return 0;
	oh = xvs_dest_overhead(id);
	if (s->best == XVS_NO_DEST || s->best_oh * d->weight > oh * s->best_w) {
		s->best = id;
		s->best_oh = oh;
		s->best_w = d->weight;
	}
	return 0;
}

/* Start a scan over the service's list; false if it has no list. */
static __always_inline int xvs_scan_init(struct xvs_scan *s, __u32 svc_id)
{
	s->sd = bpf_map_lookup_elem(&xvs_svc_dests_v1, &svc_id);
	if (!s->sd)
		return 0;
	s->svc_id = svc_id;
	s->n = s->sd->n_dests < XVS_SVC_MAX_DESTS ? s->sd->n_dests : XVS_SVC_MAX_DESTS;
	return 1;
}

/* Advance the service's shared cursor; returns its old value. */
static __always_inline __u32 xvs_sched_cursor_next(__u32 svc_id)
{
	struct xvs_sched_state *st = bpf_map_lookup_elem(&xvs_sched_state_v1, &svc_id);

	return st ? __sync_fetch_and_add(&st->cursor, 1) : 0;
}

/*
 * rr (ip_vs_rr.c): resume after the dest chosen last, so a skipped dest
 * does not hand its turn to its neighbour. Two CPUs may read the same
 * cursor and pick the same dest; IPVS serialises with a lock, we accept
 * that rare double pick rather than take one on the data path.
 */
static __always_inline __u32 xvs_sched_rr(__u32 svc_id)
{
	struct xvs_sched_state *st = bpf_map_lookup_elem(&xvs_sched_state_v1, &svc_id);
	struct xvs_scan s = {};

	if (!st || !xvs_scan_init(&s, svc_id) || !s.n)
		return XVS_NO_DEST;
	s.start = st->cursor % s.n;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_rr_step, &s, 0);
	if (s.best != XVS_NO_DEST)
		st->cursor = s.best_pos + 1;
	return s.best;
}

static __always_inline __u32 xvs_sched_wlc(__u32 svc_id)
{
	struct xvs_scan s = {};

	if (!xvs_scan_init(&s, svc_id))
		return XVS_NO_DEST;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_wlc_step, &s, 0);
	return s.best;
}

/* State of a walk along a wrr table from a starting slot. */
struct xvs_tab_scan {
	__u32 svc_id;
	__u32 start;
	__u32 best;
};

/* wrr: the first eligible dest at or after start in the table, wrapping. */
static long xvs_wrr_step(__u32 i, void *ctx)
{
	struct xvs_tab_scan *s = ctx;
	struct xvs_sched_tab *t = bpf_map_lookup_elem(&xvs_sched_tab_v1, &s->svc_id);
	__u32 pos, id;

	if (!t || i >= t->len || t->len > XVS_SCHED_TAB_MAX)
		return 1;
	/* pos < len <= XVS_SCHED_TAB_MAX already; the verifier cannot follow
	 * a modulo, so restate it as a mask (a power of two), and keep clang
	 * from dropping the mask as redundant. */
	pos = (s->start + i) % t->len;
	barrier_var(pos);
	pos &= XVS_SCHED_TAB_MAX - 1;
	id = xvs_svc_dest_at(s->svc_id, t->slot[pos]);
	if (xvs_dest_eligible(id)) {
		s->best = id;
		return 1;
	}
	return 0;
}

/*
 * wrr: xvsd precomputes IPVS's weighted sequence (gcd steps down from the
 * max weight) into the service's table; each new connection takes the
 * next slot. A slot whose dest became ineligible since the table was
 * built is skipped by walking on. The walk is bounded by the table.
 */
static __always_inline __u32 xvs_sched_wrr(__u32 svc_id)
{
	struct xvs_sched_tab *t = bpf_map_lookup_elem(&xvs_sched_tab_v1, &svc_id);
	struct xvs_tab_scan s = { .svc_id = svc_id };
	__u32 pos, id;

	if (!t || t->len == 0 || t->len > XVS_SCHED_TAB_MAX)
		return XVS_NO_DEST;
	s.start = xvs_sched_cursor_next(svc_id) % t->len;
	pos = s.start;
	barrier_var(pos);	/* as in xvs_wrr_step */
	pos &= XVS_SCHED_TAB_MAX - 1;
	/* Fast path: the slot's dest is eligible, as it nearly always is. */
	id = xvs_svc_dest_at(svc_id, t->slot[pos]);
	if (xvs_dest_eligible(id))
		return id;
	bpf_loop(XVS_SCHED_TAB_MAX, xvs_wrr_step, &s, 0);
	return s.best;
}

/* Choose a dest for a new connection to svc, or XVS_NO_DEST. */
static __always_inline __u32 xvs_schedule(const struct xvs_svc *svc)
{
	switch (svc->sched) {
	case XVS_SCHED_RR:
		return xvs_sched_rr(svc->id);
	case XVS_SCHED_WRR:
		return xvs_sched_wrr(svc->id);
	case XVS_SCHED_WLC:
		return xvs_sched_wlc(svc->id);
	default:
		/* xvsd refuses schedulers the data plane lacks. */
		return XVS_NO_DEST;
	}
}

#endif
