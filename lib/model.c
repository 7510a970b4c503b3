// SPDX-License-Identifier: GPL-2.0
/* model.c - the IPVS service/dest model over the pinned maps, see model.h. */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "addr.h"
#include "fwd_check.h"
#include "laddr.h"
#include "log.h"
#include "model.h"
#include "names.h"
#include "neigh.h"
#include "overload.h"
#include "sched_tab.h"

/* Schedulers the data plane implements today. */
static bool sched_supported(uint8_t sched)
{
	switch (sched) {
	case XVS_SCHED_RR:
	case XVS_SCHED_WRR:
	case XVS_SCHED_LC:
	case XVS_SCHED_WLC:
	case XVS_SCHED_SED:
	case XVS_SCHED_NQ:
	case XVS_SCHED_FO:
	case XVS_SCHED_OVF:
	case XVS_SCHED_SH:
	case XVS_SCHED_DH:
	case XVS_SCHED_MH:
	case XVS_SCHED_TWOS:
	case XVS_SCHED_LBLC:
	case XVS_SCHED_LBLCR:
		return true;
	default:
		return false;
	}
}

static bool key_equal(const struct xvs_svc_key *a, const struct xvs_svc_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* "TCP 1.2.3.4:80" for log messages. */
static const char *svc_name(const struct xvs_svc_key *k, char *buf, size_t len)
{
	char a[XVS_ADDRPORT_STRLEN];

	xvs_addr_port_fmt(k->af, &k->addr, k->port, a, sizeof(a));
	snprintf(buf, len, "%s %s", xvs_proto_name(k->proto), a);
	return buf;
}

/*
 * The service map is the index: it holds exactly the used services, under
 * the same key bytes key_equal() compares, and its value names the id.
 * One lookup instead of a walk over every service slot, which made
 * loading N services quadratic.
 */
struct xvs_model_svc *xvs_model_find_svc(struct xvs_model *m, const struct xvs_svc_key *key)
{
	struct xvs_svc v;

	if (bpf_map_lookup_elem(m->dp->svc_fd, key, &v) || v.id >= m->dp->max_svcs ||
	    !m->svcs[v.id].used || !key_equal(&m->svcs[v.id].key, key))
		return NULL;
	return &m->svcs[v.id];
}

/* Index of the dest (addr, port) in the service's list, or -1. */
static int svc_dest_index(struct xvs_model *m, const struct xvs_model_svc *s,
			  uint8_t af, const union xvs_addr *addr, uint16_t port)
{
	for (uint32_t i = 0; i < s->dests.n_dests; i++) {
		const struct xvs_dest *d = &m->dests[s->dests.ids[i]].d;

		if (d->af == af && d->port == port &&
		    memcmp(&d->addr, addr, sizeof(*addr)) == 0)
			return (int)i;
	}
	return -1;
}

/* ---- writing the maps ---- */

static int write_dest(struct xvs_model *m, uint32_t id)
{
	if (bpf_map_update_elem(m->dp->dest_fd, &id, &m->dests[id].d, BPF_ANY))
		return -errno;
	return 0;
}

static int write_svc_dests(struct xvs_model *m, const struct xvs_model_svc *s)
{
	uint32_t id = s->svc.id;

	if (bpf_map_update_elem(m->dp->svc_dests_fd, &id, &s->dests, BPF_ANY))
		return -errno;
	return 0;
}

/* mh: the Maglev table over the service's dests (lib/sched_tab.c). */
static int write_mh(struct xvs_model *m, const struct xvs_model_svc *s,
		    struct xvs_sched_tab *tab)
{
	struct xvs_mh_dest md[XVS_SVC_MAX_DESTS];
	int32_t len;

	for (uint32_t i = 0; i < s->dests.n_dests; i++) {
		const struct xvs_dest *d = &m->dests[s->dests.ids[i]].d;

		md[i].addr = d->addr.bytes;
		md[i].port = d->port;
		md[i].weight = d->weight;
	}
	len = xvs_mh_table(md, s->dests.n_dests, tab->slot);
	if (len < 0)
		return len;
	tab->len = (uint32_t)len;
	return 0;
}

/*
 * Recompute the service's scheduler table (wrr's sequence, sh's or dh's
 * 256 buckets, mh's 4093 slots) and reset its cursor to the head of the
 * list, as IPVS does on every dest change (ip_vs_sh/dh_reassign,
 * ip_vs_mh_dest_changed on add, edit, delete).
 */
static int write_sched(struct xvs_model *m, const struct xvs_model_svc *s)
{
	struct xvs_sched_state st = {};
	uint32_t id = s->svc.id;
	int32_t w[XVS_SVC_MAX_DESTS];
	struct xvs_sched_tab *tab;
	int err = 0;

	if (s->svc.sched != XVS_SCHED_WRR && s->svc.sched != XVS_SCHED_SH &&
	    s->svc.sched != XVS_SCHED_DH && s->svc.sched != XVS_SCHED_MH) {
		bpf_map_delete_elem(m->dp->sched_tab_fd, &id);
		return 0;
	}
	tab = calloc(1, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->dests.n_dests; i++)
		w[i] = m->dests[s->dests.ids[i]].d.weight;
	if (s->svc.sched == XVS_SCHED_WRR)
		tab->len = xvs_wrr_table(w, s->dests.n_dests, tab->slot, XVS_SCHED_TAB_MAX);
	else if (s->svc.sched == XVS_SCHED_SH)
		tab->len = xvs_sh_table(w, s->dests.n_dests, tab->slot);
	else if (s->svc.sched == XVS_SCHED_MH)
		err = write_mh(m, s, tab);
	else
		tab->len = xvs_dh_table(s->dests.n_dests, tab->slot);
	if (err) {
		free(tab);
		return err;
	}
	if (bpf_map_update_elem(m->dp->sched_tab_fd, &id, tab, BPF_ANY))
		err = -errno;
	free(tab);
	if (!err && bpf_map_update_elem(m->dp->sched_state_fd, &id, &st, BPF_ANY))
		err = -errno;
	return err;
}

/* Publish the service's list and scheduler state after a dest change. */
static int publish_dests(struct xvs_model *m, const struct xvs_model_svc *s)
{
	int err = write_sched(m, s);

	return err ? err : write_svc_dests(m, s);
}

/* ---- services ---- */

/* Common checks of ADD/EDIT_SERVICE payloads. */
static int check_service(const struct xvs_ctl_service *s)
{
	if (s->key.fwmark)
		return -EOPNOTSUPP;	/* XDP cannot see firewall marks */
	if (s->key.af != XVS_AF_INET && s->key.af != XVS_AF_INET6)
		return -EAFNOSUPPORT;
	if (s->key.proto != IPPROTO_TCP && s->key.proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (s->sched >= XVS_SCHED_MAX || !sched_supported(s->sched))
		return -ENOENT;		/* "Scheduler not found" */
	if (s->flags & ~(XVS_SVC_F_PERSISTENT | XVS_SVC_F_ONEPACKET |
			 XVS_SVC_F_SCHED1 | XVS_SVC_F_SCHED2 | XVS_SVC_F_SCHED3))
		return -EINVAL;
	if (s->key.port == 0 && !(s->flags & XVS_SVC_F_PERSISTENT))
		return -EINVAL;		/* port 0 needs persistence */
	/* IPVS takes any IPv4 mask but only IPv6 prefixes of 1..128. */
	if ((s->flags & XVS_SVC_F_PERSISTENT) &&
	    (s->key.af == XVS_AF_INET6 ? s->pmask_len < 1 || s->pmask_len > 128
				       : s->pmask_len > 32))
		return -EINVAL;
	return 0;
}

static void svc_from_ctl(struct xvs_model_svc *s, const struct xvs_ctl_service *c)
{
	/* TOA is set apart (xvsadm --toa, laddr.c), EXPIRE_QUIESCENT by
	 * xvsd's option (model_persist.c): an edit keeps them. */
	s->svc.flags = c->flags |
		       (s->svc.flags & (XVS_SVC_F_TOA | XVS_SVC_F_EXPIRE_QUIESCENT));
	s->svc.sched = c->sched;
	s->svc.pmask_len = c->pmask_len;
	s->svc.timeout = c->timeout;
}

int xvs_model_add_service(struct xvs_model *m, const struct xvs_ctl_service *c)
{
	struct xvs_sched_state st = {};
	struct xvs_model_svc *s = NULL;
	struct xvs_stats zero = {};
	char name[96];
	uint32_t id;
	int err;

	/* IPVS looks the service up before it looks at the scheduler. */
	if (xvs_model_find_svc(m, &c->key))
		return -EEXIST;
	err = check_service(c);
	if (err)
		return err;
	/* A free id that no lingering connection still points at. */
	for (id = 0; id < m->dp->max_svcs; id++) {
		if (!m->svcs[id].used && !m->svcs[id].conn_refs) {
			s = &m->svcs[id];
			break;
		}
	}
	if (!s)
		return -ENOSPC;
	memset(s, 0, sizeof(*s));
	s->key = c->key;
	s->svc.id = id;
	if (m->expire_quiescent)
		s->svc.flags = XVS_SVC_F_EXPIRE_QUIESCENT;
	svc_from_ctl(s, c);
	xvs_est_reset(&s->est, &zero);
	err = xvs_dp_zero_stats(m->dp, m->dp->svc_stats_fd, id);
	if (!err)
		err = xvs_laddr_reset(m, id);	/* no pool of an earlier user of the id */
	if (!err)
		err = write_svc_dests(m, s);
	if (!err && bpf_map_update_elem(m->dp->sched_state_fd, &id, &st, BPF_ANY))
		err = -errno;
	if (!err)
		err = write_sched(m, s);
	/* The service entry goes last: the data plane sees it complete. */
	if (!err && bpf_map_update_elem(m->dp->svc_fd, &s->key, &s->svc, BPF_NOEXIST))
		err = -errno;
	if (err)
		return err;
	s->used = true;
	m->n_svcs++;
	xvs_log_info("added virtual server %s, scheduler %s",
		     svc_name(&s->key, name, sizeof(name)), xvs_sched_name(s->svc.sched));
	return 0;
}

int xvs_model_edit_service(struct xvs_model *m, const struct xvs_ctl_service *c)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, &c->key);
	struct xvs_model_svc old;
	int err;

	if (!s)
		return -ESRCH;
	err = check_service(c);
	if (err)
		return err;
	old = *s;
	svc_from_ctl(s, c);
	err = write_sched(m, s);
	if (!err && bpf_map_update_elem(m->dp->svc_fd, &s->key, &s->svc, BPF_EXIST))
		err = -errno;
	if (err) {
		*s = old;
		write_sched(m, s);
	}
	return err;
}

/* Take a dest out of its service's list; it drains (IPVS's trash). */
static void retire_dest(struct xvs_model *m, uint32_t id)
{
	struct xvs_model_dest *md = &m->dests[id];

	if (md->d.flags & XVS_DEST_F_AVAILABLE)
		m->n_draining++;
	md->d.flags &= ~XVS_DEST_F_AVAILABLE;
	md->idle_scans = 0;
	write_dest(m, id);
}

int xvs_model_del_service(struct xvs_model *m, const struct xvs_svc_key *key)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, key);
	uint32_t id;
	char name[96];

	if (!s)
		return -ESRCH;
	id = s->svc.id;
	/* Stop new connections first; established ones keep flowing to
	 * their dests, which drain, as in IPVS. */
	if (bpf_map_delete_elem(m->dp->svc_fd, &s->key))
		return -errno;
	for (uint32_t i = 0; i < s->dests.n_dests; i++)
		retire_dest(m, s->dests.ids[i]);
	s->dests.n_dests = 0;
	write_svc_dests(m, s);
	bpf_map_delete_elem(m->dp->sched_tab_fd, &id);
	s->used = false;
	m->n_svcs--;
	xvs_log_info("deleted virtual server %s", svc_name(key, name, sizeof(name)));
	return 0;
}

int xvs_model_flush(struct xvs_model *m)
{
	for (uint32_t i = 0; i < m->dp->max_svcs; i++) {
		if (!m->svcs[i].used)
			continue;
		int err = xvs_model_del_service(m, &m->svcs[i].key);

		if (err)
			return err;
	}
	return 0;
}

/* ---- dests ---- */

void xvs_dest_set_nexthop(struct xvs_dest *d, const struct xvs_nexthop *nh)
{
	d->ifindex = nh->ifindex;
	d->mtu = nh->mtu;
	d->saddr = nh->saddr;
	memcpy(d->smac, nh->smac, 6);
	if (nh->resolved) {
		memcpy(d->dmac, nh->dmac, 6);
		d->flags |= XVS_DEST_F_NEIGH_OK;
	}
}

/* How long adding a dest waits for its next hop's MAC, and how often. */
#define RESOLVE_WAIT_MS 300
#define RESOLVE_POLL_MS 10

/*
 * Fill a dest's next hop from the route and neighbour tables. An unknown
 * neighbour is probed and polled for a short while, so that the first
 * connection after ipvsadm -a is not dropped; a slower one is picked up
 * by housekeeping within a second.
 */
static void resolve_dest(struct xvs_dest *d)
{
	struct timespec poll = { 0, RESOLVE_POLL_MS * 1000000L };
	struct xvs_nexthop nh;
	char a[INET6_ADDRSTRLEN];
	int err;

	for (int waited = 0;; waited += RESOLVE_POLL_MS) {
		err = xvs_nexthop_resolve(d->af, &d->addr, &nh);
		if (err || nh.is_local || nh.resolved || waited >= RESOLVE_WAIT_MS)
			break;
		nanosleep(&poll, NULL);
	}
	if (err) {
		d->flags &= ~XVS_DEST_F_NEIGH_OK;
		xvs_log_warn("real server %s: no route", xvs_addr_fmt(d->af, &d->addr, a, sizeof(a)));
		return;
	}
	if (nh.is_local) {
		d->fwd = XVS_FWD_LOCAL;
		return;
	}
	xvs_dest_set_nexthop(d, &nh);
	if (!nh.resolved)
		d->flags &= ~XVS_DEST_F_NEIGH_OK;
}

/* NAT and FULLNAT need forwarding on: say so clearly if it is off. */
static void check_forwarding(const struct xvs_dest *d)
{
	char a[INET6_ADDRSTRLEN], what[INET6_ADDRSTRLEN + 16];

	if (d->fwd != XVS_FWD_NAT && d->fwd != XVS_FWD_FULLNAT)
		return;
	snprintf(what, sizeof(what), "real server %s",
		 xvs_addr_fmt(d->af, &d->addr, a, sizeof(a)));
	xvs_ip_forwarding_check(d->af, what);
	if (d->af == XVS_AF_INET && (d->flags & XVS_DEST_F_NEIGH_OK))
		xvs_accept_local_check(d->ifindex, what);
}

static int check_dest(const struct xvs_ctl_dest *c, const struct xvs_model_svc *s)
{
	if (c->af != s->key.af)
		return -EAFNOSUPPORT;
	if (c->weight < 0 || c->weight > 65535)
		return -ERANGE;
	if (c->l_threshold > c->u_threshold && c->u_threshold)
		return -EINVAL;
	if (c->fwd >= XVS_FWD_MAX || c->fwd == XVS_FWD_LOCAL)
		return -EINVAL;
	/* NAT and FULLNAT are tested for IPv4 only; refuse the rest. */
	if ((c->fwd == XVS_FWD_NAT || c->fwd == XVS_FWD_FULLNAT) && c->af != XVS_AF_INET)
		return -EOPNOTSUPP;
	if (c->fwd == XVS_FWD_TUN && c->af != XVS_AF_INET)
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Take the thresholds of an add or edit: a removed or raised upper
 * threshold ends OVERLOAD at once, as in IPVS's __ip_vs_update_dest().
 */
static void dest_set_thresholds(struct xvs_model *m, uint32_t id,
				const struct xvs_ctl_dest *c)
{
	struct xvs_dest *d = &m->dests[id].d;

	if (xvs_overload_clear_on_edit(d->u_threshold, c->u_threshold))
		__atomic_store_n(&m->dp->dest_conns[id].overload, 0, __ATOMIC_RELAXED);
	d->u_threshold = c->u_threshold;
	d->l_threshold = c->l_threshold;
}

static void dest_from_ctl(struct xvs_dest *d, const struct xvs_ctl_dest *c)
{
	d->fwd = c->fwd;
	d->weight = c->weight;
}

/* A draining dest of this service with this address, to reuse, or 0. */
static uint32_t find_trashed(struct xvs_model *m, const struct xvs_model_svc *s,
			     const struct xvs_ctl_dest *c)
{
	if (!m->n_draining)
		return 0;	/* the common case: no walk over every dest id */
	for (uint32_t id = 1; id < m->dp->max_dests; id++) {
		const struct xvs_dest *d = &m->dests[id].d;

		if ((d->flags & (XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE)) == XVS_DEST_F_VALID &&
		    d->svc_id == s->svc.id && d->af == c->af && d->port == c->port &&
		    memcmp(&d->addr, &c->addr, sizeof(c->addr)) == 0)
			return id;
	}
	return 0;
}

/*
 * A free dest id (1 .. max_dests - 1), looking from the one after the last
 * allocated: consecutive adds find one at once instead of walking every
 * id in use, and a freed id is reused as late as possible.
 */
static uint32_t alloc_dest_id(struct xvs_model *m)
{
	uint32_t span = m->dp->max_dests - 1;

	for (uint32_t n = 0; n < span; n++) {
		uint32_t id = (m->next_dest_id + n) % span + 1;

		if (!(m->dests[id].d.flags & XVS_DEST_F_VALID) && !m->dests[id].conn_refs) {
			m->next_dest_id = id;
			return id;
		}
	}
	return 0;
}

int xvs_model_add_dest(struct xvs_model *m, const struct xvs_ctl_dest *c)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, &c->svc);
	struct xvs_stats zero = {};
	struct xvs_model_dest *md;
	uint32_t id;
	int err;

	if (!s)
		return -ESRCH;
	err = check_dest(c, s);
	if (err)
		return err;
	if (svc_dest_index(m, s, c->af, &c->addr, c->port) >= 0)
		return -EEXIST;
	if (s->dests.n_dests >= XVS_SVC_MAX_DESTS)
		return -ENOSPC;
	id = find_trashed(m, s, c);
	if (id) {
		m->n_draining--;
	} else {
		id = alloc_dest_id(m);
		if (!id)
			return -ENOSPC;
		md = &m->dests[id];
		memset(md, 0, sizeof(*md));
		md->d.addr = c->addr;
		md->d.port = c->port;
		md->d.af = c->af;
		md->d.svc_id = s->svc.id;
		xvs_est_reset(&md->est, &zero);
		memset(&m->dp->dest_conns[id], 0, sizeof(m->dp->dest_conns[id]));
		xvs_dp_zero_stats(m->dp, m->dp->dest_stats_fd, id);
	}
	md = &m->dests[id];
	dest_from_ctl(&md->d, c);
	dest_set_thresholds(m, id, c);
	md->d.flags |= XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE;
	resolve_dest(&md->d);
	check_forwarding(&md->d);
	err = write_dest(m, id);
	if (err)
		return err;
	s->dests.ids[s->dests.n_dests++] = id;
	return publish_dests(m, s);
}

int xvs_model_edit_dest(struct xvs_model *m, const struct xvs_ctl_dest *c)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, &c->svc);
	struct xvs_model_dest *md;
	int i, err;

	if (!s)
		return -ESRCH;
	i = svc_dest_index(m, s, c->af, &c->addr, c->port);
	if (i < 0)
		return -ENOENT;
	err = check_dest(c, s);
	if (err)
		return err;
	md = &m->dests[s->dests.ids[i]];
	dest_from_ctl(&md->d, c);
	dest_set_thresholds(m, s->dests.ids[i], c);
	resolve_dest(&md->d);
	check_forwarding(&md->d);
	err = write_dest(m, s->dests.ids[i]);
	return err ? err : publish_dests(m, s);
}

int xvs_model_del_dest(struct xvs_model *m, const struct xvs_ctl_dest *c)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, &c->svc);
	uint32_t id;
	int i;

	if (!s)
		return -ESRCH;
	i = svc_dest_index(m, s, c->af, &c->addr, c->port);
	if (i < 0)
		return -ENOENT;
	id = s->dests.ids[i];
	/* Keep the insertion order of the others, as IPVS's list does. */
	memmove(&s->dests.ids[i], &s->dests.ids[i + 1],
		(s->dests.n_dests - (uint32_t)i - 1) * sizeof(s->dests.ids[0]));
	s->dests.n_dests--;
	s->dests.ids[s->dests.n_dests] = 0;
	retire_dest(m, id);
	return publish_dests(m, s);
}
