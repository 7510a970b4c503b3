// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp.c - the VRRP runtime: builds instances from keepalived.conf, turns
 * socket, timer and child events into state machine events (lib/vrrp_fsm.c),
 * and carries out what a state change means: adverts, addresses,
 * gratuitous ARPs, notify scripts and vrrp_sync_group peers. See vrrp.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "vrrp_int.h"

/* Interface flags are polled this often (track_interface, own interface). */
#define VRRP_LINK_POLL_MS	500
/* One log line per instance per this long about dropped packets. */
#define VRRP_DROP_LOG_MS	5000

uint64_t xvs_vrrp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- building from the config ---- */

static struct vrrp_iface *iface_get(struct xvs_vrrp *v, const char *name)
{
	struct vrrp_iface *ifc;
	int err;

	for (size_t i = 0; i < v->n_ifaces; i++)
		if (!strcmp(v->ifaces[i].name, name))
			return &v->ifaces[i];
	ifc = &v->ifaces[v->n_ifaces];
	if (strlen(name) >= sizeof(ifc->name)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(ifc->name, name);
	ifc->rx_fd = -1;
	err = xvs_vrrp_net_iface_info(name, &ifc->ifindex, ifc->mac);
	if (err) {
		errno = -err;
		return NULL;
	}
	ifc->running = xvs_vrrp_net_link_running(ifc->ifindex);
	v->n_ifaces++;
	return ifc;
}

static struct vrrp_script *script_find(struct xvs_vrrp *v, const char *name)
{
	for (size_t i = 0; i < v->n_scripts; i++)
		if (!strcmp(v->scripts[i].kc->name, name))
			return &v->scripts[i];
	return NULL;
}

/* Fill inst's state machine config and receive expectations. Returns 0 or -errno. */
static int inst_setup(struct xvs_vrrp *v, struct vrrp_inst *inst,
		      const struct xvs_kc_vrrp_instance *kc)
{
	struct xvs_vrrp_fsm_cfg cfg = { 0 };
	int err;

	inst->kc = kc;
	inst->v = v;
	inst->tx_fd = -1;
	inst->notified = XVS_VRRP_INIT;
	inst->iface = iface_get(v, kc->interface ? kc->interface : "");
	if (!inst->iface) {
		xvs_log_err("VRRP_Instance(%s): interface %s: %s", kc->name,
			    kc->interface ? kc->interface : "(none)", strerror(errno));
		return -ENODEV;
	}
	/* IPv4 is what runs today; the codec and state machine are family-blind. */
	for (size_t i = 0; i < kc->n_vips; i++)
		if (kc->vips[i].addr.af != XVS_AF_INET) {
			xvs_log_err("VRRP_Instance(%s): IPv6 virtual addresses are not "
				    "supported yet", kc->name);
			return -EAFNOSUPPORT;
		}
	if (kc->auth_type == XVS_KC_AUTH_AH) {
		xvs_log_err("VRRP_Instance(%s): auth_type AH is not supported; use PASS",
			    kc->name);
		return -EOPNOTSUPP;
	}
	if (kc->n_vips > XVS_VRRP_MAX_ADDRS || kc->vrid < 1 || kc->vrid > 255) {
		xvs_log_err("VRRP_Instance(%s): bad virtual_router_id or too many addresses",
			    kc->name);
		return -EINVAL;
	}
	if (kc->unicast_src_ip.af == XVS_AF_INET)
		inst->src = kc->unicast_src_ip.addr;
	else if (kc->mcast_src_ip.af == XVS_AF_INET)
		inst->src = kc->mcast_src_ip.addr;
	else if ((err = xvs_vrrp_net_primary4(inst->iface->ifindex, &inst->src))) {
		xvs_log_err("VRRP_Instance(%s): no IPv4 address on %s to send from",
			    kc->name, inst->iface->name);
		return err;
	}
	if (v->kc->global.vrrp_mcast_group4.af == XVS_AF_INET)
		inst->mcast = v->kc->global.vrrp_mcast_group4.addr;
	else
		xvs_addr_parse(XVS_VRRP_MCAST4, &cfg.af, &inst->mcast);

	inst->vip_addrs = calloc(kc->n_vips + 1, sizeof(*inst->vip_addrs));
	inst->peers = calloc(kc->n_unicast_peer + 1, sizeof(*inst->peers));
	inst->track_ifindex = calloc(kc->n_track_interface + 1, sizeof(int));
	if (!inst->vip_addrs || !inst->peers || !inst->track_ifindex)
		return -ENOMEM;
	for (size_t i = 0; i < kc->n_vips; i++)
		inst->vip_addrs[i] = kc->vips[i].addr.addr;
	for (size_t i = 0; i < kc->n_unicast_peer; i++)
		inst->peers[i] = kc->unicast_peer[i].addr.addr;
	for (size_t i = 0; i < kc->n_track_interface; i++) {
		uint8_t mac[6];

		if (xvs_vrrp_net_iface_info(kc->track_interface[i].name,
					    &inst->track_ifindex[i], mac)) {
			xvs_log_err("VRRP_Instance(%s): track_interface %s does not exist",
				    kc->name, kc->track_interface[i].name);
			return -ENODEV;
		}
	}
	for (size_t i = 0; i < kc->n_track_script; i++)
		if (!script_find(v, kc->track_script[i].name)) {
			xvs_log_err("VRRP_Instance(%s): track_script %s: no such vrrp_script",
				    kc->name, kc->track_script[i].name);
			return -ENOENT;
		}

	inst->exp = (struct xvs_vrrp_expect){
		.version = (uint8_t)(kc->version == 3 ? 3 : 2), .vrid = (uint8_t)kc->vrid,
		.af = XVS_AF_INET, .n_addrs = (uint8_t)kc->n_vips,
		.unicast = kc->n_unicast_peer > 0,
		.adver_int_cs = (uint16_t)(kc->advert_int_us / 10000),
		.peers = inst->peers, .n_peers = (int)kc->n_unicast_peer,
	};
	/* keepalived authenticates v2 only: VRRPv3 has no auth field. */
	if (inst->exp.version == 2 && kc->auth_type == XVS_KC_AUTH_PASS) {
		inst->exp.auth_type = XVS_VRRP_AUTH_PASS;
		/* Only the first 8 characters count; shorter ones are zero padded. */
		memcpy(inst->exp.auth, kc->auth_pass,
		       strnlen(kc->auth_pass, sizeof(inst->exp.auth)));
	}
	if (!inst->exp.adver_int_cs)
		inst->exp.adver_int_cs = 1;
	cfg = (struct xvs_vrrp_fsm_cfg){
		.version = inst->exp.version, .af = XVS_AF_INET,
		.priority = (uint8_t)kc->priority, .want_master = kc->state == XVS_KC_VRRP_MASTER,
		.nopreempt = kc->nopreempt, .preempt_delay_ms = (uint32_t)(kc->preempt_delay_us / 1000),
		/* v2 speaks whole seconds on the wire: time with what is sent. */
		.adver_int_cs = inst->exp.version == 2 ?
			(uint16_t)(((inst->exp.adver_int_cs + 50) / 100 ? : 1) * 100) :
			inst->exp.adver_int_cs,
		.primary = inst->src,
	};
	xvs_vrrp_fsm_init(&inst->fsm, &cfg);
	return 0;
}

static int scripts_setup(struct xvs_vrrp *v)
{
	const struct xvs_kconf *kc = v->kc;

	v->scripts = calloc(kc->n_vrrp_scripts + 1, sizeof(*v->scripts));
	if (!v->scripts)
		return -ENOMEM;
	for (size_t i = 0; i < kc->n_vrrp_scripts; i++) {
		struct vrrp_script *s = &v->scripts[v->n_scripts];

		s->kc = &kc->vrrp_scripts[i];
		s->pidfd = -1;
		s->up = !s->kc->init_fail;
		if (!s->kc->script || !(s->argv = xvs_vrrp_split_cmd(s->kc->script))) {
			xvs_log_err("VRRP_Script(%s): no usable script line", s->kc->name);
			return -EINVAL;
		}
		xvs_log_dbg("VRRP_Script(%s): interval %llu ms, timeout %llu ms, weight %d, "
			    "fall %d, rise %d%s", s->kc->name,
			    (unsigned long long)s->kc->interval_us / 1000,
			    (unsigned long long)s->kc->timeout_us / 1000, s->kc->weight,
			    s->kc->fall, s->kc->rise, s->up ? "" : ", starts failed");
		v->n_scripts++;
	}
	return 0;
}

static int groups_setup(struct xvs_vrrp *v)
{
	const struct xvs_kconf *kc = v->kc;

	v->groups = calloc(kc->n_vrrp_sync_groups + 1, sizeof(*v->groups));
	if (!v->groups)
		return -ENOMEM;
	for (size_t g = 0; g < kc->n_vrrp_sync_groups; g++) {
		struct vrrp_group *grp = &v->groups[v->n_groups++];

		grp->kc = &kc->vrrp_sync_groups[g];
		grp->notified = XVS_VRRP_INIT;
		grp->members = calloc(grp->kc->n_members + 1, sizeof(*grp->members));
		if (!grp->members)
			return -ENOMEM;
		for (size_t m = 0; m < grp->kc->n_members; m++) {
			struct vrrp_inst *inst = NULL;

			for (size_t i = 0; i < v->n_insts && !inst; i++)
				if (!strcmp(v->insts[i].kc->name, grp->kc->members[m]))
					inst = &v->insts[i];
			if (!inst) {
				xvs_log_err("VRRP_Group(%s): no vrrp_instance %s", grp->kc->name,
					    grp->kc->members[m]);
				return -ENOENT;
			}
			inst->group = grp;
			grp->members[grp->n_members++] = inst;
		}
		for (size_t i = 0; i < grp->kc->n_track_script; i++)
			if (!script_find(v, grp->kc->track_script[i].name)) {
				xvs_log_err("VRRP_Group(%s): track_script %s: no such vrrp_script",
					    grp->kc->name, grp->kc->track_script[i].name);
				return -ENOENT;
			}
	}
	return 0;
}

struct xvs_vrrp *xvs_vrrp_new(const struct xvs_kconf *kc)
{
	struct xvs_vrrp *v = calloc(1, sizeof(*v));
	int err = -ENOMEM;

	if (!v)
		return NULL;
	v->kc = kc;
	v->ep_fd = v->timer_fd = -1;
	v->ifaces = calloc(kc->n_vrrp_instances + 1, sizeof(*v->ifaces));
	v->insts = calloc(kc->n_vrrp_instances + 1, sizeof(*v->insts));
	if (!v->ifaces || !v->insts)
		goto err;
	if ((err = scripts_setup(v)))
		goto err;
	for (size_t i = 0; i < kc->n_vrrp_instances; i++) {
		v->n_insts++;
		if ((err = inst_setup(v, &v->insts[i], &kc->vrrp_instances[i])))
			goto err;
	}
	if ((err = groups_setup(v)))
		goto err;
	return v;
err:
	xvs_vrrp_free(v);
	errno = -err;
	return NULL;
}

/* ---- tracking: effective priority and FAULT ---- */

/* A weight's contribution (keepalived): + while up, - while down, 0 = fault. */
static void apply_weight(int weight, bool reverse, bool up, int *delta, bool *fault)
{
	if (reverse)
		up = !up;
	if (weight == 0)
		*fault |= !up;
	else if (weight > 0 && up)
		*delta += weight;
	else if (weight < 0 && !up)
		*delta += weight;
}

static void track_scripts(struct xvs_vrrp *v, const struct xvs_kc_track *t, size_t n,
			  int *delta, bool *fault)
{
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_script *s = script_find(v, t[i].name);
		int w = t[i].has_weight ? t[i].weight : s->kc->weight;
		bool rev = t[i].has_weight ? t[i].reverse : s->kc->weight_reverse;

		apply_weight(w, rev, s->up, delta, fault);
	}
}

/* The instance's own view: its effective priority and whether it is faulty. */
static uint8_t inst_track(struct vrrp_inst *inst, bool *fault)
{
	const struct xvs_kc_vrrp_instance *kc = inst->kc;
	int delta = 0, prio;

	*fault = !kc->dont_track_primary && !inst->iface->running;
	for (size_t i = 0; i < kc->n_track_interface; i++)
		apply_weight(kc->track_interface[i].has_weight ? kc->track_interface[i].weight : 0,
			     kc->track_interface[i].reverse,
			     xvs_vrrp_net_link_running(inst->track_ifindex[i]), &delta, fault);
	track_scripts(inst->v, kc->track_script, kc->n_track_script, &delta, fault);
	if (inst->group)
		track_scripts(inst->v, inst->group->kc->track_script,
			      inst->group->kc->n_track_script, &delta, fault);
	/* The address owner keeps 255 (keepalived ignores weights there). */
	if (kc->priority == XVS_VRRP_PRIO_OWNER)
		return XVS_VRRP_PRIO_OWNER;
	prio = kc->priority + delta;
	return (uint8_t)(prio < 1 ? 1 : prio > 254 ? 254 : prio);
}

static bool group_faulty(const struct vrrp_group *g)
{
	for (size_t i = 0; g && i < g->n_members; i++)
		if (g->members[i]->own_fault)
			return true;
	return false;
}

/* ---- carrying out state changes ---- */

static void notify(struct xvs_vrrp *v, const char *kind, const char *name,
		   const char *specific, const char *all, const char *state, uint8_t prio)
{
	char prio_s[4];
	const char *extra[] = { kind, name, state, prio_s, NULL };

	snprintf(prio_s, sizeof(prio_s), "%u", prio);
	if (specific)
		xvs_vrrp_run_notify(v, specific, NULL);
	if (all)
		xvs_vrrp_run_notify(v, all, extra);
}

static const char *notify_script(const char *m, const char *b, const char *f, const char *s,
				 enum xvs_vrrp_state st, bool stop)
{
	if (stop)
		return s;
	return st == XVS_VRRP_MASTER ? m : st == XVS_VRRP_BACKUP ? b :
	       st == XVS_VRRP_FAULT ? f : NULL;
}

static void inst_notify(struct vrrp_inst *inst, bool stop)
{
	const struct xvs_kc_vrrp_instance *kc = inst->kc;
	enum xvs_vrrp_state st = inst->fsm.state;

	if (!stop && (st == inst->notified || st == XVS_VRRP_INIT))
		return;
	inst->notified = st;
	xvs_log_info("VRRP_Instance(%s) Entering %s STATE (priority %u)", kc->name,
		     stop ? "STOP" : xvs_vrrp_state_name(st), inst->fsm.prio);
	notify(inst->v, "INSTANCE", kc->name,
	       notify_script(kc->notify_master, kc->notify_backup, kc->notify_fault,
			     kc->notify_stop, st, stop),
	       kc->notify, stop ? "STOP" : xvs_vrrp_state_name(st), inst->fsm.prio);
}

/* A group is MASTER when all members are, FAULT when one is, else BACKUP. */
static void group_notify(struct vrrp_group *g, bool stop)
{
	enum xvs_vrrp_state st = XVS_VRRP_MASTER;
	const struct xvs_kc_vrrp_sync_group *kc = g->kc;

	for (size_t i = 0; i < g->n_members; i++) {
		enum xvs_vrrp_state m = g->members[i]->fsm.state;

		if (m == XVS_VRRP_FAULT)
			st = XVS_VRRP_FAULT;
		else if (m != XVS_VRRP_MASTER && st != XVS_VRRP_FAULT)
			st = XVS_VRRP_BACKUP;
	}
	if (!stop && st == g->notified)
		return;
	g->notified = st;
	xvs_log_info("VRRP_Group(%s) Syncing instances to %s state", kc->name,
		     stop ? "STOP" : xvs_vrrp_state_name(st));
	notify(g->members[0]->v, "GROUP", kc->name,
	       notify_script(kc->notify_master, kc->notify_backup, kc->notify_fault,
			     kc->notify_stop, st, stop),
	       kc->notify, stop ? "STOP" : xvs_vrrp_state_name(st), 0);
}

static void send_advert(struct vrrp_inst *inst, uint8_t prio)
{
	int err = xvs_vrrp_net_send(inst, prio);

	if (err)
		xvs_log_warn("VRRP_Instance(%s): cannot send advert: %s", inst->kc->name,
			     strerror(-err));
}

/*
 * Carry out the actions an event returned and what a move between
 * states means. Becoming master (reference 6): advert, addresses,
 * garp_master_repeat gratuitous ARPs, again after garp_master_delay.
 * Leaving it: the priority 0 release (if asked) before the addresses go.
 */
static void inst_after(struct vrrp_inst *inst, enum xvs_vrrp_state old, unsigned int act,
		       bool sync)
{
	enum xvs_vrrp_state st = inst->fsm.state;
	uint64_t now = xvs_vrrp_now_ms();

	if (act & XVS_VRRP_ACT_RELEASE)
		send_advert(inst, XVS_VRRP_PRIO_RELEASE);
	if (act & XVS_VRRP_ACT_ADVERT)
		send_advert(inst, inst->fsm.prio);
	if (st == old)
		return;
	if (st == XVS_VRRP_MASTER) {
		inst->became_master++;
		xvs_vrrp_addr_apply(inst, true);
		xvs_vrrp_addr_garp(inst);
		inst->garp_at = inst->kc->garp_master_delay > 0 ?
				now + (uint64_t)inst->kc->garp_master_delay * 1000 : XVS_VRRP_NEVER;
	} else if (old == XVS_VRRP_MASTER) {
		xvs_vrrp_addr_apply(inst, false);
		inst->garp_at = XVS_VRRP_NEVER;
	}
	inst_notify(inst, false);
	if (!inst->group)
		return;
	/* vrrp_sync_group: the other members follow a move to MASTER or BACKUP. */
	if (sync && (st == XVS_VRRP_MASTER || st == XVS_VRRP_BACKUP)) {
		for (size_t i = 0; i < inst->group->n_members; i++) {
			struct vrrp_inst *m = inst->group->members[i];
			enum xvs_vrrp_state mold = m->fsm.state;

			if (m != inst)
				inst_after(m, mold, xvs_vrrp_fsm_follow(&m->fsm, now, st), false);
		}
	}
	group_notify(inst->group, false);
}

/* Re-evaluate tracking for every instance: priorities and FAULT. */
static void track_all(struct xvs_vrrp *v, uint64_t now)
{
	for (size_t i = 0; i < v->n_ifaces; i++)
		v->ifaces[i].running = xvs_vrrp_net_link_running(v->ifaces[i].ifindex);
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];
		bool fault;
		uint8_t prio = inst_track(inst, &fault);

		inst->own_fault = fault;
		if (prio != inst->fsm.prio)
			inst_after(inst, inst->fsm.state, xvs_vrrp_fsm_set_prio(&inst->fsm, now, prio),
				   true);
	}
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];
		bool faulty = inst->own_fault || group_faulty(inst->group);
		enum xvs_vrrp_state old = inst->fsm.state;

		if (faulty && old != XVS_VRRP_FAULT)
			xvs_log_warn("VRRP_Instance(%s): tracked %s down: FAULT", inst->kc->name,
				     inst->own_fault ? "interface or script" : "sync group member");
		inst_after(inst, old, xvs_vrrp_fsm_fault(&inst->fsm, now, faulty), true);
	}
}

static void rearm(struct xvs_vrrp *v)
{
	uint64_t next = v->next_link_poll, t;
	struct itimerspec its = { 0 };

	for (size_t i = 0; i < v->n_insts; i++) {
		t = xvs_vrrp_fsm_next(&v->insts[i].fsm);
		if (t < next)
			next = t;
		if (v->insts[i].garp_at < next)
			next = v->insts[i].garp_at;
	}
	t = xvs_vrrp_scripts_next(v);
	if (t < next)
		next = t;
	/* An absolute expiry of 0 would disarm the timer: at least 1 ms. */
	its.it_value.tv_sec = (time_t)(next / 1000);
	its.it_value.tv_nsec = (long)(next % 1000) * 1000000 + 1;
	timerfd_settime(v->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void on_timer(struct xvs_vrrp *v)
{
	uint64_t now = xvs_vrrp_now_ms(), exp;

	if (read(v->timer_fd, &exp, sizeof(exp)) < 0 && errno != EAGAIN)
		xvs_log_warn("VRRP: timer: %s", strerror(errno));
	if (xvs_vrrp_scripts_tick(v, now) || now >= v->next_link_poll) {
		v->next_link_poll = now + VRRP_LINK_POLL_MS;
		track_all(v, now);
	}
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];
		enum xvs_vrrp_state old = inst->fsm.state;

		inst_after(inst, old, xvs_vrrp_fsm_timer(&inst->fsm, now), true);
		if (inst->fsm.state == XVS_VRRP_MASTER && now >= inst->garp_at) {
			xvs_vrrp_addr_garp(inst);
			inst->garp_at = XVS_VRRP_NEVER;
		}
	}
}

void xvs_vrrp_inst_rx(struct vrrp_inst *inst, const struct xvs_vrrp_advert *a,
		      const union xvs_addr *src)
{
	enum xvs_vrrp_state old = inst->fsm.state;

	inst->rx_adverts++;
	inst_after(inst, old, xvs_vrrp_fsm_rx(&inst->fsm, xvs_vrrp_now_ms(), a, src), true);
}

void xvs_vrrp_count_drop(struct vrrp_iface *ifc, struct vrrp_inst *inst,
			 enum xvs_vrrp_drop d, const union xvs_addr *src)
{
	char a[INET6_ADDRSTRLEN] = "?";
	uint64_t now = xvs_vrrp_now_ms();

	if (src)
		xvs_addr_fmt(XVS_AF_INET, src, a, sizeof(a));
	if (!inst) {
		ifc->drops[d]++;
		xvs_log_dbg("VRRP: %s: dropped a packet from %s: %s", ifc->name, a,
			    xvs_vrrp_drop_name(d));
		return;
	}
	inst->drops[d]++;
	if (now >= inst->drop_logged) {
		inst->drop_logged = now + VRRP_DROP_LOG_MS;
		xvs_log_warn("VRRP_Instance(%s): dropped an advert from %s: %s (%llu so far)",
			     inst->kc->name, a, xvs_vrrp_drop_name(d),
			     (unsigned long long)inst->drops[d]);
	}
}

/* ---- the loop interface ---- */

static int watch_fd(struct xvs_vrrp *v, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(v->ep_fd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int xvs_vrrp_start(struct xvs_vrrp *v, int ep_fd)
{
	uint64_t now = xvs_vrrp_now_ms();
	int err;

	v->ep_fd = ep_fd;
	if (!v->n_insts)
		return 0;
	v->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (v->timer_fd < 0)
		return -errno;
	if ((err = watch_fd(v, v->timer_fd)))
		return err;
	for (size_t i = 0; i < v->n_ifaces; i++) {
		if ((err = xvs_vrrp_net_open_rx(&v->ifaces[i], v)) ||
		    (err = watch_fd(v, v->ifaces[i].rx_fd))) {
			xvs_log_err("VRRP: cannot listen on %s: %s", v->ifaces[i].name,
				    strerror(-err));
			return err;
		}
	}
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];

		if ((err = xvs_vrrp_net_open_tx(inst))) {
			char a[INET6_ADDRSTRLEN];

			xvs_log_err("VRRP_Instance(%s): cannot send from %s: %s", inst->kc->name,
				    xvs_addr_fmt(inst->exp.af, &inst->src, a, sizeof(a)),
				    strerror(-err));
			return err;
		}
		/* A carried master puts its (new) addresses up again below. */
		if (inst->carried && inst->fsm.state == XVS_VRRP_MASTER) {
			xvs_vrrp_addr_apply(inst, true);
			continue;
		}
		/* Leftovers of a previous run that died as master go first. */
		inst->vips_set = true;
		xvs_vrrp_addr_apply(inst, false);
		inst->garp_at = XVS_VRRP_NEVER;
	}
	for (size_t i = 0; i < v->n_scripts; i++)
		v->scripts[i].next_run = now;
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];
		bool fault;
		uint8_t prio = inst_track(inst, &fault);

		inst->own_fault = fault;
		/* A carried master advertises a priority the reload changed. */
		if (inst->carried)
			inst_after(inst, inst->fsm.state,
				   xvs_vrrp_fsm_set_prio(&inst->fsm, now, prio), false);
		else
			inst->fsm.prio = prio;
	}
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];
		bool faulty = inst->own_fault || group_faulty(inst->group);

		if (!inst->carried)
			inst_after(inst, XVS_VRRP_INIT,
				   xvs_vrrp_fsm_start(&inst->fsm, now, faulty), true);
	}
	v->next_link_poll = now + VRRP_LINK_POLL_MS;
	rearm(v);
	xvs_log_info("VRRP: %zu instance(s) on %zu interface(s) started", v->n_insts, v->n_ifaces);
	return 0;
}

bool xvs_vrrp_handle(struct xvs_vrrp *v, int fd)
{
	bool ours = false;

	if (!v || fd < 0)
		return false;
	if (fd == v->timer_fd) {
		on_timer(v);
		ours = true;
	}
	for (size_t i = 0; !ours && i < v->n_ifaces; i++)
		if (fd == v->ifaces[i].rx_fd) {
			xvs_vrrp_net_receive(v, &v->ifaces[i]);
			ours = true;
		}
	for (size_t i = 0; !ours && i < v->n_scripts; i++)
		if (v->scripts[i].pid && fd == v->scripts[i].pidfd) {
			if (xvs_vrrp_script_reap(v, &v->scripts[i]))
				track_all(v, xvs_vrrp_now_ms());
			ours = true;
		}
	for (int i = 0; !ours && i < VRRP_MAX_CHILDREN; i++)
		if (v->children[i].pid && fd == v->children[i].pidfd) {
			xvs_vrrp_child_reap(v, &v->children[i]);
			ours = true;
		}
	if (ours && !v->stopped)
		rearm(v);
	return ours;
}

void xvs_vrrp_stop(struct xvs_vrrp *v)
{
	uint64_t now = xvs_vrrp_now_ms();

	if (!v || v->stopped)
		return;
	v->stopped = true;
	for (size_t i = 0; i < v->n_insts; i++) {
		struct vrrp_inst *inst = &v->insts[i];

		if (inst->tx_fd < 0 || inst->carried)
			continue;
		/* RFC 5798 6.4.3 Shutdown: "Send an ADVERTISEMENT with Priority = 0". */
		if (xvs_vrrp_fsm_stop(&inst->fsm, now) & XVS_VRRP_ACT_RELEASE)
			send_advert(inst, XVS_VRRP_PRIO_RELEASE);
		xvs_vrrp_addr_apply(inst, false);
		inst_notify(inst, true);
	}
	for (size_t g = 0; g < v->n_groups; g++)
		if (v->groups[g].n_members && !v->groups[g].members[0]->carried)
			group_notify(&v->groups[g], true);
}

/* The old instance that nv's instance inst continues, or NULL. */
static struct vrrp_inst *old_twin(struct xvs_vrrp *old, const struct vrrp_inst *inst)
{
	for (size_t i = 0; i < old->n_insts; i++) {
		struct vrrp_inst *o = &old->insts[i];

		if (!strcmp(o->kc->name, inst->kc->name) && o->exp.vrid == inst->exp.vrid &&
		    !strcmp(o->iface->name, inst->iface->name) && !o->carried)
			return o;
	}
	return NULL;
}

int xvs_vrrp_reload(struct xvs_vrrp **vp, const struct xvs_kconf *new_kc, int ep_fd)
{
	struct xvs_vrrp *old = *vp, *nv = xvs_vrrp_new(new_kc);
	int err;

	if (!nv)
		return -errno;
	for (size_t i = 0; old && i < nv->n_insts; i++) {
		struct vrrp_inst *inst = &nv->insts[i], *o = old_twin(old, inst);
		struct xvs_vrrp_fsm_cfg cfg = inst->fsm.cfg;

		if (!o)
			continue;
		/* Same router: keep its state and timers, take the new settings. */
		inst->fsm = o->fsm;
		inst->fsm.cfg = cfg;
		inst->notified = o->notified;
		inst->became_master = o->became_master;
		inst->rx_adverts = o->rx_adverts;
		inst->tx_adverts = o->tx_adverts;
		memcpy(inst->drops, o->drops, sizeof(inst->drops));
		inst->garp_at = XVS_VRRP_NEVER;
		inst->carried = o->carried = true;
		/* The old address list goes; the new one comes up in start. */
		xvs_vrrp_addr_apply(o, false);
	}
	/* Instances gone from the config stop as at shutdown; the rest are quiet. */
	xvs_vrrp_stop(old);
	/* Running notify scripts (their pidfds are in ep_fd) stay watched. */
	if (old) {
		memcpy(nv->children, old->children, sizeof(nv->children));
		memset(old->children, 0, sizeof(old->children));
	}
	xvs_vrrp_free(old);
	*vp = nv;
	/* Past this point new_kc is in use: a start failure is logged, not returned. */
	err = xvs_vrrp_start(nv, ep_fd);
	if (err)
		xvs_log_err("VRRP: reload: not every instance could start: %s", strerror(-err));
	return 0;
}

void xvs_vrrp_free(struct xvs_vrrp *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n_scripts; i++) {
		struct vrrp_script *s = &v->scripts[i];

		if (s->pid) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			close(s->pidfd);
		}
		xvs_vrrp_free_argv(s->argv);
	}
	for (int i = 0; i < VRRP_MAX_CHILDREN; i++)
		if (v->children[i].pid)
			close(v->children[i].pidfd);	/* notify scripts finish on their own */
	for (size_t i = 0; i < v->n_insts; i++) {
		if (v->insts[i].tx_fd >= 0)
			close(v->insts[i].tx_fd);
		free(v->insts[i].vip_addrs);
		free(v->insts[i].peers);
		free(v->insts[i].track_ifindex);
	}
	for (size_t i = 0; i < v->n_ifaces; i++)
		if (v->ifaces[i].rx_fd >= 0)
			close(v->ifaces[i].rx_fd);
	for (size_t g = 0; g < v->n_groups; g++)
		free(v->groups[g].members);
	if (v->timer_fd >= 0)
		close(v->timer_fd);
	free(v->groups);
	free(v->scripts);
	free(v->insts);
	free(v->ifaces);
	free(v);
}
