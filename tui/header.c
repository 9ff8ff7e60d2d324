/*
 * header.c — the header (store, deployed run, last fair run, open
 * alerts by severity, time of the last refresh; the view tabs) and the
 * key bar.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

static const char *const tab_names[VIEW_COUNT] = {"Runs", "Compare", "Drift",
						   "Alerts", "Timeline"};

void header_draw(struct app *a)
{
	char text[1024];
	const struct snapshot *s = &a->snap;
	screen_fill(0, 0, COLS, ROLE_HEADER);
	snprintf(text, sizeof text, " fairtop  deployed: %s  last fair: %s  "
		 "alerts: %zu crit %zu warn  %s%s",
		 s->deployed[0] ? s->deployed : "none",
		 s->last_fair[0] ? s->last_fair : "none", s->open_critical,
		 s->open_warning, a->read_only ? "[read-only] " : "",
		 a->store->path);
	screen_put(0, 0, COLS, text, ROLE_HEADER);
	/* the refresh time, right-aligned, when there is room */
	int used = (int)screen_width(text);
	if (COLS - used > 10)
		screen_put_right(0, used, COLS - used - 1, s->refreshed + 11,
				 ROLE_HEADER);
	int x = 0;
	for (int v = 0; v < VIEW_COUNT; v++) {
		snprintf(text, sizeof text, v == (int)a->view ? "[%d %s]"
							      : " %d %s ",
			 v + 1, tab_names[v]);
		x += screen_put(1, x, COLS - x, text,
				v == (int)a->view ? ROLE_TAB : ROLE_NORMAL);
		x += 1;
	}
	if (s->open_critical > 0 && COLS - x > 12)
		screen_put_right(1, x, COLS - x, "CRITICAL ALERTS", ROLE_BAD);
}

void keybar_draw(struct app *a)
{
	const char *keys;
	switch (a->view) {
	case VIEW_RUNS:
		keys = a->filtering
			? "type to filter  Enter done  Esc clear"
			: "Enter compare  / filter  s/S sort  b/c base/cand";
		break;
	case VIEW_COMPARE:
		keys = "j/k scroll  b baseline  c candidate";
		break;
	case VIEW_DRIFT:
		keys = "f feature  m metric  b/c base/cand";
		break;
	case VIEW_ALERTS:
		keys = a->read_only ? "j/k move  Enter details"
				    : "j/k move  Enter details  a acknowledge";
		break;
	default:
		keys = "j/k move  g/G first/last";
		break;
	}
	/* "? help  q quit" must always show: "1-5 views" goes first when
	 * the line is too long (the tabs show the numbers anyway) */
	char text[512];
	snprintf(text, sizeof text, " %s  %s1-5 views  ? help  q quit",
		 keys, a->read_only ? "" : "R rollback  ");
	if ((int)screen_width(text) > COLS)
		snprintf(text, sizeof text, " %s  %s? help  q quit", keys,
			 a->read_only ? "" : "R rollback  ");
	screen_fill(LINES - 1, 0, COLS, ROLE_HEADER);
	screen_put(LINES - 1, 0, COLS, text, ROLE_HEADER);
	if (a->message[0])
		screen_put(LINES - 2, 0, COLS, a->message, a->message_role);
}
