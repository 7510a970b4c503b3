// SPDX-License-Identifier: GPL-2.0
/* tcp.c - TCP_CHECK: up when a TCP connect completes within connect_timeout. */
#include <sys/epoll.h>
#include <string.h>
#include <sys/socket.h>

#include "checker.h"
#include "sock.h"

static void tcp_on_connect(struct xvs_ev_io *io, uint32_t events)
{
	struct xvs_checker *c = xvs_container_of(io, struct xvs_checker, io);
	int err = xvs_check_sock_error(io->fd);

	(void)events;
	xvs_checker_done(c, err == 0, err ? strerror(err) : NULL);
}

static int tcp_start(struct xvs_checker *c)
{
	return xvs_checker_connect(c, SOCK_STREAM, EPOLLOUT, tcp_on_connect);
}

const struct xvs_checker_ops xvs_check_tcp_ops = {
	.name = "TCP_CHECK",
	.start = tcp_start,
};
