/*
 * postmortem.c — the story a post-mortem tells.  See postmortem.h.
 */
#include "service/postmortem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/confusion.h"
#include "core/isotime.h"
#include "core/strbuf.h"
#include "service/judgeload.h"
#include "service/rollplan.h"
#include "service/verdict.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"
#include "storage/runread.h"

/* The cursors of the lists being filled. */
struct caps {
	size_t window, item, ovr, rb, run;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

const char *postmortem_cause_title(enum pm_cause c)
{
	switch (c) {
	case PM_CLASS_WEIGHTS:
		return "Class-weight rounding";
	case PM_BETA_FACTOR:
		return "Missing beta_factor";
	case PM_COVERAGE:
		return "Lost evaluation coverage";
	case PM_DRIFT:
		return "Data drift";
	case PM_CAUSES:
		break;
	}
	return "?";
}

const char *postmortem_cause_key(enum pm_cause c)
{
	switch (c) {
	case PM_CLASS_WEIGHTS:
		return "class_weights";
	case PM_BETA_FACTOR:
		return "beta_factor";
	case PM_COVERAGE:
		return "coverage";
	case PM_DRIFT:
		return "drift";
	case PM_CAUSES:
		break;
	}
	return "?";
}

const char *postmortem_duration(char *buf, size_t size, long long seconds)
{
	if (seconds < 0) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	long long d = seconds / 86400, h = seconds % 86400 / 3600;
	long long m = seconds % 3600 / 60;
	if (d > 0)
		snprintf(buf, size, "%lld day%s %lld h %lld min", d,
			 d == 1 ? "" : "s", h, m);
	else if (h > 0)
		snprintf(buf, size, "%lld h %lld min", h, m);
	else
		snprintf(buf, size, "%lld min", m);
	return buf;
}

const char *postmortem_count(char *buf, size_t size, long long n)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
	size_t len = strlen(digits), at = 0;
	char out[48];
	if (n < 0)
		out[at++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[at++] = ',';
		out[at++] = digits[i];
	}
	out[at] = '\0';
	snprintf(buf, size, "%s", out);
	return buf;
}

const char *postmortem_day(char *buf, size_t size, const char *iso)
{
	static const char *const month[] = {"Jan", "Feb", "Mar", "Apr", "May",
					    "Jun", "Jul", "Aug", "Sep", "Oct",
					    "Nov", "Dec"};
	int y, m, d;
	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12)
		snprintf(buf, size, "%s", iso ? iso : "?");
	else
		snprintf(buf, size, "%d %s %04d", d, month[m - 1], y);
	return buf;
}

static long long between(const char *from, const char *to)
{
	long long a, b;
	if (isotime_seconds(from, &a) != 0 || isotime_seconds(to, &b) != 0)
		return -1;
	return b - a;
}

/* --- exposure windows and rollbacks -------------------------------- */

static int add_window(struct postmortem *pm, struct caps *c,
		      const struct stored_deployment *d)
{
	if (ARRAY_GROW(pm->window, pm->nwindow + 1, c->window) != 0)
		return -1;
	struct pm_window *w = &pm->window[pm->nwindow++];
	memset(w, 0, sizeof *w);
	w->run = strdup(d->run_key);
	w->kind = strdup(d->kind);
	w->actor = strdup(d->actor);
	w->opened = strdup(d->time);
	w->seconds = between(d->time, pm->now);
	return w->run && w->kind && w->actor && w->opened ? 0 : -1;
}

static int close_window(struct pm_window *w, const struct stored_deployment *d)
{
	w->closed = strdup(d->time);
	w->closed_run = strdup(d->run_key);
	w->closed_kind = strdup(d->kind);
	w->closed_actor = strdup(d->actor);
	w->seconds = between(w->opened, d->time);
	return w->closed && w->closed_run && w->closed_kind &&
			       w->closed_actor
		       ? 0
		       : -1;
}

static int add_rollback(struct postmortem *pm, struct caps *c,
			const struct stored_deployment *d, const char *from)
{
	if (ARRAY_GROW(pm->rb, pm->nrb + 1, c->rb) != 0)
		return -1;
	struct pm_rollback *r = &pm->rb[pm->nrb++];
	r->time = strdup(d->time);
	r->from = dup_or_null(from);
	r->to = strdup(d->run_key);
	r->actor = strdup(d->actor);
	r->reason = strdup(d->reason);
	r->state = strdup(d->state);
	return r->time && (from == NULL || r->from) && r->to && r->actor &&
			       r->reason && r->state
		       ? 0
		       : -1;
}

/* The alerts of d's run that were firing at d's time. */
static int firing_then(struct store *s, const struct stored_deployment *d,
		       struct pm_override *o, struct fail *f)
{
	struct stored_alert *a = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	if (store_alerts_list_run(s, d->run_key, NULL, &a, &n, f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *began = a[i].began_at ? a[i].began_at
						  : a[i].first_seen;
		if (began == NULL || strcmp(began, d->time) > 0 ||
		    (a[i].resolved_at && strcmp(a[i].resolved_at, d->time) <= 0))
			continue;
		if (ARRAY_GROW(o->firing, o->nfiring + 1, cap) != 0)
			goto oom;
		struct pm_alert *x = &o->firing[o->nfiring++];
		x->id = a[i].id;
		x->rule = dup_or_null(a[i].rule);
		x->severity = dup_or_null(a[i].severity);
		x->subject = dup_or_null(a[i].subject);
		if (x->rule == NULL || x->severity == NULL)
			goto oom;
	}
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	stored_alerts_free(a, n);
	return rc;
}

static int add_override(struct store *s, struct postmortem *pm,
			struct caps *c, const struct stored_deployment *d,
			struct fail *f)
{
	if (ARRAY_GROW(pm->ovr, pm->novr + 1, c->ovr) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	struct pm_override *o = &pm->ovr[pm->novr++];
	memset(o, 0, sizeof *o);
	o->time = strdup(d->time);
	o->run = strdup(d->run_key);
	o->actor = strdup(d->actor);
	o->reason = strdup(d->reason);
	o->state = strdup(d->state);
	o->imported = d->source && strcmp(d->source, "history") == 0;
	o->recorded = dup_or_null(d->recorded_at);
	if (!o->time || !o->run || !o->actor || !o->reason || !o->state)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return firing_then(s, d, o, f);
}

/* Walk the deployments oldest first: a done deployment of a run that
 * fails on its own opens a window (unless one is open), one of a fair
 * run closes it.  Runs not in the store have no verdict: they neither
 * open nor close one. */
static int gather_deployments(struct store *s, struct verdict_ctx *vc,
			      struct postmortem *pm, struct caps *c,
			      struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	int rc = -1;
	const char *production = NULL;
	struct pm_window *open = NULL;
	if (store_deployments_list(s, &d, &n, f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].kind, "override") == 0 &&
		    add_override(s, pm, c, &d[i], f) != 0)
			goto out;
		if (strcmp(d[i].kind, "rollback") == 0 &&
		    add_rollback(pm, c, &d[i], production) != 0)
			goto oom;
		if (strcmp(d[i].state, "done") != 0)
			continue;
		production = d[i].run_key;
		struct run_verdict v;
		int got = verdict_ctx_key(vc, d[i].run_key, VERDICT_FAIR, &v, f);
		if (got < 0)
			goto out;
		if (got == 1)
			continue;
		int passed = v.passed;
		run_verdict_release(&v);
		if (!passed && open == NULL) {
			if (add_window(pm, c, &d[i]) != 0)
				goto oom;
			open = &pm->window[pm->nwindow - 1];
		} else if (passed && open != NULL) {
			if (close_window(open, &d[i]) != 0)
				goto oom;
			open = NULL;
		}
	}
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	stored_deployments_free(d, n);
	return rc;
}

/* --- causes and findings ------------------------------------------- */

static int add_item(struct postmortem *pm, struct caps *c, enum pm_cause cause,
		    enum finding_severity sev, const struct pm_run *r,
		    const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static int add_item(struct postmortem *pm, struct caps *c, enum pm_cause cause,
		    enum finding_severity sev, const struct pm_run *r,
		    const char *rule, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (strbuf_failed(&sb) ||
	    ARRAY_GROW(pm->item, pm->nitem + 1, c->item) != 0) {
		strbuf_release(&sb);
		return -1;
	}
	struct pm_item *it = &pm->item[pm->nitem++];
	it->cause = cause;
	it->severity = sev;
	it->run = strdup(r->run);
	it->against = dup_or_null(r->against);
	it->rule = strdup(rule);
	it->text = strbuf_detach(&sb, NULL);
	return it->run && (r->against == NULL || it->against) && it->rule &&
			       it->text
		       ? 0
		       : -1;
}

/* The causes among one run's findings at arrival. */
static int causes_of(struct postmortem *pm, struct caps *c,
		     const struct pm_run *r)
{
	char a[48], b[48];
	const char *base = r->against ? r->against : "its baseline";
	for (size_t i = 0; i < r->j.nfindings; i++) {
		const struct finding *fd = &r->j.finding[i];
		int rc = 0;
		if (strcmp(fd->rule, "class_weights") == 0 &&
		    rate_defined(fd->baseline)) {
			/* baseline: the exact weight; candidate: as logged,
			 * as written and, when that hides digits, whole */
			char shown[40], whole[40], both[96];
			snprintf(shown, sizeof shown, "%.15g", fd->candidate);
			snprintf(whole, sizeof whole, "%.17g", fd->candidate);
			snprintf(both, sizeof both, strcmp(shown, whole) != 0
							    ? "%s (%s)"
							    : "%s",
				 shown, whole);
			rc = add_item(pm, c, PM_CLASS_WEIGHTS, fd->severity, r,
				      fd->rule, "%s: class weight of label %s "
				      "logged as %s vs exact %.17g (n/(k*n_c)), "
				      "relative difference %.2g", r->run,
				      fd->group, both, fd->baseline,
				      fd->baseline == 0
					      ? fd->candidate
					      : (fd->candidate - fd->baseline) /
							fd->baseline);
		}
		else if (strcmp(fd->rule, "class_weights") == 0)
			rc = add_item(pm, c, PM_CLASS_WEIGHTS, fd->severity, r,
				      fd->rule, "%s: %s", r->run, fd->message);
		else if (strcmp(fd->rule, "beta_factor") == 0)
			rc = add_item(pm, c, PM_BETA_FACTOR, fd->severity, r,
				      fd->rule, "%s: %s", r->run, fd->message);
		else if (strcmp(fd->rule, "fewer_rows") == 0)
			rc = add_item(pm, c, PM_COVERAGE, fd->severity, r,
				      fd->rule, "%s evaluated %s rows, fewer "
				      "than %s's %s (%+.0f)", r->run,
				      postmortem_count(a, sizeof a,
						       (long long)fd->candidate),
				      base,
				      postmortem_count(b, sizeof b,
						       (long long)fd->baseline),
				      fd->candidate - fd->baseline);
		else if (strcmp(fd->rule, "missing_group") == 0 ||
			 strcmp(fd->rule, "group_shrank") == 0)
			rc = add_item(pm, c, PM_COVERAGE, fd->severity, r,
				      fd->rule, "%s: %s", r->run, fd->message);
		else if (strcmp(fd->rule, "psi_shares") == 0 ||
			 strcmp(fd->rule, "psi_scores") == 0 ||
			 (strcmp(fd->rule, "prior_shift") == 0 &&
			  fd->feature[0] == '\0'))
			rc = add_item(pm, c, PM_DRIFT, fd->severity, r,
				      fd->rule, "%s: %s", r->run, fd->message);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int gather_runs(struct store *s, struct verdict_ctx *vc,
		       struct postmortem *pm, struct caps *c, struct fail *f)
{
	struct stored_run *runs = NULL;
	size_t n = 0;
	int rc = -1;
	const char *data = NULL, *data_run = NULL;
	if (store_list_runs(s, &runs, &n, f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct judged_run jr;
		struct run_verdict v;
		const struct judged_run *base = NULL;
		if (ARRAY_GROW(pm->run, pm->nrun + 1, c->run) != 0)
			goto oom;
		struct pm_run *r = &pm->run[pm->nrun];
		memset(r, 0, sizeof *r);
		int got = judgeload_present(s, runs[i].key, &jr, f);
		if (got != 0) {
			judgeload_release(&jr);
			if (got < 0)
				goto out;
			continue; /* gone meanwhile */
		}
		pm->nrun++;
		if (verdict_ctx_one(vc, &jr, VERDICT_AT_ARRIVAL, &v, &r->j,
				    &base, f) != 0) {
			judgeload_release(&jr);
			goto out;
		}
		r->run = strdup(runs[i].key);
		r->started = dup_or_null(runs[i].started_at);
		r->against = base ? strdup(base->run.key) : NULL;
		r->passed = v.passed;
		run_verdict_release(&v);
		judgeload_release(&jr);
		if (r->run == NULL || (base && r->against == NULL) ||
		    causes_of(pm, c, r) != 0)
			goto oom;
		/* the data the runs were trained on, when it moves */
		const char *dv = runs[i].data_version;
		if (dv != NULL && data != NULL && strcmp(dv, data) != 0 &&
		    add_item(pm, c, PM_DRIFT, FINDING_INFO, r, "data_version",
			     "%s: data_version %s -> %s (from %s's)", r->run,
			     data, dv, data_run) != 0)
			goto oom;
		if (dv != NULL) {
			data = dv;
			data_run = runs[i].key;
		}
	}
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	stored_runs_free(runs, n);
	return rc;
}

int postmortem_make(struct store *s, const struct policy *p,
		    struct postmortem *out, struct fail *f)
{
	struct verdict_ctx vc;
	struct caps c = {0, 0, 0, 0, 0};
	int rc = -1;
	memset(out, 0, sizeof *out);
	store_now(out->now, sizeof out->now);
	if (verdict_ctx_init(&vc, s, p, f) != 0)
		return -1;
	if (gather_deployments(s, &vc, out, &c, f) != 0 ||
	    gather_runs(s, &vc, out, &c, f) != 0)
		goto out;
	if (out->nwindow > 0 && out->window[out->nwindow - 1].closed == NULL) {
		struct rollplan plan;
		int made = rollplan_make(s, p, NULL, &plan, f);
		if (made == 0 && plan.has_target &&
		    (out->rollback_to = strdup(plan.target.run.key)) == NULL)
			fail_set(f, FAIL_INTERNAL, "out of memory");
		rollplan_release(&plan);
		if (made != 0 || f->kind != FAIL_NONE)
			goto out;
	}
	rc = 0;
out:
	verdict_ctx_release(&vc);
	return rc;
}

void postmortem_release(struct postmortem *pm)
{
	for (size_t i = 0; i < pm->nwindow; i++) {
		struct pm_window *w = &pm->window[i];
		free(w->run);
		free(w->kind);
		free(w->actor);
		free(w->opened);
		free(w->closed);
		free(w->closed_run);
		free(w->closed_kind);
		free(w->closed_actor);
	}
	free(pm->window);
	for (size_t i = 0; i < pm->nitem; i++) {
		free(pm->item[i].run);
		free(pm->item[i].against);
		free(pm->item[i].rule);
		free(pm->item[i].text);
	}
	free(pm->item);
	for (size_t i = 0; i < pm->novr; i++) {
		struct pm_override *o = &pm->ovr[i];
		for (size_t k = 0; k < o->nfiring; k++) {
			free(o->firing[k].rule);
			free(o->firing[k].severity);
			free(o->firing[k].subject);
		}
		free(o->firing);
		free(o->time);
		free(o->run);
		free(o->actor);
		free(o->reason);
		free(o->state);
		free(o->recorded);
	}
	free(pm->ovr);
	for (size_t i = 0; i < pm->nrb; i++) {
		free(pm->rb[i].time);
		free(pm->rb[i].from);
		free(pm->rb[i].to);
		free(pm->rb[i].actor);
		free(pm->rb[i].reason);
		free(pm->rb[i].state);
	}
	free(pm->rb);
	for (size_t i = 0; i < pm->nrun; i++) {
		free(pm->run[i].run);
		free(pm->run[i].started);
		free(pm->run[i].against);
		judgement_release(&pm->run[i].j);
	}
	free(pm->run);
	free(pm->rollback_to);
	memset(pm, 0, sizeof *pm);
}
