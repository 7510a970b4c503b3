// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp_addr.c - what a VRRP master owns: the virtual_ipaddress and
 * virtual_ipaddress_excluded entries (with dev, brd, scope and label) and
 * virtual_routes, added and removed over rtnetlink, and the gratuitous
 * ARPs that move the VIPs' neighbour entries to us (RFC 5798 6.4.1:
 * "broadcast a gratuitous ARP request").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netpacket/packet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "addr.h"
#include "log.h"
#include "neigh.h"
#include "vrrp_int.h"

/* keepalived's RTPROT_KEEPALIVED: marks routes as a VRRP daemon's. */
#define VRRP_RTPROT	18

static int vip_ifindex(const struct vrrp_inst *inst, const struct xvs_kc_vip *vip)
{
	return vip->dev ? (int)if_nametoindex(vip->dev) : inst->iface->ifindex;
}

/* A request header: create-or-replace when adding, plain when removing. */
static struct nlmsghdr *nl_request(char *buf, uint16_t new_type, uint16_t del_type, bool add)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = add ? new_type : del_type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	return nlh;
}

/* RTM_NEWADDR or RTM_DELADDR for one virtual_ipaddress entry. */
static int vip_request(const struct vrrp_inst *inst, const struct xvs_kc_vip *vip, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_request(buf, RTM_NEWADDR, RTM_DELADDR, add);
	struct ifaddrmsg *ifa;
	size_t alen = vip->addr.af == XVS_AF_INET6 ? 16 : 4;
	int ifindex = vip_ifindex(inst, vip);

	if (ifindex <= 0)
		return -ENODEV;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = vip->addr.af;
	ifa->ifa_prefixlen = vip->addr.prefix_len;
	ifa->ifa_scope = (uint8_t)vip->scope;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, vip->addr.addr.bytes);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, vip->addr.addr.bytes);
	if (vip->brd.af == XVS_AF_INET)
		mnl_attr_put(nlh, IFA_BROADCAST, 4, vip->brd.addr.bytes);
	if (vip->label && add)
		mnl_attr_put_strz(nlh, IFA_LABEL, vip->label);
	return xvs_nl_talk(nlh, NULL, NULL);
}

/* RTM_NEWROUTE or RTM_DELROUTE for one virtual_routes entry. */
static int route_request(const struct vrrp_inst *inst, const struct xvs_kc_vroute *r, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_request(buf, RTM_NEWROUTE, RTM_DELROUTE, add);
	size_t alen = r->dst.af == XVS_AF_INET6 ? 16 : 4;
	struct rtmsg *rtm;
	int oif = r->dev ? (int)if_nametoindex(r->dev) : (r->via.af ? 0 : inst->iface->ifindex);

	if (r->dev && oif <= 0)
		return -ENODEV;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = r->dst.af;
	rtm->rtm_dst_len = r->dst.prefix_len;
	rtm->rtm_table = r->table && r->table < 256 ? (uint8_t)r->table : RT_TABLE_MAIN;
	rtm->rtm_protocol = VRRP_RTPROT;
	rtm->rtm_type = (uint8_t)(r->type ? r->type : RTN_UNICAST);
	if (r->scope >= 0)
		rtm->rtm_scope = (uint8_t)r->scope;
	else	/* the kernel's (ip route's) choice: link for a route without gateway */
		rtm->rtm_scope = r->via.af || rtm->rtm_type != RTN_UNICAST ?
				 RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (r->table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	if (r->dst.prefix_len)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst.addr.bytes);
	if (r->via.af)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->via.addr.bytes);
	if (r->src.af)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, r->src.addr.bytes);
	if (oif > 0 && rtm->rtm_type == RTN_UNICAST)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	if (r->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return xvs_nl_talk(nlh, NULL, NULL);
}

/* Add or remove n addresses of a list; errors are logged, the rest go on. */
static void vips_apply(const struct vrrp_inst *inst, const struct xvs_kc_vip *vips, size_t n,
		       bool add)
{
	char a[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < n; i++) {
		int err = vip_request(inst, &vips[i], add);

		/* Removing what is not there (a crashed run's leftovers check) is fine. */
		if (err && (add || err != -EADDRNOTAVAIL))
			xvs_log_err("VRRP_Instance(%s): cannot %s %s/%u: %s", inst->kc->name,
				    add ? "add" : "remove",
				    xvs_addr_fmt(vips[i].addr.af, &vips[i].addr.addr, a, sizeof(a)),
				    vips[i].addr.prefix_len, strerror(-err));
	}
}

void xvs_vrrp_addr_apply(struct vrrp_inst *inst, bool add)
{
	const struct xvs_kc_vrrp_instance *kc = inst->kc;
	char a[INET6_ADDRSTRLEN];

	if (add == inst->vips_set)
		return;
	/* Addresses first on the way up, routes (which may use them) after. */
	if (add) {
		vips_apply(inst, kc->vips, kc->n_vips, true);
		vips_apply(inst, kc->vips_excluded, kc->n_vips_excluded, true);
	}
	for (size_t i = 0; i < kc->n_vroutes; i++) {
		int err = route_request(inst, &kc->vroutes[i], add);

		if (err && (add || err != -ESRCH))
			xvs_log_err("VRRP_Instance(%s): cannot %s virtual route %s/%u: %s",
				    kc->name, add ? "add" : "remove",
				    xvs_addr_fmt(kc->vroutes[i].dst.af, &kc->vroutes[i].dst.addr,
						 a, sizeof(a)),
				    kc->vroutes[i].dst.prefix_len, strerror(-err));
	}
	if (!add) {
		vips_apply(inst, kc->vips, kc->n_vips, false);
		vips_apply(inst, kc->vips_excluded, kc->n_vips_excluded, false);
	}
	inst->vips_set = add;
}

/* A gratuitous ARP request (RFC 5227's announcement): sender = target = vip. */
static void send_garp(int fd, int ifindex, const uint8_t mac[6], const union xvs_addr *vip)
{
	struct {
		struct arphdr h;
		uint8_t sha[6], spa[4], tha[6], tpa[4];
	} __attribute__((packed)) arp = {
		.h = { .ar_hrd = htons(ARPHRD_ETHER), .ar_pro = htons(ETH_P_IP),
		       .ar_hln = 6, .ar_pln = 4, .ar_op = htons(ARPOP_REQUEST) },
	};
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = ifindex, .sll_halen = 6,
				  .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

	memcpy(arp.sha, mac, 6);
	memcpy(arp.spa, &vip->ip4, 4);
	memcpy(arp.tpa, &vip->ip4, 4);
	if (sendto(fd, &arp, sizeof(arp), 0, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		xvs_log_dbg("VRRP: gratuitous ARP on ifindex %d: %s", ifindex, strerror(errno));
}

void xvs_vrrp_addr_garp(struct vrrp_inst *inst)
{
	const struct xvs_kc_vrrp_instance *kc = inst->kc;
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	int repeat = kc->garp_master_repeat > 0 ? kc->garp_master_repeat : 1;

	if (fd < 0) {
		xvs_log_warn("VRRP_Instance(%s): no gratuitous ARP: %s", kc->name, strerror(errno));
		return;
	}
	for (int r = 0; r < repeat; r++) {
		for (size_t i = 0; i < kc->n_vips + kc->n_vips_excluded; i++) {
			const struct xvs_kc_vip *vip = i < kc->n_vips ? &kc->vips[i] :
						       &kc->vips_excluded[i - kc->n_vips];
			int ifindex = vip_ifindex(inst, vip);
			uint8_t mac[6];

			/* IPv6 VIPs need unsolicited NAs: not sent yet (docs/vrrp.md). */
			if (vip->addr.af != XVS_AF_INET || ifindex <= 0)
				continue;
			if (ifindex == inst->iface->ifindex)
				memcpy(mac, inst->iface->mac, 6);
			else if (xvs_vrrp_net_iface_info(vip->dev, &ifindex, mac))
				continue;
			send_garp(fd, ifindex, mac, &vip->addr.addr);
		}
	}
	close(fd);
}
