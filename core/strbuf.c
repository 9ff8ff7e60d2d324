/*
 * strbuf.c — the growable string.  See strbuf.h.
 */
#include "core/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"

char strbuf_empty_[1];

void strbuf_init(struct strbuf *sb)
{
	sb->buf = strbuf_empty_;
	sb->len = 0;
	sb->alloc = 0;
	sb->failed = 0;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc != 0)
		free(sb->buf);
	strbuf_init(sb);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *s = NULL;
	if (!sb->failed)
		s = sb->alloc != 0 ? sb->buf : calloc(1, 1);
	if (s != NULL && len != NULL)
		*len = sb->len;
	if (s == sb->buf)
		strbuf_init(sb); /* handed over, not freed */
	else
		strbuf_release(sb);
	return s;
}

/* Mark sb failed; -1. */
static int failed(struct strbuf *sb)
{
	sb->failed = 1;
	return -1;
}

int strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (sb->failed)
		return -1;
	/* len + extra + 1 must not wrap (ARRAY_GROW checks the rest) */
	if (extra > SIZE_MAX - 1 - sb->len)
		return failed(sb);
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return 0;
	char *buf = sb->alloc != 0 ? sb->buf : NULL;
	size_t alloc = sb->alloc;
	if (ARRAY_GROW(buf, need, alloc) != 0)
		return failed(sb);
	if (sb->alloc == 0)
		buf[0] = '\0';
	sb->buf = buf;
	sb->alloc = alloc;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (strbuf_grow(sb, len) != 0)
		return -1;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;
	return strbuf_add(sb, &ch, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list again;
	if (strbuf_grow(sb, 64) != 0)
		return -1;
	va_copy(again, ap);
	int n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	if (n >= 0 && (size_t)n >= sb->alloc - sb->len) {
		/* cut: room for all of it, then again */
		if (strbuf_grow(sb, (size_t)n) == 0)
			n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len,
				      fmt, again);
		else
			n = -1;
	}
	va_end(again);
	if (n < 0) {
		/* a format error or out of memory: nothing was added */
		sb->buf[sb->len] = '\0';
		return failed(sb);
	}
	sb->len += (size_t)n;
	return 0;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return rc;
}

char *strbuf_dupf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (sb->alloc == 0 || len > sb->len)
		return;
	sb->len = len;
	sb->buf[len] = '\0';
}
