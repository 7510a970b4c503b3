// SPDX-License-Identifier: GPL-2.0
/* test_ctl.c - control protocol framing (lib/ctl.c) over a socketpair. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctl.h"

/* fds[0] is "our" end, fds[1] the peer's. */
static int fds[2];

static int setup(void **s)
{
	/* A framing bug that waits for bytes never sent fails, not hangs. */
	struct timeval tv = { .tv_sec = 2 };

	(void)s;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
		return -1;
	for (int i = 0; i < 2; i++)
		if (setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
			return -1;
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return 0;
}

/* Write raw bytes to fd; fail the test on a short write. */
static void raw_write(int fd, const void *buf, size_t len)
{
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
}

static struct xvs_ctl_hdr good_hdr(uint16_t cmd, uint32_t len)
{
	struct xvs_ctl_hdr h = {
		.magic = XVS_CTL_MAGIC,
		.version = XVS_CTL_VERSION,
		.cmd = cmd,
		.len = len,
		.status = 0,
	};

	return h;
}

static void test_hdr_layout(void **s)
{
	(void)s;
	/* The wire header is 16 bytes; "XVS1" in memory on little endian. */
	assert_int_equal(sizeof(struct xvs_ctl_hdr), 16);
	assert_int_equal(offsetof(struct xvs_ctl_hdr, version), 4);
	assert_int_equal(offsetof(struct xvs_ctl_hdr, cmd), 6);
	assert_int_equal(offsetof(struct xvs_ctl_hdr, len), 8);
	assert_int_equal(offsetof(struct xvs_ctl_hdr, status), 12);
}

static void test_roundtrip(void **s)
{
	const char msg[] = "hello, xvsd";
	struct xvs_ctl_hdr hdr, raw;
	void *p = (void *)1;

	(void)s;
	assert_int_equal(xvs_ctl_send(fds[0], XVS_CTL_ADD_SERVICE, -ENOENT, msg,
				      sizeof(msg)), 0);
	/* What went on the wire: header then payload. */
	assert_int_equal(recv(fds[1], &raw, sizeof(raw), MSG_PEEK), sizeof(raw));
	assert_int_equal(raw.magic, XVS_CTL_MAGIC);
	assert_int_equal(raw.version, XVS_CTL_VERSION);
	assert_int_equal(raw.cmd, XVS_CTL_ADD_SERVICE);
	assert_int_equal(raw.len, sizeof(msg));
	assert_int_equal(raw.status, -ENOENT);

	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, sizeof(msg)), 0);
	assert_int_equal(hdr.cmd, XVS_CTL_ADD_SERVICE);
	assert_int_equal(hdr.len, sizeof(msg));
	assert_int_equal(hdr.status, -ENOENT);
	assert_non_null(p);
	assert_memory_equal(p, msg, sizeof(msg));
	free(p);
}

static void test_empty_payload(void **s)
{
	struct xvs_ctl_hdr hdr;
	void *p = (void *)1;

	(void)s;
	assert_int_equal(xvs_ctl_send(fds[0], XVS_CTL_FLUSH, 0, NULL, 0), 0);
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 0), 0);
	assert_int_equal(hdr.cmd, XVS_CTL_FLUSH);
	assert_int_equal(hdr.len, 0);
	assert_int_equal(hdr.status, 0);
	assert_null(p);
}

static void test_back_to_back(void **s)
{
	uint32_t a = 0x11223344, b = 0x55667788;
	struct xvs_ctl_hdr hdr;
	void *p;

	(void)s;
	/* Two messages in one stream are read apart, in order. */
	assert_int_equal(xvs_ctl_send(fds[0], 7, 0, &a, sizeof(a)), 0);
	assert_int_equal(xvs_ctl_send(fds[0], 8, -1, &b, sizeof(b)), 0);
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 4), 0);
	assert_int_equal(hdr.cmd, 7);
	assert_memory_equal(p, &a, 4);
	free(p);
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 4), 0);
	assert_int_equal(hdr.cmd, 8);
	assert_int_equal(hdr.status, -1);
	assert_memory_equal(p, &b, 4);
	free(p);
}

static void test_large_payload(void **s)
{
	uint32_t len = XVS_CTL_MAX_REQ;
	unsigned char *big = malloc(len);
	struct xvs_ctl_hdr hdr;
	void *p;
	pid_t pid;
	int st;

	(void)s;
	assert_non_null(big);
	for (uint32_t i = 0; i < len; i++)
		big[i] = (unsigned char)(i * 7 + 3);
	/* More than a socket buffer may hold: send from a child. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[1]);
		_exit(xvs_ctl_send(fds[0], XVS_CTL_ADD_DEST, 0, big, len) ? 1 : 0);
	}
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, len), 0);
	assert_int_equal(hdr.len, len);
	assert_memory_equal(p, big, len);
	free(p);
	free(big);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_bad_magic(void **s)
{
	struct xvs_ctl_hdr h = good_hdr(1, 0), hdr;
	void *p = (void *)1;

	(void)s;
	h.magic = 0x31535659;
	raw_write(fds[0], &h, sizeof(h));
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -EPROTO);
	assert_null(p);
}

static void test_bad_version(void **s)
{
	struct xvs_ctl_hdr h = good_hdr(1, 0), hdr;
	void *p = (void *)1;

	(void)s;
	h.version = XVS_CTL_VERSION + 1;
	raw_write(fds[0], &h, sizeof(h));
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -EPROTO);
	assert_null(p);
	h.version = 0;
	raw_write(fds[0], &h, sizeof(h));
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -EPROTO);
}

static void test_too_long(void **s)
{
	struct xvs_ctl_hdr h = good_hdr(1, 65), hdr;
	void *p = (void *)1;

	(void)s;
	raw_write(fds[0], &h, sizeof(h));
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -EMSGSIZE);
	assert_null(p);
	/* Exactly max is fine. */
	h.len = 64;
	raw_write(fds[0], &h, sizeof(h));
	{
		char pay[64] = { 1 };

		raw_write(fds[0], pay, sizeof(pay));
	}
	/* The first message's payload was never sent, so this reads the next. */
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), 0);
	assert_int_equal(hdr.len, 64);
	free(p);
	/* A huge length is refused before any allocation. */
	h.len = 0xffffffffu;
	raw_write(fds[0], &h, sizeof(h));
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, XVS_CTL_MAX_REPLY), -EMSGSIZE);
}

static void test_truncated_payload(void **s)
{
	struct xvs_ctl_hdr h = good_hdr(2, 10), hdr;
	void *p = (void *)1;

	(void)s;
	raw_write(fds[0], &h, sizeof(h));
	raw_write(fds[0], "12345", 5);
	close(fds[0]);
	fds[0] = -1;
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -ECONNRESET);
	assert_null(p);
}

static void test_truncated_header(void **s)
{
	struct xvs_ctl_hdr h = good_hdr(2, 0), hdr;
	void *p;

	(void)s;
	raw_write(fds[0], &h, 7);
	close(fds[0]);
	fds[0] = -1;
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -ECONNRESET);
}

static void test_eof(void **s)
{
	struct xvs_ctl_hdr hdr;
	void *p;

	(void)s;
	close(fds[0]);
	fds[0] = -1;
	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &p, 64), -ECONNRESET);
}

static void test_send_closed_peer(void **s)
{
	(void)s;
	close(fds[1]);
	fds[1] = -1;
	/* MSG_NOSIGNAL: -EPIPE, not SIGPIPE. */
	assert_int_equal(xvs_ctl_send(fds[0], 1, 0, "x", 1), -EPIPE);
}

/* Queue a reply on the peer's end before the call (the buffer holds it). */
static void peer_reply(uint16_t cmd, int32_t status, const void *p, uint32_t len)
{
	assert_int_equal(xvs_ctl_send(fds[1], cmd, status, p, len), 0);
}

/* Read the request the call sent and check it. */
static void peer_check_request(uint16_t cmd, const void *p, uint32_t len)
{
	struct xvs_ctl_hdr hdr;
	void *got;

	assert_int_equal(xvs_ctl_recv(fds[1], &hdr, &got, XVS_CTL_MAX_REQ), 0);
	assert_int_equal(hdr.cmd, cmd);
	assert_int_equal(hdr.len, len);
	assert_int_equal(hdr.status, 0);
	if (len)
		assert_memory_equal(got, p, len);
	free(got);
}

static void test_call_ok(void **s)
{
	struct xvs_ctl_info info = { .version_code = 0x010201, .conn_tab_size = 4096,
				     .n_services = 3 };
	uint32_t rlen = 0;
	void *r = NULL;

	(void)s;
	peer_reply(XVS_CTL_GET_INFO, 0, &info, sizeof(info));
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_GET_INFO, NULL, 0, &r, &rlen), 0);
	assert_int_equal(rlen, sizeof(info));
	assert_non_null(r);
	assert_memory_equal(r, &info, sizeof(info));
	free(r);
	peer_check_request(XVS_CTL_GET_INFO, NULL, 0);
}

static void test_call_status(void **s)
{
	struct xvs_svc_key key;
	uint32_t rlen = 99;
	void *r = (void *)1;

	(void)s;
	memset(&key, 0xab, sizeof(key));
	/* The reply's status is what the call returns. */
	peer_reply(XVS_CTL_ZERO, -ESRCH, NULL, 0);
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_ZERO, &key, sizeof(key), &r, &rlen),
			 -ESRCH);
	assert_null(r);
	assert_int_equal(rlen, 0);
	peer_check_request(XVS_CTL_ZERO, &key, sizeof(key));

	peer_reply(XVS_CTL_FLUSH, -EEXIST, NULL, 0);
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_FLUSH, NULL, 0, NULL, NULL), -EEXIST);
	peer_check_request(XVS_CTL_FLUSH, NULL, 0);

	/* No reply wanted: a payload is read and freed (ASan sees leaks). */
	peer_reply(XVS_CTL_GET_TIMEOUT, 0, "abcd", 4);
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_GET_TIMEOUT, NULL, 0, NULL, NULL), 0);
	peer_check_request(XVS_CTL_GET_TIMEOUT, NULL, 0);
}

static void test_call_wrong_cmd(void **s)
{
	void *r = NULL;
	uint32_t rlen;

	(void)s;
	peer_reply(XVS_CTL_FLUSH, 0, "zz", 2);
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_GET_INFO, NULL, 0, &r, &rlen),
			 -EPROTO);
	peer_check_request(XVS_CTL_GET_INFO, NULL, 0);
}

static void test_call_bad_reply(void **s)
{
	struct xvs_ctl_hdr h = good_hdr(XVS_CTL_GET_INFO, 0);
	void *r = NULL;
	uint32_t rlen;

	(void)s;
	h.magic = 0;
	raw_write(fds[1], &h, sizeof(h));
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_GET_INFO, NULL, 0, &r, &rlen),
			 -EPROTO);
	peer_check_request(XVS_CTL_GET_INFO, NULL, 0);
	/* The server hangs up without a reply. */
	close(fds[1]);
	fds[1] = -1;
	assert_int_equal(xvs_ctl_call(fds[0], XVS_CTL_GET_INFO, NULL, 0, &r, &rlen) < 0, 1);
}

static void test_connect_errors(void **s)
{
	char longpath[200];

	(void)s;
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(xvs_ctl_connect(longpath), -ENAMETOOLONG);
	assert_int_equal(xvs_ctl_connect("/nonexistent-xvs-test/x.sock"), -ENOENT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_layout),
		T(test_roundtrip),
		T(test_empty_payload),
		T(test_back_to_back),
		T(test_large_payload),
		T(test_bad_magic),
		T(test_bad_version),
		T(test_too_long),
		T(test_truncated_payload),
		T(test_truncated_header),
		T(test_eof),
		T(test_send_closed_peer),
		T(test_call_ok),
		T(test_call_status),
		T(test_call_wrong_cmd),
		T(test_call_bad_reply),
		cmocka_unit_test(test_connect_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
