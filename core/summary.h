/*
 * summary.h — one run's evaluation, summarised.
 *
 * From the per-group counts of one step: every group's rates, each
 * feature's and intersection's fairness aggregates, and the headline
 * numbers `fairtop runs` shows: overall accuracy and F-beta, the worst
 * demographic parity and equalized odds differences over the run's
 * sensitive features (intersections are in `show`, not in the headline,
 * since their small cells are noisy), and the worst group's TPR.
 */
#ifndef FAIRTOP_SUMMARY_H
#define FAIRTOP_SUMMARY_H

#include <stddef.h>

#include "core/confusion.h"
#include "core/fairness.h"

enum summary_kind {
	SUMMARY_OVERALL,
	SUMMARY_FEATURE,
	SUMMARY_INTERSECTION,
};

/* One group as read from the store; strings borrowed. Groups of one
 * feature must be adjacent. */
struct summary_input {
	const char *feature;
	enum summary_kind kind;
	const char *label;
	struct confusion counts;
};

struct summary_feature {
	const char *name;       /* borrowed from the input */
	enum summary_kind kind;
	size_t first, count;    /* its groups: input[first .. first+count) */
	struct fairness fair;
};

struct run_summary {
	size_t ngroups;
	struct rates *rates;    /* per input group, same order */
	struct summary_feature *features;
	size_t nfeatures;
	int has_overall;
	struct rates overall;
	/* headline, over single features; RATE_UNDEFINED when none */
	double dp_difference, eo_difference, worst_tpr;
	const struct summary_feature *dp_feature, *eo_feature; /* or NULL */
	size_t worst_tpr_group; /* input index, valid when worst_tpr is */
};

/* Build the summary of in[0..n) with the run's beta (RATE_UNDEFINED
 * when it has none).  The summary borrows the input's strings; release
 * it with summary_release().  Returns -1 when out of memory. */
int summary_build(const struct summary_input *in, size_t n, double beta,
		  struct run_summary *out);
void summary_release(struct run_summary *s);

#endif
