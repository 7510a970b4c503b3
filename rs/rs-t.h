/* SPDX-License-Identifier: GPL-2.0 */
/* rs-t.h - types of xvs-rs, the real-server tool. */
#ifndef XVS_RS_T_H
#define XVS_RS_T_H

#include <linux/types.h>

#include "xvs/dp-t.h"
#include "decap-t.h"

#define XVS_RS_MAX_VIPS		64
#define XVS_RS_MAX_SYSCTLS	16
#define XVS_RS_IFNAMSIZ		16	/* IFNAMSIZ, with the NUL */
#define XVS_RS_SYSCTL_KEY_MAX	96	/* "net/ipv4/conf/<if>/rp_filter" */
#define XVS_RS_PATH_MAX		256
#define XVS_RS_STATE_VERSION	1

#define XVS_RS_STATE_DIR	"/run/xvs-rs"
#define XVS_RS_SYSCTL_ROOT	"/proc/sys"

enum xvs_rs_cmd {
	XVS_RS_CMD_NONE = 0,
	XVS_RS_CMD_UP,
	XVS_RS_CMD_DOWN,
	XVS_RS_CMD_STATUS,
	XVS_RS_CMD_DOCTOR,
	XVS_RS_CMD_HELP,
};

/* Forwarding mode the director uses towards this real server. */
enum xvs_rs_mode {
	XVS_RS_MODE_UNSET = 0,
	XVS_RS_MODE_DR,
	XVS_RS_MODE_TUN,
};

/* --xdp-mode: auto tries native first and falls back to generic. */
enum xvs_rs_xdp_mode {
	XVS_RS_XDP_AUTO = 0,
	XVS_RS_XDP_NATIVE,
	XVS_RS_XDP_GENERIC,
};

/* A VIP on lo. added: xvs-rs put it there (so down removes it). */
struct xvs_rs_vip {
	union xvs_addr addr;
	__u8 af;		/* XVS_AF_INET or XVS_AF_INET6 */
	__u8 added;
	__u16 pad0;
};

/* The parsed command line. */
struct xvs_rs_opts {
	enum xvs_rs_cmd cmd;
	enum xvs_rs_mode mode;
	enum xvs_rs_xdp_mode xdp_mode;
	int xdp_mode_set;			/* --xdp-mode given */
	char dev[XVS_RS_IFNAMSIZ];		/* "" when not given */
	char state_dir[XVS_RS_PATH_MAX];
	unsigned int n_vips;
	struct xvs_rs_vip vips[XVS_RS_MAX_VIPS];
	unsigned int n_locals;
	__be32 locals[XVS_RS_MAX_LOCALS];	/* --local: outer daddr filter */
};

/* A sysctl's value before xvs-rs changed it. */
struct xvs_rs_saved_sysctl {
	char key[XVS_RS_SYSCTL_KEY_MAX];	/* relative to /proc/sys */
	int value;
};

/*
 * What `up` changed, so that `down` can undo exactly that. Stored as text
 * in <state_dir>/<dev or "default">.state (see state.c for the format).
 */
struct xvs_rs_state {
	unsigned int version;
	enum xvs_rs_mode mode;
	char dev[XVS_RS_IFNAMSIZ];
	int xdp;				/* decap attached by us */
	enum xvs_rs_xdp_mode xdp_mode;		/* NATIVE or GENERIC */
	unsigned int n_sysctls;
	struct xvs_rs_saved_sysctl sysctls[XVS_RS_MAX_SYSCTLS];
	unsigned int n_vips;
	struct xvs_rs_vip vips[XVS_RS_MAX_VIPS];
};

/* What is attached on an interface (xvs_rs_xdp_query). */
struct xvs_rs_xdp_info {
	__u32 prog_id;			/* 0: nothing attached */
	enum xvs_rs_xdp_mode mode;	/* NATIVE or GENERIC */
	int ours;			/* the program is xvs_rs_decap */
	int have_counters;
	__u64 counters[XVS_RS_CNT_MAX];
};

#endif /* XVS_RS_T_H */
