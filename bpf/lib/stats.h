/* SPDX-License-Identifier: GPL-2.0 */
/* stats.h - per-CPU counters: traffic per service/dest, and drop reasons. */
#ifndef XVS_BPF_STATS_H
#define XVS_BPF_STATS_H

#include "lib/maps.h"

/* Count one packet that the data plane did not forward, and why. */
static __always_inline void xvs_count(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&xvs_cnt_v1, &reason);

	if (v)
		*v += 1;
}

/*
 * Account one client->server packet of len bytes to the service and the
 * dest; new_conn also counts a new connection. Per-CPU: no atomics.
 */
static __always_inline void xvs_stats_in(__u32 svc_id, __u32 dest_id,
					 __u32 len, int new_conn)
{
	struct xvs_stats *s = bpf_map_lookup_elem(&xvs_svc_stats_v1, &svc_id);
	struct xvs_stats *d = bpf_map_lookup_elem(&xvs_dest_stats_v1, &dest_id);

	if (s) {
		s->inpkts++;
		s->inbytes += len;
		s->conns += new_conn;
	}
	if (d) {
		d->inpkts++;
		d->inbytes += len;
		d->conns += new_conn;
	}
}

/* Account one reply (server->client, NAT/FULLNAT) of len bytes. */
static __always_inline void xvs_stats_out(__u32 svc_id, __u32 dest_id, __u32 len)
{
	struct xvs_stats *s = bpf_map_lookup_elem(&xvs_svc_stats_v1, &svc_id);
	struct xvs_stats *d = bpf_map_lookup_elem(&xvs_dest_stats_v1, &dest_id);

	if (s) {
		s->outpkts++;
		s->outbytes += len;
	}
	if (d) {
		d->outpkts++;
		d->outbytes += len;
	}
}

#endif
