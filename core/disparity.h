/*
 * disparity.h — how sure a disparity is: simultaneous intervals for the
 * comparisons of rates a verdict makes, and which are established.
 *
 * A verdict compares rates many times over: for every sensitive feature
 * and intersection, the pairs of its groups' selection rates, TPRs and
 * FPRs; against a baseline, each group's TPR and selection rate before
 * and after.  Each comparison is a difference of two proportions, with
 * Newcombe's interval (interval.h) on effective sample sizes (Kish's,
 * confusion.h), or for a ratio of two rates the MOVER-R interval (Donner
 * and Zou 2012) from the same Wilson intervals.
 *
 * The false-alarm rate alpha = 1 - confidence is shared out (weighted
 * Bonferroni, which gives simultaneous intervals; Holm's step-down
 * rejects at least one hypothesis exactly when this does, so the verdict
 * would be the same):
 *   - equally among the run's families of comparisons: three for each
 *     feature and intersection (the spreads of selection rate, TPR and
 *     FPR) and four more for each single feature (its groups' TPR and
 *     selection-rate falls against a baseline, the PSI of its group
 *     shares and of its groups' score distributions), the latter
 *     counted whether or not a baseline is given, so that a run's
 *     intervals are the same on every screen;
 *   - within a family, equally among its comparisons: the K(K-1)/2 pairs
 *     of its K groups of at least min_group_size rows with the rate
 *     defined, or its K groups for falls and score distributions;
 *   - two-sided for differences, one-sided for PSI.
 * A PSI is established when the two histograms differ beyond noise at
 * its share of alpha: Pearson's chi-squared test of homogeneity of the
 * 2 x B table of their counts (shares times effective sizes), on the
 * bins either uses.  (PSI itself is no test statistic: its floor for an
 * empty bin makes a 50-row histogram's PSI large by construction.)
 * With probability at least `confidence` every interval of a verdict
 * holds at once: a run with no disparity anywhere is failed with
 * probability at most 1 - confidence.  A comparison is established when
 * its interval excludes no-difference (0 for a difference, 1 for a
 * ratio).
 */
#ifndef FAIRTOP_DISPARITY_H
#define FAIRTOP_DISPARITY_H

#include <stddef.h>

#include "core/interval.h"
#include "core/policy.h"
#include "core/summary.h"

enum disparity_rate {
	DISPARITY_SELECTION,
	DISPARITY_TPR,
	DISPARITY_FPR,
};

struct disparity_plan {
	double alpha;     /* 1 - confidence */
	double families;  /* families of comparisons of the run */
	double min_size;  /* groups under it are left out of spreads */
};

/* The plan of a run under a policy. */
void disparity_plan_make(const struct run_summary *s,
			 const struct policy *p, struct disparity_plan *out);

/* The z of one comparison in a family of `comparisons`: the upper
 * alpha / (2 families comparisons) normal quantile.  NAN when the family
 * is empty. */
double disparity_z(const struct disparity_plan *plan, double comparisons);

/* The rate and its effective sample size. */
double disparity_rate_of(const struct rates *r, enum disparity_rate which,
			 double *n_eff);

/* One comparison: a's rate against b's. */
struct comparison {
	size_t a, b;            /* input indexes (or a group in each run) */
	double rate_a, rate_b;
	double n_a, n_b;        /* effective sample sizes */
	double difference;      /* rate_a - rate_b */
	double ratio;           /* rate_b / rate_a (spreads: min / max) */
	struct interval diff_ci;  /* Newcombe, at the family's z */
	struct interval ratio_ci; /* MOVER-R, at the same z */
	double confidence;      /* each interval's own level */
};

/* 1 when the difference is established: its interval excludes 0. */
int comparison_difference_established(const struct comparison *c);
/* 1 when the ratio is established below 1: its interval's top is. */
int comparison_ratio_established(const struct comparison *c);

/* The spread of a rate across a feature's groups of at least min_size
 * rows. */
struct spread_ci {
	size_t groups;           /* groups counted */
	double z;
	int defined;             /* at least two groups counted */
	struct comparison widest;   /* max against min: the aggregate */
	/* the established pair with the largest difference (by_ratio 0)
	 * or the smallest ratio (by_ratio 1), when any */
	int has_established;
	struct comparison established;
};

/* A group's rows: its row count, or the sum of its (weighted) counts
 * when the rows were not counted (counts.csv). */
double disparity_group_rows(const struct summary_input *g);

/* 1 when g is low-n: fewer than min_size rows, left out of the spreads
 * (and of the gate's aggregates). */
int disparity_low_n(const struct summary_input *g, double min_size);

/* Search the pairs of sf's counted groups.  The pairs tried are, for
 * each group, it against the groups of highest rate and highest lower
 * bound, and against those of lowest rate and lowest upper bound: a
 * pair established at all is found among them in every case but the
 * contrived, and the cost stays linear in the groups.  by_ratio: rank
 * established pairs by ratio, else by difference.  Returns -1 when out
 * of memory. */
int disparity_spread(const struct disparity_plan *plan,
		     const struct run_summary *s,
		     const struct summary_input *groups,
		     const struct summary_feature *sf,
		     enum disparity_rate which, int by_ratio,
		     struct spread_ci *out);

/* A group's rate before (baseline) against after (candidate), in a family
 * of `family` groups: a is the baseline's, b the candidate's, so the
 * difference is the fall. */
void disparity_fall(const struct disparity_plan *plan, double family,
		    const struct rates *before, const struct rates *after,
		    enum disparity_rate which, struct comparison *out);

/* A feature's aggregates as the screens show them: the value over its
 * groups of at least min_group_size rows (the widest pair), that pair's
 * interval, and whether it is established.  (The gate may also fail on
 * another pair that is established when the widest is not; its finding
 * says so.) */
struct aggregate_ci {
	double value;        /* RATE_UNDEFINED when fewer than two groups */
	struct interval ci;
	int established;     /* 0 or 1; 0 when undefined */
	const char *metric;  /* "selection rate", "TPR", "FPR" */
};

struct feature_disparity {
	struct aggregate_ci dp_difference, dp_ratio, eo_difference;
};

/* Fill out for sf.  -1 when out of memory. */
int disparity_feature(const struct disparity_plan *plan,
		      const struct run_summary *s,
		      const struct summary_input *groups,
		      const struct summary_feature *sf,
		      struct feature_disparity *out);

/* 1 when histograms e and a (n bins of weights, any scale) of effective
 * sizes n1 and n2 differ beyond noise at a test's share of alpha (a
 * family of `family` tests); *statistic and *critical the chi-squared
 * and its critical value (NAN when the test is undefined: fewer than two
 * bins used, or a size not positive). */
int disparity_histograms_differ(const struct disparity_plan *plan,
				double family, const double *e,
				const double *a, size_t n, double n1,
				double n2, double *statistic,
				double *critical);

/* "[0.130, 0.220]" or "[n/a]" into buf. */
void disparity_format_interval(struct interval ci, char *buf, size_t size);

#endif
