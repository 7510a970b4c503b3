// SPDX-License-Identifier: GPL-2.0
/*
 * test_check_http.c - the HTTP response reader (lib/http_resp.c): status
 * lines, headers split across reads, Content-Length and read-to-EOF
 * bodies, the body's MD5 against known digests, and malformed or
 * oversized input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <cmocka.h>

#include "http_resp.h"

/* Feed s in pieces of step bytes; returns the last feed result. */
static int feed_steps(struct xvs_http_resp *r, const char *s, size_t step)
{
	size_t len = strlen(s);
	int ret = 0;

	for (size_t off = 0; off < len && ret == 0; off += step) {
		size_t n = len - off < step ? len - off : step;

		ret = xvs_http_resp_feed(r, s + off, n);
	}
	return ret;
}

static void digest_hex(struct xvs_http_resp *r, char hex[33])
{
	uint8_t md5[XVS_MD5_LEN];

	assert_int_equal(xvs_http_resp_digest(r, md5), 0);
	xvs_md5_hex(md5, hex);
}

/* The MD5 of the body only, whatever the split of the reads. */
static void test_content_length_digest(void **st)
{
	static const char msg[] = "HTTP/1.1 200 OK\r\nServer: x\r\n"
				  "content-length: 6\r\n\r\nweb-01trailing junk";

	(void)st;
	for (size_t step = 1; step <= sizeof(msg); step++) {
		struct xvs_http_resp r;
		char hex[33];

		assert_int_equal(xvs_http_resp_init(&r, true), 0);
		assert_int_equal(feed_steps(&r, msg, step), 1);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.body_len, 6);
		digest_hex(&r, hex);
		/* md5("web-01"), as `printf web-01 | md5sum` prints it */
		assert_string_equal(hex, "9e795e3c83f0a95aee9e9cd5928adc56");
		xvs_http_resp_fini(&r);
	}
}

/* No Content-Length: the body runs to EOF; bare LF line ends work. */
static void test_body_to_eof(void **st)
{
	struct xvs_http_resp r;
	char hex[33];

	(void)st;
	assert_int_equal(xvs_http_resp_init(&r, true), 0);
	assert_int_equal(feed_steps(&r, "HTTP/1.0 404 Not Found\n\nabc", 5), 0);
	assert_int_equal(r.status, 404);
	assert_int_equal(xvs_http_resp_eof(&r), 1);
	digest_hex(&r, hex);
	assert_string_equal(hex, "900150983cd24fb0d6963f7d28e17f72");	/* md5("abc") */
	xvs_http_resp_fini(&r);
}

/* An empty body (Content-Length: 0) is complete at the blank line. */
static void test_empty_body(void **st)
{
	struct xvs_http_resp r;
	char hex[33];

	(void)st;
	assert_int_equal(xvs_http_resp_init(&r, true), 0);
	assert_int_equal(feed_steps(&r, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
				    64), 1);
	assert_int_equal(r.status, 204);
	digest_hex(&r, hex);
	assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");	/* md5("") */
	xvs_http_resp_fini(&r);
}

static int parse_all(const char *s, bool eof)
{
	struct xvs_http_resp r;
	int ret;

	assert_int_equal(xvs_http_resp_init(&r, false), 0);
	ret = feed_steps(&r, s, 7);
	if (ret == 0 && eof)
		ret = xvs_http_resp_eof(&r);
	xvs_http_resp_fini(&r);
	return ret;
}

/* Garbage is rejected, never read as a status. */
static void test_malformed(void **st)
{
	(void)st;
	assert_int_equal(parse_all("SSH-2.0-OpenSSH\r\n\r\n", false), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 2x0 OK\r\n\r\n", false), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 099 low\r\n\r\n", false), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 200OK\r\n\r\n", false), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n", false),
			 -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
				   "Content-Length: 4\r\n\r\n", false), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nContent-Length: "
				   "99999999999999999999999\r\n\r\n", false), -EBADMSG);
	/* Closed before the head ended, or before Content-Length bytes. */
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nServer: x\r\n", true), -EBADMSG);
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true),
			 -EBADMSG);
	/* Same length twice is fine. */
	assert_int_equal(parse_all("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
				   "Content-Length: 1\r\n\r\nx", false), 1);
}

/* A head that never ends is cut at XVS_HTTP_HEAD_MAX. */
static void test_head_too_long(void **st)
{
	struct xvs_http_resp r;
	char *junk = malloc(XVS_HTTP_HEAD_MAX + 100);
	int ret = 0;

	(void)st;
	assert_non_null(junk);
	memset(junk, 'a', XVS_HTTP_HEAD_MAX + 100);
	memcpy(junk, "HTTP/1.1 200 OK\r\nX: ", 20);
	assert_int_equal(xvs_http_resp_init(&r, false), 0);
	for (size_t off = 0; off < XVS_HTTP_HEAD_MAX + 100 && ret == 0; off += 1000)
		ret = xvs_http_resp_feed(&r, junk + off, 1000);
	assert_int_equal(ret, -EMSGSIZE);
	xvs_http_resp_fini(&r);
	free(junk);
}

/* A body beyond XVS_HTTP_BODY_MAX fails instead of running forever. */
static void test_body_too_long(void **st)
{
	struct xvs_http_resp r;
	static char chunk[1 << 20];
	uint64_t fed = 0;
	int ret;

	(void)st;
	assert_int_equal(xvs_http_resp_init(&r, false), 0);
	assert_int_equal(feed_steps(&r, "HTTP/1.0 200 OK\r\n\r\n", 100), 0);
	do {
		ret = xvs_http_resp_feed(&r, chunk, sizeof(chunk));
		fed += sizeof(chunk);
	} while (ret == 0 && fed < 2 * XVS_HTTP_BODY_MAX);
	assert_int_equal(ret, -EMSGSIZE);
	assert_true(fed > XVS_HTTP_BODY_MAX);
	xvs_http_resp_fini(&r);
}

/* Without a digest there is none to ask for. */
static void test_no_digest(void **st)
{
	struct xvs_http_resp r;
	uint8_t md5[XVS_MD5_LEN];

	(void)st;
	assert_int_equal(xvs_http_resp_init(&r, false), 0);
	assert_int_equal(feed_steps(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", 3), 1);
	assert_int_equal(xvs_http_resp_digest(&r, md5), -EINVAL);
	xvs_http_resp_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_length_digest),
		cmocka_unit_test(test_body_to_eof),
		cmocka_unit_test(test_empty_body),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_head_too_long),
		cmocka_unit_test(test_body_too_long),
		cmocka_unit_test(test_no_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
