// SPDX-License-Identifier: GPL-2.0
/* sysctl.c - the sysctls each mode needs, read and written under /proc/sys. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs.h"

struct wanted {
	const char *ifname;	/* NULL: the --dev interface */
	const char *name;
	int value;
};

/* The seed's lvs-rs "start": ARP suppression for a VIP on lo. */
static const struct wanted arp[] = {
	{ "all", "arp_ignore", 1 },
	{ "all", "arp_announce", 2 },
	{ "lo", "arp_ignore", 1 },
	{ "lo", "arp_announce", 2 },
};

/* TUN: the inner source is the client, which rp_filter would drop as
 * arriving on the "wrong" interface; the effective value is max(all, if). */
static const struct wanted tun[] = {
	{ "all", "rp_filter", 0 },
	{ "lo", "rp_filter", 0 },
	{ NULL, "rp_filter", 0 },
};

static int put(struct xvs_rs_saved_sysctl *out, unsigned int max,
	       unsigned int *n, const char *ifname, const struct wanted *w)
{
	int len;

	if (*n >= max)
		return -E2BIG;
	len = snprintf(out[*n].key, sizeof(out[*n].key), "net/ipv4/conf/%s/%s",
		       ifname, w->name);
	if (len < 0 || (size_t)len >= sizeof(out[*n].key))
		return -ENAMETOOLONG;
	out[*n].value = w->value;
	(*n)++;
	return 0;
}

int xvs_rs_sysctls_wanted(enum xvs_rs_mode mode, const char *dev,
			  struct xvs_rs_saved_sysctl *out, unsigned int max)
{
	unsigned int n = 0, i;
	int err;

	for (i = 0; i < sizeof(arp) / sizeof(arp[0]); i++)
		if ((err = put(out, max, &n, arp[i].ifname, &arp[i])))
			return err;
	if (mode != XVS_RS_MODE_TUN)
		return (int)n;
	if (!dev || !dev[0])
		return -EINVAL;
	for (i = 0; i < sizeof(tun) / sizeof(tun[0]); i++) {
		const char *ifname = tun[i].ifname ? tun[i].ifname : dev;

		/* --dev lo would repeat lo's entry. */
		if (!tun[i].ifname && !strcmp(dev, "lo"))
			continue;
		if ((err = put(out, max, &n, ifname, &tun[i])))
			return err;
	}
	return (int)n;
}

int xvs_rs_sysctl_get(const char *root, const char *key, int *val)
{
	char path[XVS_RS_PATH_MAX + XVS_RS_SYSCTL_KEY_MAX], buf[32], *end;
	ssize_t n;
	long v;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, key);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (end == buf || (*end && *end != '\n'))
		return -EINVAL;
	*val = (int)v;
	return 0;
}

int xvs_rs_sysctl_set(const char *root, const char *key, int val)
{
	char path[XVS_RS_PATH_MAX + XVS_RS_SYSCTL_KEY_MAX], buf[32];
	int fd, len, err = 0;

	snprintf(path, sizeof(path), "%s/%s", root, key);
	/* O_TRUNC lets the unit tests use plain files in place of /proc. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d\n", val);
	if (write(fd, buf, (size_t)len) != len)
		err = -errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}
