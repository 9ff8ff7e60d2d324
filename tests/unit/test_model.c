/*
 * test_model.c — tui/model.c: which runs the Runs view shows, in which
 * order.
 *
 * The filter is a case-insensitive substring of a run's id, model or
 * version ("" and NULL match everything; other fields such as the date
 * or the worst group are not searched).  Each sort key is checked on
 * five hand-built runs whose expected orders are written out by hand
 * below the table: date newest first, run id A to Z, accuracy, F-beta
 * and throughput best (highest) first, DP and EO differences worst
 * (highest) first, worst TPR worst (lowest) first, alerts by critical
 * count then by open count, highest first.  Undefined numbers (NaN)
 * sort last whatever the direction; ties are broken by date, newest
 * first; reverse mirrors the order of the defined values and keeps the
 * undefined ones last.
 * Two runs whose number is undefined are ordered by date, newest first,
 * like any tie.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/model.h"

#define NA NAN

/* --- hand-built runs ------------------------------------------------------ */

struct row {
	const char *key, *model, *version, *started;
	double acc, fb, thr, dp, eo, wtpr;
	size_t crit, open;
};

/*
 * idx key started     acc   f-beta thrpt  dp    eo    wTPR  crit open
 *  0  r1  2026-01-01  0.80  0.70   100    0.10  0.20  0.60  0    2
 *  1  r2  2026-01-03  0.90  n/a    300    0.05  n/a   0.80  1    1
 *  2  r3  2026-01-02  n/a   0.75   200    0.30  0.10  n/a   0    0
 *  3  r4  2026-01-05  0.85  0.75   n/a    0.10  0.05  0.60  1    3
 *  4  r5  2026-01-04  0.80  n/a    300    n/a   0.20  0.70  0    2
 *
 * The input is deliberately not in date order.
 */
static const struct row table[] = {
	{"r1", "loan-approval", "1.0", "2026-01-01T09:00:00Z", 0.80, 0.70,
	 100, 0.10, 0.20, 0.60, 0, 2},
	{"r2", "loan-approval", "1.1", "2026-01-03T09:00:00Z", 0.90, NA,
	 300, 0.05, NA, 0.80, 1, 1},
	{"r3", "Credit-Score", "2.0-beta", "2026-01-02T09:00:00Z", NA, 0.75,
	 200, 0.30, 0.10, NA, 0, 0},
	{"r4", "loan-approval", "1.2", "2026-01-05T09:00:00Z", 0.85, 0.75,
	 NA, 0.10, 0.05, 0.60, 1, 3},
	{"r5", "fraud", "0.9", "2026-01-04T09:00:00Z", 0.80, NA, 300, NA,
	 0.20, 0.70, 0, 2},
};
#define NRUNS (sizeof table / sizeof *table)

static struct snap_run runs[NRUNS];

static void fill(struct snap_run *r, const struct row *w)
{
	memset(r, 0, sizeof *r);
	snprintf(r->key, sizeof r->key, "%s", w->key);
	r->model = (char *)w->model; /* not freed: no snapshot_release() */
	r->version = (char *)w->version;
	snprintf(r->started, sizeof r->started, "%s", w->started);
	r->accuracy = w->acc;
	r->f_beta = w->fb;
	r->throughput = w->thr;
	r->dp = w->dp;
	r->eo = w->eo;
	r->worst_tpr = w->wtpr;
	r->worst_group = (char *)"group=B";
	r->fair.mark = r->vs_prod.mark = MARK_NONE;
	r->critical_alerts = w->crit;
	r->open_alerts = w->open;
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < NRUNS; i++)
		fill(&runs[i], &table[i]);
	return 0;
}

/* model_rows over the table; the result must be want[0..nwant). */
static void expect_rows(const char *filter, enum sort_key key, int reverse,
			const size_t *want, size_t nwant)
{
	size_t out[NRUNS + 1];
	for (size_t i = 0; i < NRUNS + 1; i++)
		out[i] = 999;
	size_t n = model_rows(runs, NRUNS, filter, key, reverse, out);
	int same = n == nwant;
	for (size_t i = 0; same && i < n; i++)
		same = out[i] == want[i];
	if (!same) {
		char got[128] = "", exp[128] = "";
		for (size_t i = 0; i < n; i++)
			snprintf(got + strlen(got), sizeof got - strlen(got),
				 " %zu", out[i]);
		for (size_t i = 0; i < nwant; i++)
			snprintf(exp + strlen(exp), sizeof exp - strlen(exp),
				 " %zu", want[i]);
		print_error("sort %s%s, filter \"%s\": expected rows%s, "
			    "found%s\n", sort_key_name(key),
			    reverse ? " (reversed)" : "",
			    filter ? filter : "(null)", exp, got);
		fail();
	}
	/* nothing written past the matching rows */
	assert_int_equal(out[NRUNS], 999);
}

#define EXPECT(filter, key, reverse, ...)                                      \
	do {                                                                   \
		const size_t want_[] = {__VA_ARGS__};                          \
		expect_rows((filter), (key), (reverse), want_,                 \
			    sizeof want_ / sizeof *want_);                     \
	} while (0)

/* --- filter -------------------------------------------------------------- */

static void test_empty_filter_matches_all(void **state)
{
	(void)state;
	for (size_t i = 0; i < NRUNS; i++) {
		assert_true(model_matches(&runs[i], ""));
		assert_true(model_matches(&runs[i], NULL));
	}
	EXPECT("", SORT_STARTED, 0, 3, 4, 1, 2, 0);
	EXPECT(NULL, SORT_STARTED, 0, 3, 4, 1, 2, 0);
}

static void test_filter_by_id(void **state)
{
	(void)state;
	assert_true(model_matches(&runs[1], "r2"));
	assert_false(model_matches(&runs[0], "r2"));
	/* case-insensitive */
	assert_true(model_matches(&runs[1], "R2"));
	/* a substring anywhere, and the whole id */
	struct snap_run r = runs[0];
	snprintf(r.key, sizeof r.key, "exp-R05-final");
	assert_true(model_matches(&r, "r05"));
	assert_true(model_matches(&r, "FINAL"));
	assert_true(model_matches(&r, "exp-r05-final"));
	/* longer than the id, or not in it */
	assert_false(model_matches(&r, "exp-r05-final!"));
	assert_false(model_matches(&r, "r06"));
	EXPECT("R2", SORT_STARTED, 0, 1);
	EXPECT("r", SORT_STARTED, 0, 3, 4, 1, 2, 0);
}

static void test_filter_by_model_and_version(void **state)
{
	(void)state;
	/* model "Credit-Score", any case */
	assert_true(model_matches(&runs[2], "credit"));
	assert_true(model_matches(&runs[2], "SCORE"));
	EXPECT("cReDiT", SORT_STARTED, 0, 2);
	/* model "loan-approval" for r1, r2, r4: newest first */
	EXPECT("APPROVAL", SORT_STARTED, 0, 3, 1, 0);
	/* version: "2.0-beta" (r3), "0.9" (r5) */
	EXPECT("BETA", SORT_STARTED, 0, 2);
	EXPECT("0.9", SORT_STARTED, 0, 4);
	/* "1." is in the versions of r1, r2, r4 */
	EXPECT("1.", SORT_RUN, 0, 0, 1, 3);
}

static void test_filter_ignores_other_fields(void **state)
{
	(void)state;
	/* the date, the worst group and the numbers are not searched */
	assert_false(model_matches(&runs[0], "2026"));
	assert_false(model_matches(&runs[0], "group=B"));
	assert_false(model_matches(&runs[0], "0.80"));
	size_t out[NRUNS];
	assert_int_equal(model_rows(runs, NRUNS, "2026", SORT_STARTED, 0, out),
			 0);
	assert_int_equal(model_rows(runs, NRUNS, "nothing like it",
				    SORT_RUN, 0, out),
			 0);
}

static void test_filter_utf8_bytes(void **state)
{
	(void)state;
	/* bytes beyond ASCII compare as they are */
	struct snap_run r = runs[0];
	static char model[] = "mod\xc3\xa8le-pr\xc3\xaat";
	r.model = model;
	assert_true(model_matches(&r, "\xc3\xa8le"));
	assert_true(model_matches(&r, "MOD\xc3\xa8LE"));
	assert_false(model_matches(&r, "modele"));
}

static void test_no_runs(void **state)
{
	(void)state;
	size_t out[1] = {999};
	assert_int_equal(model_rows(runs, 0, "", SORT_STARTED, 0, out), 0);
	assert_int_equal(out[0], 999);
}

/* --- sort keys ------------------------------------------------------------ */

static void test_sort_names(void **state)
{
	(void)state;
	static const char *const want[SORT_NKEYS] = {
		"date", "run", "accuracy", "F-beta", "throughput",
		"DP difference", "EO difference", "worst TPR", "alerts"};
	for (int k = 0; k < SORT_NKEYS; k++)
		assert_string_equal(sort_key_name((enum sort_key)k), want[k]);
	assert_string_equal(sort_key_name(SORT_NKEYS), "?");
}

static void test_sort_date(void **state)
{
	(void)state;
	/* 01-05 r4, 01-04 r5, 01-03 r2, 01-02 r3, 01-01 r1 */
	EXPECT("", SORT_STARTED, 0, 3, 4, 1, 2, 0);
	EXPECT("", SORT_STARTED, 1, 0, 2, 1, 4, 3);
}

static void test_sort_run(void **state)
{
	(void)state;
	EXPECT("", SORT_RUN, 0, 0, 1, 2, 3, 4);
	EXPECT("", SORT_RUN, 1, 4, 3, 2, 1, 0);
}

static void test_sort_accuracy(void **state)
{
	(void)state;
	/* 0.90 r2, 0.85 r4, 0.80 tie r5 (01-04) before r1 (01-01), n/a r3 */
	EXPECT("", SORT_ACCURACY, 0, 1, 3, 4, 0, 2);
	/* reversed: the defined ones mirrored, n/a still last */
	EXPECT("", SORT_ACCURACY, 1, 0, 4, 3, 1, 2);
}

static void test_sort_f_beta(void **state)
{
	(void)state;
	/* 0.75 tie r4 (01-05) before r3 (01-02), 0.70 r1; n/a r2, r5 */
	size_t out[NRUNS];
	size_t n = model_rows(runs, NRUNS, "", SORT_F_BETA, 0, out);
	assert_int_equal(n, 5);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 0);
	/* the two undefined ones last, in some order */
	assert_true((out[3] == 1 && out[4] == 4) ||
		    (out[3] == 4 && out[4] == 1));
	n = model_rows(runs, NRUNS, "", SORT_F_BETA, 1, out);
	assert_int_equal(n, 5);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 3);
	assert_true((out[3] == 1 && out[4] == 4) ||
		    (out[3] == 4 && out[4] == 1));
}

static void test_sort_throughput(void **state)
{
	(void)state;
	/* 300 tie r5 (01-04) before r2 (01-03), 200 r3, 100 r1, n/a r4 */
	EXPECT("", SORT_THROUGHPUT, 0, 4, 1, 2, 0, 3);
	EXPECT("", SORT_THROUGHPUT, 1, 0, 2, 1, 4, 3);
}

static void test_sort_dp(void **state)
{
	(void)state;
	/* worst first: 0.30 r3, 0.10 tie r4 (01-05) before r1 (01-01),
	 * 0.05 r2, n/a r5 */
	EXPECT("", SORT_DP, 0, 2, 3, 0, 1, 4);
	EXPECT("", SORT_DP, 1, 1, 0, 3, 2, 4);
}

static void test_sort_eo(void **state)
{
	(void)state;
	/* 0.20 tie r5 (01-04) before r1 (01-01), 0.10 r3, 0.05 r4, n/a r2 */
	EXPECT("", SORT_EO, 0, 4, 0, 2, 3, 1);
	EXPECT("", SORT_EO, 1, 3, 2, 0, 4, 1);
}

static void test_sort_worst_tpr(void **state)
{
	(void)state;
	/* worst (lowest) first: 0.60 tie r4 (01-05) before r1 (01-01),
	 * 0.70 r5, 0.80 r2, n/a r3 */
	EXPECT("", SORT_WORST_TPR, 0, 3, 0, 4, 1, 2);
	EXPECT("", SORT_WORST_TPR, 1, 1, 4, 0, 3, 2);
}

static void test_sort_alerts(void **state)
{
	(void)state;
	/* critical first: r4 (1 crit, 3 open), r2 (1 crit, 1 open); then
	 * r5 and r1 (2 open each: r5 is newer), then r3 (none) */
	EXPECT("", SORT_ALERTS, 0, 3, 1, 4, 0, 2);
	EXPECT("", SORT_ALERTS, 1, 2, 0, 4, 1, 3);
}

static void test_sort_with_filter(void **state)
{
	(void)state;
	/* the loan-approval runs r1, r2, r4 by DP: r4 0.10 (newer) before
	 * r1 0.10, then r2 0.05 */
	EXPECT("loan", SORT_DP, 0, 3, 0, 1);
	/* by accuracy, only r3 undefined: it is filtered out here */
	EXPECT("loan", SORT_ACCURACY, 0, 1, 3, 0);
}

static void test_all_undefined_last_whatever_the_key(void **state)
{
	(void)state;
	/* one run with every number undefined, the newest */
	struct snap_run many[3];
	many[0] = runs[0];
	many[1] = runs[1];
	fill(&many[2], &(struct row){"zz", "m", "v", "2027-01-01T00:00:00Z",
				     NA, NA, NA, NA, NA, NA, 0, 0});
	/* r2's undefined F-beta and EO: give it numbers here */
	many[1].f_beta = 0.5;
	many[1].eo = 0.5;
	for (int k = SORT_ACCURACY; k <= SORT_WORST_TPR; k++)
		for (int rev = 0; rev <= 1; rev++) {
			size_t out[3];
			size_t n = model_rows(many, 3, "", (enum sort_key)k,
					      rev, out);
			assert_int_equal(n, 3);
			if (out[2] != 2) {
				print_error("sort %s%s: the run with no numbers "
					    "should be last, found at %zu\n",
					    sort_key_name((enum sort_key)k),
					    rev ? " (reversed)" : "",
					    out[0] == 2 ? (size_t)0 : 1);
				fail();
			}
		}
}

static void test_ties_by_date_newest_first(void **state)
{
	(void)state;
	/* every number equal: the order is the date order, newest first,
	 * whatever the key */
	struct snap_run same[4];
	const char *dates[4] = {"2026-01-02", "2026-01-04", "2026-01-01",
				"2026-01-03"};
	for (int i = 0; i < 4; i++) {
		fill(&same[i], &table[0]);
		snprintf(same[i].started, sizeof same[i].started,
			 "%sT00:00:00Z", dates[i]);
	}
	for (int k = SORT_ACCURACY; k < SORT_NKEYS; k++) {
		size_t out[4];
		assert_int_equal(model_rows(same, 4, "", (enum sort_key)k, 0,
					    out),
				 4);
		/* 01-04 (1), 01-03 (3), 01-02 (0), 01-01 (2) */
		assert_int_equal(out[0], 1);
		assert_int_equal(out[1], 3);
		assert_int_equal(out[2], 0);
		assert_int_equal(out[3], 2);
	}
}

static void test_undefined_ties_by_date(void **state)
{
	(void)state;
	/* r2 (01-03) and r5 (01-04) both have an undefined F-beta: as a tie,
	 * the newer r5 comes first (not whatever order qsort leaves). */
	size_t out[NRUNS];
	model_rows(runs, NRUNS, "", SORT_F_BETA, 0, out);
	assert_int_equal(out[3], 4);
	assert_int_equal(out[4], 1);
}

static void test_listed_order_kept(void **state)
{
	(void)state;
	/* runs as the snapshot lists them, newest first and, within one
	 * start, by key Z to A: the default order is that very order (a
	 * list already in order is kept as it is, the tie r8/r7 too), and
	 * one run out of place is put back */
	struct snap_run d[4];
	const char *keys[4] = {"r9", "r8", "r7", "r6"};
	const char *dates[4] = {"2026-01-04", "2026-01-03", "2026-01-03",
				"2026-01-01"};
	for (int i = 0; i < 4; i++) {
		fill(&d[i], &table[0]);
		snprintf(d[i].key, sizeof d[i].key, "%s", keys[i]);
		snprintf(d[i].started, sizeof d[i].started, "%sT00:00:00Z",
			 dates[i]);
	}
	size_t out[4];
	assert_int_equal(model_rows(d, 4, "", SORT_STARTED, 0, out), 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(out[i], i);
	snprintf(d[3].started, sizeof d[3].started, "2026-01-05T00:00:00Z");
	assert_int_equal(model_rows(d, 4, "", SORT_STARTED, 0, out), 4);
	assert_int_equal(out[0], 3);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[3] + out[2], 3); /* the tie: 1 and 2 */
}

static void test_reverse_is_a_mirror(void **state)
{
	(void)state;
	/* for every key, with no two equal or undefined numbers, reverse is
	 * exactly the mirror image */
	struct snap_run d[4];
	for (int i = 0; i < 4; i++) {
		fill(&d[i], &table[0]);
		snprintf(d[i].key, sizeof d[i].key, "k%d", (i * 3) % 4);
		snprintf(d[i].started, sizeof d[i].started,
			 "2026-01-0%dT00:00:00Z", 1 + (i * 5) % 4);
		d[i].accuracy = d[i].f_beta = d[i].dp = d[i].eo =
			d[i].worst_tpr = 0.1 * (1 + (i * 7) % 4);
		d[i].throughput = 100.0 * (1 + (i * 3) % 4);
		d[i].critical_alerts = (size_t)i % 2;
		d[i].open_alerts = (size_t)i;
	}
	for (int k = 0; k < SORT_NKEYS; k++) {
		size_t fwd[4], rev[4];
		model_rows(d, 4, "", (enum sort_key)k, 0, fwd);
		model_rows(d, 4, "", (enum sort_key)k, 1, rev);
		for (int i = 0; i < 4; i++)
			assert_int_equal(fwd[i], rev[3 - i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty_filter_matches_all, setup),
		cmocka_unit_test_setup(test_filter_by_id, setup),
		cmocka_unit_test_setup(test_filter_by_model_and_version, setup),
		cmocka_unit_test_setup(test_filter_ignores_other_fields, setup),
		cmocka_unit_test_setup(test_filter_utf8_bytes, setup),
		cmocka_unit_test_setup(test_no_runs, setup),
		cmocka_unit_test(test_sort_names),
		cmocka_unit_test_setup(test_sort_date, setup),
		cmocka_unit_test_setup(test_sort_run, setup),
		cmocka_unit_test_setup(test_sort_accuracy, setup),
		cmocka_unit_test_setup(test_sort_f_beta, setup),
		cmocka_unit_test_setup(test_sort_throughput, setup),
		cmocka_unit_test_setup(test_sort_dp, setup),
		cmocka_unit_test_setup(test_sort_eo, setup),
		cmocka_unit_test_setup(test_sort_worst_tpr, setup),
		cmocka_unit_test_setup(test_sort_alerts, setup),
		cmocka_unit_test_setup(test_sort_with_filter, setup),
		cmocka_unit_test_setup(test_all_undefined_last_whatever_the_key,
				       setup),
		cmocka_unit_test_setup(test_ties_by_date_newest_first, setup),
		cmocka_unit_test_setup(test_undefined_ties_by_date, setup),
		cmocka_unit_test_setup(test_listed_order_kept, setup),
		cmocka_unit_test_setup(test_reverse_is_a_mirror, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
