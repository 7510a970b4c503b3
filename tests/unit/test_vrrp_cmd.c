// SPDX-License-Identifier: GPL-2.0
/*
 * test_vrrp_cmd.c - how VRRP splits a script or notify command line into
 * argv (daemon/vrrp/vrrp_script.c): words, quotes, limits, empty lines.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../daemon/vrrp/vrrp_int.h"

static void expect_argv(const char *cmd, const char *const *want)
{
	char **argv = xvs_vrrp_split_cmd(cmd);
	int i;

	assert_non_null(argv);
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
	xvs_vrrp_free_argv(argv);
}

static void test_words(void **st)
{
	(void)st;
	expect_argv("/usr/local/bin/notify.sh master",
		    (const char *const[]){ "/usr/local/bin/notify.sh", "master", NULL });
	expect_argv("  /bin/true\t ", (const char *const[]){ "/bin/true", NULL });
}

static void test_quotes(void **st)
{
	(void)st;
	expect_argv("/bin/sh -c 'exit 1'",
		    (const char *const[]){ "/bin/sh", "-c", "exit 1", NULL });
	expect_argv("a \"b c\"d 'e\"f'",
		    (const char *const[]){ "a", "b cd", "e\"f", NULL });
}

static void test_bad(void **st)
{
	char big[64 * 3 + 8];

	(void)st;
	errno = 0;
	assert_null(xvs_vrrp_split_cmd(""));
	assert_int_equal(errno, EINVAL);
	assert_null(xvs_vrrp_split_cmd("   "));
	/* 65 words: more than VRRP_MAX_ARGS. */
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 65; i++)
		strcat(big, "a ");
	errno = 0;
	assert_null(xvs_vrrp_split_cmd(big));
	assert_int_equal(errno, E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
