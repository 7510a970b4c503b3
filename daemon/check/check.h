/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - xvsd's health checking: keepalived's checkers (TCP_CHECK,
 * HTTP_GET, SSL_GET, MISC_CHECK, DNS_CHECK) run concurrently on one
 * non-blocking loop, and the real-server states they drive: alpha/omega,
 * inhibit_on_failure, quorum with hysteresis, the sorry server,
 * notify_up/down and quorum_up/down scripts.
 *
 * The engine owns every piece of health state. It never writes the maps
 * itself: it tells its owner (the config apply) which dests each virtual
 * server should have, through xvs_check_dest_ops.set_dest.
 */
#ifndef XVS_CHECK_H
#define XVS_CHECK_H

#include <stdbool.h>

#include "kconf.h"
#include "../metrics/metrics_src-t.h"

struct xvs_check_engine;

struct xvs_check_dest_ops {
	/*
	 * rs (one of vs->rs[], or &vs->sorry) should be in vs's service
	 * with weight (present), or not be in it (!present). Called from
	 * xvs_check_engine_apply() for every dest, and from
	 * xvs_check_engine_run() when a verdict changes.
	 */
	void (*set_dest)(void *ctx, const struct xvs_kc_vs *vs, const struct xvs_kc_rs *rs,
			 bool present, int weight);
};

/*
 * A new engine with no checkers, or NULL (errno set). The process must
 * ignore SIGPIPE, as xvsd does: TLS writes to a server that closed early
 * would raise it.
 */
struct xvs_check_engine *xvs_check_engine_new(const struct xvs_check_dest_ops *ops, void *ctx);

/*
 * Run the checks of kc: on the first load and on every reload, after the
 * services exist. Real servers and checkers still in kc (same virtual
 * server, address, port, checker type and target) keep their state; new
 * ones start (down with alpha, up otherwise; first check after a random
 * part of warmup); removed ones stop. Then set_dest is called for every
 * dest of kc with its current verdict. kc must stay valid until the next
 * apply or free. Returns 0 or -ENOMEM (the previous checks then go on).
 */
int xvs_check_engine_apply(struct xvs_check_engine *e, const struct xvs_kconf *kc);

/* The fd for xvsd's epoll (readable: call xvs_check_engine_run). */
int xvs_check_engine_fd(const struct xvs_check_engine *e);

/* Handle whatever is ready: socket events, timers, exited scripts. */
void xvs_check_engine_run(struct xvs_check_engine *e);

/*
 * xvsd is stopping: with omega, run notify_down of live real servers and
 * quorum_down of virtual servers with quorum (keepalived's omega mode).
 * Dests are left alone, like every other xvsd state.
 */
void xvs_check_engine_shutdown(struct xvs_check_engine *e);

/* Stop every check (kill running scripts) and free the engine. */
void xvs_check_engine_free(struct xvs_check_engine *e);

/* /metrics: fn once per checker (engine is a struct xvs_check_engine *). */
void xvs_check_foreach_status(void *engine, xvs_mx_check_fn fn, void *arg);

#endif
