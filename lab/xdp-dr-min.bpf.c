// SPDX-License-Identifier: GPL-2.0
/*
 * xdp-dr-min.bpf.c - the least an XDP DR load balancer does, as a floor
 * for bench/e2e.sh: an IPv4 frame for one VIP gets one real server's MAC
 * as destination (the director's own MAC as source) and goes back out
 * with XDP_TX; every other frame passes. No connection table, no
 * scheduler, no counters. bench/e2e.sh builds it with clang, giving the
 * VIP and the MAC on the command line:
 *   -DVIP=0xc6120066 (host order) -DRS_MAC=0x02,0x00,0x00,0x00,0x00,0x11
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>

#if !defined(VIP) || !defined(RS_MAC)
#error "build with -DVIP=<IPv4, host order> -DRS_MAC=<six bytes>"
#endif

__attribute__((section("xdp"), used))
int xdp_dr_min(struct xdp_md *ctx)
{
	static const unsigned char rs_mac[ETH_ALEN] = { RS_MAC };
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != __builtin_bswap16(ETH_P_IP) ||
	    ip->daddr != __builtin_bswap32(VIP))
		return XDP_PASS;
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, rs_mac, ETH_ALEN);
	return XDP_TX;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
