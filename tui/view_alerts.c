/*
 * view_alerts.c — view 4: alerts, firing first, then acknowledged,
 * then resolved; FOR says whose: production's alarms ("prod") or another
 * run's findings ("cand"), as the header counts them.  Enter shows one alert whole; `A` acknowledges every
 * firing alert of its run at once (one audit entry); `a` acknowledges it with
 * a note; `/` filters as you type (run, rule, subject, severity, state or
 * message), as in Runs.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "tui/app.h"
#include "tui/model.h"
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
	const struct stored_alert *x = &a->snap.alerts[a->alert_rows[row]];
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

/* The alerts that match the filter, into a->alert_rows; the selection
 * moves to a matching one (the nearest after it, else the last).  Its
 * position in the rows, or nalert_rows when none matches. */
static size_t rebuild(struct app *a)
{
	size_t n = a->snap.nalerts, pos = 0;
	free(a->alert_rows);
	a->alert_rows = calloc(n ? n : 1, sizeof *a->alert_rows);
	a->nalert_rows = 0;
	if (a->alert_rows == NULL)
		return 0;
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		if (!model_alert_matches(&a->snap.alerts[i],
					 a->alert_filter.text))
			continue;
		if (!found && i >= a->sel_alert) {
			found = 1;
			pos = a->nalert_rows;
		}
		a->alert_rows[a->nalert_rows++] = i;
	}
	if (a->nalert_rows == 0)
		return 0;
	if (!found)
		pos = a->nalert_rows - 1;
	a->sel_alert = a->alert_rows[pos];
	return pos;
}

void view_alerts_draw(struct app *a, int top, int height)
{
	size_t sel = rebuild(a), n = a->nalert_rows;
	int list_h = height - 4; /* then the message (2 lines), the dates */
	if (a->top_alert >= n)
		a->top_alert = 0;
	if (sel < a->top_alert)
		a->top_alert = sel;
	if (list_h > 1 && sel >= a->top_alert + (size_t)(list_h - 1))
		a->top_alert = sel - (size_t)(list_h - 2);
	table_draw(top, 0, COLS, list_h, columns, NCOLS, n, a->top_alert,
		   n ? (long)sel : -1, cell, a);
	if (a->alert_filter.len || a->alert_filtering) {
		char f[512];
		snprintf(f, sizeof f, "filter: %s%s", a->alert_filter.text,
			 a->alert_filtering ? "_" : "");
		screen_put(top + height - 1, 0, COLS, f,
			   a->alert_filtering ? ROLE_TITLE : ROLE_DIM);
	}
	if (n == 0) {
		screen_put(top + 2, 2, COLS - 4,
			   a->snap.nalerts ? "no alert matches the filter"
					   : "no alerts",
			   a->snap.nalerts ? ROLE_DIM : ROLE_GOOD);
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
	size_t sel = rebuild(a), n = a->nalert_rows;
	if (a->alert_filtering) {
		if (key == 27) {
			field_set(&a->alert_filter, "");
			a->alert_filtering = 0;
		} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			a->alert_filtering = 0;
		} else if (!field_key(&a->alert_filter, key)) {
			return ACT_NONE;
		}
		a->top_alert = 0;
		a->sel_alert = 0;
		return ACT_REDRAW;
	}
	switch (key) {
	case '/':
		a->alert_filtering = 1;
		return ACT_REDRAW;
	case KEY_DOWN:
	case 'j':
		if (sel + 1 < n)
			a->sel_alert = a->alert_rows[sel + 1];
		return ACT_REDRAW;
	case KEY_UP:
	case 'k':
		if (sel > 0 && sel < n)
			a->sel_alert = a->alert_rows[sel - 1];
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
