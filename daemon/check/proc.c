// SPDX-License-Identifier: GPL-2.0
/* proc.c - non-blocking script runs for MISC_CHECK and notifiers. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

int xvs_proc_cred_lookup(const char *user, const char *group, struct xvs_proc_cred *cred)
{
	struct passwd *pw = user ? getpwnam(user) : NULL;

	cred->set = false;
	if (!user)
		return 0;
	if (!pw)
		return -ENOENT;
	cred->uid = pw->pw_uid;
	cred->gid = pw->pw_gid;
	if (group) {
		struct group *gr = getgrnam(group);

		if (!gr)
			return -ENOENT;
		cred->gid = gr->gr_gid;
	}
	cred->set = true;
	return 0;
}

/* In the child: a clean slate, then exec. Never returns. */
static void child_exec(const char *cmd, const struct xvs_proc_cred *cred)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	setsid();
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (cred && cred->set &&
	    (setgroups(0, NULL) || setgid(cred->gid) || setuid(cred->uid)))
		_exit(127);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Collect the exited child; done() gets its status when notify. */
static void reap(struct xvs_proc *p, bool notify)
{
	siginfo_t si = { 0 };
	int status = 0, fd = p->io.fd;

	xvs_evloop_timer_cancel(p->loop, &p->timeout);
	if (waitid(P_PIDFD, (id_t)fd, &si, WEXITED) == 0) {
		if (si.si_code == CLD_EXITED)
			status = W_EXITCODE(si.si_status, 0);
		else
			status = si.si_status & 0x7f;	/* killed by signal */
	}
	xvs_evloop_io_del(p->loop, &p->io);
	close(fd);
	p->pid = 0;
	if (notify && p->done)
		p->done(p, status);
}

static void on_exit_ready(struct xvs_ev_io *io, uint32_t events)
{
	(void)events;
	reap(xvs_container_of(io, struct xvs_proc, io), true);
}

/* The timeout: kill the child's whole session; its exit reaps it. */
static void on_timeout(struct xvs_ev_timer *t)
{
	struct xvs_proc *p = xvs_container_of(t, struct xvs_proc, timeout);

	p->timed_out = true;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
}

int xvs_proc_spawn(struct xvs_evloop *loop, struct xvs_proc *p, const char *cmd,
		   uint64_t timeout_us, const struct xvs_proc_cred *cred,
		   void (*done)(struct xvs_proc *p, int status))
{
	pid_t pid;
	int fd, err;

	if (p->pid)
		return -EBUSY;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child_exec(cmd, cred);
	fd = pidfd_open(pid, 0);
	if (fd < 0) {
		/* No pidfd: we cannot watch it, so do not let it run. */
		err = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	p->loop = loop;
	p->pid = pid;
	p->done = done;
	p->timed_out = false;
	err = xvs_evloop_io_add(loop, &p->io, fd, EPOLLIN, on_exit_ready);
	if (!err && timeout_us)
		err = xvs_evloop_timer_arm(loop, &p->timeout, timeout_us, on_timeout);
	if (err) {
		p->io.fd = fd;
		xvs_proc_kill(p);
		return err;
	}
	return 0;
}

void xvs_proc_kill(struct xvs_proc *p)
{
	if (!p->pid)
		return;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	reap(p, false);
}
