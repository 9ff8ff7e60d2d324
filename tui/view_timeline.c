/*
 * view_timeline.c — view 5: the post-mortem timeline of `fairtop
 * report`, oldest first and scrollable, overrides and rollbacks
 * highlighted (and marked in words); the selected event's whole text
 * below the list, wrapped.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

void view_timeline_draw(struct app *a, int top, int height)
{
	const struct timeline *t = &a->snap.timeline;
	char text[3072];
	if (t->n == 0) {
		screen_put(top + 1, 2, COLS - 4, "nothing on record yet",
			   ROLE_DIM);
		return;
	}
	/* the newest runs' events only: said on the first line */
	if (t->after[0] && height > 5) {
		snprintf(text, sizeof text, "after %s (the newest runs); "
			 "earlier: fairtop report", t->after);
		screen_put(top, 0, COLS, text, ROLE_DIM);
		top++;
		height--;
	}
	int rows = height - 4; /* then the selected event (3 lines), the sum */
	if (rows < 1)
		rows = 1;
	if (a->sel_event >= t->n)
		a->sel_event = t->n - 1;
	if (a->sel_event < a->top_event)
		a->top_event = a->sel_event;
	if (a->sel_event >= a->top_event + (size_t)rows)
		a->top_event = a->sel_event - (size_t)rows + 1;
	for (int r = 0; r < rows && a->top_event + (size_t)r < t->n; r++) {
		const struct event *e = &t->e[a->top_event + (size_t)r];
		int selected = a->top_event + (size_t)r == a->sel_event;
		int rollback = strncmp(e->kind, "rollback", 8) == 0;
		enum role role = e->loud     ? ROLE_LOUD
				 : e->failed ? ROLE_BAD
				 : rollback  ? ROLE_TITLE
				 : strcmp(e->kind, "run") == 0 &&
						 strstr(e->text, "FAIL")
					 ? ROLE_WARN
					 : ROLE_NORMAL;
		snprintf(text, sizeof text, "%-16.16s %-14s %-6s %s", e->time,
			 e->loud ? "!! OVERRIDE" : rollback ? "<< rollback"
						 : e->kind,
			 e->run, e->text);
		if (selected)
			role = ROLE_SELECTED;
		if (e->loud || selected)
			screen_fill(top + r, 0, COLS, role);
		screen_put(top + r, 0, COLS, text, role);
	}
	const struct event *e = &t->e[a->sel_event];
	screen_put_wrapped(top + height - 4, 0, COLS, 3, e->text,
			   e->loud ? ROLE_BAD : ROLE_NORMAL);
	snprintf(text, sizeof text, "production: %s%s   last fair: %s   "
		 "overrides ever: %zu   [%zu of %zu]",
		 t->sum.deployed[0] ? t->sum.deployed : "nothing",
		 !t->sum.deployed[0] || !t->sum.deployed_in_store ? ""
		 : t->sum.deployed_fair ? " (passes)"
					: " (FAILS)",
		 t->sum.last_fair[0] ? t->sum.last_fair : "none",
		 t->sum.overrides, a->sel_event + 1, t->n);
	screen_put(top + height - 1, 0, COLS, text, ROLE_DIM);
}

int view_timeline_key(struct app *a, int key)
{
	size_t n = a->snap.timeline.n;
	switch (key) {
	case KEY_DOWN:
	case 'j':
		if (a->sel_event + 1 < n)
			a->sel_event++;
		return ACT_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->sel_event > 0)
			a->sel_event--;
		return ACT_REDRAW;
	case KEY_NPAGE:
		a->sel_event = a->sel_event + 10 < n ? a->sel_event + 10
						     : (n ? n - 1 : 0);
		return ACT_REDRAW;
	case KEY_PPAGE:
		a->sel_event = a->sel_event > 10 ? a->sel_event - 10 : 0;
		return ACT_REDRAW;
	case KEY_HOME:
	case 'g':
		a->sel_event = 0;
		return ACT_REDRAW;
	case KEY_END:
	case 'G':
		a->sel_event = n ? n - 1 : 0;
		return ACT_REDRAW;
	}
	return ACT_NONE;
}
