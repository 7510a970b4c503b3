/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat_env.h - a private network namespace in which bpf_fib_lookup()
 * answers, for the NAT/FULLNAT tests under BPF_PROG_TEST_RUN.
 *
 * The return path routes replies with bpf_fib_lookup, which needs a route,
 * a neighbour and forwarding on the ingress interface (TESTING.md 5). The
 * test process moves into a fresh network namespace (nothing outside it is
 * touched, and BPF_PROG_TEST_RUN sends nothing anyway) and builds the
 * director's two arms there with fixed MACs and permanent neighbours:
 *
 *   xa  198.18.0.10/24  02:00:00:00:00:10  client side; 198.18.2.0/24 and
 *                                          198.19.0.0/16 via 198.18.0.1
 *                                          (02:00:00:00:00:c1)
 *   xb  198.18.1.10/24  02:00:00:00:00:20  real-server side; 198.18.1.11
 *                                          is 02:00:00:00:01:01
 *
 * xa and xb are the two ends of one veth pair.
 */
#ifndef XVS_TESTS_NAT_ENV_H
#define XVS_TESTS_NAT_ENV_H

#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#define XN_MAC_XA	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x10 }
#define XN_MAC_XB	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x20 }
#define XN_MAC_GW	{ 0x02, 0x00, 0x00, 0x00, 0x00, 0xc1 }
#define XN_MAC_RS	{ 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 }
#define XN_RS		"198.18.1.11"
#define XN_LIP_A	"198.18.1.200"
#define XN_LIP_B	"198.18.1.201"

static uint32_t xn_if_a, xn_if_b;	/* ifindex of xa, xb */

static const char *const xn_setup_cmds[] = {
	"ip link set lo up",
	"ip link add xa address 02:00:00:00:00:10 type veth peer name xb address 02:00:00:00:00:20",
	"ip link set xa up",
	"ip link set xb up",
	"ip addr add 198.18.0.10/24 dev xa",
	"ip addr add 198.18.1.10/24 dev xb",
	"ip neigh replace 198.18.0.1 lladdr 02:00:00:00:00:c1 dev xa nud permanent",
	"ip neigh replace 198.18.1.11 lladdr 02:00:00:00:01:01 dev xb nud permanent",
	"ip route add 198.18.2.0/24 via 198.18.0.1 dev xa",
	"ip route add 198.19.0.0/16 via 198.18.0.1 dev xa",
	"sysctl -qw net.ipv4.conf.all.forwarding=1 net.ipv4.conf.xa.forwarding=1 "
	"net.ipv4.conf.xb.forwarding=1",
};

/*
 * Enter a new network namespace and build the arms there. Returns 0, or
 * -1 with a message (the tests then cannot run).
 */
static inline int xn_netns_setup(void)
{
	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return -1;
	}
	for (size_t i = 0; i < sizeof(xn_setup_cmds) / sizeof(xn_setup_cmds[0]); i++) {
		if (system(xn_setup_cmds[i]) != 0) {
			fprintf(stderr, "nat_env: failed: %s\n", xn_setup_cmds[i]);
			return -1;
		}
	}
	xn_if_a = if_nametoindex("xa");
	xn_if_b = if_nametoindex("xb");
	if (!xn_if_a || !xn_if_b) {
		fprintf(stderr, "nat_env: xa/xb have no ifindex\n");
		return -1;
	}
	return 0;
}

#endif /* XVS_TESTS_NAT_ENV_H */
