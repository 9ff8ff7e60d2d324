/*
 * snapshot.c — the dashboard's data.  See snapshot.h.
 */
#include "storage/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/lineage.h"
#include "storage/summary_store.h"

const char *drift_metric_name(enum drift_metric m)
{
	switch (m) {
	case DRIFT_TPR:
		return "TPR";
	case DRIFT_SELECTION:
		return "selection rate";
	case DRIFT_FPR:
		return "FPR";
	default:
		return "?";
	}
}

int snapshot_data_version(struct store *s, int64_t *version,
			  struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		store_fail(s, f, "reading data_version");
	}
	sqlite3_finalize(st);
	return rc;
}

void snapshot_release(struct snapshot *snap)
{
	free(snap->runs);
	stored_alerts_free(snap->alerts, snap->nalerts);
	timeline_release(&snap->timeline);
	memset(snap, 0, sizeof *snap);
}

/* src into dst, cut to size - 1 bytes as "%s" would cut it; NULL is "". */
static void copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int snapshot_refresh(struct store *s, const struct policy *p,
		     struct snapshot *snap, struct fail *f)
{
	struct summary_info sum;
	if (timeline_summary(s, p, &sum, f) != 0)
		return -1;
	copy(snap->deployed, sizeof snap->deployed, sum.deployed);
	copy(snap->last_fair, sizeof snap->last_fair, sum.last_fair);
	snap->open_critical = sum.open_critical;
	snap->open_warning = sum.open_warning;
	store_now(snap->refreshed, sizeof snap->refreshed);
	snap->fresh = 0;
	return 0;
}

/* The runs part, read one run at a time. */
struct runs_read {
	struct store *s;
	const struct policy *p;
	const struct snapshot *snap;
	struct judged_run deployed, before;
	int have_deployed, have_before;
	struct alert_tallies tally;
	struct snap_run *runs;
	size_t n, cap;
};

static int run_row(void *ctx, const struct run_headline_row *r,
		   struct fail *f)
{
	struct runs_read *rr = ctx;
	const struct snapshot *snap = rr->snap;
	if (rr->n == rr->cap) {
		size_t c = rr->cap ? rr->cap * 2 : 256;
		struct snap_run *q = realloc(rr->runs, c * sizeof *q);
		if (q == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		rr->runs = q;
		rr->cap = c;
	}
	struct snap_run *sr = &rr->runs[rr->n++];
	memset(sr, 0, sizeof *sr);
	copy(sr->key, sizeof sr->key, r->key);
	copy(sr->model, sizeof sr->model, r->model);
	copy(sr->version, sizeof sr->version, r->version);
	copy(sr->started, sizeof sr->started, r->started_at);
	sr->is_deployed = strcmp(sr->key, snap->deployed) == 0;
	sr->is_last_fair = strcmp(sr->key, snap->last_fair) == 0;
	sr->verdict = VERDICT_NONE;
	/* judge now only what the kept summary cannot answer: a run
	 * without one, one judged against another baseline than the
	 * deployed run, and the deployed run itself (judged against the
	 * one deployed before it) */
	const struct run_headline *h = r->kept;
	struct run_headline now;
	if (h != NULL && (sr->is_deployed ||
			  (rr->have_deployed &&
			   strcmp(h->baseline, snap->deployed) != 0)))
		h = NULL;
	if (h == NULL) {
		struct judged_run jr;
		struct judgement j;
		memset(&j, 0, sizeof j);
		const struct judge_run *against =
			sr->is_deployed
				? (rr->have_before ? &rr->before.view : NULL)
			: rr->have_deployed ? &rr->deployed.view
					    : NULL;
		if (judgeload(rr->s, sr->key, &jr, f) != 0 ||
		    judge_runs(against ? against : &jr.view, &jr.view, rr->p,
			       &j) != 0) {
			judgement_release(&j);
			judgeload_release(&jr);
			if (f->kind == FAIL_NONE)
				fail_set(f, FAIL_INTERNAL, "out of memory");
			return -1;
		}
		headline_of(&jr, &j,
			    against == NULL ? NULL
			    : against == &rr->before.view ? rr->before.run.key
							  : snap->deployed,
			    &now);
		judgement_release(&j);
		judgeload_release(&jr);
		h = &now;
	}
	sr->accuracy = h->accuracy;
	sr->f_beta = h->f_beta;
	sr->throughput = h->throughput;
	sr->dp = h->dp;
	sr->eo = h->eo;
	sr->worst_tpr = h->worst_tpr;
	copy(sr->worst_group, sizeof sr->worst_group, h->worst_group);
	if (rr->have_deployed && (!sr->is_deployed || rr->have_before)) {
		sr->verdict = h->gate_passed ? VERDICT_PASS : VERDICT_FAIL;
		copy(sr->verdict_rule, sizeof sr->verdict_rule, h->gate_first);
		copy(sr->verdict_against, sizeof sr->verdict_against,
		     h->baseline);
	}
	const struct alert_tally *at = alerts_tally_find(&rr->tally, sr->key);
	if (at != NULL) {
		sr->open_alerts = at->critical + at->warning;
		sr->critical_alerts = at->critical;
	}
	return 0;
}

static int load_runs(struct store *s, const struct policy *p,
		     struct snapshot *snap, struct fail *f)
{
	struct runs_read rr;
	int rc = -1;
	memset(&rr, 0, sizeof rr);
	rr.s = s;
	rr.p = p;
	rr.snap = snap;
	if (snap->deployed[0]) {
		struct fail missing;
		char prev[256];
		fail_init(&missing);
		rr.have_deployed = judgeload(s, snap->deployed, &rr.deployed,
					     &missing) == 0;
		/* the deployed run is judged against what came before it */
		if (rr.have_deployed &&
		    store_deployed_other(s, snap->deployed, prev, sizeof prev,
					 &missing) == 0)
			rr.have_before = judgeload(s, prev, &rr.before,
						   &missing) == 0;
	}
	if (store_alert_tallies(s, &rr.tally, f) != 0 ||
	    store_each_run_headline(s, 1, run_row, &rr, f) != 0)
		goto out;
	free(snap->runs);
	snap->runs = rr.runs;
	snap->nruns = rr.n;
	rr.runs = NULL;
	rc = 0;
out:
	free(rr.runs);
	judgeload_release(&rr.deployed);
	judgeload_release(&rr.before);
	alerts_tally_release(&rr.tally);
	return rc;
}

static int load_alerts(struct store *s, struct snapshot *snap,
		       struct fail *f)
{
	struct stored_alert *a = NULL;
	size_t n = 0;
	if (store_alerts_list(s, NULL, &a, &n, f) != 0)
		return -1;
	stored_alerts_free(snap->alerts, snap->nalerts);
	snap->alerts = a;
	snap->nalerts = n;
	return 0;
}

static int load_timeline(struct store *s, const struct policy *p,
			 struct snapshot *snap, struct fail *f)
{
	struct timeline t;
	if (timeline_load(s, p, &t, f) != 0) {
		timeline_release(&t);
		return -1;
	}
	timeline_release(&snap->timeline);
	snap->timeline = t;
	return 0;
}

int snapshot_need(struct store *s, const struct policy *p,
		  struct snapshot *snap, unsigned want, struct fail *f)
{
	unsigned stale = want & ~snap->fresh;
	if ((stale & SNAP_RUNS) && load_runs(s, p, snap, f) != 0)
		return -1;
	snap->fresh |= stale & SNAP_RUNS;
	if ((stale & SNAP_ALERTS) && load_alerts(s, snap, f) != 0)
		return -1;
	snap->fresh |= stale & SNAP_ALERTS;
	if ((stale & SNAP_TIMELINE) && load_timeline(s, p, snap, f) != 0)
		return -1;
	snap->fresh |= stale & SNAP_TIMELINE;
	return 0;
}

void snap_compare_release(struct snap_compare *c)
{
	judgement_release(&c->j);
	judgeload_release(&c->base);
	judgeload_release(&c->cand);
	memset(c, 0, sizeof *c);
}

int snapshot_compare(struct store *s, const struct policy *p,
		     const char *baseline, const char *candidate,
		     struct snap_compare *out, struct fail *f)
{
	memset(out, 0, sizeof *out);
	if (judgeload(s, baseline, &out->base, f) != 0 ||
	    judgeload(s, candidate, &out->cand, f) != 0)
		return -1;
	if (judge_runs(&out->base.view, &out->cand.view, p, &out->j) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	out->loaded = 1;
	return 0;
}

void snap_drift_release(struct snap_drift *d)
{
	for (size_t i = 0; i < d->nfeatures; i++)
		free(d->features[i]);
	free(d->features);
	free(d->point);
	for (size_t i = 0; i < d->nseries; i++)
		free(d->series[i].value);
	free(d->series);
	free(d->steps);
	for (size_t i = 0; i < d->nstep_series; i++)
		free(d->step_series[i].value);
	free(d->step_series);
	memset(d, 0, sizeof *d);
}

static double rate_of(const struct confusion *c, enum drift_metric m)
{
	struct rates r;
	confusion_rates(c, RATE_UNDEFINED, &r);
	return m == DRIFT_TPR ? r.tpr
	     : m == DRIFT_FPR ? r.fpr
			      : r.selection_rate;
}

/* Add value v for group at point x, growing the series table.  npoints
 * is the final number of points (values arrays are that long). */
static int put(struct snap_series **series, size_t *nseries,
	       const char *group, size_t x, size_t npoints, double v)
{
	size_t i;
	for (i = 0; i < *nseries; i++)
		if (strcmp((*series)[i].group, group) == 0)
			break;
	if (i == *nseries) {
		struct snap_series *p = realloc(*series,
						(*nseries + 1) * sizeof *p);
		if (p == NULL)
			return -1;
		*series = p;
		p = &p[(*nseries)++];
		snprintf(p->group, sizeof p->group, "%s", group);
		p->value = malloc((npoints ? npoints : 1) * sizeof *p->value);
		if (p->value == NULL)
			return -1;
		for (size_t k = 0; k < npoints; k++)
			p->value[k] = RATE_UNDEFINED;
	}
	(*series)[i].value[x] = v;
	return 0;
}

int snapshot_drift(struct store *s, const char *feature,
		   enum drift_metric m, const char *run,
		   struct snap_drift *out, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	/* the features */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT DISTINCT name FROM features"
			       " WHERE kind = 'feature' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "listing features");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **p = realloc(out->features,
				   (out->nfeatures + 1) * sizeof *p);
		if (p == NULL)
			break;
		out->features = p;
		p[out->nfeatures] =
			strdup((const char *)sqlite3_column_text(st, 0));
		if (p[out->nfeatures] == NULL)
			break;
		out->nfeatures++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (out->nfeatures == 0)
		return 0;
	const char *want = feature ? feature : out->features[0];
	int known = 0;
	for (size_t i = 0; i < out->nfeatures; i++)
		known |= strcmp(out->features[i], want) == 0;
	if (!known)
		want = out->features[0];
	snprintf(out->feature, sizeof out->feature, "%s", want);

	/* across runs: the runs that have the feature, oldest first */
	/* CROSS JOIN fixes the join order: without statistics SQLite
	 * would scan every confusion row instead of looking each up */
	static const char runs_sql[] =
		"SELECT r.run_key, g.label, c.tp, c.fp, c.tn, c.fn"
		" FROM features f CROSS JOIN runs r CROSS JOIN groups g"
		" CROSS JOIN confusion c"
		" WHERE f.kind = 'feature' AND f.name = ?1 AND r.id = f.run_id"
		"  AND g.feature_id = f.id AND c.run_id = r.id"
		"  AND c.step = r.final_step AND c.group_id = g.id"
		" ORDER BY r.started_at, r.run_key, g.position";
	/* one pass: the rows are kept, then laid out by run and group */
	struct drift_row {
		size_t point;
		char group[256];
		double value;
	} *rows = NULL;
	size_t nrows = 0, rows_cap = 0, points_cap = 0;
	if (sqlite3_prepare_v2(s->db, runs_sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading drift");
	sqlite3_bind_text(st, 1, want, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (out->npoints == 0 ||
		    strcmp(out->point[out->npoints - 1], key) != 0) {
			if (out->npoints == points_cap) {
				size_t c = points_cap ? points_cap * 2 : 64;
				char (*pt)[256] = realloc(out->point,
							  c * sizeof *pt);
				if (pt == NULL) {
					rc = SQLITE_NOMEM;
					break;
				}
				out->point = pt;
				points_cap = c;
			}
			snprintf(out->point[out->npoints],
				 sizeof out->point[out->npoints], "%s", key);
			out->npoints++;
		}
		if (nrows == rows_cap) {
			size_t c = rows_cap ? rows_cap * 2 : 256;
			struct drift_row *q = realloc(rows, c * sizeof *q);
			if (q == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			rows = q;
			rows_cap = c;
		}
		struct confusion c;
		confusion_init(&c);
		c.tp = sqlite3_column_double(st, 2);
		c.fp = sqlite3_column_double(st, 3);
		c.tn = sqlite3_column_double(st, 4);
		c.fn = sqlite3_column_double(st, 5);
		struct drift_row *dr = &rows[nrows++];
		dr->point = out->npoints - 1;
		snprintf(dr->group, sizeof dr->group, "%s",
			 (const char *)sqlite3_column_text(st, 1));
		dr->value = rate_of(&c, m);
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; rc == SQLITE_DONE && i < nrows; i++)
		if (put(&out->series, &out->nseries, rows[i].group,
			rows[i].point, out->npoints, rows[i].value) != 0)
			rc = SQLITE_NOMEM;
	free(rows);
	if (rc != SQLITE_DONE)
		return fail_set(f, FAIL_INTERNAL, "store %s: reading drift "
				"failed", s->path);
	if (run == NULL)
		return 0;

	/* across the steps of one run */
	static const char steps_sql[] =
		"SELECT c.step, g.label, c.tp, c.fp, c.tn, c.fn"
		" FROM runs r CROSS JOIN features f CROSS JOIN groups g"
		" CROSS JOIN confusion c"
		" WHERE r.run_key = ?2 AND f.run_id = r.id"
		"  AND f.kind = 'feature' AND f.name = ?1"
		"  AND g.feature_id = f.id AND c.run_id = r.id"
		"  AND c.group_id = g.id"
		" ORDER BY c.step, g.position";
	for (int pass = 0; pass < 2; pass++) {
		if (sqlite3_prepare_v2(s->db, steps_sql, -1, &st, NULL) !=
		    SQLITE_OK)
			return store_fail(s, f, "reading steps");
		sqlite3_bind_text(st, 1, want, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, run, -1, SQLITE_TRANSIENT);
		size_t x = 0;
		int64_t last = 0;
		int first = 1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t step = sqlite3_column_int64(st, 0);
			if (first || step != last) {
				if (!first)
					x++;
				first = 0;
				last = step;
				if (pass == 1)
					out->steps[x] = step;
			}
			if (pass == 0)
				continue;
			struct confusion c;
			confusion_init(&c);
			c.tp = sqlite3_column_double(st, 2);
			c.fp = sqlite3_column_double(st, 3);
			c.tn = sqlite3_column_double(st, 4);
			c.fn = sqlite3_column_double(st, 5);
			if (put(&out->step_series, &out->nstep_series,
				(const char *)sqlite3_column_text(st, 1), x,
				out->nsteps, rate_of(&c, m)) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		sqlite3_finalize(st);
		st = NULL;
		if (rc != SQLITE_DONE)
			return fail_set(f, FAIL_INTERNAL, "store %s: reading "
					"steps failed", s->path);
		if (pass == 0) {
			out->nsteps = first ? 0 : x + 1;
			out->steps = calloc(out->nsteps ? out->nsteps : 1,
					    sizeof *out->steps);
			if (out->steps == NULL)
				return fail_set(f, FAIL_INTERNAL,
						"out of memory");
		}
	}
	return 0;
}
