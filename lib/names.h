/* SPDX-License-Identifier: GPL-2.0 */
/* names.h - the names ipvsadm prints and parses for enums of dp-t.h. */
#ifndef XVS_NAMES_H
#define XVS_NAMES_H

/* "rr", "wrr", ...; NULL when out of range. */
const char *xvs_sched_name(unsigned int sched);

/* enum xvs_sched for a name, or -1 if unknown. */
int xvs_sched_parse(const char *name);

/* "Route", "Tunnel", "Masq", "FullNat", "Local", as -L prints them. */
const char *xvs_fwd_name(unsigned int fwd);

/* "TCP", "UDP", "SCTP" for an IP protocol number; "IP" otherwise. */
const char *xvs_proto_name(unsigned int proto);

/* Connection state as -Lnc prints it: "ESTABLISHED", "UDP", "NONE", ... */
const char *xvs_state_name(unsigned int proto, unsigned int state);

#endif
