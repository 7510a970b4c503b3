/* SPDX-License-Identifier: GPL-2.0 */
/*
 * http_resp.h - an incremental HTTP/1.x response reader for HTTP_GET and
 * SSL_GET checks and for xvs-genhash.
 *
 * Bytes are fed as they arrive; the reader parses the status line and the
 * headers, then streams the body through MD5 (the digest keepalived's
 * `digest` and genhash use: MD5 of the body only, headers excluded). The
 * body is never buffered, so a server that sends gigabytes costs CPU
 * time, not memory; XVS_HTTP_BODY_MAX bounds even that.
 */
#ifndef XVS_HTTP_RESP_H
#define XVS_HTTP_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XVS_HTTP_HEAD_MAX	16384		/* status line + headers */
#define XVS_HTTP_BODY_MAX	(64ULL << 20)	/* a check reads no more */
#define XVS_MD5_LEN		16

enum xvs_http_stage {
	XVS_HTTP_HEAD = 0,	/* reading the status line and headers */
	XVS_HTTP_BODY,		/* reading the body */
	XVS_HTTP_DONE,		/* complete: Content-Length reached, or EOF */
};

struct xvs_http_resp {
	enum xvs_http_stage stage;
	int status;			/* the status line's code */
	int64_t content_length;		/* -1: not given, read to EOF */
	uint64_t body_len;		/* body bytes seen */
	size_t head_len;		/* bytes in head[] */
	char head[XVS_HTTP_HEAD_MAX];
	void *md;			/* EVP_MD_CTX, NULL when no digest wanted */
	void (*on_head)(void *arg, const char *head, size_t len);
	void (*on_body)(void *arg, const char *buf, size_t len);
	void *cb_arg;			/* genhash's verbose output */
};

/*
 * Start reading a response; with_digest computes the body's MD5.
 * Returns 0 or -ENOMEM. Release with xvs_http_resp_fini().
 */
int xvs_http_resp_init(struct xvs_http_resp *r, bool with_digest);
void xvs_http_resp_fini(struct xvs_http_resp *r);

/*
 * Feed len bytes. Returns 0 when more is needed, 1 when the response is
 * complete (bytes past a Content-Length body are ignored), -EBADMSG for a
 * malformed status line or header, -EMSGSIZE for a head longer than
 * XVS_HTTP_HEAD_MAX or a body longer than XVS_HTTP_BODY_MAX.
 */
int xvs_http_resp_feed(struct xvs_http_resp *r, const char *buf, size_t len);

/*
 * The peer closed the connection. Returns 1 when that completes the
 * response (a body read to EOF), -EBADMSG when the head was not complete
 * or a Content-Length body was cut short.
 */
int xvs_http_resp_eof(struct xvs_http_resp *r);

/* The body's MD5, once complete. Returns 0, or -EINVAL without a digest. */
int xvs_http_resp_digest(struct xvs_http_resp *r, uint8_t md5[XVS_MD5_LEN]);

/* Write md5 as 32 lower-case hex digits and a NUL into out[33]. */
void xvs_md5_hex(const uint8_t md5[XVS_MD5_LEN], char out[2 * XVS_MD5_LEN + 1]);

#endif
