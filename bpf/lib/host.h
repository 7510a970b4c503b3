/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host.h - is this frame the director's at all?
 *
 * IPVS sees only packets the kernel classed PACKET_HOST. XDP sees every
 * frame the NIC delivers, including unicast frames a switch or bridge
 * floods while it has not learnt (or has aged out) where a MAC lives.
 * On a backup director such a frame carries the master's MAC and the VIP:
 * forwarding it would send a second copy of the client's packet to a real
 * server. So a frame whose destination MAC is not the ingress interface's
 * goes to the kernel, which drops it as another host's.
 *
 * xvsd writes each attached interface's MAC into xvs_iface_macs (.bss)
 * before it attaches. An interface with no entry is not filtered: that
 * keeps BPF_PROG_TEST_RUN tests, which fill no table, on the full path.
 */
#ifndef XVS_BPF_HOST_H
#define XVS_BPF_HOST_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

#include "xvs/dp-t.h"

struct xvs_iface_mac xvs_iface_macs[XVS_MAX_IFACES];

static __always_inline bool xvs_mac_eq(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] &&
	       a[3] == b[3] && a[4] == b[4] && a[5] == b[5];
}

/* True when the frame is addressed to another MAC than the ingress
 * interface's, on an interface xvsd has listed. */
static __always_inline bool xvs_for_other_host(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 ifindex = ctx->ingress_ifindex;

	if ((void *)(eth + 1) > data_end)
		return false;	/* the parser counts it as malformed */
	for (int i = 0; i < XVS_MAX_IFACES; i++) {
		const struct xvs_iface_mac *m = &xvs_iface_macs[i];

		if (m->ifindex == ifindex)
			return !xvs_mac_eq(eth->h_dest, m->mac);
	}
	return false;
}

#endif
