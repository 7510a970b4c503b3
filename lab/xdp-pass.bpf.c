// SPDX-License-Identifier: GPL-2.0
/*
 * xdp-pass.bpf.c - XDP_PASS, nothing else. The lab attaches it to the
 * bridge ports that face the director: frames the director puts back on
 * its veth with XDP_TX/XDP_REDIRECT land in the peer's XDP ring, and on
 * this kernel the peer's NAPI is only kicked when the peer has an XDP
 * program (veth_xdp_flush); with GRO alone they sit in the ring until an
 * unrelated packet arrives. Built by lab.sh with clang at lab_up time.
 */
#include <linux/bpf.h>

__attribute__((section("xdp"), used))
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
