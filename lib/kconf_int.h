/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kconf_int.h - the keepalived.conf parser's insides, shared by its
 * files and by nothing else:
 *
 *   kconf_lex.c    files, include globs, @conditionals, comments, quotes
 *                  -> a flat token list
 *   kconf_tree.c   tokens -> a tree of statements and blocks (structural
 *                  errors), and the keyword-table dispatch
 *   kconf_value.c  values: BOOL, TIMER, integers, addresses; diagnostics;
 *                  the table handlers that store a value at an offset
 *   kconf.c        load/free, top level, global_defs, groups, resolution
 *   kconf_vrrp.c   vrrp_script, vrrp_instance, vrrp_sync_group
 *   kconf_lvs.c    virtual_server, real_server, checkers
 */
#ifndef XVS_KCONF_INT_H
#define XVS_KCONF_INT_H

#include <stdarg.h>

#include "kconf.h"

/* Bounds that keep a hostile config (or the fuzzer) from exhausting us. */
#define KC_MAX_INCLUDE_DEPTH	16
#define KC_MAX_BLOCK_DEPTH	32
#define KC_MAX_FILE_SIZE	(16u << 20)
#define KC_MAX_TOKENS		(4u << 20)
#define KC_MAX_FILES		1024	/* files read, a file included twice counts twice */
#define KC_MAX_TOTAL_SIZE	(64u << 20)	/* bytes read over all files */
#define KC_MAX_DIAGS		1000	/* kept in kc->diags; all are logged */

/* "Not given" for values that are inherited or defaulted later. */
#define KC_UNSET_TIMER		UINT64_MAX
#define KC_UNSET_INT		INT32_MIN

enum kc_tok_kind { KC_TOK_WORD, KC_TOK_LBRACE, KC_TOK_RBRACE };

struct kc_tok {
	char *text;
	enum kc_tok_kind kind;
	bool quoted;
	uint32_t line_id;	/* one per logical line, across files */
	struct xvs_kc_loc loc;
};

/* A statement: keyword and arguments on one line, maybe with a block. */
struct kc_node {
	const struct kc_tok *w;		/* words, w[0] the keyword */
	size_t n;
	bool block;
	struct kc_node *kids;
	size_t n_kids;
	struct xvs_kc_loc loc;
};

struct kc_lexer {
	struct xvs_kconf *kc;
	struct kc_tok *toks;
	size_t n_toks, cap_toks;
	uint32_t line_id;
	unsigned int n_read;	/* files read so far */
	size_t bytes_read;
	char config_id[64];	/* for @conditionals: the short host name */
};

/* Lexing: append the tokens of one file (or buffer) to lx. */
int kc_lex_file(struct kc_lexer *lx, const char *path, int depth, const struct xvs_kc_loc *from);
int kc_lex_buf(struct kc_lexer *lx, const char *name, const char *buf, size_t len, int depth);
void kc_lexer_init(struct kc_lexer *lx, struct xvs_kconf *kc);
void kc_lexer_free(struct kc_lexer *lx);

/* Tree: root's kids are the top-level statements. */
void kc_tree_build(struct xvs_kconf *kc, const struct kc_lexer *lx, struct kc_node *root);
void kc_tree_free(struct kc_node *root);

/* ---- keyword tables ---- */

struct kc_kw;
typedef int (*kc_handler)(struct xvs_kconf *kc, void *obj, const struct kc_node *n,
			  const struct kc_kw *kw);

enum kc_block { KC_NOBLOCK, KC_BLOCK };

struct kc_kw {
	const char *name;
	kc_handler fn;
	size_t off;		/* where a generic handler stores into obj */
	long lo, hi;		/* range for integer handlers */
	int8_t min_args, max_args;	/* -1: no maximum */
	enum kc_block block;
};

/*
 * Run each kid of parent through the table: unknown keyword -> warning,
 * wrong argument count or block -> error (the statement is skipped).
 * where names the block in messages.
 */
void kc_dispatch(struct xvs_kconf *kc, void *obj, const struct kc_node *parent,
		 const struct kc_kw *tab, const char *where);
/* The same over several tables, tried in order, each with its object. */
struct kc_table {
	const struct kc_kw *kw;
	void *obj;
};
void kc_dispatch_tables(struct xvs_kconf *kc, const struct kc_node *parent, const char *where,
			const struct kc_table *tabs, size_t n_tabs);

/* Generic handlers, storing at obj + kw->off. */
int kc_h_str(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_script(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_flag(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_int(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_u32(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_timer(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_addr(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_port(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_user(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_h_ignore(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);

/*
 * Whether n's name (its first argument) is not yet used by one of count
 * items of size sz with a char *name at name_off; reports the duplicate.
 */
bool kc_unique_name(struct xvs_kconf *kc, const struct kc_node *n, const void *items,
		    size_t count, size_t sz, size_t name_off);

/* ---- diagnostics ---- */

void kc_warn(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kc_err(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error that leaves nothing runnable (unreadable file, bad nesting). */
void kc_fatal(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- values (0 or -1 after an error at n's location) ---- */

int kc_bool(struct xvs_kconf *kc, const struct kc_node *n, const char *s, bool *v);
int kc_long(struct xvs_kconf *kc, const struct kc_node *n, const char *s, long lo, long hi,
	    long *v);
int kc_timer(struct xvs_kconf *kc, const struct kc_node *n, const char *s, uint64_t *us);
/* IP or IP/LEN (when prefix_ok); prefix_len is the family's full length
 * when none is given. */
int kc_addr(struct xvs_kconf *kc, const struct kc_node *n, const char *s, bool prefix_ok,
	    struct xvs_kc_addr *a);
int kc_port(struct xvs_kconf *kc, const struct kc_node *n, const char *s, uint16_t *port);
/* "IP-LAST": an address with a range in its last byte (range_last 0 if none). */
int kc_addr_range(struct xvs_kconf *kc, const struct kc_node *n, const char *s,
		  struct xvs_kc_addr *a, uint8_t *range_last);
/* rtnetlink scope by name (host link site global/universe nowhere) or number. */
int kc_scope(struct xvs_kconf *kc, const struct kc_node *n, const char *s, int *scope);

/* ---- memory: failures set kc_oom and return NULL ---- */

extern __thread bool kc_oom;
char *kc_strdup(const char *s);
/* Append one zeroed element to *arr (of *n elements of size sz). */
void *kc_push(void *arr_ptr, size_t *n, size_t sz);

/* Parsers of the blocks, called from kconf.c's top-level table. */
int kc_parse_vrrp_script(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_parse_vrrp_instance(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_parse_vrrp_sync_group(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
int kc_parse_virtual_server(struct xvs_kconf *, void *, const struct kc_node *, const struct kc_kw *);
/* After the whole file: names resolved, global values handed down. */
void kc_resolve_vrrp(struct xvs_kconf *kc);
void kc_resolve_lvs(struct xvs_kconf *kc);

/* Note a script: warn if missing, flag insecure_scripts (see kconf.c). */
void kc_check_script(struct xvs_kconf *kc, const struct xvs_kc_loc *loc, const char *cmd);

void kc_free_vrrp(struct xvs_kconf *kc);
void kc_free_lvs(struct xvs_kconf *kc);

#endif
