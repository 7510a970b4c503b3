// SPDX-License-Identifier: GPL-2.0
/*
 * test_overload.c - the OVERLOAD clearing rule (lib/overload.c) against
 * IPVS's ip_vs_unbind_dest() and __ip_vs_update_dest(), case by case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "overload.h"

/* -y set: cleared strictly below it, whatever -x is. */
static void test_clear_lower(void **st)
{
	(void)st;
	assert_false(xvs_overload_clear(5, 10, 5));
	assert_true(xvs_overload_clear(4, 10, 5));
	assert_true(xvs_overload_clear(0, 10, 5));
	assert_false(xvs_overload_clear(9, 10, 5));
}

/* Only -x: cleared below three quarters, total * 4 < u * 3. */
static void test_clear_upper_only(void **st)
{
	(void)st;
	assert_false(xvs_overload_clear(3, 4, 0));	/* 12 < 12: no */
	assert_true(xvs_overload_clear(2, 4, 0));
	assert_false(xvs_overload_clear(75, 100, 0));
	assert_true(xvs_overload_clear(74, 100, 0));
	assert_false(xvs_overload_clear(1, 1, 0));	/* 4 < 3: no */
	assert_true(xvs_overload_clear(0, 1, 0));
	/* No overflow at the largest threshold ipvsadm accepts. */
	assert_false(xvs_overload_clear(0x7fffffff, 0x7fffffff, 0));
	assert_true(xvs_overload_clear(0x5fffffff, 0x7fffffff, 0));
}

/* Neither threshold (removed by an edit): cleared at once. */
static void test_clear_none(void **st)
{
	(void)st;
	assert_true(xvs_overload_clear(1000, 0, 0));
}

/* An edit clears it when -x is removed or raised, not when lowered. */
static void test_clear_on_edit(void **st)
{
	(void)st;
	assert_true(xvs_overload_clear_on_edit(10, 0));
	assert_true(xvs_overload_clear_on_edit(10, 11));
	assert_false(xvs_overload_clear_on_edit(10, 10));
	assert_false(xvs_overload_clear_on_edit(10, 9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clear_lower),
		cmocka_unit_test(test_clear_upper_only),
		cmocka_unit_test(test_clear_none),
		cmocka_unit_test(test_clear_on_edit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
