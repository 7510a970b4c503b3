// SPDX-License-Identifier: GPL-2.0
/*
 * kconf_lex.c - keepalived.conf text -> tokens.
 *
 * keepalived's syntax is line based: a keyword and its arguments share a
 * line, so every token records its logical line (line_id). Braces are
 * tokens of their own even when glued to a word. `!` and `#` start a
 * comment when they start a word; "..." is one word (\" and \\ escape);
 * a line ending in a backslash continues on the next. `include GLOB`
 * splices files in place, relative to the including file's directory.
 * A line starting with @ID is kept only when ID is this host's config id
 * (the short host name, as keepalived without -i), @^ID only when not.
 */
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kconf_int.h"

void kc_lexer_init(struct kc_lexer *lx, struct xvs_kconf *kc)
{
	char *dot;

	memset(lx, 0, sizeof(*lx));
	lx->kc = kc;
	if (gethostname(lx->config_id, sizeof(lx->config_id) - 1))
		lx->config_id[0] = '\0';
	dot = strchr(lx->config_id, '.');
	if (dot)
		*dot = '\0';
}

void kc_lexer_free(struct kc_lexer *lx)
{
	for (size_t i = 0; i < lx->n_toks; i++)
		free(lx->toks[i].text);
	free(lx->toks);
	lx->toks = NULL;
	lx->n_toks = 0;
}

/* Remember a file name for locations; returns the kept copy. */
static const char *intern_file(struct xvs_kconf *kc, const char *name)
{
	char **files;

	for (size_t i = 0; i < kc->n_files; i++)
		if (!strcmp(kc->files[i], name))
			return kc->files[i];
	files = realloc(kc->files, (kc->n_files + 1) * sizeof(*files));
	if (!files) {
		kc_oom = true;
		return NULL;
	}
	kc->files = files;
	files[kc->n_files] = kc_strdup(name);
	if (!files[kc->n_files])
		return NULL;
	return files[kc->n_files++];
}

static int push_tok(struct kc_lexer *lx, enum kc_tok_kind kind, const char *s, size_t len,
		    bool quoted, const struct xvs_kc_loc *loc)
{
	struct kc_tok *t;

	if (lx->n_toks >= KC_MAX_TOKENS) {
		kc_fatal(lx->kc, loc, "more than %u words in the configuration", KC_MAX_TOKENS);
		return -1;
	}
	if (lx->n_toks == lx->cap_toks) {
		size_t cap = lx->cap_toks ? lx->cap_toks * 2 : 256;
		struct kc_tok *toks = realloc(lx->toks, cap * sizeof(*toks));

		if (!toks) {
			kc_oom = true;
			return -1;
		}
		lx->toks = toks;
		lx->cap_toks = cap;
	}
	t = &lx->toks[lx->n_toks];
	t->text = malloc(len + 1);
	if (!t->text) {
		kc_oom = true;
		return -1;
	}
	memcpy(t->text, s, len);
	t->text[len] = '\0';
	t->kind = kind;
	t->quoted = quoted;
	t->line_id = lx->line_id;
	t->loc = *loc;
	lx->n_toks++;
	return 0;
}

/*
 * A quoted word starting after the opening quote at *pp; escapes \" and
 * \\ are undone. Leaves *pp after the closing quote.
 */
static int lex_quoted(struct kc_lexer *lx, const char **pp, const char *end,
		      const struct xvs_kc_loc *loc)
{
	const char *p = *pp;
	char *buf = malloc((size_t)(end - p) + 1);
	size_t n = 0;
	int ret;

	if (!buf) {
		kc_oom = true;
		return -1;
	}
	while (p < end && *p != '"') {
		if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
			p++;
		buf[n++] = *p++;
	}
	if (p == end)
		kc_err(lx->kc, loc, "missing closing quote");
	else
		p++;
	*pp = p;
	ret = push_tok(lx, KC_TOK_WORD, buf, n, true, loc);
	free(buf);
	return ret;
}

static int lex_include(struct kc_lexer *lx, size_t first, int depth, const struct xvs_kc_loc *loc);

/* Tokens of one logical line [p, end). */
static int lex_line(struct kc_lexer *lx, const char *p, const char *end, int depth,
		    const struct xvs_kc_loc *loc)
{
	size_t first = lx->n_toks;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '@') {
		bool negate = p + 1 < end && p[1] == '^';
		const char *id = p + 1 + negate, *id_end = id;

		while (id_end < end && *id_end != ' ' && *id_end != '\t')
			id_end++;
		if ((strlen(lx->config_id) == (size_t)(id_end - id) &&
		     !strncmp(lx->config_id, id, (size_t)(id_end - id))) == negate)
			return 0;
		p = id_end;
	}
	lx->line_id++;
	while (p < end) {
		const char *w = p;

		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\0') {
			p++;	/* a NUL (binary junk) separates words too */
		} else if (*p == '#' || *p == '!') {
			break;
		} else if (*p == '{' || *p == '}') {
			if (push_tok(lx, *p == '{' ? KC_TOK_LBRACE : KC_TOK_RBRACE, p, 1, false, loc))
				return -1;
			p++;
		} else if (*p == '"') {
			p++;
			if (lex_quoted(lx, &p, end, loc))
				return -1;
		} else {
			while (p < end && *p && !strchr(" \t\r{}\"", *p))
				p++;
			if (push_tok(lx, KC_TOK_WORD, w, (size_t)(p - w), false, loc))
				return -1;
		}
	}
	if (lx->n_toks > first && !lx->toks[first].quoted &&
	    lx->toks[first].kind == KC_TOK_WORD && !strcmp(lx->toks[first].text, "include"))
		return lex_include(lx, first, depth, loc);
	return 0;
}

int kc_lex_buf(struct kc_lexer *lx, const char *name, const char *buf, size_t len, int depth)
{
	struct xvs_kc_loc loc = { .file = intern_file(lx->kc, name), .line = 0 };
	const char *p = buf, *end = buf + len;
	char *joined = NULL;
	size_t joined_len = 0;
	int ret = 0;

	if (!loc.file)
		return -1;
	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		int line = ++loc.line;
		char *grown;

		/* A trailing backslash continues the line: collect the pieces. */
		if (eol > p && eol[-1] == '\\') {
			grown = realloc(joined, joined_len + (size_t)(eol - p));
			if (!grown) {
				kc_oom = true;
				ret = -1;
				break;
			}
			joined = grown;
			memcpy(joined + joined_len, p, (size_t)(eol - p - 1));
			joined_len += (size_t)(eol - p - 1);
			joined[joined_len++] = ' ';
			p = nl ? nl + 1 : end;
			if (p < end)
				continue;
			eol = p;
		}
		if (joined) {
			grown = realloc(joined, joined_len + (size_t)(eol - p) + 1);
			if (!grown) {
				kc_oom = true;
				ret = -1;
				break;
			}
			joined = grown;
			memcpy(joined + joined_len, p, (size_t)(eol - p));
			joined_len += (size_t)(eol - p);
			loc.line = line;
			ret = lex_line(lx, joined, joined + joined_len, depth, &loc);
			free(joined);
			joined = NULL;
			joined_len = 0;
		} else {
			ret = lex_line(lx, p, eol, depth, &loc);
		}
		p = nl ? nl + 1 : end;
	}
	free(joined);
	return ret;
}

int kc_lex_file(struct kc_lexer *lx, const char *path, int depth, const struct xvs_kc_loc *from)
{
	struct xvs_kc_loc here = { .file = path, .line = 0 };
	FILE *f = fopen(path, "re");
	struct stat st;
	char *buf;
	size_t len;
	int ret;

	if (!from)
		from = &here;
	if (!f) {
		kc_fatal(lx->kc, from, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > KC_MAX_FILE_SIZE) {
		kc_fatal(lx->kc, from, "%s: not a regular file of at most %u bytes", path,
			 KC_MAX_FILE_SIZE);
		fclose(f);
		return -1;
	}
	/* Includes may repeat a file: bound the total, not just the depth. */
	lx->bytes_read += (size_t)st.st_size;
	if (++lx->n_read > KC_MAX_FILES || lx->bytes_read > KC_MAX_TOTAL_SIZE) {
		kc_fatal(lx->kc, from, "%s: more than %u files or %u bytes in all", path,
			 KC_MAX_FILES, KC_MAX_TOTAL_SIZE);
		fclose(f);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		kc_oom = true;
		fclose(f);
		return -1;
	}
	len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		kc_fatal(lx->kc, from, "cannot read %s", path);
		ret = -1;
	} else {
		ret = kc_lex_buf(lx, path, buf, len, depth);
	}
	free(buf);
	fclose(f);
	return ret;
}

/*
 * `include PATTERN...` on tokens [first, end): drop them and lex every
 * file the patterns match, in glob order.
 */
static int lex_include(struct kc_lexer *lx, size_t first, int depth, const struct xvs_kc_loc *loc)
{
	size_t n = lx->n_toks - first;
	char **pats = calloc(n, sizeof(*pats));
	int ret = 0;

	if (!pats) {
		kc_oom = true;
		return -1;
	}
	/* Take the words out of the token list before lexing more into it. */
	for (size_t i = 0; i < n; i++)
		pats[i] = lx->toks[first + i].text;
	lx->n_toks = first;
	if (n < 2)
		kc_err(lx->kc, loc, "include needs a file name or pattern");
	else if (depth >= KC_MAX_INCLUDE_DEPTH)
		kc_fatal(lx->kc, loc, "includes nested deeper than %d", KC_MAX_INCLUDE_DEPTH);
	for (size_t i = 1; i < n && depth < KC_MAX_INCLUDE_DEPTH && !ret; i++) {
		char *dir_copy = kc_strdup(loc->file), *full = NULL;
		glob_t g;
		int gr;

		if (!dir_copy) {
			ret = -1;
			break;
		}
		if (pats[i][0] == '/' ||
		    asprintf(&full, "%s/%s", dirname(dir_copy), pats[i]) < 0)
			full = NULL;
		gr = glob(full ? full : pats[i], 0, NULL, &g);
		if (gr == GLOB_NOMATCH) {
			kc_err(lx->kc, loc, "include %s: no file matches", pats[i]);
		} else if (gr) {
			kc_err(lx->kc, loc, "include %s: cannot expand", pats[i]);
		} else {
			for (size_t k = 0; k < g.gl_pathc && !ret; k++)
				ret = kc_lex_file(lx, g.gl_pathv[k], depth + 1, loc);
		}
		globfree(&g);
		free(full);
		free(dir_copy);
	}
	for (size_t i = 0; i < n; i++)
		free(pats[i]);
	free(pats);
	return ret;
}
