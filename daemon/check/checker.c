// SPDX-License-Identifier: GPL-2.0
/*
 * checker.c - what every checker type shares: the attempt's life cycle
 * (start, I/O timeout, done), keepalived's retry schedule, and the
 * non-blocking connect with connect_ip/connect_port/bindto/bind_port.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "checker.h"
#include "sock.h"
#include "log.h"

const struct xvs_checker_ops *xvs_checker_ops_for(enum xvs_kc_check_type type)
{
	switch (type) {
	case XVS_KC_CHECK_TCP:
		return &xvs_check_tcp_ops;
	case XVS_KC_CHECK_HTTP:
		return &xvs_check_http_ops;
	case XVS_KC_CHECK_SSL:
		return &xvs_check_ssl_ops;
	case XVS_KC_CHECK_MISC:
		return &xvs_check_misc_ops;
	case XVS_KC_CHECK_DNS:
		return &xvs_check_dns_ops;
	default:
		return NULL;
	}
}

void xvs_checker_close(struct xvs_checker *c)
{
	int fd = c->io.fd;

	if (fd < 0)
		return;
	xvs_evloop_io_del(c->loop, &c->io);
	close(fd);
}

static void on_deadline(struct xvs_ev_timer *t)
{
	struct xvs_checker *c = xvs_container_of(t, struct xvs_checker, deadline);

	if (c->ops->abort)
		c->ops->abort(c);
	xvs_checker_done(c, false, "timeout");
}

void xvs_checker_touch(struct xvs_checker *c)
{
	if (xvs_evloop_timer_arm(c->loop, &c->deadline, c->conf->connect_timeout_us,
				 on_deadline))
		xvs_log_warn("%s: out of memory for a timer", c->name);
}

static void on_next(struct xvs_ev_timer *t);

/* Arm the next attempt; a failure to do so is logged, the checker stalls
 * in its current verdict (only under memory exhaustion). */
static void arm_next(struct xvs_checker *c, uint64_t delay_us)
{
	if (xvs_evloop_timer_arm(c->loop, &c->next, delay_us, on_next))
		xvs_log_err("%s: out of memory: checker stopped", c->name);
}

void xvs_checker_done(struct xvs_checker *c, bool ok, const char *why)
{
	enum xvs_chk_change change;
	struct xvs_chk_timing t = {
		.delay_loop_us = c->conf->delay_loop_us,
		.delay_before_retry_us = c->conf->delay_before_retry_us,
		.retry = c->conf->retry,
	};
	uint64_t next_us;

	if (!c->running)
		return;
	c->running = false;
	xvs_evloop_timer_cancel(c->loop, &c->deadline);
	xvs_checker_close(c);
	c->runs++;
	c->failures += !ok;
	c->last_duration_s = (double)(xvs_evloop_now_us() - c->started_us) / 1e6;
	change = xvs_chk_fsm_result(&c->fsm, ok, &t, &next_us);
	if (!ok)
		xvs_log_dbg("%s: failed: %s", c->name, why ? why : "");
	if (change != XVS_CHK_SAME)
		xvs_log_info("%s: %s%s%s", c->name,
			     change == XVS_CHK_WENT_UP ? "success, up" : "failed, down",
			     ok ? "" : ": ", ok ? "" : why ? why : "");
	arm_next(c, next_us);
	xvs_check_rs_update(c->rs);
}

static void on_next(struct xvs_ev_timer *t)
{
	struct xvs_checker *c = xvs_container_of(t, struct xvs_checker, next);
	int err;

	c->running = true;
	c->started_us = xvs_evloop_now_us();
	err = c->ops->start(c);
	if (err) {
		if (c->ops->abort)
			c->ops->abort(c);
		xvs_checker_done(c, false, strerror(-err));
	}
}

int xvs_checker_schedule(struct xvs_checker *c, uint64_t delay_us)
{
	return xvs_evloop_timer_arm(c->loop, &c->next, delay_us, on_next);
}

void xvs_checker_stop(struct xvs_checker *c)
{
	if (c->running) {
		if (c->ops->abort)
			c->ops->abort(c);
		c->running = false;
	}
	xvs_evloop_timer_cancel(c->loop, &c->deadline);
	xvs_evloop_timer_cancel(c->loop, &c->next);
	xvs_checker_close(c);
}

int xvs_checker_connect(struct xvs_checker *c, int type, uint32_t events,
			void (*cb)(struct xvs_ev_io *io, uint32_t events))
{
	int fd = xvs_check_sock_open(c->conf, type), err;

	if (fd < 0)
		return fd;
	err = xvs_evloop_io_add(c->loop, &c->io, fd, events, cb);
	if (err) {
		close(fd);
		return err;
	}
	xvs_checker_touch(c);
	return 0;
}
