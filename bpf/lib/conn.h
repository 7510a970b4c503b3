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

/*
 * IPVS's INPUT and OUTPUT tables, for NAT and FULLNAT, where the director
 * sees both directions: INPUT for the client's segments, OUTPUT for the
 * real server's replies.
 */
static const __u8 xvs_tcp_input[4][XVS_TCP_STATE_MAX] = {
	/*          sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA */
	/* syn */ { sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
	/* fin */ { sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW },
	/* ack */ { sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
	/* rst */ { sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR },
};

static const __u8 xvs_tcp_output[4][XVS_TCP_STATE_MAX] = {
	/*          sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA */
	/* syn */ { sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR },
	/* fin */ { sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW },
	/* ack */ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES },
	/* rst */ { sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL },
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

/* Directions of a segment, as IPVS's TCP_DIR_*. */
enum { XVS_DIR_INPUT, XVS_DIR_OUTPUT };

/*
 * The next state for a segment: connections that see one direction
 * (XVS_CONN_F_NOOUTPUT: DR, TUN) use the INPUT_ONLY table, the others
 * INPUT for the client's segments and OUTPUT for the replies.
 */
static __always_inline __u8 xvs_tcp_next(const struct xvs_conn *c, int dir, int row,
					 __u8 old)
{
	if (c->flags & XVS_CONN_F_NOOUTPUT)
		return xvs_tcp_input_only[row & 3][old];
	if (dir == XVS_DIR_OUTPUT)
		return xvs_tcp_output[row & 3][old];
	return xvs_tcp_input[row & 3][old];
}

/*
 * Move a TCP connection through IPVS's table for this segment and
 * direction and keep the dest's ActiveConn/InActConn in step, exactly as
 * IPVS's set_tcp_state() does: a connection is active only while
 * ESTABLISHED.
 */
static __always_inline void xvs_conn_tcp_state(struct xvs_conn *c, __u8 tcp_flags, int dir)
{
	struct xvs_dest_conns *cnt;
	__u32 dest_id = c->dest_id;
	int row = xvs_tcp_row(tcp_flags);
	__u8 old = c->state, new;

	if (old >= XVS_TCP_STATE_MAX)
		return;
	/* A segment with none of syn, fin, ack, rst closes the connection:
	 * IPVS's set_tcp_state starts from CLOSE and finds no table row. */
	new = row < 0 ? XVS_TCP_CLOSE : xvs_tcp_next(c, dir, row, old);
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

/* A segment from the client. */
static __always_inline void xvs_conn_tcp_input(struct xvs_conn *c, __u8 tcp_flags)
{
	xvs_conn_tcp_state(c, tcp_flags, XVS_DIR_INPUT);
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
 * A new connection's value for the packet: inactive (as in IPVS), its
 * first state from this packet. Only NAT and FULLNAT see the replies
 * (IPVS sets NOOUTPUT for every other forwarding method).
 */
static __always_inline void xvs_conn_init(struct xvs_conn *c, const struct xvs_pkt *p,
					  __u32 svc_id, __u32 dest_id, __u8 fwd, __u64 now)
{
	__builtin_memset(c, 0, sizeof(*c));
	c->last_seen_ns = now;
	c->dest_id = dest_id;
	c->svc_id = svc_id;
	c->fwd = fwd;
	c->flags = XVS_CONN_F_INACTIVE;
	if (fwd != XVS_FWD_NAT && fwd != XVS_FWD_FULLNAT)
		c->flags |= XVS_CONN_F_NOOUTPUT;
	if (p->proto == IPPROTO_TCP) {
		int row = xvs_tcp_row(p->tcp_flags);

		c->state = XVS_TCP_NONE;
		if (row >= 0)
			c->state = xvs_tcp_next(c, XVS_DIR_INPUT, row, XVS_TCP_NONE);
		c->timeout = xvs_timeout_of(c->state);
	} else {
		c->state = XVS_UDP_STATE;
		c->timeout = xvs_timeout_of(XVS_TIMEOUT_UDP);
	}
}

/*
 * Insert connection c under k; update_flags is BPF_NOEXIST, or BPF_ANY
 * to take over a reused entry; u_threshold is the dest's -x. Returns the
 * entry in the map, or NULL if the table refused it; *created tells
 * whether it is ours or one another CPU inserted first.
 */
static __always_inline struct xvs_conn *
xvs_conn_insert(const struct xvs_conn_key *k, const struct xvs_conn *c,
		__u32 u_threshold, __u64 update_flags, int *created)
{
	/* No row of the tables leads from NONE to ESTABLISHED, so every new
	 * entry counts as inactive, as IPVS counts it. */
	*created = bpf_map_update_elem(&xvs_conn_v1, k, c, update_flags) == 0;
	if (*created)
		xvs_conn_bind(c->dest_id, u_threshold);
	return bpf_map_lookup_elem(&xvs_conn_v1, k);
}

/* Build and insert a new connection to dest for the packet. */
static __always_inline struct xvs_conn *
xvs_conn_create(const struct xvs_conn_key *k, const struct xvs_pkt *p,
		__u32 svc_id, __u32 dest_id, __u8 fwd, __u32 u_threshold,
		__u64 now, __u64 update_flags, int *created)
{
	struct xvs_conn c;

	xvs_conn_init(&c, p, svc_id, dest_id, fwd, now);
	return xvs_conn_insert(k, &c, u_threshold, update_flags, created);
}

#endif
