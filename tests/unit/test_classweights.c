/*
 * test_classweights.c — core/classweights.c: balanced class weights.
 *
 * Covers classweights_balanced() (w_c = n / (k * n_c) in double
 * precision, checked bit for bit against values computed independently
 * with Python's fractions.Fraction then float(); a class with no rows
 * undefined), classweights_relative_error() on the C07 weights logged
 * as round(w, 3), and classweights_parse() on good input and on every
 * refusal (empty, no colon, bad or negative weight, duplicate label, too
 * many or too long labels), including that refusals name where the
 * value came from and never echo control characters.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/classweights.h"
#include "core/confusion.h"

static void same_double(double got, double want, const char *expr,
			const char *file, int line)
{
	uint64_t a, b;
	memcpy(&a, &got, sizeof a);
	memcpy(&b, &want, sizeof b);
	if (a != b) {
		print_error("%s:%d: %s: got %.17g (%a), want %.17g (%a)\n",
			    file, line, expr, got, got, want, want);
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

#define assert_same(got, want) same_double((got), (want), #got, __FILE__, \
					   __LINE__)
#define assert_near(got, want, rel) near_double((got), (want), (rel), #got, \
						__FILE__, __LINE__)

static void test_balanced_c07(void **state)
{
	(void)state;
	/* the C07 evaluation: 4000 rows, 2180 of label 0, 1820 of label 1 */
	const double counts[2] = {2180, 1820};
	double w[2];
	classweights_balanced(counts, 2, w);
	/* 4000 / (2 * 1820) = 4000 / 3640 = 1.098901098901...;
	 * Python: float(Fraction(4000, 3640)) = 1.098901098901099
	 *       = 0x1.1951951951952p+0 */
	assert_same(w[1], 0x1.1951951951952p+0);
	assert_same(w[1], 1.098901098901099);
	/* 4000 / (2 * 2180) = 4000 / 4360 = 0.917431192660550...;
	 * Python: float(Fraction(4000, 4360)) = 0.9174311926605505
	 *       = 0x1.d5b98a919d5bap-1 */
	assert_same(w[0], 0x1.d5b98a919d5bap-1);
	assert_same(w[0], 0.9174311926605505);
	/* what training logged, round(w, 3), is not it */
	assert_true(w[1] != 1.099);
	assert_true(w[0] != 0.917);
}

static void test_balanced_more(void **state)
{
	(void)state;
	double w[3];
	/* k 3, counts 1, 2, 5, n 8: 8/3, 8/6, 8/15 */
	const double three[3] = {1, 2, 5};
	classweights_balanced(three, 3, w);
	assert_same(w[0], 8.0 / 3.0);
	assert_same(w[1], 8.0 / 6.0);
	assert_same(w[2], 8.0 / 15.0);
	/* balanced: equal counts give weight 1 */
	const double equal[2] = {500, 500};
	classweights_balanced(equal, 2, w);
	assert_same(w[0], 1.0);
	assert_same(w[1], 1.0);
	/* weighted (fractional) counts: n 10, 10 / 5 = 2, 10 / 15 = 2/3 */
	const double frac[2] = {2.5, 7.5};
	classweights_balanced(frac, 2, w);
	assert_same(w[0], 2.0);
	assert_same(w[1], 2.0 / 3.0);
	/* one class: n / (1 * n) = 1 */
	const double one[1] = {42};
	classweights_balanced(one, 1, w);
	assert_same(w[0], 1.0);
}

static void test_balanced_empty_class(void **state)
{
	(void)state;
	double w[3];
	/* label 1 never seen: n 10, w0 = 10 / (2 * 10) = 0.5, w1 = 10 / 0 */
	const double missing[2] = {10, 0};
	classweights_balanced(missing, 2, w);
	assert_same(w[0], 0.5);
	assert_false(rate_defined(w[1]));
	/* nothing at all: every weight 0 / 0 */
	const double none[3] = {0, 0, 0};
	classweights_balanced(none, 3, w);
	assert_false(rate_defined(w[0]));
	assert_false(rate_defined(w[1]));
	assert_false(rate_defined(w[2]));
}

static void test_relative_error(void **state)
{
	(void)state;
	double exact1 = 0x1.1951951951952p+0; /* 4000 / 3640 */
	double exact0 = 0x1.d5b98a919d5bap-1; /* 4000 / 4360 */
	/* |1.099 - 4000/3640| / (4000/3640) = 1.099 * 3640 / 4000 - 1
	 * = 4000.36 / 4000 - 1 = 0.00009 */
	assert_near(classweights_relative_error(1.099, exact1), 9e-5, 1e-9);
	/* 1 - 0.917 * 4360 / 4000 = 1 - 3998.12 / 4000 = 1.88 / 4000
	 * = 0.00047 */
	assert_near(classweights_relative_error(0.917, exact0), 4.7e-4, 1e-9);
	/* both far above the 1e-9 the policy allows */
	assert_true(classweights_relative_error(1.099, exact1) > 1e-9);
	/* a weight logged with full precision: 0 */
	assert_same(classweights_relative_error(exact1, exact1), 0.0);
	assert_same(classweights_relative_error(1.098901098901099, exact1),
		    0.0);
	/* symmetric in sign: |-1 - 2| / 2 = 1.5, |3 - 2| / 2 = 0.5 */
	assert_same(classweights_relative_error(-1.0, 2.0), 1.5);
	assert_same(classweights_relative_error(3.0, 2.0), 0.5);
	assert_same(classweights_relative_error(1.0, -2.0), 1.5);
	/* exact 0: 0 when logged 0, else infinitely wrong */
	assert_same(classweights_relative_error(0.0, 0.0), 0.0);
	assert_true(isinf(classweights_relative_error(0.5, 0.0)));
}

static void test_parse(void **state)
{
	(void)state;
	struct class_weight cw[CLASSWEIGHTS_MAX];
	size_t n = 99;
	struct fail f;
	fail_init(&f);
	assert_int_equal(classweights_parse("1:1.099;0:0.917", "run.csv:9",
					    cw, &n, &f), 0);
	assert_int_equal(f.kind, FAIL_NONE);
	assert_int_equal(n, 2);
	assert_string_equal(cw[0].label, "1");
	assert_same(cw[0].weight, 1.099);
	assert_string_equal(cw[1].label, "0");
	assert_same(cw[1].weight, 0.917);

	assert_int_equal(classweights_parse("neg:0.5;pos:2.5;other:0",
					    "run.csv:9", cw, &n, &f), 0);
	assert_int_equal(n, 3);
	assert_string_equal(cw[0].label, "neg");
	assert_same(cw[0].weight, 0.5);
	assert_string_equal(cw[1].label, "pos");
	assert_same(cw[1].weight, 2.5);
	assert_string_equal(cw[2].label, "other");
	assert_same(cw[2].weight, 0.0);

	/* full precision survives */
	assert_int_equal(classweights_parse("1:1.098901098901099",
					    "run.csv:9", cw, &n, &f), 0);
	assert_same(cw[0].weight, 0x1.1951951951952p+0);

	/* exactly CLASSWEIGHTS_MAX (16) labels, one of 63 bytes */
	char text[2048];
	size_t used = 0;
	for (int i = 0; i < CLASSWEIGHTS_MAX - 1; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 "c%d:%d;", i, i);
	memset(text + used, 'L', CLASSWEIGHTS_LABEL_MAX - 1);
	used += CLASSWEIGHTS_LABEL_MAX - 1;
	snprintf(text + used, sizeof text - used, ":0.25");
	assert_int_equal(classweights_parse(text, "run.csv:9", cw, &n, &f), 0);
	assert_int_equal(n, CLASSWEIGHTS_MAX);
	assert_string_equal(cw[3].label, "c3");
	assert_same(cw[3].weight, 3.0);
	assert_int_equal(strlen(cw[15].label), CLASSWEIGHTS_LABEL_MAX - 1);
	assert_same(cw[15].weight, 0.25);
}

/* A refusal: -1, FAIL_DATA, a message starting with where and holding
 * `mention`, and no control character in it. */
static void check_refused(const char *text, const char *mention)
{
	struct class_weight cw[CLASSWEIGHTS_MAX];
	size_t n = 0;
	struct fail f;
	fail_init(&f);
	int rc = classweights_parse(text, "run.csv:9", cw, &n, &f);
	if (rc != -1 || f.kind != FAIL_DATA) {
		print_error("classweights_parse(\"%s\"): rc %d, kind %d; "
			    "want a refusal\n", text, rc, (int)f.kind);
		fail();
	}
	if (strncmp(f.msg, "run.csv:9: ", 11) != 0 ||
	    strstr(f.msg, mention) == NULL) {
		print_error("classweights_parse(\"%s\"): message \"%s\" does "
			    "not start with \"run.csv:9: \" or lacks \"%s\"\n",
			    text, f.msg, mention);
		fail();
	}
	for (const char *p = f.msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			print_error("message of \"%s\" holds control byte "
				    "0x%02x: \"%s\"\n", text,
				    (unsigned char)*p, f.msg);
			fail();
		}
}

static void test_parse_refusals(void **state)
{
	(void)state;
	check_refused("", "empty");
	check_refused("1", "'1'");
	check_refused(":1", "label:weight");
	check_refused("1:abc", "'abc'");
	check_refused("1:", "weight");
	check_refused("1:-1", "'-1'");
	check_refused("1:-0.5", "'-0.5'");
	check_refused("1:nan", "'nan'");
	check_refused("1:inf", "'inf'");
	check_refused("1:1e999", "'1e999'");
	check_refused("1: 1", "weight");
	check_refused("1:1,5", "'1,5'");
	check_refused("1:1;;0:1", "label:weight");
	check_refused("1:1;1:2", "'1' twice");
	check_refused("0:1;1:1;0:3", "'0' twice");

	/* 17 labels: one too many */
	char text[2048];
	size_t used = 0;
	for (int i = 0; i <= CLASSWEIGHTS_MAX; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 "%sc%d:1", i ? ";" : "", i);
	check_refused(text, "key 'class_weights': expected at most 16 labels, "
		      "found a 17th, 'c16'");
	/* a label of 64 bytes: one too long */
	memset(text, 'L', CLASSWEIGHTS_LABEL_MAX);
	snprintf(text + CLASSWEIGHTS_LABEL_MAX, sizeof text - 64, ":1");
	check_refused(text, "expected a label of at most 63 bytes, found 64 "
		      "bytes, 'LLLL");

	/* labels from the file are quoted safely, like the weights */
	check_refused("\x1b[2J:abc", "'abc'");
	check_refused("\x1b[2J:1;\x1b[2J:2", "twice");
}

/* The audit the gate and `show` share: 91 positives and 109 negatives
 * of 200 give the exact 200/182 = 1.0989010989010990 and 200/218; the
 * C07 rounding (1.099, 0.917) is off by 9e-5 and 4.7e-4 relative; a label
 * the evaluation lacks is -1; unknown counts leave every exact weight
 * undefined. */
static void test_check(void **state)
{
	(void)state;
	struct class_weight logged[3] = {{"1", 1.099}, {"0", 0.917},
					 {"maybe", 2}};
	const char *label[2] = {"1", "0"};
	double counts[2] = {91, 109};
	struct classweight_check c[3];
	classweights_check(logged, 3, label, counts, c);
	assert_int_equal(c[0].label, 0);
	assert_true(c[0].exact == 200.0 / 182);
	assert_true(fabs(c[0].relative_error -
			 fabs(1.099 - 200.0 / 182) / (200.0 / 182)) < 1e-18);
	assert_int_equal(c[1].label, 1);
	assert_true(c[1].exact == 200.0 / 218);
	assert_true(c[1].relative_error > 4.6e-4 &&
		    c[1].relative_error < 4.8e-4);
	assert_int_equal(c[2].label, -1);
	assert_true(isnan(c[2].exact) && isnan(c[2].relative_error));
	double unknown[2] = {RATE_UNDEFINED, RATE_UNDEFINED};
	classweights_check(logged, 2, label, unknown, c);
	assert_int_equal(c[0].label, 0);
	assert_true(isnan(c[0].exact) && isnan(c[0].relative_error));
	const char *none[2] = {NULL, NULL};
	classweights_check(logged, 1, none, counts, c);
	assert_int_equal(c[0].label, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balanced_c07),
		cmocka_unit_test(test_balanced_more),
		cmocka_unit_test(test_balanced_empty_class),
		cmocka_unit_test(test_relative_error),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
