/* SPDX-License-Identifier: GPL-2.0 */
/*
 * metrics.h - xvsd's Prometheus endpoint (--metrics ADDR:PORT), served
 * by libmicrohttpd inside xvsd's own epoll loop.
 *
 * Why in the loop and not in a thread of its own: everything a scrape
 * reads (the model, the rate estimators, the checkers' and VRRP's state)
 * belongs to the loop's thread and changes only there. Serving in that
 * thread reads it without locks or copies, and the checkers and VRRP need
 * no thread safety for it. What keeps the loop from being held up:
 *   - libmicrohttpd runs in "external epoll" mode: its epoll fd, with a
 *     timer for the deadlines it asks for, sits in xvsd's epoll set, and
 *     xvs_metrics_run() only does the work that is ready (non-blocking
 *     sockets; a slow reader just stays queued);
 *   - the text is rendered at most once per housekeeping tick and shared
 *     by every scrape in that second (one refcounted response), so many
 *     scrapers cost one render a second;
 *   - connections are bounded: past XVS_METRICS_SOFT_CONNS open ones a
 *     request gets 503 with Retry-After and the connection is closed; past
 *     XVS_METRICS_MAX_CONNS none is accepted (they wait in the listen
 *     queue); idle ones close after XVS_METRICS_TIMEOUT_S;
 *   - requests are small: only GET and HEAD (405 otherwise), no body (413),
 *     headers within XVS_METRICS_MEM bytes (libmicrohttpd answers 431 or
 *     414 beyond), only /metrics (404 otherwise).
 * The data plane never waits for any of it: it shares only maps, which a
 * scrape reads.
 */
#ifndef XVS_METRICS_H
#define XVS_METRICS_H

#include <sys/socket.h>

#include "metrics_src-t.h"

#define XVS_METRICS_SOFT_CONNS	32
#define XVS_METRICS_MAX_CONNS	64
#define XVS_METRICS_TIMEOUT_S	10
#define XVS_METRICS_MEM		8192

struct xvs_model;
struct xvs_hk_totals;
struct xvs_metrics;

/* What a scrape reads; every pointer belongs to xvsd and outlives the endpoint. */
struct xvs_metrics_state {
	struct xvs_model *model;
	const struct xvs_hk_totals *hk;		/* housekeeping's findings */
	const struct xvs_mx_sources *src;	/* checks and VRRP, filled in when they run */
};

/*
 * Parse --metrics's ADDR:PORT: "198.18.0.10:9100", "[2001:db8::1]:9100",
 * "[::]:9100", or ":9100" for every IPv4 address. Numeric only; port
 * 1..65535. Returns 0 and fills *ss and *len, or -EINVAL.
 */
int xvs_metrics_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);

/*
 * Listen on sa (AF_INET or AF_INET6) and serve /metrics from st. Returns the endpoint, or NULL
 * with errno set (EADDRINUSE, EACCES, ...). Stop with xvs_metrics_stop().
 */
struct xvs_metrics *xvs_metrics_start(const struct sockaddr *sa,
				      const struct xvs_metrics_state *st);

/* The fd to watch for EPOLLIN in the event loop. */
int xvs_metrics_fd(const struct xvs_metrics *mx);

/* Serve what is ready; call when the fd is readable. */
void xvs_metrics_run(struct xvs_metrics *mx);

/* A housekeeping tick: the next scrape renders fresh text. */
void xvs_metrics_tick(struct xvs_metrics *mx);

/* Close every connection and the listener, free mx (NULL is fine). */
void xvs_metrics_stop(struct xvs_metrics *mx);

#endif
