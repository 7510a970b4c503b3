/* SPDX-License-Identifier: GPL-2.0 */
/*
 * median.h - the median of a run of figures, for the benchmarks: every
 * figure they print is a median over rounds (docs/bench.md).
 */
#ifndef XVS_BENCH_MEDIAN_H
#define XVS_BENCH_MEDIAN_H

#include <stdlib.h>

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n-1], n >= 1; sorts v in place. */
static inline double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
