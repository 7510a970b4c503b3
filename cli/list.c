// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - what ipvsadm 1.31 prints for -L, -S, -Lc and --timeout, byte
 * for byte, trailing blanks included: scripts parse it. Every function
 * takes its data and a FILE *, so tests feed arrays and compare text.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "names.h"

#define NAME_BUF	60	/* ipvsadm's addrport_to_anyname() buffer */
#define IPVS_VERSION_DEFAULT 0x010201	/* what the kernel reports: 1.2.1 */

static const char *proto_option(unsigned int proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "-t";
	case IPPROTO_UDP:
		return "-u";
	case IPPROTO_SCTP:
		return "--sctp-service";
	default:
		return "--xxx-service";
	}
}

/* The host name of addr, or NULL (ipvsadm's addr_to_host()). */
static const char *addr_to_host(int af, const union xvs_addr *addr,
				char *buf, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr *sa = (struct sockaddr *)&sin;
	socklen_t salen = sizeof(sin);

	if (af == XVS_AF_INET6) {
		memcpy(&sin6.sin6_addr, addr->bytes, sizeof(sin6.sin6_addr));
		sa = (struct sockaddr *)&sin6;
		salen = sizeof(sin6);
	} else {
		sin.sin_addr.s_addr = addr->ip4;
	}
	if (getnameinfo(sa, salen, buf, (socklen_t)len, NULL, 0, NI_NAMEREQD))
		return NULL;
	return buf;
}

/* The service name of port for proto, or NULL (ipvsadm's port_to_service()). */
static const char *port_to_service(uint16_t port, int proto)
{
	const char *p = proto == IPPROTO_TCP ? "tcp" :
			proto == IPPROTO_UDP ? "udp" :
			proto == IPPROTO_SCTP ? "sctp" : NULL;
	struct servent *se = p ? getservbyport(htons(port), p) : NULL;

	return se ? se->s_name : NULL;
}

char *xvs_cli_addrport(int af, const union xvs_addr *addr, uint16_t port,
		       int proto, unsigned int format, char *buf)
{
	const char *open = af == XVS_AF_INET6 ? "[" : "";
	const char *close = af == XVS_AF_INET6 ? "]" : "";
	char a[INET6_ADDRSTRLEN], host[NI_MAXHOST], pnum[8];
	char full[NI_MAXHOST + 64];
	const char *h, *p;

	if (!inet_ntop(af == XVS_AF_INET6 ? AF_INET6 : AF_INET, addr->bytes,
		       a, sizeof(a)))
		strcpy(a, "?");
	if (format & XVS_CLI_FMT_NUMERIC) {
		snprintf(buf, NAME_BUF, "%s%s%s:%u", open, a, close, port);
		return buf;
	}
	h = addr_to_host(af, addr, host, sizeof(host));
	p = port_to_service(port, proto);
	snprintf(pnum, sizeof(pnum), "%u", port);
	snprintf(full, sizeof(full), "%s%s%s:%s", open, h ? h : a, close,
		 p ? p : pnum);
	/* Long names are cut where ipvsadm's 60-byte buffer cuts them. */
	snprintf(buf, NAME_BUF, "%.59s", full);
	return buf;
}

void xvs_cli_print_largenum(FILE *f, uint64_t n, unsigned int format)
{
	unsigned long long i = n;

	if (format & XVS_CLI_FMT_EXACT) {
		int len = snprintf(NULL, 0, "%llu", i);

		fprintf(f, "%*llu", len <= 8 ? 9 : len + 1, i);
	} else if (i < 100000000ULL) {
		fprintf(f, "%9llu", i);
	} else if (i < 1000000000ULL) {
		fprintf(f, "%8lluK", i / 1000ULL);
	} else if (i < 100000000000ULL) {
		fprintf(f, "%8lluM", i / 1000000ULL);
	} else if (i < 100000000000000ULL) {
		fprintf(f, "%8lluG", i / 1000000000ULL);
	} else {
		fprintf(f, "%8lluT", i / 1000000000000ULL);
	}
}

void xvs_cli_print_title(FILE *f, unsigned int format)
{
	const char *fmt5 = "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n";
	const char *prot = "Prot LocalAddress:Port";

	if (format & XVS_CLI_FMT_STATS)
		fprintf(f, fmt5, prot, "Conns", "InPkts", "OutPkts", "InBytes",
			"OutBytes");
	else if (format & XVS_CLI_FMT_RATE)
		fprintf(f, fmt5, prot, "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
	else if (format & XVS_CLI_FMT_THRESHOLDS)
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n",
			prot, "Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
	else if (format & XVS_CLI_FMT_PERSISTENTCONN)
		fprintf(f, "%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n",
			prot, "Weight", "PersistConn", "ActiveConn", "InActConn");
	else if (format & XVS_CLI_FMT_TUN_INFO)
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward TunnelInfo    "
			"Weight ActiveConn InActConn\n");
	else if (!(format & XVS_CLI_FMT_RULE))
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward Weight "
			"ActiveConn InActConn\n");
}

static const char *sched_name(const struct xvs_ctl_service *s)
{
	const char *n = xvs_sched_name(s->sched);

	return n ? n : "?";
}

/* -b flags by name, comma-separated (ipvsadm's print_sched_flags()). */
static void print_sched_flags(FILE *f, const struct xvs_ctl_service *s)
{
	const char *sched = sched_name(s);
	const char *n1 = "flag-1", *n2 = "flag-2", *n3 = "flag-3";
	const char *sep = "";

	if (strcmp(sched, "sh") == 0 || strcmp(sched, "mh") == 0) {
		n1 = sched[0] == 's' ? "sh-fallback" : "mh-fallback";
		n2 = sched[0] == 's' ? "sh-port" : "mh-port";
		n3 = NULL;
	}
	if (s->flags & XVS_SVC_F_SCHED1) {
		fprintf(f, "%s%s", sep, n1);
		sep = ",";
	}
	if (s->flags & XVS_SVC_F_SCHED2) {
		fprintf(f, "%s%s", sep, n2);
		sep = ",";
	}
	if (n3 && (s->flags & XVS_SVC_F_SCHED3))
		fprintf(f, "%s%s", sep, n3);
}

/* " mask X" / " -M X" text, or NULL when the mask is the default. */
static const char *mask_text(const struct xvs_ctl_service *s, char *buf, size_t len)
{
	struct in_addr m;

	if (s->key.af == XVS_AF_INET6) {
		if (s->pmask_len == 128)
			return NULL;
		snprintf(buf, len, "%i", s->pmask_len);
		return buf;
	}
	if (s->pmask_len >= 32)
		return NULL;
	m.s_addr = s->pmask_len ? htonl(~0u << (32 - s->pmask_len)) : 0;
	snprintf(buf, len, "%s", inet_ntoa(m));
	return buf;
}

/* The service's own line, after its name. */
static void print_svc_line(FILE *f, const struct xvs_ctl_service *s,
			   const char *name, unsigned int format)
{
	const __u32 sflags = XVS_SVC_F_SCHED1 | XVS_SVC_F_SCHED2 | XVS_SVC_F_SCHED3;
	const struct xvs_stats *st = &s->stats;
	const struct xvs_ctl_rate *rt = &s->rate;
	char mbuf[INET_ADDRSTRLEN];
	const char *mask = mask_text(s, mbuf, sizeof(mbuf));
	bool rule = format & XVS_CLI_FMT_RULE;

	if (format & (XVS_CLI_FMT_STATS | XVS_CLI_FMT_RATE) && !rule) {
		bool stats = format & XVS_CLI_FMT_STATS;

		fprintf(f, "%-33s", name);
		xvs_cli_print_largenum(f, stats ? st->conns : rt->cps, format);
		xvs_cli_print_largenum(f, stats ? st->inpkts : rt->inpps, format);
		xvs_cli_print_largenum(f, stats ? st->outpkts : rt->outpps, format);
		xvs_cli_print_largenum(f, stats ? st->inbytes : rt->inbps, format);
		xvs_cli_print_largenum(f, stats ? st->outbytes : rt->outbps, format);
		fputc('\n', f);
		return;
	}
	fprintf(f, rule ? "-A %s -s %s" : "%s %s", name, sched_name(s));
	if (!rule && (s->flags & sflags)) {
		fputs(" (", f);
		print_sched_flags(f, s);
		fputc(')', f);
	}
	if (s->flags & XVS_SVC_F_PERSISTENT) {
		fprintf(f, rule ? " -p %u" : " persistent %u", s->timeout);
		if (mask)
			fprintf(f, rule ? " -M %s" : " mask %s", mask);
	}
	if (s->flags & XVS_SVC_F_ONEPACKET)
		fputs(rule ? " -o" : " ops", f);
	if (rule && (s->flags & sflags)) {
		fputs(" -b ", f);
		print_sched_flags(f, s);
	}
	fputc('\n', f);
}

/* "-t VIP:port" for -S, "TCP  VIP:port" (cut to 33) for -L. */
static void svc_name(const struct xvs_ctl_service *s, unsigned int format,
		     char *buf, size_t len)
{
	bool rule = format & XVS_CLI_FMT_RULE;
	bool v6 = s->key.af == XVS_AF_INET6;
	char v[NAME_BUF];

	if (s->key.fwmark) {
		snprintf(buf, len, rule ? "-f %u%s" : "FWM  %u%s", s->key.fwmark,
			 v6 ? (rule ? " -6" : " IPv6") : "");
		return;
	}
	xvs_cli_addrport(s->key.af, &s->key.addr, ntohs(s->key.port),
			 s->key.proto, format, v);
	if (rule) {
		snprintf(buf, len, "%s %s", proto_option(s->key.proto), v);
		return;
	}
	snprintf(buf, len, "%-4s %s", xvs_proto_name(s->key.proto), v);
	if (!v6 && len > 33)
		buf[33] = '\0';
}

static const char *fwd_switch(unsigned int fwd)
{
	switch (fwd) {
	case XVS_FWD_NAT:
		return "-m";
	case XVS_FWD_TUN:
		return "-i";
	case XVS_FWD_FULLNAT:
		return "--fullnat";
	default:
		return "-g";	/* DR and Local, as ipvsadm saves them */
	}
}

/* One real server line. */
static void print_dest(FILE *f, const struct xvs_ctl_service *s, const char *sname,
		       const struct xvs_ctl_dest *d, unsigned int format)
{
	char dn[NAME_BUF];

	xvs_cli_addrport(d->af, &d->addr, ntohs(d->port), s->key.proto, format, dn);
	if (!(format & XVS_CLI_FMT_RULE) && d->af != XVS_AF_INET6)
		dn[28] = '\0';
	if (format & XVS_CLI_FMT_RULE) {
		fprintf(f, "-a %s -r %s %s -w %d%s\n", sname, dn, fwd_switch(d->fwd),
			d->weight, d->fwd == XVS_FWD_TUN ? " --tun-type ipip" : "");
	} else if (format & XVS_CLI_FMT_STATS) {
		fprintf(f, "  -> %-28s", dn);
		xvs_cli_print_largenum(f, d->stats.conns, format);
		xvs_cli_print_largenum(f, d->stats.inpkts, format);
		xvs_cli_print_largenum(f, d->stats.outpkts, format);
		xvs_cli_print_largenum(f, d->stats.inbytes, format);
		xvs_cli_print_largenum(f, d->stats.outbytes, format);
		fputc('\n', f);
	} else if (format & XVS_CLI_FMT_RATE) {
		fprintf(f, "  -> %-28s %8llu %8llu %8llu", dn,
			(unsigned long long)d->rate.cps,
			(unsigned long long)d->rate.inpps,
			(unsigned long long)d->rate.outpps);
		xvs_cli_print_largenum(f, d->rate.inbps, format);
		xvs_cli_print_largenum(f, d->rate.outbps, format);
		fputc('\n', f);
	} else if (format & XVS_CLI_FMT_THRESHOLDS) {
		fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", dn, d->u_threshold,
			d->l_threshold, (unsigned int)d->active,
			(unsigned int)d->inactive);
	} else if (format & XVS_CLI_FMT_PERSISTENTCONN) {
		fprintf(f, "  -> %-28s %-9u %-11u %-10u %-10u\n", dn,
			(unsigned int)d->weight, (unsigned int)d->persist,
			(unsigned int)d->active, (unsigned int)d->inactive);
	} else if (format & XVS_CLI_FMT_TUN_INFO) {
		fprintf(f, "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n", dn,
			xvs_fwd_name(d->fwd), d->fwd == XVS_FWD_TUN ? "ipip" : "n/a",
			d->weight, (unsigned int)d->active, (unsigned int)d->inactive);
	} else {
		fprintf(f, "  -> %-28s %-7s %-6d %-10u %-10u\n", dn,
			xvs_fwd_name(d->fwd), d->weight, (unsigned int)d->active,
			(unsigned int)d->inactive);
	}
}

void xvs_cli_print_service(FILE *f, struct xvs_cli_svc *s, unsigned int format)
{
	char name[1024];

	svc_name(&s->svc, format, name, sizeof(name));
	print_svc_line(f, &s->svc, name, format);
	if (!(format & XVS_CLI_FMT_NOSORT) && s->svc.n_dests > 1)
		qsort(s->dests, s->svc.n_dests, sizeof(*s->dests), xvs_cli_cmp_dests);
	for (__u32 i = 0; i < s->svc.n_dests; i++)
		print_dest(f, &s->svc, name, &s->dests[i], format);
}

void xvs_cli_print_table(FILE *f, const struct xvs_ctl_info *info,
			 struct xvs_cli_table *t, unsigned int format)
{
	if (info && !(format & XVS_CLI_FMT_RULE)) {
		__u32 v = info->version_code ? info->version_code
					     : IPVS_VERSION_DEFAULT;

		fprintf(f, "IP Virtual Server version %d.%d.%d (size=%d)\n",
			(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff,
			(int)info->conn_tab_size);
	}
	if (!(format & XVS_CLI_FMT_NOSORT) && t->n > 1)
		qsort(t->svcs, t->n, sizeof(*t->svcs), xvs_cli_cmp_services);
	xvs_cli_print_title(f, format);
	for (__u32 i = 0; i < t->n; i++)
		xvs_cli_print_service(f, &t->svcs[i], format);
}

/*
 * The state column of -Lc: a template shows IPVS's template states (NONE,
 * ASSURED), other entries their protocol's state.
 */
static const char *conn_state(const struct xvs_ctl_conn *c)
{
	if (c->flags & XVS_CONN_F_TEMPLATE)
		return c->state == 1 ? "ASSURED" : c->state == 0 ? "NONE" : "ERR!";
	if (c->proto == IPPROTO_UDP || c->state == XVS_UDP_STATE)
		return "UDP";
	return xvs_state_name(c->proto, c->state);
}

void xvs_cli_print_conns(FILE *f, const struct xvs_ctl_conn *c, uint32_t n,
			 unsigned int format)
{
	bool pc = format & XVS_CLI_FMT_PERSISTENTCONN;
	char cn[NAME_BUF], vn[NAME_BUF], dn[NAME_BUF], exp[24];

	fputs("IPVS connection entries\n", f);
	if (pc)
		fprintf(f, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n", "state",
			"source", "virtual", "destination", "pe name", "pe_data");
	else
		fprintf(f, "pro expire %-11s %-18s %-18s %s\n", "state", "source",
			"virtual", "destination");
	for (uint32_t i = 0; i < n; i++) {
		unsigned int secs = c[i].expire_ms / 1000;

		xvs_cli_addrport(c[i].af, &c[i].caddr, ntohs(c[i].cport),
				 c[i].proto, format, cn);
		xvs_cli_addrport(c[i].af, &c[i].vaddr, ntohs(c[i].vport),
				 c[i].proto, format, vn);
		xvs_cli_addrport(c[i].af, &c[i].daddr, ntohs(c[i].dport),
				 c[i].proto, format, dn);
		snprintf(exp, sizeof(exp), "%02u:%02u", secs / 60, secs % 60);
		fprintf(f, "%-3s %-6s %-11s %-18s %-18s %s\n",
			xvs_proto_name(c[i].proto), exp, conn_state(&c[i]), cn, vn, dn);
	}
}

void xvs_cli_print_timeout(FILE *f, const struct xvs_ctl_timeout *t)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %d %d %d\n", (int)t->tcp,
		(int)t->tcpfin, (int)t->udp);
}

int xvs_cli_cmp_services(const void *a, const void *b)
{
	const struct xvs_svc_key *s1 = &((const struct xvs_cli_svc *)a)->svc.key;
	const struct xvs_svc_key *s2 = &((const struct xvs_cli_svc *)b)->svc.key;
	int r;

	/* u32 differences read as int, exactly as libipvs compares. */
	r = (int)(s1->fwmark - s2->fwmark);
	if (r)
		return r;
	r = s1->af - s2->af;
	if (r)
		return r;
	r = s1->proto - s2->proto;
	if (r)
		return r;
	if (s1->af == XVS_AF_INET6) {
		for (int i = 0; !r && i < 4; i++)
			r = (int)(ntohl(s1->addr.ip6[i]) - ntohl(s2->addr.ip6[i]));
	} else {
		r = (int)(ntohl(s1->addr.ip4) - ntohl(s2->addr.ip4));
	}
	if (r)
		return r;
	return ntohs(s1->port) - ntohs(s2->port);
}

int xvs_cli_cmp_dests(const void *a, const void *b)
{
	const struct xvs_ctl_dest *d1 = a, *d2 = b;
	int r = 0;

	if (d1->af == XVS_AF_INET6) {
		for (int i = 0; !r && i < 4; i++)
			r = (int)(ntohl(d1->addr.ip6[i]) - ntohl(d2->addr.ip6[i]));
	} else {
		r = (int)(ntohl(d1->addr.ip4) - ntohl(d2->addr.ip4));
	}
	if (r)
		return r;
	return ntohs(d1->port) - ntohs(d2->port);
}
