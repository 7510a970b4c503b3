/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp.h - xvsd's VRRP: the vrrp_instance, vrrp_script and
 * vrrp_sync_group blocks of keepalived.conf brought to life in xvsd's
 * epoll loop. Adverts go out and come in on raw IPPROTO 112 sockets
 * (multicast 224.0.0.18 or unicast peers), the virtual addresses and
 * routes are added and removed over rtnetlink, gratuitous ARPs go out on
 * AF_PACKET, scripts run as child processes watched through pidfds.
 * See docs/vrrp.md.
 */
#ifndef XVS_VRRP_H
#define XVS_VRRP_H

#include <stdbool.h>
#include <stdint.h>

#include "kconf.h"
#include "xvs/ctl-t.h"

struct xvs_vrrp;

/*
 * Build the VRRP runtime for kc's instances (kc must outlive it). Checks
 * what the parser leaves to the consumer: interfaces exist, a source
 * address is known, sync group members exist. Returns NULL with errno
 * set (the reason is logged); a config without vrrp_instance gives an
 * empty runtime that does nothing.
 */
struct xvs_vrrp *xvs_vrrp_new(const struct xvs_kconf *kc);

/*
 * Open the sockets and the timer, add them to the epoll set ep_fd (with
 * data.fd = the fd) and start every instance (INIT -> BACKUP or MASTER
 * or FAULT). Returns 0 or -errno.
 */
int xvs_vrrp_start(struct xvs_vrrp *v, int ep_fd);

/* If fd is one of v's, handle its event and return true. */
bool xvs_vrrp_handle(struct xvs_vrrp *v, int fd);

/*
 * Shutdown: a master releases with priority 0 and removes its addresses,
 * notify_stop runs. Safe to call once before xvs_vrrp_free.
 */
void xvs_vrrp_stop(struct xvs_vrrp *v);

/*
 * SIGHUP: replace *v by a runtime built from new_kc (which must outlive
 * it) and start it on ep_fd. Instances with the same name, VRID and
 * interface keep their state (a master stays master, its addresses are
 * replaced by the new list); the others stop as at shutdown or start as
 * at startup. Returns 0 when *v is the new runtime (which uses new_kc
 * from then on; a failure to open a socket is logged), or -errno when
 * new_kc cannot be used: then *v is untouched and keeps running on its
 * old config.
 */
int xvs_vrrp_reload(struct xvs_vrrp **v, const struct xvs_kconf *new_kc, int ep_fd);

/* Free v (NULL is fine); closes its fds. Does not touch addresses. */
void xvs_vrrp_free(struct xvs_vrrp *v);

/*
 * The GET_VRRP reply: xvs_ctl_list then one xvs_ctl_vrrp per instance
 * (none when v is NULL), malloc'ed into *reply. Returns 0 or -ENOMEM.
 */
int xvs_vrrp_ctl_list(const struct xvs_vrrp *v, void **reply, uint32_t *reply_len);

/*
 * xvsd --status: ask the xvsd at ctl_path for GET_VRRP and print one
 * line per instance (state, priorities, master, adverts, drops) to
 * stdout. Returns 0, or -errno after printing why.
 */
int xvs_vrrp_print_status(const char *ctl_path);

#endif
