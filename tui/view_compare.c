/*
 * view_compare.c — view 2: baseline and candidate side by side.
 *
 * A banner with the gate's verdict in plain words, then a scrollable
 * page: performance with relative changes, fairness per feature (each
 * run's DP and EO difference with its simultaneous interval, "?" when
 * not established), a per-group table with deltas and ▲▼ signs, and the
 * findings: a page (core/page.h) drawn by tui/pageview.h, so that every
 * finding wraps whole at any width, never cut.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app.h"
#include "tui/pageview.h"

/* The finding that says most: a single feature's odds or parity
 * breach, else the first failure. */
static const struct finding *headline(const struct judgement *j)
{
	static const char *const order[] = {"eo_difference", "dp_difference",
					    "dp_ratio"};
	for (size_t o = 0; o < 3; o++)
		for (size_t i = 0; i < j->nfindings; i++) {
			const struct finding *f = &j->finding[i];
			if (f->severity == FINDING_FAIL &&
			    strcmp(f->rule, order[o]) == 0 &&
			    strchr(f->feature, '&') == NULL)
				return f;
		}
	for (size_t i = 0; i < j->nfindings; i++)
		if (j->finding[i].severity == FINDING_FAIL)
			return &j->finding[i];
	return NULL;
}

/* The headline finding for the banner: its message up to the group that
 * drives it ("equalized odds difference across group 0.331 [0.259,
 * 0.403] > 0.10, driven by group=B"), since the figures after it (rates,
 * cell sizes, notes) would push the performance note out of the banner's
 * three lines at 80 columns; FINDINGS below has the whole message.  A
 * message with no driver is kept whole. */
static const char *banner_words(const struct finding *f, char *buf,
				size_t size)
{
	snprintf(buf, size, "%s", f->message);
	char *driven = strstr(buf, ", driven by ");
	char *colon = driven ? strchr(driven, ':') : NULL;
	if (colon != NULL)
		*colon = '\0';
	return buf;
}

static const struct summary_feature *feature_of(const struct judged_run *r,
						const char *name)
{
	for (size_t i = 0; i < r->lr.summary.nfeatures; i++)
		if (r->lr.summary.features[i].kind == SUMMARY_FEATURE &&
		    strcmp(r->lr.summary.features[i].name, name) == 0)
			return &r->lr.summary.features[i];
	return NULL;
}

static const struct rates *group_rates(const struct judged_run *r,
				       const char *feature, const char *label)
{
	for (size_t i = 0; i < r->lr.ngroups; i++)
		if (r->lr.input[i].kind == SUMMARY_FEATURE &&
		    strcmp(r->lr.input[i].feature, feature) == 0 &&
		    strcmp(r->lr.input[i].label, label) == 0)
			return &r->lr.summary.rates[i];
	return NULL;
}

/* Append s to buf padded with spaces to width characters (counting
 * UTF-8 characters, not bytes). */
static void pad(char *buf, size_t size, const char *s, int width)
{
	size_t used = strlen(buf);
	snprintf(buf + used, size - used, "%s", s);
	/* at least one space after, even when s is wider than the column */
	int w0 = (int)screen_width(s);
	if (w0 >= width)
		width = w0 + 1;
	for (int w = w0; w < width; w++) {
		used = strlen(buf);
		if (used + 1 < size) {
			buf[used] = ' ';
			buf[used + 1] = '\0';
		}
	}
}

/* One run's aggregate, compact for 80 columns: "0.174 [0.12,0.22]",
 * then "?" when it is not established (noise could explain it).  The
 * value is the interval's (groups of at least min_group_size rows);
 * without one (fewer than two such groups) the value over every group
 * with "[n/a]?". */
static const char *fmt_ci(char *buf, size_t size, const struct aggregate_ci *c,
			  double every_group)
{
	char v[16];
	if (c == NULL || !rate_defined(c->value)) {
		if (rate_defined(every_group))
			snprintf(buf, size, "%s [n/a]?",
				 fmt_rate(v, sizeof v, every_group));
		else
			snprintf(buf, size, "n/a");
		return buf;
	}
	if (rate_defined(c->ci.high))
		snprintf(buf, size, "%.3f [%.2f,%.2f]%s", c->value, c->ci.low,
			 c->ci.high, c->established ? "" : "?");
	else
		snprintf(buf, size, "%.3f [%.2f,inf]%s", c->value, c->ci.low,
			 c->established ? "" : "?");
	return buf;
}

/* One aggregate line: baseline -> candidate, the change, and whether
 * the candidate is over the policy: established (the gate fails on it,
 * on its widest pair or on another established one) or not. */
static void aggregate_line(struct page *p, const char *label,
			   const struct aggregate_ci *b, double b_all,
			   const struct aggregate_ci *c, double c_all,
			   const struct established_pair *pair, double max)
{
	char x[48], y[48], d[32];
	double vb = b && rate_defined(b->value) ? b->value : b_all;
	double vc = c && rate_defined(c->value) ? c->value : c_all;
	int over = rate_defined(vc) && vc > max;
	int sure = over && ((c && c->established) ||
			    (pair && pair->has && pair->value > max));
	fmt_delta(d, sizeof d, vb, vc);
	page_line(p, sure ? PAGE_BAD : over ? PAGE_WARN : PAGE_PLAIN,
		  "%s  %s -> %s  %s%s", label, fmt_ci(x, sizeof x, b, b_all),
	     fmt_ci(y, sizeof y, c, c_all), d,
	     sure ? "  over the policy" : over ? "  over, not est." : "");
}

/* The feature's aggregates with their intervals in run rd, or NULL. */
static const struct feature_disparity *ci_of(const struct run_disparity *rd,
					     const struct judged_run *r,
					     const struct summary_feature *sf)
{
	return sf ? rundisparity_of(rd, &r->lr.summary, sf) : NULL;
}

static void build(const struct app *a, struct page *p)
{
	const struct snap_compare *c = &a->cmp;
	const struct judgement *j = &c->j;
	page_heading(p, PAGE_PLAIN, "PERFORMANCE            %-10s %-10s "
		     "CHANGE", "BASELINE", "CANDIDATE");
	for (size_t i = 0; i < j->nperf; i++) {
		const struct perf_change *pc = &j->perf[i];
		char change[32];
		if (pc->change == pc->change)
			snprintf(change, sizeof change, "%+.1f %s", pc->change,
				 pc->in_points ? "pts" : "%");
		else
			snprintf(change, sizeof change, "n/a");
		char b[32], c2[32];
		if (pc->in_points) {
			fmt_rate(b, sizeof b, pc->baseline);
			fmt_rate(c2, sizeof c2, pc->candidate);
		} else {
			snprintf(b, sizeof b, "%.6g", pc->baseline);
			snprintf(c2, sizeof c2, "%.6g", pc->candidate);
		}
		page_line(p, PAGE_PLAIN, "%-20s %-10s %-10s %s", pc->name, b,
			  c2, change);
	}
	page_line(p, PAGE_DIM, "(shown next to fairness, never weighed by "
			       "the gate)");
	const struct run_summary *cs = &c->cand.lr.summary;
	for (size_t k = 0; k < cs->nfeatures; k++) {
		const struct summary_feature *sf = &cs->features[k];
		if (sf->kind != SUMMARY_FEATURE)
			continue;
		const struct summary_feature *bf = feature_of(&c->base, sf->name);
		const struct feature_disparity *bd =
			ci_of(&c->base_ci, &c->base, bf);
		const struct feature_disparity *cd =
			ci_of(&c->cand_ci, &c->cand, sf);
		const struct feature_pairs *cp =
			rundisparity_pairs(&c->cand_ci, cs, sf);
		page_line(p, PAGE_PLAIN, "%s", "");
		/* the legend on the title: a line of its own would push
		 * the group table down at 80x24 */
		page_heading(p, PAGE_PLAIN, "FAIRNESS: %s  [%g%% intervals; ? "
			     "not established]", sf->name,
			     100 * c->cand_ci.confidence);
		aggregate_line(p, "DP diff", bd ? &bd->dp_difference : NULL,
			       bf ? bf->fair.dp_difference : RATE_UNDEFINED,
			       cd ? &cd->dp_difference : NULL,
			       sf->fair.dp_difference,
			       cp ? &cp->dp_difference : NULL,
			       policy_get(&a->policy,
					  POLICY_MAX_DP_DIFFERENCE));
		aggregate_line(p, "EO diff", bd ? &bd->eo_difference : NULL,
			       bf ? bf->fair.eo_difference : RATE_UNDEFINED,
			       cd ? &cd->eo_difference : NULL,
			       sf->fair.eo_difference,
			       cp ? &cp->eo_difference : NULL,
			       policy_get(&a->policy,
					  POLICY_MAX_EO_DIFFERENCE));
		page_line(p, PAGE_TITLE, "%-10s %-15s %-15s %-15s %-15s",
			  "GROUP", "SELECTION", "TPR", "FPR", "PRECISION");
		for (size_t i = 0; i < sf->count; i++) {
			const struct summary_input *g =
				&c->cand.lr.input[sf->first + i];
			const struct rates *rc = &cs->rates[sf->first + i];
			const struct rates *rb =
				group_rates(&c->base, sf->name, g->label);
			double v[4] = {rc->selection_rate, rc->tpr, rc->fpr,
				       rc->precision};
			double w[4] = {rb ? rb->selection_rate : RATE_UNDEFINED,
				       rb ? rb->tpr : RATE_UNDEFINED,
				       rb ? rb->fpr : RATE_UNDEFINED,
				       rb ? rb->precision : RATE_UNDEFINED};
			char row[512] = "";
			pad(row, sizeof row, g->label, 11);
			for (int m = 0; m < 4; m++) {
				char val[16], dl[24], cellv[48];
				fmt_rate(val, sizeof val, v[m]);
				fmt_delta(dl, sizeof dl, w[m], v[m]);
				snprintf(cellv, sizeof cellv, "%s %s", val, dl);
				pad(row, sizeof row, cellv, 16);
			}
			double drop = w[1] - v[1];
			int bad = drop == drop &&
				  drop > policy_get(&a->policy,
						    POLICY_MAX_RATE_DROP);
			page_line(p, bad ? PAGE_BAD : PAGE_PLAIN, "%s", row);
		}
		/* groups of the baseline the candidate lacks */
		for (size_t i = 0; bf && i < bf->count; i++) {
			const struct summary_input *g =
				&c->base.lr.input[bf->first + i];
			if (group_rates(&c->cand, sf->name, g->label) == NULL)
				page_line(p, PAGE_BAD, "%-10s ABSENT from the "
					  "candidate's evaluation", g->label);
		}
	}
	page_line(p, PAGE_PLAIN, "%s", "");
	/* each finding whole: wrapped at any width (tui/pageview.h) */
	page_heading(p, PAGE_PLAIN, "FINDINGS");
	if (j->nfindings == 0)
		page_line(p, PAGE_GOOD, "none");
	for (int sev = FINDING_FAIL; sev <= FINDING_INFO; sev++)
		for (size_t i = 0; i < j->nfindings; i++) {
			const struct finding *f = &j->finding[i];
			if ((int)f->severity != sev)
				continue;
			page_line(p, sev == FINDING_FAIL   ? PAGE_BAD
				     : sev == FINDING_WARN ? PAGE_WARN
							   : PAGE_DIM,
				  "%s  %s", finding_severity_name(f->severity),
				  f->message);
		}
}

void view_compare_draw(struct app *a, int top, int height)
{
	char text[2048];
	if (!a->cmp.loaded) {
		screen_put(top + 1, 2, COLS - 4,
			   a->snap.nruns < 2
				   ? "Compare needs two runs: ingest more"
				   : "press b and c to pick the baseline and "
				     "the candidate",
			   ROLE_DIM);
		return;
	}
	const struct snap_compare *c = &a->cmp;
	snprintf(text, sizeof text, "baseline %s (%s)%s  ->  candidate %s "
		 "(%s)", c->base.run.key,
		 c->base.run.version ? c->base.run.version : "-",
		 strcmp(c->base.run.key, a->snap.deployed) == 0 ? ", deployed"
								 : "",
		 c->cand.run.key,
		 c->cand.run.version ? c->cand.run.version : "-");
	screen_put(top, 0, COLS, text, ROLE_TITLE);
	/* the banner: the verdict in plain words */
	const struct finding *h = headline(&c->j);
	char perf[1024], why[1024];
	snprintf(perf, sizeof perf, "%s", c->j.performance_note);
	char *cut = strstr(perf, ": not considered");
	if (cut)
		*cut = '\0';
	if (h != NULL)
		snprintf(text, sizeof text, " FAILS: %s%s%s not considered ",
			 banner_words(h, why, sizeof why), perf[0] ? " -- " : "",
			 perf);
	else
		snprintf(text, sizeof text, " PASSES the fairness gate%s%s%s ",
			 perf[0] ? " -- " : "", perf,
			 perf[0] ? " (not weighed)" : "");
	if (screen_unicode()) {
		/* " -- " becomes " — " */
		char *dash = strstr(text, " -- ");
		if (dash) {
			char rest[2048];
			snprintf(rest, sizeof rest, "%s", dash + 4);
			snprintf(dash, sizeof text - (size_t)(dash - text),
				 " \xe2\x80\x94 %s", rest);
		}
	}
	/* up to three lines when one is too narrow: the verdict is the
	 * point */
	int banner = screen_put_wrapped(top + 1, 0, COLS, 3, text,
					h ? ROLE_LOUD : ROLE_GOOD);
	int body = top + 2 + banner; /* after the scroll mark's line */

	struct page p = PAGE_INIT;
	build(a, &p);
	if (p.failed) {
		screen_put(body, 2, COLS - 4, "out of memory", ROLE_BAD);
		page_release(&p);
		return;
	}
	int rows = height - 2 - banner;
	size_t n = pageview_rows(&p, COLS);
	pageview_clamp(&a->cmp_scroll, n, rows);
	pageview_draw(&p, body, rows, a->cmp_scroll, COLS);
	if (n > (size_t)rows) {
		snprintf(text, sizeof text, "[%zu-%zu of %zu, j/k scroll]",
			 a->cmp_scroll + 1, a->cmp_scroll + (size_t)rows, n);
		screen_put_right(body - 1, 0, COLS, text, ROLE_DIM);
	}
	page_release(&p);
}

int view_compare_key(struct app *a, int key)
{
	switch (key) {
	case KEY_DOWN:
	case 'j':
		a->cmp_scroll++;
		return ACT_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->cmp_scroll > 0)
			a->cmp_scroll--;
		return ACT_REDRAW;
	case KEY_NPAGE:
		a->cmp_scroll += 10;
		return ACT_REDRAW;
	case KEY_PPAGE:
		a->cmp_scroll = a->cmp_scroll > 10 ? a->cmp_scroll - 10 : 0;
		return ACT_REDRAW;
	case 'g':
	case KEY_HOME:
		a->cmp_scroll = 0;
		return ACT_REDRAW;
	case 'G':
	case KEY_END:
		a->cmp_scroll = (size_t)-1 / 2; /* clamped when drawn */
		return ACT_REDRAW;
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
