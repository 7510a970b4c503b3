/* SPDX-License-Identifier: GPL-2.0 */
/* sock.h - a checker's socket: its target, source and options. */
#ifndef XVS_CHECK_SOCK_H
#define XVS_CHECK_SOCK_H

#include "kconf.h"

/*
 * A non-blocking, close-on-exec socket of type (SOCK_STREAM or
 * SOCK_DGRAM) to k's connect_ip:connect_port, with bind_if, fwmark and
 * bindto/bind_port applied, and its connect started (a stream socket
 * becomes writable when connected). Returns the fd or -errno.
 */
int xvs_check_sock_open(const struct xvs_kc_check *k, int type);

/* A connecting socket's SO_ERROR: 0 once connected, else the errno. */
int xvs_check_sock_error(int fd);

#endif
