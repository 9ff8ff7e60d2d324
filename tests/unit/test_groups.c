/*
 * test_groups.c — core/groups.c: the evaluation aggregator.
 *
 * Rows are added to full-mask cells (every feature known) and
 * evaluation_finish() must derive the overall population, each feature's
 * groups and every intersection.  Each derived group is checked against
 * counts taken directly from the same list of rows in this file (a plain
 * scan, no hashing), and the number of groups against the distinct
 * combinations in that list.  Also covered: several steps kept apart and
 * evaluation_final_step(); score histograms (bins of width 0.01, a score
 * of 1.0 in the last bin, weights summed; the bin of each row written by
 * hand); evaluation_add_counts() with mixed masks (groups taken as
 * given, a step without an overall getting the sum of its first
 * feature's groups) and with full-mask cells; the sort order (step, then
 * overall, features in order, intersections; values by text); labels
 * and mask names; the EVAL_MAX_FEATURES limit; and 100,000 distinct
 * values of one feature.
 *
 * Weights are multiples of 0.5, so every sum is exact in any order and
 * the comparisons are exact.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/groups.h"
#include "core/groupset.h"

/* --- the rows ------------------------------------------------------- */

struct row {
	int64_t step;
	const char *value[3]; /* group, age, region */
	int truth, pred;
	double weight;
	double score;         /* NAN: none */
	int bin;              /* its histogram bin, by hand; -1: none */
};

static const char *const feature_names[3] = {"group", "age", "region"};

/* Step 1 and step 5, interleaved; values first seen out of text order
 * ("C" before "A", "26+" before "18-25", "S" before "N"). */
static const struct row rows[] = {
	/* step 1 */
	{1, {"C", "26+", "S"}, 1, 1, 1.0, 0.905, 90},   /* 0.905 * 100 = 90.5 */
	{1, {"B", "18-25", "N"}, 0, 0, 0.5, 0.105, 10},
	{1, {"A", "26+", "N"}, 1, 0, 2.5, 0.405, 40},
	{1, {"C", "18-25", "S"}, 0, 1, 1.0, 0.655, 65},
	{1, {"A", "18-25", "N"}, 1, 1, 0.5, 1.0, 99},    /* 1.0: last bin */
	/* step 5 */
	{5, {"A", "18-25", "N"}, 1, 1, 1.0, 0.805, 80},
	{5, {"B", "26+", "S"}, 0, 1, 0.5, 0.555, 55},
	{5, {"D", "26+", "N"}, 1, 0, 1.0, 0.005, 0},
	/* step 1 again */
	{1, {"B", "26+", "S"}, 0, 0, 2.5, 0.0, 0},       /* 0.0: first bin */
	{1, {"C", "26+", "S"}, 0, 0, 1.0, 0.255, 25},
	{1, {"A", "26+", "N"}, 1, 1, 1.0, 0.995, 99},
	{1, {"B", "18-25", "S"}, 1, 0, 0.5, 0.305, 30},
	{1, {"A", "18-25", "N"}, 0, 1, 2.5, 0.505, 50},
	/* step 5 again */
	{5, {"A", "26+", "S"}, 0, 0, 2.5, 0.255, 25},
	{5, {"B", "18-25", "N"}, 1, 1, 1.0, 0.705, 70},
	{5, {"C", "18-25", "S"}, 0, 0, 1.0, NAN, -1},    /* no score */
};
#define NROWS (sizeof rows / sizeof *rows)

static int popcount(unsigned m)
{
	int n = 0;
	for (; m != 0; m &= m - 1)
		n++;
	return n;
}

/* An evaluation holding rows[], finished. */
static struct evaluation *build(int with_scores)
{
	struct evaluation *ev = evaluation_new(with_scores);
	assert_non_null(ev);
	struct fail f;
	fail_init(&f);
	for (int j = 0; j < 3; j++)
		assert_int_equal(evaluation_feature(ev, feature_names[j],
						    strlen(feature_names[j]),
						    &f), j);
	for (size_t i = 0; i < NROWS; i++) {
		uint32_t value[EVAL_MAX_FEATURES] = {0};
		for (int j = 0; j < 3; j++) {
			int64_t v = evaluation_value(ev, (size_t)j,
						     rows[i].value[j],
						     strlen(rows[i].value[j]));
			assert_true(v >= 0);
			value[j] = (uint32_t)v;
		}
		assert_int_equal(evaluation_add(ev, rows[i].step, 7u, value,
						rows[i].truth, rows[i].pred,
						rows[i].weight, rows[i].score),
				 0);
	}
	assert_int_equal(evaluation_finish(ev), 0);
	return ev;
}

/* 1 when row r belongs to group g: same step, same text for every
 * feature in g's mask. */
static int row_in_group(const struct evaluation *ev, const struct row *r,
			const struct eval_group *g)
{
	if (r->step != g->step)
		return 0;
	for (size_t j = 0; j < 3; j++)
		if (((g->mask >> j) & 1u) &&
		    strcmp(r->value[j],
			   evaluation_value_name(ev, j, g->value[j])) != 0)
			return 0;
	return 1;
}

/* The distinct (step, mask, values) combinations of rows[], counted by
 * comparing rows pairwise: a row starts a new combination when no
 * earlier row has the same step and values on the mask. */
static size_t distinct_groups(void)
{
	size_t n = 0;
	for (unsigned mask = 0; mask < 8; mask++)
		for (size_t i = 0; i < NROWS; i++) {
			int seen = 0;
			for (size_t k = 0; k < i && !seen; k++) {
				int same = rows[k].step == rows[i].step;
				for (size_t j = 0; j < 3 && same; j++)
					if (((mask >> j) & 1u) &&
					    strcmp(rows[k].value[j],
						   rows[i].value[j]) != 0)
						same = 0;
				seen = same;
			}
			n += !seen;
		}
	return n;
}

static void test_derived_groups_match_rows(void **state)
{
	(void)state;
	struct evaluation *ev = build(0);
	size_t n = evaluation_group_count(ev);
	/* step 1: 1 overall + 3 group + 2 age + 2 region + 6 group&age
	 * + 4 group&region + 4 age&region + 7 triples = 29; step 5 is
	 * whatever the plain count says */
	assert_int_equal(n, distinct_groups());
	size_t step1 = 0;
	for (size_t i = 0; i < n; i++)
		step1 += evaluation_group(ev, i)->step == 1;
	assert_int_equal(step1, 29);

	for (size_t i = 0; i < n; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		double tp = 0, fp = 0, tn = 0, fn = 0;
		int64_t count = 0, positive = 0;
		for (size_t r = 0; r < NROWS; r++) {
			if (!row_in_group(ev, &rows[r], g))
				continue;
			const struct row *x = &rows[r];
			if (x->truth && x->pred)
				tp += x->weight;
			else if (!x->truth && x->pred)
				fp += x->weight;
			else if (!x->truth && !x->pred)
				tn += x->weight;
			else
				fn += x->weight;
			count++;
			positive += x->truth;
		}
		assert_true(count > 0); /* no group without rows */
		assert_true(g->counts.tp == tp);
		assert_true(g->counts.fp == fp);
		assert_true(g->counts.tn == tn);
		assert_true(g->counts.fn == fn);
		assert_int_equal(g->counts.rows, count);
		assert_int_equal(g->counts.rows_positive, positive);
		assert_null(g->hist); /* no scores kept */
		/* values outside the mask are 0 */
		for (size_t j = 0; j < EVAL_MAX_FEATURES; j++)
			if (!((g->mask >> j) & 1u))
				assert_int_equal(g->value[j], 0);
		/* each key once */
		for (size_t k = 0; k < i; k++) {
			const struct eval_group *h = evaluation_group(ev, k);
			assert_false(h->step == g->step && h->mask == g->mask &&
				     memcmp(h->value, g->value,
					    sizeof g->value) == 0);
		}
	}

	/* and by hand, step 1's overall: tp rows 1, 5, 11 (1 + 0.5 + 1 =
	 * 2.5); fn rows 3, 12 (2.5 + 0.5 = 3); fp rows 4, 13 (1 + 2.5 =
	 * 3.5); tn rows 2, 9, 10 (0.5 + 2.5 + 1 = 4); 10 rows, 5 positive */
	const struct eval_group *all = evaluation_group(ev, 0);
	assert_int_equal(all->step, 1);
	assert_int_equal(all->mask, 0);
	assert_true(all->counts.tp == 2.5);
	assert_true(all->counts.fn == 3.0);
	assert_true(all->counts.fp == 3.5);
	assert_true(all->counts.tn == 4.0);
	assert_int_equal(all->counts.rows, 10);
	assert_int_equal(all->counts.rows_positive, 5);
	/* group A in step 1 (rows 3, 5, 11, 13): tp 0.5 + 1 = 1.5, fn 2.5,
	 * fp 2.5, tn 0 */
	const struct eval_group *a = evaluation_group(ev, 1);
	char label[128];
	evaluation_group_label(ev, a, label, sizeof label);
	assert_string_equal(label, "A");
	assert_true(a->counts.tp == 1.5);
	assert_true(a->counts.fn == 2.5);
	assert_true(a->counts.fp == 2.5);
	assert_true(a->counts.tn == 0.0);
	assert_int_equal(a->counts.rows, 4);
	evaluation_free(ev);
}

/* The order the header promises, checked pair by pair. */
static int group_before(const struct evaluation *ev,
			const struct eval_group *a, const struct eval_group *b)
{
	if (a->step != b->step)
		return a->step < b->step;
	if (a->mask != b->mask) {
		if (popcount(a->mask) != popcount(b->mask))
			return popcount(a->mask) < popcount(b->mask);
		return a->mask < b->mask;
	}
	for (size_t j = 0; j < evaluation_feature_count(ev); j++) {
		if (!((a->mask >> j) & 1u))
			continue;
		int c = strcmp(evaluation_value_name(ev, j, a->value[j]),
			       evaluation_value_name(ev, j, b->value[j]));
		if (c != 0)
			return c < 0;
	}
	return 0;
}

static void test_sort_order_and_labels(void **state)
{
	(void)state;
	struct evaluation *ev = build(0);
	size_t n = evaluation_group_count(ev);
	for (size_t i = 1; i < n; i++)
		assert_true(group_before(ev, evaluation_group(ev, i - 1),
					 evaluation_group(ev, i)));

	/* step 1, by hand from the rows */
	static const char *const want[] = {
		"",
		"A", "B", "C",
		"18-25", "26+",
		"N", "S",
		"group=A & age=18-25", "group=A & age=26+",
		"group=B & age=18-25", "group=B & age=26+",
		"group=C & age=18-25", "group=C & age=26+",
		"group=A & region=N", "group=B & region=N",
		"group=B & region=S", "group=C & region=S",
		"age=18-25 & region=N", "age=18-25 & region=S",
		"age=26+ & region=N", "age=26+ & region=S",
		"group=A & age=18-25 & region=N",
		"group=A & age=26+ & region=N",
		"group=B & age=18-25 & region=N",
		"group=B & age=18-25 & region=S",
		"group=B & age=26+ & region=S",
		"group=C & age=18-25 & region=S",
		"group=C & age=26+ & region=S",
	};
	static const unsigned want_mask[] = {
		0, 1, 1, 1, 2, 2, 4, 4, 3, 3, 3, 3, 3, 3, 5, 5, 5, 5,
		6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7,
	};
	assert_true(n > sizeof want / sizeof *want);
	char label[128];
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		assert_int_equal(g->step, 1);
		assert_int_equal(g->mask, want_mask[i]);
		evaluation_group_label(ev, g, label, sizeof label);
		assert_string_equal(label, want[i]);
	}
	/* then step 5 starts with its overall */
	const struct eval_group *g = evaluation_group(ev, 29);
	assert_int_equal(g->step, 5);
	assert_int_equal(g->mask, 0);
	/* step 5's groups: A, B, C, D */
	static const char *const step5_groups[] = {"A", "B", "C", "D"};
	for (size_t i = 0; i < 4; i++) {
		evaluation_group_label(ev, evaluation_group(ev, 30 + i), label,
				       sizeof label);
		assert_string_equal(label, step5_groups[i]);
	}

	/* mask names */
	evaluation_mask_name(ev, 0, label, sizeof label);
	assert_string_equal(label, "");
	evaluation_mask_name(ev, 1, label, sizeof label);
	assert_string_equal(label, "group");
	evaluation_mask_name(ev, 4, label, sizeof label);
	assert_string_equal(label, "region");
	evaluation_mask_name(ev, 3, label, sizeof label);
	assert_string_equal(label, "group & age");
	evaluation_mask_name(ev, 7, label, sizeof label);
	assert_string_equal(label, "group & age & region");

	/* a small buffer: cut, terminated, never overrun */
	char small[12];
	memset(small, 'X', sizeof small);
	evaluation_group_label(ev, evaluation_group(ev, 22), small, 8);
	assert_string_equal(small, "group=A");  /* 7 bytes and the NUL */
	for (size_t k = 8; k < sizeof small; k++)
		assert_int_equal(small[k], 'X');
	memset(small, 'X', sizeof small);
	evaluation_mask_name(ev, 7, small, 10);
	assert_string_equal(small, "group & a");
	for (size_t k = 10; k < sizeof small; k++)
		assert_int_equal(small[k], 'X');
	evaluation_free(ev);
}

static void test_steps(void **state)
{
	(void)state;
	struct evaluation *ev = build(0);
	assert_int_equal(evaluation_final_step(ev), 5);
	/* the overalls: step 1 holds 10 rows, step 5 six (rows 6-8 and
	 * 14-16 of the table): tp rows 6, 15 (1 + 1 = 2); fp row 7 (0.5);
	 * fn row 8 (1); tn rows 14, 16 (2.5 + 1 = 3.5) */
	const struct eval_group *s5 = evaluation_group(ev, 29);
	assert_int_equal(s5->step, 5);
	assert_int_equal(s5->counts.rows, 6);
	assert_true(s5->counts.tp == 2.0);
	assert_true(s5->counts.fp == 0.5);
	assert_true(s5->counts.fn == 1.0);
	assert_true(s5->counts.tn == 3.5);
	/* "D" exists in step 5 only */
	char label[64];
	size_t d_groups = 0;
	for (size_t i = 0; i < evaluation_group_count(ev); i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		if (g->mask != 1)
			continue;
		evaluation_group_label(ev, g, label, sizeof label);
		if (strcmp(label, "D") == 0) {
			d_groups++;
			assert_int_equal(g->step, 5);
		}
	}
	assert_int_equal(d_groups, 1);
	evaluation_free(ev);

	/* nothing added: no group, final step 0 */
	ev = evaluation_new(0);
	assert_non_null(ev);
	assert_int_equal(evaluation_finish(ev), 0);
	assert_int_equal(evaluation_group_count(ev), 0);
	assert_int_equal(evaluation_final_step(ev), 0);
	evaluation_free(ev);

	/* steps added out of order, negative ones too: the highest */
	ev = evaluation_new(0);
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	assert_int_equal(evaluation_add(ev, -3, 0, v, 1, 1, 1.0, NAN), 0);
	assert_int_equal(evaluation_final_step(ev), -3);
	assert_int_equal(evaluation_add(ev, 7, 0, v, 1, 1, 1.0, NAN), 0);
	assert_int_equal(evaluation_add(ev, 2, 0, v, 0, 1, 1.0, NAN), 0);
	assert_int_equal(evaluation_final_step(ev), 7);
	assert_int_equal(evaluation_finish(ev), 0);
	assert_int_equal(evaluation_group_count(ev), 3);
	assert_int_equal(evaluation_group(ev, 0)->step, -3);
	assert_int_equal(evaluation_group(ev, 1)->step, 2);
	assert_int_equal(evaluation_group(ev, 2)->step, 7);
	assert_true(evaluation_group(ev, 1)->counts.fp == 1.0);
	evaluation_free(ev);
}

static void test_histograms(void **state)
{
	(void)state;
	struct evaluation *ev = build(1);
	size_t n = evaluation_group_count(ev);
	for (size_t i = 0; i < n; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		assert_non_null(g->hist);
		double want[SCORE_BINS] = {0};
		for (size_t r = 0; r < NROWS; r++)
			if (rows[r].bin >= 0 && row_in_group(ev, &rows[r], g))
				want[rows[r].bin] += rows[r].weight;
		for (int b = 0; b < SCORE_BINS; b++)
			if (g->hist[b] != want[b]) {
				print_error("group %zu bin %d: got %g, want "
					    "%g\n", i, b, g->hist[b], want[b]);
				fail();
			}
	}
	/* by hand, step 1's overall: bin 99 holds score 1.0 (0.5) and
	 * 0.995 (1.0) = 1.5; bin 0 holds 0.0 (2.5); bin 90 holds 0.905 (1) */
	const struct eval_group *all = evaluation_group(ev, 0);
	assert_true(all->hist[99] == 1.5);
	assert_true(all->hist[0] == 2.5);
	assert_true(all->hist[90] == 1.0);
	double total = 0;
	for (int b = 0; b < SCORE_BINS; b++)
		total += all->hist[b];
	/* every step-1 row has a score: weights 1 + .5 + 2.5 + 1 + .5 +
	 * 2.5 + 1 + 1 + .5 + 2.5 = 13 */
	assert_true(total == 13.0);
	/* step 5: the row without a score is counted but not binned:
	 * weights with a score 1 + .5 + 1 + 2.5 + 1 = 6 of 7 */
	const struct eval_group *s5 = evaluation_group(ev, 29);
	total = 0;
	for (int b = 0; b < SCORE_BINS; b++)
		total += s5->hist[b];
	assert_true(total == 6.0);
	assert_true(s5->hist[0] == 1.0); /* 0.005 */
	evaluation_free(ev);
}

static void test_histogram_edges(void **state)
{
	(void)state;
	/* one cell, the overall only; bins by hand: k/100 <= s < (k+1)/100 */
	static const struct {
		double score, weight;
		int bin;
	} pts[] = {
		{0.0, 1.0, 0},
		{0.0099, 0.5, 0},   /* 0.99 */
		{0.0125, 2.5, 1},   /* 1.25 */
		{0.5, 1.0, 50},
		{0.9999, 0.5, 99},  /* 99.99 */
		{1.0, 2.5, 99},     /* the closed end of [0,1] */
		/* outside [0,1] (predictions.c refuses them; the aggregator
		 * still keeps them to the end bins) */
		{1.5, 1.0, 99},
		{1e300, 0.5, 99},
		{-0.25, 1.0, 0},
		{-1e300, 0.5, 0},
	};
	struct evaluation *ev = evaluation_new(1);
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	double want[SCORE_BINS] = {0};
	for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
		assert_int_equal(evaluation_add(ev, 0, 0, v, 1, 1,
						pts[i].weight, pts[i].score),
				 0);
		want[pts[i].bin] += pts[i].weight;
	}
	assert_int_equal(evaluation_finish(ev), 0);
	assert_int_equal(evaluation_group_count(ev), 1);
	const struct eval_group *g = evaluation_group(ev, 0);
	for (int b = 0; b < SCORE_BINS; b++)
		if (g->hist[b] != want[b]) {
			print_error("bin %d: got %g, want %g\n", b, g->hist[b],
				    want[b]);
			fail();
		}
	/* bin 0: 1 + 0.5 + 1 + 0.5 = 3; bin 99: 0.5 + 2.5 + 1 + 0.5 = 4.5 */
	assert_true(g->hist[0] == 3.0);
	assert_true(g->hist[99] == 4.5);
	evaluation_free(ev);
}

static struct confusion counts4(double tp, double fp, double tn, double fn,
				int64_t rows_given)
{
	struct confusion c;
	c.tp = tp;
	c.fp = fp;
	c.tn = tn;
	c.fn = fn;
	c.rows = rows_given;
	c.rows_positive = rows_given < 0 ? -1 : 0;
	return c;
}

static void same_counts(const struct eval_group *g, double tp, double fp,
			double tn, double fn, int64_t rows_want)
{
	assert_true(g->counts.tp == tp);
	assert_true(g->counts.fp == fp);
	assert_true(g->counts.tn == tn);
	assert_true(g->counts.fn == fn);
	assert_int_equal(g->counts.rows, rows_want);
}

static void test_add_counts_mixed(void **state)
{
	(void)state;
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	fail_init(&f);
	assert_int_equal(evaluation_feature(ev, "group", 5, &f), 0);
	assert_int_equal(evaluation_feature(ev, "age", 3, &f), 1);
	uint32_t A[EVAL_MAX_FEATURES] = {0}, B[EVAL_MAX_FEATURES] = {0};
	uint32_t X[EVAL_MAX_FEATURES] = {0}, Y[EVAL_MAX_FEATURES] = {0};
	uint32_t none[EVAL_MAX_FEATURES] = {0};
	/* B interned before A, Y before X */
	B[0] = (uint32_t)evaluation_value(ev, 0, "B", 1);
	A[0] = (uint32_t)evaluation_value(ev, 0, "A", 1);
	Y[1] = (uint32_t)evaluation_value(ev, 1, "Y", 1);
	X[1] = (uint32_t)evaluation_value(ev, 1, "X", 1);
	struct confusion c;

	/* step 1: group=A, group=B, age=X, no overall: the overall is
	 * A + B = (1+10, 2+20, 3+30, 4+40) = (11, 22, 33, 44); age=X is
	 * not added into it */
	c = counts4(1, 2, 3, 4, -1);
	assert_int_equal(evaluation_add_counts(ev, 1, 1, A, &c), 0);
	c = counts4(10, 20, 30, 40, -1);
	assert_int_equal(evaluation_add_counts(ev, 1, 1, B, &c), 0);
	c = counts4(100, 0, 0, 0, -1);
	assert_int_equal(evaluation_add_counts(ev, 1, 2, X, &c), 0);
	/* step 2: an overall given (7, 7, 7, 7) is kept as given, not
	 * replaced by A + B = (3, 3, 3, 3); B's known row count (5) kept */
	c = counts4(7, 7, 7, 7, -1);
	assert_int_equal(evaluation_add_counts(ev, 2, 0, none, &c), 0);
	c = counts4(1, 1, 1, 1, -1);
	assert_int_equal(evaluation_add_counts(ev, 2, 1, A, &c), 0);
	c = counts4(2, 2, 2, 2, 5);
	assert_int_equal(evaluation_add_counts(ev, 2, 1, B, &c), 0);
	/* step 3: only age, so age is the first feature there: overall
	 * X + Y = (1 + 0, 0 + 1, 0, 0) */
	c = counts4(1, 0, 0, 0, -1);
	assert_int_equal(evaluation_add_counts(ev, 3, 2, X, &c), 0);
	c = counts4(0, 1, 0, 0, -1);
	assert_int_equal(evaluation_add_counts(ev, 3, 2, Y, &c), 0);
	assert_int_equal(evaluation_finish(ev), 0);

	/* step 1: overall, A, B, X; step 2: overall, A, B; step 3:
	 * overall, X, Y; no intersection derived */
	assert_int_equal(evaluation_group_count(ev), 10);
	assert_int_equal(evaluation_final_step(ev), 3);
	static const struct {
		int64_t step;
		unsigned mask;
		const char *label;
		double tp, fp, tn, fn;
		int64_t rows;
	} want[] = {
		{1, 0, "", 11, 22, 33, 44, -1},
		{1, 1, "A", 1, 2, 3, 4, -1},
		{1, 1, "B", 10, 20, 30, 40, -1},
		{1, 2, "X", 100, 0, 0, 0, -1},
		{2, 0, "", 7, 7, 7, 7, -1},
		{2, 1, "A", 1, 1, 1, 1, -1},
		{2, 1, "B", 2, 2, 2, 2, 5},
		{3, 0, "", 1, 1, 0, 0, -1},
		{3, 2, "X", 1, 0, 0, 0, -1},
		{3, 2, "Y", 0, 1, 0, 0, -1},
	};
	char label[64];
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		assert_int_equal(g->step, want[i].step);
		assert_int_equal(g->mask, want[i].mask);
		evaluation_group_label(ev, g, label, sizeof label);
		assert_string_equal(label, want[i].label);
		same_counts(g, want[i].tp, want[i].fp, want[i].tn, want[i].fn,
			    want[i].rows);
	}
	evaluation_free(ev);
}

static void test_add_counts_cells(void **state)
{
	(void)state;
	/* every row names both features: cells, added up like rows */
	struct evaluation *ev = evaluation_new(1);
	struct fail f;
	fail_init(&f);
	assert_int_equal(evaluation_feature(ev, "group", 5, &f), 0);
	assert_int_equal(evaluation_feature(ev, "age", 3, &f), 1);
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	const char *g[3] = {"A", "A", "B"};
	const char *a[3] = {"X", "Y", "X"};
	const double base[3] = {1, 10, 100};
	for (int i = 0; i < 3; i++) {
		v[0] = (uint32_t)evaluation_value(ev, 0, g[i], 1);
		v[1] = (uint32_t)evaluation_value(ev, 1, a[i], 1);
		/* (b, 2b, 3b, 4b); the last cell's row count is known */
		struct confusion c = counts4(base[i], 2 * base[i],
					     3 * base[i], 4 * base[i],
					     i == 2 ? 9 : -1);
		assert_int_equal(evaluation_add_counts(ev, 1, 3, v, &c), 0);
	}
	assert_int_equal(evaluation_finish(ev), 0);
	/* overall, A, B, X, Y, A&X, A&Y, B&X */
	assert_int_equal(evaluation_group_count(ev), 8);
	static const struct {
		const char *label;
		double b; /* tp; fp 2b, tn 3b, fn 4b */
		int64_t rows;
	} want[] = {
		{"", 111, -1},                 /* 1 + 10 + 100 */
		{"A", 11, -1},                 /* 1 + 10 */
		{"B", 100, 9},                 /* given with 9 rows */
		{"X", 101, -1},                /* 1 + 100 */
		{"Y", 10, -1},
		{"group=A & age=X", 1, -1},
		{"group=A & age=Y", 10, -1},
		{"group=B & age=X", 100, 9},
	};
	char label[64];
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const struct eval_group *grp = evaluation_group(ev, i);
		evaluation_group_label(ev, grp, label, sizeof label);
		assert_string_equal(label, want[i].label);
		same_counts(grp, want[i].b, 2 * want[i].b, 3 * want[i].b,
			    4 * want[i].b, want[i].rows);
		/* counts carry no scores: an empty histogram */
		assert_non_null(grp->hist);
		for (int b = 0; b < SCORE_BINS; b++)
			assert_true(grp->hist[b] == 0.0);
	}
	evaluation_free(ev);
}

static void test_feature_limit(void **state)
{
	(void)state;
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	fail_init(&f);
	char name[16];
	uint32_t v[EVAL_MAX_FEATURES];
	for (int j = 0; j < EVAL_MAX_FEATURES; j++) {
		snprintf(name, sizeof name, "f%d", j);
		assert_int_equal(evaluation_feature(ev, name, strlen(name), &f),
				 j);
		int64_t x = evaluation_value(ev, (size_t)j, "v", 1);
		assert_int_equal(x, 0);
		v[j] = (uint32_t)x;
	}
	assert_int_equal(f.kind, FAIL_NONE);
	/* a known name is found even when full */
	assert_int_equal(evaluation_feature(ev, "f3", 2, &f), 3);
	/* only the first len bytes count */
	assert_int_equal(evaluation_feature(ev, "f2xyz", 2, &f), 2);
	assert_int_equal(f.kind, FAIL_NONE);
	/* a seventh is refused */
	assert_int_equal(evaluation_feature(ev, "f6", 2, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_non_null(strstr(f.msg, "6"));
	assert_int_equal(evaluation_feature_count(ev), EVAL_MAX_FEATURES);
	assert_string_equal(evaluation_feature_name(ev, 5), "f5");

	/* one row in the full cell: 2^6 = 64 groups, each that row */
	unsigned full = (1u << EVAL_MAX_FEATURES) - 1;
	assert_int_equal(evaluation_add(ev, 0, full, v, 1, 0, 2.5, NAN), 0);
	assert_int_equal(evaluation_finish(ev), 0);
	assert_int_equal(evaluation_group_count(ev), 64);
	for (size_t i = 0; i < 64; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		assert_true(g->counts.fn == 2.5);
		assert_true(g->counts.tp == 0.0);
		assert_int_equal(g->counts.rows, 1);
		assert_int_equal(g->counts.rows_positive, 1);
	}
	const struct eval_group *last = evaluation_group(ev, 63);
	assert_int_equal(last->mask, full);
	char label[128];
	evaluation_group_label(ev, last, label, sizeof label);
	assert_string_equal(label, "f0=v & f1=v & f2=v & f3=v & f4=v & f5=v");
	evaluation_free(ev);
}

static void test_value_interning(void **state)
{
	(void)state;
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	fail_init(&f);
	assert_int_equal(evaluation_feature(ev, "sex", 3, &f), 0);
	assert_int_equal(evaluation_feature(ev, "age", 3, &f), 1);
	assert_int_equal(evaluation_value(ev, 0, "F", 1), 0);
	assert_int_equal(evaluation_value(ev, 0, "M", 1), 1);
	assert_int_equal(evaluation_value(ev, 0, "F", 1), 0);
	/* only len bytes: "Mxyz" of length 1 is "M" */
	assert_int_equal(evaluation_value(ev, 0, "Mxyz", 1), 1);
	/* a prefix is another value */
	assert_int_equal(evaluation_value(ev, 0, "FF", 2), 2);
	/* the empty value is a value */
	assert_int_equal(evaluation_value(ev, 0, "", 0), 3);
	/* each feature interns on its own */
	assert_int_equal(evaluation_value(ev, 1, "M", 1), 0);
	assert_string_equal(evaluation_value_name(ev, 0, 1), "M");
	assert_string_equal(evaluation_value_name(ev, 0, 2), "FF");
	assert_string_equal(evaluation_value_name(ev, 0, 3), "");
	assert_string_equal(evaluation_feature_name(ev, 1), "age");
	evaluation_free(ev);
	evaluation_free(NULL); /* does nothing */
}

/* Short values are compared as one word, one-byte values through a
 * table: texts that share their first 8 bytes, differ only in length
 * or hold NUL bytes must stay apart.  Checked against a plain linear
 * search over 3,000 random texts of 0 to 12 bytes over a 3-letter
 * alphabet (with NUL), so that most are repeats and near-misses; the
 * texts past EVAL_MAX_GROUPS distinct ones are refused. */
static void test_value_interning_against_linear(void **state)
{
	(void)state;
	enum { N = 3000, MAXLEN = 12 };
	static char text[N][MAXLEN];
	static size_t len[N];
	static const char alphabet[] = {'a', 'b', '\0'};
	size_t distinct = 0;
	static size_t first_of[N]; /* index of the first equal text */
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	fail_init(&f);
	assert_int_equal(evaluation_feature(ev, "g", 1, &f), 0);
	uint64_t x = UINT64_C(88172645463325252);
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len[i] = (size_t)(x % (MAXLEN + 1));
		for (size_t k = 0; k < len[i]; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			text[i][k] = alphabet[x % 3];
		}
		size_t k = 0;
		while (k < i && !(len[k] == len[i] &&
				  memcmp(text[k], text[i], len[i]) == 0))
			k++;
		/* past EVAL_MAX_GROUPS, a new text is refused, and again
		 * when it comes back */
		first_of[i] = k < i			  ? first_of[k]
			      : distinct < EVAL_MAX_GROUPS ? distinct++
							   : SIZE_MAX;
		int64_t got = evaluation_value(ev, 0, text[i], len[i]);
		if (first_of[i] == SIZE_MAX)
			assert_int_equal(got, EVAL_FULL);
		else
			assert_int_equal(got, (int64_t)first_of[i]);
	}
	assert_true(distinct > 500 && distinct < N);
	evaluation_free(ev);
}

static void test_many_values(void **state)
{
	(void)state;
	/* EVAL_MAX_GROUPS distinct values of one feature, one row each:
	 * row i has truth i % 2 and prediction (i % 3 == 0); one more
	 * value is refused. */
	enum { N = EVAL_MAX_GROUPS };
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	fail_init(&f);
	assert_int_equal(evaluation_feature(ev, "id", 2, &f), 0);
	char text[32];
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	for (int i = 0; i < N; i++) {
		int len = snprintf(text, sizeof text, "v%d", i);
		int64_t x = evaluation_value(ev, 0, text, (size_t)len);
		assert_int_equal(x, i); /* new values numbered in order */
		v[0] = (uint32_t)x;
		assert_int_equal(evaluation_add(ev, 1, 1, v, i % 2, i % 3 == 0,
						1.0, NAN), 0);
	}
	/* seen again: the same index */
	assert_int_equal(evaluation_value(ev, 0, "v777", 4), 777);
	/* one more, long or of one byte, is refused and not kept */
	assert_int_equal(evaluation_value(ev, 0, "v1000", 5), EVAL_FULL);
	assert_int_equal(evaluation_value(ev, 0, "x", 1), EVAL_FULL);
	assert_int_equal(evaluation_value(ev, 0, "v1000", 5), EVAL_FULL);
	assert_int_equal(evaluation_value(ev, 0, "v999", 4), 999);
	assert_int_equal(evaluation_fail_groups(ev, 0, "v1000", 5, "p.csv",
						1002, &f),
			 -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, "p.csv:1002: column 'id': expected at "
				   "most 1000 distinct groups, found a 1001st "
				   "('v1000')");
	assert_int_equal(evaluation_finish(ev), 0);
	assert_int_equal(evaluation_group_count(ev), N + 1);

	/* the overall: each row counted once */
	double tp = 0, fp = 0, fn = 0, tn = 0;
	for (int i = 0; i < N; i++) {
		tp += i % 2 && i % 3 == 0;
		fp += !(i % 2) && i % 3 == 0;
		fn += i % 2 && i % 3 != 0;
		tn += !(i % 2) && i % 3 != 0;
	}
	const struct eval_group *all = evaluation_group(ev, 0);
	assert_int_equal(all->mask, 0);
	assert_true(all->counts.tp == tp);
	assert_true(all->counts.fp == fp);
	assert_true(all->counts.fn == fn);
	assert_true(all->counts.tn == tn);
	assert_int_equal(all->counts.rows, N);
	assert_int_equal(all->counts.rows_positive, N / 2);

	/* every group: its own row, and in text order */
	char *seen = calloc(N, 1);
	assert_non_null(seen);
	const char *prev = NULL;
	for (size_t k = 1; k <= N; k++) {
		const struct eval_group *g = evaluation_group(ev, k);
		const char *name = evaluation_value_name(ev, 0, g->value[0]);
		int i = atoi(name + 1);
		assert_true(i >= 0 && i < N && !seen[i]);
		seen[i] = 1;
		assert_int_equal(g->counts.rows, 1);
		assert_true(g->counts.tp == (i % 2 && i % 3 == 0));
		assert_true(g->counts.fp == (!(i % 2) && i % 3 == 0));
		assert_true(g->counts.fn == (i % 2 && i % 3 != 0));
		assert_true(g->counts.tn == (!(i % 2) && i % 3 != 0));
		if (prev != NULL)
			assert_true(strcmp(prev, name) < 0);
		prev = name;
	}
	free(seen);
	evaluation_free(ev);
}

static void test_many_groups_mixed(void **state)
{
	(void)state;
	/* counts.csv with group-level rows for two features, the most
	 * values of `id` there may be and 2 of `sex`, and no overall: the
	 * overall is the sum of the id groups.  Row i of id: tp i % 2, fn
	 * 1 - i % 2.  sex=F: tp 5, sex=M: fp 7 (not in the overall). */
	enum { N = EVAL_MAX_GROUPS };
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	fail_init(&f);
	assert_int_equal(evaluation_feature(ev, "id", 2, &f), 0);
	assert_int_equal(evaluation_feature(ev, "sex", 3, &f), 1);
	char text[32];
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	struct confusion c;
	for (int i = 0; i < N; i++) {
		int len = snprintf(text, sizeof text, "v%d", i);
		v[0] = (uint32_t)evaluation_value(ev, 0, text, (size_t)len);
		c = counts4(i % 2, 0, 0, 1 - i % 2, -1);
		assert_int_equal(evaluation_add_counts(ev, 1, 1, v, &c), 0);
	}
	v[0] = 0;
	v[1] = (uint32_t)evaluation_value(ev, 1, "F", 1);
	c = counts4(5, 0, 0, 0, -1);
	assert_int_equal(evaluation_add_counts(ev, 1, 2, v, &c), 0);
	v[1] = (uint32_t)evaluation_value(ev, 1, "M", 1);
	c = counts4(0, 7, 0, 0, -1);
	assert_int_equal(evaluation_add_counts(ev, 1, 2, v, &c), 0);

	/* no assertion on time (tests never do): a pass over all groups
	 * per group once made this take 15 s; make bench is where speed
	 * is measured */
	assert_int_equal(evaluation_finish(ev), 0);
	/* overall + 100,000 id groups + F + M */
	assert_int_equal(evaluation_group_count(ev), N + 3);
	const struct eval_group *all = evaluation_group(ev, 0);
	assert_int_equal(all->mask, 0);
	/* odd i: tp; even i: fn */
	same_counts(all, N / 2, 0, 0, N / 2, -1);
	same_counts(evaluation_group(ev, N + 1), 5, 0, 0, 0, -1);
	same_counts(evaluation_group(ev, N + 2), 0, 7, 0, 0, -1);
	evaluation_free(ev);
}

/* EVAL_MAX_CELLS cells of two features at most: the next, at a new
 * step or a new combination, is refused with nothing added; a cell
 * already there still counts. */
static void test_cell_limit(void **state)
{
	(void)state;
	enum { SIDE = 100 }; /* SIDE * SIDE = EVAL_MAX_CELLS */
	struct evaluation *ev = evaluation_new(1);
	struct fail f;
	char text[32];
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	fail_init(&f);
	assert_int_equal(SIDE * SIDE, EVAL_MAX_CELLS);
	assert_int_equal(evaluation_feature(ev, "sex", 3, &f), 0);
	assert_int_equal(evaluation_feature(ev, "age", 3, &f), 1);
	for (int a = 0; a < SIDE; a++) {
		int len = snprintf(text, sizeof text, "s%d", a);
		v[0] = (uint32_t)evaluation_value(ev, 0, text, (size_t)len);
		for (int b = 0; b < SIDE; b++) {
			len = snprintf(text, sizeof text, "a%d", b);
			v[1] = (uint32_t)evaluation_value(ev, 1, text,
							  (size_t)len);
			assert_int_equal(evaluation_add(ev, 1, 3u, v, 1, 1, 1.0,
							0.5),
					 0);
		}
	}
	assert_int_equal(evaluation_add(ev, 2, 3u, v, 1, 1, 1.0, 0.5),
			 EVAL_FULL);
	struct confusion c;
	confusion_init(&c);
	c.tp = 1;
	c.rows = c.rows_positive = -1;
	assert_int_equal(evaluation_add_counts(ev, 1, 1u, v, &c), EVAL_FULL);
	assert_int_equal(evaluation_fail_cells(ev, 2, 3u, v, "p.csv", 7, &f),
			 -1);
	assert_string_equal(f.msg, "p.csv:7: expected at most 10000 distinct "
				   "cells (steps times combinations of "
				   "groups), found a 10001st (step 2: "
				   "'sex=s99 & age=a99')");
	fail_init(&f);
	assert_int_equal(evaluation_fail_cells(ev, 2, 1u, v, "p.csv", 7, &f),
			 -1);
	assert_string_equal(f.msg, "p.csv:7: expected at most 10000 distinct "
				   "cells (steps times combinations of "
				   "groups), found a 10001st (step 2: "
				   "'sex=s99')");
	assert_int_equal(evaluation_add(ev, 1, 3u, v, 0, 0, 2.0, 0.5), 0);
	assert_int_equal(evaluation_finish(ev), 0);
	/* overall + 100 + 100 + 10,000; nothing at step 2 */
	assert_int_equal(evaluation_group_count(ev), 1 + 2 * SIDE + SIDE * SIDE);
	assert_int_equal(evaluation_final_step(ev), 1);
	const struct eval_group *all = evaluation_group(ev, 0);
	same_counts(all, EVAL_MAX_CELLS, 0, 2, 0, EVAL_MAX_CELLS + 1);
	evaluation_free(ev);
}

/* Two halves that together would go past a limit are not merged, and
 * the evaluation merged into is left as it was. */
static void test_merge_limit(void **state)
{
	(void)state;
	struct evaluation *a = evaluation_new(0), *b = evaluation_new(0);
	struct fail f;
	char text[32];
	uint32_t v[EVAL_MAX_FEATURES] = {0};
	fail_init(&f);
	assert_int_equal(evaluation_feature(a, "id", 2, &f), 0);
	assert_int_equal(evaluation_feature(b, "id", 2, &f), 0);
	for (int i = 0; i < 600; i++) {
		int len = snprintf(text, sizeof text, "v%d", i);
		v[0] = (uint32_t)evaluation_value(a, 0, text, (size_t)len);
		assert_int_equal(evaluation_add(a, 0, 1u, v, 1, 1, 1.0, NAN),
				 0);
		/* b: v300 to v899, 300 of them shared with a */
		len = snprintf(text, sizeof text, "v%d", i + 300);
		v[0] = (uint32_t)evaluation_value(b, 0, text, (size_t)len);
		assert_int_equal(evaluation_add(b, 0, 1u, v, 1, 1, 1.0, NAN),
				 0);
	}
	/* 900 values together: merged */
	assert_int_equal(evaluation_merge(a, b), 0);
	evaluation_free(b);
	b = evaluation_new(0);
	assert_int_equal(evaluation_feature(b, "id", 2, &f), 0);
	for (int i = 0; i < 101; i++) {
		int len = snprintf(text, sizeof text, "w%d", i);
		v[0] = (uint32_t)evaluation_value(b, 0, text, (size_t)len);
		assert_int_equal(evaluation_add(b, 0, 1u, v, 1, 1, 1.0, NAN),
				 0);
	}
	/* 1001 together: refused, a untouched */
	assert_int_equal(evaluation_merge(a, b), EVAL_FULL);
	assert_int_equal(evaluation_value(a, 0, "w0", 2), 900);
	assert_int_equal(evaluation_finish(a), 0);
	assert_int_equal(evaluation_group_count(a), 1 + 900);
	same_counts(evaluation_group(a, 0), 1200, 0, 0, 0, 1200);
	evaluation_free(a);
	evaluation_free(b);
}

/* core/groupset.h: a set's digest does not depend on the order its
 * groups come in; the feature and the label stay apart; one group more,
 * less or other changes it; the empty set is 0. */
static void test_groupset_digest(void **state)
{
	(void)state;
	uint64_t ab = groupset_add(groupset_add(0, "sex", "F"), "sex", "M");
	uint64_t ba = groupset_add(groupset_add(0, "sex", "M"), "sex", "F");
	assert_true(ab == ba);
	assert_true(ab != 0);
	assert_true(groupset_add(0, "ab", "c") != groupset_add(0, "a", "bc"));
	assert_true(groupset_add(0, "sex", "F") !=
		    groupset_add(0, "age", "F"));
	assert_true(groupset_add(ab, "sex", "X") != ab);
	assert_true(groupset_add(0, "sex", "F") != ab);
	assert_true(groupset_add(groupset_add(0, "sex", "F"), "sex", "X") !=
		    ab);
	/* F and M twice over is not F and M */
	assert_true(groupset_add(groupset_add(ab, "sex", "F"), "sex", "M") !=
		    ab);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groupset_digest),
		cmocka_unit_test(test_derived_groups_match_rows),
		cmocka_unit_test(test_sort_order_and_labels),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_histograms),
		cmocka_unit_test(test_histogram_edges),
		cmocka_unit_test(test_add_counts_mixed),
		cmocka_unit_test(test_add_counts_cells),
		cmocka_unit_test(test_feature_limit),
		cmocka_unit_test(test_value_interning),
		cmocka_unit_test(test_value_interning_against_linear),
		cmocka_unit_test(test_many_values),
		cmocka_unit_test(test_many_groups_mixed),
		cmocka_unit_test(test_cell_limit),
		cmocka_unit_test(test_merge_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
