/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expo.h - writing the Prometheus text exposition format (version 0.0.4)
 * into a growing buffer: a family's # HELP and # TYPE lines, then its
 * samples, each "name{label="value",...} value". Label values and help
 * text are escaped as the format requires (\\, \" and \n in label values;
 * \\ and \n in help). Callers keep a family's samples together, as the
 * format requires, and pass label and metric names that are valid.
 */
#ifndef XVS_METRICS_EXPO_H
#define XVS_METRICS_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The Content-Type of what this module writes. */
#define XVS_EXPO_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct xvs_expo {
	char *buf;
	size_t len, cap;
	bool oom;		/* an append failed: the text is incomplete */
};

struct xvs_expo_label {
	const char *name;
	const char *value;
};

enum xvs_expo_type { XVS_EXPO_COUNTER, XVS_EXPO_GAUGE };

/* An empty buffer; nothing is allocated until the first append. */
void xvs_expo_init(struct xvs_expo *e);

/* Free the text (unless taken). */
void xvs_expo_free(struct xvs_expo *e);

/*
 * Hand the text over: returns the malloc'ed buffer (NUL-terminated, *len
 * without the NUL) and leaves e empty, or NULL when an append ran out of
 * memory (e is freed then). The caller frees the buffer.
 */
char *xvs_expo_take(struct xvs_expo *e, size_t *len);

/* Start a family: its # HELP and # TYPE lines. */
void xvs_expo_family(struct xvs_expo *e, const char *name, enum xvs_expo_type type,
		     const char *help);

/* One sample with n labels (n may be 0) and an integer value. */
void xvs_expo_u64(struct xvs_expo *e, const char *name,
		  const struct xvs_expo_label *labels, size_t n, uint64_t v);

/*
 * A label set as a sample line shows it, {a="x",b="y"} with the values
 * escaped (nothing for n == 0). Appended to e, so that a caller can make
 * a series' label text once and use it for several families.
 */
void xvs_expo_labels(struct xvs_expo *e, const struct xvs_expo_label *labels, size_t n);

/* One sample with label text made by xvs_expo_labels() and an integer value. */
void xvs_expo_u64_pre(struct xvs_expo *e, const char *name, const char *labels,
		      size_t labels_len, uint64_t v);

/* One sample with a floating-point value: NaN, +Inf and -Inf as the format spells them. */
void xvs_expo_f64(struct xvs_expo *e, const char *name,
		  const struct xvs_expo_label *labels, size_t n, double v);

#endif
