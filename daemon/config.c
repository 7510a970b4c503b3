// SPDX-License-Identifier: GPL-2.0
/* config.c - keepalived.conf for xvsd's -t, start and SIGHUP; see config.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "log.h"

static void summary(const char *path, const struct xvs_kconf *kc, enum xvs_log_level level)
{
	xvs_log(level, "%s: %zu virtual server%s, %zu VRRP instance%s, %u error%s, %u warning%s",
		path, kc->n_vs, kc->n_vs == 1 ? "" : "s", kc->n_vrrp_instances,
		kc->n_vrrp_instances == 1 ? "" : "s", kc->n_errors, kc->n_errors == 1 ? "" : "s",
		kc->n_warnings, kc->n_warnings == 1 ? "" : "s");
}

int xvsd_config_test(const char *path)
{
	struct xvs_kconf *kc = xvs_kconf_load(path);
	int status;

	if (!kc) {
		fprintf(stderr, "xvsd: %s: %s\n", path, strerror(errno));
		return 3;
	}
	status = xvs_kconf_test_status(kc);
	summary(path, kc, status ? XVS_LOG_ERR : XVS_LOG_INFO);
	xvs_kconf_free(kc);
	return status;
}

struct xvs_kconf *xvsd_config_load(const char *path, bool reload)
{
	struct xvs_kconf *kc = xvs_kconf_load(path);

	if (!kc) {
		xvs_log_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	summary(path, kc, kc->n_errors ? XVS_LOG_ERR : XVS_LOG_INFO);
	if (kc->fatal || (reload && kc->n_errors)) {
		xvs_log_err("%s: %s", path, reload ? "reload rejected: the running configuration "
			    "stays in force" : "cannot run this configuration");
		xvs_kconf_free(kc);
		return NULL;
	}
	return kc;
}
