// SPDX-License-Identifier: GPL-2.0
/* tpl_control.c - templates that still control connections, see tpl_control.h. */
#include <stdlib.h>
#include <string.h>

#include "tpl_control.h"
#include "xvs/persist.h"

void xvs_tpl_control_note(struct xvs_tpl_control *t, const struct xvs_conn_key *k,
			  const struct xvs_conn *c)
{
	if (k->kind != XVS_CONN_KIND_IN || !(c->flags & XVS_CONN_F_CONTROLLED))
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->keys, cap * sizeof(*t->keys));

		if (!p) {
			t->incomplete = true;
			return;
		}
		t->keys = p;
		t->cap = cap;
	}
	xvs_tpl_key(&t->keys[t->n++], k, c->tpl_mask, c->flags & XVS_CONN_F_TPL_ANYPORT);
	t->sorted = false;
}

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct xvs_conn_key));
}

bool xvs_tpl_controls(struct xvs_tpl_control *t, const struct xvs_conn_key *tk)
{
	if (t->incomplete)
		return true;
	if (!t->n)
		return false;
	/* Sorted once, on the first question after the walk's notes. */
	if (!t->sorted) {
		qsort(t->keys, t->n, sizeof(*t->keys), key_cmp);
		t->sorted = true;
	}
	return bsearch(tk, t->keys, t->n, sizeof(*t->keys), key_cmp) != NULL;
}

void xvs_tpl_control_reset(struct xvs_tpl_control *t)
{
	free(t->keys);
	memset(t, 0, sizeof(*t));
}
