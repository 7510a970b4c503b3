// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - "xvsadm -L --json": the services, their real servers and every
 * counter and rate, as one JSON document for scripts. Numbers are exact,
 * addresses numeric, whatever the other listing options say; the order
 * is -L's (sorted unless --nosort). The keys are documented in
 * docs/xvsadm.md.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "addr.h"
#include "cli.h"
#include "names.h"

/* addr as a JSON string; an address needs no escaping. */
static void put_addr(FILE *f, uint8_t af, const union xvs_addr *addr)
{
	char buf[INET6_ADDRSTRLEN];

	fprintf(f, "\"%s\"", xvs_addr_fmt(af, addr, buf, sizeof(buf)));
}

static const char *family(uint8_t af)
{
	return af == XVS_AF_INET6 ? "inet6" : "inet";
}

static void put_counters(FILE *f, const struct xvs_stats *s, const struct xvs_ctl_rate *r)
{
	fprintf(f, "\"stats\": {\"conns\": %llu, \"inpkts\": %llu, \"outpkts\": %llu, "
		"\"inbytes\": %llu, \"outbytes\": %llu}, ",
		(unsigned long long)s->conns, (unsigned long long)s->inpkts,
		(unsigned long long)s->outpkts, (unsigned long long)s->inbytes,
		(unsigned long long)s->outbytes);
	fprintf(f, "\"rate\": {\"cps\": %llu, \"inpps\": %llu, \"outpps\": %llu, "
		"\"inbps\": %llu, \"outbps\": %llu}",
		(unsigned long long)r->cps, (unsigned long long)r->inpps,
		(unsigned long long)r->outpps, (unsigned long long)r->inbps,
		(unsigned long long)r->outbps);
}

static void put_dest(FILE *f, const struct xvs_ctl_dest *d)
{
	fprintf(f, "{\"address\": ");
	put_addr(f, d->af, &d->addr);
	fprintf(f, ", \"port\": %u, \"family\": \"%s\", \"forward\": \"%s\", \"weight\": %d, "
		"\"upper_threshold\": %u, \"lower_threshold\": %u, \"active_conns\": %d, "
		"\"inactive_conns\": %d, \"persist_conns\": %d, ",
		ntohs(d->port), family(d->af), xvs_fwd_name(d->fwd), d->weight,
		d->u_threshold, d->l_threshold, d->active, d->inactive, d->persist);
	put_counters(f, &d->stats, &d->rate);
	fputc('}', f);
}

static void put_service(FILE *f, const struct xvs_cli_svc *cs)
{
	const struct xvs_ctl_service *s = &cs->svc;
	const char *sched = xvs_sched_name(s->sched);

	if (s->key.fwmark) {
		fprintf(f, "{\"protocol\": \"FWM\", \"fwmark\": %u, \"address\": null, "
			"\"port\": null, ", s->key.fwmark);
	} else {
		fprintf(f, "{\"protocol\": \"%s\", \"fwmark\": null, \"address\": ",
			xvs_proto_name(s->key.proto));
		put_addr(f, s->key.af, &s->key.addr);
		fprintf(f, ", \"port\": %u, ", ntohs(s->key.port));
	}
	fprintf(f, "\"family\": \"%s\", \"scheduler\": \"%s\", ", family(s->key.af),
		sched ? sched : "unknown");
	if (s->flags & XVS_SVC_F_PERSISTENT)
		fprintf(f, "\"persistent\": {\"timeout\": %u, \"prefix_length\": %u}, ",
			s->timeout, s->pmask_len);
	else
		fprintf(f, "\"persistent\": null, ");
	fprintf(f, "\"one_packet\": %s, ", s->flags & XVS_SVC_F_ONEPACKET ? "true" : "false");
	put_counters(f, &s->stats, &s->rate);
	fprintf(f, ",\n   \"dests\": [");
	for (uint32_t i = 0; i < s->n_dests; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		put_dest(f, &cs->dests[i]);
	}
	fprintf(f, "%s]}", s->n_dests ? "\n   " : "");
}

void xvs_cli_print_json(FILE *f, const struct xvs_ctl_info *info,
			struct xvs_cli_table *t, unsigned int format)
{
	if (!(format & XVS_CLI_FMT_NOSORT) && t->n > 1)
		qsort(t->svcs, t->n, sizeof(*t->svcs), xvs_cli_cmp_services);
	fprintf(f, "{");
	if (info)
		fprintf(f, "\"version\": \"%u.%u.%u\", \"conn_tab_size\": %u, ",
			(info->version_code >> 16) & 0xff, (info->version_code >> 8) & 0xff,
			info->version_code & 0xff, info->conn_tab_size);
	fprintf(f, "\"services\": [");
	for (uint32_t i = 0; i < t->n; i++) {
		struct xvs_cli_svc *s = &t->svcs[i];

		if (!(format & XVS_CLI_FMT_NOSORT) && s->svc.n_dests > 1)
			qsort(s->dests, s->svc.n_dests, sizeof(*s->dests), xvs_cli_cmp_dests);
		fprintf(f, "%s\n  ", i ? "," : "");
		put_service(f, s);
	}
	fprintf(f, "%s]}\n", t->n ? "\n" : "");
}
