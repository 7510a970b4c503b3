// SPDX-License-Identifier: GPL-2.0
/* test_addr.c - address parsing and printing (lib/addr.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

/* Parse s with xvs_addr_port_parse; the outputs land in the pointers. */
static int pp(const char *s, uint8_t *af, union xvs_addr *a, uint16_t *port,
	      bool *has_port)
{
	return xvs_addr_port_parse(s, af, a, port, has_port);
}

static void test_parse_v4(void **s)
{
	union xvs_addr a;
	uint8_t af = 0;

	(void)s;
	memset(&a, 0xff, sizeof(a));
	assert_int_equal(xvs_addr_parse("192.0.2.1", &af, &a), 0);
	assert_int_equal(af, XVS_AF_INET);
	assert_int_equal(a.ip4, htonl(0xc0000201));
	/* The rest of the union is zeroed for IPv4. */
	for (int i = 4; i < 16; i++)
		assert_int_equal(a.bytes[i], 0);
}

static void test_parse_v6(void **s)
{
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	union xvs_addr a;
	uint8_t af = 0;

	(void)s;
	assert_int_equal(xvs_addr_parse("2001:db8::1", &af, &a), 0);
	assert_int_equal(af, XVS_AF_INET6);
	assert_memory_equal(a.bytes, want, 16);
}

static void test_parse_bad(void **s)
{
	union xvs_addr a;
	uint8_t af;

	(void)s;
	assert_int_equal(xvs_addr_parse("", &af, &a), -EINVAL);
	assert_int_equal(xvs_addr_parse("1.2.3", &af, &a), -EINVAL);
	assert_int_equal(xvs_addr_parse("1.2.3.256", &af, &a), -EINVAL);
	assert_int_equal(xvs_addr_parse("1.2.3.4:80", &af, &a), -EINVAL);
	assert_int_equal(xvs_addr_parse("[::1]", &af, &a), -EINVAL);
	assert_int_equal(xvs_addr_parse("host", &af, &a), -EINVAL);
}

static void test_port_parse_v4(void **s)
{
	union xvs_addr a;
	uint16_t port = 1;
	bool has = true;
	uint8_t af = 0;

	(void)s;
	assert_int_equal(pp("198.18.0.1", &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET);
	assert_int_equal(a.ip4, htonl(0xc6120001));
	assert_false(has);
	assert_int_equal(port, 0);

	assert_int_equal(pp("198.18.0.1:80", &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET);
	assert_int_equal(a.ip4, htonl(0xc6120001));
	assert_true(has);
	assert_int_equal(port, htons(80));

	assert_int_equal(pp("198.18.0.1:0", &af, &a, &port, &has), 0);
	assert_true(has);
	assert_int_equal(port, 0);

	assert_int_equal(pp("198.18.0.1:65535", &af, &a, &port, &has), 0);
	assert_int_equal(port, htons(65535));
}

static void test_port_parse_v6(void **s)
{
	static const uint8_t lo[16] = { [15] = 1 };
	/* ::1:80 is 0:0:0:0:0:0:1:80, not ::1 port 80. */
	static const uint8_t one80[16] = { [13] = 1, [14] = 0, [15] = 0x80 };
	union xvs_addr a;
	uint16_t port;
	bool has;
	uint8_t af;

	(void)s;
	assert_int_equal(pp("[::1]:8080", &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET6);
	assert_memory_equal(a.bytes, lo, 16);
	assert_true(has);
	assert_int_equal(port, htons(8080));

	assert_int_equal(pp("[::1]", &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET6);
	assert_memory_equal(a.bytes, lo, 16);
	assert_false(has);
	assert_int_equal(port, 0);

	assert_int_equal(pp("::1", &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET6);
	assert_memory_equal(a.bytes, lo, 16);
	assert_false(has);

	assert_int_equal(pp("::1:80", &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET6);
	assert_memory_equal(a.bytes, one80, 16);
	assert_false(has);
	assert_int_equal(port, 0);

	/* The longest form fits. */
	assert_int_equal(pp("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535",
			    &af, &a, &port, &has), 0);
	assert_int_equal(af, XVS_AF_INET6);
	assert_int_equal(port, htons(65535));
	for (int i = 0; i < 16; i++)
		assert_int_equal(a.bytes[i], 0xff);
}

static void test_port_parse_bad(void **s)
{
	union xvs_addr a;
	uint16_t port;
	bool has;
	uint8_t af;

	(void)s;
	/* Bad addresses: -EINVAL. */
	assert_int_equal(pp("", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("1.2.3", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("1.2.3:80", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("[::1", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("[1.2.3.4]:80", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("[::1]x", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("[]:80", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("1.2.3.4:80:", &af, &a, &port, &has), -EINVAL);
	assert_int_equal(pp("host:80", &af, &a, &port, &has), -EINVAL);
	/* Too long to be any address. */
	assert_int_equal(pp("[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:655350",
			    &af, &a, &port, &has), -EINVAL);

	/* Bad ports: -ERANGE, and no port reported. */
	assert_int_equal(pp("1.2.3.4:", &af, &a, &port, &has), -ERANGE);
	assert_false(has);
	assert_int_equal(pp("1.2.3.4:65536", &af, &a, &port, &has), -ERANGE);
	assert_false(has);
	assert_int_equal(pp("1.2.3.4:-1", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("1.2.3.4:+80", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("1.2.3.4: 80", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("1.2.3.4:80x", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("1.2.3.4:http", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("1.2.3.4:99999999999999999999", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("[::1]:", &af, &a, &port, &has), -ERANGE);
	assert_int_equal(pp("[::1]:65536", &af, &a, &port, &has), -ERANGE);
	assert_false(has);
	assert_int_equal(port, 0);
}

static void test_fmt(void **s)
{
	char buf[XVS_ADDRPORT_STRLEN];
	union xvs_addr a;
	uint8_t af;

	(void)s;
	assert_int_equal(xvs_addr_parse("192.0.2.10", &af, &a), 0);
	assert_ptr_equal(xvs_addr_fmt(af, &a, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "192.0.2.10");
	assert_ptr_equal(xvs_addr_port_fmt(af, &a, htons(80), buf, sizeof(buf)), buf);
	assert_string_equal(buf, "192.0.2.10:80");
	xvs_addr_port_fmt(af, &a, 0, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.10:0");

	assert_int_equal(xvs_addr_parse("2001:DB8:0:0::1", &af, &a), 0);
	xvs_addr_fmt(af, &a, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	xvs_addr_port_fmt(af, &a, htons(443), buf, sizeof(buf));
	assert_string_equal(buf, "[2001:db8::1]:443");

	/* The longest text fits XVS_ADDRPORT_STRLEN. */
	memset(&a, 0xff, sizeof(a));
	xvs_addr_port_fmt(XVS_AF_INET6, &a, htons(65535), buf, sizeof(buf));
	assert_string_equal(buf, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}

static void test_fmt_roundtrip(void **s)
{
	static const char *const in[] = {
		"0.0.0.0:0", "255.255.255.255:65535", "198.19.2.3:8080",
		"[::]:0", "[::1]:1", "[fe80::1:2]:22", "[2001:db8::ffff:1.2.3.4]:9",
	};
	static const char *const out[] = {
		"0.0.0.0:0", "255.255.255.255:65535", "198.19.2.3:8080",
		"[::]:0", "[::1]:1", "[fe80::1:2]:22", "[2001:db8::ffff:102:304]:9",
	};
	char buf[XVS_ADDRPORT_STRLEN];
	union xvs_addr a;
	uint16_t port;
	bool has;
	uint8_t af;

	(void)s;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(pp(in[i], &af, &a, &port, &has), 0);
		assert_true(has);
		xvs_addr_port_fmt(af, &a, port, buf, sizeof(buf));
		assert_string_equal(buf, out[i]);
	}
}

static void test_fmt_small_buf(void **s)
{
	char buf[4];
	union xvs_addr a = { .ip4 = htonl(0xc6120001) };

	(void)s;
	/* inet_ntop fails for a short buffer: "?" rather than garbage. */
	xvs_addr_fmt(XVS_AF_INET, &a, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

static void test_mask4_len(void **s)
{
	(void)s;
	assert_int_equal(xvs_mask4_len(htonl(0x00000000)), 0);
	assert_int_equal(xvs_mask4_len(htonl(0x80000000)), 1);
	assert_int_equal(xvs_mask4_len(htonl(0xff000000)), 8);
	assert_int_equal(xvs_mask4_len(htonl(0xffff8000)), 17);
	assert_int_equal(xvs_mask4_len(htonl(0xffffff00)), 24);
	assert_int_equal(xvs_mask4_len(htonl(0xfffffffe)), 31);
	assert_int_equal(xvs_mask4_len(htonl(0xffffffff)), 32);
	for (int len = 0; len <= 32; len++) {
		uint32_t m = len ? 0xffffffffu << (32 - len) : 0;

		assert_int_equal(xvs_mask4_len(htonl(m)), len);
	}
	/* Non-contiguous. */
	assert_int_equal(xvs_mask4_len(htonl(0xff00ff00)), -1);
	assert_int_equal(xvs_mask4_len(htonl(0x00ffffff)), -1);
	assert_int_equal(xvs_mask4_len(htonl(0x00000001)), -1);
	assert_int_equal(xvs_mask4_len(htonl(0x7fffffff)), -1);
	assert_int_equal(xvs_mask4_len(htonl(0xfffffffd)), -1);
	assert_int_equal(xvs_mask4_len(htonl(0xfffeffff)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_port_parse_v4),
		cmocka_unit_test(test_port_parse_v6),
		cmocka_unit_test(test_port_parse_bad),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_fmt_roundtrip),
		cmocka_unit_test(test_fmt_small_buf),
		cmocka_unit_test(test_mask4_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
