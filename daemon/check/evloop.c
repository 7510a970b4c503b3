// SPDX-License-Identifier: GPL-2.0
/*
 * evloop.c - the checkers' nested epoll loop with a timer heap (see
 * evloop.h). One timerfd is armed for the earliest timer, so a thousand
 * checkers cost one kernel timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"

#define EVLOOP_BATCH 64

struct xvs_evloop {
	int ep_fd;
	int timer_fd;
	struct xvs_ev_io timer_io;
	struct xvs_ev_timer **heap;	/* min-heap on when_us, 0-based */
	size_t n, cap;
	uint64_t armed_us;		/* what timer_fd is set to, 0 = idle */
};

uint64_t xvs_evloop_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void heap_set(struct xvs_evloop *l, size_t i, struct xvs_ev_timer *t)
{
	l->heap[i] = t;
	t->heap_pos = i + 1;
}

static void heap_up(struct xvs_evloop *l, size_t i)
{
	struct xvs_ev_timer *t = l->heap[i];

	while (i > 0 && l->heap[(i - 1) / 2]->when_us > t->when_us) {
		heap_set(l, i, l->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(l, i, t);
}

static void heap_down(struct xvs_evloop *l, size_t i)
{
	struct xvs_ev_timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->n)
			break;
		if (c + 1 < l->n && l->heap[c + 1]->when_us < l->heap[c]->when_us)
			c++;
		if (l->heap[c]->when_us >= t->when_us)
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

/* Point timer_fd at the earliest timer (absolute, so no drift). */
static void rearm_timerfd(struct xvs_evloop *l)
{
	struct itimerspec its = { 0 };
	uint64_t when = l->n ? l->heap[0]->when_us : 0;

	if (when == l->armed_us)
		return;
	if (when) {
		its.it_value.tv_sec = (time_t)(when / 1000000);
		its.it_value.tv_nsec = (long)(when % 1000000) * 1000;
	}
	timerfd_settime(l->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
	l->armed_us = when;
}

void xvs_evloop_timer_cancel(struct xvs_evloop *l, struct xvs_ev_timer *t)
{
	size_t i;

	if (!t->heap_pos)
		return;
	i = t->heap_pos - 1;
	t->heap_pos = 0;
	l->n--;
	if (i < l->n) {
		struct xvs_ev_timer *moved = l->heap[l->n];

		heap_set(l, i, moved);
		heap_down(l, i);
		heap_up(l, moved->heap_pos - 1);
	}
}

int xvs_evloop_timer_arm(struct xvs_evloop *l, struct xvs_ev_timer *t, uint64_t delay_us,
			 void (*cb)(struct xvs_ev_timer *t))
{
	xvs_evloop_timer_cancel(l, t);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		void *h = realloc(l->heap, cap * sizeof(*l->heap));

		if (!h)
			return -ENOMEM;
		l->heap = h;
		l->cap = cap;
	}
	t->cb = cb;
	t->when_us = xvs_evloop_now_us() + delay_us;
	heap_set(l, l->n, t);
	l->n++;
	heap_up(l, l->n - 1);
	/* A new earliest timer: the timerfd must fire for it, even when the
	 * loop is not dispatching (armed from outside, e.g. at apply). */
	if (l->heap[0] == t)
		rearm_timerfd(l);
	return 0;
}

static void run_timers(struct xvs_evloop *l)
{
	uint64_t now = xvs_evloop_now_us();

	while (l->n && l->heap[0]->when_us <= now) {
		struct xvs_ev_timer *t = l->heap[0];

		xvs_evloop_timer_cancel(l, t);
		t->cb(t);
	}
	rearm_timerfd(l);
}

static void on_timerfd(struct xvs_ev_io *io, uint32_t events)
{
	uint64_t expirations;

	(void)events;
	if (read(io->fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		return;
	/* Force a re-arm: the expired setting is spent. */
	xvs_container_of(io, struct xvs_evloop, timer_io)->armed_us = 0;
}

struct xvs_evloop *xvs_evloop_new(void)
{
	struct xvs_evloop *l = calloc(1, sizeof(*l));
	int err;

	if (!l)
		return NULL;
	l->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	l->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->ep_fd < 0 || l->timer_fd < 0)
		goto err;
	err = xvs_evloop_io_add(l, &l->timer_io, l->timer_fd, EPOLLIN, on_timerfd);
	if (err) {
		errno = -err;
		goto err;
	}
	return l;
err:
	err = errno;
	if (l->ep_fd >= 0)
		close(l->ep_fd);
	if (l->timer_fd >= 0)
		close(l->timer_fd);
	free(l);
	errno = err;
	return NULL;
}

void xvs_evloop_free(struct xvs_evloop *l)
{
	if (!l)
		return;
	close(l->timer_fd);
	close(l->ep_fd);
	free(l->heap);
	free(l);
}

int xvs_evloop_fd(const struct xvs_evloop *l)
{
	return l->ep_fd;
}

int xvs_evloop_io_add(struct xvs_evloop *l, struct xvs_ev_io *io, int fd, uint32_t events,
		      void (*cb)(struct xvs_ev_io *io, uint32_t events))
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	io->fd = fd;
	io->cb = cb;
	if (epoll_ctl(l->ep_fd, EPOLL_CTL_ADD, fd, &ev)) {
		io->fd = -1;
		return -errno;
	}
	return 0;
}

int xvs_evloop_io_mod(struct xvs_evloop *l, struct xvs_ev_io *io, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	return epoll_ctl(l->ep_fd, EPOLL_CTL_MOD, io->fd, &ev) ? -errno : 0;
}

void xvs_evloop_io_del(struct xvs_evloop *l, struct xvs_ev_io *io)
{
	if (io->fd >= 0)
		epoll_ctl(l->ep_fd, EPOLL_CTL_DEL, io->fd, NULL);
	io->fd = -1;
}

static void dispatch(struct xvs_evloop *l, int timeout_ms)
{
	struct epoll_event evs[EVLOOP_BATCH];
	int n = epoll_wait(l->ep_fd, evs, EVLOOP_BATCH, timeout_ms);

	/* An fd's owner only ever closes its own fd from its callback, so
	 * the later events of this batch still point at live watchers. */
	for (int i = 0; i < n; i++) {
		struct xvs_ev_io *io = evs[i].data.ptr;

		io->cb(io, evs[i].events);
	}
	run_timers(l);
}

void xvs_evloop_dispatch(struct xvs_evloop *l)
{
	dispatch(l, 0);
}

void xvs_evloop_wait(struct xvs_evloop *l, int timeout_ms)
{
	dispatch(l, timeout_ms);
}
