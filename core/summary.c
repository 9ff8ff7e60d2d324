/*
 * summary.c — a run's evaluation summarised.  See summary.h.
 */
#include "core/summary.h"
#include <assert.h>

#include <stdlib.h>
#include <string.h>

void summary_release(struct run_summary *s)
{
	free(s->rates);
	free(s->features);
	memset(s, 0, sizeof *s);
}

/* Keep the larger of *best and v (defined values only). */
static void keep_max(double *best, const struct summary_feature **at,
		     double v, const struct summary_feature *feature)
{
	if (!rate_defined(v))
		return;
	if (!rate_defined(*best) || v > *best) {
		*best = v;
		*at = feature;
	}
}

int summary_build(const struct summary_input *in, size_t n, double beta,
		  struct run_summary *out)
{
	memset(out, 0, sizeof *out);
	out->dp_difference = out->eo_difference = out->worst_tpr =
		RATE_UNDEFINED;
	out->ngroups = n;
	out->rates = calloc(n ? n : 1, sizeof *out->rates);
	out->features = calloc(n ? n : 1, sizeof *out->features);
	if (out->rates == NULL || out->features == NULL) {
		summary_release(out);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		confusion_rates(&in[i].counts, beta, &out->rates[i]);
		if (in[i].kind == SUMMARY_OVERALL && !out->has_overall) {
			out->has_overall = 1;
			out->overall = out->rates[i];
		}
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && in[j].kind == in[i].kind &&
		       strcmp(in[j].feature, in[i].feature) == 0)
			j++;
		/* a feature's groups are adjacent (summary.h): each
		 * feature is met once */
		assert(out->nfeatures < n);
		struct summary_feature *sf = &out->features[out->nfeatures++];
		sf->name = in[i].feature;
		sf->kind = in[i].kind;
		sf->first = i;
		sf->count = j - i;
		fairness_compute(out->rates + i, j - i, &sf->fair);
		i = j;
	}
	for (size_t k = 0; k < out->nfeatures; k++) {
		const struct summary_feature *sf = &out->features[k];
		if (sf->kind != SUMMARY_FEATURE)
			continue;
		keep_max(&out->dp_difference, &out->dp_feature,
			 sf->fair.dp_difference, sf);
		keep_max(&out->eo_difference, &out->eo_feature,
			 sf->fair.eo_difference, sf);
		if (sf->fair.tpr.used > 0 &&
		    (!rate_defined(out->worst_tpr) ||
		     sf->fair.tpr.min < out->worst_tpr)) {
			out->worst_tpr = sf->fair.tpr.min;
			out->worst_tpr_group = sf->first + sf->fair.tpr.min_group;
		}
	}
	return 0;
}
