// SPDX-License-Identifier: GPL-2.0
/* model_house.c - timeouts, next hops and the dest trash, see model.h. */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "log.h"
#include "model.h"
#include "neigh.h"

/* Slots --set may change, in its argument order: tcp, tcpfin, udp. */
static const uint32_t set_slots[3] = {
	XVS_TCP_ESTABLISHED, XVS_TCP_FIN_WAIT, XVS_TIMEOUT_UDP,
};

int xvs_model_set_timeouts(struct xvs_model *m, const struct xvs_ctl_timeout *t)
{
	const uint32_t val[3] = { t->tcp, t->tcpfin, t->udp };

	for (int i = 0; i < 3; i++) {
		if (!val[i])
			continue;	/* 0 means unchanged, as in ipvsadm */
		if (bpf_map_update_elem(m->dp->timeouts_fd, &set_slots[i], &val[i], BPF_ANY))
			return -errno;
	}
	return 0;
}

int xvs_model_get_timeouts(struct xvs_model *m, struct xvs_ctl_timeout *t)
{
	uint32_t val[3];

	for (int i = 0; i < 3; i++)
		if (bpf_map_lookup_elem(m->dp->timeouts_fd, &set_slots[i], &val[i]))
			return -errno;
	memset(t, 0, sizeof(*t));
	t->tcp = val[0];
	t->tcpfin = val[1];
	t->udp = val[2];
	return 0;
}

void xvs_model_refresh_nexthops(struct xvs_model *m, bool all)
{
	for (uint32_t id = 1; id < m->dp->max_dests; id++) {
		struct xvs_dest *d = &m->dests[id].d;
		struct xvs_nexthop nh;

		if (!(d->flags & XVS_DEST_F_VALID) || d->fwd == XVS_FWD_LOCAL)
			continue;
		if (!all && (d->flags & XVS_DEST_F_NEIGH_OK))
			continue;
		if (xvs_nexthop_resolve(d->af, &d->addr, &nh) || nh.is_local)
			continue;
		if (!nh.resolved && (d->flags & XVS_DEST_F_NEIGH_OK))
			continue;	/* being re-probed: keep the old MAC */
		if (nh.resolved == !!(d->flags & XVS_DEST_F_NEIGH_OK) &&
		    nh.ifindex == d->ifindex && nh.mtu == d->mtu &&
		    memcmp(nh.dmac, d->dmac, 6) == 0 && memcmp(nh.smac, d->smac, 6) == 0 &&
		    memcmp(&nh.saddr, &d->saddr, sizeof(nh.saddr)) == 0)
			continue;
		xvs_dest_set_nexthop(d, &nh);
		bpf_map_update_elem(m->dp->dest_fd, &id, d, BPF_ANY);
	}
}

void xvs_model_reap(struct xvs_model *m)
{
	for (uint32_t id = 1; id < m->dp->max_dests; id++) {
		struct xvs_model_dest *md = &m->dests[id];

		if ((md->d.flags & (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE)) != XVS_DEST_F_VALID)
			continue;
		md->idle_scans = md->conn_refs ? 0 : md->idle_scans + 1;
		/* Two idle scans: a connection created between the list
		 * update and the first scan has been seen by the second. */
		if (md->idle_scans < 2)
			continue;
		memset(&md->d, 0, sizeof(md->d));
		m->n_draining--;
		bpf_map_update_elem(m->dp->dest_fd, &id, &md->d, BPF_ANY);
		memset(&m->dp->dest_conns[id], 0, sizeof(m->dp->dest_conns[id]));
	}
}
