/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_fsm.h - the VRRP state machine of one virtual router (RFC 3768
 * section 6, RFC 5798 section 6) with keepalived's nopreempt and
 * preempt_delay. Pure logic: the caller feeds it events with the current
 * time in milliseconds (any monotonic origin) and carries out the actions
 * it returns; it owns no socket, timer or address. Unit-testable with a
 * fake clock.
 *
 * State changes are visible as fsm->state before and after a call; the
 * caller adds or removes the virtual addresses and runs notify scripts on
 * a change into or out of MASTER.
 */
#ifndef XVS_VRRP_FSM_H
#define XVS_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrp_pkt.h"

/* Numbers are exported in the status reply: append only. */
enum xvs_vrrp_state {
	XVS_VRRP_INIT = 0,
	XVS_VRRP_BACKUP,
	XVS_VRRP_MASTER,
	XVS_VRRP_FAULT,
	XVS_VRRP_STATE_MAX,
};

#define XVS_VRRP_PRIO_OWNER	255	/* owns the addresses: master at once */
#define XVS_VRRP_PRIO_RELEASE	0	/* "stopped participating" */
#define XVS_VRRP_NEVER		UINT64_MAX

/* Actions returned by the event functions (a bit mask). */
#define XVS_VRRP_ACT_ADVERT	0x1	/* send an advert with fsm->prio now */
#define XVS_VRRP_ACT_RELEASE	0x2	/* send an advert with priority 0 now */

struct xvs_vrrp_fsm_cfg {
	uint8_t version;		/* 2 or 3 */
	uint8_t af;
	uint8_t priority;		/* configured, 1..255 */
	bool want_master;		/* "state MASTER" */
	bool nopreempt;
	uint16_t adver_int_cs;		/* our advert interval, centiseconds */
	uint32_t preempt_delay_ms;
	union xvs_addr primary;		/* our source address: breaks ties */
};

struct xvs_vrrp_fsm {
	struct xvs_vrrp_fsm_cfg cfg;
	enum xvs_vrrp_state state;
	uint8_t prio;			/* effective priority (tracking applied) */
	uint8_t master_prio;		/* last advertised by the master */
	bool master_known;
	uint16_t master_adver_int_cs;	/* v3: learnt from the master */
	union xvs_addr master;		/* the master's address */
	uint64_t adver_at;		/* MASTER: next advert */
	uint64_t down_at;		/* BACKUP: master down timer */
	uint64_t preempt_at;		/* preempt_delay ends, 0 when not running */
};

/* Set up fsm in INIT with cfg; nothing is sent until xvs_vrrp_fsm_start. */
void xvs_vrrp_fsm_init(struct xvs_vrrp_fsm *fsm, const struct xvs_vrrp_fsm_cfg *cfg);

/*
 * RFC 5798 6.4.1, the Startup event: FAULT when faulty, MASTER at once for
 * the address owner (priority 255), BACKUP with the master down timer
 * otherwise. Returns actions.
 */
unsigned int xvs_vrrp_fsm_start(struct xvs_vrrp_fsm *fsm, uint64_t now, bool faulty);

/*
 * A valid advert a from src (checked by xvs_vrrp_check) arrived.
 * Returns actions.
 */
unsigned int xvs_vrrp_fsm_rx(struct xvs_vrrp_fsm *fsm, uint64_t now,
			     const struct xvs_vrrp_advert *a, const union xvs_addr *src);

/* Time passed: fire the advert or master down timer when due. Returns actions. */
unsigned int xvs_vrrp_fsm_timer(struct xvs_vrrp_fsm *fsm, uint64_t now);

/* The next time xvs_vrrp_fsm_timer has work, or XVS_VRRP_NEVER. */
uint64_t xvs_vrrp_fsm_next(const struct xvs_vrrp_fsm *fsm);

/*
 * The effective priority changed (track_script/track_interface weights).
 * A master advertises it at once. Returns actions.
 */
unsigned int xvs_vrrp_fsm_set_prio(struct xvs_vrrp_fsm *fsm, uint64_t now, uint8_t prio);

/*
 * Enter (faulty) or leave FAULT. A master entering FAULT releases with
 * priority 0; leaving FAULT starts over as at startup. Returns actions.
 */
unsigned int xvs_vrrp_fsm_fault(struct xvs_vrrp_fsm *fsm, uint64_t now, bool faulty);

/*
 * Shutdown (RFC 5798 6.4.3): a master sends priority 0; every state
 * goes to INIT. Returns actions.
 */
unsigned int xvs_vrrp_fsm_stop(struct xvs_vrrp_fsm *fsm, uint64_t now);

/*
 * Move to MASTER or BACKUP because a vrrp_sync_group member did; no-op
 * in FAULT or INIT, or when already there. Returns actions.
 */
unsigned int xvs_vrrp_fsm_follow(struct xvs_vrrp_fsm *fsm, uint64_t now,
				 enum xvs_vrrp_state to);

/* Skew_Time and Master_Down_Interval in ms for the current priority. */
uint64_t xvs_vrrp_fsm_skew_ms(const struct xvs_vrrp_fsm *fsm);
uint64_t xvs_vrrp_fsm_down_ms(const struct xvs_vrrp_fsm *fsm);

/* "INIT", "BACKUP", "MASTER", "FAULT", as keepalived names them. */
const char *xvs_vrrp_state_name(enum xvs_vrrp_state s);

#endif
