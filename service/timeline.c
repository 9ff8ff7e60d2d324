/*
 * timeline.c — the post-mortem timeline.  See timeline.h.
 */
#include "service/timeline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/strbuf.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"
#include "core/lastfair.h"
#include "service/judgeload.h"
#include "service/verdict.h"
#include "storage/summary_store.h"

struct events {
	struct event *e;
	size_t n, cap;
};

static struct event *add_event(struct events *ev)
{
	if (ARRAY_GROW(ev->e, ev->n + 1, ev->cap) != 0)
		return NULL;
	struct event *x = &ev->e[ev->n++];
	memset(x, 0, sizeof *x);
	return x;
}

static int by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int c = strcmp(x->time, y->time);
	if (c != 0)
		return c;
	/* a run before what happened to it in the same second */
	return (strcmp(y->kind, "run") == 0) - (strcmp(x->kind, "run") == 0);
}


struct run_events {
	struct verdict_ctx *vc;
	const struct alert_tallies *tally;
	struct events *ev;
};

/* A run's event: its verdict at arrival, against what was in
 * production when it started. */
static int run_event(void *ctx, const struct run_headline_row *r,
		     struct fail *f)
{
	struct run_events *re = ctx;
	struct run_verdict v;
	struct verdict_run_ref ref = {r->id, r->key, r->started_at};
	if (verdict_ctx_ref(re->vc, &ref, VERDICT_AT_ARRIVAL, &v, f) != 0)
		return -1;
	struct event *x = add_event(re->ev);
	if (x == NULL) {
		run_verdict_release(&v);
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	store_copy(x->time, sizeof x->time, r->started_at);
	store_copy(x->kind, sizeof x->kind, "run");
	store_copy(x->run, sizeof x->run, r->key);
	const struct alert_tally *at = alerts_tally_find(re->tally, r->key);
	size_t crit = at ? at->critical : 0;
	size_t warn = at ? at->warning : 0;
	size_t acked = at ? at->acknowledged : 0;
	char alert_text[128] = "";
	if (crit + warn)
		snprintf(alert_text, sizeof alert_text,
			 "; alerts: %zu critical, %zu warning, %zu "
			 "acknowledged", crit, warn, acked);
	/* "model version", or either alone */
	const char *model = r->model ? r->model : "";
	const char *version = r->version ? r->version : "";
	char *who = strbuf_dupf("%s%s%s", model,
				model[0] && version[0] ? " " : "", version);
	if (who == NULL) {
		run_verdict_release(&v);
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	if (v.baseline[0] && v.fails)
		x->text = strbuf_dupf("%s started; at arrival, against %s "
				      "in production: FAIL, %zu rule%s (%s)%s",
				      who, v.baseline, v.fails,
				      v.fails == 1 ? "" : "s",
				      verdict_first(&v), alert_text);
	else if (v.baseline[0])
		x->text = strbuf_dupf("%s started; at arrival, against %s "
				      "in production: pass%s",
				      who, v.baseline, alert_text);
	else if (v.fails)
		x->text = strbuf_dupf("%s started; at arrival, on its own "
				      "(%s): FAIL, %zu rule%s (%s)%s",
				      who, v.note, v.fails,
				      v.fails == 1 ? "" : "s",
				      verdict_first(&v), alert_text);
	else
		x->text = strbuf_dupf("%s started; at arrival, on its own "
				      "(%s): pass%s",
				      who, v.note, alert_text);
	run_verdict_release(&v);
	free(who);
	x->actor = strbuf_dupf("%s", "");
	if (x->text == NULL || x->actor == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

/* The runs' events: every run's, or (newest > 0) the newest runs' only;
 * when that left older runs out, after gets the start of the newest
 * run left out (the events kept are those after it: a run of the same
 * start as one left out goes too, so that none of that second is
 * half there). */
static int run_events(struct store *s, struct verdict_ctx *vc,
		      size_t newest, struct events *ev, char *after,
		      size_t after_size, struct fail *f)
{
	struct alert_tallies tally;
	if (store_alert_tallies(s, &tally, f) != 0)
		return -1;
	struct run_events re = {vc, &tally, ev};
	int rc;
	if (newest == 0) {
		rc = store_each_run_headline(s, 0, run_event, &re, f);
	} else {
		/* one more, to know whether any was left out */
		struct run_page page = {INT64_MAX, NULL, NULL, newest + 1};
		rc = store_each_run_headline_page(s, &page, run_event, &re, f);
		if (rc == 0 && ev->n > newest)
			store_copy(after, after_size, ev->e[newest].time);
	}
	alerts_tally_release(&tally);
	return rc;
}

/* Keep the events after `after` only ("": every one). */
static void keep_after(struct events *ev, const char *after)
{
	size_t kept = 0;
	for (size_t i = 0; i < ev->n; i++)
		if (!after[0] || strcmp(ev->e[i].time, after) > 0) {
			ev->e[kept++] = ev->e[i];
		} else {
			free(ev->e[i].actor);
			free(ev->e[i].text);
		}
	ev->n = kept;
}

/* What is deployed (the last deployment done) and how, and the
 * overrides ever made, from the deployments oldest first. */
static int deployed_of(const struct stored_deployment *d, size_t n,
		       struct summary_info *sum)
{
	const struct stored_deployment *last = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].kind, "override") == 0)
			sum->overrides++;
		if (strcmp(d[i].state, "done") != 0)
			continue;
		snprintf(sum->deployed, sizeof sum->deployed, "%s",
			 d[i].run_key);
		store_copy(sum->deployed_kind, sizeof sum->deployed_kind,
			   d[i].kind);
		store_copy(sum->deployed_since, sizeof sum->deployed_since,
			   d[i].time);
		last = &d[i];
	}
	if (last == NULL)
		return 0;
	free(sum->deployed_how);
	free(sum->deployed_actor);
	sum->deployed_how = strbuf_dupf("%s by %s at %s", last->kind,
					last->actor, last->time);
	sum->deployed_actor = strbuf_dupf("%s", last->actor);
	return sum->deployed_how && sum->deployed_actor ? 0 : -1;
}

static int deployment_events(const struct stored_deployment *d, size_t n,
			     struct events *ev, struct fail *f)
{
	for (size_t i = 0; i < n; i++) {
		struct event *x = add_event(ev);
		if (x == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		int failed = strcmp(d[i].state, "failed") == 0;
		int pending = strcmp(d[i].state, "pending") == 0;
		int override = strcmp(d[i].kind, "override") == 0;
		snprintf(x->time, sizeof x->time, "%s", d[i].time);
		if (d[i].recorded_at && strcmp(d[i].recorded_at, d[i].time))
			snprintf(x->recorded, sizeof x->recorded, "%s",
				 d[i].recorded_at);
		snprintf(x->kind, sizeof x->kind, "%s%s", d[i].kind,
			 pending ? " (pending)" : failed ? " (FAILED)" : "");
		snprintf(x->run, sizeof x->run, "%s", d[i].run_key);
		x->actor = strbuf_dupf("%s", d[i].actor);
		x->loud = override;
		x->failed = failed;
		x->text = strbuf_dupf("%s%s by %s: \"%s\"%s",
			 override ? "OVERRIDE: deployed despite the fairness "
				    "policy; "
				  : "",
			 strcmp(d[i].kind, "rollback") == 0
				 ? "rolled back to it"
				 : "deployed",
			 d[i].actor, d[i].reason,
			 failed    ? "; the deploy hook failed, nothing changed"
			 : pending ? "; still pending: its outcome was never "
				     "recorded (fairtop killed, the store not "
				     "writable when the hook ended, or still "
				     "running); the previous deployment stays "
				     "current"
				   : "");
		if (x->actor == NULL || x->text == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	return 0;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Acknowledgements in one act: same run, time, actor and note. */
static int ack_cmp(const void *x, const void *y)
{
	const struct stored_alert *a = *(const struct stored_alert *const *)x;
	const struct stored_alert *b = *(const struct stored_alert *const *)y;
	int c = strcmp(or_empty(a->acknowledged_at),
		       or_empty(b->acknowledged_at));
	if (c == 0)
		c = strcmp(a->run_key, b->run_key);
	if (c == 0)
		c = strcmp(or_empty(a->acknowledged_by),
			   or_empty(b->acknowledged_by));
	if (c == 0)
		c = strcmp(or_empty(a->ack_note), or_empty(b->ack_note));
	if (c == 0)
		c = a->id < b->id ? -1 : a->id > b->id;
	return c;
}

static int same_act(const struct stored_alert *a, const struct stored_alert *b)
{
	return strcmp(or_empty(a->acknowledged_at),
		      or_empty(b->acknowledged_at)) == 0 &&
	       strcmp(a->run_key, b->run_key) == 0 &&
	       strcmp(or_empty(a->acknowledged_by),
		      or_empty(b->acknowledged_by)) == 0 &&
	       strcmp(or_empty(a->ack_note), or_empty(b->ack_note)) == 0;
}

/* One event per act of acknowledging: an alert, or every firing alert
 * of a run at once (ack --run, the dashboard's A). */
static int ack_events(struct store *s, struct events *ev, struct fail *f)
{
	struct stored_alert *a = NULL;
	const struct stored_alert **order = NULL;
	size_t n = 0;
	int rc = -1;
	if (store_alerts_acked(s, &a, &n, f) != 0)
		return -1;
	order = malloc((n ? n : 1) * sizeof *order);
	if (order == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++)
		order[i] = &a[i];
	qsort(order, n, sizeof *order, ack_cmp);
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;
		while (k < n && same_act(order[i], order[k]))
			k++;
		const struct stored_alert *x = order[i];
		struct event *e = add_event(ev);
		if (e == NULL)
			goto oom;
		snprintf(e->time, sizeof e->time, "%s", or_empty(x->acknowledged_at));
		snprintf(e->kind, sizeof e->kind, "ack");
		snprintf(e->run, sizeof e->run, "%s", x->run_key);
		const char *by = or_empty(x->acknowledged_by);
		e->actor = strbuf_dupf("%s", by);
		if (k - i == 1)
			e->text = strbuf_dupf("alert #%lld (%s %s) acknowledged "
					      "by %s%s%s",
					      (long long)x->id, x->severity,
					      x->rule, by,
					      x->ack_note ? ": " : "",
					      or_empty(x->ack_note));
		else
			e->text = strbuf_dupf("%zu alerts of %s acknowledged at "
					      "once by %s%s%s",
					      k - i, x->run_key, by,
					      x->ack_note ? ": " : "",
					      or_empty(x->ack_note));
		if (e->actor == NULL || e->text == NULL)
			goto oom;
		i = k;
	}
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	free(order);
	stored_alerts_free(a, n);
	return rc;
}

/* Production and the last fair model (core/lastfair.h), chosen on the
 * runs' fair verdicts; a store error is an error, never "not fair". */
static int last_fair(struct verdict_ctx *vc, const struct stored_deployment *d,
		     size_t n, struct summary_info *sum, struct fail *f)
{
	struct deployed_fact *facts = calloc(n ? n : 1, sizeof *facts);
	if (facts == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	int rc = -1;
	for (size_t i = 0; i < n; i++) {
		facts[i].run = d[i].run_key;
		facts[i].done = strcmp(d[i].state, "done") == 0;
	}
	size_t cur = lastfair_production(facts, n);
	/* newest first, stopping at the first fair run: the last fair
	 * model is the newest deployed run that passes */
	size_t found = n;
	for (size_t i = n; i-- > 0 && found == n;) {
		if (!facts[i].done)
			continue;
		struct run_verdict v;
		int got = verdict_ctx_key(vc, d[i].run_key, VERDICT_FAIR, &v,
					  f);
		if (got < 0)
			goto out;
		facts[i].in_store = got == 0;
		facts[i].fair = got == 0 && v.passed;
		if (i == cur) {
			sum->deployed_in_store = facts[i].in_store;
			sum->deployed_fair = facts[i].fair;
			if (got == 0) {
				free(sum->deployed_why);
				sum->deployed_why = strbuf_dupf(
					"%s", verdict_first(&v));
			}
		}
		run_verdict_release(&v);
		if (i == cur && got == 0 && sum->deployed_why == NULL) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		if (facts[i].fair)
			found = i;
	}
	/* the runs older than the one found were not judged: none of
	 * them can be newer */
	found = lastfair_model(facts, n);
	if (found != n)
		store_copy(sum->last_fair, sizeof sum->last_fair,
			   d[found].run_key);
	rc = 0;
out:
	free(facts);
	return rc;
}

/* The summary from the deployments (oldest first) and the alerts. */
static int summary_of(struct store *s, struct verdict_ctx *vc,
		      const struct stored_deployment *d, size_t n,
		      struct summary_info *sum, struct fail *f)
{
	memset(sum, 0, sizeof *sum);
	if (deployed_of(d, n, sum) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (last_fair(vc, d, n, sum, f) != 0 ||
	    store_alert_counts_split(s, sum->deployed, &sum->alerts, f) != 0)
		return -1;
	sum->open_critical = sum->alerts.prod_critical;
	sum->open_warning = sum->alerts.prod_warning;
	/* "" rather than NULL for what nothing deployed leaves unsaid */
	char **whole[] = {&sum->deployed_how, &sum->deployed_actor,
			  &sum->deployed_why};
	for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
		if (*whole[i] == NULL && (*whole[i] = calloc(1, 1)) == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

void summary_info_release(struct summary_info *sum)
{
	free(sum->deployed_how);
	free(sum->deployed_actor);
	free(sum->deployed_why);
	sum->deployed_how = sum->deployed_actor = sum->deployed_why = NULL;
}

int timeline_summary(struct store *s, const struct policy *p,
		     struct summary_info *out, struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	struct verdict_ctx vc;
	memset(out, 0, sizeof *out);
	if (verdict_ctx_init(&vc, s, p, f) != 0 ||
	    store_deployments_list(s, &d, &n, f) != 0) {
		verdict_ctx_release(&vc);
		return -1;
	}
	int rc = summary_of(s, &vc, d, n, out, f);
	if (rc != 0)
		summary_info_release(out);
	stored_deployments_free(d, n);
	verdict_ctx_release(&vc);
	return rc;
}

void timeline_release(struct timeline *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].actor);
		free(t->e[i].text);
	}
	free(t->e);
	summary_info_release(&t->sum);
	memset(t, 0, sizeof *t);
}

int timeline_load(struct store *s, const struct policy *p,
		  struct timeline *out, struct fail *f)
{
	return timeline_load_recent(s, p, 0, out, f);
}

int timeline_load_recent(struct store *s, const struct policy *p,
			 size_t newest, struct timeline *out, struct fail *f)
{
	struct events ev = {NULL, 0, 0};
	struct stored_deployment *d = NULL;
	size_t nd = 0;
	int rc = -1;
	struct verdict_ctx vc;
	memset(out, 0, sizeof *out);
	if (verdict_ctx_init(&vc, s, p, f) != 0 ||
	    store_deployments_list(s, &d, &nd, f) != 0) {
		verdict_ctx_release(&vc);
		return -1;
	}
	if (run_events(s, &vc, newest, &ev, out->after, sizeof out->after,
		       f) != 0 ||
	    deployment_events(d, nd, &ev, f) != 0 || ack_events(s, &ev, f) != 0 ||
	    summary_of(s, &vc, d, nd, &out->sum, f) != 0)
		goto out;
	keep_after(&ev, out->after);
	qsort(ev.e, ev.n, sizeof *ev.e, by_time);
	rc = 0;
	/* keep the verdicts judged for the next reader (best effort: a
	 * store that cannot be written costs the judging again) */
	if (!store_in_transaction(s)) {
		struct fail ignored;
		fail_init(&ignored);
		verdict_ctx_flush(&vc, &ignored);
	}
out:
	stored_deployments_free(d, nd);
	verdict_ctx_release(&vc);
	out->e = ev.e;
	out->n = ev.n;
	out->cap = ev.cap;
	return rc;
}
