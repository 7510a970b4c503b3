// SPDX-License-Identifier: GPL-2.0
/* check_state.c - keepalived's health-check rules (see check_state.h). */
#include <sys/wait.h>

#include "check_state.h"

void xvs_chk_fsm_init(struct xvs_chk_fsm *f, bool alpha)
{
	f->up = !alpha;
	f->has_run = false;
	f->retries = 0;
}

enum xvs_chk_change xvs_chk_fsm_result(struct xvs_chk_fsm *f, bool ok,
				       const struct xvs_chk_timing *t, uint64_t *next_us)
{
	bool was_up = f->up;

	if (!ok && (was_up || !f->has_run) && f->retries < t->retry) {
		/* Not a verdict yet: try again soon. */
		f->retries++;
		*next_us = t->delay_before_retry_us;
		return XVS_CHK_SAME;
	}
	*next_us = t->delay_loop_us;
	f->retries = 0;
	f->has_run = true;
	f->up = ok;
	if (ok && !was_up)
		return XVS_CHK_WENT_UP;
	if (!ok && was_up)
		return XVS_CHK_WENT_DOWN;
	return XVS_CHK_SAME;
}

struct xvs_misc_verdict xvs_misc_exit_verdict(int wait_status, bool dynamic)
{
	struct xvs_misc_verdict v = { 0 };
	int code;

	if (!WIFEXITED(wait_status))
		return v;
	code = WEXITSTATUS(wait_status);
	if (!dynamic || code <= 1) {
		v.ok = code == 0;
		return v;
	}
	v.ok = true;
	v.set_weight = true;
	v.weight = code - 2;
	return v;
}

bool xvs_quorum_next(bool up, int64_t live_weight, uint32_t quorum, uint32_t hysteresis)
{
	if (!up && live_weight >= (int64_t)quorum + hysteresis)
		return true;
	if (up && live_weight < (int64_t)quorum - hysteresis)
		return false;
	return up;
}

void xvs_vs_plan(const struct xvs_rs_view *rs, size_t n, bool quorum_up,
		 bool has_sorry, int sorry_weight, bool sorry_inhibit,
		 struct xvs_dest_plan *out, struct xvs_dest_plan *sorry)
{
	bool sorry_serves = has_sorry && !quorum_up;

	for (size_t i = 0; i < n; i++) {
		bool serves = rs[i].alive && !sorry_serves;

		out[i].present = serves || rs[i].inhibit;
		out[i].weight = serves ? rs[i].weight : 0;
	}
	sorry->present = sorry_serves || (has_sorry && sorry_inhibit);
	sorry->weight = sorry_serves ? sorry_weight : 0;
}

int xvs_rs_weight(int base, const int *dyn, const bool *dyn_set, size_t n)
{
	long w = base;

	for (size_t i = 0; i < n; i++)
		if (dyn_set[i])
			w += (long)dyn[i] - base;
	if (w < 0)
		return 0;
	return w > 65535 ? 65535 : (int)w;
}
