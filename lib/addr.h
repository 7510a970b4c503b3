/* SPDX-License-Identifier: GPL-2.0 */
/* addr.h - parsing and printing addresses the way ipvsadm does. */
#ifndef XVS_ADDR_H
#define XVS_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvs/dp-t.h"

/* Longest string xvs_addr_port_fmt() writes, with the NUL. */
#define XVS_ADDRPORT_STRLEN 56

/*
 * Parse a numeric IPv4 or IPv6 address (no port, no brackets).
 * Returns 0 and fills *af and *addr, or -EINVAL.
 */
int xvs_addr_parse(const char *s, uint8_t *af, union xvs_addr *addr);

/*
 * Parse "addr", "addr:port", "[v6addr]" or "[v6addr]:port" as ipvsadm's -t
 * and -r take them. A port must be 0..65535 (decimal). *has_port tells
 * whether a port was given; *port is then in network order.
 * Returns 0, or -EINVAL for a bad address and -ERANGE for a bad port.
 */
int xvs_addr_port_parse(const char *s, uint8_t *af, union xvs_addr *addr,
			uint16_t *port, bool *has_port);

/* Write addr as text into buf (at least INET6_ADDRSTRLEN). Returns buf. */
char *xvs_addr_fmt(uint8_t af, const union xvs_addr *addr, char *buf, size_t len);

/* Write "a.b.c.d:port" or "[v6]:port" (port in network order). Returns buf. */
char *xvs_addr_port_fmt(uint8_t af, const union xvs_addr *addr, uint16_t port,
			char *buf, size_t len);

/* Prefix length of an IPv4 netmask (network order), or -1 if not contiguous. */
int xvs_mask4_len(uint32_t mask_be);

#endif
