/*
 * judge.c — the gate's rules.  See judge.h.
 *
 * Comparisons against thresholds allow 1e-12 of slack, so that a value
 * that prints as the threshold (0.10 computed as 0.10000000000000003)
 * does not fail: the gate judges the numbers a person can see.
 */
#include "core/judge.h"
#include <assert.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/disparity.h"
#include "core/drift.h"
#include "core/groups.h"
#include "core/strbuf.h"

#define SLACK 1e-12

const char *finding_severity_name(enum finding_severity s)
{
	switch (s) {
	case FINDING_FAIL:
		return "FAIL";
	case FINDING_WARN:
		return "WARN";
	case FINDING_INFO:
		return "INFO";
	}
	return "?";
}

void judgement_release(struct judgement *j)
{
	for (size_t i = 0; i < j->nfindings; i++)
		free(j->finding[i].text);
	for (size_t i = 0; i < j->ndrift; i++)
		free(j->drift[i].text);
	free(j->finding);
	free(j->perf);
	free(j->drift);
	memset(j, 0, sizeof *j);
}

static int add(struct judgement *j, enum finding_severity sev,
	       const char *rule, const char *feature, const char *group,
	       double baseline, double candidate, double threshold,
	       const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* One allocation holding n strings one after the other (NUL-terminated):
 * its start, and each copy's address in out[]; NULL when out of
 * memory. */
static char *pack(const char *const *str, const char **out, size_t n)
{
	size_t size = 0;
	for (size_t i = 0; i < n; i++)
		size += strlen(str[i]) + 1;
	char *text = malloc(size);
	if (text == NULL)
		return NULL;
	char *p = text;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(str[i]) + 1;
		memcpy(p, str[i], len);
		out[i] = p;
		p += len;
	}
	return text;
}

static int add(struct judgement *j, enum finding_severity sev,
	       const char *rule, const char *feature, const char *group,
	       double baseline, double candidate, double threshold,
	       const char *fmt, ...)
{
	struct finding *f = realloc(j->finding,
				    (j->nfindings + 1) * sizeof *f);
	if (f == NULL)
		return -1;
	j->finding = f;
	struct strbuf msg = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	const char *str[3] = {feature ? feature : "", group ? group : "",
			      msg.buf};
	const char *copy[3];
	char *text = strbuf_failed(&msg) ? NULL : pack(str, copy, 3);
	strbuf_release(&msg);
	if (text == NULL)
		return -1;
	f = &j->finding[j->nfindings++];
	memset(f, 0, sizeof *f);
	f->severity = sev;
	snprintf(f->rule, sizeof f->rule, "%s", rule);
	f->text = text;
	f->feature = copy[0];
	f->group = copy[1];
	f->message = copy[2];
	f->baseline = baseline;
	f->candidate = candidate;
	f->threshold = threshold;
	f->low = f->high = RATE_UNDEFINED;
	f->established = -1;
	if (sev == FINDING_FAIL)
		j->passed = 0;
	return 0;
}

/* "group=B" for a feature's group, the label itself for intersections. */
static void group_name(const struct summary_input *g, char *buf, size_t size)
{
	if (g->kind == SUMMARY_FEATURE)
		snprintf(buf, size, "%s=%s", g->feature, g->label);
	else if (g->kind == SUMMARY_OVERALL)
		snprintf(buf, size, "(all)");
	else
		snprintf(buf, size, "%s", g->label);
}

static double group_size(const struct summary_input *g)
{
	if (g->counts.rows >= 0)
		return (double)g->counts.rows;
	return g->counts.tp + g->counts.fp + g->counts.tn + g->counts.fn;
}

/* A run's groups sorted by (kind, feature, label), so that finding the
 * other run's group of a name is a binary search, not a scan: a run may
 * have 100 000 groups. */
struct group_key {
	enum summary_kind kind;
	const char *feature, *label;
	size_t index;
};

struct group_index {
	struct group_key *key;
	size_t n;
};

static int key_cmp(const void *a, const void *b)
{
	const struct group_key *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int c = strcmp(x->feature, y->feature);
	return c != 0 ? c : strcmp(x->label, y->label);
}

static int group_index_build(struct group_index *gi, const struct judge_run *run)
{
	gi->n = run->summary->ngroups;
	gi->key = malloc((gi->n ? gi->n : 1) * sizeof *gi->key);
	if (gi->key == NULL)
		return -1;
	for (size_t i = 0; i < gi->n; i++) {
		gi->key[i].kind = run->groups[i].kind;
		gi->key[i].feature = run->groups[i].feature;
		gi->key[i].label = run->groups[i].label;
		gi->key[i].index = i;
	}
	qsort(gi->key, gi->n, sizeof *gi->key, key_cmp);
	return 0;
}

/* Index of the group with this feature, kind and label, or
 * (size_t)-1. */
static size_t find_group(const struct group_index *gi, const char *feature,
			 enum summary_kind kind, const char *label)
{
	struct group_key want = {kind, feature, label, 0};
	const struct group_key *k = bsearch(&want, gi->key, gi->n,
					    sizeof *gi->key, key_cmp);
	assert(k == NULL || k->index < gi->n);
	return k ? k->index : (size_t)-1;
}

static int add_drift(struct judgement *j, const char *what,
		     const char *feature, const char *group, double psi)
{
	if (!rate_defined(psi))
		return 0;
	struct drift_value *d = realloc(j->drift, (j->ndrift + 1) * sizeof *d);
	if (d == NULL)
		return -1;
	j->drift = d;
	const char *str[2] = {feature, group};
	const char *copy[2];
	char *text = pack(str, copy, 2);
	if (text == NULL)
		return -1;
	d = &j->drift[j->ndrift++];
	snprintf(d->what, sizeof d->what, "%s", what);
	d->text = text;
	d->feature = copy[0];
	d->group = copy[1];
	d->psi = psi;
	return 0;
}

/* --- disparities within the candidate ------------------------------ */

/* The last finding added: its interval and whether it is established. */
static void set_interval(struct judgement *j, struct interval ci,
			 int established)
{
	assert(j->nfindings > 0);
	struct finding *f = &j->finding[j->nfindings - 1];
	f->low = ci.low;
	f->high = ci.high;
	f->established = established;
}

static const char *rate_words(enum disparity_rate which)
{
	return which == DISPARITY_TPR ? "TPR"
	     : which == DISPARITY_FPR ? "FPR"
				      : "selection rate";
}

/* "cells of 48 and 53 rows", the rows behind each rate (positive rows
 * for a TPR, negative for an FPR), the driver's first (b's, else a's),
 * effective (Kish's) when weights make them fewer than the rows
 * counted. */
static void sizes_words(const struct judge_run *run,
			const struct comparison *c, enum disparity_rate which,
			int b_first, char *buf, size_t size)
{
	const char *kind = which == DISPARITY_TPR ? " positive"
			 : which == DISPARITY_FPR ? " negative"
						  : "";
	int effective = 0;
	const struct confusion *g[2] = {&run->groups[c->a].counts,
					&run->groups[c->b].counts};
	double n[2] = {c->n_a, c->n_b};
	for (int k = 0; k < 2; k++) {
		double rows = which == DISPARITY_TPR ? (double)g[k]->rows_positive
			    : which == DISPARITY_FPR
				    ? (double)(g[k]->rows - g[k]->rows_positive)
				    : (double)g[k]->rows;
		if (g[k]->rows >= 0 && fabs(n[k] - rows) > 1e-9 * rows)
			effective = 1;
	}
	snprintf(buf, size, "cells of %.0f and %.0f%s%s rows", n[b_first],
		 n[!b_first],
		 effective ? " effective" : "", kind);
}

struct spread_rule {
	const char *rule;   /* dp_difference, dp_ratio, eo_difference */
	const char *words;  /* "demographic parity difference" */
	double value;       /* over groups of at least min_group_size */
	double value_all;   /* over every group */
	double threshold;
	int is_minimum;     /* 1: a ratio, must be >= threshold */
	enum disparity_rate which;  /* the rate whose spread is judged */
	const struct spread_ci *ci; /* its intervals */
	double baseline;    /* the baseline's value, RATE_UNDEFINED if none */
	size_t left_small;  /* groups left out as smaller than min size */
};

static int breaches(double v, double threshold, int is_minimum)
{
	if (!rate_defined(v))
		return 0;
	return is_minimum ? v < threshold - SLACK : v > threshold + SLACK;
}

/* A threshold as the policy set it: `decimals` decimals, or as many
 * more (up to nine) as it takes to print it whole, so that 0.10 reads
 * "0.10", 0.125 "0.125" and 0.005 "0.005", never "0.01". */
static const char *shown_threshold(char *buf, size_t size, double t,
				   int decimals)
{
	for (int d = decimals; d <= 9; d++) {
		snprintf(buf, size, "%.*f", d, t);
		if (fabs(strtod(buf, NULL) - t) <= 1e-9 * fmax(1, fabs(t)))
			break;
	}
	return buf;
}

/* v as a person should read it next to the threshold it breaks:
 * `decimals` decimals, or as many more (up to nine) as it takes for its
 * size not to print as the threshold, so that 0.1005 against 0.10 reads
 * "0.1005 > 0.10", never "0.100 > 0.10", and a fall of 0.0504 against
 * 0.05 "-0.0504, more than 0.05".  The magnitude is compared, the sign
 * kept: with_plus prints "+" before a value that is not negative. */
static const char *shown_beyond_at(char *buf, size_t size, double v,
				   double threshold, int decimals,
				   int with_plus)
{
	char a[64], t[64];
	int d = decimals;
	for (; d < 9; d++) {
		snprintf(a, sizeof a, "%.*f", d, fabs(v));
		snprintf(t, sizeof t, "%.*f", d, fabs(threshold));
		if (strcmp(a, t) != 0)
			break;
	}
	snprintf(buf, size, with_plus ? "%+.*f" : "%.*f", d, v);
	return buf;
}

/* The usual case: three decimals, no sign unless negative. */
static const char *shown_beyond(char *buf, size_t size, double v,
				double threshold)
{
	return shown_beyond_at(buf, size, v, threshold, 3, 0);
}

/* The same for a value printed with %.2g against a threshold printed
 * with %g: as many significant digits as it takes (up to 17). */
static const char *shown_beyond_g(char *buf, size_t size, double v,
				  double threshold)
{
	char t[64];
	for (int p = 2; p <= 17; p++) {
		snprintf(buf, size, "%.*g", p, v);
		snprintf(t, sizeof t, "%.*g", p, threshold);
		if (strcmp(buf, t) != 0)
			break;
	}
	return buf;
}

/* The value a comparison gives the rule, its interval, and whether it is
 * established. */
static double rule_value(const struct spread_rule *r,
			 const struct comparison *c, struct interval *ci,
			 int *established)
{
	*ci = r->is_minimum ? c->ratio_ci : c->diff_ci;
	*established = r->is_minimum ? comparison_ratio_established(c)
				     : comparison_difference_established(c);
	return r->is_minimum ? c->ratio : c->difference;
}

static int judge_spread(struct judgement *j, const struct judge_run *cand,
			const struct summary_feature *sf,
			const struct spread_rule *r)
{
	const char *op = r->is_minimum ? "<" : ">";
	char small[96] = "";
	assert(!r->ci->defined ||
	       (r->ci->widest.a < cand->summary->ngroups &&
		r->ci->widest.b < cand->summary->ngroups));
	if (r->left_small > 0)
		snprintf(small, sizeof small, " (%zu group%s under "
			 "min_group_size left out)", r->left_small,
			 r->left_small == 1 ? "" : "s");
	int fpr = r->which == DISPARITY_FPR;
	char thr[32];
	shown_threshold(thr, sizeof thr, r->threshold, 2);
	struct interval ci;
	int est;
	char hi[INTERSECTION_NAME_MAX + 1], lo[INTERSECTION_NAME_MAX + 1];
	char sizes[96], range[64];
	if (r->ci->has_established) {
		const struct comparison *c = &r->ci->established;
		double v = rule_value(r, c, &ci, &est);
		if (breaches(v, r->threshold, r->is_minimum)) {
			group_name(&cand->groups[c->a], hi, sizeof hi);
			group_name(&cand->groups[c->b], lo, sizeof lo);
			sizes_words(cand, c, r->which, !fpr, sizes, sizeof sizes);
			disparity_format_interval(ci, range, sizeof range);
			/* the driver is the disadvantaged end: the lower
			 * selection rate or TPR, the higher FPR */
			const char *driver = fpr ? hi : lo;
			const char *other = fpr ? lo : hi;
			int widest = c->a == r->ci->widest.a &&
				     c->b == r->ci->widest.b;
			char note[160] = "";
			if (!widest)
				snprintf(note, sizeof note,
					 "; the widest pair (%.3f) is not "
					 "established", r->is_minimum
						 ? r->ci->widest.ratio
						 : r->ci->widest.difference);
			char shown[32];
			if (add(j, FINDING_FAIL, r->rule, sf->name, driver,
				r->baseline, v, r->threshold,
				"%s across %s %s %s %s %s, driven by %s: "
				"%s %.3f against %.3f (%s), %s%s%s",
				r->words, sf->name,
				shown_beyond(shown, sizeof shown, v,
					     r->threshold),
				range, op, thr, driver, rate_words(r->which),
				fpr ? c->rate_a : c->rate_b,
				fpr ? c->rate_b : c->rate_a, other, sizes,
				note, small) != 0)
				return -1;
			set_interval(j, ci, 1);
			return 0;
		}
	}
	if (breaches(r->value, r->threshold, r->is_minimum) &&
	    r->ci->defined) {
		const struct comparison *c = &r->ci->widest;
		double v = rule_value(r, c, &ci, &est);
		group_name(&cand->groups[c->a], hi, sizeof hi);
		group_name(&cand->groups[c->b], lo, sizeof lo);
		sizes_words(cand, c, r->which, !fpr, sizes, sizeof sizes);
		disparity_format_interval(ci, range, sizeof range);
		char shown[32];
		if (add(j, FINDING_WARN, r->rule, sf->name, fpr ? hi : lo,
			r->baseline, v, r->threshold,
			"%s across %s %s %s %s: possible, not established: "
			"%.3f %s, %s (%s and %s)%s", r->words, sf->name,
			shown_beyond(shown, sizeof shown, v, r->threshold), op,
			thr, v, range, sizes, fpr ? hi : lo,
			fpr ? lo : hi, small) != 0)
			return -1;
		set_interval(j, ci, 0);
		return 0;
	}
	char shown[32];
	if (breaches(r->value_all, r->threshold, r->is_minimum))
		return add(j, FINDING_WARN, "low_n", sf->name, "",
			   r->baseline, r->value_all, r->threshold,
			   "%s across %s %s %s %s only with groups smaller "
			   "than min_group_size counted: shown, not failing "
			   "the gate on its own", r->words, sf->name,
			   shown_beyond(shown, sizeof shown, r->value_all,
					r->threshold),
			   op, thr);
	return 0;
}

/* The baseline's feature of the same name and kind, or NULL. */
static const struct summary_feature *base_feature(const struct judge_run *base,
						  const struct summary_feature *sf)
{
	for (size_t k = 0; base && k < base->summary->nfeatures; k++) {
		const struct summary_feature *bf = &base->summary->features[k];
		if (bf->kind == sf->kind && strcmp(bf->name, sf->name) == 0)
			return bf;
	}
	return NULL;
}

/* Equalized odds: the TPR spread or the FPR spread, whichever makes the
 * stronger case: an established breach before one that is not, then the
 * wider. */
static int eo_uses_fpr(const struct spread_ci *tpr, const struct spread_ci *fpr,
		       double threshold)
{
	int bt = tpr->has_established &&
		 tpr->established.difference > threshold + SLACK;
	int bf = fpr->has_established &&
		 fpr->established.difference > threshold + SLACK;
	if (bt != bf)
		return bf;
	if (bt)
		return fpr->established.difference >
		       tpr->established.difference;
	if (!fpr->defined)
		return 0;
	return !tpr->defined ||
	       fpr->widest.difference > tpr->widest.difference;
}

static int judge_disparities(struct judgement *j, const struct judge_run *base,
			     const struct judge_run *cand,
			     const struct policy *p,
			     const struct disparity_plan *plan)
{
	const struct run_summary *s = cand->summary;
	double min_size = policy_get(p, POLICY_MIN_GROUP_SIZE);
	double max_eo = policy_get(p, POLICY_MAX_EO_DIFFERENCE);
	struct rates *sized = calloc(s->ngroups ? s->ngroups : 1,
				     sizeof *sized);
	if (sized == NULL)
		return -1;
	int rc = 0;
	for (size_t k = 0; k < s->nfeatures && rc == 0; k++) {
		const struct summary_feature *sf = &s->features[k];
		if (sf->kind == SUMMARY_OVERALL)
			continue;
		size_t small = 0;
		for (size_t i = 0; i < sf->count; i++) {
			size_t g = sf->first + i;
			sized[i] = s->rates[g];
			if (group_size(&cand->groups[g]) < min_size) {
				sized[i].selection_rate = sized[i].tpr =
					sized[i].fpr = RATE_UNDEFINED;
				small++;
			}
		}
		struct spread_ci sel, sel_ratio, tpr, fpr;
		if (disparity_spread(plan, s, cand->groups, sf,
				     DISPARITY_SELECTION, 0, &sel) != 0 ||
		    disparity_spread(plan, s, cand->groups, sf,
				     DISPARITY_SELECTION, 1, &sel_ratio) != 0 ||
		    disparity_spread(plan, s, cand->groups, sf, DISPARITY_TPR,
				     0, &tpr) != 0 ||
		    disparity_spread(plan, s, cand->groups, sf, DISPARITY_FPR,
				     0, &fpr) != 0) {
			rc = -1;
			break;
		}
		const struct summary_feature *bf = base_feature(base, sf);
		struct fairness fs;
		fairness_compute(sized, sf->count, &fs);
		const struct fairness *fa = &sf->fair;
		int by_fpr = eo_uses_fpr(&tpr, &fpr, max_eo);
		struct spread_rule rules[] = {
			{"dp_difference", "demographic parity difference",
			 fs.dp_difference, fa->dp_difference,
			 policy_get(p, POLICY_MAX_DP_DIFFERENCE), 0,
			 DISPARITY_SELECTION, &sel,
			 bf ? bf->fair.dp_difference : RATE_UNDEFINED, small},
			{"dp_ratio", "demographic parity ratio", fs.dp_ratio,
			 fa->dp_ratio, policy_get(p, POLICY_MIN_DP_RATIO), 1,
			 DISPARITY_SELECTION, &sel_ratio,
			 bf ? bf->fair.dp_ratio : RATE_UNDEFINED, small},
			{"eo_difference", "equalized odds difference",
			 fs.eo_difference, fa->eo_difference, max_eo, 0,
			 by_fpr ? DISPARITY_FPR : DISPARITY_TPR,
			 by_fpr ? &fpr : &tpr,
			 bf ? bf->fair.eo_difference : RATE_UNDEFINED, small},
		};
		for (size_t r = 0; r < 3 && rc == 0; r++)
			rc = judge_spread(j, cand, sf, &rules[r]);
	}
	free(sized);
	return rc;
}

/* --- against the baseline ------------------------------------------ */

/* A rate of one group: 0 TPR, 1 selection rate. */
static double rate_pick(const struct rates *r, int which)
{
	return which == 0 ? r->tpr : r->selection_rate;
}

/* The best-off group's rate (the highest) among sf's groups in run,
 * counting only groups of at least min_size rows when any has a defined
 * rate, else every group; *best_name its label.  RATE_UNDEFINED when no
 * group has one. */
static double best_rate(const struct judge_run *run,
			const struct summary_feature *sf, int which,
			double min_size, const char **best_name)
{
	double best[2] = {RATE_UNDEFINED, RATE_UNDEFINED}; /* sized, all */
	const char *name[2] = {"", ""};
	for (size_t i = sf->first; i < sf->first + sf->count; i++) {
		double v = rate_pick(&run->summary->rates[i], which);
		if (!rate_defined(v))
			continue;
		for (int k = group_size(&run->groups[i]) >= min_size ? 0 : 1;
		     k < 2; k++)
			if (!rate_defined(best[k]) || v > best[k]) {
				best[k] = v;
				name[k] = run->groups[i].label;
			}
	}
	int k = rate_defined(best[0]) ? 0 : 1;
	*best_name = name[k];
	return best[k];
}

/*
 * A group's TPR or selection rate falling counts against the candidate
 * only when it widens that group's disparity: the rate fell by more
 * than max_rate_drop AND its gap to the best-off group of its feature
 * (the highest rate, among groups of at least min_group_size rows) grew
 * by more than max_rate_drop, AND the fall is established (its
 * simultaneous interval, core/disparity.h, excludes 0).  A fall that
 * noise could explain warns.  A fall that keeps or narrows the gap —
 * an over-selected group brought toward parity, every group falling
 * alike — is a note, never a failure: a repair is not a regression.
 */
static int judge_drops(struct judgement *j, const struct judge_run *base,
		       const struct group_index *base_index,
		       const struct judge_run *cand, const struct policy *p,
		       const struct disparity_plan *plan)
{
	double max_drop = policy_get(p, POLICY_MAX_RATE_DROP);
	double min_size = policy_get(p, POLICY_MIN_GROUP_SIZE);
	static const struct {
		const char *rule, *words;
	} m[] = {
		{"tpr_drop", "TPR"},
		{"selection_drop", "selection rate"},
	};
	/* intersections move with their features' groups: their
	 * disparities are judged above, their drops would repeat */
	for (size_t f = 0; f < cand->summary->nfeatures; f++) {
		const struct summary_feature *sf = &cand->summary->features[f];
		const struct summary_feature *bf = base_feature(base, sf);
		if (sf->kind != SUMMARY_FEATURE || bf == NULL)
			continue;
		double best_b[2], best_c[2];
		const char *name_b[2], *name_c[2];
		for (int k = 0; k < 2; k++) {
			best_b[k] = best_rate(base, bf, k, min_size,
					      &name_b[k]);
			best_c[k] = best_rate(cand, sf, k, min_size,
					      &name_c[k]);
		}
		for (size_t i = sf->first; i < sf->first + sf->count; i++) {
			const struct summary_input *g = &cand->groups[i];
			size_t b = find_group(base_index, g->feature, g->kind,
					      g->label);
			if (b == (size_t)-1)
				continue;
			int low_n = group_size(g) < min_size ||
				    group_size(&base->groups[b]) < min_size;
			char name[INTERSECTION_NAME_MAX + 1];
			group_name(g, name, sizeof name);
			for (int k = 0; k < 2; k++) {
				double before = rate_pick(
					&base->summary->rates[b], k);
				double after = rate_pick(
					&cand->summary->rates[i], k);
				if (!rate_defined(before) ||
				    !rate_defined(after))
					continue;
				double drop = before - after;
				if (drop <= max_drop + SLACK)
					continue;
				/* best >= the group's own rate when the
				 * group is counted; a low-n group may sit
				 * above the best */
				double gap_b = fmax(best_b[k] - before, 0);
				double gap_c = fmax(best_c[k] - after, 0);
				if (gap_c - gap_b <= max_drop + SLACK) {
					if (add(j, FINDING_INFO,
						"toward_parity", g->feature,
						name, before, after, max_drop,
						"%s of %s fell from %.3f to "
						"%.3f (-%.3f) without widening "
						"its gap to the best-off group "
						"(%.3f -> %.3f): not a "
						"regression", m[k].words, name,
						before, after, drop, gap_b,
						gap_c) != 0)
						return -1;
					continue;
				}
				struct comparison fall;
				disparity_fall(plan, (double)sf->count,
					       &base->summary->rates[b],
					       &cand->summary->rates[i],
					       k == 0 ? DISPARITY_TPR
						      : DISPARITY_SELECTION,
					       &fall);
				int est = comparison_difference_established(
					&fall);
				char range[64], why[192];
				disparity_format_interval(fall.diff_ci, range,
							  sizeof range);
				if (low_n)
					snprintf(why, sizeof why,
						 "; low-n group: not failing "
						 "on its own");
				else if (!est)
					snprintf(why, sizeof why,
						 "; possible, not established: "
						 "fall %.3f %s on %.0f and %.0f%s "
						 "rows", drop, range, fall.n_a,
						 fall.n_b,
						 k == 0 ? " positive" : "");
				else
					snprintf(why, sizeof why,
						 "; the fall %.3f %s is "
						 "established", drop, range);
				char shown[32], thr[32];
				if (add(j, low_n || !est ? FINDING_WARN
							 : FINDING_FAIL,
					m[k].rule, g->feature, name, before,
					after, max_drop,
					"%s of %s fell from %.3f to %.3f "
					"(-%s, more than %s), widening "
					"its gap to the best-off group (%s=%s) "
					"from %.3f to %.3f%s", m[k].words,
					name, before, after,
					shown_beyond(shown, sizeof shown, drop,
						     max_drop),
					shown_threshold(thr, sizeof thr,
							max_drop, 2),
					g->feature, name_c[k], gap_b, gap_c,
					why) != 0)
					return -1;
				set_interval(j, fall.diff_ci, est);
			}
		}
	}
	return 0;
}

static int judge_coverage(struct judgement *j, const struct judge_run *base,
			  const struct judge_run *cand,
			  const struct group_index *cand_index,
			  const struct policy *p)
{
	double shrink = policy_get(p, POLICY_MAX_GROUP_SHRINK);
	for (size_t i = 0; i < base->summary->ngroups; i++) {
		const struct summary_input *g = &base->groups[i];
		char name[INTERSECTION_NAME_MAX + 1];
		if (g->kind == SUMMARY_INTERSECTION)
			continue;
		group_name(g, name, sizeof name);
		double before = group_size(g);
		size_t c = find_group(cand_index, g->feature, g->kind,
				      g->label);
		if (c == (size_t)-1) {
			if (g->kind == SUMMARY_OVERALL || before == 0)
				continue;
			if (add(j, policy_get(p, POLICY_REQUIRE_GROUPS)
					   ? FINDING_FAIL : FINDING_WARN,
				"missing_group", g->feature, name, before, 0,
				RATE_UNDEFINED,
				"%s is in the baseline's evaluation (%.0f rows) "
				"but absent from the candidate's",
				name, before) != 0)
				return -1;
			continue;
		}
		double after = group_size(&cand->groups[c]);
		if (g->kind == SUMMARY_OVERALL) {
			if (after < before &&
			    add(j, policy_get(p, POLICY_REQUIRE_ROWS)
					   ? FINDING_FAIL : FINDING_WARN,
				"fewer_rows", "", "", before, after,
				RATE_UNDEFINED,
				"the candidate evaluated %.0f rows, fewer than "
				"the baseline's %.0f", after, before) != 0)
				return -1;
			continue;
		}
		char pct[32], thr[32];
		if (before > 0 && after < before * (1 - shrink) - SLACK &&
		    add(j, FINDING_FAIL, "group_shrank", g->feature, name,
			before, after, shrink,
			"%s shrank from %.0f to %.0f rows (-%s %%, more "
			"than %s %%)", name, before, after,
			shown_beyond_at(pct, sizeof pct,
					100 * (before - after) / before,
					100 * shrink, 0, 0),
			shown_threshold(thr, sizeof thr, 100 * shrink, 0)) != 0)
			return -1;
	}
	return 0;
}

/* The groups of a feature (by name) in a summary: the PSI family. */
static size_t feature_groups(const struct run_summary *s, const char *name)
{
	for (size_t k = 0; k < s->nfeatures; k++)
		if (s->features[k].kind == SUMMARY_FEATURE &&
		    strcmp(s->features[k].name, name) == 0)
			return s->features[k].count;
	return 1;
}

/* A PSI at or above the warning level: a warning, whose level is
 * critical only when the histograms also differ beyond noise
 * (core/disparity.h); core/alerts.c makes an alert of it accordingly. */
static int psi_finding(struct judgement *j, const char *rule,
		       const char *feature, const char *group, double psi,
		       int est, double n1, double n2, double warn, double crit)
{
	int critical = psi >= crit - SLACK;
	char level[256];
	const char *what = group[0] ? "the score distribution of"
				    : "the group shares of";
	if (est)
		snprintf(level, sizeof level, "%s",
			 critical ? "critical" : "warning");
	else
		snprintf(level, sizeof level,
			 "%s level, possible, not established: on %.0f and "
			 "%.0f rows the histograms do not differ beyond "
			 "noise", critical ? "critical" : "warning", n1, n2);
	char thr[32];
	if (add(j, FINDING_WARN, rule, feature, group, RATE_UNDEFINED, psi,
		critical ? crit : warn, "PSI of %s %s %.3f >= %s (%s)", what,
		group[0] ? group : feature, psi,
		shown_threshold(thr, sizeof thr, critical ? crit : warn, 2),
		level) != 0)
		return -1;
	struct interval none = {RATE_UNDEFINED, RATE_UNDEFINED};
	set_interval(j, none, est);
	return 0;
}

static int judge_drift(struct judgement *j, const struct judge_run *base,
		       const struct group_index *base_index,
		       const struct judge_run *cand, const struct policy *p,
		       const struct disparity_plan *plan)
{
	double warn = policy_get(p, POLICY_PSI_WARNING);
	double crit = policy_get(p, POLICY_PSI_CRITICAL);
	double max_drop = policy_get(p, POLICY_MAX_RATE_DROP);
	size_t bins = (size_t)policy_get(p, POLICY_PSI_BINS);
	const struct run_summary *cs = cand->summary;
	/* group shares of each feature, over the groups both evaluations
	 * have: a group on one side only is coverage's business (missing)
	 * or a note (new), not drift */
	for (size_t k = 0; k < cs->nfeatures; k++) {
		const struct summary_feature *sf = &cs->features[k];
		if (sf->kind != SUMMARY_FEATURE)
			continue;
		double *e = calloc(sf->count ? sf->count : 1, sizeof *e);
		double *a = calloc(sf->count ? sf->count : 1, sizeof *a);
		if (e == NULL || a == NULL) {
			free(e);
			free(a);
			return -1;
		}
		size_t used = 0;
		double ne = 0, na = 0;
		int rc = 0;
		for (size_t i = 0; i < sf->count && rc == 0; i++) {
			const struct summary_input *g = &cand->groups[sf->first + i];
			size_t b = find_group(base_index, g->feature, g->kind,
					      g->label);
			if (b == (size_t)-1) {
				char name[INTERSECTION_NAME_MAX + 1];
				group_name(g, name, sizeof name);
				rc = add(j, FINDING_INFO, "new_group", g->feature,
					 name, RATE_UNDEFINED,
					 cs->rates[sf->first + i].n,
					 RATE_UNDEFINED,
					 "%s is in the candidate's evaluation "
					 "but not in the baseline's", name);
				continue;
			}
			e[used] = base->summary->rates[b].n;
			a[used] = cs->rates[sf->first + i].n;
			/* the shares' sizes: the groups' effective rows,
			 * whatever scale the weights are on */
			ne += base->summary->rates[b].n_eff;
			na += cs->rates[sf->first + i].n_eff;
			used++;
		}
		double psi = used > 1 ? drift_psi(e, a, used) : RATE_UNDEFINED;
		double x2, crit2;
		int est = disparity_histograms_differ(plan, 1, e, a, used, ne,
						      na, &x2, &crit2);
		free(e);
		free(a);
		if (rc != 0 || add_drift(j, "shares", sf->name, "", psi) != 0)
			return -1;
		if (rate_defined(psi) && psi >= warn - SLACK &&
		    psi_finding(j, "psi_shares", sf->name, "", psi, est, ne,
				na, warn, crit) != 0)
			return -1;
	}
	/* score distributions and label priors, group by group */
	for (size_t i = 0; i < cs->ngroups; i++) {
		const struct summary_input *g = &cand->groups[i];
		if (g->kind == SUMMARY_INTERSECTION)
			continue;
		size_t b = find_group(base_index, g->feature, g->kind,
				      g->label);
		if (b == (size_t)-1)
			continue;
		char name[INTERSECTION_NAME_MAX + 1];
		group_name(g, name, sizeof name);
		if (cand->hist && base->hist && cand->hist[i] && base->hist[b]) {
			double he[SCORE_BINS], ha[SCORE_BINS];
			drift_rebin(base->hist[b], SCORE_BINS, he, bins);
			drift_rebin(cand->hist[i], SCORE_BINS, ha, bins);
			double psi = drift_psi(he, ha, bins);
			double n1 = base->summary->rates[b].n_eff;
			double n2 = cs->rates[i].n_eff;
			double x2, crit2;
			int est = disparity_histograms_differ(
				plan, (double)feature_groups(cs, g->feature),
				he, ha, bins, n1, n2, &x2, &crit2);
			if (add_drift(j, "scores", g->feature, name, psi) != 0)
				return -1;
			if (rate_defined(psi) && psi >= warn - SLACK &&
			    psi_finding(j, "psi_scores", g->feature, name, psi,
					est, n1, n2, warn, crit) != 0)
				return -1;
		}
		double pb = base->summary->rates[b].base_rate;
		double pc = cs->rates[i].base_rate;
		char shift[32], thr[32];
		if (rate_defined(pb) && rate_defined(pc) &&
		    fabs(pc - pb) > max_drop + SLACK &&
		    add(j, FINDING_INFO, "prior_shift", g->feature, name, pb, pc,
			max_drop,
			"label prior of %s moved from %.3f to %.3f (%s, more "
			"than %s)", name, pb, pc,
			shown_beyond_at(shift, sizeof shift, pc - pb, max_drop,
					3, 1),
			shown_threshold(thr, sizeof thr, max_drop, 2)) != 0)
			return -1;
	}
	return 0;
}

/* --- audits of one run --------------------------------------------- */

int judge_audit_run(const struct judge_run *run, const struct policy *p,
		    struct judgement *out)
{
	double tol = policy_get(p, POLICY_CLASS_WEIGHT_TOL);
	if (!rate_defined(run->beta_factor) &&
	    add(out, policy_get(p, POLICY_REQUIRE_BETA) ? FINDING_FAIL
							 : FINDING_WARN,
		"beta_factor", "", "", RATE_UNDEFINED, RATE_UNDEFINED,
		RATE_UNDEFINED,
		"beta_factor is missing from run %s's config: its F-beta "
		"cannot use the run's own beta", run->key) != 0)
		return -1;
	if (run->nlogged == 0 || !rate_defined(run->label_count[0]))
		return 0;
	struct classweight_check check[CLASSWEIGHTS_MAX];
	assert(run->nlogged <= CLASSWEIGHTS_MAX);
	classweights_check(run->logged, run->nlogged, run->label,
			   run->label_count, check);
	for (size_t i = 0; i < run->nlogged; i++) {
		const struct class_weight *w = &run->logged[i];
		if (check[i].label < 0) {
			if (add(out, FINDING_WARN, "class_weights", "", w->label,
				RATE_UNDEFINED, w->weight, tol,
				"class weight logged for label '%s', which is "
				"not in the evaluation", w->label) != 0)
				return -1;
			continue;
		}
		if (!rate_defined(check[i].exact))
			continue;
		double err = check[i].relative_error;
		char shown[32];
		if (err > tol &&
		    add(out, FINDING_FAIL, "class_weights", "", w->label,
			check[i].exact, w->weight, tol,
			"class weight of label %s logged as %.17g, but the "
			"exact balanced weight n/(k*n_c) is %.17g (relative "
			"difference %s > %g)",
			w->label, w->weight, check[i].exact,
			shown_beyond_g(shown, sizeof shown, err, tol),
			tol) != 0)
			return -1;
	}
	return 0;
}

/* --- performance, reported and never weighed ----------------------- */

static int add_perf(struct judgement *j, const char *name, double b,
		    double c, int in_points)
{
	if (!rate_defined(b) || !rate_defined(c))
		return 0;
	struct perf_change *p = realloc(j->perf, (j->nperf + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	j->perf = p;
	p = &j->perf[j->nperf++];
	snprintf(p->name, sizeof p->name, "%s", name);
	p->baseline = b;
	p->candidate = c;
	p->in_points = in_points;
	p->change = in_points ? 100 * (c - b)
			      : rate_ratio(100 * (c - b), fabs(b));
	return 0;
}

static int judge_performance(struct judgement *j, const struct judge_run *base,
			     const struct judge_run *cand)
{
	const struct run_summary *bs = base->summary, *cs = cand->summary;
	if (bs->has_overall && cs->has_overall &&
	    (add_perf(j, "accuracy", bs->overall.accuracy,
		      cs->overall.accuracy, 1) != 0 ||
	     add_perf(j, "F-beta", bs->overall.f_beta, cs->overall.f_beta,
		      1) != 0))
		return -1;
	for (size_t i = 0; i < cand->nmetrics; i++)
		for (size_t k = 0; k < base->nmetrics; k++)
			if (strcmp(cand->metrics[i].name,
				   base->metrics[k].name) == 0 &&
			    strcmp(cand->metrics[i].name, "accuracy") != 0 &&
			    add_perf(j, cand->metrics[i].name,
				     base->metrics[k].value,
				     cand->metrics[i].value, 0) != 0)
				return -1;
	size_t used = 0;
	char *note = j->performance_note;
	size_t size = sizeof j->performance_note;
	for (size_t i = 0; i < j->nperf && used < size; i++) {
		const struct perf_change *p = &j->perf[i];
		if (!rate_defined(p->change))
			continue;
		int w = snprintf(note + used, size - used, "%s%s %+.1f %s",
				 used ? ", " : "", p->name, p->change,
				 p->in_points ? "pts" : "%");
		if (w > 0)
			used += (size_t)w;
	}
	if (used > 0 && used < size)
		snprintf(note + used, size - used,
			 ": not considered by the fairness gate");
	return 0;
}

int judge_runs(const struct judge_run *baseline,
	       const struct judge_run *candidate, const struct policy *p,
	       struct judgement *out)
{
	assert(baseline != NULL && candidate != NULL && p != NULL);
	assert(candidate->summary->ngroups == 0 || candidate->groups != NULL);
	struct group_index bi = {NULL, 0}, ci = {NULL, 0};
	struct disparity_plan plan;
	disparity_plan_make(candidate->summary, p, &plan);
	/* judged on its own (against itself): the rules relative to a
	 * baseline cannot fire, and are not run */
	int alone = baseline == candidate;
	memset(out, 0, sizeof *out);
	out->passed = 1;
	if ((!alone && (group_index_build(&bi, baseline) != 0 ||
			group_index_build(&ci, candidate) != 0)) ||
	    judge_disparities(out, baseline, candidate, p, &plan) != 0 ||
	    (!alone && (judge_drops(out, baseline, &bi, candidate, p,
					 &plan) != 0 ||
			judge_coverage(out, baseline, candidate, &ci, p) != 0)) ||
	    judge_audit_run(candidate, p, out) != 0 ||
	    (!alone && judge_drift(out, baseline, &bi, candidate, p,
					 &plan) != 0) ||
	    judge_performance(out, baseline, candidate) != 0) {
		free(bi.key);
		free(ci.key);
		judgement_release(out);
		return -1;
	}
	free(bi.key);
	free(ci.key);
	return 0;
}
