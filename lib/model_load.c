// SPDX-License-Identifier: GPL-2.0
/*
 * model_load.c - building the model over the pinned maps: on a fresh
 * start they are empty; after an xvsd restart they hold every service
 * and dest, which are read back so nothing is lost.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "log.h"
#include "model.h"

/* Read every service of the svc hash and its dest list. */
static int recover_services(struct xvs_model *m)
{
	struct xvs_svc_key key, next;
	struct xvs_svc svc;
	void *prev = NULL;

	while (bpf_map_get_next_key(m->dp->svc_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(m->dp->svc_fd, &key, &svc))
			continue;	/* deleted under us: cannot happen, we are the writer */
		if (svc.id >= m->dp->max_svcs)
			return -EUCLEAN;
		struct xvs_model_svc *s = &m->svcs[svc.id];

		s->used = true;
		s->key = key;
		s->svc = svc;
		if (bpf_map_lookup_elem(m->dp->svc_dests_fd, &svc.id, &s->dests))
			return -errno;
		if (s->dests.n_dests > XVS_SVC_MAX_DESTS)
			return -EUCLEAN;
		m->n_svcs++;
	}
	return 0;
}

/* Read every valid dest of the dest array. */
static int recover_dests(struct xvs_model *m)
{
	for (uint32_t id = 1; id < m->dp->max_dests; id++) {
		struct xvs_model_dest *md = &m->dests[id];

		if (bpf_map_lookup_elem(m->dp->dest_fd, &id, &md->d))
			return -errno;
		if (!(md->d.flags & XVS_DEST_F_VALID))
			memset(&md->d, 0, sizeof(md->d));
		else if (!(md->d.flags & XVS_DEST_F_AVAILABLE))
			m->n_draining++;	/* draining when xvsd stopped */
	}
	return 0;
}

/* Start every estimator from the counters as they stand. */
static void start_estimators(struct xvs_model *m)
{
	struct xvs_stats st;

	for (uint32_t i = 0; i < m->dp->max_svcs; i++)
		if (m->svcs[i].used &&
		    !xvs_dp_read_stats(m->dp, m->dp->svc_stats_fd, i, &st))
			xvs_est_reset(&m->svcs[i].est, &st);
	for (uint32_t id = 1; id < m->dp->max_dests; id++)
		if ((m->dests[id].d.flags & XVS_DEST_F_VALID) &&
		    !xvs_dp_read_stats(m->dp, m->dp->dest_stats_fd, id, &st))
			xvs_est_reset(&m->dests[id].est, &st);
}

struct xvs_model *xvs_model_new(struct xvs_dp *dp)
{
	struct xvs_model *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return NULL;
	m->dp = dp;
	m->svcs = calloc(dp->max_svcs, sizeof(*m->svcs));
	m->dests = calloc(dp->max_dests, sizeof(*m->dests));
	if (!m->svcs || !m->dests) {
		err = -ENOMEM;
		goto err;
	}
	err = recover_services(m);
	if (!err)
		err = recover_dests(m);
	if (err) {
		xvs_log_err("cannot read the pinned state: %s", strerror(-err));
		goto err;
	}
	start_estimators(m);
	if (m->n_svcs)
		xvs_log_info("recovered %u virtual servers from the pinned maps", m->n_svcs);
	return m;
err:
	xvs_model_free(m);
	errno = -err;
	return NULL;
}

void xvs_model_free(struct xvs_model *m)
{
	if (!m)
		return;
	free(m->svcs);
	free(m->dests);
	free(m);
}
