/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dns_msg.h - the DNS messages of DNS_CHECK (RFC 1035 section 4): one
 * query with recursion desired, and the verdict on a reply.
 */
#ifndef XVS_DNS_MSG_H
#define XVS_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define XVS_DNS_HDR_LEN		12
#define XVS_DNS_NAME_MAX	255	/* RFC 1035 2.3.4: octets on the wire */
#define XVS_DNS_QUERY_MAX	(XVS_DNS_HDR_LEN + XVS_DNS_NAME_MAX + 4)

/* The query type for a DNS_CHECK `type` (A NS CNAME SOA MX TXT AAAA,
 * any case), or -EINVAL. */
int xvs_dns_type_code(const char *name);

/*
 * Write a query for name (dotted, "." = the root) and type into
 * buf[0..size). Returns its length, or -EINVAL for an empty label, a label
 * over 63 octets or a name over 255, -ENOSPC when buf is too small.
 */
int xvs_dns_build_query(uint8_t *buf, size_t size, uint16_t id,
			const char *name, uint16_t type);

/* What a received datagram means to the check waiting for reply id. */
enum xvs_dns_verdict {
	XVS_DNS_IGNORE = 0,	/* not our reply (short, other id, a query):
				   keep waiting, as keepalived does */
	XVS_DNS_OK,		/* a reply with RCODE 0 */
	XVS_DNS_FAIL,		/* a reply with an error RCODE */
};

enum xvs_dns_verdict xvs_dns_check_reply(const uint8_t *buf, size_t len, uint16_t id,
					 int *rcode);

#endif
