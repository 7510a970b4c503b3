/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - packet parsing for the director. A cursor walks Ethernet, one
 * optional 802.1Q tag, IPv4 or IPv6, and TCP/UDP/SCTP ports, checking
 * bounds before every access. Anything it cannot vouch for (truncated,
 * bad lengths, fragments, IPv6 extension headers) makes the caller pass
 * the packet to the kernel untouched.
 */
#ifndef XVS_BPF_PARSE_H
#define XVS_BPF_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xvs/dp-t.h"

#define XVS_ETH_P_8021Q	0x8100
#define XVS_IP_MF	0x2000
#define XVS_IP_DF	0x4000
#define XVS_IP_OFFSET	0x1fff

/* TCP flag bits as they sit in byte 13 of the header. */
#define XVS_TCP_FIN	0x01
#define XVS_TCP_SYN	0x02
#define XVS_TCP_RST	0x04
#define XVS_TCP_ACK	0x10

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/* What the parser found. Offsets are from the start of the frame. */
struct xvs_pkt {
	union xvs_addr saddr;
	union xvs_addr daddr;
	__be16 sport;
	__be16 dport;
	__u16 l2_len;		/* Ethernet (+ VLAN) header bytes */
	__u16 l3_len;		/* IP header bytes (IPv4 ihl*4, IPv6 40) */
	__u16 ip_tot_len;	/* whole IP packet, header included */
	__u8 af;
	__u8 proto;
	__u8 tcp_flags;
	__u8 ip_df;		/* IPv4 DF set (IPv6: always 1) */
	__u8 pad0[2];
};

enum xvs_parse_result {
	XVS_PARSE_OK = 0,
	XVS_PARSE_NOT_IP,
	XVS_PARSE_MALFORMED,
	XVS_PARSE_FRAGMENT,
	XVS_PARSE_OTHER_L4,	/* an IP protocol we do not balance */
};

/* Read the ports (and TCP flags) of the L4 header at off. */
static __always_inline int xvs_parse_l4(void *data, void *data_end, __u32 off,
					struct xvs_pkt *p)
{
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *th = data + off;

		if ((void *)(th + 1) > data_end)
			return XVS_PARSE_MALFORMED;
		if (th->doff < 5)
			return XVS_PARSE_MALFORMED;
		p->sport = th->source;
		p->dport = th->dest;
		p->tcp_flags = ((__u8 *)th)[13];
		return XVS_PARSE_OK;
	}
	if (p->proto == IPPROTO_UDP || p->proto == IPPROTO_SCTP) {
		/* UDP and SCTP both start with source and destination port. */
		struct udphdr *uh = data + off;

		if ((void *)(uh + 1) > data_end)
			return XVS_PARSE_MALFORMED;
		p->sport = uh->source;
		p->dport = uh->dest;
		return XVS_PARSE_OK;
	}
	return XVS_PARSE_OTHER_L4;
}

static __always_inline int xvs_parse_ipv4(void *data, void *data_end, __u32 off,
					  struct xvs_pkt *p)
{
	struct iphdr *iph = data + off;
	__u16 frag;

	if ((void *)(iph + 1) > data_end)
		return XVS_PARSE_MALFORMED;
	if (iph->version != 4 || iph->ihl < 5)
		return XVS_PARSE_MALFORMED;
	p->l3_len = iph->ihl * 4;
	p->ip_tot_len = bpf_ntohs(iph->tot_len);
	/* The IP length must cover its header and fit in the frame. */
	if (p->ip_tot_len < p->l3_len ||
	    data + off + p->ip_tot_len > data_end)
		return XVS_PARSE_MALFORMED;
	frag = bpf_ntohs(iph->frag_off);
	if (frag & (XVS_IP_MF | XVS_IP_OFFSET))
		return XVS_PARSE_FRAGMENT;
	p->ip_df = !!(frag & XVS_IP_DF);
	p->af = XVS_AF_INET;
	p->proto = iph->protocol;
	p->saddr.ip4 = iph->saddr;
	p->daddr.ip4 = iph->daddr;
	return xvs_parse_l4(data, data_end, off + p->l3_len, p);
}

static __always_inline int xvs_parse_ipv6(void *data, void *data_end, __u32 off,
					  struct xvs_pkt *p)
{
	struct ipv6hdr *ip6 = data + off;

	if ((void *)(ip6 + 1) > data_end)
		return XVS_PARSE_MALFORMED;
	if (ip6->version != 6)
		return XVS_PARSE_MALFORMED;
	p->l3_len = sizeof(*ip6);
	p->ip_tot_len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
	if (data + off + p->ip_tot_len > data_end)
		return XVS_PARSE_MALFORMED;
	p->ip_df = 1;	/* IPv6 routers never fragment */
	p->af = XVS_AF_INET6;
	p->proto = ip6->nexthdr;
	__builtin_memcpy(p->saddr.bytes, &ip6->saddr, 16);
	__builtin_memcpy(p->daddr.bytes, &ip6->daddr, 16);
	/* Extension headers (fragments included) end up as OTHER_L4. */
	return xvs_parse_l4(data, data_end, off + p->l3_len, p);
}

/* Parse the frame in ctx into *p. Returns an xvs_parse_result. */
static __always_inline int xvs_parse(struct xdp_md *ctx, struct xvs_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__be16 proto;
	__u32 off = sizeof(*eth);

	if ((void *)(eth + 1) > data_end)
		return XVS_PARSE_MALFORMED;
	proto = eth->h_proto;
	if (proto == bpf_htons(XVS_ETH_P_8021Q)) {
		struct vlan_hdr *vh = data + off;

		if ((void *)(vh + 1) > data_end)
			return XVS_PARSE_MALFORMED;
		proto = vh->encap_proto;
		off += sizeof(*vh);
	}
	p->l2_len = off;
	if (proto == bpf_htons(ETH_P_IP))
		return xvs_parse_ipv4(data, data_end, off, p);
	if (proto == bpf_htons(ETH_P_IPV6))
		return xvs_parse_ipv6(data, data_end, off, p);
	return XVS_PARSE_NOT_IP;
}

#endif
