/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt_extra.h - frames that pkt.h does not build: IPv6 TCP (RFC 8200,
 * with the RFC 2460 8.1 pseudo-header checksum) and ARP (RFC 826). Same
 * conventions as pkt.h: addresses in network order, ports in host order,
 * builders return the frame length or 0 if it does not fit.
 */
#ifndef XVS_TESTS_PKT_EXTRA_H
#define XVS_TESTS_PKT_EXTRA_H

#include "pkt.h"

#define PKT_IP6_HLEN	40

/* Text to a 16-byte IPv6 address; zeroes if it does not parse. */
static inline void pkt_ip6_addr(const char *s, uint8_t a[16])
{
	if (inet_pton(AF_INET6, s, a) != 1)
		memset(a, 0, 16);
}

/*
 * An Ethernet/IPv6/TCP frame saddr:sport -> daddr:dport with flags and
 * no payload; hop limit 64; a correct TCP checksum over the pseudo-header.
 */
static inline size_t pkt_build_tcp6(uint8_t *buf, size_t cap, const struct pkt_eth *e,
				    const uint8_t saddr[16], const uint8_t daddr[16],
				    uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct pkt_l4 l4 = { .proto = IPPROTO_TCP, .sport = sport, .dport = dport,
			     .seq = 1, .tcp_flags = flags };
	size_t l2 = pkt_eth_len(e), len = l2 + PKT_IP6_HLEN + PKT_TCP_HLEN;
	uint8_t *ip6 = buf + l2, *th = ip6 + PKT_IP6_HLEN, pseudo[40];
	uint64_t sum;

	if (len > cap)
		return 0;
	pkt_put_eth(buf, e, PKT_ETH_P_IPV6);
	memset(ip6, 0, PKT_IP6_HLEN);
	ip6[0] = 0x60;
	pkt_put16(ip6 + 4, PKT_TCP_HLEN);
	ip6[6] = IPPROTO_TCP;
	ip6[7] = 64;
	memcpy(ip6 + 8, saddr, 16);
	memcpy(ip6 + 24, daddr, 16);
	pkt_put_l4(th, &l4, 0);
	memcpy(pseudo, ip6 + 8, 32);
	pkt_put32(pseudo + 32, PKT_TCP_HLEN);
	memset(pseudo + 36, 0, 3);
	pseudo[39] = IPPROTO_TCP;
	sum = pkt_csum_add(0, pseudo, sizeof(pseudo));
	sum = pkt_csum_add(sum, th, PKT_TCP_HLEN);
	pkt_put16(th + 16, pkt_csum_fold(sum));
	return len;
}

/* An ARP request (RFC 826) from spa for tpa, broadcast; 42 bytes. */
static inline size_t pkt_build_arp(uint8_t *buf, size_t cap, uint32_t spa, uint32_t tpa)
{
	struct pkt_eth e = { .dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
			     .src = PKT_MAC_A };
	uint8_t *a = buf + PKT_ETH_HLEN;

	if (cap < PKT_ETH_HLEN + 28)
		return 0;
	pkt_put_eth(buf, &e, PKT_ETH_P_ARP);
	pkt_put16(a, 1);		/* htype Ethernet */
	pkt_put16(a + 2, PKT_ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	pkt_put16(a + 6, 1);		/* request */
	memcpy(a + 8, e.src, 6);
	memcpy(a + 14, &spa, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, &tpa, 4);
	return PKT_ETH_HLEN + 28;
}

#endif /* XVS_TESTS_PKT_EXTRA_H */
