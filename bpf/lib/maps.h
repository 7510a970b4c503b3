/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.h - the director's maps. All are pinned by name under xvsd's pin
 * directory, so a restarted xvsd (and a replaced program) finds the same
 * state. Layouts are in include/xvs/dp-t.h; docs/abi.md explains them.
 */
#ifndef XVS_BPF_MAPS_H
#define XVS_BPF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xvs/dp-t.h"

/* Virtual services by (af, proto, VIP, port). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, struct xvs_svc_key);
	__type(value, struct xvs_svc);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_svc_v1 SEC(".maps");

/* Each service's schedulable dests, by service id. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xvs_svc_dests);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_svc_dests_v1 SEC(".maps");

/* Real servers by dest id (0 is never used). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct xvs_dest);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_dest_v1 SEC(".maps");

/* ActiveConn/InActConn per dest; xvsd mmaps it to decrement on expiry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_MAX_DESTS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct xvs_dest_conns);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_dest_conns_v1 SEC(".maps");

/* rr/wrr cursors by service id. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xvs_sched_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_sched_state_v1 SEC(".maps");

/*
 * Precomputed scheduler tables by service id. Not preallocated: only
 * services with a table-driven scheduler pay for the 64 KiB.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XVS_MAX_SERVICES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct xvs_sched_tab);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_sched_tab_v1 SEC(".maps");

/*
 * The connection table. One hash visible to every CPU (the NAT return
 * path needs that), with per-CPU LRU lists so inserts contend less. When
 * it is full the least recently used entries are evicted. xvsd sizes it
 * (--conn-tab-bits) before load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1 << XVS_CONN_TAB_BITS_DEFAULT);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__type(key, struct xvs_conn_key);
	__type(value, struct xvs_conn);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_conn_v1 SEC(".maps");

/* Per-CPU traffic counters by service id and by dest id. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xvs_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_svc_stats_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XVS_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct xvs_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_dest_stats_v1 SEC(".maps");

/* Per-state timeouts in seconds (ipvsadm --set), XVS_TIMEOUT_* slots. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_TIMEOUT_MAX);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_timeouts_v1 SEC(".maps");

/* FULLNAT local addresses by service id (xvsadm -P, local_address_group). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XVS_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct xvs_laddrs);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_laddr_v1 SEC(".maps");

/*
 * The interfaces xvsd attached to, by ifindex: NAT and FULLNAT redirect
 * between them (two-armed) through this devmap. Not pinned: every xvsd
 * fills its program's own map as it attaches, and a pinned devmap could
 * not be reused (the kernel adds BPF_F_RDONLY_PROG to its flags, so
 * libbpf's comparison with the declaration fails).
 */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} xvs_tx_ports_v1 SEC(".maps");

/* What happened to packets that were not forwarded, by xvs_drop_reason. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XVS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xvs_cnt_v1 SEC(".maps");

#endif
