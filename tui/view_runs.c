/*
 * view_runs.c — view 1: every run, newest first, with the deployed and
 * last fair markers, headline performance next to fairness, two of the
 * run's verdicts (service/verdict.h) — FAIR, on its own, and VS PROD,
 * against the run in production — and the open alerts.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <assert.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/table.h"

enum {
	COL_MARK, COL_RUN, COL_MODEL, COL_VERSION, COL_DATE, COL_ACC, COL_FB,
	COL_THR, COL_DP, COL_EO, COL_WORST, COL_FAIR, COL_PROD, COL_ALERTS,
	NCOLS
};

static const struct column columns[NCOLS] = {
	[COL_MARK] = {"", 3, 0, 0, 0},
	[COL_RUN] = {"RUN", 5, 0, 0, 1},
	[COL_MODEL] = {"MODEL", 8, 3, 0, 1},
	[COL_VERSION] = {"VER", 4, 2, 0, 0},
	[COL_DATE] = {"DATE", 10, 2, 0, 0},
	[COL_ACC] = {"ACC", 6, 0, 1, 0},
	[COL_FB] = {"F-BETA", 6, 1, 1, 0},
	[COL_THR] = {"THRPT", 7, 1, 1, 0},
	[COL_DP] = {"DP", 5, 0, 1, 0},
	[COL_EO] = {"EO", 5, 0, 1, 0},
	[COL_WORST] = {"WORST TPR", 13, 0, 0, 0},
	[COL_FAIR] = {"FAIR", 4, 0, 0, 0},
	[COL_PROD] = {"VS PROD", 7, 0, 0, 0},
	[COL_ALERTS] = {"ALERTS", 6, 0, 1, 0},
};

static void cell(void *ctx, size_t row, int col, char *buf, size_t size,
		 enum role *role)
{
	struct app *a = ctx;
	assert(row < a->nrows && a->rows[row] < a->snap.nruns);
	const struct snap_run *r = &a->snap.runs[a->rows[row]];
	switch (col) {
	case COL_MARK:
		/* D deployed, F last fair: letters, not colour alone */
		snprintf(buf, size, "%s%s", r->is_deployed ? "D" : " ",
			 r->is_last_fair ? "F" : " ");
		*role = r->is_deployed ? ROLE_TITLE : ROLE_GOOD;
		break;
	case COL_RUN:
		snprintf(buf, size, "%s", r->key);
		break;
	case COL_MODEL:
		snprintf(buf, size, "%s", r->model);
		break;
	case COL_VERSION:
		snprintf(buf, size, "%s", r->version);
		break;
	case COL_DATE:
		snprintf(buf, size, "%.10s", r->started);
		break;
	case COL_ACC:
	case COL_FB:
	case COL_THR: {
		/* a performance number from an evaluation unlike the last
		 * fair model's is no gain over it: marked '*' (the legend
		 * below says why) */
		double v = col == COL_ACC ? r->accuracy
			   : col == COL_FB ? r->f_beta
					   : r->throughput;
		int defined = v == v;
		/* F-beta also by another beta_factor */
		int unlike = r->unlike_last_fair ||
			     (col == COL_FB && r->beta_unlike_last_fair);
		if (!defined)
			snprintf(buf, size, "n/a");
		else
			snprintf(buf, size, col == COL_THR ? "%.6g%s" : "%.3f%s",
				 v, unlike ? "*" : "");
		if (defined && unlike)
			*role = ROLE_WARN;
		break;
	}
	case COL_DP:
		fmt_rate(buf, size, r->dp);
		if (r->dp == r->dp && r->dp > policy_get(&a->policy,
						       POLICY_MAX_DP_DIFFERENCE))
			*role = ROLE_BAD;
		break;
	case COL_EO:
		fmt_rate(buf, size, r->eo);
		if (r->eo == r->eo && r->eo > policy_get(&a->policy,
						       POLICY_MAX_EO_DIFFERENCE))
			*role = ROLE_BAD;
		break;
	case COL_WORST:
		if (r->worst_tpr == r->worst_tpr)
			snprintf(buf, size, "%.3f %s", r->worst_tpr,
				 r->worst_group);
		else
			snprintf(buf, size, "n/a");
		break;
	case COL_FAIR:
	case COL_PROD: {
		const struct snap_verdict *v = col == COL_FAIR ? &r->fair
							       : &r->vs_prod;
		/* production against itself is its fair verdict: "prod"
		 * says so where a word would repeat FAIR */
		if (col == COL_PROD && r->is_deployed)
			snprintf(buf, size, "(prod)");
		else
			snprintf(buf, size, "%s", v->mark == MARK_PASS ? "pass"
					  : v->mark == MARK_FAIL ? "FAIL"
								 : "-");
		*role = col == COL_PROD && r->is_deployed ? ROLE_DIM
			: v->mark == MARK_FAIL		  ? ROLE_BAD
			: v->mark == MARK_PASS		  ? ROLE_GOOD
							  : ROLE_DIM;
		break;
	}
	case COL_ALERTS:
		if (r->critical_alerts)
			snprintf(buf, size, "%zu!", r->critical_alerts);
		else if (r->open_alerts)
			snprintf(buf, size, "%zuw", r->open_alerts);
		else
			snprintf(buf, size, "-");
		*role = r->critical_alerts ? ROLE_BAD
			: r->open_alerts   ? ROLE_WARN
					   : ROLE_DIM;
		break;
	}
}

void view_runs_draw(struct app *a, int top, int height)
{
	char line[2048];
	int list_height = height - 2;
	if (a->sel_run >= a->nrows && a->nrows > 0)
		a->sel_run = a->nrows - 1;
	if (a->sel_run < a->top_run)
		a->top_run = a->sel_run;
	if (list_height > 1 && a->sel_run >= a->top_run + (size_t)(list_height - 1))
		a->top_run = a->sel_run - (size_t)(list_height - 2);
	table_draw(top, 0, COLS, list_height, columns, NCOLS, a->nrows,
		   a->top_run, a->nrows ? (long)a->sel_run : -1, cell, a);
	if (a->snap.nruns == 0)
		screen_put(top + 2, 2, COLS - 4,
			   "no runs yet: fairtop ingest DIR (this view "
			   "refreshes by itself)", ROLE_DIM);
	else if (a->nrows == 0)
		screen_put(top + 2, 2, COLS - 4, "no run matches the filter",
			   ROLE_DIM);
	/* the selected run's verdict in words */
	if (a->nrows > 0) {
		const struct snap_run *r = &a->snap.runs[a->rows[a->sel_run]];
		int bad = r->fair.mark == MARK_FAIL ||
			  r->vs_prod.mark == MARK_FAIL;
		if (r->fair.mark == MARK_FAIL)
			snprintf(line, sizeof line, "%s FAILS on its own: %s",
				 r->key, r->fair.rule);
		else if (r->vs_prod.mark == MARK_FAIL)
			snprintf(line, sizeof line, "%s passes on its own, "
				 "FAILS against %s in production: %s", r->key,
				 r->vs_prod.against, r->vs_prod.rule);
		else if (r->vs_prod.against[0])
			snprintf(line, sizeof line, "%s passes on its own and "
				 "against %s in production", r->key,
				 r->vs_prod.against);
		else
			snprintf(line, sizeof line, "%s passes on its own%s",
				 r->key, r->is_deployed
						 ? " (in production)"
						 : "; nothing in production to "
						   "judge it against");
		screen_put(top + height - 1, 0, COLS, line,
			   bad ? ROLE_BAD : ROLE_NORMAL);
	}
	/* what '*' means; for the selected run, why it has one */
	char legend[400] = "";
	const struct snap_run *sel =
		a->nrows > 0 ? &a->snap.runs[a->rows[a->sel_run]] : NULL;
	long long fair_rows = a->snap.marked.fair_rows;
	int other_groups = sel != NULL && sel->has_groups_digest &&
			   a->snap.marked.fair_has_groups &&
			   sel->groups_digest != a->snap.marked.fair_groups;
	if (sel != NULL && sel->unlike_last_fair && fair_rows >= 0 &&
	    sel->final_rows >= 0 && sel->final_rows != fair_rows)
		snprintf(legend, sizeof legend, "  * %s evaluated %lld rows%s, "
			 "%s (last fair) %lld", sel->key, sel->final_rows,
			 other_groups ? " of other groups" : "",
			 a->snap.marked.last_fair, fair_rows);
	else if (sel != NULL && sel->unlike_last_fair)
		snprintf(legend, sizeof legend, "  * %s evaluated other groups "
			 "than %s (last fair)", sel->key,
			 a->snap.marked.last_fair);
	else if (sel != NULL && sel->beta_unlike_last_fair)
		snprintf(legend, sizeof legend, "  * %s F-beta with "
			 "beta_factor %g, %s (last fair) %g", sel->key,
			 sel->beta_factor, a->snap.marked.last_fair,
			 a->snap.marked.fair_beta);
	else if (a->snap.unlike_last_fair > 0)
		snprintf(legend, sizeof legend, "  * other rows or groups than "
			 "%s (last fair)", a->snap.marked.last_fair);
	char reading[96] = "";
	if (a->snap.reading.more)
		snprintf(reading, sizeof reading, "  (reading older runs: "
			 "%zu so far)", a->snap.nruns);
	snprintf(line, sizeof line, "sort: %s%s%s%s%s%s",
		 sort_key_name(a->sort), a->reverse ? " (reversed)" : "",
		 reading, a->filter.len || a->filtering ? "  filter: " : "",
		 a->filter.text, legend);
	screen_put(top + height - 2, 0, COLS, line,
		   a->filtering ? ROLE_TITLE : ROLE_DIM);
}

int view_runs_key(struct app *a, int key)
{
	if (a->filtering) {
		if (key == 27) {
			field_set(&a->filter, "");
			a->filtering = 0;
		} else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
			a->filtering = 0;
		} else if (!field_key(&a->filter, key)) {
			return ACT_NONE;
		}
		a->sel_run = a->top_run = 0;
		app_rebuild_rows(a);
		return ACT_REDRAW;
	}
	switch (key) {
	case KEY_DOWN:
	case 'j':
		if (a->sel_run + 1 < a->nrows)
			a->sel_run++;
		return ACT_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->sel_run > 0)
			a->sel_run--;
		return ACT_REDRAW;
	case KEY_NPAGE:
		a->sel_run += 10;
		if (a->sel_run >= a->nrows)
			a->sel_run = a->nrows ? a->nrows - 1 : 0;
		return ACT_REDRAW;
	case KEY_PPAGE:
		a->sel_run = a->sel_run > 10 ? a->sel_run - 10 : 0;
		return ACT_REDRAW;
	case KEY_HOME:
	case 'g':
		a->sel_run = 0;
		return ACT_REDRAW;
	case KEY_END:
	case 'G':
		a->sel_run = a->nrows ? a->nrows - 1 : 0;
		return ACT_REDRAW;
	case '/':
		a->filtering = 1;
		return ACT_REDRAW;
	case 27:
		field_set(&a->filter, "");
		app_rebuild_rows(a);
		return ACT_REDRAW;
	case 's':
	case 'S': {
		/* keep the same run selected, wherever it moves */
		char keep[256] = "";
		if (app_selected_run(a))
			snprintf(keep, sizeof keep, "%s", app_selected_run(a));
		if (key == 's')
			a->sort = (enum sort_key)((a->sort + 1) % SORT_NKEYS);
		else
			a->reverse = !a->reverse;
		app_rebuild_rows(a);
		for (size_t i = 0; keep[0] && i < a->nrows; i++)
			if (strcmp(a->snap.runs[a->rows[i]].key, keep) == 0)
				a->sel_run = i;
		return ACT_REDRAW;
	}
	case '\n':
	case '\r':
	case KEY_ENTER: {
		if (a->nrows == 0)
			return ACT_NONE;
		/* the run against what its VS PROD verdict judges it by:
		 * production; production itself against the last fair
		 * model, what a rollback would go back to */
		const char *run = app_selected_run(a);
		const char *prod = a->snap.deployed;
		/* production against the last fair model is the incident's
		 * page: never production against itself */
		if (strcmp(run, prod) == 0) {
			a->view = VIEW_INCIDENT;
			a->inc_scroll = 0;
			return ACT_REDRAW;
		}
		if (prod[0])
			snprintf(a->baseline, sizeof a->baseline, "%s", prod);
		snprintf(a->candidate, sizeof a->candidate, "%s", run);
		a->view = VIEW_COMPARE;
		return ACT_COMPARE | ACT_REDRAW;
	}
	case 'c':
	case 'b':
		if (a->nrows == 0)
			return ACT_NONE;
		snprintf(key == 'c' ? a->candidate : a->baseline,
			 sizeof a->candidate, "%s", app_selected_run(a));
		snprintf(a->message, sizeof a->message, "%s set to %s",
			 key == 'c' ? "candidate" : "baseline",
			 app_selected_run(a));
		a->message_role = ROLE_NORMAL;
		return ACT_COMPARE | ACT_REDRAW;
	}
	return ACT_NONE;
}
