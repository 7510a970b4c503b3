// SPDX-License-Identifier: GPL-2.0
/* nat_out.c - NAT/FULLNAT return-path entries, see nat_out.h. */
#include <string.h>

#include <bpf/bpf.h>

#include "nat_out.h"

void xvs_nat_out_in_key(const struct xvs_conn_key *k, const struct xvs_conn_out *o,
			struct xvs_conn_key *in)
{
	memset(in, 0, sizeof(*in));
	in->saddr = o->caddr;
	in->daddr = o->vaddr;
	in->sport = o->cport;
	in->dport = o->vport;
	in->proto = k->proto;
	in->af = k->af;
	in->kind = XVS_CONN_KIND_IN;
}

bool xvs_nat_out_owned(const struct xvs_conn_key *k, const struct xvs_conn_out *o,
		       const struct xvs_conn *in)
{
	if (!in || in->dest_id != o->dest_id)
		return false;
	if (in->fwd == XVS_FWD_NAT)
		return memcmp(&k->daddr, &o->caddr, sizeof(k->daddr)) == 0 &&
		       k->dport == o->cport;
	if (in->fwd == XVS_FWD_FULLNAT)
		return memcmp(&k->daddr, &in->nat_addr, sizeof(k->daddr)) == 0 &&
		       k->dport == in->nat_sport;
	return false;
}

bool xvs_nat_out_stale(int conn_fd, const struct xvs_conn_key *k, const void *val,
		       uint64_t now)
{
	struct xvs_conn_key ik;
	struct xvs_conn_out o;
	struct xvs_conn in;

	memcpy(&o, val, sizeof(o));
	if (now <= o.last_seen_ns || now - o.last_seen_ns < XVS_NAT_OUT_IDLE_NS)
		return false;
	xvs_nat_out_in_key(k, &o, &ik);
	if (bpf_map_lookup_elem(conn_fd, &ik, &in))
		return true;
	return !xvs_nat_out_owned(k, &o, &in);
}
