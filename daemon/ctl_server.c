// SPDX-License-Identifier: GPL-2.0
/* ctl_server.c - the control socket server, see ctl_server.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "ctl.h"
#include "ctl_server.h"
#include "housekeeping.h"
#include "laddr.h"
#include "log.h"
#include "vrrp/vrrp.h"

/* IPVS's version, as ipvsadm prints it: 1.2.1. */
#define XVS_IPVS_VERSION_CODE ((1 << 16) | (2 << 8) | 1)

/* Request handlers, one per command. */
typedef int (*ctl_handler)(struct xvs_model *m, const void *p, uint32_t len,
			   void **reply, uint32_t *reply_len);

/* Copy a fixed-size reply into a fresh buffer. */
static int reply_copy(const void *src, uint32_t len, void **reply, uint32_t *reply_len)
{
	*reply = malloc(len);
	if (!*reply)
		return -ENOMEM;
	memcpy(*reply, src, len);
	*reply_len = len;
	return 0;
}

static int do_get_info(struct xvs_model *m, const void *p, uint32_t len,
		       void **reply, uint32_t *reply_len)
{
	struct xvs_ctl_info info = {
		.version_code = XVS_IPVS_VERSION_CODE,
		.conn_tab_size = m->dp->conn_tab_size,
		.n_services = m->n_svcs,
	};

	(void)p, (void)len;
	return reply_copy(&info, sizeof(info), reply, reply_len);
}

static int do_add_service(struct xvs_model *m, const void *p, uint32_t len,
			  void **reply, uint32_t *reply_len)
{
	(void)len, (void)reply, (void)reply_len;
	return xvs_model_add_service(m, p);
}

static int do_edit_service(struct xvs_model *m, const void *p, uint32_t len,
			   void **reply, uint32_t *reply_len)
{
	(void)len, (void)reply, (void)reply_len;
	return xvs_model_edit_service(m, p);
}

static int do_del_service(struct xvs_model *m, const void *p, uint32_t len,
			  void **reply, uint32_t *reply_len)
{
	const struct xvs_ctl_service *s = p;

	(void)len, (void)reply, (void)reply_len;
	return xvs_model_del_service(m, &s->key);
}

static int do_flush(struct xvs_model *m, const void *p, uint32_t len,
		    void **reply, uint32_t *reply_len)
{
	(void)p, (void)len, (void)reply, (void)reply_len;
	return xvs_model_flush(m);
}

static int do_add_dest(struct xvs_model *m, const void *p, uint32_t len,
		       void **reply, uint32_t *reply_len)
{
	(void)len, (void)reply, (void)reply_len;
	return xvs_model_add_dest(m, p);
}

static int do_edit_dest(struct xvs_model *m, const void *p, uint32_t len,
			void **reply, uint32_t *reply_len)
{
	(void)len, (void)reply, (void)reply_len;
	return xvs_model_edit_dest(m, p);
}

static int do_del_dest(struct xvs_model *m, const void *p, uint32_t len,
		       void **reply, uint32_t *reply_len)
{
	(void)len, (void)reply, (void)reply_len;
	return xvs_model_del_dest(m, p);
}

static int do_get_services(struct xvs_model *m, const void *p, uint32_t len,
			   void **reply, uint32_t *reply_len)
{
	return xvs_model_list(m, len ? p : NULL, reply, reply_len);
}

static int do_zero(struct xvs_model *m, const void *p, uint32_t len,
		   void **reply, uint32_t *reply_len)
{
	(void)reply, (void)reply_len;
	return xvs_model_zero(m, len ? p : NULL);
}

static int do_set_timeout(struct xvs_model *m, const void *p, uint32_t len,
			  void **reply, uint32_t *reply_len)
{
	(void)len, (void)reply, (void)reply_len;
	return xvs_model_set_timeouts(m, p);
}

static int do_get_timeout(struct xvs_model *m, const void *p, uint32_t len,
			  void **reply, uint32_t *reply_len)
{
	struct xvs_ctl_timeout t;
	int err = xvs_model_get_timeouts(m, &t);

	(void)p, (void)len;
	return err ? err : reply_copy(&t, sizeof(t), reply, reply_len);
}

static int do_get_conns(struct xvs_model *m, const void *p, uint32_t len,
			void **reply, uint32_t *reply_len)
{
	(void)p, (void)len;
	return xvs_hk_list_conns(m, xvs_hk_now_ns(), reply, reply_len);
}

static int do_get_counters(struct xvs_model *m, const void *p, uint32_t len,
			   void **reply, uint32_t *reply_len)
{
	uint64_t cnt[XVS_CNT_MAX];
	int err = xvs_dp_read_counters(m->dp, cnt);

	(void)p, (void)len;
	return err ? err : reply_copy(cnt, sizeof(cnt), reply, reply_len);
}

/*
 * The running VRRP, for GET_VRRP. Handlers see only the model; VRRP is
 * not part of it, and xvsd has exactly one, set once it has started.
 */
static const struct xvs_vrrp *ctl_vrrp;

void xvs_ctl_set_vrrp(const struct xvs_vrrp *v)
{
	ctl_vrrp = v;
}

static int do_get_vrrp(struct xvs_model *m, const void *p, uint32_t len,
		       void **reply, uint32_t *reply_len)
{
	(void)m, (void)p, (void)len;
	return xvs_vrrp_ctl_list(ctl_vrrp, reply, reply_len);
}

static int do_laddr(struct xvs_model *m, const void *p, uint32_t len, void **reply,
		    uint32_t *reply_len, bool add)
{
	const struct xvs_ctl_laddr *l = p;

	(void)len, (void)reply, (void)reply_len;
	return add ? xvs_model_add_laddr(m, &l->svc, l->af, &l->addr) :
		     xvs_model_del_laddr(m, &l->svc, l->af, &l->addr);
}

static int do_add_laddr(struct xvs_model *m, const void *p, uint32_t len,
			void **reply, uint32_t *reply_len)
{
	return do_laddr(m, p, len, reply, reply_len, true);
}

static int do_del_laddr(struct xvs_model *m, const void *p, uint32_t len,
			void **reply, uint32_t *reply_len)
{
	return do_laddr(m, p, len, reply, reply_len, false);
}

static int do_get_laddrs(struct xvs_model *m, const void *p, uint32_t len,
			 void **reply, uint32_t *reply_len)
{
	struct xvs_laddrs la;
	int err = xvs_model_get_laddrs(m, p, &la);

	(void)len;
	return err ? err : reply_copy(&la, sizeof(la), reply, reply_len);
}

static int do_set_toa(struct xvs_model *m, const void *p, uint32_t len,
		      void **reply, uint32_t *reply_len)
{
	const struct xvs_ctl_laddr *l = p;

	(void)len, (void)reply, (void)reply_len;
	return xvs_model_set_toa(m, &l->svc, l->on);
}

/* Each command's handler and the payload sizes it accepts. */
static const struct ctl_cmd {
	ctl_handler fn;
	uint32_t len;		/* required payload size */
	uint32_t alt_len;	/* also accepted (optional payload), or len */
} ctl_cmds[XVS_CTL_CMD_MAX] = {
	[XVS_CTL_GET_INFO] = { do_get_info, 0, 0 },
	[XVS_CTL_ADD_SERVICE] = { do_add_service, sizeof(struct xvs_ctl_service),
				  sizeof(struct xvs_ctl_service) },
	[XVS_CTL_EDIT_SERVICE] = { do_edit_service, sizeof(struct xvs_ctl_service),
				   sizeof(struct xvs_ctl_service) },
	[XVS_CTL_DEL_SERVICE] = { do_del_service, sizeof(struct xvs_ctl_service),
				  sizeof(struct xvs_ctl_service) },
	[XVS_CTL_FLUSH] = { do_flush, 0, 0 },
	[XVS_CTL_ADD_DEST] = { do_add_dest, sizeof(struct xvs_ctl_dest),
			       sizeof(struct xvs_ctl_dest) },
	[XVS_CTL_EDIT_DEST] = { do_edit_dest, sizeof(struct xvs_ctl_dest),
				sizeof(struct xvs_ctl_dest) },
	[XVS_CTL_DEL_DEST] = { do_del_dest, sizeof(struct xvs_ctl_dest),
			       sizeof(struct xvs_ctl_dest) },
	[XVS_CTL_GET_SERVICES] = { do_get_services, 0, sizeof(struct xvs_svc_key) },
	[XVS_CTL_ZERO] = { do_zero, 0, sizeof(struct xvs_svc_key) },
	[XVS_CTL_SET_TIMEOUT] = { do_set_timeout, sizeof(struct xvs_ctl_timeout),
				  sizeof(struct xvs_ctl_timeout) },
	[XVS_CTL_GET_TIMEOUT] = { do_get_timeout, 0, 0 },
	[XVS_CTL_GET_CONNS] = { do_get_conns, 0, 0 },
	[XVS_CTL_GET_COUNTERS] = { do_get_counters, 0, 0 },
	[XVS_CTL_GET_VRRP] = { do_get_vrrp, 0, 0 },
	[XVS_CTL_ADD_LADDR] = { do_add_laddr, sizeof(struct xvs_ctl_laddr),
				sizeof(struct xvs_ctl_laddr) },
	[XVS_CTL_DEL_LADDR] = { do_del_laddr, sizeof(struct xvs_ctl_laddr),
				sizeof(struct xvs_ctl_laddr) },
	[XVS_CTL_GET_LADDRS] = { do_get_laddrs, sizeof(struct xvs_svc_key),
				 sizeof(struct xvs_svc_key) },
	[XVS_CTL_SET_TOA] = { do_set_toa, sizeof(struct xvs_ctl_laddr),
			      sizeof(struct xvs_ctl_laddr) },
};

int xvs_ctl_dispatch(struct xvs_model *m, uint16_t cmd, const void *payload,
		     uint32_t len, void **reply, uint32_t *reply_len)
{
	const struct ctl_cmd *c;

	*reply = NULL;
	*reply_len = 0;
	if (cmd >= XVS_CTL_CMD_MAX || !ctl_cmds[cmd].fn)
		return -EOPNOTSUPP;
	c = &ctl_cmds[cmd];
	if (len != c->len && len != c->alt_len)
		return -EINVAL;
	return c->fn(m, payload, len, reply, reply_len);
}

int xvs_ctl_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)];
	char *slash;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	/* Created 0600 from the start: no window where others can connect. */
	mode_t old = umask(0177);
	int err = bind(fd, (struct sockaddr *)&sun, sizeof(sun));

	umask(old);
	if (err < 0 || listen(fd, 16) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Is the peer root? SO_PEERCRED tells who connected. */
static bool peer_is_root(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.uid == 0;
}

void xvs_ctl_serve_client(int listen_fd, struct xvs_model *m)
{
	struct timeval tv = { .tv_sec = 1 };
	struct xvs_ctl_hdr hdr;
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (!peer_is_root(fd)) {
		xvs_log_warn("control socket: refused a non-root client");
		xvs_ctl_send(fd, 0, -EPERM, NULL, 0);
		close(fd);
		return;
	}
	/* A client that stalls mid-message cannot hold the daemon long. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	for (;;) {
		void *payload, *reply;
		uint32_t reply_len;
		int status, err;

		err = xvs_ctl_recv(fd, &hdr, &payload, XVS_CTL_MAX_REQ);
		if (err) {
			if (err != -ECONNRESET)
				xvs_log_warn("control socket: bad request (%s); closing",
					     strerror(-err));
			if (err == -EPROTO || err == -EMSGSIZE)
				xvs_ctl_send(fd, hdr.cmd, err, NULL, 0);
			break;
		}
		status = xvs_ctl_dispatch(m, hdr.cmd, payload, hdr.len, &reply, &reply_len);
		free(payload);
		err = xvs_ctl_send(fd, hdr.cmd, status, reply, status ? 0 : reply_len);
		free(reply);
		if (err)
			break;
	}
	close(fd);
}
