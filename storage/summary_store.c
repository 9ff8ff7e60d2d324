/*
 * summary_store.c — kept headlines.  See summary_store.h.
 */
#include "storage/summary_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_rate(sqlite3_stmt *st, int i, double v)
{
	if (rate_defined(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int store_save_headline(struct store *s, int64_t run_id,
			const struct run_headline *h, struct fail *f)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO run_summaries (run_id, accuracy, f_beta,"
		" dp_difference, eo_difference, worst_tpr, worst_group,"
		" throughput, baseline_key, gate_passed, gate_fails,"
		" gate_first, groups_digest, final_rows) VALUES (?1, ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	sqlite3_stmt *st = NULL;
	if (store_cached_rc(s, STORE_SAVE_HEADLINE, sql, &st) != SQLITE_OK)
		return store_fail(s, f, "keeping the run's summary");
	sqlite3_bind_int64(st, 1, run_id);
	bind_rate(st, 2, h->accuracy);
	bind_rate(st, 3, h->f_beta);
	bind_rate(st, 4, h->dp);
	bind_rate(st, 5, h->eo);
	bind_rate(st, 6, h->worst_tpr);
	sqlite3_bind_text(st, 7, h->worst_group, -1, SQLITE_STATIC);
	bind_rate(st, 8, h->throughput);
	if (h->baseline[0])
		sqlite3_bind_text(st, 9, h->baseline, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, h->gate_passed != 0);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)h->gate_fails);
	if (h->gate_first[0])
		sqlite3_bind_text(st, 12, h->gate_first, -1, SQLITE_STATIC);
	/* the bits of the digest, as SQLite's signed integer */
	if (h->has_groups_digest)
		sqlite3_bind_int64(st, 13, (sqlite3_int64)h->groups_digest);
	if (h->final_rows >= 0)
		sqlite3_bind_int64(st, 14, h->final_rows);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	/* the message before the reset, which may change it */
	if (rc != 0)
		store_fail(s, f, "keeping the run's summary");
	store_cached_done(st);
	return rc;
}

int store_kept_evaluation(struct store *s, int64_t run_id,
			  long long *final_rows, uint64_t *digest,
			  struct fail *f)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, "SELECT groups_digest, final_rows FROM"
			       " run_summaries WHERE run_id = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, f, "reading the run's summary");
	sqlite3_bind_int64(st, 1, run_id);
	int rc = sqlite3_step(st);
	int known = rc == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (known) {
		*digest = (uint64_t)sqlite3_column_int64(st, 0);
		*final_rows = sqlite3_column_type(st, 1) == SQLITE_NULL
				      ? -1
				      : sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail_set(f, FAIL_INTERNAL, "store %s: reading the run's "
				"summary failed (%s)", s->path,
				sqlite3_errstr(rc));
	return known;
}

static double rate_at(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL
		       ? RATE_UNDEFINED
		       : sqlite3_column_double(st, i);
}

#define HEADLINE_COLUMNS                                                   \
	"accuracy, f_beta, dp_difference, eo_difference, worst_tpr,"       \
	" worst_group, throughput, baseline_key, gate_passed, gate_fails," \
	" gate_first, groups_digest, final_rows"

/* Read the HEADLINE_COLUMNS starting at column `at`. */
static void read_headline(sqlite3_stmt *st, int at, struct run_headline *out)
{
	out->accuracy = rate_at(st, at + 0);
	out->f_beta = rate_at(st, at + 1);
	out->dp = rate_at(st, at + 2);
	out->eo = rate_at(st, at + 3);
	out->worst_tpr = rate_at(st, at + 4);
	store_column_copy(st, at + 5, out->worst_group,
			  sizeof out->worst_group);
	out->throughput = rate_at(st, at + 6);
	store_column_copy(st, at + 7, out->baseline, sizeof out->baseline);
	out->gate_passed = sqlite3_column_int(st, at + 8);
	out->gate_fails = (size_t)sqlite3_column_int64(st, at + 9);
	store_column_copy(st, at + 10, out->gate_first,
			  sizeof out->gate_first);
	out->has_groups_digest = sqlite3_column_type(st, at + 11) !=
				 SQLITE_NULL;
	out->groups_digest = (uint64_t)sqlite3_column_int64(st, at + 11);
	out->final_rows = sqlite3_column_type(st, at + 12) == SQLITE_NULL
				  ? -1
				  : sqlite3_column_int64(st, at + 12);
}

/* The runs with their kept headlines in the order of sql, which selects
 * RUNS_WITH_HEADLINES' columns; with_rows: and a last one, the rows
 * evaluated at the run's final step.  after >= 0 is bound to ?1. */
static int each_headline_of(struct store *s, sqlite3_stmt *st,
			    int with_rows, run_headline_fn *fn, void *ctx,
			    struct fail *f);

static int each_headline(struct store *s, const char *sql, int with_rows,
			 int64_t after, run_headline_fn *fn, void *ctx,
			 struct fail *f)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "listing runs");
	if (after >= 0)
		sqlite3_bind_int64(st, 1, after);
	return each_headline_of(s, st, with_rows, fn, ctx, f);
}

/* Step st (prepared, bound; finalized here) as each_headline() does. */
static int each_headline_of(struct store *s, sqlite3_stmt *st,
			    int with_rows, run_headline_fn *fn, void *ctx,
			    struct fail *f)
{
	struct run_headline kept;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_headline_row row;
		row.id = sqlite3_column_int64(st, 0);
		row.key = (const char *)sqlite3_column_text(st, 1);
		row.model = (const char *)sqlite3_column_text(st, 2);
		row.version = (const char *)sqlite3_column_text(st, 3);
		row.started_at = (const char *)sqlite3_column_text(st, 4);
		row.rows_evaluated = sqlite3_column_type(st, 5) == SQLITE_NULL
					     ? -1
					     : sqlite3_column_int64(st, 5);
		row.beta_factor = rate_at(st, 6);
		row.kept = NULL;
		if (sqlite3_column_int(st, 7)) {
			read_headline(st, 8, &kept);
			row.kept = &kept;
		}
		row.final_rows = -1;
		if (with_rows && sqlite3_column_type(st, 21) != SQLITE_NULL)
			row.final_rows = sqlite3_column_int64(st, 21);
		if (fn(ctx, &row, f) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail_set(f, FAIL_INTERNAL, "store %s: listing runs "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	return 0;
}

/* the joined columns have distinct names: none needs a prefix */
#define RUNS_WITH_HEADLINES                                                \
	"SELECT r.id, r.run_key, r.model, r.version, r.started_at,"        \
	" r.rows_evaluated, r.beta_factor,"                                \
	" s.run_id IS NOT NULL, " HEADLINE_COLUMNS
#define FROM_RUNS_WITH_HEADLINES                                           \
	" FROM runs r LEFT JOIN run_summaries s ON s.run_id = r.id"

int store_each_run_headline(struct store *s, int newest_first,
			    run_headline_fn *fn, void *ctx, struct fail *f)
{
	static const char oldest[] = RUNS_WITH_HEADLINES
		FROM_RUNS_WITH_HEADLINES " ORDER BY r.started_at, r.run_key";
	static const char newest[] = RUNS_WITH_HEADLINES
		FROM_RUNS_WITH_HEADLINES
		" ORDER BY r.started_at DESC, r.run_key DESC";
	return each_headline(s, newest_first ? newest : oldest, 0, -1, fn,
			     ctx, f);
}

int store_each_run_headline_after(struct store *s, int64_t after,
				  run_headline_fn *fn, void *ctx,
				  struct fail *f)
{
	/* the ids' range, then sorted: the unary + keeps SQLite from
	 * walking the runs_by_start index for the order instead, which
	 * passes over every run to find the few added */
	static const char sql[] = RUNS_WITH_HEADLINES
		FROM_RUNS_WITH_HEADLINES " WHERE r.id > ?1"
		" ORDER BY +r.started_at DESC, +r.run_key DESC";
	return each_headline(s, sql, 0, after < 0 ? 0 : after, fn, ctx, f);
}

int store_each_run_headline_page(struct store *s,
				 const struct run_page *page,
				 run_headline_fn *fn, void *ctx,
				 struct fail *f)
{
	/* both a range of the runs_by_start index, newest first: a page
	 * costs its rows, wherever it starts */
	static const char first[] = RUNS_WITH_HEADLINES
		FROM_RUNS_WITH_HEADLINES " WHERE r.id <= ?1"
		" ORDER BY r.started_at DESC, r.run_key DESC LIMIT ?4";
	static const char next[] = RUNS_WITH_HEADLINES
		FROM_RUNS_WITH_HEADLINES " WHERE r.id <= ?1"
		" AND (r.started_at, r.run_key) < (?2, ?3)"
		" ORDER BY r.started_at DESC, r.run_key DESC LIMIT ?4";
	sqlite3_stmt *st = NULL;
	int after = page->after_key != NULL;
	if (sqlite3_prepare_v2(s->db, after ? next : first, -1, &st,
			       NULL) != SQLITE_OK)
		return store_fail(s, f, "listing runs");
	sqlite3_bind_int64(st, 1, page->upto);
	if (after &&
	    (sqlite3_bind_text(st, 2, page->after_started, -1,
			       SQLITE_STATIC) != SQLITE_OK ||
	     sqlite3_bind_text(st, 3, page->after_key, -1, SQLITE_STATIC) !=
		     SQLITE_OK)) {
		sqlite3_finalize(st);
		return store_fail(s, f, "listing runs");
	}
	sqlite3_bind_int64(st, 4, (sqlite3_int64)page->limit);
	return each_headline_of(s, st, 0, fn, ctx, f);
}

int store_max_run_id(struct store *s, int64_t *out, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(id), 0) FROM runs",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc == 0 ? 0 : store_fail(s, f, "reading the runs");
}

int store_each_run_listed(struct store *s, run_headline_fn *fn, void *ctx,
			  struct fail *f)
{
	/* the first overall group's rows at the final step, as
	 * runload_rows() reads them: a few rows of confusion's key */
	static const char sql[] = RUNS_WITH_HEADLINES ","
		" (SELECT c.rows FROM confusion c"
		"  JOIN groups g ON g.id = c.group_id"
		"  JOIN features fe ON fe.id = g.feature_id"
		"  WHERE c.run_id = r.id AND c.step = r.final_step"
		"  AND fe.kind = 'overall' ORDER BY c.group_id LIMIT 1)"
		FROM_RUNS_WITH_HEADLINES " ORDER BY r.started_at, r.run_key";
	return each_headline(s, sql, 1, -1, fn, ctx, f);
}
