/*
 * view_incident.c — view 6: the incident on one screen.
 *
 * Production against the last fair model (service/incident.h), as the
 * page `fairtop incident` prints (service/incident_page.h) with the way
 * out as keys, every line wrapped, never cut (tui/pageview.h).  j/k
 * scroll what does not fit.
 * The dashboard opens here while production fails the policy or has
 * critical alerts firing; i reaches it from any view.  d opens the
 * deploy dialog on the way out's newer fair run (tui/app.c).
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>

#include "tui/app.h"
#include "tui/pageview.h"

void view_incident_draw(struct app *a, int top, int height)
{
	if (!a->inc_loaded) {
		screen_put(top + 1, 2, COLS - 4, "the incident could not be "
			   "read (see the message below)", ROLE_DIM);
		return;
	}
	size_t rows = pageview_rows(&a->inc_page, COLS);
	/* where we are goes on the message row, when it is free */
	int body = a->message[0] ? height - 1 : height;
	pageview_clamp(&a->inc_scroll, rows, body);
	pageview_draw(&a->inc_page, top, body, a->inc_scroll, COLS);
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
