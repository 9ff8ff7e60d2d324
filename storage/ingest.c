/*
 * ingest.c — one run into the store, from its folder or its parts.  See
 * ingest.h.
 */
#include "storage/ingest.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/source.h"
#include "core/strbuf.h"
#include "core/counts.h"
#include "core/history.h"
#include "core/isotime.h"
#include "core/predictions.h"
#include "core/runinfo.h"
#include "core/text.h"

struct paths {
	char predictions[4096], counts[4096];
};

static int join(char *buf, size_t size, const char *dir, const char *file)
{
	size_t len = strlen(dir);
	const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
	int n = snprintf(buf, size, "%s%s%s", dir, sep, file);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* What is at path: 0 nothing, 1 a regular file (through links), -1
 * something fairtop cannot read as a file (a folder, a FIFO, a link
 * that loops or leads nowhere), with what it is in what[]. */
static int file_kind(const char *path, const char **what)
{
	struct stat sb;
	*what = "";
	if (lstat(path, &sb) != 0)
		return 0;
	if (stat(path, &sb) != 0) {
		*what = "a symbolic link that loops or leads nowhere";
		return -1;
	}
	if (S_ISREG(sb.st_mode))
		return 1;
	*what = S_ISDIR(sb.st_mode)    ? "a folder"
		: S_ISFIFO(sb.st_mode) ? "a FIFO"
				       : "something that is not a file";
	return -1;
}

/* 1 when path is a regular file, 0 when nothing is there; -1 with *f
 * filled when something else is. */
static int present(const char *path, struct fail *f)
{
	const char *what;
	int k = file_kind(path, &what);
	if (k < 0)
		return fail_set(f, FAIL_DATA, "%s: expected a regular file, "
				"found %s", path, what);
	return k;
}

static int is_folder(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* An input that may come in shards: NAME.csv a file, or NAME.csv or
 * NAME a folder of part-*.csv.  *paths (freed with source_parts_free())
 * gets its files, *n how many (0: none there).  0, or -1 with *f
 * filled. */
static int find_parts(const char *dir, const char *name, char ***paths,
		      size_t *n, struct fail *f)
{
	char file[4096], folder[4096], base[64];
	*paths = NULL;
	*n = 0;
	snprintf(base, sizeof base, "%s.csv", name);
	if (join(file, sizeof file, dir, base) ||
	    join(folder, sizeof folder, dir, name))
		return fail_set(f, FAIL_DATA, "%s: path too long", dir);
	int file_is_folder = is_folder(file), folder_is = is_folder(folder);
	if ((file_is_folder || path_is_file(file)) && folder_is)
		return fail_set(f, FAIL_DATA, "%s: expected %s or %s/, found "
				"both; keep one", dir, base, name);
	if (folder_is || file_is_folder)
		return source_list_parts(folder_is ? folder : file, paths, n,
					 f);
	int k = present(file, f);
	if (k <= 0)
		return k;
	*paths = malloc(sizeof **paths);
	if (*paths == NULL || ((*paths)[0] = strdup(file)) == NULL) {
		free(*paths);
		*paths = NULL;
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	*n = 1;
	return 0;
}

/* Read counts (and scores) from their parts. */
static int read_counts(char **counts, size_t ncounts, char **scores,
		       size_t nscores, struct evaluation **ev,
		       struct counts_summary *sum, struct fail *f)
{
	struct source *src = calloc(ncounts + nscores, sizeof *src);
	if (src == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	for (size_t i = 0; i < ncounts; i++)
		src[i] = source_file(counts[i], counts[i]);
	for (size_t i = 0; i < nscores; i++)
		src[ncounts + i] = source_file(scores[i], scores[i]);
	int rc = counts_read_parts(src, ncounts, src + ncounts, nscores, ev,
				   sum, f);
	free(src);
	return rc;
}

int ingest_is_run_folder(const char *dir)
{
	char path[4096];
	return join(path, sizeof path, dir, "run.csv") == 0 && path_is_file(path);
}

/* Bind helpers: text or NULL, double or NULL when undefined. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* A weight sum into a REAL column: an exact integer as one (bound as
 * int64, the column keeps the number in 1 to 8 bytes and reads it back
 * as the same double), anything else as the double itself.  -0.0 stays
 * a double (its sign would be lost as an integer). */
static void bind_count(sqlite3_stmt *st, int i, double v)
{
	if (v >= -9007199254740992.0 && v <= 9007199254740992.0 &&
	    v == (double)(sqlite3_int64)v && !(v == 0 && signbit(v)))
		sqlite3_bind_int64(st, i, (sqlite3_int64)v);
	else
		sqlite3_bind_double(st, i, v);
}

static void bind_rate(sqlite3_stmt *st, int i, double v)
{
	if (rate_defined(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* Run st (every parameter bound) to its end and reset it: 0, or -1
 * with *f saying what failed. */
static int step_bound(struct store *s, sqlite3_stmt *st, const char *what,
		      struct fail *f)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, f, what);
	return 0;
}

/* The same, its bindings cleared after (some are left unbound, NULL,
 * at the next run). */
static int step_done(struct store *s, sqlite3_stmt *st, const char *what,
		     struct fail *f)
{
	int rc = step_bound(s, st, what, f);
	sqlite3_clear_bindings(st);
	return rc;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st,
		   struct fail *f)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_fail(s, f, "preparing a statement");
	assert(*st != NULL); /* sql is never empty, nor only a comment */
	return 0;
}

/* The statements written for every run are kept prepared on the
 * connection (store_cached()): a folder of a thousand runs parses each
 * once.  Borrowed from s; never finalized here. */
static int cached(struct store *s, enum store_cached which, const char *sql,
		  sqlite3_stmt **st, struct fail *f)
{
	return store_cached(s, which, sql, st, f);
}

/* The id of run_key, 0 when absent, -1 on error. */
static int64_t find_run(struct store *s, const char *key, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;
	if (cached(s, STORE_INGEST_FIND_RUN,
		   "SELECT id FROM runs WHERE run_key = ?1", &st, f) != 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		id = 0;
	else
		store_fail(s, f, "looking up the run");
	sqlite3_reset(st);
	return id;
}

static int delete_run(struct store *s, int64_t id, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	if (prepare(s, "DELETE FROM runs WHERE id = ?1", &st, f) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = step_done(s, st, "replacing the run", f);
	sqlite3_finalize(st);
	return rc;
}

struct evaluation_info {
	const char *kind; /* none, predictions, counts */
	const struct evaluation *ev;
	const struct predictions_summary *sum;
};

static int insert_run(struct store *s, const struct run_info *ri,
		      const char *dir, const struct evaluation_info *ei,
		      int64_t *run_id, struct fail *f)
{
	static const char sql[] =
		"INSERT INTO runs (run_key, model, version, parent, git_commit,"
		" data_version, started_at, finished_at, status, beta_factor,"
		" class_weights, positive_label, negative_label, sensitive,"
		" source, evaluation, final_step, rows_evaluated, has_scores,"
		" ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";
	sqlite3_stmt *st = NULL;
	char now[32];
	if (cached(s, STORE_INGEST_RUN, sql, &st, f) != 0)
		return -1;
	store_now(now, sizeof now);
	bind_text(st, 1, ri->run);
	bind_text(st, 2, ri->model);
	bind_text(st, 3, ri->version);
	bind_text(st, 4, ri->parent);
	bind_text(st, 5, ri->commit);
	bind_text(st, 6, ri->data_version);
	/* times in one form (UTC, Z) so that ordering by text is ordering
	 * by time; run.csv's were checked ISO 8601 on reading */
	char started[64], finished[64];
	if (isotime_utc(ri->started_at, started, sizeof started) != 0)
		snprintf(started, sizeof started, "%s", ri->started_at);
	bind_text(st, 7, started);
	if (ri->finished_at != NULL &&
	    isotime_utc(ri->finished_at, finished, sizeof finished) == 0)
		bind_text(st, 8, finished);
	else
		bind_text(st, 8, ri->finished_at);
	bind_text(st, 9, ri->status);
	bind_rate(st, 10, ri->beta_factor);
	bind_text(st, 11, ri->class_weights_text);
	bind_text(st, 12, ri->positive_label);
	bind_text(st, 13, ei->sum && ei->sum->negative_label[0]
				  ? ei->sum->negative_label : NULL);
	bind_text(st, 14, ri->sensitive_text);
	bind_text(st, 15, dir);
	bind_text(st, 16, ei->kind);
	if (ei->ev != NULL)
		sqlite3_bind_int64(st, 17, evaluation_final_step(ei->ev));
	if (ei->sum != NULL)
		sqlite3_bind_int64(st, 18, ei->sum->rows);
	sqlite3_bind_int(st, 19, ei->sum != NULL && ei->sum->has_score);
	bind_text(st, 20, now);
	int rc = step_done(s, st, "storing the run", f);
	*run_id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int insert_params(struct store *s, int64_t run_id,
			 const struct run_info *ri, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (cached(s, STORE_INGEST_PARAM,
		   "INSERT INTO run_params (run_id, position, key, value)"
		   " VALUES (?1, ?2, ?3, ?4)", &st, f) != 0)
		return -1;
	for (size_t i = 0; i < ri->nparams && rc == 0; i++) {
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_text(st, 3, ri->param[i].key);
		bind_text(st, 4, ri->param[i].value);
		rc = step_done(s, st, "storing the run's parameters", f);
	}
	return rc;
}

/* Metric points stored METRICS_BATCH to a statement, as the confusion
 * rows are (COUNTS_BATCH).  The points of a batch are held (copied,
 * their texts in one buffer) until it is full; a batch that fails on a
 * point given twice (the statement undone whole) is stored again one
 * point at a time, which names the point and its line. */
#define METRICS_BATCH 32
#define METRIC_ROW "(?,?,?,?,?,?)"
#define METRIC_ROWS_4 METRIC_ROW "," METRIC_ROW "," METRIC_ROW "," METRIC_ROW
#define METRIC_ROWS_16                                                     \
	METRIC_ROWS_4 "," METRIC_ROWS_4 "," METRIC_ROWS_4 "," METRIC_ROWS_4
static const char metrics_batch_sql[] =
	"INSERT INTO metrics (run_id, step, timestamp, metric, grp, value)"
	" VALUES " METRIC_ROWS_16 "," METRIC_ROWS_16;

struct held_point {
	long line;
	int64_t step;
	double value;
	/* offsets into the writer's text; timestamp (size_t)-1 when empty */
	size_t timestamp, metric, group;
};

struct metrics_writer {
	struct store *s;
	sqlite3_stmt *one, *batch;
	int64_t run_id;
	const char *name;
	struct held_point held[METRICS_BATCH];
	size_t nheld;
	struct strbuf text; /* the held points' texts, each with its NUL */
};

/* Bind p (its texts borrowed until the statement ran) to st's
 * parameters after the first `at`. */
static void bind_point(sqlite3_stmt *st, int at, int64_t run_id,
		       const struct metric_point *p)
{
	sqlite3_bind_int64(st, at + 1, run_id);
	sqlite3_bind_int64(st, at + 2, p->step);
	bind_text(st, at + 3, p->timestamp[0] ? p->timestamp : NULL);
	bind_text(st, at + 4, p->metric);
	bind_text(st, at + 5, p->group);
	sqlite3_bind_double(st, at + 6, p->value);
}

/* Store one point alone: a point given twice is named, with its line. */
static int write_one(struct metrics_writer *w, const struct metric_point *p,
		     struct fail *f)
{
	char shown_metric[64], shown_group[64];
	bind_point(w->one, 0, w->run_id, p);
	int rc = sqlite3_step(w->one);
	sqlite3_reset(w->one);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return fail_at(f, w->name, p->line,
			       "expected one value per step, metric and group, "
			       "found a second one for step %lld, metric "
			       "'%s', group '%s'", (long long)p->step,
			       fail_quote(shown_metric, sizeof shown_metric,
					  p->metric, strlen(p->metric)),
			       fail_quote(shown_group, sizeof shown_group,
					  p->group, strlen(p->group)));
	if (rc != SQLITE_DONE)
		return store_fail(w->s, f, "storing the metric history");
	return 0;
}

/* Held point i as a metric_point (its texts in w->text). */
static struct metric_point held_at(const struct metrics_writer *w, size_t i)
{
	const struct held_point *h = &w->held[i];
	struct metric_point p = {
		h->line, h->step,
		h->timestamp == (size_t)-1 ? "" : w->text.buf + h->timestamp,
		w->text.buf + h->metric, w->text.buf + h->group, h->value};
	return p;
}

/* Store the points held: a full batch in one statement; the last points
 * of a file, and a batch that holds a point given twice, one at a
 * time. */
static int flush_points(struct metrics_writer *w, struct fail *f)
{
	int one_by_one = 1;
	if (w->nheld == METRICS_BATCH) {
		for (size_t i = 0; i < w->nheld; i++) {
			struct metric_point p = held_at(w, i);
			bind_point(w->batch, (int)i * 6, w->run_id, &p);
		}
		int rc = sqlite3_step(w->batch);
		sqlite3_reset(w->batch);
		if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT_PRIMARYKEY)
			return store_fail(w->s, f, "storing the metric history");
		one_by_one = rc != SQLITE_DONE;
	}
	for (size_t i = 0; one_by_one && i < w->nheld; i++) {
		struct metric_point p = held_at(w, i);
		if (write_one(w, &p, f) != 0)
			return -1;
	}
	w->nheld = 0;
	strbuf_setlen(&w->text, 0); /* its memory kept for the next */
	return 0;
}

/* Append s and its NUL to w->text: its offset, or (size_t)-1 when out
 * of memory. */
static size_t hold_text(struct metrics_writer *w, const char *s)
{
	size_t at = w->text.len;
	return strbuf_add(&w->text, s, strlen(s) + 1) == 0 ? at : (size_t)-1;
}

static int write_metric(void *ctx, const struct metric_point *p,
			struct fail *f)
{
	struct metrics_writer *w = ctx;
	struct held_point *h = &w->held[w->nheld];
	h->line = p->line;
	h->step = p->step;
	h->value = p->value;
	h->timestamp = (size_t)-1;
	if ((p->timestamp[0] &&
	     (h->timestamp = hold_text(w, p->timestamp)) == (size_t)-1) ||
	    (h->metric = hold_text(w, p->metric)) == (size_t)-1 ||
	    (h->group = hold_text(w, p->group)) == (size_t)-1)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (++w->nheld == METRICS_BATCH)
		return flush_points(w, f);
	return 0;
}

static int insert_metrics(struct store *s, int64_t run_id,
			  const struct source *src, long *points,
			  struct fail *f)
{
	struct metrics_writer w;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.run_id = run_id;
	w.name = src->name;
	strbuf_init(&w.text);
	if (cached(s, STORE_INGEST_METRIC,
		   "INSERT INTO metrics (run_id, step, timestamp, metric,"
		   " grp, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &w.one,
		   f) != 0 ||
	    cached(s, STORE_INGEST_METRICS_BATCH, metrics_batch_sql, &w.batch,
		   f) != 0)
		return -1;
	int rc = history_read(src, write_metric, &w, points, f);
	if (rc == 0)
		rc = flush_points(&w, f);
	strbuf_release(&w.text);
	return rc;
}

struct group_writer {
	sqlite3_stmt *feature, *group, *counts, *counts_batch, *bin;
};

/* Confusion rows stored COUNTS_BATCH to a statement: each statement run
 * has a cost of its own (its cursors opened and closed, its end), which
 * one row a run paid in full: a third of the inserts' instructions. */
#define COUNTS_BATCH 32
#define COUNTS_COLUMNS 11

/* The INSERT of COUNTS_BATCH confusion rows. */
#define ROW_1 "(?,?,?,?,?,?,?,?,?,?,?)"
#define ROWS_4 ROW_1 "," ROW_1 "," ROW_1 "," ROW_1
#define ROWS_16 ROWS_4 "," ROWS_4 "," ROWS_4 "," ROWS_4
static const char counts_batch_sql[] =
	"INSERT INTO confusion (run_id, step, group_id, rows, rows_positive,"
	" tp, fp, tn, fn, w2_positive, w2_negative) VALUES "
	ROWS_16 "," ROWS_16;

/* Bind group g's confusion row (group id group_id) to st's parameters
 * after the first `at` (a row of COUNTS_COLUMNS). */
static void bind_counts(sqlite3_stmt *st, int at, int64_t run_id,
			const struct eval_group *g, int64_t group_id)
{
	sqlite3_bind_int64(st, at + 1, run_id);
	sqlite3_bind_int64(st, at + 2, g->step);
	sqlite3_bind_int64(st, at + 3, group_id);
	if (g->counts.rows >= 0) {
		sqlite3_bind_int64(st, at + 4, g->counts.rows);
		sqlite3_bind_int64(st, at + 5, g->counts.rows_positive);
	} else {
		sqlite3_bind_null(st, at + 4);
		sqlite3_bind_null(st, at + 5);
	}
	bind_count(st, at + 6, g->counts.tp);
	bind_count(st, at + 7, g->counts.fp);
	bind_count(st, at + 8, g->counts.tn);
	bind_count(st, at + 9, g->counts.fn);
	/* 0: unknown (counts.csv), kept NULL */
	if (g->counts.w2_positive > 0 || g->counts.w2_negative > 0) {
		bind_count(st, at + 10, g->counts.w2_positive);
		bind_count(st, at + 11, g->counts.w2_negative);
	} else {
		sqlite3_bind_null(st, at + 10);
		sqlite3_bind_null(st, at + 11);
	}
}

/* A group of the evaluation and its index there. */
struct group_ref {
	const struct eval_group *g;
	size_t i;
};

/* The evaluation whose groups sort_refs() orders (qsort() takes no
 * context; ingest is one thread). */
static const struct evaluation *refs_ev;

/* Groups in their order within a step (each group once). */
static int compare_refs(const void *pa, const void *pb)
{
	const struct group_ref *a = pa, *b = pb;
	int c = evaluation_group_order(refs_ev, a->g, b->g);
	return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

/* 1 when a and b are the same group (at any step). */
static int same_group(const struct eval_group *a, const struct eval_group *b)
{
	return a->mask == b->mask &&
	       memcmp(a->value, b->value, sizeof a->value) == 0;
}

static size_t group_hash(const struct eval_group *g)
{
	uint64_t h = 1469598103934665603u ^ g->mask;
	for (size_t j = 0; j < EVAL_MAX_FEATURES; j++)
		h = (h ^ g->value[j]) * 1099511628211u;
	return (size_t)(h ^ (h >> 29));
}

/* Make the run's features (in the order of first sight) and groups:
 * group_id[i] gets the id of the evaluation's group i.  The groups are
 * made in their order within a step, so that their ids are in that
 * order too: a step's confusion rows, read in key order (run, step,
 * group id), come back in the evaluation's order.  Each group is
 * stored once, with the position of its first sight. */
static int make_groups(struct store *s, int64_t run_id,
		       const struct evaluation *ev, struct group_writer *w,
		       int64_t *group_id, struct fail *f)
{
	size_t n = evaluation_group_count(ev), distinct = 0, slots = 16;
	int64_t feature_id[1u << EVAL_MAX_FEATURES];
	int feature_made[1u << EVAL_MAX_FEATURES] = {0};
	int feature_count = 0, rc = -1;
	while (slots < 2 * n)
		slots *= 2;
	/* slot[h]: 1 + the index of the first sight of a group, 0 free;
	 * first[k]: the k-th group first seen, by its index */
	size_t *slot = calloc(slots, sizeof *slot);
	size_t *of = malloc((n ? n : 1) * sizeof *of);
	struct group_ref *ref = malloc((n ? n : 1) * sizeof *ref);
	if (slot == NULL || of == NULL || ref == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		char feature[MASK_NAME_MAX + 1];
		assert(g->mask < (1u << EVAL_MAX_FEATURES));
		size_t h = group_hash(g) & (slots - 1);
		while (slot[h] != 0 &&
		       !same_group(evaluation_group(ev, slot[h] - 1), g))
			h = (h + 1) & (slots - 1);
		if (slot[h] == 0) {
			slot[h] = i + 1;
			ref[distinct++] = (struct group_ref){g, i};
		}
		of[i] = slot[h] - 1; /* the first sight of i's group */
		if (feature_made[g->mask])
			continue;
		int bits = 0;
		for (unsigned m = g->mask; m; m &= m - 1)
			bits++;
		evaluation_mask_name(ev, g->mask, feature, sizeof feature);
		sqlite3_bind_int64(w->feature, 1, run_id);
		bind_text(w->feature, 2, feature);
		bind_text(w->feature, 3, bits == 0 ? "overall"
				    : bits == 1 ? "feature"
						: "intersection");
		sqlite3_bind_int(w->feature, 4, feature_count++);
		if (step_done(s, w->feature, "storing a feature", f))
			goto out;
		feature_id[g->mask] = sqlite3_last_insert_rowid(s->db);
		feature_made[g->mask] = 1;
	}
	refs_ev = ev;
	qsort(ref, distinct, sizeof *ref, compare_refs);
	for (size_t k = 0; k < distinct; k++) {
		const struct eval_group *g = ref[k].g;
		char label[INTERSECTION_NAME_MAX + 1];
		evaluation_group_label(ev, g, label, sizeof label);
		sqlite3_bind_int64(w->group, 1, feature_id[g->mask]);
		bind_text(w->group, 2, label);
		sqlite3_bind_int64(w->group, 3, (sqlite3_int64)ref[k].i);
		int step = sqlite3_step(w->group);
		if (step == SQLITE_ROW)
			group_id[ref[k].i] = sqlite3_column_int64(w->group, 0);
		/* the RETURNING row read, the statement runs to its end */
		if (step != SQLITE_ROW || sqlite3_step(w->group) != SQLITE_DONE) {
			sqlite3_reset(w->group);
			store_fail(s, f, "storing a group");
			goto out;
		}
		sqlite3_reset(w->group);
		sqlite3_clear_bindings(w->group);
	}
	for (size_t i = 0; i < n; i++)
		group_id[i] = group_id[of[i]];
	rc = 0;
out:
	free(slot);
	free(of);
	free(ref);
	return rc;
}

static int insert_evaluation(struct store *s, int64_t run_id,
			     const struct evaluation *ev,
			     size_t *final_groups, struct fail *f)
{
	struct group_writer w = {0};
	int rc = -1;
	size_t n = evaluation_group_count(ev);
	int64_t *group_id = calloc(n ? n : 1, sizeof *group_id);
	if (group_id == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (cached(s, STORE_INGEST_FEATURE,
		   "INSERT INTO features (run_id, name, kind, position)"
		   " VALUES (?1, ?2, ?3, ?4)", &w.feature, f) ||
	    cached(s, STORE_INGEST_GROUP,
		   "INSERT INTO groups (feature_id, label, position)"
		   " VALUES (?1, ?2, ?3)"
		   " ON CONFLICT (feature_id, label) DO UPDATE"
		   " SET label = excluded.label RETURNING id",
		   &w.group, f) ||
	    cached(s, STORE_INGEST_COUNTS,
		   "INSERT INTO confusion (run_id, step, group_id, rows,"
		   " rows_positive, tp, fp, tn, fn, w2_positive, w2_negative)"
		   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
		   &w.counts, f) ||
	    cached(s, STORE_INGEST_BIN,
		   "INSERT INTO score_bins (run_id, step, group_id, bins,"
		   " bin, weight) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &w.bin, f))
		goto out;
	if (n >= COUNTS_BATCH &&
	    cached(s, STORE_INGEST_COUNTS_BATCH, counts_batch_sql,
		   &w.counts_batch, f) != 0)
		goto out;
	if (make_groups(s, run_id, ev, &w, group_id, f) != 0)
		goto out;
	*final_groups = 0;
	int64_t final_step = evaluation_final_step(ev);
	/* in the evaluation's order, which is the key's (make_groups()) */
	size_t batched = n - n % COUNTS_BATCH; /* the rest one by one */
	for (size_t i = 0; i < n; i++) {
		const struct eval_group *g = evaluation_group(ev, i);
		if (i >= batched) {
			bind_counts(w.counts, 0, run_id, g, group_id[i]);
			if (step_bound(s, w.counts, "storing confusion counts",
				       f))
				goto out;
		} else {
			int at = (int)(i % COUNTS_BATCH);
			bind_counts(w.counts_batch, at * COUNTS_COLUMNS, run_id,
				    g, group_id[i]);
			if (at == COUNTS_BATCH - 1 &&
			    step_bound(s, w.counts_batch,
				       "storing confusion counts", f))
				goto out;
		}
		if (g->step == final_step)
			(*final_groups)++;
		for (int b = 0; g->hist != NULL && b < SCORE_BINS; b++) {
			if (g->hist[b] == 0)
				continue;
			sqlite3_bind_int64(w.bin, 1, run_id);
			sqlite3_bind_int64(w.bin, 2, g->step);
			sqlite3_bind_int64(w.bin, 3, group_id[i]);
			sqlite3_bind_int(w.bin, 4, SCORE_BINS);
			sqlite3_bind_int(w.bin, 5, b);
			bind_count(w.bin, 6, g->hist[b]);
			if (step_done(s, w.bin, "storing a score histogram", f))
				goto out;
		}
	}
	rc = 0;
out:
	free(group_id);
	return rc;
}

int store_ingest_run(struct store *s, const char *dir, int flags,
		     struct ingest_result *res, struct fail *f)
{
	return store_ingest_run_then(s, dir, flags, NULL, NULL, res, f);
}

int store_ingest_run_then(struct store *s, const char *dir, int flags,
			  ingest_then_fn *then, void *ctx,
			  struct ingest_result *res, struct fail *f)
{
	char run[4096], metrics[4096];
	struct stat sb;
	memset(res, 0, sizeof *res);
	res->rows = -1;
	if (stat(dir, &sb) != 0)
		return fail_set(f, FAIL_DATA, "%s: no such file or folder", dir);
	if (!S_ISDIR(sb.st_mode))
		return fail_set(f, FAIL_DATA, "%s: expected a run folder "
				"(holding run.csv), found a file", dir);
	if (join(run, sizeof run, dir, "run.csv") ||
	    join(metrics, sizeof metrics, dir, "metrics.csv"))
		return fail_set(f, FAIL_DATA, "%s: path too long", dir);
	if (present(run, f) < 0)
		return -1;
	if (!path_is_file(run))
		return fail_set(f, FAIL_DATA, "%s: expected a run.csv in the "
				"run folder, found none", dir);
	int has_metrics = present(metrics, f);
	if (has_metrics < 0)
		return -1;
	struct source run_src = source_file(run, run);
	struct source metrics_src = source_file(metrics, metrics);
	struct ingest_parts parts = {
		.origin = dir,
		.run = &run_src,
		.metrics = has_metrics ? &metrics_src : NULL,
		.evaluation_dir = dir,
	};
	return store_ingest_parts_then(s, &parts, flags, then, ctx, res, f);
}

int store_ingest_parts_then(struct store *s, const struct ingest_parts *parts,
			    int flags, ingest_then_fn *then, void *ctx,
			    struct ingest_result *res, struct fail *f)
{
	struct paths p;
	struct run_info ri;
	struct evaluation *ev = NULL;
	struct predictions_summary sum;
	struct evaluation_info ei = {"none", NULL, NULL};
	char **counts_parts = NULL, **scores_parts = NULL;
	size_t ncounts = 0, nscores = 0;
	int in_transaction = 0;
	int rc = -1;
	int has_predictions = 0;
	const char *edir = parts->evaluation_dir;

	memset(res, 0, sizeof *res);
	res->rows = -1;
	runinfo_init(&ri);
	if (edir != NULL &&
	    (join(p.predictions, sizeof p.predictions, edir,
		  "predictions.csv") ||
	     join(p.counts, sizeof p.counts, edir, "counts.csv"))) {
		fail_set(f, FAIL_DATA, "%s: path too long", edir);
		goto out;
	}
	if (runinfo_read(parts->run, &ri, f) != 0)
		goto out;
	text_sanitize(res->run_key, sizeof res->run_key, ri.run,
		      strlen(ri.run));
	snprintf(res->run_key_raw, sizeof res->run_key_raw, "%s", ri.run);

	if (edir != NULL) {
		has_predictions = present(p.predictions, f);
		if (has_predictions < 0 ||
		    find_parts(edir, "counts", &counts_parts, &ncounts, f) != 0 ||
		    find_parts(edir, "scores", &scores_parts, &nscores, f) != 0)
			goto out;
	}
	if (has_predictions && ncounts > 0) {
		fail_set(f, FAIL_DATA, "%s: expected predictions.csv or "
			 "counts.csv, found both; keep one", edir);
		goto out;
	}
	if (nscores > 0 && ncounts == 0) {
		fail_set(f, FAIL_DATA, "%s: expected counts.csv beside "
			 "scores.csv, found none", edir);
		goto out;
	}
	if (has_predictions) {
		struct predictions_options opt = {
			.positive_label = ri.positive_label,
			.sensitive = ri.nsensitive
				? (const char *const *)ri.sensitive : NULL,
			.nsensitive = ri.nsensitive,
			.split_min_bytes = flags & INGEST_ONE_THREAD ? SIZE_MAX
								     : 0,
		};
		struct source src = source_file(p.predictions, p.predictions);
		if (predictions_read(&src, &opt, &ev, &sum, f) != 0)
			goto out;
		if (ri.negative_label != NULL && sum.negative_label[0] &&
		    strcmp(ri.negative_label, sum.negative_label) != 0) {
			fail_set(f, FAIL_DATA, "%s: key 'negative_label': "
				 "expected the other label of %s, found '%s' "
				 "there and '%s' here", parts->run->name,
				 p.predictions,
				 sum.negative_label, ri.negative_label);
			goto out;
		}
		ei = (struct evaluation_info){"predictions", ev, &sum};
		res->rows = sum.rows;
	} else if (ncounts > 0) {
		struct counts_summary cs;
		if (read_counts(counts_parts, ncounts, scores_parts, nscores,
				&ev, &cs, f) != 0)
			goto out;
		ei = (struct evaluation_info){"counts", ev, NULL};
		if (cs.wide) {
			/* real row counts: the run is told as from
			 * predictions.csv, the labels from run.csv */
			memset(&sum, 0, sizeof sum);
			sum.rows = cs.rows;
			sum.has_score = cs.has_scores;
			if (ri.negative_label != NULL)
				snprintf(sum.negative_label,
					 sizeof sum.negative_label, "%s",
					 ri.negative_label);
			ei.sum = &sum;
			res->rows = sum.rows;
		}
	}

	/* without --replace, the transaction only adds rows, each naming
	 * the run it adds (a run already there is refused: nothing is
	 * deleted) */
	if ((flags & INGEST_REPLACE ? store_begin(s, f)
				    : store_begin_adding(s, f)) != 0)
		goto out;
	in_transaction = 1;
	int64_t existing = find_run(s, ri.run, f);
	if (existing < 0)
		goto out;
	if (existing > 0 && !(flags & INGEST_REPLACE)) {
		fail_set(f, FAIL_DATA, "%s: run '%s' is already in the store "
			 "%s; use --replace to overwrite it", parts->run->name,
			 res->run_key, s->path);
		goto out;
	}
	if (existing > 0) {
		if (delete_run(s, existing, f) != 0)
			goto out;
		res->replaced = 1;
	}
	int64_t run_id;
	if (insert_run(s, &ri, parts->origin, &ei, &run_id, f) != 0 ||
	    insert_params(s, run_id, &ri, f) != 0)
		goto out;
	if (ev != NULL && insert_evaluation(s, run_id, ev, &res->groups,
					    f) != 0)
		goto out;
	if (parts->metrics != NULL &&
	    insert_metrics(s, run_id, parts->metrics, &res->metric_points,
			   f) != 0)
		goto out;
	if (then != NULL && then(ctx, s, ri.run, f) != 0)
		goto out;
	if (store_commit(s, f) != 0)
		goto out;
	in_transaction = 0;
	rc = 0;
out:
	if (in_transaction)
		store_rollback(s);
	evaluation_free(ev);
	source_parts_free(counts_parts, ncounts);
	source_parts_free(scores_parts, nscores);
	runinfo_release(&ri);
	return rc;
}
