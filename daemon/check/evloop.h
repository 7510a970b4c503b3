/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evloop.h - the health checkers' event loop: an epoll fd of its own
 * (nested in xvsd's main epoll, so the main loop polls one fd for all
 * checks), fd watchers, and one-shot timers kept in a binary heap behind
 * one timerfd. Nothing here blocks: callbacks run from
 * xvs_evloop_dispatch(), which handles what is ready and returns.
 */
#ifndef XVS_CHECK_EVLOOP_H
#define XVS_CHECK_EVLOOP_H

#include <stddef.h>
#include <stdint.h>

struct xvs_evloop;

/* An fd watch; embed it in the owner and find the owner with container_of. */
struct xvs_ev_io {
	int fd;
	void (*cb)(struct xvs_ev_io *io, uint32_t events);
};

/* A one-shot timer; embed it like xvs_ev_io. */
struct xvs_ev_timer {
	uint64_t when_us;
	size_t heap_pos;	/* 1-based position in the heap, 0 = not armed */
	void (*cb)(struct xvs_ev_timer *t);
};

#define xvs_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* A new loop, or NULL (errno set). */
struct xvs_evloop *xvs_evloop_new(void);
/* Free the loop; every watched fd must have been removed by its owner. */
void xvs_evloop_free(struct xvs_evloop *l);

/* The fd to poll for readability; then call xvs_evloop_dispatch(). */
int xvs_evloop_fd(const struct xvs_evloop *l);

/* Run the callbacks of ready fds, then of due timers. Never blocks. */
void xvs_evloop_dispatch(struct xvs_evloop *l);

/* Wait up to timeout_ms for something to do, then dispatch (genhash). */
void xvs_evloop_wait(struct xvs_evloop *l, int timeout_ms);

/* Watch fd for events (EPOLLIN/EPOLLOUT); returns 0 or -errno. */
int xvs_evloop_io_add(struct xvs_evloop *l, struct xvs_ev_io *io, int fd, uint32_t events,
		      void (*cb)(struct xvs_ev_io *io, uint32_t events));
int xvs_evloop_io_mod(struct xvs_evloop *l, struct xvs_ev_io *io, uint32_t events);
/* Stop watching io->fd (the caller closes it); io->fd becomes -1. */
void xvs_evloop_io_del(struct xvs_evloop *l, struct xvs_ev_io *io);

/* (Re)arm t to fire once after delay_us. Returns 0, or -ENOMEM (t is
 * then not armed). */
int xvs_evloop_timer_arm(struct xvs_evloop *l, struct xvs_ev_timer *t, uint64_t delay_us,
			 void (*cb)(struct xvs_ev_timer *t));
void xvs_evloop_timer_cancel(struct xvs_evloop *l, struct xvs_ev_timer *t);

/* CLOCK_MONOTONIC in microseconds. */
uint64_t xvs_evloop_now_us(void);

#endif
