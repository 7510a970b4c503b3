// SPDX-License-Identifier: GPL-2.0
/*
 * genhash.c - xvs-genhash (also `xvsd --genhash`): keepalived's genhash
 * with its options and output, built on the same fetch and MD5 code as
 * HTTP_GET/SSL_GET, so the digest it prints is the one the checker
 * computes. Prints the digest alone, or with -v the head and body as hex
 * dumps, the digest, and the response time.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "evloop.h"
#include "genhash.h"
#include "http_fetch.h"
#include "sock.h"

#define GENHASH_TIMEOUT_S 5

static const char *const prog = "xvs-genhash";

struct genhash {
	bool verbose;
	bool done;
	int err;
	bool body_started;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s COMMAND [OPTIONS]\n"
		"Commands:\n"
		"   -s server-address -p port -u url\n"
		"   -S -s server-address -p port -u url\n"
		"   -h\n"
		"\n"
		"Options:\n"
		"Either long or short options are allowed.\n"
		"   --use-ssl         -S       Use SSL connection to remote server.\n"
		"   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).\n"
		"   --server          -s       Use the specified remote server address.\n"
		"   --port            -p       Use the specified remote server port.\n"
		"   --url             -u       Use the specified remote server url.\n"
		"   --use-virtualhost -V       Use the specified virtualhost in GET query.\n"
		"   --verbose         -v       Use verbose mode output.\n"
		"   --help            -h       Display this short inlined help screen.\n"
		"   --fwmark          -m       Use the specified FW mark.\n"
		"   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.\n"
		"                                1.0c means 1.0 with 'Connection: close'\n"
		"   --timeout         -t       Timeout in seconds\n",
		prog);
}

/* One hex dump line per 16 bytes: offset, hex in two groups, ASCII. */
static void hexdump(const unsigned char *p, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		char ascii[17];
		size_t i;

		printf("%04zu  ", off);
		for (i = 0; i < 16; i++) {
			if (off + i < len)
				printf("%02x ", p[off + i]);
			else
				printf("   ");
			if (i == 7)
				printf("- ");
			ascii[i] = off + i < len ? (p[off + i] >= 32 && p[off + i] < 127 ?
						    (char)p[off + i] : '.') : ' ';
		}
		ascii[16] = '\0';
		printf("  %s\n", ascii);
	}
}

static void banner(const char *title)
{
	printf("-----------------------[%s]-----------------------\n", title);
}

static void on_head(void *arg, const char *head, size_t len)
{
	(void)arg;
	banner("    HTTP Header Buffer    ");
	hexdump((const unsigned char *)head, len);
	banner(" HTTP Header Ascii Buffer ");
	fwrite(head, 1, len, stdout);
	printf("\n");
	banner("        HTML Buffer        ");
}

static void on_body(void *arg, const char *buf, size_t len)
{
	(void)arg;
	hexdump((const unsigned char *)buf, len);
}

static void fetched(struct xvs_http_fetch *f, int err)
{
	struct genhash *g = f->resp.cb_arg;

	g->done = true;
	g->err = err;
}

static int parse_proto(const char *s, enum xvs_kc_http_proto *p)
{
	if (!strcmp(s, "1.0"))
		*p = XVS_KC_HTTP_10;
	else if (!strcasecmp(s, "1.0c"))
		*p = XVS_KC_HTTP_10C;
	else if (!strcmp(s, "1.1"))
		*p = XVS_KC_HTTP_11;
	else
		return -EINVAL;
	return 0;
}

/* What the command line asks for. */
struct genhash_args {
	struct xvs_kc_check k;		/* target, fwmark, timeout, protocol */
	const char *server, *url, *vhost;
	bool tls, sni, verbose;
};

static int bad(const char *what, const char *value)
{
	fprintf(stderr, "%s: bad %s %s\n", prog, what, value);
	return 2;
}

/* Parse argv into *a. Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct genhash_args *a)
{
	static const struct option opts[] = {
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	long port = 0;
	double secs;
	char *end;
	int opt;

	a->k.connect_timeout_us = GENHASH_TIMEOUT_S * 1000000ULL;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "SIs:p:u:V:vhm:P:t:", opts, NULL)) != -1) {
		switch (opt) {
		case 'S': a->tls = true; break;
		case 'I': a->sni = true; break;
		case 's': a->server = optarg; break;
		case 'u': a->url = optarg; break;
		case 'V': a->vhost = optarg; break;
		case 'v': a->verbose = true; break;
		case 'h': usage(stdout); return 0;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port < 1 || port > 65535)
				return bad("port", optarg);
			break;
		case 'm':
			a->k.fwmark = (uint32_t)strtoul(optarg, &end, 0);
			if (*end)
				return bad("fwmark", optarg);
			break;
		case 'P':
			if (parse_proto(optarg, &a->k.http_protocol))
				return bad("protocol", optarg);
			break;
		case 't':
			secs = strtod(optarg, &end);
			if (*end || secs <= 0 || secs > 86400)
				return bad("timeout", optarg);
			a->k.connect_timeout_us = (uint64_t)(secs * 1e6);
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!a->server || !a->url || optind < argc) {
		usage(stderr);
		return 2;
	}
	if (xvs_addr_parse(a->server, &a->k.connect_ip.af, &a->k.connect_ip.addr)) {
		fprintf(stderr, "%s: server %s is not a numeric IPv4/IPv6 address\n", prog,
			a->server);
		return 2;
	}
	a->k.connect_port = (uint16_t)(port ? port : a->tls ? 443 : 80);
	return -1;
}

/* The digest, alone or (verbose) with genhash's banners and timing. */
static void print_digest(struct xvs_http_fetch *f, const struct genhash_args *a, uint64_t t0)
{
	uint8_t md5[XVS_MD5_LEN];
	char hex[2 * XVS_MD5_LEN + 1];

	xvs_http_resp_digest(&f->resp, md5);
	xvs_md5_hex(md5, hex);
	if (a->verbose) {
		printf("\n");
		banner("    HTML hash resulting    ");
		hexdump(md5, sizeof(md5));
		banner(" HTML hash final resulting ");
	}
	printf("%s\n", hex);
	if (a->verbose)
		printf("\nGlobal response time for [%s] = %llu usecs\n", a->url,
		       (unsigned long long)(xvs_evloop_now_us() - t0));
}

int xvs_genhash_main(int argc, char **argv)
{
	struct genhash_args a = { 0 };
	struct genhash g = { 0 };
	struct xvs_http_fetch *f;
	struct xvs_evloop *loop;
	char ip[64], host[80];
	uint64_t t0;
	int fd, err = parse_args(argc, argv, &a);

	if (err >= 0)
		return err;
	/* OpenSSL writes with write(): a peer that closed early must give
	 * an error, not kill us (xvsd ignores SIGPIPE the same way). */
	signal(SIGPIPE, SIG_IGN);
	if (a.vhost)
		snprintf(host, sizeof(host), "%s", a.vhost);
	else if (a.k.connect_ip.af == XVS_AF_INET6)
		snprintf(host, sizeof(host), "[%s]",
			 xvs_addr_fmt(a.k.connect_ip.af, &a.k.connect_ip.addr, ip, sizeof(ip)));
	else
		xvs_addr_fmt(a.k.connect_ip.af, &a.k.connect_ip.addr, host, sizeof(host));
	loop = xvs_evloop_new();
	f = calloc(1, sizeof(*f));
	if (!loop || !f) {
		fprintf(stderr, "%s: out of memory\n", prog);
		free(f);
		xvs_evloop_free(loop);
		return 1;
	}
	err = xvs_http_fetch_request(f, a.url, host, a.k.connect_port, a.tls, a.k.http_protocol);
	fd = err ? err : xvs_check_sock_open(&a.k, SOCK_STREAM);
	t0 = xvs_evloop_now_us();
	err = fd < 0 ? fd : xvs_http_fetch_start(loop, f, fd, a.tls, a.sni ? a.vhost : NULL,
						 true, a.k.connect_timeout_us, fetched);
	if (!err) {
		g.verbose = a.verbose;
		f->resp.cb_arg = &g;
		if (g.verbose) {
			f->resp.on_head = on_head;
			f->resp.on_body = on_body;
		}
		while (!g.done)
			xvs_evloop_wait(loop, 1000);
		err = g.err;
	}
	if (err) {
		printf("Connection failed\n");
		fprintf(stderr, "%s: %s:%u%s: %s\n", prog, a.server, a.k.connect_port, a.url,
			strerror(-err));
	} else {
		print_digest(f, &a, t0);
	}
	xvs_http_fetch_release(f);
	free(f);
	xvs_evloop_free(loop);
	return err ? 1 : 0;
}
