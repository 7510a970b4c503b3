// SPDX-License-Identifier: GPL-2.0
/* model_stats.c - listings, counters and rates of the model, see model.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "model.h"

/* Zero one service's counters and estimators, and its dests'. */
static void zero_svc(struct xvs_model *m, struct xvs_model_svc *s)
{
	struct xvs_stats zero = {};

	xvs_dp_zero_stats(m->dp, m->dp->svc_stats_fd, s->svc.id);
	xvs_est_reset(&s->est, &zero);
	for (uint32_t i = 0; i < s->dests.n_dests; i++) {
		uint32_t id = s->dests.ids[i];

		xvs_dp_zero_stats(m->dp, m->dp->dest_stats_fd, id);
		xvs_est_reset(&m->dests[id].est, &zero);
	}
}

int xvs_model_zero(struct xvs_model *m, const struct xvs_svc_key *key)
{
	if (key) {
		struct xvs_model_svc *s = xvs_model_find_svc(m, key);

		if (!s)
			return -ESRCH;
		zero_svc(m, s);
		return 0;
	}
	for (uint32_t i = 0; i < m->dp->max_svcs; i++)
		if (m->svcs[i].used)
			zero_svc(m, &m->svcs[i]);
	return 0;
}

void xvs_model_estimate(struct xvs_model *m)
{
	struct xvs_stats st;

	for (uint32_t i = 0; i < m->dp->max_svcs; i++)
		if (m->svcs[i].used &&
		    !xvs_dp_read_stats(m->dp, m->dp->svc_stats_fd, i, &st))
			xvs_est_update(&m->svcs[i].est, &st);
	for (uint32_t id = 1; id < m->dp->max_dests; id++)
		if ((m->dests[id].d.flags & XVS_DEST_F_VALID) &&
		    !xvs_dp_read_stats(m->dp, m->dp->dest_stats_fd, id, &st))
			xvs_est_update(&m->dests[id].est, &st);
}

static void fill_ctl_svc(struct xvs_model *m, const struct xvs_model_svc *s,
			 struct xvs_ctl_service *c)
{
	memset(c, 0, sizeof(*c));
	c->key = s->key;
	c->flags = s->svc.flags & ~XVS_SVC_F_EXPIRE_QUIESCENT;	/* xvsd's, not ipvsadm's */
	c->sched = s->svc.sched;
	c->pmask_len = s->svc.pmask_len;
	c->timeout = s->svc.timeout;
	c->n_dests = s->dests.n_dests;
	xvs_dp_read_stats(m->dp, m->dp->svc_stats_fd, s->svc.id, &c->stats);
	xvs_est_read(&s->est, &c->rate);
}

static void fill_ctl_dest(struct xvs_model *m, const struct xvs_model_svc *s,
			  uint32_t id, struct xvs_ctl_dest *c)
{
	const struct xvs_model_dest *md = &m->dests[id];
	const struct xvs_dest_conns *cnt = &m->dp->dest_conns[id];

	memset(c, 0, sizeof(*c));
	c->svc = s->key;
	c->addr = md->d.addr;
	c->port = md->d.port;
	c->af = md->d.af;
	c->fwd = md->d.fwd;
	c->weight = md->d.weight;
	c->u_threshold = md->d.u_threshold;
	c->l_threshold = md->d.l_threshold;
	/* Counters can dip below zero for an instant while the data plane
	 * and housekeeping race; never show that. */
	c->active = __atomic_load_n(&cnt->active, __ATOMIC_RELAXED);
	c->inactive = __atomic_load_n(&cnt->inactive, __ATOMIC_RELAXED);
	c->persist = __atomic_load_n(&cnt->persist, __ATOMIC_RELAXED);
	if (c->active < 0)
		c->active = 0;
	if (c->inactive < 0)
		c->inactive = 0;
	if (c->persist < 0)
		c->persist = 0;
	xvs_dp_read_stats(m->dp, m->dp->dest_stats_fd, id, &c->stats);
	xvs_est_read(&md->est, &c->rate);
}

int xvs_model_list(struct xvs_model *m, const struct xvs_svc_key *key,
		   void **buf, uint32_t *len)
{
	struct xvs_model_svc *only = NULL;
	size_t size = sizeof(struct xvs_ctl_list);
	struct xvs_ctl_list *list;
	char *p;

	if (key) {
		only = xvs_model_find_svc(m, key);
		if (!only)
			return -ESRCH;
	}
	for (uint32_t i = 0; i < m->dp->max_svcs; i++) {
		const struct xvs_model_svc *s = &m->svcs[i];

		if (s->used && (!only || s == only))
			size += sizeof(struct xvs_ctl_service) +
				s->dests.n_dests * sizeof(struct xvs_ctl_dest);
	}
	list = calloc(1, size);
	if (!list)
		return -ENOMEM;
	p = (char *)(list + 1);
	for (uint32_t i = 0; i < m->dp->max_svcs; i++) {
		const struct xvs_model_svc *s = &m->svcs[i];

		if (!s->used || (only && s != only))
			continue;
		fill_ctl_svc(m, s, (struct xvs_ctl_service *)p);
		p += sizeof(struct xvs_ctl_service);
		for (uint32_t j = 0; j < s->dests.n_dests; j++) {
			fill_ctl_dest(m, s, s->dests.ids[j], (struct xvs_ctl_dest *)p);
			p += sizeof(struct xvs_ctl_dest);
		}
		list->count++;
	}
	*buf = list;
	*len = (uint32_t)size;
	return 0;
}
