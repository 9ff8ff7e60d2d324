/*
 * reference.h — each group against a reference group.
 *
 * Fairlearn's by-group disparity: for every group of a feature, its rate
 * minus the reference group's and its rate divided by the reference's.
 * The reference is named by the user, else the largest group (by
 * weighted size; ties go to the first).
 */
#ifndef FAIRTOP_REFERENCE_H
#define FAIRTOP_REFERENCE_H

#include <stddef.h>

#include "core/confusion.h"

struct disparity {
	double selection_difference, selection_ratio;
	double tpr_difference, tpr_ratio;
	double fpr_difference, fpr_ratio;
};

/* The index of the reference among labels[0..n): the one equal to
 * `wanted` when not NULL (or (size_t)-1 when absent), else the largest
 * by rates[i].n. */
size_t reference_pick(const struct rates *rates, const char *const *labels,
		      size_t n, const char *wanted);

/* out[i] for each group i against rates[ref]. */
void reference_disparities(const struct rates *rates, size_t n, size_t ref,
			   struct disparity *out);

#endif
