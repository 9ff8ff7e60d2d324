/*
 * snapshot.c — the dashboard's data.  See snapshot.h.
 */
#include "service/snapshot.h"

#include "service/incident.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/disparity.h"
#include "storage/driftcache.h"
#include "storage/lineage.h"
#include "service/headline.h"
#include "service/incident.h"
#include "service/verdict.h"

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
	return store_data_version(s, version, f);
}

static void runs_free(struct snap_run *runs, size_t n)
{
	for (size_t i = 0; runs != NULL && i < n; i++) {
		free(runs[i].model);
		free(runs[i].version);
		free(runs[i].worst_group);
		free(runs[i].fair.rule);
		free(runs[i].vs_prod.rule);
	}
	free(runs);
}

void snapshot_release(struct snapshot *snap)
{
	runs_free(snap->runs, snap->nruns);
	stored_alerts_free(snap->alerts, snap->nalerts);
	timeline_release(&snap->timeline);
	verdictcache_release(&snap->verdicts);
	alerts_tally_release(&snap->tally);
	free(snap->deployed_actor);
	free(snap->deployed_why);
	memset(snap, 0, sizeof *snap);
}

void snapshot_store_changed(struct snapshot *snap)
{
	verdictcache_release(&snap->verdicts);
	memset(&snap->basis, 0, sizeof snap->basis);
	snap->reading.more = 0;
}

int snapshot_refresh(struct store *s, const struct policy *p,
		     struct snapshot *snap, struct fail *f)
{
	struct summary_info sum;
	if (timeline_summary(s, p, &sum, f) != 0)
		return -1;
	store_copy(snap->deployed, sizeof snap->deployed, sum.deployed);
	store_copy(snap->deployed_kind, sizeof snap->deployed_kind,
		   sum.deployed_kind);
	free(snap->deployed_actor);
	snap->deployed_actor = sum.deployed_actor; /* taken over */
	sum.deployed_actor = NULL;
	store_copy(snap->deployed_since, sizeof snap->deployed_since,
		   sum.deployed_since);
	snap->deployed_in_store = sum.deployed_in_store;
	snap->deployed_fair = sum.deployed_fair;
	free(snap->deployed_why);
	snap->deployed_why = sum.deployed_why;
	sum.deployed_why = NULL;
	store_copy(snap->last_fair, sizeof snap->last_fair, sum.last_fair);
	snap->open_critical = sum.open_critical;
	snap->open_warning = sum.open_warning;
	snap->cand_critical = sum.alerts.cand_critical;
	snap->cand_warning = sum.alerts.cand_warning;
	snap->cand_runs_critical = sum.alerts.cand_runs_critical;
	summary_info_release(&sum);
	store_now(snap->refreshed, sizeof snap->refreshed);
	snap->fresh = 0;
	return 0;
}

/* The runs part, read one run at a time. */
struct runs_read {
	struct store *s;
	const struct policy *p;
	struct snapshot *snap;
	struct verdict_ctx vc;
	int64_t prod_id;   /* production's run id, 0 when none in the store */
	/* the last fair model's evaluation: its rows at the final step
	 * (-1 unknown) and its groups (when known) */
	int has_fair;
	long long fair_rows;
	int fair_has_groups;
	uint64_t fair_groups;
	double fair_beta;
	const struct alert_tallies *tally;
	struct snap_run *runs;
	size_t n, cap;
	int64_t max_id; /* the highest run id read */
	size_t unlike;  /* runs marked unlike_last_fair */
};

/* The marks of a run that move with the rest of the store: is it the
 * last fair model, like it in rows, and its open alerts. */
static void mark_run(struct runs_read *rr, struct snap_run *sr)
{
	sr->is_last_fair = strcmp(sr->key, rr->snap->last_fair) == 0;
	sr->unlike_last_fair =
		rr->has_fair && !sr->is_last_fair &&
		!incident_evaluations_alike(
			rr->fair_rows, sr->final_rows,
			rr->fair_has_groups ? &rr->fair_groups : NULL,
			sr->has_groups_digest ? &sr->groups_digest : NULL);
	sr->beta_unlike_last_fair =
		rr->has_fair && !sr->is_last_fair &&
		!incident_betas_alike(rr->fair_beta, sr->beta_factor);
	rr->unlike += (size_t)(sr->unlike_last_fair ||
			       sr->beta_unlike_last_fair);
	const struct alert_tally *at = alerts_tally_find(rr->tally, sr->key);
	sr->open_alerts = at ? at->critical + at->warning : 0;
	sr->critical_alerts = at ? at->critical : 0;
}

/* A verdict as the Runs view shows it: first (NULL: none) copied,
 * against cut to fit.  -1 when out of memory. */
static int mark_of(int passed, const char *first, const char *against,
		   struct snap_verdict *v)
{
	v->mark = passed ? MARK_PASS : MARK_FAIL;
	store_copy(v->against, sizeof v->against, against);
	free(v->rule);
	return (v->rule = strdup(first ? first : "")) == NULL ? -1 : 0;
}

/* The verdict of kind for run r against base_id (0: on its own) from
 * the dashboard's cache, else from the service (kept in the store, or
 * judged) and cached; out gets it.  Nothing but what is shown is
 * copied: this runs twice a run at every refresh. */
static int verdict_for(struct runs_read *rr, const struct run_headline_row *r,
		       int64_t base_id, enum verdict_kind kind,
		       struct snap_verdict *out, struct fail *f)
{
	const struct cached_verdict *kept =
		verdictcache_find(&rr->snap->verdicts, r->id, base_id);
	if (kept != NULL)
		return mark_of(kept->passed, kept->first, kept->against, out) ==
				       0
			       ? 0
			       : fail_set(f, FAIL_INTERNAL, "out of memory");
	struct run_verdict v;
	struct verdict_run_ref ref = {r->id, r->key, r->started_at};
	if (verdict_ctx_ref(&rr->vc, &ref, kind, &v, f) != 0)
		return -1;
	int rc = verdictcache_put(&rr->snap->verdicts, r->id, base_id,
				  v.passed, v.first, v.baseline);
	if (mark_of(v.passed, v.first, v.baseline, out) != 0)
		rc = -1;
	run_verdict_release(&v);
	if (rc != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

/* What the evaluation of run `key` is, read from its groups at the
 * final step, for a run whose kept summary does not say (none kept, or
 * kept by a fairtop older than schema 12 still running while another
 * migrated the store): 1, or -1 with *f filled. */
static int evaluation_read(struct store *s, const char *key,
			   long long *final_rows, uint64_t *digest,
			   struct fail *f)
{
	struct stored_run run;
	struct loaded_run lr;
	int got = store_find_run(s, key, &run, f);
	if (got == 1)
		fail_set(f, FAIL_INTERNAL, "run %s vanished while read", key);
	if (got != 0)
		return -1;
	int rc = runload(s, &run, &lr, f);
	if (rc == 0) {
		*final_rows = runload_rows(&lr);
		*digest = runload_groups_digest(&lr);
	}
	runload_release(&lr);
	stored_run_release(&run);
	return rc == 0 ? 1 : -1;
}

/* The headline numbers of a run with no kept summary (a store from
 * before they were kept): read from its rows. */
static int numbers_of(struct runs_read *rr, const struct run_headline_row *r,
		      struct run_headline *h, struct fail *f)
{
	struct judged_run jr;
	struct judgement none;
	int got = judgeload_present(rr->s, r->key, &jr, f);
	if (got == 0) {
		memset(&none, 0, sizeof none);
		none.passed = 1;
		headline_of(&jr, &none, NULL, h);
	} else if (got == 1) {
		fail_set(f, FAIL_INTERNAL, "run %s vanished while read", r->key);
	}
	judgeload_release(&jr);
	return got == 0 ? 0 : -1;
}

static int run_row(void *ctx, const struct run_headline_row *r,
		   struct fail *f)
{
	struct runs_read *rr = ctx;
	if (ARRAY_GROW(rr->runs, rr->n + 1, rr->cap) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	struct snap_run *sr = &rr->runs[rr->n++];
	memset(sr, 0, sizeof *sr);
	store_copy(sr->key, sizeof sr->key, r->key);
	if (r->id > rr->max_id)
		rr->max_id = r->id;
	sr->model = strdup(r->model ? r->model : "");
	sr->version = strdup(r->version ? r->version : "");
	if (sr->model == NULL || sr->version == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	store_copy(sr->started, sizeof sr->started, r->started_at);
	/* production as this read saw it (the header's may be one refresh
	 * older): D and VS PROD always agree */
	sr->is_deployed = rr->vc.prod.found &&
			  strcmp(sr->key, rr->vc.prod.run) == 0;
	sr->rows_evaluated = r->rows_evaluated;
	sr->beta_factor = r->beta_factor;
	/* fair: on its own; vs production: against the production run,
	 * or on its own for production itself and when there is none
	 * (service/verdict.h) */
	struct run_headline numbers;
	int64_t prod_id = sr->is_deployed ? 0 : rr->prod_id;
	if (verdict_for(rr, r, 0, VERDICT_FAIR, &sr->fair, f) != 0 ||
	    (prod_id != 0 && verdict_for(rr, r, prod_id, VERDICT_VS_PROD,
					 &sr->vs_prod, f) != 0))
		return -1;
	if (prod_id == 0 &&
	    mark_of(sr->fair.mark == MARK_PASS, sr->fair.rule,
		    sr->fair.against, &sr->vs_prod) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	/* the headline numbers depend on the run alone */
	const struct run_headline *h = r->kept;
	if (h == NULL) {
		if (numbers_of(rr, r, &numbers, f) != 0)
			return -1;
		h = &numbers;
	}
	sr->accuracy = h->accuracy;
	sr->f_beta = h->f_beta;
	sr->throughput = h->throughput;
	sr->dp = h->dp;
	sr->eo = h->eo;
	sr->worst_tpr = h->worst_tpr;
	sr->final_rows = h->final_rows;
	sr->has_groups_digest = h->has_groups_digest;
	sr->groups_digest = h->groups_digest;
	if (!sr->has_groups_digest) {
		if (evaluation_read(rr->s, r->key, &sr->final_rows,
				    &sr->groups_digest, f) < 0)
			return -1;
		sr->has_groups_digest = 1;
	}
	if ((sr->worst_group = strdup(h->worst_group)) == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	mark_run(rr, sr);
	return 0;
}

/* Whether a before b in the listing's order: newest first, then by key
 * Z to A (as store_each_run_headline() orders them: bytes compared). */
static int listed_before(const struct snap_run *a, const struct snap_run *b)
{
	int c = strcmp(a->started, b->started);
	return c > 0 || (c == 0 && strcmp(a->key, b->key) > 0);
}

/* The runs held with rr's (those added since, in the same order)
 * merged in, into a new array; the runs move, with what they own.  0,
 * or -1 when out of memory (nothing moved). */
static int merge_added(struct runs_read *rr, struct snapshot *snap)
{
	size_t n = snap->nruns + rr->n, i = 0, k = 0, at = 0;
	struct snap_run *out = malloc(n * sizeof *out);
	if (out == NULL)
		return -1;
	while (i < snap->nruns || k < rr->n)
		if (k == rr->n ||
		    (i < snap->nruns && !listed_before(&rr->runs[k],
						       &snap->runs[i])))
			out[at++] = snap->runs[i++];
		else
			out[at++] = rr->runs[k++];
	free(snap->runs);
	snap->runs = out;
	snap->nruns = n;
	rr->n = 0; /* moved: rr->runs is an empty array */
	return 0;
}

/* The basis of the runs read by rr, for the next read. */
static void keep_basis(struct snapshot *snap, const struct runs_read *rr,
		       const struct policy *p, int64_t changes, int64_t max_id)
{
	struct runs_basis *b = &snap->basis;
	b->valid = 1;
	b->p = p;
	b->changes = changes;
	b->prod_found = rr->vc.prod.found;
	store_copy(b->prod_run, sizeof b->prod_run, rr->vc.prod.run);
	b->prod_id = rr->prod_id;
	b->max_id = max_id;
}

/* Whether the runs held were read under what rr reads now. */
static int same_basis(const struct snapshot *snap, const struct runs_read *rr,
		      const struct policy *p, int64_t changes)
{
	const struct runs_basis *b = &snap->basis;
	return b->valid && b->p == p && b->changes == changes &&
	       b->prod_found == rr->vc.prod.found &&
	       strcmp(b->prod_run, rr->vc.prod.found ? rr->vc.prod.run : "") ==
		       0 &&
	       b->prod_id == rr->prod_id;
}

/* What every read of the runs part starts with, in rr's read
 * transaction (begun here when none is open: *own_txn): production and
 * the last fair model as this read sees them, the verdicts cached
 * brought up to date, and the run_changes count into *changes. */
static int runs_read_begin(struct runs_read *rr, struct store *s,
			   const struct policy *p, struct snapshot *snap,
			   int *own_txn, int64_t *changes, struct fail *f)
{
	memset(rr, 0, sizeof *rr);
	rr->s = s;
	rr->p = p;
	rr->snap = snap;
	rr->tally = &snap->tally;
	/* one read transaction: the verdicts kept stand for the rows read
	 * only when the run_changes count checked is theirs */
	*own_txn = !store_in_transaction(s);
	if (*own_txn && store_begin_read(s, f) != 0)
		return -1;
	if (verdict_ctx_init(&rr->vc, s, p, f) != 0)
		return -1;
	if (rr->vc.prod.found && rr->vc.prod.in_store) {
		struct stored_run pr;
		int got = store_find_run(s, rr->vc.prod.run, &pr, f);
		if (got < 0)
			return -1;
		if (got == 0) {
			rr->prod_id = pr.id;
			stored_run_release(&pr);
		}
	}
	if (snap->last_fair[0]) {
		struct stored_run lf;
		int got = store_find_run(s, snap->last_fair, &lf, f);
		if (got < 0)
			return -1;
		if (got == 0) {
			rr->has_fair = 1;
			rr->fair_beta = lf.beta_factor;
			int kept = store_kept_evaluation(
				s, lf.id, &rr->fair_rows, &rr->fair_groups, f);
			stored_run_release(&lf);
			if (kept == 0)
				kept = evaluation_read(s, snap->last_fair,
						       &rr->fair_rows,
						       &rr->fair_groups, f);
			if (kept < 0)
				return -1;
			rr->fair_has_groups = kept;
		}
	}
	int64_t baselines[VERDICTCACHE_BASELINES] = {
		rr->prod_id,
		0, /* judged on its own: the fair verdicts */
	};
	return store_run_changes(s, changes, f) != 0 ||
			       verdictcache_update(&snap->verdicts, s, p,
						   baselines, f) != 0
		       ? -1
		       : 0;
}

/* The end of a read begun by runs_read_begin(), after it failed (rc
 * -1) or succeeded (0, committed). */
static void runs_read_end(struct runs_read *rr, int own_txn, int rc)
{
	/* keep what was judged for the next reader; a store that cannot
	 * be written (read-only, busy) costs the judging again, nothing
	 * more */
	if (own_txn && rc == 0) {
		struct fail ignored;
		fail_init(&ignored);
		verdict_ctx_flush(&rr->vc, &ignored);
	}
	if (own_txn)
		store_rollback(rr->s); /* after a failure; else done */
	runs_free(rr->runs, rr->n);
	verdict_ctx_release(&rr->vc);
}

/* Where the next page starts: after the last run rr read; no page
 * more when it read less than a page. */
static void keep_place(struct snapshot *snap, const struct runs_read *rr)
{
	struct runs_reading *g = &snap->reading;
	g->more = snap->page_size > 0 && rr->n == snap->page_size;
	if (rr->n > 0) {
		store_copy(g->started, sizeof g->started,
			   rr->runs[rr->n - 1].started);
		store_copy(g->key, sizeof g->key, rr->runs[rr->n - 1].key);
	}
}

/* The runs rr read, older than all held but those added since they
 * were read, put after them: appended, or merged when one of those
 * added sorts after them. */
static int take_page(struct runs_read *rr, struct snapshot *snap)
{
	if (rr->n == 0)
		return 0;
	if (snap->nruns > 0 &&
	    !listed_before(&snap->runs[snap->nruns - 1], &rr->runs[0]))
		return merge_added(rr, snap);
	struct snap_run *grown =
		realloc(snap->runs, (snap->nruns + rr->n) * sizeof *grown);
	if (grown == NULL)
		return -1;
	memcpy(grown + snap->nruns, rr->runs, rr->n * sizeof *grown);
	snap->runs = grown;
	snap->nruns += rr->n;
	rr->n = 0; /* moved: rr->runs is an empty array */
	return 0;
}

/* The last fair model the marks held were taken against. */
static void keep_last_fair(struct snapshot *snap, const struct runs_read *rr)
{
	struct runs_marked *m = &snap->marked;
	store_copy(m->last_fair, sizeof m->last_fair, snap->last_fair);
	m->has_fair = rr->has_fair;
	m->fair_rows = rr->fair_rows;
	m->fair_has_groups = rr->fair_has_groups;
	m->fair_groups = rr->fair_groups;
	m->fair_beta = rr->fair_beta;
}

static int same_last_fair(const struct snapshot *snap,
			  const struct runs_read *rr)
{
	const struct runs_marked *m = &snap->marked;
	return strcmp(m->last_fair, snap->last_fair) == 0 &&
	       m->has_fair == rr->has_fair && m->fair_rows == rr->fair_rows &&
	       m->fair_has_groups == rr->fair_has_groups &&
	       (!m->fair_has_groups || m->fair_groups == rr->fair_groups) &&
	       incident_betas_alike(m->fair_beta, rr->fair_beta) &&
	       rate_defined(m->fair_beta) == rate_defined(rr->fair_beta);
}

/* The runs rr read from the newest, held in place of those held
 * (which go), with the basis they were read under. */
static void hold_read(struct snapshot *snap, struct runs_read *rr,
		      const struct policy *p, int64_t changes, int64_t max_id)
{
	runs_free(snap->runs, snap->nruns);
	snap->runs = rr->runs;
	snap->nruns = rr->n;
	rr->runs = NULL;
	rr->n = 0;
	keep_basis(snap, rr, p, changes, max_id);
	snap->unlike_last_fair = rr->unlike;
	keep_last_fair(snap, rr);
}

static int load_runs(struct store *s, const struct policy *p,
		     struct snapshot *snap, struct fail *f)
{
	struct runs_read rr;
	struct alert_tallies tally;
	int64_t changes;
	int own_txn, rc = -1;
	memset(&tally, 0, sizeof tally);
	if (runs_read_begin(&rr, s, p, snap, &own_txn, &changes, f) != 0 ||
	    store_alert_tallies(s, &tally, f) != 0)
		goto out;
	rr.tally = &tally; /* the alerts as this read sees them */
	if (same_basis(snap, &rr, p, changes)) {
		/* only the runs added since; those held stand */
		if (store_each_run_headline_after(s, snap->basis.max_id,
						  run_row, &rr, f) != 0 ||
		    (own_txn && store_commit(s, f) != 0))
			goto out;
		if (rr.n > 0 && merge_added(&rr, snap) != 0) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		/* the runs held take their marks again only when what
		 * they come from moved: the alerts, or the last fair
		 * model (its name or its rows); those added have theirs */
		if (!alerts_tallies_equal(&tally, &snap->tally) ||
		    !same_last_fair(snap, &rr)) {
			rr.unlike = 0;
			for (size_t i = 0; i < snap->nruns; i++)
				mark_run(&rr, &snap->runs[i]);
			snap->unlike_last_fair = rr.unlike;
		} else {
			snap->unlike_last_fair += rr.unlike;
		}
		keep_last_fair(snap, &rr);
		if (rr.max_id > snap->basis.max_id)
			snap->basis.max_id = rr.max_id;
	} else if (snap->page_size > 0) {
		/* the newest page; snapshot_read_more() reads on, up to
		 * the runs there are now */
		struct run_page page = {0, NULL, NULL, snap->page_size};
		if (store_max_run_id(s, &page.upto, f) != 0 ||
		    store_each_run_headline_page(s, &page, run_row, &rr,
						 f) != 0 ||
		    (own_txn && store_commit(s, f) != 0))
			goto out;
		keep_place(snap, &rr);
		snap->reading.upto = page.upto;
		hold_read(snap, &rr, p, changes, page.upto);
	} else {
		if (store_each_run_headline(s, 1, run_row, &rr, f) != 0 ||
		    (own_txn && store_commit(s, f) != 0))
			goto out;
		hold_read(snap, &rr, p, changes, rr.max_id);
	}
	alerts_tally_release(&snap->tally);
	snap->tally = tally; /* taken over */
	memset(&tally, 0, sizeof tally);
	rc = 0;
out:
	runs_read_end(&rr, own_txn, rc);
	alerts_tally_release(&tally);
	return rc;
}

int snapshot_read_more(struct store *s, const struct policy *p,
		       struct snapshot *snap, struct fail *f)
{
	struct runs_read rr;
	int64_t changes;
	int own_txn, rc = -1;
	if (!snap->reading.more || !(snap->fresh & SNAP_RUNS))
		return 0;
	if (runs_read_begin(&rr, s, p, snap, &own_txn, &changes, f) != 0)
		goto out;
	if (!same_basis(snap, &rr, p, changes)) {
		/* read under something else: read again from the newest
		 * (what is held shows until then) */
		snap->fresh &= ~(unsigned)SNAP_RUNS;
		snap->basis.valid = 0;
		snap->reading.more = 0;
		rc = own_txn ? store_commit(s, f) : 0;
		goto out;
	}
	struct run_page page = {snap->reading.upto, snap->reading.started,
				snap->reading.key, snap->page_size};
	if (store_each_run_headline_page(s, &page, run_row, &rr, f) != 0 ||
	    (own_txn && store_commit(s, f) != 0))
		goto out;
	/* the place moves only with the page kept: a page that could
	 * not be kept is read again by the next call */
	struct runs_reading was = snap->reading;
	keep_place(snap, &rr);
	if (take_page(&rr, snap) != 0) {
		snap->reading = was;
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	snap->unlike_last_fair += rr.unlike;
	rc = 0;
out:
	runs_read_end(&rr, own_txn, rc);
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
	if (timeline_load_recent(s, p, snap->timeline_runs, &t, f) != 0) {
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
	rundisparity_release(&c->base_ci);
	rundisparity_release(&c->cand_ci);
	memset(c, 0, sizeof *c);
}

int snapshot_compare(struct store *s, const struct policy *p,
		     const char *baseline, const char *candidate,
		     struct snap_compare *out, struct fail *f)
{
	memset(out, 0, sizeof *out);
	if (verdict_pair(s, p, baseline, candidate, &out->base, &out->cand,
			 &out->j, f) != 0)
		return -1;
	if (rundisparity_init(&out->base_ci, &out->base.lr, p) != 0 ||
	    rundisparity_init(&out->cand_ci, &out->cand.lr, p) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		return -1;
	}
	out->loaded = 1;
	return 0;
}

void snap_drift_release(struct snap_drift *d)
{
	for (size_t i = 0; i < d->nfeatures; i++)
		free(d->features[i]);
	free(d->features);
	free(d->point);
	for (size_t i = 0; i < d->nseries; i++) {
		free(d->series[i].group);
		free(d->series[i].value);
	}
	free(d->series);
	free(d->steps);
	for (size_t i = 0; i < d->nstep_series; i++) {
		free(d->step_series[i].group);
		free(d->step_series[i].value);
	}
	free(d->step_series);
	memset(d, 0, sizeof *d);
}

/* The rate of metric m: confusion_rates()'s, the one computation of a
 * rate. */
static double rate_of(const struct confusion *c, enum drift_metric m)
{
	struct rates r;
	double n;
	confusion_rates(c, RATE_UNDEFINED, &r);
	return disparity_rate_of(&r,
				 m == DRIFT_TPR   ? DISPARITY_TPR
				 : m == DRIFT_FPR ? DISPARITY_FPR
						  : DISPARITY_SELECTION,
				 &n);
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
	if (ARRAY_GROW(cs->c, cs->n + 1, cs->cap) != 0)
		return -1;
	cs->c[cs->n++] = (struct cell){point, series, value};
	return 0;
}

/* The series of name index `label`, made (in order of first
 * appearance) when new: map[label] remembers it.  *cap is the series
 * allocated.  (size_t)-1 when out of memory. */
static size_t series_of(const struct drift_cache *dc, size_t *map,
			size_t label, struct snap_series **series,
			size_t *nseries, size_t *cap)
{
	if (map[label] != (size_t)-1)
		return map[label];
	if (ARRAY_GROW(*series, *nseries + 1, *cap) != 0)
		return (size_t)-1;
	struct snap_series *p = &(*series)[*nseries];
	p->group = strdup(driftcache_name(dc, label));
	p->value = NULL;
	if (p->group == NULL)
		return (size_t)-1;
	return map[label] = (*nseries)++;
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

/* A name-index map with nothing in it yet. */
static size_t *new_map(const struct drift_cache *dc)
{
	size_t n = driftcache_name_count(dc);
	size_t *map = malloc((n ? n : 1) * sizeof *map);
	for (size_t i = 0; map && i < n; i++)
		map[i] = (size_t)-1;
	return map;
}

/* run's groups of feature (a name index): [*first, *first + n). */
static size_t slice(const struct drift_run *r, size_t feature,
		    size_t *first)
{
	size_t i = 0;
	while (i < r->ng && r->g[i].feature != feature)
		i++;
	*first = i;
	while (i < r->ng && r->g[i].feature == feature)
		i++;
	return i - *first;
}

/* Each group's rate at the final step of each run that has the
 * feature, the runs oldest first, the series in order of first
 * appearance (by run, then position). */
static int across_runs(const struct drift_cache *dc, size_t feature,
		       enum drift_metric m, struct snap_drift *out)
{
	struct cells cs = {NULL, 0, 0};
	size_t series_cap = 0;
	size_t *map = new_map(dc);
	size_t npoints = 0, first;
	int rc = -1;
	for (size_t i = 0; i < dc->nruns; i++)
		npoints += slice(&dc->runs[i], feature, &first) > 0;
	out->point = malloc((npoints ? npoints : 1) * sizeof *out->point);
	if (map == NULL || out->point == NULL)
		goto out;
	for (size_t i = 0; i < dc->nruns; i++) {
		const struct drift_run *r = &dc->runs[i];
		size_t n = slice(r, feature, &first);
		if (n == 0)
			continue;
		assert(out->npoints < npoints); /* counted alike above */
		store_copy(out->point[out->npoints++], sizeof *out->point, r->key);
		for (size_t k = first; k < first + n; k++) {
			size_t at = series_of(dc, map, r->g[k].label,
					      &out->series, &out->nseries,
					      &series_cap);
			if (at == (size_t)-1 ||
			    cells_add(&cs, out->npoints - 1, at,
				      rate_of(&r->g[k].counts, m)) != 0)
				goto out;
		}
	}
	rc = lay_out(out->series, out->nseries, out->npoints, &cs);
out:
	free(map);
	free(cs.c);
	return rc;
}

/* Each group's rate at each step of a run, the series in order of
 * first appearance (by step, then position). */
static int across_steps(const struct drift_cache *dc,
			const struct drift_steps *t, enum drift_metric m,
			struct snap_drift *out)
{
	struct cells cs = {NULL, 0, 0};
	size_t series_cap = 0;
	size_t *map = new_map(dc);
	int rc = -1;
	if (map == NULL)
		goto out;
	if (t->nsteps > 0) {
		out->steps = malloc(t->nsteps * sizeof *out->steps);
		if (out->steps == NULL)
			goto out;
		memcpy(out->steps, t->steps, t->nsteps * sizeof *out->steps);
		out->nsteps = t->nsteps;
	}
	for (size_t x = 0; x < t->nsteps; x++)
		for (size_t k = 0; k < t->ng; k++) {
			size_t at = x * t->ng + k;
			if (!t->present[at])
				continue;
			size_t i = series_of(dc, map, t->label[k],
					     &out->step_series,
					     &out->nstep_series, &series_cap);
			if (i == (size_t)-1 ||
			    cells_add(&cs, x, i, rate_of(&t->counts[at], m)) != 0)
				goto out;
		}
	rc = lay_out(out->step_series, out->nstep_series, out->nsteps, &cs);
out:
	free(map);
	free(cs.c);
	return rc;
}

/* Run fn on cache (a private one when NULL) brought up to date within
 * one read transaction. */
static int with_cache(struct store *s, struct drift_cache *cache,
		      int (*fn)(struct store *s, struct drift_cache *c,
				void *ctx, struct fail *f),
		      void *ctx, struct fail *f)
{
	struct drift_cache own;
	driftcache_init(&own);
	struct drift_cache *c = cache ? cache : &own;
	int own_txn = !store_in_transaction(s);
	int rc = -1;
	if (own_txn && store_begin_read(s, f) != 0)
		return -1;
	if (driftcache_update(c, s, f) == 0)
		rc = fn(s, c, ctx, f);
	if (own_txn && store_commit(s, f) != 0)
		rc = -1;
	driftcache_release(&own);
	return rc;
}

struct drift_ask {
	const char *feature, *run;
	enum drift_metric m;
	struct snap_drift *out;
	char *buf;
	size_t size;
};

static int drift_of(struct store *s, struct drift_cache *c, void *ctx,
		    struct fail *f)
{
	struct drift_ask *q = ctx;
	struct snap_drift *out = q->out;
	out->features = calloc(c->nfeatures ? c->nfeatures : 1,
			       sizeof *out->features);
	if (out->features == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	for (; out->nfeatures < c->nfeatures; out->nfeatures++) {
		out->features[out->nfeatures] =
			strdup(driftcache_name(c, c->feature[out->nfeatures]));
		if (out->features[out->nfeatures] == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	if (out->nfeatures == 0)
		return 0;
	long k = q->feature ? driftcache_find_feature(c, q->feature) : -1;
	if (k < 0)
		k = 0;
	store_copy(out->feature, sizeof out->feature, out->features[k]);
	out->newest_only = c->nruns >= DRIFT_RUNS;
	if (across_runs(c, c->feature[k], q->m, out) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (q->run == NULL)
		return 0;
	const struct drift_steps *t;
	/* the name in full: out->feature is cut to its buffer */
	if (driftcache_steps(c, s, out->features[k], q->run, &t, f) != 0)
		return -1;
	if (across_steps(c, t, q->m, out) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

int snapshot_drift(struct store *s, struct drift_cache *cache,
		   const char *feature, enum drift_metric m, const char *run,
		   struct snap_drift *out, struct fail *f)
{
	struct drift_ask q = {feature, run, m, out, NULL, 0};
	memset(out, 0, sizeof *out);
	return with_cache(s, cache, drift_of, &q, f);
}

static int pick_of(struct store *s, struct drift_cache *c, void *ctx,
		   struct fail *f)
{
	struct drift_ask *q = ctx;
	double best = -1;
	(void)s;
	(void)f;
	for (size_t i = 0; i < c->nfeatures; i++) {
		/* the spread of the defined values, from lo = 1 and hi = 0 */
		double lo = 1, hi = 0;
		size_t first;
		for (size_t r = 0; r < c->nruns; r++) {
			const struct drift_run *run = &c->runs[r];
			size_t n = slice(run, c->feature[i], &first);
			for (size_t k = first; k < first + n; k++) {
				double v = rate_of(&run->g[k].counts, q->m);
				if (v != v)
					continue;
				lo = v < lo ? v : lo;
				hi = v > hi ? v : hi;
			}
		}
		if (hi - lo > best) {
			best = hi - lo;
			store_copy(q->buf, q->size, driftcache_name(c, c->feature[i]));
		}
	}
	return 0;
}

int snapshot_drift_pick(struct store *s, struct drift_cache *cache,
			enum drift_metric m, char *buf, size_t size,
			struct fail *f)
{
	struct drift_ask q = {NULL, NULL, m, NULL, buf, size};
	buf[0] = '\0';
	return with_cache(s, cache, pick_of, &q, f);
}
