/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwd.h - sending a packet to its dest: DR (new MACs), TUN (IPIP), and the
 * ICMP errors the director answers with itself (fragmentation needed when
 * the encapsulated packet would not fit, port unreachable when a service
 * has no dest, as IPVS's ip_vs_leave does).
 */
#ifndef XVS_BPF_FWD_H
#define XVS_BPF_FWD_H

#include "lib/csum.h"
#include "lib/parse.h"
#include "lib/stats.h"

#define XVS_IPIP_HLEN	20	/* outer IPv4 header, no options */
#define XVS_L2_MAX	18	/* Ethernet + one VLAN tag */
#define XVS_ICMP_QUOTE_L4 8	/* RFC 792: the header plus 64 bits */

/* RFC 792 / RFC 1191. linux/icmp.h drags in libc headers, so define ours. */
#define XVS_ICMP_DEST_UNREACH	3
#define XVS_ICMP_PORT_UNREACH	3
#define XVS_ICMP_FRAG_NEEDED	4

struct xvs_icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 unused;
	__be16 mtu;		/* next-hop MTU for FRAG_NEEDED */
};

/* Egress: out the way it came, or redirected to the dest's interface. */
static __always_inline int xvs_xmit(struct xdp_md *ctx, const struct xvs_dest *d)
{
	if (d->ifindex == ctx->ingress_ifindex)
		return XDP_TX;
	return bpf_redirect(d->ifindex, 0);
}

/* Put the dest's next-hop MACs on the frame at data. */
static __always_inline void xvs_set_macs(struct ethhdr *eth, const struct xvs_dest *d)
{
	__builtin_memcpy(eth->h_dest, d->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, d->smac, ETH_ALEN);
}

/* DR: only the MACs change; the IP packet goes to the RS as it came. */
static __always_inline int xvs_fwd_dr(struct xdp_md *ctx, const struct xvs_dest *d)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	xvs_set_macs(eth, d);
	return xvs_xmit(ctx, d);
}

/* Copy the L2 header (len 14 or 18) from src to dst, front to back. */
static __always_inline int xvs_copy_l2(void *dst, const void *src, __u32 len,
				       void *data_end)
{
	if (src + XVS_L2_MAX > data_end || dst + XVS_L2_MAX > data_end)
		return -1;
	__builtin_memcpy(dst, src, 14);
	if (len > 14)
		__builtin_memcpy(dst + 14, src + 14, 4);
	return 0;
}

/*
 * Turn the packet into an ICMP error back to its sender, in place: keep
 * the L2 header with the MACs swapped, then a new IPv4 header from
 * the packet's destination to its source, the ICMP header, and the quoted
 * original IP header plus 8 bytes of its payload. Returns XDP_TX, or
 * XDP_DROP when the packet cannot be reshaped.
 */
static __always_inline int xvs_icmp4_reply(struct xdp_md *ctx, const struct xvs_pkt *p,
					   __u8 type, __u8 code, __u16 mtu)
{
	__u32 l2 = p->l2_len, quote = p->l3_len + XVS_ICMP_QUOTE_L4;
	__u32 hdrs = sizeof(struct iphdr) + sizeof(struct xvs_icmphdr);
	void *data, *data_end;
	struct ethhdr *eth;
	struct iphdr *iph;
	struct xvs_icmphdr *ic;
	__u8 mac[ETH_ALEN];
	__u32 sum = 0;
	__u16 *w;

	if (l2 > XVS_L2_MAX || p->ip_tot_len < quote)
		return XDP_DROP;
	/* Cut the packet to the part the ICMP message quotes. The frame
	 * length comes from a helper: pointer differences computed in 32
	 * bits are refused by the verifier. */
	if (bpf_xdp_adjust_tail(ctx, (int)(l2 + quote) - (int)bpf_xdp_get_buff_len(ctx)))
		return XDP_DROP;
	if (bpf_xdp_adjust_head(ctx, -(int)hdrs))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (xvs_copy_l2(data, data + hdrs, l2, data_end))
		return XDP_DROP;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);

	iph = data + (l2 & 0x1f);
	ic = (void *)(iph + 1);
	if ((void *)(ic + 1) > data_end)
		return XDP_DROP;
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0xc0;	/* internetwork control, as Linux sends ICMP */
	iph->tot_len = bpf_htons(hdrs + quote);
	iph->id = 0;
	iph->frag_off = 0;
	iph->ttl = 64;
	iph->protocol = IPPROTO_ICMP;
	iph->check = 0;
	/* The error comes from the address the client was talking to. */
	if ((void *)(ic + 1) + sizeof(struct iphdr) > data_end)
		return XDP_DROP;
	{
		struct iphdr *orig = (void *)(ic + 1);

		iph->saddr = orig->daddr;
		iph->daddr = orig->saddr;
	}
	iph->check = xvs_csum_iph20(iph);

	ic->type = type;
	ic->code = code;
	ic->checksum = 0;
	ic->unused = 0;
	ic->mtu = bpf_htons(mtu);
	/* ICMP checksum over header and quote: at most 8 + 60 + 8 bytes. */
	w = (void *)ic;
	for (int i = 0; i < (8 + 60 + 8) / 2; i++) {
		if (i * 2 >= (int)(sizeof(*ic) + quote) || (void *)(w + i + 1) > data_end)
			break;
		sum += w[i];
	}
	ic->checksum = xvs_csum_fold(sum);
	return XDP_TX;
}

/*
 * TUN: wrap the IPv4 packet in an outer IPv4 header from the director to
 * the real server (IPIP, protocol 4). XDP cannot fragment, so a packet that
 * would exceed the egress MTU gets "fragmentation needed" back, with the
 * MTU that leaves room for the outer header, and is not forwarded.
 * *forwarded is set only when the packet goes on to the dest.
 */
static __always_inline int xvs_fwd_tun4(struct xdp_md *ctx, const struct xvs_pkt *p,
					const struct xvs_dest *d, int *forwarded)
{
	__u32 l2 = p->l2_len, outer_len = p->ip_tot_len + XVS_IPIP_HLEN;
	void *data, *data_end;
	struct iphdr *outer, *inner;

	if (d->mtu && outer_len > d->mtu) {
		if (!p->ip_df) {
			xvs_count(XVS_CNT_DROP_TOO_BIG);
			return XDP_DROP;
		}
		xvs_count(XVS_CNT_ICMP_FRAG_NEEDED);
		return xvs_icmp4_reply(ctx, p, XVS_ICMP_DEST_UNREACH, XVS_ICMP_FRAG_NEEDED,
				       d->mtu - XVS_IPIP_HLEN);
	}
	if (l2 > XVS_L2_MAX || bpf_xdp_adjust_head(ctx, -XVS_IPIP_HLEN)) {
		xvs_count(XVS_CNT_DROP_ENCAP);
		return XDP_DROP;
	}
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (xvs_copy_l2(data, data + XVS_IPIP_HLEN, l2, data_end))
		return XDP_DROP;
	outer = data + (l2 & 0x1f);
	inner = (void *)(outer + 1);
	if ((void *)(inner + 1) > data_end)
		return XDP_DROP;
	outer->version = 4;
	outer->ihl = 5;
	outer->tos = inner->tos;
	outer->tot_len = bpf_htons(outer_len);
	/* With DF the ID need not be unique (RFC 6864); without it, it must
	 * differ between packets that may be fragmented on the way. */
	outer->id = p->ip_df ? 0 : (__u16)bpf_get_prandom_u32();
	outer->frag_off = p->ip_df ? bpf_htons(XVS_IP_DF) : 0;
	outer->ttl = inner->ttl;
	outer->protocol = IPPROTO_IPIP;
	outer->check = 0;
	outer->saddr = d->saddr.ip4;
	outer->daddr = d->addr.ip4;
	outer->check = xvs_csum_iph20(outer);
	xvs_set_macs(data, d);
	*forwarded = 1;
	return xvs_xmit(ctx, d);
}

#endif
