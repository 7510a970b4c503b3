// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - xvsd: loads the director data plane, serves the control
 * socket, and does IPVS's housekeeping once a second.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "check/check.h"
#include "check/genhash.h"
#include "config.h"
#include "ctl_server.h"
#include "dp.h"
#include "housekeeping.h"
#include "log.h"
#include "metrics/metrics.h"
#include "metrics/vrrp_src.h"
#include "model.h"
#include "options.h"
#include "vrrp/vrrp.h"
#include "vs_apply.h"

/* Ticks (seconds) between full next-hop refreshes. */
#define NEXTHOP_REFRESH_TICKS 30

struct xvsd {
	struct xvsd_options opt;
	struct xvs_dp dp;
	struct xvs_model *model;
	struct xvs_kconf *kc;		/* -f's config in force, or NULL */
	struct xvs_check_engine *checks;	/* -f's health checks, or NULL */
	struct xvs_vrrp *vrrp;		/* -f's vrrp_instances, or NULL */
	int ctl_fd, sig_fd, timer_fd, ep_fd;
	unsigned long ticks;
	struct xvs_hk hk;		/* housekeeping's pass and totals (/metrics) */
	struct xvs_mx_sources mx_src;	/* checks and VRRP, for /metrics */
	struct xvs_metrics *metrics;	/* --metrics, or NULL */
};

/* One housekeeping tick: expiry, counters, trash, rates, next hops. */
static void xvsd_tick(struct xvsd *d)
{
	int ret = xvs_hk_step(d->model, xvs_hk_now_ns(), xvs_hk_tick_budget(&d->dp), &d->hk);

	if (ret < 0)
		xvs_log_warn("connection scan failed: %s", strerror(-ret));
	else if (ret)	/* a pass over the whole table ended */
		xvs_model_reap(d->model);
	d->ticks++;
	if (d->ticks % XVS_EST_INTERVAL_S == 0)
		xvs_model_estimate(d->model);
	xvs_model_refresh_nexthops(d->model, d->ticks % NEXTHOP_REFRESH_TICKS == 0);
	if (d->metrics)
		xvs_metrics_tick(d->metrics);
}

/* Create the signal, timer and epoll fds. Returns 0 or -errno. */
static int xvsd_setup_loop(struct xvsd *d)
{
	struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	d->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	d->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	if (d->sig_fd < 0 || d->timer_fd < 0 || d->ep_fd < 0)
		return -errno;
	if (timerfd_settime(d->timer_fd, 0, &its, NULL))
		return -errno;
	ev.data.fd = d->sig_fd;
	epoll_ctl(d->ep_fd, EPOLL_CTL_ADD, d->sig_fd, &ev);
	ev.data.fd = d->timer_fd;
	epoll_ctl(d->ep_fd, EPOLL_CTL_ADD, d->timer_fd, &ev);
	ev.data.fd = d->ctl_fd;
	epoll_ctl(d->ep_fd, EPOLL_CTL_ADD, d->ctl_fd, &ev);
	if (d->metrics) {
		ev.data.fd = xvs_metrics_fd(d->metrics);
		epoll_ctl(d->ep_fd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	}
	if (d->checks) {
		ev.data.fd = xvs_check_engine_fd(d->checks);
		epoll_ctl(d->ep_fd, EPOLL_CTL_ADD, ev.data.fd, &ev);
	}
	return 0;
}

static void xvsd_checks_stop(struct xvsd *d)
{
	if (!d->checks)
		return;
	if (d->ep_fd >= 0)
		epoll_ctl(d->ep_fd, EPOLL_CTL_DEL, xvs_check_engine_fd(d->checks), NULL);
	xvs_check_engine_free(d->checks);
	d->checks = NULL;
	d->mx_src.checks = NULL;
	d->mx_src.checks_ctx = NULL;
}

/*
 * Hand kc's real servers to the health-check engine (daemon/check/): it
 * keeps the state of those that stay and tells vs_apply which dests each
 * service should have. Without an engine (out of memory) every real
 * server is taken as up, and the log says so.
 */
static void xvsd_apply_checks(struct xvsd *d, const struct xvs_kconf *kc)
{
	static const struct xvs_check_dest_ops ops = { .set_dest = xvs_vs_apply_set_dest };

	if (!d->checks) {
		d->checks = xvs_check_engine_new(&ops, d->model);
		if (d->checks && d->ep_fd >= 0) {
			struct epoll_event ev = { .events = EPOLLIN };

			ev.data.fd = xvs_check_engine_fd(d->checks);
			epoll_ctl(d->ep_fd, EPOLL_CTL_ADD, ev.data.fd, &ev);
		}
	}
	if (d->checks && xvs_check_engine_apply(d->checks, kc) == 0) {
		d->mx_src.checks = xvs_check_foreach_status;
		d->mx_src.checks_ctx = d->checks;
		return;
	}
	xvs_log_err("health checks are not running: every real server is taken as up");
	xvsd_checks_stop(d);
	xvs_vs_apply_all_up(d->model, kc);
}

/*
 * Load -f's file (again, on SIGHUP) and make the model match it. A
 * reload with errors is rejected and the running config stays.
 */
static int xvsd_load_config(struct xvsd *d)
{
	struct xvs_kconf *kc = xvsd_config_load(d->opt.config_file, d->kc != NULL);

	if (!kc)
		return -EINVAL;
	/*
	 * VRRP first: a config it cannot run is rejected whole, and the
	 * running one (which VRRP still points into) stays.
	 */
	if (d->vrrp) {
		int err = xvs_vrrp_reload(&d->vrrp, kc, d->ep_fd);

		xvs_ctl_set_vrrp(d->vrrp);
		if (err) {
			xvs_log_err("reload: VRRP cannot run the new config: %s", strerror(-err));
			xvs_kconf_free(kc);
			return err;
		}
	}
	xvs_vs_apply_services(d->model, d->kc, kc);
	xvsd_apply_checks(d, kc);
	xvs_kconf_free(d->kc);
	d->kc = kc;
	return 0;
}

/* Run until SIGTERM or SIGINT. */
static void xvsd_run(struct xvsd *d)
{
	for (;;) {
		struct epoll_event evs[4];
		int n = epoll_wait(d->ep_fd, evs, 4, -1);

		if (n < 0 && errno != EINTR) {
			xvs_log_err("epoll_wait: %s", strerror(errno));
			return;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == d->timer_fd) {
				uint64_t expirations;

				if (read(fd, &expirations, sizeof(expirations)) > 0)
					xvsd_tick(d);
			} else if (fd == d->ctl_fd) {
				xvs_ctl_serve_client(d->ctl_fd, d->model);
			} else if (d->checks && fd == xvs_check_engine_fd(d->checks)) {
				xvs_check_engine_run(d->checks);
			} else if (d->metrics && fd == xvs_metrics_fd(d->metrics)) {
				xvs_metrics_run(d->metrics);
			} else if (fd == d->sig_fd) {
				struct signalfd_siginfo si;

				if (read(fd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo == SIGHUP) {
					if (d->opt.config_file)
						xvsd_load_config(d);
					else
						xvs_log_info("SIGHUP: no configuration file (-f) to reload");
					continue;
				}
				xvs_log_info("signal %u: exiting; the data plane and its "
					     "state stay in place", si.ssi_signo);
				return;
			} else {
				xvs_vrrp_handle(d->vrrp, fd);
			}
		}
	}
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "%d\n", getpid());
	return fclose(f) ? -errno : 0;
}

/* Load, attach, listen. Returns 0 or -errno (logged). */
static int xvsd_start(struct xvsd *d)
{
	struct xvs_dp_size size = { d->opt.conn_tab_bits, d->opt.max_svcs, d->opt.max_dests };
	int err = xvs_dp_open(&d->dp, d->opt.pin_dir, &size);

	if (err)
		return err;
	d->model = xvs_model_new(&d->dp);
	if (!d->model)
		return -errno;
	err = xvs_model_set_expire_quiescent(d->model, d->opt.expire_quiescent);
	if (err)
		return err;
	for (int i = 0; i < d->opt.n_ifaces; i++) {
		err = xvs_dp_attach(&d->dp, d->opt.ifaces[i], d->opt.xdp_mode);
		if (err)
			return err;
	}
	d->ctl_fd = xvs_ctl_listen(d->opt.ctl_path);
	if (d->ctl_fd < 0) {
		xvs_log_err("cannot listen on %s: %s", d->opt.ctl_path, strerror(-d->ctl_fd));
		return d->ctl_fd;
	}
	if (d->opt.config_file && (err = xvsd_load_config(d)))
		return err;
	if (d->opt.metrics) {
		struct xvs_metrics_state st = { d->model, &d->hk.tot, &d->mx_src };

		/* Through &d->vrrp: a reload may replace the runtime. */
		d->mx_src.vrrp = xvs_mx_vrrp_source;
		d->mx_src.vrrp_ctx = &d->vrrp;

		d->metrics = xvs_metrics_start((struct sockaddr *)&d->opt.metrics_addr, &st);
		if (!d->metrics) {
			err = -errno;
			xvs_log_err("cannot serve metrics on %s: %s", d->opt.metrics,
				    strerror(-err));
			return err;
		}
		xvs_log_info("serving Prometheus metrics on http://%s/metrics", d->opt.metrics);
	}
	xvs_log_info("ready: pins %s, control socket %s, %u connection entries",
		     d->opt.pin_dir, d->opt.ctl_path, d->dp.conn_tab_size);
	err = xvsd_setup_loop(d);
	if (err || !d->kc)
		return err;
	/* VRRP's sockets, timer and children go into the loop's epoll set. */
	d->vrrp = xvs_vrrp_new(d->kc);
	if (!d->vrrp)
		return -errno;
	xvs_ctl_set_vrrp(d->vrrp);
	return xvs_vrrp_start(d->vrrp, d->ep_fd);
}

int main(int argc, char **argv)
{
	struct xvsd d = { .ctl_fd = -1, .sig_fd = -1, .timer_fd = -1, .ep_fd = -1,
			  .hk = { .tot = { .live = -1 } } };
	const char *base = strrchr(argv[0], '/');
	int err;

	/* keepalived's genhash, as xvs-genhash (a link to xvsd) or --genhash. */
	if (!strcmp(base ? base + 1 : argv[0], "xvs-genhash"))
		return xvs_genhash_main(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--genhash"))
		return xvs_genhash_main(argc - 1, argv + 1);
	err = xvsd_parse_options(argc, argv, &d.opt);
	if (err)
		return err > 0 ? 0 : 1;
	xvs_log_init("xvsd", !d.opt.log_console, d.opt.log_detail ? XVS_LOG_DBG : XVS_LOG_INFO);
	if (d.opt.cleanup) {
		err = xvs_dp_cleanup(d.opt.pin_dir);
		unlink(d.opt.ctl_path);
		if (err)
			fprintf(stderr, "xvsd: cleanup of %s: %s\n", d.opt.pin_dir, strerror(-err));
		return err ? 1 : 0;
	}
	if (d.opt.status)
		return xvs_vrrp_print_status(d.opt.ctl_path) ? 1 : 0;
	if (d.opt.config_test) {
		xvs_log_init("xvsd", false, XVS_LOG_INFO);
		return xvsd_config_test(d.opt.config_file ? d.opt.config_file : XVSD_DEFAULT_CONFIG);
	}
	if (d.opt.n_ifaces == 0) {
		fprintf(stderr, "xvsd: no --interface given: where should the data plane attach?\n");
		return 1;
	}
	if (!d.opt.foreground && daemon(0, 0) < 0) {
		perror("xvsd: daemon");
		return 1;
	}
	if (d.opt.pidfile && (err = write_pidfile(d.opt.pidfile)))
		xvs_log_warn("cannot write pid file %s: %s", d.opt.pidfile, strerror(-err));
	err = xvsd_start(&d);
	if (!err)
		xvsd_run(&d);
	if (d.ctl_fd >= 0) {
		close(d.ctl_fd);
		unlink(d.opt.ctl_path);
	}
	/* A master hands over at once (priority 0) and takes its VIPs away. */
	xvs_vrrp_stop(d.vrrp);
	xvs_ctl_set_vrrp(NULL);
	xvs_vrrp_free(d.vrrp);
	xvs_metrics_stop(d.metrics);
	if (d.checks)
		xvs_check_engine_shutdown(d.checks);
	xvsd_checks_stop(&d);
	xvs_kconf_free(d.kc);
	xvs_hk_release(&d.hk);
	xvs_model_free(d.model);
	xvs_dp_close(&d.dp);
	if (d.opt.pidfile)
		unlink(d.opt.pidfile);
	return err ? 1 : 0;
}
