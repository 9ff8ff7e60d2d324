/*
 * cmd_compare.c — `fairtop compare BASELINE CANDIDATE`
 *
 * Side by side: performance (accuracy, F-beta, every overall metric of
 * metrics.csv, with relative changes) next to fairness (per feature and
 * intersection: the aggregates of both runs both ways, the gate's with
 * their intervals and whether they are established beside those over
 * every group, service/rundisparity.h; per group, low-n ones marked:
 * selection rate, TPR, FPR and precision of both runs with their
 * changes, the candidate's 95 % Wilson interval and its disparity
 * against the reference group), then the findings of the gate's rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disparity_out.h"
#include "cli/findings.h"
#include "service/judgeload.h"
#include "service/rundisparity.h"
#include "service/verdict.h"
#include "cli/output.h"
#include "core/interval.h"
#include "core/json.h"
#include "core/reference.h"

/* The metric of a group's rates compared here. */
struct metric {
	const char *name;
	enum group_rate which;
};

static const struct metric metrics[] = {
	{"selection", GROUP_RATE_SELECTION},
	{"TPR", GROUP_RATE_TPR},
	{"FPR", GROUP_RATE_FPR},
	{"precision", GROUP_RATE_PRECISION},
};
#define NMETRICS (sizeof metrics / sizeof *metrics)
/* in the order of core/interval.h's group rates, whose intervals the
 * tables print next to them */
_Static_assert(NMETRICS == GROUP_RATES, "metrics[] as enum group_rate");

static double metric_of(const struct rates *r, const struct metric *m)
{
	switch (m->which) {
	case GROUP_RATE_TPR:
		return r->tpr;
	case GROUP_RATE_FPR:
		return r->fpr;
	case GROUP_RATE_PRECISION:
		return r->precision;
	case GROUP_RATE_SELECTION:
	case GROUP_RATES:
		break;
	}
	return r->selection_rate;
}

static double delta(double before, double after)
{
	if (!rate_defined(before) || !rate_defined(after))
		return RATE_UNDEFINED;
	return after - before;
}

static const char *signed_rate(char *buf, size_t size, double v)
{
	if (!rate_defined(v))
		snprintf(buf, size, "n/a");
	else if (v > -0.0005 && v < 0.0005)
		snprintf(buf, size, "0.000"); /* never "-0.000" */
	else
		snprintf(buf, size, "%+.3f", v);
	return buf;
}

/* Index of the baseline's group with the candidate group's feature,
 * kind and label, or (size_t)-1. */
static size_t match(const struct judged_run *in, const struct summary_input *g)
{
	for (size_t i = 0; i < in->lr.ngroups; i++) {
		const struct summary_input *h = &in->lr.input[i];
		if (h->kind == g->kind && strcmp(h->feature, g->feature) == 0 &&
		    strcmp(h->label, g->label) == 0)
			return i;
	}
	return (size_t)-1;
}

/* The feature of `run` called name (kind k), or NULL. */
static const struct summary_feature *feature_of(const struct judged_run *run,
						const char *name,
						enum summary_kind k)
{
	const struct run_summary *s = &run->lr.summary;
	for (size_t i = 0; i < s->nfeatures; i++)
		if (s->features[i].kind == k &&
		    strcmp(s->features[i].name, name) == 0)
			return &s->features[i];
	return NULL;
}

/* Both runs' aggregates with their intervals, each under its own plan
 * (the same as its verdicts and `show`). */
struct both_ci {
	struct run_disparity base, cand;
};

/* The aggregates of feature sf of run both ways (rd made from it), or
 * NULL when the run has no such feature (sf NULL). */
static const struct feature_both *both_of(const struct run_disparity *rd,
					  const struct judged_run *run,
					  const struct summary_feature *sf)
{
	return sf ? rundisparity_both(rd, &run->lr.summary, sf) : NULL;
}

/* Aggregate k of b, the gate's or over every group; RATE_UNDEFINED
 * without b. */
static double gate_value(const struct feature_both *b, int k)
{
	return b ? b->a[k].gate : RATE_UNDEFINED;
}

static double all_value(const struct feature_both *b, int k)
{
	return b ? b->a[k].all_groups : RATE_UNDEFINED;
}

/* Aggregate k's interval in b, or NULL: no b, or none for k. */
static const struct aggregate_ci *ci_of(const struct feature_both *b, int k)
{
	return b ? b->a[k].ci : NULL;
}

/* The group name --reference gives for feature sf ("B" or "group=B"),
 * or NULL when it names none of sf's. */
static const char *reference_for(const struct summary_feature *sf,
				 const char *wanted)
{
	const char *eq = wanted ? strchr(wanted, '=') : NULL;
	if (eq == NULL)
		return wanted;
	size_t n = (size_t)(eq - wanted);
	return strlen(sf->name) == n && strncmp(sf->name, wanted, n) == 0
		       ? eq + 1
		       : NULL;
}

/* The reference group of a candidate feature: index into its groups. */
static size_t pick_reference(const struct judged_run *cand,
			     const struct summary_feature *sf,
			     const char *wanted)
{
	/* "group=B" names B of feature group; another feature's group does
	 * not apply here */
	wanted = reference_for(sf, wanted);
	const char *labels[4096] = {NULL};
	size_t n = sf->count < 4096 ? sf->count : 4096;
	for (size_t i = 0; i < n; i++)
		labels[i] = cand->lr.input[sf->first + i].label;
	size_t ref = reference_pick(cand->lr.summary.rates + sf->first, labels,
				    n, wanted);
	if (ref == (size_t)-1 && wanted != NULL)
		ref = reference_pick(cand->lr.summary.rates + sf->first,
				     labels, n, NULL);
	return ref;
}

/* --- text --------------------------------------------------------- */

static void text_performance(const struct judged_run *base,
			     const struct judged_run *cand,
			     const struct judgement *j)
{
	static const char *const header[] = {"PERFORMANCE", "BASELINE",
					     "CANDIDATE", "CHANGE"};
	static const int right[] = {0, 1, 1, 1};
	struct table *t = table_new(4, header, right);
	if (t == NULL)
		return;
	char b[64], c[64], d[64];
	long long rb = runload_rows(&base->lr), rc = runload_rows(&cand->lr);
	snprintf(b, sizeof b, rb >= 0 ? "%lld" : "n/a", rb);
	snprintf(c, sizeof c, rc >= 0 ? "%lld" : "n/a", rc);
	if (rb > 0 && rc >= 0)
		snprintf(d, sizeof d, "%+.1f %%", 100.0 * (double)(rc - rb) /
							 (double)rb);
	else
		snprintf(d, sizeof d, "n/a");
	const char *rows[] = {"rows evaluated", b, c, d};
	table_add(t, rows);
	for (size_t i = 0; i < j->nperf; i++) {
		const struct perf_change *p = &j->perf[i];
		if (p->in_points) {
			output_rate(b, sizeof b, p->baseline);
			output_rate(c, sizeof c, p->candidate);
		} else {
			snprintf(b, sizeof b, "%.6g", p->baseline);
			snprintf(c, sizeof c, "%.6g", p->candidate);
		}
		if (!rate_defined(p->change))
			snprintf(d, sizeof d, "n/a");
		else
			snprintf(d, sizeof d, "%+.1f %s", p->change,
				 p->in_points ? "pts" : "%");
		const char *cells[] = {p->name, b, c, d};
		table_add(t, cells);
	}
	/* F-beta undefined on one side is not in j->perf: say why */
	const struct run_summary *bs = &base->lr.summary,
				 *cs = &cand->lr.summary;
	if (bs->has_overall && cs->has_overall &&
	    (!rate_defined(bs->overall.f_beta) ||
	     !rate_defined(cs->overall.f_beta))) {
		output_rate(b, sizeof b, bs->overall.f_beta);
		output_rate(c, sizeof c, cs->overall.f_beta);
		const char *cells[] = {"F-beta", b, c, "n/a (no beta_factor)"};
		table_add(t, cells);
	}
	table_print(t, stdout, 0);
	table_free(t);
}

/* The candidate's interval of an aggregate for the text table, and
 * whether it is established ("yes", "no"; "" without an interval). */
static void text_interval(const struct aggregate_ci *a, char *ci,
			  size_t ci_size, char *est, size_t est_size)
{
	ci[0] = est[0] = '\0';
	if (a == NULL)
		return;
	if (!rate_defined(a->value)) {
		snprintf(ci, ci_size, "n/a");
		return;
	}
	disparity_format_interval(a->ci, ci, ci_size);
	/* equalized odds: which rate's spread it is */
	if (strcmp(a->metric, "selection rate") != 0)
		snprintf(est, est_size, "%s (%s)",
			 a->established ? "yes" : "no", a->metric);
	else
		snprintf(est, est_size, "%s", a->established ? "yes" : "no");
}

/* The aggregates of both runs, each both ways side by side: its name,
 * then the gate's values (groups of at least min_group_size rows) with
 * the candidate's interval, then the values over every group. */
static void text_aggregates(const struct feature_both *bb,
			    const struct feature_both *cb,
			    double min_group_size)
{
	static const char *const header[] = {
		"AGGREGATE", "BASELINE", "CANDIDATE", "CHANGE",
		"INTERVAL (CANDIDATE)", "ESTABLISHED"};
	static const int right[] = {0, 1, 1, 1, 0, 0};
	struct table *t = table_new(6, header, right);
	if (t == NULL)
		return;
	char gate[64], all[64];
	snprintf(all, sizeof all, "  %s", disparity_out_all_header(0));
	gate[0] = gate[1] = ' ';
	disparity_out_gate_header(gate + 2, sizeof gate - 2, min_group_size,
				  0);
	for (int k = 0; k < BOTH_AGGREGATES; k++) {
		const char *title[] = {cb->a[k].name, "", "", "", "", ""};
		table_add(t, title);
		for (int way = 0; way < 2; way++) {
			double vb = way ? all_value(bb, k) : gate_value(bb, k);
			double vc = way ? all_value(cb, k) : gate_value(cb, k);
			char b[32], c[32], d[32], range[96], est[32];
			text_interval(way ? NULL : ci_of(cb, k), range,
				      sizeof range, est, sizeof est);
			const char *cells[] = {
				way ? all : gate,
				output_rate(b, sizeof b, vb),
				output_rate(c, sizeof c, vc),
				signed_rate(d, sizeof d, delta(vb, vc)),
				range,
				est};
			table_add(t, cells);
		}
	}
	table_print(t, stdout, 2);
	table_free(t);
}

/* The low-n cells of an intersection (its per-group table is not
 * printed here), at most a line's worth. */
static void text_low_n_cells(const struct judged_run *cand,
			     const struct run_disparity *rd,
			     const struct summary_feature *sf,
			     const struct feature_both *cb)
{
	char line[400], label[256];
	size_t used = 0, shown = 0;
	if (cb->low_n == 0)
		return;
	line[0] = '\0';
	for (size_t i = sf->first; i < sf->first + sf->count; i++) {
		const struct summary_input *g = &cand->lr.input[i];
		if (!rundisparity_low_n(rd, g))
			continue;
		int w = snprintf(line + used, sizeof line - used, "%s%s (%.0f)",
				 shown ? ", " : "",
				 output_safe(label, sizeof label, g->label),
				 disparity_group_rows(g));
		if (w < 0 || (size_t)w >= sizeof line - used || shown == 6) {
			line[used] = '\0';
			break;
		}
		used += (size_t)w;
		shown++;
	}
	printf("  * %zu cell%s under %g rows, left out of the gate's "
	       "aggregates: %s%s\n", cb->low_n, cb->low_n == 1 ? "" : "s",
	       rd->min_group_size, line, shown < cb->low_n ? ", ..." : "");
}

static void text_feature(const struct judged_run *base,
			 const struct judged_run *cand,
			 const struct both_ci *both,
			 const struct summary_feature *sf, const char *reference)
{
	char name[512], b[32], c[32], d[32];
	const struct summary_feature *bf = feature_of(base, sf->name, sf->kind);
	const struct feature_both *bb = both_of(&both->base, base, bf);
	const struct feature_both *cb = both_of(&both->cand, cand, sf);
	printf("\n%s %s\n",
	       sf->kind == SUMMARY_INTERSECTION ? "intersection" : "feature",
	       output_safe(name, sizeof name, sf->name));
	text_aggregates(bb, cb, both->cand.min_group_size);
	/* the baseline's intervals, in the words of show, when it has the
	 * feature */
	static const char *const short_name[] = {"DP difference", "DP ratio",
						 "EO difference"};
	for (int k = 0; bb != NULL && k < 3; k++) {
		char v[256], key[256];
		snprintf(key, sizeof key, "baseline %s", base->run.key);
		printf("  %-14s %-13s %s\n",
		       k == 0 ? output_safe(name, sizeof name, key) : "",
		       short_name[k],
		       disparity_out_text_metric(v, sizeof v, ci_of(bb, k)));
	}
	if (sf->kind == SUMMARY_INTERSECTION) {
		text_low_n_cells(cand, &both->cand, sf, cb);
		printf("  (per-group numbers of intersections: --format json "
		       "or fairtop show)\n");
		return;
	}

	size_t ref = pick_reference(cand, sf, reference);
	struct disparity *disp = calloc(sf->count ? sf->count : 1,
					sizeof *disp);
	if (disp == NULL)
		return;
	if (ref != (size_t)-1)
		reference_disparities(cand->lr.summary.rates + sf->first,
				      sf->count, ref, disp);
	static const char *const header[] = {
		"GROUP", "METRIC", "BASELINE", "CANDIDATE", "CHANGE",
		"95% CI (CANDIDATE)", "VS REF"};
	static const int right[] = {0, 0, 1, 1, 1, 0, 1};
	struct table *t = table_new(7, header, right);
	if (t == NULL) {
		free(disp);
		return;
	}
	for (size_t i = 0; i < sf->count; i++) {
		const struct summary_input *g = &cand->lr.input[sf->first + i];
		const struct rates *rc = &cand->lr.summary.rates[sf->first + i];
		size_t bi = match(base, g);
		const struct rates *rb =
			bi == (size_t)-1 ? NULL : &base->lr.summary.rates[bi];
		const struct confusion *cc = &g->counts;
		for (size_t m = 0; m < NMETRICS; m++) {
			double vc = metric_of(rc, &metrics[m]);
			double vb = rb ? metric_of(rb, &metrics[m])
				       : RATE_UNDEFINED;
			struct interval cis[GROUP_RATES];
			interval_group_rates(cc, rc, WILSON_Z95, cis);
			struct interval ci = cis[m];
			char ci_text[64], ref_text[32], label[300];
			if (rate_defined(ci.low))
				snprintf(ci_text, sizeof ci_text,
					 "[%.3f, %.3f]", ci.low, ci.high);
			else
				snprintf(ci_text, sizeof ci_text, "n/a");
			double vs = m == 0 ? disp[i].selection_difference
				  : m == 1 ? disp[i].tpr_difference
				  : m == 2 ? disp[i].fpr_difference
					   : RATE_UNDEFINED;
			if (ref == i)
				snprintf(ref_text, sizeof ref_text,
					 m == 0 ? "(ref)" : "");
			else if (m < 3)
				signed_rate(ref_text, sizeof ref_text, vs);
			else
				ref_text[0] = '\0';
			disparity_out_group_label(
				label, sizeof label, m == 0 ? g->label : "",
				m == 0 && rundisparity_low_n(&both->cand, g));
			const char *cells[] = {
				label,
				metrics[m].name,
				output_rate(b, sizeof b, vb),
				output_rate(c, sizeof c, vc),
				signed_rate(d, sizeof d, delta(vb, vc)),
				ci_text,
				ref_text,
			};
			table_add(t, cells);
		}
	}
	/* groups of the baseline that the candidate lacks */
	if (bf != NULL)
		for (size_t i = 0; i < bf->count; i++) {
			const struct summary_input *g =
				&base->lr.input[bf->first + i];
			if (match(cand, g) != (size_t)-1)
				continue;
			char label[300];
			snprintf(label, sizeof label, "%s", g->label);
			const char *cells[] = {
				label, "selection",
				output_rate(b, sizeof b,
					    base->lr.summary
						    .rates[bf->first + i]
						    .selection_rate),
				"absent", "n/a", "n/a", ""};
			table_add(t, cells);
		}
	table_print(t, stdout, 2);
	table_free(t);
	if (cb->low_n > 0)
		disparity_out_low_n_legend(stdout, 2, both->cand.min_group_size);
	if (ref != (size_t)-1)
		printf("  reference group: %s (%s)\n",
		       output_safe(name, sizeof name,
				   cand->lr.input[sf->first + ref].label),
		       reference_for(sf, reference) &&
				       strcmp(reference_for(sf, reference),
					      cand->lr.input[sf->first + ref]
						      .label) == 0
			       ? "--reference"
			       : "the largest");
	free(disp);
}

static void print_text(const struct judged_run *base,
		       const struct judged_run *cand, const struct both_ci *ci,
		       const struct judgement *j, const char *reference)
{
	char b[256], c[256], bv[128], cv[128];
	printf("compare: baseline %s (%s) and candidate %s (%s)\n\n",
	       output_safe(b, sizeof b, base->run.key),
	       output_safe(bv, sizeof bv, base->run.version
						  ? base->run.version : "-"),
	       output_safe(c, sizeof c, cand->run.key),
	       output_safe(cv, sizeof cv, cand->run.version
						  ? cand->run.version : "-"));
	text_performance(base, cand, j);
	printf("\n");
	disparity_out_legend(stdout, 0, ci->cand.confidence,
			     ci->cand.min_group_size);
	const struct run_summary *cs = &cand->lr.summary;
	for (size_t k = 0; k < cs->nfeatures; k++)
		if (cs->features[k].kind != SUMMARY_OVERALL)
			text_feature(base, cand, ci, &cs->features[k],
				     reference);
	printf("\nfindings (%s)\n", j->passed ? "the fairness gate passes"
					       : "the fairness gate FAILS");
	if (j->nfindings == 0)
		printf("  none\n");
	findings_print_text(stdout, j, 2, FINDING_INFO);
	if (j->performance_note[0]) {
		char note[2048];
		printf("\nperformance: %s\n",
		       output_safe(note, sizeof note, j->performance_note));
	}
}

/* --- CSV ---------------------------------------------------------- */

/* One row; bci and cci (NULL but for the aggregates with an interval)
 * fill the interval columns of the baseline and the candidate. */
static void csv_row(const char *section, const char *feature,
		    const char *group, const char *metric, double b, double c,
		    double change, const struct aggregate_ci *bci,
		    const struct aggregate_ci *cci)
{
	csv_field(stdout, section, 1);
	csv_field(stdout, feature, 0);
	csv_field(stdout, group, 0);
	csv_field(stdout, metric, 0);
	csv_number(stdout, b, 0);
	csv_number(stdout, c, 0);
	csv_number(stdout, change, 0);
	disparity_out_csv(stdout, bci);
	disparity_out_csv(stdout, cci);
	csv_end(stdout);
}

static void print_csv(const struct judged_run *base,
		      const struct judged_run *cand, const struct both_ci *ci,
		      const struct judgement *j)
{
	/* the first seven as before; then each run's interval, of the
	 * value over the groups of at least min_group_size rows */
	static const char *const header[] = {
		"section", "feature", "group", "metric", "baseline",
		"candidate", "change",
		"baseline_interval_value", "baseline_low", "baseline_high",
		"baseline_established",
		"candidate_interval_value", "candidate_low", "candidate_high",
		"candidate_established"};
	for (size_t k = 0; k < sizeof header / sizeof *header; k++)
		csv_field(stdout, header[k], k == 0);
	csv_end(stdout);
	for (size_t i = 0; i < j->nperf; i++)
		csv_row("performance", "", "", j->perf[i].name,
			j->perf[i].baseline, j->perf[i].candidate,
			j->perf[i].change, NULL, NULL);
	const struct run_summary *cs = &cand->lr.summary;
	for (size_t k = 0; k < cs->nfeatures; k++) {
		const struct summary_feature *sf = &cs->features[k];
		if (sf->kind == SUMMARY_OVERALL)
			continue;
		const struct summary_feature *bf =
			feature_of(base, sf->name, sf->kind);
		const struct feature_both *bb = both_of(&ci->base, base, bf);
		const struct feature_both *cb = both_of(&ci->cand, cand, sf);
		for (int a = 0; a < BOTH_AGGREGATES; a++) {
			double vb = all_value(bb, a), vc = all_value(cb, a);
			csv_row("fairness", sf->name, "", cb->a[a].name, vb, vc,
				delta(vb, vc), ci_of(bb, a), ci_of(cb, a));
		}
		for (size_t i = 0; i < sf->count; i++) {
			const struct summary_input *g =
				&cand->lr.input[sf->first + i];
			size_t bi = match(base, g);
			for (size_t m = 0; m < NMETRICS; m++) {
				double vc = metric_of(
					&cand->lr.summary.rates[sf->first + i],
					&metrics[m]);
				double vb = bi == (size_t)-1
					? RATE_UNDEFINED
					: metric_of(&base->lr.summary.rates[bi],
						    &metrics[m]);
				csv_row("group", sf->name, g->label,
					metrics[m].name, vb, vc, delta(vb, vc),
					NULL, NULL);
			}
		}
		/* the baseline's groups the candidate lacks: no candidate
		 * value, so an empty field */
		for (size_t i = 0; bf && i < bf->count; i++) {
			const struct summary_input *g =
				&base->lr.input[bf->first + i];
			if (match(cand, g) != (size_t)-1)
				continue;
			for (size_t m = 0; m < NMETRICS; m++)
				csv_row("group", sf->name, g->label,
					metrics[m].name,
					metric_of(&base->lr.summary
							   .rates[bf->first + i],
						  &metrics[m]),
					RATE_UNDEFINED, RATE_UNDEFINED, NULL,
					NULL);
		}
	}
}

/* --- JSON --------------------------------------------------------- */

/* A group's rates in one run (NULL: the run lacks it: null), with the
 * 95 % Wilson intervals when c is given, and whether the group is low-n
 * in that run (under min_group_size rows: left out of the gate's
 * aggregates). */
static void write_group_rates(struct json_writer *w, const struct rates *r,
			      const struct confusion *c, int low_n)
{
	if (r == NULL) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	for (size_t m = 0; m < NMETRICS; m++) {
		json_key(w, metrics[m].name);
		json_num(w, metric_of(r, &metrics[m]));
	}
	json_key(w, "n");
	json_num(w, r->n);
	json_key(w, "low_n");
	json_bool(w, low_n);
	if (c != NULL) {
		struct interval ci[GROUP_RATES];
		interval_group_rates(c, r, WILSON_Z95, ci);
		json_key(w, "wilson95");
		json_object_begin(w);
		for (size_t m = 0; m < NMETRICS; m++) {
			json_key(w, metrics[m].name);
			json_array_begin(w);
			json_num(w, ci[m].low);
			json_num(w, ci[m].high);
			json_array_end(w);
		}
		json_object_end(w);
	}
	json_object_end(w);
}

/* The aggregates of sf over every group (its keys, as Fairlearn's),
 * then both ways (disparity_out_write_both_json): the gate's in
 * "gate_values", the intervals with both values. */
static void write_aggregates(struct json_writer *w,
			     const struct feature_both *b,
			     const struct summary_feature *sf)
{
	if (sf == NULL || b == NULL) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	for (int a = 0; a < BOTH_AGGREGATES; a++) {
		json_key(w, b->a[a].key);
		json_num(w, b->a[a].all_groups);
	}
	json_key(w, "groups_left_out");
	json_object_begin(w);
	json_key(w, "selection");
	json_integer(w, (long long)sf->fair.selection.left_out);
	json_key(w, "tpr");
	json_integer(w, (long long)sf->fair.tpr.left_out);
	json_key(w, "fpr");
	json_integer(w, (long long)sf->fair.fpr.left_out);
	json_object_end(w);
	disparity_out_write_both_json(w, b);
	json_object_end(w);
}

/* The candidate's group g against the baseline's (bi, -1 when the
 * baseline lacks it) and against the reference (d). */
static void write_group(struct json_writer *w, const struct judged_run *base,
			const struct both_ci *ci,
			const struct summary_input *g, const struct rates *rc,
			const struct disparity *d)
{
	size_t bi = match(base, g);
	int low_n = rundisparity_low_n(&ci->cand, g);
	json_space(w, "\n    ");
	json_object_begin(w);
	json_key(w, "group");
	json_str(w, g->label);
	/* the candidate's, as the table marks it */
	json_key(w, "low_n");
	json_bool(w, low_n);
	json_key(w, "baseline");
	write_group_rates(w, bi == (size_t)-1 ? NULL
					      : &base->lr.summary.rates[bi],
			  NULL,
			  bi != (size_t)-1 &&
				  rundisparity_low_n(&ci->base,
						     &base->lr.input[bi]));
	json_key(w, "candidate");
	write_group_rates(w, rc, &g->counts, low_n);
	json_key(w, "change");
	json_object_begin(w);
	for (size_t m = 0; m < NMETRICS; m++) {
		double vc = metric_of(rc, &metrics[m]);
		double vb = bi == (size_t)-1
			? RATE_UNDEFINED
			: metric_of(&base->lr.summary.rates[bi], &metrics[m]);
		json_key(w, metrics[m].name);
		json_num(w, delta(vb, vc));
	}
	json_object_end(w);
	json_key(w, "vs_reference");
	json_object_begin(w);
	json_key(w, "selection_difference");
	json_num(w, d->selection_difference);
	json_key(w, "selection_ratio");
	json_num(w, d->selection_ratio);
	json_key(w, "tpr_difference");
	json_num(w, d->tpr_difference);
	json_key(w, "tpr_ratio");
	json_num(w, d->tpr_ratio);
	json_key(w, "fpr_difference");
	json_num(w, d->fpr_difference);
	json_key(w, "fpr_ratio");
	json_num(w, d->fpr_ratio);
	json_object_end(w);
	json_object_end(w);
}

static void print_json(const struct judged_run *base,
		       const struct judged_run *cand, const struct both_ci *ci,
		       const struct judgement *j, const char *reference)
{
	struct json_writer jw, *w = &jw;
	json_writer_init(w, stdout);
	json_object_begin(w);
	json_key(w, "baseline");
	json_str(w, base->run.key);
	json_key(w, "candidate");
	json_str(w, cand->run.key);
	json_key(w, "passed");
	json_bool(w, j->passed);
	json_key(w, "intervals");
	json_object_begin(w);
	json_key(w, "confidence");
	json_num(w, ci->cand.confidence);
	json_key(w, "min_group_size");
	json_num(w, ci->cand.min_group_size);
	json_object_end(w);
	json_space(w, "\n ");
	json_key(w, "performance");
	findings_perf_json(w, j);
	json_space(w, "\n ");
	json_key(w, "performance_note");
	json_str(w, j->performance_note);
	json_space(w, "\n ");
	json_key(w, "features");
	json_array_begin(w);
	const struct run_summary *cs = &cand->lr.summary;
	for (size_t k = 0; k < cs->nfeatures; k++) {
		const struct summary_feature *sf = &cs->features[k];
		if (sf->kind == SUMMARY_OVERALL)
			continue;
		const struct summary_feature *bf =
			feature_of(base, sf->name, sf->kind);
		size_t ref = pick_reference(cand, sf, reference);
		struct disparity *disp = calloc(sf->count ? sf->count : 1,
						sizeof *disp);
		if (disp == NULL)
			continue;
		if (ref != (size_t)-1)
			reference_disparities(cand->lr.summary.rates + sf->first,
					      sf->count, ref, disp);
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "name");
		json_str(w, sf->name);
		json_key(w, "kind");
		json_str(w, sf->kind == SUMMARY_INTERSECTION ? "intersection"
							     : "feature");
		json_key(w, "baseline");
		write_aggregates(w, both_of(&ci->base, base, bf), bf);
		json_key(w, "candidate");
		write_aggregates(w, both_of(&ci->cand, cand, sf), sf);
		json_key(w, "reference");
		json_str(w, ref == (size_t)-1
				    ? NULL
				    : cand->lr.input[sf->first + ref].label);
		json_space(w, "\n   ");
		json_key(w, "groups");
		json_array_begin(w);
		for (size_t i = 0; i < sf->count; i++)
			write_group(w, base, ci,
				    &cand->lr.input[sf->first + i],
				    &cand->lr.summary.rates[sf->first + i],
				    &disp[i]);
		json_array_end(w);
		json_space(w, "\n   ");
		json_key(w, "absent_from_candidate");
		json_array_begin(w);
		for (size_t i = 0; bf && i < bf->count; i++) {
			const struct summary_input *g =
				&base->lr.input[bf->first + i];
			if (match(cand, g) == (size_t)-1)
				json_str(w, g->label);
		}
		json_array_end(w);
		json_object_end(w);
		free(disp);
	}
	json_array_end(w);
	json_space(w, "\n ");
	json_key(w, "findings");
	findings_json(w, j);
	json_object_end(w);
	putchar('\n');
}

enum { OPT_REFERENCE };

static int check(struct cmd_args *a)
{
	if (a->argc != 2)
		return cli_usage_error("compare", "expected BASELINE and "
				       "CANDIDATE run ids, found %d arguments",
				       a->argc);
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	const char *reference = a->value[OPT_REFERENCE];
	enum output_format format = output_format_of(a->format);
	const struct policy *policy = a->policy;
	struct store *s = a->store;
	struct judged_run base, cand;
	struct judgement j;
	struct both_ci ci;
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	memset(&base, 0, sizeof base);
	memset(&cand, 0, sizeof cand);
	memset(&j, 0, sizeof j);
	memset(&ci, 0, sizeof ci);
	if (verdict_pair(s, policy, a->argv[0], a->argv[1], &base, &cand,
			 &j, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	if (rundisparity_init(&ci.base, &base.lr, policy) != 0 ||
	    rundisparity_init(&ci.cand, &cand.lr, policy) != 0) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		rc = cli_report(&f);
		goto out;
	}
	if (format == FORMAT_TEXT)
		print_text(&base, &cand, &ci, &j, reference);
	else if (format == FORMAT_CSV)
		print_csv(&base, &cand, &ci, &j);
	else
		print_json(&base, &cand, &ci, &j, reference);
out:
	rundisparity_release(&ci.base);
	rundisparity_release(&ci.cand);
	judgement_release(&j);
	judgeload_release(&base);
	judgeload_release(&cand);
	return rc;
}

static const struct option_spec options[] = {
	[OPT_REFERENCE] = {"reference", 0, "GROUP",
			   "the reference group (default: the largest of each "
			   "feature)", OPTION_STRING, NULL, NULL, 0},
};

static const char *const formats[] = {"text", "csv", "json", NULL};

const struct command_spec cmd_compare_spec = {
	.name = "compare",
	.summary = "two runs side by side: performance next to fairness",
	.args = "BASELINE CANDIDATE",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.store = COMMAND_STORE_READ,
	.policy = 1,
	.formats = formats,
	.help = "Compare two runs side by side: performance (accuracy, "
		"F-beta, throughput,\nlatency and every other overall metric "
		"of metrics.csv, with relative\nchanges) next to fairness "
		"(per feature and intersection: demographic\nparity and "
		"equalized odds both ways, over the groups of at least\n"
		"min_group_size rows with each run's simultaneous interval "
		"and whether it\nis established, and over every group; per "
		"group, low-n ones marked *:\nselection rate, TPR, FPR and "
		"precision of both runs with changes, the\ncandidate's 95 % "
		"Wilson interval, and disparity against a reference\n"
		"group), then the findings of the fairness gate's rules.",
	.check = check,
	.run = run,
};
