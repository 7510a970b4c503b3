/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toa.h - the TOA TCP option (kind 254) of FULLNAT: the real server sees
 * the director's local address as the source, so the client's address
 * and port travel in an option, "kind 254, length 8: port(2) ip(4)",
 * which a TOA module on the real server reads when the connection is
 * accepted (reference section 5, FULLNAT extensions).
 *
 * It rides on the client's ACKs from the handshake on, until the real
 * server has answered past the handshake (then the server has accepted
 * the connection and read it). A packet whose TCP header has no room for
 * 8 more bytes (60 at most), with IP options, or that would outgrow the
 * MTU goes without, and XVS_CNT_TOA_NO_ROOM counts it. IPv4 only.
 */
#ifndef XVS_BPF_TOA_H
#define XVS_BPF_TOA_H

#include "lib/csum.h"
#include "lib/parse.h"

#define XVS_TOA_KIND	254
#define XVS_TOA_LEN	8
#define XVS_TCP_HLEN_MAX 60

/* Bytes of TOA this client packet should carry: 0 or XVS_TOA_LEN. */
static __always_inline __u32 xvs_toa_wanted(const struct xvs_conn *c, const struct xvs_pkt *p)
{
	if ((c->nat_flags & (XVS_NAT_F_TOA | XVS_NAT_F_TOA_DONE)) != XVS_NAT_F_TOA)
		return 0;
	if (p->af != XVS_AF_INET || p->proto != IPPROTO_TCP)
		return 0;
	if ((p->tcp_flags & (XVS_TCP_SYN | XVS_TCP_RST | XVS_TCP_ACK)) != XVS_TCP_ACK)
		return 0;
	return XVS_TOA_LEN;
}

/* A reply past the handshake: the server has the connection, stop TOA. */
static __always_inline void xvs_toa_reply_seen(struct xvs_conn *c, const struct xvs_pkt *p)
{
	if ((c->nat_flags & (XVS_NAT_F_TOA | XVS_NAT_F_TOA_DONE)) == XVS_NAT_F_TOA &&
	    !(p->tcp_flags & XVS_TCP_SYN))
		c->nat_flags |= XVS_NAT_F_TOA_DONE;
}

/*
 * Grow the packet by the option: 8 bytes in front, the Ethernet, IP and
 * TCP headers moved down into them (2-byte steps, front to back: the
 * regions overlap), the option written after the TCP header, and tot_len,
 * doff and both checksums updated incrementally. The payload does not
 * move, and the option is 4-byte aligned, so its checksum share stays.
 * Returns 0; 1 when it does not fit (packet untouched); -1 when the packet
 * is left unusable (drop it).
 */
static __always_inline int xvs_toa_insert(struct xdp_md *ctx, const struct xvs_pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l2 = p->l2_len & 0x1f, hdrs;
	__be16 old_word, old_len, new_len;
	struct tcphdr *th;
	struct iphdr *iph;
	__u8 *opt;
	__u32 hl;

	if (p->l3_len != sizeof(struct iphdr))
		return 1;
	th = data + l2 + sizeof(struct iphdr);
	if ((void *)(th + 1) > data_end)
		return 1;
	hl = th->doff * 4;
	if (hl + XVS_TOA_LEN > XVS_TCP_HLEN_MAX)
		return 1;
	hdrs = l2 + sizeof(struct iphdr) + hl;
	if (bpf_xdp_adjust_head(ctx, -XVS_TOA_LEN))
		return 1;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	for (__u32 i = 0; i < (XVS_L2_MAX + 20 + XVS_TCP_HLEN_MAX) / 2; i++) {
		__u16 *dst = data + i * 2;
		__u16 *src = data + i * 2 + XVS_TOA_LEN;

		if (i * 2 >= hdrs)
			break;
		if ((void *)(src + 1) > data_end)
			return -1;
		*dst = *src;
	}

	iph = data + l2;
	th = data + l2 + sizeof(struct iphdr);
	if ((void *)(th + 1) > data_end)
		return -1;
	opt = (__u8 *)th + (hl & 0x3f);
	if ((void *)(opt + XVS_TOA_LEN) > data_end)
		return -1;
	opt[0] = XVS_TOA_KIND;
	opt[1] = XVS_TOA_LEN;
	__builtin_memcpy(opt + 2, &p->sport, 2);
	__builtin_memcpy(opt + 4, &p->saddr.ip4, 4);

	old_len = iph->tot_len;
	iph->tot_len = bpf_htons(bpf_ntohs(old_len) + XVS_TOA_LEN);
	xvs_csum_replace2(&iph->check, old_len, iph->tot_len);
	/* The TCP length in the pseudo-header, the data offset, the option. */
	old_len = bpf_htons(bpf_ntohs(old_len) - sizeof(struct iphdr));
	new_len = bpf_htons(bpf_ntohs(old_len) + XVS_TOA_LEN);
	xvs_csum_replace2(&th->check, old_len, new_len);
	old_word = ((__be16 *)th)[6];
	th->doff += XVS_TOA_LEN / 4;
	xvs_csum_replace2(&th->check, old_word, ((__be16 *)th)[6]);
	xvs_csum_replace4(&th->check, 0, *(__be32 *)opt);
	xvs_csum_replace4(&th->check, 0, *(__be32 *)(opt + 4));
	return 0;
}

#endif
