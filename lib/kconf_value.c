// SPDX-License-Identifier: GPL-2.0
/*
 * kconf_value.c - keepalived.conf values (BOOL, TIMER, integers,
 * addresses), the file:line diagnostics, and the table handlers that
 * store one value at an offset of the block's struct.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "kconf_int.h"
#include "log.h"

__thread bool kc_oom;

char *kc_strdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		kc_oom = true;
	return d;
}

void *kc_push(void *arr_ptr, size_t *n, size_t sz)
{
	void **arr = arr_ptr;
	char *grown;

	if (*n >= (1u << 24)) {	/* far beyond any real config */
		kc_oom = true;
		return NULL;
	}
	grown = realloc(*arr, (*n + 1) * sz);
	if (!grown) {
		kc_oom = true;
		return NULL;
	}
	*arr = grown;
	memset(grown + *n * sz, 0, sz);
	return grown + (*n)++ * sz;
}

static void diag(struct xvs_kconf *kc, enum xvs_log_level level, const struct xvs_kc_loc *loc,
		 const char *fmt, va_list ap)
{
	char msg[512], *line = NULL;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (asprintf(&line, "%s:%d: %s", loc && loc->file ? loc->file : "?",
		     loc ? loc->line : 0, msg) < 0) {
		kc_oom = true;
		return;
	}
	xvs_log(level, "%s", line);
	if (kc->n_diags < KC_MAX_DIAGS) {
		char **slot = kc_push(&kc->diags, &kc->n_diags, sizeof(*slot));

		if (slot) {
			*slot = line;
			return;
		}
	}
	free(line);
}

void kc_warn(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *fmt, ...)
{
	va_list ap;

	kc->n_warnings++;
	va_start(ap, fmt);
	diag(kc, XVS_LOG_WARN, loc, fmt, ap);
	va_end(ap);
}

void kc_err(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *fmt, ...)
{
	va_list ap;

	kc->n_errors++;
	va_start(ap, fmt);
	diag(kc, XVS_LOG_ERR, loc, fmt, ap);
	va_end(ap);
}

void kc_fatal(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *fmt, ...)
{
	va_list ap;

	kc->n_errors++;
	kc->fatal = true;
	va_start(ap, fmt);
	diag(kc, XVS_LOG_ERR, loc, fmt, ap);
	va_end(ap);
}

int kc_bool(struct xvs_kconf *kc, const struct kc_node *n, const char *s, bool *v)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };

	for (int i = 0; i < 3; i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*v = false;
			return 0;
		}
	}
	kc_err(kc, &n->loc, "'%s': '%s' is not a BOOL (on/off/true/false/yes/no)", n->w[0].text, s);
	return -1;
}

int kc_long(struct xvs_kconf *kc, const struct kc_node *n, const char *s, long lo, long hi,
	    long *v)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(s, &end, 10);
	if (!*s || *end || errno || x < lo || x > hi) {
		kc_err(kc, &n->loc, "'%s': '%s' is not an integer in %ld..%ld", n->w[0].text, s,
		       lo, hi);
		return -1;
	}
	*v = x;
	return 0;
}

int kc_timer(struct xvs_kconf *kc, const struct kc_node *n, const char *s, uint64_t *us)
{
	uint64_t whole = 0, frac = 0, scale = 1000000;
	const char *p = s;

	if (*p < '0' || *p > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > UINT32_MAX)
			goto bad;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	if (*p)
		goto bad;
	*us = whole * 1000000 + frac;
	return 0;
bad:
	kc_err(kc, &n->loc, "'%s': '%s' is not a time in seconds", n->w[0].text, s);
	return -1;
}

int kc_addr(struct xvs_kconf *kc, const struct kc_node *n, const char *s, bool prefix_ok,
	    struct xvs_kc_addr *a)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	long plen;
	int max;

	if (len >= sizeof(buf) || (slash && !prefix_ok))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (xvs_addr_parse(buf, &a->af, &a->addr))
		goto bad;
	max = a->af == XVS_AF_INET ? 32 : 128;
	a->prefix_len = (uint8_t)max;
	if (slash) {
		char *end;

		errno = 0;
		plen = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || plen < 0 || plen > max)
			goto bad;
		a->prefix_len = (uint8_t)plen;
	}
	return 0;
bad:
	memset(a, 0, sizeof(*a));
	kc_err(kc, &n->loc, "'%s': '%s' is not an IP address%s", n->w[0].text, s,
	       prefix_ok ? " (with an optional /prefix)" : "");
	return -1;
}

int kc_addr_range(struct xvs_kconf *kc, const struct kc_node *n, const char *s,
		  struct xvs_kc_addr *a, uint8_t *range_last)
{
	const char *dash = strrchr(s, '-');
	char buf[64];
	long last;

	*range_last = 0;
	if (!dash)
		return kc_addr(kc, n, s, false, a);
	if ((size_t)(dash - s) >= sizeof(buf)) {
		kc_err(kc, &n->loc, "'%s' is not an address range", s);
		return -1;
	}
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (kc_addr(kc, n, buf, false, a) || kc_long(kc, n, dash + 1, 0, 255, &last))
		return -1;
	if (last < a->addr.bytes[a->af == XVS_AF_INET ? 3 : 15]) {
		kc_err(kc, &n->loc, "'%s': the range ends before it starts", s);
		return -1;
	}
	*range_last = (uint8_t)last;
	return 0;
}

int kc_port(struct xvs_kconf *kc, const struct kc_node *n, const char *s, uint16_t *port)
{
	long v;

	if (kc_long(kc, n, s, 0, 65535, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int kc_scope(struct xvs_kconf *kc, const struct kc_node *n, const char *s, int *scope)
{
	static const struct { const char *name; int scope; } names[] = {
		{ "global", 0 }, { "universe", 0 }, { "site", 200 },
		{ "link", 253 }, { "host", 254 }, { "nowhere", 255 },
	};
	long v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*scope = names[i].scope;
			return 0;
		}
	}
	if (kc_long(kc, n, s, 0, 255, &v))
		return -1;
	*scope = (int)v;
	return 0;
}

/* ---- table handlers ---- */

#define FIELD(obj, kw, type) ((type *)((char *)(obj) + (kw)->off))

int kc_h_str(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	char **dst = FIELD(obj, kw, char *);
	char *s = kc_strdup(n->w[1].text);

	(void)kc;
	if (!s)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

/*
 * A script: SCRIPT [USER [GROUP]]. The command line is one (quoted)
 * word; a run-as user is not supported per script, so it is reported.
 */
int kc_h_script(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	if (n->n > 2)
		kc_warn(kc, &n->loc, "'%s': a per-script user is not supported, "
			"the script runs as script_user", kw->name);
	return kc_h_str(kc, obj, n, kw);
}

int kc_h_flag(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	bool *dst = FIELD(obj, kw, bool);

	if (n->n == 1) {
		*dst = true;
		return 0;
	}
	return kc_bool(kc, n, n->w[1].text, dst);
}

int kc_h_int(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	long v;

	if (kc_long(kc, n, n->w[1].text, kw->lo, kw->hi, &v))
		return -1;
	*FIELD(obj, kw, int) = (int)v;
	return 0;
}

int kc_h_u32(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	long v;

	if (kc_long(kc, n, n->w[1].text, kw->lo, kw->hi, &v))
		return -1;
	*FIELD(obj, kw, uint32_t) = (uint32_t)v;
	return 0;
}

int kc_h_timer(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	uint64_t us;

	if (kc_timer(kc, n, n->w[1].text, &us))
		return -1;
	if (kw->hi && us > (uint64_t)kw->hi * 1000000) {
		kc_err(kc, &n->loc, "'%s': at most %ld seconds", kw->name, kw->hi);
		return -1;
	}
	*FIELD(obj, kw, uint64_t) = us;
	return 0;
}

int kc_h_addr(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	struct xvs_kc_addr a;

	if (kc_addr(kc, n, n->w[1].text, false, &a))
		return -1;
	*FIELD(obj, kw, struct xvs_kc_addr) = a;
	return 0;
}

int kc_h_port(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	return kc_port(kc, n, n->w[1].text, FIELD(obj, kw, uint16_t));
}

/* user NAME [GROUP], into two adjacent char * fields. */
int kc_h_user(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	char **user = FIELD(obj, kw, char *);

	(void)kc;
	free(user[0]);
	free(user[1]);
	user[0] = kc_strdup(n->w[1].text);
	user[1] = n->n > 2 ? kc_strdup(n->w[2].text) : NULL;
	return 0;
}

bool kc_unique_name(struct xvs_kconf *kc, const struct kc_node *n, const void *items,
		    size_t count, size_t sz, size_t name_off)
{
	for (size_t i = 0; i < count; i++) {
		const char *name = *(char *const *)((const char *)items + i * sz + name_off);

		if (name && !strcmp(name, n->w[1].text)) {
			kc_err(kc, &n->loc, "%s '%s' is defined twice; the first is kept",
			       n->w[0].text, name);
			return false;
		}
	}
	return true;
}

/* A keepalived keyword xvs accepts and has no use for. */
int kc_h_ignore(struct xvs_kconf *kc, void *obj, const struct kc_node *n, const struct kc_kw *kw)
{
	(void)obj;
	kc_warn(kc, &n->loc, "'%s' is not supported by xvs, ignored", kw->name);
	return 0;
}
