// SPDX-License-Identifier: GPL-2.0
/*
 * test_metrics_listen.c - xvsd's --metrics ADDR:PORT
 * (xvs_metrics_parse_listen): the forms it takes and the ones it refuses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../daemon/metrics/metrics.h"

static void test_ipv4(void **s)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	socklen_t len = 0;

	(void)s;
	assert_int_equal(xvs_metrics_parse_listen("198.18.0.10:9100", &ss, &len), 0);
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 9100);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0xc612000a);
	assert_int_equal(len, sizeof(*sin));
	/* ":PORT": every IPv4 address */
	assert_int_equal(xvs_metrics_parse_listen(":65535", &ss, &len), 0);
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(ntohs(sin->sin_port), 65535);
}

static void test_ipv6(void **s)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct in6_addr want;
	socklen_t len = 0;

	(void)s;
	assert_int_equal(xvs_metrics_parse_listen("[2001:db8::10]:1", &ss, &len), 0);
	inet_pton(AF_INET6, "2001:db8::10", &want);
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 1);
	assert_memory_equal(&sin6->sin6_addr, &want, sizeof(want));
	assert_int_equal(len, sizeof(*sin6));
	assert_int_equal(xvs_metrics_parse_listen("[::]:9100", &ss, &len), 0);
	assert_memory_equal(&sin6->sin6_addr, &in6addr_any, sizeof(want));
}

static void test_refused(void **s)
{
	static const char *const bad[] = {
		"", "9100", "198.18.0.10", "198.18.0.10:", "198.18.0.10:0",
		"198.18.0.10:65536", "198.18.0.10:-1", "198.18.0.10:+80",
		"198.18.0.10:80x", "localhost:9100", "2001:db8::10:9100",
		"[2001:db8::10]", "[198.18.0.10]:80", "[2001:db8::10]:", "[]:80",
		"198.18.0.300:80", "[2001:db8::10:9100",
		"[0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
	};
	struct sockaddr_storage ss;
	socklen_t len;

	(void)s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (xvs_metrics_parse_listen(bad[i], &ss, &len) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
