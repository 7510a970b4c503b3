// SPDX-License-Identifier: GPL-2.0
/* vrrp_pkt.c - VRRP advertisement codec and receive checks, see vrrp_pkt.h. */
#include <errno.h>
#include <string.h>

#include "vrrp_pkt.h"

#define VRRP_TYPE_ADVERT	1

/* RFC 3768 5.3.7: v2 carries whole seconds; keepalived rounds, at least 1. */
static unsigned int v2_secs(uint16_t cs)
{
	unsigned int secs = (cs + 50u) / 100u;

	return secs ? secs : 1;
}

static size_t addr_len(uint8_t af)
{
	return af == XVS_AF_INET6 ? 16 : 4;
}

/* One's complement sum of len bytes, folded later (RFC 1071). */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The checksum of a VRRP message of len bytes. RFC 5798 5.2.8: v3 covers
 * a pseudo-header (RFC 2460 8.1 for IPv6; source, destination, zero,
 * protocol and length for IPv4); v2 (RFC 3768 5.3.8) only the message.
 * The checksum field itself must be zero or already in place.
 */
static uint16_t vrrp_csum(uint8_t version, uint8_t af, bool v3_csum_as_v2,
			  const union xvs_addr *src, const union xvs_addr *dst,
			  const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;

	if (version == 3 && !(v3_csum_as_v2 && af == XVS_AF_INET)) {
		sum = csum_add(sum, src->bytes, addr_len(af));
		sum = csum_add(sum, dst->bytes, addr_len(af));
		sum += XVS_VRRP_PROTO;
		sum += (uint32_t)len;
	}
	return csum_fold(csum_add(sum, msg, len));
}

enum xvs_vrrp_drop xvs_vrrp_split_ip4(const uint8_t *pkt, size_t len,
				      struct xvs_vrrp_rx *rx)
{
	size_t ihl, tot;

	if (len < 20)
		return XVS_VRRP_DROP_TRUNCATED;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	tot = (size_t)pkt[2] << 8 | pkt[3];
	if (pkt[0] >> 4 != 4 || ihl < 20 || pkt[9] != XVS_VRRP_PROTO || tot < ihl)
		return XVS_VRRP_DROP_IPHDR;
	if (len < ihl || len < tot)
		return XVS_VRRP_DROP_TRUNCATED;
	memset(rx, 0, sizeof(*rx));
	rx->af = XVS_AF_INET;
	rx->ttl = pkt[8];
	memcpy(&rx->src.ip4, pkt + 12, 4);
	memcpy(&rx->dst.ip4, pkt + 16, 4);
	rx->data = pkt + ihl;
	/* Trailing link padding beyond the IP total length is not ours. */
	rx->len = tot - ihl;
	return XVS_VRRP_OK;
}

enum xvs_vrrp_drop xvs_vrrp_decode(const struct xvs_vrrp_rx *rx, bool v3_csum_as_v2,
				   struct xvs_vrrp_advert *a)
{
	const uint8_t *p = rx->data;
	size_t need;

	if (rx->len < XVS_VRRP_HDR_LEN)
		return XVS_VRRP_DROP_TRUNCATED;
	memset(a, 0, sizeof(*a));
	a->version = p[0] >> 4;
	if (a->version != 2 && a->version != 3)
		return XVS_VRRP_DROP_VERSION;
	/* RFC 5798 5.2.2: "Packets with unknown type MUST be discarded." */
	if ((p[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return XVS_VRRP_DROP_TYPE;
	/* RFC 3768 5.3.7 / 5798 5.2.7: VRRPv2 is IPv4 only. */
	if (a->version == 2 && rx->af != XVS_AF_INET)
		return XVS_VRRP_DROP_VERSION;
	a->af = rx->af;
	a->vrid = p[1];
	a->priority = p[2];
	a->n_addrs = p[3];
	need = XVS_VRRP_HDR_LEN + a->n_addrs * addr_len(rx->af);
	if (a->version == 2)
		need += XVS_VRRP_AUTH_LEN;
	if (rx->len < need)
		return XVS_VRRP_DROP_TRUNCATED;
	/*
	 * RFC 5798 5.1.1.x: "MUST verify that the VRRP checksum is correct",
	 * over the whole message as the IP layer delimits it.
	 */
	if (vrrp_csum(a->version, rx->af, v3_csum_as_v2, &rx->src, &rx->dst,
		      p, rx->len) != 0)
		return XVS_VRRP_DROP_CHECKSUM;
	if (a->version == 2) {
		a->auth_type = p[4];
		a->adver_int_cs = (uint16_t)(p[5] * 100);
		memcpy(a->auth, p + need - XVS_VRRP_AUTH_LEN, XVS_VRRP_AUTH_LEN);
	} else {
		/* rsvd(4) | Max Adver Int(12), in centiseconds. */
		a->adver_int_cs = (uint16_t)((p[4] & 0x0f) << 8 | p[5]);
	}
	a->addrs = p + XVS_VRRP_HDR_LEN;
	return XVS_VRRP_OK;
}

static bool is_peer(const struct xvs_vrrp_expect *e, const union xvs_addr *src)
{
	for (int i = 0; i < e->n_peers; i++)
		if (!memcmp(&e->peers[i], src, addr_len(e->af)))
			return true;
	return false;
}

enum xvs_vrrp_drop xvs_vrrp_check(const struct xvs_vrrp_expect *e,
				  const struct xvs_vrrp_rx *rx,
				  const struct xvs_vrrp_advert *a)
{
	if (a->vrid != e->vrid || a->af != e->af)
		return XVS_VRRP_DROP_VRID;
	if (a->version != e->version)
		return XVS_VRRP_DROP_VERSION;
	/*
	 * RFC 5798 5.1.1.3: "MUST verify that the IP TTL is 255"; keepalived
	 * skips it in unicast mode, where routed peers are allowed.
	 */
	if (!e->unicast && rx->ttl != XVS_VRRP_TTL)
		return XVS_VRRP_DROP_TTL;
	if (e->unicast && !is_peer(e, &rx->src))
		return XVS_VRRP_DROP_PEER;
	if (a->version == 2) {
		/*
		 * RFC 3768 7.1: "MUST verify that the Auth Type matches the
		 * locally configured authentication method"; with simple
		 * text, the 8 octets of data must match too.
		 */
		if (a->auth_type != e->auth_type)
			return XVS_VRRP_DROP_AUTH;
		if (e->auth_type == XVS_VRRP_AUTH_PASS &&
		    memcmp(a->auth, e->auth, XVS_VRRP_AUTH_LEN))
			return XVS_VRRP_DROP_AUTH;
		/*
		 * RFC 3768 7.1: "MUST verify that the Adver Interval in the
		 * packet is the same as the locally configured" one.
		 */
		if (a->adver_int_cs != v2_secs(e->adver_int_cs) * 100)
			return XVS_VRRP_DROP_INTERVAL;
	}
	/*
	 * keepalived drops an advert whose address count differs from its
	 * own virtual_ipaddress list (a misconfigured pair); a priority 0
	 * release is still an advert with the addresses.
	 */
	if (a->n_addrs != e->n_addrs)
		return XVS_VRRP_DROP_ADDRS;
	return XVS_VRRP_OK;
}

int xvs_vrrp_encode(const struct xvs_vrrp_advert *a, const union xvs_addr *addrs,
		    const union xvs_addr *src, const union xvs_addr *dst,
		    uint8_t *buf, size_t len)
{
	size_t alen = addr_len(a->af), n;
	uint16_t csum;

	if ((a->version != 2 && a->version != 3) ||
	    (a->af != XVS_AF_INET && a->af != XVS_AF_INET6) ||
	    (a->version == 2 && a->af != XVS_AF_INET))
		return -EINVAL;
	n = XVS_VRRP_HDR_LEN + a->n_addrs * alen + (a->version == 2 ? XVS_VRRP_AUTH_LEN : 0);
	if (n > len)
		return -ENOSPC;
	memset(buf, 0, n);
	buf[0] = (uint8_t)(a->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = a->n_addrs;
	if (a->version == 2) {
		unsigned int secs = v2_secs(a->adver_int_cs);

		if (secs > 255)
			return -EINVAL;
		buf[4] = a->auth_type;
		buf[5] = (uint8_t)secs;
		if (a->auth_type == XVS_VRRP_AUTH_PASS)
			memcpy(buf + n - XVS_VRRP_AUTH_LEN, a->auth, XVS_VRRP_AUTH_LEN);
	} else {
		if (a->adver_int_cs > 0x0fff)
			return -EINVAL;
		buf[4] = (uint8_t)(a->adver_int_cs >> 8);
		buf[5] = (uint8_t)a->adver_int_cs;
	}
	for (int i = 0; i < a->n_addrs; i++)
		memcpy(buf + XVS_VRRP_HDR_LEN + i * alen, addrs[i].bytes, alen);
	csum = vrrp_csum(a->version, a->af, false, src, dst, buf, n);
	buf[6] = (uint8_t)(csum >> 8);
	buf[7] = (uint8_t)csum;
	return (int)n;
}

const char *xvs_vrrp_drop_name(enum xvs_vrrp_drop d)
{
	static const char *const names[XVS_VRRP_DROP_MAX] = {
		[XVS_VRRP_OK] = "ok",
		[XVS_VRRP_DROP_TRUNCATED] = "truncated",
		[XVS_VRRP_DROP_VERSION] = "version",
		[XVS_VRRP_DROP_TYPE] = "type",
		[XVS_VRRP_DROP_TTL] = "ttl",
		[XVS_VRRP_DROP_CHECKSUM] = "checksum",
		[XVS_VRRP_DROP_VRID] = "vrid",
		[XVS_VRRP_DROP_AUTH] = "auth",
		[XVS_VRRP_DROP_PEER] = "peer",
		[XVS_VRRP_DROP_INTERVAL] = "interval",
		[XVS_VRRP_DROP_ADDRS] = "addrs",
		[XVS_VRRP_DROP_IPHDR] = "iphdr",
	};

	return (unsigned int)d < XVS_VRRP_DROP_MAX ? names[d] : "?";
}
