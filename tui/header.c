/*
 * header.c — the header (production and its verdict, the last fair
 * run, open alerts by severity, the store, when the store was last read;
 * the view tabs) and the key bar.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

static const char *const tab_names[VIEW_COUNT] = {"Runs", "Compare", "Drift",
						   "Alerts", "Timeline",
						   "Incident"};

/* "2026-01-22T18:45:00Z" as "2026-01-22 18:45". */
static void short_time(char *buf, size_t size, const char *iso)
{
	if (strlen(iso) >= 16 && iso[10] == 'T')
		snprintf(buf, size, "%.10s %.5s", iso, iso + 11);
	else
		snprintf(buf, size, "%s", iso);
}

/* The header's subject: production and its fair verdict, in words;
 * shorter when `narrow`. */
static void production_text(const struct snapshot *s, int narrow, char *buf,
			    size_t size)
{
	const char *dash = screen_unicode() ? "\u2014" : "-";
	char since[64];
	if (!s->deployed[0]) {
		snprintf(buf, size, "nothing in production");
		return;
	}
	if (!s->deployed_in_store) {
		snprintf(buf, size, "production %s (not in the store: no "
			 "verdict)", s->deployed);
		return;
	}
	short_time(since, sizeof since, s->deployed_since);
	snprintf(buf, size, "production %s %s %s %s by %s since %s",
		 s->deployed,
		 s->deployed_fair ? "passes"
		 : narrow	  ? "FAILS"
				  : "FAILS the policy",
		 dash, s->deployed_kind, s->deployed_actor, since);
}

void header_draw(struct app *a)
{
	char text[2048], piece[768];
	const struct snapshot *s = &a->snap;
	screen_fill(0, 0, COLS, ROLE_HEADER);
	/* production first and always; the rest while it fits */
	production_text(s, 0, piece, sizeof piece);
	if (screen_width(piece) + 1 > (size_t)COLS)
		production_text(s, 1, piece, sizeof piece);
	/* a store gone or replaced is said before anything */
	snprintf(text, sizeof text, " %s%s%s",
		 a->store_state ? a->store_state : "",
		 a->store_state ? "  " : "", piece);
	const char *more[3];
	char alerts[128], cands[128], where[600];
	snprintf(alerts, sizeof alerts, "  alerts: %zu crit %zu warn",
		 s->open_critical, s->open_warning);
	cands[0] = '\0';
	if (s->cand_runs_critical > 0)
		snprintf(cands, sizeof cands, "  candidates: %zu failing",
			 s->cand_runs_critical);
	snprintf(where, sizeof where, "  %s%s", a->read_only ? "[read-only] "
							       : "",
		 a->store->path);
	more[0] = alerts;
	more[1] = cands;
	more[2] = where;
	/* when the store was last read (the wall clock, UTC; it is read
	 * again whenever it changes): right-aligned, before the store's
	 * path when both do not fit */
	char at[64] = "";
	if (strlen(s->refreshed) >= 19)
		snprintf(at, sizeof at, "  store read at %.8s UTC",
			 s->refreshed + 11);
	for (int i = 0; i < 3; i++) {
		size_t clock = i == 2 && screen_width(text) + screen_width(at) <=
						 (size_t)COLS
				       ? screen_width(at)
				       : 0;
		if (screen_width(text) + screen_width(more[i]) + clock >
		    (size_t)COLS)
			break;
		strncat(text, more[i], sizeof text - strlen(text) - 1);
	}
	screen_put(0, 0, COLS, text, ROLE_HEADER);
	int used = (int)screen_width(text);
	if (at[0] && used + (int)screen_width(at) <= COLS)
		screen_put_right(0, used, COLS - used - 1, at + 2,
				 ROLE_HEADER);
	int x = 0;
	for (int v = 0; v < VIEW_COUNT; v++) {
		snprintf(text, sizeof text, v == (int)a->view ? "[%d %s]"
							      : " %d %s ",
			 v + 1, tab_names[v]);
		x += screen_put(1, x, COLS - x, text,
				v == (int)a->view ? ROLE_TAB : ROLE_NORMAL);
	}
	/* right of the tabs: the rollback target, and the alarm when
	 * production has critical alerts (shorter, then alone, when both
	 * do not fit) */
	char alarm[64] = "", short_alarm[32] = "", tiny_alarm[32] = "";
	char last[300];
	if (s->open_critical > 0) {
		snprintf(alarm, sizeof alarm, "%zu CRITICAL ALERT%s",
			 s->open_critical, s->open_critical == 1 ? "" : "S");
		snprintf(short_alarm, sizeof short_alarm, "%zu CRITICAL",
			 s->open_critical);
		/* as the Runs view's ALERTS column writes it */
		snprintf(tiny_alarm, sizeof tiny_alarm, "%zu!",
			 s->open_critical);
	}
	snprintf(last, sizeof last, "last fair %s%s",
		 s->last_fair[0] ? s->last_fair : "none", alarm[0] ? "  " : "");
	int room = COLS - x;
	int need_last = (int)screen_width(last);
	const char *shout = alarm;
	if ((int)screen_width(alarm) + need_last > room)
		shout = short_alarm;
	if ((int)screen_width(shout) + need_last > room)
		shout = tiny_alarm;
	int need_alarm = (int)screen_width(shout);
	if (need_alarm <= room)
		screen_put_right(1, x, room, shout, ROLE_BAD);
	if (need_alarm + need_last <= room)
		screen_put(1, COLS - need_alarm - need_last, need_last, last,
			   s->last_fair[0] ? ROLE_GOOD : ROLE_WARN);
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
		keys = a->alert_filtering
			? "type to filter  Enter done  Esc clear"
			: a->read_only ? "j/k move  Enter details  / filter"
				       : "j/k move  Enter details  / filter  "
					 "a/A ack one/run";
		break;
	case VIEW_INCIDENT:
		keys = a->read_only ? "j/k scroll  g/G top/end"
				    : "j/k scroll  g/G top/end  d deploy";
		break;
	default:
		keys = "j/k move  g/G first/last";
		break;
	}
	/* "? help  q quit" must always show: "1-6 views" goes first when
	 * the line is too long (the tabs show the numbers anyway) */
	char text[512];
	if ((a->view == VIEW_RUNS && a->filtering) ||
	    (a->view == VIEW_ALERTS && a->alert_filtering)) {
		/* every key types into the filter: q and R among them */
		snprintf(text, sizeof text, " %s", keys);
		screen_fill(LINES - 1, 0, COLS, ROLE_HEADER);
		screen_put(LINES - 1, 0, COLS, text, ROLE_HEADER);
		return;
	}
	/* read-only says so first: R, d and a are not offered */
	const char *ro = a->read_only ? "[read-only]  " : "";
	snprintf(text, sizeof text, " %s%s  %s1-6 views  ? help  q quit", ro,
		 keys, a->read_only ? "" : "R rollback  ");
	if ((int)screen_width(text) > COLS)
		snprintf(text, sizeof text, " %s%s  %s? help  q quit", ro,
			 keys, a->read_only ? "" : "R rollback  ");
	screen_fill(LINES - 1, 0, COLS, ROLE_HEADER);
	screen_put(LINES - 1, 0, COLS, text, ROLE_HEADER);
	if (a->message[0])
		screen_put(LINES - 2, 0, COLS, a->message, a->message_role);
}
