// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp_script.c - child processes of VRRP: vrrp_script checks (interval,
 * timeout, fall/rise) and notify scripts. Children are watched through
 * pidfds in xvsd's epoll set, so nothing blocks and no SIGCHLD handler
 * is needed. Like keepalived, a command line is split into words (single
 * and double quotes group) and run without a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "vrrp_int.h"

#define VRRP_MAX_ARGS	64

char **xvs_vrrp_split_cmd(const char *cmd)
{
	char **argv = calloc(VRRP_MAX_ARGS + 1, sizeof(*argv));
	char *word = malloc(strlen(cmd) + 1);
	int n = 0;

	if (!argv || !word)
		goto err;
	while (*cmd) {
		size_t len = 0;
		char quote = 0;

		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		if (!*cmd)
			break;
		if (n == VRRP_MAX_ARGS) {
			errno = E2BIG;
			goto err;
		}
		for (; *cmd && (quote || (*cmd != ' ' && *cmd != '\t')); cmd++) {
			if (!quote && (*cmd == '"' || *cmd == '\''))
				quote = *cmd;
			else if (quote && *cmd == quote)
				quote = 0;
			else
				word[len++] = *cmd;
		}
		argv[n] = strndup(word, len);
		if (!argv[n++])
			goto err;
	}
	free(word);
	if (n == 0) {
		free(argv);
		errno = EINVAL;
		return NULL;
	}
	return argv;
err:
	free(word);
	xvs_vrrp_free_argv(argv);
	return NULL;
}

void xvs_vrrp_free_argv(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/*
 * fork and exec argv with stdio on /dev/null and the signals xvsd blocks
 * unblocked again. Returns the pid and a pidfd in *pidfd, or -errno.
 */
static pid_t spawn(char *const *argv, int *pidfd)
{
	sigset_t none;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		_exit(127);
	}
	*pidfd = pidfd_open(pid, 0);
	if (*pidfd < 0) {
		int err = -errno;

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return err;
	}
	return pid;
}

static void watch(struct xvs_vrrp *v, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	epoll_ctl(v->ep_fd, EPOLL_CTL_ADD, fd, &ev);
}

static void unwatch(struct xvs_vrrp *v, int fd)
{
	epoll_ctl(v->ep_fd, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
}

/* Apply one result with fall/rise hysteresis. Returns true when up flips. */
static bool script_result(struct vrrp_script *s, bool ok)
{
	if (ok == s->up) {
		s->streak = 0;
		return false;
	}
	if (++s->streak < (ok ? s->kc->rise : s->kc->fall))
		return false;
	s->up = ok;
	s->streak = 0;
	xvs_log_info("VRRP_Script(%s) %s", s->kc->name, ok ? "succeeded" : "now returning failed");
	return true;
}

bool xvs_vrrp_scripts_tick(struct xvs_vrrp *v, uint64_t now)
{
	bool changed = false;

	for (size_t i = 0; i < v->n_scripts; i++) {
		struct vrrp_script *s = &v->scripts[i];

		if (s->pid) {
			/* Overdue: kill it; the pidfd then reports a failure. */
			if (now >= s->deadline) {
				xvs_log_warn("VRRP_Script(%s) timed out", s->kc->name);
				kill(s->pid, SIGKILL);
				s->deadline = XVS_VRRP_NEVER;
			}
			continue;
		}
		if (now < s->next_run)
			continue;
		s->next_run = now + s->kc->interval_us / 1000;
		s->pid = spawn(s->argv, &s->pidfd);
		if (s->pid < 0) {
			xvs_log_warn("VRRP_Script(%s): cannot run: %s", s->kc->name,
				     strerror((int)-s->pid));
			s->pid = 0;
			changed |= script_result(s, false);
			continue;
		}
		s->deadline = now + (s->kc->timeout_us ? s->kc->timeout_us : s->kc->interval_us) / 1000;
		watch(v, s->pidfd);
	}
	return changed;
}

bool xvs_vrrp_script_reap(struct xvs_vrrp *v, struct vrrp_script *s)
{
	int status = 0;
	bool ok;

	if (waitpid(s->pid, &status, WNOHANG) <= 0)
		return false;
	unwatch(v, s->pidfd);
	s->pid = 0;
	s->pidfd = -1;
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	xvs_log_dbg("VRRP_Script(%s) %s %d", s->kc->name,
		    WIFEXITED(status) ? "exited" : "killed by signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return script_result(s, ok);
}

uint64_t xvs_vrrp_scripts_next(const struct xvs_vrrp *v)
{
	uint64_t next = XVS_VRRP_NEVER;

	for (size_t i = 0; i < v->n_scripts; i++) {
		const struct vrrp_script *s = &v->scripts[i];
		uint64_t t = s->pid ? s->deadline : s->next_run;

		if (t < next)
			next = t;
	}
	return next;
}

void xvs_vrrp_run_notify(struct xvs_vrrp *v, const char *cmd, const char *const *extra)
{
	char **argv = xvs_vrrp_split_cmd(cmd);
	struct vrrp_child *slot = NULL;
	int n = 0, pidfd;
	pid_t pid;

	if (!argv) {
		xvs_log_warn("VRRP: notify script '%s': %s", cmd, strerror(errno));
		return;
	}
	for (int i = 0; i < VRRP_MAX_CHILDREN && !slot; i++)
		if (!v->children[i].pid)
			slot = &v->children[i];
	if (!slot) {
		xvs_log_warn("VRRP: %d notify scripts still running; not running '%s'",
			     VRRP_MAX_CHILDREN, cmd);
		goto out;
	}
	while (argv[n])
		n++;
	for (int i = 0; extra && extra[i] && n < VRRP_MAX_ARGS; i++) {
		argv[n] = strdup(extra[i]);
		if (!argv[n])
			goto out;
		n++;
	}
	pid = spawn(argv, &pidfd);
	if (pid < 0) {
		xvs_log_warn("VRRP: cannot run notify script '%s': %s", cmd, strerror((int)-pid));
		goto out;
	}
	slot->pid = pid;
	slot->pidfd = pidfd;
	watch(v, pidfd);
out:
	xvs_vrrp_free_argv(argv);
}

void xvs_vrrp_child_reap(struct xvs_vrrp *v, struct vrrp_child *c)
{
	if (waitpid(c->pid, NULL, WNOHANG) <= 0)
		return;
	unwatch(v, c->pidfd);
	c->pid = 0;
	c->pidfd = -1;
}
