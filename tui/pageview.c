/*
 * pageview.c — a page on the screen.  See pageview.h.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/pageview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/screen.h"

static enum role role_of(const struct page_line *l, size_t index)
{
	if (l->heading && index > 0)
		return ROLE_TITLE;
	switch (l->tone) {
	case PAGE_BAD:
		return ROLE_BAD;
	case PAGE_WARN:
		return ROLE_WARN;
	case PAGE_GOOD:
		return ROLE_GOOD;
	case PAGE_DIM:
		return ROLE_DIM;
	case PAGE_TITLE:
		return ROLE_TITLE;
	case PAGE_PLAIN:
		break;
	}
	return l->heading ? ROLE_TITLE : ROLE_NORMAL;
}

/* Called once per screen row of the page: row (counted from the page's
 * top), its indent, the text and its length. */
typedef void row_fn(void *ctx, size_t row, int indent, const char *s,
		    size_t len, enum role r);

/* Lay the page out in rows of width columns; returns the rows used. */
static size_t layout(const struct page *pg, int width, row_fn *fn, void *ctx)
{
	size_t row = 0;
	const size_t sep_len = strlen(PAGE_SEP);
	for (size_t i = 0; i < pg->n; i++) {
		const struct page_line *l = &pg->line[i];
		size_t len = strlen(l->text);
		char *safe = malloc(len + 1);
		if (safe == NULL)
			break;
		text_sanitize(safe, len + 1, l->text, len);
		enum role r = role_of(l, i);
		int indent = l->heading ? 0 : 2;
		const char *at = safe;
		if (*at == '\0')
			fn(ctx, row++, indent, at, 0, r);
		/* whole parts while they fit the row, else words */
		while (*at) {
			int avail = width - indent;
			if (avail < 10)
				avail = 10;
			size_t used = 0, cols = 0;
			const char *p = at;
			for (;;) {
				const char *sep = strstr(p, PAGE_SEP);
				const char *end = sep ? sep : p + strlen(p);
				char part[4096];
				size_t plen = (size_t)(end - p);
				snprintf(part, sizeof part, "%.*s", (int)plen, p);
				size_t w = screen_width(part) +
					   (used ? screen_width(PAGE_SEP) : 0);
				if (cols + w > (size_t)avail)
					break;
				cols += w;
				used = (size_t)(end - at);
				if (sep == NULL)
					break;
				p = sep + sep_len;
			}
			size_t next;
			if (used == 0) {
				/* the first part alone is too wide: words */
				used = text_wrap(at, (size_t)avail, &next);
			} else {
				next = used;
				if (strncmp(at + next, PAGE_SEP, sep_len) == 0)
					next += sep_len;
			}
			if (used == 0 && next == 0)
				break;
			fn(ctx, row++, indent, at, used, r);
			at += next;
			indent = l->heading ? 2 : 4;
		}
		free(safe);
	}
	return row;
}

struct draw_ctx {
	int top, height, width;
	size_t first; /* the page's row at the view's top */
};

static void draw_row(void *ctx, size_t row, int indent, const char *s,
		     size_t len, enum role r)
{
	struct draw_ctx *d = ctx;
	if (row < d->first || row >= d->first + (size_t)d->height)
		return;
	char text[4096];
	snprintf(text, sizeof text, "%.*s", (int)len, s);
	screen_put(d->top + (int)(row - d->first), indent, d->width - indent,
		   text, r);
}

static void count_row(void *ctx, size_t row, int indent, const char *s,
		      size_t len, enum role r)
{
	(void)ctx, (void)row, (void)indent, (void)s, (void)len, (void)r;
}

size_t pageview_rows(const struct page *pg, int width)
{
	return layout(pg, width, count_row, NULL);
}

void pageview_draw(const struct page *pg, int top, int height, size_t first,
		   int width)
{
	struct draw_ctx d = {top, height, width, first};
	layout(pg, width, draw_row, &d);
}

void pageview_clamp(size_t *scroll, size_t rows, int height)
{
	size_t shown = height > 0 ? (size_t)height : 0;
	if (rows <= shown)
		*scroll = 0;
	else if (*scroll > rows - shown)
		*scroll = rows - shown;
}
