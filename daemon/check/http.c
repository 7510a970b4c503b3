// SPDX-License-Identifier: GPL-2.0
/*
 * http.c - HTTP_GET and SSL_GET: every url of the checker is fetched in
 * turn, each on a new connection; the check succeeds when each answer's
 * status is one of the url's status_code (default 200-299) and, when a
 * digest is given, the MD5 of its body equals it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "checker.h"
#include "http_fetch.h"
#include "sock.h"

struct http_check {
	struct xvs_http_fetch fetch;
	struct xvs_checker *c;		/* the owner */
	size_t url;			/* the url being fetched */
	bool tls;
	char why[64];			/* the failure, for the log */
};

static const char *http_host(const struct xvs_checker *c, const struct xvs_kc_url *u,
			     char *buf, size_t len)
{
	if (u->virtualhost)
		return u->virtualhost;
	if (c->conf->virtualhost)
		return c->conf->virtualhost;
	xvs_addr_fmt(c->conf->connect_ip.af, &c->conf->connect_ip.addr, buf, len);
	return buf;
}

static void http_fetched(struct xvs_http_fetch *f, int err);

static int http_fetch_url(struct xvs_checker *c)
{
	struct http_check *h = c->priv;
	const struct xvs_kc_url *u = &c->conf->urls[h->url];
	char ip[64], hostbuf[80];
	const char *host = http_host(c, u, ip, sizeof(ip));
	const char *sni = NULL;
	int fd, err;

	/* An IPv6 literal in Host needs brackets (RFC 9110 7.2). */
	if (!u->virtualhost && !c->conf->virtualhost && strchr(host, ':')) {
		snprintf(hostbuf, sizeof(hostbuf), "[%s]", host);
		host = hostbuf;
	}
	err = xvs_http_fetch_request(&h->fetch, u->path, host, c->conf->connect_port, h->tls,
				     c->conf->http_protocol);
	if (err)
		return err;
	if (h->tls && c->conf->enable_sni)
		sni = u->virtualhost ? u->virtualhost : c->conf->virtualhost;
	fd = xvs_check_sock_open(c->conf, SOCK_STREAM);
	if (fd < 0)
		return fd;
	return xvs_http_fetch_start(c->loop, &h->fetch, fd, h->tls, sni, u->has_digest,
				    c->conf->connect_timeout_us, http_fetched);
}

/* The url's answer is in: judge it, then go on with the next url. */
static void http_fetched(struct xvs_http_fetch *f, int err)
{
	struct http_check *h = xvs_container_of(f, struct http_check, fetch);
	struct xvs_checker *c = h->c;
	const struct xvs_kc_url *u = &c->conf->urls[h->url];
	uint8_t md5[XVS_MD5_LEN];
	char hex[2 * XVS_MD5_LEN + 1];

	if (err) {
		snprintf(h->why, sizeof(h->why), "%s: %s", u->path, strerror(-err));
		goto fail;
	}
	if (!xvs_kc_url_status_ok(u, f->resp.status)) {
		snprintf(h->why, sizeof(h->why), "%s: HTTP status %d", u->path, f->resp.status);
		goto fail;
	}
	if (u->has_digest) {
		if (xvs_http_resp_digest(&f->resp, md5) || memcmp(md5, u->digest, XVS_MD5_LEN)) {
			xvs_md5_hex(md5, hex);
			snprintf(h->why, sizeof(h->why), "%s: digest %s differs", u->path, hex);
			goto fail;
		}
	}
	xvs_http_fetch_release(f);
	if (++h->url < c->conf->n_urls) {
		err = http_fetch_url(c);
		if (err) {
			snprintf(h->why, sizeof(h->why), "%s", strerror(-err));
			xvs_checker_done(c, false, h->why);
		}
		return;
	}
	xvs_checker_done(c, true, NULL);
	return;
fail:
	xvs_http_fetch_release(f);
	xvs_checker_done(c, false, h->why);
}

static int http_start(struct xvs_checker *c)
{
	struct http_check *h = c->priv;

	h->url = 0;
	return http_fetch_url(c);
}

static void http_abort(struct xvs_checker *c)
{
	struct http_check *h = c->priv;

	xvs_http_fetch_release(&h->fetch);
}

static int http_init_tls(struct xvs_checker *c, bool tls)
{
	struct http_check *h;

	/* keepalived refuses an HTTP checker without a url, too. */
	if (!c->conf->n_urls)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->c = c;
	h->tls = tls;
	h->fetch.io.fd = -1;
	c->priv = h;
	return 0;
}

static int http_init(struct xvs_checker *c)
{
	return http_init_tls(c, false);
}

static int ssl_init(struct xvs_checker *c)
{
	return http_init_tls(c, true);
}

static void http_fini(struct xvs_checker *c)
{
	http_abort(c);
	free(c->priv);
	c->priv = NULL;
}

const struct xvs_checker_ops xvs_check_http_ops = {
	.name = "HTTP_GET",
	.init = http_init,
	.start = http_start,
	.abort = http_abort,
	.fini = http_fini,
};

const struct xvs_checker_ops xvs_check_ssl_ops = {
	.name = "SSL_GET",
	.init = ssl_init,
	.start = http_start,
	.abort = http_abort,
	.fini = http_fini,
};
