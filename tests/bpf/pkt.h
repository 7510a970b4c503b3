/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt.h - a header-only packet builder and checker for BPF_PROG_TEST_RUN
 * tests.
 *
 * It writes Ethernet (optionally with one 802.1Q tag) / IPv4 (optionally
 * with options and fragment bits) / TCP or UDP frames with a payload into
 * a caller's buffer, wraps a frame's IP datagram in an outer IPv4 header
 * (IPIP, RFC 2003), and checks checksums of frames a program returns.
 *
 * Checksums are computed from scratch, as the plain RFC 1071 one's-
 * complement sum over the bytes in the buffer, so that they are an
 * independent reference for a data plane that updates checksums
 * incrementally.
 *
 * Conventions: addresses are in network order (as in the header), ports,
 * ids, fragment fields and EtherTypes in host order. Builders return the
 * number of bytes written, or 0 when the buffer is too small or the
 * description is invalid; they never write past `cap`.
 *
 *	uint8_t buf[PKT_BUF_SIZE];
 *	struct pkt_desc d = PKT_DESC_TCP4("198.18.0.1", 40000, "198.18.0.100", 80);
 *	size_t len = pkt_build(buf, sizeof(buf), &d);
 */
#ifndef XVS_TESTS_PKT_H
#define XVS_TESTS_PKT_H

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PKT_BUF_SIZE	2048	/* enough for any test frame */

#define PKT_ETH_HLEN	14
#define PKT_VLAN_HLEN	4
#define PKT_ETH_P_IP	0x0800
#define PKT_ETH_P_ARP	0x0806
#define PKT_ETH_P_IPV6	0x86dd
#define PKT_ETH_P_8021Q	0x8100

#define PKT_IP4_HLEN	20
#define PKT_IP4_OPTS_MAX 40	/* RFC 791: IHL <= 15 words */
#define PKT_IP_DF	0x4000	/* RFC 791 flags, in pkt_ip4.frag */
#define PKT_IP_MF	0x2000
#define PKT_IP_OFFSET	0x1fff	/* fragment offset, 8-byte units */

#define PKT_TCP_HLEN	20
#define PKT_UDP_HLEN	8

#define PKT_TCP_FIN	0x01
#define PKT_TCP_SYN	0x02
#define PKT_TCP_RST	0x04
#define PKT_TCP_PSH	0x08
#define PKT_TCP_ACK	0x10

/* Link layer. vlan_tci is used only when vlan is true. */
struct pkt_eth {
	uint8_t dst[6];
	uint8_t src[6];
	bool vlan;
	uint16_t vlan_tci;
};

/*
 * IPv4 header. proto 0 takes the protocol from the L4 description. opts
 * (opts_len bytes, a multiple of 4, at most 40) are copied after the fixed
 * header. frag holds the RFC 791 flags and offset (PKT_IP_DF, PKT_IP_MF,
 * offset in 8-byte units). ttl 0 becomes 64.
 */
struct pkt_ip4 {
	uint32_t saddr;
	uint32_t daddr;
	uint8_t tos;
	uint8_t ttl;
	uint8_t proto;
	uint16_t id;
	uint16_t frag;
	const uint8_t *opts;
	size_t opts_len;
};

/*
 * Transport header: IPPROTO_TCP or IPPROTO_UDP. proto 0 writes no L4
 * header at all, only the payload (e.g. a non-first fragment); the IP
 * protocol then comes from pkt_ip4.proto. window 0 becomes 65535.
 */
struct pkt_l4 {
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t tcp_flags;
	uint16_t window;
};

/* A whole frame. */
struct pkt_desc {
	struct pkt_eth eth;
	struct pkt_ip4 ip;
	struct pkt_l4 l4;
	const void *payload;
	size_t payload_len;
};

/* Fixed MACs so that tests can compare the link layer byte for byte. */
#define PKT_MAC_A { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a }
#define PKT_MAC_B { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b }

/* A TCP SYN from saddr:sport to daddr:dport, MAC_A -> MAC_B. */
#define PKT_DESC_TCP4(s, sp, d, dp) ((struct pkt_desc){			\
	.eth = { .dst = PKT_MAC_B, .src = PKT_MAC_A },			\
	.ip = { .saddr = pkt_ip4_addr(s), .daddr = pkt_ip4_addr(d) },	\
	.l4 = { .proto = IPPROTO_TCP, .sport = (sp), .dport = (dp),	\
		.seq = 1, .tcp_flags = PKT_TCP_SYN },			\
})

/* A UDP datagram from saddr:sport to daddr:dport, MAC_A -> MAC_B. */
#define PKT_DESC_UDP4(s, sp, d, dp) ((struct pkt_desc){			\
	.eth = { .dst = PKT_MAC_B, .src = PKT_MAC_A },			\
	.ip = { .saddr = pkt_ip4_addr(s), .daddr = pkt_ip4_addr(d) },	\
	.l4 = { .proto = IPPROTO_UDP, .sport = (sp), .dport = (dp) },	\
})

/* Dotted-quad text to a network-order address; 0 if it does not parse. */
static inline uint32_t pkt_ip4_addr(const char *s)
{
	struct in_addr a;

	return inet_pton(AF_INET, s, &a) == 1 ? a.s_addr : 0;
}

static inline void pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline uint16_t pkt_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void pkt_put32(uint8_t *p, uint32_t v)
{
	pkt_put16(p, v >> 16);
	pkt_put16(p + 2, v & 0xffff);
}

/*
 * RFC 1071: add len bytes to a running one's-complement sum of big-endian
 * 16-bit words; an odd last byte is padded with a zero. The 64-bit
 * accumulator cannot overflow for any frame.
 */
static inline uint64_t pkt_csum_add(uint64_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += pkt_get16(p + i);
	if (len & 1)
		sum += (uint16_t)(p[len - 1] << 8);
	return sum;
}

/* Fold a sum to 16 bits and complement it: the value to store. */
static inline uint16_t pkt_csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Header length in bytes of the IPv4 header at iph (IHL * 4). */
static inline size_t pkt_ip4_hlen(const uint8_t *iph)
{
	return (size_t)(iph[0] & 0x0f) * 4;
}

/* The header checksum the IPv4 header at iph should carry. */
static inline uint16_t pkt_ip4_csum(const uint8_t *iph)
{
	size_t hlen = pkt_ip4_hlen(iph);
	uint64_t sum;

	sum = pkt_csum_add(0, iph, 10);		/* up to the checksum field */
	sum = pkt_csum_add(sum, iph + 12, hlen - 12);
	return pkt_csum_fold(sum);
}

/* True if the IPv4 header at iph has a valid header checksum. */
static inline bool pkt_ip4_csum_ok(const uint8_t *iph)
{
	return pkt_csum_fold(pkt_csum_add(0, iph, pkt_ip4_hlen(iph))) == 0;
}

/*
 * The TCP or UDP checksum for the datagram at iph: the pseudo-header
 * (RFC 793 3.1, RFC 768) and the L4 segment of tot_len - IHL*4 bytes, with
 * the checksum field taken as zero. The segment must be in the buffer.
 * Returns 0 if tot_len leaves no room for the checksum field.
 */
static inline uint16_t pkt_l4_csum(const uint8_t *iph)
{
	size_t hlen = pkt_ip4_hlen(iph);
	size_t l4len = pkt_get16(iph + 2) - hlen;
	const uint8_t *l4 = iph + hlen;
	size_t coff = iph[9] == IPPROTO_TCP ? 16 : 6;
	uint8_t pseudo[12];
	uint64_t sum;

	if (pkt_get16(iph + 2) < hlen + coff + 2)
		return 0;	/* no room for the checksum field */
	memcpy(pseudo, iph + 12, 8);		/* saddr, daddr */
	pseudo[8] = 0;
	pseudo[9] = iph[9];
	pkt_put16(pseudo + 10, (uint16_t)l4len);
	sum = pkt_csum_add(0, pseudo, sizeof(pseudo));
	sum = pkt_csum_add(sum, l4, coff);
	sum = pkt_csum_add(sum, l4 + coff + 2, l4len - coff - 2);
	return pkt_csum_fold(sum);
}

/*
 * True if the TCP or UDP segment of the datagram at iph has a valid
 * checksum. A UDP checksum of 0 means "none" (RFC 768) and is valid; a
 * computed 0 is sent as 0xffff.
 */
static inline bool pkt_l4_csum_ok(const uint8_t *iph)
{
	const uint8_t *l4 = iph + pkt_ip4_hlen(iph);
	uint16_t want = pkt_l4_csum(iph);

	if (iph[9] == IPPROTO_UDP) {
		uint16_t have = pkt_get16(l4 + 6);

		return have == 0 || have == (want ? want : 0xffff);
	}
	return pkt_get16(l4 + 16) == want;
}

/* Length of the link-layer header of e: 14, or 18 with a VLAN tag. */
static inline size_t pkt_eth_len(const struct pkt_eth *e)
{
	return PKT_ETH_HLEN + (e->vlan ? PKT_VLAN_HLEN : 0);
}

/* Write the link-layer header for ethertype at p; returns its length. */
static inline size_t pkt_put_eth(uint8_t *p, const struct pkt_eth *e,
				 uint16_t ethertype)
{
	memcpy(p, e->dst, 6);
	memcpy(p + 6, e->src, 6);
	if (!e->vlan) {
		pkt_put16(p + 12, ethertype);
		return PKT_ETH_HLEN;
	}
	pkt_put16(p + 12, PKT_ETH_P_8021Q);
	pkt_put16(p + 14, e->vlan_tci);
	pkt_put16(p + 16, ethertype);
	return PKT_ETH_HLEN + PKT_VLAN_HLEN;
}

/*
 * Write an IPv4 header for a payload of payload_len bytes at p, with its
 * header checksum. Returns the header length, or 0 if the options are not
 * a multiple of 4 or longer than 40 bytes. The caller checks space for
 * PKT_IP4_HLEN + opts_len bytes.
 */
static inline size_t pkt_put_ip4(uint8_t *p, const struct pkt_ip4 *ip,
				 uint8_t proto, size_t payload_len)
{
	size_t hlen = PKT_IP4_HLEN + ip->opts_len;

	if (ip->opts_len % 4 || ip->opts_len > PKT_IP4_OPTS_MAX ||
	    hlen + payload_len > 0xffff)
		return 0;
	p[0] = 0x40 | (uint8_t)(hlen / 4);
	p[1] = ip->tos;
	pkt_put16(p + 2, (uint16_t)(hlen + payload_len));
	pkt_put16(p + 4, ip->id);
	pkt_put16(p + 6, ip->frag);
	p[8] = ip->ttl ? ip->ttl : 64;
	p[9] = ip->proto ? ip->proto : proto;
	pkt_put16(p + 10, 0);
	memcpy(p + 12, &ip->saddr, 4);
	memcpy(p + 16, &ip->daddr, 4);
	if (ip->opts_len)
		memcpy(p + PKT_IP4_HLEN, ip->opts, ip->opts_len);
	pkt_put16(p + 10, pkt_ip4_csum(p));
	return hlen;
}

/* Length of the L4 header l describes: 20 (TCP), 8 (UDP) or 0. */
static inline size_t pkt_l4_hlen(const struct pkt_l4 *l)
{
	if (l->proto == IPPROTO_TCP)
		return PKT_TCP_HLEN;
	if (l->proto == IPPROTO_UDP)
		return PKT_UDP_HLEN;
	return 0;
}

/* Write the L4 header l at p (checksum left 0); returns its length. */
static inline size_t pkt_put_l4(uint8_t *p, const struct pkt_l4 *l,
				size_t payload_len)
{
	size_t hlen = pkt_l4_hlen(l);

	memset(p, 0, hlen);
	if (!hlen)
		return 0;
	pkt_put16(p, l->sport);
	pkt_put16(p + 2, l->dport);
	if (l->proto == IPPROTO_UDP) {
		pkt_put16(p + 4, (uint16_t)(PKT_UDP_HLEN + payload_len));
		return hlen;
	}
	pkt_put32(p + 4, l->seq);
	pkt_put32(p + 8, l->ack);
	p[12] = (PKT_TCP_HLEN / 4) << 4;
	p[13] = l->tcp_flags;
	pkt_put16(p + 14, l->window ? l->window : 65535);
	return hlen;
}

/*
 * Build the frame d describes into buf (cap bytes): link layer, IPv4 with
 * a correct header checksum, TCP/UDP with a correct checksum over the
 * bytes in this packet, payload. Returns the frame length, or 0 if it does
 * not fit or d is invalid.
 */
static inline size_t pkt_build(uint8_t *buf, size_t cap,
			       const struct pkt_desc *d)
{
	size_t l2 = pkt_eth_len(&d->eth);
	size_t l3 = PKT_IP4_HLEN + d->ip.opts_len;
	size_t l4 = pkt_l4_hlen(&d->l4);
	size_t len = l2 + l3 + l4 + d->payload_len;
	uint8_t *iph = buf + l2;

	if (len > cap || (!d->l4.proto && !d->ip.proto))
		return 0;
	pkt_put_eth(buf, &d->eth, PKT_ETH_P_IP);
	if (!pkt_put_ip4(iph, &d->ip, d->l4.proto, l4 + d->payload_len))
		return 0;
	pkt_put_l4(iph + l3, &d->l4, d->payload_len);
	if (d->payload_len)
		memcpy(iph + l3 + l4, d->payload, d->payload_len);
	if (d->l4.proto == IPPROTO_TCP) {
		pkt_put16(iph + l3 + 16, pkt_l4_csum(iph));
	} else if (d->l4.proto == IPPROTO_UDP) {
		uint16_t c = pkt_l4_csum(iph);

		pkt_put16(iph + l3 + 6, c ? c : 0xffff);
	}
	return len;
}

/*
 * Offset of the IPv4 header in a frame: 14, or 18 behind one VLAN tag.
 * Returns 0 if the frame is too short or does not carry IPv4.
 */
static inline size_t pkt_l3_off(const uint8_t *frame, size_t len)
{
	size_t off = PKT_ETH_HLEN;
	uint16_t type;

	if (len < PKT_ETH_HLEN)
		return 0;
	type = pkt_get16(frame + 12);
	if (type == PKT_ETH_P_8021Q || type == 0x88a8) {
		if (len < PKT_ETH_HLEN + PKT_VLAN_HLEN)
			return 0;
		type = pkt_get16(frame + 16);
		off += PKT_VLAN_HLEN;
	}
	return type == PKT_ETH_P_IP && len >= off + PKT_IP4_HLEN ? off : 0;
}

/*
 * Wrap the IPv4 datagram of the frame in buf (len bytes) in an outer IPv4
 * header (protocol 4, IPIP) described by outer, keeping the link layer.
 * Everything after the link-layer header counts as the inner datagram.
 * Returns the new length, or 0 if the frame is not IPv4 or does not fit.
 */
static inline size_t pkt_ipip_wrap(uint8_t *buf, size_t len, size_t cap,
				   const struct pkt_ip4 *outer)
{
	size_t l2 = pkt_l3_off(buf, len);
	size_t hlen = PKT_IP4_HLEN + outer->opts_len;

	if (!l2 || len + hlen > cap)
		return 0;
	memmove(buf + l2 + hlen, buf + l2, len - l2);
	if (!pkt_put_ip4(buf + l2, outer, IPPROTO_IPIP, len - l2)) {
		memmove(buf + l2, buf + l2 + hlen, len - l2);
		return 0;
	}
	return len + hlen;
}

/* Print len bytes of p as hex, 16 a line, prefixed with tag. */
static inline void pkt_dump(FILE *f, const char *tag, const uint8_t *p,
			    size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%s%02x%s", i % 16 ? "" : tag, p[i],
			i % 16 == 15 || i + 1 == len ? "\n" : " ");
}

#endif /* XVS_TESTS_PKT_H */
