/*
 * test_predictions.c — core/predictions.c: per-group confusion counts of
 * small hand-made files, counted by hand (overall, each feature, the
 * intersection), with and without weights, with a step column, default
 * versus explicit sensitive columns, string labels; and every refusal
 * with its whole message.
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

#include "core/predictions.h"

/* Read text as predictions.csv ("p.csv"); *ev is NULL on error. */
static int read_opt(const char *text, const char *positive,
		    const char *const *sensitive, size_t nsensitive,
		    struct evaluation **ev, struct predictions_summary *sum,
		    struct fail *f)
{
	struct predictions_options opt = {positive, sensitive, nsensitive,
					  0};
	struct source src = source_buffer(text, strlen(text), "p.csv");
	fail_init(f);
	return predictions_read(&src, &opt, ev, sum, f);
}

static int read_str(const char *text, struct evaluation **ev,
		    struct predictions_summary *sum, struct fail *f)
{
	return read_opt(text, "1", NULL, 0, ev, sum, f);
}

static void refused_opt(const char *text, const char *positive,
			const char *const *sensitive, size_t nsensitive,
			const char *msg)
{
	struct evaluation *ev = (struct evaluation *)&ev; /* not NULL */
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_opt(text, positive, sensitive, nsensitive, &ev,
				  &sum, &f), -1);
	assert_null(ev);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, msg);
}

static void refused(const char *text, const char *msg)
{
	refused_opt(text, "1", NULL, 0, msg);
}

/* The group of ev at step whose feature is called feature ("" overall,
 * "group & age") and whose label is label; fails the test if none. */
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

static void expect(const struct evaluation *ev, int64_t step,
		   const char *feature, const char *label, double tp,
		   double fp, double tn, double fn, int64_t rows,
		   int64_t rows_positive)
{
	const struct eval_group *g = find(ev, step, feature, label);
	if (g->counts.tp != tp || g->counts.fp != fp || g->counts.tn != tn ||
	    g->counts.fn != fn || g->counts.rows != rows ||
	    g->counts.rows_positive != rows_positive)
		fail_msg("group '%s' '%s' step %lld: got tp %g fp %g tn %g "
			 "fn %g rows %lld/%lld, expected %g %g %g %g %lld/%lld",
			 feature, label, (long long)step, g->counts.tp,
			 g->counts.fp, g->counts.tn, g->counts.fn,
			 (long long)g->counts.rows,
			 (long long)g->counts.rows_positive, tp, fp, tn, fn,
			 (long long)rows, (long long)rows_positive);
}

/* Group i's feature and label, as "feature|label". */
static const char *nth(const struct evaluation *ev, size_t i)
{
	static char buf[512];
	char name[200], label[200];
	const struct eval_group *g = evaluation_group(ev, i);
	evaluation_mask_name(ev, g->mask, name, sizeof name);
	evaluation_group_label(ev, g, label, sizeof label);
	snprintf(buf, sizeof buf, "%s|%s", name, label);
	return buf;
}

/* --- counts --------------------------------------------------------- */

/*   row  truth pred  group age    cell
 *   1    1     1     A     young  TP
 *   2    0     1     A     old    FP
 *   3    1     0     B     young  FN
 *   4    0     0     B     old    TN
 *   5    1     1     A     young  TP
 *   6    0     0     A     old    TN           */
static const char two_features[] =
	"id,y_true,y_pred,group,age\n"
	"1,1,1,A,young\n"
	"2,0,1,A,old\n"
	"3,1,0,B,young\n"
	"4,0,0,B,old\n"
	"5,1,1,A,young\n"
	"6,0,0,A,old\n";

static void test_counts_unweighted(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str(two_features, &ev, &sum, &f), 0);
	assert_non_null(ev);
	assert_int_equal(sum.rows, 6);
	assert_int_equal(sum.has_score, 0);
	assert_int_equal(sum.has_weight, 0);
	assert_int_equal(sum.has_step, 0);
	assert_string_equal(sum.negative_label, "0");
	assert_int_equal(evaluation_feature_count(ev), 2);
	assert_string_equal(evaluation_feature_name(ev, 0), "group");
	assert_string_equal(evaluation_feature_name(ev, 1), "age");
	assert_int_equal(evaluation_final_step(ev), 0);

	/* step, feature, label; tp fp tn fn; rows, rows positive */
	expect(ev, 0, "", "", 2, 1, 2, 1, 6, 3);
	expect(ev, 0, "group", "A", 2, 1, 1, 0, 4, 2);
	expect(ev, 0, "group", "B", 0, 0, 1, 1, 2, 1);
	expect(ev, 0, "age", "old", 0, 1, 2, 0, 3, 0);
	expect(ev, 0, "age", "young", 2, 0, 0, 1, 3, 3);
	expect(ev, 0, "group & age", "group=A & age=old", 0, 1, 1, 0, 2, 0);
	expect(ev, 0, "group & age", "group=A & age=young", 2, 0, 0, 0, 2, 2);
	expect(ev, 0, "group & age", "group=B & age=old", 0, 0, 1, 0, 1, 0);
	expect(ev, 0, "group & age", "group=B & age=young", 0, 0, 0, 1, 1, 1);

	/* the order: overall, features in header order, intersections;
	 * within a feature by value text */
	static const char *const order[] = {
		"|",
		"group|A",
		"group|B",
		"age|old",
		"age|young",
		"group & age|group=A & age=old",
		"group & age|group=A & age=young",
		"group & age|group=B & age=old",
		"group & age|group=B & age=young",
	};
	assert_int_equal(evaluation_group_count(ev), 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(nth(ev, i), order[i]);
	evaluation_free(ev);
}

/* Same rows with weights 2, 0.5, 1, 3, 0.25, 1.5 and scores. */
static const char two_features_weighted[] =
	"id,y_true,y_pred,group,age,weight,score\n"
	"1,1,1,A,young,2,0.9\n"
	"2,0,1,A,old,0.5,0.6\n"
	"3,1,0,B,young,1,0.2\n"
	"4,0,0,B,old,3,0\n"
	"5,1,1,A,young,0.25,1\n"
	"6,0,0,A,old,1.5,0.35\n";

static void test_counts_weighted(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str(two_features_weighted, &ev, &sum, &f), 0);
	assert_int_equal(sum.rows, 6);
	assert_int_equal(sum.has_score, 1);
	assert_int_equal(sum.has_weight, 1);
	assert_int_equal(sum.has_step, 0);
	/* weighted counts; rows stay counts of rows */
	expect(ev, 0, "", "", 2.25, 0.5, 4.5, 1, 6, 3);
	expect(ev, 0, "group", "A", 2.25, 0.5, 1.5, 0, 4, 2);
	expect(ev, 0, "group", "B", 0, 0, 3, 1, 2, 1);
	expect(ev, 0, "age", "old", 0, 0.5, 4.5, 0, 3, 0);
	expect(ev, 0, "age", "young", 2.25, 0, 0, 1, 3, 3);
	expect(ev, 0, "group & age", "group=A & age=old", 0, 0.5, 1.5, 0, 2,
	       0);
	expect(ev, 0, "group & age", "group=A & age=young", 2.25, 0, 0, 0, 2,
	       2);
	expect(ev, 0, "group & age", "group=B & age=old", 0, 0, 3, 0, 1, 0);
	expect(ev, 0, "group & age", "group=B & age=young", 0, 0, 0, 1, 1, 1);

	/* score histogram of the overall: weight per bin of width 0.01;
	 * score 1 goes into the last bin */
	const struct eval_group *all = find(ev, 0, "", "");
	assert_non_null(all->hist);
	double expected[SCORE_BINS] = {0};
	expected[90] += 2;
	expected[60] += 0.5;
	expected[20] += 1;
	expected[0] += 3;
	expected[99] += 0.25;
	expected[35] += 1.5;
	for (int b = 0; b < SCORE_BINS; b++)
		if (all->hist[b] != expected[b])
			fail_msg("bin %d: %g, expected %g", b, all->hist[b],
				 expected[b]);
	evaluation_free(ev);
}

static void test_steps_kept_apart(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str("step,y_true,y_pred,group\n"
				  "20,1,0,A\n"
				  "10,1,1,A\n"
				  "10,0,1,B\n"
				  "20,0,0,B\n"
				  "20,1,1,B\n",
				  &ev, &sum, &f), 0);
	assert_int_equal(sum.has_step, 1);
	assert_int_equal(sum.rows, 5);
	assert_int_equal(evaluation_final_step(ev), 20);
	assert_int_equal(evaluation_group_count(ev), 6);
	expect(ev, 10, "", "", 1, 1, 0, 0, 2, 1);
	expect(ev, 10, "group", "A", 1, 0, 0, 0, 1, 1);
	expect(ev, 10, "group", "B", 0, 1, 0, 0, 1, 0);
	expect(ev, 20, "", "", 1, 0, 1, 1, 3, 2);
	expect(ev, 20, "group", "A", 0, 0, 0, 1, 1, 1);
	expect(ev, 20, "group", "B", 1, 0, 1, 0, 2, 1);
	/* sorted by step first */
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(evaluation_group(ev, i)->step,
				 i < 3 ? 10 : 20);
	evaluation_free(ev);
}

static const char reserved_and_three[] =
	"y_true,region,y_pred,score,weight,step,id,group,age\n"
	"1,north,1,0.8,1,5,a,A,young\n"
	"0,south,0,0.1,1,5,b,B,old\n";

static void test_default_sensitive(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str(reserved_and_three, &ev, &sum, &f), 0);
	/* every non-reserved column, in header order */
	assert_int_equal(evaluation_feature_count(ev), 3);
	assert_string_equal(evaluation_feature_name(ev, 0), "region");
	assert_string_equal(evaluation_feature_name(ev, 1), "group");
	assert_string_equal(evaluation_feature_name(ev, 2), "age");
	/* overall + 6 feature groups + 3 pairs x 2 + 1 triple x 2 */
	assert_int_equal(evaluation_group_count(ev), 1 + 6 + 6 + 2);
	expect(ev, 5, "", "", 1, 0, 1, 0, 2, 1);
	expect(ev, 5, "region", "north", 1, 0, 0, 0, 1, 1);
	expect(ev, 5, "region & group & age",
	       "region=south & group=B & age=old", 0, 0, 1, 0, 1, 0);
	evaluation_free(ev);
}

static void test_explicit_sensitive(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	static const char *const two[] = {"age", "group"};
	assert_int_equal(read_opt("y_true,y_pred,group,age,id\n"
				  "1,1,A,young,1\n"
				  "0,1,B,young,2\n",
				  "1", two, 2, &ev, &sum, &f), 0);
	assert_int_equal(evaluation_feature_count(ev), 2);
	assert_string_equal(evaluation_feature_name(ev, 0), "group");
	assert_string_equal(evaluation_feature_name(ev, 1), "age");
	expect(ev, 0, "age", "young", 1, 1, 0, 0, 2, 1);
	expect(ev, 0, "group & age", "group=B & age=young", 0, 1, 0, 0, 1, 0);
	evaluation_free(ev);

	/* the same file with only 'group' named refuses the other column */
	static const char *const one[] = {"group"};
	refused_opt("y_true,y_pred,group,age,id\n1,1,A,young,1\n", "1", one, 1,
		    "p.csv:1: column 4: expected y_true, y_pred, score, "
		    "weight, step, id or a sensitive column named in run.csv, "
		    "found unknown column 'age'");
}

static void test_string_labels(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_opt("y_true,y_pred,sex\n"
				  "no,yes,M\n"
				  "yes,yes,F\n"
				  "yes,no,F\n"
				  "no,no,M\n",
				  "yes", NULL, 0, &ev, &sum, &f), 0);
	assert_string_equal(sum.negative_label, "no");
	expect(ev, 0, "", "", 1, 1, 1, 1, 4, 2);
	expect(ev, 0, "sex", "F", 1, 0, 0, 1, 2, 2);
	expect(ev, 0, "sex", "M", 0, 1, 1, 0, 2, 0);
	evaluation_free(ev);
}

static void test_one_label_only(void **state)
{
	(void)state;
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str("y_true,y_pred,g\n1,1,a\n1,1,b\n", &ev, &sum,
				  &f), 0);
	assert_string_equal(sum.negative_label, "");
	expect(ev, 0, "", "", 2, 0, 0, 0, 2, 2);
	evaluation_free(ev);
}

static void test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/fairtop-predictions-XXXXXX";
	char path[128];
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	struct predictions_options opt = {"1", NULL, 0, 0};
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/predictions.csv", dir);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(two_features, out);
	assert_int_equal(fclose(out), 0);
	struct source src = source_file(path, "predictions.csv");
	fail_init(&f);
	assert_int_equal(predictions_read(&src, &opt, &ev, &sum, &f), 0);
	expect(ev, 0, "group", "B", 0, 0, 1, 1, 2, 1);
	evaluation_free(ev);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* --- refusals ------------------------------------------------------- */

static void test_header_errors(void **state)
{
	(void)state;
	refused("y_pred,group\n1,A\n",
		"p.csv:1: expected a column 'y_true', found none (columns are "
		"y_true, y_pred, optional score, weight, step, id, and the "
		"sensitive features)");
	refused("y_true,group\n1,A\n",
		"p.csv:1: expected a column 'y_pred', found none (columns are "
		"y_true, y_pred, optional score, weight, step, id, and the "
		"sensitive features)");
	refused("y_true,y_pred,group,age,group\n1,1,A,x,A\n",
		"p.csv:1: expected each column once, found 'group' in columns "
		"3 and 5");
	refused("y_true,y_true,y_pred\n1,1,1\n",
		"p.csv:1: expected each column once, found 'y_true' in "
		"columns 1 and 2");
	refused("y_true,y_pred,\n1,1,A\n",
		"p.csv:1: column 3: expected a column name, found an empty "
		"one");
	static const char *const named[] = {"group", "sex"};
	refused_opt("y_true,y_pred,group\n1,1,A\n", "1", named, 2,
		    "p.csv:1: expected the sensitive column 'sex' named in "
		    "run.csv, found none");
	refused("y_true,y_pred,a,b,c,d,e,f,g\n1,1,1,1,1,1,1,1,1\n",
		"p.csv:1: expected at most 6 sensitive features, found more "
		"(column 'g'); name the sensitive columns with the key "
		"'sensitive' in run.csv");
	/* when run.csv names them already, no such advice */
	static const char *const seven[] = {"a", "b", "c", "d", "e", "f", "g"};
	refused_opt("y_true,y_pred,a,b,c,d,e,f,g\n1,1,1,1,1,1,1,1,1\n", "1",
		    seven, 7,
		    "p.csv:1: expected at most 6 sensitive features, found "
		    "more (column 'g')");
	/* six is fine */
	struct evaluation *ev;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str("y_true,y_pred,a,b,c,d,e,f\n"
				  "1,1,1,1,1,1,1,1\n", &ev, &sum, &f), 0);
	assert_int_equal(evaluation_feature_count(ev), 6);
	assert_int_equal(evaluation_group_count(ev), 64);
	evaluation_free(ev);
}

static void test_field_count(void **state)
{
	(void)state;
	refused("y_true,y_pred,group\n1,1,A\n1,1\n",
		"p.csv:3: expected 3 fields as in the header, found 2");
	refused("y_true,y_pred,group\n\n1,1,A,extra\n",
		"p.csv:3: expected 3 fields as in the header, found 4");
}

static void test_bad_score(void **state)
{
	(void)state;
	static const char *const bad[] = {"abc", "nan", "inf", "1.5", "-0.1",
					  "0x1p-1", "1,5"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[128], msg[256];
		snprintf(text, sizeof text,
			 "y_true,y_pred,score\n1,1,0.5\n0,0,\"%s\"\n", bad[i]);
		snprintf(msg, sizeof msg,
			 "p.csv:3: column 'score': expected a probability of "
			 "the positive label in [0,1], found '%s'", bad[i]);
		refused(text, msg);
	}
	refused("y_true,y_pred,score\n1,1,\n",
		"p.csv:2: column 'score': expected a probability of the "
		"positive label in [0,1], found an empty field");
}

/* Fields are taken as written, quoted or not: a group with spaces or
 * tabs around it is refused (it would print like another), and a
 * number with a space is no number. */
static void test_fields_as_written(void **state)
{
	(void)state;
	refused("y_true,y_pred,score,sex\n1,1,0.5,F\n0,0,0.5, F\n",
		"p.csv:3: column 'sex': expected a group without spaces or "
		"tabs around it, found ' F'");
	refused("y_true,y_pred,score,sex\n1,1,0.5,\"F \"\n",
		"p.csv:2: column 'sex': expected a group without spaces or "
		"tabs around it, found 'F '");
	refused("y_true,y_pred,score,sex\n1,1,0.5,\tF\n",
		"p.csv:2: column 'sex': expected a group without spaces or "
		"tabs around it, found '?F'");
	refused("y_true,y_pred,score\n1,1, 0.5\n",
		"p.csv:2: column 'score': expected a probability of the "
		"positive label in [0,1], found ' 0.5'");
	/* inner spaces are part of the name */
	struct evaluation *ev = NULL;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str("y_true,y_pred,score,sex\n1,1,0.5,n b\n",
				  &ev, &sum, &f), 0);
	evaluation_free(ev);
}

static void test_bad_weight_and_step(void **state)
{
	(void)state;
	refused("y_true,y_pred,weight\n1,1,-1\n",
		"p.csv:2: column 'weight': expected a non-negative finite "
		"weight, found '-1'");
	refused("y_true,y_pred,weight\n1,1,inf\n",
		"p.csv:2: column 'weight': expected a non-negative finite "
		"weight, found 'inf'");
	refused("y_true,y_pred,step\n1,1,1.5\n",
		"p.csv:2: column 'step': expected a whole number >= 0, found "
		"'1.5'");
	refused("y_true,y_pred,step\n1,1,-2\n",
		"p.csv:2: column 'step': expected a whole number >= 0, found "
		"'-2'");
}

static void test_bad_labels(void **state)
{
	(void)state;
	refused("y_true,y_pred\n1,0\n0,1\n2,1\n",
		"p.csv:4: column 'y_true': expected a binary label ('1' "
		"positive or '0'), found a third class '2'; fairtop judges "
		"binary classifiers (set positive_label in run.csv if '1' is "
		"not the positive label)");
	refused("y_true,y_pred\n0,0\n1,2\n",
		"p.csv:3: column 'y_pred': expected a binary label ('1' "
		"positive or '0'), found a third class '2'; fairtop judges "
		"binary classifiers (set positive_label in run.csv if '1' is "
		"not the positive label)");
	/* labels yes/no read with the default positive label */
	refused("y_true,y_pred\nyes,no\n",
		"p.csv:2: column 'y_pred': expected a binary label ('1' "
		"positive or 'yes'), found a third class 'no'; fairtop judges "
		"binary classifiers (set positive_label in run.csv if '1' is "
		"not the positive label)");
	refused("y_true,y_pred\n1,1\n,1\n",
		"p.csv:3: column 'y_true': expected a label, found an empty "
		"field");
	refused("y_true,y_pred\n1,1\n"
		"0123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789,1\n",
		"p.csv:3: column 'y_true': expected a label of at most 63 "
		"bytes, found 80 bytes");
}

static void test_empty_and_header_only(void **state)
{
	(void)state;
	refused("", "p.csv:1: expected a header line (y_true,y_pred,...), "
		    "found an empty file");
	refused("y_true,y_pred,group\n",
		"p.csv:2: expected at least one prediction after the header, "
		"found the end of the file");
	refused("y_true,y_pred,group\n\n\n",
		"p.csv:2: expected at least one prediction after the header, "
		"found the end of the file");
}

/* --- two halves ------------------------------------------------------
 *
 * A file read in two halves on two threads must give what reading it
 * whole gives: the same groups in the same order with the same counts
 * and histograms, or the same message, line number included. */

struct outcome {
	int rc;
	struct fail f;
	struct predictions_summary sum;
	struct evaluation *ev;
};

static void read_both(const char *text, size_t len, const char *path,
		      size_t split_min, struct outcome *o)
{
	struct predictions_options opt = {"1", NULL, 0, split_min};
	struct source src = path != NULL ? source_file(path, "p.csv")
					 : source_buffer(text, len, "p.csv");
	memset(o, 0, sizeof *o);
	fail_init(&o->f);
	o->rc = predictions_read(&src, &opt, &o->ev, &o->sum, &o->f);
}

/* Compare text read whole and in halves; returns 1 when it was a
 * success (so callers can count how many cases reached the merge). */
static int same_both_ways(const char *text, size_t len, const char *path)
{
	struct outcome whole, halves;
	read_both(text, len, path, SIZE_MAX, &whole);
	read_both(text, len, path, 1, &halves);
	if (whole.rc != halves.rc)
		fail_msg("rc %d whole, %d in halves (%s / %s) for:\n%.*s",
			 whole.rc, halves.rc, whole.f.msg, halves.f.msg,
			 (int)len, text);
	if (whole.rc != 0) {
		assert_int_equal(whole.f.kind, halves.f.kind);
		assert_string_equal(whole.f.msg, halves.f.msg);
		return 0;
	}
	assert_int_equal(whole.sum.rows, halves.sum.rows);
	assert_string_equal(whole.sum.negative_label,
			    halves.sum.negative_label);
	assert_int_equal(whole.sum.has_score, halves.sum.has_score);
	assert_int_equal(whole.sum.has_weight, halves.sum.has_weight);
	assert_int_equal(whole.sum.has_step, halves.sum.has_step);
	assert_int_equal(evaluation_final_step(whole.ev),
			 evaluation_final_step(halves.ev));
	size_t n = evaluation_group_count(whole.ev);
	assert_int_equal(n, evaluation_group_count(halves.ev));
	for (size_t i = 0; i < n; i++) {
		char a[512];
		snprintf(a, sizeof a, "%s", nth(whole.ev, i));
		assert_string_equal(a, nth(halves.ev, i));
		const struct eval_group *g = evaluation_group(whole.ev, i);
		const struct eval_group *h = evaluation_group(halves.ev, i);
		assert_int_equal(g->step, h->step);
		/* the weights below are sums of multiples of 1/4: exact */
		assert_true(memcmp(&g->counts, &h->counts,
				   sizeof g->counts) == 0);
		assert_true((g->hist == NULL) == (h->hist == NULL));
		if (g->hist != NULL)
			assert_true(memcmp(g->hist, h->hist,
					   SCORE_BINS * sizeof *g->hist) == 0);
	}
	evaluation_free(whole.ev);
	evaluation_free(halves.ev);
	return 1;
}

static void same_text(const char *text)
{
	same_both_ways(text, strlen(text), NULL);
}

static void test_halves_hand_made(void **state)
{
	(void)state;
	same_text(two_features);
	same_text(two_features_weighted);
	/* the negative label seen only in the second half */
	same_text("y_true,y_pred,g\n1,1,A\n1,1,B\n1,1,A\n0,0,B\n0,1,A\n");
	/* a third label in the second half: refused at its line */
	same_text("y_true,y_pred,g\n0,1,A\n1,1,B\n1,0,A\n2,0,B\n0,1,A\n");
	/* a different negative label in each half */
	same_text("y_true,y_pred,g\n0,1,A\n1,1,B\n1,1,A\nno,no,B\n1,1,A\n");
	/* errors in either half, at their lines */
	same_text("y_true,y_pred,score,g\n1,1,2,A\n1,1,0.5,B\n1,0,0.5,A\n"
		  "0,0,0.5,B\n");
	same_text("y_true,y_pred,score,g\n1,1,0.5,A\n1,1,0.5,B\n1,0,0.5,A\n"
		  "0,0,x,B\n");
	same_text("y_true,y_pred,g\n1,1,A\n1,1,B\n1,0,A\n0,0\n1,1,A\n");
	/* CRLF, and a byte order mark */
	same_text("y_true,y_pred,g\r\n1,1,A\r\n0,1,B\r\n1,0,A\r\n0,0,B\r\n");
	same_text("\xEF\xBB\xBFy_true,y_pred,g\n1,1,A\n0,1,B\n1,0,A\n0,0,B\n");
	/* a quoted field with line ends across the middle */
	same_text("id,y_true,y_pred,g\n1,1,1,A\n\"2\n2\n2\n2\n2\n2\n2\n2\n2\n"
		  "2\n2\n2\n2\",0,1,B\n3,1,0,A\n");
	/* an unterminated quote in the second half */
	same_text("id,y_true,y_pred,g\n1,1,1,A\n2,0,1,B\n3,1,0,A\n\"4,0,0,B\n");
	/* the middle on the last line: read whole */
	same_text("y_true,y_pred,g\n1,1,A\n0,0,B\n");
	/* the middle in the header: the first half is the header alone */
	same_text("y_true,y_pred,a_sensitive_feature_with_a_long_name\n"
		  "1,1,A\n0,0,B\n");
	same_text("y_true,y_pred,a_sensitive_feature_with_a_long_name\n"
		  "1,1,A\n");
}

/* A small deterministic generator (xorshift) of messy files. */
static uint64_t rng_state = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static size_t messy_file(char *buf, size_t cap, int with_errors)
{
	static const char *const labels[] = {"0", "1", "1", "0", "no", "2"};
	static const char *const groups[] = {"A", "B", "\"C D\"", "\"E,F\"",
					     "A", "B"};
	static const char *const weights[] = {"1", "0.5", "2", "0.25", "1.75"};
	const char *eol = rnd(3) == 0 ? "\r\n" : "\n";
	int nlabels = with_errors ? 6 : 4;
	size_t at = (size_t)snprintf(buf, cap,
				     "id,step,y_true,y_pred,score,weight,g,age%s",
				     eol);
	unsigned rows = 2 + rnd(60);
	for (unsigned i = 0; i < rows && at + 200 < cap; i++) {
		const char *id = rnd(8) == 0 ? "\"x\ny\r\nz\"" : "7";
		char score[16];
		snprintf(score, sizeof score, "%s0.%02u",
			 with_errors && rnd(40) == 0 ? "9" : "", rnd(100));
		at += (size_t)snprintf(
			buf + at, cap - at, "%s,%u,%s,%s,%s,%s,%s,%s%s%s", id,
			1 + rnd(3), labels[rnd(nlabels)], labels[rnd(nlabels)],
			score, weights[rnd(5)], groups[rnd(6)],
			rnd(2) ? "young" : "old",
			with_errors && rnd(50) == 0 ? ",extra" : "", eol);
	}
	if (with_errors && rnd(20) == 0)
		at += (size_t)snprintf(buf + at, cap - at, "\"unterminated,1");
	return at;
}

static void test_halves_messy(void **state)
{
	(void)state;
	static char buf[16384];
	int merged = 0;
	for (int k = 0; k < 3000; k++) {
		size_t len = messy_file(buf, sizeof buf, k % 2);
		merged += same_both_ways(buf, len, NULL);
	}
	/* the clean files (half of them) all read without error */
	assert_true(merged >= 1500);
}

static void test_halves_of_a_file(void **state)
{
	(void)state;
	static char buf[16384];
	char dir[] = "/tmp/fairtop-halves-XXXXXX";
	char path[128];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/predictions.csv", dir);
	for (int k = 0; k < 200; k++) {
		size_t len = messy_file(buf, sizeof buf, k % 2);
		FILE *out = fopen(path, "wb");
		assert_non_null(out);
		assert_int_equal(fwrite(buf, 1, len, out), len);
		assert_int_equal(fclose(out), 0);
		same_both_ways(buf, len, path);
	}
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Past EVAL_MAX_GROUPS values of a feature, or EVAL_MAX_CELLS cells,
 * the row that goes past is refused at its line, read whole or in two
 * halves (each half within the limits, together past them). */
static void test_group_limits(void **state)
{
	(void)state;
	size_t cap = 1 << 20, used;
	char *buf = malloc(cap);
	assert_non_null(buf);
	used = (size_t)snprintf(buf, cap, "y_true,y_pred,g\n");
	for (int i = 0; i < 1200; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%d,1,g%d\n",
					 i % 2, i);
	refused(buf, "p.csv:1002: column 'g': expected at most 1000 "
		     "distinct groups, found a 1001st ('g1000')");
	same_text(buf);
	/* 1000 exactly, repeated: taken */
	used = (size_t)snprintf(buf, cap, "y_true,y_pred,g\n");
	for (int i = 0; i < 3000; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%d,1,g%d\n",
					 i % 2, i % 1000);
	struct evaluation *ev = NULL;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str(buf, &ev, &sum, &f), 0);
	assert_int_equal(sum.rows, 3000);
	evaluation_free(ev);

	/* cells: 101 values of a times 100 of b */
	used = (size_t)snprintf(buf, cap, "y_true,y_pred,a,b\n");
	for (int i = 0; i < 101 * 100; i++)
		used += (size_t)snprintf(buf + used, cap - used,
					 "1,1,a%d,b%d\n", i / 100, i % 100);
	refused(buf, "p.csv:10002: expected at most 10000 distinct cells "
		     "(steps times combinations of groups), found a 10001st "
		     "(step 0: 'a=a100 & b=b0')");
	same_text(buf);
	free(buf);
}

/* Weights all zero: no evaluation, refused (never judged as passing);
 * one group weighing nothing in a weighted file: its rates undefined,
 * never 0. */
static void test_zero_weights(void **state)
{
	(void)state;
	refused("y_true,y_pred,weight,g\n1,1,0,A\n0,1,0,B\n1,0,0.0,B\n",
		"p.csv:2: expected at least one row with a positive weight, "
		"found all 3 weights zero: no evaluation");
	struct evaluation *ev = NULL;
	struct predictions_summary sum;
	struct fail f;
	assert_int_equal(read_str("y_true,y_pred,weight,g\n1,1,2,A\n"
				  "0,1,0,B\n1,0,0,B\n", &ev, &sum, &f), 0);
	const struct eval_group *b = find(ev, 0, "g", "B");
	struct rates rt;
	confusion_rates(&b->counts, 1, &rt);
	assert_true(rt.n == 0);
	assert_false(rate_defined(rt.selection_rate));
	assert_false(rate_defined(rt.tpr));
	assert_false(rate_defined(rt.fpr));
	assert_false(rate_defined(rt.accuracy));
	evaluation_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_unweighted),
		cmocka_unit_test(test_counts_weighted),
		cmocka_unit_test(test_steps_kept_apart),
		cmocka_unit_test(test_default_sensitive),
		cmocka_unit_test(test_explicit_sensitive),
		cmocka_unit_test(test_string_labels),
		cmocka_unit_test(test_one_label_only),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_field_count),
		cmocka_unit_test(test_bad_score),
		cmocka_unit_test(test_fields_as_written),
		cmocka_unit_test(test_bad_weight_and_step),
		cmocka_unit_test(test_bad_labels),
		cmocka_unit_test(test_empty_and_header_only),
		cmocka_unit_test(test_halves_hand_made),
		cmocka_unit_test(test_group_limits),
		cmocka_unit_test(test_zero_weights),
		cmocka_unit_test(test_halves_messy),
		cmocka_unit_test(test_halves_of_a_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
