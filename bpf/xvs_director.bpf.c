// SPDX-License-Identifier: GPL-2.0
/*
 * xvs_director.bpf.c - the director's XDP program: IPVS's data plane.
 *
 * Per packet: parse, then look the connection up by its 5-tuple, as IPVS
 * does before it looks at services, so that an established flow costs one
 * hash lookup and outlives an edit or deletion of its service. On a miss,
 * look the service up by (af, proto, VIP, port); a new connection (a TCP
 * SYN, or any UDP packet) is scheduled to a dest and entered in the
 * table. Then the packet is forwarded by the dest's method. Everything
 * that is not a service's traffic goes to the kernel untouched.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lib/conn.h"
#include "lib/fwd.h"
#include "lib/host.h"
#include "lib/icmp.h"
#include "lib/maps.h"
#include "lib/nat.h"
#include "lib/parse.h"
#include "lib/persist.h"
#include "lib/sched.h"
#include "lib/stats.h"

char LICENSE[] SEC("license") = "GPL";

/* Parse results to counters, for the packets we hand to the kernel. */
static __always_inline int xvs_pass_unparsed(int res)
{
	switch (res) {
	case XVS_PARSE_NOT_IP:
		xvs_count(XVS_CNT_PASS_NOT_IP);
		break;
	case XVS_PARSE_FRAGMENT:
		xvs_count(XVS_CNT_PASS_FRAGMENT);
		break;
	case XVS_PARSE_OTHER_L4:
		xvs_count(XVS_CNT_PASS_NO_SERVICE);
		break;
	default:
		xvs_count(XVS_CNT_PASS_MALFORMED);
		break;
	}
	return XDP_PASS;
}

/* Does this packet open a connection? TCP: a SYN without ACK or RST. */
static __always_inline int xvs_is_conn_start(const struct xvs_pkt *p)
{
	if (p->proto != IPPROTO_TCP)
		return 1;
	return (p->tcp_flags & (XVS_TCP_SYN | XVS_TCP_ACK | XVS_TCP_RST)) == XVS_TCP_SYN;
}

/*
 * Schedule and enter a new connection to svc (found under svc_port, 0 for
 * a port-0 service). update_flags is BPF_NOEXIST, or BPF_ANY when a SYN
 * reuses a TIME_WAIT entry. Returns the entry, or NULL after sending the
 * client an ICMP port unreachable (*verdict set), as IPVS does when a
 * service has no dest. A one-packet (-o) datagram gets no entry: it is
 * described in *ops, which is returned.
 */
static __always_inline struct xvs_conn *
xvs_new_conn(struct xdp_md *ctx, const struct xvs_svc *svc, __be16 svc_port,
	     const struct xvs_pkt *p, const struct xvs_conn_key *k, __u64 now,
	     __u64 update_flags, struct xvs_conn *ops, int *verdict, int *created)
{
	struct xvs_dest *d;
	struct xvs_conn *c;
	__u32 dest_id;
	__u8 cflags;

	dest_id = xvs_persist_schedule(svc, svc_port, p, k, now, &cflags);
	d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);
	if (dest_id == XVS_NO_DEST || !d) {
		xvs_count(XVS_CNT_DROP_NO_DEST);
		*verdict = p->af == XVS_AF_INET ?
			xvs_icmp4_reply(ctx, p, XVS_ICMP_DEST_UNREACH, XVS_ICMP_PORT_UNREACH, 0) :
			XDP_DROP;
		return NULL;
	}
	if (xvs_is_onepacket(svc, p) && !xvs_is_nat(d->fwd)) {
		/* IPVS hashes no one-packet entry and expires it at once:
		 * each datagram is scheduled and counted on its own. NAT
		 * and FULLNAT need the entry to translate, so they keep it. */
		ops->dest_id = dest_id;
		ops->svc_id = svc->id;
		ops->fwd = d->fwd;
		ops->flags = XVS_CONN_F_ONEPACKET;
		*created = 1;
		return ops;
	}
	if (xvs_is_nat(d->fwd)) {
		struct xvs_nat_new *a = xvs_nat_new_args(now, update_flags, dest_id);

		if (!a)
			return NULL;
		c = xvs_nat_conn_create(k, p, svc, d, a);
		*verdict = a->verdict;
		*created = a->created;
	} else {
		c = xvs_conn_create(k, p, svc->id, dest_id, d->fwd, d->u_threshold, now,
				    update_flags, created);
		if (!c) {
			xvs_count(XVS_CNT_DROP_CONN_FULL);
			*verdict = XDP_DROP;
		}
	}
	/* A persistent service's connection names its template. */
	if (c && *created && cflags) {
		c->flags |= cflags;
		c->tpl_mask = svc->pmask_len;
	}
	return c;
}

/*
 * Forward by the dest's method. *forwarded is set when the packet goes on
 * to the dest (or, for Local, to this host's stack), not when it was
 * dropped or answered with an ICMP error.
 */
static __always_inline int xvs_forward(struct xdp_md *ctx, const struct xvs_pkt *p,
				       const struct xvs_dest *d, int *forwarded)
{
	if (d->fwd == XVS_FWD_LOCAL) {
		xvs_count(XVS_CNT_PASS_LOCAL);
		*forwarded = 1;
		return XDP_PASS;
	}
	if (!(d->flags & XVS_DEST_F_NEIGH_OK)) {
		xvs_count(XVS_CNT_DROP_NO_NEIGH);
		return XDP_DROP;
	}
	if (d->fwd == XVS_FWD_DR) {
		*forwarded = 1;
		return xvs_fwd_dr(ctx, d);
	}
	if (d->fwd == XVS_FWD_TUN && p->af == XVS_AF_INET)
		return xvs_fwd_tun4(ctx, p, d, forwarded);
	xvs_count(XVS_CNT_DROP_UNSUPPORTED);
	return XDP_DROP;
}

SEC("xdp")
int xvs_director(struct xdp_md *ctx)
{
	struct xvs_svc_key sk = {};
	struct xvs_conn_key ck;
	struct xvs_conn old = {}, ops = {};
	struct xvs_pkt p = {};
	struct xvs_svc *svc;
	struct xvs_conn *c;
	struct xvs_dest *d;
	int res, verdict = XDP_DROP, created = 0, forwarded = 0;
	__u64 now, update_flags = BPF_NOEXIST;
	__u32 dest_id;

	if (xvs_for_other_host(ctx)) {
		xvs_count(XVS_CNT_PASS_OTHER_HOST);
		return XDP_PASS;
	}
	res = xvs_parse(ctx, &p);
	if (res == XVS_PARSE_OTHER_L4 && p.proto == IPPROTO_ICMP) {
		verdict = xvs_icmp_handle(ctx, &p);
		if (verdict != XDP_PASS)
			return verdict;
	}
	if (res != XVS_PARSE_OK)
		return xvs_pass_unparsed(res);

	now = bpf_ktime_get_coarse_ns();
	xvs_conn_key_in(&p, &ck);
	c = bpf_map_lookup_elem(&xvs_conn_v1, &ck);
	if (c && !(p.proto == IPPROTO_TCP && c->state == XVS_TCP_TIME_WAIT &&
		   xvs_is_conn_start(&p))) {
		/* Established: the fast path, one hash lookup. */
		if (p.proto == IPPROTO_TCP) {
			__u8 was = c->state;

			xvs_conn_tcp_input(c, p.tcp_flags);
			xvs_persist_on_state(&ck, c, was);
		}
		/* Coarse time moves once a tick: skip the store (and the
		 * cache-line write) when nothing changed. */
		if (c->last_seen_ns != now)
			c->last_seen_ns = now;
	} else {
		/* Not the client's side of a connection: a NAT reply? */
		if (!c) {
			verdict = xvs_nat_reply(ctx, &p, now);
			if (verdict >= 0)
				return verdict;
		}
		sk.addr = p.daddr;
		sk.port = p.dport;
		sk.proto = p.proto;
		sk.af = p.af;
		svc = bpf_map_lookup_elem(&xvs_svc_v1, &sk);
		if (!svc) {
			/* IPVS's catch-all: a port-0 service takes the ports
			 * of its VIP that no service of their own has. */
			sk.port = 0;
			svc = bpf_map_lookup_elem(&xvs_svc_v1, &sk);
		}
		if (!svc) {
			xvs_count(XVS_CNT_PASS_NO_SERVICE);
			return XDP_PASS;
		}
		if (c) {
			/* A new SYN on a TIME_WAIT entry is a new connection,
			 * scheduled afresh (IPVS conn_reuse_mode 1). The old
			 * entry's count is released once it is replaced. */
			old = *c;
			update_flags = BPF_ANY;
		} else if (!xvs_is_conn_start(&p)) {
			/* IPVS schedules TCP only on a SYN; the rest is the
			 * kernel's business (it resets a stray segment). */
			xvs_count(XVS_CNT_PASS_NO_CONN);
			return XDP_PASS;
		}
		c = xvs_new_conn(ctx, svc, sk.port, &p, &ck, now, update_flags, &ops,
				 &verdict, &created);
		if (!c)
			return verdict;
		if (created && update_flags == BPF_ANY)
			xvs_conn_unaccount(&old);
	}

	dest_id = c->dest_id;
	d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);
	if (!d || !(d->flags & XVS_DEST_F_VALID)) {
		xvs_count(XVS_CNT_DROP_DEST_GONE);
		return XDP_DROP;
	}
	if (xvs_is_nat(c->fwd))
		verdict = xvs_nat_forward_in(ctx, &p, d, c, &forwarded);
	else
		verdict = xvs_forward(ctx, &p, d, &forwarded);
	/* Count only what went to the dest: not ICMP answers, not drops. */
	if (forwarded)
		xvs_stats_in(c->svc_id, dest_id, p.ip_tot_len, created);
	return verdict;
}
