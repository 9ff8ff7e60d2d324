/*
 * modal.c — what is drawn over a view: help, run pickers, the alert
 * detail and acknowledgement, the rollback and deploy dialogs and their
 * outcome.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tui/app.h"

/* The keys, at most 72 columns each: the box at 80 columns holds that
 * much. */
static const char *const help_lines[] = {
	"1-6, Tab     switch view: Runs, Compare, Drift, Alerts, Timeline,",
	"             Incident (i reaches it from any view)",
	"j/k, arrows  move; PgUp/PgDn page; g/G top/end",
	"Enter        Runs: compare the run with production (production",
	"             itself: the Incident view); Alerts: details",
	"/            Runs, Alerts: filter as you type (Esc clears)",
	"s / S        Runs: next sort column / reverse",
	"b / c        pick the baseline / candidate",
	"f / m        Drift: next feature / metric",
	"a / A        Alerts: acknowledge it / all of its run's",
	"R            roll back to the last fair model",
	"d            Incident: deploy a newer fair run instead, gated",
	"             (Ctrl-D in the rollback dialog; Left/Right: another)",
	"?            this help; any key closes it",
	"q            quit",
	"",
	"D marks the run in production, F the last fair run.",
	"FAIR: the run on its own; VS PROD: against production.",
	"ALERTS: n! critical, nw warnings.",
	"Refreshes when the store changes (another terminal's ingest).",
};
#define HELP_LINES ((int)(sizeof help_lines / sizeof *help_lines))

/* The help's lines shown at once: all of them when the box fits the
 * screen, else as many as fit above its "more" row. */
static int help_shown(void)
{
	int h = HELP_LINES + 2;
	return h <= LINES ? HELP_LINES : LINES - 3 > 1 ? LINES - 3 : 1;
}

static void help(struct app *a)
{
	int shown = help_shown();
	int more = shown < HELP_LINES;
	int h = shown + 2 + more, w = COLS - 4 < 78 ? COLS - 4 : 78;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	if (a->help_scroll > (size_t)(HELP_LINES - shown))
		a->help_scroll = (size_t)(HELP_LINES - shown);
	screen_box(y, x, h, w, "keys");
	for (int i = 0; i < shown; i++)
		screen_put(y + 1 + i, x + 2, w - 4,
			   help_lines[a->help_scroll + (size_t)i], ROLE_NORMAL);
	if (more) {
		char text[128];
		snprintf(text, sizeof text, "more: j/k (lines %zu-%zu of %d); "
			 "any other key closes", a->help_scroll + 1,
			 a->help_scroll + (size_t)shown, HELP_LINES);
		screen_put(y + 1 + shown, x + 2, w - 4, text, ROLE_DIM);
	}
}

int modal_help_key(struct app *a, int key)
{
	int shown = help_shown();
	if (shown < HELP_LINES) {
		if (key == 'j' || key == KEY_DOWN) {
			if (a->help_scroll < (size_t)(HELP_LINES - shown))
				a->help_scroll++;
			return ACT_REDRAW;
		}
		if (key == 'k' || key == KEY_UP) {
			if (a->help_scroll > 0)
				a->help_scroll--;
			return ACT_REDRAW;
		}
	}
	a->modal = MODAL_NONE;
	a->help_scroll = 0;
	return ACT_REDRAW;
}

static void picker(struct app *a, const char *title)
{
	int h = LINES - 6, w = COLS - 10;
	int y = 3, x = 5;
	screen_box(y, x, h, w, title);
	size_t n = a->snap.nruns;
	size_t rows = (size_t)(h - 2);
	size_t first = a->pick_sel >= rows ? a->pick_sel - rows + 1 : 0;
	for (size_t i = 0; i < rows && first + i < n; i++) {
		const struct snap_run *r = &a->snap.runs[first + i];
		char text[1024];
		snprintf(text, sizeof text, "%s%s %-8s %-6s %.10s  DP %.3f  EO "
			 "%.3f  %s", r->is_deployed ? "D" : " ",
			 r->is_last_fair ? "F" : " ", r->key, r->version,
			 r->started, r->dp, r->eo,
			 r->fair.mark == MARK_FAIL ? "FAILS on its own" : "");
		screen_put(y + 1 + (int)i, x + 2, w - 4, text,
			   first + i == a->pick_sel ? ROLE_SELECTED
						    : ROLE_NORMAL);
	}
}

static void detail(struct app *a)
{
	if (a->snap.nalerts == 0)
		return;
	const struct stored_alert *x = &a->snap.alerts[a->sel_alert];
	int h = 12, w = COLS - 6;
	int y = (LINES - h) / 2, x0 = 3;
	char text[2048];
	snprintf(text, sizeof text, "alert #%lld", (long long)x->id);
	screen_box(y, x0, h, w, text);
	const char *rows[][2] = {
		{"severity", x->severity}, {"state", x->state},
		{"run", x->run_key},       {"baseline", x->baseline_key},
		{"rule", x->rule},         {"subject", x->subject},
		{"values", x->details},    {"first seen", x->first_seen},
		{"last seen", x->last_seen},
	};
	for (int i = 0; i < 9; i++) {
		snprintf(text, sizeof text, "%-10s %s", rows[i][0],
			 rows[i][1] ? rows[i][1] : "-");
		screen_put(y + 1 + i, x0 + 2, w - 4, text, ROLE_NORMAL);
	}
	screen_put(y + 10, x0 + 2, w - 4, x->message, ROLE_TITLE);
}

static void ack(struct app *a)
{
	const struct stored_alert *x = &a->snap.alerts[a->sel_alert];
	int h = 7, w = COLS - 10;
	int y = (LINES - h) / 2, x0 = 5;
	char text[1024];
	if (a->ack_run) {
		snprintf(text, sizeof text, "acknowledge every firing alert "
			 "of %s", x->run_key);
		screen_box(y, x0, h, w, text);
		screen_put(y + 1, x0 + 2, w - 4, "one audit entry lists them "
			   "all", ROLE_NORMAL);
	} else {
		snprintf(text, sizeof text, "acknowledge alert #%lld",
			 (long long)x->id);
		screen_box(y, x0, h, w, text);
		screen_put(y + 1, x0 + 2, w - 4, x->message, ROLE_NORMAL);
	}
	snprintf(text, sizeof text, "note: %s_", a->ack_note.text);
	screen_put(y + 3, x0 + 2, w - 4, text, ROLE_SELECTED);
	screen_put(y + 5, x0 + 2, w - 4, "Enter acknowledges, Esc cancels",
		   ROLE_DIM);
}

/* What is in production, and its verdict, on row y of a dialog. */
static void current(const struct rollplan *p, int y, int x, int w)
{
	char text[1024];
	snprintf(text, sizeof text, "current: %s (%s since %.16s): %s",
		 p->current_key, p->current_kind, p->current_since,
		 !p->current_in_store ? "not in the store, no verdict"
		 : p->current_fair    ? "passes the policy"
				      : "FAILS the policy");
	screen_put(y, x + 2, w - 4, text,
		   p->current_fair ? ROLE_NORMAL : ROLE_BAD);
}

/* A dialog's first n fields (by, reason[, confirm]) from row y. */
static void fields(const struct decision_dialog *d, int n, int y, int x,
		   int w)
{
	static const char *const label[FOCUS_COUNT] = {"by:     ",
							"reason: ", "confirm:"};
	const struct field *fl[FOCUS_COUNT] = {&d->by, &d->reason, &d->confirm};
	char text[1024];
	for (int i = 0; i < n; i++) {
		snprintf(text, sizeof text, "%s %s%s", label[i], fl[i]->text,
			 (int)d->focus == i ? "_" : "");
		screen_put(y + i, x + 2, w - 4, text,
			   (int)d->focus == i ? ROLE_SELECTED : ROLE_NORMAL);
	}
}

/* A dialog's keys on row y: Enter's action ("Enter DEPLOYS r06") once
 * it is ready, else what is missing. */
static void keys(const struct decision_dialog *d, const char *action, int y,
		 int x, int w)
{
	char text[1024];
	if (dialog_ready(d))
		snprintf(text, sizeof text, "Enter %s %s   Esc cancels   Tab "
			 "next field", action, d->target);
	else
		snprintf(text, sizeof text, "missing: %s   Esc cancels   Tab "
			 "next field", dialog_missing(d));
	screen_put(y, x + 2, w - 4, text,
		   dialog_ready(d) ? ROLE_LOUD : ROLE_DIM);
}

static void rollback(struct app *a)
{
	const struct rollplan *p = &a->plan;
	int h = LINES - 3, w = COLS;
	int y = 2, x = 0;
	char text[2048];
	if (p->nothing_to_do) {
		/* nothing destructive on offer: say so, any key closes */
		h = 5;
		y = (LINES - h) / 2;
		screen_box(y, x, h, w, "roll back");
		screen_put(y + 1, x + 2, w - 4, p->no_target, ROLE_GOOD);
		screen_put(y + 3, x + 2, w - 4, "any key closes", ROLE_DIM);
		return;
	}
	screen_box(y, x, h, w, "roll back to the last fair model");
	int row = y + 1;
	current(p, row++, x, w);
	snprintf(text, sizeof text, "target:  %s, the last fair model: %s "
		 "the policy", p->target.run.key,
		 p->target_fair ? "passes" : "FAILS");
	screen_put(row++, x + 2, w - 4, text, ROLE_GOOD);
	const struct run_summary *cs = &p->current.lr.summary;
	const struct run_summary *ts = &p->target.lr.summary;
	char a1[16], a2[16], b1[16], b2[16];
	snprintf(text, sizeof text, "         DP %s -> %s   EO %s -> %s",
		 fmt_rate(a1, sizeof a1, p->current_in_store
						 ? cs->dp_difference
						 : RATE_UNDEFINED),
		 fmt_rate(a2, sizeof a2, ts->dp_difference),
		 fmt_rate(b1, sizeof b1, p->current_in_store
						 ? cs->eo_difference
						 : RATE_UNDEFINED),
		 fmt_rate(b2, sizeof b2, ts->eo_difference));
	screen_put(row++, x + 2, w - 4, text, ROLE_NORMAL);
	for (size_t i = 0; i < p->nalt && i < 3; i++) {
		snprintf(text, sizeof text, "or deploy %s instead (newer, "
			 "fair, never deployed)%s", p->alt[i].key,
			 i == 0 ? ": Ctrl-D" : "");
		screen_put(row++, x + 2, w - 4, text, ROLE_GOOD);
	}
	screen_put(row++, x + 2, w - 4, "passed over:", ROLE_TITLE);
	int fields_at = y + h - 6;
	for (size_t i = 0; i < p->nover && row < fields_at - 1; i++) {
		snprintf(text, sizeof text, "  %s: %s", p->over[i].key,
			 p->over[i].why);
		screen_put(row++, x + 2, w - 4, text, ROLE_DIM);
	}
	const struct decision_dialog *d = &a->dlg;
	fields(d, FOCUS_COUNT, fields_at, x, w);
	snprintf(text, sizeof text, "type %s in confirm to enable the "
		 "rollback", d->target);
	screen_put(fields_at + 3, x + 2, w - 4, text, ROLE_DIM);
	keys(d, "ROLLS BACK to", fields_at + 4, x, w);
}

/* d's dialog: the run to deploy instead of rolling back, gated first. */
static void deploy(struct app *a)
{
	const struct rollplan *p = &a->plan;
	const struct decision_dialog *d = &a->dlg;
	int h = 11, w = COLS;
	int y = (LINES - h) / 2, x = 0;
	char text[1024];
	screen_box(y, x, h, w, "deploy a newer fair run");
	int row = y + 1;
	current(p, row++, x, w);
	snprintf(text, sizeof text, "deploy:  %s, newer, fair on its own, "
		 "never deployed", d->target);
	screen_put(row++, x + 2, w - 4, text, ROLE_GOOD);
	if (p->nalt > 1)
		snprintf(text, sizeof text, "         %zu of %zu on offer: "
			 "Left/Right for another", a->deploy_alt + 1, p->nalt);
	else
		text[0] = '\0';
	screen_put(row++, x + 2, w - 4, text, ROLE_DIM);
	screen_put(row++, x + 2, w - 4, "gated against production first; "
		   "one that fails is refused (no override)", ROLE_DIM);
	fields(d, FOCUS_CONFIRM, ++row, x, w);
	row += FOCUS_CONFIRM + 1;
	keys(d, "DEPLOYS", row, x, w);
}

/* Rows text takes wrapped at width. */
static int rows_of(const char *text, int width)
{
	int rows = 0;
	size_t next = 1;
	while (*text && next > 0) {
		text_wrap(text, (size_t)width, &next);
		text += next;
		rows++;
	}
	return rows ? rows : 1;
}

/* What a rollback or deploy did: each line of the outcome wrapped whole
 * (a refused deploy's findings among them), the box as tall as they
 * need and the screen allows. */
static void outcome(struct app *a)
{
	int w = COLS - 8, x = 4, need = 0;
	char text[2048];
	for (const char *p = a->outcome; *p;) {
		size_t len = strcspn(p, "\n");
		snprintf(text, sizeof text, "%.*s", (int)len, p);
		need += rows_of(text, w - 4);
		p += len + (p[len] == '\n');
	}
	int h = need + 4 > 8 ? need + 4 : 8;
	if (h > LINES - 2)
		h = LINES - 2;
	int y = (LINES - h) / 2, row = y + 1, last = y + h - 3;
	screen_box(y, x, h, w, a->outcome_title);
	for (const char *p = a->outcome; *p && row <= last;) {
		size_t len = strcspn(p, "\n");
		snprintf(text, sizeof text, "%.*s", (int)len, p);
		row += screen_put_wrapped(row, x + 2, w - 4, last - row + 1,
					  text, a->outcome_ok ? ROLE_GOOD
							      : ROLE_BAD);
		p += len + (p[len] == '\n');
	}
	screen_put(y + h - 2, x + 2, w - 4, "any key closes", ROLE_DIM);
}

void modal_draw(struct app *a)
{
	switch (a->modal) {
	case MODAL_HELP:
		help(a);
		break;
	case MODAL_PICK_BASELINE:
		picker(a, "pick the baseline (Enter picks, Esc cancels)");
		break;
	case MODAL_PICK_CANDIDATE:
		picker(a, "pick the candidate (Enter picks, Esc cancels)");
		break;
	case MODAL_DETAIL:
		detail(a);
		break;
	case MODAL_ACK:
		ack(a);
		break;
	case MODAL_ROLLBACK:
		rollback(a);
		break;
	case MODAL_DEPLOY:
		deploy(a);
		break;
	case MODAL_OUTCOME:
		outcome(a);
		break;
	case MODAL_NONE:
		break;
	}
}
