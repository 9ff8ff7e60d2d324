/*
 * disparity.c — simultaneous intervals of a verdict's comparisons.  See
 * disparity.h.
 */
#include "core/disparity.h"
#include <assert.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SPREAD_FAMILIES 3 /* selection rate, TPR, FPR */
#define FEATURE_FAMILIES 4 /* TPR and selection-rate falls, PSI of
			     * shares and of scores */

void disparity_plan_make(const struct run_summary *s,
			 const struct policy *p, struct disparity_plan *out)
{
	out->alpha = 1 - policy_get(p, POLICY_CONFIDENCE);
	out->min_size = policy_get(p, POLICY_MIN_GROUP_SIZE);
	out->families = 0;
	for (size_t k = 0; k < s->nfeatures; k++) {
		if (s->features[k].kind == SUMMARY_OVERALL)
			continue;
		out->families += SPREAD_FAMILIES;
		if (s->features[k].kind == SUMMARY_FEATURE)
			out->families += FEATURE_FAMILIES;
	}
}

double disparity_z(const struct disparity_plan *plan, double comparisons)
{
	if (!(comparisons >= 1) || !(plan->families >= 1))
		return NAN;
	return normal_upper_quantile(plan->alpha /
				     (2 * plan->families * comparisons));
}

double disparity_rate_of(const struct rates *r, enum disparity_rate which,
			 double *n_eff)
{
	switch (which) {
	case DISPARITY_TPR:
		*n_eff = r->n_eff_positive;
		return r->tpr;
	case DISPARITY_FPR:
		*n_eff = r->n_eff_negative;
		return r->fpr;
	case DISPARITY_SELECTION:
		break;
	}
	*n_eff = r->n_eff;
	return r->selection_rate;
}

/* MOVER-R (Donner and Zou 2012) for p1 / p2 from Wilson intervals:
 *   low  = (p1 p2 - sqrt((p1 p2)^2 - l1 u2 (2 p1 - l1)(2 p2 - u2)))
 *          / (u2 (2 p2 - u2))
 *   high = (p1 p2 + sqrt((p1 p2)^2 - u1 l2 (2 p1 - u1)(2 p2 - l2)))
 *          / (l2 (2 p2 - l2)).
 * A bound whose root or denominator is not positive is open: 0 below,
 * undefined (unbounded) above. */
static struct interval mover_ratio(double p1, struct interval w1, double p2,
				   struct interval w2)
{
	struct interval out = {RATE_UNDEFINED, RATE_UNDEFINED};
	if (!rate_defined(w1.low) || !rate_defined(w2.low) || !(p2 > 0))
		return out;
	double pp = p1 * p2;
	double den = w2.high * (2 * p2 - w2.high);
	double disc = pp * pp - w1.low * w2.high * (2 * p1 - w1.low) *
					(2 * p2 - w2.high);
	out.low = den > 0 && disc >= 0 ? (pp - sqrt(disc)) / den : 0;
	if (out.low < 0)
		out.low = 0;
	den = w2.low * (2 * p2 - w2.low);
	disc = pp * pp - w1.high * w2.low * (2 * p1 - w1.high) *
				 (2 * p2 - w2.low);
	out.high = den > 0 && disc >= 0 ? (pp + sqrt(disc)) / den
					: RATE_UNDEFINED;
	return out;
}

static void compare(double z, double pa, double na, double pb, double nb,
		    size_t a, size_t b, struct comparison *c)
{
	struct interval wa = interval_rate(pa, na, z);
	struct interval wb = interval_rate(pb, nb, z);
	c->a = a;
	c->b = b;
	c->rate_a = pa;
	c->rate_b = pb;
	c->n_a = na;
	c->n_b = nb;
	c->difference = pa - pb;
	c->ratio = rate_ratio(pb, pa);
	c->diff_ci = interval_newcombe(pa, wa, pb, wb);
	c->ratio_ci = mover_ratio(pb, wb, pa, wa);
	c->confidence = rate_defined(z) ? 1 - erfc(z / 1.4142135623730951)
					: RATE_UNDEFINED;
}

int comparison_difference_established(const struct comparison *c)
{
	return rate_defined(c->diff_ci.low) &&
	       (c->diff_ci.low > 0 || c->diff_ci.high < 0);
}

int comparison_ratio_established(const struct comparison *c)
{
	return rate_defined(c->ratio_ci.high) && c->ratio_ci.high < 1;
}

double disparity_group_rows(const struct summary_input *g)
{
	if (g->counts.rows >= 0)
		return (double)g->counts.rows;
	return g->counts.tp + g->counts.fp + g->counts.tn + g->counts.fn;
}

int disparity_low_n(const struct summary_input *g, double min_size)
{
	return disparity_group_rows(g) < min_size;
}

/* A counted group: its index, rate, effective size, Wilson bounds. */
struct counted {
	size_t index;
	double rate, n;
	struct interval w;
};

/* 1 when c is a better established pair than best (by_ratio: smaller
 * ratio, else larger difference). */
static int better(const struct comparison *c, const struct comparison *best,
		  int have, int by_ratio)
{
	if (by_ratio) {
		if (!comparison_ratio_established(c))
			return 0;
		return !have || c->ratio < best->ratio;
	}
	if (!comparison_difference_established(c))
		return 0;
	return !have || c->difference > best->difference;
}

int disparity_spread(const struct disparity_plan *plan,
		     const struct run_summary *s,
		     const struct summary_input *groups,
		     const struct summary_feature *sf,
		     enum disparity_rate which, int by_ratio,
		     struct spread_ci *out)
{
	assert(sf->first + sf->count <= s->ngroups);
	assert(plan->alpha > 0 && plan->alpha < 1);
	struct counted *g = malloc((sf->count ? sf->count : 1) * sizeof *g);
	if (g == NULL)
		return -1;
	size_t k = 0;
	for (size_t i = sf->first; i < sf->first + sf->count; i++) {
		double n;
		double r = disparity_rate_of(&s->rates[i], which, &n);
		if (!rate_defined(r) || !(n > 0) ||
		    disparity_low_n(&groups[i], plan->min_size))
			continue;
		g[k].index = i;
		g[k].rate = r;
		g[k].n = n;
		k++;
	}
	out->groups = k;
	out->defined = k >= 2;
	out->has_established = 0;
	out->z = disparity_z(plan, (double)k * ((double)k - 1) / 2);
	if (!out->defined) {
		free(g);
		return 0;
	}
	/* the extremes by rate and by bound (first one on ties, as
	 * fairness.c picks its min and max groups) */
	size_t hi = 0, lo = 0, hi_low = 0, lo_high = 0;
	for (size_t i = 0; i < k; i++) {
		g[i].w = interval_rate(g[i].rate, g[i].n, out->z);
		if (g[i].rate > g[hi].rate)
			hi = i;
		if (g[i].rate < g[lo].rate)
			lo = i;
	}
	for (size_t i = 1; i < k; i++) {
		if (g[i].w.low > g[hi_low].w.low)
			hi_low = i;
		if (g[i].w.high < g[lo_high].w.high)
			lo_high = i;
	}
	assert(g[hi].rate >= g[lo].rate);
	compare(out->z, g[hi].rate, g[hi].n, g[lo].rate, g[lo].n,
		g[hi].index, g[lo].index, &out->widest);
	size_t top[2] = {hi, hi_low}, bottom[2] = {lo, lo_high};
	for (size_t i = 0; i < k; i++)
		for (int t = 0; t < 4; t++) {
			size_t a = t < 2 ? top[t] : i;
			size_t b = t < 2 ? i : bottom[t - 2];
			if (a == b || g[a].rate < g[b].rate)
				continue;
			struct comparison c;
			compare(out->z, g[a].rate, g[a].n, g[b].rate, g[b].n,
				g[a].index, g[b].index, &c);
			if (better(&c, &out->established,
				   out->has_established, by_ratio)) {
				out->established = c;
				out->has_established = 1;
			}
		}
	free(g);
	return 0;
}

void disparity_fall(const struct disparity_plan *plan, double family,
		    const struct rates *before, const struct rates *after,
		    enum disparity_rate which, struct comparison *out)
{
	double nb, na;
	double pb = disparity_rate_of(before, which, &nb);
	double pa = disparity_rate_of(after, which, &na);
	compare(disparity_z(plan, family), pb, nb, pa, na, 0, 0, out);
}

static void aggregate_of(const struct spread_ci *sp, int by_ratio,
			 const char *metric, struct aggregate_ci *out)
{
	out->metric = metric;
	if (!sp->defined) {
		out->value = RATE_UNDEFINED;
		out->ci.low = out->ci.high = RATE_UNDEFINED;
		out->established = 0;
		return;
	}
	const struct comparison *c = &sp->widest;
	out->value = by_ratio ? c->ratio : c->difference;
	out->ci = by_ratio ? c->ratio_ci : c->diff_ci;
	out->established = by_ratio ? comparison_ratio_established(c)
				    : comparison_difference_established(c);
}

int disparity_feature(const struct disparity_plan *plan,
		      const struct run_summary *s,
		      const struct summary_input *groups,
		      const struct summary_feature *sf,
		      struct feature_disparity *out)
{
	struct spread_ci sel, tpr, fpr;
	if (disparity_spread(plan, s, groups, sf, DISPARITY_SELECTION, 0,
			     &sel) != 0 ||
	    disparity_spread(plan, s, groups, sf, DISPARITY_TPR, 0, &tpr) != 0 ||
	    disparity_spread(plan, s, groups, sf, DISPARITY_FPR, 0, &fpr) != 0)
		return -1;
	aggregate_of(&sel, 0, "selection rate", &out->dp_difference);
	aggregate_of(&sel, 1, "selection rate", &out->dp_ratio);
	int by_fpr = fpr.defined &&
		     (!tpr.defined ||
		      fpr.widest.difference > tpr.widest.difference);
	aggregate_of(by_fpr ? &fpr : &tpr, 0, by_fpr ? "FPR" : "TPR",
		     &out->eo_difference);
	return 0;
}

int disparity_histograms_differ(const struct disparity_plan *plan,
				double family, const double *e,
				const double *a, size_t n, double n1,
				double n2, double *statistic,
				double *critical)
{
	double se = 0, sa = 0;
	*statistic = *critical = NAN;
	for (size_t i = 0; i < n; i++) {
		se += e[i];
		sa += a[i];
	}
	if (!(se > 0) || !(sa > 0) || !(n1 > 0) || !(n2 > 0) ||
	    !(family >= 1) || !(plan->families >= 1))
		return 0;
	/* observed counts o1 = n1 e/se, o2 = n2 a/sa; expected under one
	 * distribution: the pooled share times each size */
	double x2 = 0;
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		double o1 = n1 * e[i] / se, o2 = n2 * a[i] / sa;
		double pooled = (o1 + o2) / (n1 + n2);
		if (!(pooled > 0))
			continue;
		double x1 = n1 * pooled, y1 = n2 * pooled;
		x2 += (o1 - x1) * (o1 - x1) / x1 + (o2 - y1) * (o2 - y1) / y1;
		used++;
	}
	if (used < 2)
		return 0;
	*statistic = x2;
	*critical = chi2_upper_quantile((double)used - 1,
					plan->alpha / (plan->families * family));
	return x2 > *critical;
}

void disparity_format_interval(struct interval ci, char *buf, size_t size)
{
	if (!rate_defined(ci.low) && !rate_defined(ci.high))
		snprintf(buf, size, "[n/a]");
	else if (!rate_defined(ci.high))
		snprintf(buf, size, "[%.3f, unbounded]", ci.low);
	else
		snprintf(buf, size, "[%.3f, %.3f]", ci.low, ci.high);
}
