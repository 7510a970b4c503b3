// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - ipvsadm 1.31's command line syntax, see cli.h.
 *
 * ipvsadm parses with popt, and scripts depend on popt's ways: short
 * options cluster (-Ln, -Lnc), a short option's argument may follow in the
 * same word (-t1.2.3.4:80), the optional argument of -p is taken from the
 * next word unless that word starts with '-', non-option words are kept
 * for later (--set's three values) and "--" ends the options. The first
 * option must be the command. opt_next() reproduces these rules.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cli.h"

enum { ARG_NONE, ARG_REQ, ARG_OPT };

/* popt's error codes and texts, which ipvsadm prints. */
#define POPT_ERROR_NOARG	-10
#define POPT_ERROR_BADOPT	-11
#define POPT_ERROR_UNWANTEDARG	-12

/* Tags of long-only options; short options are tagged by their letter. */
enum {
	TAG_SET = 128, TAG_START_DAEMON, TAG_STOP_DAEMON, TAG_MCAST_INTERFACE,
	TAG_TIMEOUT, TAG_DAEMON, TAG_STATS, TAG_RATE, TAG_THRESHOLDS,
	TAG_PERSISTENTCONN, TAG_SORT, TAG_NO_SORT, TAG_PE, TAG_SCTP_SERVICE,
	TAG_MCAST_GROUP, TAG_MCAST_PORT, TAG_MCAST_TTL, TAG_SYNC_MAXLEN,
	TAG_TUN_INFO, TAG_TUN_TYPE, TAG_TUN_PORT, TAG_TUN_NOCSUM, TAG_TUN_CSUM,
	TAG_TUN_REMCSUM, TAG_SYNCID,
	TAG_CTL,		/* xvs: --ctl PATH */
	TAG_JSON,		/* xvs: --json listing */
	TAG_FULLNAT,		/* xvs: --fullnat forwarding */
};

struct cli_option {
	const char *name;
	char shortname;
	unsigned char arg;	/* ARG_* */
	int tag;
};

static const struct cli_option cli_options[] = {
	{ "add-service", 'A', ARG_NONE, 'A' },
	{ "edit-service", 'E', ARG_NONE, 'E' },
	{ "delete-service", 'D', ARG_NONE, 'D' },
	{ "clear", 'C', ARG_NONE, 'C' },
	{ "list", 'L', ARG_NONE, 'L' },
	{ "list", 'l', ARG_NONE, 'l' },
	{ "zero", 'Z', ARG_NONE, 'Z' },
	{ "add-server", 'a', ARG_NONE, 'a' },
	{ "edit-server", 'e', ARG_NONE, 'e' },
	{ "delete-server", 'd', ARG_NONE, 'd' },
	{ "set", 0, ARG_NONE, TAG_SET },
	{ "help", 'h', ARG_NONE, 'h' },
	{ "version", 'v', ARG_NONE, 'v' },
	{ "restore", 'R', ARG_NONE, 'R' },
	{ "save", 'S', ARG_NONE, 'S' },
	{ "start-daemon", 0, ARG_REQ, TAG_START_DAEMON },
	{ "stop-daemon", 0, ARG_REQ, TAG_STOP_DAEMON },
	{ "tcp-service", 't', ARG_REQ, 't' },
	{ "udp-service", 'u', ARG_REQ, 'u' },
	{ "sctp-service", 0, ARG_REQ, TAG_SCTP_SERVICE },
	{ "fwmark-service", 'f', ARG_REQ, 'f' },
	{ "scheduler", 's', ARG_REQ, 's' },
	{ "persistent", 'p', ARG_OPT, 'p' },
	{ "netmask", 'M', ARG_REQ, 'M' },
	{ "real-server", 'r', ARG_REQ, 'r' },
	{ "masquerading", 'm', ARG_NONE, 'm' },
	{ "ipip", 'i', ARG_NONE, 'i' },
	{ "gatewaying", 'g', ARG_NONE, 'g' },
	{ "weight", 'w', ARG_REQ, 'w' },
	{ "u-threshold", 'x', ARG_REQ, 'x' },
	{ "l-threshold", 'y', ARG_REQ, 'y' },
	{ "numeric", 'n', ARG_NONE, 'n' },
	{ "connection", 'c', ARG_NONE, 'c' },
	{ "mcast-interface", 0, ARG_REQ, TAG_MCAST_INTERFACE },
	{ "syncid", 0, ARG_REQ, TAG_SYNCID },
	{ "timeout", 0, ARG_NONE, TAG_TIMEOUT },
	{ "daemon", 0, ARG_NONE, TAG_DAEMON },
	{ "stats", 0, ARG_NONE, TAG_STATS },
	{ "rate", 0, ARG_NONE, TAG_RATE },
	{ "thresholds", 0, ARG_NONE, TAG_THRESHOLDS },
	{ "persistent-conn", 0, ARG_NONE, TAG_PERSISTENTCONN },
	{ "nosort", 0, ARG_NONE, TAG_NO_SORT },
	{ "sort", 0, ARG_NONE, TAG_SORT },
	{ "exact", 'X', ARG_NONE, 'X' },
	{ "ipv6", '6', ARG_NONE, '6' },
	{ "ops", 'o', ARG_NONE, 'o' },
	{ "pe", 0, ARG_REQ, TAG_PE },
	{ "sched-flags", 'b', ARG_REQ, 'b' },
	{ "mcast-group", 0, ARG_REQ, TAG_MCAST_GROUP },
	{ "mcast-port", 0, ARG_REQ, TAG_MCAST_PORT },
	{ "mcast-ttl", 0, ARG_REQ, TAG_MCAST_TTL },
	{ "sync-maxlen", 0, ARG_REQ, TAG_SYNC_MAXLEN },
	{ "tun-info", 0, ARG_NONE, TAG_TUN_INFO },
	{ "tun-type", 0, ARG_REQ, TAG_TUN_TYPE },
	{ "tun-port", 0, ARG_REQ, TAG_TUN_PORT },
	{ "tun-nocsum", 0, ARG_NONE, TAG_TUN_NOCSUM },
	{ "tun-csum", 0, ARG_NONE, TAG_TUN_CSUM },
	{ "tun-remcsum", 0, ARG_NONE, TAG_TUN_REMCSUM },
	{ "ctl", 0, ARG_REQ, TAG_CTL },
	{ "json", 0, ARG_NONE, TAG_JSON },
	{ "fullnat", 0, ARG_NONE, TAG_FULLNAT },
};

#define N_OPTIONS (sizeof(cli_options) / sizeof(cli_options[0]))

/* The words of the error messages, as ipvsadm names them. */
static const char *const cmd_names[XVS_CLI_NCMD] = {
	"add-service", "edit-service", "delete-service", "flush", "list",
	"add-server", "delete-server", "edit-server", "set", "start-daemon",
	"stop-daemon", "restore", "save", "zero",
};

static const char *const opt_names[XVS_CLI_NOPT] = {
	"numeric", "connection", "service-address", "scheduler", "persistent",
	"netmask", "real-server", "forwarding-method", "weight", "u-threshold",
	"l-threshold", "mcast-interface", "timeout", "daemon", "stats", "rate",
	"thresholds", "persistent-conn", "nosort", "syncid", "exact", "ops",
	"pe", "sched-flags", "mcast-group", "mcast-port", "mcast-ttl",
	"sync-maxlen", "tun-info", "tun-type", "tun-port", "tun-nocsum",
	"tun-csum", "tun-remcsum",
};

/*
 * Legal combinations of commands (rows) and options (columns, enum
 * xvs_cli_opt order), ipvsadm's table: '+' compulsory, 'x' illegal,
 * '1' at most one of the '1' options, ' ' optional.
 *
 *                 -n-c svc-s-p-M-r fwd-w-x-y mc tot dmn st rt thr pc srt sid ex ops pe b grp port ttl size tinf type tprt nocs csum remc
 */
static const char cmd_opts[XVS_CLI_NCMD][XVS_CLI_NOPT + 1] = {
	/* ADD */	"xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
	/* EDIT */	"xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
	/* DEL */	"xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* FLUSH */	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* LIST */	" 11xxxxxxxxx11       xxxxxxx xxxxx",
	/* ADDDEST */	"xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
	/* DELDEST */	"xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* EDITDEST */	"xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
	/* TIMEOUT */	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* STARTD */	"xxxxxxxxxxx xxxxxxx xxxx    xxxxxx",
	/* STOPD */	"xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx",
	/* RESTORE */	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* SAVE */	" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	/* ZERO */	"xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* Tunnel options (columns) legal per tunnel type (rows), same key. */
static const int tun_opts[4] = {
	XVS_CLI_OPT_TUN_PORT, XVS_CLI_OPT_TUN_NOCSUM, XVS_CLI_OPT_TUN_CSUM,
	XVS_CLI_OPT_TUN_REMCSUM,
};
static const char *const tun_names[3] = { "ipip", "gue", "gre" };
static const char tun_type_opts[3][5] = { "xxxx", "+111", "x11x" };

#define SERVICE_NONE	0
#define SERVICE_ADDR	1
#define SERVICE_PORT	2

/* popt-like iteration over argv. */
struct opt_iter {
	int argc;
	char **argv;
	int next;		/* next word of argv */
	const char *cluster;	/* rest of a short-option cluster */
	const char *cur;	/* the word of the last option, for messages */
	bool no_more_opts;	/* after "--" */
	char **left;		/* non-option words, in order */
	int nleft;
	int left_used;
};

/* A service address as parse_service() fills it (ipvsadm's ipvs_service_t). */
struct svc_addr {
	__u8 af;
	union xvs_addr addr;
	__be16 port;
	__u32 netmask;
};

/* Print ipvsadm's fail() message. Returns the exit status, 2. */
static int __attribute__((format(printf, 2, 3)))
fail(FILE *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	return XVS_CLI_EXIT_FAIL;
}

/* ipvsadm's tryhelp_exit(). Returns the exit status, 255. */
static int tryhelp(FILE *err, const char *program)
{
	fprintf(err, "Try `%s -h' or '%s --help' for more information.\n",
		program, program);
	return XVS_CLI_EXIT_CMD;
}

static const char *popt_strerror(int error)
{
	switch (error) {
	case POPT_ERROR_NOARG:
		return "missing argument";
	case POPT_ERROR_UNWANTEDARG:
		return "option does not take an argument";
	default:
		return "unknown option";
	}
}

static const struct cli_option *find_long(const char *word, const char **arg)
{
	const char *eq = strchr(word, '=');
	size_t len = eq ? (size_t)(eq - word) : strlen(word);

	*arg = eq ? eq + 1 : NULL;
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (strlen(cli_options[i].name) == len &&
		    strncmp(cli_options[i].name, word, len) == 0)
			return &cli_options[i];
	return NULL;
}

static const struct cli_option *find_short(char c)
{
	for (size_t i = 0; i < N_OPTIONS; i++)
		if (cli_options[i].shortname && cli_options[i].shortname == c)
			return &cli_options[i];
	return NULL;
}

/* Fetch the argument of option o, popt's way. Returns o's tag or an error. */
static int opt_take_arg(struct opt_iter *it, const struct cli_option *o,
			const char *longarg, const char **optarg)
{
	if (o->arg == ARG_NONE)
		return longarg ? POPT_ERROR_UNWANTEDARG : o->tag;
	if (longarg) {
		*optarg = longarg;
		return o->tag;
	}
	if (it->cluster && *it->cluster) {
		/* "-p=300" and "-p300" both give 300. */
		*optarg = it->cluster + (*it->cluster == '=');
		it->cluster = NULL;
		return o->tag;
	}
	it->cluster = NULL;
	if (it->next >= it->argc)
		return o->arg == ARG_OPT ? o->tag : POPT_ERROR_NOARG;
	/* An optional argument is never a word that looks like an option. */
	if (o->arg == ARG_OPT && it->argv[it->next][0] == '-')
		return o->tag;
	*optarg = it->argv[it->next++];
	return o->tag;
}

/*
 * The next option: its tag, -1 at the end, or a POPT_ERROR_*. *optarg
 * gets its argument or NULL.
 */
static int opt_next(struct opt_iter *it, const char **optarg)
{
	const struct cli_option *o;
	const char *longarg = NULL;

	*optarg = NULL;
	while (!it->cluster || !*it->cluster) {
		const char *w;

		it->cluster = NULL;
		if (it->next >= it->argc)
			return -1;
		w = it->argv[it->next++];
		if (it->no_more_opts || w[0] != '-' || w[1] == '\0') {
			it->left[it->nleft++] = (char *)w;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			it->no_more_opts = true;
			continue;
		}
		it->cur = w;
		if (w[1] == '-') {
			o = find_long(w + 2, &longarg);
			if (!o)
				return POPT_ERROR_BADOPT;
			return opt_take_arg(it, o, longarg, optarg);
		}
		it->cluster = w + 1;
	}
	o = find_short(*it->cluster);
	if (!o)
		return POPT_ERROR_BADOPT;
	it->cluster++;
	return opt_take_arg(it, o, NULL, optarg);
}

/* ipvsadm's string_to_number(): a whole decimal in [min, max], or -1. */
static long string_to_number(const char *s, long min, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*end == '\0' && end != s && errno != ERANGE && min <= n && n <= max)
		return n;
	return -1;
}

static bool str_is_digit(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* IPv4 address of a host name (ipvsadm's host_to_addr()). */
static int host_to_addr(const char *name, struct in_addr *addr)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;

	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return -1;
	*addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

/* Port of a service name for proto, or -1. */
static long service_to_port(const char *name, int proto)
{
	const char *p = proto == IPPROTO_TCP ? "tcp" :
			proto == IPPROTO_UDP ? "udp" :
			proto == IPPROTO_SCTP ? "sctp" : NULL;
	struct servent *se = p ? getservbyname(name, p) : NULL;

	return se ? ntohs((uint16_t)se->s_port) : -1;
}

/*
 * ipvsadm's parse_service(): "host[:port]", "v6addr" or "[v6addr]:port".
 * Returns SERVICE_* bits; *s is updated as ipvsadm updates its service.
 */
static int parse_service(const char *arg, int proto, struct svc_addr *s)
{
	char buf[256], *host, *portp = NULL;
	struct in6_addr in6;
	struct in_addr in4;
	long port;

	if (!arg || str_is_digit(arg) || strlen(arg) >= sizeof(buf))
		return SERVICE_NONE;
	strcpy(buf, arg);
	host = buf;
	if (host[0] == '[') {
		host++;
		portp = strchr(host, ']');
		if (!portp)
			return SERVICE_NONE;
		*portp++ = '\0';
		if (*portp != ':')
			return SERVICE_NONE;
		*portp = '\0';
	}
	if (inet_pton(AF_INET6, host, &in6) > 0) {
		memcpy(s->addr.bytes, &in6, sizeof(in6));
		s->af = XVS_AF_INET6;
		s->netmask = 128;
	} else {
		/* As ipvsadm: "[1.2.3.4]:80" loses its port here. */
		portp = strrchr(host, ':');
		if (portp)
			*portp = '\0';
		if (!inet_aton(host, &in4) && host_to_addr(host, &in4))
			return SERVICE_NONE;
		memset(&s->addr, 0, sizeof(s->addr));
		s->addr.ip4 = in4.s_addr;
		s->af = XVS_AF_INET;
	}
	if (!portp)
		return SERVICE_ADDR;
	port = string_to_number(portp + 1, 0, 65535);
	if (port < 0)
		port = service_to_port(portp + 1, proto);
	if (port < 0)
		return SERVICE_NONE;
	s->port = htons((uint16_t)port);
	return SERVICE_ADDR | SERVICE_PORT;
}

/*
 * -M for IPv4: a dotted mask, a host name (as ipvsadm) or, an xvs
 * extension, a prefix length. The mask must be contiguous: xvs keeps a
 * prefix length. Returns 0 or the exit status.
 */
static int parse_netmask(const char *arg, __u32 *mask, FILE *err)
{
	struct in_addr in;

	if (arg[0] && str_is_digit(arg) && strlen(arg) <= 2 && atoi(arg) <= 32) {
		int len = atoi(arg);

		*mask = len ? htonl(~0u << (32 - len)) : 0;
		return 0;
	}
	if (!inet_aton(arg, &in) && host_to_addr(arg, &in))
		return fail(err, "illegal virtual server persistent mask specified");
	if (xvs_mask4_len(in.s_addr) < 0)
		return fail(err, "illegal virtual server persistent mask specified: "
			    "%s is not contiguous (xvs keeps a prefix length)", arg);
	*mask = in.s_addr;
	return 0;
}

/* ipvsadm's parse_timeout(): NULL means the -p default. */
static int parse_timeout(const char *arg, long min, long max, __u32 *out, FILE *err)
{
	long v;

	if (!arg) {
		*out = XVS_CLI_DEF_PERSISTENT;
		return 0;
	}
	v = string_to_number(arg, min, max);
	if (v < 0)
		return fail(err, "invalid timeout value `%s' specified", arg);
	*out = (__u32)v;
	return 0;
}

static int set_option(struct xvs_cli_req *req, int optc, FILE *err)
{
	__u64 bit = 1ULL << optc;

	if (req->options & bit)
		return fail(err, "multiple '%s' options specified", opt_names[optc]);
	req->options |= bit;
	return 0;
}

static void req_defaults(struct xvs_cli_req *req)
{
	memset(req, 0, sizeof(*req));
	req->weight = 1;
	req->fwd = XVS_FWD_DR;
	req->netmask = 0xffffffffu;
	req->tun_type = XVS_CLI_TUN_IPIP;
}

/* The first option, which must be the command. Returns 0 or the exit status. */
static int set_command(struct xvs_cli_req *req, int tag, const char *arg,
		       const char *program, FILE *err)
{
	static const struct { int tag, cmd; } cmds[] = {
		{ 'A', XVS_CLI_CMD_ADD }, { 'E', XVS_CLI_CMD_EDIT },
		{ 'D', XVS_CLI_CMD_DEL }, { 'a', XVS_CLI_CMD_ADDDEST },
		{ 'e', XVS_CLI_CMD_EDITDEST }, { 'd', XVS_CLI_CMD_DELDEST },
		{ 'C', XVS_CLI_CMD_FLUSH }, { 'L', XVS_CLI_CMD_LIST },
		{ 'l', XVS_CLI_CMD_LIST }, { 'Z', XVS_CLI_CMD_ZERO },
		{ TAG_SET, XVS_CLI_CMD_TIMEOUT }, { 'R', XVS_CLI_CMD_RESTORE },
		{ 'S', XVS_CLI_CMD_SAVE }, { 'h', XVS_CLI_CMD_HELP },
		{ 'v', XVS_CLI_CMD_VERSION },
		{ TAG_START_DAEMON, XVS_CLI_CMD_STARTDAEMON },
		{ TAG_STOP_DAEMON, XVS_CLI_CMD_STOPDAEMON },
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (cmds[i].tag != tag)
			continue;
		req->cmd = cmds[i].cmd;
		if (tag == TAG_START_DAEMON && strcmp(arg, "master") &&
		    strcmp(arg, "backup"))
			return fail(err, "illegal start-daemon parameter specified");
		if (tag == TAG_STOP_DAEMON && strcmp(arg, "master") &&
		    strcmp(arg, "backup"))
			return fail(err, "illegal start_daemon specified");
		return 0;
	}
	return tryhelp(err, program);
}

/* -t, -u, --sctp-service, -f. Returns 0 or the exit status. */
static int opt_service(struct xvs_cli_req *req, int tag, const char *arg, FILE *err)
{
	struct svc_addr s = {
		.af = req->key.af, .addr = req->key.addr,
		.port = req->key.port, .netmask = req->netmask,
	};
	unsigned long mark;
	char *end;

	if (tag == 'f') {
		req->key.af = XVS_AF_INET;
		req->key.proto = IPPROTO_TCP;
		errno = 0;
		mark = strtoul(arg, &end, 10);
		if (*end || end == arg || errno == ERANGE || arg[0] == '-' ||
		    mark == 0 || mark > UINT_MAX)
			return fail(err, "invalid fwmark value `%s' specified", arg);
		req->key.fwmark = (__u32)mark;
		return 0;
	}
	req->key.proto = tag == 't' ? IPPROTO_TCP :
			 tag == 'u' ? IPPROTO_UDP : IPPROTO_SCTP;
	if (!(parse_service(arg, req->key.proto, &s) & SERVICE_ADDR))
		return fail(err, "illegal virtual server address[:port] specified");
	req->key.af = s.af;
	req->key.addr = s.addr;
	req->key.port = s.port;
	req->netmask = s.netmask;
	return 0;
}

/* The options of a virtual service. Returns 0, the exit status, or -1. */
static int opt_svc(struct xvs_cli_req *req, int tag, const char *arg,
		   char *sched_flags, size_t sfl, FILE *err)
{
	int ret;

	switch (tag) {
	case 't': case 'u': case TAG_SCTP_SERVICE: case 'f':
		ret = set_option(req, XVS_CLI_OPT_SERVICE, err);
		return ret ? ret : opt_service(req, tag, arg, err);
	case 's':
		ret = set_option(req, XVS_CLI_OPT_SCHEDULER, err);
		snprintf(req->sched_name, sizeof(req->sched_name), "%s", arg);
		return ret;
	case 'p':
		ret = set_option(req, XVS_CLI_OPT_PERSISTENT, err);
		req->svc_flags |= XVS_SVC_F_PERSISTENT;
		return ret ? ret : parse_timeout(arg, 1, XVS_CLI_MAX_TIMEOUT,
						 &req->timeout, err);
	case 'M':
		ret = set_option(req, XVS_CLI_OPT_NETMASK, err);
		if (ret || req->key.af != XVS_AF_INET6)
			return ret ? ret : parse_netmask(arg, &req->netmask, err);
		req->netmask = (__u32)atoi(arg);
		if (req->netmask < 1 || req->netmask > 128)
			return fail(err, "illegal ipv6 netmask specified");
		return 0;
	case '6':
		if (!req->key.fwmark)
			return fail(err, "-6 used before -f\n");
		req->key.af = XVS_AF_INET6;
		req->netmask = 128;
		return 0;
	case 'o':
		req->svc_flags |= XVS_SVC_F_ONEPACKET;
		return set_option(req, XVS_CLI_OPT_ONEPACKET, err);
	case TAG_PE:
		snprintf(req->pe_name, sizeof(req->pe_name), "%s", arg);
		return set_option(req, XVS_CLI_OPT_PE, err);
	case 'b':
		snprintf(sched_flags, sfl, "%s", arg);
		return set_option(req, XVS_CLI_OPT_SCHED_FLAGS, err);
	}
	return -1;
}

/* -r: ipvsadm parses it against a copy of the service so far. */
static int opt_server(struct xvs_cli_req *req, const char *arg, FILE *err)
{
	struct svc_addr s = {
		.af = req->key.af, .addr = req->key.addr,
		.port = req->key.port, .netmask = req->netmask,
	};
	int parse = parse_service(arg, req->key.proto, &s);

	req->daf = s.af;
	req->daddr = s.addr;
	req->dport = s.port;
	if (!(parse & SERVICE_ADDR))
		return fail(err, "illegal real server address[:port] specified");
	if (parse == SERVICE_ADDR)
		req->dport = req->key.port;
	return 0;
}

/* The options of a real server. Returns 0, the exit status, or -1. */
static int opt_dest(struct xvs_cli_req *req, int tag, const char *arg, FILE *err)
{
	static const struct { int tag; __u8 fwd; } fwds[] = {
		{ 'i', XVS_FWD_TUN }, { 'g', XVS_FWD_DR }, { 'm', XVS_FWD_NAT },
		{ TAG_FULLNAT, XVS_FWD_FULLNAT },
	};
	static const struct { int tag, optc; long max; const char *what; } nums[] = {
		{ 'w', XVS_CLI_OPT_WEIGHT, 65535, "weight" },
		{ 'x', XVS_CLI_OPT_UTHRESHOLD, INT_MAX, "u_threshold" },
		{ 'y', XVS_CLI_OPT_LTHRESHOLD, INT_MAX, "l_threshold" },
		{ TAG_TUN_PORT, XVS_CLI_OPT_TUN_PORT, 65535, "tunnel port" },
	};
	long v;
	int ret;

	if (tag == 'r') {
		ret = set_option(req, XVS_CLI_OPT_SERVER, err);
		return ret ? ret : opt_server(req, arg, err);
	}
	for (size_t i = 0; i < sizeof(fwds) / sizeof(fwds[0]); i++)
		if (fwds[i].tag == tag) {
			req->fwd = fwds[i].fwd;
			return set_option(req, XVS_CLI_OPT_FORWARD, err);
		}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (nums[i].tag != tag)
			continue;
		ret = set_option(req, nums[i].optc, err);
		if (ret)
			return ret;
		v = string_to_number(arg, tag == TAG_TUN_PORT ? 1 : 0, nums[i].max);
		if (v < 0)
			return fail(err, "illegal %s specified", nums[i].what);
		if (tag == 'w')
			req->weight = (__s32)v;
		else if (tag == 'x')
			req->u_threshold = (__u32)v;
		else if (tag == 'y')
			req->l_threshold = (__u32)v;
		return 0;
	}
	if (tag == TAG_TUN_TYPE) {
		ret = set_option(req, XVS_CLI_OPT_TUN_TYPE, err);
		for (int i = 0; !ret && i < 3; i++)
			if (strcmp(arg, tun_names[i]) == 0) {
				req->tun_type = i;
				return 0;
			}
		return ret ? ret : fail(err, "illegal tunnel type specified");
	}
	return -1;
}

/* Sync daemon options: checked as ipvsadm checks them, then unused. */
static int opt_daemon(struct xvs_cli_req *req, int tag, const char *arg, FILE *err)
{
	struct in6_addr grp;
	int ret;

	switch (tag) {
	case TAG_MCAST_INTERFACE:
		return set_option(req, XVS_CLI_OPT_MCAST, err);
	case TAG_SYNCID:
		ret = set_option(req, XVS_CLI_OPT_SYNCID, err);
		return ret ? ret : string_to_number(arg, 0, 255) < 0 ?
			fail(err, "illegal syncid specified") : 0;
	case TAG_MCAST_GROUP:
		ret = set_option(req, XVS_CLI_OPT_MCAST_GROUP, err);
		if (ret)
			return ret;
		if (strchr(arg, ':'))
			return inet_pton(AF_INET6, arg, &grp) <= 0 ||
			       !IN6_IS_ADDR_MULTICAST(&grp) ?
			       fail(err, "invalid IPv6 mcast-group `%s'", arg) : 0;
		return inet_pton(AF_INET, arg, &grp) <= 0 ||
		       !IN_MULTICAST(ntohl(grp.s6_addr32[0])) ?
		       fail(err, "invalid IPv4 mcast-group `%s'", arg) : 0;
	case TAG_MCAST_PORT:
		ret = set_option(req, XVS_CLI_OPT_MCAST_PORT, err);
		return ret ? ret : string_to_number(arg, 1, 65535) < 0 ?
			fail(err, "illegal mcast-port specified") : 0;
	case TAG_MCAST_TTL:
		ret = set_option(req, XVS_CLI_OPT_MCAST_TTL, err);
		return ret ? ret : string_to_number(arg, 1, 255) < 0 ?
			fail(err, "illegal mcast-ttl specified") : 0;
	case TAG_SYNC_MAXLEN:
		ret = set_option(req, XVS_CLI_OPT_SYNC_MAXLEN, err);
		return ret ? ret : string_to_number(arg, 1, 65535 - 20 - 8) < 0 ?
			fail(err, "illegal sync-maxlen specified") : 0;
	}
	return -1;
}

/* Options that only set an option bit, and maybe a format bit. */
static int opt_flag(struct xvs_cli_req *req, int tag, FILE *err)
{
	static const struct { int tag, optc; unsigned int fmt; } flags[] = {
		{ 'c', XVS_CLI_OPT_CONNECTION, 0 },
		{ 'n', XVS_CLI_OPT_NUMERIC, XVS_CLI_FMT_NUMERIC },
		{ TAG_TIMEOUT, XVS_CLI_OPT_TIMEOUT, 0 },
		{ TAG_DAEMON, XVS_CLI_OPT_DAEMON, 0 },
		{ TAG_STATS, XVS_CLI_OPT_STATS, XVS_CLI_FMT_STATS },
		{ TAG_RATE, XVS_CLI_OPT_RATE, XVS_CLI_FMT_RATE },
		{ TAG_THRESHOLDS, XVS_CLI_OPT_THRESHOLDS, XVS_CLI_FMT_THRESHOLDS },
		{ TAG_PERSISTENTCONN, XVS_CLI_OPT_PERSISTENTCONN,
		  XVS_CLI_FMT_PERSISTENTCONN },
		{ TAG_NO_SORT, XVS_CLI_OPT_NOSORT, XVS_CLI_FMT_NOSORT },
		{ 'X', XVS_CLI_OPT_EXACT, XVS_CLI_FMT_EXACT },
		{ TAG_TUN_INFO, XVS_CLI_OPT_TUN_INFO, XVS_CLI_FMT_TUN_INFO },
		{ TAG_TUN_NOCSUM, XVS_CLI_OPT_TUN_NOCSUM, 0 },
		{ TAG_TUN_CSUM, XVS_CLI_OPT_TUN_CSUM, 0 },
		{ TAG_TUN_REMCSUM, XVS_CLI_OPT_TUN_REMCSUM, 0 },
	};

	if (tag == TAG_SORT)
		return 0;	/* the default; accepted for compatibility */
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].tag == tag) {
			req->format |= flags[i].fmt;
			return set_option(req, flags[i].optc, err);
		}
	return -1;
}

/* One option after the command. Returns 0 or the exit status. */
static int handle_option(struct xvs_cli_req *req, int tag, const char *arg,
			 const struct opt_iter *it, char *sched_flags, size_t sfl,
			 FILE *err)
{
	int ret;

	if (tag == TAG_CTL) {
		req->ctl_path = arg;
		return 0;
	}
	if (tag == TAG_JSON) {
		req->format |= XVS_CLI_FMT_JSON;
		return 0;
	}
	ret = opt_svc(req, tag, arg, sched_flags, sfl, err);
	if (ret < 0)
		ret = opt_dest(req, tag, arg, err);
	if (ret < 0)
		ret = opt_daemon(req, tag, arg, err);
	if (ret < 0)
		ret = opt_flag(req, tag, err);
	if (ret < 0)
		ret = fail(err, "invalid option `%s'", it->cur);
	return ret;
}

/* --set's three values, then nothing else. Returns 0 or the exit status. */
static int handle_leftovers(struct xvs_cli_req *req, struct opt_iter *it, FILE *err)
{
	__u32 *vals[3] = { &req->set.tcp, &req->set.tcpfin, &req->set.udp };
	int ret;

	if (req->cmd == XVS_CLI_CMD_TIMEOUT) {
		if (it->nleft < 3)
			return fail(err, "--set option requires 3 timeout values");
		for (int i = 0; i < 3; i++) {
			ret = parse_timeout(it->left[i], 0, XVS_CLI_MAX_TIMEOUT,
					    vals[i], err);
			if (ret)
				return ret;
		}
		it->left_used = 3;
	}
	if (it->nleft > it->left_used)
		return fail(err, "unexpected argument %s", it->left[it->left_used]);
	return 0;
}

/* ipvsadm's parse_sched_flags(): -b against the scheduler's name. */
static int parse_sched_flags(struct xvs_cli_req *req, char *arg, FILE *err)
{
	static const struct { const char *name, *sched; __u32 flag; } tab[] = {
		{ "flag-1", NULL, XVS_SVC_F_SCHED1 },
		{ "flag-2", NULL, XVS_SVC_F_SCHED2 },
		{ "flag-3", NULL, XVS_SVC_F_SCHED3 },
		{ "sh-fallback", "sh", XVS_SVC_F_SCHED1 },
		{ "sh-port", "sh", XVS_SVC_F_SCHED2 },
		{ "mh-fallback", "mh", XVS_SVC_F_SCHED1 },
		{ "mh-port", "mh", XVS_SVC_F_SCHED2 },
	};
	const char *sched = req->sched_name[0] ? req->sched_name : XVS_CLI_DEF_SCHED;
	char *save = NULL, *flag;
	size_t i;

	req->svc_flags &= ~(XVS_SVC_F_SCHED1 | XVS_SVC_F_SCHED2 | XVS_SVC_F_SCHED3);
	for (flag = strtok_r(arg, ",", &save); flag; flag = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (strcmp(flag, tab[i].name) == 0)
				break;
		if (i == sizeof(tab) / sizeof(tab[0]))
			return fail(err, "invalid scheduler flag `%s'", flag);
		req->svc_flags |= tab[i].flag;
		if (tab[i].sched && strcmp(sched, tab[i].sched))
			return fail(err, "incompatible scheduler flag `%s'", flag);
	}
	return 0;
}

/* ipvsadm's generic_opt_check() against cmd_opts. */
static int check_cmd_opts(const struct xvs_cli_req *req, FILE *err)
{
	const char *row = cmd_opts[req->cmd - 1];
	const char *cmd = cmd_names[req->cmd - 1];
	int last = 0, count = 0;

	for (int j = 0; j < XVS_CLI_NOPT; j++) {
		if (!(req->options & (1ULL << j))) {
			if (row[j] == '+')
				return fail(err, "You need to supply the '%s' option "
					    "for the '%s' command", opt_names[j], cmd);
			continue;
		}
		if (row[j] == 'x')
			return fail(err, "Illegal '%s' option with the '%s' command",
				    opt_names[j], cmd);
		if (row[j] == '1' && count++)
			return fail(err, "The option '%s' conflicts with the '%s' "
				    "option in the '%s' command", opt_names[j],
				    opt_names[last], cmd);
		if (row[j] == '1')
			last = j;
	}
	return 0;
}

/* ipvsadm's tunnel_opt_check(), then xvs's own limit: ipip only. */
static int check_tun_opts(const struct xvs_cli_req *req, FILE *err)
{
	const char *row = tun_type_opts[req->tun_type];
	const char *type = tun_names[req->tun_type];
	int last = 0, count = 0;

	for (int j = 0; j < 4; j++) {
		int k = tun_opts[j];

		if (!(req->options & (1ULL << k))) {
			if (row[j] == '+')
				return fail(err, "You need to supply the '%s' option "
					    "for the '%s' tunnel type", opt_names[k], type);
			continue;
		}
		if (row[j] == 'x')
			return fail(err, "Illegal '%s' option with the '%s' tunnel type",
				    opt_names[k], type);
		if (row[j] == '1' && count++)
			return fail(err, "The option '%s' conflicts with the '%s' option "
				    "in the '%s' tunnel type", opt_names[k],
				    opt_names[last], type);
		if (row[j] == '1')
			last = k;
	}
	if (req->tun_type != XVS_CLI_TUN_IPIP)
		return fail(err, "tunnel type `%s' is not supported by xvs "
			    "(only ipip)", type);
	return 0;
}

/* -c, --timeout and --daemon do not mix with the counter listings. */
static bool list_conflict(__u64 o)
{
	const __u64 conn = 1ULL << XVS_CLI_OPT_CONNECTION;
	const __u64 tmo = 1ULL << XVS_CLI_OPT_TIMEOUT;
	const __u64 dmn = 1ULL << XVS_CLI_OPT_DAEMON;
	const __u64 info = (1ULL << XVS_CLI_OPT_STATS) | (1ULL << XVS_CLI_OPT_RATE) |
			   (1ULL << XVS_CLI_OPT_THRESHOLDS);

	return ((o & (conn | tmo | dmn)) && (o & info)) ||
	       ((o & (tmo | dmn)) && (o & (1ULL << XVS_CLI_OPT_PERSISTENTCONN)));
}

/* ipvsadm's checks between parsing and running. Returns 0 or the exit status. */
static int check_command(struct xvs_cli_req *req, FILE *err)
{
	const __u64 tun = (1ULL << XVS_CLI_OPT_TUN_TYPE) | (1ULL << XVS_CLI_OPT_TUN_PORT) |
		(1ULL << XVS_CLI_OPT_TUN_NOCSUM) | (1ULL << XVS_CLI_OPT_TUN_CSUM) |
		(1ULL << XVS_CLI_OPT_TUN_REMCSUM);
	int ret = check_cmd_opts(req, err);

	if (ret)
		return ret;
	if (req->cmd == XVS_CLI_CMD_ADD || req->cmd == XVS_CLI_CMD_EDIT) {
		if (!req->key.fwmark && !req->key.port &&
		    !(req->svc_flags & XVS_SVC_F_PERSISTENT))
			return fail(err, "Zero port specified for non-persistent service");
		if ((req->svc_flags & XVS_SVC_F_ONEPACKET) && !req->key.fwmark &&
		    req->key.proto != IPPROTO_UDP)
			return fail(err, "One-Packet Scheduling is only for UDP "
				    "virtual services");
		/* -E without -s goes back to wlc, as with ipvsadm. */
		if (!req->sched_name[0])
			strcpy(req->sched_name, XVS_CLI_DEF_SCHED);
	}
	if (req->cmd == XVS_CLI_CMD_ADDDEST || req->cmd == XVS_CLI_CMD_EDITDEST) {
		/* DR and TUN cannot change the port: force the virtual one. */
		if (!req->key.fwmark &&
		    (req->fwd == XVS_FWD_TUN || req->fwd == XVS_FWD_DR))
			req->dport = req->key.port;
		if (req->daf != req->key.af && req->fwd != XVS_FWD_TUN)
			return fail(err, "Different address family is allowed only "
				    "for tunneling servers");
		if ((req->options & tun) && req->fwd != XVS_FWD_TUN)
			return fail(err, "Tunnel options conflict with forward method");
		return check_tun_opts(req, err);
	}
	if (req->cmd == XVS_CLI_CMD_LIST && list_conflict(req->options))
		return fail(err, "options conflicts in the list command");
	if ((req->format & XVS_CLI_FMT_JSON) &&
	    (req->cmd != XVS_CLI_CMD_LIST ||
	     (req->options & ((1ULL << XVS_CLI_OPT_CONNECTION) | (1ULL << XVS_CLI_OPT_TIMEOUT) |
			      (1ULL << XVS_CLI_OPT_DAEMON)))))
		return fail(err, "--json lists services: use it with -L alone, "
			    "not with -c, --timeout or --daemon");
	return 0;
}

/* After the command: options, popt errors, leftovers, -b, checks. */
static int parse_rest(struct xvs_cli_req *req, struct opt_iter *it, FILE *err)
{
	char sched_flags[128] = "";
	const char *arg;
	int c, ret;

	while ((c = opt_next(it, &arg)) >= 0) {
		ret = handle_option(req, c, arg, it, sched_flags, sizeof(sched_flags), err);
		if (ret)
			return ret;
	}
	if (c < -1) {
		fprintf(err, "%s: %s\n", it->cur, popt_strerror(c));
		return XVS_CLI_EXIT_CMD;
	}
	ret = handle_leftovers(req, it, err);
	if (!ret && sched_flags[0])
		ret = parse_sched_flags(req, sched_flags, err);
	return ret ? ret : check_command(req, err);
}

int xvs_cli_parse(int argc, char **argv, struct xvs_cli_req *req, FILE *err)
{
	struct opt_iter it = { .argc = argc, .argv = argv, .next = 1 };
	const char *arg;
	int c, ret;

	req_defaults(req);
	it.left = calloc((size_t)argc + 1, sizeof(*it.left));
	if (!it.left) {
		fprintf(err, "%s\n", strerror(ENOMEM));
		return XVS_CLI_EXIT_FAIL;
	}
	c = opt_next(&it, &arg);
	if (c < 0) {
		ret = tryhelp(err, argv[0]);
		goto out;
	}
	ret = set_command(req, c, arg, argv[0], err);
	if (ret || req->cmd == XVS_CLI_CMD_HELP || req->cmd == XVS_CLI_CMD_VERSION)
		goto out;
	ret = parse_rest(req, &it, err);
out:
	free(it.left);
	return ret;
}
