// SPDX-License-Identifier: GPL-2.0
/* expo.c - the Prometheus text exposition format, see expo.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"

void xvs_expo_init(struct xvs_expo *e)
{
	memset(e, 0, sizeof(*e));
}

void xvs_expo_free(struct xvs_expo *e)
{
	free(e->buf);
	xvs_expo_init(e);
}

char *xvs_expo_take(struct xvs_expo *e, size_t *len)
{
	char *buf = e->buf;

	if (e->oom || !buf) {
		xvs_expo_free(e);
		return NULL;
	}
	*len = e->len;
	xvs_expo_init(e);
	return buf;
}

/* Make room for n more bytes and the NUL; false (and oom set) if not. */
static bool reserve(struct xvs_expo *e, size_t n)
{
	size_t cap = e->cap ? e->cap : 4096;
	char *p;

	if (e->oom)
		return false;
	if (e->len + n + 1 <= e->cap)
		return true;
	while (cap < e->len + n + 1)
		cap *= 2;
	p = realloc(e->buf, cap);
	if (!p) {
		e->oom = true;
		return false;
	}
	e->buf = p;
	e->cap = cap;
	return true;
}

static void put(struct xvs_expo *e, const char *s, size_t n)
{
	if (!reserve(e, n))
		return;
	memcpy(e->buf + e->len, s, n);
	e->len += n;
	e->buf[e->len] = '\0';
}

static void puts_(struct xvs_expo *e, const char *s)
{
	put(e, s, strlen(s));
}

/*
 * Append s escaped: backslash and newline always, the double quote only
 * in label values (the format leaves it alone in help text).
 */
static void put_escaped(struct xvs_expo *e, const char *s, bool quote)
{
	const char *special = quote ? "\\\n\"" : "\\\n";

	for (;;) {
		size_t n = strcspn(s, special);

		put(e, s, n);
		s += n;
		if (!*s)
			return;
		puts_(e, *s == '\\' ? "\\\\" : *s == '\n' ? "\\n" : "\\\"");
		s++;
	}
}

void xvs_expo_family(struct xvs_expo *e, const char *name, enum xvs_expo_type type,
		     const char *help)
{
	puts_(e, "# HELP ");
	puts_(e, name);
	puts_(e, " ");
	put_escaped(e, help, false);
	puts_(e, "\n# TYPE ");
	puts_(e, name);
	puts_(e, type == XVS_EXPO_COUNTER ? " counter\n" : " gauge\n");
}

void xvs_expo_labels(struct xvs_expo *e, const struct xvs_expo_label *labels, size_t n)
{
	if (!n)
		return;
	puts_(e, "{");
	for (size_t i = 0; i < n; i++) {
		if (i)
			puts_(e, ",");
		puts_(e, labels[i].name);
		puts_(e, "=\"");
		put_escaped(e, labels[i].value ? labels[i].value : "", true);
		puts_(e, "\"");
	}
	puts_(e, "}");
}

/* "name{a="x",b="y"} " or "name " */
static void put_series(struct xvs_expo *e, const char *name,
		       const struct xvs_expo_label *labels, size_t n)
{
	puts_(e, name);
	xvs_expo_labels(e, labels, n);
	puts_(e, " ");
}

/* v in decimal and a newline; by hand, as snprintf costs more per sample. */
static void put_u64_line(struct xvs_expo *e, uint64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);

	*--p = '\n';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(e, p, (size_t)(tmp + sizeof(tmp) - p));
}

void xvs_expo_u64(struct xvs_expo *e, const char *name,
		  const struct xvs_expo_label *labels, size_t n, uint64_t v)
{
	put_series(e, name, labels, n);
	put_u64_line(e, v);
}

void xvs_expo_u64_pre(struct xvs_expo *e, const char *name, const char *labels,
		      size_t labels_len, uint64_t v)
{
	puts_(e, name);
	put(e, labels, labels_len);
	puts_(e, " ");
	put_u64_line(e, v);
}

void xvs_expo_f64(struct xvs_expo *e, const char *name,
		  const struct xvs_expo_label *labels, size_t n, double v)
{
	char tmp[32];

	put_series(e, name, labels, n);
	if (isnan(v)) {
		puts_(e, "NaN\n");
		return;
	}
	if (isinf(v)) {
		puts_(e, v > 0 ? "+Inf\n" : "-Inf\n");
		return;
	}
	/* The shortest of %.15g..%.17g that reads back as the same double. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	puts_(e, tmp);
	puts_(e, "\n");
}
