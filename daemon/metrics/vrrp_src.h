/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_src.h - /metrics's VRRP source: the instances of xvsd's VRRP
 * runtime (daemon/vrrp), read through its status listing, the one that
 * GET_VRRP and "xvsd --status" show.
 */
#ifndef XVS_METRICS_VRRP_SRC_H
#define XVS_METRICS_VRRP_SRC_H

#include "metrics_src-t.h"

/*
 * An xvs_mx_vrrp_iter over the VRRP runtime that *vrrpp points to (a
 * struct xvs_vrrp **, so that the source follows a reload that replaces
 * the runtime; NULL there: no instance). Calls fn once per instance.
 */
void xvs_mx_vrrp_source(void *vrrpp, xvs_mx_vrrp_fn fn, void *arg);

#endif
