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

#include "tests/unit/fixture.h"
#include "service/alerteval.h"
#include "service/runload.h"
#include "storage/driftcache.h"
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

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_listed_with_final_rows),
		IN_TMP(test_listing_stops),
		IN_TMP(test_reads_cost_their_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
