/* SPDX-License-Identifier: GPL-2.0 */
/*
 * http_fetch.h - one HTTP GET, over TCP or TLS (OpenSSL, non-blocking),
 * on the check loop: handshake, request, response through the
 * incremental reader (lib/http_resp.h). Used by HTTP_GET/SSL_GET and by
 * xvs-genhash.
 */
#ifndef XVS_CHECK_HTTP_FETCH_H
#define XVS_CHECK_HTTP_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "evloop.h"
#include "http_resp.h"
#include "kconf.h"

#define XVS_HTTP_REQ_MAX 2048

struct xvs_http_fetch {
	struct xvs_evloop *loop;
	struct xvs_ev_io io;
	struct xvs_ev_timer deadline;
	struct xvs_ev_timer resume;	/* TLS bytes already decrypted */
	void *ssl;			/* SSL *, NULL over plain TCP */
	int stage;
	uint64_t timeout_us;		/* per I/O step, connect_timeout */
	char req[XVS_HTTP_REQ_MAX];
	size_t req_len, req_off;
	struct xvs_http_resp resp;
	/* Once: err 0 with resp complete, or -errno (-ETIMEDOUT, -EBADMSG..). */
	void (*done)(struct xvs_http_fetch *f, int err);
};

/*
 * Write keepalived's request for path into f->req: "GET path HTTP/1.x",
 * User-Agent, Host (host, plus ":port" unless 80 or 443 as the scheme
 * implies), and Connection: close for 1.0C and 1.1.
 * Returns 0, or -ENAMETOOLONG when it does not fit.
 */
int xvs_http_fetch_request(struct xvs_http_fetch *f, const char *path, const char *host,
			   uint16_t port, bool tls, enum xvs_kc_http_proto proto);

/*
 * Run the request on fd, a non-blocking stream socket whose connect is
 * under way; f owns fd from now on. tls: TLS client handshake first, with
 * SNI when sni != NULL (certificates are not verified, as keepalived).
 * digest: compute the body's MD5. Returns 0 (done will be called) or
 * -errno (fd closed, done not called).
 */
int xvs_http_fetch_start(struct xvs_evloop *loop, struct xvs_http_fetch *f, int fd,
			 bool tls, const char *sni, bool digest, uint64_t timeout_us,
			 void (*done)(struct xvs_http_fetch *f, int err));

/* Release everything of a fetch (after done, or to abandon it). */
void xvs_http_fetch_release(struct xvs_http_fetch *f);

#endif
