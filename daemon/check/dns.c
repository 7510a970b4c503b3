// SPDX-License-Identifier: GPL-2.0
/*
 * dns.c - DNS_CHECK over UDP: one query (type, default SOA; name, default
 * the root) per attempt. A reply with our id and RCODE 0 is up, another
 * RCODE is down, anything else is ignored while the timeout runs (as
 * keepalived does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "checker.h"
#include "dns_msg.h"
#include "log.h"

#define DNS_RECV_MAX 1500

struct dns_check {
	uint16_t id;
	uint16_t type;
	const char *name;
	char why[32];
};

static void dns_on_read(struct xvs_ev_io *io, uint32_t events)
{
	struct xvs_checker *c = xvs_container_of(io, struct xvs_checker, io);
	struct dns_check *d = c->priv;
	uint8_t buf[DNS_RECV_MAX];
	int rcode = 0;

	(void)events;
	/* Bounded: a flood of foreign datagrams waits for the next event. */
	for (int i = 0; i < 16; i++) {
		ssize_t n = recv(io->fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) {
			/* ICMP port unreachable shows up as ECONNREFUSED. */
			snprintf(d->why, sizeof(d->why), "%s", strerror(errno));
			xvs_checker_done(c, false, d->why);
			return;
		}
		switch (xvs_dns_check_reply(buf, (size_t)n, d->id, &rcode)) {
		case XVS_DNS_OK:
			xvs_checker_done(c, true, NULL);
			return;
		case XVS_DNS_FAIL:
			snprintf(d->why, sizeof(d->why), "rcode %d", rcode);
			xvs_checker_done(c, false, d->why);
			return;
		case XVS_DNS_IGNORE:
			break;
		}
	}
}

static int dns_start(struct xvs_checker *c)
{
	struct dns_check *d = c->priv;
	uint8_t q[XVS_DNS_QUERY_MAX];
	int len, err;

	if (getrandom(&d->id, sizeof(d->id), GRND_NONBLOCK) != sizeof(d->id))
		d->id = (uint16_t)random();
	len = xvs_dns_build_query(q, sizeof(q), d->id, d->name, d->type);
	if (len < 0)
		return len;
	err = xvs_checker_connect(c, SOCK_DGRAM, EPOLLIN, dns_on_read);
	if (err)
		return err;
	if (send(c->io.fd, q, (size_t)len, 0) != len)
		return errno ? -errno : -EIO;
	return 0;
}

static int dns_init(struct xvs_checker *c)
{
	const char *type = c->conf->dns_type ? c->conf->dns_type : "SOA";
	struct dns_check *d;
	uint8_t q[XVS_DNS_QUERY_MAX];
	int code = xvs_dns_type_code(type);

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->name = c->conf->dns_name ? c->conf->dns_name : ".";
	if (code < 0 || xvs_dns_build_query(q, sizeof(q), 0, d->name, (uint16_t)code) < 0) {
		xvs_log_err("%s: bad DNS type %s or name %s", c->name, type, d->name);
		free(d);
		return -EINVAL;
	}
	d->type = (uint16_t)code;
	c->priv = d;
	return 0;
}

static void dns_fini(struct xvs_checker *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct xvs_checker_ops xvs_check_dns_ops = {
	.name = "DNS_CHECK",
	.init = dns_init,
	.start = dns_start,
	.fini = dns_fini,
};
