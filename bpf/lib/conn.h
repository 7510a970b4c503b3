/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conn.h - the connection table: keys, IPVS's TCP state machine and the
 * ActiveConn/InActConn accounting that goes with it.
 */
#ifndef XVS_BPF_CONN_H
#define XVS_BPF_CONN_H

#include "lib/maps.h"
#include "lib/parse.h"

/* Rows of IPVS's state tables: which flag of the segment drives it. */
enum { XVS_TCP_ROW_SYN, XVS_TCP_ROW_FIN, XVS_TCP_ROW_ACK, XVS_TCP_ROW_RST };

#define sNO XVS_TCP_NONE
#define sES XVS_TCP_ESTABLISHED
#define sSS XVS_TCP_SYN_SENT
#define sSR XVS_TCP_SYN_RECV
#define sFW XVS_TCP_FIN_WAIT
#define sTW XVS_TCP_TIME_WAIT
#define sCL XVS_TCP_CLOSE
#define sCW XVS_TCP_CLOSE_WAIT
#define sLA XVS_TCP_LAST_ACK
#define sLI XVS_TCP_LISTEN
#define sSA XVS_TCP_SYNACK

/*
 * IPVS's INPUT_ONLY table (ip_vs_proto_tcp.c), used when the director
 * sees only the client's side of the connection: DR and TUN.
 */
static const __u8 xvs_tcp_input_only[4][XVS_TCP_STATE_MAX] = {
	/*          sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA */
	/* syn */ { sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
	/* fin */ { sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW },
	/* ack */ { sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
	/* rst */ { sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL },
};

#undef sNO
#undef sES
#undef sSS
#undef sSR
#undef sFW
#undef sTW
#undef sCL
#undef sCW
#undef sLA
#undef sLI
#undef sSA

/* The table row for a segment: rst beats syn beats fin beats ack; -1: none. */
static __always_inline int xvs_tcp_row(__u8 flags)
{
	if (flags & XVS_TCP_RST)
		return XVS_TCP_ROW_RST;
	if (flags & XVS_TCP_SYN)
		return XVS_TCP_ROW_SYN;
	if (flags & XVS_TCP_FIN)
		return XVS_TCP_ROW_FIN;
	if (flags & XVS_TCP_ACK)
		return XVS_TCP_ROW_ACK;
	return -1;
}

/* Timeout in seconds for a timeout slot (ipvsadm --set updates them). */
static __always_inline __u32 xvs_timeout_of(__u32 slot)
{
	__u32 *t = bpf_map_lookup_elem(&xvs_timeouts_v1, &slot);

	return t ? *t : 0;
}

/* The forward connection key for a parsed packet. */
static __always_inline void xvs_conn_key_in(const struct xvs_pkt *p,
					    struct xvs_conn_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->saddr = p->saddr;
	k->daddr = p->daddr;
	k->sport = p->sport;
	k->dport = p->dport;
	k->proto = p->proto;
	k->af = p->af;
	k->kind = XVS_CONN_KIND_IN;
}

/*
 * Move a TCP connection through the INPUT_ONLY table for this segment and
 * keep the dest's ActiveConn/InActConn in step, exactly as IPVS's
 * set_tcp_state() does: a connection is active only while ESTABLISHED.
 */
static __always_inline void xvs_conn_tcp_input(struct xvs_conn *c, __u8 tcp_flags)
{
	struct xvs_dest_conns *cnt;
	__u32 dest_id = c->dest_id;
	int row = xvs_tcp_row(tcp_flags);
	__u8 old = c->state, new;

	if (old >= XVS_TCP_STATE_MAX)
		return;
	/* A segment with none of syn, fin, ack, rst closes the connection:
	 * IPVS's set_tcp_state starts from CLOSE and finds no table row. */
	new = row < 0 ? XVS_TCP_CLOSE : xvs_tcp_input_only[row][old];
	if (new == old)
		return;
	cnt = bpf_map_lookup_elem(&xvs_dest_conns_v1, &dest_id);
	if (cnt) {
		if (!(c->flags & XVS_CONN_F_INACTIVE) && new != XVS_TCP_ESTABLISHED) {
			__sync_fetch_and_add(&cnt->active, -1);
			__sync_fetch_and_add(&cnt->inactive, 1);
			c->flags |= XVS_CONN_F_INACTIVE;
		} else if ((c->flags & XVS_CONN_F_INACTIVE) &&
			   new == XVS_TCP_ESTABLISHED) {
			__sync_fetch_and_add(&cnt->active, 1);
			__sync_fetch_and_add(&cnt->inactive, -1);
			c->flags &= ~XVS_CONN_F_INACTIVE;
		}
	}
	c->state = new;
	c->timeout = xvs_timeout_of(new);
}

/*
 * Release a connection's hold on its dest's counters; used when a new SYN
 * takes over a TIME_WAIT entry (IPVS conn_reuse_mode 1).
 */
static __always_inline void xvs_conn_unaccount(const struct xvs_conn *c)
{
	__u32 dest_id = c->dest_id;
	struct xvs_dest_conns *cnt = bpf_map_lookup_elem(&xvs_dest_conns_v1, &dest_id);

	if (!cnt)
		return;
	if (c->flags & XVS_CONN_F_INACTIVE)
		__sync_fetch_and_add(&cnt->inactive, -1);
	else
		__sync_fetch_and_add(&cnt->active, -1);
}

/*
 * Bind a new connection to its dest's counters, as ip_vs_bind_dest():
 * one more inactive, and OVERLOAD once active + inactive reaches the
 * dest's u_threshold (-x, 0 = none). Set on every bind at or above it,
 * so a set that xvsd's clearing raced with is made again by the next
 * connection. Only xvsd clears it (housekeeping, xvs_overload_clear).
 */
static __always_inline void xvs_conn_bind(__u32 dest_id, __u32 u_threshold)
{
	struct xvs_dest_conns *cnt = bpf_map_lookup_elem(&xvs_dest_conns_v1, &dest_id);
	__s64 total;

	if (!cnt)
		return;
	total = (__s64)__sync_fetch_and_add(&cnt->inactive, 1) + 1 + cnt->active;
	if (u_threshold && total >= u_threshold && !cnt->overload)
		cnt->overload = 1;
}

/*
 * Insert a new connection to dest for the packet; update_flags is
 * BPF_NOEXIST, or BPF_ANY to take over a reused entry. It starts inactive
 * (as in IPVS) and takes its first state from this packet; u_threshold is
 * the dest's -x. Returns the entry in the map, or NULL if the table
 * refused it; *created tells whether it is ours or one another CPU
 * inserted first.
 */
static __always_inline struct xvs_conn *
xvs_conn_create(const struct xvs_conn_key *k, const struct xvs_pkt *p,
		__u32 svc_id, __u32 dest_id, __u8 fwd, __u32 u_threshold,
		__u64 now, __u64 update_flags, int *created)
{
	struct xvs_conn c = {
		.last_seen_ns = now,
		.dest_id = dest_id,
		.svc_id = svc_id,
		.state = XVS_TCP_NONE,
		.flags = XVS_CONN_F_INACTIVE | XVS_CONN_F_NOOUTPUT,
		.fwd = fwd,
	};

	if (p->proto == IPPROTO_TCP) {
		int row = xvs_tcp_row(p->tcp_flags);

		if (row >= 0)
			c.state = xvs_tcp_input_only[row][XVS_TCP_NONE];
		c.timeout = xvs_timeout_of(c.state);
	} else {
		c.state = XVS_UDP_STATE;
		c.timeout = xvs_timeout_of(XVS_TIMEOUT_UDP);
	}
	/* No row of the table leads from NONE to ESTABLISHED, so every new
	 * entry counts as inactive, as IPVS counts it. */
	*created = bpf_map_update_elem(&xvs_conn_v1, k, &c, update_flags) == 0;
	if (*created)
		xvs_conn_bind(dest_id, u_threshold);
	return bpf_map_lookup_elem(&xvs_conn_v1, k);
}

#endif
