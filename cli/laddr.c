// SPDX-License-Identifier: GPL-2.0
/*
 * laddr.c - xvsadm's FULLNAT commands, which ipvsadm does not have. They
 * follow the FULLNAT ipvsadm (Alibaba's LVS): -P/--add-laddr and
 * -Q/--del-laddr with -z/--laddr ADDR add or remove a local address of a
 * service, -G/--get-laddr lists them; xvs adds --toa on|off. The service
 * is -t/-u VIP:port; --ctl PATH (or $XVS_CTL) names xvsd's socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "addr.h"
#include "cli.h"
#include "ctl.h"

enum laddr_cmd { LADDR_NONE, LADDR_ADD, LADDR_DEL, LADDR_GET, LADDR_TOA };

static enum laddr_cmd laddr_cmd_of(const char *a)
{
	if (!strcmp(a, "-P") || !strcmp(a, "--add-laddr"))
		return LADDR_ADD;
	if (!strcmp(a, "-Q") || !strcmp(a, "--del-laddr"))
		return LADDR_DEL;
	if (!strcmp(a, "-G") || !strcmp(a, "--get-laddr"))
		return LADDR_GET;
	if (!strcmp(a, "--toa"))
		return LADDR_TOA;
	return LADDR_NONE;
}

static int usage(const char *prog, const char *why)
{
	fprintf(stderr, "%s: %s\n"
		"usage: %s -P|-Q -t|-u VIP:port -z LADDR     add/delete a FULLNAT local address\n"
		"       %s -G -t|-u VIP:port                 list them\n"
		"       %s --toa on|off -t|-u VIP:port       client address in TCP option 254\n",
		prog, why, prog, prog, prog);
	return 2;
}

static void print_pool(const struct xvs_ctl_laddr *l, const struct xvs_laddrs *la)
{
	char a[INET6_ADDRSTRLEN + 8];

	printf("Prot LocalAddress:Port\n  -> FULLNAT local address\n");
	printf("%-4s %s\n", l->svc.proto == IPPROTO_UDP ? "UDP" : "TCP",
	       xvs_addr_port_fmt(l->svc.af, &l->svc.addr, l->svc.port, a, sizeof(a)));
	for (uint32_t i = 0; i < la->n && i < XVS_SVC_MAX_LADDRS; i++)
		printf("  -> %s\n", xvs_addr_fmt(l->svc.af, &la->addrs[i], a, sizeof(a)));
}

static int call(const char *path, enum laddr_cmd cmd, const struct xvs_ctl_laddr *l)
{
	static const uint16_t cmds[] = {
		[LADDR_ADD] = XVS_CTL_ADD_LADDR, [LADDR_DEL] = XVS_CTL_DEL_LADDR,
		[LADDR_GET] = XVS_CTL_GET_LADDRS, [LADDR_TOA] = XVS_CTL_SET_TOA,
	};
	const void *req = cmd == LADDR_GET ? (const void *)&l->svc : (const void *)l;
	uint32_t req_len = cmd == LADDR_GET ? sizeof(l->svc) : sizeof(*l), len = 0;
	void *reply = NULL;
	int fd = xvs_ctl_connect(path), err;

	if (fd < 0) {
		fprintf(stderr, "cannot reach xvsd at %s: %s\n", path, strerror(-fd));
		return 1;
	}
	err = xvs_ctl_call(fd, cmds[cmd], req, req_len, &reply, &len);
	close(fd);
	if (!err && cmd == LADDR_GET) {
		if (len == sizeof(struct xvs_laddrs))
			print_pool(l, reply);
		else
			err = -EPROTO;
	}
	free(reply);
	if (!err)
		return 0;
	fprintf(stderr, "%s\n", err == -ESRCH ? "Service not defined" :
		err == -EEXIST ? "Local address already exists" :
		err == -ENOENT ? "No such local address" :
		err == -ENOSPC ? "Too many local addresses (16 at most)" : strerror(-err));
	return 1;
}

int xvs_cli_laddr_main(int argc, char **argv)
{
	const char *path = getenv("XVS_CTL"), *ctl = NULL;
	enum laddr_cmd cmd = laddr_cmd_of(argv[1]);
	struct xvs_ctl_laddr l;
	bool has_svc = false, has_addr = false, has_port;
	uint16_t port;
	uint8_t af;
	int i = 2;

	memset(&l, 0, sizeof(l));
	if (cmd == LADDR_TOA) {
		if (argc < 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off")))
			return usage(argv[0], "--toa takes on or off");
		l.on = !strcmp(argv[2], "on");
		i = 3;
	}
	for (; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return usage(argv[0], "an option lacks its argument");
		if (!strcmp(o, "-t") || !strcmp(o, "--tcp-service") ||
		    !strcmp(o, "-u") || !strcmp(o, "--udp-service")) {
			if (xvs_addr_port_parse(v, &l.svc.af, &l.svc.addr, &port, &has_port) ||
			    !has_port || !port)
				return usage(argv[0], "bad service address (VIP:port)");
			l.svc.port = port;	/* network order already */
			l.svc.proto = o[1] == 't' || !strcmp(o, "--tcp-service") ?
				      IPPROTO_TCP : IPPROTO_UDP;
			has_svc = true;
		} else if (!strcmp(o, "-z") || !strcmp(o, "--laddr")) {
			if (xvs_addr_parse(v, &af, &l.addr))
				return usage(argv[0], "bad local address");
			l.af = af;
			has_addr = true;
		} else if (!strcmp(o, "--ctl")) {
			ctl = v;
		} else {
			return usage(argv[0], "unknown option");
		}
		i++;
	}
	if (!has_svc)
		return usage(argv[0], "a service (-t|-u VIP:port) is required");
	if ((cmd == LADDR_ADD || cmd == LADDR_DEL) != has_addr)
		return usage(argv[0], has_addr ? "-z is only for -P and -Q" : "-z LADDR is required");
	if (has_addr && l.af != l.svc.af)
		return usage(argv[0], "the local address and the service differ in family");
	if (!path)
		path = ctl ? ctl : XVS_CTL_DEFAULT_PATH;
	return call(path, cmd, &l);
}

bool xvs_cli_is_laddr(int argc, char **argv)
{
	return argc > 1 && laddr_cmd_of(argv[1]) != LADDR_NONE;
}
