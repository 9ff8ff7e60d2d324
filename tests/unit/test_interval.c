/*
 * test_interval.c — core/interval.c (the 95 % Wilson score interval)
 * and core/reference.c (each group against a reference group).
 *
 * Wilson: the expected bounds come from the closed form
 *   (2k + z^2 -+ z sqrt(z^2 + 4k(n-k)/n)) / (2(n + z^2)),
 * a different arrangement from interval.c's centre and half width,
 * evaluated with Python's decimal module at 50 digits and rounded to 17;
 * they compare to 1e-12.  At k = 0 the lower bound is exactly 0 and at
 * k = n the upper bound exactly 1 (the closed form's square root is
 * then z itself), so those compare exactly.
 *
 * Reference: rates are written as the fractions of hand-made counts;
 * the expected differences and ratios are the same IEEE operations on
 * those fractions, so they compare exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/confusion.h"
#include "core/interval.h"
#include "core/reference.h"

static void close_to(double got, double want, double tol, const char *expr,
		     const char *file, int line)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("%s:%d: %s: got %.17g, want %.17g\n", file, line,
			    expr, got, want);
		_fail(file, line);
	}
}

#define assert_close(got, want) close_to((got), (want), 1e-12, #got, \
					 __FILE__, __LINE__)
#define assert_undefined(x) assert_false(rate_defined(x))

/* --- Wilson ----------------------------------------------------------- */

static void test_wilson_zero_of_ten(void **state)
{
	(void)state;
	/* k = 0: z^2 / (n + z^2) = 3.8414588206941236 / 13.841458820694124 */
	struct interval v = interval_wilson(0, 10, WILSON_Z95);
	assert_true(v.low == 0);
	assert_close(v.high, 0.27753279986288920);
}

static void test_wilson_five_of_ten(void **state)
{
	(void)state;
	struct interval v = interval_wilson(5, 10, WILSON_Z95);
	assert_close(v.low, 0.23659309051256400);
	assert_close(v.high, 0.76340690948743600);
	/* symmetric about 0.5 */
	assert_close(v.low + v.high, 1.0);
}

static void test_wilson_ten_of_ten(void **state)
{
	(void)state;
	struct interval v = interval_wilson(10, 10, WILSON_Z95);
	assert_close(v.low, 0.72246720013711080);
	assert_true(v.high == 1);
}

static void test_wilson_others(void **state)
{
	(void)state;
	struct interval v = interval_wilson(1, 3, WILSON_Z95);
	assert_close(v.low, 0.061491944720396242);
	assert_close(v.high, 0.79234039919795225);
	v = interval_wilson(3, 7, WILSON_Z95);
	assert_close(v.low, 0.15821985525146971);
	assert_close(v.high, 0.74954163547234278);
	/* large n: the bounds at the edges stay exact */
	v = interval_wilson(0, 1000, WILSON_Z95);
	assert_true(v.low == 0);
	assert_close(v.high, 0.0038267584855551232);
	v = interval_wilson(1000, 1000, WILSON_Z95);
	assert_close(v.low, 0.99617324151444488);
	assert_true(v.high == 1);
}

static void test_wilson_undefined(void **state)
{
	(void)state;
	struct interval v = interval_wilson(0, 0, WILSON_Z95);
	assert_undefined(v.low);
	assert_undefined(v.high);
	/* k above n, k negative: not a proportion */
	v = interval_wilson(11, 10, WILSON_Z95);
	assert_undefined(v.low);
	assert_undefined(v.high);
	v = interval_wilson(-1, 10, WILSON_Z95);
	assert_undefined(v.low);
	v = interval_wilson(RATE_UNDEFINED, 10, WILSON_Z95);
	assert_undefined(v.low);
}

static void test_wilson_z(void **state)
{
	(void)state;
	/* the 97.5 % normal quantile, sqrt(2) erfinv(0.95) =
	 * 1.95996398454005423552... (mpmath at 30 digits).  The header's
	 * 16 digits give the double one ulp (2.2e-16) below the nearest;
	 * that moves a bound by about 1e-16, nothing anyone sees */
	assert_true(fabs(WILSON_Z95 - 1.95996398454005423552) <= 2.3e-16);
}

/* --- reference group -------------------------------------------------- */

static struct rates rates_of(double n, double selection, double tpr,
			     double fpr)
{
	struct rates r;
	memset(&r, 0, sizeof r);
	r.n = n;
	r.selection_rate = selection;
	r.tpr = tpr;
	r.fpr = fpr;
	return r;
}

static void test_pick_largest(void **state)
{
	(void)state;
	const char *const labels[] = {"A", "B", "C"};
	struct rates r[3] = {rates_of(20, 0, 0, 0), rates_of(50, 0, 0, 0),
			     rates_of(30, 0, 0, 0)};
	assert_int_equal(reference_pick(r, labels, 3, NULL), 1);
	/* weighted sizes count, not rows */
	r[2].n = 50.5;
	assert_int_equal(reference_pick(r, labels, 3, NULL), 2);
}

static void test_pick_tie_first(void **state)
{
	(void)state;
	const char *const labels[] = {"A", "B", "C"};
	struct rates r[3] = {rates_of(20, 0, 0, 0), rates_of(40, 0, 0, 0),
			     rates_of(40, 0, 0, 0)};
	assert_int_equal(reference_pick(r, labels, 3, NULL), 1);
	r[0].n = 40;
	assert_int_equal(reference_pick(r, labels, 3, NULL), 0);
}

static void test_pick_named(void **state)
{
	(void)state;
	const char *const labels[] = {"A", "B", "C"};
	struct rates r[3] = {rates_of(20, 0, 0, 0), rates_of(50, 0, 0, 0),
			     rates_of(30, 0, 0, 0)};
	assert_int_equal(reference_pick(r, labels, 3, "A"), 0);
	assert_int_equal(reference_pick(r, labels, 3, "C"), 2);
	/* absent, or a prefix of a label: none */
	assert_true(reference_pick(r, labels, 3, "D") == (size_t)-1);
	assert_true(reference_pick(r, labels, 3, "") == (size_t)-1);
	/* no group at all */
	assert_true(reference_pick(r, labels, 0, NULL) == (size_t)-1);
	assert_true(reference_pick(r, labels, 0, "A") == (size_t)-1);
}

/*
 * Three groups (tp, fn, fp, tn):
 *   A (8, 2, 1, 9), n 20: selection 9/20, TPR 8/10, FPR 1/10
 *   B (3, 1, 2, 4), n 10: selection 5/10, TPR 3/4,  FPR 2/6
 *   C (0, 0, 1, 4), n 5:  selection 1/5,  TPR undefined, FPR 1/5
 * Reference A (largest).
 */
static void test_disparities(void **state)
{
	(void)state;
	struct rates r[3] = {
		rates_of(20, 9.0 / 20, 8.0 / 10, 1.0 / 10),
		rates_of(10, 5.0 / 10, 3.0 / 4, 2.0 / 6),
		rates_of(5, 1.0 / 5, RATE_UNDEFINED, 1.0 / 5),
	};
	const char *const labels[] = {"A", "B", "C"};
	struct disparity d[3];
	size_t ref = reference_pick(r, labels, 3, NULL);
	assert_int_equal(ref, 0);
	reference_disparities(r, 3, ref, d);

	/* the reference against itself: 0 and 1 */
	assert_true(d[0].selection_difference == 0);
	assert_true(d[0].selection_ratio == 1);
	assert_true(d[0].tpr_difference == 0);
	assert_true(d[0].tpr_ratio == 1);
	assert_true(d[0].fpr_difference == 0);
	assert_true(d[0].fpr_ratio == 1);

	/* B: 0.5 - 0.45, 0.5 / 0.45; 0.75 - 0.8, 0.75 / 0.8;
	 * 1/3 - 0.1, (1/3) / 0.1 */
	assert_true(d[1].selection_difference == 0.5 - 0.45);
	assert_true(d[1].selection_ratio == 0.5 / 0.45);
	assert_true(d[1].tpr_difference == 0.75 - 0.8);
	assert_true(d[1].tpr_ratio == 0.75 / 0.8);
	assert_true(d[1].fpr_difference == 2.0 / 6 - 0.1);
	assert_true(d[1].fpr_ratio == (2.0 / 6) / 0.1);

	/* C: TPR undefined, so are its TPR difference and ratio */
	assert_true(d[2].selection_difference == 0.2 - 0.45);
	assert_true(d[2].selection_ratio == 0.2 / 0.45);
	assert_undefined(d[2].tpr_difference);
	assert_undefined(d[2].tpr_ratio);
	assert_true(d[2].fpr_difference == 0.2 - 0.1);
	assert_true(d[2].fpr_ratio == 0.2 / 0.1);
}

static void test_disparities_named_reference(void **state)
{
	(void)state;
	struct rates r[2] = {
		rates_of(20, 9.0 / 20, 8.0 / 10, 1.0 / 10),
		rates_of(10, 5.0 / 10, 3.0 / 4, 2.0 / 6),
	};
	const char *const labels[] = {"A", "B"};
	struct disparity d[2];
	size_t ref = reference_pick(r, labels, 2, "B");
	assert_int_equal(ref, 1);
	reference_disparities(r, 2, ref, d);
	assert_true(d[0].selection_difference == 0.45 - 0.5);
	assert_true(d[0].selection_ratio == 0.45 / 0.5);
	assert_true(d[0].tpr_ratio == 0.8 / 0.75);
	assert_true(d[1].selection_ratio == 1);
}

static void test_disparities_reference_rate_zero(void **state)
{
	(void)state;
	/* the reference selects no one and has no false positives:
	 * ratios against 0 are undefined, never 0 or infinite; the
	 * differences are defined */
	struct rates r[2] = {
		rates_of(40, 0.0, 0.0, 0.0),
		rates_of(10, 0.3, 0.5, 0.25),
	};
	struct disparity d[2];
	reference_disparities(r, 2, 0, d);
	assert_true(d[1].selection_difference == 0.3);
	assert_undefined(d[1].selection_ratio);
	assert_true(d[1].tpr_difference == 0.5);
	assert_undefined(d[1].tpr_ratio);
	assert_true(d[1].fpr_difference == 0.25);
	assert_undefined(d[1].fpr_ratio);
	/* the reference itself: 0 - 0 = 0, 0 / 0 undefined */
	assert_true(d[0].selection_difference == 0);
	assert_undefined(d[0].selection_ratio);
	/* a group at 0 against a reference above 0: ratio 0 */
	reference_disparities(r, 2, 1, d);
	assert_true(d[0].selection_ratio == 0);
	assert_true(d[0].selection_difference == 0 - 0.3);
}

static void test_disparities_reference_undefined(void **state)
{
	(void)state;
	/* a reference with no positives: every TPR disparity undefined */
	struct rates r[2] = {
		rates_of(40, 0.25, RATE_UNDEFINED, 0.25),
		rates_of(10, 0.3, 0.5, 0.2),
	};
	struct disparity d[2];
	reference_disparities(r, 2, 0, d);
	assert_undefined(d[1].tpr_difference);
	assert_undefined(d[1].tpr_ratio);
	assert_true(d[1].fpr_difference == 0.2 - 0.25);
	assert_true(d[1].fpr_ratio == 0.2 / 0.25);
}

/* A group's four intervals, in enum group_rate's order: with unit
 * weights the same as interval_wilson() on the counts (tp 30, fn 10,
 * fp 20, tn 40: selection 50/100, TPR 30/40, FPR 20/60, precision
 * 30/50); with the squared weights of weight-2 rows (Kish: half the
 * weighted count) the first three are those of half the rows. */
static void test_group_rates(void **state)
{
	(void)state;
	struct confusion c;
	struct rates r;
	struct interval ci[GROUP_RATES];
	confusion_init(&c);
	c.tp = 30, c.fn = 10, c.fp = 20, c.tn = 40;
	c.rows = 100, c.rows_positive = 40;
	confusion_rates(&c, 1, &r);
	interval_group_rates(&c, &r, WILSON_Z95, ci);
	struct interval want[GROUP_RATES] = {
		interval_wilson(50, 100, WILSON_Z95),
		interval_wilson(30, 40, WILSON_Z95),
		interval_wilson(20, 60, WILSON_Z95),
		interval_wilson(30, 50, WILSON_Z95),
	};
	for (int k = 0; k < GROUP_RATES; k++) {
		assert_close(ci[k].low, want[k].low);
		assert_close(ci[k].high, want[k].high);
	}
	/* 50 rows of weight 2: the same weighted counts, squared weights
	 * 4 a row */
	c.rows = 50, c.rows_positive = 20;
	c.w2_positive = 4 * 20, c.w2_negative = 4 * 30;
	confusion_rates(&c, 1, &r);
	interval_group_rates(&c, &r, WILSON_Z95, ci);
	struct interval half[3] = {
		interval_wilson(25, 50, WILSON_Z95),
		interval_wilson(15, 20, WILSON_Z95),
		interval_wilson(10, 30, WILSON_Z95),
	};
	for (int k = 0; k < 3; k++) {
		assert_close(ci[k].low, half[k].low);
		assert_close(ci[k].high, half[k].high);
	}
	/* an empty group: every interval undefined, never 0 */
	confusion_init(&c);
	confusion_rates(&c, 1, &r);
	interval_group_rates(&c, &r, WILSON_Z95, ci);
	for (int k = 0; k < GROUP_RATES; k++)
		assert_undefined(ci[k].low);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson_zero_of_ten),
		cmocka_unit_test(test_wilson_five_of_ten),
		cmocka_unit_test(test_wilson_ten_of_ten),
		cmocka_unit_test(test_wilson_others),
		cmocka_unit_test(test_wilson_undefined),
		cmocka_unit_test(test_wilson_z),
		cmocka_unit_test(test_pick_largest),
		cmocka_unit_test(test_pick_tie_first),
		cmocka_unit_test(test_pick_named),
		cmocka_unit_test(test_disparities),
		cmocka_unit_test(test_disparities_named_reference),
		cmocka_unit_test(test_disparities_reference_rate_zero),
		cmocka_unit_test(test_disparities_reference_undefined),
		cmocka_unit_test(test_group_rates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
