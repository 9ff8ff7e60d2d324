/*
 * test_summary_store.c — storage/summary_store.c: runs listed with
 * their kept headlines, and with the rows evaluated at their final
 * step, as `fairtop runs` reads them instead of loading each run.
 *
 * Two runs of two steps: r1 judged at arrival (its headline kept), r2
 * only ingested (none kept).  counts.csv knows no rows, so the rows of
 * the overall group are set by hand: a different number at each step,
 * and at the final step of r2 none (NULL, unknown).  The listing must
 * give each run's final step's number, -1 for unknown, as
 * runload_rows() reads it from the loaded run.
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
#include "core/strbuf.h"
#include "service/alerteval.h"
#include "service/incident.h"
#include "service/runload.h"
#include "service/snapshot.h"
#include "storage/deploy_store.h"
#include "storage/driftcache.h"
#include "storage/ingest.h"
#include "storage/runread.h"
#include "storage/summary_store.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("summary_store");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

#define TWO_STEPS                                                      \
	"1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"                   \
	"2,sex=F,81,10,90,19\n2,sex=M,50,10,90,50\n"

struct seen {
	size_t n;
	char key[4][8];
	int kept[4];
	int64_t final_rows[4];
	double worst_tpr[4];
};

static int seen_one(void *ctx, const struct run_headline_row *r,
		    struct fail *f)
{
	(void)f;
	struct seen *s = ctx;
	assert_true(s->n < 4);
	snprintf(s->key[s->n], sizeof s->key[s->n], "%s", r->key);
	s->kept[s->n] = r->kept != NULL;
	s->worst_tpr[s->n] = r->kept ? r->kept->worst_tpr : -1;
	s->final_rows[s->n++] = r->final_rows;
	return 0;
}

static void exec(struct store *s, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/* runload_rows() of the run called key. */
static long long loaded_rows(struct store *s, const char *key)
{
	struct stored_run r;
	struct loaded_run lr;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_find_run(s, key, &r, &f), 0);
	assert_int_equal(runload(s, &r, &lr, &f), 0);
	long long rows = runload_rows(&lr);
	runload_release(&lr);
	stored_run_release(&r);
	return rows;
}

static void test_listed_with_final_rows(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct seen seen;
	struct fail f;
	size_t raised;
	policy_defaults(&p);
	fail_init(&f);
	fixture_ingest_counts(s, NULL, "r2", NULL, "2026-01-02T00:00:00Z",
			      TWO_STEPS);
	fixture_ingest_counts(s, NULL, "r1", NULL, "2026-01-01T00:00:00Z",
			      TWO_STEPS);
	assert_int_equal(alerteval_run(s, "r1", &p, &raised, NULL, &f), 0);
	/* the overall group's rows by hand: 700 at step 1, 900 at the
	 * final step 2 (r1); r2's final step unknown */
	exec(s, "UPDATE confusion SET rows = 700 + 200 * (step - 1)"
		" WHERE group_id IN (SELECT g.id FROM groups g"
		"  JOIN features fe ON fe.id = g.feature_id"
		"  WHERE fe.kind = 'overall')");
	exec(s, "UPDATE confusion SET rows = NULL WHERE step = 2 AND run_id ="
		" (SELECT id FROM runs WHERE run_key = 'r2')");
	assert_int_equal(loaded_rows(s, "r1"), 900);
	assert_int_equal(loaded_rows(s, "r2"), -1);

	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_each_run_listed(s, seen_one, &seen, &f), 0);
	assert_int_equal(seen.n, 2);
	/* oldest first */
	assert_string_equal(seen.key[0], "r1");
	assert_string_equal(seen.key[1], "r2");
	assert_true(seen.kept[0]);
	assert_false(seen.kept[1]);
	/* r1's worst group at its final step: sex=M, 50 / (50 + 50) */
	assert_true(seen.worst_tpr[0] == 0.5);
	assert_int_equal(seen.final_rows[0], 900);
	assert_int_equal(seen.final_rows[1], -1);

	/* the plain listing reads no rows */
	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_each_run_headline(s, 1, seen_one, &seen, &f),
			 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.key[0], "r2");
	assert_int_equal(seen.final_rows[0], -1);
	assert_int_equal(seen.final_rows[1], -1);
	store_free(s);
}

/* A listing stopped by its callback fails with the callback's reason. */
static int stop_at_once(void *ctx, const struct run_headline_row *r,
			struct fail *f)
{
	(void)ctx;
	(void)r;
	return fail_set(f, FAIL_INTERNAL, "stopped");
}

static void test_listing_stops(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct fail f;
	fail_init(&f);
	fixture_ingest_counts(s, NULL, "r1", NULL, "2026-01-01T00:00:00Z",
			      TWO_STEPS);
	assert_int_equal(store_each_run_listed(s, stop_at_once, NULL, &f), -1);
	assert_string_equal(f.msg, "stopped");
	store_free(s);
}

/* SQLite's virtual machine at work, counted every 10 instructions: a
 * measure of the work a read did, not of time. */
static long vm_ticks;

static int tick(void *ctx)
{
	(void)ctx;
	vm_ticks++;
	return 0;
}

/* The keys a listing gave, in order, "key,key,". */
static int keys_of(void *ctx, const struct run_headline_row *r,
		   struct fail *f)
{
	(void)f;
	char *out = ctx;
	strcat(out, r->key);
	strcat(out, ",");
	return 0;
}

static void bare_runs(struct store *s, int from, int to)
{
	char sql[512];
	/* run i starts at the i-th second of a day, in the id order but
	 * for none: enough to sort by start alone */
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE n(i) AS (SELECT %d UNION ALL SELECT i + 1"
		 " FROM n WHERE i < %d) INSERT INTO runs(run_key, model,"
		 " started_at, positive_label, source, evaluation,"
		 " ingested_at) SELECT printf('b%%05d', i), 'm',"
		 " printf('2026-01-01T%%05d', i), '1', 'x', 'none', 'now'"
		 " FROM n", from, to);
	assert_int_equal(sqlite3_exec(s->db, sql, NULL, NULL, NULL),
			 SQLITE_OK);
}

/* The page lists want's keys, at under a fiftieth of the work of a
 * listing of every run (`all` VM ticks). */
static void page_is(struct store *s, const struct run_page *page, char *keys,
		    const char *want, long all)
{
	struct fail f;
	fail_init(&f);
	keys[0] = '\0';
	vm_ticks = 0;
	assert_int_equal(store_each_run_headline_page(s, page, keys_of, keys,
						      &f), 0);
	assert_string_equal(keys, want);
	assert_true(vm_ticks < all / 50);
}

/* What the dashboard reads on a large store costs the runs it reads,
 * not the store: the runs added since a read (found by their ids, not
 * by walking the start index over every run), a page of the listing
 * wherever it starts, and the drift cache's runs added.  Each is held
 * under a fiftieth of one listing of every run, in the virtual
 * machine's instructions (were the start index walked, each would be
 * about one listing). */
static void test_reads_cost_their_rows(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct fail f;
	char *keys = calloc(5001, 8);
	struct drift_cache c;
	assert_non_null(keys);
	fail_init(&f);
	driftcache_init(&c);
	bare_runs(s, 1, 5000);
	assert_int_equal(driftcache_update(&c, s, &f), 0);
	sqlite3_progress_handler(s->db, 10, tick, NULL);
	vm_ticks = 0;
	assert_int_equal(store_each_run_headline(s, 1, keys_of, keys, &f), 0);
	long all = vm_ticks;
	assert_true(all > 1000);

	/* one added, starting among the oldest */
	assert_int_equal(sqlite3_exec(s->db, "INSERT INTO runs(run_key,"
				      " model, started_at, positive_label,"
				      " source, evaluation, ingested_at)"
				      " VALUES ('a', 'm', '2026-01-01T00002x',"
				      " '1', 'x', 'none', 'now')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	keys[0] = '\0';
	vm_ticks = 0;
	assert_int_equal(store_each_run_headline_after(s, 5000, keys_of, keys,
						       &f), 0);
	assert_string_equal(keys, "a,");
	assert_true(vm_ticks < all / 50);

	/* a page deep in the listing: the five after b00003 */
	struct run_page deep = {5001, "2026-01-01T00003", "b00003", 5};
	page_is(s, &deep, keys, "a,b00002,b00001,", all);
	/* the first page, runs above upto left out */
	struct run_page first = {5000, NULL, NULL, 2};
	page_is(s, &first, keys, "b05000,b04999,", all);

	/* the drift cache reads the run added alone */
	vm_ticks = 0;
	assert_int_equal(driftcache_update(&c, s, &f), 0);
	assert_true(vm_ticks < all / 50);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	driftcache_release(&c);
	free(keys);
	store_free(s);
}

/* --- the groups of a run, one number ------------------------------- */

/* Rates alike in both groups: fair.  Far apart: unfair (default
 * policy).  counts.csv leaves the rows unknown, so that only the groups
 * tell two evaluations apart. */
#define FAIR_COUNTS(a, b)                                                  \
	"1,sex=" a ",900,100,800,100\n"                                      \
	"1,sex=" b ",900,100,800,100\n"
#define UNFAIR_COUNTS(a, b)                                                \
	"1,sex=" a ",100,100,800,900\n"                                      \
	"1,sex=" b ",900,100,800,100\n"

static void put_in_production(struct store *s, const char *run)
{
	fixture_deploy(s, run, "deploy");
}

/* Production (prod) against the last fair model (fair): the Runs view
 * marks prod '*' exactly when the incident finds the evaluations not
 * comparable, and names the groups on either side. */
static void runs_and_incident_agree(struct store *s, const char *prod,
				    int unlike, size_t absent, size_t added)
{
	struct policy p;
	struct snapshot snap;
	struct incident in;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	put_in_production(s, prod);
	memset(&snap, 0, sizeof snap);
	if (snapshot_refresh(s, &p, &snap, &f) != 0 ||
	    snapshot_need(s, &p, &snap, SNAP_RUNS, &f) != 0)
		fail_msg("snapshot: %s", f.msg);
	assert_string_equal(snap.last_fair, "fair");
	assert_int_equal(fixture_run_of(&snap, prod)->unlike_last_fair, unlike);
	assert_int_equal(fixture_run_of(&snap, "fair")->unlike_last_fair, 0);
	assert_int_equal(incident_make(s, &p, &in, &f), 0);
	assert_true(in.compared);
	assert_int_equal(in.not_comparable != NULL, unlike);
	assert_int_equal(in.nabsent, absent);
	assert_int_equal(in.nadded, added);
	incident_release(&in);
	snapshot_release(&snap);
}

/* Run key ingested from counts; judged on arrival (its summary kept,
 * as `fairtop ingest` does) when `kept`, else read from its rows. */
static void arrive(struct store *s, const char *key, const char *started,
		   const char *counts, int kept)
{
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	fixture_ingest_counts(s, NULL, key, NULL, started, counts);
	if (kept && alerteval_run(s, key, &p, NULL, NULL, &f) != 0)
		fail_msg("judging %s: %s", key, f.msg);
}

/* Run key from a predictions.csv (text), judged on arrival, its
 * beta_factor `beta`. */
static void arrive_beta(struct store *s, const char *key, const char *started,
			const char *beta, const char *text)
{
	char dir[512], run[512];
	struct ingest_result res;
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir, key);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(run, sizeof run, "key,value\nrun,%s\nmodel,m\n"
		 "started_at,%s\nbeta_factor,%s\nsensitive_features,sex\n",
		 key, started, beta);
	fixture_write_file(dir, "run.csv", run);
	fixture_write_file(dir, "predictions.csv", text);
	if (store_ingest_run(s, dir, 0, &res, &f) != 0 ||
	    alerteval_run(s, key, &p, NULL, NULL, &f) != 0)
		fail_msg("ingest %s: %s", key, f.msg);
}

static void arrive_predictions(struct store *s, const char *key,
			       const char *started, const char *text)
{
	arrive_beta(s, key, started, "1", text);
}

/* n rows of group g at step: y_true 1 and 0 by turns, predicted right
 * but for one in four when unfair (then for g F only). */
static void predictions_of(struct strbuf *out, int step, const char *g,
			   int n, int unfair)
{
	for (int i = 0; i < n; i++) {
		int truth = i % 2;
		int pred = unfair && strcmp(g, "F") == 0 && i % 4 == 1
				   ? 0
				   : truth;
		strbuf_addf(out, "%d,%d,%d,%s\n", step, truth, pred, g);
	}
}

/* Rows at the final step decide, not rows over every step: a run
 * with one more checkpoint is evaluated on the same rows; one with
 * fewer rows at its last is not. */
static void test_rows_at_the_final_step(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct strbuf t = STRBUF_INIT;
	strbuf_addstr(&t, "step,y_true,y_pred,sex\n");
	predictions_of(&t, 1, "F", 200, 0);
	predictions_of(&t, 1, "M", 200, 0);
	arrive_predictions(s, "fair", "2026-01-01T00:00:00Z", t.buf);
	put_in_production(s, "fair");
	strbuf_reset(&t);
	strbuf_addstr(&t, "step,y_true,y_pred,sex\n");
	predictions_of(&t, 1, "F", 100, 1);
	predictions_of(&t, 1, "M", 100, 1);
	predictions_of(&t, 2, "F", 200, 1);
	predictions_of(&t, 2, "M", 200, 1);
	arrive_predictions(s, "steps", "2026-01-02T00:00:00Z", t.buf);
	strbuf_reset(&t);
	strbuf_addstr(&t, "step,y_true,y_pred,sex\n");
	predictions_of(&t, 1, "F", 200, 1);
	predictions_of(&t, 1, "M", 180, 1);
	arrive_predictions(s, "fewer", "2026-01-03T00:00:00Z", t.buf);
	strbuf_release(&t);
	runs_and_incident_agree(s, "steps", 0, 0, 0);
	runs_and_incident_agree(s, "fewer", 1, 0, 0);
	store_free(s);
}

/* An F-beta weighing recall by another beta_factor: the incident says
 * the F-beta claim is not comparable, and the Runs view marks F-BETA
 * alone (the evaluations themselves are alike). */
static void test_fbeta_of_another_beta(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct strbuf t = STRBUF_INIT;
	struct policy p;
	struct snapshot snap;
	struct incident in;
	struct fail f;
	strbuf_addstr(&t, "step,y_true,y_pred,sex\n");
	predictions_of(&t, 1, "F", 200, 0);
	predictions_of(&t, 1, "M", 200, 0);
	arrive_beta(s, "fair", "2026-01-01T00:00:00Z", "1", t.buf);
	put_in_production(s, "fair");
	strbuf_reset(&t);
	strbuf_addstr(&t, "step,y_true,y_pred,sex\n");
	predictions_of(&t, 1, "F", 200, 1);
	predictions_of(&t, 1, "M", 200, 1);
	arrive_beta(s, "beta2", "2026-01-02T00:00:00Z", "2", t.buf);
	strbuf_release(&t);
	put_in_production(s, "beta2");
	policy_defaults(&p);
	fail_init(&f);
	memset(&snap, 0, sizeof snap);
	if (snapshot_refresh(s, &p, &snap, &f) != 0 ||
	    snapshot_need(s, &p, &snap, SNAP_RUNS, &f) != 0)
		fail_msg("snapshot: %s", f.msg);
	assert_string_equal(snap.last_fair, "fair");
	const struct snap_run *r = fixture_run_of(&snap, "beta2");
	assert_int_equal(r->unlike_last_fair, 0);
	assert_int_equal(r->beta_unlike_last_fair, 1);
	assert_int_equal(snap.unlike_last_fair, 1);
	assert_int_equal(incident_make(s, &p, &in, &f), 0);
	assert_null(in.not_comparable);
	int fbeta_claims = 0;
	for (size_t i = 0; i < in.nclaim; i++) {
		if (strcmp(in.claim[i].name, "F-beta") != 0)
			continue;
		fbeta_claims++;
		assert_non_null(in.claim[i].why);
		assert_non_null(strstr(in.claim[i].why, "beta_factor 1 -> 2"));
	}
	assert_int_equal(fbeta_claims, 1);
	incident_release(&in);
	snapshot_release(&snap);
	store_free(s);
}

/* runload_group_named() says what runload_group_name_add() writes,
 * byte for byte, and nothing else. */
static void test_group_named_as_written(void **state)
{
	(void)state;
	char sex[] = "sex", feature[] = "feature", f[] = "F";
	char both[] = "sex=F & age", intersection[] = "intersection";
	char old[] = "sex=F & age=old", none[] = "", overall[] = "overall";
	struct stored_group g[3];
	struct loaded_run lr;
	memset(g, 0, sizeof g);
	memset(&lr, 0, sizeof lr);
	g[0].feature = sex, g[0].kind = feature, g[0].label = f;
	g[1].feature = both, g[1].kind = intersection, g[1].label = old;
	g[2].feature = none, g[2].kind = overall, g[2].label = none;
	lr.groups = g;
	lr.ngroups = 3;
	static const char *const names[] = {
		"sex=F", "sex=", "sex=FF", "se=F", "sex", "=F", "sex=F & age=old",
		"sex=F & age=ol", "", "F",
	};
	for (size_t i = 0; i < 3; i++)
		for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
			struct strbuf sb = STRBUF_INIT;
			assert_int_equal(runload_group_name_add(&lr, i, &sb), 0);
			assert_int_equal(runload_group_named(&lr, i, names[k]),
					 strcmp(sb.buf, names[k]) == 0);
			strbuf_release(&sb);
		}
	assert_true(runload_group_named(&lr, 0, "sex=F"));
	assert_true(runload_group_named(&lr, 1, "sex=F & age=old"));
	assert_false(runload_group_named(&lr, 3, "sex=F"));
}

/* kept: 1 judged on arrival, 0 not, 2 judged by an older fairtop */
static void other_groups(int kept)
{
	struct store *s = fixture_open_store();
	arrive(s, "fair", "2026-01-01T00:00:00Z", FAIR_COUNTS("F", "M"), kept);
	put_in_production(s, "fair");
	/* the same groups listed the other way round: alike */
	arrive(s, "same", "2026-01-02T00:00:00Z", UNFAIR_COUNTS("M", "F"),
	       kept);
	/* M gone, X new, as many groups */
	arrive(s, "other", "2026-01-03T00:00:00Z", UNFAIR_COUNTS("F", "X"),
	       kept);
	/* one group more */
	arrive(s, "more", "2026-01-04T00:00:00Z",
	       UNFAIR_COUNTS("F", "M") "1,sex=X,900,100,800,100\n", kept);
	if (kept == 2) {
		/* kept by a fairtop from before schema 12, still running
		 * while another migrated the store: the new columns empty */
		char *err = NULL;
		assert_int_equal(sqlite3_exec(s->db, "UPDATE run_summaries SET"
					      " groups_digest = NULL,"
					      " final_rows = NULL",
					      NULL, NULL, &err),
				 SQLITE_OK);
	}
	runs_and_incident_agree(s, "same", 0, 0, 0);
	runs_and_incident_agree(s, "other", 1, 1, 1);
	runs_and_incident_agree(s, "more", 1, 0, 1);
	store_free(s);
}

static void test_other_groups_marked_as_the_incident_says(void **state)
{
	(void)state;
	other_groups(1);
}

/* The same for runs whose summaries were not kept (a store from before
 * they were), or kept without what their evaluation is: their groups
 * are read from their rows. */
static void test_other_groups_of_runs_not_kept(void **state)
{
	(void)state;
	other_groups(0);
}

static void test_other_groups_kept_without_them(void **state)
{
	(void)state;
	other_groups(2);
}

/* A kept snapshot's marks follow the last fair model when it comes back
 * with other groups (replaced under its key, its rows still unknown):
 * the replacement moves run_changes, so the runs are all read again
 * (same_last_fair() never sees the groups change without that). */
static void test_marks_follow_the_last_fair_groups(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct snapshot snap;
	struct ingest_result res;
	struct fail f;
	char dir[512];
	policy_defaults(&p);
	memset(&snap, 0, sizeof snap);
	fail_init(&f);
	arrive(s, "fair", "2026-01-01T00:00:00Z", FAIR_COUNTS("F", "M"), 1);
	put_in_production(s, "fair");
	arrive(s, "fm", "2026-01-02T00:00:00Z", UNFAIR_COUNTS("F", "M"), 1);
	arrive(s, "fx", "2026-01-03T00:00:00Z", UNFAIR_COUNTS("F", "X"), 1);
	if (snapshot_refresh(s, &p, &snap, &f) != 0 ||
	    snapshot_need(s, &p, &snap, SNAP_RUNS, &f) != 0)
		fail_msg("snapshot: %s", f.msg);
	assert_int_equal(fixture_run_of(&snap, "fm")->unlike_last_fair, 0);
	assert_int_equal(fixture_run_of(&snap, "fx")->unlike_last_fair, 1);
	/* the last fair model again, over F and X */
	snprintf(dir, sizeof dir, "%s/fair-again", fixture_dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	fixture_write_file(dir, "run.csv",
			   "key,value\nrun,fair\nmodel,m\n"
			   "started_at,2026-01-01T00:00:00Z\nbeta_factor,1\n");
	fixture_write_file(dir, "counts.csv",
			   "step,group,tp,fp,tn,fn\n" FAIR_COUNTS("F", "X"));
	if (store_ingest_run(s, dir, 1, &res, &f) != 0 ||
	    alerteval_run(s, "fair", &p, NULL, NULL, &f) != 0)
		fail_msg("replace: %s", f.msg);
	if (snapshot_refresh(s, &p, &snap, &f) != 0 ||
	    snapshot_need(s, &p, &snap, SNAP_RUNS, &f) != 0)
		fail_msg("snapshot: %s", f.msg);
	assert_string_equal(snap.last_fair, "fair");
	assert_int_equal(fixture_run_of(&snap, "fm")->unlike_last_fair, 1);
	assert_int_equal(fixture_run_of(&snap, "fx")->unlike_last_fair, 0);
	assert_int_equal(snap.unlike_last_fair, 1);
	snapshot_release(&snap);
	store_free(s);
}

/* Migration 12 gives the runs kept before it the digest an ingest
 * gives (its SQL aggregate against core/groupset.c through runload):
 * the column dropped, the store taken back to schema 11 and opened. */
static void test_migration_keeps_the_same_digests(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct strbuf t = STRBUF_INIT;
	arrive(s, "a", "2026-01-01T00:00:00Z", FAIR_COUNTS("F", "M"), 1);
	arrive(s, "b", "2026-01-02T00:00:00Z",
	       "1,sex=F,1,2,3,4\n1,sex=M,1,2,3,4\n2,sex=F,1,2,3,4\n"
	       "2,age=old,1,2,3,4\n", 1);
	strbuf_addstr(&t, "step,y_true,y_pred,sex\n");
	predictions_of(&t, 1, "F", 30, 0);
	predictions_of(&t, 2, "F", 20, 0);
	predictions_of(&t, 2, "M", 15, 0);
	arrive_predictions(s, "c", "2026-01-03T00:00:00Z", t.buf);
	strbuf_release(&t);
	uint64_t before[3], after[3];
	long long rows_before[3], rows_after[3];
	struct fail f;
	fail_init(&f);
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_kept_evaluation(s, i + 1,
						       &rows_before[i],
						       &before[i], &f),
				 1);
	/* b's final step has F and age=old, not M; c's has F and M, 35
	 * rows; counts leave the rows unknown */
	assert_true(before[0] != before[1]);
	assert_true(before[0] == before[2]);
	assert_int_equal(rows_before[0], -1);
	assert_int_equal(rows_before[2], 35);
	char *err = NULL;
	assert_int_equal(sqlite3_exec(s->db, "ALTER TABLE run_summaries DROP"
				      " COLUMN groups_digest;"
				      "ALTER TABLE run_summaries DROP"
				      " COLUMN final_rows;"
				      "PRAGMA user_version = 11;",
				      NULL, NULL, &err),
			 SQLITE_OK);
	store_free(s);
	char path[512];
	snprintf(path, sizeof path, "%s/s.db", fixture_dir);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_kept_evaluation(s, i + 1, &rows_after[i],
						       &after[i], &f),
				 1);
		assert_true(after[i] == before[i]);
		assert_int_equal(rows_after[i], rows_before[i]);
	}
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_listed_with_final_rows),
		IN_TMP(test_listing_stops),
		IN_TMP(test_reads_cost_their_rows),
		IN_TMP(test_other_groups_marked_as_the_incident_says),
		IN_TMP(test_other_groups_of_runs_not_kept),
		IN_TMP(test_other_groups_kept_without_them),
		IN_TMP(test_marks_follow_the_last_fair_groups),
		IN_TMP(test_rows_at_the_final_step),
		IN_TMP(test_fbeta_of_another_beta),
		cmocka_unit_test(test_group_named_as_written),
		IN_TMP(test_migration_keeps_the_same_digests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
