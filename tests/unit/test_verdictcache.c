/*
 * test_verdictcache.c — service/verdictcache.c, through snapshot_need():
 * the verdicts the Runs list keeps between refreshes are what judging
 * every run again gives, whatever another connection did in between.
 *
 * A dashboard connection keeps one snapshot (and so its cache) across
 * refreshes; a second connection to the same file ingests runs, deploys
 * one, deploys another (the baseline changes), rolls back, replaces the
 * newest run (SQLite gives the new row the same id: only schema 6's
 * run_changes count tells), replaces the deployed run, and changes a
 * count by hand.  After each, every field of every run in the kept
 * snapshot must equal a snapshot read from nothing, bit for bit.  The
 * runs' true-positive rates are far apart, so that a verdict against one
 * baseline is not the verdict against another: were the baseline left
 * out of the key, the runs would keep the verdict against the run
 * deployed before; were run_changes not checked, a replaced run would
 * keep its old numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/fixture.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"
#include "service/snapshot.h"
#include "storage/store.h"
#include "storage/summary_store.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("verdict");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* A run with groups sex=F and sex=M at steps 1 and 2: at the final step
 * each group has 170 rows, 100 of them positive, F tp of them found and
 * M always 95, so that F's TPR (tp / 100) says which baselines it falls
 * against: F's gap to M widens by the fall.  The tests relax the
 * absolute rules (lax_policy), so that the runs pass on their own and
 * only the fall against a baseline decides. */
static void ingest(struct store *s, const char *key, const char *started,
		   int tp, int replace)
{
	char dir[256], text[1024];
	struct ingest_result res;
	struct fail f;
	snprintf(dir, sizeof dir, "%s/%s-%d", fixture_dir, key, tp);
	mkdir(dir, 0755);
	snprintf(text, sizeof text,
		 "key,value\nrun,%s\nmodel,m\nstarted_at,%s\n"
		 "beta_factor,1\n", key, started);
	fixture_write_file(dir, "run.csv", text);
	snprintf(text, sizeof text,
		 "step,group,tp,fp,tn,fn\n"
		 "1,sex=F,50,10,50,50\n1,sex=M,50,10,50,50\n"
		 "2,sex=F,%d,10,60,%d\n2,sex=M,95,10,60,5\n", tp, 100 - tp);
	fixture_write_file(dir, "counts.csv", text);
	fail_init(&f);
	if (store_ingest_run(s, dir, replace, &res, &f) != 0)
		fail_msg("ingest %s: %s", key, f.msg);
}

static void deploy(struct store *s, const char *run, const char *kind)
{
	fixture_deploy(s, run, kind);
}

static int64_t id_of(struct store *s, const char *run)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT id FROM runs"
					    " WHERE run_key = ?1", -1, &st,
					    NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* The defaults with parity and odds out of the way. */
static void lax_policy(struct policy *p)
{
	policy_defaults(p);
	p->value[POLICY_MAX_DP_DIFFERENCE].number = 1;
	p->value[POLICY_MIN_DP_RATIO].number = 0;
	p->value[POLICY_MAX_EO_DIFFERENCE].number = 1;
}

static void same_verdict(const struct snap_verdict *a,
			 const struct snap_verdict *b)
{
	assert_int_equal(a->mark, b->mark);
	assert_string_equal(a->rule, b->rule);
	assert_string_equal(a->against, b->against);
}

static void read_runs(struct store *s, const struct policy *p,
		      struct snapshot *snap)
{
	struct fail f;
	fail_init(&f);
	if (snapshot_refresh(s, p, snap, &f) != 0 ||
	    snapshot_need(s, p, snap, SNAP_RUNS, &f) != 0)
		fail_msg("runs: %s", f.msg);
}

static void same_double(double x, double y)
{
	if (!(isnan(x) && isnan(y)))
		assert_memory_equal(&x, &y, sizeof x);
}

/* The kept snapshot's runs after a refresh equal a snapshot read from
 * nothing, to the bit. */
static void check(struct store *s, const struct policy *p,
		  struct snapshot *kept)
{
	struct snapshot fresh;
	memset(&fresh, 0, sizeof fresh);
	read_runs(s, p, kept);
	/* from nothing: no verdict kept in the store either, every run
	 * judged from its rows */
	assert_int_equal(sqlite3_exec(s->db, "DELETE FROM verdicts", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	read_runs(s, p, &fresh);
	assert_string_equal(kept->deployed, fresh.deployed);
	assert_int_equal(kept->nruns, fresh.nruns);
	for (size_t i = 0; i < fresh.nruns; i++) {
		const struct snap_run *a = &kept->runs[i], *b = &fresh.runs[i];
		assert_string_equal(a->key, b->key);
		same_double(a->accuracy, b->accuracy);
		same_double(a->f_beta, b->f_beta);
		same_double(a->throughput, b->throughput);
		same_double(a->dp, b->dp);
		same_double(a->eo, b->eo);
		same_double(a->worst_tpr, b->worst_tpr);
		assert_string_equal(a->worst_group, b->worst_group);
		same_verdict(&a->fair, &b->fair);
		same_verdict(&a->vs_prod, &b->vs_prod);
		assert_int_equal(a->is_deployed, b->is_deployed);
		assert_int_equal(a->is_last_fair, b->is_last_fair);
		assert_int_equal(a->unlike_last_fair, b->unlike_last_fair);
		assert_int_equal(a->beta_unlike_last_fair,
				 b->beta_unlike_last_fair);
		assert_int_equal(a->open_alerts, b->open_alerts);
		assert_int_equal(a->critical_alerts, b->critical_alerts);
		assert_int_equal(a->rows_evaluated, b->rows_evaluated);
		assert_string_equal(a->started, b->started);
		assert_string_equal(a->model, b->model);
		assert_string_equal(a->version, b->version);
	}
	size_t unlike = 0;
	for (size_t i = 0; i < fresh.nruns; i++)
		unlike += (size_t)(fresh.runs[i].unlike_last_fair ||
				   fresh.runs[i].beta_unlike_last_fair);
	assert_int_equal(kept->unlike_last_fair, unlike);
	assert_int_equal(fresh.unlike_last_fair, unlike);
	snapshot_release(&fresh);
}

static const struct snap_run *run_of(const struct snapshot *snap,
				     const char *key)
{
	return fixture_run_of(snap, key);
}

static void test_kept_verdicts_follow_every_change(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct snapshot snap;
	struct policy p;
	memset(&snap, 0, sizeof snap);
	lax_policy(&p);
	ingest(other, "r1", "2026-01-01T00:00:00Z", 60, 0);
	ingest(other, "r2", "2026-01-02T00:00:00Z", 80, 0);
	ingest(other, "r3", "2026-01-03T00:00:00Z", 40, 0);
	check(dash, &p, &snap);
	/* nothing deployed: against production means on its own */
	assert_int_equal(run_of(&snap, "r1")->vs_prod.mark, MARK_PASS);
	assert_string_equal(run_of(&snap, "r1")->vs_prod.against, "");

	deploy(other, "r2", "deploy");
	check(dash, &p, &snap);
	/* r3 falls against r2 */
	assert_int_equal(run_of(&snap, "r3")->vs_prod.mark, MARK_FAIL);
	assert_string_equal(run_of(&snap, "r3")->vs_prod.against, "r2");
	assert_true(snap.verdicts.n > 0);
	/* nothing changed: the same again, from the cache */
	size_t kept = snap.verdicts.n;
	check(dash, &p, &snap);
	assert_int_equal(snap.verdicts.n, kept);

	ingest(other, "r4", "2026-01-04T00:00:00Z", 78, 0);
	check(dash, &p, &snap);

	/* another run deployed: every verdict is against r3 now, which
	 * every run passes; the deployed run on its own */
	deploy(other, "r3", "deploy");
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r1")->vs_prod.mark, MARK_PASS);
	assert_string_equal(run_of(&snap, "r1")->vs_prod.against, "r3");
	assert_string_equal(run_of(&snap, "r3")->vs_prod.against, "");

	deploy(other, "r2", "rollback");
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r3")->vs_prod.mark, MARK_FAIL);
	assert_string_equal(run_of(&snap, "r1")->vs_prod.against, "r2");

	/* the newest run replaced: the same id, a TPR that falls now */
	int64_t r4 = id_of(other, "r4");
	assert_int_equal(run_of(&snap, "r4")->vs_prod.mark, MARK_PASS);
	ingest(other, "r4", "2026-01-04T00:00:00Z", 30, 1);
	assert_int_equal(id_of(other, "r4"), r4);
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r4")->vs_prod.mark, MARK_FAIL);

	/* the deployed run, the newest, replaced under the same id: every
	 * verdict against it changes */
	deploy(other, "r4", "deploy");
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r1")->vs_prod.mark, MARK_PASS);
	ingest(other, "r4", "2026-01-04T00:00:00Z", 90, 1);
	assert_int_equal(id_of(other, "r4"), r4);
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r1")->vs_prod.mark, MARK_FAIL);

	/* a count changed by hand */
	assert_int_equal(sqlite3_exec(other->db,
				      "UPDATE confusion SET tp = 5 WHERE"
				      " run_id = (SELECT id FROM runs WHERE"
				      " run_key = 'r2') AND step = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	check(dash, &p, &snap);
	snapshot_release(&snap);
	store_free(other);
	store_free(dash);
}

/* A kept summary's numbers depend on the run alone: they are used
 * whatever is deployed, while the verdicts are judged (and cached) for
 * the production of the moment; all as a fresh read gives them. */
static void test_kept_summaries_and_cache_together(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct snapshot snap;
	struct policy p;
	struct run_headline h;
	struct fail f;
	memset(&snap, 0, sizeof snap);
	memset(&h, 0, sizeof h);
	policy_defaults(&p);
	fail_init(&f);
	ingest(other, "r1", "2026-01-01T00:00:00Z", 60, 0);
	ingest(other, "r2", "2026-01-02T00:00:00Z", 80, 0);
	deploy(other, "r1", "deploy");
	/* a summary as ingest would have kept it, against r1 */
	h.accuracy = 0.25;
	h.dp = h.eo = h.worst_tpr = h.f_beta = h.throughput = RATE_UNDEFINED;
	snprintf(h.baseline, sizeof h.baseline, "r1");
	h.gate_passed = 1;
	assert_int_equal(store_save_headline(other, id_of(other, "r2"), &h,
					     &f), 0);
	check(dash, &p, &snap);
	assert_true(run_of(&snap, "r2")->accuracy == 0.25);
	deploy(other, "r2", "deploy");
	check(dash, &p, &snap);
	assert_true(run_of(&snap, "r2")->accuracy == 0.25);
	assert_string_equal(run_of(&snap, "r1")->vs_prod.against, "r2");
	deploy(other, "r1", "rollback");
	check(dash, &p, &snap);
	assert_true(run_of(&snap, "r2")->accuracy == 0.25);
	snapshot_release(&snap);
	store_free(other);
	store_free(dash);
}

/* One alert of severity sev for run (replacing its others). */
static void alert(struct store *s, const char *run, enum alert_severity sev)
{
	struct alert_new a;
	struct fail f;
	memset(&a, 0, sizeof a);
	a.severity = sev;
	snprintf(a.rule, sizeof a.rule, "tpr_drop");
	a.subject = "sex/sex=F";
	a.message = "TPR fell";
	a.baseline = a.candidate = a.threshold = RATE_UNDEFINED;
	fail_init(&f);
	if (store_alerts_sync(s, run, NULL, "2026-01-01T00:00:00Z", &a, 1,
			      &f) != 0)
		fail_msg("alert: %s", f.msg);
}

/* While nothing but runs added and alerts moved, a refresh reads only
 * the runs added (the array held stays when none was), merged in their
 * place by date, then key, whatever the order they came in; every run
 * as a read from nothing gives it. */
static void test_runs_added_read_alone(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct snapshot snap;
	struct policy p;
	memset(&snap, 0, sizeof snap);
	lax_policy(&p);
	ingest(other, "r1", "2026-01-01T00:00:00Z", 60, 0);
	ingest(other, "r3", "2026-01-03T00:00:00Z", 80, 0);
	check(dash, &p, &snap);
	assert_int_equal(snap.basis.max_id, id_of(other, "r3"));
	/* nothing changed: the very runs held */
	const struct snap_run *held = snap.runs;
	check(dash, &p, &snap);
	assert_ptr_equal(snap.runs, held);

	/* between the two, and beside one of the same start */
	ingest(other, "r2", "2026-01-02T00:00:00Z", 70, 0);
	check(dash, &p, &snap);
	ingest(other, "r2b", "2026-01-02T00:00:00Z", 75, 0);
	ingest(other, "r0", "2025-12-31T00:00:00Z", 65, 0);
	check(dash, &p, &snap);
	assert_int_equal(snap.nruns, 5);
	assert_string_equal(snap.runs[0].key, "r3");
	assert_string_equal(snap.runs[1].key, "r2b");
	assert_string_equal(snap.runs[2].key, "r2");
	assert_string_equal(snap.runs[4].key, "r0");
	assert_int_equal(snap.basis.max_id, id_of(other, "r0"));

	/* alerts raised and moved on runs held */
	alert(other, "r1", ALERT_CRITICAL);
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r1")->critical_alerts, 1);
	alert(other, "r1", ALERT_WARNING);
	alert(other, "r2", ALERT_WARNING);
	held = snap.runs;
	check(dash, &p, &snap);
	assert_ptr_equal(snap.runs, held);
	assert_int_equal(run_of(&snap, "r1")->critical_alerts, 0);
	assert_int_equal(run_of(&snap, "r1")->open_alerts, 1);

	/* production set: every run read again, then added ones alone */
	deploy(other, "r2", "deploy");
	check(dash, &p, &snap);
	assert_string_equal(run_of(&snap, "r3")->vs_prod.against, "r2");
	ingest(other, "r4", "2026-01-04T00:00:00Z", 30, 0);
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r4")->vs_prod.mark, MARK_FAIL);

	/* another store in its place: read whole again */
	snapshot_store_changed(&snap);
	assert_int_equal(snap.basis.valid, 0);
	assert_int_equal(snap.verdicts.n, 0);
	check(dash, &p, &snap);
	snapshot_release(&snap);
	store_free(other);
	store_free(dash);
}

/* The next page of a paged snapshot; fails the test on an error. */
static void more(struct store *s, const struct policy *p,
		 struct snapshot *snap)
{
	struct fail f;
	fail_init(&f);
	if (snapshot_read_more(s, p, snap, &f) != 0)
		fail_msg("read more: %s", f.msg);
}

/* Pages to the end: how many were read (at most limit). */
static size_t pages_to_end(struct store *s, const struct policy *p,
			   struct snapshot *snap, size_t limit)
{
	size_t n = 0;
	while (snap->reading.more && n < limit) {
		more(s, p, snap);
		n++;
	}
	assert_false(snap->reading.more);
	return n;
}

/* A read a page at a time (the dashboard's) holds, once read to the
 * end, what one read of every run gives, in the same order: across
 * pages that split runs of the same start, runs added between two pages
 * (newer and older than those held), a run replaced mid-way (read again
 * from the newest), and production set mid-way. */
static void test_paged_read_is_the_whole_read(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct snapshot snap;
	struct policy p;
	memset(&snap, 0, sizeof snap);
	snap.page_size = 2;
	lax_policy(&p);
	/* r3, r4 and r5 start together: pages of 2 cut between them */
	ingest(other, "r1", "2026-01-01T00:00:00Z", 60, 0);
	ingest(other, "r2", "2026-01-02T00:00:00Z", 80, 0);
	ingest(other, "r4", "2026-01-03T00:00:00Z", 40, 0);
	ingest(other, "r3", "2026-01-03T00:00:00Z", 70, 0);
	ingest(other, "r5", "2026-01-03T00:00:00Z", 75, 0);
	ingest(other, "r6", "2026-01-06T00:00:00Z", 65, 0);
	ingest(other, "r7", "2026-01-07T00:00:00Z", 90, 0);
	deploy(other, "r2", "deploy");
	read_runs(dash, &p, &snap);
	/* the first frame: the newest page only */
	assert_int_equal(snap.nruns, 2);
	assert_true(snap.reading.more);
	assert_string_equal(snap.runs[0].key, "r7");
	assert_string_equal(snap.runs[1].key, "r6");
	more(dash, &p, &snap);
	assert_int_equal(snap.nruns, 4);
	assert_string_equal(snap.runs[2].key, "r5");
	assert_string_equal(snap.runs[3].key, "r4");
	/* added between pages: one newer than all, one older than all,
	 * one among those still to read; a refresh takes them (ids above
	 * the first page's bound) and the pages never read them again */
	ingest(other, "r8", "2026-01-08T00:00:00Z", 85, 0);
	ingest(other, "r0", "2025-12-31T00:00:00Z", 62, 0);
	ingest(other, "r2b", "2026-01-02T00:00:00Z", 66, 0);
	read_runs(dash, &p, &snap);
	assert_int_equal(snap.nruns, 7);
	assert_string_equal(snap.runs[0].key, "r8");
	assert_true(pages_to_end(dash, &p, &snap, 10) <= 3);
	assert_int_equal(snap.nruns, 10);
	check(dash, &p, &snap);
	assert_string_equal(snap.runs[5].key, "r3");
	assert_string_equal(snap.runs[7].key, "r2");

	/* a run replaced while pages remain: read again from the newest */
	snapshot_release(&snap);
	snap.page_size = 3;
	read_runs(dash, &p, &snap);
	assert_int_equal(snap.nruns, 3);
	ingest(other, "r1", "2026-01-01T00:00:00Z", 30, 1);
	more(dash, &p, &snap);
	assert_false(snap.fresh & SNAP_RUNS);
	assert_false(snap.reading.more);
	assert_int_equal(snap.nruns, 3); /* shown until read again */
	read_runs(dash, &p, &snap);
	assert_int_equal(snap.nruns, 3);
	pages_to_end(dash, &p, &snap, 10);
	check(dash, &p, &snap);
	assert_int_equal(run_of(&snap, "r1")->vs_prod.mark, MARK_FAIL);

	/* production set while pages remain: the same */
	snapshot_release(&snap);
	snap.page_size = 4;
	read_runs(dash, &p, &snap);
	deploy(other, "r7", "deploy");
	more(dash, &p, &snap);
	assert_false(snap.fresh & SNAP_RUNS);
	read_runs(dash, &p, &snap);
	pages_to_end(dash, &p, &snap, 10);
	check(dash, &p, &snap);
	assert_string_equal(run_of(&snap, "r1")->vs_prod.against, "r7");
	snapshot_release(&snap);
	store_free(other);
	store_free(dash);
}

/* The same, at random: pages of a random size read between random
 * ingests (new runs of any start, many sharing one), replacements,
 * deployments and alerts, 300 steps from a fixed seed; whenever the
 * pages reach the end, what is held is what one whole read gives (the
 * check of check()), and no run is held twice. */
static void test_paged_read_at_random(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct snapshot snap;
	struct policy p;
	char key[32], started[32];
	unsigned seed = 12345;
	int nkeys = 0, ends = 0;
	memset(&snap, 0, sizeof snap);
	lax_policy(&p);
	for (int i = 0; i < 12; i++, nkeys++) {
		snprintf(key, sizeof key, "k%03d", nkeys);
		snprintf(started, sizeof started, "2026-01-%02dT00:00:00Z",
			 1 + i % 5);
		ingest(other, key, started, 40 + i * 4, 0);
	}
	snap.page_size = 3;
	read_runs(dash, &p, &snap);
	for (int step = 0; step < 300; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 16) % 100;
		if (r < 50) {
			more(dash, &p, &snap);
		} else if (r < 70) {
			snprintf(key, sizeof key, "k%03d", nkeys++);
			snprintf(started, sizeof started,
				 "2026-01-%02dT00:00:00Z", 1 + (int)(seed % 9));
			ingest(other, key, started, 30 + (int)(seed % 60), 0);
			read_runs(dash, &p, &snap);
		} else if (r < 78) {
			snprintf(key, sizeof key, "k%03d",
				 (int)((seed >> 8) % (unsigned)nkeys));
			ingest(other, key, "2026-01-03T00:00:00Z",
			       30 + (int)(seed % 60), 1);
			read_runs(dash, &p, &snap);
		} else if (r < 84) {
			snprintf(key, sizeof key, "k%03d",
				 (int)((seed >> 8) % (unsigned)nkeys));
			deploy(other, key, "deploy");
			read_runs(dash, &p, &snap);
		} else if (r < 92) {
			snprintf(key, sizeof key, "k%03d",
				 (int)((seed >> 8) % (unsigned)nkeys));
			alert(other, key, seed & 1 ? ALERT_CRITICAL
						   : ALERT_WARNING);
			read_runs(dash, &p, &snap);
		} else {
			/* a refresh with nothing new */
			read_runs(dash, &p, &snap);
		}
		if (!snap.reading.more && (snap.fresh & SNAP_RUNS)) {
			/* read to the end: whole, once each */
			for (size_t i = 1; i < snap.nruns; i++)
				for (size_t k = 0; k < i; k++)
					assert_string_not_equal(
						snap.runs[i].key,
						snap.runs[k].key);
			check(dash, &p, &snap);
			ends++;
			/* and from the newest again, another page size */
			snapshot_release(&snap);
			snap.page_size = 2 + (seed >> 4) % 5;
			read_runs(dash, &p, &snap);
		}
	}
	assert_true(ends > 3);
	snapshot_release(&snap);
	store_free(other);
	store_free(dash);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_kept_verdicts_follow_every_change),
		IN_TMP(test_kept_summaries_and_cache_together),
		IN_TMP(test_runs_added_read_alone),
		IN_TMP(test_paged_read_is_the_whole_read),
		IN_TMP(test_paged_read_at_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
