// SPDX-License-Identifier: GPL-2.0
/*
 * cmd.c - `up` and `down`, and the command dispatch table.
 *
 * up checks everything it can against the system first (interfaces exist,
 * every sysctl is readable), then records the original values in the
 * state file *before* it changes anything, so that `down` can undo a
 * half-done up even after a crash. A failed first up undoes itself.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "log.h"
#include "rs.h"

/* mkdir -p for the state directory (0700). */
static int mkdir_p(const char *dir)
{
	char buf[XVS_RS_PATH_MAX];
	size_t i, n = strlen(dir);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -errno;
		buf[i] = dir[i];
	}
	return 0;
}

/*
 * Undo what st records: detach the decapsulator, remove the VIPs we
 * added, restore the sysctls (last changed first). Carries on past
 * errors; returns how many steps failed.
 */
static int undo(const struct xvs_rs_state *st)
{
	char a[64];
	int lo = (int)if_nametoindex("lo"), failed = 0, err, i;

	if (st->xdp && st->dev[0]) {
		int ifindex = (int)if_nametoindex(st->dev);

		err = ifindex ? xvs_rs_xdp_detach(ifindex) : 0;
		if (err == -EBUSY)
			xvs_log_warn("%s: the XDP program there is not xvs-rs's; left alone",
				     st->dev);
		else if (err && ++failed)
			xvs_log_err("%s: detach XDP: %s", st->dev, strerror(-err));
	}
	for (i = 0; i < (int)st->n_vips; i++) {
		const struct xvs_rs_vip *v = &st->vips[i];

		if (!v->added)
			continue;
		xvs_addr_fmt(v->af, &v->addr, a, sizeof(a));
		err = xvs_rs_nl_addr_del(lo, v->af, &v->addr);
		if (err && err != -EADDRNOTAVAIL && ++failed)
			xvs_log_err("vip %s: remove from lo: %s", a, strerror(-err));
	}
	for (i = (int)st->n_sysctls - 1; i >= 0; i--) {
		const struct xvs_rs_saved_sysctl *s = &st->sysctls[i];

		err = xvs_rs_sysctl_set(XVS_RS_SYSCTL_ROOT, s->key, s->value);
		if (err == -ENOENT)	/* the interface is gone */
			xvs_log_warn("sysctl %s: gone, not restored", s->key);
		else if (err && ++failed)
			xvs_log_err("sysctl %s: restore %d: %s", s->key, s->value,
				    strerror(-err));
	}
	return failed;
}

/* Apply st's wanted sysctls, VIPs and XDP; updates st as it goes. */
static int apply(const struct xvs_rs_opts *o, struct xvs_rs_state *st,
		 const char *path, const struct xvs_rs_saved_sysctl *want,
		 int n_want, int lo, int ifindex)
{
	char a[64];
	unsigned int i;
	int err;

	for (i = 0; i < (unsigned int)n_want; i++) {
		err = xvs_rs_sysctl_set(XVS_RS_SYSCTL_ROOT, want[i].key, want[i].value);
		if (err) {
			xvs_log_err("sysctl %s = %d: %s", want[i].key, want[i].value,
				    strerror(-err));
			return err;
		}
	}
	for (i = 0; i < o->n_vips; i++) {
		const struct xvs_rs_vip *v = &o->vips[i];

		if (!xvs_rs_state_find_vip(st, v->af, &v->addr)->added)
			continue;
		err = xvs_rs_nl_addr_add(lo, v->af, &v->addr);
		if (err && err != -EEXIST) {
			xvs_log_err("vip %s: add to lo: %s",
				    xvs_addr_fmt(v->af, &v->addr, a, sizeof(a)),
				    strerror(-err));
			return err;
		}
	}
	if (o->mode != XVS_RS_MODE_TUN)
		return 0;
	err = xvs_rs_xdp_attach(ifindex, o->xdp_mode, o->locals, o->n_locals,
				&st->xdp_mode);
	if (err) {
		xvs_log_err("%s: attach XDP decapsulator (%s): %s", o->dev,
			    xvs_rs_xdp_mode_name(o->xdp_mode), strerror(-err));
		return err;
	}
	st->xdp = 1;
	return xvs_rs_state_save(path, st);
}

/*
 * Record in st what up is about to change: each sysctl's current value
 * (unless an earlier up recorded it) and, per VIP, whether we add it.
 */
static int record(const struct xvs_rs_opts *o, struct xvs_rs_state *st,
		  const struct xvs_rs_saved_sysctl *want, int n_want, int lo)
{
	char a[64];
	unsigned int i;
	int err, cur;

	for (i = 0; i < (unsigned int)n_want; i++) {
		err = xvs_rs_sysctl_get(XVS_RS_SYSCTL_ROOT, want[i].key, &cur);
		if (err) {
			xvs_log_err("sysctl %s: %s", want[i].key, strerror(-err));
			return err;
		}
		if ((err = xvs_rs_state_add_sysctl(st, want[i].key, cur)))
			return err;
	}
	for (i = 0; i < o->n_vips; i++) {
		struct xvs_rs_vip v = o->vips[i];

		if (xvs_rs_state_find_vip(st, v.af, &v.addr))
			continue;	/* an earlier up decided */
		err = xvs_rs_nl_addr_present(lo, v.af, &v.addr);
		if (err < 0) {
			xvs_log_err("vip %s: %s",
				    xvs_addr_fmt(v.af, &v.addr, a, sizeof(a)),
				    strerror(-err));
			return err;
		}
		v.added = !err;
		if ((err = xvs_rs_state_add_vip(st, &v)))
			return err;
	}
	return 0;
}

int xvs_rs_do_up(const struct xvs_rs_opts *o)
{
	struct xvs_rs_saved_sysctl want[XVS_RS_MAX_SYSCTLS];
	struct xvs_rs_state st;
	char path[XVS_RS_PATH_MAX + 32];
	int lo, ifindex = 0, n_want, err, fresh;

	lo = (int)if_nametoindex("lo");
	if (o->dev[0] && !(ifindex = (int)if_nametoindex(o->dev))) {
		xvs_log_err("--dev %s: no such interface", o->dev);
		return 1;
	}
	n_want = xvs_rs_sysctls_wanted(o->mode, o->dev, want, XVS_RS_MAX_SYSCTLS);
	if (!lo || n_want < 0 ||
	    xvs_rs_state_path(o->state_dir, o->dev, path, sizeof(path))) {
		xvs_log_err("up: internal limits exceeded");
		return 1;
	}
	if (o->mode == XVS_RS_MODE_TUN) {
		struct xvs_rs_xdp_info info;

		/* Refuse before changing anything, rather than undo after. */
		err = xvs_rs_xdp_query(ifindex, &info);
		if (err || (info.prog_id && !info.ours)) {
			xvs_log_err("%s: %s", o->dev, err ? strerror(-err) :
				    "another XDP program is attached; xvs-rs leaves it alone");
			return 1;
		}
	}
	if ((err = mkdir_p(o->state_dir))) {
		xvs_log_err("state dir %s: %s", o->state_dir, strerror(-err));
		return 1;
	}
	err = xvs_rs_state_load(path, &st);
	fresh = err == -ENOENT;
	if (err && !fresh) {
		xvs_log_err("%s: unreadable state; fix or remove it", path);
		return 1;
	}
	if (!fresh && st.mode != o->mode) {
		xvs_log_err("already up in mode %s (%s); run xvs-rs down first",
			    xvs_rs_mode_name(st.mode), path);
		return 1;
	}
	if (fresh) {
		memset(&st, 0, sizeof(st));
		st.version = XVS_RS_STATE_VERSION;
		st.mode = o->mode;
		snprintf(st.dev, sizeof(st.dev), "%s", o->dev);
	}

	/* Nothing has changed yet: a failure here leaves the system as is. */
	err = record(o, &st, want, n_want, lo);
	if (!err && (err = xvs_rs_state_save(path, &st)))
		xvs_log_err("%s: %s", path, strerror(-err));
	if (err)
		return 1;

	err = apply(o, &st, path, want, n_want, lo, ifindex);
	if (!err) {
		printf("xvs-rs: up, mode %s, %u VIP(s) on lo%s%s%s%s\n",
		       xvs_rs_mode_name(o->mode), o->n_vips,
		       st.xdp ? ", decap on " : "", st.xdp ? o->dev : "",
		       st.xdp ? " " : "", st.xdp ? xvs_rs_xdp_mode_name(st.xdp_mode) : "");
		return 0;
	}
	if (fresh) {
		xvs_log_err("up failed: undoing");
		if (!undo(&st))
			unlink(path);
	} else {
		xvs_log_err("up failed: run xvs-rs down%s%s to undo", o->dev[0] ? " --dev " : "",
			    o->dev);
	}
	return 1;
}

int xvs_rs_do_down(const struct xvs_rs_opts *o)
{
	struct xvs_rs_state st;
	char path[XVS_RS_PATH_MAX + 32];
	int err;

	if (xvs_rs_state_path(o->state_dir, o->dev, path, sizeof(path)))
		return 1;
	err = xvs_rs_state_load(path, &st);
	if (err == -ENOENT) {
		printf("xvs-rs: nothing to undo (no %s)\n", path);
		return 0;
	}
	if (err) {
		xvs_log_err("%s: unreadable state; fix or remove it", path);
		return 1;
	}
	if (undo(&st)) {
		xvs_log_err("down: some steps failed; %s kept, run down again", path);
		return 1;
	}
	if (unlink(path) && errno != ENOENT) {
		xvs_log_err("%s: %s", path, strerror(errno));
		return 1;
	}
	printf("xvs-rs: down%s%s\n", o->dev[0] ? " " : "", o->dev);
	return 0;
}

struct cmd_run {
	enum xvs_rs_cmd cmd;
	int (*fn)(const struct xvs_rs_opts *o);
};

static const struct cmd_run runs[] = {
	{ XVS_RS_CMD_UP, xvs_rs_do_up },
	{ XVS_RS_CMD_DOWN, xvs_rs_do_down },
	{ XVS_RS_CMD_STATUS, xvs_rs_do_status },
	{ XVS_RS_CMD_DOCTOR, xvs_rs_do_doctor },
};

int xvs_rs_run(const struct xvs_rs_opts *o)
{
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
		if (runs[i].cmd == o->cmd)
			return runs[i].fn(o);
	xvs_rs_usage(stdout);
	return 0;
}
