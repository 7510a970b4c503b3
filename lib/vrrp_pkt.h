/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_pkt.h - VRRP advertisements on the wire: encoding, decoding and the
 * receive checks of RFC 3768 (VRRPv2) and RFC 5798 (VRRPv3), the way
 * keepalived applies them. Pure functions over byte buffers, so every bad
 * input case is unit-testable; the sockets live in daemon/vrrp/.
 *
 * The address family is a parameter throughout: the IPv4 path is used
 * today, IPv6 (VRRPv3 only, ff02::12) needs only its socket.
 */
#ifndef XVS_VRRP_PKT_H
#define XVS_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvs/dp-t.h"

#define XVS_VRRP_PROTO		112		/* IANA protocol number */
#define XVS_VRRP_TTL		255		/* RFC 5798 5.1.1.3 */
#define XVS_VRRP_MCAST4		"224.0.0.18"
#define XVS_VRRP_MCAST6		"ff02::12"
#define XVS_VRRP_HDR_LEN	8		/* fixed header, v2 and v3 */
#define XVS_VRRP_AUTH_LEN	8		/* v2 authentication data */
#define XVS_VRRP_MAX_ADDRS	255		/* Count IPvX Addr is 8 bits */
/* The largest advert: header, 255 IPv6 addresses, v2 auth data. */
#define XVS_VRRP_MAX_LEN	(XVS_VRRP_HDR_LEN + XVS_VRRP_MAX_ADDRS * 16 + XVS_VRRP_AUTH_LEN)

/* v2 AuthType (RFC 3768 5.3.6; 2 was IP AH in RFC 2338). */
enum xvs_vrrp_auth {
	XVS_VRRP_AUTH_NONE = 0,
	XVS_VRRP_AUTH_PASS = 1,
	XVS_VRRP_AUTH_AH = 2,
};

/*
 * Why a received packet was dropped. Numbers are exported as counters
 * (status reply): append only, never renumber.
 */
enum xvs_vrrp_drop {
	XVS_VRRP_OK = 0,
	XVS_VRRP_DROP_TRUNCATED,	/* shorter than its header says */
	XVS_VRRP_DROP_VERSION,		/* not the configured version */
	XVS_VRRP_DROP_TYPE,		/* not an ADVERTISEMENT */
	XVS_VRRP_DROP_TTL,		/* multicast with TTL/hop limit != 255 */
	XVS_VRRP_DROP_CHECKSUM,
	XVS_VRRP_DROP_VRID,		/* no instance has this VRID */
	XVS_VRRP_DROP_AUTH,		/* auth type or password differs */
	XVS_VRRP_DROP_PEER,		/* unicast: sender is not a unicast_peer */
	XVS_VRRP_DROP_INTERVAL,		/* v2: advert_int differs */
	XVS_VRRP_DROP_ADDRS,		/* address count differs */
	XVS_VRRP_DROP_IPHDR,		/* malformed IPv4 header */
	XVS_VRRP_DROP_MAX,
};

/* A decoded (or to be encoded) advertisement. */
struct xvs_vrrp_advert {
	uint8_t version;		/* 2 or 3 */
	uint8_t vrid;
	uint8_t priority;
	uint8_t n_addrs;
	uint8_t auth_type;		/* v2 only; enum xvs_vrrp_auth */
	uint8_t af;			/* XVS_AF_INET or XVS_AF_INET6 */
	uint16_t adver_int_cs;		/* centiseconds (v2 carries seconds) */
	char auth[XVS_VRRP_AUTH_LEN];	/* v2 PASS data, zero padded */
	const uint8_t *addrs;		/* decode: points into the buffer */
};

/* The IP layer of a received packet, as the socket delivered it. */
struct xvs_vrrp_rx {
	uint8_t af;
	uint8_t ttl;			/* TTL or IPv6 hop limit */
	union xvs_addr src, dst;
	const uint8_t *data;		/* the VRRP message */
	size_t len;
};

/* What a receiving instance expects (see xvs_vrrp_check). */
struct xvs_vrrp_expect {
	uint8_t version;
	uint8_t vrid;
	uint8_t af;
	uint8_t auth_type;
	uint8_t n_addrs;
	bool unicast;			/* unicast_peer given: peer check, no TTL */
	uint16_t adver_int_cs;
	char auth[XVS_VRRP_AUTH_LEN];
	const union xvs_addr *peers;	/* unicast peers */
	int n_peers;
};

/*
 * Split a raw IPv4 packet (what an IPPROTO_VRRP raw socket reads: the IP
 * header first) into rx. Returns XVS_VRRP_OK, XVS_VRRP_DROP_IPHDR for a
 * bad version, header length or protocol, or XVS_VRRP_DROP_TRUNCATED when
 * the buffer is shorter than the IP header or its total length.
 */
enum xvs_vrrp_drop xvs_vrrp_split_ip4(const uint8_t *pkt, size_t len,
				      struct xvs_vrrp_rx *rx);

/*
 * Decode rx->data into a, checking only what needs no configuration:
 * length (header, addresses, v2 auth data), version 2 or 3, type 1 and
 * the checksum (v3: with the pseudo-header of rx's addresses, unless
 * v3_csum_as_v2, keepalived's compatibility mode for IPv4). Returns
 * XVS_VRRP_OK or the drop reason.
 */
enum xvs_vrrp_drop xvs_vrrp_decode(const struct xvs_vrrp_rx *rx, bool v3_csum_as_v2,
				   struct xvs_vrrp_advert *a);

/*
 * Check a decoded advert a, received as rx, against what instance e
 * expects: VRID, version, the TTL in multicast mode, the unicast peer,
 * authentication, the v2 interval and the address count. Returns
 * XVS_VRRP_OK or the drop reason; never changes anything.
 */
enum xvs_vrrp_drop xvs_vrrp_check(const struct xvs_vrrp_expect *e,
				  const struct xvs_vrrp_rx *rx,
				  const struct xvs_vrrp_advert *a);

/*
 * Encode advert a with a->n_addrs addresses from addrs (of a->af) into
 * buf, checksummed for src -> dst (v3 pseudo-header). The v2 interval is
 * a->adver_int_cs rounded to whole seconds, at least 1. Returns the
 * length written, or -ENOSPC when buf is too small, -EINVAL for a bad
 * version, family or v2 interval over 255 s.
 */
int xvs_vrrp_encode(const struct xvs_vrrp_advert *a, const union xvs_addr *addrs,
		    const union xvs_addr *src, const union xvs_addr *dst,
		    uint8_t *buf, size_t len);

/* A short name for a drop reason, for logs and the status output. */
const char *xvs_vrrp_drop_name(enum xvs_vrrp_drop d);

#endif
