// SPDX-License-Identifier: GPL-2.0
/* fwd_check.c - IP forwarding for NAT/FULLNAT, see fwd_check.h. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "fwd_check.h"
#include "log.h"
#include "xvs/dp-t.h"

static const char *sysctl_name(uint8_t af)
{
	return af == XVS_AF_INET6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
}

int xvs_ip_forwarding(uint8_t af)
{
	const char *path = af == XVS_AF_INET6 ? "/proc/sys/net/ipv6/conf/all/forwarding" :
						"/proc/sys/net/ipv4/ip_forward";
	FILE *f = fopen(path, "r");
	int v = -1, n;

	if (!f)
		return -errno;
	n = fscanf(f, "%d", &v);
	fclose(f);
	if (n != 1)
		return -EINVAL;
	return v != 0;
}

bool xvs_ip_forwarding_check(uint8_t af, const char *what)
{
	int on = xvs_ip_forwarding(af);

	if (on < 0) {
		xvs_log_warn("%s: cannot read %s (%s); NAT needs it set to 1",
			     what, sysctl_name(af), strerror(-on));
		return true;
	}
	if (!on)
		xvs_log_err("%s: NAT/FULLNAT needs IP forwarding, but %s is 0 on this "
			    "director: replies will not be routed back to clients; "
			    "run sysctl -w %s=1", what, sysctl_name(af), sysctl_name(af));
	return on;
}

bool xvs_accept_local_check(uint32_t ifindex, const char *what)
{
	char name[IF_NAMESIZE], path[96];
	FILE *f;
	int v = 0;

	if (!if_indextoname(ifindex, name))
		return true;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/accept_local", name);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (fscanf(f, "%d", &v) != 1)
		v = 1;
	fclose(f);
	if (!v)
		xvs_log_warn("%s: net.ipv4.conf.%s.accept_local is 0: replies to clients "
			     "whose MAC the director has not learnt yet are dropped until it "
			     "has; sysctl -w net.ipv4.conf.%s.accept_local=1 lets the kernel "
			     "forward them", what, name, name);
	return v != 0;
}
