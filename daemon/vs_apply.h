/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vs_apply.h - keepalived.conf's virtual and real servers -> the IPVS
 * model (the same lib/model.c operations the control socket uses).
 *
 * Applying is a reconcile, in two halves:
 * - xvs_vs_apply_services() makes the services match the config: adds
 *   the new ones, edits changed ones, deletes those only the old config
 *   had, and removes dests that no longer appear in their virtual
 *   server. Services xvsadm created outside the config are left alone.
 * - xvs_vs_apply_set_dest() is called for each real (or sorry) server
 *   with its verdict: present or not, and its weight. The health-check
 *   engine owns those verdicts; xvs_vs_apply_all_up() is the verdict of
 *   a config without an engine: every real server up with its weight,
 *   the sorry server in only when the weights cannot reach the quorum.
 * Each operation changes the maps only where they differ, so
 * connections to dests that stay are not touched.
 */
#ifndef XVS_VS_APPLY_H
#define XVS_VS_APPLY_H

#include <stdbool.h>

#include "kconf.h"
#include "model.h"

/*
 * Reconcile services from old (NULL at start) to kc. Problems are
 * logged with the virtual server's file:line. Returns 0, or -EINVAL if
 * some service or dest could not be set up (the rest is applied).
 */
int xvs_vs_apply_services(struct xvs_model *m, const struct xvs_kconf *old,
			  const struct xvs_kconf *kc);

/*
 * Make rs (one of vs->rs[] or &vs->sorry) a dest of every service vs
 * stands for, with weight, when present; remove it when not. ctx is the
 * struct xvs_model *. The signature is the check engine's set_dest.
 */
void xvs_vs_apply_set_dest(void *ctx, const struct xvs_kc_vs *vs, const struct xvs_kc_rs *rs,
			   bool present, int weight);

/* The verdicts when nothing checks: see above. */
void xvs_vs_apply_all_up(struct xvs_model *m, const struct xvs_kconf *kc);

#endif
