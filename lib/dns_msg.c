// SPDX-License-Identifier: GPL-2.0
/* dns_msg.c - DNS_CHECK's query and reply verdict (RFC 1035 section 4). */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "dns_msg.h"

static const struct {
	const char *name;
	uint16_t code;
} dns_types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 },
	{ "MX", 15 }, { "TXT", 16 }, { "AAAA", 28 },
};

int xvs_dns_type_code(const char *name)
{
	for (size_t i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
		if (!strcasecmp(name, dns_types[i].name))
			return dns_types[i].code;
	return -EINVAL;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* QNAME: a sequence of length-prefixed labels ending in the root's 0. */
static int put_name(uint8_t *out, size_t size, const char *name)
{
	size_t pos = 0;
	const char *s = name;

	if (strcmp(name, ".") == 0 || *name == '\0')
		s = "";
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t len = dot ? (size_t)(dot - s) : strlen(s);

		if (len == 0 || len > 63)
			return -EINVAL;
		if (pos + 1 + len + 1 > XVS_DNS_NAME_MAX)
			return -EINVAL;
		if (pos + 1 + len + 1 > size)
			return -ENOSPC;
		out[pos++] = (uint8_t)len;
		memcpy(out + pos, s, len);
		pos += len;
		s += len;
		if (*s == '.')
			s++;		/* a trailing dot is the root, implicit */
	}
	if (pos + 1 > size)
		return -ENOSPC;
	out[pos++] = 0;
	return (int)pos;
}

int xvs_dns_build_query(uint8_t *buf, size_t size, uint16_t id,
			const char *name, uint16_t type)
{
	int n;

	if (size < XVS_DNS_HDR_LEN + 1 + 4)
		return -ENOSPC;
	memset(buf, 0, XVS_DNS_HDR_LEN);
	put16(buf, id);
	put16(buf + 2, 0x0100);		/* RD: recursion desired */
	put16(buf + 4, 1);		/* QDCOUNT */
	n = put_name(buf + XVS_DNS_HDR_LEN, size - XVS_DNS_HDR_LEN - 4, name);
	if (n < 0)
		return n;
	put16(buf + XVS_DNS_HDR_LEN + n, type);
	put16(buf + XVS_DNS_HDR_LEN + n + 2, 1);	/* QCLASS IN */
	return XVS_DNS_HDR_LEN + n + 4;
}

enum xvs_dns_verdict xvs_dns_check_reply(const uint8_t *buf, size_t len, uint16_t id,
					 int *rcode)
{
	uint16_t flags;

	if (len < XVS_DNS_HDR_LEN || ((buf[0] << 8) | buf[1]) != id)
		return XVS_DNS_IGNORE;
	flags = (uint16_t)((buf[2] << 8) | buf[3]);
	if (!(flags & 0x8000))		/* QR = 0: a query, not a response */
		return XVS_DNS_IGNORE;
	*rcode = flags & 0x000f;
	return *rcode ? XVS_DNS_FAIL : XVS_DNS_OK;
}
