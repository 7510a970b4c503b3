/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dp-t.h - the data-plane ABI shared by bpf/ and user space.
 *
 * Every struct here is a map key or value. The layout rules (docs/abi.md):
 * fixed-width fields, explicit padding, no bitfields, addresses always
 * 16 bytes so that IPv6 needs no new layout. A layout change bumps the
 * map's _vN suffix, so that an old pinned map is never read with a new
 * layout.
 *
 * Only <linux/types.h> is included: this header compiles both under
 * clang -target bpf and in user space.
 */
#ifndef XVS_DP_T_H
#define XVS_DP_T_H

#include <linux/types.h>

/*
 * Sizing. Loops in the data plane are bounded by these. Every map indexed
 * by service id is declared with XVS_MAX_SERVICES entries, every map
 * indexed by dest id with XVS_MAX_DESTS: xvs_dp_open() resizes exactly
 * those to xvsd's --max-services and --max-dests (defaults, and minimums,
 * these two). User space loops over dp->max_svcs and dp->max_dests.
 */
#define XVS_MAX_SERVICES	4096	/* service ids; xvsd --max-services */
#define XVS_MAX_DESTS		65536	/* dest ids, across all services; --max-dests */
#define XVS_SVC_MAX_DESTS	256	/* real servers in one service */
#define XVS_SCHED_TAB_MAX	32768	/* wrr/sh/dh/mh table slots; a power of 2 */
#define XVS_SCHED_HASH_BITS	8	/* sh/dh: IPVS's IP_VS_SH/DH_TAB_BITS */
#define XVS_SCHED_HASH_SIZE	(1 << XVS_SCHED_HASH_BITS)	/* 256 buckets */
#define XVS_SCHED_MH_SIZE	4093	/* mh: IPVS's default prime table size */
#define XVS_CONN_TAB_BITS_DEFAULT 20	/* 1M entries, --conn-tab-bits */

/* Address families, as AF_INET/AF_INET6 so user space can pass them on. */
#define XVS_AF_INET	2
#define XVS_AF_INET6	10

/* One address of either family. IPv4 uses ip4 and leaves the rest zero. */
union xvs_addr {
	__be32 ip4;
	__be32 ip6[4];
	__u8 bytes[16];
};

/* Forwarding methods, as ipvsadm's -g -i -m and the FULLNAT extension. */
enum xvs_fwd {
	XVS_FWD_DR = 0,		/* "Route": rewrite the MAC */
	XVS_FWD_TUN = 1,	/* "Tunnel": IPIP encapsulation */
	XVS_FWD_NAT = 2,	/* "Masq": DNAT in, SNAT on the reply */
	XVS_FWD_FULLNAT = 3,	/* "FullNat": SNAT to a local address too */
	XVS_FWD_LOCAL = 4,	/* "Local": the dest is this host: XDP_PASS */
	XVS_FWD_MAX,
};

/* Schedulers. Numbers are ABI: append only. */
enum xvs_sched {
	XVS_SCHED_RR = 0,
	XVS_SCHED_WRR,
	XVS_SCHED_LC,
	XVS_SCHED_WLC,
	XVS_SCHED_SED,
	XVS_SCHED_NQ,
	XVS_SCHED_SH,
	XVS_SCHED_DH,
	XVS_SCHED_LBLC,
	XVS_SCHED_LBLCR,
	XVS_SCHED_MH,
	XVS_SCHED_FO,
	XVS_SCHED_OVF,
	XVS_SCHED_TWOS,
	XVS_SCHED_MAX,
};

/*
 * Service key: (af, protocol, VIP, port), or a firewall mark with every
 * other field zero. Port-0 services (all ports) use port 0.
 */
struct xvs_svc_key {
	union xvs_addr addr;
	__be16 port;
	__u8 proto;		/* IPPROTO_TCP/UDP/SCTP; 0 for fwmark */
	__u8 af;		/* XVS_AF_INET or XVS_AF_INET6 */
	__u32 fwmark;
};

/* xvs_svc.flags */
#define XVS_SVC_F_PERSISTENT	0x0001	/* -p */
#define XVS_SVC_F_ONEPACKET	0x0002	/* -o */
#define XVS_SVC_F_SCHED1	0x0010	/* -b flag-1: sh-fallback/mh-fallback */
#define XVS_SVC_F_SCHED2	0x0020	/* -b flag-2: sh-port/mh-port */
#define XVS_SVC_F_SCHED3	0x0040	/* -b flag-3 */
#define XVS_SVC_F_TOA		0x0100	/* FULLNAT: client address in TCP option 254 */
#define XVS_SVC_F_EXPIRE_QUIESCENT 0x0200	/* xvsd --expire-quiescent-template:
					 * a template to a weight-0 dest is void */

/*
 * A virtual service's configuration, so that xvsd can rebuild its model
 * from the pinned maps after a restart. Kept small: the established-flow
 * fast path reads it on every packet.
 */
struct xvs_svc {
	__u32 id;		/* dense index into the per-service arrays */
	__u32 flags;		/* XVS_SVC_F_* */
	__u8 sched;		/* enum xvs_sched */
	__u8 pmask_len;		/* persistence granularity, prefix length */
	__u16 pad0;
	__u32 timeout;		/* persistence timeout, seconds */
};

/*
 * The dests that take a service's new connections, in ipvsadm insertion
 * order, indexed by service id. A deleted dest leaves this list at once
 * but keeps its xvs_dest entry while connections still use it (IPVS's
 * "trash"). Dest id 0 is never allocated, so a reader that races with an
 * update and sees a zero id finds an invalid dest, never a wrong one.
 */
struct xvs_svc_dests {
	__u32 n_dests;		/* valid entries in ids */
	__u32 pad0;
	__u32 ids[XVS_SVC_MAX_DESTS];
};

/* xvs_dest.flags */
#define XVS_DEST_F_VALID	0x0001	/* slot in use */
#define XVS_DEST_F_AVAILABLE	0x0002	/* in its service's list */
/* 0x0004 was OVERLOAD: that state is xvs_dest_conns.overload now. */
#define XVS_DEST_F_NEIGH_OK	0x0008	/* dmac/smac/ifindex resolved */

/*
 * A real server, indexed by dest id. xvsd fills the next hop (MACs,
 * ifindex, MTU, tunnel source) from the route and neighbour tables, so the
 * data plane needs no per-packet FIB lookup for DR and TUN.
 */
struct xvs_dest {
	union xvs_addr addr;	/* real server address */
	union xvs_addr saddr;	/* director's source towards it (TUN outer) */
	__be16 port;
	__u8 af;
	__u8 fwd;		/* enum xvs_fwd */
	__u32 flags;		/* XVS_DEST_F_* */
	__s32 weight;
	__u32 svc_id;
	__u32 u_threshold;	/* -x, 0 = none */
	__u32 l_threshold;	/* -y, 0 = none */
	__u32 ifindex;		/* egress interface */
	__u16 mtu;		/* egress MTU */
	__u8 dmac[6];		/* next-hop MAC */
	__u8 smac[6];		/* egress interface MAC */
	__u16 pad0;
};

/*
 * Per-dest connection counts for the count-driven schedulers. The data
 * plane moves them atomically on new connections and state changes; xvsd
 * decrements them when it expires a connection, through an mmap of the
 * array, and corrects drift left by LRU eviction.
 *
 * overload is IPVS's IP_VS_DEST_F_OVERLOAD (-x/-y). It lives here, not in
 * xvs_dest.flags, because both sides change it: the data plane sets it
 * when a new connection brings active + inactive to u_threshold, xvsd
 * clears it after expiry (ip_vs_unbind_dest's rule, xvs_overload_clear).
 * xvsd rewrites xvs_dest entries whole from its own copy, which would
 * undo a flag the data plane had set there.
 */
struct xvs_dest_conns {
	__s32 active;		/* ActiveConn */
	__s32 inactive;		/* InActConn */
	__s32 persist;		/* PersistConn: templates */
	__u32 overload;		/* 1: -x reached, no new connections */
};

/* Per-service scheduler cursor (rr, wrr), advanced atomically. */
struct xvs_sched_state {
	__u32 cursor;
	__u32 pad0;
};

/*
 * A precomputed lookup table for wrr (the IPVS weighted sequence), sh, dh
 * and mh. Each slot is an index into the service's xvs_svc_dests.ids.
 */
struct xvs_sched_tab {
	__u32 len;		/* slots in use */
	__u32 pad0;
	__u16 slot[XVS_SCHED_TAB_MAX];
};

/*
 * lblc and lblcr: per-destination-address caches (ip_vs_lblc.c,
 * ip_vs_lblcr.c), one entry per (service, destination address), written
 * by the data plane, expired by xvsd. Times are bpf_ktime_get_coarse_ns().
 */
struct xvs_lblc_key {
	union xvs_addr daddr;	/* the packet's destination address */
	__u32 svc_id;
	__u8 af;
	__u8 pad0[3];
};

/* lblc: the dest last chosen for the address. */
struct xvs_lblc_entry {
	__u64 lastuse_ns;
	__u32 dest_id;
	__u32 pad0;
};

/* lblcr: a set of dests for the address, at most this many. */
#define XVS_LBLCR_SET_MAX	32

struct xvs_lblcr_entry {
	__u64 lastuse_ns;
	__u64 lastmod_ns;	/* last insert or erase */
	__u32 n;		/* dests in ids, oldest first */
	__u32 pad0;
	__u32 ids[XVS_LBLCR_SET_MAX];
};

/* Packet and byte counters; per CPU, summed by xvsd. */
struct xvs_stats {
	__u64 conns;
	__u64 inpkts;
	__u64 outpkts;
	__u64 inbytes;
	__u64 outbytes;
};

/* Kinds of connection-table entry (xvs_conn_key.kind). */
enum xvs_conn_kind {
	XVS_CONN_KIND_IN = 0,		/* client -> VIP, the forward entry */
	XVS_CONN_KIND_OUT = 1,		/* RS -> client/LIP, NAT return path */
	XVS_CONN_KIND_TEMPLATE = 2,	/* persistence template */
};

/*
 * Connection key: the packet's 5-tuple as the director receives it, plus
 * the entry kind. A template uses (caddr & mask, cport 0, vaddr, vport)
 * with proto set as the service's.
 */
struct xvs_conn_key {
	union xvs_addr saddr;
	union xvs_addr daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 af;
	__u8 kind;		/* enum xvs_conn_kind */
	__u8 pad0;
};

/* IPVS TCP states, numbered as IPVS numbers them. */
enum xvs_tcp_state {
	XVS_TCP_NONE = 0,
	XVS_TCP_ESTABLISHED,
	XVS_TCP_SYN_SENT,
	XVS_TCP_SYN_RECV,
	XVS_TCP_FIN_WAIT,
	XVS_TCP_TIME_WAIT,
	XVS_TCP_CLOSE,
	XVS_TCP_CLOSE_WAIT,
	XVS_TCP_LAST_ACK,
	XVS_TCP_LISTEN,
	XVS_TCP_SYNACK,
	XVS_TCP_STATE_MAX,
};

/* State value for UDP entries (one state, shown as "UDP"). */
#define XVS_UDP_STATE		XVS_TCP_STATE_MAX

/* Timeout slots in the xvs_timeouts map: TCP states, then UDP. */
#define XVS_TIMEOUT_UDP		XVS_TCP_STATE_MAX
#define XVS_TIMEOUT_MAX		(XVS_TCP_STATE_MAX + 1)

/* xvs_conn.flags */
#define XVS_CONN_F_INACTIVE	0x01	/* counted in InActConn */
#define XVS_CONN_F_NOOUTPUT	0x02	/* director sees one direction */
#define XVS_CONN_F_TEMPLATE	0x04	/* persistence template */
#define XVS_CONN_F_ONEPACKET	0x08	/* OPS: expires at once */
#define XVS_CONN_F_CONTROLLED	0x10	/* has a persistence template (IPVS cp->control) */
#define XVS_CONN_F_TPL_ANYPORT	0x20	/* ... a port-0 service's, whose vport is 0 */

/* xvs_conn.nat_flags */
#define XVS_NAT_F_TOA		0x01	/* FULLNAT: send the client address (TOA) */
#define XVS_NAT_F_TOA_DONE	0x02	/* the real server answered past the handshake */

/*
 * Connection value, 48 bytes, so that 1M entries stay small. The
 * timestamps are bpf_ktime_get_coarse_ns(), i.e. CLOCK_MONOTONIC_COARSE.
 */
struct xvs_conn {
	__u64 last_seen_ns;
	__u32 dest_id;
	__u32 svc_id;
	__u32 timeout;		/* seconds, for the current state */
	__u8 state;		/* enum xvs_tcp_state, or XVS_UDP_STATE */
	__u8 flags;		/* XVS_CONN_F_* */
	__u8 fwd;		/* enum xvs_fwd at creation */
	__u8 tpl_mask;		/* CONTROLLED: the template's prefix length */
	/* NAT/FULLNAT: the address and ports this entry translates to. */
	union xvs_addr nat_addr;
	__be16 nat_sport;
	__be16 nat_dport;
	__u8 nat_flags;		/* XVS_NAT_F_*; its own byte: both directions write it */
	__u8 pad1[3];
};

/*
 * The value of an XVS_CONN_KIND_OUT entry (same map, same size as
 * xvs_conn): the NAT/FULLNAT return path. Its key is the reply as the
 * director receives it (RS:rport -> client:cport for NAT, RS:rport ->
 * LIP:lport for FULLNAT); the value names the forward entry, whose key is
 * (caddr, cport, vaddr, vport) with the reply's proto and af, and which
 * holds the state. An OUT entry lives as long as that IN entry and points
 * at the same dest; xvsd deletes it when not.
 */
struct xvs_conn_out {
	__u64 last_seen_ns;	/* last reply */
	union xvs_addr caddr;	/* client */
	union xvs_addr vaddr;	/* VIP */
	__be16 cport;
	__be16 vport;
	__u32 dest_id;		/* the dest the replies come from */
};

/* FULLNAT local addresses of a service, by service id. */
#define XVS_SVC_MAX_LADDRS	16
#define XVS_LPORT_MIN		1024	/* local ports FULLNAT allocates */
#define XVS_LPORT_MAX		65535

struct xvs_laddrs {
	__u32 n;		/* valid entries in addrs */
	__u32 pad0;
	union xvs_addr addrs[XVS_SVC_MAX_LADDRS];
};

/*
 * The MAC of each interface xvsd attached to, in the program's .bss
 * (xvs_iface_macs): unicast frames for other MACs are not the director's
 * to forward (bpf/lib/host.h). ifindex 0 marks a free slot.
 */
#define XVS_MAX_IFACES	8
struct xvs_iface_mac {
	__u32 ifindex;
	__u8 mac[6];
	__u8 pad[2];
};

/*
 * Counters of what the data plane did with packets it did not forward.
 * The numbers are ABI: never renumber, only append. Each is exported.
 */
enum xvs_drop_reason {
	XVS_CNT_PASS_NOT_IP = 0,	/* not IPv4/IPv6: to the kernel */
	XVS_CNT_PASS_MALFORMED,		/* truncated or bad header */
	XVS_CNT_PASS_FRAGMENT,		/* IP fragment */
	XVS_CNT_PASS_NO_SERVICE,	/* no virtual service matched */
	XVS_CNT_PASS_NO_CONN,		/* non-SYN without a connection */
	XVS_CNT_DROP_NO_DEST,		/* service has no usable dest */
	XVS_CNT_DROP_CONN_FULL,		/* could not insert a connection */
	XVS_CNT_DROP_NO_NEIGH,		/* dest next hop unresolved */
	XVS_CNT_DROP_ENCAP,		/* adjust_head failed */
	XVS_CNT_ICMP_FRAG_NEEDED,	/* too big after encap: ICMP sent */
	XVS_CNT_DROP_TOO_BIG,		/* too big, DF clear: cannot fragment */
	XVS_CNT_DROP_DEST_GONE,		/* connection's dest no longer valid */
	XVS_CNT_PASS_LOCAL,		/* Local forwarding: to the kernel */
	XVS_CNT_DROP_UNSUPPORTED,	/* forwarding mode not in the data plane */
	XVS_CNT_DROP_FIB,		/* NAT: no route to the next hop */
	XVS_CNT_DROP_LPORT_EXHAUSTED,	/* FULLNAT: no free local port */
	XVS_CNT_TOA_NO_ROOM,		/* FULLNAT: TOA did not fit, sent without */
	XVS_CNT_PASS_REPLY_NO_CONN,	/* reply entry without a live forward entry */
	XVS_CNT_ICMP_XLATED,		/* ICMP error translated for NAT/FULLNAT */
	XVS_CNT_ICMP_FORWARDED,		/* ICMP error forwarded to a DR/TUN dest */
	XVS_CNT_PASS_NAT_NO_NEIGH,	/* NAT reply translated, kernel resolves next hop */
	XVS_CNT_PASS_OTHER_HOST,	/* frame for another MAC: to the kernel */
	XVS_CNT_MAX,
};

#endif /* XVS_DP_T_H */
