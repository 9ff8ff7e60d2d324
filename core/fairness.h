/*
 * fairness.h — fairness across the groups of one feature.
 *
 * The semantics of Fairlearn's between_groups / worst_case aggregates:
 * a difference is max - min over the groups, a ratio min / max.  One
 * deliberate difference: a group whose rate is undefined (no positives,
 * no negatives, empty) is left out of that aggregate and counted in
 * `left_out`, never taken as 0.  An aggregate over no defined group is
 * undefined.  One defined group gives difference 0 and ratio 1.
 */
#ifndef FAIRTOP_FAIRNESS_H
#define FAIRTOP_FAIRNESS_H

#include <stddef.h>

#include "core/confusion.h"

/* The spread of one rate across groups. */
struct spread {
	double min, max;      /* RATE_UNDEFINED when no group is defined */
	size_t min_group;     /* index of the group at min (and at max) */
	size_t max_group;
	size_t used;          /* groups with the rate defined */
	size_t left_out;      /* groups left out: rate undefined */
	double difference;    /* max - min */
	double ratio;         /* min / max; undefined when max is 0 */
};

struct fairness {
	struct spread selection; /* demographic parity */
	struct spread tpr;       /* equal opportunity */
	struct spread fpr;
	double dp_difference, dp_ratio;
	double eo_difference, eo_ratio; /* equalized odds */
	double eop_difference;          /* equal opportunity: TPR spread */
};

/* Spread of values[0..n) (RATE_UNDEFINED entries are left out). */
void fairness_spread(const double *values, size_t n, struct spread *out);

/* Aggregates over the per-group rates[0..n). */
void fairness_compute(const struct rates *rates, size_t n,
		      struct fairness *out);

#endif
