/*
 * test_rundisparity.c — service/rundisparity.c: a run's aggregates with
 * their intervals, as show, compare and the dashboard print them.
 *
 * One run, made by hand:
 *
 *                 tp  fp  tn  fn     n  selection  TPR    FPR
 *   overall     1061 356 1665 960  4042
 *   group A      600 200  800 400  2000  0.40      0.600  0.200
 *   group B      450 150  850 550  2000  0.30      0.450  0.150
 *   group C        6   2   14  10    32  0.25      0.375  0.125
 *   group D        5   4    1   0    10  0.90      1      0.800  (low-n)
 *   age young    800 100  900 200  2000  0.45      0.800  0.100
 *   age old      200 100  900 800  2000  0.15      0.200  0.100
 *
 * group: D, under min_group_size (30), is left out of the intervals, so
 * the DP difference is A - C = 0.15 (0.65 with D).  C is small: A against
 * C is not established, while A against B (0.10, thousands of rows each)
 * is: the established pair.  The same for the TPR (0.225 widest, 0.15
 * established).  age: two large groups far apart, established, no pair
 * to add.  The second group of tests, below, is of the aggregates both
 * ways (rundisparity_both).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "service/rundisparity.h"

static struct summary_input group(const char *feature, enum summary_kind kind,
				  const char *label, double tp, double fp,
				  double tn, double fn)
{
	struct summary_input in;
	memset(&in, 0, sizeof in);
	in.feature = feature;
	in.kind = kind;
	in.label = label;
	in.counts.tp = tp;
	in.counts.fp = fp;
	in.counts.tn = tn;
	in.counts.fn = fn;
	in.counts.rows = (int64_t)(tp + fp + tn + fn);
	in.counts.rows_positive = (int64_t)(tp + fn);
	return in;
}

enum { OVERALL, A, B, C, D, YOUNG, OLD, NGROUPS };

struct fixture {
	struct summary_input in[NGROUPS];
	struct loaded_run lr;
	struct policy p;
	struct run_disparity rd;
};

static int setup(void **state)
{
	static struct fixture fx;
	memset(&fx, 0, sizeof fx);
	fx.in[OVERALL] = group("", SUMMARY_OVERALL, "", 1061, 356, 1665, 960);
	fx.in[A] = group("group", SUMMARY_FEATURE, "A", 600, 200, 800, 400);
	fx.in[B] = group("group", SUMMARY_FEATURE, "B", 450, 150, 850, 550);
	fx.in[C] = group("group", SUMMARY_FEATURE, "C", 6, 2, 14, 10);
	fx.in[D] = group("group", SUMMARY_FEATURE, "D", 5, 4, 1, 0);
	fx.in[YOUNG] = group("age", SUMMARY_FEATURE, "young", 800, 100, 900,
			     200);
	fx.in[OLD] = group("age", SUMMARY_FEATURE, "old", 200, 100, 900, 800);
	fx.lr.input = fx.in;
	fx.lr.ngroups = NGROUPS;
	if (summary_build(fx.in, NGROUPS, RATE_UNDEFINED, &fx.lr.summary) != 0)
		return -1;
	policy_defaults(&fx.p);
	if (rundisparity_init(&fx.rd, &fx.lr, &fx.p) != 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	rundisparity_release(&fx->rd);
	summary_release(&fx->lr.summary);
	return 0;
}

static const struct summary_feature *feature(const struct fixture *fx,
					     const char *name)
{
	const struct run_summary *s = &fx->lr.summary;
	for (size_t k = 0; k < s->nfeatures; k++)
		if (strcmp(s->features[k].name, name) == 0 &&
		    s->features[k].kind != SUMMARY_OVERALL)
			return &s->features[k];
	fail_msg("no feature %s", name);
	return NULL;
}

static void assert_holds(const struct aggregate_ci *a)
{
	assert_true(a->ci.low <= a->value);
	assert_true(!rate_defined(a->ci.high) || a->value <= a->ci.high);
}

/* The policy's confidence and min_group_size, and one entry a feature. */
static void plan_from_policy(void **state)
{
	struct fixture *fx = *state;
	assert_true(fx->rd.confidence == 0.95);
	assert_true(fx->rd.min_group_size == 30);
	assert_int_equal(fx->rd.n, fx->lr.summary.nfeatures);
	/* the judge's plan of the run, so that the intervals shown are
	 * those of its verdicts */
	struct disparity_plan plan;
	disparity_plan_make(&fx->lr.summary, &fx->p, &plan);
	assert_true(fx->rd.plan.families == plan.families);
	assert_true(fx->rd.plan.alpha == plan.alpha);
	assert_true(fx->rd.plan.min_size == plan.min_size);
	assert_true(plan.families > 0);
}

/* The widest pair of the groups of at least 30 rows, not established:
 * C's 32 rows cannot tell 0.15 from none at the z of the run's families
 * of comparisons. */
static void widest_small_group_not_established(void **state)
{
	struct fixture *fx = *state;
	const struct summary_feature *sf = feature(fx, "group");
	const struct feature_disparity *fd =
		rundisparity_of(&fx->rd, &fx->lr.summary, sf);
	assert_non_null(fd);
	assert_true(fabs(fd->dp_difference.value - 0.15) < 1e-12);
	assert_false(fd->dp_difference.established);
	assert_true(fd->dp_difference.ci.low < 0);
	assert_holds(&fd->dp_difference);
	assert_string_equal(fd->dp_difference.metric, "selection rate");
	assert_true(fabs(fd->dp_ratio.value - 0.625) < 1e-12);
	assert_false(fd->dp_ratio.established);
	assert_holds(&fd->dp_ratio);
	assert_true(fabs(fd->eo_difference.value - 0.225) < 1e-12);
	assert_string_equal(fd->eo_difference.metric, "TPR");
	assert_false(fd->eo_difference.established);
	/* the low-n D counts over every group only */
	assert_true(fabs(sf->fair.dp_difference - 0.65) < 1e-12);
	const struct feature_both *b =
		rundisparity_both(&fx->rd, &fx->lr.summary, sf);
	assert_true(b->a[BOTH_DP_DIFFERENCE].gate == fd->dp_difference.value);
	assert_true(b->a[BOTH_DP_DIFFERENCE].all_groups ==
		    sf->fair.dp_difference);
	assert_int_equal(b->low_n, 1);
}

/* A against B: established, the pair the gate would fail on. */
static void established_pair(void **state)
{
	struct fixture *fx = *state;
	const struct summary_feature *sf = feature(fx, "group");
	const struct feature_pairs *pp =
		rundisparity_pairs(&fx->rd, &fx->lr.summary, sf);
	assert_non_null(pp);
	assert_true(pp->dp_difference.has);
	assert_int_equal(pp->dp_difference.a, A);
	assert_int_equal(pp->dp_difference.b, B);
	assert_true(fabs(pp->dp_difference.value - 0.10) < 1e-12);
	assert_true(pp->dp_difference.ci.low > 0);
	assert_true(pp->dp_ratio.has);
	assert_true(fabs(pp->dp_ratio.value - 0.75) < 1e-12);
	assert_true(pp->dp_ratio.ci.high < 1);
	assert_true(pp->eo_difference.has);
	assert_string_equal(pp->eo_difference.metric, "TPR");
	assert_int_equal(pp->eo_difference.a, A);
	assert_int_equal(pp->eo_difference.b, B);
	assert_true(fabs(pp->eo_difference.value - 0.15) < 1e-12);
}

/* Two large groups far apart: the aggregate is established itself, no
 * other pair to name. */
static void established_aggregate(void **state)
{
	struct fixture *fx = *state;
	const struct summary_feature *sf = feature(fx, "age");
	const struct feature_disparity *fd =
		rundisparity_of(&fx->rd, &fx->lr.summary, sf);
	const struct feature_pairs *pp =
		rundisparity_pairs(&fx->rd, &fx->lr.summary, sf);
	assert_true(fabs(fd->dp_difference.value - 0.30) < 1e-12);
	assert_true(fd->dp_difference.established);
	assert_true(fd->dp_difference.ci.low > 0);
	assert_holds(&fd->dp_difference);
	assert_true(fd->dp_ratio.established);
	assert_true(fd->dp_ratio.ci.high < 1);
	assert_true(fd->eo_difference.established);
	assert_false(pp->dp_difference.has);
	assert_false(pp->dp_ratio.has);
	assert_false(pp->eo_difference.has);
	assert_true(fabs(rundisparity_both(&fx->rd, &fx->lr.summary, sf)
				 ->a[BOTH_DP_DIFFERENCE]
				 .all_groups -
			 fd->dp_difference.value) < 1e-12);
}

/* The overall is no feature: undefined; a feature of another summary is
 * not found. */
static void overall_and_strangers(void **state)
{
	struct fixture *fx = *state;
	const struct run_summary *s = &fx->lr.summary;
	const struct feature_disparity *fd = NULL;
	for (size_t k = 0; k < s->nfeatures; k++)
		if (s->features[k].kind == SUMMARY_OVERALL)
			fd = rundisparity_of(&fx->rd, s, &s->features[k]);
	assert_non_null(fd);
	assert_false(rate_defined(fd->dp_difference.value));
	assert_false(rate_defined(fd->eo_difference.ci.low));
	assert_false(fd->dp_ratio.established);
	struct summary_feature other;
	memset(&other, 0, sizeof other);
	assert_null(rundisparity_of(&fx->rd, s, &other));
	assert_null(rundisparity_pairs(&fx->rd, s, &other));
}

/*
 * Both ways (rundisparity_both), on a second run made by hand, no
 * overall:
 *
 *                  tp  fp  tn  fn     n  selection  TPR     FPR
 *   race  W       240  60 240  60   600  0.50       0.80    0.20
 *   race  Bk      150  30 170  50   400  0.45       0.75    0.15
 *   race  X         1   0   9   8    18  1/18       1/9     0     low-n
 *   site  north   391  90 419 118  1018  (one group)
 *   region east   200  50 200  50   500  0.50       0.80    0.20
 *   region west   150  50 250  50   500  0.40       0.75    1/6
 *   region south    0   0   0   0     0  n/a        n/a     n/a   empty
 *   tier  gold     40   0   0  10    50  0.80       0.80    n/a
 *   tier  silver   30   0   0  20    50  0.60       0.60    n/a
 *
 * race: the 18-row X drives every aggregate over every group; the gate,
 * W against Bk only, sees a DP difference of 0.05 where every group
 * gives 0.5 - 1/18 = 0.444.  site: one group, no spread to the gate
 * (n/a), 0 and 1 over every group (Fairlearn's).  region: the empty
 * south is low-n and has no rate: both ways leave it out, the same
 * values.  tier: no negatives, FPR undefined in every group: every
 * equalized odds aggregate over every group is n/a, never 0; the gate's
 * equalized odds difference is the TPR's spread (core/disparity.h).
 */
enum { W, BK, X, NORTH, EAST, WEST, SOUTH, GOLD, SILVER, NBOTH };

struct both_fixture {
	struct summary_input in[NBOTH];
	struct loaded_run lr;
	struct policy p;
	struct run_disparity rd;
};

static int setup_both(void **state)
{
	static struct both_fixture fx;
	memset(&fx, 0, sizeof fx);
	fx.in[W] = group("race", SUMMARY_FEATURE, "W", 240, 60, 240, 60);
	fx.in[BK] = group("race", SUMMARY_FEATURE, "Bk", 150, 30, 170, 50);
	fx.in[X] = group("race", SUMMARY_FEATURE, "X", 1, 0, 9, 8);
	fx.in[NORTH] = group("site", SUMMARY_FEATURE, "north", 391, 90, 419,
			     118);
	fx.in[EAST] = group("region", SUMMARY_FEATURE, "east", 200, 50, 200,
			    50);
	fx.in[WEST] = group("region", SUMMARY_FEATURE, "west", 150, 50, 250,
			    50);
	fx.in[SOUTH] = group("region", SUMMARY_FEATURE, "south", 0, 0, 0, 0);
	fx.in[GOLD] = group("tier", SUMMARY_FEATURE, "gold", 40, 0, 0, 10);
	fx.in[SILVER] = group("tier", SUMMARY_FEATURE, "silver", 30, 0, 0, 20);
	fx.lr.input = fx.in;
	fx.lr.ngroups = NBOTH;
	if (summary_build(fx.in, NBOTH, RATE_UNDEFINED, &fx.lr.summary) != 0)
		return -1;
	policy_defaults(&fx.p);
	if (rundisparity_init(&fx.rd, &fx.lr, &fx.p) != 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown_both(void **state)
{
	struct both_fixture *fx = *state;
	rundisparity_release(&fx->rd);
	summary_release(&fx->lr.summary);
	return 0;
}

static const struct feature_both *both_of(const struct both_fixture *fx,
					  const char *name)
{
	const struct run_summary *s = &fx->lr.summary;
	for (size_t k = 0; k < s->nfeatures; k++)
		if (strcmp(s->features[k].name, name) == 0)
			return rundisparity_both(&fx->rd, s, &s->features[k]);
	fail_msg("no feature %s", name);
	return NULL;
}

/* want RATE_UNDEFINED: got must be undefined too (n/a, never 0) */
static void assert_value(double got, double want)
{
	if (!rate_defined(want)) {
		assert_false(rate_defined(got));
		return;
	}
	assert_true(rate_defined(got));
	assert_true(fabs(got - want) < 1e-12);
}

static void assert_both(const struct aggregate_both *b, double gate,
			double all)
{
	assert_value(b->gate, gate);
	assert_value(b->all_groups, all);
}

#define NA RATE_UNDEFINED

/* race: the 18-row group drives the value over every group, the gate
 * leaves it out; the three aggregates the judge draws intervals for
 * have the gate's interval, its value the gate's. */
static void both_low_n_drives(void **state)
{
	struct both_fixture *fx = *state;
	const struct feature_both *b = both_of(fx, "race");
	assert_non_null(b);
	assert_int_equal(b->groups, 3);
	assert_int_equal(b->low_n, 1);
	assert_both(&b->a[BOTH_DP_DIFFERENCE], 0.05, 0.5 - 1.0 / 18);
	assert_both(&b->a[BOTH_DP_RATIO], 0.9, 1.0 / 9);
	/* TPR 0.80 - 0.75 and FPR 0.20 - 0.15 tie at 0.05; over every
	 * group TPR 0.80 - 1/9 */
	assert_both(&b->a[BOTH_EO_DIFFERENCE], 0.05, 0.8 - 1.0 / 9);
	/* min(0.75 / 0.80, 0.15 / 0.20); every group: X's FPR 0 */
	assert_both(&b->a[BOTH_EO_RATIO], 0.75, 0.0);
	assert_both(&b->a[BOTH_EOP_DIFFERENCE], 0.05, 0.8 - 1.0 / 9);
	assert_string_equal(b->a[BOTH_DP_DIFFERENCE].name,
			    "demographic parity difference");
	assert_string_equal(b->a[BOTH_EO_RATIO].key, "equalized_odds_ratio");
	for (int k = 0; k < BOTH_AGGREGATES; k++) {
		const struct aggregate_ci *ci = b->a[k].ci;
		if (k == BOTH_EO_RATIO || k == BOTH_EOP_DIFFERENCE) {
			assert_null(ci);
			continue;
		}
		assert_non_null(ci);
		assert_true(ci->value == b->a[k].gate);
		assert_holds(ci);
	}
	assert_true(rundisparity_low_n(&fx->rd, &fx->in[X]));
	assert_false(rundisparity_low_n(&fx->rd, &fx->in[W]));
	assert_false(rundisparity_low_n(&fx->rd, &fx->in[BK]));
}

/* site: one group is no spread to the gate, 0 and 1 over every group. */
static void both_one_group(void **state)
{
	struct both_fixture *fx = *state;
	const struct feature_both *b = both_of(fx, "site");
	assert_int_equal(b->groups, 1);
	assert_int_equal(b->low_n, 0);
	assert_both(&b->a[BOTH_DP_DIFFERENCE], NA, 0.0);
	assert_both(&b->a[BOTH_DP_RATIO], NA, 1.0);
	assert_both(&b->a[BOTH_EO_DIFFERENCE], NA, 0.0);
	assert_both(&b->a[BOTH_EO_RATIO], NA, 1.0);
	assert_both(&b->a[BOTH_EOP_DIFFERENCE], NA, 0.0);
	assert_false(b->a[BOTH_DP_DIFFERENCE].ci->established);
}

/* region: the empty group is low-n and rateless: the same both ways. */
static void both_empty_group(void **state)
{
	struct both_fixture *fx = *state;
	const struct feature_both *b = both_of(fx, "region");
	assert_int_equal(b->groups, 3);
	assert_int_equal(b->low_n, 1);
	assert_true(rundisparity_low_n(&fx->rd, &fx->in[SOUTH]));
	assert_both(&b->a[BOTH_DP_DIFFERENCE], 0.1, 0.1);
	assert_both(&b->a[BOTH_DP_RATIO], 0.8, 0.8);
	/* TPR 0.80 - 0.75 is wider than FPR 0.20 - 1/6 */
	assert_both(&b->a[BOTH_EO_DIFFERENCE], 0.05, 0.05);
	assert_both(&b->a[BOTH_EO_RATIO], (1.0 / 6) / 0.2, (1.0 / 6) / 0.2);
	assert_both(&b->a[BOTH_EOP_DIFFERENCE], 0.05, 0.05);
}

/* tier: FPR undefined everywhere: the aggregates that need it are n/a
 * over every group (never 0); the gate judges the TPR's spread. */
static void both_undefined_rates(void **state)
{
	struct both_fixture *fx = *state;
	const struct feature_both *b = both_of(fx, "tier");
	assert_int_equal(b->low_n, 0);
	assert_both(&b->a[BOTH_DP_DIFFERENCE], 0.2, 0.2);
	assert_both(&b->a[BOTH_EO_DIFFERENCE], 0.2, NA);
	assert_string_equal(b->a[BOTH_EO_DIFFERENCE].ci->metric, "TPR");
	assert_both(&b->a[BOTH_EO_RATIO], NA, NA);
	assert_both(&b->a[BOTH_EOP_DIFFERENCE], 0.2, 0.2);
}

/* A feature of another summary has none. */
static void both_strangers(void **state)
{
	struct both_fixture *fx = *state;
	struct summary_feature other;
	memset(&other, 0, sizeof other);
	assert_null(rundisparity_both(&fx->rd, &fx->lr.summary, &other));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_from_policy),
		cmocka_unit_test(widest_small_group_not_established),
		cmocka_unit_test(established_pair),
		cmocka_unit_test(established_aggregate),
		cmocka_unit_test(overall_and_strangers),
#define BOTH(t) cmocka_unit_test_setup_teardown(t, setup_both, teardown_both)
		BOTH(both_low_n_drives),
		BOTH(both_one_group),
		BOTH(both_empty_group),
		BOTH(both_undefined_rates),
		BOTH(both_strangers),
#undef BOTH
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
