// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - VIPs on lo through rtnetlink (RTM_NEWADDR/DELADDR/GETADDR) with
 * libmnl: what `ip addr add VIP/32 dev lo` does, without a shell.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "rs.h"

static size_t addr_len(__u8 af)
{
	return af == XVS_AF_INET ? 4 : 16;
}

/* A socket bound to rtnetlink, or NULL with errno set. */
static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(nl);
		errno = err;
		return NULL;
	}
	return nl;
}

/*
 * Send nlh and read replies through cb until the kernel's ACK or DONE.
 * Returns 0 or the kernel's -errno.
 */
static int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned int portid;
	int ret, err = 0;

	nl = nl_open();
	if (!nl)
		return -errno;
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_seq = (unsigned int)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0) {
			err = -errno;
			break;
		}
		ret = mnl_cb_run(buf, (size_t)ret, nlh->nlmsg_seq, portid, cb, data);
		if (ret < 0) {
			err = -errno;	/* NLMSG_ERROR: errno is the kernel's */
			break;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
out:
	mnl_socket_close(nl);
	return err;
}

/* RTM_NEWADDR or RTM_DELADDR for af/addr, host prefix, on ifindex. */
static int addr_change(int type, unsigned int flags, int ifindex, __u8 af,
		       const union xvs_addr *addr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = (__u16)type;
	nlh->nlmsg_flags = (__u16)(NLM_F_REQUEST | NLM_F_ACK | flags);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = af;
	ifa->ifa_prefixlen = af == XVS_AF_INET ? 32 : 128;
	/* Global scope, as `ip addr add VIP/32 dev lo` gives: the real
	 * server answers from the VIP to clients anywhere. */
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, addr_len(af), addr);
	mnl_attr_put(nlh, IFA_ADDRESS, addr_len(af), addr);
	return nl_talk(nlh, NULL, NULL);
}

int xvs_rs_nl_addr_add(int ifindex, __u8 af, const union xvs_addr *addr)
{
	return addr_change(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, af, addr);
}

int xvs_rs_nl_addr_del(int ifindex, __u8 af, const union xvs_addr *addr)
{
	return addr_change(RTM_DELADDR, 0, ifindex, af, addr);
}

struct find_ctx {
	int ifindex;
	__u8 af;
	const union xvs_addr *addr;
	int found;
};

/* One RTM_NEWADDR of the dump: does it carry the address we look for? */
static int find_cb(const struct nlmsghdr *nlh, void *data)
{
	struct find_ctx *c = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (ifa->ifa_family != c->af || (int)ifa->ifa_index != c->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
		unsigned int t = mnl_attr_get_type(attr);

		/* IPv4 reports the local address in IFA_LOCAL, IPv6 only
		 * in IFA_ADDRESS; on lo both are the address itself. */
		if ((t == IFA_LOCAL || t == IFA_ADDRESS) &&
		    mnl_attr_get_payload_len(attr) == addr_len(c->af) &&
		    !memcmp(mnl_attr_get_payload(attr), c->addr, addr_len(c->af)))
			c->found = 1;
	}
	return MNL_CB_OK;
}

int xvs_rs_nl_addr_present(int ifindex, __u8 af, const union xvs_addr *addr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct find_ctx c = { ifindex, af, addr, 0 };
	struct ifaddrmsg *ifa;
	int err;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = af;
	err = nl_talk(nlh, find_cb, &c);
	return err ? err : c.found;
}
