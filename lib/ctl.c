// SPDX-License-Identifier: GPL-2.0
/* ctl.c - control protocol framing, see ctl.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"

int xvs_ctl_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Write all of buf, retrying on EINTR and short writes. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly len bytes. Returns 0, -ECONNRESET on EOF, or -errno. */
static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = recv(fd, p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int xvs_ctl_send(int fd, uint16_t cmd, int32_t status, const void *payload,
		 uint32_t len)
{
	struct xvs_ctl_hdr hdr = {
		.magic = XVS_CTL_MAGIC,
		.version = XVS_CTL_VERSION,
		.cmd = cmd,
		.len = len,
		.status = status,
	};
	int err = write_all(fd, &hdr, sizeof(hdr));

	if (!err && len)
		err = write_all(fd, payload, len);
	return err;
}

int xvs_ctl_recv(int fd, struct xvs_ctl_hdr *hdr, void **payload, uint32_t max_len)
{
	void *buf = NULL;
	int err;

	*payload = NULL;
	err = read_all(fd, hdr, sizeof(*hdr));
	if (err)
		return err;
	if (hdr->magic != XVS_CTL_MAGIC || hdr->version != XVS_CTL_VERSION)
		return -EPROTO;
	if (hdr->len > max_len)
		return -EMSGSIZE;
	if (hdr->len) {
		buf = malloc(hdr->len);
		if (!buf)
			return -ENOMEM;
		err = read_all(fd, buf, hdr->len);
		if (err) {
			free(buf);
			return err;
		}
	}
	*payload = buf;
	return 0;
}

int xvs_ctl_call(int fd, uint16_t cmd, const void *req, uint32_t req_len,
		 void **reply, uint32_t *reply_len)
{
	struct xvs_ctl_hdr hdr;
	void *buf;
	int err;

	err = xvs_ctl_send(fd, cmd, 0, req, req_len);
	if (err)
		return err;
	err = xvs_ctl_recv(fd, &hdr, &buf, XVS_CTL_MAX_REPLY);
	if (err)
		return err;
	if (hdr.cmd != cmd) {
		free(buf);
		return -EPROTO;
	}
	if (reply) {
		*reply = buf;
		if (reply_len)
			*reply_len = hdr.len;
	} else {
		free(buf);
	}
	return hdr.status;
}
