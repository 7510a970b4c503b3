// SPDX-License-Identifier: GPL-2.0
/*
 * args.c - xvs-rs command line, from two tables: the commands, and the
 * options with the commands that take each. Parsing checks everything
 * that needs no system call, so that a bad command line changes nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "rs.h"

#define CMD_BIT(c)	(1u << (c))
#define CMDS_ALL	(CMD_BIT(XVS_RS_CMD_UP) | CMD_BIT(XVS_RS_CMD_DOWN) | \
			 CMD_BIT(XVS_RS_CMD_STATUS) | CMD_BIT(XVS_RS_CMD_DOCTOR))

struct cmd_def {
	const char *name;
	enum xvs_rs_cmd cmd;
};

static const struct cmd_def cmds[] = {
	{ "up", XVS_RS_CMD_UP },
	{ "down", XVS_RS_CMD_DOWN },
	{ "status", XVS_RS_CMD_STATUS },
	{ "doctor", XVS_RS_CMD_DOCTOR },
	{ "help", XVS_RS_CMD_HELP },
};

typedef int (*opt_fn)(struct xvs_rs_opts *o, const char *val,
		      char *err, size_t errlen);

struct opt_def {
	const char *name;	/* without the leading "--" */
	unsigned int cmds;	/* CMD_BIT()s that take it */
	opt_fn fn;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format the message into err and return -EINVAL. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * A VIP must be a unicast address another host can send to: not
 * unspecified, loopback, multicast, broadcast or (IPv6) link-local.
 */
static bool vip_usable(__u8 af, const union xvs_addr *a)
{
	if (af == XVS_AF_INET) {
		__u32 h = ntohl(a->ip4);

		return h != 0 && (h >> 24) != 127 && (h >> 28) != 0xe &&
		       h != 0xffffffff;
	}
	if (a->bytes[0] == 0xff)				/* ff00::/8 */
		return false;
	if (a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80) /* fe80::/10 */
		return false;
	for (int i = 0; i < 15; i++)
		if (a->bytes[i])
			return true;
	return a->bytes[15] > 1;				/* ::, ::1 */
}

static int opt_vip(struct xvs_rs_opts *o, const char *val, char *err, size_t errlen)
{
	struct xvs_rs_vip v = { 0 };
	unsigned int i;

	if (xvs_addr_parse(val, &v.af, &v.addr))
		return fail(err, errlen, "--vip %s: not an IPv4 or IPv6 address", val);
	if (!vip_usable(v.af, &v.addr))
		return fail(err, errlen, "--vip %s: not a unicast address", val);
	for (i = 0; i < o->n_vips; i++)
		if (o->vips[i].af == v.af &&
		    !memcmp(&o->vips[i].addr, &v.addr, sizeof(v.addr)))
			return 0;	/* given twice: once is enough */
	if (o->n_vips == XVS_RS_MAX_VIPS)
		return fail(err, errlen, "--vip: at most %d VIPs", XVS_RS_MAX_VIPS);
	o->vips[o->n_vips++] = v;
	return 0;
}

static int opt_mode(struct xvs_rs_opts *o, const char *val, char *err, size_t errlen)
{
	if (!strcmp(val, "dr"))
		o->mode = XVS_RS_MODE_DR;
	else if (!strcmp(val, "tun"))
		o->mode = XVS_RS_MODE_TUN;
	else
		return fail(err, errlen, "--mode %s: use dr or tun", val);
	return 0;
}

static int opt_dev(struct xvs_rs_opts *o, const char *val, char *err, size_t errlen)
{
	size_t n = strlen(val);

	/* The kernel's dev_valid_name(), which also keeps the name safe in
	 * a state file name and a /proc/sys path. */
	if (n == 0 || n >= XVS_RS_IFNAMSIZ || !strcmp(val, ".") ||
	    !strcmp(val, "..") || strpbrk(val, "/: \t\n"))
		return fail(err, errlen, "--dev %s: not a valid interface name", val);
	memcpy(o->dev, val, n + 1);
	return 0;
}

static int opt_xdp_mode(struct xvs_rs_opts *o, const char *val, char *err,
			size_t errlen)
{
	if (!strcmp(val, "auto"))
		o->xdp_mode = XVS_RS_XDP_AUTO;
	else if (!strcmp(val, "native"))
		o->xdp_mode = XVS_RS_XDP_NATIVE;
	else if (!strcmp(val, "generic"))
		o->xdp_mode = XVS_RS_XDP_GENERIC;
	else
		return fail(err, errlen, "--xdp-mode %s: use auto, native or generic", val);
	o->xdp_mode_set = 1;
	return 0;
}

static int opt_local(struct xvs_rs_opts *o, const char *val, char *err,
		     size_t errlen)
{
	struct in_addr a;
	unsigned int i;

	if (inet_pton(AF_INET, val, &a) != 1)
		return fail(err, errlen, "--local %s: not an IPv4 address", val);
	for (i = 0; i < o->n_locals; i++)
		if (o->locals[i] == a.s_addr)
			return 0;
	if (o->n_locals == XVS_RS_MAX_LOCALS)
		return fail(err, errlen, "--local: at most %d addresses",
			    XVS_RS_MAX_LOCALS);
	o->locals[o->n_locals++] = a.s_addr;
	return 0;
}

static int opt_state_dir(struct xvs_rs_opts *o, const char *val, char *err,
			 size_t errlen)
{
	size_t n = strlen(val);

	if (n == 0 || n >= sizeof(o->state_dir))
		return fail(err, errlen, "--state-dir: empty or too long");
	memcpy(o->state_dir, val, n + 1);
	return 0;
}

static const struct opt_def opts[] = {
	{ "vip", CMD_BIT(XVS_RS_CMD_UP) | CMD_BIT(XVS_RS_CMD_DOCTOR), opt_vip },
	{ "mode", CMD_BIT(XVS_RS_CMD_UP) | CMD_BIT(XVS_RS_CMD_DOCTOR), opt_mode },
	{ "dev", CMDS_ALL, opt_dev },
	{ "xdp-mode", CMD_BIT(XVS_RS_CMD_UP), opt_xdp_mode },
	{ "local", CMD_BIT(XVS_RS_CMD_UP), opt_local },
	{ "state-dir", CMDS_ALL, opt_state_dir },
};

static const char *cmd_name(enum xvs_rs_cmd c)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].cmd == c)
			return cmds[i].name;
	return "?";
}

/* Checks across options, once all are parsed. */
static int check_combination(struct xvs_rs_opts *o, char *err, size_t errlen)
{
	if (o->cmd != XVS_RS_CMD_UP)
		return 0;
	if (o->n_vips == 0)
		return fail(err, errlen, "up: give at least one --vip");
	if (o->mode == XVS_RS_MODE_UNSET)
		o->mode = XVS_RS_MODE_DR;
	if (o->mode == XVS_RS_MODE_TUN && !o->dev[0])
		return fail(err, errlen,
			    "up --mode tun: give --dev, the interface IPIP arrives on");
	if (o->mode != XVS_RS_MODE_TUN && o->xdp_mode_set)
		return fail(err, errlen, "--xdp-mode needs --mode tun");
	if (o->mode != XVS_RS_MODE_TUN && o->n_locals)
		return fail(err, errlen, "--local needs --mode tun");
	return 0;
}

int xvs_rs_args_parse(int argc, char **argv, struct xvs_rs_opts *o,
		      char *err, size_t errlen)
{
	size_t i;
	int a;

	memset(o, 0, sizeof(*o));
	snprintf(o->state_dir, sizeof(o->state_dir), "%s", XVS_RS_STATE_DIR);
	err[0] = '\0';
	if (argc < 2)
		return fail(err, errlen, "no command: use up, down, status or doctor");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		o->cmd = XVS_RS_CMD_HELP;
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			o->cmd = cmds[i].cmd;
	if (o->cmd == XVS_RS_CMD_NONE)
		return fail(err, errlen, "unknown command '%s': use up, down, status or doctor",
			    argv[1]);

	for (a = 2; a < argc; a++) {
		const char *arg = argv[a], *val, *eq;
		const struct opt_def *d = NULL;
		size_t n;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			o->cmd = XVS_RS_CMD_HELP;
			return 0;
		}
		if (strncmp(arg, "--", 2))
			return fail(err, errlen, "unexpected argument '%s'", arg);
		arg += 2;
		eq = strchr(arg, '=');
		n = eq ? (size_t)(eq - arg) : strlen(arg);
		for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (strlen(opts[i].name) == n && !strncmp(arg, opts[i].name, n))
				d = &opts[i];
		if (!d)
			return fail(err, errlen, "unknown option '%s'", argv[a]);
		if (!(d->cmds & CMD_BIT(o->cmd)))
			return fail(err, errlen, "%s does not take --%s",
				    cmd_name(o->cmd), d->name);
		if (eq) {
			val = eq + 1;
		} else {
			if (a + 1 >= argc)
				return fail(err, errlen, "--%s needs a value", d->name);
			val = argv[++a];
		}
		if (d->fn(o, val, err, errlen))
			return -EINVAL;
	}
	return check_combination(o, err, errlen);
}

void xvs_rs_usage(FILE *f)
{
	fputs("Usage: xvs-rs up --vip VIP [--vip VIP ...] [--mode dr|tun] [--dev IF]\n"
	      "                [--xdp-mode auto|native|generic] [--local ADDR ...]\n"
	      "       xvs-rs down [--dev IF]\n"
	      "       xvs-rs status [--dev IF]\n"
	      "       xvs-rs doctor [--mode dr|tun] [--vip VIP ...] [--dev IF]\n"
	      "Every command also takes --state-dir DIR (default " XVS_RS_STATE_DIR ").\n"
	      "\n"
	      "up      put each VIP on lo (/32, /128), set arp_ignore=1 and\n"
	      "        arp_announce=2 on all and lo; with --mode tun also set\n"
	      "        rp_filter=0 on all, lo and IF and attach the XDP IPIP\n"
	      "        decapsulator to IF (it stays after xvs-rs exits)\n"
	      "down    undo what up did for IF (or the default state)\n"
	      "status  show what up configured and the decapsulator's counters\n"
	      "doctor  check sysctls, VIPs and the decapsulator; exit 1 on FAIL\n", f);
}

const char *xvs_rs_mode_name(enum xvs_rs_mode mode)
{
	switch (mode) {
	case XVS_RS_MODE_DR:
		return "dr";
	case XVS_RS_MODE_TUN:
		return "tun";
	default:
		return "unset";
	}
}

const char *xvs_rs_xdp_mode_name(enum xvs_rs_xdp_mode mode)
{
	switch (mode) {
	case XVS_RS_XDP_NATIVE:
		return "native";
	case XVS_RS_XDP_GENERIC:
		return "generic";
	default:
		return "auto";
	}
}
