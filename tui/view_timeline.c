/*
 * view_timeline.c — view 5: the post-mortem timeline of `fairtop
 * report`, oldest first and scrollable, overrides and rollbacks
 * highlighted (and marked in words).
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
	int rows = height - 1;
	if (a->top_event + (size_t)rows > t->n)
		a->top_event = t->n > (size_t)rows ? t->n - (size_t)rows : 0;
	for (int r = 0; r < rows && a->top_event + (size_t)r < t->n; r++) {
		const struct event *e = &t->e[a->top_event + (size_t)r];
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
		if (e->loud)
			screen_fill(top + r, 0, COLS, ROLE_LOUD);
		screen_put(top + r, 0, COLS, text, role);
	}
	snprintf(text, sizeof text, "deployed: %s   last fair: %s   "
		 "overrides ever: %zu   [%zu-%zu of %zu]",
		 t->sum.deployed[0] ? t->sum.deployed : "nothing",
		 t->sum.last_fair[0] ? t->sum.last_fair : "none",
		 t->sum.overrides, a->top_event + 1,
		 a->top_event + (size_t)rows < t->n ? a->top_event + (size_t)rows
						   : t->n,
		 t->n);
	screen_put(top + height - 1, 0, COLS, text, ROLE_DIM);
}

int view_timeline_key(struct app *a, int key)
{
	switch (key) {
	case KEY_DOWN:
	case 'j':
		a->top_event++;
		return ACT_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->top_event > 0)
			a->top_event--;
		return ACT_REDRAW;
	case KEY_NPAGE:
		a->top_event += 10;
		return ACT_REDRAW;
	case KEY_PPAGE:
		a->top_event = a->top_event > 10 ? a->top_event - 10 : 0;
		return ACT_REDRAW;
	case KEY_HOME:
	case 'g':
		a->top_event = 0;
		return ACT_REDRAW;
	case KEY_END:
	case 'G':
		a->top_event = a->snap.timeline.n;
		return ACT_REDRAW;
	}
	return ACT_NONE;
}
