// SPDX-License-Identifier: GPL-2.0
/* names.c - enum <-> ipvsadm name tables, see names.h. */
#include <netinet/in.h>
#include <string.h>

#include "names.h"
#include "xvs/dp-t.h"

static const char *const sched_names[XVS_SCHED_MAX] = {
	[XVS_SCHED_RR] = "rr",	   [XVS_SCHED_WRR] = "wrr",
	[XVS_SCHED_LC] = "lc",	   [XVS_SCHED_WLC] = "wlc",
	[XVS_SCHED_SED] = "sed",   [XVS_SCHED_NQ] = "nq",
	[XVS_SCHED_SH] = "sh",	   [XVS_SCHED_DH] = "dh",
	[XVS_SCHED_LBLC] = "lblc", [XVS_SCHED_LBLCR] = "lblcr",
	[XVS_SCHED_MH] = "mh",	   [XVS_SCHED_FO] = "fo",
	[XVS_SCHED_OVF] = "ovf",   [XVS_SCHED_TWOS] = "twos",
};

static const char *const fwd_names[XVS_FWD_MAX] = {
	[XVS_FWD_DR] = "Route",	  [XVS_FWD_TUN] = "Tunnel",
	[XVS_FWD_NAT] = "Masq",	  [XVS_FWD_FULLNAT] = "FullNat",
	[XVS_FWD_LOCAL] = "Local",
};

static const char *const tcp_state_names[XVS_TCP_STATE_MAX] = {
	[XVS_TCP_NONE] = "NONE",
	[XVS_TCP_ESTABLISHED] = "ESTABLISHED",
	[XVS_TCP_SYN_SENT] = "SYN_SENT",
	[XVS_TCP_SYN_RECV] = "SYN_RECV",
	[XVS_TCP_FIN_WAIT] = "FIN_WAIT",
	[XVS_TCP_TIME_WAIT] = "TIME_WAIT",
	[XVS_TCP_CLOSE] = "CLOSE",
	[XVS_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[XVS_TCP_LAST_ACK] = "LAST_ACK",
	[XVS_TCP_LISTEN] = "LISTEN",
	[XVS_TCP_SYNACK] = "SYNACK",
};

const char *xvs_sched_name(unsigned int sched)
{
	return sched < XVS_SCHED_MAX ? sched_names[sched] : NULL;
}

int xvs_sched_parse(const char *name)
{
	for (int i = 0; i < XVS_SCHED_MAX; i++)
		if (strcmp(name, sched_names[i]) == 0)
			return i;
	return -1;
}

const char *xvs_fwd_name(unsigned int fwd)
{
	return fwd < XVS_FWD_MAX ? fwd_names[fwd] : "Unknown";
}

const char *xvs_proto_name(unsigned int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	default:
		return "IP";
	}
}

const char *xvs_state_name(unsigned int proto, unsigned int state)
{
	if (proto == IPPROTO_UDP)
		return "UDP";
	return state < XVS_TCP_STATE_MAX ? tcp_state_names[state] : "ERR!";
}
