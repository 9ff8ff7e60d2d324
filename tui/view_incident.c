/*
 * view_incident.c — view 6: the incident on one screen.
 *
 * Production against the last fair model (service/incident.h), as the
 * page `fairtop incident` prints (service/incident_page.h) with the way
 * out as keys.  Every line is wrapped, never cut: a line's parts
 * ("version 1.1 -> 1.4 · parent r01 -> r04") move to the next row
 * whole when they fit there, longer ones break between words; rows
 * after a line's first are indented.  j/k scroll what does not fit.
 * The dashboard opens here while production fails the policy or has
 * critical alerts firing; i reaches it from any view.  d opens the
 * deploy dialog on the way out's newer fair run (tui/app.c).
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tui/app.h"

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
	int top, height;
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
	screen_put(d->top + (int)(row - d->first), indent, COLS - indent, text,
		   r);
}

static void count_row(void *ctx, size_t row, int indent, const char *s,
		      size_t len, enum role r)
{
	(void)ctx, (void)row, (void)indent, (void)s, (void)len, (void)r;
}

void view_incident_draw(struct app *a, int top, int height)
{
	if (!a->inc_loaded) {
		screen_put(top + 1, 2, COLS - 4, "the incident could not be "
			   "read (see the message below)", ROLE_DIM);
		return;
	}
	size_t rows = layout(&a->inc_page, COLS, count_row, NULL);
	/* where we are goes on the message row, when it is free */
	int body = a->message[0] ? height - 1 : height;
	if (rows <= (size_t)body)
		a->inc_scroll = 0;
	else if (a->inc_scroll > rows - (size_t)body)
		a->inc_scroll = rows - (size_t)body;
	struct draw_ctx d = {top, body, a->inc_scroll};
	layout(&a->inc_page, COLS, draw_row, &d);
	char where[160];
	if (rows > (size_t)body)
		snprintf(where, sizeof where, "rows %zu-%zu of %zu: j/k "
			 "scroll for every finding", a->inc_scroll + 1,
			 a->inc_scroll + (size_t)body, rows);
	else
		snprintf(where, sizeof where, "all %zu rows shown", rows);
	screen_put(a->message[0] ? top + height - 1 : LINES - 2, 0, COLS,
		   where, ROLE_DIM);
}

int view_incident_key(struct app *a, int key)
{
	size_t page = (size_t)(LINES > 8 ? LINES - 8 : 1);
	switch (key) {
	case 'j':
	case KEY_DOWN:
		a->inc_scroll++;
		return ACT_REDRAW;
	case 'k':
	case KEY_UP:
		if (a->inc_scroll > 0)
			a->inc_scroll--;
		return ACT_REDRAW;
	case ' ':
	case KEY_NPAGE:
		a->inc_scroll += page;
		return ACT_REDRAW;
	case KEY_PPAGE:
		a->inc_scroll = a->inc_scroll > page ? a->inc_scroll - page : 0;
		return ACT_REDRAW;
	case 'g':
	case KEY_HOME:
		a->inc_scroll = 0;
		return ACT_REDRAW;
	case 'G':
	case KEY_END:
		a->inc_scroll = (size_t)-1 / 2; /* clamped when drawn */
		return ACT_REDRAW;
	case 'd':
		/* the way out's other road: deploy a newer fair run */
		return ACT_DEPLOY;
	}
	return ACT_NONE;
}
