// SPDX-License-Identifier: GPL-2.0
/* vrrp_src.c - /metrics's VRRP source, see vrrp_src.h. */
#include <stdlib.h>

#include "../vrrp/vrrp.h"
#include "log.h"
#include "vrrp_fsm.h"
#include "vrrp_src.h"

void xvs_mx_vrrp_source(void *vrrpp, xvs_mx_vrrp_fn fn, void *arg)
{
	const struct xvs_vrrp *v = *(struct xvs_vrrp **)vrrpp;
	const struct xvs_ctl_list *list;
	const struct xvs_ctl_vrrp *ent;
	uint32_t len = 0;
	void *buf = NULL;
	int err;

	if (!v)
		return;
	err = xvs_vrrp_ctl_list(v, &buf, &len);
	if (err) {
		xvs_log_warn("metrics: cannot list VRRP instances: %d", err);
		return;
	}
	list = buf;
	ent = (const struct xvs_ctl_vrrp *)(list + 1);
	for (uint32_t i = 0; i < list->count; i++) {
		struct xvs_mx_vrrp m = {
			.instance = ent[i].name,
			.iface = ent[i].iface,
			.vrid = ent[i].vrid,
			.priority = ent[i].prio,
			.state = xvs_vrrp_state_name((enum xvs_vrrp_state)ent[i].state),
			.became_master = ent[i].became_master,
		};

		fn(arg, &m);
	}
	free(buf);
}
