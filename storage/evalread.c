/*
 * evalread.c — histograms and last metric values.  See evalread.h.
 */
#include "storage/evalread.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/groups.h"

void store_hists_free(double **hist, size_t n)
{
	for (size_t i = 0; hist && i < n; i++)
		free(hist[i]);
	free(hist);
}

int store_run_hists(struct store *s, int64_t run_id, int64_t step,
		    double ***hist, size_t *n, struct fail *f)
{
	/* the same order as store_run_groups(); one row per group with
	 * its bins (NULL bin when the group has none) */
	static const char sql[] =
		"SELECT c.group_id, b.bin, b.weight, b.bins"
		" FROM confusion c JOIN groups g ON g.id = c.group_id"
		" JOIN features f ON f.id = g.feature_id"
		" LEFT JOIN score_bins b ON b.run_id = c.run_id"
		"  AND b.step = c.step AND b.group_id = c.group_id"
		" WHERE c.run_id = ?1 AND c.step = ?2"
		/* the key's order, as store_run_groups() (the positions are
		 * of first sight, another order when a group first shows
		 * at a later step) */
		" ORDER BY c.run_id, c.step, c.group_id, b.bin";
	sqlite3_stmt *st = NULL;
	double **out = NULL;
	size_t count = 0, cap = 0;
	int64_t last_group = -1;
	int rc;
	*hist = NULL;
	*n = 0;
	if (store_cached_rc(s, STORE_RUN_HISTS, sql, &st) != SQLITE_OK)
		return store_fail(s, f, "reading score histograms");
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, step);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t group = sqlite3_column_int64(st, 0);
		if (group != last_group) {
			if (ARRAY_GROW(out, count + 1, cap) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			out[count++] = NULL;
			last_group = group;
		}
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;
		int bin = sqlite3_column_int(st, 1);
		int bins = sqlite3_column_int(st, 3);
		if (bins != SCORE_BINS || bin < 0 || bin >= SCORE_BINS)
			continue; /* written by another build: ignore */
		double **h = &out[count - 1];
		if (*h == NULL && (*h = calloc(SCORE_BINS, sizeof **h)) == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		(*h)[bin] = sqlite3_column_double(st, 2);
	}
	store_cached_done(st);
	if (rc != SQLITE_DONE) {
		store_hists_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading score "
				"histograms failed (%s)", s->path,
				sqlite3_errstr(rc));
	}
	*hist = out;
	*n = count;
	return 0;
}

void stored_metrics_free(struct stored_metric *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++)
		free(m[i].name);
	free(m);
}

int store_run_last_metrics(struct store *s, int64_t run_id,
			   struct stored_metric **m, size_t *n,
			   struct fail *f)
{
	/* each metric's last step from the key alone, then its value: one
	 * look-up per metric, not one per point of the history */
	static const char sql[] =
		"SELECT m.metric, a.value, m.step FROM"
		" (SELECT metric, max(step) AS step FROM metrics"
		"  WHERE run_id = ?1 AND grp = '' GROUP BY metric) AS m"
		" JOIN metrics AS a ON a.run_id = ?1 AND a.metric = m.metric"
		"  AND a.grp = '' AND a.step = m.step"
		" ORDER BY m.metric";
	sqlite3_stmt *st = NULL;
	struct stored_metric *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*m = NULL;
	*n = 0;
	if (store_cached_rc(s, STORE_RUN_LAST_METRICS, sql, &st) != SQLITE_OK)
		return store_fail(s, f, "reading metrics");
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		const unsigned char *name = sqlite3_column_text(st, 0);
		out[count].name = strdup(name ? (const char *)name : "");
		out[count].value = sqlite3_column_double(st, 1);
		out[count].step = sqlite3_column_int64(st, 2);
		if (out[count].name == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		count++;
	}
	store_cached_done(st);
	if (rc != SQLITE_DONE) {
		stored_metrics_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading metrics "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	}
	*m = out;
	*n = count;
	return 0;
}

int store_run_steps(struct store *s, int64_t run_id, int64_t **steps,
		    size_t *n, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int64_t *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*steps = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT DISTINCT step FROM confusion"
			       " WHERE run_id = ?1 ORDER BY step",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading steps");
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		out[count++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(out);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading steps "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	}
	*steps = out;
	*n = count;
	return 0;
}

void metric_spans_free(struct metric_span *spans, size_t n)
{
	for (size_t i = 0; spans && i < n; i++) {
		free(spans[i].metric);
		free(spans[i].group);
	}
	free(spans);
}

int store_run_metric_spans(struct store *s, int64_t run_id,
			   struct metric_span **spans, size_t *n,
			   struct fail *f)
{
	static const char sql[] =
		"SELECT m.metric, m.grp, count(*),"
		" min(m.step), max(m.step),"
		" (SELECT value FROM metrics a WHERE a.run_id = m.run_id"
		"  AND a.metric = m.metric AND a.grp = m.grp"
		"  ORDER BY a.step LIMIT 1),"
		" (SELECT value FROM metrics b WHERE b.run_id = m.run_id"
		"  AND b.metric = m.metric AND b.grp = m.grp"
		"  ORDER BY b.step DESC LIMIT 1)"
		" FROM metrics m WHERE m.run_id = ?1"
		" GROUP BY m.metric, m.grp ORDER BY m.grp <> '', m.metric, m.grp";
	sqlite3_stmt *st = NULL;
	struct metric_span *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*spans = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading the metric history");
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		struct metric_span *x = &out[count++];
		const unsigned char *m = sqlite3_column_text(st, 0);
		const unsigned char *g = sqlite3_column_text(st, 1);
		x->metric = strdup(m ? (const char *)m : "");
		x->group = strdup(g ? (const char *)g : "");
		x->points = (size_t)sqlite3_column_int64(st, 2);
		x->first_step = sqlite3_column_int64(st, 3);
		x->last_step = sqlite3_column_int64(st, 4);
		x->first = sqlite3_column_double(st, 5);
		x->last = sqlite3_column_double(st, 6);
		if (x->metric == NULL || x->group == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		metric_spans_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading the metric "
				"history failed (%s)", s->path,
				sqlite3_errstr(rc));
	}
	*spans = out;
	*n = count;
	return 0;
}
