/*
 * mlflow_db.c — MLflow's SQL store, read-only.  See mlflow_db.h.
 */
#include "storage/mlflow_db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/strbuf.h"

struct mlflow_db {
	sqlite3 *db;
	char *name;        /* for messages */
	int has_workspace; /* experiments.workspace (MLflow 3.10+) */
	int has_registry;  /* model_versions */
	int has_aliases;   /* registered_model_aliases */
	int aliases_workspace, versions_workspace;
};

/* The tables and columns read; a store missing one is not MLflow's
 * (or too old for fairtop to read). */
static const struct {
	const char *table;
	const char *const columns[10];
	int optional; /* the registry */
} needed[] = {
	{"experiments", {"experiment_id", "name", "lifecycle_stage"}, 0},
	{"runs", {"run_uuid", "name", "status", "start_time", "end_time",
		  "lifecycle_stage", "artifact_uri", "experiment_id"}, 0},
	{"params", {"key", "value", "run_uuid"}, 0},
	{"tags", {"key", "value", "run_uuid"}, 0},
	{"metrics", {"key", "value", "timestamp", "step", "is_nan",
		     "run_uuid"}, 0},
	{"model_versions", {"name", "version", "run_id"}, 1},
	{"registered_model_aliases", {"alias", "version", "name"}, 1},
};

static int db_fail(struct mlflow_db *m, struct fail *f, const char *what)
{
	return fail_set(f, FAIL_INTERNAL, "%s: %s: %s", m->name, what,
			sqlite3_errmsg(m->db));
}

/* Whether table has each column of cols (NULL-ended, at most 10):
 * 1 all, 0 the table is missing, -2 a column is missing (its name in
 * *missing), -1 an error.  *workspace: it has a `workspace` column. */
static int check_table(struct mlflow_db *m, const char *table,
		       const char *const *cols, const char **missing,
		       int *workspace, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int found[10] = {0}, any = 0, rc;
	*workspace = 0;
	/* table_info's argument cannot be bound: the names are ours */
	char sql[128];
	snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
	if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK) {
		int code = sqlite3_errcode(m->db);
		if (code == SQLITE_NOTADB)
			return fail_set(f, FAIL_USAGE, "%s: not an MLflow "
					"store (not a SQLite database)",
					m->name);
		return db_fail(m, f, "reading the schema");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(st, 1);
		any = 1;
		if (col == NULL)
			continue;
		if (strcmp(col, "workspace") == 0)
			*workspace = 1;
		for (size_t i = 0; cols[i] != NULL; i++)
			if (strcmp(cols[i], col) == 0)
				found[i] = 1;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOTADB)
		return fail_set(f, FAIL_USAGE, "%s: not an MLflow store (not a "
				"SQLite database)", m->name);
	if (rc != SQLITE_DONE)
		return db_fail(m, f, "reading the schema");
	if (!any)
		return 0;
	for (size_t i = 0; cols[i] != NULL; i++)
		if (!found[i]) {
			*missing = cols[i];
			return -2;
		}
	return 1;
}

/* path as a read-only SQLite URI: file:PATH?mode=ro with '%', '?' and
 * '#' escaped. */
static int ro_uri(struct strbuf *sb, const char *path)
{
	strbuf_addstr(sb, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			strbuf_addf(sb, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(sb, *p);
	}
	strbuf_addstr(sb, "?mode=ro");
	return strbuf_failed(sb) ? -1 : 0;
}

int mlflow_db_open(const char *path, const char *name, struct mlflow_db **out,
		   struct fail *f)
{
	struct stat sb;
	struct strbuf uri = STRBUF_INIT;
	struct mlflow_db *m = NULL;
	int rc = -1;
	*out = NULL;
	if (stat(path, &sb) != 0)
		return fail_set(f, FAIL_USAGE, "%s: no such file", name);
	if (!S_ISREG(sb.st_mode))
		return fail_set(f, FAIL_USAGE, "%s: expected an MLflow store "
				"(mlflow.db or an mlruns/ folder), found "
				"something else", name);
	m = calloc(1, sizeof *m);
	if (m == NULL || (m->name = strdup(name)) == NULL ||
	    ro_uri(&uri, path) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (sqlite3_open_v2(uri.buf, &m->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) !=
	    SQLITE_OK) {
		fail_set(f, FAIL_USAGE, "%s: cannot open: %s", name,
			 m->db ? sqlite3_errmsg(m->db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(m->db, 5000);
	for (size_t t = 0; t < sizeof needed / sizeof *needed; t++) {
		const char *missing = NULL;
		int ws = 0;
		int k = check_table(m, needed[t].table, needed[t].columns,
				    &missing, &ws, f);
		if (k == -1)
			goto out;
		if (k == 0 && needed[t].optional)
			continue;
		if (k == 0) {
			fail_set(f, FAIL_USAGE, "%s: not an MLflow store (no "
				 "table '%s')", name, needed[t].table);
			goto out;
		}
		if (k == -2) {
			fail_set(f, FAIL_USAGE, "%s: not an MLflow store fairtop "
				 "can read (table '%s' has no column '%s')",
				 name, needed[t].table, missing);
			goto out;
		}
		if (strcmp(needed[t].table, "experiments") == 0)
			m->has_workspace = ws;
		else if (strcmp(needed[t].table, "model_versions") == 0) {
			m->has_registry = 1;
			m->versions_workspace = ws;
		} else if (strcmp(needed[t].table,
				  "registered_model_aliases") == 0) {
			m->has_aliases = 1;
			m->aliases_workspace = ws;
		}
	}
	rc = 0;
out:
	strbuf_release(&uri);
	if (rc != 0) {
		mlflow_db_close(m);
		return -1;
	}
	*out = m;
	return 0;
}

void mlflow_db_close(struct mlflow_db *m)
{
	if (m == NULL)
		return;
	sqlite3_close(m->db);
	free(m->name);
	free(m);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t != NULL ? strdup((const char *)t) : NULL;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC); /* outlives the step */
	else
		sqlite3_bind_null(st, i);
}

static int check_workspace(struct mlflow_db *m, const char *workspace,
			   struct fail *f)
{
	if (workspace != NULL && !m->has_workspace &&
	    strcmp(workspace, "default") != 0)
		return fail_set(f, FAIL_USAGE, "%s: --workspace %s: this store "
				"has no workspaces (MLflow before 3.10): only "
				"'default'", m->name, workspace);
	return 0;
}

int mlflow_db_runs(struct mlflow_db *m, const struct mlflow_filter *filter,
		   struct mlflow_run **runs, size_t *n, struct fail *f)
{
	static const char base[] =
		"SELECT r.run_uuid, r.name, r.status, r.start_time,"
		" r.end_time, r.lifecycle_stage, r.artifact_uri,"
		" CAST(r.experiment_id AS TEXT), e.name, e.lifecycle_stage"
		" FROM runs r LEFT JOIN experiments e"
		" ON e.experiment_id = r.experiment_id"
		" WHERE (?1 IS NULL OR CAST(r.experiment_id AS TEXT) = ?1"
		"  OR e.name = ?1)"
		" AND (?2 IS NULL OR r.run_uuid = ?2)";
	char sql[1024];
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;
	*runs = NULL;
	*n = 0;
	if (check_workspace(m, filter->workspace, f) != 0)
		return -1;
	snprintf(sql, sizeof sql, "%s%s ORDER BY r.start_time, r.run_uuid",
		 base, m->has_workspace
			       ? " AND (?3 IS NULL OR e.workspace = ?3)" : "");
	if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(m, f, "reading the runs");
	bind_opt(st, 1, filter->experiment);
	bind_opt(st, 2, filter->run);
	if (m->has_workspace)
		bind_opt(st, 3, filter->workspace);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct mlflow_run *grown =
				realloc(*runs, ncap * sizeof **runs);
			if (grown == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			*runs = grown;
			cap = ncap;
		}
		struct mlflow_run *r = &(*runs)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = col_dup(st, 0);
		r->name = col_dup(st, 1);
		r->status = col_dup(st, 2);
		r->has_start = sqlite3_column_type(st, 3) != SQLITE_NULL;
		r->start_ms = sqlite3_column_int64(st, 3);
		r->has_end = sqlite3_column_type(st, 4) != SQLITE_NULL;
		r->end_ms = sqlite3_column_int64(st, 4);
		const char *exp_stage = (const char *)sqlite3_column_text(st, 9);
		r->lifecycle = exp_stage && strcmp(exp_stage, "deleted") == 0
				       ? strdup("deleted") : col_dup(st, 5);
		r->artifact_uri = col_dup(st, 6);
		r->experiment_id = col_dup(st, 7);
		r->experiment = col_dup(st, 8);
		if (r->id == NULL || r->experiment_id == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		mlflow_runs_free(*runs, *n);
		*runs = NULL;
		*n = 0;
		return rc == SQLITE_NOMEM ? fail_set(f, FAIL_INTERNAL,
						     "out of memory")
					  : db_fail(m, f, "reading the runs");
	}
	return 0;
}

int mlflow_db_details(struct mlflow_db *m, struct mlflow_run *r,
		      struct fail *f)
{
	static const char *const sql[] = {
		"SELECT key, value FROM params WHERE run_uuid = ?1 ORDER BY key",
		"SELECT key, value FROM tags WHERE run_uuid = ?1 ORDER BY key",
		"SELECT key, value, timestamp, step, is_nan FROM metrics"
		" WHERE run_uuid = ?1 ORDER BY key, step, timestamp",
	};
	for (int q = 0; q < 3; q++) {
		sqlite3_stmt *st = NULL;
		int rc = SQLITE_DONE, bad = 0;
		if (sqlite3_prepare_v2(m->db, sql[q], -1, &st, NULL) !=
		    SQLITE_OK)
			return db_fail(m, f, "reading a run");
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *key = (const char *)sqlite3_column_text(st, 0);
			const char *value =
				(const char *)sqlite3_column_text(st, 1);
			if (key == NULL)
				continue;
			if (q == 0)
				bad = mlflow_add_param(r, key, value);
			else if (q == 1)
				bad = mlflow_add_tag(r, key, value);
			else
				bad = mlflow_add_point(
					r, key, sqlite3_column_double(st, 1),
					sqlite3_column_int64(st, 2),
					sqlite3_column_int64(st, 3),
					sqlite3_column_int(st, 4) != 0);
		}
		sqlite3_finalize(st);
		if (bad)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		if (rc != SQLITE_DONE)
			return db_fail(m, f, "reading a run");
	}
	return 0;
}

int mlflow_db_registry(struct mlflow_db *m, const struct mlflow_filter *filter,
		       struct mlflow_registry *reg, struct fail *f)
{
	char sql[256];
	if (!m->has_registry)
		return 0;
	for (int q = 0; q < 2; q++) {
		int ws = q == 0 ? m->versions_workspace : m->aliases_workspace;
		sqlite3_stmt *st = NULL;
		int rc = SQLITE_DONE, bad = 0;
		if (q == 1 && !m->has_aliases)
			break;
		snprintf(sql, sizeof sql, "%s%s ORDER BY name, version",
			 q == 0 ? "SELECT name, CAST(version AS TEXT), run_id"
				  " FROM model_versions"
				: "SELECT name, alias, CAST(version AS TEXT)"
				  " FROM registered_model_aliases",
			 ws ? " WHERE (?1 IS NULL OR workspace = ?1)" : "");
		if (sqlite3_prepare_v2(m->db, sql, -1, &st, NULL) != SQLITE_OK)
			return db_fail(m, f, "reading the model registry");
		if (ws)
			bind_opt(st, 1, filter->workspace);
		while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *a = (const char *)sqlite3_column_text(st, 0);
			const char *b = (const char *)sqlite3_column_text(st, 1);
			const char *c = (const char *)sqlite3_column_text(st, 2);
			if (a == NULL || b == NULL)
				continue;
			bad = q == 0 ? mlflow_add_version(reg, a, b, c)
				     : c != NULL && mlflow_add_alias(reg, a, b, c);
		}
		sqlite3_finalize(st);
		if (bad)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		if (rc != SQLITE_DONE)
			return db_fail(m, f, "reading the model registry");
	}
	return 0;
}
