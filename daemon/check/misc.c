// SPDX-License-Identifier: GPL-2.0
/*
 * misc.c - MISC_CHECK: run misc_path; its exit status is the verdict
 * (with misc_dynamic, also the weight: lib/check_state.h). A script still
 * running at misc_timeout (default delay_loop) is killed and fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "checker.h"
#include "log.h"
#include "proc.h"

struct misc_check {
	struct xvs_proc proc;
	struct xvs_checker *c;
	struct xvs_proc_cred cred;
	char why[48];
};

static void misc_exited(struct xvs_proc *p, int status)
{
	struct misc_check *m = xvs_container_of(p, struct misc_check, proc);
	struct xvs_misc_verdict v = xvs_misc_exit_verdict(status, m->c->conf->misc_dynamic);

	if (p->timed_out)
		snprintf(m->why, sizeof(m->why), "timed out, killed");
	else if (WIFSIGNALED(status))
		snprintf(m->why, sizeof(m->why), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(m->why, sizeof(m->why), "exit status %d", WEXITSTATUS(status));
	if (v.set_weight) {
		m->c->dyn_set = true;
		m->c->dyn_weight = v.weight;
	}
	xvs_checker_done(m->c, v.ok, m->why);
}

static int misc_start(struct xvs_checker *c)
{
	struct misc_check *m = c->priv;
	uint64_t timeout = c->conf->misc_timeout_us ? c->conf->misc_timeout_us
						     : c->conf->delay_loop_us;

	return xvs_proc_spawn(c->loop, &m->proc, c->conf->misc_path, timeout, &m->cred,
			      misc_exited);
}

static void misc_abort(struct xvs_checker *c)
{
	struct misc_check *m = c->priv;

	xvs_proc_kill(&m->proc);
}

static int misc_init(struct xvs_checker *c)
{
	struct misc_check *m;
	int err;

	if (!c->conf->misc_path)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->c = c;
	m->proc.io.fd = -1;
	err = xvs_proc_cred_lookup(c->conf->user, c->conf->group, &m->cred);
	if (err) {
		xvs_log_err("%s: unknown user %s or group %s", c->name, c->conf->user,
			    c->conf->group ? c->conf->group : "-");
		free(m);
		return err;
	}
	c->priv = m;
	return 0;
}

static void misc_fini(struct xvs_checker *c)
{
	misc_abort(c);
	free(c->priv);
	c->priv = NULL;
}

const struct xvs_checker_ops xvs_check_misc_ops = {
	.name = "MISC_CHECK",
	.init = misc_init,
	.start = misc_start,
	.abort = misc_abort,
	.fini = misc_fini,
};
