/*
 * test_disparity.c — core/disparity.c and the intervals under it
 * (interval.c's Newcombe interval and normal quantile, confusion.c's
 * Kish effective sizes).
 *
 * Expected values come from elsewhere than the code under test:
 *   - Newcombe's own table (Statistics in Medicine 17, 1998, Table II,
 *     method 10), to the four decimals he printed;
 *   - normal quantiles from Python's statistics.NormalDist.inv_cdf
 *     (Wichura's AS241, not bisection on erfc), to 1e-12;
 *   - spreads' intervals from tests/unit/disparity_ref.py (the Wilson
 *     closed form, hypot, NormalDist), to 1e-12;
 *   - Kish sizes worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/disparity.h"
#include "core/policy.h"

static void close_to(double got, double want, double tol, const char *expr,
		     const char *file, int line)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("%s:%d: %s: got %.17g, want %.17g\n", file, line,
			    expr, got, want);
		_fail(file, line);
	}
}

#define assert_close(got, want, tol) \
	close_to((got), (want), (tol), #got, __FILE__, __LINE__)

/* --- the normal quantile ------------------------------------------------ */

static void test_quantile(void **state)
{
	(void)state;
	assert_close(normal_upper_quantile(0.025), 1.9599639845400536, 1e-12);
	assert_close(normal_upper_quantile(0.005), 2.5758293035488999, 1e-12);
	assert_close(normal_upper_quantile(0.0025), 2.8070337683438114, 1e-12);
	/* far in the tail, where 1 - tail would have lost its digits */
	assert_close(normal_upper_quantile(1e-10), 6.3613409024040557, 1e-9);
	assert_true(normal_upper_quantile(0.5) == 0);
	assert_close(normal_upper_quantile(0.975), -1.9599639845400536, 1e-12);
	assert_true(isnan(normal_upper_quantile(0)));
	assert_true(isnan(normal_upper_quantile(1)));
	assert_true(isnan(normal_upper_quantile(-1)));
	assert_true(isnan(normal_upper_quantile(NAN)));
}

/* --- Newcombe's interval, his Table II ---------------------------------- */

static void test_newcombe_table(void **state)
{
	(void)state;
	static const struct {
		double k1, n1, k2, n2, low, high;
	} t[] = {
		{56, 70, 48, 80, 0.0524, 0.3339},
		{9, 10, 3, 10, 0.1705, 0.8090},
		{6, 7, 2, 7, 0.0582, 0.8062},
		{5, 56, 0, 29, -0.0381, 0.1926},
		{0, 10, 0, 20, -0.1611, 0.2775},
		{0, 10, 0, 10, -0.2775, 0.2775},
		{10, 10, 0, 20, 0.6791, 1.0000},
		{10, 10, 0, 10, 0.6075, 1.0000},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		double p1 = t[i].k1 / t[i].n1, p2 = t[i].k2 / t[i].n2;
		struct interval d = interval_newcombe(
			p1, interval_wilson(t[i].k1, t[i].n1, WILSON_Z95), p2,
			interval_wilson(t[i].k2, t[i].n2, WILSON_Z95));
		assert_close(d.low, t[i].low, 0.00005);
		assert_close(d.high, t[i].high, 0.00005);
	}
	/* an undefined side gives an undefined interval, never 0 */
	struct interval none = {RATE_UNDEFINED, RATE_UNDEFINED};
	struct interval d = interval_newcombe(0.5, interval_wilson(5, 10, 2),
					      RATE_UNDEFINED, none);
	assert_true(isnan(d.low) && isnan(d.high));
	/* interval_rate: p on an effective n is k = p n */
	struct interval a = interval_rate(0.5, 10, WILSON_Z95);
	struct interval b = interval_wilson(5, 10, WILSON_Z95);
	assert_true(a.low == b.low && a.high == b.high);
	assert_true(isnan(interval_rate(0.5, 0, 2).low));
	assert_true(isnan(interval_rate(NAN, 10, 2).low));
	assert_true(isnan(interval_rate(0.5, INFINITY, 2).low));
}

/* --- Kish's effective sample size --------------------------------------- */

static void test_kish(void **state)
{
	(void)state;
	struct confusion c;
	struct rates r;
	confusion_init(&c);
	/* positives weighted 1 and 3: (1 + 3)^2 / (1 + 9) = 1.6;
	 * negatives 2 and 2: 16 / 8 = 2; all: 64 / 18 */
	confusion_add(&c, 1, 1, 1);
	confusion_add(&c, 1, 0, 3);
	confusion_add(&c, 0, 0, 2);
	confusion_add(&c, 0, 1, 2);
	confusion_rates(&c, 1, &r);
	assert_close(r.n_eff_positive, 1.6, 1e-15);
	assert_close(r.n_eff_negative, 2, 1e-15);
	assert_close(r.n_eff, 64.0 / 18, 1e-15);
	/* unit weights: the row counts */
	confusion_init(&c);
	for (int i = 0; i < 7; i++)
		confusion_add(&c, i % 2, i % 3 == 0, 1);
	confusion_rates(&c, 1, &r);
	assert_true(r.n_eff == 7 && r.n_eff_positive == 3 &&
		    r.n_eff_negative == 4);
	/* merged cells add their squared weights */
	struct confusion m;
	confusion_init(&m);
	confusion_merge(&m, &c);
	confusion_merge(&m, &c);
	confusion_rates(&m, 1, &r);
	assert_true(r.n_eff == 14);
	/* squared weights unknown: the rows when known, else the weighted
	 * counts themselves; nothing: 0 */
	assert_true(confusion_effective_n(2.5, 0, 40) == 40);
	assert_true(confusion_effective_n(2.5, 0, -1) == 2.5);
	assert_true(confusion_effective_n(0, 0, 0) == 0);
	assert_true(confusion_effective_n(NAN, 1, 3) == 0);
}

/* --- spreads ------------------------------------------------------------ */

struct run {
	struct summary_input in[8];
	size_t n;
	struct run_summary sum;
};

static void add(struct run *r, const char *feature, enum summary_kind kind,
		const char *label, double selected, double rows)
{
	struct summary_input *g = &r->in[r->n++];
	memset(g, 0, sizeof *g);
	g->feature = feature;
	g->kind = kind;
	g->label = label;
	/* selected rows are true positives, the rest true negatives:
	 * selection rate selected / rows */
	g->counts.tp = selected;
	g->counts.tn = rows - selected;
	g->counts.rows = (int64_t)rows;
	g->counts.rows_positive = (int64_t)selected;
}

static void build(struct run *r)
{
	assert_int_equal(summary_build(r->in, r->n, 1, &r->sum), 0);
}

static void test_plan_families(void **state)
{
	(void)state;
	struct run r = {.n = 0};
	struct policy p;
	struct disparity_plan plan;
	policy_defaults(&p);
	add(&r, "", SUMMARY_OVERALL, "", 50, 100);
	add(&r, "grp", SUMMARY_FEATURE, "A", 25, 50);
	add(&r, "grp", SUMMARY_FEATURE, "B", 25, 50);
	add(&r, "age", SUMMARY_FEATURE, "young", 50, 100);
	add(&r, "grp & age", SUMMARY_INTERSECTION, "grp=A & age=young", 25,
	    50);
	add(&r, "grp & age", SUMMARY_INTERSECTION, "grp=B & age=young", 25,
	    50);
	build(&r);
	disparity_plan_make(&r.sum, &p, &plan);
	/* two features of seven families, one intersection of three */
	assert_true(plan.families == 17);
	assert_close(plan.alpha, 0.05, 1e-15);
	/* one comparison of 34 x 1 two-sided: the upper 0.05/34 quantile */
	assert_close(disparity_z(&plan, 1), 2.9738199012203119, 1e-12);
	assert_true(isnan(disparity_z(&plan, 0)));
	summary_release(&r.sum);
}

/* A (10 000 rows, 0.50), B (10 000, 0.35) and C (30, 0.30): the widest
 * pair, A against C, is noise at this level; A against B is not, and is
 * the pair the search must find. */
static void test_spread_finds_established_pair(void **state)
{
	(void)state;
	struct run r = {.n = 0};
	struct policy p;
	struct disparity_plan plan;
	struct spread_ci sp;
	policy_defaults(&p);
	add(&r, "grp", SUMMARY_FEATURE, "A", 5000, 10000);
	add(&r, "grp", SUMMARY_FEATURE, "B", 3500, 10000);
	add(&r, "grp", SUMMARY_FEATURE, "C", 9, 30);
	build(&r);
	disparity_plan_make(&r.sum, &p, &plan);
	assert_int_equal(disparity_spread(&plan, &r.sum, r.in,
					  &r.sum.features[0],
					  DISPARITY_SELECTION, 0, &sp),
			 0);
	assert_int_equal(sp.groups, 3);
	assert_close(sp.z, 3.0380743049242112, 1e-12);
	/* the widest: A - C = 0.2 [-0.066, 0.377] */
	assert_int_equal(sp.widest.a, 0);
	assert_int_equal(sp.widest.b, 2);
	assert_close(sp.widest.difference, 0.2, 1e-15);
	assert_close(sp.widest.diff_ci.low, -0.074681013136167373, 1e-12);
	assert_close(sp.widest.diff_ci.high, 0.38078892490503097, 1e-12);
	assert_false(comparison_difference_established(&sp.widest));
	/* established: A - B = 0.15 [0.130, 0.170] */
	assert_true(sp.has_established);
	assert_int_equal(sp.established.a, 0);
	assert_int_equal(sp.established.b, 1);
	assert_close(sp.established.diff_ci.low, 0.12891999943991628, 1e-12);
	assert_close(sp.established.diff_ci.high, 0.17088904741566086, 1e-12);
	/* by ratio, the same pair: 0.7 [0.666, 0.736] */
	assert_int_equal(disparity_spread(&plan, &r.sum, r.in,
					  &r.sum.features[0],
					  DISPARITY_SELECTION, 1, &sp),
			 0);
	assert_true(sp.has_established);
	assert_int_equal(sp.established.b, 1);
	assert_close(sp.established.ratio_ci.low, 0.66491497223739149, 1e-12);
	assert_close(sp.established.ratio_ci.high, 0.73682342043018734,
		     1e-12);
	assert_true(comparison_ratio_established(&sp.established));
	/* the screens' aggregate is the widest pair's */
	struct feature_disparity fd;
	assert_int_equal(disparity_feature(&plan, &r.sum, r.in,
					   &r.sum.features[0], &fd),
			 0);
	assert_close(fd.dp_difference.value, 0.2, 1e-15);
	assert_int_equal(fd.dp_difference.established, 0);
	assert_close(fd.dp_ratio.ci.high, 1.1496319177452619, 1e-12);
	summary_release(&r.sum);
}

/* Fewer than two counted groups: no spread, nothing established; a
 * group under min_group_size or with an undefined rate is not
 * counted. */
static void test_spread_undefined(void **state)
{
	(void)state;
	struct run r = {.n = 0};
	struct policy p;
	struct disparity_plan plan;
	struct spread_ci sp;
	policy_defaults(&p);
	add(&r, "grp", SUMMARY_FEATURE, "A", 5000, 10000);
	add(&r, "grp", SUMMARY_FEATURE, "small", 0, 29);
	add(&r, "grp", SUMMARY_FEATURE, "empty", 0, 0);
	build(&r);
	disparity_plan_make(&r.sum, &p, &plan);
	assert_int_equal(disparity_spread(&plan, &r.sum, r.in,
					  &r.sum.features[0],
					  DISPARITY_SELECTION, 0, &sp),
			 0);
	assert_int_equal(sp.groups, 1);
	assert_false(sp.defined);
	assert_false(sp.has_established);
	struct feature_disparity fd;
	assert_int_equal(disparity_feature(&plan, &r.sum, r.in,
					   &r.sum.features[0], &fd),
			 0);
	assert_true(isnan(fd.dp_difference.value));
	assert_true(isnan(fd.dp_difference.ci.low));
	assert_int_equal(fd.dp_difference.established, 0);
	char buf[64];
	disparity_format_interval(fd.dp_difference.ci, buf, sizeof buf);
	assert_string_equal(buf, "[n/a]");
	summary_release(&r.sum);
}

/* Weights: a group whose squared weights make its effective size half
 * its rows is compared on that size. */
static void test_spread_weighted(void **state)
{
	(void)state;
	struct run r = {.n = 0};
	struct policy p;
	struct disparity_plan plan;
	struct spread_ci sp;
	policy_defaults(&p);
	add(&r, "grp", SUMMARY_FEATURE, "A", 5000, 10000);
	add(&r, "grp", SUMMARY_FEATURE, "B", 3500, 10000);
	/* A's squared weights, 10 000 a side: (sum w)^2 / sum w^2 =
	 * 10000^2 / 20000 = 5 000 */
	r.in[0].counts.w2_positive = 5000.0 * 5000 / 2500;
	r.in[0].counts.w2_negative = 5000.0 * 5000 / 2500;
	build(&r);
	assert_close(r.sum.rates[0].n_eff, 5000, 1e-9);
	disparity_plan_make(&r.sum, &p, &plan);
	assert_int_equal(disparity_spread(&plan, &r.sum, r.in,
					  &r.sum.features[0],
					  DISPARITY_SELECTION, 0, &sp),
			 0);
	assert_close(sp.widest.n_a, 5000, 1e-9);
	assert_close(sp.widest.n_b, 10000, 1e-9);
	summary_release(&r.sum);
}

/* Chi-squared quantiles: exact for 1 and 2 degrees of freedom, within
 * 1 % beyond (tables: 16.919 for 9 at 0.05, 21.666 at 0.01). */
static void test_chi2(void **state)
{
	(void)state;
	assert_close(chi2_upper_quantile(1, 0.05), 3.8414588206941236, 1e-12);
	assert_close(chi2_upper_quantile(2, 0.05), 5.9914645471079817, 1e-12);
	assert_close(chi2_upper_quantile(9, 0.05), 16.918977604620448, 0.17);
	assert_close(chi2_upper_quantile(9, 0.01), 21.665994333461924, 0.22);
	assert_true(isnan(chi2_upper_quantile(0.5, 0.05)));
	assert_true(isnan(chi2_upper_quantile(3, 0)));
}

/* Pearson's test of two histograms, worked by hand: 30/70 against
 * 50/50 on 100 rows each pools to 0.4/0.6, expected 40 and 60 a side:
 * X^2 = 2 (10^2/40 + 10^2/60) = 8.333...; one test of a plan of 17
 * families: chi2(1) at 0.05/17 is 8.8436 (NormalDist), so not beyond
 * noise; on 1 000 rows a side (X^2 = 83.3) it is. */
static void test_histograms(void **state)
{
	(void)state;
	struct disparity_plan plan = {0.05, 17, 30};
	double e[3] = {30, 70, 0}, a[3] = {50, 50, 0};
	double x2, crit;
	assert_false(disparity_histograms_differ(&plan, 1, e, a, 3, 100, 100,
						 &x2, &crit));
	assert_close(x2, 25.0 / 3, 1e-12);
	assert_close(crit, 8.8436048048939853, 1e-9);
	assert_true(disparity_histograms_differ(&plan, 1, e, a, 3, 1000, 1000,
						&x2, &crit));
	assert_close(x2, 250.0 / 3, 1e-9);
	/* the same histogram: no difference; one bin used, or nothing on
	 * a side: undefined, not different */
	assert_false(disparity_histograms_differ(&plan, 1, e, e, 3, 1e6, 1e6,
						 &x2, &crit));
	assert_close(x2, 0, 1e-12);
	double one[3] = {5, 0, 0}, none[3] = {0, 0, 0};
	assert_false(disparity_histograms_differ(&plan, 1, one, one, 3, 10,
						 10, &x2, &crit));
	assert_true(isnan(x2));
	assert_false(disparity_histograms_differ(&plan, 1, e, none, 3, 10, 10,
						 &x2, &crit));
	assert_true(isnan(x2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_newcombe_table),
		cmocka_unit_test(test_kish),
		cmocka_unit_test(test_plan_families),
		cmocka_unit_test(test_spread_finds_established_pair),
		cmocka_unit_test(test_spread_undefined),
		cmocka_unit_test(test_spread_weighted),
		cmocka_unit_test(test_chi2),
		cmocka_unit_test(test_histograms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
