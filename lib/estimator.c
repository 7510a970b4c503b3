// SPDX-License-Identifier: GPL-2.0
/* estimator.c - IPVS rate estimation, see estimator.h. */
#include <string.h>

#include "estimator.h"

void xvs_est_reset(struct xvs_est *e, const struct xvs_stats *now)
{
	memset(e, 0, sizeof(*e));
	e->last = *now;
}

/*
 * avg += (rate - avg) / 4 with rate = delta per second, scaled: a 2 s
 * delta << 9 is the per-second rate << 10; bytes: delta << 4 is << 5.
 */
static void ewma(int64_t *avg, uint64_t now, uint64_t last, int shift)
{
	int64_t rate = (int64_t)((now - last) << shift);

	*avg += (rate - *avg) >> 2;
}

void xvs_est_update(struct xvs_est *e, const struct xvs_stats *now)
{
	ewma(&e->cps, now->conns, e->last.conns, 9);
	ewma(&e->inpps, now->inpkts, e->last.inpkts, 9);
	ewma(&e->outpps, now->outpkts, e->last.outpkts, 9);
	ewma(&e->inbps, now->inbytes, e->last.inbytes, 4);
	ewma(&e->outbps, now->outbytes, e->last.outbytes, 4);
	e->last = *now;
}

void xvs_est_read(const struct xvs_est *e, struct xvs_ctl_rate *r)
{
	r->cps = (uint64_t)(e->cps + 0x1FF) >> 10;
	r->inpps = (uint64_t)(e->inpps + 0x1FF) >> 10;
	r->outpps = (uint64_t)(e->outpps + 0x1FF) >> 10;
	r->inbps = (uint64_t)(e->inbps + 0xF) >> 5;
	r->outbps = (uint64_t)(e->outbps + 0xF) >> 5;
}
