/*
 * view_drift.c — view 3: how each group's rate moved, across runs and
 * across the steps of the selected run, and the PSI of group shares and
 * score distributions against the baseline with warning and critical
 * marks.  `f` cycles the feature, `m` the metric.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/chart.h"

static void draw_chart(int y, int h, const struct snap_series *s, size_t n,
		       size_t npoints, const char *const *xlabels)
{
	struct chart_series cs[16];
	if (n > 16)
		n = 16;
	for (size_t i = 0; i < n; i++) {
		cs[i].label = s[i].group;
		cs[i].value = s[i].value;
	}
	chart_draw(y, 0, h, COLS, cs, n, npoints, xlabels);
}

void view_drift_draw(struct app *a, int top, int height)
{
	const struct snap_drift *d = &a->drift;
	char text[1024];
	if (d->nfeatures == 0) {
		screen_put(top + 1, 2, COLS - 4,
			   "no sensitive features yet: ingest runs with "
			   "predictions.csv or counts.csv", ROLE_DIM);
		return;
	}
	char across[48] = "runs";
	if (d->newest_only)
		snprintf(across, sizeof across, "the last %d runs", DRIFT_RUNS);
	snprintf(text, sizeof text, "%s of each group of '%s' across %s "
		 "(f: feature, m: metric)", drift_metric_name(a->metric),
		 d->feature, across);
	screen_put(top, 0, COLS, text, ROLE_TITLE);
	/* the PSI block takes the last lines */
	int psi_lines = 4;
	int avail = height - 1 - psi_lines;
	int runs_h = d->nsteps > 1 ? avail * 3 / 5 : avail;
	if (runs_h < 4)
		runs_h = avail;
	const char **xl = calloc(d->npoints ? d->npoints : 1, sizeof *xl);
	if (xl != NULL) {
		for (size_t i = 0; i < d->npoints; i++)
			xl[i] = d->point[i];
		draw_chart(top + 1, runs_h, d->series, d->nseries, d->npoints,
			   xl);
		free(xl);
	}
	int y = top + 1 + runs_h;
	if (d->nsteps > 1 && avail - runs_h >= 4) {
		const char *run = app_selected_run(a);
		snprintf(text, sizeof text, "across the steps of %s",
			 run ? run : "the selected run");
		screen_put(y, 0, COLS, text, ROLE_TITLE);
		char (*labels)[24] = calloc(d->nsteps, sizeof *labels);
		const char **sl = calloc(d->nsteps, sizeof *sl);
		if (labels && sl) {
			for (size_t i = 0; i < d->nsteps; i++) {
				snprintf(labels[i], sizeof labels[i], "%lld",
					 (long long)d->steps[i]);
				sl[i] = labels[i];
			}
			draw_chart(y + 1, avail - runs_h - 1, d->step_series,
				   d->nstep_series, d->nsteps, sl);
		}
		free(labels);
		free(sl);
	}
	/* PSI against the baseline */
	y = top + height - psi_lines;
	if (!a->cmp.loaded) {
		screen_put(y, 0, COLS, "PSI: pick a baseline and a candidate "
			   "(b, c) to see drift between them", ROLE_DIM);
		return;
	}
	snprintf(text, sizeof text, "PSI of %s against %s (warning >= %.2g, "
		 "critical >= %.2g)", a->cmp.cand.run.key, a->cmp.base.run.key,
		 policy_get(&a->policy, POLICY_PSI_WARNING),
		 policy_get(&a->policy, POLICY_PSI_CRITICAL));
	screen_put(y, 0, COLS, text, ROLE_TITLE);
	int x = 0, row = y + 1;
	for (size_t i = 0; i < a->cmp.j.ndrift; i++) {
		const struct drift_value *dv = &a->cmp.j.drift[i];
		if (strcmp(dv->feature, d->feature) != 0)
			continue;
		int crit = dv->psi >= policy_get(&a->policy,
						 POLICY_PSI_CRITICAL);
		int warn = dv->psi >= policy_get(&a->policy,
						 POLICY_PSI_WARNING);
		snprintf(text, sizeof text, "%s %s %.3f %s",
			 dv->what, dv->group[0] ? dv->group : "(groups)",
			 dv->psi, crit ? "CRIT" : warn ? "WARN" : "ok");
		int w = (int)screen_width(text) + 3;
		if (x + w > COLS) {
			x = 0;
			row++;
			if (row >= top + height)
				break;
		}
		screen_put(row, x, w, text,
			   crit ? ROLE_BAD : warn ? ROLE_WARN : ROLE_GOOD);
		x += w;
	}
}

int view_drift_key(struct app *a, int key)
{
	const struct snap_drift *d = &a->drift;
	switch (key) {
	case 'f':
		if (d->nfeatures == 0)
			return ACT_NONE;
		for (size_t i = 0; i < d->nfeatures; i++)
			if (strcmp(d->features[i], d->feature) == 0) {
				snprintf(a->feature, sizeof a->feature, "%s",
					 d->features[(i + 1) % d->nfeatures]);
				break;
			}
		return ACT_DRIFT | ACT_REDRAW;
	case 'm':
		a->metric = (enum drift_metric)((a->metric + 1) %
						DRIFT_NMETRICS);
		return ACT_DRIFT | ACT_REDRAW;
	case 'b':
		a->modal = MODAL_PICK_BASELINE;
		a->pick_sel = 0;
		return ACT_REDRAW;
	case 'c':
		a->modal = MODAL_PICK_CANDIDATE;
		a->pick_sel = 0;
		return ACT_REDRAW;
	}
	return ACT_NONE;
}
