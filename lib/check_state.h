/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check_state.h - keepalived's health-check rules as pure functions:
 * a checker's retry/up/down state, MISC_CHECK's exit codes, a virtual
 * server's quorum with hysteresis, and which dests a virtual server should
 * have (inhibit_on_failure, the sorry server). The engine (daemon/check/)
 * feeds them results; the unit tests feed them tables.
 */
#ifndef XVS_CHECK_STATE_H
#define XVS_CHECK_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One checker's verdict state. */
struct xvs_chk_fsm {
	bool up;		/* the checker's verdict */
	bool has_run;		/* a verdict was reached since start */
	int retries;		/* failed attempts in a row, not yet a verdict */
};

enum xvs_chk_change {
	XVS_CHK_SAME = 0,
	XVS_CHK_WENT_UP,
	XVS_CHK_WENT_DOWN,
};

/* Timing of one checker, in microseconds, and its retry count. */
struct xvs_chk_timing {
	uint64_t delay_loop_us;
	uint64_t delay_before_retry_us;
	int retry;
};

/*
 * Start a checker: up unless alpha (keepalived's alpha mode: a server
 * is down until its first success).
 */
void xvs_chk_fsm_init(struct xvs_chk_fsm *f, bool alpha);

/*
 * Apply one attempt's outcome, as keepalived does: a success makes the
 * checker up; a failure of an up checker (or of one that has not run yet)
 * is retried `retry` times, delay_before_retry apart, before it makes the
 * checker down; a down checker is re-tried every delay_loop. Sets
 * *next_us to the delay before the next attempt; returns the change.
 */
enum xvs_chk_change xvs_chk_fsm_result(struct xvs_chk_fsm *f, bool ok,
				       const struct xvs_chk_timing *t, uint64_t *next_us);

/* What a MISC_CHECK's exit means. */
struct xvs_misc_verdict {
	bool ok;
	bool set_weight;	/* misc_dynamic with exit 2..255 */
	int weight;		/* then: exit status - 2 */
};

/*
 * Map a waitpid() status: without misc_dynamic exit 0 is up and anything
 * else down; with it, 0 is up (weight unchanged), 1 down, 2..255 up with
 * weight = status - 2. A process killed by a signal (its timeout) is down.
 */
struct xvs_misc_verdict xvs_misc_exit_verdict(int wait_status, bool dynamic);

/*
 * A virtual server's quorum after its live weight changed: gained when
 * the sum of live weights reaches quorum + hysteresis, lost when it falls
 * below quorum - hysteresis, unchanged in between.
 */
bool xvs_quorum_next(bool up, int64_t live_weight, uint32_t quorum, uint32_t hysteresis);

/* One real server as the planner sees it. */
struct xvs_rs_view {
	bool alive;		/* every checker up */
	bool inhibit;		/* inhibit_on_failure */
	int weight;		/* effective (misc_dynamic applied) */
};

/* Whether a dest should be in the service, and with which weight. */
struct xvs_dest_plan {
	bool present;
	int weight;
};

/*
 * Which dests a virtual server should have:
 * - a live server is in with its weight, except while quorum is lost and
 *   a sorry server replaces the pool (then out, or weight 0 if inhibit);
 * - a dead server is out, or in with weight 0 under inhibit_on_failure;
 * - the sorry server is in (its weight) while quorum is lost, and out
 *   otherwise, or in with weight 0 under sorry_server_inhibit.
 * rs[n] in, out[n] and *sorry out.
 */
void xvs_vs_plan(const struct xvs_rs_view *rs, size_t n, bool quorum_up,
		 bool has_sorry, int sorry_weight, bool sorry_inhibit,
		 struct xvs_dest_plan *out, struct xvs_dest_plan *sorry);

/*
 * A real server's effective weight: its configured weight moved by each
 * misc_dynamic checker that set one (by dyn - base each, so that one
 * such checker sets the weight outright, keepalived's rule).
 */
int xvs_rs_weight(int base, const int *dyn, const bool *dyn_set, size_t n);

#endif
