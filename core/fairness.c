/*
 * fairness.c — between-groups aggregates.  See fairness.h.
 */
#include "core/fairness.h"

#include <assert.h>
#include <stdlib.h>

void fairness_spread(const double *values, size_t n, struct spread *out)
{
	out->min = out->max = RATE_UNDEFINED;
	out->min_group = out->max_group = 0;
	out->used = out->left_out = 0;
	for (size_t i = 0; i < n; i++) {
		double v = values[i];
		if (!rate_defined(v)) {
			out->left_out++;
			continue;
		}
		if (out->used == 0 || v < out->min) {
			out->min = v;
			out->min_group = i;
		}
		if (out->used == 0 || v > out->max) {
			out->max = v;
			out->max_group = i;
		}
		out->used++;
	}
	if (out->used == 0) {
		out->difference = out->ratio = RATE_UNDEFINED;
		return;
	}
	assert(out->min <= out->max && out->used + out->left_out == n);
	out->difference = out->max - out->min;
	out->ratio = rate_ratio(out->min, out->max);
}

/* The larger of two aggregates, undefined if either is. */
static double worse_of_max(double a, double b)
{
	if (!rate_defined(a) || !rate_defined(b))
		return RATE_UNDEFINED;
	return a > b ? a : b;
}

static double worse_of_min(double a, double b)
{
	if (!rate_defined(a) || !rate_defined(b))
		return RATE_UNDEFINED;
	return a < b ? a : b;
}

void fairness_compute(const struct rates *rates, size_t n,
		      struct fairness *out)
{
	double stack[64] = {0};
	double *v = n <= 64 ? stack : malloc(n * sizeof *v);
	if (v == NULL) {
		struct spread none = {RATE_UNDEFINED, RATE_UNDEFINED, 0, 0, 0,
				      n, RATE_UNDEFINED, RATE_UNDEFINED};
		out->selection = out->tpr = out->fpr = none;
		out->dp_difference = out->dp_ratio = RATE_UNDEFINED;
		out->eo_difference = out->eo_ratio = RATE_UNDEFINED;
		out->eop_difference = RATE_UNDEFINED;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = rates[i].selection_rate;
	fairness_spread(v, n, &out->selection);
	for (size_t i = 0; i < n; i++)
		v[i] = rates[i].tpr;
	fairness_spread(v, n, &out->tpr);
	for (size_t i = 0; i < n; i++)
		v[i] = rates[i].fpr;
	fairness_spread(v, n, &out->fpr);
	if (v != stack)
		free(v);

	out->dp_difference = out->selection.difference;
	out->dp_ratio = out->selection.ratio;
	out->eop_difference = out->tpr.difference;
	out->eo_difference =
		worse_of_max(out->tpr.difference, out->fpr.difference);
	out->eo_ratio = worse_of_min(out->tpr.ratio, out->fpr.ratio);
}
