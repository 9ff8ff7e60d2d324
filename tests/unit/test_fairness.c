/*
 * test_fairness.c — core/fairness.c: aggregates across the groups of a
 * feature, with Fairlearn's between_groups / worst_case semantics.
 *
 * Covers, on a three-group example worked by hand: demographic parity
 * difference (max - min of selection rate) and ratio (min / max),
 * equalized odds difference (the larger of the TPR and FPR differences)
 * and ratio (the smaller of the two ratios), equal opportunity, and the
 * indices of the groups at min and max.  Then the deliberate difference
 * from Fairlearn: a group with an undefined TPR is left out and counted,
 * where taking it as 0 (Fairlearn's recall with zero_division=0) would
 * give a larger difference; and the edges: one group, no defined group,
 * max 0, no group at all, more groups than the stack buffer holds.
 *
 * Group rates are written as fractions of the hand-made counts; the
 * expected aggregates are the same IEEE operations on those values
 * (e.g. 0.5 - 0.2), so they compare exactly.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/fairness.h"

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
#define assert_undefined(got) undefined_double((got), #got, __FILE__, __LINE__)

/* A group's rates from its counts, by hand (only what fairness reads). */
static struct rates group_rates(double selection, double tpr, double fpr)
{
	struct rates r;
	memset(&r, 0, sizeof r);
	r.selection_rate = selection;
	r.tpr = tpr;
	r.fpr = fpr;
	return r;
}

/*
 * Three groups:
 *   A: tp 8, fn 2, fp 1, tn 9 (n 20): selection 9/20 = 0.45,
 *      TPR 8/10 = 0.8, FPR 1/10 = 0.1
 *   B: tp 3, fn 1, fp 2, tn 4 (n 10): selection 5/10 = 0.5,
 *      TPR 3/4 = 0.75, FPR 2/6 = 1/3
 *   C: tp 1, fn 3, fp 1, tn 5 (n 10): selection 2/10 = 0.2,
 *      TPR 1/4 = 0.25, FPR 1/6
 */
static void three_groups(struct rates *r)
{
	r[0] = group_rates(9.0 / 20.0, 8.0 / 10.0, 1.0 / 10.0);
	r[1] = group_rates(5.0 / 10.0, 3.0 / 4.0, 2.0 / 6.0);
	r[2] = group_rates(2.0 / 10.0, 1.0 / 4.0, 1.0 / 6.0);
}

static void test_three_groups(void **state)
{
	(void)state;
	struct rates r[3];
	struct fairness f;
	three_groups(r);
	fairness_compute(r, 3, &f);

	/* selection: max 0.5 (B, 1), min 0.2 (C, 2) */
	assert_same(f.selection.max, 0.5);
	assert_same(f.selection.min, 0.2);
	assert_int_equal(f.selection.max_group, 1);
	assert_int_equal(f.selection.min_group, 2);
	assert_int_equal(f.selection.used, 3);
	assert_int_equal(f.selection.left_out, 0);
	assert_same(f.dp_difference, 0.5 - 0.2); /* 0.3 */
	assert_same(f.dp_ratio, 0.2 / 0.5);      /* 0.4 */
	assert_same(f.selection.difference, f.dp_difference);

	/* TPR: max 0.8 (A, 0), min 0.25 (C, 2) */
	assert_int_equal(f.tpr.max_group, 0);
	assert_int_equal(f.tpr.min_group, 2);
	assert_same(f.tpr.difference, 0.8 - 0.25); /* 0.55 */
	assert_same(f.tpr.ratio, 0.25 / 0.8);      /* 0.3125 */
	assert_same(f.eop_difference, 0.8 - 0.25);

	/* FPR: max 1/3 (B, 1), min 0.1 (A, 0) */
	assert_int_equal(f.fpr.max_group, 1);
	assert_int_equal(f.fpr.min_group, 0);
	assert_same(f.fpr.difference, 2.0 / 6.0 - 0.1);  /* 0.2333... */
	assert_same(f.fpr.ratio, 0.1 / (2.0 / 6.0));     /* 0.3 */

	/* equalized odds: difference max(0.55, 0.2333) = 0.55 (from TPR),
	 * ratio min(0.3125, 0.3) = 0.3 (from FPR) */
	assert_same(f.eo_difference, 0.8 - 0.25);
	assert_same(f.eo_ratio, 0.1 / (2.0 / 6.0));
	assert_true(f.eo_ratio < 0.3125);
}

static void test_undefined_group_left_out(void **state)
{
	(void)state;
	/* D: tp 0, fn 0, fp 1, tn 4 (n 5): no positives, TPR 0/0
	 * undefined; selection 1/5 = 0.2, FPR 1/5 = 0.2 */
	struct rates r[4];
	struct fairness f;
	three_groups(r);
	r[3] = group_rates(1.0 / 5.0, RATE_UNDEFINED, 1.0 / 5.0);
	fairness_compute(r, 4, &f);
	assert_int_equal(f.tpr.used, 3);
	assert_int_equal(f.tpr.left_out, 1);
	assert_int_equal(f.selection.left_out, 0);
	assert_int_equal(f.fpr.left_out, 0);
	/* TPR over A, B, C only: still 0.8 - 0.25 */
	assert_same(f.tpr.min, 0.25);
	assert_int_equal(f.tpr.min_group, 2);
	assert_same(f.tpr.difference, 0.8 - 0.25);
	assert_same(f.eo_difference, 0.8 - 0.25);
	/* FPR: D's 0.2 lies between 0.1 and 1/3: unchanged */
	assert_same(f.fpr.difference, 2.0 / 6.0 - 0.1);

	/* Fairlearn's recall gives 0 for D: TPR min 0 (D), difference
	 * 0.8 - 0 = 0.8, ratio 0 / 0.8 = 0: a different, larger value */
	double as_fairlearn[4] = {0.8, 0.75, 0.25, 0.0};
	struct spread s;
	fairness_spread(as_fairlearn, 4, &s);
	assert_same(s.difference, 0.8);
	assert_same(s.ratio, 0.0);
	assert_int_equal(s.min_group, 3);
	assert_true(s.difference > f.tpr.difference);
	assert_true(s.ratio < f.tpr.ratio);
}

static void test_one_group(void **state)
{
	(void)state;
	double one[1] = {0.37};
	struct spread s;
	fairness_spread(one, 1, &s);
	assert_same(s.min, 0.37);
	assert_same(s.max, 0.37);
	assert_same(s.difference, 0.0);
	assert_same(s.ratio, 1.0);
	assert_int_equal(s.min_group, 0);
	assert_int_equal(s.max_group, 0);
	assert_int_equal(s.used, 1);

	/* one defined group among undefined ones */
	double mixed[3] = {RATE_UNDEFINED, 0.6, RATE_UNDEFINED};
	fairness_spread(mixed, 3, &s);
	assert_same(s.difference, 0.0);
	assert_same(s.ratio, 1.0);
	assert_int_equal(s.min_group, 1);
	assert_int_equal(s.max_group, 1);
	assert_int_equal(s.used, 1);
	assert_int_equal(s.left_out, 2);

	/* a feature with one group: all differences 0, ratios 1 */
	struct rates r[1];
	struct fairness f;
	r[0] = group_rates(0.45, 0.8, 0.1);
	fairness_compute(r, 1, &f);
	assert_same(f.dp_difference, 0.0);
	assert_same(f.dp_ratio, 1.0);
	assert_same(f.eo_difference, 0.0);
	assert_same(f.eo_ratio, 1.0);
	assert_same(f.eop_difference, 0.0);
}

static void test_no_defined_group(void **state)
{
	(void)state;
	double none[2] = {RATE_UNDEFINED, RATE_UNDEFINED};
	struct spread s;
	fairness_spread(none, 2, &s);
	assert_undefined(s.min);
	assert_undefined(s.max);
	assert_undefined(s.difference);
	assert_undefined(s.ratio);
	assert_int_equal(s.used, 0);
	assert_int_equal(s.left_out, 2);

	/* no group at all */
	fairness_spread(none, 0, &s);
	assert_undefined(s.difference);
	assert_undefined(s.ratio);
	assert_int_equal(s.used, 0);
	assert_int_equal(s.left_out, 0);

	struct fairness f;
	fairness_compute(NULL, 0, &f);
	assert_undefined(f.dp_difference);
	assert_undefined(f.dp_ratio);
	assert_undefined(f.eo_difference);
	assert_undefined(f.eo_ratio);
	assert_undefined(f.eop_difference);

	/* every group without negatives: FPR undefined everywhere, so
	 * equalized odds is undefined while equal opportunity is not */
	struct rates r[2];
	r[0] = group_rates(0.5, 0.5, RATE_UNDEFINED);
	r[1] = group_rates(0.75, 0.75, RATE_UNDEFINED);
	fairness_compute(r, 2, &f);
	assert_int_equal(f.fpr.left_out, 2);
	assert_undefined(f.eo_difference);
	assert_undefined(f.eo_ratio);
	assert_same(f.eop_difference, 0.25);   /* 0.75 - 0.5 */
	assert_same(f.dp_difference, 0.25);
	assert_same(f.dp_ratio, 0.5 / 0.75);   /* 2/3 */
}

static void test_max_zero(void **state)
{
	(void)state;
	double zeros[3] = {0.0, RATE_UNDEFINED, 0.0};
	struct spread s;
	fairness_spread(zeros, 3, &s);
	assert_same(s.difference, 0.0); /* 0 - 0 */
	assert_undefined(s.ratio);      /* 0 / 0 */
	assert_int_equal(s.used, 2);
	assert_int_equal(s.left_out, 1);

	/* no group selected at all: dp difference 0, ratio undefined */
	struct rates r[2];
	struct fairness f;
	r[0] = group_rates(0.0, 0.0, 0.0);
	r[1] = group_rates(0.0, 0.0, 0.0);
	fairness_compute(r, 2, &f);
	assert_same(f.dp_difference, 0.0);
	assert_undefined(f.dp_ratio);
	assert_same(f.eo_difference, 0.0);
	assert_undefined(f.eo_ratio);

	/* min 0, max positive: ratio 0, defined */
	double some[2] = {0.0, 0.4};
	fairness_spread(some, 2, &s);
	assert_same(s.ratio, 0.0);
	assert_same(s.difference, 0.4);
}

static void test_min_max_index(void **state)
{
	(void)state;
	double v[5] = {0.3, 0.9, RATE_UNDEFINED, 0.1, 0.5};
	struct spread s;
	fairness_spread(v, 5, &s);
	assert_int_equal(s.min_group, 3);
	assert_int_equal(s.max_group, 1);
	assert_same(s.min, 0.1);
	assert_same(s.max, 0.9);
	assert_same(s.difference, 0.9 - 0.1);
	assert_same(s.ratio, 0.1 / 0.9);
	assert_int_equal(s.used, 4);
	assert_int_equal(s.left_out, 1);

	/* the first group undefined: indices still point at the right
	 * ones */
	double w[3] = {RATE_UNDEFINED, 0.7, 0.2};
	fairness_spread(w, 3, &s);
	assert_int_equal(s.min_group, 2);
	assert_int_equal(s.max_group, 1);

	/* ties: the index names a group holding the value */
	double t[4] = {0.4, 0.2, 0.2, 0.4};
	fairness_spread(t, 4, &s);
	assert_same(t[s.min_group], 0.2);
	assert_same(t[s.max_group], 0.4);
}

static void test_many_groups(void **state)
{
	(void)state;
	/* 100 groups: more than the 64 the stack buffer holds.
	 * selection i/100: min 0 (group 0), max 99/100 (group 99);
	 * FPR defined for odd i only, i/200: min 1/200 (group 1),
	 * max 99/200 (group 99); TPR 0.5 everywhere. */
	enum { N = 100 };
	struct rates r[N];
	for (int i = 0; i < N; i++)
		r[i] = group_rates(i / 100.0, 0.5,
				   i % 2 ? i / 200.0 : RATE_UNDEFINED);
	struct fairness f;
	fairness_compute(r, N, &f);
	assert_int_equal(f.selection.min_group, 0);
	assert_int_equal(f.selection.max_group, 99);
	assert_same(f.dp_difference, 99 / 100.0 - 0.0);
	assert_same(f.dp_ratio, 0.0);
	assert_int_equal(f.fpr.used, 50);
	assert_int_equal(f.fpr.left_out, 50);
	assert_int_equal(f.fpr.min_group, 1);
	assert_int_equal(f.fpr.max_group, 99);
	assert_same(f.fpr.difference, 99 / 200.0 - 1 / 200.0);
	assert_same(f.tpr.difference, 0.0);
	/* eo: max(0, 0.49) */
	assert_same(f.eo_difference, 99 / 200.0 - 1 / 200.0);
	/* eo ratio: min(1, (1/200) / (99/200)) */
	assert_same(f.eo_ratio, (1 / 200.0) / (99 / 200.0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_groups),
		cmocka_unit_test(test_undefined_group_left_out),
		cmocka_unit_test(test_one_group),
		cmocka_unit_test(test_no_defined_group),
		cmocka_unit_test(test_max_zero),
		cmocka_unit_test(test_min_max_index),
		cmocka_unit_test(test_many_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
