// SPDX-License-Identifier: GPL-2.0
/* vrrp_fsm.c - the VRRP state machine, see vrrp_fsm.h. */
#include <string.h>

#include "vrrp_fsm.h"

static size_t addr_len(uint8_t af)
{
	return af == XVS_AF_INET6 ? 16 : 4;
}

void xvs_vrrp_fsm_init(struct xvs_vrrp_fsm *fsm, const struct xvs_vrrp_fsm_cfg *cfg)
{
	memset(fsm, 0, sizeof(*fsm));
	fsm->cfg = *cfg;
	fsm->state = XVS_VRRP_INIT;
	fsm->prio = cfg->priority;
	fsm->master_adver_int_cs = cfg->adver_int_cs;
	fsm->adver_at = XVS_VRRP_NEVER;
	fsm->down_at = XVS_VRRP_NEVER;
}

/*
 * RFC 3768 6.1: Skew_Time = (256 - Priority) / 256 seconds; RFC 5798 6.1:
 * ((256 - Priority) * Master_Adver_Interval) / 256.
 */
uint64_t xvs_vrrp_fsm_skew_ms(const struct xvs_vrrp_fsm *fsm)
{
	uint64_t base_ms = fsm->cfg.version == 2 ? 1000 : fsm->master_adver_int_cs * 10ull;

	return (256 - fsm->prio) * base_ms / 256;
}

/* Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time. */
uint64_t xvs_vrrp_fsm_down_ms(const struct xvs_vrrp_fsm *fsm)
{
	return 3 * fsm->master_adver_int_cs * 10ull + xvs_vrrp_fsm_skew_ms(fsm);
}

static unsigned int to_master(struct xvs_vrrp_fsm *fsm, uint64_t now)
{
	fsm->state = XVS_VRRP_MASTER;
	fsm->down_at = XVS_VRRP_NEVER;
	fsm->preempt_at = 0;
	fsm->adver_at = now + fsm->cfg.adver_int_cs * 10ull;
	fsm->master = fsm->cfg.primary;
	fsm->master_prio = fsm->prio;
	fsm->master_known = true;
	return XVS_VRRP_ACT_ADVERT;
}

static void to_backup(struct xvs_vrrp_fsm *fsm, uint64_t now)
{
	fsm->state = XVS_VRRP_BACKUP;
	fsm->adver_at = XVS_VRRP_NEVER;
	fsm->down_at = now + xvs_vrrp_fsm_down_ms(fsm);
}

/* Note who the master is, and adopt its interval (RFC 5798 6.4.2). */
static void learn_master(struct xvs_vrrp_fsm *fsm, const struct xvs_vrrp_advert *a,
			 const union xvs_addr *src)
{
	fsm->master = *src;
	fsm->master_prio = a->priority;
	fsm->master_known = true;
	if (fsm->cfg.version == 3 && a->adver_int_cs)
		fsm->master_adver_int_cs = a->adver_int_cs;
}

unsigned int xvs_vrrp_fsm_start(struct xvs_vrrp_fsm *fsm, uint64_t now, bool faulty)
{
	fsm->master_known = false;
	fsm->master_adver_int_cs = fsm->cfg.adver_int_cs;
	fsm->preempt_at = 0;
	if (faulty) {
		fsm->state = XVS_VRRP_FAULT;
		fsm->adver_at = fsm->down_at = XVS_VRRP_NEVER;
		return 0;
	}
	/* RFC 5798 6.4.1: "If the Priority = 255 ... transition to {Master}". */
	if (fsm->prio == XVS_VRRP_PRIO_OWNER)
		return to_master(fsm, now);
	to_backup(fsm, now);
	/* keepalived's preempt_delay also holds back preemption after startup. */
	if (fsm->cfg.preempt_delay_ms && !fsm->cfg.nopreempt)
		fsm->preempt_at = now + fsm->cfg.preempt_delay_ms;
	return 0;
}

/*
 * RFC 5798 6.4.2 (Backup): priority 0 -> Master_Down = Skew_Time; else
 * reset the timer "if Preempt_Mode is False, or if the Priority in the
 * ADVERTISEMENT is greater than or equal to the local Priority",
 * otherwise discard (and so preempt when the timer fires). keepalived
 * also resets it while a preempt_delay, started by the first
 * lower-priority advert, runs.
 */
static unsigned int rx_backup(struct xvs_vrrp_fsm *fsm, uint64_t now,
			      const struct xvs_vrrp_advert *a, const union xvs_addr *src)
{
	bool hold = fsm->cfg.nopreempt || a->priority >= fsm->prio;

	if (a->priority == XVS_VRRP_PRIO_RELEASE) {
		fsm->master_known = false;
		fsm->down_at = now + xvs_vrrp_fsm_skew_ms(fsm);
		return 0;
	}
	if (a->priority >= fsm->prio)
		fsm->preempt_at = 0;
	else if (!hold && fsm->cfg.preempt_delay_ms) {
		if (!fsm->preempt_at)
			fsm->preempt_at = now + fsm->cfg.preempt_delay_ms;
		hold = now < fsm->preempt_at;
	}
	if (!hold)
		return 0;
	learn_master(fsm, a, src);
	fsm->down_at = now + xvs_vrrp_fsm_down_ms(fsm);
	return 0;
}

/*
 * RFC 5798 6.4.3 (Master): priority 0 -> advertise at once. A higher
 * priority, or an equal one from a higher primary address, wins: go
 * Backup. A lower one is discarded by the RFC; keepalived answers it
 * with an advert at once, so that a peer that wrongly took over (a
 * partition that healed) steps back without waiting a whole interval.
 */
static unsigned int rx_master(struct xvs_vrrp_fsm *fsm, uint64_t now,
			      const struct xvs_vrrp_advert *a, const union xvs_addr *src)
{
	int cmp = memcmp(src, &fsm->cfg.primary, addr_len(fsm->cfg.af));

	if (a->priority == XVS_VRRP_PRIO_RELEASE ||
	    a->priority < fsm->prio || (a->priority == fsm->prio && cmp < 0)) {
		fsm->adver_at = now + fsm->cfg.adver_int_cs * 10ull;
		return XVS_VRRP_ACT_ADVERT;
	}
	if (a->priority == fsm->prio && cmp == 0)
		return 0;	/* our own advert, looped back */
	learn_master(fsm, a, src);
	to_backup(fsm, now);
	return 0;
}

unsigned int xvs_vrrp_fsm_rx(struct xvs_vrrp_fsm *fsm, uint64_t now,
			     const struct xvs_vrrp_advert *a, const union xvs_addr *src)
{
	switch (fsm->state) {
	case XVS_VRRP_BACKUP:
		return rx_backup(fsm, now, a, src);
	case XVS_VRRP_MASTER:
		return rx_master(fsm, now, a, src);
	default:
		return 0;	/* INIT and FAULT listen to nobody */
	}
}

unsigned int xvs_vrrp_fsm_timer(struct xvs_vrrp_fsm *fsm, uint64_t now)
{
	if (fsm->state == XVS_VRRP_MASTER && now >= fsm->adver_at) {
		fsm->adver_at = now + fsm->cfg.adver_int_cs * 10ull;
		return XVS_VRRP_ACT_ADVERT;
	}
	if (fsm->state == XVS_VRRP_BACKUP && now >= fsm->down_at)
		return to_master(fsm, now);
	return 0;
}

uint64_t xvs_vrrp_fsm_next(const struct xvs_vrrp_fsm *fsm)
{
	if (fsm->state == XVS_VRRP_MASTER)
		return fsm->adver_at;
	if (fsm->state == XVS_VRRP_BACKUP)
		return fsm->down_at;
	return XVS_VRRP_NEVER;
}

unsigned int xvs_vrrp_fsm_set_prio(struct xvs_vrrp_fsm *fsm, uint64_t now, uint8_t prio)
{
	if (prio == fsm->prio)
		return 0;
	fsm->prio = prio;
	if (fsm->state != XVS_VRRP_MASTER)
		return 0;
	fsm->master_prio = prio;
	fsm->adver_at = now + fsm->cfg.adver_int_cs * 10ull;
	return XVS_VRRP_ACT_ADVERT;
}

unsigned int xvs_vrrp_fsm_fault(struct xvs_vrrp_fsm *fsm, uint64_t now, bool faulty)
{
	unsigned int act = 0;

	if (faulty == (fsm->state == XVS_VRRP_FAULT) || fsm->state == XVS_VRRP_INIT)
		return 0;
	if (!faulty)
		return xvs_vrrp_fsm_start(fsm, now, false);
	if (fsm->state == XVS_VRRP_MASTER)
		act = XVS_VRRP_ACT_RELEASE;
	fsm->state = XVS_VRRP_FAULT;
	fsm->master_known = false;
	fsm->adver_at = fsm->down_at = XVS_VRRP_NEVER;
	return act;
}

unsigned int xvs_vrrp_fsm_stop(struct xvs_vrrp_fsm *fsm, uint64_t now)
{
	unsigned int act = fsm->state == XVS_VRRP_MASTER ? XVS_VRRP_ACT_RELEASE : 0;

	(void)now;
	fsm->state = XVS_VRRP_INIT;
	fsm->master_known = false;
	fsm->adver_at = fsm->down_at = XVS_VRRP_NEVER;
	return act;
}

unsigned int xvs_vrrp_fsm_follow(struct xvs_vrrp_fsm *fsm, uint64_t now,
				 enum xvs_vrrp_state to)
{
	if (fsm->state == to || (fsm->state != XVS_VRRP_MASTER && fsm->state != XVS_VRRP_BACKUP))
		return 0;
	if (to == XVS_VRRP_MASTER)
		return to_master(fsm, now);
	if (to == XVS_VRRP_BACKUP)
		to_backup(fsm, now);
	return 0;
}

const char *xvs_vrrp_state_name(enum xvs_vrrp_state s)
{
	static const char *const names[XVS_VRRP_STATE_MAX] = {
		[XVS_VRRP_INIT] = "INIT",
		[XVS_VRRP_BACKUP] = "BACKUP",
		[XVS_VRRP_MASTER] = "MASTER",
		[XVS_VRRP_FAULT] = "FAULT",
	};

	return (unsigned int)s < XVS_VRRP_STATE_MAX ? names[s] : "?";
}
