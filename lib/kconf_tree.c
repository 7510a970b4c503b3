// SPDX-License-Identifier: GPL-2.0
/*
 * kconf_tree.c - tokens -> statements and blocks, and the keyword-table
 * dispatch every block parser uses.
 *
 * A statement is the words of one line up to a brace; a `{` after it (on
 * the same line or a later one) opens its block. A `}` with no open
 * block, a `{` with no keyword before it, a block left open at the end,
 * or nesting deeper than KC_MAX_BLOCK_DEPTH are structural errors: the
 * file cannot be understood, so the config cannot run.
 */
#include <stdlib.h>
#include <string.h>

#include "kconf_int.h"

struct tree_walk {
	struct xvs_kconf *kc;
	const struct kc_tok *t;
	size_t n, i;
};

static struct kc_node *add_kid(struct kc_node *parent)
{
	return kc_push(&parent->kids, &parent->n_kids, sizeof(struct kc_node));
}

/* Fill parent's kids until its closing brace (or the end at depth 0). */
static void build_block(struct tree_walk *tw, struct kc_node *parent, int depth)
{
	while (tw->i < tw->n && !kc_oom) {
		const struct kc_tok *t = &tw->t[tw->i];
		struct kc_node *node;

		if (t->kind == KC_TOK_RBRACE) {
			tw->i++;
			if (depth > 0)
				return;
			kc_fatal(tw->kc, &t->loc, "'}' closes no block");
			continue;
		}
		node = add_kid(parent);
		if (!node)
			return;
		node->loc = t->loc;
		if (t->kind == KC_TOK_WORD) {
			node->w = t;
			while (tw->i < tw->n && tw->t[tw->i].kind == KC_TOK_WORD &&
			       tw->t[tw->i].line_id == t->line_id) {
				node->n++;
				tw->i++;
			}
		} else {
			kc_fatal(tw->kc, &t->loc, "'{' without a keyword before it");
		}
		if (tw->i < tw->n && tw->t[tw->i].kind == KC_TOK_LBRACE) {
			const struct xvs_kc_loc *open = &tw->t[tw->i].loc;

			tw->i++;
			node->block = true;
			if (depth + 1 >= KC_MAX_BLOCK_DEPTH) {
				kc_fatal(tw->kc, open, "blocks nested deeper than %d",
					 KC_MAX_BLOCK_DEPTH);
				tw->i = tw->n;
				return;
			}
			build_block(tw, node, depth + 1);
		}
	}
	/* Only an unclosed block gets here at depth > 0: name the innermost. */
	if (depth > 0 && !kc_oom && !tw->kc->fatal)
		kc_fatal(tw->kc, &parent->loc, "block '%s' is not closed (missing '}')",
			 parent->n ? parent->w[0].text : "{");
}

void kc_tree_build(struct xvs_kconf *kc, const struct kc_lexer *lx, struct kc_node *root)
{
	struct tree_walk tw = { .kc = kc, .t = lx->toks, .n = lx->n_toks };

	memset(root, 0, sizeof(*root));
	root->block = true;
	build_block(&tw, root, 0);
}

void kc_tree_free(struct kc_node *root)
{
	for (size_t i = 0; i < root->n_kids; i++)
		kc_tree_free(&root->kids[i]);
	free(root->kids);
	root->kids = NULL;
	root->n_kids = 0;
}

/* The entry of tab named name, or NULL. */
static const struct kc_kw *find_kw(const struct kc_kw *tab, const char *name)
{
	for (; tab->name; tab++)
		if (!strcmp(tab->name, name))
			return tab;
	return NULL;
}

void kc_dispatch(struct xvs_kconf *kc, void *obj, const struct kc_node *parent,
		 const struct kc_kw *tab, const char *where)
{
	struct kc_table t = { tab, obj };

	kc_dispatch_tables(kc, parent, where, &t, 1);
}

void kc_dispatch_tables(struct xvs_kconf *kc, const struct kc_node *parent, const char *where,
			const struct kc_table *tabs, size_t n_tabs)
{
	for (size_t i = 0; i < parent->n_kids && !kc_oom; i++) {
		const struct kc_node *n = &parent->kids[i];
		const struct kc_kw *kw = NULL;
		void *o = NULL;
		int args;

		if (!n->n)
			continue;	/* a stray '{': reported by the tree */
		for (size_t t = 0; t < n_tabs && !kw; t++) {
			kw = find_kw(tabs[t].kw, n->w[0].text);
			o = tabs[t].obj;
		}
		if (!kw) {
			kc_warn(kc, &n->loc, "unknown keyword '%s' in %s, ignored", n->w[0].text,
				where);
			continue;
		}
		args = (int)n->n - 1;
		if (args < kw->min_args || (kw->max_args >= 0 && args > kw->max_args)) {
			if (kw->min_args == kw->max_args)
				kc_err(kc, &n->loc, "'%s' takes %d argument%s, not %d", kw->name,
				       kw->min_args, kw->min_args == 1 ? "" : "s", args);
			else if (args < kw->min_args)
				kc_err(kc, &n->loc, "'%s' needs at least %d argument%s", kw->name,
				       kw->min_args, kw->min_args == 1 ? "" : "s");
			else
				kc_err(kc, &n->loc, "'%s' takes at most %d argument%s", kw->name,
				       kw->max_args, kw->max_args == 1 ? "" : "s");
			continue;
		}
		if (n->block != (kw->block == KC_BLOCK)) {
			kc_err(kc, &n->loc, n->block ? "'%s' takes no block" :
				    "'%s' needs a block { ... }", kw->name);
			continue;
		}
		kw->fn(kc, o, n, kw);
	}
}
