/*
 * test_summary.c — core/summary.c: one run's evaluation summarised.
 *
 * From a hand-built input (the overall population, feature `group` with
 * A/B/C, feature `age` with two bands, and a `group & age` intersection
 * whose small cells have the widest gaps) checks: the features found and
 * their ranges, per-group rates, has_overall and the overall rates, and
 * that the headline dp_difference / eo_difference / worst_tpr take the
 * worst over single features only, never the intersection, with the
 * feature and group they come from.  Then the edges: no groups at all,
 * only the overall, no overall, TPR undefined everywhere, and the same
 * groups in another order.
 *
 * Counts are chosen so that every rate is a simple fraction; expected
 * aggregates are those fractions combined by hand (see each comment).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/summary.h"

static void same_double(double got, double want, const char *expr,
			const char *file, int line)
{
	uint64_t a, b;
	memcpy(&a, &got, sizeof a);
	memcpy(&b, &want, sizeof b);
	if (a != b) {
		print_error("%s:%d: %s: got %.17g, want %.17g\n", file, line,
			    expr, got, want);
		_fail(file, line);
	}
}

static void near_double(double got, double want, const char *expr,
			const char *file, int line)
{
	if (!(fabs(got - want) <= 1e-15 * fabs(want))) {
		print_error("%s:%d: %s: got %.17g, want %.17g\n", file, line,
			    expr, got, want);
		_fail(file, line);
	}
}

static void undefined_double(double got, const char *expr, const char *file,
			     int line)
{
	if (rate_defined(got)) {
		print_error("%s:%d: %s: got %.17g, want undefined\n", file,
			    line, expr, got);
		_fail(file, line);
	}
}

#define assert_same(got, want) same_double((got), (want), #got, __FILE__, \
					   __LINE__)
#define assert_near(got, want) near_double((got), (want), #got, __FILE__, \
					   __LINE__)
#define assert_undefined(got) undefined_double((got), #got, __FILE__, __LINE__)

static struct summary_input group(const char *feature, enum summary_kind kind,
				  const char *label, double tp, double fp,
				  double tn, double fn)
{
	struct summary_input in;
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

/*
 *                         tp fp tn fn   n  selection  TPR    FPR
 *  0 overall              12  4 18  6  40  16/40=0.4  12/18  4/22
 *  1 group A               8  1  9  2  20  9/20=0.45  0.8    1/10
 *  2 group B               3  2  4  1  10  5/10=0.5   0.75   2/6=1/3
 *  3 group C               1  1  5  3  10  2/10=0.2   0.25   1/6
 *  4 age 18-25             8  2 10  0  20  10/20=0.5  1      2/12=1/6
 *  5 age 26+               4  2  8  6  20  6/20=0.3   0.4    2/10=0.2
 *  6 group=A & age=18-25   5  0  0  0   5  1          1      undefined
 *  7 group=C & age=26+     0  0  3  2   5  0          0      0
 *
 * group: dp 0.5 - 0.2 = 0.3; TPR diff 0.8 - 0.25 = 0.55, FPR diff
 *        1/3 - 0.1 = 0.233; eo 0.55
 * age:   dp 0.5 - 0.3 = 0.2; TPR diff 1 - 0.4 = 0.6, FPR diff
 *        0.2 - 1/6 = 0.033; eo 0.6
 * group & age: dp 1 - 0 = 1, eo max(1, 0) = 1: the widest, but not in
 *        the headline.
 * Headline: dp 0.3 (group), eo 0.6 (age), worst TPR 0.25 (group C,
 * index 3), not the intersection's 0 (index 7).
 */
static const struct summary_input *c07_like(size_t *n)
{
	static struct summary_input in[8];
	in[0] = group("", SUMMARY_OVERALL, "", 12, 4, 18, 6);
	in[1] = group("group", SUMMARY_FEATURE, "A", 8, 1, 9, 2);
	in[2] = group("group", SUMMARY_FEATURE, "B", 3, 2, 4, 1);
	in[3] = group("group", SUMMARY_FEATURE, "C", 1, 1, 5, 3);
	in[4] = group("age", SUMMARY_FEATURE, "18-25", 8, 2, 10, 0);
	in[5] = group("age", SUMMARY_FEATURE, "26+", 4, 2, 8, 6);
	in[6] = group("group & age", SUMMARY_INTERSECTION,
		      "group=A & age=18-25", 5, 0, 0, 0);
	in[7] = group("group & age", SUMMARY_INTERSECTION,
		      "group=C & age=26+", 0, 0, 3, 2);
	*n = 8;
	return in;
}

static void test_features_and_rates(void **state)
{
	(void)state;
	size_t n;
	const struct summary_input *in = c07_like(&n);
	struct run_summary s;
	assert_int_equal(summary_build(in, n, 1.0, &s), 0);
	assert_int_equal(s.ngroups, 8);
	assert_int_equal(s.nfeatures, 4);
	assert_int_equal(s.features[0].kind, SUMMARY_OVERALL);
	assert_int_equal(s.features[0].first, 0);
	assert_int_equal(s.features[0].count, 1);
	assert_string_equal(s.features[1].name, "group");
	assert_int_equal(s.features[1].kind, SUMMARY_FEATURE);
	assert_int_equal(s.features[1].first, 1);
	assert_int_equal(s.features[1].count, 3);
	assert_string_equal(s.features[2].name, "age");
	assert_int_equal(s.features[2].first, 4);
	assert_int_equal(s.features[2].count, 2);
	assert_string_equal(s.features[3].name, "group & age");
	assert_int_equal(s.features[3].kind, SUMMARY_INTERSECTION);
	assert_int_equal(s.features[3].first, 6);
	assert_int_equal(s.features[3].count, 2);
	/* the name is borrowed from the input */
	assert_ptr_equal(s.features[1].name, in[1].feature);

	/* per-group rates, same order as the input */
	assert_same(s.rates[1].selection_rate, 0.45); /* 9/20 */
	assert_same(s.rates[3].tpr, 0.25);            /* 1/4 */
	assert_same(s.rates[5].fpr, 0.2);             /* 2/10 */
	assert_undefined(s.rates[6].fpr);             /* 0/0 */

	/* each feature's aggregates */
	assert_same(s.features[1].fair.dp_difference, 0.5 - 0.2);
	assert_same(s.features[1].fair.eo_difference, 0.8 - 0.25);
	assert_same(s.features[2].fair.dp_difference, 0.5 - 0.3);
	assert_same(s.features[2].fair.eo_difference, 1.0 - 0.4);
	assert_same(s.features[3].fair.dp_difference, 1.0);
	assert_same(s.features[3].fair.eo_difference, 1.0);
	summary_release(&s);
}

static void test_headline_single_features_only(void **state)
{
	(void)state;
	size_t n;
	const struct summary_input *in = c07_like(&n);
	struct run_summary s;
	assert_int_equal(summary_build(in, n, 1.0, &s), 0);
	/* dp: max(0.3 group, 0.2 age) = 0.3, not the intersection's 1 */
	assert_same(s.dp_difference, 0.5 - 0.2);
	assert_non_null(s.dp_feature);
	assert_string_equal(s.dp_feature->name, "group");
	/* eo: max(0.55 group, 0.6 age) = 0.6, not the intersection's 1 */
	assert_same(s.eo_difference, 1.0 - 0.4);
	assert_non_null(s.eo_feature);
	assert_string_equal(s.eo_feature->name, "age");
	/* worst TPR: min(0.25 group C, 0.4 age 26+) = 0.25, index 3 */
	assert_same(s.worst_tpr, 0.25);
	assert_int_equal(s.worst_tpr_group, 3);
	assert_string_equal(in[s.worst_tpr_group].label, "C");
	summary_release(&s);
}

static void test_overall(void **state)
{
	(void)state;
	size_t n;
	const struct summary_input *in = c07_like(&n);
	struct run_summary s;
	assert_int_equal(summary_build(in, n, 1.0, &s), 0);
	assert_true(s.has_overall);
	assert_same(s.overall.n, 40.0);
	assert_same(s.overall.accuracy, 0.75);      /* (12 + 18) / 40 */
	assert_same(s.overall.selection_rate, 0.4); /* 16 / 40 */
	assert_same(s.overall.precision, 0.75);     /* 12 / 16 */
	/* F1 with P 3/4, R 2/3: 2 (1/2) / (17/12) = 12/17 */
	assert_near(s.overall.f_beta, 12.0 / 17.0);
	summary_release(&s);

	/* beta 2: 5 (1/2) / (3 + 2/3) = 2.5 / (11/3) = 15/22 */
	assert_int_equal(summary_build(in, n, 2.0, &s), 0);
	assert_near(s.overall.f_beta, 15.0 / 22.0);
	summary_release(&s);

	/* the run has no beta_factor: F-beta undefined, accuracy not */
	assert_int_equal(summary_build(in, n, RATE_UNDEFINED, &s), 0);
	assert_undefined(s.overall.f_beta);
	assert_same(s.overall.accuracy, 0.75);
	assert_undefined(s.rates[1].f_beta);
	summary_release(&s);
}

static void test_no_groups(void **state)
{
	(void)state;
	struct run_summary s;
	assert_int_equal(summary_build(NULL, 0, 1.0, &s), 0);
	assert_int_equal(s.ngroups, 0);
	assert_int_equal(s.nfeatures, 0);
	assert_false(s.has_overall);
	assert_undefined(s.dp_difference);
	assert_undefined(s.eo_difference);
	assert_undefined(s.worst_tpr);
	assert_null(s.dp_feature);
	assert_null(s.eo_feature);
	summary_release(&s);
	assert_null(s.rates);
	assert_null(s.features);
	/* released twice is harmless: everything was reset */
	summary_release(&s);
}

static void test_only_overall(void **state)
{
	(void)state;
	struct summary_input in[1];
	in[0] = group("", SUMMARY_OVERALL, "", 3, 1, 3, 3);
	struct run_summary s;
	assert_int_equal(summary_build(in, 1, 1.0, &s), 0);
	assert_true(s.has_overall);
	assert_same(s.overall.tpr, 0.5); /* 3 / 6 */
	assert_int_equal(s.nfeatures, 1);
	assert_undefined(s.dp_difference);
	assert_undefined(s.eo_difference);
	assert_undefined(s.worst_tpr);
	assert_null(s.dp_feature);
	summary_release(&s);
}

static void test_no_overall(void **state)
{
	(void)state;
	/* age alone: 18-25 and 26+ as above */
	struct summary_input in[2];
	in[0] = group("age", SUMMARY_FEATURE, "18-25", 8, 2, 10, 0);
	in[1] = group("age", SUMMARY_FEATURE, "26+", 4, 2, 8, 6);
	struct run_summary s;
	assert_int_equal(summary_build(in, 2, 1.0, &s), 0);
	assert_false(s.has_overall);
	assert_same(s.dp_difference, 0.5 - 0.3);
	assert_same(s.worst_tpr, 0.4);
	assert_int_equal(s.worst_tpr_group, 1);
	summary_release(&s);
}

static void test_tpr_undefined_everywhere(void **state)
{
	(void)state;
	/* no positives in any group: TPR 0/0 everywhere; selection
	 * 1/4 and 2/4 */
	struct summary_input in[2];
	in[0] = group("sex", SUMMARY_FEATURE, "F", 0, 1, 3, 0);
	in[1] = group("sex", SUMMARY_FEATURE, "M", 0, 2, 2, 0);
	struct run_summary s;
	assert_int_equal(summary_build(in, 2, 1.0, &s), 0);
	assert_same(s.dp_difference, 0.5 - 0.25);
	assert_undefined(s.eo_difference); /* TPR spread undefined */
	assert_null(s.eo_feature);
	assert_undefined(s.worst_tpr);
	assert_int_equal(s.features[0].fair.tpr.left_out, 2);
	summary_release(&s);
}

static void test_other_order(void **state)
{
	(void)state;
	/* age first, then the intersection, then group: the worst TPR is
	 * still group C, now at index 5 */
	struct summary_input in[7];
	in[0] = group("age", SUMMARY_FEATURE, "18-25", 8, 2, 10, 0);
	in[1] = group("age", SUMMARY_FEATURE, "26+", 4, 2, 8, 6);
	in[2] = group("group & age", SUMMARY_INTERSECTION,
		      "group=A & age=18-25", 5, 0, 0, 0);
	in[3] = group("group & age", SUMMARY_INTERSECTION,
		      "group=C & age=26+", 0, 0, 3, 2);
	in[4] = group("group", SUMMARY_FEATURE, "A", 8, 1, 9, 2);
	in[5] = group("group", SUMMARY_FEATURE, "C", 1, 1, 5, 3);
	in[6] = group("group", SUMMARY_FEATURE, "B", 3, 2, 4, 1);
	struct run_summary s;
	assert_int_equal(summary_build(in, 7, 1.0, &s), 0);
	assert_int_equal(s.nfeatures, 3);
	assert_false(s.has_overall);
	assert_same(s.dp_difference, 0.5 - 0.2);
	assert_string_equal(s.dp_feature->name, "group");
	assert_same(s.eo_difference, 1.0 - 0.4);
	assert_string_equal(s.eo_feature->name, "age");
	assert_same(s.worst_tpr, 0.25);
	assert_int_equal(s.worst_tpr_group, 5);
	summary_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features_and_rates),
		cmocka_unit_test(test_headline_single_features_only),
		cmocka_unit_test(test_overall),
		cmocka_unit_test(test_no_groups),
		cmocka_unit_test(test_only_overall),
		cmocka_unit_test(test_no_overall),
		cmocka_unit_test(test_tpr_undefined_everywhere),
		cmocka_unit_test(test_other_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
