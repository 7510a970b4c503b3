/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tpl_control.h - which persistence templates still control connections.
 *
 * IPVS does not expire a template while connections it controls exist
 * (ip_vs_conn_expire: n_control > 0 re-arms the timer for another full
 * timeout). xvs connections carry no pointer to their template; they
 * carry XVS_CONN_F_CONTROLLED and the template's mask, from which
 * include/xvs/persist.h rebuilds the template's key. xvsd's housekeeping
 * walk notes the key of every live controlled connection here, and then
 * asks, for each template whose timeout has run out, whether it still
 * controls one: if so it is re-armed rather than deleted.
 */
#ifndef XVS_TPL_CONTROL_H
#define XVS_TPL_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "xvs/dp-t.h"

/* The template keys of the live controlled connections of one walk. */
struct xvs_tpl_control {
	struct xvs_conn_key *keys;
	size_t n, cap;
	bool sorted;
	bool incomplete;	/* a note failed for want of memory */
};

/*
 * Note the connection (key k, value c) if a template controls it. Out of
 * memory, the set is marked incomplete, and then every template counts
 * as controlling: none is deleted on a guess.
 */
void xvs_tpl_control_note(struct xvs_tpl_control *t, const struct xvs_conn_key *k,
			  const struct xvs_conn *c);

/* Does the template with key tk control a connection noted this walk? */
bool xvs_tpl_controls(struct xvs_tpl_control *t, const struct xvs_conn_key *tk);

/* Forget the walk's notes (and memory). */
void xvs_tpl_control_reset(struct xvs_tpl_control *t);

#endif
