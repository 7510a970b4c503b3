// SPDX-License-Identifier: GPL-2.0
/* neigh.c - route and neighbour lookups over rtnetlink, see neigh.h. */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "neigh.h"

/* What a route lookup tells us. */
struct route_info {
	uint32_t ifindex;
	uint32_t mtu;		/* RTAX_MTU, 0 if the route has none */
	uint8_t type;		/* RTN_LOCAL for our own addresses */
	bool has_gw, has_src;
	union xvs_addr gw, src;
};

int xvs_nl_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned int portid, seq = (unsigned int)time(NULL);
	int ret;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	portid = mnl_socket_get_portid(nl);
	req->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		goto err;
	while ((ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, cb, data);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0)
		goto err;
	mnl_socket_close(nl);
	return 0;
err:
	ret = -errno;
	mnl_socket_close(nl);
	return ret ? ret : -EIO;
}

static void copy_addr(union xvs_addr *dst, const struct nlattr *a, uint8_t af)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst->bytes, mnl_attr_get_payload(a), af == XVS_AF_INET6 ? 16 : 4);
}

/* Pull the RTAX_MTU metric out of a nested RTA_METRICS. */
static void parse_metrics(const struct nlattr *nest, struct route_info *ri)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == RTAX_MTU)
			ri->mtu = mnl_attr_get_u32(a);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_info *ri = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	uint8_t af = rtm->rtm_family;
	const struct nlattr *a;

	ri->type = rtm->rtm_type;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_OIF:
			ri->ifindex = mnl_attr_get_u32(a);
			break;
		case RTA_GATEWAY:
			copy_addr(&ri->gw, a, af);
			ri->has_gw = true;
			break;
		case RTA_PREFSRC:
			copy_addr(&ri->src, a, af);
			ri->has_src = true;
			break;
		case RTA_METRICS:
			parse_metrics(a, ri);
			break;
		}
	}
	return MNL_CB_OK;
}

/* RTM_GETROUTE for one destination address. */
static int route_get(uint8_t af, const union xvs_addr *dst, struct route_info *ri)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	size_t alen = af == XVS_AF_INET6 ? 16 : 4;

	nlh->nlmsg_type = RTM_GETROUTE;
	/* The ACK ends the exchange: without it the reply loop would wait
	 * for more after the single route message. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = af;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	mnl_attr_put(nlh, RTA_DST, alen, dst->bytes);
	memset(ri, 0, sizeof(*ri));
	return xvs_nl_talk(nlh, route_cb, ri);
}

/* What a neighbour lookup tells us. */
struct neigh_info {
	bool found;
	uint16_t state;
	uint8_t lladdr[6];
};

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct neigh_info *ni = data;
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	ni->state = ndm->ndm_state;
	mnl_attr_for_each(a, nlh, sizeof(*ndm)) {
		if (mnl_attr_get_type(a) == NDA_LLADDR &&
		    mnl_attr_get_payload_len(a) == 6) {
			memcpy(ni->lladdr, mnl_attr_get_payload(a), 6);
			ni->found = true;
		}
	}
	return MNL_CB_OK;
}

/*
 * RTM_GETNEIGH for addr on ifindex; with use set, RTM_NEWNEIGH with
 * NTF_USE instead, which makes the kernel resolve the entry as if it had
 * a packet to send (an ARP or neighbour solicitation).
 */
static int neigh_req(uint8_t af, const union xvs_addr *addr, uint32_t ifindex,
		     bool use, struct neigh_info *ni)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;

	nlh->nlmsg_type = use ? RTM_NEWNEIGH : RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			   (use ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = af;
	ndm->ndm_ifindex = (int)ifindex;
	if (use) {
		ndm->ndm_flags = NTF_USE;
		ndm->ndm_state = NUD_NONE;
	}
	mnl_attr_put(nlh, NDA_DST, af == XVS_AF_INET6 ? 16 : 4, addr->bytes);
	memset(ni, 0, sizeof(*ni));
	return xvs_nl_talk(nlh, neigh_cb, ni);
}

/* The interface's MAC and MTU, by ioctl. */
static int link_info(uint32_t ifindex, uint8_t mac[6], uint32_t *mtu)
{
	struct ifreq ifr = {};
	int fd, err = 0;

	if (!if_indextoname(ifindex, ifr.ifr_name))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (!err && ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		err = -errno;
	else if (!err)
		*mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	return err;
}

/* The neighbour states in which the lladdr can be used. */
#define NUD_USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | \
		    NUD_PERMANENT | NUD_NOARP)

int xvs_nexthop_resolve(uint8_t af, const union xvs_addr *addr, struct xvs_nexthop *nh)
{
	struct route_info ri;
	struct neigh_info ni;
	const union xvs_addr *hop;
	uint32_t mtu = 0;
	int err;

	memset(nh, 0, sizeof(*nh));
	err = route_get(af, addr, &ri);
	if (err)
		return err == -ENETUNREACH || err == -EHOSTUNREACH ? -ENETUNREACH : err;
	if (ri.type == RTN_LOCAL) {
		nh->is_local = true;
		return 0;
	}
	if (!ri.ifindex)
		return -ENETUNREACH;
	nh->ifindex = ri.ifindex;
	if (ri.has_src)
		nh->saddr = ri.src;
	err = link_info(ri.ifindex, nh->smac, &mtu);
	if (err)
		return err;
	if (ri.mtu && ri.mtu < mtu)
		mtu = ri.mtu;
	nh->mtu = (uint16_t)(mtu > 0xffff ? 0xffff : mtu);

	hop = ri.has_gw ? &ri.gw : addr;
	err = neigh_req(af, hop, ri.ifindex, false, &ni);
	if (!err && ni.found && (ni.state & NUD_USABLE)) {
		memcpy(nh->dmac, ni.lladdr, 6);
		nh->resolved = true;
		return 0;
	}
	/* Unknown or failed: have the kernel probe it; the caller retries. */
	neigh_req(af, hop, ri.ifindex, true, &ni);
	return 0;
}
