/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nat_out.h - upkeep of the NAT/FULLNAT return-path (OUT) entries of the
 * connection table. An OUT entry (struct xvs_conn_out) belongs to the IN
 * entry it names; it is stale once that entry is gone (expired, evicted)
 * or no longer leads to the same reply: another dest (a TIME_WAIT reuse
 * scheduled elsewhere), or for FULLNAT another local address and port.
 * A stale entry is deleted; for FULLNAT that frees its local port.
 */
#ifndef XVS_NAT_OUT_H
#define XVS_NAT_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "xvs/dp-t.h"

/* A reply keeps an OUT entry fresh; xvsd looks at idle ones only. */
#define XVS_NAT_OUT_IDLE_NS (2 * 1000000000ull)

/* The IN key an OUT entry (key k, value o) names. */
void xvs_nat_out_in_key(const struct xvs_conn_key *k, const struct xvs_conn_out *o,
			struct xvs_conn_key *in);

/*
 * Does the IN entry in (or NULL: there is none) still own the OUT entry
 * (k, o)? Pure: the decision without the map.
 */
bool xvs_nat_out_owned(const struct xvs_conn_key *k, const struct xvs_conn_out *o,
		       const struct xvs_conn *in);

/*
 * Is the OUT entry (k, value bytes val) of the connection table conn_fd
 * stale at now (CLOCK_MONOTONIC_COARSE ns)? Entries with a reply in the
 * last XVS_NAT_OUT_IDLE_NS are not looked at: their connection is alive.
 */
bool xvs_nat_out_stale(int conn_fd, const struct xvs_conn_key *k, const void *val,
		       uint64_t now);

#endif
