// SPDX-License-Identifier: GPL-2.0
/*
 * http_fetch.c - one non-blocking HTTP(S) GET (see http_fetch.h). Each
 * socket event moves the fetch one step: connected, TLS handshake,
 * request written, response read. Reads are bounded per event so that a
 * server streaming gigabytes shares the loop with every other check.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "http_fetch.h"
#include "sock.h"

#define FETCH_READ_CHUNK	16384
#define FETCH_READ_PER_EVENT	(16 * FETCH_READ_CHUNK)

enum {
	FETCH_CONNECT = 0,
	FETCH_HANDSHAKE,
	FETCH_SEND,
	FETCH_RECV,
	FETCH_OVER,
};

/* One client context for every TLS check; no certificate verification,
 * as keepalived's SSL_GET without a CA. */
static SSL_CTX *fetch_ssl_ctx(void)
{
	static SSL_CTX *ctx;

	if (!ctx) {
		ctx = SSL_CTX_new(TLS_client_method());
		if (ctx)
			SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	return ctx;
}

int xvs_http_fetch_request(struct xvs_http_fetch *f, const char *path, const char *host,
			   uint16_t port, bool tls, enum xvs_kc_http_proto proto)
{
	char portbuf[8] = "";
	int n;

	if (port != (tls ? 443 : 80))
		snprintf(portbuf, sizeof(portbuf), ":%u", port);
	n = snprintf(f->req, sizeof(f->req),
		     "GET %s HTTP/%s\r\nUser-Agent: KeepAliveClient\r\nHost: %s%s\r\n%s\r\n",
		     path, proto == XVS_KC_HTTP_11 ? "1.1" : "1.0", host, portbuf,
		     proto == XVS_KC_HTTP_10 ? "" : "Connection: close\r\n");
	if (n < 0 || (size_t)n >= sizeof(f->req))
		return -ENAMETOOLONG;
	f->req_len = (size_t)n;
	return 0;
}

void xvs_http_fetch_release(struct xvs_http_fetch *f)
{
	int fd = f->io.fd;

	xvs_evloop_timer_cancel(f->loop, &f->deadline);
	xvs_evloop_timer_cancel(f->loop, &f->resume);
	if (f->ssl) {
		SSL_free(f->ssl);
		f->ssl = NULL;
	}
	if (fd >= 0) {
		xvs_evloop_io_del(f->loop, &f->io);
		close(fd);
	}
	xvs_http_resp_fini(&f->resp);
	f->stage = FETCH_OVER;
}

static void fetch_finish(struct xvs_http_fetch *f, int err)
{
	if (f->stage == FETCH_OVER)
		return;
	f->stage = FETCH_OVER;
	xvs_evloop_timer_cancel(f->loop, &f->deadline);
	xvs_evloop_timer_cancel(f->loop, &f->resume);
	f->done(f, err);
}

static void on_deadline(struct xvs_ev_timer *t)
{
	fetch_finish(xvs_container_of(t, struct xvs_http_fetch, deadline), -ETIMEDOUT);
}

static void touch(struct xvs_http_fetch *f)
{
	if (xvs_evloop_timer_arm(f->loop, &f->deadline, f->timeout_us, on_deadline))
		fetch_finish(f, -ENOMEM);
}

static void want(struct xvs_http_fetch *f, uint32_t events)
{
	if (xvs_evloop_io_mod(f->loop, &f->io, events))
		fetch_finish(f, -errno);
}

/* Map an SSL_* result: 0 = wait (events set), -errno = failed. */
static int ssl_wait(struct xvs_http_fetch *f, int ret)
{
	switch (SSL_get_error(f->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		want(f, EPOLLIN);
		return 0;
	case SSL_ERROR_WANT_WRITE:
		want(f, EPOLLOUT);
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		return -ECONNRESET;
	default:
		ERR_clear_error();
		return -EPROTO;
	}
}

static int step_connect(struct xvs_http_fetch *f)
{
	int err = xvs_check_sock_error(f->io.fd);

	if (err)
		return -err;
	f->stage = f->ssl ? FETCH_HANDSHAKE : FETCH_SEND;
	return 0;
}

static int step_handshake(struct xvs_http_fetch *f)
{
	int ret = SSL_connect(f->ssl);

	if (ret == 1) {
		f->stage = FETCH_SEND;
		return 0;
	}
	return ssl_wait(f, ret) ?: 1;
}

static int step_send(struct xvs_http_fetch *f)
{
	while (f->req_off < f->req_len) {
		const char *p = f->req + f->req_off;
		size_t left = f->req_len - f->req_off;
		ssize_t n;

		if (f->ssl) {
			int r = SSL_write(f->ssl, p, (int)left);

			if (r <= 0)
				return ssl_wait(f, r) ?: 1;
			n = r;
		} else {
			/* A server that already closed must not SIGPIPE us. */
			n = send(f->io.fd, p, left, MSG_NOSIGNAL);
			if (n < 0 && errno == EAGAIN) {
				want(f, EPOLLOUT);
				return 1;
			}
			if (n < 0)
				return -errno;
		}
		f->req_off += (size_t)n;
	}
	f->stage = FETCH_RECV;
	want(f, EPOLLIN);
	return 1;
}

static void on_resume(struct xvs_ev_timer *t);

/* Read what is there (bounded), feed the reader. 1 = wait, 0 = done. */
static int step_recv(struct xvs_http_fetch *f)
{
	char buf[FETCH_READ_CHUNK];
	size_t total = 0;

	while (total < FETCH_READ_PER_EVENT) {
		ssize_t n;
		int r;

		if (f->ssl) {
			r = SSL_read(f->ssl, buf, sizeof(buf));
			if (r <= 0) {
				int e = SSL_get_error(f->ssl, r);

				if (e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL)
					return xvs_http_resp_eof(&f->resp) == 1 ? 0 : -EBADMSG;
				return ssl_wait(f, r) ?: 1;
			}
			n = r;
		} else {
			n = read(f->io.fd, buf, sizeof(buf));
			if (n < 0 && errno == EAGAIN)
				return 1;
			if (n < 0)
				return -errno;
			if (n == 0)
				return xvs_http_resp_eof(&f->resp) == 1 ? 0 : -EBADMSG;
		}
		total += (size_t)n;
		r = xvs_http_resp_feed(&f->resp, buf, (size_t)n);
		if (r < 0)
			return r;
		if (r == 1)
			return 0;
	}
	/* Bytes TLS already decrypted raise no fd event: come back soon. */
	if (f->ssl && SSL_pending(f->ssl) &&
	    xvs_evloop_timer_arm(f->loop, &f->resume, 0, on_resume))
		return -ENOMEM;
	return 1;
}

/* Run steps until one has to wait (1), finishes (0) or fails (<0). */
static void advance(struct xvs_http_fetch *f)
{
	int ret = 0;

	touch(f);
	while (ret == 0 && f->stage != FETCH_OVER) {
		switch (f->stage) {
		case FETCH_CONNECT:
			ret = step_connect(f);
			break;
		case FETCH_HANDSHAKE:
			ret = step_handshake(f);
			break;
		case FETCH_SEND:
			ret = step_send(f);
			break;
		case FETCH_RECV:
			ret = step_recv(f);
			if (ret == 0) {
				fetch_finish(f, 0);
				return;
			}
			break;
		}
	}
	if (ret < 0)
		fetch_finish(f, ret);
}

static void on_io(struct xvs_ev_io *io, uint32_t events)
{
	(void)events;
	advance(xvs_container_of(io, struct xvs_http_fetch, io));
}

static void on_resume(struct xvs_ev_timer *t)
{
	advance(xvs_container_of(t, struct xvs_http_fetch, resume));
}

int xvs_http_fetch_start(struct xvs_evloop *loop, struct xvs_http_fetch *f, int fd,
			 bool tls, const char *sni, bool digest, uint64_t timeout_us,
			 void (*done)(struct xvs_http_fetch *f, int err))
{
	bool registered;
	int err;

	f->loop = loop;
	f->ssl = NULL;
	f->stage = FETCH_CONNECT;
	f->req_off = 0;
	f->timeout_us = timeout_us;
	f->done = done;
	f->io.fd = -1;
	f->deadline.heap_pos = 0;
	f->resume.heap_pos = 0;
	err = xvs_http_resp_init(&f->resp, digest);
	if (err)
		goto err;
	if (tls) {
		SSL_CTX *ctx = fetch_ssl_ctx();

		f->ssl = ctx ? SSL_new(ctx) : NULL;
		if (!f->ssl || !SSL_set_fd(f->ssl, fd) ||
		    (sni && !SSL_set_tlsext_host_name(f->ssl, sni))) {
			err = -ENOMEM;
			goto err;
		}
	}
	err = xvs_evloop_io_add(loop, &f->io, fd, EPOLLOUT, on_io);
	if (err)
		goto err;
	err = xvs_evloop_timer_arm(loop, &f->deadline, timeout_us, on_deadline);
	if (err)
		goto err;
	return 0;
err:
	registered = f->io.fd >= 0;
	xvs_http_fetch_release(f);	/* closes fd once registered */
	if (!registered)
		close(fd);
	return err;
}
