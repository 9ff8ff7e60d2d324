/*
 * test_driftcache.c — storage/driftcache.c, through snapshot_drift():
 * what the Drift view keeps between refreshes is what a full read gives,
 * whatever another connection did in between.
 *
 * A dashboard connection keeps a cache; a second connection to the same
 * file ingests runs (one that started before the others, to land in the
 * middle), replaces the newest run (SQLite gives the new row the same
 * id: only schema 6's run_changes count tells), replaces an older run,
 * and changes counts by hand.  After each, the cached drift (across runs
 * and across the steps of a run) must equal a read without a cache, bit
 * for bit, and show the new numbers; were the cache kept as it was, the
 * replaced runs would show their old counts.  The default feature
 * (widest spread) is checked on numbers worked out by hand.
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
#include "core/groups.h"
#include "storage/driftcache.h"
#include "storage/ingest.h"
#include "service/snapshot.h"
#include "storage/store.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("drift");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* A run folder with counts for sex (F, M) and age (young, old) at
 * steps 1..3: tp of group g at step s is base + 10 s + g, the other
 * counts fixed, so that each group's TPR is known. */
static void make_run(const char *key, const char *started, int base,
		     char *dir, size_t size)
{
	static const char *const groups[] = {"sex=F", "sex=M", "age=young",
					     "age=old"};
	char text[4096];
	snprintf(dir, size, "%s/%s", fixture_dir, key);
	mkdir(dir, 0755);
	snprintf(text, sizeof text,
		 "key,value\nrun,%s\nmodel,m\nstarted_at,%s\n"
		 "beta_factor,1\n", key, started);
	fixture_write_file(dir, "run.csv", text);
	size_t used = (size_t)snprintf(text, sizeof text,
				       "step,group,tp,fp,tn,fn\n");
	for (int s = 1; s <= 3; s++)
		for (int g = 0; g < 4; g++)
			used += (size_t)snprintf(text + used, sizeof text - used,
						 "%d,%s,%d,5,50,20\n", s,
						 groups[g], base + 10 * s + g);
	fixture_write_file(dir, "counts.csv", text);
}

static void ingest(struct store *s, const char *key, const char *started,
		   int base, int replace)
{
	char dir[256];
	struct ingest_result res;
	struct fail f;
	fail_init(&f);
	make_run(key, started, base, dir, sizeof dir);
	if (store_ingest_run(s, dir, replace, &res, &f) != 0)
		fail_msg("ingest %s: %s", key, f.msg);
}

static void same_series(const struct snap_series *a, size_t na,
			const struct snap_series *b, size_t nb, size_t npoints)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(a[i].group, b[i].group);
		for (size_t k = 0; k < npoints; k++) {
			double x = a[i].value[k], y = b[i].value[k];
			if (!(isnan(x) && isnan(y)))
				assert_memory_equal(&x, &y, sizeof x);
		}
	}
}

/* Two drift snapshots are the same, to the bit. */
static void same_drift(const struct snap_drift *a, const struct snap_drift *b)
{
	assert_string_equal(a->feature, b->feature);
	assert_int_equal(a->nfeatures, b->nfeatures);
	for (size_t i = 0; i < a->nfeatures; i++)
		assert_string_equal(a->features[i], b->features[i]);
	assert_int_equal(a->npoints, b->npoints);
	for (size_t i = 0; i < a->npoints; i++)
		assert_string_equal(a->point[i], b->point[i]);
	same_series(a->series, a->nseries, b->series, b->nseries, a->npoints);
	assert_int_equal(a->nsteps, b->nsteps);
	for (size_t i = 0; i < a->nsteps; i++)
		assert_int_equal(a->steps[i], b->steps[i]);
	same_series(a->step_series, a->nstep_series, b->step_series,
		    b->nstep_series, a->nsteps);
}

/* The cached drift of feature for run equals a full read; *out keeps
 * the cached one (release it). */
static void check(struct store *s, struct drift_cache *c, const char *feature,
		  enum drift_metric m, const char *run, struct snap_drift *out)
{
	struct snap_drift fresh;
	struct fail f;
	fail_init(&f);
	if (snapshot_drift(s, c, feature, m, run, out, &f) != 0)
		fail_msg("cached drift: %s", f.msg);
	if (snapshot_drift(s, NULL, feature, m, run, &fresh, &f) != 0)
		fail_msg("drift: %s", f.msg);
	same_drift(out, &fresh);
	snap_drift_release(&fresh);
}

static size_t point_of(const struct snap_drift *d, const char *key)
{
	for (size_t i = 0; i < d->npoints; i++)
		if (strcmp(d->point[i], key) == 0)
			return i;
	fail_msg("no point %s", key);
	return 0;
}

/* TPR of tp against fn = 20, as confusion_rates() computes it. */
static double tpr(double tp)
{
	return tp / (tp + 20);
}

static void test_cache_follows_every_change(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct drift_cache c;
	struct snap_drift d;
	driftcache_init(&c);
	ingest(other, "r1", "2026-01-01T00:00:00Z", 100, 0);
	ingest(other, "r2", "2026-01-03T00:00:00Z", 200, 0);
	ingest(other, "r3", "2026-01-05T00:00:00Z", 300, 0);

	check(dash, &c, "sex", DRIFT_TPR, "r3", &d);
	assert_int_equal(d.nfeatures, 2);
	assert_string_equal(d.features[0], "age");
	assert_string_equal(d.feature, "sex");
	assert_int_equal(d.npoints, 3);
	assert_string_equal(d.series[0].group, "F");
	assert_string_equal(d.series[1].group, "M");
	/* final step 3: tp = base + 30 + g */
	assert_true(d.series[1].value[point_of(&d, "r3")] == tpr(331));
	assert_int_equal(d.nsteps, 3);
	assert_true(d.step_series[0].value[0] == tpr(310));
	snap_drift_release(&d);

	/* a run that started before the others lands in the middle */
	ingest(other, "r0", "2026-01-02T00:00:00Z", 400, 0);
	check(dash, &c, "sex", DRIFT_TPR, "r3", &d);
	assert_int_equal(d.npoints, 4);
	assert_int_equal(point_of(&d, "r0"), 1);
	snap_drift_release(&d);

	/* the newest run (r0) replaced: its id comes back, new counts */
	ingest(other, "r0", "2026-01-02T00:00:00Z", 500, 1);
	check(dash, &c, "sex", DRIFT_TPR, "r0", &d);
	assert_true(d.series[0].value[point_of(&d, "r0")] == tpr(530));
	assert_true(d.step_series[0].value[0] == tpr(510));
	snap_drift_release(&d);

	/* an older run replaced, and a count changed by hand */
	ingest(other, "r1", "2026-01-01T00:00:00Z", 600, 1);
	char *err = NULL;
	assert_int_equal(sqlite3_exec(other->db,
				      "UPDATE confusion SET tp = 1000 WHERE"
				      " run_id = (SELECT id FROM runs WHERE"
				      " run_key = 'r2') AND step = 3 AND"
				      " group_id = (SELECT g.id FROM groups g"
				      " JOIN features f ON f.id = g.feature_id"
				      " JOIN runs r ON r.id = f.run_id WHERE"
				      " r.run_key = 'r2' AND g.label = 'F')",
				      NULL, NULL, &err),
			 SQLITE_OK);
	sqlite3_free(err);
	check(dash, &c, "sex", DRIFT_TPR, "r0", &d);
	assert_true(d.series[0].value[point_of(&d, "r1")] == tpr(630));
	assert_true(d.series[0].value[point_of(&d, "r2")] == tpr(1000));
	snap_drift_release(&d);

	/* other features and metrics from the same cache */
	check(dash, &c, "age", DRIFT_SELECTION, "r2", &d);
	snap_drift_release(&d);
	check(dash, &c, "nosuch", DRIFT_FPR, "nosuch", &d);
	assert_string_equal(d.feature, "age");
	assert_int_equal(d.nsteps, 0);
	snap_drift_release(&d);

	driftcache_release(&c);
	store_free(other);
	store_free(dash);
}

static void test_a_run_selected_before_it_is_ingested(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct drift_cache c;
	struct snap_drift d;
	driftcache_init(&c);
	ingest(other, "r1", "2026-01-01T00:00:00Z", 100, 0);
	check(dash, &c, "sex", DRIFT_TPR, "r2", &d);
	assert_int_equal(d.nsteps, 0);
	snap_drift_release(&d);
	ingest(other, "r2", "2026-01-02T00:00:00Z", 200, 0);
	check(dash, &c, "sex", DRIFT_TPR, "r2", &d);
	assert_int_equal(d.nsteps, 3);
	snap_drift_release(&d);
	driftcache_release(&c);
	store_free(other);
	store_free(dash);
}

static void test_no_features(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct drift_cache c;
	struct snap_drift d;
	char pick[64] = "x";
	struct fail f;
	driftcache_init(&c);
	fail_init(&f);
	check(s, &c, NULL, DRIFT_TPR, NULL, &d);
	assert_int_equal(d.nfeatures, 0);
	assert_string_equal(d.feature, "");
	snap_drift_release(&d);
	assert_int_equal(snapshot_drift_pick(s, &c, DRIFT_TPR, pick,
					     sizeof pick, &f), 0);
	assert_string_equal(pick, "");
	driftcache_release(&c);
	store_free(s);
}

static void test_pick_widest_spread(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct drift_cache c;
	char pick[64];
	struct fail f;
	driftcache_init(&c);
	fail_init(&f);
	/* TPR at the final step: tp 130 (F), 131 (M), 132 (young), 133
	 * (old) in r1 and 930..933 in r2, fn 20: sex spreads over
	 * tpr(931) - tpr(130) = 0.1123, age over tpr(933) - tpr(132) =
	 * 0.1106: sex, though age comes first by name */
	ingest(s, "r1", "2026-01-01T00:00:00Z", 100, 0);
	ingest(s, "r2", "2026-01-02T00:00:00Z", 900, 0);
	assert_true(tpr(931) - tpr(130) > tpr(933) - tpr(132));
	const char *want = "sex";
	assert_int_equal(snapshot_drift_pick(s, &c, DRIFT_TPR, pick,
					     sizeof pick, &f), 0);
	assert_string_equal(pick, want);
	/* without a cache: the same */
	assert_int_equal(snapshot_drift_pick(s, NULL, DRIFT_TPR, pick,
					     sizeof pick, &f), 0);
	assert_string_equal(pick, want);
	/* FPR is the same in every group (5 / 55): a tie, the first by
	 * name */
	assert_int_equal(snapshot_drift_pick(s, &c, DRIFT_FPR, pick,
					     sizeof pick, &f), 0);
	assert_string_equal(pick, "age");
	driftcache_release(&c);
	store_free(s);
}

static long long count_of(struct store *s)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count FROM"
					    " run_changes", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_run_changes_counts_deletions_not_ingests(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	assert_int_equal(count_of(s), 0);
	ingest(s, "r1", "2026-01-01T00:00:00Z", 100, 0);
	ingest(s, "r2", "2026-01-02T00:00:00Z", 100, 0);
	assert_int_equal(count_of(s), 0);
	ingest(s, "r1", "2026-01-01T00:00:00Z", 200, 1);
	assert_int_equal(count_of(s), 1);
	assert_int_equal(sqlite3_exec(s->db, "UPDATE features SET position ="
				      " position", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_true(count_of(s) > 1);
	store_free(s);
}

static int has_point(const struct snap_drift *d, const char *key)
{
	for (size_t i = 0; i < d->npoints; i++)
		if (strcmp(d->point[i], key) == 0)
			return 1;
	return 0;
}

/* Across runs: the newest DRIFT_RUNS runs by start, whatever the order
 * they were ingested in, the same cached or not; a run ingested later
 * pushes the oldest out when newer, and does not enter when older; the
 * widest spread is picked among them alone. */
static void test_newest_runs_only(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct drift_cache c;
	struct snap_drift d;
	char key[32], started[32];
	driftcache_init(&c);
	/* run i starts on day i after 2026-01-01 (minutes apart); the
	 * two oldest are ingested last, r000 with rates far above all */
	for (int i = 2; i < DRIFT_RUNS + 2; i++) {
		snprintf(key, sizeof key, "r%03d", i);
		snprintf(started, sizeof started, "2026-02-%02dT%02d:%02d:00Z",
			 1 + i / (24 * 60), i / 60 % 24, i % 60);
		ingest(other, key, started, 100 + i % 7, 0);
		if (i == 11) {
			/* fewer than DRIFT_RUNS: every run, said so */
			check(dash, &c, "sex", DRIFT_TPR, NULL, &d);
			assert_int_equal(d.npoints, 10);
			assert_false(d.newest_only);
			snap_drift_release(&d);
		}
	}
	ingest(other, "r000", "2026-01-01T00:00:00Z", 900, 0);
	ingest(other, "r001", "2026-01-01T00:01:00Z", 100, 0);
	check(dash, &c, "sex", DRIFT_TPR, NULL, &d);
	assert_int_equal(d.npoints, DRIFT_RUNS);
	assert_true(d.newest_only);
	assert_false(has_point(&d, "r000"));
	assert_false(has_point(&d, "r001"));
	assert_string_equal(d.point[0], "r002");
	snprintf(key, sizeof key, "r%03d", DRIFT_RUNS + 1);
	assert_string_equal(d.point[d.npoints - 1], key);
	snap_drift_release(&d);
	/* r000's rates are not among those charted (nor in the spread
	 * snapshot_drift_pick() weighs: the same runs) */
	struct snap_drift age;
	check(dash, &c, "age", DRIFT_TPR, NULL, &age);
	for (size_t k = 0; k < age.nseries; k++)
		for (size_t i = 0; i < age.npoints; i++)
			assert_true(age.series[k].value[i] < tpr(300));
	snap_drift_release(&age);

	/* a newer run: the oldest held goes out, cached as read */
	ingest(other, "r999", "2026-03-01T00:00:00Z", 100, 0);
	check(dash, &c, "sex", DRIFT_TPR, NULL, &d);
	assert_int_equal(d.npoints, DRIFT_RUNS);
	assert_false(has_point(&d, "r002"));
	assert_string_equal(d.point[0], "r003");
	assert_string_equal(d.point[d.npoints - 1], "r999");
	snap_drift_release(&d);
	/* an older one: nothing moves */
	ingest(other, "r998", "2025-12-01T00:00:00Z", 100, 0);
	check(dash, &c, "sex", DRIFT_TPR, NULL, &d);
	assert_false(has_point(&d, "r998"));
	assert_string_equal(d.point[0], "r003");
	snap_drift_release(&d);
	/* newer runs without an evaluation have nothing to chart: they
	 * take no place among the 240, cached or read whole */
	for (int i = 0; i < 3; i++) {
		char dir[256], text[256];
		struct ingest_result res;
		struct fail f;
		snprintf(key, sizeof key, "bare%d", i);
		snprintf(dir, sizeof dir, "%s/%s", fixture_dir, key);
		mkdir(dir, 0755);
		snprintf(text, sizeof text, "key,value\nrun,%s\nmodel,m\n"
			 "started_at,2026-04-0%dT00:00:00Z\n", key, i + 1);
		fixture_write_file(dir, "run.csv", text);
		fail_init(&f);
		if (store_ingest_run(other, dir, 0, &res, &f) != 0)
			fail_msg("ingest %s: %s", key, f.msg);
	}
	check(dash, &c, "sex", DRIFT_TPR, NULL, &d);
	assert_int_equal(d.npoints, DRIFT_RUNS);
	assert_string_equal(d.point[0], "r003");
	snap_drift_release(&d);
	driftcache_release(&c);
	store_free(other);
	store_free(dash);
}

/* A feature that only runs pushed out of the newest DRIFT_RUNS had is
 * no longer offered, cached as read whole. */
static void test_feature_of_runs_pushed_out(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct drift_cache c;
	struct snap_drift d;
	char dir[256], key[32], started[32];
	struct ingest_result res;
	struct fail f;
	driftcache_init(&c);
	fail_init(&f);
	snprintf(dir, sizeof dir, "%s/zoned", fixture_dir);
	mkdir(dir, 0755);
	fixture_write_file(dir, "run.csv", "key,value\nrun,zoned\nmodel,m\n"
			   "started_at,2026-01-01T00:00:00Z\n");
	fixture_write_file(dir, "counts.csv", "step,group,tp,fp,tn,fn\n"
			   "1,zone=n,40,10,40,10\n1,zone=s,30,10,50,10\n");
	if (store_ingest_run(other, dir, 0, &res, &f) != 0)
		fail_msg("ingest zoned: %s", f.msg);
	check(dash, &c, "zone", DRIFT_TPR, NULL, &d);
	assert_int_equal(d.nfeatures, 1);
	snap_drift_release(&d);
	for (int i = 0; i < DRIFT_RUNS; i++) {
		snprintf(key, sizeof key, "r%03d", i);
		snprintf(started, sizeof started, "2026-02-%02dT%02d:%02d:00Z",
			 1 + i / (24 * 60), i / 60 % 24, i % 60);
		ingest(other, key, started, 100, 0);
	}
	check(dash, &c, NULL, DRIFT_TPR, NULL, &d);
	assert_int_equal(d.nfeatures, 2);
	assert_string_equal(d.features[0], "age");
	assert_string_equal(d.features[1], "sex");
	snap_drift_release(&d);
	driftcache_release(&c);
	store_free(other);
	store_free(dash);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

/* A feature name of FEATURE_NAME_MAX bytes, as long as ingest takes:
 * the steps of a run are read under the whole name (a copy cut to a
 * 256-byte buffer found none), and every group label of up to
 * GROUP_VALUE_MAX bytes comes back whole from the cache's names and in
 * the snapshot's series (cut to 255 bytes before). */
static void test_longest_names(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct drift_cache c;
	const struct drift_steps *t;
	struct fail f;
	char feature[FEATURE_NAME_MAX + 1], value[GROUP_VALUE_MAX + 1];
	char dir[256];
	memset(feature, 'f', FEATURE_NAME_MAX);
	feature[FEATURE_NAME_MAX] = '\0';
	memset(value, 'v', GROUP_VALUE_MAX);
	value[GROUP_VALUE_MAX] = '\0';
	snprintf(dir, sizeof dir, "%s/long", fixture_dir);
	mkdir(dir, 0755);
	fixture_write_file(dir, "run.csv",
			   "key,value\nrun,long\nmodel,m\n"
			   "started_at,2026-01-01T00:00:00Z\nbeta_factor,1\n");
	size_t size = 8 * (FEATURE_NAME_MAX + GROUP_VALUE_MAX + 64);
	char *text = malloc(size);
	assert_non_null(text);
	size_t used = (size_t)snprintf(text, size, "step,group,tp,fp,tn,fn\n");
	for (int step = 1; step <= 2; step++) {
		used += (size_t)snprintf(text + used, size - used,
					 "%d,%s=%s,%d,5,50,20\n", step,
					 feature, value, 10 * step);
		used += (size_t)snprintf(text + used, size - used,
					 "%d,%s=short,%d,5,50,20\n", step,
					 feature, 10 * step + 1);
	}
	fixture_write_file(dir, "counts.csv", text);
	free(text);
	struct ingest_result res;
	fail_init(&f);
	if (store_ingest_run(s, dir, 0, &res, &f) != 0)
		fail_msg("ingest: %s", f.msg);

	driftcache_init(&c);
	assert_int_equal(driftcache_update(&c, s, &f), 0);
	long k = driftcache_find_feature(&c, feature);
	assert_true(k >= 0);
	assert_string_equal(driftcache_name(&c, c.feature[k]), feature);
	assert_int_equal(driftcache_steps(&c, s, feature, "long", &t, &f), 0);
	assert_int_equal(t->ng, 2);
	assert_int_equal(t->nsteps, 2);
	/* groups by value text */
	assert_string_equal(driftcache_name(&c, t->label[0]), "short");
	assert_string_equal(driftcache_name(&c, t->label[1]), value);
	/* kept: asked again, the same */
	const struct drift_steps *again;
	assert_int_equal(driftcache_steps(&c, s, feature, "long", &again, &f),
			 0);
	assert_ptr_equal(again, t);
	assert_int_equal(again->nsteps, 2);
	/* and through the snapshot, whose own copy of the name is cut */
	struct snap_drift d;
	check(s, &c, feature, DRIFT_TPR, "long", &d);
	assert_string_equal(d.feature, feature);
	assert_int_equal(d.nseries, 2);
	assert_string_equal(d.series[1].group, value);
	assert_int_equal(d.nsteps, 2);
	assert_int_equal(d.nstep_series, 2);
	assert_string_equal(d.step_series[1].group, value);
	snap_drift_release(&d);
	/* the name cut by one byte is another feature: none */
	feature[FEATURE_NAME_MAX - 1] = '\0';
	assert_int_equal(driftcache_steps(&c, s, feature, "long", &t, &f), 0);
	assert_int_equal(t->ng, 0);
	driftcache_release(&c);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_cache_follows_every_change),
		IN_TMP(test_a_run_selected_before_it_is_ingested),
		IN_TMP(test_no_features),
		IN_TMP(test_pick_widest_spread),
		IN_TMP(test_run_changes_counts_deletions_not_ingests),
		IN_TMP(test_longest_names),
		IN_TMP(test_newest_runs_only),
		IN_TMP(test_feature_of_runs_pushed_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
