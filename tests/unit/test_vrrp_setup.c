// SPDX-License-Identifier: GPL-2.0
/*
 * test_vrrp_setup.c - from keepalived.conf to the VRRP runtime
 * (daemon/vrrp/vrrp.c) without sockets: what an instance expects of
 * adverts and how it times them, the GET_VRRP listing, and the configs
 * the runtime refuses (AH, IPv6 VIPs, unknown interface, unknown script).
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
#include "kconf.h"
#include "log.h"

/* An instance on lo (it exists everywhere), unicast from 127.0.0.1. */
#define INSTANCE(extra) \
	"vrrp_script chk {\n script \"/bin/true\"\n interval 2\n weight -20\n fall 3\n rise 2\n}\n" \
	"vrrp_instance VI_1 {\n state MASTER\n interface lo\n virtual_router_id 51\n" \
	" priority 150\n advert_int 1.4\n" \
	" authentication {\n auth_type PASS\n auth_pass YourStrongPass\n }\n" \
	" unicast_src_ip 127.0.0.1\n unicast_peer {\n 127.0.0.2\n 127.0.0.3\n }\n" \
	" virtual_ipaddress {\n 198.18.0.100/24\n 198.18.0.101\n }\n" extra "}\n"

static struct xvs_kconf *load(const char *text)
{
	struct xvs_kconf *kc = xvs_kconf_load_buf("test.conf", text, strlen(text));

	assert_non_null(kc);
	assert_false(kc->fatal);
	return kc;
}

static void test_expectations(void **st)
{
	struct xvs_kconf *kc = load(INSTANCE(" track_script {\n chk\n }\n"));
	struct xvs_vrrp *v = xvs_vrrp_new(kc);
	const struct vrrp_inst *inst;

	(void)st;
	assert_non_null(v);
	assert_int_equal(v->n_insts, 1);
	inst = &v->insts[0];
	assert_int_equal(inst->exp.version, 2);
	assert_int_equal(inst->exp.vrid, 51);
	assert_int_equal(inst->exp.n_addrs, 2);
	assert_true(inst->exp.unicast);
	assert_int_equal(inst->exp.n_peers, 2);
	assert_int_equal(inst->exp.auth_type, XVS_VRRP_AUTH_PASS);
	/* Only the first 8 characters of the password. */
	assert_memory_equal(inst->exp.auth, "YourStro", 8);
	/* v2 times with whole seconds, as it advertises: 1.4 s -> 1 s. */
	assert_int_equal(inst->fsm.cfg.adver_int_cs, 100);
	assert_int_equal(inst->fsm.cfg.priority, 150);
	assert_true(inst->fsm.cfg.want_master);
	assert_int_equal(inst->fsm.state, XVS_VRRP_INIT);
	assert_int_equal(v->n_scripts, 1);
	assert_string_equal(v->scripts[0].argv[0], "/bin/true");
	assert_true(v->scripts[0].up);
	xvs_vrrp_free(v);
	xvs_kconf_free(kc);
}

static void test_ctl_list(void **st)
{
	struct xvs_kconf *kc = load(INSTANCE(""));
	struct xvs_vrrp *v = xvs_vrrp_new(kc);
	const struct xvs_ctl_list *list;
	const struct xvs_ctl_vrrp *e;
	void *reply;
	uint32_t len;

	(void)st;
	assert_non_null(v);
	assert_int_equal(xvs_vrrp_ctl_list(v, &reply, &len), 0);
	assert_int_equal(len, sizeof(*list) + sizeof(*e));
	list = reply;
	e = (const struct xvs_ctl_vrrp *)(list + 1);
	assert_int_equal(list->count, 1);
	assert_string_equal(e->name, "VI_1");
	assert_string_equal(e->iface, "lo");
	assert_int_equal(e->state, XVS_VRRP_INIT);
	assert_int_equal(e->vrid, 51);
	assert_int_equal(e->base_prio, 150);
	assert_int_equal(e->prio, 150);
	assert_int_equal(e->version, 2);
	assert_int_equal(e->master_known, 0);
	free(reply);
	/* No VRRP: an empty list, not an error. */
	assert_int_equal(xvs_vrrp_ctl_list(NULL, &reply, &len), 0);
	assert_int_equal(len, sizeof(*list));
	assert_int_equal(((const struct xvs_ctl_list *)reply)->count, 0);
	free(reply);
	xvs_vrrp_free(v);
	xvs_kconf_free(kc);
}

static void expect_refused(const char *text, int err)
{
	struct xvs_kconf *kc = load(text);

	errno = 0;
	assert_null(xvs_vrrp_new(kc));
	assert_int_equal(errno, err);
	xvs_kconf_free(kc);
}

static void test_refused(void **st)
{
	(void)st;
	expect_refused("vrrp_instance VI_1 {\n interface nosuchif0\n virtual_router_id 1\n"
		       " virtual_ipaddress {\n 198.18.0.100\n }\n}\n", ENODEV);
	expect_refused("vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		       " authentication {\n auth_type AH\n auth_pass x\n }\n"
		       " virtual_ipaddress {\n 198.18.0.100\n }\n}\n", EOPNOTSUPP);
	expect_refused("vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		       " virtual_ipaddress {\n 2001:db8::100\n }\n}\n", EAFNOSUPPORT);
	expect_refused("vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		       " track_interface {\n nosuchif0\n }\n"
		       " virtual_ipaddress {\n 198.18.0.100\n }\n}\n", ENODEV);
	expect_refused("vrrp_sync_group G {\n group {\n VI_1\n VI_9\n }\n}\n"
		       "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n"
		       " virtual_ipaddress {\n 198.18.0.100\n }\n}\n", ENOENT);
}

static void test_no_instances(void **st)
{
	struct xvs_kconf *kc = load("global_defs {\n router_id X\n}\n");
	struct xvs_vrrp *v = xvs_vrrp_new(kc);

	(void)st;
	assert_non_null(v);
	assert_int_equal(v->n_insts, 0);
	/* Nothing to start: no fd is added to any epoll set. */
	assert_int_equal(xvs_vrrp_start(v, -1), 0);
	assert_false(xvs_vrrp_handle(v, 0));
	xvs_vrrp_stop(v);
	xvs_vrrp_free(v);
	xvs_kconf_free(kc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expectations),
		cmocka_unit_test(test_ctl_list),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_no_instances),
	};

	/* Errors only: the refusals below say why on stderr. */
	xvs_log_init("test_vrrp_setup", false, XVS_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
