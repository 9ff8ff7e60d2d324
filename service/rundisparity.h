/*
 * rundisparity.h — a run's fairness aggregates with their intervals, as
 * show, compare and the dashboard print them.
 *
 * For every feature and intersection of a run: its demographic parity
 * difference and ratio and its equalized odds difference, each with the
 * simultaneous interval of the pair of groups behind it and whether it
 * is established (core/disparity.h).  The plan is the run's under the
 * policy in force, the same the judge makes, so that the intervals a
 * screen prints are those of the run's verdicts.
 */
#ifndef FAIRTOP_RUNDISPARITY_H
#define FAIRTOP_RUNDISPARITY_H

#include <stddef.h>

#include "core/disparity.h"
#include "core/policy.h"
#include "service/runload.h"

/* When an aggregate's widest pair is not established, the established
 * pair that comes closest to it, if any: the one the gate fails on when
 * it is beyond the threshold (core/judge.h). */
struct established_pair {
	int has;
	double value;        /* difference, or ratio for DP ratio */
	struct interval ci;
	size_t a, b;         /* input indexes: a's rate is the higher */
	const char *metric;  /* "selection rate", "TPR", "FPR" */
};

struct feature_pairs {
	struct established_pair dp_difference, dp_ratio, eo_difference;
};

struct run_disparity {
	struct disparity_plan plan;
	double confidence;     /* the policy's: every interval at once */
	double min_group_size; /* groups under it are left out */
	/* one per feature of the run's summary, in its order; the
	 * overall's is undefined */
	struct feature_disparity *feature;
	struct feature_pairs *pairs; /* the same, for each */
	size_t n;
};

/* Fill rd for lr under p (both borrowed for the call only).  Release
 * with rundisparity_release(), also after a failure.  -1 when out of
 * memory. */
int rundisparity_init(struct run_disparity *rd, const struct loaded_run *lr,
		      const struct policy *p);
void rundisparity_release(struct run_disparity *rd);

/* The aggregates of sf, a feature of the summary rd was made from
 * (borrowed from rd); NULL when sf is not one of them. */
const struct feature_disparity *
rundisparity_of(const struct run_disparity *rd, const struct run_summary *s,
		const struct summary_feature *sf);

/* The established pairs of sf (borrowed from rd); NULL as above. */
const struct feature_pairs *
rundisparity_pairs(const struct run_disparity *rd, const struct run_summary *s,
		   const struct summary_feature *sf);

/* The value over every defined group (as fairness.h computes it, low-n
 * groups included) differs visibly (at 3 decimals) from the aggregate's,
 * which leaves groups under min_group_size out. */
int rundisparity_differs(double every_group, const struct aggregate_ci *a);

#endif
