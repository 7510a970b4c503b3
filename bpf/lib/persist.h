/* SPDX-License-Identifier: GPL-2.0 */
/*
 * persist.h - persistence (-p, -M) and one-packet scheduling (-o), as
 * IPVS's ip_vs_sched_persist and IP_VS_CONN_F_ONE_PACKET.
 *
 * A persistent service keeps a template per client network and virtual
 * service in the connection table (kind TEMPLATE, key from
 * include/xvs/persist.h). A new connection whose template is live and
 * whose dest is still in the service goes to that dest, whatever the
 * scheduler or the dest's load would say (as IPVS: OVERLOAD does not
 * break persistence, weight 0 does not either unless xvsd runs with
 * --expire-quiescent-template). Otherwise the scheduler picks and a
 * template is made with the service's timeout. Each use refreshes it;
 * xvsd keeps it while connections it controls exist (housekeeping).
 * Templates count in PersistConn, not in ActiveConn/InActConn.
 */
#ifndef XVS_BPF_PERSIST_H
#define XVS_BPF_PERSIST_H

#include "lib/maps.h"
#include "lib/sched.h"
#include "xvs/persist.h"

/* Move a dest's PersistConn by delta (+1 on a new template, -1 on a drop). */
static __always_inline void xvs_persist_count(__u32 dest_id, int delta)
{
	struct xvs_dest_conns *cnt = bpf_map_lookup_elem(&xvs_dest_conns_v1, &dest_id);

	if (cnt)
		__sync_fetch_and_add(&cnt->persist, delta);
}

/*
 * Is the template's dest still good for new connections? IPVS's
 * ip_vs_check_template: the dest must still be in its service's list
 * (a deleted dest is in the trash, not AVAILABLE), and with
 * expire_quiescent_template also have a weight above 0.
 */
static __always_inline int xvs_tpl_valid(const struct xvs_svc *svc, const struct xvs_conn *t)
{
	__u32 dest_id = t->dest_id;
	struct xvs_dest *d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);

	if (!d || dest_id == XVS_NO_DEST ||
	    (d->flags & (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE)) !=
	    (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE))
		return 0;
	if ((svc->flags & XVS_SVC_F_EXPIRE_QUIESCENT) && d->weight <= 0)
		return 0;
	return 1;
}

/*
 * Make a template for dest, or take the one another CPU made first;
 * returns the dest the template names. IPVS voids a template it cannot
 * use by rehashing it under port 65535, where it lingers until its timer
 * runs; here it is simply replaced (its PersistConn released).
 */
static __always_inline __u32 xvs_tpl_create(const struct xvs_svc *svc,
					    const struct xvs_conn_key *tk,
					    __u32 dest_id, __u64 now)
{
	struct xvs_dest *d = bpf_map_lookup_elem(&xvs_dest_v1, &dest_id);
	struct xvs_conn t = {
		.last_seen_ns = now,
		.dest_id = dest_id,
		.svc_id = svc->id,
		.timeout = svc->timeout,
		.state = XVS_TPL_NONE,
		.flags = XVS_CONN_F_TEMPLATE,
	};
	struct xvs_conn *won;

	if (d)
		t.fwd = d->fwd;
	if (bpf_map_update_elem(&xvs_conn_v1, tk, &t, BPF_NOEXIST) == 0) {
		xvs_persist_count(dest_id, 1);
		return dest_id;
	}
	won = bpf_map_lookup_elem(&xvs_conn_v1, tk);
	return won ? won->dest_id : dest_id;
}

/*
 * Choose the dest of a new connection with key ck to svc (found under
 * svc_port, 0 for a port-0 service): through the client's template for a
 * persistent service, else by the scheduler. For a persistent service
 * *cflags gets XVS_CONN_F_CONTROLLED (and TPL_ANYPORT), to be stored in
 * the connection with the template's mask, so that xvsd can find the
 * template it keeps alive.
 */
static __always_inline __u32 xvs_persist_schedule(const struct xvs_svc *svc, __be16 svc_port,
						  const struct xvs_pkt *p,
						  const struct xvs_conn_key *ck,
						  __u64 now, __u8 *cflags)
{
	struct xvs_conn_key tk;
	struct xvs_conn *t;
	__u32 dest_id;

	*cflags = 0;
	if (!(svc->flags & XVS_SVC_F_PERSISTENT))
		return xvs_schedule(svc, p);
	xvs_tpl_key(&tk, ck, svc->pmask_len, svc_port == 0);
	*cflags = XVS_CONN_F_CONTROLLED | (svc_port == 0 ? XVS_CONN_F_TPL_ANYPORT : 0);
	t = bpf_map_lookup_elem(&xvs_conn_v1, &tk);
	if (t && (t->flags & XVS_CONN_F_TEMPLATE)) {
		if (xvs_tpl_valid(svc, t)) {
			/* IPVS's ip_vs_conn_put restarts the template's timer. */
			if (t->last_seen_ns != now)
				t->last_seen_ns = now;
			return t->dest_id;
		}
		dest_id = t->dest_id;
		if (bpf_map_delete_elem(&xvs_conn_v1, &tk) == 0)
			xvs_persist_count(dest_id, -1);
	}
	dest_id = xvs_schedule(svc, p);
	if (dest_id == XVS_NO_DEST)
		return XVS_NO_DEST;
	return xvs_tpl_create(svc, &tk, dest_id, now);
}

/*
 * After a controlled TCP connection moved from state was to its current
 * one: on reaching ESTABLISHED its template becomes ASSURED, as IPVS's
 * ip_vs_control_assure_ct (shown by -Lnc). ck is the connection's key.
 */
static __always_inline void xvs_persist_on_state(const struct xvs_conn_key *ck,
						 const struct xvs_conn *c, __u8 was)
{
	struct xvs_conn_key tk;
	struct xvs_conn *t;

	if (!(c->flags & XVS_CONN_F_CONTROLLED) || c->state == was ||
	    c->state != XVS_TCP_ESTABLISHED)
		return;
	xvs_tpl_key(&tk, ck, c->tpl_mask, c->flags & XVS_CONN_F_TPL_ANYPORT);
	t = bpf_map_lookup_elem(&xvs_conn_v1, &tk);
	if (t && t->state == XVS_TPL_NONE)
		t->state = XVS_TPL_ASSURED;
}

/* Does this service schedule each packet of this flow on its own (-o)? */
static __always_inline int xvs_is_onepacket(const struct xvs_svc *svc, const struct xvs_pkt *p)
{
	return (svc->flags & XVS_SVC_F_ONEPACKET) && p->proto == IPPROTO_UDP;
}

#endif
