/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_int.h - the VRRP runtime's own types and the functions its files
 * share: vrrp.c (instances, events, sync groups), vrrp_net.c (advert
 * sockets), vrrp_addr.c (addresses, routes, gratuitous ARP),
 * vrrp_script.c (vrrp_script checks and notify scripts).
 */
#ifndef XVS_VRRP_INT_H
#define XVS_VRRP_INT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "kconf.h"
#include "vrrp.h"
#include "vrrp_fsm.h"
#include "vrrp_pkt.h"

/* One interface VRRP listens on: a receive socket per interface. */
struct vrrp_iface {
	char name[IF_NAMESIZE];
	int ifindex;
	int rx_fd;
	uint8_t mac[6];
	bool running;			/* IFF_UP and IFF_RUNNING, polled */
	uint64_t drops[XVS_VRRP_DROP_MAX];	/* before an instance is known */
};

/* A vrrp_script and its fall/rise state. */
struct vrrp_script {
	const struct xvs_kc_vrrp_script *kc;
	char **argv;			/* the command line, split */
	bool up;			/* the result after fall/rise */
	int streak;			/* consecutive results against up */
	uint64_t next_run;		/* ms */
	uint64_t deadline;		/* timeout of the running child */
	pid_t pid;			/* 0: not running */
	int pidfd;
};

struct vrrp_group;

struct vrrp_inst {
	const struct xvs_kc_vrrp_instance *kc;
	struct xvs_vrrp *v;
	struct vrrp_iface *iface;
	struct vrrp_group *group;
	struct xvs_vrrp_fsm fsm;
	struct xvs_vrrp_expect exp;
	union xvs_addr *peers;		/* unicast_peer addresses */
	union xvs_addr *vip_addrs;	/* virtual_ipaddress, for adverts */
	union xvs_addr src;		/* unicast_src_ip / mcast_src_ip / primary */
	union xvs_addr mcast;
	int tx_fd;
	int *track_ifindex;		/* track_interface, resolved */
	bool own_fault;			/* tracking says FAULT */
	bool carried;			/* reload: state taken over, not started */
	bool vips_set;			/* our addresses are on the interface */
	int garp_bursts;		/* bursts still to send */
	uint64_t garp_at;		/* next burst, ms */
	enum xvs_vrrp_state notified;	/* last state scripts were told */
	uint64_t became_master, rx_adverts, tx_adverts;
	uint64_t drops[XVS_VRRP_DROP_MAX];
	uint64_t drop_logged;		/* rate limit of drop messages, ms */
};

struct vrrp_group {
	const struct xvs_kc_vrrp_sync_group *kc;
	struct vrrp_inst **members;
	size_t n_members;
	enum xvs_vrrp_state notified;
};

/* A notify script that is still running: reaped through its pidfd. */
struct vrrp_child {
	pid_t pid;
	int pidfd;
};

#define VRRP_MAX_CHILDREN	64

struct xvs_vrrp {
	const struct xvs_kconf *kc;
	int ep_fd, timer_fd;
	struct vrrp_iface *ifaces;
	size_t n_ifaces;
	struct vrrp_inst *insts;
	size_t n_insts;
	struct vrrp_group *groups;
	size_t n_groups;
	struct vrrp_script *scripts;
	size_t n_scripts;
	struct vrrp_child children[VRRP_MAX_CHILDREN];
	uint64_t next_link_poll;
	bool stopped;
};

/* Monotonic milliseconds. */
uint64_t xvs_vrrp_now_ms(void);

/* vrrp_net.c */
/* Open iface's receive socket (all adverts on it). Returns 0 or -errno. */
int xvs_vrrp_net_open_rx(struct vrrp_iface *ifc, const struct xvs_vrrp *v);
/* Open inst's send socket from inst->src. Returns 0 or -errno. */
int xvs_vrrp_net_open_tx(struct vrrp_inst *inst);
/* Send one advert with priority prio to every destination. Returns 0 or -errno. */
int xvs_vrrp_net_send(struct vrrp_inst *inst, uint8_t prio);
/* Read what waits on ifc's socket and hand each valid advert to its instance. */
void xvs_vrrp_net_receive(struct xvs_vrrp *v, struct vrrp_iface *ifc);
/* Look up an interface: index and MAC. Returns 0 or -errno. */
int xvs_vrrp_net_iface_info(const char *name, int *ifindex, uint8_t mac[6]);
/* The first IPv4 address of ifindex. Returns 0 or -errno. */
int xvs_vrrp_net_primary4(int ifindex, union xvs_addr *out);
/* IFF_UP and IFF_RUNNING on ifindex. */
bool xvs_vrrp_net_link_running(int ifindex);

/* vrrp_addr.c */
/* Add (add=true) or remove inst's virtual addresses and routes. */
void xvs_vrrp_addr_apply(struct vrrp_inst *inst, bool add);
/* Send one burst of garp_master_repeat gratuitous ARPs for inst's VIPs. */
void xvs_vrrp_addr_garp(struct vrrp_inst *inst);

/* vrrp_script.c */
/* Split a command line into a NULL-terminated argv (quotes honoured). */
char **xvs_vrrp_split_cmd(const char *cmd);
void xvs_vrrp_free_argv(char **argv);
/* Start due vrrp_scripts, kill overdue ones. Returns true if a result changed. */
bool xvs_vrrp_scripts_tick(struct xvs_vrrp *v, uint64_t now);
/* A script child's pidfd is readable: take its result. true if it changed. */
bool xvs_vrrp_script_reap(struct xvs_vrrp *v, struct vrrp_script *s);
/* Run cmd (notify) with extra arguments, without waiting. */
void xvs_vrrp_run_notify(struct xvs_vrrp *v, const char *cmd, const char *const *extra);
/* A notify child's pidfd is readable: reap it. */
void xvs_vrrp_child_reap(struct xvs_vrrp *v, struct vrrp_child *c);
/* The earliest time a script must start or be killed, or XVS_VRRP_NEVER. */
uint64_t xvs_vrrp_scripts_next(const struct xvs_vrrp *v);

/* vrrp.c, for vrrp_net.c: a checked advert arrived for inst. */
void xvs_vrrp_inst_rx(struct vrrp_inst *inst, const struct xvs_vrrp_advert *a,
		      const union xvs_addr *src);
/* Count and (rate-limited) log a dropped packet. inst may be NULL. */
void xvs_vrrp_count_drop(struct vrrp_iface *ifc, struct vrrp_inst *inst,
			 enum xvs_vrrp_drop d, const union xvs_addr *src);

#endif
