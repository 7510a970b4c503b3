/* SPDX-License-Identifier: GPL-2.0 */
/*
 * icmp.h - ICMP errors about tracked connections (IPv4), as IPVS's
 * ip_vs_in_icmp/ip_vs_out_icmp handle them: destination unreachable
 * (fragmentation needed included), source quench, time exceeded,
 * parameter problem. The error quotes the IP header and the first 8
 * bytes of the packet it is about; that quoted packet names the
 * connection.
 *
 * From the client's side, about a packet VIP:vport -> client:cport (a
 * reply, or a DR/TUN real server's answer, which routers send back to the
 * VIP): DR and TUN forward the error to the connection's dest unchanged,
 * so that the real server learns the path MTU; NAT and FULLNAT translate
 * it back to what the real server sent (quoted RS:rport -> client:cport,
 * or -> LIP:lport) and send it to the dest (outer destination RS, and
 * for FULLNAT outer source LIP).
 *
 * From the servers' side, about a packet the director forwarded
 * (client:cport or LIP:lport -> RS:rport, found through the OUT entry):
 * translated to what the client sent (quoted client:cport -> VIP:vport),
 * outer VIP -> client, routed with bpf_fib_lookup.
 *
 * Checksums: the outer IP header's, the quoted IP header's and the ICMP
 * checksum (which covers the quote) are updated incrementally; the quoted
 * TCP/UDP checksum is left alone, as IPVS leaves it (receivers do not
 * check it). An error whose quote is cut short, has IP options, is a
 * fragment or is not TCP/UDP, or that names no connection, goes to the
 * kernel untouched.
 */
#ifndef XVS_BPF_ICMP_H
#define XVS_BPF_ICMP_H

#include "lib/fwd.h"
#include "lib/nat.h"

#define XVS_ICMP_SOURCE_QUENCH	4
#define XVS_ICMP_TIME_EXCEEDED	11
#define XVS_ICMP_PARAMETERPROB	12

/* Where the headers of an ICMP error are, from the start of the frame. */
struct xvs_icmp_at {
	__u32 icmp;		/* ICMP header */
	__u32 inner;		/* quoted IP header (20 bytes, no options) */
};

static __always_inline int xvs_icmp_is_error(__u8 type)
{
	return type == XVS_ICMP_DEST_UNREACH || type == XVS_ICMP_SOURCE_QUENCH ||
	       type == XVS_ICMP_TIME_EXCEEDED || type == XVS_ICMP_PARAMETERPROB;
}

/*
 * Rewrite the error: outer addresses to (o->saddr, o->daddr), the quoted
 * packet's addresses and ports to q. Returns 0, or -1 if the headers are
 * not where they were found.
 */
static __always_inline int xvs_icmp_rewrite(struct xdp_md *ctx, const struct xvs_pkt *p,
					    const struct xvs_nat_tuple *o,
					    const struct xvs_nat_tuple *q, int dec_ttl)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l3 = p->l2_len & 0x1f, l4 = l3 + (p->l3_len & 0x3c);
	struct iphdr *iph = data + l3, *in;
	struct xvs_icmphdr *ic = data + l4;
	__be16 *ports, old_check;

	if ((void *)(iph + 1) > data_end)
		return -1;
	in = data + l4 + sizeof(*ic);
	ports = data + l4 + sizeof(*ic) + sizeof(*in);
	if ((void *)(ic + 1) > data_end || (void *)(in + 1) > data_end ||
	    (void *)(ports + 2) > data_end)
		return -1;
	xvs_nat_addr(&iph->saddr, &o->saddr, XVS_AF_INET, &iph->check, NULL);
	xvs_nat_addr(&iph->daddr, &o->daddr, XVS_AF_INET, &iph->check, NULL);
	if (dec_ttl)
		xvs_ip4_dec_ttl(iph);
	/* The quote is ICMP payload: each change there moves the ICMP
	 * checksum too, the quoted header's own checksum included. */
	old_check = in->check;
	xvs_nat_addr(&in->saddr, &q->saddr, XVS_AF_INET, &in->check, &ic->checksum);
	xvs_nat_addr(&in->daddr, &q->daddr, XVS_AF_INET, &in->check, &ic->checksum);
	xvs_csum_replace2(&ic->checksum, old_check, in->check);
	xvs_nat_port(&ports[0], q->sport, &ic->checksum);
	xvs_nat_port(&ports[1], q->dport, &ic->checksum);
	return 0;
}

/*
 * An error from the client's side about VIP:vport -> client:cport on
 * connection c (its IN key in s->k) to dest d. s->t holds the quoted
 * tuple as it came.
 */
static __always_inline int xvs_icmp_to_dest(struct xdp_md *ctx, const struct xvs_pkt *p,
					    struct xvs_nat_scratch *s, const struct xvs_conn *c,
					    const struct xvs_dest *d)
{
	struct xvs_nat_tuple *q = &s->t, *o = &s->t2;
	int forwarded = 0;

	if (!(d->flags & XVS_DEST_F_VALID) || !(d->flags & XVS_DEST_F_NEIGH_OK)) {
		xvs_count(XVS_CNT_DROP_NO_NEIGH);
		return XDP_DROP;
	}
	if (!xvs_is_nat(c->fwd)) {
		int verdict;

		if (c->fwd == XVS_FWD_DR) {
			forwarded = 1;
			verdict = xvs_fwd_dr(ctx, d);
		} else if (c->fwd == XVS_FWD_TUN) {
			verdict = xvs_fwd_tun4(ctx, p, d, &forwarded);
		} else {
			return XDP_PASS;	/* Local: the kernel's own */
		}
		if (forwarded)
			xvs_count(XVS_CNT_ICMP_FORWARDED);
		return verdict;
	}
	/* The quote becomes what the server sent: from RS:rport, to the
	 * client or (FULLNAT) to the local address and port. */
	q->saddr = d->addr;
	q->sport = d->port;
	q->daddr = s->k.saddr;	/* the client, cport: the IN key's source */
	q->dport = s->k.sport;
	o->saddr = p->saddr;
	o->daddr = d->addr;
	if (c->fwd == XVS_FWD_FULLNAT) {
		q->daddr = c->nat_addr;
		q->dport = c->nat_sport;
		o->saddr = c->nat_addr;
	}
	if (d->mtu && p->ip_tot_len > d->mtu)
		return XDP_DROP;	/* no error about an error */
	if (xvs_icmp_rewrite(ctx, p, o, q, 0))
		return XDP_DROP;
	xvs_count(XVS_CNT_ICMP_XLATED);
	return xvs_nat_xmit(ctx, d->ifindex, d->dmac, d->smac);
}

/*
 * An error from the servers' side about client:cport or LIP:lport ->
 * RS:rport, through the OUT entry o of connection c: back to the client
 * as if about client:cport -> VIP:vport.
 */
static __always_inline int xvs_icmp_to_client(struct xdp_md *ctx, const struct xvs_pkt *p,
					      struct xvs_nat_scratch *s,
					      const struct xvs_conn_out *out)
{
	struct xvs_nat_tuple *q = &s->t, *o = &s->t2;
	int rc;

	q->saddr = out->caddr;
	q->sport = out->cport;
	q->daddr = out->vaddr;
	q->dport = out->vport;
	o->saddr = out->vaddr;
	o->daddr = out->caddr;
	o->sport = 0;
	o->dport = 0;
	if (xvs_nat_ttl(ctx, p) <= 1)
		return XDP_PASS;	/* routed on by the director: the kernel's */
	rc = xvs_nat_fib(ctx, p, o, &s->fib);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS) {
		xvs_count(rc == BPF_FIB_LKUP_RET_NO_NEIGH ? XVS_CNT_DROP_NO_NEIGH :
			  XVS_CNT_DROP_FIB);
		return XDP_DROP;
	}
	if (xvs_icmp_rewrite(ctx, p, o, q, 1))
		return XDP_DROP;
	xvs_count(XVS_CNT_ICMP_XLATED);
	return xvs_nat_xmit(ctx, s->fib.ifindex, s->fib.dmac, s->fib.smac);
}

/*
 * An IPv4 ICMP packet (p parsed up to the IP header). Returns the
 * verdict; XDP_PASS, untouched, for everything that is not an error about
 * a tracked connection.
 */
static __noinline int xvs_icmp_handle(struct xdp_md *ctx, const struct xvs_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l4 = (p->l2_len & 0x1f) + (p->l3_len & 0x3c);
	struct xvs_nat_scratch *s = xvs_nat_scratch_get();
	struct xvs_icmphdr *ic = data + l4;
	struct xvs_conn_out *out;
	struct xvs_conn *c;
	struct xvs_dest *d;
	struct iphdr *in;
	__be16 *ports;
	__u32 dest_id;

	if (!s || p->af != XVS_AF_INET)
		return XDP_PASS;
	in = data + l4 + sizeof(*ic);
	ports = data + l4 + sizeof(*ic) + sizeof(*in);
	if ((void *)(ic + 1) > data_end || !xvs_icmp_is_error(ic->type))
		return XDP_PASS;
	/* A quote we can read and rewrite whole: 20-byte header, ports. */
	if ((void *)(in + 1) > data_end || (void *)(ports + 2) > data_end ||
	    in->version != 4 || in->ihl != 5 ||
	    (in->protocol != IPPROTO_TCP && in->protocol != IPPROTO_UDP) ||
	    (bpf_ntohs(in->frag_off) & XVS_IP_OFFSET))
		return XDP_PASS;

	/* From the client's side: the quote is VIP:vport -> client:cport. */
	__builtin_memset(&s->k, 0, sizeof(s->k));
	s->k.saddr.ip4 = in->daddr;
	s->k.daddr.ip4 = in->saddr;
	s->k.sport = ports[1];
	s->k.dport = ports[0];
	s->k.proto = in->protocol;
	s->k.af = XVS_AF_INET;
	s->k.kind = XVS_CONN_KIND_IN;
	c = bpf_map_lookup_elem(&xvs_conn_v1, &s->k);
	if (c) {
		dest_id = c->dest_id;
		d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);
		if (!d)
			return XDP_PASS;
		return xvs_icmp_to_dest(ctx, p, s, c, d);
	}

	/* From the servers' side: the quote is what we sent to a dest. */
	s->k.kind = XVS_CONN_KIND_OUT;
	out = bpf_map_lookup_elem(&xvs_conn_v1, &s->k);
	if (!out)
		return XDP_PASS;
	xvs_nat_key(&s->k, &out->caddr, out->cport, &out->vaddr, out->vport, p,
		    XVS_CONN_KIND_IN);
	s->k.proto = in->protocol;	/* p is the ICMP packet */
	c = bpf_map_lookup_elem(&xvs_conn_v1, &s->k);
	if (!c || c->dest_id != out->dest_id || !xvs_is_nat(c->fwd)) {
		xvs_count(XVS_CNT_PASS_REPLY_NO_CONN);
		return XDP_PASS;
	}
	return xvs_icmp_to_client(ctx, p, s, out);
}

#endif
