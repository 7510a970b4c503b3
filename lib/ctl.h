/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctl.h - framing of the xvsd control protocol (xvs/ctl-t.h) over a unix
 * stream socket: the client call and the server's receive/send.
 */
#ifndef XVS_CTL_H
#define XVS_CTL_H

#include <stdint.h>

#include "xvs/ctl-t.h"

/* Connect to xvsd's control socket at path. Returns an fd, or -errno. */
int xvs_ctl_connect(const char *path);

/*
 * Send one message: header (magic, version, cmd, len, status) then len
 * payload bytes. Returns 0 or -errno.
 */
int xvs_ctl_send(int fd, uint16_t cmd, int32_t status, const void *payload,
		 uint32_t len);

/*
 * Receive one message. Checks magic and version (-EPROTO) and that the
 * payload is at most max_len bytes (-EMSGSIZE; the payload is not read).
 * On success *payload is a malloc'ed buffer the caller frees (NULL when
 * len is 0). Returns 0, -ECONNRESET on a clean EOF before a header, or
 * -errno.
 */
int xvs_ctl_recv(int fd, struct xvs_ctl_hdr *hdr, void **payload, uint32_t max_len);

/*
 * Client round trip: send cmd with req, wait for the reply. Returns the
 * reply's status (0 or -errno from xvsd) or a transport -errno. On success
 * *reply (may be NULL if the caller wants none) gets the malloc'ed payload
 * and *reply_len its length.
 */
int xvs_ctl_call(int fd, uint16_t cmd, const void *req, uint32_t req_len,
		 void **reply, uint32_t *reply_len);

#endif
