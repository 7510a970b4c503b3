// SPDX-License-Identifier: GPL-2.0
/*
 * usage.c - the -h and -v text. Invoked as "ipvsadm", xvsadm prints
 * ipvsadm 1.31's text unchanged, so that scripts and eyes see ipvsadm;
 * as xvsadm it says what it is and lists the xvs extensions.
 */
#include <string.h>

#include "cli.h"

#define IPVSADM_VERSION		"v1.31 2019/12/24"
#define IPVSADM_SCHEDULERS	"rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh"
#define XVSADM_SCHEDULERS	IPVSADM_SCHEDULERS "|twos"

static bool as_ipvsadm;

void xvs_cli_set_progname(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	base = base ? base + 1 : argv0;
	as_ipvsadm = strcmp(base, "ipvsadm") == 0;
}

bool xvs_cli_is_ipvsadm(void)
{
	return as_ipvsadm;
}

void xvs_cli_version(FILE *f)
{
	fprintf(f, "%s " IPVSADM_VERSION " (compiled with popt and IPVS v1.2.1)\n",
		as_ipvsadm ? "ipvsadm" : "xvsadm");
}

static void usage_synopsis(FILE *f, const char *p)
{
	fprintf(f,
		"Usage:\n"
		"  %s -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]\n"
		"  %s -D virtual-service\n"
		"  %s -C\n"
		"  %s -R\n"
		"  %s -S [-n]\n"
		"  %s -a|e virtual-service -r server-address [options]\n"
		"  %s -d virtual-service -r server-address\n"
		"  %s -L|l [virtual-service] [options]\n"
		"  %s -Z [virtual-service]\n"
		"  %s --set tcp tcpfin udp\n"
		"  %s --start-daemon {master|backup} [daemon-options]\n"
		"  %s --stop-daemon {master|backup}\n"
		"  %s -h\n\n",
		p, p, p, p, p, p, p, p, p, p, p, p, p);
	fprintf(f,
		"Commands:\n"
		"Either long or short options are allowed.\n"
		"  --add-service     -A        add virtual service with options\n"
		"  --edit-service    -E        edit virtual service with options\n"
		"  --delete-service  -D        delete virtual service\n"
		"  --clear           -C        clear the whole table\n"
		"  --restore         -R        restore rules from stdin\n"
		"  --save            -S        save rules to stdout\n"
		"  --add-server      -a        add real server with options\n"
		"  --edit-server     -e        edit real server with options\n"
		"  --delete-server   -d        delete real server\n"
		"  --list            -L|-l     list the table\n"
		"  --zero            -Z        zero counters in a service or all services\n"
		"  --set tcp tcpfin udp        set connection timeout values\n"
		"  --start-daemon              start connection sync daemon\n"
		"  --stop-daemon               stop connection sync daemon\n"
		"  --help            -h        display this help message\n\n");
	fprintf(f,
		"virtual-service:\n"
		"  --tcp-service|-t  service-address   service-address is host[:port]\n"
		"  --udp-service|-u  service-address   service-address is host[:port]\n"
		"  --sctp-service    service-address   service-address is host[:port]\n"
		"  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n"
		"\n");
}

static void usage_options(FILE *f)
{
	fprintf(f,
		"Options:\n"
		"  --ipv6         -6                   fwmark entry uses IPv6\n"
		"  --scheduler    -s scheduler         one of %s,\n"
		"                                      the default scheduler is %s.\n"
		"  --pe            engine              alternate persistence engine may be sip,\n"
		"                                      not set by default.\n"
		"  --persistent   -p [timeout]         persistent service\n"
		"  --netmask      -M netmask           persistent granularity mask\n"
		"  --real-server  -r server-address    server-address is host (and port)\n"
		"  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
		"  --ipip         -i                   ipip encapsulation (tunneling)\n"
		"  --masquerading -m                   masquerading (NAT)\n"
		"  --tun-type      type                one of ipip|gue|gre,\n"
		"                                      the default tunnel type is %s.\n"
		"  --tun-port      port                tunnel destination port\n"
		"  --tun-nocsum                        tunnel encapsulation without checksum\n"
		"  --tun-csum                          tunnel encapsulation with checksum\n"
		"  --tun-remcsum                       tunnel encapsulation with remote checksum\n"
		"  --weight       -w weight            capacity of real server\n"
		"  --u-threshold  -x uthreshold        upper threshold of connections\n"
		"  --l-threshold  -y lthreshold        lower threshold of connections\n"
		"  --connection   -c                   output of current IPVS connections\n"
		"  --timeout                           output of timeout (tcp tcpfin udp)\n"
		"  --daemon                            output of daemon information\n"
		"  --stats                             output of statistics information\n"
		"  --rate                              output of rate information\n"
		"  --exact                             expand numbers (display exact values)\n"
		"  --thresholds                        output of thresholds information\n"
		"  --persistent-conn                   output of persistent connection info\n"
		"  --tun-info                          output of tunnel information\n"
		"  --nosort                            disable sorting output of service/server entries\n"
		"  --sort                              does nothing, for backwards compatibility\n"
		"  --ops          -o                   one-packet scheduling\n"
		"  --numeric      -n                   numeric output of addresses and ports\n"
		"  --sched-flags  -b flags             scheduler flags (comma-separated)\n",
		as_ipvsadm ? IPVSADM_SCHEDULERS : XVSADM_SCHEDULERS,
		XVS_CLI_DEF_SCHED, "ipip");
	fprintf(f,
		"Daemon Options:\n"
		"  --syncid sid                        syncid for connection sync (default=255)\n"
		"  --sync-maxlen length                Max sync message length (default=1472)\n"
		"  --mcast-interface interface         multicast interface for connection sync\n"
		"  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)\n"
		"  --mcast-port port                   UDP port (default=8848)\n"
		"  --mcast-ttl ttl                     Multicast TTL (default=1)\n");
	if (!as_ipvsadm)
		fprintf(f,
			"xvs extensions:\n"
			"  --ctl path                          xvsd control socket (default %s,\n"
			"                                      overridden by $XVS_CTL)\n"
			"  --fullnat                           full NAT forwarding\n"
			"  --json                              -L as one JSON document, every counter\n",
			XVS_CTL_DEFAULT_PATH);
}

void xvs_cli_usage(FILE *f, const char *program)
{
	xvs_cli_version(f);
	usage_synopsis(f, program);
	usage_options(f);
}
