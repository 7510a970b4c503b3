/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics_src-t.h - what the health checkers and VRRP tell /metrics.
 *
 * /metrics runs in xvsd's event-loop thread, so a source's iterator is
 * called from that thread only and needs no locking. It calls fn once per
 * item; the pointers in the item need to stay valid only during that
 * call. The iterator is called once per metric family, so it must report
 * the same items in the same order within one scrape (it does when
 * nothing else runs in between, which the single thread guarantees).
 */
#ifndef XVS_METRICS_SRC_T_H
#define XVS_METRICS_SRC_T_H

#include <stdint.h>

#include "xvs/dp-t.h"

/* One checked real server (keepalived's real_server with a checker). */
struct xvs_mx_check {
	struct xvs_svc_key svc;		/* its virtual server */
	union xvs_addr addr;		/* real server address */
	uint16_t port;			/* real server port, host order */
	uint8_t af;			/* XVS_AF_INET or XVS_AF_INET6 */
	uint8_t up;			/* 1: the last verdict was up */
	const char *checker;		/* "TCP_CHECK", "HTTP_GET", ... */
	double last_duration_s;		/* the last completed check; < 0: none yet */
	uint64_t runs;			/* checks completed */
	uint64_t failures;		/* of which failed */
};

typedef void (*xvs_mx_check_fn)(void *arg, const struct xvs_mx_check *c);
typedef void (*xvs_mx_check_iter)(void *src, xvs_mx_check_fn fn, void *arg);

/* One vrrp_instance. */
struct xvs_mx_vrrp {
	const char *instance;		/* its name in keepalived.conf */
	const char *iface;		/* interface it runs on */
	uint8_t vrid;			/* virtual_router_id */
	uint8_t priority;		/* effective priority */
	const char *state;		/* "INIT", "BACKUP", "MASTER" or "FAULT" */
	uint64_t became_master;		/* transitions to MASTER */
};

typedef void (*xvs_mx_vrrp_fn)(void *arg, const struct xvs_mx_vrrp *v);
typedef void (*xvs_mx_vrrp_iter)(void *src, xvs_mx_vrrp_fn fn, void *arg);

/* The optional sources; a NULL iterator leaves its families out. */
struct xvs_mx_sources {
	xvs_mx_check_iter checks;
	void *checks_ctx;
	xvs_mx_vrrp_iter vrrp;
	void *vrrp_ctx;
};

#endif
