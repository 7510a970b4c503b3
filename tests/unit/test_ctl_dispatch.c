// SPDX-License-Identifier: GPL-2.0
/*
 * test_ctl_dispatch.c - xvsd's request checks (daemon/ctl_server.c):
 * unknown commands and wrong payload lengths are refused before the
 * model is touched, so these run with a NULL model.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../daemon/ctl_server.h"
#include "xvs/ctl-t.h"

/* Payload lengths each command accepts (the protocol, from ctl-t.h). */
static const struct {
	uint16_t cmd;
	uint32_t len, alt_len;
} cmds[] = {
	{ XVS_CTL_GET_INFO, 0, 0 },
	{ XVS_CTL_ADD_SERVICE, sizeof(struct xvs_ctl_service), sizeof(struct xvs_ctl_service) },
	{ XVS_CTL_EDIT_SERVICE, sizeof(struct xvs_ctl_service), sizeof(struct xvs_ctl_service) },
	{ XVS_CTL_DEL_SERVICE, sizeof(struct xvs_ctl_service), sizeof(struct xvs_ctl_service) },
	{ XVS_CTL_FLUSH, 0, 0 },
	{ XVS_CTL_ADD_DEST, sizeof(struct xvs_ctl_dest), sizeof(struct xvs_ctl_dest) },
	{ XVS_CTL_EDIT_DEST, sizeof(struct xvs_ctl_dest), sizeof(struct xvs_ctl_dest) },
	{ XVS_CTL_DEL_DEST, sizeof(struct xvs_ctl_dest), sizeof(struct xvs_ctl_dest) },
	{ XVS_CTL_GET_SERVICES, 0, sizeof(struct xvs_svc_key) },
	{ XVS_CTL_ZERO, 0, sizeof(struct xvs_svc_key) },
	{ XVS_CTL_SET_TIMEOUT, sizeof(struct xvs_ctl_timeout), sizeof(struct xvs_ctl_timeout) },
	{ XVS_CTL_GET_TIMEOUT, 0, 0 },
	{ XVS_CTL_GET_CONNS, 0, 0 },
	{ XVS_CTL_GET_COUNTERS, 0, 0 },
	{ XVS_CTL_GET_VRRP, 0, 0 },
	{ XVS_CTL_ADD_LADDR, sizeof(struct xvs_ctl_laddr), sizeof(struct xvs_ctl_laddr) },
	{ XVS_CTL_DEL_LADDR, sizeof(struct xvs_ctl_laddr), sizeof(struct xvs_ctl_laddr) },
	{ XVS_CTL_GET_LADDRS, sizeof(struct xvs_svc_key), sizeof(struct xvs_svc_key) },
	{ XVS_CTL_SET_TOA, sizeof(struct xvs_ctl_laddr), sizeof(struct xvs_ctl_laddr) },
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

/* A payload big enough for any length tried; the content is never read. */
static unsigned char payload[8192];

/* Dispatch to a NULL model; check that no reply is handed back. */
static int dispatch(uint16_t cmd, uint32_t len)
{
	void *reply = (void *)1;
	uint32_t reply_len = 77;
	int ret;

	ret = xvs_ctl_dispatch(NULL, cmd, payload, len, &reply, &reply_len);
	assert_null(reply);
	assert_int_equal(reply_len, 0);
	return ret;
}

static void test_every_command_listed(void **s)
{
	(void)s;
	/* A new command must be added to the table above. */
	assert_int_equal(N_CMDS, XVS_CTL_CMD_MAX - 1);
	for (size_t i = 0; i < N_CMDS; i++)
		assert_int_equal(cmds[i].cmd, i + 1);
}

static void test_wrong_length(void **s)
{
	(void)s;
	for (size_t i = 0; i < N_CMDS; i++) {
		uint32_t len = cmds[i].len, alt = cmds[i].alt_len;
		const uint32_t tries[] = {
			0, 1, 2, 4, 8, len - 1, len + 1, alt - 1, alt + 1,
			len * 2, alt * 2, sizeof(payload), 0x7fffffffu, 0xffffffffu,
		};

		for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]); t++) {
			uint32_t l = tries[t];

			if (l == len || l == alt)
				continue;
			if (dispatch(cmds[i].cmd, l) != -EINVAL)
				fail_msg("cmd %u len %u: not -EINVAL", cmds[i].cmd, l);
		}
	}
}

static void test_wrong_length_sizes(void **s)
{
	(void)s;
	/* The neighbours' sizes: a dest is not a service, a key is not either. */
	assert_int_equal(dispatch(XVS_CTL_ADD_SERVICE, sizeof(struct xvs_ctl_dest)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_ADD_SERVICE, sizeof(struct xvs_svc_key)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_DEL_SERVICE, sizeof(struct xvs_svc_key)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_ADD_DEST, sizeof(struct xvs_ctl_service)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_DEL_DEST, sizeof(struct xvs_svc_key)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_GET_SERVICES, sizeof(struct xvs_ctl_service)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_ZERO, sizeof(struct xvs_ctl_service)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_SET_TIMEOUT, 0), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_GET_TIMEOUT, sizeof(struct xvs_ctl_timeout)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_GET_INFO, sizeof(struct xvs_ctl_info)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_FLUSH, sizeof(struct xvs_svc_key)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_GET_CONNS, sizeof(struct xvs_svc_key)), -EINVAL);
	assert_int_equal(dispatch(XVS_CTL_GET_COUNTERS, sizeof(uint64_t)), -EINVAL);
}

static void test_unknown_command(void **s)
{
	(void)s;
	/* Checked before the length: any length gets -EOPNOTSUPP. */
	for (uint32_t len = 0; len < 64; len += 7) {
		assert_int_equal(dispatch(0, len), -EOPNOTSUPP);
		assert_int_equal(dispatch(XVS_CTL_CMD_MAX, len), -EOPNOTSUPP);
		assert_int_equal(dispatch(XVS_CTL_CMD_MAX + 1, len), -EOPNOTSUPP);
		assert_int_equal(dispatch(0x100, len), -EOPNOTSUPP);
		assert_int_equal(dispatch(0x7fff, len), -EOPNOTSUPP);
		assert_int_equal(dispatch(0xffff, len), -EOPNOTSUPP);
	}
	assert_int_equal(dispatch(0, 0xffffffffu), -EOPNOTSUPP);
	assert_int_equal(dispatch(0xffff, sizeof(struct xvs_ctl_service)), -EOPNOTSUPP);
}

static void test_unknown_command_null_payload(void **s)
{
	void *reply = (void *)1;
	uint32_t reply_len = 5;

	(void)s;
	assert_int_equal(xvs_ctl_dispatch(NULL, 0xffff, NULL, 0, &reply, &reply_len),
			 -EOPNOTSUPP);
	assert_null(reply);
	assert_int_equal(reply_len, 0);
	reply = (void *)1;
	assert_int_equal(xvs_ctl_dispatch(NULL, XVS_CTL_ADD_DEST, NULL, 0, &reply,
					  &reply_len), -EINVAL);
	assert_null(reply);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_listed),
		cmocka_unit_test(test_wrong_length),
		cmocka_unit_test(test_wrong_length_sizes),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_unknown_command_null_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
