// SPDX-License-Identifier: GPL-2.0
/* test_rs_state.c - xvs-rs state file and sysctl file access (rs/state.c, sysctl.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "addr.h"
#include "../../rs/rs.h"

static char dir[64];

static void sample(struct xvs_rs_state *st)
{
	struct xvs_rs_vip v = { 0 };

	memset(st, 0, sizeof(*st));
	st->version = XVS_RS_STATE_VERSION;
	st->mode = XVS_RS_MODE_TUN;
	strcpy(st->dev, "eth0");
	st->xdp = 1;
	st->xdp_mode = XVS_RS_XDP_GENERIC;
	assert_int_equal(xvs_rs_state_add_sysctl(st, "net/ipv4/conf/all/arp_ignore", 0), 0);
	assert_int_equal(xvs_rs_state_add_sysctl(st, "net/ipv4/conf/eth0/rp_filter", 2), 0);
	assert_int_equal(xvs_addr_parse("198.18.0.100", &v.af, &v.addr), 0);
	v.added = 1;
	assert_int_equal(xvs_rs_state_add_vip(st, &v), 0);
	assert_int_equal(xvs_addr_parse("2001:db8::100", &v.af, &v.addr), 0);
	v.added = 0;
	assert_int_equal(xvs_rs_state_add_vip(st, &v), 0);
}

static void test_roundtrip(void **s)
{
	struct xvs_rs_state a, b;
	char path[128];

	(void)s;
	sample(&a);
	assert_int_equal(xvs_rs_state_path(dir, "eth0", path, sizeof(path)), 0);
	assert_int_equal(xvs_rs_state_save(path, &a), 0);
	assert_int_equal(xvs_rs_state_load(path, &b), 0);
	assert_int_equal(b.mode, XVS_RS_MODE_TUN);
	assert_string_equal(b.dev, "eth0");
	assert_int_equal(b.xdp, 1);
	assert_int_equal(b.xdp_mode, XVS_RS_XDP_GENERIC);
	assert_int_equal(b.n_sysctls, 2);
	assert_string_equal(b.sysctls[1].key, "net/ipv4/conf/eth0/rp_filter");
	assert_int_equal(b.sysctls[1].value, 2);
	assert_int_equal(b.n_vips, 2);
	assert_memory_equal(b.vips, a.vips, sizeof(a.vips[0]) * 2);
	assert_int_equal(b.vips[0].added, 1);
	assert_int_equal(b.vips[1].added, 0);
	unlink(path);
	assert_int_equal(xvs_rs_state_load(path, &b), -ENOENT);
}

static void test_path(void **s)
{
	char buf[64];

	(void)s;
	assert_int_equal(xvs_rs_state_path("/run/xvs-rs", "", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/xvs-rs/default.state");
	assert_int_equal(xvs_rs_state_path("/run/xvs-rs", "eth0", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/xvs-rs/eth0.state");
	assert_int_equal(xvs_rs_state_path("/run/xvs-rs", "eth0", buf, 10),
			 -ENAMETOOLONG);
}

static int read_text(const char *text, struct xvs_rs_state *st)
{
	char err[128];
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = xvs_rs_state_read(f, st, err, sizeof(err));
	fclose(f);
	return ret;
}

static void test_read_rejects(void **s)
{
	struct xvs_rs_state st;

	(void)s;
	assert_int_equal(read_text("version 1\nmode dr\n", &st), 0);
	assert_int_equal(st.mode, XVS_RS_MODE_DR);
	assert_int_equal(read_text("# c\n\nversion 1\nmode dr\nvip 198.18.0.1 kept\n", &st), 0);
	assert_int_equal(st.n_vips, 1);
	assert_int_equal(read_text("", &st), -EINVAL);
	assert_int_equal(read_text("mode dr\n", &st), -EINVAL);
	assert_int_equal(read_text("version 2\nmode dr\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode nat\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr\nvip 1.2.3 added\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr\nvip 198.18.0.1 maybe\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr\nsysctl a/b x\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr\nsysctl a/b\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr\nxdp hw\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr\nbogus 1\n", &st), -EINVAL);
	assert_int_equal(read_text("version 1\nmode dr extra\n", &st), -EINVAL);
}

static void test_first_value_wins(void **s)
{
	struct xvs_rs_state st;
	struct xvs_rs_vip v = { 0 };

	(void)s;
	memset(&st, 0, sizeof(st));
	/* A second up must not record the values the first one set. */
	assert_int_equal(xvs_rs_state_add_sysctl(&st, "k", 0), 0);
	assert_int_equal(xvs_rs_state_add_sysctl(&st, "k", 1), 0);
	assert_int_equal(st.n_sysctls, 1);
	assert_int_equal(xvs_rs_state_find_sysctl(&st, "k")->value, 0);
	assert_null(xvs_rs_state_find_sysctl(&st, "other"));

	xvs_addr_parse("198.18.0.7", &v.af, &v.addr);
	v.added = 1;
	assert_int_equal(xvs_rs_state_add_vip(&st, &v), 0);
	v.added = 0;
	assert_int_equal(xvs_rs_state_add_vip(&st, &v), 0);
	assert_int_equal(st.n_vips, 1);
	assert_int_equal(xvs_rs_state_find_vip(&st, v.af, &v.addr)->added, 1);
}

static void test_sysctl_files(void **s)
{
	char path[128], keydir[128];
	FILE *f;
	int v;

	(void)s;
	snprintf(keydir, sizeof(keydir), "%s/net", dir);
	mkdir(keydir, 0700);
	snprintf(path, sizeof(path), "%s/net/x", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("2\n", f);
	fclose(f);
	assert_int_equal(xvs_rs_sysctl_get(dir, "net/x", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(xvs_rs_sysctl_set(dir, "net/x", 0), 0);
	assert_int_equal(xvs_rs_sysctl_get(dir, "net/x", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(xvs_rs_sysctl_get(dir, "net/missing", &v), -ENOENT);
	f = fopen(path, "w");
	fputs("abc\n", f);
	fclose(f);
	assert_int_equal(xvs_rs_sysctl_get(dir, "net/x", &v), -EINVAL);
	unlink(path);
	rmdir(keydir);
}

static int setup(void **s)
{
	(void)s;
	strcpy(dir, "/tmp/test_rs_state.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **s)
{
	(void)s;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_read_rejects),
		cmocka_unit_test(test_first_value_wins),
		cmocka_unit_test(test_sysctl_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
