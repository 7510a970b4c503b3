// SPDX-License-Identifier: GPL-2.0
/*
 * xvs_rs.bpf.c - the real server's XDP IPIP decapsulator (xvs-rs --mode tun).
 *
 * The director's TUN mode wraps the client's packet in an outer IPv4
 * header (protocol 4, RFC 2003). This kernel has no ipip module, so the
 * real server strips the outer header here and hands the inner packet to
 * the stack, which delivers it to the VIP on lo:
 *
 *   [eth][vlan?][outer ip (ihl*4)][inner ip ...]
 *                 -> [eth][vlan?][inner ip ...]      XDP_PASS
 *
 * Anything else, and anything the program cannot prove well formed, is
 * passed on untouched (XDP_PASS), so that the kernel's own checks and
 * counters see it. Nothing is ever dropped here.
 *
 * Outer destination filter: when the loader sets xvs_rs_check_daddr, only
 * packets whose outer daddr is a key of xvs_rs_local_v1 are decapsulated
 * (the others pass untouched and are counted as NOT_LOCAL). By default it
 * is off and every well-formed IPIP packet is decapsulated: a real server
 * is not a router, so IPIP arriving on its interface is meant for it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "../rs/decap-t.h"

#ifndef ETH_P_8021Q
#define ETH_P_8021Q	0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD	0x88A8
#endif

#define IP_MF		0x2000	/* RFC 791: more fragments */
#define IP_OFFSET	0x1fff	/* RFC 791: fragment offset, 8-byte units */
#define IPV4_MIN_HLEN	20	/* RFC 791: IHL >= 5 words */
#define IPV4_MAX_WORDS	30	/* 60-byte header, in 16-bit words */

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/* Set by the loader before load: 1 = filter on xvs_rs_local_v1. */
const volatile __u32 xvs_rs_check_daddr = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XVS_RS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} xvs_rs_stats_v1 SEC(".maps");

/* Outer IPv4 destinations (network order) this host accepts IPIP for. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XVS_RS_MAX_LOCALS);
	__type(key, __be32);
	__type(value, __u8);
} xvs_rs_local_v1 SEC(".maps");

static __always_inline void count(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&xvs_rs_stats_v1, &what);

	/* Per-CPU slot: no other CPU writes it, so no atomic is needed. */
	if (v)
		*v += 1;
}

/*
 * RFC 791 header checksum over `words` 16-bit words: the one's-complement
 * sum of a valid header, checksum field included, folds to 0xffff. The
 * loop has a named constant bound (a 60-byte header) and checks each word
 * against data_end itself: the verifier cannot carry the caller's
 * "iph + ihl * 4 <= data_end" over to a variable offset.
 */
static __always_inline int ipv4_csum_ok(const struct iphdr *iph, __u32 words,
					const void *data_end)
{
	const __u16 *p = (const __u16 *)iph;
	__u32 sum = 0;
	__u32 i;

	for (i = 0; i < IPV4_MAX_WORDS; i++) {
		const __u16 *w;

		if (i >= words)
			break;
		w = p + i;
		/* Verifier workaround: without the barrier clang rewrites
		 * "w + 1 > data_end" as arithmetic on data_end, which the
		 * verifier rejects ("pointer arithmetic on pkt_end"). */
		asm volatile("" : "+r"(w));
		if ((const void *)(w + 1) > data_end)
			return 0;
		sum += *w;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/*
 * Copy the saved link-layer header (14 or 18 bytes) back in front of the
 * inner IPv4 header after bpf_xdp_adjust_head(). Returns 0, or -1 if the
 * new frame is too short (it cannot be, since the inner header was checked
 * before the move; the check is there for the verifier).
 */
static __always_inline int restore_l2(struct xdp_md *ctx, const __u8 *l2,
				      __u32 l2len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (l2len == sizeof(struct ethhdr)) {
		if (data + sizeof(struct ethhdr) > data_end)
			return -1;
		__builtin_memcpy(data, l2, sizeof(struct ethhdr));
	} else {
		if (data + sizeof(struct ethhdr) + sizeof(struct vlan_hdr) > data_end)
			return -1;
		__builtin_memcpy(data, l2,
				 sizeof(struct ethhdr) + sizeof(struct vlan_hdr));
	}
	return 0;
}

SEC("xdp")
int xvs_rs_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 l2[sizeof(struct ethhdr) + sizeof(struct vlan_hdr)];
	struct ethhdr *eth = data;
	struct iphdr *iph, *inner;
	__u32 l2len = sizeof(*eth);
	__u32 olen, tot_len;
	__be16 proto;

	if ((void *)(eth + 1) > data_end)
		goto malformed;
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vh = (void *)(eth + 1);

		if ((void *)(vh + 1) > data_end)
			goto malformed;
		proto = vh->encap_proto;
		l2len += sizeof(*vh);
	}
	if (proto != bpf_htons(ETH_P_IP))
		goto pass;

	iph = data + l2len;
	if ((void *)(iph + 1) > data_end)
		goto malformed;
	if (iph->protocol != IPPROTO_IPIP)
		goto pass;

	/* From here on the packet is IPIP: prove it well formed. */
	if (iph->version != 4 || iph->ihl < 5)
		goto malformed;
	olen = iph->ihl * 4;
	tot_len = bpf_ntohs(iph->tot_len);
	/* The outer datagram holds at least a minimal inner header, and fits
	 * in the frame (which may carry Ethernet padding after it). */
	if (tot_len < olen + IPV4_MIN_HLEN ||
	    (void *)iph + tot_len > data_end)
		goto malformed;
	/* A fragment (MF set, or a non-zero offset) cannot be decapsulated
	 * alone: leave it to the kernel, which has no ipip to reassemble it
	 * for, so it is dropped there and counted as such. */
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		goto fragment;
	if (!ipv4_csum_ok(iph, olen / 2, data_end))
		goto malformed;

	inner = (void *)iph + olen;
	if ((void *)(inner + 1) > data_end)
		goto malformed;
	if (inner->version != 4)
		goto malformed;

	if (xvs_rs_check_daddr) {
		__be32 daddr = iph->daddr;

		if (!bpf_map_lookup_elem(&xvs_rs_local_v1, &daddr)) {
			count(XVS_RS_CNT_NOT_LOCAL);
			return XDP_PASS;
		}
	}

	/* Save the link-layer header, drop the outer IP header from the
	 * front, then write the link-layer header back. The outer header is
	 * at least 20 bytes and the L2 header at most 18, so copying through
	 * the stack costs little and keeps every access a constant offset. */
	if (l2len == sizeof(*eth)) {
		__builtin_memcpy(l2, data, sizeof(*eth));
	} else {
		if (data + sizeof(l2) > data_end)
			goto malformed;
		__builtin_memcpy(l2, data, sizeof(l2));
	}
	if (bpf_xdp_adjust_head(ctx, olen))
		goto malformed;	/* unchanged on failure */
	if (restore_l2(ctx, l2, l2len))
		return XDP_PASS;	/* unreachable: see restore_l2() */
	/* The EtherType (or the VLAN's encapsulated type) was IPv4 for the
	 * outer header and stays IPv4 for the inner one: nothing to set. */
	count(XVS_RS_CNT_DECAP);
	return XDP_PASS;

pass:
	count(XVS_RS_CNT_PASS);
	return XDP_PASS;
fragment:
	count(XVS_RS_CNT_FRAGMENT);
	return XDP_PASS;
malformed:
	count(XVS_RS_CNT_MALFORMED);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
