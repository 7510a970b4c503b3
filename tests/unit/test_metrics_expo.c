// SPDX-License-Identifier: GPL-2.0
/*
 * test_metrics_expo.c - the Prometheus text format writer
 * (daemon/metrics/expo.c): family headers, sample lines, escaping of
 * label values and help text, float spelling, buffer growth.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../daemon/metrics/expo.h"

/* The text written so far (e keeps it). */
static const char *text(const struct xvs_expo *e)
{
	return e->buf ? e->buf : "";
}

static void test_family_and_samples(void **s)
{
	struct xvs_expo_label l[2] = { { "a", "x" }, { "b", "" } };
	struct xvs_expo e;

	(void)s;
	xvs_expo_init(&e);
	xvs_expo_family(&e, "m_total", XVS_EXPO_COUNTER, "Things done.");
	xvs_expo_u64(&e, "m_total", NULL, 0, 0);
	xvs_expo_u64(&e, "m_total", l, 2, UINT64_MAX);
	xvs_expo_family(&e, "g", XVS_EXPO_GAUGE, "A level.");
	xvs_expo_u64(&e, "g", l, 1, 7);
	assert_string_equal(text(&e),
			    "# HELP m_total Things done.\n"
			    "# TYPE m_total counter\n"
			    "m_total 0\n"
			    "m_total{a=\"x\",b=\"\"} 18446744073709551615\n"
			    "# HELP g A level.\n"
			    "# TYPE g gauge\n"
			    "g{a=\"x\"} 7\n");
	assert_false(e.oom);
	xvs_expo_free(&e);
}

static void test_escaping(void **s)
{
	struct xvs_expo_label l = { "v", "a\"b\\c\nd" };
	struct xvs_expo e;

	(void)s;
	xvs_expo_init(&e);
	/* Help escapes backslash and newline; a quote stays as it is. */
	xvs_expo_family(&e, "m", XVS_EXPO_GAUGE, "say \"hi\"\\ there\nnow");
	xvs_expo_u64(&e, "m", &l, 1, 1);
	assert_string_equal(text(&e),
			    "# HELP m say \"hi\"\\\\ there\\nnow\n"
			    "# TYPE m gauge\n"
			    "m{v=\"a\\\"b\\\\c\\nd\"} 1\n");
	xvs_expo_free(&e);
}

/* The value text of one f64 sample. */
static void expect_f64(double v, const char *want)
{
	struct xvs_expo e;
	char line[64];

	xvs_expo_init(&e);
	xvs_expo_f64(&e, "x", NULL, 0, v);
	snprintf(line, sizeof(line), "x %s\n", want);
	assert_string_equal(text(&e), line);
	xvs_expo_free(&e);
}

static void test_floats(void **s)
{
	(void)s;
	expect_f64(NAN, "NaN");
	expect_f64(INFINITY, "+Inf");
	expect_f64(-INFINITY, "-Inf");
	expect_f64(3, "3");
	expect_f64(0.25, "0.25");
	expect_f64(0.1, "0.1");			/* 15 digits read back exactly */
	expect_f64(1e-9, "1e-09");
	expect_f64(0.1 + 0.2, "0.30000000000000004");	/* needs 17 digits */
	expect_f64(-2.5e10, "-25000000000");
}

/* Values read back as written, whatever the precision needed. */
static void test_float_round_trip(void **s)
{
	static const double vals[] = { 0.001234, 1.0 / 3, 123456.789, 5e-324, 1.7976931348623157e308 };

	(void)s;
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct xvs_expo e;

		xvs_expo_init(&e);
		xvs_expo_f64(&e, "x", NULL, 0, vals[i]);
		assert_true(strtod(text(&e) + 2, NULL) == vals[i]);
		xvs_expo_free(&e);
	}
}

/* Many samples: the buffer grows past its first size, nothing is lost. */
static void test_growth_and_take(void **s)
{
	struct xvs_expo e;
	size_t len = 0, want = 0;
	char *buf, line[64];
	int n;

	(void)s;
	xvs_expo_init(&e);
	for (unsigned int i = 0; i < 5000; i++) {
		char v[16];
		struct xvs_expo_label l = { "i", v };

		snprintf(v, sizeof(v), "%u", i);
		xvs_expo_u64(&e, "series", &l, 1, i * 3ull);
		want += (size_t)snprintf(line, sizeof(line), "series{i=\"%u\"} %llu\n", i, i * 3ull);
	}
	buf = xvs_expo_take(&e, &len);
	assert_non_null(buf);
	assert_int_equal(len, want);
	assert_int_equal(strlen(buf), len);
	n = sscanf(buf + len - 30, "%*[^\n]\n%63[^\n]", line);
	assert_int_equal(n, 1);
	assert_string_equal(line, "series{i=\"4999\"} 14997");
	/* take leaves e empty and reusable */
	assert_null(e.buf);
	assert_int_equal(e.len, 0);
	free(buf);
}

static void test_take_empty(void **s)
{
	struct xvs_expo e;
	size_t len = 99;

	(void)s;
	xvs_expo_init(&e);
	assert_null(xvs_expo_take(&e, &len));
	assert_int_equal(len, 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_float_round_trip),
		cmocka_unit_test(test_growth_and_take),
		cmocka_unit_test(test_take_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
