/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc.h - run a check or notify script without blocking: the child runs
 * `/bin/sh -c CMD` in a session of its own, its exit is watched through a
 * pidfd in the check loop (no SIGCHLD handler), and at its timeout the
 * whole session is killed with SIGKILL and reaped.
 */
#ifndef XVS_CHECK_PROC_H
#define XVS_CHECK_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "evloop.h"

struct xvs_proc {
	pid_t pid;			/* 0 = not running */
	struct xvs_ev_io io;		/* the pidfd */
	struct xvs_ev_timer timeout;
	struct xvs_evloop *loop;
	bool timed_out;
	/* Called once with the waitpid() status after the child is reaped. */
	void (*done)(struct xvs_proc *p, int status);
};

/* Identity to run a script as (keepalived's `user NAME [GROUP]`). */
struct xvs_proc_cred {
	bool set;
	uid_t uid;
	gid_t gid;
};

/*
 * Resolve user (and group, or the user's own group) into *cred.
 * Returns 0, or -ENOENT for an unknown user or group.
 */
int xvs_proc_cred_lookup(const char *user, const char *group, struct xvs_proc_cred *cred);

/*
 * Start cmd. timeout_us 0 = no timeout. cred NULL = as xvsd. The child's
 * stdin/stdout/stderr are /dev/null; its signal mask and dispositions are
 * reset (xvsd blocks SIGTERM for its signalfd). Returns 0, or -errno when
 * the child could not be started (done is then not called).
 */
int xvs_proc_spawn(struct xvs_evloop *loop, struct xvs_proc *p, const char *cmd,
		   uint64_t timeout_us, const struct xvs_proc_cred *cred,
		   void (*done)(struct xvs_proc *p, int status));

/* Kill a running child and reap it now, without calling done. */
void xvs_proc_kill(struct xvs_proc *p);

#endif
