/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli-t.h - types of xvsadm, the ipvsadm-compatible command line tool.
 *
 * The command and option numbering follows ipvsadm 1.31 on purpose: the
 * table of legal command/option combinations and its error messages are
 * indexed by them, and they must read exactly as ipvsadm's.
 */
#ifndef XVS_CLI_T_H
#define XVS_CLI_T_H

#include <linux/types.h>

#include "xvs/ctl-t.h"

/* Commands, in ipvsadm's order (the option table rows follow it). */
enum xvs_cli_cmd {
	XVS_CLI_CMD_NONE = 0,
	XVS_CLI_CMD_ADD,		/* -A */
	XVS_CLI_CMD_EDIT,		/* -E */
	XVS_CLI_CMD_DEL,		/* -D */
	XVS_CLI_CMD_FLUSH,		/* -C */
	XVS_CLI_CMD_LIST,		/* -L, -l */
	XVS_CLI_CMD_ADDDEST,		/* -a */
	XVS_CLI_CMD_DELDEST,		/* -d */
	XVS_CLI_CMD_EDITDEST,		/* -e */
	XVS_CLI_CMD_TIMEOUT,		/* --set */
	XVS_CLI_CMD_STARTDAEMON,	/* --start-daemon */
	XVS_CLI_CMD_STOPDAEMON,		/* --stop-daemon */
	XVS_CLI_CMD_RESTORE,		/* -R */
	XVS_CLI_CMD_SAVE,		/* -S */
	XVS_CLI_CMD_ZERO,		/* -Z */
	XVS_CLI_NCMD = XVS_CLI_CMD_ZERO,	/* commands in the option table */
	XVS_CLI_CMD_HELP,		/* -h */
	XVS_CLI_CMD_VERSION,		/* -v */
};

/* Options, as bits of xvs_cli_req.options (1ULL << XVS_CLI_OPT_x). */
enum xvs_cli_opt {
	XVS_CLI_OPT_NUMERIC = 0,
	XVS_CLI_OPT_CONNECTION,
	XVS_CLI_OPT_SERVICE,
	XVS_CLI_OPT_SCHEDULER,
	XVS_CLI_OPT_PERSISTENT,
	XVS_CLI_OPT_NETMASK,
	XVS_CLI_OPT_SERVER,
	XVS_CLI_OPT_FORWARD,
	XVS_CLI_OPT_WEIGHT,
	XVS_CLI_OPT_UTHRESHOLD,
	XVS_CLI_OPT_LTHRESHOLD,
	XVS_CLI_OPT_MCAST,
	XVS_CLI_OPT_TIMEOUT,
	XVS_CLI_OPT_DAEMON,
	XVS_CLI_OPT_STATS,
	XVS_CLI_OPT_RATE,
	XVS_CLI_OPT_THRESHOLDS,
	XVS_CLI_OPT_PERSISTENTCONN,
	XVS_CLI_OPT_NOSORT,
	XVS_CLI_OPT_SYNCID,
	XVS_CLI_OPT_EXACT,
	XVS_CLI_OPT_ONEPACKET,
	XVS_CLI_OPT_PE,
	XVS_CLI_OPT_SCHED_FLAGS,
	XVS_CLI_OPT_MCAST_GROUP,
	XVS_CLI_OPT_MCAST_PORT,
	XVS_CLI_OPT_MCAST_TTL,
	XVS_CLI_OPT_SYNC_MAXLEN,
	XVS_CLI_OPT_TUN_INFO,
	XVS_CLI_OPT_TUN_TYPE,
	XVS_CLI_OPT_TUN_PORT,
	XVS_CLI_OPT_TUN_NOCSUM,
	XVS_CLI_OPT_TUN_CSUM,
	XVS_CLI_OPT_TUN_REMCSUM,
	XVS_CLI_NOPT,
};

/* Listing format flags (ipvsadm's FMT_*). */
#define XVS_CLI_FMT_NUMERIC	0x0001
#define XVS_CLI_FMT_RULE	0x0002	/* -S */
#define XVS_CLI_FMT_STATS	0x0004
#define XVS_CLI_FMT_RATE	0x0008
#define XVS_CLI_FMT_THRESHOLDS	0x0010
#define XVS_CLI_FMT_PERSISTENTCONN 0x0020
#define XVS_CLI_FMT_NOSORT	0x0040
#define XVS_CLI_FMT_EXACT	0x0080
#define XVS_CLI_FMT_TUN_INFO	0x0100
#define XVS_CLI_FMT_JSON	0x0200	/* --json (xvs): one JSON document */

/* Tunnel types of --tun-type; xvs forwards ipip only. */
enum xvs_cli_tun { XVS_CLI_TUN_IPIP = 0, XVS_CLI_TUN_GUE, XVS_CLI_TUN_GRE };

#define XVS_CLI_SCHED_NAME_MAX	16
#define XVS_CLI_PE_NAME_MAX	16
#define XVS_CLI_DEF_SCHED	"wlc"
#define XVS_CLI_DEF_PERSISTENT	360		/* -p without a value */
#define XVS_CLI_MAX_TIMEOUT	(86400 * 31)	/* 31 days */

/*
 * One parsed command line: ipvsadm's "command entry". Fields keep
 * ipvsadm's in-between meaning while parsing (netmask, for one, is an
 * IPv4 mask or an IPv6 prefix length depending on the family seen so
 * far), so that option order has the same effect as with ipvsadm.
 */
struct xvs_cli_req {
	int cmd;			/* enum xvs_cli_cmd */
	__u64 options;			/* 1ULL << enum xvs_cli_opt */
	unsigned int format;		/* XVS_CLI_FMT_* */

	/* The virtual service. */
	struct xvs_svc_key key;		/* proto and af set even for fwmark */
	__u32 svc_flags;		/* XVS_SVC_F_* */
	__u32 timeout;			/* persistence timeout, seconds */
	__u32 netmask;			/* IPv4: mask, network order; IPv6: length */
	char sched_name[XVS_CLI_SCHED_NAME_MAX];
	char pe_name[XVS_CLI_PE_NAME_MAX];

	/* The real server. */
	union xvs_addr daddr;
	__be16 dport;
	__u8 daf;
	__u8 fwd;			/* enum xvs_fwd */
	__s32 weight;
	__u32 u_threshold;
	__u32 l_threshold;
	int tun_type;			/* enum xvs_cli_tun */

	struct xvs_ctl_timeout set;	/* --set tcp tcpfin udp */
	const char *ctl_path;		/* --ctl PATH (xvs extension), or NULL */
};

/* A service with its real servers, decoded from a GET_SERVICES reply. */
struct xvs_cli_svc {
	struct xvs_ctl_service svc;
	struct xvs_ctl_dest *dests;	/* svc.n_dests entries */
};

/* A whole GET_SERVICES reply. */
struct xvs_cli_table {
	__u32 n;
	struct xvs_cli_svc *svcs;
};

#endif /* XVS_CLI_T_H */
