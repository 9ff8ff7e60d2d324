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

/* The rate of metric m from the counts in columns at..at+3 (tp, fp, tn,
 * fn). */
static double column_rate(sqlite3_stmt *st, int at, enum drift_metric m)
{
	struct confusion c;
	confusion_init(&c);
	c.tp = sqlite3_column_double(st, at);
	c.fp = sqlite3_column_double(st, at + 1);
	c.tn = sqlite3_column_double(st, at + 2);
	c.fn = sqlite3_column_double(st, at + 3);
	return rate_of(&c, m);
}

/* The values read, each at a point of a series, laid out once the
 * number of points is known. */
struct cells {
	struct cell {
		size_t point, series;
		double value;
	} *c;
	size_t n, cap;
};

static int cells_add(struct cells *cs, size_t point, size_t series,
		     double value)
{
	if (cs->n == cs->cap) {
		size_t c = cs->cap ? cs->cap * 2 : 1024;
		struct cell *p = realloc(cs->c, c * sizeof *p);
		if (p == NULL)
			return -1;
		cs->c = p;
		cs->cap = c;
	}
	cs->c[cs->n++] = (struct cell){point, series, value};
	return 0;
}

/* The series of group (created, in order of first appearance, when
 * new); hint is where it usually is.  (size_t)-1 when out of memory. */
static size_t series_of(struct snap_series **series, size_t *nseries,
			const char *group, size_t hint)
{
	if (hint < *nseries && strcmp((*series)[hint].group, group) == 0)
		return hint;
	for (size_t i = 0; i < *nseries; i++)
		if (strcmp((*series)[i].group, group) == 0)
			return i;
	struct snap_series *p = realloc(*series, (*nseries + 1) * sizeof *p);
	if (p == NULL)
		return (size_t)-1;
	*series = p;
	p = &p[*nseries];
	size_t n = strnlen(group, sizeof p->group - 1);
	memcpy(p->group, group, n);
	p->group[n] = '\0';
	p->value = NULL;
	return (*nseries)++;
}

/* Give every series npoints values, RATE_UNDEFINED but for the cells. */
static int lay_out(struct snap_series *series, size_t nseries,
		   size_t npoints, const struct cells *cs)
{
	for (size_t i = 0; i < nseries; i++) {
		series[i].value = malloc((npoints ? npoints : 1) *
					 sizeof *series[i].value);
		if (series[i].value == NULL)
			return -1;
		for (size_t k = 0; k < npoints; k++)
			series[i].value[k] = RATE_UNDEFINED;
	}
	for (size_t i = 0; i < cs->n; i++)
		series[cs->c[i].series].value[cs->c[i].point] = cs->c[i].value;
	return 0;
}

static int list_features(struct store *s, struct snap_drift *out,
			 struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc;
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
	return 0;
}

/* Each group's rate at the final step of each run that has the
 * feature, the runs oldest first. */
static int across_runs(struct store *s, const char *feature,
		       enum drift_metric m, struct snap_drift *out,
		       struct fail *f)
{
	/* CROSS JOIN fixes the join order: the runs in start order (the
	 * runs_by_start index), each run's final-step counts in one range
	 * of the confusion key, then their group and feature by rowid */
	static const char sql[] =
		"SELECT r.run_key, g.label, c.tp, c.fp, c.tn, c.fn"
		" FROM runs r CROSS JOIN confusion c CROSS JOIN groups g"
		" CROSS JOIN features f"
		" WHERE c.run_id = r.id AND c.step = r.final_step"
		"  AND g.id = c.group_id AND f.id = g.feature_id"
		"  AND f.kind = 'feature' AND f.name = ?1"
		" ORDER BY r.started_at, r.run_key, g.position";
	sqlite3_stmt *st = NULL;
	struct cells cs = {NULL, 0, 0};
	size_t points_cap = 0, k = 0;
	int rc;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading drift");
	sqlite3_bind_text(st, 1, feature, -1, SQLITE_TRANSIENT);
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
			char *p = out->point[out->npoints++];
			size_t n = strnlen(key, sizeof *out->point - 1);
			memcpy(p, key, n);
			p[n] = '\0';
			k = 0;
		}
		size_t i = series_of(&out->series, &out->nseries,
				     (const char *)sqlite3_column_text(st, 1),
				     k++);
		if (i == (size_t)-1 ||
		    cells_add(&cs, out->npoints - 1, i,
			      column_rate(st, 2, m)) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE &&
	    lay_out(out->series, out->nseries, out->npoints, &cs) != 0)
		rc = SQLITE_NOMEM;
	free(cs.c);
	if (rc != SQLITE_DONE)
		return fail_set(f, FAIL_INTERNAL, "store %s: reading drift "
				"failed", s->path);
	return 0;
}

/* Grow *p (of elem bytes each) to hold need; -1 when out of memory. */
static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * elem);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* One run's steps of one feature: its groups (by position) and, for
 * each step and group, the rate when the store has a count. */
struct steps_read {
	struct step_group {
		int64_t id;
		char label[256];
	} *g;
	size_t ng, g_cap;
	int64_t *steps;
	size_t nsteps, steps_cap;
	double *value;          /* [step * ng + group] */
	unsigned char *present; /* the same, 1 where a count was read */
	size_t value_cap, present_cap;
};

static void steps_read_release(struct steps_read *r)
{
	free(r->g);
	free(r->steps);
	free(r->value);
	free(r->present);
}

static int read_steps(struct store *s, const char *feature,
		      enum drift_metric m, const char *run,
		      struct steps_read *r, struct fail *f)
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
		return store_fail(s, f, "reading steps");
	sqlite3_bind_text(st, 1, feature, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, run, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (grow((void **)&r->g, &r->g_cap, r->ng + 1,
			 sizeof *r->g) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		r->g[r->ng].id = sqlite3_column_int64(st, 0);
		store_column_copy(st, 1, r->g[r->ng].label,
				  sizeof r->g[r->ng].label);
		r->ng++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || r->ng == 0)
		return rc == SQLITE_DONE ? 0 : -1;
	if (sqlite3_prepare_v2(s->db, counts_sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading steps");
	sqlite3_bind_text(st, 1, run, -1, SQLITE_TRANSIENT);
	size_t ng = r->ng;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t step = sqlite3_column_int64(st, 0);
		int64_t id = sqlite3_column_int64(st, 1);
		size_t k = 0;
		while (k < ng && r->g[k].id != id)
			k++;
		if (k == ng)
			continue; /* a group of another feature */
		if (r->nsteps == 0 || r->steps[r->nsteps - 1] != step) {
			size_t n = r->nsteps + 1;
			if (grow((void **)&r->steps, &r->steps_cap, n,
				 sizeof *r->steps) != 0 ||
			    grow((void **)&r->value, &r->value_cap, n * ng,
				 sizeof *r->value) != 0 ||
			    grow((void **)&r->present, &r->present_cap, n * ng,
				 1) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			memset(r->present + r->nsteps * ng, 0, ng);
			r->steps[r->nsteps++] = step;
		}
		size_t at = (r->nsteps - 1) * ng + k;
		r->value[at] = column_rate(st, 2, m);
		r->present[at] = 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Each group's rate at each step of run, the series in order of first
 * appearance (by step, then position). */
static int across_steps(struct store *s, const char *feature,
			enum drift_metric m, const char *run,
			struct snap_drift *out, struct fail *f)
{
	struct steps_read r;
	struct cells cs = {NULL, 0, 0};
	size_t *series = NULL;
	int rc = -1;
	memset(&r, 0, sizeof r);
	if (read_steps(s, feature, m, run, &r, f) != 0) {
		if (f->kind == FAIL_NONE)
			fail_set(f, FAIL_INTERNAL, "store %s: reading steps "
				 "failed", s->path);
		goto out;
	}
	out->steps = r.steps;
	out->nsteps = r.nsteps;
	r.steps = NULL;
	series = malloc((r.ng ? r.ng : 1) * sizeof *series);
	if (series == NULL)
		goto nomem;
	for (size_t k = 0; k < r.ng; k++)
		series[k] = (size_t)-1;
	for (size_t x = 0; x < r.nsteps; x++)
		for (size_t k = 0; k < r.ng; k++) {
			size_t at = x * r.ng + k;
			if (!r.present[at])
				continue;
			if (series[k] == (size_t)-1)
				series[k] = series_of(&out->step_series,
						      &out->nstep_series,
						      r.g[k].label, k);
			if (series[k] == (size_t)-1 ||
			    cells_add(&cs, x, series[k], r.value[at]) != 0)
				goto nomem;
		}
	if (lay_out(out->step_series, out->nstep_series, out->nsteps,
		    &cs) != 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	free(series);
	free(cs.c);
	steps_read_release(&r);
	return rc;
}

int snapshot_drift(struct store *s, const char *feature,
		   enum drift_metric m, const char *run,
		   struct snap_drift *out, struct fail *f)
{
	memset(out, 0, sizeof *out);
	if (list_features(s, out, f) != 0)
		return -1;
	if (out->nfeatures == 0)
		return 0;
	const char *want = feature ? feature : out->features[0];
	int known = 0;
	for (size_t i = 0; i < out->nfeatures; i++)
		known |= strcmp(out->features[i], want) == 0;
	if (!known)
		want = out->features[0];
	snprintf(out->feature, sizeof out->feature, "%s", want);
	if (across_runs(s, want, m, out, f) != 0)
		return -1;
	if (run == NULL)
		return 0;
	return across_steps(s, want, m, run, out, f);
}

int snapshot_drift_pick(struct store *s, enum drift_metric m, char *buf,
			size_t size, struct fail *f)
{
	/* the rates as confusion_rates() computes them: a REAL divided by
	 * zero is NULL, and min() and max() skip NULLs */
#define PICK_SQL(rate)                                                     \
	"SELECT f.name, min(" rate "), max(" rate ")"                     \
	" FROM runs r CROSS JOIN confusion c CROSS JOIN groups g"          \
	" CROSS JOIN features f"                                           \
	" WHERE c.run_id = r.id AND c.step = r.final_step"                 \
	"  AND g.id = c.group_id AND f.id = g.feature_id"                  \
	"  AND f.kind = 'feature'"                                         \
	" GROUP BY f.name ORDER BY f.name"
	static const char *const sql[DRIFT_NMETRICS] = {
		[DRIFT_TPR] = PICK_SQL("c.tp / (c.tp + c.fn)"),
		[DRIFT_SELECTION] = PICK_SQL("(c.tp + c.fp)"
					     " / (c.tp + c.fp + c.tn + c.fn)"),
		[DRIFT_FPR] = PICK_SQL("c.fp / (c.fp + c.tn)"),
	};
#undef PICK_SQL
	sqlite3_stmt *st = NULL;
	double best = -1;
	int rc;
	buf[0] = '\0';
	if (m < 0 || m >= DRIFT_NMETRICS)
		m = DRIFT_TPR;
	if (sqlite3_prepare_v2(s->db, sql[m], -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "picking a feature");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* the spread of the values, from lo = 1 and hi = 0 */
		double lo = 1, hi = 0;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			double v = sqlite3_column_double(st, 1);
			lo = v < lo ? v : lo;
			v = sqlite3_column_double(st, 2);
			hi = v > hi ? v : hi;
		}
		if (hi - lo > best) {
			best = hi - lo;
			store_column_copy(st, 0, buf, size);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail_set(f, FAIL_INTERNAL, "store %s: picking a feature "
				"failed", s->path);
	return 0;
}
