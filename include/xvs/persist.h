/* SPDX-License-Identifier: GPL-2.0 */
/*
 * persist.h - the key of a persistence template, shared by the data plane
 * (which creates and looks templates up) and xvsd (which keeps a template
 * alive while connections it controls exist). One definition, so that
 * both sides always agree on which template controls a connection.
 *
 * IPVS's template (ip_vs_sched_persist) is
 *   <proto, caddr & netmask, cport 0, vaddr, vport, daddr, dport>
 * and it is found by everything but daddr/dport: one template per client
 * network and virtual service. A port-0 (all ports) service's template
 * has vport 0, so one template covers every port of the VIP.
 *
 * Only <linux/types.h> and dp-t.h: this compiles under clang -target bpf
 * and in user space.
 */
#ifndef XVS_PERSIST_H
#define XVS_PERSIST_H

#include <linux/types.h>

#include "xvs/dp-t.h"

/* A 32-bit prefix mask of bits (0..32) in network byte order. */
static inline __attribute__((always_inline)) __be32 xvs_prefix_mask32(int bits)
{
	__u32 m;

	if (bits <= 0)
		return 0;
	m = bits >= 32 ? 0xffffffffu : ~(0xffffffffu >> bits);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (__be32)__builtin_bswap32(m);
#else
	return (__be32)m;
#endif
}

/*
 * The template key for a forward (IN) key k: its client address masked to
 * mask bits, client port 0, and the virtual port, or 0 for a port-0
 * service (anyport). t and k may not overlap.
 */
static inline __attribute__((always_inline)) void
xvs_tpl_key(struct xvs_conn_key *t, const struct xvs_conn_key *k, __u8 mask, int anyport)
{
	int bits = mask;

	t->saddr.ip6[0] = k->saddr.ip6[0] & xvs_prefix_mask32(bits);
	if (k->af == XVS_AF_INET6) {
		t->saddr.ip6[1] = k->saddr.ip6[1] & xvs_prefix_mask32(bits - 32);
		t->saddr.ip6[2] = k->saddr.ip6[2] & xvs_prefix_mask32(bits - 64);
		t->saddr.ip6[3] = k->saddr.ip6[3] & xvs_prefix_mask32(bits - 96);
	} else {
		t->saddr.ip6[1] = 0;
		t->saddr.ip6[2] = 0;
		t->saddr.ip6[3] = 0;
	}
	t->daddr = k->daddr;
	t->sport = 0;
	t->dport = anyport ? 0 : k->dport;
	t->proto = k->proto;
	t->af = k->af;
	t->kind = XVS_CONN_KIND_TEMPLATE;
	t->pad0 = 0;
}

/* The template states, as IPVS's IP_VS_CTPL_S_* (shown by -Lnc). */
#define XVS_TPL_NONE		0
#define XVS_TPL_ASSURED		1	/* a controlled TCP conn got ESTABLISHED */

#endif /* XVS_PERSIST_H */
