// SPDX-License-Identifier: GPL-2.0
/*
 * test_check_engine.c - the check engine (daemon/check/) end to end on
 * loopback: real TCP_CHECK connects to listening and closed ports,
 * MISC_CHECK scripts (exit codes, misc_dynamic, a hanging script killed
 * at misc_timeout), DNS_CHECK against in-process responders, HTTP_GET
 * against forked servers (right digest, garbage, a body without end), the quorum and sorry server, inhibit_on_failure, and
 * a reload that keeps a verdict. set_dest is recorded instead of
 * touching the maps. Every wait is bounded by a deadline; none is timed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "../../daemon/check/check.h"
#include "../../daemon/check/evloop.h"

#define MS 1000ULL
#define WAIT_LIMIT_MS 8000	/* a bound on each wait, never a measure */

struct dest_state {
	bool told;
	bool present;
	int weight;
	int calls;
};

/* The recorded verdicts: rs index within the vs, sorry at MAX_RS. */
#define MAX_RS 5
static struct dest_state dests[2][MAX_RS + 1];
static struct xvs_kc_vs vss[2];

static void record(void *ctx, const struct xvs_kc_vs *vs, const struct xvs_kc_rs *rs,
		   bool present, int weight)
{
	size_t v = (size_t)(vs - vss);
	size_t i = rs == &vs->sorry ? MAX_RS : (size_t)(rs - vs->rs);
	struct dest_state *d;

	(void)ctx;
	assert_true(v < 2 && i <= MAX_RS);
	d = &dests[v][i];
	d->told = true;
	d->present = present;
	d->weight = weight;
	d->calls++;
}

static const struct xvs_check_dest_ops ops = { .set_dest = record };

/* A listening non-blocking TCP socket on 127.0.0.1; *port gets its port. */
static int listen_any(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A port with nothing listening: bound, then closed. */
static uint16_t closed_port(void)
{
	uint16_t port;
	int fd = listen_any(&port);

	close(fd);
	return port;
}

static void set_check(struct xvs_kc_check *k, enum xvs_kc_check_type type, uint16_t port)
{
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->connect_ip.af = XVS_AF_INET;
	k->connect_ip.addr.ip4 = htonl(INADDR_LOOPBACK);
	k->connect_port = port;
	k->connect_timeout_us = 500 * MS;
	k->retry = 0;
	k->delay_before_retry_us = 50 * MS;
	k->delay_loop_us = 100 * MS;
}

static void set_rs(struct xvs_kc_rs *rs, uint16_t port, int weight, struct xvs_kc_check *k)
{
	memset(rs, 0, sizeof(*rs));
	rs->addr.af = XVS_AF_INET;
	rs->addr.addr.ip4 = htonl(INADDR_LOOPBACK);
	rs->port = port;
	rs->weight = weight;
	rs->checks = k;
	rs->n_checks = 1;
}

static int listen_fd = -1;

/* DNS responders: dns_fd[0] answers RCODE 0, dns_fd[1] SERVFAIL (2). */
static int dns_fd[2] = { -1, -1 };

static int udp_any(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Answer each query with its header: QR set, the responder's RCODE. A
 * datagram with another id goes first, which the checker must ignore. */
static void dns_serve(int fd, int rcode)
{
	uint8_t buf[512];
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)) >= 12) {
		buf[2] |= 0x80;
		buf[3] = (uint8_t)((buf[3] & 0xf0) | rcode);
		buf[0] ^= 0xff;		/* a foreign id first */
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
		buf[0] ^= 0xff;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
		len = sizeof(from);
	}
}

typedef bool (*cond_fn)(void);

/* Run the engine until cond holds; false if WAIT_LIMIT_MS passed first. */
static bool run_until(struct xvs_check_engine *e, cond_fn cond)
{
	uint64_t end = xvs_evloop_now_us() + WAIT_LIMIT_MS * MS;

	while (!cond()) {
		struct pollfd p = { .fd = xvs_check_engine_fd(e), .events = POLLIN };
		int c;

		if (xvs_evloop_now_us() > end)
			return false;
		/* Accept and drop, so the backlog never fills. */
		while (listen_fd >= 0 && (c = accept(listen_fd, NULL, NULL)) >= 0)
			close(c);
		if (dns_fd[0] >= 0) {
			dns_serve(dns_fd[0], 0);
			dns_serve(dns_fd[1], 2);
		}
		if (poll(&p, 1, 20) > 0)
			xvs_check_engine_run(e);
	}
	return true;
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static char tmpdir[64], quorum_up_file[96], notify_down_file[96], pid_file[96];
static char omega_file[96], omega_cmd[128];
static char quorum_up_cmd[128], notify_down_cmd[128], hang_cmd[160];

static struct xvs_kc_check checks[2][MAX_RS];
static struct xvs_kc_rs rss[2][MAX_RS];
static struct xvs_kconf kc;

/*
 * vs0: quorum 6, sorry server (weight 1), quorum_up script:
 *   rs0 TCP_CHECK to a listener (weight 1, notify_down script),
 *   rs1 TCP_CHECK to a closed port (weight 1, inhibit_on_failure),
 *   rs2 MISC_CHECK "exit 7" with misc_dynamic (weight 1 -> 5).
 * vs1: rs0 MISC_CHECK hanging past misc_timeout; rs1 MISC_CHECK "exit 0";
 *   rs2 DNS_CHECK answered with RCODE 0, rs3 DNS_CHECK answered SERVFAIL,
 *   rs4 MISC_CHECK run as `user nobody`, up only when it runs as nobody.
 */
static void build_config(uint16_t listen_port, const uint16_t dns_port[2])
{
	memset(vss, 0, sizeof(vss));
	set_check(&checks[0][0], XVS_KC_CHECK_TCP, listen_port);
	set_rs(&rss[0][0], listen_port, 1, &checks[0][0]);
	rss[0][0].notify_down = notify_down_cmd;
	set_check(&checks[0][1], XVS_KC_CHECK_TCP, closed_port());
	set_rs(&rss[0][1], checks[0][1].connect_port, 1, &checks[0][1]);
	rss[0][1].inhibit_on_failure = true;
	set_check(&checks[0][2], XVS_KC_CHECK_MISC, 0);
	checks[0][2].misc_path = "exit 7";
	checks[0][2].misc_dynamic = true;
	set_rs(&rss[0][2], 1002, 1, &checks[0][2]);
	rss[0][2].notify_down = omega_cmd;	/* alive: run at omega */
	vss[0].kind = XVS_KC_VS_ADDR;
	vss[0].addr.af = XVS_AF_INET;
	vss[0].port = 80;
	vss[0].proto = IPPROTO_TCP;
	vss[0].quorum = 6;
	vss[0].omega = true;
	vss[0].quorum_up = quorum_up_cmd;
	vss[0].has_sorry = true;
	set_rs(&vss[0].sorry, 1009, 1, NULL);
	vss[0].sorry.n_checks = 0;
	vss[0].rs = rss[0];
	vss[0].n_rs = 3;

	set_check(&checks[1][0], XVS_KC_CHECK_MISC, 0);
	checks[1][0].misc_path = hang_cmd;
	checks[1][0].misc_timeout_us = 200 * MS;
	set_rs(&rss[1][0], 2001, 1, &checks[1][0]);
	set_check(&checks[1][1], XVS_KC_CHECK_MISC, 0);
	checks[1][1].misc_path = "exit 0";
	set_rs(&rss[1][1], 2002, 1, &checks[1][1]);
	for (int i = 0; i < 2; i++) {
		set_check(&checks[1][2 + i], XVS_KC_CHECK_DNS, dns_port[i]);
		checks[1][2 + i].dns_type = "A";
		checks[1][2 + i].dns_name = "www.example";
		set_rs(&rss[1][2 + i], dns_port[i], 1, &checks[1][2 + i]);
	}
	vss[1].kind = XVS_KC_VS_ADDR;
	vss[1].addr.af = XVS_AF_INET;
	vss[1].port = 81;
	vss[1].proto = IPPROTO_TCP;
	vss[1].quorum = 1;
	vss[1].rs = rss[1];
	set_check(&checks[1][4], XVS_KC_CHECK_MISC, 0);
	checks[1][4].misc_path = "test \"$(id -un)\" = nobody";
	checks[1][4].user = "nobody";
	set_rs(&rss[1][4], 2005, 1, &checks[1][4]);
	vss[1].n_rs = 5;

	memset(&kc, 0, sizeof(kc));
	kc.vs = vss;
	kc.n_vs = 2;
}

static bool settled(void)
{
	return dests[0][1].present && dests[0][1].weight == 0 &&	/* inhibited */
	       dests[0][0].present && dests[0][0].weight == 1 &&
	       dests[0][2].present && dests[0][2].weight == 5 &&	/* exit 7 - 2 */
	       !dests[0][MAX_RS].present &&				/* quorum 6 */
	       !dests[1][0].present && dests[1][0].calls > 1 &&		/* killed */
	       dests[1][1].present &&
	       dests[1][2].present && dests[1][3].told && !dests[1][3].present &&
	       dests[1][4].present;
}

static bool rs0_down(void)
{
	return !dests[0][0].present && dests[0][MAX_RS].present;
}

static bool notified(void)
{
	return file_exists(notify_down_file) && file_exists(quorum_up_file);
}

static void test_engine(void **st)
{
	struct xvs_check_engine *e;
	uint16_t port, dns_port[2];
	pid_t hung = 0;
	FILE *f;

	(void)st;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/xvs-check-test.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(quorum_up_file, sizeof(quorum_up_file), "%s/quorum-up", tmpdir);
	snprintf(notify_down_file, sizeof(notify_down_file), "%s/down", tmpdir);
	snprintf(pid_file, sizeof(pid_file), "%s/hang.pid", tmpdir);
	snprintf(omega_file, sizeof(omega_file), "%s/omega", tmpdir);
	snprintf(omega_cmd, sizeof(omega_cmd), "echo x >> %s", omega_file);
	snprintf(quorum_up_cmd, sizeof(quorum_up_cmd), "touch %s", quorum_up_file);
	snprintf(notify_down_cmd, sizeof(notify_down_cmd), "touch %s", notify_down_file);
	snprintf(hang_cmd, sizeof(hang_cmd), "echo $$ > %s; exec sleep 30", pid_file);

	listen_fd = listen_any(&port);
	dns_fd[0] = udp_any(&dns_port[0]);
	dns_fd[1] = udp_any(&dns_port[1]);
	build_config(port, dns_port);
	e = xvs_check_engine_new(&ops, NULL);
	assert_non_null(e);
	assert_int_equal(xvs_check_engine_apply(e, &kc), 0);
	/* Before any check: live weight 3 < quorum 6, the sorry server serves. */
	assert_true(dests[0][MAX_RS].told && dests[0][MAX_RS].present);
	assert_int_equal(dests[0][MAX_RS].weight, 1);
	assert_true(dests[0][0].told && !dests[0][0].present);

	/* Verdicts: rs1 down (inhibited), rs2 weight 5, live 6: quorum. */
	assert_true(run_until(e, settled));
	/* The hanging script was killed at misc_timeout, and reaped. */
	f = fopen(pid_file, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &hung), 1);
	fclose(f);
	assert_int_equal(kill(hung, 0), -1);
	assert_int_equal(errno, ESRCH);

	/* rs0's listener goes away: rs0 down, live 5 < 6: the sorry server
	 * replaces the pool; rs1 stays in at weight 0. */
	close(listen_fd);
	listen_fd = -1;
	assert_true(run_until(e, rs0_down));
	assert_false(dests[0][2].present);
	assert_true(dests[0][1].present);
	assert_int_equal(dests[0][1].weight, 0);
	assert_true(run_until(e, notified));

	/* A reload of the same config keeps every verdict: rs0 is told
	 * "not present" again right away, not reset to up. */
	memset(dests, 0, sizeof(dests));
	assert_int_equal(xvs_check_engine_apply(e, &kc), 0);
	assert_true(dests[0][0].told && !dests[0][0].present);
	assert_true(dests[0][MAX_RS].told && dests[0][MAX_RS].present);
	assert_true(dests[0][2].told && !dests[0][2].present);
	assert_true(dests[1][1].told && dests[1][1].present);

	/* omega: stopping runs notify_down of the live servers: rs2's, once
	 * (rs0's is not run again: rs0 is down). */
	assert_false(file_exists(omega_file));
	xvs_check_engine_shutdown(e);
	xvs_check_engine_free(e);
	for (int i = 0; i < 200 && !file_exists(omega_file); i++)
		usleep(20000);
	usleep(100000);		/* a second, wrong run would show by now */
	f = fopen(omega_file, "r");
	assert_non_null(f);
	{
		char line[8];
		int lines = 0;

		while (fgets(line, sizeof(line), f))
			lines++;
		assert_int_equal(lines, 1);
	}
	fclose(f);
	unlink(omega_file);
	close(dns_fd[0]);
	close(dns_fd[1]);
	dns_fd[0] = dns_fd[1] = -1;
	unlink(quorum_up_file);
	unlink(notify_down_file);
	unlink(pid_file);
	rmdir(tmpdir);
}

/* What a forked HTTP server sends on each connection. */
enum http_reply { REPLY_OK, REPLY_GARBAGE, REPLY_ENDLESS };

/*
 * Serve reply on a listener in a child process until killed. ENDLESS
 * sends a valid head, then a body that never ends: the checker must give
 * up at XVS_HTTP_BODY_MAX, not hash forever.
 */
static pid_t http_server(int lfd, enum http_reply reply)
{
	static char zeros[65536];
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid)
		return pid;
	/* Die with the test, even when an assertion ends it early. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	signal(SIGPIPE, SIG_IGN);
	fcntl(lfd, F_SETFL, 0);
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		char req[1024];

		if (c < 0)
			continue;
		if (read(c, req, sizeof(req)) < 0)
			_exit(1);
		switch (reply) {
		case REPLY_OK:
			dprintf(c, "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
			break;
		case REPLY_GARBAGE:
			dprintf(c, "SSH-2.0-OpenSSH_9.2\r\n\r\n\x01\x02garbage");
			break;
		case REPLY_ENDLESS:
			dprintf(c, "HTTP/1.0 200 OK\r\n\r\n");
			while (write(c, zeros, sizeof(zeros)) > 0)
				;
			break;
		}
		close(c);
	}
}

static struct xvs_kc_url urls[3];

static bool http_settled(void)
{
	return dests[0][0].present && dests[0][0].weight == 1 &&
	       dests[0][1].told && !dests[0][1].present &&
	       dests[0][2].told && !dests[0][2].present;
}

/* HTTP_GET: a right digest is up; garbage and an endless body are down,
 * and the engine stays responsive. */
static void test_http(void **st)
{
	static const uint8_t md5_ok[16] = {	/* md5("ok\n") */
		0xef, 0xf5, 0xbc, 0x1e, 0xf8, 0xec, 0x9d, 0x03,
		0xe6, 0x40, 0xfc, 0x43, 0x70, 0xf5, 0xea, 0xcd,
	};
	enum http_reply replies[3] = { REPLY_OK, REPLY_GARBAGE, REPLY_ENDLESS };
	struct xvs_check_engine *e;
	pid_t pids[3];

	(void)st;
	memset(vss, 0, sizeof(vss));
	memset(dests, 0, sizeof(dests));
	for (int i = 0; i < 3; i++) {
		uint16_t port;
		int lfd = listen_any(&port);

		pids[i] = http_server(lfd, replies[i]);
		close(lfd);
		set_check(&checks[0][i], XVS_KC_CHECK_HTTP, port);
		memset(&urls[i], 0, sizeof(urls[i]));
		urls[i].path = "/";
		urls[i].has_digest = true;
		memcpy(urls[i].digest, md5_ok, sizeof(md5_ok));
		checks[0][i].urls = &urls[i];
		checks[0][i].n_urls = 1;
		checks[0][i].connect_timeout_us = 2000 * MS;
		set_rs(&rss[0][i], port, 1, &checks[0][i]);
	}
	vss[0].kind = XVS_KC_VS_ADDR;
	vss[0].addr.af = XVS_AF_INET;
	vss[0].port = 80;
	vss[0].proto = IPPROTO_TCP;
	vss[0].quorum = 1;
	vss[0].rs = rss[0];
	vss[0].n_rs = 3;
	memset(&kc, 0, sizeof(kc));
	kc.vs = vss;
	kc.n_vs = 1;

	e = xvs_check_engine_new(&ops, NULL);
	assert_non_null(e);
	assert_int_equal(xvs_check_engine_apply(e, &kc), 0);
	assert_true(run_until(e, http_settled));
	xvs_check_engine_free(e);
	for (int i = 0; i < 3; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
}

int main(void)
{
	/* As xvsd does (check.h): a server closing early is an error. */
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine),
		cmocka_unit_test(test_http),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
