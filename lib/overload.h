/* SPDX-License-Identifier: GPL-2.0 */
/* overload.h - IPVS's OVERLOAD rule for upper/lower thresholds (-x/-y). */
#ifndef XVS_OVERLOAD_H
#define XVS_OVERLOAD_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Should an overloaded dest with total = ActiveConn + InActConn connections
 * and thresholds u (-x) and l (-y) leave OVERLOAD? The rule of IPVS's
 * ip_vs_unbind_dest() (ip_vs_conn.c): with l set, when total < l; with only
 * u set, when total * 4 < u * 3 (below three quarters); with neither, at
 * once. Pure; computed in 64 bits, so no threshold overflows.
 */
bool xvs_overload_clear(int64_t total, uint32_t u, uint32_t l);

/*
 * Must an edit of a dest's upper threshold from old_u to new_u clear its
 * OVERLOAD at once? IPVS's __ip_vs_update_dest() does when the threshold
 * is removed (0) or raised; lowering it leaves the state to the counts.
 */
bool xvs_overload_clear_on_edit(uint32_t old_u, uint32_t new_u);

#endif
