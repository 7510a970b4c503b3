// SPDX-License-Identifier: GPL-2.0
/* report.c - `status` (what up configured) and `doctor` (is it right). */
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "rs.h"

static const char *const cnt_names[XVS_RS_CNT_MAX] = {
	[XVS_RS_CNT_DECAP] = "decap",
	[XVS_RS_CNT_PASS] = "pass",
	[XVS_RS_CNT_MALFORMED] = "malformed",
	[XVS_RS_CNT_FRAGMENT] = "fragment",
	[XVS_RS_CNT_NOT_LOCAL] = "not_local",
};

/* One line about the XDP program on dev. Returns 1 if xvs_rs_decap is there. */
static int print_xdp(const char *indent, const char *dev)
{
	struct xvs_rs_xdp_info info;
	int ifindex = (int)if_nametoindex(dev), err;

	if (!ifindex) {
		printf("%sxdp on %s: no such interface\n", indent, dev);
		return 0;
	}
	err = xvs_rs_xdp_query(ifindex, &info);
	if (err) {
		printf("%sxdp on %s: query failed: %s\n", indent, dev, strerror(-err));
		return 0;
	}
	if (!info.prog_id) {
		printf("%sxdp on %s: none\n", indent, dev);
		return 0;
	}
	printf("%sxdp on %s: %s id %u, %s", indent, dev,
	       info.ours ? XVS_RS_PROG_NAME : "foreign program", info.prog_id,
	       xvs_rs_xdp_mode_name(info.mode));
	for (int k = 0; info.have_counters && k < XVS_RS_CNT_MAX; k++)
		printf("%s%s %llu", k ? " " : "; ", cnt_names[k],
		       (unsigned long long)info.counters[k]);
	printf("\n");
	return info.ours;
}

/* Print one state file and the live values next to the recorded ones. */
static void print_state(const char *path, const struct xvs_rs_state *st)
{
	int lo = (int)if_nametoindex("lo"), cur;
	char a[64];
	unsigned int i;

	printf("%s:\n  mode %s%s%s\n", path, xvs_rs_mode_name(st->mode),
	       st->dev[0] ? ", dev " : "", st->dev);
	for (i = 0; i < st->n_vips; i++) {
		const struct xvs_rs_vip *v = &st->vips[i];
		int on = xvs_rs_nl_addr_present(lo, v->af, &v->addr);

		printf("  vip %s on lo: %s (%s)\n",
		       xvs_addr_fmt(v->af, &v->addr, a, sizeof(a)),
		       on > 0 ? "yes" : on == 0 ? "MISSING" : "unknown",
		       v->added ? "added by xvs-rs" : "was there before");
	}
	for (i = 0; i < st->n_sysctls; i++) {
		const struct xvs_rs_saved_sysctl *s = &st->sysctls[i];

		if (xvs_rs_sysctl_get(XVS_RS_SYSCTL_ROOT, s->key, &cur))
			printf("  sysctl %s = ? (was %d)\n", s->key, s->value);
		else
			printf("  sysctl %s = %d (was %d)\n", s->key, cur, s->value);
	}
	if (st->xdp)
		print_xdp("  ", st->dev);
}

int xvs_rs_do_status(const struct xvs_rs_opts *o)
{
	char path[XVS_RS_PATH_MAX + 300];
	struct xvs_rs_state st;
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (o->dev[0]) {
		xvs_rs_state_path(o->state_dir, o->dev, path, sizeof(path));
		if (xvs_rs_state_load(path, &st) == 0)
			print_state(path, &st);
		else
			printf("%s: not configured by xvs-rs\n", o->dev);
		print_xdp("", o->dev);
		return 0;
	}
	d = opendir(o->state_dir);
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 7 || strcmp(de->d_name + len - 6, ".state"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", o->state_dir, de->d_name);
		if (xvs_rs_state_load(path, &st))
			continue;
		print_state(path, &st);
		n++;
	}
	if (d)
		closedir(d);
	if (!n)
		printf("xvs-rs: nothing configured (no state in %s)\n", o->state_dir);
	return 0;
}

static int check(int ok, const char *fmt, const char *what, const char *detail)
{
	printf("%-4s ", ok ? "OK" : "FAIL");
	printf(fmt, what, detail);
	printf("\n");
	return !ok;
}

int xvs_rs_do_doctor(const struct xvs_rs_opts *o)
{
	struct xvs_rs_saved_sysctl want[XVS_RS_MAX_SYSCTLS];
	struct xvs_rs_state st;
	const struct xvs_rs_vip *vips = o->vips;
	unsigned int n_vips = o->n_vips, i;
	enum xvs_rs_mode mode = o->mode;
	char path[XVS_RS_PATH_MAX + 32], dev[XVS_RS_IFNAMSIZ], a[64], d[64];
	int lo = (int)if_nametoindex("lo"), n_want, cur, fail = 0, have_st;

	/* What is not on the command line comes from up's state. */
	xvs_rs_state_path(o->state_dir, o->dev, path, sizeof(path));
	have_st = xvs_rs_state_load(path, &st) == 0;
	if (mode == XVS_RS_MODE_UNSET)
		mode = have_st ? st.mode : XVS_RS_MODE_DR;
	if (!n_vips && have_st) {
		vips = st.vips;
		n_vips = st.n_vips;
	}
	snprintf(dev, sizeof(dev), "%s", o->dev[0] || !have_st ? o->dev : st.dev);
	printf("xvs-rs doctor: mode %s%s%s\n", xvs_rs_mode_name(mode),
	       dev[0] ? ", dev " : "", dev);

	if (mode == XVS_RS_MODE_TUN && !dev[0]) {
		fail |= check(0, "%s%s", "tun: no --dev to check rp_filter and XDP on", "");
		n_want = xvs_rs_sysctls_wanted(XVS_RS_MODE_DR, NULL, want,
					       XVS_RS_MAX_SYSCTLS);
	} else {
		n_want = xvs_rs_sysctls_wanted(mode, dev, want, XVS_RS_MAX_SYSCTLS);
	}
	for (i = 0; n_want > 0 && i < (unsigned int)n_want; i++) {
		if (xvs_rs_sysctl_get(XVS_RS_SYSCTL_ROOT, want[i].key, &cur)) {
			fail |= check(0, "sysctl %s%s", want[i].key, " unreadable");
			continue;
		}
		snprintf(d, sizeof(d), " = %d (want %d)", cur, want[i].value);
		fail |= check(cur == want[i].value, "sysctl %s%s", want[i].key, d);
	}
	if (!n_vips)
		fail |= check(0, "%s%s", "vip: none given and none recorded by up", "");
	for (i = 0; i < n_vips; i++) {
		int on = xvs_rs_nl_addr_present(lo, vips[i].af, &vips[i].addr);

		xvs_addr_fmt(vips[i].af, &vips[i].addr, a, sizeof(a));
		fail |= check(on > 0, "vip %s%s", a,
			      on > 0 ? " on lo" : on == 0 ? " not on lo" : " lookup failed");
	}
	if (mode == XVS_RS_MODE_TUN && dev[0]) {
		printf("     ");
		fail |= check(print_xdp("", dev), "%s%s",
			      "tun: xvs_rs_decap attached on ", dev);
	}
	return fail ? 1 : 0;
}
