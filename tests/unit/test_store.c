/*
 * test_store.c — storage/store.c, schema.c, ingest.c and runread.c on
 * real SQLite files in a temporary folder: a new store gets the current
 * schema version, WAL, foreign keys and STRICT tables, and opening it
 * again changes nothing; a newer store, a file that is not a database
 * and a missing store are refused; the audit log is append-only; a run
 * folder goes in and comes back out (run, parameters in order, groups
 * and counts at the final step); a second ingest is refused unless
 * replacing, and replacing leaves no duplicates; a bad metrics.csv
 * leaves nothing of the run in any table.
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
#include "core/confusion.h"
#include "storage/evalread.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"
#include "storage/lineage.h"
#include "storage/runread.h"
#include "storage/schema.h"
#include "storage/store.h"

/* --- the temporary folder ------------------------------------------- */

/* Each test gets a fresh folder, removed after it even when it fails. */
static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("store");
}

/* buf = fixture_dir/rel */
static const char *tmp_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", fixture_dir, rel);
	return buf;
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* --- SQL helpers ----------------------------------------------------- */

static long long sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void sql_text(sqlite3 *db, const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(st, 0);
	snprintf(buf, size, "%s", t ? (const char *)t : "(null)");
	sqlite3_finalize(st);
}

/* Run sql; returns the sqlite3_exec code and the message in err. */
static int sql_exec(sqlite3 *db, const char *sql, char *err, size_t size)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	snprintf(err, size, "%s", msg ? msg : "");
	sqlite3_free(msg);
	return rc;
}

/* The row count of every table of the store. */
#define MAX_TABLES 32
struct snapshot {
	int n;
	char name[MAX_TABLES][64];
	long long rows[MAX_TABLES];
};

static void snapshot_take(struct store *s, struct snapshot *snap)
{
	sqlite3_stmt *st = NULL;
	memset(snap, 0, sizeof *snap);
	static const char tables[] = "SELECT name FROM sqlite_schema"
				     " WHERE type = 'table'"
				     " AND name NOT LIKE 'sqlite_%' ORDER BY name";
	assert_int_equal(sqlite3_prepare_v2(s->db, tables, -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(snap->n < MAX_TABLES);
		snprintf(snap->name[snap->n], sizeof snap->name[0], "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snap->n++;
	}
	sqlite3_finalize(st);
	for (int i = 0; i < snap->n; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"",
			 snap->name[i]);
		snap->rows[i] = sql_int(s->db, sql);
	}
}

static long long snapshot_rows(const struct snapshot *snap, const char *table)
{
	for (int i = 0; i < snap->n; i++)
		if (strcmp(snap->name[i], table) == 0)
			return snap->rows[i];
	fail_msg("no table %s", table);
	return -1;
}

static void snapshot_equal(const struct snapshot *a, const struct snapshot *b)
{
	assert_int_equal(a->n, b->n);
	for (int i = 0; i < a->n; i++) {
		assert_string_equal(a->name[i], b->name[i]);
		if (a->rows[i] != b->rows[i])
			fail_msg("table %s: %lld rows, expected %lld",
				 a->name[i], b->rows[i], a->rows[i]);
	}
}

static struct store *open_new(const char *rel)
{
	char path[256];
	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	tmp_path(path, sizeof path, rel);
	if (store_open(path, STORE_CREATE, &s, &f) != 0)
		fail_msg("store_open: %s", f.msg);
	assert_non_null(s);
	return s;
}

/* --- opening --------------------------------------------------------- */

static void test_open_creates(void **state)
{
	(void)state;
	char path[256], text[64];
	struct store *s = NULL;
	struct fail f;
	struct stat sb;
	tmp_path(path, sizeof path, "new.db");
	assert_int_not_equal(stat(path, &sb), 0);
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_CREATE, &s, &f), 0);
	assert_int_equal(f.kind, FAIL_NONE);
	assert_non_null(s);
	assert_string_equal(s->path, path);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(schema_version() >= 1);
	assert_non_null(schema_migration(schema_version()));
	assert_null(schema_migration(0));
	assert_null(schema_migration(schema_version() + 1));
	assert_int_equal(sql_int(s->db, "PRAGMA user_version"),
			 schema_version());
	sql_text(s->db, "PRAGMA journal_mode", text, sizeof text);
	assert_string_equal(text, "wal");
	assert_int_equal(sql_int(s->db, "PRAGMA foreign_keys"), 1);

	/* every table STRICT, and the ones the design names are there */
	long long tables = sql_int(s->db,
				   "SELECT count(*) FROM pragma_table_list"
				   " WHERE schema = 'main' AND type = 'table'"
				   " AND name NOT LIKE 'sqlite_%'");
	long long strict = sql_int(s->db,
				   "SELECT count(*) FROM pragma_table_list"
				   " WHERE schema = 'main' AND type = 'table'"
				   " AND name NOT LIKE 'sqlite_%'"
				   " AND strict = 1");
	assert_true(tables >= 11);
	assert_int_equal(strict, tables);
	static const char *const names[] = {
		"runs", "run_params", "metrics", "features", "groups",
		"confusion", "score_bins", "deployments", "alerts",
		"gate_decisions", "audit_log"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM pragma_table_list WHERE name ="
			 " '%s' AND strict = 1", names[i]);
		if (sql_int(s->db, sql) != 1)
			fail_msg("table %s missing or not STRICT", names[i]);
	}
	/* STRICT means a wrong type is refused */
	char err[256];
	assert_int_not_equal(sql_exec(s->db,
				      "INSERT INTO deployments (time, run_key,"
				      " kind, actor, reason, hook_status)"
				      " VALUES ('t', 'r', 'deploy', 'a', 'x',"
				      " 'not a number')", err, sizeof err),
			     SQLITE_OK);

	/* something to find again */
	assert_int_equal(sql_exec(s->db,
				  "INSERT INTO deployments (time, run_key,"
				  " kind, actor, reason) VALUES"
				  " ('2026-01-22T10:00:00Z', 'r01', 'deploy',"
				  " 'alice', 'first')", err, sizeof err),
			 SQLITE_OK);
	char schema_before[16384], schema_after[16384];
	sql_text(s->db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM"
		 " sqlite_schema ORDER BY name)", schema_before,
		 sizeof schema_before);
	store_free(s);

	/* opening again: same version, same schema, data kept */
	s = NULL;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), 0);
	assert_int_equal(sql_int(s->db, "PRAGMA user_version"),
			 schema_version());
	sql_text(s->db, "SELECT group_concat(sql, ';') FROM (SELECT sql FROM"
		 " sqlite_schema ORDER BY name)", schema_after,
		 sizeof schema_after);
	assert_string_equal(schema_after, schema_before);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM deployments"), 1);
	assert_int_equal(sql_int(s->db, "PRAGMA foreign_keys"), 1);
	store_free(s);

	/* and with STORE_CREATE too */
	s = NULL;
	assert_int_equal(store_open(path, STORE_CREATE, &s, &f), 0);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM deployments"), 1);
	store_free(s);
	store_free(NULL);
}

/* Schema 9 tells when each deployment was recorded: a store of schema
 * 8 takes its history rows' import time from their audit entries, its
 * own deployments' from their time. */
static void test_migration_recorded_at(void **state)
{
	(void)state;
	char path[256], err[256], text[64];
	sqlite3 *db = NULL;
	tmp_path(path, sizeof path, "schema8.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int k = 1; k <= 8; k++)
		assert_int_equal(sql_exec(db, schema_migration(k), err,
					  sizeof err), SQLITE_OK);
	assert_int_equal(sql_exec(db,
		"PRAGMA user_version = 8;"
		"INSERT INTO deployments (time, run_key, kind, actor, reason,"
		" state, source) VALUES ('2026-01-22T18:45:00Z', 'r05',"
		" 'override', 'kevin', 'why', 'done', 'history'),"
		" ('2026-02-01T10:00:00Z', 'r02', 'rollback', 'lead', 'back',"
		" 'done', 'fairtop');"
		"INSERT INTO audit_log (time, actor, action, run_key, reason,"
		" details, prev_hash, hash) VALUES ('2026-03-01T09:00:00Z',"
		" 'kevin', 'override', 'r05', 'why', '{\"source\": "
		"\"deployments.csv\", \"at\": \"2026-01-22T18:45:00Z\"}', 'x', 'y');",
		err, sizeof err), SQLITE_OK);
	sqlite3_close(db);

	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), 0);
	assert_true(schema_version() >= 9);
	sql_text(s->db, "SELECT recorded_at FROM deployments WHERE"
		 " run_key = 'r05'", text, sizeof text);
	assert_string_equal(text, "2026-03-01T09:00:00Z");
	sql_text(s->db, "SELECT recorded_at FROM deployments WHERE"
		 " run_key = 'r02'", text, sizeof text);
	assert_string_equal(text, "2026-02-01T10:00:00Z");
	store_free(s);
}

static void make_run(const char *name, const char *run, const char *pred,
		     const char *metrics, char *dir, size_t size);

/* Schema 11 keeps confusion counts and metric points in compact
 * tables: a store of schema 10, written with its DDL, keeps every
 * number, and a step's groups still come back in the evaluation's
 * order though their ids were given in the order of first sight (B at
 * step 1, then A at step 2: A's id is the higher one). */
static void test_migration_compact(void **state)
{
	(void)state;
	char path[256], err[256];
	sqlite3 *db = NULL;
	tmp_path(path, sizeof path, "schema10.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int k = 1; k <= 10; k++)
		assert_int_equal(sql_exec(db, schema_migration(k), err,
					  sizeof err), SQLITE_OK);
	assert_int_equal(sql_exec(db,
		"PRAGMA user_version = 10;"
		"INSERT INTO runs (id, run_key, model, started_at, beta_factor,"
		" positive_label, source, evaluation, final_step, ingested_at)"
		" VALUES (1, 'r1', 'm', '2026-01-01T00:00:00Z', 1, '1', 'd',"
		" 'predictions', 2, '2026-01-02T00:00:00Z');"
		"INSERT INTO features (id, run_id, name, kind, position) VALUES"
		" (1, 1, '', 'overall', 0), (2, 1, 'g', 'feature', 1);"
		"INSERT INTO groups (id, feature_id, label, position) VALUES"
		" (1, 1, '', 0), (2, 2, 'B', 1), (3, 2, 'A', 3);"
		"INSERT INTO confusion (run_id, step, group_id, rows,"
		" rows_positive, tp, fp, tn, fn, tpr, w2_positive, w2_negative)"
		" VALUES (1, 1, 1, 3, 1, 1, 0, 2, 0, 1, NULL, NULL),"
		" (1, 1, 2, 3, 1, 1, 0, 2, 0, 1, NULL, NULL),"
		" (1, 2, 1, 5, 2, 0.1, 2, 1, 1.5, 0.0625, 0.01, 3.25),"
		" (1, 2, 3, 2, 1, 0.1, 1, 0, 0.5, 0.1666, 0.01, 1),"
		" (1, 2, 2, 3, 1, 0, 1, 1, 1, 0, 1, 2);"
		"INSERT INTO score_bins (run_id, step, group_id, bins, bin,"
		" weight) VALUES (1, 2, 3, 100, 7, 0.1), (1, 2, 2, 100, 9, 2);"
		"INSERT INTO metrics (run_id, step, timestamp, metric, grp,"
		" value) VALUES (1, 1, NULL, 'loss', '', 0.5),"
		" (1, 2, '2026-01-01T00:00:09Z', 'loss', '', 0.25),"
		" (1, 2, NULL, 'tpr', 'g=A', 3);",
		err, sizeof err), SQLITE_OK);
	sqlite3_close(db);

	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), 0);
	assert_int_equal(sql_int(s->db, "PRAGMA user_version"),
			 schema_version());
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM"
				 " pragma_foreign_key_check"), 0);
	/* no rowid, no index beside the key */
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM sqlite_schema"
				 " WHERE type = 'index' AND tbl_name IN"
				 " ('confusion', 'metrics')"), 0);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM pragma_table_list"
				 " WHERE name IN ('confusion', 'metrics')"
				 " AND wr = 1 AND strict = 1"), 2);

	struct stored_group *g;
	size_t ng;
	assert_int_equal(store_run_groups(s, 1, 2, &g, &ng, &f), 0);
	assert_int_equal(ng, 3);
	assert_string_equal(g[0].label, "");
	assert_string_equal(g[1].label, "A");
	assert_string_equal(g[2].label, "B");
	/* the same doubles, integral or not */
	assert_true(g[0].counts.tp == 0.1 && g[0].counts.fn == 1.5 &&
		    g[0].counts.fp == 2 && g[0].counts.tn == 1);
	assert_true(g[0].counts.w2_positive == 0.01 &&
		    g[0].counts.w2_negative == 3.25);
	assert_true(g[0].counts.rows == 5 && g[0].counts.rows_positive == 2);
	assert_true(g[1].counts.tp == 0.1 && g[1].counts.fn == 0.5);
	assert_true(g[2].counts.fp == 1 && g[2].counts.w2_negative == 2);
	stored_groups_free(g, ng);
	assert_int_equal(store_run_groups(s, 1, 1, &g, &ng, &f), 0);
	assert_int_equal(ng, 2);
	assert_string_equal(g[1].label, "B");
	stored_groups_free(g, ng);

	/* the score bins follow their groups */
	double **hist;
	size_t nh;
	assert_int_equal(store_run_hists(s, 1, 2, &hist, &nh, &f), 0);
	assert_int_equal(nh, 3);
	assert_null(hist[0]);
	assert_true(hist[1] != NULL && hist[1][7] == 0.1);
	assert_true(hist[2] != NULL && hist[2][9] == 2);
	store_hists_free(hist, nh);

	struct metric_span *span;
	size_t nspan;
	assert_int_equal(store_run_metric_spans(s, 1, &span, &nspan, &f), 0);
	assert_int_equal(nspan, 2);
	assert_string_equal(span[0].metric, "loss");
	assert_int_equal(span[0].points, 2);
	assert_true(span[0].first == 0.5 && span[0].last == 0.25);
	assert_string_equal(span[1].group, "g=A");
	assert_true(span[1].last == 3);
	metric_spans_free(span, nspan);
	char text[64];
	sql_text(s->db, "SELECT timestamp FROM metrics WHERE step = 2 AND"
		 " metric = 'loss'", text, sizeof text);
	assert_string_equal(text, "2026-01-01T00:00:09Z");

	/* the rates, for SQL readers, as core/confusion.c has them */
	struct confusion c = {.tp = 0.1, .fp = 2, .tn = 1, .fn = 1.5};
	struct rates r;
	confusion_rates(&c, 1, &r);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s->db,
		"SELECT base_rate, selection_rate, tpr, fpr, precision,"
		" accuracy, f_beta FROM confusion_rates WHERE step = 2"
		" ORDER BY group_id LIMIT 1", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	double want[] = {r.base_rate, r.selection_rate, r.tpr, r.fpr,
			 r.precision, r.accuracy, r.f_beta};
	for (int i = 0; i < 7; i++)
		if (sqlite3_column_double(st, i) != want[i])
			fail_msg("rate %d: %.17g, want %.17g", i,
				 sqlite3_column_double(st, i), want[i]);
	sqlite3_finalize(st);
	/* undefined: NULL (B at step 2: precision and TPR 0, so F-beta
	 * divides 0 by 0) */
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM confusion_rates"
				 " WHERE step = 2 AND group_id = (SELECT max("
				 "group_id) FROM confusion) AND tpr = 0"
				 " AND precision = 0 AND f_beta IS NULL"), 1);
	store_free(s);
}

/* A weight sum is kept as an integer when it is one, and every count
 * comes back as the double ingested: integral, fractional, beyond
 * 2^53, tiny. */
static void test_counts_round_trip(void **state)
{
	(void)state;
	static const double values[] = {
		0, 1, 3, 255, 65536, 4294967296.0, 9007199254740992.0,
		18014398509481984.0, 1e300, 0.1, 2.5, 1e-300, 4.9e-324,
		123456789.125};
	size_t nv = sizeof values / sizeof *values;
	char dir[256], body[4096];
	size_t used = (size_t)snprintf(body, sizeof body,
				       "step,group,tp,fp,tn,fn\n");
	for (size_t i = 0; i < nv; i++)
		used += (size_t)snprintf(body + used, sizeof body - used,
					 "%zu,g=a,%.17g,%.17g,1,%.17g\n",
					 i + 1, values[i], values[nv - 1 - i],
					 values[i]);
	struct store *s = open_new("s.db");
	make_run("w1", "key,value\nrun,w1\nmodel,m\nstarted_at,2026-01-20\n",
		 NULL, NULL, dir, sizeof dir);
	fixture_write_file(dir, "counts.csv", body);
	struct ingest_result res;
	struct fail f;
	struct stored_run r;
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	assert_int_equal(store_find_run(s, "w1", &r, &f), 0);
	for (size_t i = 0; i < nv; i++) {
		struct stored_group *g;
		size_t ng;
		assert_int_equal(store_run_groups(s, r.id, (int64_t)i + 1, &g,
						  &ng, &f), 0);
		assert_int_equal(ng, 2);
		for (size_t k = 0; k < ng; k++) {
			assert_true(g[k].counts.tp == values[i]);
			assert_true(g[k].counts.fp == values[nv - 1 - i]);
			assert_true(g[k].counts.fn == values[i]);
			assert_true(g[k].counts.tn == 1);
		}
		stored_groups_free(g, ng);
	}
	/* kept as integers where exact (1 to 8 bytes), as REAL elsewhere:
	 * what SQL readers see is a REAL column either way */
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM confusion"
				 " WHERE typeof(tp) <> 'real'"), 0);
	stored_run_release(&r);
	store_free(s);
}

/* No statement of the connection is left stepping: a cached one that
 * was (not reset after use) would hold its read of the store open. */
static void expect_none_busy(struct store *s)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(s->db, NULL); st != NULL;
	     st = sqlite3_next_stmt(s->db, st))
		if (sqlite3_stmt_busy(st))
			fail_msg("still stepping: %s", sqlite3_sql(st));
}

/* The readers ingest asks for every run keep their statements prepared
 * (store_cached_rc()): asked again they answer for the new arguments,
 * none holds a read open between calls, so a run another connection
 * added since is seen. */
static void test_cached_reads(void **state)
{
	(void)state;
	char dir[256], path[256], buf[64];
	struct store *s = open_new("s.db"), *other = NULL;
	struct ingest_result res;
	struct fail f;
	struct stored_run r;
	struct stored_group *g;
	struct stored_deployment *d;
	size_t n;
	int64_t changes;
	fail_init(&f);
	make_run("c1", "key,value\nrun,c1\nmodel,m\nstarted_at,2026-01-20\n",
		 NULL, NULL, dir, sizeof dir);
	fixture_write_file(dir, "counts.csv",
			   "step,group,tp,fp,tn,fn\n1,g=a,1,2,3,4\n");
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	for (int round = 0; round < 2; round++) {
		assert_int_equal(store_find_run(s, "c1", &r, &f), 0);
		expect_none_busy(s);
		assert_int_equal(store_run_groups(s, r.id, 1, &g, &n, &f), 0);
		assert_int_equal(n, 2);
		assert_true(g[1].counts.fn == 4);
		stored_groups_free(g, n);
		stored_run_release(&r);
		expect_none_busy(s);
		assert_int_equal(store_find_run(s, "nope", &r, &f), 1);
		assert_int_equal(store_deployed_run(s, buf, sizeof buf, &f), 1);
		assert_int_equal(store_deployments_list(s, &d, &n, &f), 0);
		assert_int_equal(n, 0);
		stored_deployments_free(d, n);
		assert_int_equal(store_run_changes(s, &changes, &f), 0);
		expect_none_busy(s);
	}
	/* a run added by another connection is found at once */
	tmp_path(path, sizeof path, "s.db");
	assert_int_equal(store_open(path, STORE_OPEN_READ, &other, &f), 0);
	make_run("c2", "key,value\nrun,c2\nmodel,m\nstarted_at,2026-01-21\n",
		 NULL, NULL, dir, sizeof dir);
	fixture_write_file(dir, "counts.csv",
			   "step,group,tp,fp,tn,fn\n1,g=a,5,6,7,8\n");
	assert_int_equal(store_ingest_run(other, dir, 0, &res, &f), 0);
	store_free(other);
	assert_int_equal(store_find_run(s, "c2", &r, &f), 0);
	assert_int_equal(store_run_groups(s, r.id, 1, &g, &n, &f), 0);
	assert_true(g[1].counts.tp == 5);
	stored_groups_free(g, n);
	stored_run_release(&r);
	expect_none_busy(s);
	store_free(s);
}

static void test_open_newer_refused(void **state)
{
	(void)state;
	char path[256], expected[512];
	struct store *s = open_new("newer.db");
	struct fail f;
	char sql[64], err[256];
	tmp_path(path, sizeof path, "newer.db");
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		 schema_version() + 1);
	assert_int_equal(sql_exec(s->db, sql, err, sizeof err), SQLITE_OK);
	store_free(s);

	s = (struct store *)&s; /* not NULL */
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), -1);
	assert_null(s);
	assert_int_equal(f.kind, FAIL_INTERNAL);
	snprintf(expected, sizeof expected,
		 "store %s has schema version %d, newer than this fairtop "
		 "knows (%d): upgrade fairtop", path, schema_version() + 1,
		 schema_version());
	assert_string_equal(f.msg, expected);

	/* the store is left as it was */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
					 NULL), SQLITE_OK);
	assert_int_equal(sql_int(db, "PRAGMA user_version"),
			 schema_version() + 1);
	sqlite3_close(db);
}

static void test_open_not_sqlite(void **state)
{
	(void)state;
	char path[256], expected[512];
	static const char text[] =
		"key,value\nrun,r01\nmodel,loan\nthis is a CSV file, not a "
		"database; it is long enough to hold a header page? no.\n";
	struct store *s = (struct store *)&s;
	struct fail f;
	fixture_write_file(fixture_dir, "notes.csv", text);
	tmp_path(path, sizeof path, "notes.csv");
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), -1);
	assert_null(s);
	assert_int_not_equal(f.kind, FAIL_NONE);
	snprintf(expected, sizeof expected,
		 "%s is not a fairtop store (not an SQLite database): file is "
		 "not a database", path);
	assert_string_equal(f.msg, expected);

	/* nor with STORE_CREATE; and the file is untouched */
	s = (struct store *)&s;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_CREATE, &s, &f), -1);
	assert_null(s);
	assert_string_equal(f.msg, expected);
	char back[sizeof text + 16] = {0};
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	assert_int_equal(fread(back, 1, sizeof back, in), sizeof text - 1);
	fclose(in);
	assert_string_equal(back, text);
}

static void test_open_other_database(void **state)
{
	(void)state;
	char path[256], expected[512], err[256], text[64];
	sqlite3 *db = NULL;
	struct store *s = (struct store *)&s;
	struct fail f;
	/* some other program's SQLite database */
	tmp_path(path, sizeof path, "other.sqlite");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sql_exec(db, "CREATE TABLE notes (body TEXT);"
				  " INSERT INTO notes VALUES ('keep me')",
				  err, sizeof err), SQLITE_OK);
	sqlite3_close(db);

	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), -1);
	assert_null(s);
	assert_int_equal(f.kind, FAIL_DATA);
	snprintf(expected, sizeof expected,
		 "%s is not a fairtop store (an SQLite database holding other "
		 "tables and no fairtop schema version): point --db at a "
		 "fairtop store or at a new file", path);
	assert_string_equal(f.msg, expected);
	s = (struct store *)&s;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_CREATE, &s, &f), -1);
	assert_string_equal(f.msg, expected);

	/* left exactly as it was: one table, no WAL, version 0 */
	db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
					 NULL), SQLITE_OK);
	assert_int_equal(sql_int(db, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(sql_int(db, "PRAGMA user_version"), 0);
	sql_text(db, "PRAGMA journal_mode", text, sizeof text);
	assert_string_equal(text, "delete");
	sqlite3_close(db);

	/* an empty SQLite file is fine: it becomes a store */
	tmp_path(path, sizeof path, "empty.db");
	db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sql_exec(db, "PRAGMA user_version = 0", err,
				  sizeof err), SQLITE_OK);
	sqlite3_close(db);
	s = NULL;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), 0);
	assert_int_equal(sql_int(s->db, "PRAGMA user_version"),
			 schema_version());
	store_free(s);
}

static void test_open_existing_missing(void **state)
{
	(void)state;
	char path[256], expected[768];
	struct store *s = (struct store *)&s;
	struct fail f;
	struct stat sb;
	tmp_path(path, sizeof path, "missing.db");
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), -1);
	assert_null(s);
	assert_int_equal(f.kind, FAIL_USAGE);
	snprintf(expected, sizeof expected,
		 "no store at %s: ingest runs first (fairtop --db %s ingest "
		 "DIR), or point --db or $FAIRTOP_DB at an existing store",
		 path, path);
	assert_string_equal(f.msg, expected);
	assert_int_not_equal(stat(path, &sb), 0); /* not created */
}

static void test_audit_log_append_only(void **state)
{
	(void)state;
	struct store *s = open_new("audit.db");
	char err[256];
	assert_int_equal(sql_exec(s->db,
				  "INSERT INTO audit_log (time, actor, action,"
				  " run_key, reason, prev_hash, hash) VALUES"
				  " ('2026-01-22T10:00:00Z', 'alice',"
				  " 'override', 'r07', 'hotfix', '', 'h1')",
				  err, sizeof err), SQLITE_OK);
	assert_int_equal(sql_exec(s->db,
				  "INSERT INTO audit_log (time, actor, action,"
				  " prev_hash, hash) VALUES"
				  " ('2026-01-22T11:00:00Z', 'bob', 'rollback',"
				  " 'h1', 'h2')", err, sizeof err), SQLITE_OK);
	assert_int_equal(sql_exec(s->db,
				  "UPDATE audit_log SET reason = 'nothing'"
				  " WHERE actor = 'alice'", err, sizeof err),
			 SQLITE_CONSTRAINT_TRIGGER);
	assert_string_equal(err, "audit_log is append-only");
	assert_int_equal(sql_exec(s->db, "DELETE FROM audit_log", err,
				  sizeof err), SQLITE_CONSTRAINT_TRIGGER);
	assert_string_equal(err, "audit_log is append-only");
	assert_int_equal(sql_exec(s->db, "DELETE FROM audit_log WHERE id = 1",
				  err, sizeof err), SQLITE_CONSTRAINT_TRIGGER);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM audit_log"), 2);
	char reason[64];
	sql_text(s->db, "SELECT reason FROM audit_log WHERE actor = 'alice'",
		 reason, sizeof reason);
	assert_string_equal(reason, "hotfix");
	store_free(s);
}

static void test_default_path(void **state)
{
	(void)state;
	const char *old = getenv("FAIRTOP_DB");
	char saved[512] = "";
	if (old != NULL)
		snprintf(saved, sizeof saved, "%s", old);
	assert_string_equal(store_default_path("x.db"), "x.db");
	assert_int_equal(setenv("FAIRTOP_DB", "/tmp/env.db", 1), 0);
	assert_string_equal(store_default_path(NULL), "/tmp/env.db");
	assert_string_equal(store_default_path("x.db"), "x.db");
	assert_int_equal(setenv("FAIRTOP_DB", "", 1), 0);
	assert_string_equal(store_default_path(NULL), "fairtop.db");
	assert_int_equal(unsetenv("FAIRTOP_DB"), 0);
	assert_string_equal(store_default_path(NULL), "fairtop.db");
	if (old != NULL)
		setenv("FAIRTOP_DB", saved, 1);
}

/* --- ingest ---------------------------------------------------------- */

static const char run_csv[] =
	"key,value\n"
	"run,r1\n"
	"model,loan\n"
	"lr,0.01\n"
	"started_at,2026-01-22T14:05:00Z\n"
	"beta_factor,1\n"
	"epochs,20\n"
	"sensitive,sex\n"
	"optimizer,adam\n";

/*   step 1: F TP, M TN
 *   step 2: F TP, F FP, M FN, M TN  */
static const char predictions_csv[] =
	"id,step,y_true,y_pred,score,sex\n"
	"1,1,1,1,0.9,F\n"
	"2,1,0,0,0.1,M\n"
	"3,2,1,1,0.8,F\n"
	"4,2,0,1,0.7,F\n"
	"5,2,1,0,0.4,M\n"
	"6,2,0,0,0.2,M\n";

static const char metrics_csv[] =
	"step,timestamp,metric,group,value\n"
	"1,2026-01-22T14:05:00Z,loss,,0.7\n"
	"2,2026-01-22T14:06:00Z,loss,,0.5\n"
	"2,,tpr,sex=F,1\n";

/* A run folder fixture_dir/name holding the three files. */
static void make_run(const char *name, const char *run, const char *pred,
		     const char *metrics, char *dir, size_t size)
{
	tmp_path(dir, size, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	fixture_write_file(dir, "run.csv", run);
	if (pred != NULL)
		fixture_write_file(dir, "predictions.csv", pred);
	if (metrics != NULL)
		fixture_write_file(dir, "metrics.csv", metrics);
}

static void expect_group(const struct stored_group *g, const char *feature,
			 const char *kind, const char *label, double tp,
			 double fp, double tn, double fn, int64_t rows,
			 int64_t rows_positive)
{
	assert_string_equal(g->feature, feature);
	assert_string_equal(g->kind, kind);
	assert_string_equal(g->label, label);
	assert_true(g->counts.tp == tp);
	assert_true(g->counts.fp == fp);
	assert_true(g->counts.tn == tn);
	assert_true(g->counts.fn == fn);
	assert_int_equal(g->counts.rows, rows);
	assert_int_equal(g->counts.rows_positive, rows_positive);
}

/* Check run r1 as made from the files above. */
static void check_r1(struct store *s, const char *dir)
{
	struct stored_run r;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_find_run(s, "r1", &r, &f), 0);
	assert_string_equal(r.key, "r1");
	assert_string_equal(r.model, "loan");
	assert_null(r.version);
	assert_null(r.git_commit);
	assert_string_equal(r.started_at, "2026-01-22T14:05:00Z");
	assert_true(r.beta_factor == 1.0);
	assert_string_equal(r.positive_label, "1");
	assert_string_equal(r.negative_label, "0");
	assert_string_equal(r.sensitive, "sex");
	assert_string_equal(r.source, dir);
	assert_string_equal(r.evaluation, "predictions");
	assert_int_equal(r.final_step, 2);
	assert_int_equal(r.rows_evaluated, 6);
	assert_int_equal(r.has_scores, 1);
	assert_non_null(r.ingested_at);
	assert_int_equal(strlen(r.ingested_at), 20);

	struct stored_param *p;
	size_t np;
	assert_int_equal(store_run_params(s, r.id, &p, &np, &f), 0);
	assert_int_equal(np, 3);
	assert_string_equal(p[0].key, "lr");
	assert_string_equal(p[0].value, "0.01");
	assert_string_equal(p[1].key, "epochs");
	assert_string_equal(p[1].value, "20");
	assert_string_equal(p[2].key, "optimizer");
	assert_string_equal(p[2].value, "adam");
	stored_params_free(p, np);

	struct stored_group *g;
	size_t ng;
	assert_int_equal(store_run_groups(s, r.id, r.final_step, &g, &ng, &f),
			 0);
	assert_int_equal(ng, 3);
	expect_group(&g[0], "", "overall", "", 1, 1, 1, 1, 4, 2);
	expect_group(&g[1], "sex", "feature", "F", 1, 1, 0, 0, 2, 1);
	expect_group(&g[2], "sex", "feature", "M", 0, 0, 1, 1, 2, 1);
	stored_groups_free(g, ng);

	assert_int_equal(store_run_groups(s, r.id, 1, &g, &ng, &f), 0);
	assert_int_equal(ng, 3);
	expect_group(&g[0], "", "overall", "", 1, 0, 1, 0, 2, 1);
	expect_group(&g[1], "sex", "feature", "F", 1, 0, 0, 0, 1, 1);
	expect_group(&g[2], "sex", "feature", "M", 0, 0, 1, 0, 1, 0);
	stored_groups_free(g, ng);

	assert_int_equal(store_run_groups(s, r.id, 7, &g, &ng, &f), 0);
	assert_int_equal(ng, 0);
	stored_groups_free(g, ng);

	double counts[2];
	assert_int_equal(store_run_label_counts(s, &r, counts, &f), 0);
	assert_true(counts[0] == 2 && counts[1] == 2);

	/* an undefined rate is NULL, never 0: M at step 2 has no
	 * predicted positives, so no precision; its TPR is 0 */
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM confusion_rates c JOIN groups g ON"
		 " g.id = c.group_id WHERE c.run_id = %lld AND c.step = 2"
		 " AND g.label = 'M' AND c.precision IS NULL AND c.tpr = 0",
		 (long long)r.id);
	assert_int_equal(sql_int(s->db, sql), 1);
	assert_int_equal(f.kind, FAIL_NONE);
	stored_run_release(&r);
}

static void test_ingest_and_read_back(void **state)
{
	(void)state;
	char dir[256];
	struct ingest_result res;
	struct fail f;
	struct store *s = open_new("s.db");
	make_run("r1", run_csv, predictions_csv, metrics_csv, dir, sizeof dir);
	assert_int_equal(ingest_is_run_folder(dir), 1);
	assert_int_equal(ingest_is_run_folder(fixture_dir), 0);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	assert_string_equal(res.run_key, "r1");
	assert_int_equal(res.replaced, 0);
	assert_int_equal(res.rows, 6);
	assert_int_equal(res.metric_points, 3);
	assert_int_equal(res.groups, 3);
	check_r1(s, dir);

	struct snapshot snap;
	snapshot_take(s, &snap);
	assert_int_equal(snapshot_rows(&snap, "runs"), 1);
	assert_int_equal(snapshot_rows(&snap, "run_params"), 3);
	assert_int_equal(snapshot_rows(&snap, "metrics"), 3);
	assert_int_equal(snapshot_rows(&snap, "features"), 2);
	assert_int_equal(snapshot_rows(&snap, "groups"), 3);
	assert_int_equal(snapshot_rows(&snap, "confusion"), 6);
	/* step 1: bins 90 and 10 (overall), 90 (F), 10 (M); step 2: bins
	 * 80 70 40 20 (overall), 80 70 (F), 40 20 (M) */
	assert_int_equal(snapshot_rows(&snap, "score_bins"), 4 + 8);

	struct stored_run *runs;
	size_t n;
	assert_int_equal(store_list_runs(s, &runs, &n, &f), 0);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].key, "r1");
	stored_runs_free(runs, n);

	struct stored_run none;
	assert_int_equal(store_find_run(s, "r2", &none, &f), 1);
	assert_null(none.key);
	store_free(s);
}

static void test_ingest_again_refused_then_replaced(void **state)
{
	(void)state;
	char dir[256], expected[1024];
	struct ingest_result res;
	struct fail f;
	struct snapshot before, after;
	struct store *s = open_new("s.db");
	make_run("r1", run_csv, predictions_csv, metrics_csv, dir, sizeof dir);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	snapshot_take(s, &before);

	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	snprintf(expected, sizeof expected,
		 "%s/run.csv: run 'r1' is already in the store %s; use "
		 "--replace to overwrite it", dir, s->path);
	assert_string_equal(f.msg, expected);
	snapshot_take(s, &after);
	snapshot_equal(&before, &after);

	/* an ingest only adds: its rows' keys not checked one by one */
	assert_int_equal(sql_int(s->db, "PRAGMA foreign_keys"), 0);

	/* replacing: the same rows, none doubled; the keys checked again,
	 * so that deleting the run deletes its rows */
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 1, &res, &f), 0);
	assert_int_equal(res.replaced, 1);
	assert_int_equal(sql_int(s->db, "PRAGMA foreign_keys"), 1);
	snapshot_take(s, &after);
	snapshot_equal(&before, &after);
	check_r1(s, dir);

	/* replacing with a changed folder: the new numbers, and only them */
	fixture_write_file(dir, "metrics.csv",
		   "step,timestamp,metric,group,value\n"
		   "2,,loss,,0.25\n");
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 1, &res, &f), 0);
	assert_int_equal(res.replaced, 1);
	assert_int_equal(res.metric_points, 1);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM metrics"), 1);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM metrics WHERE"
				 " value = 0.25 AND step = 2"), 1);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM confusion"), 6);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM runs"), 1);
	/* nothing left pointing at the replaced run */
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM confusion WHERE"
				 " run_id NOT IN (SELECT id FROM runs)"), 0);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM groups WHERE"
				 " feature_id NOT IN (SELECT id FROM"
				 " features)"), 0);
	store_free(s);
}

static void test_bad_metrics_leaves_nothing(void **state)
{
	(void)state;
	char good[256], bad[256], expected[1024];
	struct ingest_result res;
	struct fail f;
	struct snapshot before, after;
	static const char run2[] =
		"key,value\nrun,r2\nmodel,loan\n"
		"started_at,2026-01-23T09:00:00Z\nfeature_flag,on\n";
	static const char metrics_bad_last[] =
		"step,timestamp,metric,group,value\n"
		"1,,loss,,0.7\n"
		"2,,loss,,0.6\n"
		"3,,loss,,abc\n";
	struct store *s = open_new("s.db");
	make_run("r1", run_csv, predictions_csv, metrics_csv, good,
		 sizeof good);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, good, 0, &res, &f), 0);
	snapshot_take(s, &before);

	make_run("r2", run2, predictions_csv, metrics_bad_last, bad,
		 sizeof bad);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, bad, 0, &res, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	snprintf(expected, sizeof expected,
		 "%s/metrics.csv:4: column 'value': expected a finite number, "
		 "found 'abc'", bad);
	assert_string_equal(f.msg, expected);
	snapshot_take(s, &after);
	snapshot_equal(&before, &after);
	struct stored_run r;
	assert_int_equal(store_find_run(s, "r2", &r, &f), 1);

	/* a failed replacement keeps the earlier copy whole */
	fixture_write_file(good, "metrics.csv", metrics_bad_last);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, good, 1, &res, &f), -1);
	snapshot_take(s, &after);
	snapshot_equal(&before, &after);
	fixture_write_file(good, "metrics.csv", metrics_csv);
	check_r1(s, good);

	/* the store is still usable for the good run */
	fixture_write_file(bad, "metrics.csv", metrics_csv);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, bad, 0, &res, &f), 0);
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM runs"), 2);
	store_free(s);
}

static void test_duplicate_metric_refused(void **state)
{
	(void)state;
	char dir[256], expected[1024];
	struct ingest_result res;
	struct fail f;
	struct snapshot before, after;
	struct store *s = open_new("s.db");
	snapshot_take(s, &before);
	make_run("r1", run_csv, predictions_csv,
		 "step,timestamp,metric,group,value\n"
		 "100,,loss,,0.7\n"
		 "100,,loss,sex=F,0.7\n"
		 "200,,loss,,0.6\n"
		 "100,2026-01-22T14:05:00Z,loss,,0.5\n",
		 dir, sizeof dir);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	snprintf(expected, sizeof expected,
		 "%s/metrics.csv:5: expected one value per step, metric and "
		 "group, found a second one for step 100, metric 'loss', "
		 "group ''", dir);
	assert_string_equal(f.msg, expected);
	snapshot_take(s, &after);
	snapshot_equal(&before, &after);
	assert_int_equal(snapshot_rows(&after, "runs"), 0);
	store_free(s);
}

/* The same when the points are stored many to a statement: a point
 * given twice within one batch of points, or in two batches, or in the
 * last points after the batches, is named at its line; every point of
 * a file without one is stored, as written. */
static void test_duplicate_metric_in_batches(void **state)
{
	(void)state;
	static const struct {
		int first, second; /* the steps of lines 2.. (0: none) */
	} cases[] = {
		{3, 20},  /* lines 4 and 21: the first batch of 32 */
		{3, 40},  /* lines 4 and 41: two batches */
		{70, 75}, /* lines 71 and 76: after the batches */
		{0, 0},   /* none: 75 points stored */
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		char dir[256], name[32], expected[1024], text[8192];
		struct ingest_result res;
		struct fail f;
		struct store *s;
		snprintf(name, sizeof name, "b%zu.db", c);
		s = open_new(name);
		/* step i on line i + 1, but the second step given twice
		 * repeats the first's */
		size_t used = (size_t)snprintf(text, sizeof text,
					       "step,timestamp,metric,group,"
					       "value\n");
		for (int i = 1; i <= 75; i++) {
			int step = i == cases[c].second ? cases[c].first : i;
			used += (size_t)snprintf(text + used, sizeof text - used,
						 "%d,,loss,,0.%d\n", step, i);
		}
		snprintf(name, sizeof name, "r%zu", c);
		make_run(name, run_csv, predictions_csv, text, dir, sizeof dir);
		fail_init(&f);
		int rc = store_ingest_run(s, dir, 0, &res, &f);
		if (cases[c].first == 0) {
			assert_int_equal(rc, 0);
			assert_int_equal(res.metric_points, 75);
			assert_int_equal(sql_int(s->db, "SELECT count(*) FROM"
						 " metrics"), 75);
			assert_int_equal(sql_int(s->db, "SELECT count(*) FROM"
						 " metrics WHERE value ="
						 " 0.75 AND step = 75"), 1);
		} else {
			assert_int_equal(rc, -1);
			snprintf(expected, sizeof expected,
				 "%s/metrics.csv:%d: expected one value per "
				 "step, metric and group, found a second one "
				 "for step %d, metric 'loss', group ''", dir,
				 cases[c].second + 1, cases[c].first);
			assert_string_equal(f.msg, expected);
			assert_int_equal(sql_int(s->db, "SELECT count(*) FROM"
						 " metrics"), 0);
		}
		store_free(s);
	}
}

static void test_bad_run_folders(void **state)
{
	(void)state;
	char dir[256], path[256], expected[1024];
	struct ingest_result res;
	struct fail f;
	struct snapshot before, after;
	struct store *s = open_new("s.db");
	snapshot_take(s, &before);

	tmp_path(path, sizeof path, "nowhere");
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, path, 0, &res, &f), -1);
	snprintf(expected, sizeof expected, "%s: no such file or folder", path);
	assert_string_equal(f.msg, expected);

	/* a predictions.csv error: nothing stored either */
	make_run("r1", run_csv, "id,step,y_true,y_pred,score,sex\n"
				 "1,1,1,1,0.9,F\n1,1,1,1,1.9,F\n",
		 metrics_csv, dir, sizeof dir);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), -1);
	snprintf(expected, sizeof expected,
		 "%s/predictions.csv:3: column 'score': expected a probability "
		 "of the positive label in [0,1], found '1.9'", dir);
	assert_string_equal(f.msg, expected);

	/* both evaluations */
	fixture_write_file(dir, "predictions.csv", predictions_csv);
	fixture_write_file(dir, "counts.csv",
		   "step,group,tp,fp,tn,fn\n1,sex=F,1,0,0,0\n");
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), -1);
	snprintf(expected, sizeof expected, "%s: expected predictions.csv or "
		 "counts.csv, found both; keep one", dir);
	assert_string_equal(f.msg, expected);
	snapshot_take(s, &after);
	snapshot_equal(&before, &after);
	store_free(s);
}

/* Groups come back in the evaluation's order (groups.h: overall,
 * features, intersections; by value text within a feature) at every
 * step, also when a group first appears at a later step. */
static void test_group_order_across_steps(void **state)
{
	(void)state;
	char dir[256];
	struct ingest_result res;
	struct fail f;
	struct stored_run r;
	struct stored_group *g;
	size_t ng;
	struct store *s = open_new("s.db");
	make_run("o1", "key,value\nrun,o1\nmodel,m\nstarted_at,2026-01-20\n",
		 "step,y_true,y_pred,sex,age\n"
		 "1,1,1,M,old\n"
		 "2,1,1,M,old\n"
		 "2,0,0,F,young\n",
		 NULL, dir, sizeof dir);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	assert_int_equal(res.groups, 1 + 2 + 2 + 2);
	assert_int_equal(store_find_run(s, "o1", &r, &f), 0);
	assert_int_equal(store_run_groups(s, r.id, 2, &g, &ng, &f), 0);
	assert_int_equal(ng, 7);
	static const char *const labels[] = {
		"", "F", "M", "old", "young", "sex=F & age=young",
		"sex=M & age=old"};
	static const char *const features[] = {
		"", "sex", "sex", "age", "age", "sex & age", "sex & age"};
	for (size_t i = 0; i < ng; i++) {
		assert_string_equal(g[i].feature, features[i]);
		assert_string_equal(g[i].label, labels[i]);
	}
	expect_group(&g[1], "sex", "feature", "F", 0, 0, 1, 0, 1, 0);
	expect_group(&g[2], "sex", "feature", "M", 1, 0, 0, 0, 1, 1);
	stored_groups_free(g, ng);
	stored_run_release(&r);
	store_free(s);
}

static void test_ingest_counts_and_none(void **state)
{
	(void)state;
	char dir[256];
	struct ingest_result res;
	struct fail f;
	struct stored_run r;
	struct store *s = open_new("s.db");
	make_run("c1", "key,value\nrun,c1\nmodel,m\nstarted_at,2026-01-20\n",
		 NULL, NULL, dir, sizeof dir);
	fixture_write_file(dir, "counts.csv",
		   "step,group,tp,fp,tn,fn\n"
		   "3,sex=F,10,2,30,4\n"
		   "3,sex=M,5,5,5,5\n");
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	assert_int_equal(res.rows, -1);
	assert_int_equal(res.groups, 3);
	assert_int_equal(res.metric_points, 0);
	assert_int_equal(store_find_run(s, "c1", &r, &f), 0);
	assert_string_equal(r.evaluation, "counts");
	assert_int_equal(r.final_step, 3);
	assert_int_equal(r.rows_evaluated, -1);
	assert_null(r.negative_label);
	assert_false(rate_defined(r.beta_factor));
	struct stored_group *g;
	size_t ng;
	assert_int_equal(store_run_groups(s, r.id, 3, &g, &ng, &f), 0);
	assert_int_equal(ng, 3);
	expect_group(&g[0], "", "overall", "", 15, 7, 35, 9, -1, -1);
	expect_group(&g[1], "sex", "feature", "F", 10, 2, 30, 4, -1, -1);
	expect_group(&g[2], "sex", "feature", "M", 5, 5, 5, 5, -1, -1);
	stored_groups_free(g, ng);
	double counts[2];
	assert_int_equal(store_run_label_counts(s, &r, counts, &f), 0);
	assert_true(counts[0] == 24 && counts[1] == 42);
	/* F-beta without a beta_factor is undefined: NULL */
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM confusion_rates WHERE"
				 " f_beta IS NOT NULL"), 0);
	stored_run_release(&r);

	/* a run with neither: no evaluation */
	make_run("n1", "key,value\nrun,n1\nmodel,m\nstarted_at,2026-01-21\n",
		 NULL, NULL, dir, sizeof dir);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 0, &res, &f), 0);
	assert_int_equal(res.groups, 0);
	assert_int_equal(store_find_run(s, "n1", &r, &f), 0);
	assert_string_equal(r.evaluation, "none");
	assert_int_equal(r.final_step, -1);
	assert_int_equal(store_run_label_counts(s, &r, counts, &f), 0);
	assert_false(rate_defined(counts[0]));
	assert_false(rate_defined(counts[1]));
	stored_run_release(&r);

	struct stored_run *runs;
	size_t n;
	assert_int_equal(store_list_runs(s, &runs, &n, &f), 0);
	assert_int_equal(n, 2);
	assert_string_equal(runs[0].key, "c1"); /* oldest first */
	assert_string_equal(runs[1].key, "n1");
	stored_runs_free(runs, n);
	store_free(s);
}

/* A store whose migration 7 was made before it had the triggers on
 * groups and score bins (a development build of 2026-12-06 made such
 * stores) still migrates to schema 11, and has them after. */
static void test_migration_without_late_triggers(void **state)
{
	(void)state;
	char path[256], err[256];
	sqlite3 *db = NULL;
	tmp_path(path, sizeof path, "early7.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int k = 1; k <= 10; k++)
		assert_int_equal(sql_exec(db, schema_migration(k), err,
					  sizeof err), SQLITE_OK);
	assert_int_equal(sql_exec(db, "PRAGMA user_version = 10;"
				  "DROP TRIGGER groups_updated;"
				  "DROP TRIGGER score_bins_updated;",
				  err, sizeof err), SQLITE_OK);
	sqlite3_close(db);
	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &f), 0);
	assert_int_equal(sql_int(s->db, "PRAGMA user_version"),
			 schema_version());
	assert_int_equal(sql_int(s->db, "SELECT count(*) FROM sqlite_schema"
				 " WHERE type = 'trigger' AND name IN"
				 " ('groups_updated', 'score_bins_updated')"), 2);
	store_free(s);
}

static int asked;
static int stop_after_three(void *ctx)
{
	(void)ctx;
	return ++asked >= 3;
}

/* store_set_interrupt(): a long statement asks, and stops when told;
 * without the question it runs to its end. */
static void test_interrupt(void **state)
{
	(void)state;
	char path[256];
	struct store *s = NULL;
	struct fail f;
	sqlite3_stmt *st;
	static const char count[] =
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
		" FROM n WHERE i < 1000000) SELECT count(*) FROM n";
	tmp_path(path, sizeof path, "stop.db");
	fail_init(&f);
	assert_int_equal(store_open(path, STORE_CREATE, &s, &f), 0);
	store_set_interrupt(s, stop_after_three, NULL);
	asked = 0;
	assert_int_equal(sqlite3_prepare_v2(s->db, count, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_INTERRUPT);
	sqlite3_finalize(st);
	assert_int_equal(asked, 3);
	store_set_interrupt(s, NULL, NULL);
	asked = 0;
	assert_int_equal(sql_int(s->db, count), 1000000);
	assert_int_equal(asked, 0);
	store_free(s);
}

/* A test run inside its own temporary folder. */
#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_open_creates),
		IN_TMP(test_migration_recorded_at),
		IN_TMP(test_migration_compact),
		IN_TMP(test_counts_round_trip),
		IN_TMP(test_cached_reads),
		IN_TMP(test_open_newer_refused),
		IN_TMP(test_open_not_sqlite),
		IN_TMP(test_open_other_database),
		IN_TMP(test_open_existing_missing),
		IN_TMP(test_audit_log_append_only),
		cmocka_unit_test(test_default_path),
		IN_TMP(test_ingest_and_read_back),
		IN_TMP(test_ingest_again_refused_then_replaced),
		IN_TMP(test_bad_metrics_leaves_nothing),
		IN_TMP(test_duplicate_metric_refused),
		IN_TMP(test_duplicate_metric_in_batches),
		IN_TMP(test_bad_run_folders),
		IN_TMP(test_group_order_across_steps),
		IN_TMP(test_ingest_counts_and_none),
		IN_TMP(test_interrupt),
		IN_TMP(test_migration_without_late_triggers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
