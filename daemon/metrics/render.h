/* SPDX-License-Identifier: GPL-2.0 */
/*
 * render.h - xvsd's /metrics text from a view of its state: the services
 * and dests as the control socket lists them (so /metrics and
 * "xvsadm -Ln --stats" agree, both reading the same list), the data
 * plane's drop/pass counters, the connection table, the optional check
 * and VRRP sources, and the endpoint's own response counts.
 *
 * Families, in this order (docs/metrics.md has help and labels):
 *   node_ipvs_{connections,incoming_packets,outgoing_packets,
 *     incoming_bytes,outgoing_bytes}_total          as node_exporter's IPVS collector
 *   node_ipvs_backend_{connections_active,connections_inactive,weight}
 *   lvs_rate_{in_pps,out_pps,in_cps,out_cps}, lvs_active_connections   the seed's
 *   xvs_service_weight, xvs_backend_*_total, xvs_conn_table_*, xvs_conn_{expired,evicted}_total,
 *   xvs_dp_{drops,passes,events}_total, xvs_check_*, xvs_vrrp_*, xvs_metrics_*
 */
#ifndef XVS_METRICS_RENDER_H
#define XVS_METRICS_RENDER_H

#include <stdint.h>

#include "expo.h"
#include "metrics_src-t.h"

/*
 * HTTP status codes the endpoint's request handler sends, in
 * xvs_mx_view.responses order. (Errors libmicrohttpd sends by itself, for
 * a malformed request or oversized headers, never reach the handler.)
 */
#define XVS_MX_HTTP_CODES { 200, 404, 405, 413, 500, 503 }
#define XVS_MX_N_HTTP_CODES 6

struct xvs_mx_view {
	const void *list;		/* a GET_SERVICES reply (xvs_model_list) */
	uint32_t list_len;
	const uint64_t *cnt;		/* [XVS_CNT_MAX] drop/pass counters, or NULL */
	uint32_t conn_tab_size;		/* connection table capacity */
	long conn_live;			/* entries at the last scan; < 0: no scan yet */
	uint64_t conn_expired;		/* entries housekeeping expired */
	uint64_t conn_evicted;		/* entries that vanished unexpired (LRU) */
	const struct xvs_mx_sources *src;	/* or NULL */
	const uint64_t *responses;	/* [XVS_MX_N_HTTP_CODES], or NULL */
};

/* What a data-plane counter (enum xvs_drop_reason) counts. */
enum xvs_mx_reason_kind {
	XVS_MX_DROP,	/* a packet not forwarded: xvs_dp_drops_total */
	XVS_MX_PASS,	/* a packet handed to the kernel: xvs_dp_passes_total */
	XVS_MX_EVENT,	/* something done to a forwarded packet: xvs_dp_events_total */
};

/* A counter's reason label ("no_dest"), or NULL when it has none yet. */
const char *xvs_mx_reason_name(unsigned int reason);

/* A counter's kind; one without a name is an event ("reason_N"). */
enum xvs_mx_reason_kind xvs_mx_reason_kind(unsigned int reason);

/*
 * Write every family into e. Returns 0, or -EINVAL when v->list is not a
 * well-formed GET_SERVICES reply (nothing is written about services then).
 * An allocation failure shows as e->oom.
 */
int xvs_mx_render(const struct xvs_mx_view *v, struct xvs_expo *e);

#endif
