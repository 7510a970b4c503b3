// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp_net.c - VRRP advert sockets (IPv4): one receive socket per
 * interface, joined to the VRRP group, and one send socket per instance,
 * bound to its source address, with TTL 255 (RFC 5798 5.1.1.3).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "vrrp_int.h"

/* Adverts read per readiness event, so one busy socket cannot starve the loop. */
#define VRRP_RX_BURST	64

int xvs_vrrp_net_iface_info(const char *name, int *ifindex, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (strlen(name) >= sizeof(ifr.ifr_name)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		err = -errno;
	else
		*ifindex = ifr.ifr_ifindex;
	if (!err && ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		err = -errno;
	else if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

bool xvs_vrrp_net_link_running(int ifindex)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up = false;

	if (fd < 0)
		return true;	/* cannot tell: do not fault on our own error */
	if (if_indextoname((unsigned int)ifindex, ifr.ifr_name) &&
	    ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
	close(fd);
	return up;
}

int xvs_vrrp_net_primary4(int ifindex, union xvs_addr *out)
{
	char name[IF_NAMESIZE];
	struct ifaddrs *ifa, *it;
	int err = -EADDRNOTAVAIL;

	if (!if_indextoname((unsigned int)ifindex, name))
		return -errno;
	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (it = ifa; it; it = it->ifa_next) {
		if (!it->ifa_addr || it->ifa_addr->sa_family != AF_INET ||
		    strcmp(it->ifa_name, name))
			continue;
		memset(out, 0, sizeof(*out));
		out->ip4 = ((struct sockaddr_in *)it->ifa_addr)->sin_addr.s_addr;
		err = 0;
		break;
	}
	freeifaddrs(ifa);
	return err;
}

static bool iface_has_multicast(const struct xvs_vrrp *v, const struct vrrp_iface *ifc)
{
	for (size_t i = 0; i < v->n_insts; i++)
		if (v->insts[i].iface == ifc && !v->insts[i].exp.unicast)
			return true;
	return false;
}

int xvs_vrrp_net_open_rx(struct vrrp_iface *ifc, const struct xvs_vrrp *v)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, XVS_VRRP_PROTO);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifc->name, (socklen_t)strlen(ifc->name)) < 0)
		goto err;
	if (iface_has_multicast(v, ifc)) {
		struct ip_mreqn mr = { .imr_ifindex = ifc->ifindex };

		inet_pton(AF_INET, XVS_VRRP_MCAST4, &mr.imr_multiaddr);
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			goto err;
	}
	ifc->rx_fd = fd;
	return 0;
err:
	{
		int ret = -errno;

		close(fd);
		return ret;
	}
}

int xvs_vrrp_net_open_tx(struct vrrp_inst *inst)
{
	/* A filter that accepts nothing: this socket only sends. */
	struct sock_filter none = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &none };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = inst->src.ip4 };
	struct ip_mreqn mr = { .imr_ifindex = inst->iface->ifindex };
	int ttl = XVS_VRRP_TTL, zero = 0;
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, XVS_VRRP_PROTO);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, inst->iface->name,
		       (socklen_t)strlen(inst->iface->name)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	inst->tx_fd = fd;
	return 0;
}

/* Encode for dst (the v3 checksum depends on it) and send. */
static int send_to(struct vrrp_inst *inst, const struct xvs_vrrp_advert *a,
		   const union xvs_addr *dst)
{
	uint8_t buf[XVS_VRRP_MAX_LEN];
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = dst->ip4 };
	int n = xvs_vrrp_encode(a, inst->vip_addrs, &inst->src, dst, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (sendto(inst->tx_fd, buf, (size_t)n, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -errno;
	return 0;
}

int xvs_vrrp_net_send(struct vrrp_inst *inst, uint8_t prio)
{
	struct xvs_vrrp_advert a = {
		.version = inst->exp.version, .vrid = inst->exp.vrid, .priority = prio,
		.n_addrs = inst->exp.n_addrs, .auth_type = inst->exp.auth_type,
		.af = inst->exp.af, .adver_int_cs = inst->fsm.cfg.adver_int_cs,
	};
	int err = 0;

	memcpy(a.auth, inst->exp.auth, sizeof(a.auth));
	if (!inst->exp.unicast) {
		err = send_to(inst, &a, &inst->mcast);
	} else {
		/* RFC 5798 does not know unicast; keepalived sends each peer a copy. */
		for (int i = 0; i < inst->exp.n_peers; i++) {
			int e = send_to(inst, &a, &inst->peers[i]);

			if (e)
				err = e;
		}
	}
	if (!err)
		inst->tx_adverts++;
	return err;
}

static struct vrrp_inst *find_inst(struct xvs_vrrp *v, struct vrrp_iface *ifc,
				   const struct xvs_vrrp_rx *rx)
{
	if (rx->len < 2)
		return NULL;
	for (size_t i = 0; i < v->n_insts; i++)
		if (v->insts[i].iface == ifc && v->insts[i].exp.vrid == rx->data[1] &&
		    v->insts[i].exp.af == rx->af)
			return &v->insts[i];
	return NULL;
}

/* Check one packet all the way; an advert that passes goes to its instance. */
static void receive_one(struct xvs_vrrp *v, struct vrrp_iface *ifc, const uint8_t *pkt,
			size_t len)
{
	struct xvs_vrrp_advert a;
	struct xvs_vrrp_rx rx;
	struct vrrp_inst *inst;
	enum xvs_vrrp_drop d = xvs_vrrp_split_ip4(pkt, len, &rx);

	if (d) {
		xvs_vrrp_count_drop(ifc, NULL, d, NULL);
		return;
	}
	/* The VRID byte names the instance that counts a bad packet. */
	inst = find_inst(v, ifc, &rx);
	d = xvs_vrrp_decode(&rx, false, &a);
	if (!d && !inst)
		d = XVS_VRRP_DROP_VRID;
	if (!d)
		d = xvs_vrrp_check(&inst->exp, &rx, &a);
	if (d) {
		xvs_vrrp_count_drop(ifc, inst, d, &rx.src);
		return;
	}
	xvs_vrrp_inst_rx(inst, &a, &rx.src);
}

void xvs_vrrp_net_receive(struct xvs_vrrp *v, struct vrrp_iface *ifc)
{
	uint8_t pkt[20 + 40 + XVS_VRRP_MAX_LEN];

	for (int i = 0; i < VRRP_RX_BURST; i++) {
		ssize_t n = recv(ifc->rx_fd, pkt, sizeof(pkt), MSG_TRUNC);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				xvs_log_warn("VRRP: receive on %s: %s", ifc->name, strerror(errno));
			return;
		}
		/* MSG_TRUNC: n is the real length; a longer packet was cut. */
		if ((size_t)n > sizeof(pkt)) {
			xvs_vrrp_count_drop(ifc, NULL, XVS_VRRP_DROP_TRUNCATED, NULL);
			continue;
		}
		receive_one(v, ifc, pkt, (size_t)n);
	}
}
