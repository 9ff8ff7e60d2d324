/*
 * driftcache.c — the Drift view's reads, kept.  See driftcache.h.
 */
#include "storage/driftcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "storage/summary_store.h"

/* A copy of a column's text ("" for NULL); NULL when out of memory. */
static char *dup_text(const unsigned char *t)
{
	return strdup(t ? (const char *)t : "");
}

static void steps_release(struct drift_steps *t)
{
	free(t->feature);
	free(t->run);
	free(t->label);
	free(t->group_id);
	free(t->steps);
	free(t->counts);
	free(t->present);
	memset(t, 0, sizeof *t);
}

void driftcache_init(struct drift_cache *c)
{
	memset(c, 0, sizeof *c);
}

static void run_release(struct drift_run *r)
{
	free(r->key);
	free(r->started);
	free(r->g);
}

void driftcache_release(struct drift_cache *c)
{
	strtab_release(&c->names);
	free(c->feature);
	for (size_t i = 0; i < c->nruns; i++)
		run_release(&c->runs[i]);
	free(c->runs);
	steps_release(&c->steps);
	memset(c, 0, sizeof *c);
}

const char *driftcache_name(const struct drift_cache *c, size_t i)
{
	return i < strtab_count(&c->names) ? strtab_text(&c->names, i) : "";
}

size_t driftcache_name_count(const struct drift_cache *c)
{
	return strtab_count(&c->names);
}

/* The index of name, added when new; (size_t)-1 when out of memory. */
static size_t intern(struct drift_cache *c, const char *name)
{
	int64_t id = strtab_intern(&c->names, name, strlen(name));
	return id < 0 ? (size_t)-1 : (size_t)id;
}

long driftcache_find_feature(const struct drift_cache *c, const char *name)
{
	for (size_t i = 0; i < c->nfeatures; i++)
		if (strcmp(driftcache_name(c, c->feature[i]), name) == 0)
			return (long)i;
	return -1;
}

/* Add the single feature called name to the sorted list (once). */
static int add_feature(struct drift_cache *c, const char *name)
{
	size_t k = intern(c, name);
	if (k == (size_t)-1)
		return -1;
	size_t at = 0;
	while (at < c->nfeatures &&
	       strcmp(driftcache_name(c, c->feature[at]), name) < 0)
		at++;
	if (at < c->nfeatures && c->feature[at] == k)
		return 0;
	if (ARRAY_GROW(c->feature, c->nfeatures + 1, c->features_cap) != 0)
		return -1;
	memmove(c->feature + at + 1, c->feature + at,
		(c->nfeatures - at) * sizeof *c->feature);
	c->feature[at] = k;
	c->nfeatures++;
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct drift_run *x = a, *y = b;
	int d = strcmp(x->started, y->started);
	return d ? d : strcmp(x->key, y->key);
}

static int by_place(const void *a, const void *b)
{
	const struct drift_count *x = a, *y = b;
	if (x->feature != y->feature)
		return x->feature < y->feature ? -1 : 1;
	return (x->position > y->position) - (x->position < y->position);
}

/* The newest DRIFT_RUNS runs with an evaluation (by start, then key;
 * a run without one has no counts to chart) with an id above ?1
 * (?2 is DRIFT_RUNS).  Of every run (?1 is 0): the first DRIFT_RUNS of
 * the runs_by_start index.  Of those added since a read: their ids'
 * range, then sorted (the unary + keeps SQLite from walking the index
 * over every run to find the few added). */
#define NEWEST_OF_ALL                                                      \
	" (SELECT id FROM runs WHERE id > ?1 AND evaluation != 'none'"     \
	"  ORDER BY started_at DESC, run_key DESC LIMIT ?2)"
#define NEWEST_ADDED                                                       \
	" (SELECT id FROM runs WHERE id > ?1 AND evaluation != 'none'"     \
	"  ORDER BY +started_at DESC, +run_key DESC LIMIT ?2)"

/* The single features of the newest runs above id `after`. */
static int read_features(struct drift_cache *c, struct store *s,
			 int64_t after)
{
	static const char all[] = "SELECT DISTINCT name FROM features"
				  " WHERE kind = 'feature' AND run_id IN"
				  NEWEST_OF_ALL;
	static const char added[] = "SELECT DISTINCT name FROM features"
				    " WHERE kind = 'feature' AND run_id IN"
				    NEWEST_ADDED;
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(s->db, after > 0 ? added : all, -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, DRIFT_RUNS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(st, 0);
		if (add_feature(c, name ? (const char *)name : "") != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The final-step counts of the single features' groups of the runs
 * above id `after`, one run after another. */
static int read_counts(struct drift_cache *c, struct store *s,
		       int64_t after)
{
	/* CROSS JOIN fixes the join order: the runs by id, each run's
	 * final-step counts as one range of the confusion key, then their
	 * group and feature by rowid */
#define COUNTS_OF(runs)                                                    \
	"SELECT r.id, r.run_key, r.started_at, f.id, f.name, g.label,"     \
	" g.position, c.tp, c.fp, c.tn, c.fn"                              \
	" FROM runs r CROSS JOIN confusion c CROSS JOIN groups g"          \
	" CROSS JOIN features f"                                           \
	" WHERE r.id IN" runs                                              \
	"  AND c.run_id = r.id AND c.step = r.final_step"                  \
	"  AND g.id = c.group_id AND f.id = g.feature_id"                  \
	"  AND f.kind = 'feature'"                                         \
	" ORDER BY r.id"
	static const char all[] = COUNTS_OF(NEWEST_OF_ALL);
	static const char added[] = COUNTS_OF(NEWEST_ADDED);
	const char *sql = after > 0 ? added : all;
	sqlite3_stmt *st = NULL;
	struct drift_run *run = NULL;
	size_t g_cap = 0, feature = 0;
	int64_t feature_id = -1;
	int rc;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, DRIFT_RUNS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (run == NULL || run->id != id) {
			if (ARRAY_GROW(c->runs, c->nruns + 1,
				       c->runs_cap) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			run = &c->runs[c->nruns++];
			memset(run, 0, sizeof *run);
			run->id = id;
			run->key = dup_text(sqlite3_column_text(st, 1));
			run->started = dup_text(sqlite3_column_text(st, 2));
			g_cap = 0;
			if (run->key == NULL || run->started == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		int64_t fid = sqlite3_column_int64(st, 3);
		if (fid != feature_id) {
			const unsigned char *name = sqlite3_column_text(st, 4);
			feature = intern(c, name ? (const char *)name : "");
			feature_id = fid;
		}
		const unsigned char *label = sqlite3_column_text(st, 5);
		size_t k = intern(c, label ? (const char *)label : "");
		if (feature == (size_t)-1 || k == (size_t)-1 ||
		    ARRAY_GROW(run->g, run->ng + 1, g_cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		struct drift_count *x = &run->g[run->ng++];
		x->feature = feature;
		x->label = k;
		x->position = sqlite3_column_int64(st, 6);
		confusion_init(&x->counts);
		x->counts.tp = sqlite3_column_double(st, 7);
		x->counts.fp = sqlite3_column_double(st, 8);
		x->counts.tn = sqlite3_column_double(st, 9);
		x->counts.fn = sqlite3_column_double(st, 10);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Only the newest DRIFT_RUNS runs stay (c->runs is oldest first): the
 * runs read now are the newest of those added, and may push older
 * ones out. */
static void keep_newest(struct drift_cache *c)
{
	if (c->nruns <= DRIFT_RUNS)
		return;
	size_t drop = c->nruns - DRIFT_RUNS;
	for (size_t i = 0; i < drop; i++)
		run_release(&c->runs[i]);
	memmove(c->runs, c->runs + drop, DRIFT_RUNS * sizeof *c->runs);
	c->nruns = DRIFT_RUNS;
	/* a feature only the runs pushed out had goes with them */
	size_t kept = 0;
	for (size_t k = 0; k < c->nfeatures; k++) {
		int seen = 0;
		for (size_t i = 0; i < c->nruns && !seen; i++)
			for (size_t j = 0; j < c->runs[i].ng && !seen; j++)
				seen = c->runs[i].g[j].feature == c->feature[k];
		if (seen)
			c->feature[kept++] = c->feature[k];
	}
	c->nfeatures = kept;
}

int driftcache_update(struct drift_cache *c, struct store *s,
		      struct fail *f)
{
	int64_t changes, max_id;
	if (store_run_changes(s, &changes, f) != 0)
		return -1;
	if (store_max_run_id(s, &max_id, f) != 0)
		return -1;
	if (!c->filled || changes != c->changes || max_id < c->max_id)
		driftcache_release(c);
	if (max_id > c->max_id) {
		size_t before = c->nruns;
		if (read_features(c, s, c->max_id) != 0 ||
		    read_counts(c, s, c->max_id) != 0) {
			/* half read: start again next time */
			driftcache_release(c);
			return fail_set(f, FAIL_INTERNAL, "store %s: reading "
					"drift failed (%s)", s->path,
					sqlite3_errmsg(s->db));
		}
		for (size_t i = before; i < c->nruns; i++)
			qsort(c->runs[i].g, c->runs[i].ng, sizeof *c->runs[i].g,
			      by_place);
		if (c->nruns > before)
			qsort(c->runs, c->nruns, sizeof *c->runs, by_start);
		keep_newest(c);
	}
	c->filled = 1;
	c->changes = changes;
	c->max_id = max_id;
	return 0;
}

/* Read run's groups of feature (by position), then its counts. */
static int read_steps(struct drift_cache *c, struct store *s,
		      struct drift_steps *t)
{
	static const char groups_sql[] =
		"SELECT g.id, g.label FROM runs r CROSS JOIN features f"
		" CROSS JOIN groups g"
		" WHERE r.run_key = ?2 AND f.run_id = r.id"
		"  AND f.kind = 'feature' AND f.name = ?1"
		"  AND g.feature_id = f.id ORDER BY g.position";
	/* the run's counts in key order: one range, no sort */
	static const char counts_sql[] =
		"SELECT c.step, c.group_id, c.tp, c.fp, c.tn, c.fn"
		" FROM runs r CROSS JOIN confusion c"
		" WHERE r.run_key = ?1 AND c.run_id = r.id"
		" ORDER BY c.step, c.group_id";
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(s->db, groups_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, t->feature, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t->run, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *label = sqlite3_column_text(st, 1);
		size_t k = intern(c, label ? (const char *)label : "");
		if (k == (size_t)-1 ||
		    ARRAY_GROW(t->group_id, t->ng + 1, t->g_cap) != 0 ||
		    ARRAY_GROW(t->label, t->ng + 1, t->label_cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		t->group_id[t->ng] = sqlite3_column_int64(st, 0);
		t->label[t->ng++] = k;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (t->ng == 0)
		return 0;
	if (sqlite3_prepare_v2(s->db, counts_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, t->run, -1, SQLITE_STATIC);
	size_t ng = t->ng;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t step = sqlite3_column_int64(st, 0);
		int64_t id = sqlite3_column_int64(st, 1);
		size_t k = 0;
		while (k < ng && t->group_id[k] != id)
			k++;
		if (k == ng)
			continue; /* a group of another feature */
		if (t->nsteps == 0 || t->steps[t->nsteps - 1] != step) {
			size_t n = t->nsteps + 1;
			if (n > SIZE_MAX / ng ||
			    ARRAY_GROW(t->steps, n, t->steps_cap) != 0 ||
			    ARRAY_GROW(t->counts, n * ng, t->counts_cap) != 0 ||
			    ARRAY_GROW(t->present, n * ng,
				       t->present_cap) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			memset(t->present + t->nsteps * ng, 0, ng);
			t->steps[t->nsteps++] = step;
		}
		size_t at = (t->nsteps - 1) * ng + k;
		struct confusion *x = &t->counts[at];
		confusion_init(x);
		x->tp = sqlite3_column_double(st, 2);
		x->fp = sqlite3_column_double(st, 3);
		x->tn = sqlite3_column_double(st, 4);
		x->fn = sqlite3_column_double(st, 5);
		t->present[at] = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int driftcache_steps(struct drift_cache *c, struct store *s,
		     const char *feature, const char *run,
		     const struct drift_steps **out, struct fail *f)
{
	struct drift_steps *t = &c->steps;
	*out = t;
	if (t->filled && t->changes == c->changes &&
	    strcmp(t->feature, feature) == 0 && strcmp(t->run, run) == 0)
		return 0;
	steps_release(t);
	t->feature = strdup(feature);
	t->run = strdup(run);
	if (t->feature == NULL || t->run == NULL) {
		steps_release(t);
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	if (read_steps(c, s, t) != 0) {
		steps_release(t);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading steps "
				"failed (%s)", s->path, sqlite3_errmsg(s->db));
	}
	/* a run not in the store yet (or without the feature) may come:
	 * only what was found is kept */
	t->filled = t->ng > 0;
	t->changes = c->changes;
	return 0;
}
