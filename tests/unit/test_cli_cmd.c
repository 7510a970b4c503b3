// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_cmd.c - xvsadm end to end against a fake xvsd: what is sent,
 * ipvsadm's wording of xvsd's errors, strict reply checks (cli/cmd.c,
 * cli/reply.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../cli/cli.h"
#include "ctl.h"

/* One step of the fake xvsd: the command it expects and what it answers. */
struct step {
	int cmd;
	uint32_t req_len;	/* expected request length */
	int status;
	const void *reply;
	uint32_t reply_len;
};

static char sock_path[108];
static char out[8192], errs[4096];

/* Serve one connection through the steps; exit 0 if all matched. */
static void fake_xvsd(int lfd, const struct step *steps, int n)
{
	int fd = accept(lfd, NULL, NULL);

	for (int i = 0; i < n; i++) {
		struct xvs_ctl_hdr hdr;
		void *p;

		if (xvs_ctl_recv(fd, &hdr, &p, XVS_CTL_MAX_REQ))
			_exit(10 + i);
		free(p);
		if (hdr.cmd != steps[i].cmd || hdr.len != steps[i].req_len)
			_exit(20 + i);
		if (xvs_ctl_send(fd, (uint16_t)hdr.cmd, steps[i].status,
				 steps[i].reply, steps[i].reply_len))
			_exit(30 + i);
	}
	_exit(0);
}

/* Read a whole file into buf. */
static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
}

/*
 * Run xvsadm argv (NULL-terminated) against a fake xvsd playing steps
 * (no server at all when steps is NULL). Returns the exit status; stdout
 * lands in out, stderr in errs. The fake must have seen exactly steps.
 */
static int run(const struct step *steps, int n, const char *stdin_text, ...)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char *argv[32];
	int argc = 0, ret, st, lfd = -1, ofd, efd, so, se, si = -1;
	pid_t pid = -1;
	va_list ap;

	va_start(ap, stdin_text);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	snprintf(sock_path, sizeof(sock_path), "/tmp/xvsadm-test-%d.sock", getpid());
	unlink(sock_path);
	setenv("XVS_CTL", sock_path, 1);
	if (steps) {
		strcpy(sun.sun_path, sock_path);
		lfd = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
		assert_int_equal(listen(lfd, 1), 0);
		pid = fork();
		if (pid == 0)
			fake_xvsd(lfd, steps, n);
		close(lfd);
	}
	if (stdin_text) {
		int ifd = fileno(tmpfile());

		assert_int_equal(write(ifd, stdin_text, strlen(stdin_text)),
				 (ssize_t)strlen(stdin_text));
		lseek(ifd, 0, SEEK_SET);
		si = dup(0);
		dup2(ifd, 0);
		close(ifd);
		clearerr(stdin);
	}
	fflush(stdout);
	fflush(stderr);
	ofd = fileno(tmpfile());
	efd = fileno(tmpfile());
	so = dup(1);
	se = dup(2);
	dup2(ofd, 1);
	dup2(efd, 2);
	ret = xvs_cli_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	if (si >= 0) {
		dup2(si, 0);
		close(si);
	}
	slurp(ofd, out, sizeof(out));
	slurp(efd, errs, sizeof(errs));
	if (pid > 0) {
		waitpid(pid, &st, 0);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	unlink(sock_path);
	return ret;
}

#define SVC_LEN (uint32_t)sizeof(struct xvs_ctl_service)
#define DEST_LEN (uint32_t)sizeof(struct xvs_ctl_dest)

static void test_errors_worded_as_ipvsadm(void **state)
{
	const struct step exists[] = { { .cmd = XVS_CTL_ADD_SERVICE, .req_len = SVC_LEN, .status = -EEXIST } };
	const struct step nosvc[] = { { .cmd = XVS_CTL_ADD_DEST, .req_len = DEST_LEN, .status = -ESRCH } };
	const struct step nodest[] = { { .cmd = XVS_CTL_DEL_DEST, .req_len = DEST_LEN, .status = -ENOENT } };
	const struct step fwm[] = { { .cmd = XVS_CTL_ADD_SERVICE, .req_len = SVC_LEN, .status = -EOPNOTSUPP } };
	const struct step ok[] = { { .cmd = XVS_CTL_EDIT_DEST, .req_len = DEST_LEN, .status = 0 } };

	(void)state;
	assert_int_equal(run(exists, 1, NULL, "ipvsadm", "-A", "-t",
			     "198.18.0.100:80", "-s", "rr", NULL), 255);
	assert_string_equal(errs, "Service already exists\n");
	assert_int_equal(run(nosvc, 1, NULL, "ipvsadm", "-a", "-t", "198.18.0.100:80",
			     "-r", "198.18.0.11", NULL), 255);
	assert_string_equal(errs, "Service not defined\n");
	assert_int_equal(run(nodest, 1, NULL, "ipvsadm", "-d", "-t", "198.18.0.100:80",
			     "-r", "198.18.0.11", NULL), 255);
	assert_string_equal(errs, "No such destination\n");
	assert_int_equal(run(fwm, 1, NULL, "xvsadm", "-A", "-f", "1", NULL), 255);
	assert_non_null(strstr(errs, "fwmark services are not supported"));
	assert_int_equal(run(ok, 1, NULL, "ipvsadm", "-e", "-t", "198.18.0.100:80",
			     "-r", "198.18.0.11", "-w", "5", NULL), 0);
	assert_string_equal(errs, "");
	/* Rejected before anything is sent: no server is even running. */
	assert_int_equal(run(NULL, 0, NULL, "ipvsadm", "-A", "-t", "198.18.0.100:80",
			     "-s", "nosuch", NULL), 255);
	assert_string_equal(errs, "Scheduler or persistence engine not found\n");
	assert_int_equal(run(NULL, 0, NULL, "ipvsadm", "-a", "-t", "198.18.0.100:80",
			     "-r", "198.18.0.11", "-w", "-1", NULL), 2);
	assert_string_equal(errs, "illegal weight specified\n");
}

static void test_no_daemon(void **state)
{
	(void)state;
	assert_int_equal(run(NULL, 0, NULL, "xvsadm", "-Ln", NULL), 2);
	assert_non_null(strstr(errs, "xvsd is not running"));
	assert_non_null(strstr(errs, sock_path));
	assert_int_equal(run(NULL, 0, NULL, "xvsadm", "-C", NULL), 2);
}

static void test_list(void **state)
{
	struct xvs_ctl_info info = { .version_code = 0x010201, .conn_tab_size = 1048576 };
	struct {
		struct xvs_ctl_list l;
		struct xvs_ctl_service s;
		struct xvs_ctl_dest d;
	} __attribute__((packed)) rep = { 0 };
	struct xvs_ctl_list bad = { .count = 5 };
	struct xvs_ctl_timeout to = { 900, 120, 300, 0 };
	struct step steps[] = {
		{ XVS_CTL_GET_INFO, 0, 0, &info, sizeof(info) },
		{ XVS_CTL_GET_SERVICES, 0, 0, &rep, sizeof(rep) },
	};
	struct step one[] = {
		{ XVS_CTL_GET_SERVICES, sizeof(struct xvs_svc_key), 0, &rep, sizeof(rep) },
	};
	struct step missing[] = {
		{ .cmd = XVS_CTL_GET_SERVICES, .req_len = sizeof(struct xvs_svc_key), .status = -ESRCH },
	};
	struct step shortrep[] = {
		{ XVS_CTL_GET_INFO, 0, 0, &info, sizeof(info) },
		{ XVS_CTL_GET_SERVICES, 0, 0, &bad, sizeof(bad) },
	};
	struct step shortinfo[] = { { XVS_CTL_GET_INFO, 0, 0, &info, 4 } };
	struct step tmo[] = { { XVS_CTL_GET_TIMEOUT, 0, 0, &to, sizeof(to) } };

	(void)state;
	rep.l.count = 1;
	rep.s.key.af = XVS_AF_INET;
	rep.s.key.proto = IPPROTO_TCP;
	rep.s.key.addr.ip4 = inet_addr("198.18.0.100");
	rep.s.key.port = htons(80);
	rep.s.sched = XVS_SCHED_RR;
	rep.s.pmask_len = 32;
	rep.s.n_dests = 1;
	rep.d.svc = rep.s.key;
	rep.d.af = XVS_AF_INET;
	rep.d.addr.ip4 = inet_addr("198.18.0.11");
	rep.d.port = htons(80);
	rep.d.weight = 1;
	rep.d.active = 2;

	assert_int_equal(run(steps, 2, NULL, "ipvsadm", "-Ln", NULL), 0);
	assert_string_equal(out,
		"IP Virtual Server version 1.2.1 (size=1048576)\n"
		"Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		"TCP  198.18.0.100:80 rr\n"
		"  -> 198.18.0.11:80               Route   1      2          0         \n");
	assert_int_equal(run(steps + 1, 1, NULL, "ipvsadm", "-S", "-n", NULL), 0);
	assert_string_equal(out, "-A -t 198.18.0.100:80 -s rr\n"
				 "-a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 1\n");
	assert_int_equal(run(one, 1, NULL, "ipvsadm", "-L", "-n", "-t",
			     "198.18.0.100:80", NULL), 0);
	assert_string_equal(out,
		"Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		"TCP  198.18.0.100:80 rr\n"
		"  -> 198.18.0.11:80               Route   1      2          0         \n");
	assert_int_equal(run(missing, 1, NULL, "ipvsadm", "-Ln", "-t",
			     "198.18.0.100:81", NULL), 1);
	assert_string_equal(errs, "No such service\n");
	assert_int_equal(run(shortrep, 2, NULL, "ipvsadm", "-Ln", NULL), 1);
	assert_string_equal(errs, "xvsd sent a malformed reply\n");
	assert_int_equal(run(shortinfo, 1, NULL, "ipvsadm", "-Ln", NULL), 1);
	assert_int_equal(run(tmo, 1, NULL, "ipvsadm", "-L", "--timeout", NULL), 0);
	assert_string_equal(out, "Timeout (tcp tcpfin udp): 900 120 300\n");
}

static void test_restore(void **state)
{
	const struct step steps[] = {
		{ .cmd = XVS_CTL_ADD_SERVICE, .req_len = SVC_LEN, .status = 0 },
		{ .cmd = XVS_CTL_ADD_DEST, .req_len = DEST_LEN, .status = 0 },
		{ .cmd = XVS_CTL_ADD_DEST, .req_len = DEST_LEN, .status = -EEXIST },
	};

	(void)state;
	assert_int_equal(run(steps, 3,
			     "-A -t 198.18.0.100:80 -s rr\n"
			     "\n"
			     "-a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 1\n"
			     "ipvsadm -a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 1\n",
			     "ipvsadm", "-R", NULL), 255);
	assert_string_equal(errs, "Destination already exists\n");
	/* A bad line stops the restore with ipvsadm's status. */
	assert_int_equal(run(NULL, 0, "-A -t 198.18.0.100:80 -s rr -w 3\n",
			     "ipvsadm", "-R", NULL), 2);
	assert_string_equal(errs, "Illegal 'weight' option with the 'add-service' "
			    "command\n");
}

static void test_decode(void **state)
{
	struct {
		struct xvs_ctl_list l;
		struct xvs_ctl_service s;
		struct xvs_ctl_dest d[2];
	} __attribute__((packed)) rep = { .l.count = 1, .s.n_dests = 2 };
	struct xvs_ctl_list l = { .count = 2 };
	struct xvs_cli_table t;
	const struct xvs_ctl_conn *c;
	uint32_t n;
	char buf[sizeof(l) + 2 * sizeof(struct xvs_ctl_conn)] = { 0 };

	(void)state;
	assert_int_equal(xvs_cli_decode_services(&rep, sizeof(rep), &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.svcs[0].svc.n_dests, 2);
	xvs_cli_table_free(&t);
	/* Short, long, and lying counts are all refused. */
	assert_int_equal(xvs_cli_decode_services(&rep, sizeof(rep) - 1, &t), -EBADMSG);
	assert_int_equal(xvs_cli_decode_services(&rep, 4, &t), -EBADMSG);
	assert_int_equal(xvs_cli_decode_services(NULL, 0, &t), -EBADMSG);
	rep.s.n_dests = 3;
	assert_int_equal(xvs_cli_decode_services(&rep, sizeof(rep), &t), -EBADMSG);
	rep.s.n_dests = 1;
	assert_int_equal(xvs_cli_decode_services(&rep, sizeof(rep), &t), -EBADMSG);
	rep.s.n_dests = 0xffffffffu;
	assert_int_equal(xvs_cli_decode_services(&rep, sizeof(rep), &t), -EBADMSG);
	rep.l.count = 0xffffffffu;
	assert_int_equal(xvs_cli_decode_services(&rep, sizeof(rep), &t), -EBADMSG);

	memcpy(buf, &l, sizeof(l));
	assert_int_equal(xvs_cli_decode_conns(buf, sizeof(buf), &c, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(xvs_cli_decode_conns(buf, sizeof(buf) - 1, &c, &n), -EBADMSG);
	l.count = 0x7fffffff;
	memcpy(buf, &l, sizeof(l));
	assert_int_equal(xvs_cli_decode_conns(buf, sizeof(buf), &c, &n), -EBADMSG);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(xvs_cli_strerror(XVS_CTL_ADD_SERVICE, EEXIST),
			    "Service already exists");
	assert_string_equal(xvs_cli_strerror(XVS_CTL_EDIT_SERVICE, ESRCH),
			    "No such service");
	assert_string_equal(xvs_cli_strerror(XVS_CTL_ADD_DEST, EEXIST),
			    "Destination already exists");
	assert_string_equal(xvs_cli_strerror(XVS_CTL_EDIT_DEST, ENOENT),
			    "No such destination");
	assert_string_equal(xvs_cli_strerror(XVS_CTL_ZERO, ESRCH), "No such service");
	assert_string_equal(xvs_cli_strerror(XVS_CTL_FLUSH, EPERM),
			    "Permission denied (you must be root)");
	assert_string_equal(xvs_cli_strerror(XVS_CTL_ADD_DEST, ENOSPC), strerror(ENOSPC));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_worded_as_ipvsadm),
		cmocka_unit_test(test_no_daemon),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
