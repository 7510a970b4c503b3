/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwd_check.h - is IP forwarding on? NAT and FULLNAT need it on the
 * director, as the seed's "NAT Mode Deployment" says: the data plane
 * routes replies with bpf_fib_lookup(), which refuses while forwarding is
 * off (TESTING.md 5).
 */
#ifndef XVS_FWD_CHECK_H
#define XVS_FWD_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Read net.ipv4.ip_forward (af XVS_AF_INET) or
 * net.ipv6.conf.all.forwarding (XVS_AF_INET6) of the current network
 * namespace. Returns 1 (on), 0 (off), or -errno when unreadable.
 */
int xvs_ip_forwarding(uint8_t af);

/*
 * Log, once per call, a clear error when forwarding for af is off: what
 * breaks and the sysctl that fixes it. what names the real server.
 * Returns true when forwarding is on (or cannot be read).
 */
bool xvs_ip_forwarding_check(uint8_t af, const char *what);

/*
 * Warn when net.ipv4.conf.<ifindex's name>.accept_local is 0: replies the
 * data plane hands to the kernel translated (their client's MAC unknown,
 * docs/nat.md) come from the VIP, a local address, and are dropped
 * without it. IPv4 only. Returns true when it is on (or unreadable).
 */
bool xvs_accept_local_check(uint32_t ifindex, const char *what);

#endif
