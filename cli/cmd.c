// SPDX-License-Identifier: GPL-2.0
/*
 * cmd.c - one do_<cmd>() per ipvsadm command, over xvsd's control socket.
 *
 * Exit statuses follow ipvsadm: 2 for a bad command line (args.c), 255
 * when xvsd refuses a change (ipvsadm returns -1 from main), 1 when a
 * listing fails. Messages are ipvsadm's (reply.c); only what xvs adds
 * (no daemon, fwmark services, a broken reply) has words of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ctl.h"

/*
 * The control connection, opened on first use and kept for the process,
 * so that -R sends all its lines over one connection. path is --ctl of
 * the top-level command line.
 */
static struct {
	int fd;
	const char *path;
	bool unreachable;	/* xvsd could not be reached: exit 2 */
} ctl = { .fd = -1 };

static const char *progname(void)
{
	return xvs_cli_is_ipvsadm() ? "ipvsadm" : "xvsadm";
}

/* Socket path: $XVS_CTL, else --ctl, else the default. */
static const char *ctl_path(const struct xvs_cli_req *req)
{
	const char *env = getenv("XVS_CTL");

	if (env && *env)
		return env;
	if (ctl.path)
		return ctl.path;
	return req->ctl_path ? req->ctl_path : XVS_CTL_DEFAULT_PATH;
}

/* Connect if not yet connected. Returns 0, or prints why and returns -1. */
static int ctl_open(const struct xvs_cli_req *req)
{
	const char *path = ctl_path(req);
	int fd;

	if (ctl.fd >= 0)
		return 0;
	fd = xvs_ctl_connect(path);
	ctl.unreachable = fd < 0;
	if (fd == -ENOENT || fd == -ECONNREFUSED) {
		fprintf(stderr, "%s: xvsd is not running (no control socket at %s: %s)\n",
			progname(), path, strerror(-fd));
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "%s: cannot connect to xvsd at %s: %s\n",
			progname(), path, strerror(-fd));
		return -1;
	}
	ctl.fd = fd;
	return 0;
}

static void ctl_close(void)
{
	if (ctl.fd >= 0)
		close(ctl.fd);
	ctl.fd = -1;
}

/*
 * One round trip. Returns 0 with xvsd's status in *status (0 or -errno)
 * and its payload in *reply (malloc'ed, may be NULL; NULL reply pointer
 * to discard it), or -1 after printing a connection or protocol error.
 */
static int ctl_call(const struct xvs_cli_req *req, int cmd, const void *payload,
		    uint32_t len, void **reply, uint32_t *rlen, int *status)
{
	struct xvs_ctl_hdr hdr;
	void *buf = NULL;
	int err;

	if (ctl_open(req))
		return -1;
	err = xvs_ctl_send(ctl.fd, (uint16_t)cmd, 0, payload, len);
	if (!err)
		err = xvs_ctl_recv(ctl.fd, &hdr, &buf, XVS_CTL_MAX_REPLY);
	if (!err && hdr.cmd != cmd)
		err = -EPROTO;
	if (err) {
		free(buf);
		fprintf(stderr, "%s: talking to xvsd at %s: %s\n", progname(),
			ctl_path(req), strerror(-err));
		ctl_close();
		return -1;
	}
	*status = hdr.status > 0 ? -EPROTO : hdr.status;
	if (reply) {
		*reply = buf;
		*rlen = hdr.len;
	} else {
		free(buf);
	}
	return 0;
}

/* Report xvsd's refusal of cmd, ipvsadm's way. Returns the exit status. */
static int cmd_error(const struct xvs_cli_req *req, int cmd, int status)
{
	if (req->key.fwmark && (status == -EOPNOTSUPP || status == -EINVAL ||
				status == -EPROTONOSUPPORT || status == -EAFNOSUPPORT)) {
		fprintf(stderr, "fwmark services are not supported by xvs: the XDP "
			"data plane cannot see firewall marks\n");
		return XVS_CLI_EXIT_CMD;
	}
	/*
	 * libipvs words EOPNOTSUPP "... with IPv6", which is all the kernel
	 * meant by it. xvsd also says it of features it lacks (NAT,
	 * persistence for now) on IPv4: do not blame IPv6 there.
	 */
	if (status == -EOPNOTSUPP && req->key.af != XVS_AF_INET6) {
		fprintf(stderr, "%s\n", strerror(EOPNOTSUPP));
		return XVS_CLI_EXIT_CMD;
	}
	fprintf(stderr, "%s\n", xvs_cli_strerror(cmd, -status));
	return XVS_CLI_EXIT_CMD;
}

/* A change with no reply payload. Returns the exit status. */
static int simple_call(const struct xvs_cli_req *req, int cmd, const void *p,
		       uint32_t len)
{
	int status;

	if (ctl_call(req, cmd, p, len, NULL, NULL, &status))
		return XVS_CLI_EXIT_CMD;
	return status ? cmd_error(req, cmd, status) : 0;
}

static int do_service(struct xvs_cli_req *req, int cmd)
{
	struct xvs_ctl_service svc;
	int err = xvs_cli_req_service(req, &svc);

	if (err == -EINVAL) {
		fprintf(stderr, "illegal virtual server persistent mask specified\n");
		return XVS_CLI_EXIT_FAIL;
	}
	if (err)	/* what the kernel says of an unknown scheduler */
		return cmd_error(req, cmd, err);
	return simple_call(req, cmd, &svc, sizeof(svc));
}

static int do_add(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return do_service(req, XVS_CTL_ADD_SERVICE);
}

static int do_edit(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return do_service(req, XVS_CTL_EDIT_SERVICE);
}

static int do_del(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	struct xvs_ctl_service svc;

	(void)argc, (void)argv, (void)in;
	/* Only the key matters: ignore what a scheduler lookup would say. */
	xvs_cli_req_service(req, &svc);
	return simple_call(req, XVS_CTL_DEL_SERVICE, &svc, sizeof(svc));
}

static int do_flush(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return simple_call(req, XVS_CTL_FLUSH, NULL, 0);
}

static int do_zero(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	static const union xvs_addr any;
	struct xvs_ctl_service svc;

	(void)argc, (void)argv, (void)in;
	xvs_cli_req_service(req, &svc);
	/* As libipvs: no service given (no -t/-u/-f) zeroes them all. */
	if (!req->key.fwmark && !req->key.port &&
	    !memcmp(&req->key.addr, &any, sizeof(any)))
		return simple_call(req, XVS_CTL_ZERO, NULL, 0);
	return simple_call(req, XVS_CTL_ZERO, &svc.key, sizeof(svc.key));
}

static int do_dest(struct xvs_cli_req *req, int cmd)
{
	struct xvs_ctl_dest dest;

	xvs_cli_req_dest(req, &dest);
	return simple_call(req, cmd, &dest, sizeof(dest));
}

static int do_adddest(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return do_dest(req, XVS_CTL_ADD_DEST);
}

static int do_editdest(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return do_dest(req, XVS_CTL_EDIT_DEST);
}

static int do_deldest(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return do_dest(req, XVS_CTL_DEL_DEST);
}

static int do_timeout(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return simple_call(req, XVS_CTL_SET_TIMEOUT, &req->set, sizeof(req->set));
}

static int do_syncd(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)req, (void)argc, (void)argv, (void)in;
	fprintf(stderr, "%s: the IPVS connection sync daemon is not part of xvs "
		"(use VRRP failover; connections are not synchronised)\n", progname());
	return XVS_CLI_EXIT_CMD;
}

/* A listing failed: ipvsadm prints the error and exits 1. */
static int list_error(int status)
{
	fprintf(stderr, "%s\n", status == -EBADMSG ?
		"xvsd sent a malformed reply" :
		xvs_cli_strerror(XVS_CTL_GET_SERVICES, -status));
	return XVS_CLI_EXIT_LIST;
}

/* GET_SERVICES (for key, or all when key is NULL), decoded into *t. */
static int get_services(const struct xvs_cli_req *req, const struct xvs_svc_key *key,
			struct xvs_cli_table *t)
{
	uint32_t len = 0;
	void *buf = NULL;
	int status;

	if (ctl_call(req, XVS_CTL_GET_SERVICES, key, key ? sizeof(*key) : 0,
		     &buf, &len, &status))
		return XVS_CLI_EXIT_LIST;
	if (!status)
		status = xvs_cli_decode_services(buf, len, t);
	/* A one-service query must answer with exactly that service. */
	if (!status && key && t->n != 1) {
		xvs_cli_table_free(t);
		status = -EBADMSG;
	}
	free(buf);
	return status ? list_error(status) : 0;
}

/* -L (format) or -S (format | RULE): the whole table. */
static int list_all(const struct xvs_cli_req *req, unsigned int format)
{
	struct xvs_cli_table t = { 0 };
	struct xvs_ctl_info info = { 0 };
	uint32_t len = 0;
	void *buf = NULL;
	int status, ret;

	if (!(format & XVS_CLI_FMT_RULE)) {
		if (ctl_call(req, XVS_CTL_GET_INFO, NULL, 0, &buf, &len, &status))
			return XVS_CLI_EXIT_LIST;
		if (!status && len != sizeof(info))
			status = -EBADMSG;
		if (!status)
			memcpy(&info, buf, sizeof(info));
		free(buf);
		if (status)
			return list_error(status);
	}
	ret = get_services(req, NULL, &t);
	if (ret)
		return ret;
	if (format & XVS_CLI_FMT_JSON)
		xvs_cli_print_json(stdout, &info, &t, format);
	else
		xvs_cli_print_table(stdout, format & XVS_CLI_FMT_RULE ? NULL : &info, &t, format);
	xvs_cli_table_free(&t);
	return 0;
}

static int list_conns(const struct xvs_cli_req *req)
{
	const struct xvs_ctl_conn *c;
	uint32_t len = 0, n;
	void *buf = NULL;
	int status;

	if (ctl_call(req, XVS_CTL_GET_CONNS, NULL, 0, &buf, &len, &status))
		return XVS_CLI_EXIT_LIST;
	if (!status)
		status = xvs_cli_decode_conns(buf, len, &c, &n);
	if (!status)
		xvs_cli_print_conns(stdout, c, n, req->format);
	free(buf);
	return status ? list_error(status) : 0;
}

static int list_timeout(const struct xvs_cli_req *req)
{
	struct xvs_ctl_timeout t;
	uint32_t len = 0;
	void *buf = NULL;
	int status;

	if (ctl_call(req, XVS_CTL_GET_TIMEOUT, NULL, 0, &buf, &len, &status))
		return XVS_CLI_EXIT_LIST;
	if (!status && len != sizeof(t))
		status = -EBADMSG;
	if (!status) {
		memcpy(&t, buf, sizeof(t));
		xvs_cli_print_timeout(stdout, &t);
	}
	free(buf);
	return status ? list_error(status) : 0;
}

static int do_list(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	const __u64 conn = 1ULL << XVS_CLI_OPT_CONNECTION;
	const __u64 svc = 1ULL << XVS_CLI_OPT_SERVICE;
	const __u64 tmo = 1ULL << XVS_CLI_OPT_TIMEOUT;
	const __u64 dmn = 1ULL << XVS_CLI_OPT_DAEMON;
	struct xvs_ctl_service s;
	struct xvs_cli_table t = { 0 };
	int ret;

	(void)argc, (void)argv, (void)in;
	if (req->options & conn)
		return list_conns(req);
	if (req->options & tmo)
		return list_timeout(req);
	if (req->options & dmn)
		return 0;	/* no sync daemon ever runs: nothing to show */
	if (!(req->options & svc))
		return list_all(req, req->format);
	xvs_cli_req_service(req, &s);
	ret = get_services(req, &s.key, &t);
	if (ret)
		return ret;
	if (req->format & XVS_CLI_FMT_JSON) {
		xvs_cli_print_json(stdout, NULL, &t, req->format);
	} else {
		xvs_cli_print_title(stdout, req->format);
		xvs_cli_print_service(stdout, &t.svcs[0], req->format);
	}
	xvs_cli_table_free(&t);
	return 0;
}

static int do_save(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)argc, (void)argv, (void)in;
	return list_all(req, req->format | XVS_CLI_FMT_RULE);
}

static int do_help(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)req, (void)argc, (void)in;
	xvs_cli_usage(stdout, argv[0]);
	return 0;
}

static int do_version(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	(void)req, (void)argc, (void)argv, (void)in;
	xvs_cli_version(stdout);
	return 0;
}

/*
 * -R: run each line of stdin as a command line, as ipvsadm does. A bad
 * line ends the run with its status (ipvsadm's fail() exits); the status
 * of the last command is returned otherwise.
 */
static int do_restore(struct xvs_cli_req *req, int argc, char **argv, bool in)
{
	struct xvs_cli_req line_req;
	char *line = NULL, **words;
	size_t cap = 0;
	int n, ret = 0;

	(void)req, (void)argc;
	if (in) {	/* "-R" inside -R would read forever */
		fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n",
			argv[0], argv[0]);
		return XVS_CLI_EXIT_CMD;
	}
	while (getline(&line, &cap, stdin) > 0) {
		words = calloc(cap / 2 + 2, sizeof(*words));
		if (!words) {
			ret = XVS_CLI_EXIT_FAIL;
			break;
		}
		n = xvs_cli_split_line(line, argv[0], words, (int)(cap / 2 + 2));
		if (n > 1) {
			ret = xvs_cli_parse(n, words, &line_req, stderr);
			if (ret) {
				free(words);
				break;
			}
			ret = xvs_cli_run(&line_req, n, words, true);
		}
		free(words);
	}
	free(line);
	return ret;
}

typedef int (*do_fn)(struct xvs_cli_req *req, int argc, char **argv, bool in);

static const do_fn commands[] = {
	[XVS_CLI_CMD_ADD] = do_add,
	[XVS_CLI_CMD_EDIT] = do_edit,
	[XVS_CLI_CMD_DEL] = do_del,
	[XVS_CLI_CMD_FLUSH] = do_flush,
	[XVS_CLI_CMD_LIST] = do_list,
	[XVS_CLI_CMD_ADDDEST] = do_adddest,
	[XVS_CLI_CMD_DELDEST] = do_deldest,
	[XVS_CLI_CMD_EDITDEST] = do_editdest,
	[XVS_CLI_CMD_TIMEOUT] = do_timeout,
	[XVS_CLI_CMD_STARTDAEMON] = do_syncd,
	[XVS_CLI_CMD_STOPDAEMON] = do_syncd,
	[XVS_CLI_CMD_RESTORE] = do_restore,
	[XVS_CLI_CMD_SAVE] = do_save,
	[XVS_CLI_CMD_ZERO] = do_zero,
	[XVS_CLI_CMD_HELP] = do_help,
	[XVS_CLI_CMD_VERSION] = do_version,
};

int xvs_cli_run(struct xvs_cli_req *req, int argc, char **argv, bool reading_stdin)
{
	if (req->cmd <= XVS_CLI_CMD_NONE ||
	    (size_t)req->cmd >= sizeof(commands) / sizeof(commands[0]) ||
	    !commands[req->cmd])
		return XVS_CLI_EXIT_CMD;
	if (!reading_stdin && req->ctl_path)
		ctl.path = req->ctl_path;
	return commands[req->cmd](req, argc, argv, reading_stdin);
}

int xvs_cli_main(int argc, char **argv)
{
	struct xvs_cli_req req;
	int ret;

	xvs_cli_set_progname(argv[0]);
	if (argc <= 1) {
		/* ipvsadm without arguments lists the table. */
		memset(&req, 0, sizeof(req));
		req.cmd = XVS_CLI_CMD_LIST;
		ret = xvs_cli_run(&req, argc, argv, false);
	} else {
		ret = xvs_cli_parse(argc, argv, &req, stderr);
		if (!ret)
			ret = xvs_cli_run(&req, argc, argv, false);
	}
	ctl_close();
	/* As ipvsadm's "Can't initialize ipvs", whatever the command. */
	return ctl.unreachable ? XVS_CLI_EXIT_FAIL : ret;
}
