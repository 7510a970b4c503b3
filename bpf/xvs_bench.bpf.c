// SPDX-License-Identifier: GPL-2.0
/*
 * xvs_bench.bpf.c - baseline XDP programs for bench/xdp_bench.c, never
 * attached by xvsd. The director's costs are reported as ratios to
 * xvs_bench_macswap, the smallest program that does what a load balancer
 * must (touch the frame and send it back out), timed the same way in the
 * same run; xvs_bench_pass is the empty program whose cost is the test-run
 * harness itself, subtracted when timing with one run per call.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* The empty program: the harness's own cost. */
SEC("xdp")
int xvs_bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Swap source and destination MAC and send the frame back: the baseline. */
SEC("xdp")
int xvs_bench_macswap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 tmp[ETH_ALEN];

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
	return XDP_TX;
}
