// SPDX-License-Identifier: GPL-2.0
/*
 * reply.c - decoding xvsd's replies, and ipvsadm's words for its errors.
 *
 * A reply is trusted for nothing: every count is checked against the
 * bytes that are really there before anything is allocated or read, and
 * a reply with bytes left over is as wrong as a short one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int xvs_cli_decode_services(const void *buf, uint32_t len, struct xvs_cli_table *t)
{
	const unsigned char *p = buf;
	struct xvs_ctl_list hdr;
	size_t off, left;
	int err = -EBADMSG;

	memset(t, 0, sizeof(*t));
	if (!buf || len < sizeof(hdr))
		return -EBADMSG;
	memcpy(&hdr, p, sizeof(hdr));
	off = sizeof(hdr);
	/* Each service takes at least its own bytes: bound count first. */
	if (hdr.count > (len - off) / sizeof(struct xvs_ctl_service))
		return -EBADMSG;
	if (hdr.count) {
		t->svcs = calloc(hdr.count, sizeof(*t->svcs));
		if (!t->svcs)
			return -ENOMEM;
	}
	for (t->n = 0; t->n < hdr.count; t->n++) {
		struct xvs_cli_svc *s = &t->svcs[t->n];

		left = len - off;
		if (left < sizeof(s->svc))
			goto err;
		memcpy(&s->svc, p + off, sizeof(s->svc));
		off += sizeof(s->svc);
		left = len - off;
		if (s->svc.n_dests > left / sizeof(struct xvs_ctl_dest)) {
			s->svc.n_dests = 0;
			goto err;
		}
		if (s->svc.n_dests) {
			s->dests = malloc(s->svc.n_dests * sizeof(*s->dests));
			if (!s->dests) {
				s->svc.n_dests = 0;
				err = -ENOMEM;
				goto err;
			}
			memcpy(s->dests, p + off, s->svc.n_dests * sizeof(*s->dests));
			off += s->svc.n_dests * sizeof(*s->dests);
		}
	}
	if (off != len)
		goto err;
	return 0;
err:
	/* The service being filled is counted so that its dests are freed. */
	if (t->n < hdr.count)
		t->n++;
	xvs_cli_table_free(t);
	return err;
}

void xvs_cli_table_free(struct xvs_cli_table *t)
{
	for (__u32 i = 0; t->svcs && i < t->n; i++)
		free(t->svcs[i].dests);
	free(t->svcs);
	t->svcs = NULL;
	t->n = 0;
}

int xvs_cli_decode_conns(const void *buf, uint32_t len,
			 const struct xvs_ctl_conn **conns, uint32_t *n)
{
	struct xvs_ctl_list hdr;

	*conns = NULL;
	*n = 0;
	if (!buf || len < sizeof(hdr))
		return -EBADMSG;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.count > (len - sizeof(hdr)) / sizeof(struct xvs_ctl_conn) ||
	    len != sizeof(hdr) + (size_t)hdr.count * sizeof(struct xvs_ctl_conn))
		return -EBADMSG;
	/* Entries are 8-byte multiples after an 8-byte header: aligned. */
	*conns = (const struct xvs_ctl_conn *)((const char *)buf + sizeof(hdr));
	*n = hdr.count;
	return 0;
}

const char *xvs_cli_strerror(int cmd, int err)
{
	static const struct { int cmd, err; const char *msg; } tab[] = {
		{ XVS_CTL_ADD_SERVICE, EEXIST, "Service already exists" },
		{ XVS_CTL_ADD_SERVICE, ENOENT,
		  "Scheduler or persistence engine not found" },
		{ XVS_CTL_EDIT_SERVICE, ESRCH, "No such service" },
		{ XVS_CTL_EDIT_SERVICE, ENOENT,
		  "Scheduler or persistence engine not found" },
		{ XVS_CTL_DEL_SERVICE, ESRCH, "No such service" },
		{ XVS_CTL_ZERO, ESRCH, "No such service" },
		{ XVS_CTL_ADD_DEST, ESRCH, "Service not defined" },
		{ XVS_CTL_ADD_DEST, EEXIST, "Destination already exists" },
		{ XVS_CTL_EDIT_DEST, ESRCH, "Service not defined" },
		{ XVS_CTL_EDIT_DEST, ENOENT, "No such destination" },
		{ XVS_CTL_DEL_DEST, ESRCH, "Service not defined" },
		{ XVS_CTL_DEL_DEST, ENOENT, "No such destination" },
		{ XVS_CTL_GET_SERVICES, ESRCH, "No such service" },
		{ 0, EPERM, "Permission denied (you must be root)" },
		{ 0, EINVAL, "Invalid operation.  Possibly wrong module version, "
			     "address not unicast, ..." },
		{ 0, ENOPROTOOPT, "Protocol not available" },
		{ 0, ENOMEM, "Memory allocation problem" },
		{ 0, EOPNOTSUPP, "Operation not supported with IPv6" },
		{ 0, EAFNOSUPPORT,
		  "Operation not supported with specified address family" },
		{ 0, EMSGSIZE, "Module is wrong version" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if ((!tab[i].cmd || tab[i].cmd == cmd) && tab[i].err == err)
			return tab[i].msg;
	return strerror(err);
}
