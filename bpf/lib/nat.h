/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat.h - NAT (masquerading) and FULLNAT: rewriting addresses and ports
 * with incremental checksums, the next hop of a rewritten packet, and the
 * return path.
 *
 * A NAT or FULLNAT connection has two entries in xvs_conn_v1: the forward
 * (IN) entry under the client's 5-tuple, which holds the state, and an
 * OUT entry under the reply's 5-tuple as the director receives it, whose
 * value (struct xvs_conn_out) names the IN entry. A reply costs two hash
 * lookups: OUT, then IN. The three entry points are BPF subprograms
 * (__noinline), each with its own stack frame: inlined into the director
 * they would overflow its 512 bytes.
 *
 *   NAT      in:  client:cport -> VIP:vport   becomes client:cport -> RS:rport
 *            out: RS:rport -> client:cport    becomes VIP:vport -> client:cport
 *   FULLNAT  in:  client:cport -> VIP:vport   becomes LIP:lport -> RS:rport
 *            out: RS:rport -> LIP:lport       becomes VIP:vport -> client:cport
 */
#ifndef XVS_BPF_NAT_H
#define XVS_BPF_NAT_H

#include "lib/conn.h"
#include "lib/csum.h"
#include "lib/fullnat.h"
#include "lib/fwd.h"
#include "lib/maps.h"
#include "lib/nat_scratch.h"
#include "lib/parse.h"
#include "lib/stats.h"
#include "lib/toa.h"

#define XVS_AF_INET_FIB	2	/* AF_INET for bpf_fib_lookup */
#define XVS_AF_INET6_FIB 10

static __always_inline int xvs_addr_eq(const union xvs_addr *a, const union xvs_addr *b)
{
	return ((a->ip6[0] ^ b->ip6[0]) | (a->ip6[1] ^ b->ip6[1]) |
		(a->ip6[2] ^ b->ip6[2]) | (a->ip6[3] ^ b->ip6[3])) == 0;
}

static __always_inline int xvs_is_nat(__u8 fwd)
{
	return fwd == XVS_FWD_NAT || fwd == XVS_FWD_FULLNAT;
}

/* Offset of the L4 checksum: TCP 16, UDP 6; -1 for the others. */
static __always_inline int xvs_l4_csum_off(__u8 proto)
{
	if (proto == IPPROTO_TCP)
		return 16;
	if (proto == IPPROTO_UDP)
		return 6;
	return -1;
}

/*
 * Fold an address change into the L4 checksum (pseudo-header) and, for
 * IPv4, the IP header checksum. ip4_check is NULL for IPv6.
 */
static __always_inline void xvs_nat_addr(__be32 *field, const union xvs_addr *to, __u8 af,
					 __sum16 *ip4_check, __sum16 *l4_check)
{
	if (af == XVS_AF_INET) {
		if (*field == to->ip4)
			return;
		if (ip4_check)
			xvs_csum_replace4(ip4_check, *field, to->ip4);
		if (l4_check)
			xvs_csum_replace4(l4_check, *field, to->ip4);
		*field = to->ip4;
		return;
	}
	if (l4_check) {
		/* One helper call for the 16 bytes: unrolled by hand the
		 * word-by-word updates spill more than the stack can spare. */
		__s64 diff = bpf_csum_diff(field, 16, (__be32 *)to->ip6, 16, 0);
		__u64 sum = (__u16)~*l4_check + (__u64)(__u32)diff;

		sum = (sum & 0xffffffff) + (sum >> 32);
		*l4_check = xvs_csum_fold((__u32)sum);
	}
	__builtin_memcpy(field, to->ip6, 16);
}

static __always_inline void xvs_nat_port(__be16 *field, __be16 to, __sum16 *l4_check)
{
	if (*field == to)
		return;
	if (l4_check)
		xvs_csum_replace2(l4_check, *field, to);
	*field = to;
}

/* A routed IPv4 packet's TTL goes down by one, its checksum with it. */
static __always_inline void xvs_ip4_dec_ttl(struct iphdr *iph)
{
	__be16 *ttl_word = (void *)&iph->ttl, old = *ttl_word;

	iph->ttl--;
	xvs_csum_replace2(&iph->check, old, *ttl_word);
}

/* A connection-table key of kind for the packet p's protocol and family. */
static __always_inline void xvs_nat_key(struct xvs_conn_key *k, const union xvs_addr *saddr,
					__be16 sport, const union xvs_addr *daddr,
					__be16 dport, const struct xvs_pkt *p, __u8 kind)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->saddr = *saddr;
	k->daddr = *daddr;
	k->sport = sport;
	k->dport = dport;
	k->proto = p->proto;
	k->af = p->af;
	k->kind = kind;
}

/*
 * Rewrite the packet's addresses and ports to t, checksums updated
 * incrementally (RFC 1624). dec_ttl: the packet is routed through the
 * director (a reply), so its TTL / hop limit goes down by one, as the
 * kernel's forwarding would. A UDP checksum of 0 (none, IPv4) stays 0.
 * Returns 0, or -1 when the headers are not where the parser left them.
 */
static __always_inline int xvs_nat_rewrite(struct xdp_md *ctx, const struct xvs_pkt *p,
					   const struct xvs_nat_tuple *t, int dec_ttl)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l3 = p->l2_len & 0x1f, l4 = l3 + (p->l3_len & 0x7f);
	int csum_off = xvs_l4_csum_off(p->proto);
	__sum16 *l4_check = NULL;
	__be16 *ports = data + l4;

	if ((void *)(ports + 2) > data_end || csum_off < 0)
		return -1;
	if (data + l4 + csum_off + sizeof(__sum16) > data_end)
		return -1;
	l4_check = data + l4 + csum_off;
	/* UDP over IPv4 may go without a checksum; keep it that way. */
	if (p->proto == IPPROTO_UDP && p->af == XVS_AF_INET && *l4_check == 0)
		l4_check = NULL;

	if (p->af == XVS_AF_INET) {
		struct iphdr *iph = data + l3;

		if ((void *)(iph + 1) > data_end)
			return -1;
		xvs_nat_addr(&iph->saddr, &t->saddr, XVS_AF_INET, &iph->check, l4_check);
		xvs_nat_addr(&iph->daddr, &t->daddr, XVS_AF_INET, &iph->check, l4_check);
		if (dec_ttl)
			xvs_ip4_dec_ttl(iph);
	} else {
		struct ipv6hdr *ip6 = data + l3;

		if ((void *)(ip6 + 1) > data_end)
			return -1;
		xvs_nat_addr((__be32 *)&ip6->saddr, &t->saddr, XVS_AF_INET6, NULL, l4_check);
		xvs_nat_addr((__be32 *)&ip6->daddr, &t->daddr, XVS_AF_INET6, NULL, l4_check);
		if (dec_ttl)
			ip6->hop_limit--;
	}
	xvs_nat_port(&ports[0], t->sport, l4_check);
	xvs_nat_port(&ports[1], t->dport, l4_check);
	/* 0 means "no checksum" in UDP: a computed 0 is sent as its
	 * one's-complement twin (RFC 768). */
	if (l4_check && p->proto == IPPROTO_UDP && *l4_check == 0)
		*l4_check = 0xffff;
	return 0;
}

/* The packet's TTL / hop limit, to spot one that must not be routed on. */
static __always_inline int xvs_nat_ttl(struct xdp_md *ctx, const struct xvs_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l3 = p->l2_len & 0x1f;

	if (p->af == XVS_AF_INET) {
		struct iphdr *iph = data + l3;

		return (void *)(iph + 1) > data_end ? 0 : iph->ttl;
	}
	{
		struct ipv6hdr *ip6 = data + l3;

		return (void *)(ip6 + 1) > data_end ? 0 : ip6->hop_limit;
	}
}

/* Send the frame to ifindex with these MACs: XDP_TX, or the devmap. */
static __always_inline int xvs_nat_xmit(struct xdp_md *ctx, __u32 ifindex,
					const __u8 *dmac, const __u8 *smac)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	int verdict;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(eth->h_dest, dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, smac, ETH_ALEN);
	if (ifindex == ctx->ingress_ifindex)
		return XDP_TX;
	verdict = bpf_redirect_map(&xvs_tx_ports_v1, ifindex, 0);
	/* Not an interface xvsd attached to: the slower per-call redirect. */
	return verdict == XDP_REDIRECT ? verdict : bpf_redirect(ifindex, 0);
}

/*
 * Route the rewritten packet (addresses t) with bpf_fib_lookup, which
 * needs forwarding on the ingress interface, as NAT does anyway
 * (TESTING.md 5). Asked before the rewrite, so that a packet that does not
 * fit the egress MTU can be answered with "fragmentation needed" quoting
 * what its sender sent.
 */
static __always_inline int xvs_nat_fib(struct xdp_md *ctx, const struct xvs_pkt *p,
				       const struct xvs_nat_tuple *t,
				       struct bpf_fib_lookup *fib)
{
	__builtin_memset(fib, 0, sizeof(*fib));
	fib->l4_protocol = p->proto;
	fib->sport = t->sport;
	fib->dport = t->dport;
	fib->tot_len = p->ip_tot_len;
	fib->ifindex = ctx->ingress_ifindex;
	if (p->af == XVS_AF_INET) {
		fib->family = XVS_AF_INET_FIB;
		fib->ipv4_src = t->saddr.ip4;
		fib->ipv4_dst = t->daddr.ip4;
	} else {
		fib->family = XVS_AF_INET6_FIB;
		__builtin_memcpy(fib->ipv6_src, t->saddr.ip6, 16);
		__builtin_memcpy(fib->ipv6_dst, t->daddr.ip6, 16);
	}
	return bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
}

/*
 * A packet too big for the next hop: "fragmentation needed" to its sender
 * when DF is set (IPv4), else dropped; counted either way. IPv6 packets
 * too big are dropped (no packet-too-big builder yet) and counted.
 */
static __always_inline int xvs_nat_too_big(struct xdp_md *ctx, const struct xvs_pkt *p,
					   __u16 mtu)
{
	if (p->af != XVS_AF_INET || !p->ip_df) {
		xvs_count(XVS_CNT_DROP_TOO_BIG);
		return XDP_DROP;
	}
	xvs_count(XVS_CNT_ICMP_FRAG_NEEDED);
	return xvs_icmp4_reply(ctx, p, XVS_ICMP_DEST_UNREACH, XVS_ICMP_FRAG_NEEDED, mtu);
}

/*
 * Client -> real server on a NAT/FULLNAT connection c to dest d: the
 * destination becomes the dest (and, FULLNAT, the source the connection's
 * local address and port), then out to the dest's next hop, which xvsd
 * keeps resolved in the dest entry as for DR. *forwarded as in
 * xvs_forward().
 */
static __noinline int xvs_nat_forward_in(struct xdp_md *ctx, const struct xvs_pkt *p,
					      const struct xvs_dest *d,
					      const struct xvs_conn *c, int *forwarded)
{
	struct xvs_nat_tuple t = {
		.saddr = p->saddr,
		.sport = p->sport,
		.daddr = d->addr,
		.dport = d->port,
	};
	__u32 extra = 0;

	if (!(d->flags & XVS_DEST_F_NEIGH_OK)) {
		xvs_count(XVS_CNT_DROP_NO_NEIGH);
		return XDP_DROP;
	}
	if (c->fwd == XVS_FWD_FULLNAT) {
		t.saddr = c->nat_addr;
		t.sport = c->nat_sport;
		extra = xvs_toa_wanted(c, p);
	}
	if (d->mtu && p->ip_tot_len > d->mtu)
		return xvs_nat_too_big(ctx, p, d->mtu);
	if (extra) {
		/* The headers move, their offsets from the start do not. */
		int res = d->mtu && p->ip_tot_len + extra > d->mtu ? 1 :
			  xvs_toa_insert(ctx, p);

		if (res < 0)
			return XDP_DROP;
		if (res > 0)
			xvs_count(XVS_CNT_TOA_NO_ROOM);
	}
	if (xvs_nat_rewrite(ctx, p, &t, 0))
		return XDP_DROP;
	*forwarded = 1;
	return xvs_nat_xmit(ctx, d->ifindex, d->dmac, d->smac);
}

/*
 * A new NAT/FULLNAT connection for packet p (key k) to dest a->dest_id (d):
 * the OUT entry first, so that no reply can arrive before it, then the IN
 * entry. FULLNAT allocates the local address and port by inserting the
 * OUT entry (fullnat.h). A CPU that loses the race for the IN entry takes
 * its OUT entry back, unless it is the winner's too. Returns the IN entry,
 * or NULL with a->verdict set and the reason counted.
 */
/*
 * The arguments of xvs_nat_conn_create() beyond the five a BPF call
 * takes, in the scratch space (the director's frame is full).
 */
static __always_inline struct xvs_nat_new *
xvs_nat_new_args(__u64 now, __u64 update_flags, __u32 dest_id)
{
	struct xvs_nat_scratch *s = xvs_nat_scratch_get();

	if (!s)
		return NULL;
	s->a.now = now;
	s->a.update_flags = update_flags;
	s->a.dest_id = dest_id;
	s->a.verdict = XDP_DROP;
	s->a.created = 0;
	return &s->a;
}

static __noinline struct xvs_conn *
xvs_nat_conn_create(const struct xvs_conn_key *k, const struct xvs_pkt *p,
		    const struct xvs_svc *svc, const struct xvs_dest *d,
		    struct xvs_nat_new *a)
{
	struct xvs_nat_scratch *s = xvs_nat_scratch_get();
	struct xvs_conn *in;

	a->verdict = XDP_DROP;
	if (!s)
		return NULL;
	__builtin_memset(&s->o, 0, sizeof(s->o));
	s->o.last_seen_ns = a->now;
	s->o.caddr = p->saddr;
	s->o.vaddr = p->daddr;
	s->o.cport = p->sport;
	s->o.vport = p->dport;
	s->o.dest_id = a->dest_id;
	/* NAT's reply goes to the client; FULLNAT's daddr/dport are the
	 * local address and port, chosen by xvs_lport_alloc(). */
	xvs_nat_key(&s->k, &d->addr, d->port, &p->saddr, p->sport, p, XVS_CONN_KIND_OUT);
	xvs_conn_init(&s->c, p, svc->id, a->dest_id, d->fwd, a->now);
	if (d->fwd == XVS_FWD_NAT) {
		if (bpf_map_update_elem(&xvs_conn_v1, &s->k, &s->o, BPF_ANY)) {
			xvs_count(XVS_CNT_DROP_CONN_FULL);
			return NULL;
		}
	} else {
		if (xvs_lport_alloc(svc->id)) {
			xvs_count(XVS_CNT_DROP_LPORT_EXHAUSTED);
			return NULL;
		}
		s->c.nat_addr = s->k.daddr;
		s->c.nat_sport = s->k.dport;
		s->c.nat_dport = d->port;
		if (svc->flags & XVS_SVC_F_TOA)
			s->c.nat_flags = XVS_NAT_F_TOA;
	}
	in = xvs_conn_insert(k, &s->c, d->u_threshold, a->update_flags, &a->created);
	if (!a->created && !(in && in->dest_id == a->dest_id && d->fwd == XVS_FWD_NAT))
		bpf_map_delete_elem(&xvs_conn_v1, &s->k);
	if (!in)
		xvs_count(XVS_CNT_DROP_CONN_FULL);
	return in;
}

/*
 * The return path: is p a reply on a NAT/FULLNAT connection? Its OUT
 * entry names the IN entry; the IN entry must still be there, point at
 * the same dest and, for FULLNAT, own this local port, or the packet is
 * not translated (a stale or spoofed reply goes to the kernel as it
 * came). Returns -1 when p is not a reply at all, else the verdict.
 */
static __noinline int xvs_nat_reply(struct xdp_md *ctx, const struct xvs_pkt *p,
				    __u64 now)
{
	struct xvs_nat_scratch *s = xvs_nat_scratch_get();
	struct xvs_nat_tuple *t;
	struct xvs_conn_out *o;
	struct xvs_conn *c;
	int rc;

	if (!s)
		return -1;
	xvs_nat_key(&s->k, &p->saddr, p->sport, &p->daddr, p->dport, p, XVS_CONN_KIND_OUT);
	o = bpf_map_lookup_elem(&xvs_conn_v1, &s->k);
	if (!o)
		return -1;
	xvs_nat_key(&s->k, &o->caddr, o->cport, &o->vaddr, o->vport, p, XVS_CONN_KIND_IN);
	c = bpf_map_lookup_elem(&xvs_conn_v1, &s->k);
	if (!c || c->dest_id != o->dest_id || !xvs_is_nat(c->fwd) ||
	    (c->fwd == XVS_FWD_FULLNAT &&
	     (c->nat_sport != p->dport || !xvs_addr_eq(&c->nat_addr, &p->daddr))) ||
	    (c->fwd == XVS_FWD_NAT && !xvs_addr_eq(&o->caddr, &p->daddr))) {
		xvs_count(XVS_CNT_PASS_REPLY_NO_CONN);
		return XDP_PASS;
	}

	t = &s->t;
	t->saddr = o->vaddr;
	t->sport = o->vport;
	t->daddr = o->caddr;
	t->dport = o->cport;
	if (xvs_nat_ttl(ctx, p) <= 1)
		return XDP_PASS;	/* the kernel sends "time exceeded" */
	rc = xvs_nat_fib(ctx, p, t, &s->fib);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return xvs_nat_too_big(ctx, p, s->fib.mtu_result);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) {
		xvs_count(XVS_CNT_DROP_FIB);
		return XDP_DROP;
	}
	if (p->proto == IPPROTO_TCP) {
		xvs_conn_tcp_state(c, p->tcp_flags, XVS_DIR_OUTPUT);
		xvs_toa_reply_seen(c, p);
	}
	if (c->last_seen_ns != now)
		c->last_seen_ns = now;
	if (o->last_seen_ns != now)
		o->last_seen_ns = now;
	xvs_stats_out(c->svc_id, c->dest_id, p->ip_tot_len);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		/* XDP cannot resolve a neighbour: the kernel forwards this
		 * one, translated, and resolves the next hop on the way, so
		 * that later replies find it. Its source is the VIP, a local
		 * address: the ingress interface needs accept_local=1. */
		if (xvs_nat_rewrite(ctx, p, t, 0))
			return XDP_DROP;
		xvs_count(XVS_CNT_PASS_NAT_NO_NEIGH);
		return XDP_PASS;
	}
	if (xvs_nat_rewrite(ctx, p, t, 1))
		return XDP_DROP;
	return xvs_nat_xmit(ctx, s->fib.ifindex, s->fib.dmac, s->fib.smac);
}

#endif
