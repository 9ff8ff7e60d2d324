/*
 * test_drift.c — core/drift.c: population stability index and
 * re-binning of score histograms.
 *
 * PSI = sum (a_i - e_i) ln(a_i / e_i) over shares, e the baseline and a
 * the candidate; a share of 0 on either side is floored at 1e-4 before
 * the logarithm (the other shares are not renormalised).  Each expected
 * value is written out as its arithmetic and was evaluated with Python's
 * math.log, independently of drift.c; they compare to 1e-15 relative.
 * Re-binning is checked on histograms whose sums are known in closed
 * form (sum of i over a run of integers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "core/confusion.h"
#include "core/drift.h"

static void close_to(double got, double want, double rel, const char *expr,
		     const char *file, int line)
{
	if (!(fabs(got - want) <= rel * fabs(want)) && got != want) {
		print_error("%s:%d: %s: got %.17g, want %.17g\n", file, line,
			    expr, got, want);
		_fail(file, line);
	}
}

#define assert_close(got, want) close_to((got), (want), 1e-15, #got, \
					 __FILE__, __LINE__)

static void test_hand_computed(void **state)
{
	(void)state;
	/* shares (0.5, 0.5) -> (0.25, 0.75):
	 * (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
	 * = (-0.25) ln(0.5) + 0.25 ln(1.5) = 0.2746530721670274 */
	const double e[] = {0.5, 0.5}, a[] = {0.25, 0.75};
	assert_close(drift_psi(e, a, 2), 0.2746530721670274);

	/* (0.5, 0.5) -> (0.3, 0.7): (-0.2) ln(0.6) + 0.2 ln(1.4)
	 * = 0.16945957207744072 */
	const double a2[] = {0.3, 0.7};
	assert_close(drift_psi(e, a2, 2), 0.16945957207744072);

	/* (0.5, 0.5) -> (0.4, 0.6): (-0.1) ln(0.8) + 0.1 ln(1.2)
	 * = 0.040546510810816436 */
	const double a3[] = {0.4, 0.6};
	assert_close(drift_psi(e, a3, 2), 0.040546510810816436);
}

static void test_symmetric(void **state)
{
	(void)state;
	/* each term (a - e) ln(a / e) is unchanged when a and e swap */
	const double e[] = {0.5, 0.5}, a[] = {0.25, 0.75};
	assert_close(drift_psi(a, e, 2), 0.2746530721670274);
}

static void test_identical(void **state)
{
	(void)state;
	const double h[] = {3, 0, 7, 1, 9};
	assert_true(drift_psi(h, h, 5) == 0);
	/* the same shares from different totals */
	const double twice[] = {6, 0, 14, 2, 18};
	assert_true(drift_psi(h, twice, 5) == 0);
}

static void test_empty_bin_floored(void **state)
{
	(void)state;
	/* expected side empty in the third bin:
	 * e = (0.5, 0.5, 0 -> 1e-4), a = (0.25, 0.5, 0.25):
	 * (0.25 - 0.5) ln(0.25 / 0.5) + 0 + (0.25 - 1e-4) ln(0.25 / 1e-4)
	 * = 2.1285158932529735 */
	const double e[] = {0.5, 0.5, 0}, a[] = {0.25, 0.5, 0.25};
	double psi = drift_psi(e, a, 3);
	assert_true(isfinite(psi));
	assert_close(psi, 2.1285158932529735);
	/* actual side empty: the terms swap, the sum is the same */
	assert_close(drift_psi(a, e, 3), 2.1285158932529735);
	/* a bin empty on both sides adds nothing */
	const double e0[] = {0.5, 0.5, 0, 0}, a0[] = {0.25, 0.5, 0.25, 0};
	assert_close(drift_psi(e0, a0, 4), 2.1285158932529735);
	assert_true(DRIFT_EMPTY_FLOOR == 1e-4);
}

static void test_counts_and_shares(void **state)
{
	(void)state;
	/* counts are normalised to shares: 50/50 and 25/75 out of 100,
	 * 1/1 and 1/3 out of 2 and 4 */
	const double e[] = {50, 50}, a[] = {25, 75};
	assert_close(drift_psi(e, a, 2), 0.2746530721670274);
	const double e2[] = {1, 1}, a2[] = {1, 3};
	assert_close(drift_psi(e2, a2, 2), 0.2746530721670274);
	/* weighted counts (e.g. 0.1 + 0.2 + 0.7 by row weight) */
	const double e3[] = {0.35, 0.35}, a3[] = {0.15, 0.45};
	assert_close(drift_psi(e3, a3, 2), 0.2746530721670274);
}

static void test_total_zero_undefined(void **state)
{
	(void)state;
	const double zero[] = {0, 0, 0}, h[] = {1, 2, 3};
	assert_false(rate_defined(drift_psi(zero, h, 3)));
	assert_false(rate_defined(drift_psi(h, zero, 3)));
	assert_false(rate_defined(drift_psi(zero, zero, 3)));
	/* no bins at all */
	assert_false(rate_defined(drift_psi(h, h, 0)));
}

static void test_rebin_100_to_10(void **state)
{
	(void)state;
	double in[100], out[10];
	for (int i = 0; i < 100; i++)
		in[i] = i;
	drift_rebin(in, 100, out, 10);
	/* out[j] = sum of i for i in 10j .. 10j+9 = 100j + 45 */
	for (int j = 0; j < 10; j++)
		assert_true(out[j] == 100.0 * j + 45);
}

static void test_rebin_100_to_4(void **state)
{
	(void)state;
	double in[100], out[4];
	for (int i = 0; i < 100; i++)
		in[i] = i;
	drift_rebin(in, 100, out, 4);
	/* out[j] = sum of i for i in 25j .. 25j+24 = 625j + 300 */
	assert_true(out[0] == 300);
	assert_true(out[1] == 925);
	assert_true(out[2] == 1550);
	assert_true(out[3] == 2175);
}

static void test_rebin_identity_and_one(void **state)
{
	(void)state;
	double in[100], same[100], one[1];
	for (int i = 0; i < 100; i++)
		in[i] = (i % 7) * 0.5;
	drift_rebin(in, 100, same, 100);
	for (int i = 0; i < 100; i++)
		assert_true(same[i] == in[i]);
	/* (i % 7) over 0..99: 14 full cycles (sum 21 each) and 0, 1 */
	drift_rebin(in, 100, one, 1);
	assert_true(one[0] == 0.5 * (14 * 21 + 0 + 1));
}

static void test_rebin_then_psi(void **state)
{
	(void)state;
	/* baseline mass in fine bins 5 and 95, candidate in 3 and 99:
	 * on 10 coarse bins both fall in bins 0 and 9, so the shares
	 * (0.5, 0, ..., 0.5) -> (0.25, 0, ..., 0.75) give 0.2746...;
	 * on the 100 fine bins nothing overlaps:
	 * 2 (1e-4 - 0.5) ln(1e-4 / 0.5) + (0.25 - 1e-4) ln(0.25 / 1e-4)
	 * + (0.75 - 1e-4) ln(0.75 / 1e-4) = 17.16182030970429 */
	double e[100] = {0}, a[100] = {0}, ec[10], ac[10];
	e[5] = 50;
	e[95] = 50;
	a[3] = 25;
	a[99] = 75;
	drift_rebin(e, 100, ec, 10);
	drift_rebin(a, 100, ac, 10);
	assert_close(drift_psi(ec, ac, 10), 0.2746530721670274);
	assert_close(drift_psi(e, a, 100), 17.16182030970429);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_computed),
		cmocka_unit_test(test_symmetric),
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_empty_bin_floored),
		cmocka_unit_test(test_counts_and_shares),
		cmocka_unit_test(test_total_zero_undefined),
		cmocka_unit_test(test_rebin_100_to_10),
		cmocka_unit_test(test_rebin_100_to_4),
		cmocka_unit_test(test_rebin_identity_and_one),
		cmocka_unit_test(test_rebin_then_psi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
