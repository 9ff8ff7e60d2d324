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

/*
 * A feature's aggregates both ways, side by side.  The gate leaves the
 * groups under the policy's min_group_size (low-n) out of a feature's
 * aggregates; Fairlearn (core/fairness.h) counts every group.  On real
 * data the two part: a DP difference of 0.457 over every group may be
 * an 18-row group's, the gate's 0.12.  Whatever prints one prints the
 * other beside it (show, compare, the dashboard), from this struct, and
 * marks the low-n groups of its tables (rundisparity_low_n).
 */
enum both_aggregate {
	BOTH_DP_DIFFERENCE,
	BOTH_DP_RATIO,
	BOTH_EO_DIFFERENCE,
	BOTH_EO_RATIO,
	BOTH_EOP_DIFFERENCE,
	BOTH_AGGREGATES
};

struct aggregate_both {
	const char *name; /* "demographic parity difference" */
	const char *key;  /* "demographic_parity_difference", for JSON */
	/* over the groups of at least min_group_size rows: the gate's;
	 * RATE_UNDEFINED when fewer than two of them have the rate (a
	 * one-group feature, every group low-n) */
	double gate;
	/* over every group with the rate defined, low-n included
	 * (Fairlearn's): the summary's; RATE_UNDEFINED when none has it;
	 * one group alone gives a difference of 0 and a ratio of 1 */
	double all_groups;
	/* gate's interval (borrowed from the run_disparity), its value
	 * `gate`; NULL for the aggregates the judge draws no interval for
	 * (equalized odds ratio, equal opportunity difference) */
	const struct aggregate_ci *ci;
};

struct feature_both {
	struct aggregate_both a[BOTH_AGGREGATES];
	size_t groups; /* the feature's groups */
	size_t low_n;  /* of them, under min_group_size rows */
};

struct run_disparity {
	struct disparity_plan plan;
	double confidence;     /* the policy's: every interval at once */
	double min_group_size; /* groups under it are left out */
	/* one per feature of the run's summary, in its order; the
	 * overall's is undefined */
	struct feature_disparity *feature;
	struct feature_pairs *pairs; /* the same, for each */
	struct feature_both *both;   /* the same, for each */
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

/* The aggregates of sf both ways (borrowed from rd, valid until
 * rundisparity_release): the one place show, compare and the dashboard
 * take them from.  NULL when sf is not one of rd's features. */
const struct feature_both *
rundisparity_both(const struct run_disparity *rd, const struct run_summary *s,
		  const struct summary_feature *sf);

/* 1 when the group g is low-n under rd's policy: fewer than
 * min_group_size rows, left out of the gate's aggregates.  Tables mark
 * these rows ("*" in text, "low_n": true in JSON). */
int rundisparity_low_n(const struct run_disparity *rd,
		       const struct summary_input *g);

#endif
