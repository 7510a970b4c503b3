// SPDX-License-Identifier: GPL-2.0
/* model_persist.c - xvsd's persistence settings over the services, see model.h. */
#include <errno.h>

#include <bpf/bpf.h>

#include "log.h"
#include "model.h"

int xvs_model_set_expire_quiescent(struct xvs_model *m, bool on)
{
	int err = 0;

	m->expire_quiescent = on;
	/* Services recovered from the pins carry what the last xvsd set. */
	for (uint32_t i = 0; i < m->dp->max_svcs; i++) {
		struct xvs_model_svc *s = &m->svcs[i];
		uint32_t flags;

		if (!s->used)
			continue;
		flags = on ? s->svc.flags | XVS_SVC_F_EXPIRE_QUIESCENT
			   : s->svc.flags & ~XVS_SVC_F_EXPIRE_QUIESCENT;
		if (flags == s->svc.flags)
			continue;
		s->svc.flags = flags;
		if (bpf_map_update_elem(m->dp->svc_fd, &s->key, &s->svc, BPF_EXIST) && !err)
			err = -errno;
	}
	if (err)
		xvs_log_warn("expire-quiescent-template: cannot update a service: %d", err);
	return err;
}
