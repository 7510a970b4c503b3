/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decap-t.h - the ABI between bpf/xvs_rs.bpf.c (the real server's XDP IPIP
 * decapsulator) and xvs-rs. Compiles under clang -target bpf and in user
 * space: only <linux/types.h> is included.
 */
#ifndef XVS_RS_DECAP_T_H
#define XVS_RS_DECAP_T_H

#include <linux/types.h>

/* Name of the XDP program as the kernel reports it (bpf_prog_info.name). */
#define XVS_RS_PROG_NAME	"xvs_rs_decap"
/* Map names, at most 15 characters (BPF_OBJ_NAME_LEN - 1). */
#define XVS_RS_STATS_MAP_NAME	"xvs_rs_stats_v1"
#define XVS_RS_LOCAL_MAP_NAME	"xvs_rs_local_v1"

/* Entries of xvs_rs_local_v1: outer destinations accepted for decap. */
#define XVS_RS_MAX_LOCALS	64

/*
 * Per-CPU counters in xvs_rs_stats_v1, one slot each. The numbers are
 * ABI: append only, never renumber.
 */
enum xvs_rs_cnt {
	XVS_RS_CNT_DECAP = 0,		/* IPIP decapsulated, inner passed up */
	XVS_RS_CNT_PASS = 1,		/* not IPIP (or not IPv4): untouched */
	XVS_RS_CNT_MALFORMED = 2,	/* truncated or bad header: untouched */
	XVS_RS_CNT_FRAGMENT = 3,	/* outer IPv4 fragment: untouched */
	XVS_RS_CNT_NOT_LOCAL = 4,	/* outer daddr not in the local map */
	XVS_RS_CNT_MAX,
};

#endif /* XVS_RS_DECAP_T_H */
