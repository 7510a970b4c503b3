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
#include "lib/parse.h"

#define XVS_NO_DEST 0	/* dest id 0 is never allocated */

/*
 * The dest's entry if it may take a new connection, else NULL; *cnt gets
 * its connection counts. OVERLOAD is in the counts (xvs_dest_conns), set
 * by xvs_conn_create and cleared by xvsd; the ids of both arrays are the
 * same, so a dest found has counts too.
 */
static __always_inline struct xvs_dest *
xvs_dest_eligible_cnt(__u32 dest_id, struct xvs_dest_conns **cnt)
{
	struct xvs_dest *d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);
	struct xvs_dest_conns *c = bpf_map_lookup_elem(&xvs_dest_conns_v1, &dest_id);

	if (!d || !c || dest_id == XVS_NO_DEST)
		return NULL;
	if ((d->flags & (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE)) !=
	    (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE) || c->overload)
		return NULL;
	*cnt = c;
	return d->weight > 0 ? d : NULL;
}

static __always_inline struct xvs_dest *xvs_dest_eligible(__u32 dest_id)
{
	struct xvs_dest_conns *c;

	return xvs_dest_eligible_cnt(dest_id, &c);
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
	__u32 start;		/* first position to try */
	__u32 best;		/* chosen dest id, XVS_NO_DEST if none */
	__u32 best_pos;		/* its position in the list */
	__u32 done;		/* nq: best is idle, look no further */
	__u32 pick;		/* enum xvs_pick of the one-pass schedulers */
	__u32 pad0;
	__s64 best_oh;		/* lc/wlc/sed/nq: overhead of best */
	__s64 best_w;		/* weight of best (1 for lc) */
};

/*
 * The dest at position pos of the scanned list if it is eligible (its id
 * in *id), else NULL. pos < n <= XVS_SVC_MAX_DESTS already; the mask
 * restates that for the verifier (a power of two).
 */
static __always_inline struct xvs_dest *xvs_scan_dest(const struct xvs_scan *s,
						      __u32 pos, __u32 *id,
						      struct xvs_dest_conns **cnt)
{
	*id = s->sd->ids[pos & (XVS_SVC_MAX_DESTS - 1)];
	return xvs_dest_eligible_cnt(*id, cnt);
}

/* rr: the first eligible dest at or after start, wrapping once. */
static long xvs_rr_step(__u32 i, void *ctx)
{
	struct xvs_scan *s = ctx;
	struct xvs_dest_conns *c;
	__u32 pos = s->start + i;
	__u32 id;

	if (i >= s->n)
		return 1;
	if (pos >= s->n)
		pos -= s->n;
	if (xvs_scan_dest(s, pos, &id, &c)) {
		s->best = id;
		s->best_pos = pos;
		return 1;
	}
	return 0;
}

/*
 * The one-pass schedulers, after ip_vs_{lc,wlc,sed,nq,fo,ovf}.c. Each is
 * a value of this enum, carried in the scan (see xvs_sched_pick).
 *
 * - lc, wlc, sed, nq pick the least load, overhead / weight, compared as
 *   loh * w_d > doh * w_least without dividing, so ties keep the earlier
 *   dest. lc and wlc count active * 256 + inactive
 *   (ip_vs_dest_conn_overhead); lc ignores the weight (taken as 1: its
 *   strict doh < loh). sed and nq count active + 1, the connection being
 *   placed included; inactive ones do not count. nq takes the first idle
 *   dest (active 0) in list order at once, even after busier ones.
 * - fo and ovf pick the highest weight; a later dest needs a strictly
 *   higher one, so the first wins ties. ovf considers only dests within
 *   capacity: IPVS skips a dest when activeconns > weight, so a dest with
 *   exactly weight active connections still takes one more.
 */
enum xvs_pick {
	XVS_PICK_LC,
	XVS_PICK_WLC,
	XVS_PICK_SED,
	XVS_PICK_NQ,
	XVS_PICK_FO,
	XVS_PICK_OVF,
};

/*
 * Is the dest at position pos a candidate for pick? If so, 1 with its id,
 * its load *oh / *w (for fo and ovf, *w is its weight) and *idle (no
 * active connection); else 0.
 */
static __always_inline int xvs_pick_cand(const struct xvs_scan *s, __u32 pos,
					 enum xvs_pick pick, __u32 *id,
					 __s64 *oh, __s64 *w, int *idle)
{
	struct xvs_dest_conns *c;
	struct xvs_dest *d;
	__s64 act;

	d = xvs_scan_dest(s, pos, id, &c);
	if (!d)
		return 0;
	*w = d->weight;
	*oh = 0;
	*idle = 0;
	if (pick == XVS_PICK_FO)
		return 1;	/* the load does not matter */
	act = c->active;
	if (pick == XVS_PICK_OVF)
		return act <= *w;
	if (pick == XVS_PICK_LC || pick == XVS_PICK_WLC)
		*oh = (act << 8) + c->inactive;
	else
		*oh = act + 1;
	if (pick == XVS_PICK_LC)
		*w = 1;
	*idle = act == 0;
	return 1;
}

/*
 * The first stage: the first candidate in list order becomes the best so
 * far (best_pos records where). For nq an idle one is final (done).
 *
 * Why two stages, as ip_vs_wlc.c and ip_vs_sed.c have them, rather than
 * one scan that starts from "no best yet": a bpf_loop callback that
 * branches on a value it carries from one iteration to the next, when
 * that value starts as a constant (XVS_NO_DEST, weight 0), can have the
 * verifier prune the later iterations as equivalent to the first and
 * then rewrite the branch as always taken. The 6.18 verifier did that to
 * a one-stage lc. Here the second stage starts from values read from the
 * maps, unknown to the verifier, so it must explore both ways.
 */
static __always_inline long xvs_seed_step(struct xvs_scan *s, __u32 i,
					  enum xvs_pick pick)
{
	__s64 oh, w;
	__u32 id;
	int idle;

	if (i >= s->n)
		return 1;
	if (!xvs_pick_cand(s, i, pick, &id, &oh, &w, &idle))
		return 0;
	s->best = id;
	s->best_pos = i;
	s->best_oh = oh;
	s->best_w = w;
	s->done = pick == XVS_PICK_NQ && idle;
	return 1;
}

/* The second stage: the dests after the seed, each against the best. */
static __always_inline long xvs_improve_step(struct xvs_scan *s, __u32 i,
					     enum xvs_pick pick)
{
	__u32 pos = s->start + i;
	__s64 oh, w;
	__u32 id;
	int idle, better;

	if (pos >= s->n)
		return 1;
	if (!xvs_pick_cand(s, pos, pick, &id, &oh, &w, &idle))
		return 0;
	if (pick == XVS_PICK_NQ && idle) {
		s->best = id;
		return 1;
	}
	if (pick == XVS_PICK_FO || pick == XVS_PICK_OVF)
		better = w > s->best_w;
	else
		better = s->best_oh * w > oh * s->best_w;
	if (better) {
		s->best = id;
		s->best_oh = oh;
		s->best_w = w;
	}
	return 0;
}

/*
 * The two bpf_loop callbacks of the one-pass schedulers. The scheduler
 * travels in the scan rather than in one callback pair per scheduler:
 * the verifier inlines a bpf_loop only when its call site always gets the
 * same callback, and clang merges per-scheduler call sites into one.
 */
static long xvs_pick_seed(__u32 i, void *ctx)
{
	struct xvs_scan *s = ctx;

	return xvs_seed_step(s, i, s->pick);
}

static long xvs_pick_step(__u32 i, void *ctx)
{
	struct xvs_scan *s = ctx;

	return xvs_improve_step(s, i, s->pick);
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

/*
 * A one-pass scheduler over the service's list, in list order: seed with
 * the first candidate, then let the dests after it compete. Returns the
 * dest, or XVS_NO_DEST when no dest is a candidate.
 */
static __always_inline __u32 xvs_sched_pick(__u32 svc_id, enum xvs_pick pick)
{
	struct xvs_scan s = { .pick = pick };

	if (!xvs_scan_init(&s, svc_id))
		return XVS_NO_DEST;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_pick_seed, &s, 0);
	if (s.best == XVS_NO_DEST || s.done)
		return s.best;
	s.start = s.best_pos + 1;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_pick_step, &s, 0);
	return s.best;
}

/* State of a walk along a wrr/sh table from a starting slot. */
struct xvs_tab_scan {
	__u32 svc_id;
	__u32 start;
	__u32 best;
};

/* The first eligible dest at or after start in the table, wrapping. */
static long xvs_tab_step(__u32 i, void *ctx)
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
	barrier_var(pos);	/* as in xvs_tab_step */
	pos &= XVS_SCHED_TAB_MAX - 1;
	/* Fast path: the slot's dest is eligible, as it nearly always is. */
	id = xvs_svc_dest_at(svc_id, t->slot[pos]);
	if (xvs_dest_eligible(id))
		return id;
	bpf_loop(XVS_SCHED_TAB_MAX, xvs_tab_step, &s, 0);
	return s.best;
}

/*
 * The kernel's hash_32(val, XVS_SCHED_HASH_BITS) (include/linux/hash.h):
 * multiply by GOLDEN_RATIO_32 and keep the high bits. Current mainline
 * IPVS hashes sh and dh with it; older kernels multiplied by 2654435761
 * and kept the low bits, which spreads far worse. We follow mainline.
 */
static __always_inline __u32 xvs_hash_32(__u32 val)
{
	return (val * 0x61C88647u) >> (32 - XVS_SCHED_HASH_BITS);
}

/*
 * An address folded to 32 bits in host order, as ip_vs_sh_hashkey() and
 * ip_vs_dh_hashkey() fold it: IPv6 XORs its four words; IPv4 is its one
 * word (the other three are zero by the ABI, so the same XOR does).
 */
static __always_inline __u32 xvs_addr_fold(const union xvs_addr *a)
{
	return bpf_ntohl(a->ip6[0] ^ a->ip6[1] ^ a->ip6[2] ^ a->ip6[3]);
}

/*
 * sh and dh (ip_vs_sh.c, ip_vs_dh.c): xvsd lays the service's 256-bucket
 * table out as IPVS does (lib/sched_tab.c); the bucket is hash_32 of the
 * folded source address (sh) or destination address (dh). sh-port
 * (XVS_SVC_F_SCHED2) adds the source port, host order, before hashing.
 * The bucket's dest must be eligible; otherwise no dest, unless
 * sh-fallback (XVS_SVC_F_SCHED1): then, as ip_vs_sh_get_fallback(), try
 * the buckets from 2 * bucket on, all 256 in turn (the kernel adds the
 * offset (bucket + k) % 256 to the hash again). dh has neither flag.
 */
static __always_inline __u32 xvs_sched_hash(const struct xvs_svc *svc,
					    const struct xvs_pkt *p)
{
	struct xvs_sched_tab *t = bpf_map_lookup_elem(&xvs_sched_tab_v1, &svc->id);
	struct xvs_tab_scan s = { .svc_id = svc->id };
	__u32 key, bucket, id;

	if (!t || t->len != XVS_SCHED_HASH_SIZE)
		return XVS_NO_DEST;	/* no dests: IPVS's empty table */
	if (svc->sched == XVS_SCHED_DH) {
		key = xvs_addr_fold(&p->daddr);
	} else {
		key = xvs_addr_fold(&p->saddr);
		if (svc->flags & XVS_SVC_F_SCHED2)
			key += bpf_ntohs(p->sport);
	}
	bucket = xvs_hash_32(key);
	id = xvs_svc_dest_at(svc->id, t->slot[bucket & (XVS_SCHED_HASH_SIZE - 1)]);
	if (xvs_dest_eligible(id))
		return id;
	if (svc->sched == XVS_SCHED_DH || !(svc->flags & XVS_SVC_F_SCHED1))
		return XVS_NO_DEST;
	s.start = (bucket * 2) & (XVS_SCHED_HASH_SIZE - 1);
	bpf_loop(XVS_SCHED_HASH_SIZE, xvs_tab_step, &s, 0);
	return s.best;
}

/*
 * The mh flow hash: key (the folded source address, plus the source port
 * with mh-port) and initval into 32 bits, murmur3's fmix32 finaliser over
 * key + initval * golden ratio. IPVS hashes with hsiphash keyed by fixed
 * values and uses initval for the fallback's rehash; any fixed, well
 * mixed function keeps every director agreeing, since only the data plane
 * hashes flows (xvsd lays out the table, lib/sched_tab.c). Tests hold an
 * independent copy (tests/bpf/test_director_mh.c).
 */
static __always_inline __u32 xvs_mh_hash(__u32 key, __u32 initval)
{
	__u32 h = key + initval * 0x9E3779B9u;

	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return h;
}

/* The slot of a 32-bit hash, hash % M as IPVS has it, by multiply-shift
 * (a 32x32->64 multiply, no division; uniform as the hash is). */
static __always_inline __u32 xvs_mh_slot(__u32 h)
{
	return (__u32)(((__u64)h * XVS_SCHED_MH_SIZE) >> 32);
}

/* State of ip_vs_mh_get_fallback()'s walk. */
struct xvs_mh_scan {
	__u32 svc_id;
	__u32 key;
	__u32 ihash;		/* the first slot */
	__u32 best;
};

/*
 * Fallback step k, as ip_vs_mh_get_fallback(): roffset = (k + ihash) % M,
 * rehash the key with roffset as initval, take that slot's dest if it is
 * eligible.
 */
static long xvs_mh_step(__u32 k, void *ctx)
{
	struct xvs_mh_scan *s = ctx;
	struct xvs_sched_tab *t = bpf_map_lookup_elem(&xvs_sched_tab_v1, &s->svc_id);
	__u32 roffset = s->ihash + k, slot, id;

	if (!t || k >= XVS_SCHED_MH_SIZE)
		return 1;
	if (roffset >= XVS_SCHED_MH_SIZE)
		roffset -= XVS_SCHED_MH_SIZE;
	slot = xvs_mh_slot(xvs_mh_hash(s->key, roffset));
	/* slot < M < XVS_SCHED_TAB_MAX already: restate it as a mask for the
	 * verifier, which does not follow the multiply-shift. */
	barrier_var(slot);
	slot &= XVS_SCHED_TAB_MAX - 1;
	id = xvs_svc_dest_at(s->svc_id, t->slot[slot]);
	if (xvs_dest_eligible(id)) {
		s->best = id;
		return 1;
	}
	return 0;
}

/*
 * mh (ip_vs_mh.c): xvsd lays out the service's XVS_SCHED_MH_SIZE-slot
 * Maglev table; the slot is xvs_mh_slot(xvs_mh_hash(key, 0)) with key the
 * folded source address, plus the source port (host order) with mh-port
 * (XVS_SVC_F_SCHED2). The slot's dest must be eligible; otherwise no
 * dest, unless mh-fallback (XVS_SVC_F_SCHED1): then up to M rehashed
 * slots, as ip_vs_mh_get_fallback().
 */
static __always_inline __u32 xvs_sched_mh(const struct xvs_svc *svc,
					  const struct xvs_pkt *p)
{
	struct xvs_sched_tab *t = bpf_map_lookup_elem(&xvs_sched_tab_v1, &svc->id);
	struct xvs_mh_scan s = { .svc_id = svc->id };
	__u32 slot, id;

	if (!t || t->len != XVS_SCHED_MH_SIZE)
		return XVS_NO_DEST;	/* no dest with a positive weight */
	s.key = xvs_addr_fold(&p->saddr);
	if (svc->flags & XVS_SVC_F_SCHED2)
		s.key += bpf_ntohs(p->sport);
	slot = xvs_mh_slot(xvs_mh_hash(s.key, 0));
	s.ihash = slot;
	barrier_var(slot);	/* as in xvs_mh_step */
	slot &= XVS_SCHED_TAB_MAX - 1;
	id = xvs_svc_dest_at(svc->id, t->slot[slot]);
	if (xvs_dest_eligible(id))
		return id;
	if (!(svc->flags & XVS_SVC_F_SCHED1))
		return XVS_NO_DEST;
	bpf_loop(XVS_SCHED_MH_SIZE, xvs_mh_step, &s, 0);
	return s.best;
}

/* State of twos' scans. */
struct xvs_twos_scan {
	struct xvs_svc_dests *sd;
	__u32 n;
	__u32 pad0;
	__u64 r1, r2;		/* the two draws, 0..total weight */
	__s64 sum;		/* weights of eligible dests so far */
	__u32 c1, c2;		/* the picks, XVS_NO_DEST until found */
	__s64 w1, w2, oh1, oh2;
};

/*
 * A twos dest's weight, re-read from the map after xvs_dest_eligible_cnt
 * found it positive. Why: from that check the verifier knows weight >= 1,
 * so a sum carried across bpf_loop iterations would grow its known lower
 * bound by one per iteration, no two iterations' states would match, and
 * the 256 iterations times the branches exhausted the 1M-instruction
 * budget. A fresh (volatile) load is an unknown scalar, the sum stays
 * unknown, and the states converge. A racing edit may make it <= 0: that
 * dest then takes no range, as if it had been skipped.
 */
static __always_inline __s64 xvs_twos_weight(const struct xvs_dest *d)
{
	return *(volatile const __s32 *)&d->weight;
}

/* twos, first pass: the total weight of the eligible dests. */
static long xvs_twos_sum(__u32 i, void *ctx)
{
	struct xvs_twos_scan *s = ctx;
	struct xvs_dest_conns *c;
	struct xvs_dest *d;
	__u32 id;

	if (i >= s->n)
		return 1;
	id = s->sd->ids[i & (XVS_SVC_MAX_DESTS - 1)];
	d = xvs_dest_eligible_cnt(id, &c);
	if (d)
		s->sum += xvs_twos_weight(d);
	return 0;
}

/*
 * twos, second pass. IPVS subtracts each weight from the draw and takes
 * the first dest where it reaches <= 0: the dest whose cumulative range
 * (before, before + w] holds max(draw, 1), draw 0 being the first dest.
 * Written as that range test rather than with "found yet" flags, so no
 * branch depends on a value the loop carries from a constant start (see
 * xvs_seed_step on what the verifier does with those).
 */
static long xvs_twos_pick(__u32 i, void *ctx)
{
	struct xvs_twos_scan *s = ctx;
	struct xvs_dest_conns *c;
	struct xvs_dest *d;
	__s64 before, after, oh, w, r1, r2;
	__u32 id;

	if (i >= s->n)
		return 1;
	id = s->sd->ids[i & (XVS_SVC_MAX_DESTS - 1)];
	d = xvs_dest_eligible_cnt(id, &c);
	if (!d)
		return 0;
	w = xvs_twos_weight(d);
	before = s->sum;
	after = before + w;
	s->sum = after;
	oh = ((__s64)c->active << 8) + c->inactive;
	r1 = s->r1 ? (__s64)s->r1 : 1;
	r2 = s->r2 ? (__s64)s->r2 : 1;
	if (r1 > before && r1 <= after) {
		s->c1 = id;
		s->w1 = w;
		s->oh1 = oh;
	}
	if (r2 > before && r2 <= after) {
		s->c2 = id;
		s->w2 = w;
		s->oh2 = oh;
	}
	return 0;
}

/*
 * twos (ip_vs_twos.c): two weighted random picks among the eligible
 * dests, r = prandom % (total weight + 1) each; keep the second when
 * w2 * oh1 > w1 * oh2, overhead as wlc's (active * 256 + inactive). The
 * kernel's get_random_u32_below is uniform; the modulo here is biased by
 * at most total / 2^32, negligible (and a total above 2^32,
 * 256 dests near INT32_MAX each, is drawn only over its first 2^32). A weight change between the passes
 * can leave a draw past the new total: then the other pick, or none.
 */
static __always_inline __u32 xvs_sched_twos(__u32 svc_id)
{
	struct xvs_twos_scan s = {};
	__u64 total;

	s.sd = bpf_map_lookup_elem(&xvs_svc_dests_v1, &svc_id);
	if (!s.sd)
		return XVS_NO_DEST;
	s.n = s.sd->n_dests < XVS_SVC_MAX_DESTS ? s.sd->n_dests : XVS_SVC_MAX_DESTS;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_twos_sum, &s, 0);
	if (s.sum <= 0)
		return XVS_NO_DEST;
	total = (__u64)s.sum + 1;
	s.r1 = bpf_get_prandom_u32() % total;
	s.r2 = bpf_get_prandom_u32() % total;
	s.sum = 0;
	bpf_loop(XVS_SVC_MAX_DESTS, xvs_twos_pick, &s, 0);
	if (s.c1 == XVS_NO_DEST)
		return s.c2;
	if (s.c2 != XVS_NO_DEST && s.w2 * s.oh1 > s.w1 * s.oh2)
		return s.c2;
	return s.c1;
}

#include "lib/lblc.h"

/*
 * Choose a dest for a new connection (packet p) to svc, or XVS_NO_DEST.
 * A global function: the verifier checks it once, on its own, and its
 * caller sees one unknown dest id, so that the rest of the new-connection
 * path is verified once rather than once per outcome of every scheduler
 * (inlined: 208K verified instructions for the program without lblc
 * and lblcr, past the 1M limit with them; as a function, 69K with
 * them), and the scans' state lives in this frame, not the caller's.
 */
__noinline int xvs_schedule(const struct xvs_svc *svc, const struct xvs_pkt *p)
{
	if (!svc || !p)
		return XVS_NO_DEST;
	switch (svc->sched) {
	case XVS_SCHED_RR:
		return xvs_sched_rr(svc->id);
	case XVS_SCHED_WRR:
		return xvs_sched_wrr(svc->id);
	case XVS_SCHED_LC:
		return xvs_sched_pick(svc->id, XVS_PICK_LC);
	case XVS_SCHED_WLC:
		return xvs_sched_pick(svc->id, XVS_PICK_WLC);
	case XVS_SCHED_SED:
		return xvs_sched_pick(svc->id, XVS_PICK_SED);
	case XVS_SCHED_NQ:
		return xvs_sched_pick(svc->id, XVS_PICK_NQ);
	case XVS_SCHED_FO:
		return xvs_sched_pick(svc->id, XVS_PICK_FO);
	case XVS_SCHED_OVF:
		return xvs_sched_pick(svc->id, XVS_PICK_OVF);
	case XVS_SCHED_SH:
	case XVS_SCHED_DH:
		return xvs_sched_hash(svc, p);
	case XVS_SCHED_MH:
		return xvs_sched_mh(svc, p);
	case XVS_SCHED_TWOS:
		return xvs_sched_twos(svc->id);
	case XVS_SCHED_LBLC:
		return xvs_sched_lblc(svc, p);
	case XVS_SCHED_LBLCR:
		return xvs_sched_lblcr(svc, p);
	default:
		/* xvsd refuses schedulers the data plane lacks. */
		return XVS_NO_DEST;
	}
}

#endif
