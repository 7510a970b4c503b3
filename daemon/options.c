// SPDX-License-Identifier: GPL-2.0
/* options.c - xvsd's command line, see options.h. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "options.h"
#include "xvs/ctl-t.h"

enum { OPT_INTERFACE = 256, OPT_XDP_MODE, OPT_NAME, OPT_CTL, OPT_CONN_TAB_BITS,
       OPT_MAX_SERVICES, OPT_MAX_DESTS,
       OPT_CLEANUP, OPT_METRICS, OPT_STATUS, OPT_EXPIRE_QUIESCENT };

static const struct option long_opts[] = {
	{ "dont-fork", no_argument, NULL, 'n' },
	{ "log-console", no_argument, NULL, 'l' },
	{ "log-detail", no_argument, NULL, 'D' },
	{ "pid", required_argument, NULL, 'p' },
	{ "use-file", required_argument, NULL, 'f' },
	{ "config-test", no_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "interface", required_argument, NULL, OPT_INTERFACE },
	{ "xdp-mode", required_argument, NULL, OPT_XDP_MODE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "ctl", required_argument, NULL, OPT_CTL },
	{ "conn-tab-bits", required_argument, NULL, OPT_CONN_TAB_BITS },
	{ "max-services", required_argument, NULL, OPT_MAX_SERVICES },
	{ "max-dests", required_argument, NULL, OPT_MAX_DESTS },
	{ "cleanup", no_argument, NULL, OPT_CLEANUP },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "expire-quiescent-template", no_argument, NULL, OPT_EXPIRE_QUIESCENT },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xvsd [OPTION...]\n"
		"  -n, --dont-fork          stay in the foreground\n"
		"  -l, --log-console        log to stderr instead of syslog\n"
		"  -D, --log-detail         detailed (debug) log\n"
		"  -p, --pid=FILE           pid file\n"
		"  -f, --use-file=FILE      run this keepalived.conf\n"
		"  -t, --config-test        test the keepalived.conf (-f, default\n"
		"                           " XVSD_DEFAULT_CONFIG ") and exit\n"
		"      --interface=IF       attach the data plane to IF (repeatable)\n"
		"      --xdp-mode=MODE      native (default, falls back) or generic\n"
		"      --name=NAME          instance name: pins in %s/NAME,\n"
		"                           socket /run/xvs/NAME.sock (default xvsd)\n"
		"      --ctl=PATH           control socket path\n"
		"      --conn-tab-bits=N    connection table of 2^N entries (8..26)\n"
		"      --max-services=N     room for N services (4096..1048576, default 4096)\n"
		"      --max-dests=N        room for N real servers over all services\n"
		"                           (65536..4194304, default 65536)\n"
		"      --cleanup            detach, remove pinned state, and exit\n"
		"      --status             print the running xvsd's VRRP instances and exit\n"
		"      --metrics=ADDR:PORT  serve Prometheus /metrics there (off by default);\n"
		"                           ADDR numeric: 198.18.0.10:9100, [::1]:9100, :9100\n"
		"      --expire-quiescent-template  a persistence template to a weight-0\n"
		"                           real server no longer holds its clients (IPVS sysctl)\n"
		"      --genhash OPTIONS    (first) be keepalived's genhash, as xvs-genhash:\n"
		"                           print the MD5 digest of a web page for HTTP_GET\n"
		"  -h, --help               this help\n"
		"  -v, --version            version\n", XVS_PIN_ROOT);
}

/* Parse a bounded integer option value; -1 if bad. */
static long parse_num(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		return -1;
	return v;
}

/* A name that is safe as one path component. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '.')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* A map size option --name=val in min..max into *out. Returns 0 or -1. */
static int parse_size(const char *name, const char *val, long min, long max, uint32_t *out)
{
	long v = parse_num(val, min, max);

	if (v < 0) {
		fprintf(stderr, "xvsd: --%s must be %ld..%ld, not '%s'\n", name, min, max, val);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Apply one option. Returns 0, 1 (done: help/version), or -1. */
static int apply_option(int c, struct xvsd_options *o)
{
	socklen_t len;
	long v;

	switch (c) {
	case 'n': o->foreground = true; break;
	case 'l': o->log_console = true; break;
	case 'D': o->log_detail = true; break;
	case 'p': o->pidfile = optarg; break;
	case 'f': o->config_file = optarg; break;
	case 't': o->config_test = true; break;
	case 'h': usage(stdout); return 1;
	case 'v': printf("xvsd 0.1 (IPVS 1.2.1 compatible)\n"); return 1;
	case OPT_INTERFACE:
		if (o->n_ifaces == XVSD_MAX_IFACES) {
			fprintf(stderr, "xvsd: at most %d interfaces\n", XVSD_MAX_IFACES);
			return -1;
		}
		o->ifaces[o->n_ifaces++] = optarg;
		break;
	case OPT_XDP_MODE:
		if (!strcmp(optarg, "native")) {
			o->xdp_mode = XVS_XDP_NATIVE;
		} else if (!strcmp(optarg, "generic")) {
			o->xdp_mode = XVS_XDP_GENERIC;
		} else {
			fprintf(stderr, "xvsd: --xdp-mode must be native or generic, not '%s'\n", optarg);
			return -1;
		}
		break;
	case OPT_NAME:
		if (!valid_name(optarg)) {
			fprintf(stderr, "xvsd: bad --name '%s' (letters, digits, _ . -)\n", optarg);
			return -1;
		}
		o->name = optarg;
		break;
	case OPT_CTL: o->ctl_path = optarg; break;
	case OPT_CONN_TAB_BITS:
		v = parse_num(optarg, 8, 26);
		if (v < 0) {
			fprintf(stderr, "xvsd: --conn-tab-bits must be 8..26, not '%s'\n", optarg);
			return -1;
		}
		o->conn_tab_bits = (unsigned int)v;
		break;
	case OPT_MAX_SERVICES:
		return parse_size("max-services", optarg, XVS_MAX_SERVICES, 1L << 20, &o->max_svcs);
	case OPT_MAX_DESTS:
		return parse_size("max-dests", optarg, XVS_MAX_DESTS, 1L << 22, &o->max_dests);
	case OPT_CLEANUP: o->cleanup = true; break;
	case OPT_STATUS: o->status = true; break;
	case OPT_EXPIRE_QUIESCENT: o->expire_quiescent = true; break;
	case OPT_METRICS:
		if (xvs_metrics_parse_listen(optarg, &o->metrics_addr, &len)) {
			fprintf(stderr, "xvsd: --metrics wants ADDR:PORT with a numeric "
				"address and a port 1..65535, not '%s'\n", optarg);
			return -1;
		}
		o->metrics = optarg;
		break;
	default:
		usage(stderr);
		return -1;
	}
	return 0;
}

int xvsd_parse_options(int argc, char **argv, struct xvsd_options *o)
{
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->name = "xvsd";
	optind = 0;	/* 0, not 1: a full reset of glibc getopt, clusters included */
	while ((c = getopt_long(argc, argv, "nlDp:f:thv", long_opts, NULL)) != -1) {
		ret = apply_option(c, o);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		fprintf(stderr, "xvsd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	snprintf(o->pin_dir, sizeof(o->pin_dir), "%s/%s", XVS_PIN_ROOT, o->name);
	if (!o->ctl_path) {
		snprintf(o->ctl_buf, sizeof(o->ctl_buf), "/run/xvs/%s.sock", o->name);
		o->ctl_path = o->ctl_buf;
	}
	return 0;
}
