/*
 * test_counts.c — core/counts.c: cells of one feature set add up into
 * the overall, each feature and the intersection exactly as the same
 * rows would through predictions.csv; rows naming different feature
 * sets are taken as given (an overall made from the first feature where
 * a step has none); the group text parser; every refusal with its whole
 * message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/counts.h"
#include "core/predictions.h"

static int read_str(const char *text, struct evaluation **ev, struct fail *f)
{
	struct source src = source_buffer(text, strlen(text), "c.csv");
	fail_init(f);
	return counts_read(&src, ev, f);
}

static void refused(const char *text, const char *msg)
{
	struct evaluation *ev = (struct evaluation *)&ev; /* not NULL */
	struct fail f;
	assert_int_equal(read_str(text, &ev, &f), -1);
	assert_null(ev);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, msg);
}

static const struct eval_group *find(const struct evaluation *ev,
				     int64_t step, const char *feature,
				     const char *label)
{
	char name[256], text[256];
	for (size_t i = 0; i < evaluation_group_count(ev); i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		evaluation_mask_name(ev, g->mask, name, sizeof name);
		evaluation_group_label(ev, g, text, sizeof text);
		if (g->step == step && strcmp(name, feature) == 0 &&
		    strcmp(text, label) == 0)
			return g;
	}
	fail_msg("no group '%s' '%s' at step %lld", feature, label,
		 (long long)step);
	return NULL;
}

/* Counts from counts.csv: row counts unknown (-1). */
static void expect(const struct evaluation *ev, int64_t step,
		   const char *feature, const char *label, double tp,
		   double fp, double tn, double fn)
{
	const struct eval_group *g = find(ev, step, feature, label);
	if (g->counts.tp != tp || g->counts.fp != fp || g->counts.tn != tn ||
	    g->counts.fn != fn)
		fail_msg("group '%s' '%s' step %lld: got %g %g %g %g, expected "
			 "%g %g %g %g", feature, label, (long long)step,
			 g->counts.tp, g->counts.fp, g->counts.tn, g->counts.fn,
			 tp, fp, tn, fn);
	assert_int_equal(g->counts.rows, -1);
	assert_int_equal(g->counts.rows_positive, -1);
}

/* --- one feature set ------------------------------------------------ */

/* The cells of these rows (truth,pred,group,age):
 *   1,1,A,young  x2    -> A & young tp 2
 *   0,1,A,old          -> A & old   fp 1
 *   0,0,A,old          ->           tn 1
 *   1,0,B,young        -> B & young fn 1
 *   0,0,B,old          -> B & old   tn 1
 * plus at step 2 one cell, A & old, tn 1.5. Columns in another order. */
static const char cells[] =
	"group,fn,tn,step,fp,tp\n"
	"group=A & age=young,0,0,1,0,2\n"
	"group=A & age=old,0,1,1,1,0\n"
	"\"  group = B  &age=young \",1,0,1,0,0\n"
	"group=B & age=old,0,1,1,0,0\n"
	"group=A & age=old,0,1.5,2,0,0\n";

static const char cells_as_rows[] =
	"step,y_true,y_pred,group,age,weight\n"
	"1,1,1,A,young,1\n"
	"1,1,1,A,young,1\n"
	"1,0,1,A,old,1\n"
	"1,0,0,A,old,1\n"
	"1,1,0,B,young,1\n"
	"1,0,0,B,old,1\n"
	"2,0,0,A,old,1.5\n";

static void test_cells_add_up(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct fail f;
	assert_int_equal(read_str(cells, &ev, &f), 0);
	assert_int_equal(evaluation_feature_count(ev), 2);
	assert_string_equal(evaluation_feature_name(ev, 0), "group");
	assert_string_equal(evaluation_feature_name(ev, 1), "age");
	assert_int_equal(evaluation_final_step(ev), 2);
	/* step, feature, label; tp fp tn fn */
	expect(ev, 1, "", "", 2, 1, 2, 1);
	expect(ev, 1, "group", "A", 2, 1, 1, 0);
	expect(ev, 1, "group", "B", 0, 0, 1, 1);
	expect(ev, 1, "age", "old", 0, 1, 2, 0);
	expect(ev, 1, "age", "young", 2, 0, 0, 1);
	expect(ev, 1, "group & age", "group=A & age=old", 0, 1, 1, 0);
	expect(ev, 1, "group & age", "group=A & age=young", 2, 0, 0, 0);
	expect(ev, 1, "group & age", "group=B & age=old", 0, 0, 1, 0);
	expect(ev, 1, "group & age", "group=B & age=young", 0, 0, 0, 1);
	expect(ev, 2, "", "", 0, 0, 1.5, 0);
	expect(ev, 2, "group", "A", 0, 0, 1.5, 0);
	expect(ev, 2, "age", "old", 0, 0, 1.5, 0);
	expect(ev, 2, "group & age", "group=A & age=old", 0, 0, 1.5, 0);
	assert_int_equal(evaluation_group_count(ev), 9 + 4);

	/* the same numbers, group for group and in the same order, as the
	 * rows themselves give */
	struct evaluation *rows;
	struct predictions_summary sum;
	struct predictions_options opt = {"1", NULL, 0, 0};
	struct source src = source_buffer(cells_as_rows, strlen(cells_as_rows),
					  "p.csv");
	fail_init(&f);
	assert_int_equal(predictions_read(&src, &opt, &rows, &sum, &f), 0);
	assert_int_equal(evaluation_group_count(rows),
			 evaluation_group_count(ev));
	for (size_t i = 0; i < evaluation_group_count(ev); i++) {
		const struct eval_group *a = evaluation_group(ev, i);
		const struct eval_group *b = evaluation_group(rows, i);
		char la[256], lb[256];
		evaluation_group_label(ev, a, la, sizeof la);
		evaluation_group_label(rows, b, lb, sizeof lb);
		assert_string_equal(la, lb);
		assert_int_equal(a->step, b->step);
		assert_int_equal(a->mask, b->mask);
		assert_true(a->counts.tp == b->counts.tp);
		assert_true(a->counts.fp == b->counts.fp);
		assert_true(a->counts.tn == b->counts.tn);
		assert_true(a->counts.fn == b->counts.fn);
	}
	evaluation_free(rows);
	evaluation_free(ev);
}

static void test_overall_only(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct fail f;
	assert_int_equal(read_str("step,group,tp,fp,tn,fn\n"
				  "0,,3,1,4,2\n"
				  "0,,1,0,0,0\n",
				  &ev, &f), 0);
	assert_int_equal(evaluation_group_count(ev), 1);
	expect(ev, 0, "", "", 4, 1, 4, 2);
	evaluation_free(ev);
}

/* --- mixed feature sets --------------------------------------------- */

static void test_mixed_masks_as_given(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct fail f;
	assert_int_equal(read_str("step,group,tp,fp,tn,fn\n"
				  "1,,5,1,3,1\n"
				  "1,sex=F,3,0,1,1\n"
				  "1,sex=M,2,1,2,0\n"
				  "1,age=old,1,1,1,1\n"
				  "1,sex=F & age=old,1,0,0,0\n"
				  "2,age=old,4,4,4,4\n"
				  "2,sex=M,0,1,0,0\n"
				  "2,sex=F,1,0,0,0\n",
				  &ev, &f), 0);
	/* step 1: every row as given; nothing derived */
	expect(ev, 1, "", "", 5, 1, 3, 1);
	expect(ev, 1, "sex", "F", 3, 0, 1, 1);
	expect(ev, 1, "sex", "M", 2, 1, 2, 0);
	expect(ev, 1, "age", "old", 1, 1, 1, 1);
	expect(ev, 1, "sex & age", "sex=F & age=old", 1, 0, 0, 0);
	/* step 2 has no overall row: the sum of the first feature (sex) */
	expect(ev, 2, "", "", 1, 1, 0, 0);
	expect(ev, 2, "sex", "F", 1, 0, 0, 0);
	expect(ev, 2, "sex", "M", 0, 1, 0, 0);
	expect(ev, 2, "age", "old", 4, 4, 4, 4);
	assert_int_equal(evaluation_group_count(ev), 5 + 4);
	evaluation_free(ev);
}

/* --- the group text ------------------------------------------------- */

static void test_parse_group(void **state)
{
	(void)state;
	struct evaluation *ev = evaluation_new(0);
	struct fail f;
	unsigned mask = 99;
	uint32_t value[EVAL_MAX_FEATURES];
	assert_non_null(ev);
	fail_init(&f);

	const char *t = "group=A & age=18-25";
	assert_int_equal(counts_parse_group(ev, t, strlen(t), "c.csv", 2,
					    &mask, value, &f), 0);
	assert_int_equal(mask, 3);
	assert_string_equal(evaluation_feature_name(ev, 0), "group");
	assert_string_equal(evaluation_feature_name(ev, 1), "age");
	assert_string_equal(evaluation_value_name(ev, 0, value[0]), "A");
	assert_string_equal(evaluation_value_name(ev, 1, value[1]), "18-25");

	/* spaces around names, values and '&' tolerated; order free */
	t = "  age = 26-40&group=B  ";
	assert_int_equal(counts_parse_group(ev, t, strlen(t), "c.csv", 3,
					    &mask, value, &f), 0);
	assert_int_equal(mask, 3);
	assert_string_equal(evaluation_value_name(ev, 0, value[0]), "B");
	assert_string_equal(evaluation_value_name(ev, 1, value[1]), "26-40");

	t = "age=18-25";
	assert_int_equal(counts_parse_group(ev, t, strlen(t), "c.csv", 4,
					    &mask, value, &f), 0);
	assert_int_equal(mask, 2);
	assert_int_equal(value[0], 0);
	assert_string_equal(evaluation_value_name(ev, 1, value[1]), "18-25");

	/* a value may hold '=' after the first one */
	t = "note=a=b";
	assert_int_equal(counts_parse_group(ev, t, strlen(t), "c.csv", 5,
					    &mask, value, &f), 0);
	assert_int_equal(mask, 4);
	assert_string_equal(evaluation_value_name(ev, 2, value[2]), "a=b");

	/* overall: empty or blank */
	assert_int_equal(counts_parse_group(ev, "", 0, "c.csv", 6, &mask,
					    value, &f), 0);
	assert_int_equal(mask, 0);
	for (size_t j = 0; j < EVAL_MAX_FEATURES; j++)
		assert_int_equal(value[j], 0);
	assert_int_equal(counts_parse_group(ev, "   ", 3, "c.csv", 7, &mask,
					    value, &f), 0);
	assert_int_equal(mask, 0);
	assert_int_equal(f.kind, FAIL_NONE);

	/* only len bytes are read */
	t = "group=C & age=old";
	assert_int_equal(counts_parse_group(ev, t, 7, "c.csv", 8, &mask, value,
					    &f), 0);
	assert_int_equal(mask, 1);
	assert_string_equal(evaluation_value_name(ev, 0, value[0]), "C");

	t = "group=A & ";
	assert_int_equal(counts_parse_group(ev, t, strlen(t), "c.csv", 9,
					    &mask, value, &f), -1);
	assert_string_equal(f.msg,
			    "c.csv:9: column 'group': expected feature=value "
			    "(joined by ' & ' for an intersection), found "
			    "'group=A &'");
	evaluation_free(ev);
}

/* --- refusals ------------------------------------------------------- */

static void test_header_errors(void **state)
{
	(void)state;
	refused("step,group,tp,fp,tn\n1,,1,1,1\n",
		"c.csv:1: expected a column 'fn' (header "
		"step,group,tp,fp,tn,fn), found none");
	refused("step,group,tp,fp,tn,fn,extra\n1,,1,1,1,1,1\n",
		"c.csv:1: column 7: expected one of the columns "
		"step,group,tp,fp,tn,fn, found unknown column 'extra'");
	refused("step,group,tp,fp,tn,fn,tp\n",
		"c.csv:1: expected each column once, found 'tp' in columns 3 "
		"and 7");
}

static void test_bad_counts(void **state)
{
	(void)state;
	refused("step,group,tp,fp,tn,fn\n1,sex=F,abc,0,0,0\n",
		"c.csv:2: column 'tp': expected a non-negative finite count, "
		"found 'abc'");
	refused("step,group,tp,fp,tn,fn\n1,sex=F,1,1,0,0\n1,sex=M,0,-1,1,1\n",
		"c.csv:3: column 'fp': expected a non-negative finite count, "
		"found '-1'");
	refused("step,group,tp,fp,tn,fn\n1,sex=F,1,1,nan,0\n",
		"c.csv:2: column 'tn': expected a non-negative finite count, "
		"found 'nan'");
	refused("step,group,tp,fp,tn,fn\n1,sex=F,1,1,0,\n",
		"c.csv:2: column 'fn': expected a non-negative finite count, "
		"found an empty field");
	refused("step,group,tp,fp,tn,fn\n1.5,sex=F,1,1,0,0\n",
		"c.csv:2: column 'step': expected a whole number >= 0, found "
		"'1.5'");
	refused("step,group,tp,fp,tn,fn\n-1,sex=F,1,1,0,0\n",
		"c.csv:2: column 'step': expected a whole number >= 0, found "
		"'-1'");
	refused("step,group,tp,fp,tn,fn\n1,sex=F,1,1,0\n",
		"c.csv:2: expected 6 fields as in the header, found 5");
}

static void test_bad_groups(void **state)
{
	(void)state;
	refused("step,group,tp,fp,tn,fn\n1,A,1,0,0,0\n",
		"c.csv:2: column 'group': expected feature=value (joined by "
		"' & ' for an intersection), found 'A'");
	refused("step,group,tp,fp,tn,fn\n1,=A,1,0,0,0\n",
		"c.csv:2: column 'group': expected feature=value (joined by "
		"' & ' for an intersection), found '=A'");
	refused("step,group,tp,fp,tn,fn\n1,sex=F & B,1,0,0,0\n",
		"c.csv:2: column 'group': expected feature=value (joined by "
		"' & ' for an intersection), found 'B'");
	refused("step,group,tp,fp,tn,fn\n1,group=A & group=B,1,0,0,0\n",
		"c.csv:2: column 'group': expected each feature once, found "
		"'group' twice");
	refused("step,group,tp,fp,tn,fn\n"
		"1,a=1 & b=1 & c=1 & d=1 & e=1 & f=1 & g=1,1,0,0,0\n",
		"c.csv:2: column 'group': expected at most 6 sensitive "
		"features, found more");
}

static void test_empty_and_header_only(void **state)
{
	(void)state;
	refused("", "c.csv:1: expected the header 'step,group,tp,fp,tn,fn', "
		    "found an empty file");
	refused("step,group,tp,fp,tn,fn\n",
		"c.csv:2: expected at least one row of counts after the "
		"header, found the end of the file");
}

/* The wide form: cells with real row counts, read from two shards with
 * scores; bad > 0 and weighted counts without rows_positive refused. */
static int read_wide(const char *const *parts, size_t n,
		     const char *const *scores, size_t ns,
		     struct evaluation **ev, struct counts_summary *sum,
		     struct fail *f)
{
	struct source src[4];
	static const char *const names[] = {"part-0.csv", "part-1.csv",
					    "scores.csv", "s1.csv"};
	for (size_t i = 0; i < n; i++)
		src[i] = source_buffer(parts[i], strlen(parts[i]), names[i]);
	for (size_t i = 0; i < ns; i++)
		src[n + i] = source_buffer(scores[i], strlen(scores[i]),
					   names[2 + i]);
	fail_init(f);
	return counts_read_parts(src, n, src + n, ns, ev, sum, f);
}

static void test_wide(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct counts_summary sum;
	struct fail f;
	const char *const parts[] = {
		"step,sex,rows,rows_positive,tp,fp,tn,fn,w2_positive,"
		"w2_negative,bad\n1,F,3,2,1.5,0,1,0.5,2.5,1,0\n",
		"sex,step,rows,rows_positive,tp,fp,tn,fn,w2_positive,"
		"w2_negative,bad\nM,1,2,1,1,1,0,0,1,1,0\n"};
	const char *const scores[] = {"step,sex,bin,weight,bad\n"
				      "1,F,99,2\n1,M,0,1,0\n"};
	/* scores.csv's first row has 4 fields: refused */
	assert_int_equal(read_wide(parts, 2, scores, 1, &ev, &sum, &f), -1);
	assert_string_equal(f.msg, "scores.csv:2: expected 5 fields as in "
				   "the header, found 4");
	const char *const good_scores[] = {"step,sex,bin,weight,bad\n"
					   "1,F,99,2,0\n1,M,0,1,0\n"};
	assert_int_equal(read_wide(parts, 2, good_scores, 1, &ev, &sum, &f),
			 0);
	assert_int_equal(sum.wide, 1);
	assert_int_equal(sum.rows, 5);
	assert_int_equal(sum.has_scores, 1);
	const struct eval_group *all = evaluation_group(ev, 0);
	assert_int_equal(all->mask, 0);
	assert_int_equal(all->counts.rows, 5);
	assert_int_equal(all->counts.rows_positive, 3);
	assert_true(all->counts.tp == 2.5 && all->counts.w2_positive == 3.5);
	assert_true(all->hist[99] == 2 && all->hist[0] == 1);
	evaluation_free(ev);

	const char *const bad[] = {"step,sex,rows,tp,fp,tn,fn,bad\n"
				   "1,F,1,1,0,0,0,0\n1,M,1,1,0,0,0,3\n"};
	assert_int_equal(read_wide(bad, 1, NULL, 0, &ev, &sum, &f), -1);
	assert_string_equal(f.msg, "part-0.csv:3: 3 rows with a missing or "
				   "unknown label or a bad weight in this "
				   "cell; fix the data or filter them in the "
				   "query");
	const char *const weighted[] = {"step,sex,rows,tp,fp,tn,fn\n"
					"1,F,2,1.5,0,0,0\n"};
	assert_int_equal(read_wide(weighted, 1, NULL, 0, &ev, &sum, &f), -1);
	assert_non_null(strstr(f.msg, "part-0.csv:2: expected a column "
				      "'rows_positive' for weighted counts"));
	const char *const other[] = {parts[0],
				     "step,age,rows,tp,fp,tn,fn\n1,x,1,1,0,0,0\n"};
	assert_int_equal(read_wide(other, 2, NULL, 0, &ev, &sum, &f), -1);
	assert_non_null(strstr(f.msg, "part-1.csv:1: column 2: expected the "
				      "sensitive features"));
	const char *const unknown_cell[] = {"step,sex,bin,weight\n"
					    "2,F,3,1\n"};
	assert_int_equal(read_wide(parts, 2, unknown_cell, 1, &ev, &sum, &f),
			 -1);
	assert_non_null(strstr(f.msg, "scores.csv:2: expected a cell of "
				      "counts.csv"));
}

static void test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/fairtop-counts-XXXXXX";
	char path[128];
	struct evaluation *ev;
	struct fail f;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/counts.csv", dir);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(cells, out);
	assert_int_equal(fclose(out), 0);
	struct source src = source_file(path, "counts.csv");
	fail_init(&f);
	assert_int_equal(counts_read(&src, &ev, &f), 0);
	expect(ev, 1, "group", "B", 0, 0, 1, 1);
	evaluation_free(ev);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Long and wide forms: the 1001st value of a feature, and the 10001st
 * cell, are refused at their lines. */
static void test_group_limits(void **state)
{
	(void)state;
	size_t cap = 1 << 20, used;
	char *buf = malloc(cap);
	assert_non_null(buf);
	used = (size_t)snprintf(buf, cap, "step,group,tp,fp,tn,fn\n");
	for (int i = 0; i < 1001; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "1,sex=v%d,1,0,0,0\n", i);
	refused(buf, "c.csv:1002: column 'sex': expected at most 1000 "
		     "distinct groups, found a 1001st ('v1000')");
	used = (size_t)snprintf(buf, cap, "step,rows,tp,fp,tn,fn,sex\n");
	for (int i = 0; i < 1001; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "1,1,1,0,0,0,v%d\n", i);
	refused(buf, "c.csv:1002: column 'sex': expected at most 1000 "
		     "distinct groups, found a 1001st ('v1000')");
	/* 11 steps of 1000 groups: the 10001st cell */
	used = (size_t)snprintf(buf, cap, "step,rows,tp,fp,tn,fn,sex\n");
	for (int i = 0; i < 11000; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "%d,1,1,0,0,0,v%d\n", i / 1000,
					 i % 1000);
	refused(buf, "c.csv:10002: expected at most 10000 distinct cells "
		     "(steps times combinations of groups), found a 10001st "
		     "(step 10: 'sex=v0')");
	free(buf);
}

/* Counts all zero: no evaluation, refused (never judged as passing). */
static void test_zero_counts(void **state)
{
	(void)state;
	refused("step,group,tp,fp,tn,fn\n1,sex=F,0,0,0,0\n1,sex=M,0,0,0,0\n",
		"c.csv:2: expected at least one row with a positive count, "
		"found all 2 rows' counts zero: no evaluation");
	refused("step,rows,tp,fp,tn,fn,sex\n1,0,0,0,0,0,F\n",
		"c.csv:2: expected at least one row with a positive count, "
		"found all 1 rows' counts zero: no evaluation");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells_add_up),
		cmocka_unit_test(test_overall_only),
		cmocka_unit_test(test_mixed_masks_as_given),
		cmocka_unit_test(test_parse_group),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_bad_counts),
		cmocka_unit_test(test_bad_groups),
		cmocka_unit_test(test_empty_and_header_only),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_group_limits),
		cmocka_unit_test(test_zero_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
