// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp_status.c - VRRP status over the control socket: the GET_VRRP reply
 * (xvsd's side) and `xvsd --status`, which prints it (the client side).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "ctl.h"
#include "vrrp_int.h"

static void inst_status(const struct vrrp_inst *inst, struct xvs_ctl_vrrp *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", inst->kc->name);
	snprintf(out->iface, sizeof(out->iface), "%s", inst->iface->name);
	out->state = (uint8_t)inst->fsm.state;
	out->vrid = inst->exp.vrid;
	out->base_prio = inst->fsm.cfg.priority;
	out->prio = inst->fsm.prio;
	out->af = inst->exp.af;
	out->version = inst->exp.version;
	out->master_known = inst->fsm.master_known;
	out->master_prio = inst->fsm.master_prio;
	out->master = inst->fsm.master;
	out->became_master = inst->became_master;
	out->rx_adverts = inst->rx_adverts;
	out->tx_adverts = inst->tx_adverts;
	/*
	 * Drops of packets that could not be tied to an instance (bad IP
	 * header, unknown VRID) are counted on the interface and shown with
	 * every instance on it.
	 */
	for (int d = 0; d < XVS_VRRP_DROP_MAX && d < XVS_CTL_VRRP_DROPS; d++)
		out->drops[d] = inst->drops[d] + inst->iface->drops[d];
}

int xvs_vrrp_ctl_list(const struct xvs_vrrp *v, void **reply, uint32_t *reply_len)
{
	size_t n = v ? v->n_insts : 0;
	size_t len = sizeof(struct xvs_ctl_list) + n * sizeof(struct xvs_ctl_vrrp);
	struct xvs_ctl_list *list = calloc(1, len);
	struct xvs_ctl_vrrp *ent = (struct xvs_ctl_vrrp *)(list + 1);

	if (!list)
		return -ENOMEM;
	list->count = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		inst_status(&v->insts[i], &ent[i]);
	*reply = list;
	*reply_len = (uint32_t)len;
	return 0;
}

static const char *state_name(uint8_t s)
{
	return xvs_vrrp_state_name((enum xvs_vrrp_state)s);
}

/* "ttl=1 peer=3" for the non-zero drop counters, "-" when none. */
static void fmt_drops(const struct xvs_ctl_vrrp *e, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int d = 1; d < XVS_VRRP_DROP_MAX && d < XVS_CTL_VRRP_DROPS; d++) {
		int n;

		if (!e->drops[d])
			continue;
		n = snprintf(buf + off, len - off, "%s%s=%llu", off ? "," : "",
			     xvs_vrrp_drop_name((enum xvs_vrrp_drop)d),
			     (unsigned long long)e->drops[d]);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		snprintf(buf, len, "-");
}

int xvs_vrrp_print_status(const char *ctl_path)
{
	int fd = xvs_ctl_connect(ctl_path), err;
	const struct xvs_ctl_list *list;
	const struct xvs_ctl_vrrp *ent;
	uint32_t len = 0;
	void *reply = NULL;

	if (fd < 0) {
		fprintf(stderr, "xvsd: cannot reach xvsd at %s: %s\n", ctl_path, strerror(-fd));
		return fd;
	}
	err = xvs_ctl_call(fd, XVS_CTL_GET_VRRP, NULL, 0, &reply, &len);
	close(fd);
	list = reply;
	if (!err && (len < sizeof(*list) ||
		     len != sizeof(*list) + (uint64_t)list->count * sizeof(*ent)))
		err = -EPROTO;
	if (err) {
		fprintf(stderr, "xvsd: VRRP status from %s: %s\n", ctl_path, strerror(-err));
		free(reply);
		return err;
	}
	ent = (const struct xvs_ctl_vrrp *)(list + 1);
	printf("%-16s %-10s %4s %-7s %4s %4s %-16s %5s %8s %8s %s\n", "Instance", "Interface",
	       "VRID", "State", "Prio", "Base", "Master", "MPrio", "RxAdv", "TxAdv", "Drops");
	for (uint32_t i = 0; i < list->count; i++) {
		const struct xvs_ctl_vrrp *e = &ent[i];
		char master[INET6_ADDRSTRLEN] = "-", drops[256];

		if (e->master_known)
			xvs_addr_fmt(e->af, &e->master, master, sizeof(master));
		fmt_drops(e, drops, sizeof(drops));
		printf("%-16.*s %-10.*s %4u %-7s %4u %4u %-16s %5u %8llu %8llu %s\n",
		       XVS_CTL_VRRP_NAME_LEN, e->name, 16, e->iface, e->vrid,
		       state_name(e->state), e->prio, e->base_prio, master,
		       e->master_known ? e->master_prio : 0,
		       (unsigned long long)e->rx_adverts, (unsigned long long)e->tx_adverts, drops);
	}
	free(reply);
	return 0;
}
