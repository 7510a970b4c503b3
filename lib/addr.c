// SPDX-License-Identifier: GPL-2.0
/* addr.c - address parsing and printing, see addr.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int xvs_addr_parse(const char *s, uint8_t *af, union xvs_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, &addr->ip4) == 1) {
		*af = XVS_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr->bytes) == 1) {
		*af = XVS_AF_INET6;
		return 0;
	}
	return -EINVAL;
}

/* Parse a decimal port 0..65535 with nothing after it. */
static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -ERANGE;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 65535)
		return -ERANGE;
	*port = htons((uint16_t)v);
	return 0;
}

int xvs_addr_port_parse(const char *s, uint8_t *af, union xvs_addr *addr,
			uint16_t *port, bool *has_port)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *port_str = NULL;
	char *colon;
	size_t n = strlen(s);

	*has_port = false;
	*port = 0;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n + 1);

	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (!close)
			return -EINVAL;
		*close = '\0';
		if (close[1] == ':')
			port_str = close + 2;
		else if (close[1] != '\0')
			return -EINVAL;
		if (xvs_addr_parse(buf + 1, af, addr) || *af != XVS_AF_INET6)
			return -EINVAL;
	} else {
		colon = strchr(buf, ':');
		/* One colon means IPv4 with a port; more is a bare IPv6. */
		if (colon && !strchr(colon + 1, ':')) {
			*colon = '\0';
			port_str = colon + 1;
		}
		if (xvs_addr_parse(buf, af, addr))
			return -EINVAL;
	}
	if (port_str) {
		if (parse_port(port_str, port))
			return -ERANGE;
		*has_port = true;
	}
	return 0;
}

char *xvs_addr_fmt(uint8_t af, const union xvs_addr *addr, char *buf, size_t len)
{
	if (!inet_ntop(af == XVS_AF_INET6 ? AF_INET6 : AF_INET,
		       af == XVS_AF_INET6 ? (const void *)addr->bytes
					  : (const void *)&addr->ip4, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

char *xvs_addr_port_fmt(uint8_t af, const union xvs_addr *addr, uint16_t port,
			char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	xvs_addr_fmt(af, addr, a, sizeof(a));
	if (af == XVS_AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, ntohs(port));
	else
		snprintf(buf, len, "%s:%u", a, ntohs(port));
	return buf;
}

int xvs_mask4_len(uint32_t mask_be)
{
	uint32_t m = ntohl(mask_be);
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	/* Any bit set after the first zero makes it non-contiguous. */
	if (len < 32 && (m << len))
		return -1;
	return len;
}
