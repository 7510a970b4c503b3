/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h - the IPVS service/dest model, kept in the pinned maps.
 *
 * xvsd is the maps' only writer, and this module is how it writes them.
 * Each operation validates like IPVS's ip_vs_ctl.c and returns the errno
 * IPVS returns, so xvsadm can print ipvsadm's messages: -EEXIST, -ESRCH
 * (no such service), -ENOENT (no such dest, or unknown scheduler),
 * -EINVAL, -EOPNOTSUPP. The maps hold the whole configuration, so a new
 * model built over existing pins (xvs_model_new) recovers it.
 */
#ifndef XVS_MODEL_H
#define XVS_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "dp.h"
#include "estimator.h"
#include "xvs/ctl-t.h"

struct xvs_model_svc {
	bool used;
	struct xvs_svc_key key;
	struct xvs_svc svc;
	struct xvs_svc_dests dests;	/* mirror of xvs_svc_dests_v1[id] */
	struct xvs_est est;
	uint32_t conn_refs;		/* connections seen by the last scan */
};

struct xvs_model_dest {
	struct xvs_dest d;		/* mirror of xvs_dest_v1[id] */
	struct xvs_est est;
	uint32_t conn_refs;		/* connections seen by the last scan */
	uint32_t idle_scans;		/* scans in a row with no connection */
};

struct xvs_model {
	struct xvs_dp *dp;
	struct xvs_model_svc *svcs;	/* by service id, XVS_MAX_SERVICES */
	struct xvs_model_dest *dests;	/* by dest id, XVS_MAX_DESTS */
	uint32_t n_svcs;
	uint32_t n_draining;		/* dests VALID but not AVAILABLE (trash) */
	uint32_t next_dest_id;		/* alloc_dest_id starts after this id */
	bool expire_quiescent;		/* --expire-quiescent-template */
};

/*
 * Build the model over dp's maps, recovering services and dests already
 * there. Returns NULL on allocation or map read failure (errno set).
 * Free with xvs_model_free().
 */
struct xvs_model *xvs_model_new(struct xvs_dp *dp);
void xvs_model_free(struct xvs_model *m);

int xvs_model_add_service(struct xvs_model *m, const struct xvs_ctl_service *s);
int xvs_model_edit_service(struct xvs_model *m, const struct xvs_ctl_service *s);
int xvs_model_del_service(struct xvs_model *m, const struct xvs_svc_key *key);
/* Delete every service (ipvsadm -C). */
int xvs_model_flush(struct xvs_model *m);

int xvs_model_add_dest(struct xvs_model *m, const struct xvs_ctl_dest *d);
int xvs_model_edit_dest(struct xvs_model *m, const struct xvs_ctl_dest *d);
int xvs_model_del_dest(struct xvs_model *m, const struct xvs_ctl_dest *d);

/*
 * IPVS's expire_quiescent_template: on, a persistence template whose dest
 * has weight 0 no longer holds its clients. Sets XVS_SVC_F_EXPIRE_QUIESCENT
 * on every service, now and when added (lib/model_persist.c).
 */
int xvs_model_set_expire_quiescent(struct xvs_model *m, bool on);

/* Zero the counters and estimators of one service (key) or all (NULL). */
int xvs_model_zero(struct xvs_model *m, const struct xvs_svc_key *key);

/* --set: change the ESTABLISHED, FIN_WAIT and UDP timeouts; 0 = keep. */
int xvs_model_set_timeouts(struct xvs_model *m, const struct xvs_ctl_timeout *t);
int xvs_model_get_timeouts(struct xvs_model *m, struct xvs_ctl_timeout *t);

/*
 * Build a GET_SERVICES reply for one service (key) or all (NULL):
 * xvs_ctl_list, then each service with its dests. *buf is malloc'ed,
 * the caller frees it. Returns 0, -ESRCH or -ENOMEM.
 */
int xvs_model_list(struct xvs_model *m, const struct xvs_svc_key *key,
		   void **buf, uint32_t *len);

/* The service with this key, or NULL. */
struct xvs_model_svc *xvs_model_find_svc(struct xvs_model *m, const struct xvs_svc_key *key);

/*
 * Re-resolve next hops: dests without one always, every dest when all.
 * A dest whose MAC changed is rewritten in the map.
 */
void xvs_model_refresh_nexthops(struct xvs_model *m, bool all);

struct xvs_nexthop;

/*
 * Copy a resolved next hop into a dest: egress interface, MTU, source
 * address and MACs; NEIGH_OK is set when the next hop's MAC is known and
 * left as it was otherwise.
 */
void xvs_dest_set_nexthop(struct xvs_dest *d, const struct xvs_nexthop *nh);

/* Feed the 2-second rate estimators. */
void xvs_model_estimate(struct xvs_model *m);

/*
 * After a connection-table scan has set conn_refs: free deleted dests
 * that no connection has used for two scans in a row (IPVS's trash).
 */
void xvs_model_reap(struct xvs_model *m);

#endif
