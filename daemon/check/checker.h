/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checker.h - one checker of one real server, as the engine and the
 * checker types (tcp.c, http.c, misc.c, dns.c) share it. A type's start()
 * begins one attempt and reports its outcome once with
 * xvs_checker_done(); the engine applies keepalived's retry rules and
 * schedules the next attempt.
 */
#ifndef XVS_CHECK_CHECKER_H
#define XVS_CHECK_CHECKER_H

#include <stdbool.h>
#include <stdint.h>

#include "check_state.h"
#include "evloop.h"
#include "kconf.h"

struct xvs_checker;
struct xvs_check_rs;

struct xvs_checker_ops {
	const char *name;		/* keepalived's: "TCP_CHECK", ... */
	/* Validate the config and allocate c->priv (optional). 0 or -errno. */
	int (*init)(struct xvs_checker *c);
	/* Start one attempt. Returns 0, or -errno: a failed attempt. */
	int (*start)(struct xvs_checker *c);
	/* Drop an attempt in progress without a report (optional; the
	 * attempt's c->io socket and timeout are released by the caller). */
	void (*abort)(struct xvs_checker *c);
	void (*fini)(struct xvs_checker *c);
};

struct xvs_checker {
	const struct xvs_checker_ops *ops;
	const struct xvs_kc_check *conf;
	struct xvs_check_rs *rs;
	struct xvs_evloop *loop;
	struct xvs_chk_fsm fsm;
	struct xvs_ev_timer next;	/* the next attempt */
	struct xvs_ev_timer deadline;	/* the running attempt's I/O timeout */
	struct xvs_ev_io io;		/* the running attempt's socket */
	bool running;
	bool claimed;			/* a reload handed its state on */
	bool dyn_set;			/* misc_dynamic set a weight */
	int dyn_weight;
	void *priv;			/* the type's own state */
	/* For logs and /metrics. */
	char name[80];			/* "[addr]:port TCP_CHECK" */
	uint64_t started_us;
	double last_duration_s;		/* < 0: none yet */
	uint64_t runs, failures;
};

/* The ops of a keepalived checker type, or NULL (SMTP, BFD: not run). */
const struct xvs_checker_ops *xvs_checker_ops_for(enum xvs_kc_check_type type);

extern const struct xvs_checker_ops xvs_check_tcp_ops;
extern const struct xvs_checker_ops xvs_check_http_ops;
extern const struct xvs_checker_ops xvs_check_ssl_ops;
extern const struct xvs_checker_ops xvs_check_misc_ops;
extern const struct xvs_checker_ops xvs_check_dns_ops;

/*
 * The attempt is over: ok or not (why: a short reason for the log).
 * Releases the attempt's socket and timeout; the checker must not touch
 * its attempt state afterwards. Called from the type's callbacks.
 */
void xvs_checker_done(struct xvs_checker *c, bool ok, const char *why);

/*
 * (Re)start the I/O timeout of the running attempt: connect_timeout from
 * now. On expiry the attempt fails with "timeout".
 */
void xvs_checker_touch(struct xvs_checker *c);

/*
 * A non-blocking socket of type (SOCK_STREAM, SOCK_DGRAM) to the
 * checker's connect_ip:connect_port, bound to bindto/bind_port, with its
 * connect started and watched in c->io with cb for events.
 * Returns 0 or -errno.
 */
int xvs_checker_connect(struct xvs_checker *c, int type, uint32_t events,
			void (*cb)(struct xvs_ev_io *io, uint32_t events));

/* Start the first attempt after delay_us. Returns 0 or -ENOMEM. */
int xvs_checker_schedule(struct xvs_checker *c, uint64_t delay_us);

/* Stop: abort a running attempt, cancel the next one. */
void xvs_checker_stop(struct xvs_checker *c);

/* engine.c: a checker of rs changed its verdict or its dynamic weight. */
void xvs_check_rs_update(struct xvs_check_rs *rs);

/* Close the attempt's socket, if any. */
void xvs_checker_close(struct xvs_checker *c);

#endif
