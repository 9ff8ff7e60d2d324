/*
 * view_alerts.c — view 4: alerts, firing first, then acknowledged,
 * then resolved; FOR says whose: production's alarms ("prod") or another
 * run's findings ("cand"), as the header counts them.  Enter shows one alert whole; `A` acknowledges every
 * firing alert of its run at once (one audit entry); `a` acknowledges it with
 * a note.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/table.h"

enum {
	COL_ID, COL_FOR, COL_SEV, COL_STATE, COL_RUN, COL_RULE, COL_SUBJECT,
	NCOLS
};

static const struct column columns[NCOLS] = {
	[COL_ID] = {"ID", 4, 0, 1, 0},
	[COL_FOR] = {"FOR", 4, 0, 0, 0},
	[COL_SEV] = {"SEVERITY", 8, 0, 0, 0},
	[COL_STATE] = {"STATE", 12, 0, 0, 0},
	[COL_RUN] = {"RUN", 8, 0, 0, 0},
	[COL_RULE] = {"RULE", 14, 0, 0, 0},
	[COL_SUBJECT] = {"SUBJECT", 10, 1, 0, 1},
};

static void cell(void *ctx, size_t row, int col, char *buf, size_t size,
		 enum role *role)
{
	struct app *a = ctx;
	const struct stored_alert *x = &a->snap.alerts[row];
	int critical = strcmp(x->severity, "critical") == 0;
	int firing = strcmp(x->state, "firing") == 0;
	switch (col) {
	case COL_ID:
		snprintf(buf, size, "%lld", (long long)x->id);
		break;
	case COL_FOR: {
		int prod = a->snap.deployed[0] &&
			   strcmp(x->run_key, a->snap.deployed) == 0;
		snprintf(buf, size, "%s", prod ? "prod" : "cand");
		*role = prod && firing ? ROLE_BAD : ROLE_DIM;
		break;
	}
	case COL_SEV:
		snprintf(buf, size, "%s", critical ? "CRITICAL" : "warning");
		if (firing)
			*role = critical ? ROLE_BAD : ROLE_WARN;
		break;
	case COL_STATE:
		snprintf(buf, size, "%s", x->state);
		*role = firing ? ROLE_NORMAL : ROLE_DIM;
		break;
	case COL_RUN:
		snprintf(buf, size, "%s", x->run_key);
		break;
	case COL_RULE:
		snprintf(buf, size, "%s", x->rule);
		break;
	case COL_SUBJECT:
		snprintf(buf, size, "%s", x->subject);
		break;
	}
}

void view_alerts_draw(struct app *a, int top, int height)
{
	size_t n = a->snap.nalerts;
	int list_h = height - 4; /* then the message (2 lines), the dates */
	if (a->sel_alert >= n && n > 0)
		a->sel_alert = n - 1;
	if (a->sel_alert < a->top_alert)
		a->top_alert = a->sel_alert;
	if (list_h > 1 && a->sel_alert >= a->top_alert + (size_t)(list_h - 1))
		a->top_alert = a->sel_alert - (size_t)(list_h - 2);
	table_draw(top, 0, COLS, list_h, columns, NCOLS, n, a->top_alert,
		   n ? (long)a->sel_alert : -1, cell, a);
	if (n == 0) {
		screen_put(top + 2, 2, COLS - 4, "no alerts", ROLE_GOOD);
		return;
	}
	const struct stored_alert *x = &a->snap.alerts[a->sel_alert];
	screen_put_wrapped(top + height - 4, 0, COLS, 2, x->message,
			   ROLE_NORMAL);
	char text[1024];
	if (x->acknowledged_by)
		snprintf(text, sizeof text, "acknowledged by %s at %s%s%s",
			 x->acknowledged_by,
			 x->acknowledged_at ? x->acknowledged_at : "",
			 x->ack_note ? ": " : "", x->ack_note ? x->ack_note : "");
	else if (x->resolved_at)
		snprintf(text, sizeof text, "resolved %s: %s", x->resolved_at,
			 x->resolved_reason ? x->resolved_reason : "");
	else
		snprintf(text, sizeof text, "began %s (the run's time), "
			 "recorded %s", x->began_at ? x->began_at
						     : x->first_seen,
			 x->first_seen);
	screen_put(top + height - 2, 0, COLS, text, ROLE_DIM);
}

int view_alerts_key(struct app *a, int key)
{
	size_t n = a->snap.nalerts;
	switch (key) {
	case KEY_DOWN:
	case 'j':
		if (a->sel_alert + 1 < n)
			a->sel_alert++;
		return ACT_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->sel_alert > 0)
			a->sel_alert--;
		return ACT_REDRAW;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (n == 0)
			return ACT_NONE;
		a->modal = MODAL_DETAIL;
		return ACT_REDRAW;
	case 'a':
	case 'A':
		if (n == 0)
			return ACT_NONE;
		if (a->read_only) {
			snprintf(a->message, sizeof a->message,
				 "read-only: acknowledging is off");
			a->message_role = ROLE_WARN;
			return ACT_REDRAW;
		}
		a->ack_run = key == 'A';
		if (!a->ack_run &&
		    strcmp(a->snap.alerts[a->sel_alert].state, "firing") != 0) {
			snprintf(a->message, sizeof a->message,
				 "alert #%lld is not firing",
				 (long long)a->snap.alerts[a->sel_alert].id);
			a->message_role = ROLE_WARN;
			return ACT_REDRAW;
		}
		field_set(&a->ack_note, "");
		a->modal = MODAL_ACK;
		return ACT_REDRAW;
	}
	return ACT_NONE;
}
