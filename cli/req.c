// SPDX-License-Identifier: GPL-2.0
/*
 * req.c - from a parsed command line (struct xvs_cli_req) to the control
 * protocol's payloads, and -R's line splitting; see cli.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "addr.h"
#include "cli.h"
#include "names.h"

/* The key as sent: a fwmark service has no protocol, address or port. */
static void req_key(const struct xvs_cli_req *req, struct xvs_svc_key *key)
{
	*key = req->key;
	if (key->fwmark) {
		key->proto = 0;
		key->port = 0;
		memset(&key->addr, 0, sizeof(key->addr));
	}
}

int xvs_cli_req_service(const struct xvs_cli_req *req, struct xvs_ctl_service *svc)
{
	int sched, len;

	memset(svc, 0, sizeof(*svc));
	req_key(req, &svc->key);
	if (req->pe_name[0])
		return -ENOENT;	/* xvs has no persistence engines */
	sched = xvs_sched_parse(req->sched_name[0] ? req->sched_name
						   : XVS_CLI_DEF_SCHED);
	if (sched < 0)
		return -ENOENT;
	svc->sched = (__u8)sched;
	svc->flags = req->svc_flags;
	svc->timeout = req->timeout;
	if (req->key.af == XVS_AF_INET6) {
		len = req->netmask >= 1 && req->netmask <= 128 ? (int)req->netmask : 128;
	} else {
		len = xvs_mask4_len(req->netmask);
		if (len < 0)
			return -EINVAL;
	}
	svc->pmask_len = (__u8)len;
	return 0;
}

void xvs_cli_req_dest(const struct xvs_cli_req *req, struct xvs_ctl_dest *dest)
{
	memset(dest, 0, sizeof(*dest));
	req_key(req, &dest->svc);
	dest->addr = req->daddr;
	dest->port = req->dport;
	dest->af = req->daf;
	dest->fwd = req->fwd;
	dest->weight = req->weight;
	dest->u_threshold = req->u_threshold;
	dest->l_threshold = req->l_threshold;
}

int xvs_cli_split_line(char *line, char *argv0, char **argv, int max)
{
	char *save = NULL, *w;
	int n = 0;

	if (max < 1)
		return 0;
	argv[n++] = argv0;
	for (w = strtok_r(line, " \t\r\n", &save); w && n < max;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (w[0] == '#')
			break;
		if (strcmp(w, "ipvsadm") == 0 || strcmp(w, "xvsadm") == 0)
			continue;
		argv[n++] = w;
	}
	return n;
}
