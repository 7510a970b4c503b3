// SPDX-License-Identifier: GPL-2.0
/*
 * http_resp.c - incremental HTTP/1.x response reader: status line, headers,
 * and the body streamed through MD5 (see http_resp.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "http_resp.h"

int xvs_http_resp_init(struct xvs_http_resp *r, bool with_digest)
{
	memset(r, 0, sizeof(*r));
	r->content_length = -1;
	if (!with_digest)
		return 0;
	r->md = EVP_MD_CTX_new();
	if (!r->md || !EVP_DigestInit_ex(r->md, EVP_md5(), NULL)) {
		xvs_http_resp_fini(r);
		return -ENOMEM;
	}
	return 0;
}

void xvs_http_resp_fini(struct xvs_http_resp *r)
{
	EVP_MD_CTX_free(r->md);
	r->md = NULL;
}

/* "HTTP/1.x NNN ..." (RFC 9112 section 4: status-line). */
static int parse_status_line(struct xvs_http_resp *r, const char *line, size_t len)
{
	if (len < 12 || strncmp(line, "HTTP/1.", 7) || !isdigit((unsigned char)line[7]) ||
	    line[8] != ' ')
		return -EBADMSG;
	for (int i = 9; i < 12; i++)
		if (!isdigit((unsigned char)line[i]))
			return -EBADMSG;
	if (len > 12 && line[12] != ' ')
		return -EBADMSG;
	r->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
	return r->status >= 100 ? 0 : -EBADMSG;
}

/* One "Name: value" header line; only Content-Length matters here. */
static int parse_header(struct xvs_http_resp *r, const char *line, size_t len)
{
	static const char cl[] = "content-length:";
	const char *colon = memchr(line, ':', len);
	int64_t v = 0;
	size_t i;

	if (!colon || colon == line)
		return -EBADMSG;
	if ((size_t)(colon - line) + 1 != sizeof(cl) - 1 || strncasecmp(line, cl, sizeof(cl) - 1))
		return 0;
	i = sizeof(cl) - 1;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len)
		return -EBADMSG;
	for (; i < len && isdigit((unsigned char)line[i]); i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -EBADMSG;
		v = v * 10 + (line[i] - '0');
	}
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i != len)
		return -EBADMSG;
	/* Two different lengths: the message is invalid (RFC 9110 8.6). */
	if (r->content_length >= 0 && r->content_length != v)
		return -EBADMSG;
	r->content_length = v;
	return 0;
}

/* Parse head[0..end): lines separated by CRLF (or a bare LF). */
static int parse_head(struct xvs_http_resp *r, size_t end)
{
	size_t pos = 0;
	bool first = true;

	while (pos < end) {
		const char *nl = memchr(r->head + pos, '\n', end - pos);
		size_t len = nl ? (size_t)(nl - (r->head + pos)) : end - pos;
		int err;

		if (len && r->head[pos + len - 1] == '\r')
			len--;
		if (len == 0)
			break;
		err = first ? parse_status_line(r, r->head + pos, len)
			    : parse_header(r, r->head + pos, len);
		if (err)
			return err;
		first = false;
		pos += (nl ? (size_t)(nl - (r->head + pos)) + 1 : end - pos);
	}
	return first ? -EBADMSG : 0;
}

/* The end of the head (just past the blank line) in head[0..len), or 0. */
static size_t head_end(const char *h, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (h[i] != '\n')
			continue;
		if (i + 1 < len && h[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && h[i + 1] == '\r' && h[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static int feed_body(struct xvs_http_resp *r, const char *buf, size_t len)
{
	if (r->content_length >= 0 &&
	    (uint64_t)r->content_length - r->body_len < len)
		len = (size_t)((uint64_t)r->content_length - r->body_len);
	if (r->body_len + len > XVS_HTTP_BODY_MAX)
		return -EMSGSIZE;
	if (len && r->md && !EVP_DigestUpdate(r->md, buf, len))
		return -ENOMEM;
	if (len && r->on_body)
		r->on_body(r->cb_arg, buf, len);
	r->body_len += len;
	if (r->content_length >= 0 && r->body_len == (uint64_t)r->content_length) {
		r->stage = XVS_HTTP_DONE;
		return 1;
	}
	return 0;
}

int xvs_http_resp_feed(struct xvs_http_resp *r, const char *buf, size_t len)
{
	size_t room, end, scan_from, take;
	int err;

	if (r->stage == XVS_HTTP_DONE)
		return 1;
	if (r->stage == XVS_HTTP_BODY)
		return feed_body(r, buf, len);
	room = sizeof(r->head) - r->head_len;
	take = len < room ? len : room;
	/* The blank line may straddle two reads: rescan the last 3 bytes. */
	scan_from = r->head_len > 3 ? r->head_len - 3 : 0;
	memcpy(r->head + r->head_len, buf, take);
	r->head_len += take;
	end = head_end(r->head + scan_from, r->head_len - scan_from);
	if (!end)
		return r->head_len == sizeof(r->head) ? -EMSGSIZE : 0;
	end += scan_from;
	err = parse_head(r, end);
	if (err)
		return err;
	if (r->on_head)
		r->on_head(r->cb_arg, r->head, end);
	r->stage = XVS_HTTP_BODY;
	if (r->content_length == 0) {
		r->stage = XVS_HTTP_DONE;
		return 1;
	}
	/* Body bytes that came with the head: those copied past end, and
	 * those of this read that did not fit in head[]. */
	err = feed_body(r, r->head + end, r->head_len - end);
	if (err)
		return err;
	return feed_body(r, buf + take, len - take);
}

int xvs_http_resp_eof(struct xvs_http_resp *r)
{
	if (r->stage == XVS_HTTP_DONE)
		return 1;
	if (r->stage == XVS_HTTP_HEAD || r->content_length >= 0)
		return -EBADMSG;
	r->stage = XVS_HTTP_DONE;
	return 1;
}

int xvs_http_resp_digest(struct xvs_http_resp *r, uint8_t md5[XVS_MD5_LEN])
{
	unsigned int n = 0;

	if (!r->md)
		return -EINVAL;
	if (!EVP_DigestFinal_ex(r->md, md5, &n) || n != XVS_MD5_LEN)
		return -EINVAL;
	return 0;
}

void xvs_md5_hex(const uint8_t md5[XVS_MD5_LEN], char out[2 * XVS_MD5_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < XVS_MD5_LEN; i++) {
		out[2 * i] = hex[md5[i] >> 4];
		out[2 * i + 1] = hex[md5[i] & 15];
	}
	out[2 * XVS_MD5_LEN] = '\0';
}
