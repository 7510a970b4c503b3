/* SPDX-License-Identifier: GPL-2.0 */
/*
 * laddr.h - FULLNAT local addresses of a service (its "laddr" pool) and
 * its TOA switch, on top of the model. The pool lives in the pinned map
 * xvs_laddr_v1[service id] (it survives an xvsd restart); the data plane
 * takes each new FULLNAT connection's source address and port from it.
 *
 * Used by the control socket (xvsadm -P/-Q/-G, --toa) and by the
 * keepalived.conf loader for local_address_group / laddr_group_name.
 */
#ifndef XVS_LADDR_H
#define XVS_LADDR_H

#include "model.h"

/*
 * Replace the service's pool with addrs[0..n) (n <= XVS_SVC_MAX_LADDRS,
 * each of the service's family, no duplicates). -ESRCH: no such service;
 * -EINVAL: too many, a duplicate or the unspecified address;
 * -EAFNOSUPPORT: another family.
 */
int xvs_model_set_laddrs(struct xvs_model *m, const struct xvs_svc_key *svc,
			 const union xvs_addr *addrs, unsigned int n);

/* Add one address (-EEXIST if there, -ENOSPC when full) or delete one (-ENOENT). */
int xvs_model_add_laddr(struct xvs_model *m, const struct xvs_svc_key *svc, uint8_t af,
			const union xvs_addr *addr);
int xvs_model_del_laddr(struct xvs_model *m, const struct xvs_svc_key *svc, uint8_t af,
			const union xvs_addr *addr);

/* The service's pool. */
int xvs_model_get_laddrs(struct xvs_model *m, const struct xvs_svc_key *svc,
			 struct xvs_laddrs *out);

/* Send the client address in TOA (TCP option 254) on FULLNAT connections. */
int xvs_model_set_toa(struct xvs_model *m, const struct xvs_svc_key *svc, bool on);

/* Empty the pool of a service id that is being (re)used. */
int xvs_laddr_reset(struct xvs_model *m, uint32_t svc_id);

#endif
