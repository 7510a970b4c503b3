/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fullnat.h - FULLNAT local address and port allocation.
 *
 * A FULLNAT connection leaves the director as LIP:lport -> RS:rport, and
 * the reply RS:rport -> LIP:lport must find exactly one connection. So
 * the pair (LIP, lport) is unique per (RS, rport, proto), and allocating
 * it IS inserting the connection's OUT entry with BPF_NOEXIST: the hash
 * map's insert is atomic across CPUs, so two CPUs can never take the same
 * port, and a port stays taken for as long as its OUT entry lives, which
 * is as long as the connection (xvsd deletes the two together).
 *
 * Candidates start at a random point of the service's (LIP, port) space
 * and walk it, alternating the local addresses, for at most
 * XVS_LPORT_TRIES inserts. When all of those are taken the connection is
 * refused (the caller counts XVS_CNT_DROP_LPORT_EXHAUSTED); established
 * connections are not affected.
 */
#ifndef XVS_BPF_FULLNAT_H
#define XVS_BPF_FULLNAT_H

#include "lib/maps.h"
#include "lib/nat_scratch.h"

#define XVS_LPORT_TRIES	64
#define XVS_LPORT_SPAN	(XVS_LPORT_MAX - XVS_LPORT_MIN + 1)

/* bpf_loop's context must live on the stack: small, no pointers. */
struct xvs_lport_try {
	__u32 svc_id;
	__u32 start;
	int found;
};

static long xvs_lport_try_one(__u32 i, void *arg)
{
	struct xvs_lport_try *t = arg;
	struct xvs_laddrs *la = bpf_map_lookup_elem(&xvs_laddr_v1, &t->svc_id);
	struct xvs_nat_scratch *s = xvs_nat_scratch_get();
	__u32 n, idx, a;

	if (!la || !s)
		return 1;
	n = la->n;
	if (n == 0 || n > XVS_SVC_MAX_LADDRS)
		return 1;
	idx = t->start + i;
	a = idx % n;
	/* The verifier cannot see that a < n <= 16; clang would drop a plain
	 * mask as redundant, so hide a from it first. */
	asm volatile("" : "+r"(a));
	a &= XVS_SVC_MAX_LADDRS - 1;
	s->k.daddr = la->addrs[a];
	s->k.dport = bpf_htons(XVS_LPORT_MIN + (idx / n) % XVS_LPORT_SPAN);
	if (bpf_map_update_elem(&xvs_conn_v1, &s->k, &s->o, BPF_NOEXIST) == 0) {
		t->found = 1;
		return 1;
	}
	return 0;
}

/*
 * Take a local address and port for a new FULLNAT connection of service
 * svc_id. The scratch space holds its OUT key (saddr, sport, proto, af
 * and kind set) and value; on success the key's daddr/dport hold the LIP
 * and lport and the OUT entry is in the table. Returns 0, or -1 when the
 * service has no local address or every candidate tried was taken.
 */
static __always_inline int xvs_lport_alloc(__u32 svc_id)
{
	struct xvs_lport_try t = {
		.svc_id = svc_id,
		.start = bpf_get_prandom_u32() % (XVS_LPORT_SPAN * XVS_SVC_MAX_LADDRS),
	};

	bpf_loop(XVS_LPORT_TRIES, xvs_lport_try_one, &t, 0);
	return t.found ? 0 : -1;
}

#endif
