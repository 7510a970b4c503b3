// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - what `up` changed, kept in a small text file so that `down`
 * can undo exactly that, even after a reboot of xvs-rs itself:
 *
 *	# comment
 *	version 1
 *	mode tun
 *	dev eth0
 *	xdp generic
 *	sysctl net/ipv4/conf/all/arp_ignore 0
 *	vip 198.18.0.100 added
 *	vip 2001:db8::100 kept
 *
 * "added" VIPs were put on lo by xvs-rs and are removed by down; "kept"
 * ones were there already and stay. A sysctl line holds the value before
 * the first up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "rs.h"

int xvs_rs_state_path(const char *dir, const char *dev, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s.state", dir,
			 dev && dev[0] ? dev : "default");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int xvs_rs_state_write(FILE *f, const struct xvs_rs_state *st)
{
	char a[64];
	unsigned int i;

	fprintf(f, "# xvs-rs state: what `xvs-rs up` changed; `xvs-rs down` undoes it.\n");
	fprintf(f, "version %u\n", XVS_RS_STATE_VERSION);
	fprintf(f, "mode %s\n", xvs_rs_mode_name(st->mode));
	if (st->dev[0])
		fprintf(f, "dev %s\n", st->dev);
	if (st->xdp)
		fprintf(f, "xdp %s\n", xvs_rs_xdp_mode_name(st->xdp_mode));
	for (i = 0; i < st->n_sysctls; i++)
		fprintf(f, "sysctl %s %d\n", st->sysctls[i].key, st->sysctls[i].value);
	for (i = 0; i < st->n_vips; i++)
		fprintf(f, "vip %s %s\n",
			xvs_addr_fmt(st->vips[i].af, &st->vips[i].addr, a, sizeof(a)),
			st->vips[i].added ? "added" : "kept");
	return ferror(f) ? -EIO : 0;
}

/* Parse one "key value..." line into st. Returns 0 or -EINVAL. */
static int parse_line(char *line, struct xvs_rs_state *st)
{
	char *key = strtok(line, " \t\n"), *v1, *v2, *end;
	struct xvs_rs_vip vip = { 0 };
	long n;

	if (!key || key[0] == '#')
		return 0;
	v1 = strtok(NULL, " \t\n");
	v2 = strtok(NULL, " \t\n");
	if (!v1 || strtok(NULL, " \t\n"))
		return -EINVAL;
	if (!strcmp(key, "version")) {
		if (v2 || strcmp(v1, "1"))
			return -EINVAL;
		st->version = 1;
	} else if (!strcmp(key, "mode")) {
		if (v2)
			return -EINVAL;
		if (!strcmp(v1, "dr"))
			st->mode = XVS_RS_MODE_DR;
		else if (!strcmp(v1, "tun"))
			st->mode = XVS_RS_MODE_TUN;
		else
			return -EINVAL;
	} else if (!strcmp(key, "dev")) {
		if (v2 || strlen(v1) >= sizeof(st->dev))
			return -EINVAL;
		strcpy(st->dev, v1);
	} else if (!strcmp(key, "xdp")) {
		if (v2)
			return -EINVAL;
		if (!strcmp(v1, "native"))
			st->xdp_mode = XVS_RS_XDP_NATIVE;
		else if (!strcmp(v1, "generic"))
			st->xdp_mode = XVS_RS_XDP_GENERIC;
		else
			return -EINVAL;
		st->xdp = 1;
	} else if (!strcmp(key, "sysctl")) {
		if (!v2 || strlen(v1) >= XVS_RS_SYSCTL_KEY_MAX)
			return -EINVAL;
		n = strtol(v2, &end, 10);
		if (*end || end == v2)
			return -EINVAL;
		return xvs_rs_state_add_sysctl(st, v1, (int)n);
	} else if (!strcmp(key, "vip")) {
		if (!v2 || xvs_addr_parse(v1, &vip.af, &vip.addr))
			return -EINVAL;
		if (!strcmp(v2, "added"))
			vip.added = 1;
		else if (strcmp(v2, "kept"))
			return -EINVAL;
		return xvs_rs_state_add_vip(st, &vip);
	} else {
		return -EINVAL;
	}
	return 0;
}

int xvs_rs_state_read(FILE *f, struct xvs_rs_state *st, char *err, size_t errlen)
{
	char line[512];
	unsigned int lineno = 0;

	memset(st, 0, sizeof(*st));
	err[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "line %u: too long", lineno);
			return -EINVAL;
		}
		if (parse_line(line, st)) {
			snprintf(err, errlen, "line %u: not understood", lineno);
			return -EINVAL;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "read error");
		return -EIO;
	}
	if (st->version != XVS_RS_STATE_VERSION || st->mode == XVS_RS_MODE_UNSET) {
		snprintf(err, errlen, "no version 1 or no mode line");
		return -EINVAL;
	}
	return 0;
}

int xvs_rs_state_save(const char *path, const struct xvs_rs_state *st)
{
	char tmp[XVS_RS_PATH_MAX + 8];
	FILE *f;
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto err;
	}
	err = xvs_rs_state_write(f, st);
	if (fflush(f) || fsync(fd))
		err = err ? err : -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		goto err;
	if (rename(tmp, path)) {
		err = -errno;
		goto err;
	}
	return 0;
err:
	unlink(tmp);
	return err;
}

int xvs_rs_state_load(const char *path, struct xvs_rs_state *st)
{
	char msg[128];
	FILE *f = fopen(path, "re");
	int err;

	if (!f)
		return -errno;
	err = xvs_rs_state_read(f, st, msg, sizeof(msg));
	fclose(f);
	if (err)
		fprintf(stderr, "error: %s: %s\n", path, msg);
	return err;
}

struct xvs_rs_saved_sysctl *xvs_rs_state_find_sysctl(struct xvs_rs_state *st,
						     const char *key)
{
	for (unsigned int i = 0; i < st->n_sysctls; i++)
		if (!strcmp(st->sysctls[i].key, key))
			return &st->sysctls[i];
	return NULL;
}

int xvs_rs_state_add_sysctl(struct xvs_rs_state *st, const char *key, int value)
{
	struct xvs_rs_saved_sysctl *s;

	if (xvs_rs_state_find_sysctl(st, key))
		return 0;
	if (st->n_sysctls == XVS_RS_MAX_SYSCTLS ||
	    strlen(key) >= sizeof(s->key))
		return -E2BIG;
	s = &st->sysctls[st->n_sysctls++];
	strcpy(s->key, key);
	s->value = value;
	return 0;
}

struct xvs_rs_vip *xvs_rs_state_find_vip(struct xvs_rs_state *st, __u8 af,
					 const union xvs_addr *addr)
{
	for (unsigned int i = 0; i < st->n_vips; i++)
		if (st->vips[i].af == af &&
		    !memcmp(&st->vips[i].addr, addr, sizeof(*addr)))
			return &st->vips[i];
	return NULL;
}

int xvs_rs_state_add_vip(struct xvs_rs_state *st, const struct xvs_rs_vip *vip)
{
	if (xvs_rs_state_find_vip(st, vip->af, &vip->addr))
		return 0;
	if (st->n_vips == XVS_RS_MAX_VIPS)
		return -E2BIG;
	st->vips[st->n_vips++] = *vip;
	return 0;
}
