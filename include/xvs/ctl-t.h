/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctl-t.h - the xvsd control protocol, spoken over a root-only unix
 * stream socket (default /run/xvs/xvsd.sock).
 *
 * Every message, request or reply, is a fixed header followed by exactly
 * hdr.len payload bytes. The receiver checks magic, version, cmd and that
 * len matches what cmd expects before it reads the payload; anything else
 * gets a reply with status -EINVAL (or -EPROTO for a bad magic/version,
 * after which the server closes the connection). See docs/control.md.
 */
#ifndef XVS_CTL_T_H
#define XVS_CTL_T_H

#include <linux/types.h>
#include "dp-t.h"

#define XVS_CTL_MAGIC		0x31535658u	/* "XVS1" little endian */
#define XVS_CTL_VERSION		1
#define XVS_CTL_MAX_REQ		(64u << 10)	/* largest request payload */
#define XVS_CTL_MAX_REPLY	(256u << 20)	/* largest reply payload */
#define XVS_CTL_DEFAULT_PATH	"/run/xvs/xvsd.sock"

struct xvs_ctl_hdr {
	__u32 magic;
	__u16 version;
	__u16 cmd;		/* enum xvs_ctl_cmd */
	__u32 len;		/* payload bytes after this header */
	__s32 status;		/* replies: 0 or -errno; requests: 0 */
};

/* Commands. Numbers are ABI: append only. */
enum xvs_ctl_cmd {
	XVS_CTL_GET_INFO = 1,	/* -> xvs_ctl_info */
	XVS_CTL_ADD_SERVICE,	/* xvs_ctl_service -> - */
	XVS_CTL_EDIT_SERVICE,	/* xvs_ctl_service -> - */
	XVS_CTL_DEL_SERVICE,	/* xvs_ctl_service (key only) -> - */
	XVS_CTL_FLUSH,		/* - -> - : ipvsadm -C */
	XVS_CTL_ADD_DEST,	/* xvs_ctl_dest -> - */
	XVS_CTL_EDIT_DEST,	/* xvs_ctl_dest -> - */
	XVS_CTL_DEL_DEST,	/* xvs_ctl_dest (svc, addr, port) -> - */
	XVS_CTL_GET_SERVICES,	/* [xvs_svc_key] -> xvs_ctl_list + entries */
	XVS_CTL_ZERO,		/* [xvs_svc_key] -> - : ipvsadm -Z */
	XVS_CTL_SET_TIMEOUT,	/* xvs_ctl_timeout -> - : --set */
	XVS_CTL_GET_TIMEOUT,	/* - -> xvs_ctl_timeout */
	XVS_CTL_GET_CONNS,	/* - -> xvs_ctl_list + xvs_ctl_conn[] */
	XVS_CTL_GET_COUNTERS,	/* - -> __u64[XVS_CNT_MAX] */
	XVS_CTL_GET_VRRP,	/* - -> xvs_ctl_list + xvs_ctl_vrrp[] */
	XVS_CTL_ADD_LADDR,	/* xvs_ctl_laddr -> - : FULLNAT local address */
	XVS_CTL_DEL_LADDR,	/* xvs_ctl_laddr -> - */
	XVS_CTL_GET_LADDRS,	/* xvs_svc_key -> xvs_laddrs */
	XVS_CTL_SET_TOA,	/* xvs_ctl_laddr (svc, on) -> - */
	XVS_CTL_CMD_MAX,
};

/* A FULLNAT local address of a service, or (SET_TOA) TOA on or off. */
struct xvs_ctl_laddr {
	struct xvs_svc_key svc;
	union xvs_addr addr;
	__u8 af;
	__u8 on;		/* SET_TOA: 1 on, 0 off */
	__u16 pad0;
	__u32 pad1;
};

struct xvs_ctl_info {
	__u32 version_code;	/* IPVS-style (major<<16)|(minor<<8)|patch */
	__u32 conn_tab_size;	/* connection table entries */
	__u32 n_services;
	__u32 pad0;
};

/* Estimated rates, as IPVS's 2-second estimator reports them. */
struct xvs_ctl_rate {
	__u64 cps;
	__u64 inpps;
	__u64 outpps;
	__u64 inbps;
	__u64 outbps;
};

struct xvs_ctl_service {
	struct xvs_svc_key key;
	__u32 flags;		/* XVS_SVC_F_* */
	__u8 sched;		/* enum xvs_sched */
	__u8 pmask_len;		/* persistence netmask as a prefix length */
	__u16 pad0;
	__u32 timeout;		/* persistence timeout, seconds */
	/* Filled in replies only. */
	__u32 n_dests;
	struct xvs_stats stats;
	struct xvs_ctl_rate rate;
};

struct xvs_ctl_dest {
	struct xvs_svc_key svc;
	union xvs_addr addr;
	__be16 port;
	__u8 af;
	__u8 fwd;		/* enum xvs_fwd */
	__s32 weight;
	__u32 u_threshold;
	__u32 l_threshold;
	/* Filled in replies only. */
	__s32 active;
	__s32 inactive;
	__s32 persist;
	__u32 pad0;
	struct xvs_stats stats;
	struct xvs_ctl_rate rate;
};

/*
 * A list reply starts with this. GET_SERVICES is followed by count
 * services, each followed by its n_dests dests; GET_CONNS by count
 * xvs_ctl_conn.
 */
struct xvs_ctl_list {
	__u32 count;
	__u32 pad0;
};

struct xvs_ctl_timeout {
	__u32 tcp;		/* ESTABLISHED */
	__u32 tcpfin;		/* FIN_WAIT */
	__u32 udp;
	__u32 pad0;
};

struct xvs_ctl_conn {
	union xvs_addr caddr;
	union xvs_addr vaddr;
	union xvs_addr daddr;
	__be16 cport;
	__be16 vport;
	__be16 dport;
	__u8 proto;
	__u8 af;
	__u8 state;		/* enum xvs_tcp_state or XVS_UDP_STATE */
	__u8 flags;		/* XVS_CONN_F_* */
	__u8 fwd;
	__u8 pad0;
	__u32 expire_ms;	/* time left before expiry */
};

/* One VRRP instance's status (GET_VRRP); see docs/vrrp.md. */
#define XVS_CTL_VRRP_NAME_LEN	32
#define XVS_CTL_VRRP_DROPS	16	/* room for enum xvs_vrrp_drop */
struct xvs_ctl_vrrp {
	char name[XVS_CTL_VRRP_NAME_LEN];	/* NUL-terminated, truncated */
	char iface[16];
	__u8 state;		/* INIT 0, BACKUP 1, MASTER 2, FAULT 3 */
	__u8 vrid;
	__u8 base_prio;		/* configured priority */
	__u8 prio;		/* effective, with track weights */
	__u8 af;
	__u8 version;
	__u8 master_prio;	/* last advertised by the master */
	__u8 master_known;	/* 0: no master heard (yet) */
	union xvs_addr master;	/* the master's address */
	__u64 became_master;	/* transitions into MASTER */
	__u64 rx_adverts;	/* valid adverts received */
	__u64 tx_adverts;
	__u64 drops[XVS_CTL_VRRP_DROPS];	/* by enum xvs_vrrp_drop */
};

#endif /* XVS_CTL_T_H */
