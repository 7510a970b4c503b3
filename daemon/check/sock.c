// SPDX-License-Identifier: GPL-2.0
/* sock.c - open a checker's socket (see sock.h). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sock.h"

static socklen_t to_sockaddr(const struct xvs_kc_addr *a, uint16_t port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == XVS_AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->addr.ip6, 16);
		return sizeof(*s6);
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr.s_addr = a->addr.ip4;
	return sizeof(*s4);
}

int xvs_check_sock_open(const struct xvs_kc_check *k, int type)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err, one = 1;

	fd = socket(k->connect_ip.af == XVS_AF_INET6 ? AF_INET6 : AF_INET,
		    type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (k->bind_if &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, k->bind_if, (socklen_t)strlen(k->bind_if)))
		goto err;
	if (k->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &k->fwmark, sizeof(k->fwmark)))
		goto err;
	if (k->bindto.af || k->bind_port) {
		struct xvs_kc_addr any = { .af = k->connect_ip.af };

		/* A fixed bind_port is reused attempt after attempt. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		len = to_sockaddr(k->bindto.af ? &k->bindto : &any, k->bind_port, &ss);
		if (bind(fd, (struct sockaddr *)&ss, len))
			goto err;
	}
	len = to_sockaddr(&k->connect_ip, k->connect_port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)
		goto err;
	return fd;
err:
	err = -errno;
	close(fd);
	return err;
}

int xvs_check_sock_error(int fd)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len))
		return errno;
	return soerr;
}
