/* SPDX-License-Identifier: GPL-2.0 */
/*
 * neigh.h - resolving how to reach a real server, from the route and
 * neighbour tables (netlink), so that the data plane needs no FIB lookup
 * per packet: egress interface, its MAC and MTU, the next hop's MAC, and
 * the source address the director uses towards the server.
 */
#ifndef XVS_NEIGH_H
#define XVS_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "xvs/dp-t.h"

struct xvs_nexthop {
	uint32_t ifindex;
	uint16_t mtu;
	uint8_t smac[6];
	uint8_t dmac[6];
	union xvs_addr saddr;	/* preferred source towards the server */
	bool is_local;		/* the address is this host's own */
	bool resolved;		/* dmac is known */
};

/*
 * Look up the route to addr and the neighbour entry of its next hop.
 * When the neighbour is unknown, ask the kernel to resolve it (NTF_USE)
 * and return with resolved false: call again later. Returns 0 (nh filled)
 * or -errno (-ENETUNREACH: no route).
 */
int xvs_nexthop_resolve(uint8_t af, const union xvs_addr *addr, struct xvs_nexthop *nh);

/*
 * Send one rtnetlink request and feed every reply message to cb (NULL for
 * requests answered by an ACK only, NLM_F_ACK). Returns 0, or -errno from
 * the socket or the kernel's NLMSG_ERROR.
 */
int xvs_nl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data);

#endif
