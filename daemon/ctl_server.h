/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctl_server.h - xvsd's side of the control socket: a root-only unix
 * stream socket; each request is checked (length, fields) and answered.
 */
#ifndef XVS_CTL_SERVER_H
#define XVS_CTL_SERVER_H

#include <stdint.h>

#include "model.h"

struct xvs_vrrp;

/*
 * Create the listening socket at path (its directory is created; a stale
 * socket is replaced), mode 0600. Returns the fd or -errno.
 */
int xvs_ctl_listen(const char *path);

/*
 * Accept one client on listen_fd and serve its requests until it closes,
 * stalls (1 s receive timeout) or breaks the protocol. A peer that is
 * not root (SO_PEERCRED) gets -EPERM and is closed. Never fails: errors
 * are logged and the client dropped.
 */
void xvs_ctl_serve_client(int listen_fd, struct xvs_model *m);

/*
 * Handle one request: cmd with len payload bytes. Returns the status
 * (0 or -errno) and, in *reply and *reply_len, a malloc'ed reply payload or
 * NULL and 0. Exposed for tests.
 */
int xvs_ctl_dispatch(struct xvs_model *m, uint16_t cmd, const void *payload,
		     uint32_t len, void **reply, uint32_t *reply_len);

/* Tell GET_VRRP which VRRP runtime to report (NULL: none). */
void xvs_ctl_set_vrrp(const struct xvs_vrrp *v);

#endif
