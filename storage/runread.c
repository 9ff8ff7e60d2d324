/*
 * runread.c — reads of runs and their groups.  See runread.h.
 */
#include "storage/runread.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"

static double column_rate(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return RATE_UNDEFINED;
	return sqlite3_column_double(st, i);
}

static int64_t column_int_or(sqlite3_stmt *st, int i, int64_t none)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return none;
	return sqlite3_column_int64(st, i);
}

#define RUN_COLUMNS                                                        \
	"id, run_key, model, version, parent, git_commit, data_version,"   \
	" started_at, finished_at, status, class_weights, positive_label," \
	" negative_label, sensitive, source, evaluation, ingested_at,"     \
	" beta_factor, final_step, rows_evaluated, has_scores"

/* The row into *r: 0, or -1 when out of memory (*r to release). */
static int read_run(sqlite3_stmt *st, struct stored_run *r)
{
	char **text[] = {&r->key,          &r->model,       &r->version,
			 &r->parent,       &r->git_commit,  &r->data_version,
			 &r->started_at,   &r->finished_at, &r->status,
			 &r->class_weights, &r->positive_label,
			 &r->negative_label, &r->sensitive, &r->source,
			 &r->evaluation,   &r->ingested_at};
	r->id = sqlite3_column_int64(st, 0);
	int rc = 0;
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (rc == 0)
			rc = store_column_dup(st, (int)i + 1, text[i]);
	r->beta_factor = column_rate(st, 17);
	r->final_step = column_int_or(st, 18, -1);
	r->rows_evaluated = column_int_or(st, 19, -1);
	r->has_scores = sqlite3_column_int(st, 20);
	return rc;
}

void stored_run_release(struct stored_run *r)
{
	char *text[] = {r->key,          r->model,       r->version,
			r->parent,       r->git_commit,  r->data_version,
			r->started_at,   r->finished_at, r->status,
			r->class_weights, r->positive_label,
			r->negative_label, r->sensitive, r->source,
			r->evaluation,   r->ingested_at};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		free(text[i]);
	memset(r, 0, sizeof *r);
}

void stored_runs_free(struct stored_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		stored_run_release(&runs[i]);
	free(runs);
}

void stored_groups_free(struct stored_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].feature);
		free(g[i].kind);
		free(g[i].label);
	}
	free(g);
}

void stored_params_free(struct stored_param *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

int store_list_runs(struct store *s, struct stored_run **runs, size_t *n,
		    struct fail *f)
{
	sqlite3_stmt *st = NULL;
	struct stored_run *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*runs = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " RUN_COLUMNS " FROM runs"
			       " ORDER BY started_at, run_key",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "listing runs");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW_ZERO(out, count + 1, cap) != 0 ||
		    read_run(st, &out[count++]) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc == SQLITE_NOMEM) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		sqlite3_finalize(st);
		stored_runs_free(out, count);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, f, "listing runs");
		sqlite3_finalize(st);
		stored_runs_free(out, count);
		return -1;
	}
	sqlite3_finalize(st);
	*runs = out;
	*n = count;
	return 0;
}

int store_find_run(struct store *s, const char *key, struct stored_run *out,
		   struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int result = -1;
	memset(out, 0, sizeof *out);
	if (store_cached_rc(s, STORE_FIND_RUN,
			    "SELECT " RUN_COLUMNS " FROM runs"
			    " WHERE run_key = ?1",
			    &st) != SQLITE_OK)
		return store_fail(s, f, "finding a run");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		result = 0;
		if (read_run(st, out) != 0) {
			stored_run_release(out);
			result = fail_set(f, FAIL_INTERNAL, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		result = 1;
	} else {
		store_fail(s, f, "finding a run");
	}
	store_cached_done(st);
	return result;
}

int store_run_groups(struct store *s, int64_t run_id, int64_t step,
		     struct stored_group **groups, size_t *n, struct fail *f)
{
	static const char sql[] =
		"SELECT f.name, f.kind, g.label, c.rows, c.rows_positive,"
		" c.tp, c.fp, c.tn, c.fn, c.w2_positive, c.w2_negative"
		" FROM confusion c JOIN groups g ON g.id = c.group_id"
		" JOIN features f ON f.id = g.feature_id"
		" WHERE c.run_id = ?1 AND c.step = ?2"
		/* the key's order, which is the evaluation's within a step
		 * (groups.h): ingest numbers a run's groups in that order */
		" ORDER BY c.run_id, c.step, c.group_id";
	sqlite3_stmt *st = NULL;
	struct stored_group *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*groups = NULL;
	*n = 0;
	if (store_cached_rc(s, STORE_RUN_GROUPS, sql, &st) != SQLITE_OK)
		return store_fail(s, f, "reading groups");
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, step);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW_ZERO(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		struct stored_group *g = &out[count++];
		if (store_column_dup(st, 0, &g->feature) != 0 ||
		    store_column_dup(st, 1, &g->kind) != 0 ||
		    store_column_dup(st, 2, &g->label) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		g->counts.rows = column_int_or(st, 3, -1);
		g->counts.rows_positive = column_int_or(st, 4, -1);
		g->counts.tp = sqlite3_column_double(st, 5);
		g->counts.fp = sqlite3_column_double(st, 6);
		g->counts.tn = sqlite3_column_double(st, 7);
		g->counts.fn = sqlite3_column_double(st, 8);
		/* NULL reads as 0: unknown */
		g->counts.w2_positive = sqlite3_column_double(st, 9);
		g->counts.w2_negative = sqlite3_column_double(st, 10);
	}
	store_cached_done(st);
	if (rc != SQLITE_DONE) {
		stored_groups_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading groups "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	}
	*groups = out;
	*n = count;
	return 0;
}

int store_run_params(struct store *s, int64_t run_id,
		     struct stored_param **params, size_t *n, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	struct stored_param *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*params = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT key, value FROM run_params"
			       " WHERE run_id = ?1 ORDER BY position",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading parameters");
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW_ZERO(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		int got = store_column_dup(st, 0, &out[count].key) |
			  store_column_dup(st, 1, &out[count].value);
		count++;
		if (got != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		stored_params_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading "
				"parameters failed (%s)", s->path,
				sqlite3_errstr(rc));
	}
	*params = out;
	*n = count;
	return 0;
}

int store_run_label_counts(struct store *s, const struct stored_run *r,
			   double counts[2], struct fail *f)
{
	struct stored_group *g = NULL;
	size_t n = 0;
	counts[0] = counts[1] = RATE_UNDEFINED;
	if (r->final_step < 0)
		return 0;
	if (store_run_groups(s, r->id, r->final_step, &g, &n, f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(g[i].kind, "overall") != 0)
			continue;
		const struct confusion *c = &g[i].counts;
		if (c->rows >= 0) {
			counts[0] = (double)c->rows_positive;
			counts[1] = (double)(c->rows - c->rows_positive);
		} else {
			counts[0] = c->tp + c->fn;
			counts[1] = c->fp + c->tn;
		}
	}
	stored_groups_free(g, n);
	return 0;
}
