// SPDX-License-Identifier: GPL-2.0
/* laddr.c - FULLNAT local address pools, see laddr.h. */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "laddr.h"

static bool addr_eq(const union xvs_addr *a, const union xvs_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static bool addr_unspec(const union xvs_addr *a)
{
	static const union xvs_addr zero;

	return addr_eq(a, &zero);
}

static int read_pool(struct xvs_model *m, uint32_t id, struct xvs_laddrs *la)
{
	if (bpf_map_lookup_elem(m->dp->laddr_fd, &id, la))
		return -errno;
	if (la->n > XVS_SVC_MAX_LADDRS)
		return -EUCLEAN;
	return 0;
}

static int write_pool(struct xvs_model *m, uint32_t id, const struct xvs_laddrs *la)
{
	return bpf_map_update_elem(m->dp->laddr_fd, &id, la, BPF_ANY) ? -errno : 0;
}

int xvs_laddr_reset(struct xvs_model *m, uint32_t svc_id)
{
	struct xvs_laddrs la;

	memset(&la, 0, sizeof(la));
	return write_pool(m, svc_id, &la);
}

int xvs_model_set_laddrs(struct xvs_model *m, const struct xvs_svc_key *svc,
			 const union xvs_addr *addrs, unsigned int n)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, svc);
	struct xvs_laddrs la;

	if (!s)
		return -ESRCH;
	if (n > XVS_SVC_MAX_LADDRS)
		return -EINVAL;
	memset(&la, 0, sizeof(la));
	for (unsigned int i = 0; i < n; i++) {
		if (addr_unspec(&addrs[i]))
			return -EINVAL;
		for (unsigned int j = 0; j < i; j++)
			if (addr_eq(&addrs[i], &addrs[j]))
				return -EINVAL;
		la.addrs[i] = addrs[i];
	}
	la.n = n;
	return write_pool(m, s->svc.id, &la);
}

/* The pool of service svc for a change to an address of family af. */
static int open_pool(struct xvs_model *m, const struct xvs_svc_key *svc, uint8_t af,
		     uint32_t *id, struct xvs_laddrs *la)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, svc);

	if (!s)
		return -ESRCH;
	if (af != s->key.af)
		return -EAFNOSUPPORT;
	*id = s->svc.id;
	return read_pool(m, *id, la);
}

int xvs_model_add_laddr(struct xvs_model *m, const struct xvs_svc_key *svc, uint8_t af,
			const union xvs_addr *addr)
{
	struct xvs_laddrs la;
	uint32_t id;
	int err = open_pool(m, svc, af, &id, &la);

	if (err)
		return err;
	if (addr_unspec(addr))
		return -EINVAL;
	for (uint32_t i = 0; i < la.n; i++)
		if (addr_eq(&la.addrs[i], addr))
			return -EEXIST;
	if (la.n == XVS_SVC_MAX_LADDRS)
		return -ENOSPC;
	la.addrs[la.n++] = *addr;
	return write_pool(m, id, &la);
}

int xvs_model_del_laddr(struct xvs_model *m, const struct xvs_svc_key *svc, uint8_t af,
			const union xvs_addr *addr)
{
	struct xvs_laddrs la;
	uint32_t id;
	int err = open_pool(m, svc, af, &id, &la);

	if (err)
		return err;
	for (uint32_t i = 0; i < la.n; i++) {
		if (!addr_eq(&la.addrs[i], addr))
			continue;
		/* Established connections keep their local address: their
		 * OUT entries do not depend on the pool. */
		memmove(&la.addrs[i], &la.addrs[i + 1], (la.n - i - 1) * sizeof(la.addrs[0]));
		la.n--;
		memset(&la.addrs[la.n], 0, sizeof(la.addrs[0]));
		return write_pool(m, id, &la);
	}
	return -ENOENT;
}

int xvs_model_get_laddrs(struct xvs_model *m, const struct xvs_svc_key *svc,
			 struct xvs_laddrs *out)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, svc);

	if (!s)
		return -ESRCH;
	return read_pool(m, s->svc.id, out);
}

int xvs_model_set_toa(struct xvs_model *m, const struct xvs_svc_key *svc, bool on)
{
	struct xvs_model_svc *s = xvs_model_find_svc(m, svc);
	struct xvs_svc v;

	if (!s)
		return -ESRCH;
	v = s->svc;
	if (on)
		v.flags |= XVS_SVC_F_TOA;
	else
		v.flags &= ~XVS_SVC_F_TOA;
	if (bpf_map_update_elem(m->dp->svc_fd, &s->key, &v, BPF_EXIST))
		return -errno;
	s->svc = v;
	return 0;
}
