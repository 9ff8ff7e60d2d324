/*
 * test_alerteval.c — service/alerteval.c: the alerts of a run just
 * ingested, judged at arrival, and judging again the runs whose arrival
 * baseline the deployment history changed; on small stores
 * (tests/unit/fixture.h).
 *
 * Evaluations, as confusion counts (tp, fp, tn, fn) of sex=F and sex=M:
 *   FAIR    (80,10,90,20) each, 200 rows: passes on its own;
 *   UNFAIR  F (90,10,90,10), M (50,10,90,50): selection (90+10)/200 = .5
 *           against (50+10)/200 = .3, parity difference .2 > .10, ratio
 *           .3/.5 = .6 < .80; TPR 90/100 = .9 against 50/100 = .5, odds
 *           difference .4 > .10.  200 rows a group: all three
 *           established, three FAIL findings: three critical alerts,
 *           each about the feature (subject "sex");
 *   FEWER   (60,8,67,15) each, 150 rows: passes on its own, fails
 *           against a 400-row baseline for its 300 rows (fewer_rows);
 *           its rates (TPR 60/75 = .8, selection 68/150) do not fall
 *           below FAIR's (TPR .8, selection 90/200 = .45), and 150 of
 *           200 is no shrink beyond max_group_shrink .5;
 *   SMALL   F (8,0,2,0), M (2,0,8,0), 10 rows a group, under
 *           min_group_size 30: selection .8 against .2 warns as low_n,
 *           for the difference (.6) and for the ratio (.25): two
 *           findings, one alert (one per rule and subject), a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/fixture.h"
#include "service/alerteval.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"
#include "storage/runread.h"
#include "storage/summary_store.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("alerteval");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

#define FAIR "1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"
#define UNFAIR "1,sex=F,90,10,90,10\n1,sex=M,50,10,90,50\n"
#define FEWER "1,sex=F,60,8,67,15\n1,sex=M,60,8,67,15\n"
#define SMALL "1,sex=F,8,0,2,0\n1,sex=M,2,0,8,0\n"

static void ingest(struct store *s, const char *key, const char *started,
		   const char *counts)
{
	fixture_ingest_counts(s, NULL, key, NULL, started, counts);
}

static void history(struct store *s, const char *rows)
{
	fixture_history(s, rows);
}

/* alerteval_run of key; its counts of alerts raised and critical. */
static void evaluate(struct store *s, const struct policy *p, const char *key,
		     size_t *raised, size_t *critical)
{
	struct fail f;
	fail_init(&f);
	*raised = *critical = 99;
	if (alerteval_run(s, key, p, raised, critical, &f) != 0)
		fail_msg("alerteval_run %s: %s", key, f.msg);
}

struct alerts {
	struct stored_alert *a;
	size_t n;
};

static void list(struct store *s, const char *key, struct alerts *out)
{
	struct fail f;
	fail_init(&f);
	if (store_alerts_list_run(s, key, NULL, &out->a, &out->n, &f) != 0)
		fail_msg("store_alerts_list_run %s: %s", key, f.msg);
}

/* The alert of rule in l; fails the test when there is none. */
static const struct stored_alert *rule(const struct alerts *l, const char *r)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->a[i].rule, r) == 0)
			return &l->a[i];
	fail_msg("no %s alert", r);
	return NULL;
}

static void starts_with(const char *s, const char *prefix)
{
	if (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("expected \"%s...\", found \"%s\"", prefix,
			 s ? s : "(null)");
}

/* The kept headline of the run called key (store_each_run_headline). */
struct kept {
	const char *key;
	int found, has;
	struct run_headline h;
};

static int keep_one(void *ctx, const struct run_headline_row *r,
		    struct fail *f)
{
	(void)f;
	struct kept *k = ctx;
	if (strcmp(r->key, k->key) != 0)
		return 0;
	k->found = 1;
	k->has = r->kept != NULL;
	if (r->kept)
		k->h = *r->kept;
	return 0;
}

static void kept_of(struct store *s, const char *key, struct kept *k)
{
	struct fail f;
	memset(k, 0, sizeof *k);
	k->key = key;
	fail_init(&f);
	assert_int_equal(store_each_run_headline(s, 0, keep_one, k, &f), 0);
	assert_true(k->found);
}

static void test_fair_on_its_own(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	size_t raised, critical;
	struct alerts l;
	struct kept k;
	policy_defaults(&p);
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);

	/* no headline before the run is evaluated */
	kept_of(s, "r1", &k);
	assert_false(k.has);
	evaluate(s, &p, "r1", &raised, &critical);
	assert_int_equal(raised, 0);
	assert_int_equal(critical, 0);
	list(s, "r1", &l);
	assert_int_equal(l.n, 0);
	stored_alerts_free(l.a, l.n);
	/* the headline is kept: passed, on its own */
	kept_of(s, "r1", &k);
	assert_true(k.has);
	assert_true(k.h.gate_passed);
	assert_int_equal(k.h.gate_fails, 0);
	assert_string_equal(k.h.baseline, "");

	/* NULL counts are allowed */
	struct fail f;
	fail_init(&f);
	assert_int_equal(alerteval_run(s, "r1", &p, NULL, NULL, &f), 0);
	/* a run not in the store */
	assert_int_equal(alerteval_run(s, "nope", &p, &raised, &critical, &f),
			 -1);
	assert_int_equal(f.kind, FAIL_USAGE);
	store_free(s);
}

static void test_unfair_on_its_own(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	size_t raised, critical;
	struct alerts l;
	struct kept k;
	policy_defaults(&p);
	ingest(s, "r2", "2026-01-03T00:00:00Z", UNFAIR);
	evaluate(s, &p, "r2", &raised, &critical);
	assert_int_equal(raised, 3);
	assert_int_equal(critical, 3);
	list(s, "r2", &l);
	assert_int_equal(l.n, 3);
	static const char *const rules[] = {"dp_difference", "dp_ratio",
					    "eo_difference"};
	for (size_t i = 0; i < 3; i++) {
		const struct stored_alert *a = rule(&l, rules[i]);
		assert_string_equal(a->severity, "critical");
		assert_string_equal(a->state, "firing");
		assert_string_equal(a->subject, "sex");
		/* on its own: no baseline; began when the run started */
		assert_null(a->baseline_key);
		assert_string_equal(a->began_at, "2026-01-03T00:00:00Z");
	}
	starts_with(rule(&l, "dp_difference")->message,
		    "demographic parity difference across sex 0.200");
	starts_with(rule(&l, "dp_ratio")->message,
		    "demographic parity ratio across sex 0.600");
	starts_with(rule(&l, "eo_difference")->message,
		    "equalized odds difference across sex 0.400");
	int64_t ids[3];
	for (size_t i = 0; i < 3; i++)
		ids[i] = rule(&l, rules[i])->id;
	stored_alerts_free(l.a, l.n);

	kept_of(s, "r2", &k);
	assert_false(k.h.gate_passed);
	assert_int_equal(k.h.gate_fails, 3);
	starts_with(k.h.gate_first,
		    "demographic parity difference across sex 0.200");

	/* evaluated again: the same three alerts, not three more */
	evaluate(s, &p, "r2", &raised, &critical);
	assert_int_equal(raised, 3);
	list(s, "r2", &l);
	assert_int_equal(l.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(rule(&l, rules[i])->id, ids[i]);
	stored_alerts_free(l.a, l.n);

	/* under a policy that lets its parity pass (.2 <= .3, .6 >= .5),
	 * only the odds alert is raised; the parity ones resolve */
	struct policy loose;
	policy_defaults(&loose);
	loose.value[POLICY_MAX_DP_DIFFERENCE].number = 0.3;
	loose.value[POLICY_MIN_DP_RATIO].number = 0.5;
	evaluate(s, &loose, "r2", &raised, &critical);
	assert_int_equal(raised, 1);
	assert_int_equal(critical, 1);
	list(s, "r2", &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(rule(&l, "eo_difference")->state, "firing");
	assert_string_equal(rule(&l, "dp_difference")->state, "resolved");
	assert_string_equal(rule(&l, "dp_ratio")->state, "resolved");
	assert_string_equal(rule(&l, "dp_ratio")->resolved_reason,
			    "no longer raised by the latest evaluation");
	stored_alerts_free(l.a, l.n);
	store_free(s);
}

static void test_warning_not_critical(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	size_t raised, critical;
	struct alerts l;
	policy_defaults(&p);
	ingest(s, "r5", "2026-01-03T00:00:00Z", SMALL);
	evaluate(s, &p, "r5", &raised, &critical);
	assert_int_equal(raised, 1);
	assert_int_equal(critical, 0);
	list(s, "r5", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.a[0].rule, "low_n");
	assert_string_equal(l.a[0].subject, "sex");
	assert_string_equal(l.a[0].severity, "warning");
	/* the louder of the two is kept whole: both are warnings, so the
	 * first, the difference */
	starts_with(l.a[0].message,
		    "demographic parity difference across sex 0.600");
	stored_alerts_free(l.a, l.n);
	store_free(s);
}

static void test_against_production_at_arrival(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	size_t raised, critical;
	struct alerts l;
	struct kept k;
	policy_defaults(&p);
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r3", "2026-01-05T00:00:00Z", FEWER);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n");

	/* r3 started with r1 in production: 300 rows against 400 */
	evaluate(s, &p, "r3", &raised, &critical);
	assert_int_equal(raised, 1);
	assert_int_equal(critical, 1);
	list(s, "r3", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.a[0].rule, "fewer_rows");
	assert_string_equal(l.a[0].severity, "critical");
	assert_string_equal(l.a[0].subject, "");
	assert_string_equal(l.a[0].baseline_key, "r1");
	stored_alerts_free(l.a, l.n);
	kept_of(s, "r3", &k);
	assert_string_equal(k.h.baseline, "r1");
	assert_false(k.h.gate_passed);
	assert_int_equal(k.h.gate_fails, 1);

	/* both verdicts kept: at arrival against r1 (fails one rule), and
	 * fair on its own (passes) */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db,
			 "SELECT b.run_key IS NOT NULL, v.passed, v.fails"
			 " FROM verdicts v JOIN runs r ON r.id = v.run_id"
			 " LEFT JOIN runs b ON b.id = v.baseline_id"
			 " WHERE r.run_key = 'r3' ORDER BY 1",
			 -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_column_int(st, 2), 1);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	store_free(s);
}

static void test_arrivals_after_history(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	size_t raised, critical, judged;
	struct alerts l;
	struct kept k;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	/* evaluated with nothing in production: r3 passes on its own */
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r3", "2026-01-05T00:00:00Z", FEWER);
	evaluate(s, &p, "r1", &raised, &critical);
	evaluate(s, &p, "r3", &raised, &critical);
	assert_int_equal(raised, 0);
	/* r4 is never evaluated: no headline kept */
	ingest(s, "r4", "2026-01-06T00:00:00Z", FAIR);

	/* nothing changed: only r4, which has no headline, is judged */
	assert_int_equal(alerteval_arrivals(s, &p, &judged, &f), 0);
	assert_int_equal(judged, 1);
	kept_of(s, "r4", &k);
	assert_true(k.has);
	assert_string_equal(k.h.baseline, "");

	/* the history says r1 went into production on day 2: r3 and r4
	 * started after it, r1 before (its baseline stays none) */
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n");
	assert_int_equal(alerteval_arrivals(s, &p, &judged, &f), 0);
	assert_int_equal(judged, 2);
	assert_int_equal(f.kind, FAIL_NONE);
	kept_of(s, "r3", &k);
	assert_string_equal(k.h.baseline, "r1");
	assert_false(k.h.gate_passed);
	kept_of(s, "r4", &k);
	assert_string_equal(k.h.baseline, "r1");
	assert_true(k.h.gate_passed);
	kept_of(s, "r1", &k);
	assert_string_equal(k.h.baseline, "");
	list(s, "r3", &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.a[0].rule, "fewer_rows");
	assert_string_equal(l.a[0].baseline_key, "r1");
	stored_alerts_free(l.a, l.n);
	list(s, "r4", &l);
	assert_int_equal(l.n, 0);
	stored_alerts_free(l.a, l.n);

	/* once more: every kept baseline is current, nothing judged;
	 * judged may be NULL */
	assert_int_equal(alerteval_arrivals(s, &p, &judged, &f), 0);
	assert_int_equal(judged, 0);
	assert_int_equal(alerteval_arrivals(s, &p, NULL, &f), 0);
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_fair_on_its_own),
		IN_TMP(test_unfair_on_its_own),
		IN_TMP(test_warning_not_critical),
		IN_TMP(test_against_production_at_arrival),
		IN_TMP(test_arrivals_after_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
