/*
 * test_confusion.c — core/confusion.c: weighted counts and their rates.
 *
 * Covers confusion_add() with unit and fractional weights, every rate of
 * confusion_rates() against counts worked out by hand, the undefined
 * cases (no positives: TPR; no negatives: FPR; all weights zero:
 * everything; beta missing or P = R = 0: F-beta), rate_f_beta() with
 * beta 0.5, 1 and 2, rate_ratio(), and confusion_merge() with unknown
 * row counts (-1) propagating.
 *
 * Where every count is a multiple of 0.5, sums are exact in binary and
 * each rate is one correctly rounded division, so the expected value is
 * written as the same fraction (e.g. 12.0 / 23.0) and compared exactly.
 * Where rounding happens on the way (F-beta from rounded P and R), the
 * comparison allows a few ulps and says so.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/confusion.h"

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

static void near_double(double got, double want, double rel,
			const char *expr, const char *file, int line)
{
	if (!(fabs(got - want) <= rel * fabs(want))) {
		print_error("%s:%d: %s: got %.17g, want %.17g (within %g)\n",
			    file, line, expr, got, want, rel);
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
#define assert_near(got, want) near_double((got), (want), 1e-15, #got, \
					   __FILE__, __LINE__)
#define assert_undefined(got) undefined_double((got), #got, __FILE__, __LINE__)

static void test_init(void **state)
{
	(void)state;
	struct confusion c;
	memset(&c, 0x5a, sizeof c);
	confusion_init(&c);
	assert_same(c.tp, 0.0);
	assert_same(c.fp, 0.0);
	assert_same(c.tn, 0.0);
	assert_same(c.fn, 0.0);
	assert_int_equal(c.rows, 0);
	assert_int_equal(c.rows_positive, 0);
}

/* Unit weights: tp 3, fn 3, fp 1, tn 3 (n = 10). */
static void test_rates_unweighted(void **state)
{
	(void)state;
	static const int rows[][2] = { /* truth, pred */
		{1, 1}, {1, 1}, {1, 1},         /* tp 3 */
		{1, 0}, {1, 0}, {1, 0},         /* fn 3 */
		{0, 1},                         /* fp 1 */
		{0, 0}, {0, 0}, {0, 0},         /* tn 3 */
	};
	struct confusion c;
	confusion_init(&c);
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		confusion_add(&c, rows[i][0], rows[i][1], 1.0);
	assert_same(c.tp, 3.0);
	assert_same(c.fn, 3.0);
	assert_same(c.fp, 1.0);
	assert_same(c.tn, 3.0);
	assert_int_equal(c.rows, 10);
	assert_int_equal(c.rows_positive, 6);

	struct rates r;
	confusion_rates(&c, 1.0, &r);
	assert_same(r.n, 10.0);
	assert_same(r.base_rate, 0.6);      /* (3 + 3) / 10 */
	assert_same(r.selection_rate, 0.4); /* (3 + 1) / 10 */
	assert_same(r.tpr, 0.5);            /* 3 / (3 + 3) */
	assert_same(r.fpr, 0.25);           /* 1 / (1 + 3) */
	assert_same(r.precision, 0.75);     /* 3 / (3 + 1) */
	assert_same(r.accuracy, 0.6);       /* (3 + 3) / 10 */
	/* F1 = 2 P R / (P + R) = 2 * 0.75 * 0.5 / 1.25 = 0.75 / 1.25 = 0.6;
	 * every step is exact in binary but the last division */
	assert_same(r.f_beta, 0.6);

	/* beta 0.5: b^2 = 0.25; 1.25 * 0.375 / (0.1875 + 0.5)
	 * = 0.46875 / 0.6875 = 15/22 */
	confusion_rates(&c, 0.5, &r);
	assert_same(r.f_beta, 15.0 / 22.0);
	/* beta 2: b^2 = 4; 5 * 0.375 / (3 + 0.5) = 1.875 / 3.5 = 15/28 */
	confusion_rates(&c, 2.0, &r);
	assert_same(r.f_beta, 15.0 / 28.0);
	/* the run has no beta_factor: F-beta undefined, the rest not */
	confusion_rates(&c, RATE_UNDEFINED, &r);
	assert_undefined(r.f_beta);
	assert_same(r.tpr, 0.5);
}

/* Fractional weights 0.5 and 2.5. */
static void test_rates_weighted(void **state)
{
	(void)state;
	static const struct { int truth, pred; double w; } rows[] = {
		{1, 1, 2.5}, {1, 1, 0.5},   /* tp 3.0 */
		{1, 0, 0.5}, {1, 0, 2.5},   /* fn 3.0 */
		{0, 1, 0.5},                /* fp 0.5 */
		{0, 0, 2.5}, {0, 0, 2.5},   /* tn 5.0 */
	};
	struct confusion c;
	confusion_init(&c);
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		confusion_add(&c, rows[i].truth, rows[i].pred, rows[i].w);
	assert_same(c.tp, 3.0);
	assert_same(c.fn, 3.0);
	assert_same(c.fp, 0.5);
	assert_same(c.tn, 5.0);
	assert_int_equal(c.rows, 7);          /* rows, not weights */
	assert_int_equal(c.rows_positive, 4);

	struct rates r;
	confusion_rates(&c, 1.0, &r);
	assert_same(r.n, 11.5);                     /* 3 + 3 + 0.5 + 5 */
	assert_same(r.base_rate, 12.0 / 23.0);      /* 6 / 11.5 */
	assert_same(r.selection_rate, 7.0 / 23.0);  /* 3.5 / 11.5 */
	assert_same(r.tpr, 0.5);                    /* 3 / 6 */
	assert_same(r.fpr, 1.0 / 11.0);             /* 0.5 / 5.5 */
	assert_same(r.precision, 6.0 / 7.0);        /* 3 / 3.5 */
	assert_same(r.accuracy, 16.0 / 23.0);       /* 8 / 11.5 */
	/* F1 = 2 (6/7)(1/2) / (6/7 + 1/2) = (6/7) / (19/14) = 12/19;
	 * P is rounded first, so within a few ulps */
	assert_near(r.f_beta, 12.0 / 19.0);
	/* F2 = 5 (6/7)(1/2) / (4 (6/7) + 1/2) = (15/7) / (55/14) = 6/11 */
	confusion_rates(&c, 2.0, &r);
	assert_near(r.f_beta, 6.0 / 11.0);
}

static void test_no_positives(void **state)
{
	(void)state;
	struct confusion c;
	confusion_init(&c);
	confusion_add(&c, 0, 1, 1.0); /* fp */
	confusion_add(&c, 0, 0, 1.0); /* tn */
	confusion_add(&c, 0, 0, 2.0); /* tn */
	struct rates r;
	confusion_rates(&c, 1.0, &r);
	assert_int_equal(c.rows_positive, 0);
	assert_same(r.n, 4.0);
	assert_same(r.base_rate, 0.0);       /* 0 / 4: defined, zero */
	assert_same(r.selection_rate, 0.25); /* 1 / 4 */
	assert_undefined(r.tpr);             /* 0 / 0 */
	assert_false(rate_defined(r.tpr));
	assert_same(r.fpr, 0.25);            /* 1 / (1 + 3) */
	assert_same(r.precision, 0.0);       /* 0 / 1 */
	assert_same(r.accuracy, 0.75);       /* 3 / 4 */
	assert_undefined(r.f_beta);          /* recall undefined */
}

static void test_no_negatives(void **state)
{
	(void)state;
	struct confusion c;
	confusion_init(&c);
	confusion_add(&c, 1, 1, 1.0);
	confusion_add(&c, 1, 0, 1.0);
	confusion_add(&c, 1, 1, 2.0);
	struct rates r;
	confusion_rates(&c, 1.0, &r);
	assert_same(r.tpr, 0.75);        /* 3 / 4 */
	assert_undefined(r.fpr);         /* 0 / 0 */
	assert_false(rate_defined(r.fpr));
	assert_same(r.precision, 1.0);   /* 3 / 3 */
	assert_same(r.base_rate, 1.0);
	/* F1 = 2 * 1 * 0.75 / 1.75 = 1.5 / 1.75 = 6/7 */
	assert_same(r.f_beta, 6.0 / 7.0);
}

static void test_no_predicted_positives(void **state)
{
	(void)state;
	struct confusion c;
	confusion_init(&c);
	confusion_add(&c, 1, 0, 1.0);
	confusion_add(&c, 0, 0, 1.0);
	struct rates r;
	confusion_rates(&c, 1.0, &r);
	assert_undefined(r.precision);       /* 0 / (0 + 0) */
	assert_same(r.selection_rate, 0.0);
	assert_same(r.tpr, 0.0);
	assert_undefined(r.f_beta);          /* precision undefined */
}

static void test_all_zero_weights(void **state)
{
	(void)state;
	struct confusion c;
	confusion_init(&c);
	confusion_add(&c, 1, 1, 0.0);
	confusion_add(&c, 0, 1, 0.0);
	confusion_add(&c, 0, 0, 0.0);
	confusion_add(&c, 1, 0, 0.0);
	assert_int_equal(c.rows, 4); /* the rows are still counted */
	assert_int_equal(c.rows_positive, 2);
	struct rates r;
	confusion_rates(&c, 1.0, &r);
	assert_same(r.n, 0.0);
	assert_undefined(r.base_rate);
	assert_undefined(r.selection_rate);
	assert_undefined(r.tpr);
	assert_undefined(r.fpr);
	assert_undefined(r.precision);
	assert_undefined(r.accuracy);
	assert_undefined(r.f_beta);

	/* and the empty confusion, never added to */
	confusion_init(&c);
	confusion_rates(&c, 2.0, &r);
	assert_undefined(r.selection_rate);
	assert_undefined(r.accuracy);
}

static void test_f_beta(void **state)
{
	(void)state;
	/* P 0.75, R 0.5, as in the unweighted example */
	assert_same(rate_f_beta(0.75, 0.5, 1.0), 0.6);
	assert_same(rate_f_beta(0.75, 0.5, 0.5), 15.0 / 22.0);
	assert_same(rate_f_beta(0.75, 0.5, 2.0), 15.0 / 28.0);
	/* beta 0.5 weighs precision more, beta 2 recall: with P > R,
	 * 15/22 = 0.68 > F1 = 0.6 > 15/28 = 0.54 */
	assert_true(rate_f_beta(0.75, 0.5, 0.5) > rate_f_beta(0.75, 0.5, 1.0));
	assert_true(rate_f_beta(0.75, 0.5, 1.0) > rate_f_beta(0.75, 0.5, 2.0));
	/* P = R: every beta gives P */
	assert_same(rate_f_beta(0.5, 0.5, 1.0), 0.5);  /* 2*.25 / 1 */
	assert_same(rate_f_beta(0.5, 0.5, 2.0), 0.5);  /* 5*.25 / 2.5 */
	assert_same(rate_f_beta(1.0, 1.0, 0.5), 1.0);
	/* beta 0: precision alone (1 * P * R / R) */
	assert_same(rate_f_beta(0.75, 0.5, 0.0), 0.75);
	/* one of them 0: F is 0, defined */
	assert_same(rate_f_beta(0.0, 0.5, 1.0), 0.0);  /* 0 / 0.5 */
	assert_same(rate_f_beta(0.5, 0.0, 1.0), 0.0);  /* 0 / 0.5 */
	/* P = R = 0: b^2 P + R = 0, undefined */
	assert_undefined(rate_f_beta(0.0, 0.0, 1.0));
	assert_undefined(rate_f_beta(0.0, 0.0, 0.5));
	assert_undefined(rate_f_beta(0.0, 0.0, 2.0));
	/* beta missing, P or R undefined */
	assert_undefined(rate_f_beta(0.75, 0.5, RATE_UNDEFINED));
	assert_undefined(rate_f_beta(RATE_UNDEFINED, 0.5, 1.0));
	assert_undefined(rate_f_beta(0.75, RATE_UNDEFINED, 1.0));
}

static void test_rate_ratio(void **state)
{
	(void)state;
	assert_same(rate_ratio(1.0, 4.0), 0.25);
	assert_same(rate_ratio(0.0, 5.0), 0.0);
	assert_same(rate_ratio(3.0, 3.0), 1.0);
	assert_undefined(rate_ratio(1.0, 0.0));
	assert_undefined(rate_ratio(0.0, 0.0));
	assert_undefined(rate_ratio(RATE_UNDEFINED, 1.0));
	assert_undefined(rate_ratio(1.0, RATE_UNDEFINED));
	assert_true(rate_defined(0.0));
	assert_false(rate_defined(RATE_UNDEFINED));
}

static void test_merge(void **state)
{
	(void)state;
	struct confusion a, b, unknown, sum;
	confusion_init(&a);
	confusion_add(&a, 1, 1, 0.5);   /* tp 0.5 */
	confusion_add(&a, 0, 0, 2.5);   /* tn 2.5 */
	confusion_add(&a, 1, 0, 1.0);   /* fn 1 */
	confusion_init(&b);
	confusion_add(&b, 1, 1, 2.5);   /* tp 2.5 */
	confusion_add(&b, 0, 1, 0.5);   /* fp 0.5 */
	confusion_add(&b, 0, 1, 0.5);   /* fp 0.5 */
	confusion_add(&b, 1, 1, 1.0);   /* tp 1 */

	confusion_init(&sum);
	confusion_merge(&sum, &a);
	confusion_merge(&sum, &b);
	assert_same(sum.tp, 4.0);       /* 0.5 + 2.5 + 1 */
	assert_same(sum.fp, 1.0);       /* 0.5 + 0.5 */
	assert_same(sum.tn, 2.5);
	assert_same(sum.fn, 1.0);
	assert_int_equal(sum.rows, 7);  /* 3 + 4 */
	assert_int_equal(sum.rows_positive, 4); /* 2 + 2 */

	/* counts.csv: row counts unknown */
	confusion_init(&unknown);
	unknown.tp = 10;
	unknown.fn = 5;
	unknown.rows = -1;
	unknown.rows_positive = -1;
	confusion_merge(&sum, &unknown);
	assert_same(sum.tp, 14.0);
	assert_same(sum.fn, 6.0);
	assert_int_equal(sum.rows, -1);
	assert_int_equal(sum.rows_positive, -1);
	/* once unknown, adding known rows keeps it unknown */
	confusion_merge(&sum, &a);
	assert_same(sum.tp, 14.5);
	assert_int_equal(sum.rows, -1);
	assert_int_equal(sum.rows_positive, -1);
	/* and known into unknown the other way round */
	struct confusion u2 = unknown;
	confusion_merge(&u2, &b);
	assert_same(u2.tp, 13.5); /* 10 + 3.5 */
	assert_same(u2.fp, 1.0);
	assert_int_equal(u2.rows, -1);
	assert_int_equal(u2.rows_positive, -1);
	/* merging empties changes nothing */
	struct confusion empty, copy = a;
	confusion_init(&empty);
	confusion_merge(&copy, &empty);
	assert_same(copy.tp, a.tp);
	assert_same(copy.tn, a.tn);
	assert_int_equal(copy.rows, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_rates_unweighted),
		cmocka_unit_test(test_rates_weighted),
		cmocka_unit_test(test_no_positives),
		cmocka_unit_test(test_no_negatives),
		cmocka_unit_test(test_no_predicted_positives),
		cmocka_unit_test(test_all_zero_weights),
		cmocka_unit_test(test_f_beta),
		cmocka_unit_test(test_rate_ratio),
		cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
