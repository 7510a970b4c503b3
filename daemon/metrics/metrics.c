// SPDX-License-Identifier: GPL-2.0
/* metrics.c - the /metrics endpoint over libmicrohttpd, see metrics.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../housekeeping.h"
#include "log.h"
#include "metrics.h"
#include "model.h"
#include "render.h"

struct xvs_metrics {
	struct MHD_Daemon *mhd;
	/*
	 * What xvsd's loop watches: an epoll fd holding libmicrohttpd's own
	 * epoll fd (sockets ready) and a timer for the work it asks to be
	 * called back for without a socket event (MHD_get_timeout(): a
	 * connection's timeout, or 0 when it left work half done).
	 */
	int ep_fd, timer_fd;
	struct xvs_metrics_state st;
	unsigned int open_conns;
	/* The text of this tick, shared by its scrapes; NULL: render anew. */
	struct MHD_Response *cached;
	/* Canned error responses, made once. */
	struct MHD_Response *not_found, *not_allowed, *too_large, *busy, *failed;
	uint64_t responses[XVS_MX_N_HTTP_CODES];
};

static const unsigned int http_codes[XVS_MX_N_HTTP_CODES] = XVS_MX_HTTP_CODES;

int xvs_metrics_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	const char *colon = strrchr(s, ':');
	char host[INET6_ADDRSTRLEN + 2];
	size_t hlen;
	char *end;
	long port;

	if (!colon || !colon[1])
		return -EINVAL;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || colon[1] == '+' || colon[1] == '-')
		return -EINVAL;
	hlen = (size_t)(colon - s);
	if (hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		host[hlen - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &sin6->sin6_addr) != 1)
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	if (hlen == 0)
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -EINVAL;
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	*len = sizeof(*sin);
	return 0;
}

static void count_response(struct xvs_metrics *mx, unsigned int code)
{
	for (size_t i = 0; i < XVS_MX_N_HTTP_CODES; i++)
		if (http_codes[i] == code)
			mx->responses[i]++;
}

static enum MHD_Result reply(struct xvs_metrics *mx, struct MHD_Connection *c,
			     unsigned int code, struct MHD_Response *r)
{
	count_response(mx, code);
	return MHD_queue_response(c, code, r);
}

/* A text/plain response over a constant body; NULL if out of memory. */
static struct MHD_Response *canned(const char *body, const char *hdr, const char *val)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_PERSISTENT);

	if (!r)
		return NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (hdr)
		MHD_add_response_header(r, hdr, val);
	return r;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Render the text of this tick. Returns a response, or NULL (logged).
 * The debug log tells how long the loop spent on it.
 */
static struct MHD_Response *render(struct xvs_metrics *mx)
{
	struct xvs_mx_view v = {
		.conn_tab_size = mx->st.model->dp->conn_tab_size,
		.conn_live = mx->st.hk->live,
		.conn_expired = mx->st.hk->expired,
		.conn_evicted = mx->st.hk->evicted,
		.src = mx->st.src,
		.responses = mx->responses,
	};
	uint64_t cnt[XVS_CNT_MAX];
	struct MHD_Response *r;
	struct xvs_expo e;
	void *list = NULL;
	char *text;
	double t0 = now_ms();
	size_t len;
	int err;

	err = xvs_model_list(mx->st.model, NULL, &list, &v.list_len);
	if (err) {
		xvs_log_warn("metrics: cannot list services: %s", strerror(-err));
		return NULL;
	}
	v.list = list;
	if (!xvs_dp_read_counters(mx->st.model->dp, cnt))
		v.cnt = cnt;
	xvs_expo_init(&e);
	xvs_mx_render(&v, &e);
	free(list);
	text = xvs_expo_take(&e, &len);
	if (!text) {
		xvs_log_warn("metrics: out of memory rendering /metrics");
		return NULL;
	}
	r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return NULL;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, XVS_EXPO_CONTENT_TYPE);
	xvs_log_dbg("metrics: rendered %zu bytes in %.1f ms", len, now_ms() - t0);
	return r;
}

/* A request that carries a body (Content-Length > 0 or chunked). */
static bool has_body(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strspn(cl, "0") != strlen(cl);
}

/*
 * libmicrohttpd's request handler: called once the headers are in. Every
 * request is answered on that first call, so no body is ever read.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	struct xvs_metrics *mx = cls;

	(void)version, (void)upload_data, (void)upload_data_size, (void)req_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(mx, c, MHD_HTTP_METHOD_NOT_ALLOWED, mx->not_allowed);
	if (has_body(c))
		return reply(mx, c, MHD_HTTP_CONTENT_TOO_LARGE, mx->too_large);
	if (strcmp(url, "/metrics"))
		return reply(mx, c, MHD_HTTP_NOT_FOUND, mx->not_found);
	if (mx->open_conns > XVS_METRICS_SOFT_CONNS)
		return reply(mx, c, MHD_HTTP_SERVICE_UNAVAILABLE, mx->busy);
	if (!mx->cached)
		mx->cached = render(mx);
	if (!mx->cached)
		return reply(mx, c, MHD_HTTP_INTERNAL_SERVER_ERROR, mx->failed);
	return reply(mx, c, MHD_HTTP_OK, mx->cached);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct xvs_metrics *mx = cls;

	(void)c, (void)socket_ctx;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		mx->open_conns++;
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED && mx->open_conns)
		mx->open_conns--;
}

/* libmicrohttpd's own messages: per-connection trouble, so debug only. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	xvs_log_dbg("metrics: %s", msg);
}

static void free_responses(struct xvs_metrics *mx)
{
	struct MHD_Response **all[] = { &mx->cached, &mx->not_found, &mx->not_allowed,
					&mx->too_large, &mx->busy, &mx->failed };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i])
			MHD_destroy_response(*all[i]);
		*all[i] = NULL;
	}
}

/* Arm the timer for libmicrohttpd's next deadline, or disarm it. */
static void arm_timer(struct xvs_metrics *mx)
{
	struct itimerspec its = { 0 };
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(mx->mhd, &ms) == MHD_YES) {
		/* 0 ("at once") still goes through the loop, after other work. */
		its.it_value.tv_sec = (time_t)(ms / 1000);
		its.it_value.tv_nsec = (long)(ms % 1000) * 1000000 + (ms ? 0 : 1);
	}
	timerfd_settime(mx->timer_fd, 0, &its, NULL);
}

/* The epoll fd xvsd watches, over libmicrohttpd's epoll fd and the timer. */
static int watch_fds(struct xvs_metrics *mx)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(mx->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	struct epoll_event ev = { .events = EPOLLIN };

	mx->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	mx->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (!i || mx->ep_fd < 0 || mx->timer_fd < 0)
		return i ? errno : EINVAL;
	if (epoll_ctl(mx->ep_fd, EPOLL_CTL_ADD, i->epoll_fd, &ev) ||
	    epoll_ctl(mx->ep_fd, EPOLL_CTL_ADD, mx->timer_fd, &ev))
		return errno;
	arm_timer(mx);
	return 0;
}

struct xvs_metrics *xvs_metrics_start(const struct sockaddr *sa,
				      const struct xvs_metrics_state *st)
{
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	struct xvs_metrics *mx = calloc(1, sizeof(*mx));
	uint16_t port;
	int err;

	if (!mx)
		return NULL;
	mx->ep_fd = mx->timer_fd = -1;
	mx->st = *st;
	mx->not_found = canned("Not found: the metrics are at /metrics\n", NULL, NULL);
	mx->not_allowed = canned("Method not allowed: use GET or HEAD\n",
				 MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	mx->too_large = canned("Request body not accepted\n",
			       MHD_HTTP_HEADER_CONNECTION, "close");
	mx->busy = canned("Too many connections, retry later\n",
			  MHD_HTTP_HEADER_RETRY_AFTER, "1");
	mx->failed = canned("Internal error: see xvsd's log\n", NULL, NULL);
	if (!mx->not_found || !mx->not_allowed || !mx->too_large || !mx->busy || !mx->failed) {
		err = ENOMEM;
		goto err;
	}
	/* A 503 also closes its connection, so that the slot frees at once. */
	MHD_add_response_header(mx->busy, MHD_HTTP_HEADER_CONNECTION, "close");
	if (sa->sa_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
		port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	} else {
		port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
	}
	errno = 0;
	mx->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, mx,
				   MHD_OPTION_EXTERNAL_LOGGER, on_log, mx,
				   MHD_OPTION_SOCK_ADDR, sa,
				   MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
				   MHD_OPTION_CONNECTION_LIMIT, (unsigned int)XVS_METRICS_MAX_CONNS,
				   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)XVS_METRICS_TIMEOUT_S,
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)XVS_METRICS_MEM,
				   MHD_OPTION_NOTIFY_CONNECTION, on_connection, mx,
				   MHD_OPTION_END);
	if (!mx->mhd) {
		err = errno ? errno : EADDRNOTAVAIL;
		goto err;
	}
	err = watch_fds(mx);
	if (err)
		goto err;
	return mx;
err:
	xvs_metrics_stop(mx);
	errno = err;
	return NULL;
}

int xvs_metrics_fd(const struct xvs_metrics *mx)
{
	return mx->ep_fd;
}

void xvs_metrics_run(struct xvs_metrics *mx)
{
	uint64_t expirations;

	if (read(mx->timer_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
		xvs_log_dbg("metrics: timer read: %s", strerror(errno));
	MHD_run(mx->mhd);
	arm_timer(mx);
}

void xvs_metrics_tick(struct xvs_metrics *mx)
{
	/* Connections still sending the old text hold their own reference. */
	if (mx->cached)
		MHD_destroy_response(mx->cached);
	mx->cached = NULL;
}

void xvs_metrics_stop(struct xvs_metrics *mx)
{
	if (!mx)
		return;
	if (mx->mhd)
		MHD_stop_daemon(mx->mhd);
	if (mx->timer_fd >= 0)
		close(mx->timer_fd);
	if (mx->ep_fd >= 0)
		close(mx->ep_fd);
	free_responses(mx);
	free(mx);
}
