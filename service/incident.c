/*
 * incident.c — production against the last fair model.  See incident.h.
 */
#include "service/incident.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/classweights.h"
#include "core/confusion.h"
#include "core/strbuf.h"
#include "service/rollplan.h"
#include "service/rundisparity.h"
#include "service/timeline.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Index of the group named name (as runload_group_name_add() names it)
 * in lr, or (size_t)-1 when it has none (never for want of memory: a
 * group out of memory would read as absent). */
static size_t group_index(const struct loaded_run *lr, const char *name)
{
	for (size_t i = 0; i < lr->ngroups; i++)
		if (lr->input[i].kind != SUMMARY_OVERALL &&
		    runload_group_named(lr, i, name))
			return i;
	return (size_t)-1;
}

static double rows_of(const struct confusion *c)
{
	if (c->rows >= 0)
		return (double)c->rows;
	return c->tp + c->fp + c->tn + c->fn;
}

/* Rate `metric` (0 TPR, 1 selection) of the group called name in run. */
static struct incident_rate rate_in(const struct judged_run *run,
				    const char *name, int metric)
{
	struct incident_rate r = {RATE_UNDEFINED,
				  {RATE_UNDEFINED, RATE_UNDEFINED}, 0, 0};
	size_t i = group_index(&run->lr, name);
	if (i == (size_t)-1)
		return r;
	const struct rates *g = &run->lr.summary.rates[i];
	struct interval ci[GROUP_RATES];
	interval_group_rates(&run->lr.input[i].counts, g, WILSON_Z95, ci);
	r.present = 1;
	r.rows = rows_of(&run->lr.input[i].counts);
	r.value = metric == 0 ? g->tpr : g->selection_rate;
	r.ci = ci[metric == 0 ? GROUP_RATE_TPR : GROUP_RATE_SELECTION];
	return r;
}

static int is_harm_rule(const char *rule)
{
	static const char *const rules[] = {
		"tpr_drop", "selection_drop", "dp_difference", "dp_ratio",
		"eo_difference",
	};
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
		if (strcmp(rule, rules[i]) == 0)
			return 1;
	return 0;
}

/* The rates a harm is told in, by index (0 TPR, 1 selection rate): one
 * object each, so a harm's metric is compared by pointer safely. */
static const char *const metric_name[2] = {"TPR", "selection rate"};

static int add_harm(struct incident *in, size_t *cap, const char *group,
		    int metric, const struct finding *why, double min_rows)
{
	for (size_t i = 0; i < in->nharm; i++)
		if (strcmp(in->harm[i].group, group) == 0 &&
		    in->harm[i].metric == metric_name[metric]) {
			struct incident_harm *h = &in->harm[i];
			if (why->severity < h->severity) {
				h->severity = why->severity;
				h->established = why->established;
			}
			return 0;
		}
	if (ARRAY_GROW(in->harm, in->nharm + 1, *cap) != 0)
		return -1;
	struct incident_harm *h = &in->harm[in->nharm];
	memset(h, 0, sizeof *h);
	h->group = strdup(group);
	if (h->group == NULL)
		return -1;
	in->nharm++;
	h->metric = metric_name[metric];
	h->severity = why->severity;
	h->established = why->established;
	h->after = rate_in(&in->cand, group, metric);
	if (in->compared)
		h->before = rate_in(&in->base, group, metric);
	else
		h->before.value = RATE_UNDEFINED;
	h->low_n = (h->after.present && h->after.rows < min_rows) ||
		   (h->before.present && h->before.rows < min_rows);
	return 0;
}

/* An intersection one of whose groups ("group=B" of "group=B &
 * age=18-25") is already listed as harmed: it would repeat it. */
static int harmed_part(const struct incident *in, const char *inter)
{
	for (size_t i = 0; i < in->nharm; i++) {
		size_t len = strlen(in->harm[i].group);
		for (const char *at = inter; at != NULL;) {
			if (strncmp(at, in->harm[i].group, len) == 0 &&
			    (at[len] == 0 || strncmp(at + len, " & ", 3) == 0))
				return 1;
			at = strstr(at, " & ");
			if (at != NULL)
				at += 3;
		}
	}
	return 0;
}

/* The groups behind failing or possible fairness findings: each one's
 * TPR and selection rate. */
static int gather_harms(struct incident *in, const struct policy *p)
{
	size_t cap = 0;
	double min_rows = policy_get(p, POLICY_MIN_GROUP_SIZE);
	/* single features first, then intersections (whose names hold
	 * " & "), each in the judge's order */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < in->j.nfindings; i++) {
			const struct finding *fd = &in->j.finding[i];
			if (fd->severity == FINDING_INFO || fd->group[0] == 0 ||
			    !is_harm_rule(fd->rule))
				continue;
			int inter = strstr(fd->group, " & ") != NULL;
			if (inter != pass || (inter && harmed_part(in, fd->group)))
				continue;
			if (add_harm(in, &cap, fd->group, 0, fd, min_rows) != 0 ||
			    add_harm(in, &cap, fd->group, 1, fd, min_rows) != 0)
				return -1;
		}
	return 0;
}

static int add_change(struct incident *in, size_t *cap, const char *name,
		      const char *before, const char *after)
{
	if ((before == NULL && after == NULL) ||
	    (before != NULL && after != NULL && strcmp(before, after) == 0))
		return 0;
	if (ARRAY_GROW(in->change, in->nchange + 1, *cap) != 0)
		return -1;
	struct incident_change *c = &in->change[in->nchange];
	c->name = strdup(name);
	c->before = dup_or_null(before);
	c->after = dup_or_null(after);
	if (c->name == NULL || (before && c->before == NULL) ||
	    (after && c->after == NULL)) {
		free(c->name);
		free(c->before);
		free(c->after);
		return -1;
	}
	in->nchange++;
	return 0;
}

static const char *param_of(const struct stored_param *ps, size_t n,
			    const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ps[i].key, key) == 0)
			return ps[i].value;
	return NULL;
}

static void beta_text(char *buf, size_t size, double beta)
{
	if (rate_defined(beta))
		snprintf(buf, size, "%.17g", beta);
	else
		buf[0] = 0;
}

/* The run parameters that differ: the recorded fields (identity and
 * times left out: they always differ), then the other parameters, the
 * baseline's in its order, then the candidate's own.  The class
 * weights have their own audit (incident_weights). */
static int gather_changes(struct store *s, struct incident *in,
			  struct fail *f)
{
	const struct stored_run *b = &in->base.run, *c = &in->cand.run;
	struct stored_param *pb = NULL, *pc = NULL;
	size_t nb = 0, nc = 0, cap = 0;
	char bb[64], bc[64];
	int rc = -1;
	beta_text(bb, sizeof bb, b->beta_factor);
	beta_text(bc, sizeof bc, c->beta_factor);
	if (add_change(in, &cap, "model", b->model, c->model) != 0 ||
	    add_change(in, &cap, "version", b->version, c->version) != 0 ||
	    add_change(in, &cap, "parent", b->parent, c->parent) != 0 ||
	    add_change(in, &cap, "commit", b->git_commit, c->git_commit) != 0 ||
	    add_change(in, &cap, "data_version", b->data_version,
		       c->data_version) != 0 ||
	    add_change(in, &cap, "beta_factor", bb[0] ? bb : NULL,
		       bc[0] ? bc : NULL) != 0 ||
	    add_change(in, &cap, "positive_label", b->positive_label,
		       c->positive_label) != 0 ||
	    add_change(in, &cap, "sensitive", b->sensitive, c->sensitive) != 0)
		goto oom;
	if (store_run_params(s, b->id, &pb, &nb, f) != 0 ||
	    store_run_params(s, c->id, &pc, &nc, f) != 0)
		goto out;
	for (size_t i = 0; i < nb; i++)
		if (add_change(in, &cap, pb[i].key, pb[i].value,
			       param_of(pc, nc, pb[i].key)) != 0)
			goto oom;
	for (size_t i = 0; i < nc; i++)
		if (param_of(pb, nb, pc[i].key) == NULL &&
		    add_change(in, &cap, pc[i].key, NULL, pc[i].value) != 0)
			goto oom;
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	stored_params_free(pb, nb);
	stored_params_free(pc, nc);
	return rc;
}

/* Groups of sensitive features by feature, then label. */
static int by_feature_label(const void *x, const void *y)
{
	const struct summary_input *a = *(const struct summary_input *const *)x;
	const struct summary_input *b = *(const struct summary_input *const *)y;
	int c = strcmp(a->feature, b->feature);
	return c != 0 ? c : strcmp(a->label, b->label);
}

/* The groups of sensitive features, of any size, that `from` has and
 * `other` has not, in from's order, into *list: the sets whose digests
 * the Runs view compares (core/groupset.h), so that the two agree.
 * other's groups are sorted once and searched (a run may have 100,000
 * groups).  0, or -1 when out of memory. */
static int groups_missing(const struct loaded_run *from,
			  const struct loaded_run *other,
			  struct incident_group **list, size_t *n)
{
	size_t cap = 0, nsorted = 0;
	const struct summary_input **sorted =
		malloc((other->ngroups ? other->ngroups : 1) * sizeof *sorted);
	if (sorted == NULL)
		return -1;
	for (size_t i = 0; i < other->ngroups; i++)
		if (other->input[i].kind == SUMMARY_FEATURE)
			sorted[nsorted++] = &other->input[i];
	qsort(sorted, nsorted, sizeof *sorted, by_feature_label);
	int rc = 0;
	for (size_t i = 0; i < from->ngroups && rc == 0; i++) {
		const struct summary_input *g = &from->input[i];
		if (g->kind != SUMMARY_FEATURE ||
		    bsearch(&g, sorted, nsorted, sizeof *sorted,
			    by_feature_label) != NULL)
			continue;
		struct strbuf name = STRBUF_INIT;
		if (ARRAY_GROW(*list, *n + 1, cap) != 0 ||
		    runload_group_name_add(from, i, &name) != 0) {
			strbuf_release(&name);
			rc = -1;
			break;
		}
		(*list)[*n].name = strbuf_detach(&name, NULL);
		(*list)[*n].rows = rows_of(&g->counts);
		if ((*list)[*n].name == NULL)
			rc = -1;
		else
			(*n)++;
	}
	free(sorted);
	return rc;
}

static double overall_prior(const struct judged_run *r)
{
	for (size_t i = 0; i < r->lr.ngroups; i++)
		if (r->lr.input[i].kind == SUMMARY_OVERALL)
			return r->lr.summary.rates[i].base_rate;
	return RATE_UNDEFINED;
}

/* Coverage and data, from the judge's own findings and drift values. */
static int gather_coverage(struct incident *in)
{
	size_t capp = 0;
	in->rows_before = runload_rows(&in->base.lr);
	in->rows_after = runload_rows(&in->cand.lr);
	in->prior_before = overall_prior(&in->base);
	in->prior_after = overall_prior(&in->cand);
	if (groups_missing(&in->base.lr, &in->cand.lr, &in->absent,
			   &in->nabsent) != 0 ||
	    groups_missing(&in->cand.lr, &in->base.lr, &in->added,
			   &in->nadded) != 0)
		return -1;
	for (size_t i = 0; i < in->j.ndrift; i++) {
		const struct drift_value *d = &in->j.drift[i];
		if (strcmp(d->what, "shares") != 0 || !rate_defined(d->psi))
			continue;
		if (ARRAY_GROW(in->psi, in->npsi + 1, capp) != 0)
			return -1;
		struct incident_psi *ps = &in->psi[in->npsi];
		ps->feature = strdup(d->feature);
		if (ps->feature == NULL)
			return -1;
		in->npsi++;
		ps->psi = d->psi;
		ps->severity = FINDING_INFO;
		ps->established = 0;
		for (size_t k = 0; k < in->j.nfindings; k++) {
			const struct finding *fd = &in->j.finding[k];
			if (strcmp(fd->rule, "psi_shares") == 0 &&
			    strcmp(fd->feature, d->feature) == 0) {
				ps->severity = fd->severity;
				ps->established = fd->established == 1;
			}
		}
	}
	return 0;
}

static void audit_weights(const struct judged_run *r, const struct policy *p,
			  struct incident_weights *w)
{
	const struct judge_run *v = &r->view;
	memset(w, 0, sizeof *w);
	if (v->nlogged == 0)
		return;
	assert(v->nlogged <= CLASSWEIGHTS_MAX);
	struct classweight_check check[CLASSWEIGHTS_MAX];
	classweights_check(v->logged, v->nlogged, v->label, v->label_count,
			   check);
	double tol = policy_get(p, POLICY_CLASS_WEIGHT_TOL);
	w->n = v->nlogged;
	for (size_t i = 0; i < v->nlogged; i++) {
		w->logged[i] = v->logged[i];
		w->exact[i] = check[i].exact;
		w->error[i] = check[i].relative_error;
		if (rate_defined(check[i].relative_error) &&
		    check[i].relative_error > tol)
			w->inexact = 1;
	}
}

/* Why the two evaluations are not a like-for-like race, or NULL. */
static char *why_not_comparable(const struct incident *in)
{
	struct strbuf sb = STRBUF_INIT;
	const char *cand = in->cand.run.key;
	long long b = in->rows_before, a = in->rows_after;
	int lost = b >= 0 && a >= 0 && a < b;
	int gained = b >= 0 && a >= 0 && a > b;
	if (lost || in->nabsent > 0) {
		strbuf_addf(&sb, "%s's evaluation lost ", cand);
		if (lost)
			strbuf_addf(&sb, "%lld rows", b - a);
		for (size_t i = 0; i < in->nabsent; i++)
			strbuf_addf(&sb, "%s%s",
				    lost || i > 0
					    ? (i + 1 == in->nabsent ? " and "
								    : ", ")
					    : "",
				    in->absent[i].name);
	}
	if (gained || in->nadded > 0) {
		strbuf_addf(&sb, "%s%s's evaluation gained ", sb.len ? "; " : "",
			    cand);
		if (gained)
			strbuf_addf(&sb, "%lld rows", a - b);
		for (size_t i = 0; i < in->nadded; i++)
			strbuf_addf(&sb, "%s%s",
				    gained || i > 0
					    ? (i + 1 == in->nadded ? " and "
								   : ", ")
					    : "",
				    in->added[i].name);
	}
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static int add_claim(struct incident *in, size_t *cap, const char *name,
		     double before, double after, double change, int in_points,
		     const char *why)
{
	if (ARRAY_GROW(in->claim, in->nclaim + 1, *cap) != 0)
		return -1;
	struct incident_claim *c = &in->claim[in->nclaim];
	c->name = strdup(name);
	c->why = dup_or_null(why);
	if (c->name == NULL || (why && c->why == NULL)) {
		free(c->name);
		free(c->why);
		return -1;
	}
	in->nclaim++;
	c->before = before;
	c->after = after;
	c->change = change;
	c->in_points = in_points;
	return 0;
}

/* The larger change first (undefined ones last): the claim a release
 * note makes leads. */
static int by_size(const void *x, const void *y)
{
	const struct incident_claim *a = x, *b = y;
	double ma = rate_defined(a->change) ? fabs(a->change) : -1;
	double mb = rate_defined(b->change) ? fabs(b->change) : -1;
	return (ma < mb) - (ma > mb);
}

/* Every performance change the judge reported, and F-beta when a side
 * has none, each with why it is not comparable. */
static int gather_claims(struct incident *in)
{
	size_t cap = 0;
	int has_fbeta = 0;
	in->not_comparable = why_not_comparable(in);
	for (size_t i = 0; i < in->j.nperf; i++) {
		const struct perf_change *pc = &in->j.perf[i];
		const char *why = in->not_comparable;
		char beta[512];
		if (strcmp(pc->name, "F-beta") == 0) {
			has_fbeta = 1;
			if (!incident_betas_alike(in->beta_before,
						  in->beta_after)) {
				snprintf(beta, sizeof beta,
					 "not comparable, %s%sbeta_factor "
					 "%.17g -> %.17g", why ? why : "",
					 why ? "; " : "",
					 in->beta_before, in->beta_after);
				why = beta;
			}
		}
		if (add_claim(in, &cap, pc->name, pc->baseline, pc->candidate,
			      pc->change, pc->in_points, why) != 0)
			return -1;
	}
	if (!has_fbeta && (!rate_defined(in->beta_before) ||
			   !rate_defined(in->beta_after))) {
		const struct judged_run *r =
			rate_defined(in->beta_after) ? &in->base : &in->cand;
		char why[512];
		snprintf(why, sizeof why,
			 "%s has no beta_factor", r->run.key);
		double fb = in->base.lr.summary.has_overall
				    ? in->base.lr.summary.overall.f_beta
				    : RATE_UNDEFINED;
		double fc = in->cand.lr.summary.has_overall
				    ? in->cand.lr.summary.overall.f_beta
				    : RATE_UNDEFINED;
		if (add_claim(in, &cap, "F-beta", fb, fc, RATE_UNDEFINED, 1,
			      why) != 0)
			return -1;
	}
	if (in->nclaim > 1)
		qsort(in->claim, in->nclaim, sizeof *in->claim, by_size);
	return 0;
}

/* The aggregates both ways of r's feature named and kinded as like,
 * or NULL when r has none such. */
static const struct feature_both *both_of(const struct run_disparity *rd,
					  const struct judged_run *r,
					  const struct summary_feature *like)
{
	const struct run_summary *sm = &r->lr.summary;
	for (size_t i = 0; i < sm->nfeatures; i++)
		if (sm->features[i].kind == like->kind &&
		    strcmp(sm->features[i].name, like->name) == 0)
			return rundisparity_both(rd, sm, &sm->features[i]);
	return NULL;
}

static void aggregate_of(struct incident_aggregate *a,
			 const struct feature_both *before,
			 const struct feature_both *after, int k)
{
	const struct aggregate_both *x = &after->a[k];
	a->gate_after = x->gate;
	a->all_after = x->all_groups;
	a->ci = x->ci ? x->ci->ci
		      : (struct interval){RATE_UNDEFINED, RATE_UNDEFINED};
	a->established = x->ci ? x->ci->established : 0;
	a->gate_before = before ? before->a[k].gate : RATE_UNDEFINED;
	a->all_before = before ? before->a[k].all_groups : RATE_UNDEFINED;
}

/* Each feature's DP and EO differences both ways, production's against
 * the last fair model's. */
static int gather_fairness(struct incident *in, const struct policy *p)
{
	struct run_disparity rb, rc;
	int rc_ok = -1;
	memset(&rb, 0, sizeof rb);
	memset(&rc, 0, sizeof rc);
	if (rundisparity_init(&rc, &in->cand.lr, p) != 0 ||
	    (in->compared && rundisparity_init(&rb, &in->base.lr, p) != 0))
		goto out;
	const struct run_summary *sm = &in->cand.lr.summary;
	size_t cap = 0;
	for (size_t i = 0; i < sm->nfeatures; i++) {
		const struct summary_feature *sf = &sm->features[i];
		if (sf->kind == SUMMARY_OVERALL)
			continue;
		const struct feature_both *after = rundisparity_both(&rc, sm, sf);
		const struct feature_both *before =
			in->compared ? both_of(&rb, &in->base, sf) : NULL;
		if (after == NULL)
			continue;
		if (ARRAY_GROW(in->fair_agg, in->nfair_agg + 1, cap) != 0)
			goto out;
		struct incident_fairness *fa = &in->fair_agg[in->nfair_agg];
		if ((fa->feature = strdup(sf->name)) == NULL)
			goto out;
		in->nfair_agg++;
		aggregate_of(&fa->dp, before, after, BOTH_DP_DIFFERENCE);
		aggregate_of(&fa->eo, before, after, BOTH_EO_DIFFERENCE);
		fa->low_n = after->low_n;
	}
	rc_ok = 0;
out:
	rundisparity_release(&rb);
	rundisparity_release(&rc);
	return rc_ok;
}

/* The rollback target and the fair runs offered instead, from the one
 * rollback plan (service/rollplan.h). */
static int gather_way_out(struct store *s, const struct policy *p,
			  struct incident *in, struct fail *f)
{
	struct rollplan plan;
	int rc = -1;
	size_t cap = 0;
	if (rollplan_make(s, p, NULL, &plan, f) != 0)
		goto out;
	if (plan.has_target &&
	    (in->rollback_to = strdup(plan.target.run.key)) == NULL)
		goto oom;
	/* the runs to deploy instead, newest first */
	for (size_t i = 0; i < plan.nalt; i++) {
		if (ARRAY_GROW(in->deploy_instead, in->ndeploy_instead + 1,
			       cap) != 0)
			goto oom;
		char *key = strdup(plan.alt[i].run_key);
		if (key == NULL)
			goto oom;
		in->deploy_instead[in->ndeploy_instead++] = key;
	}
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	rollplan_release(&plan);
	return rc;
}

int incident_make(struct store *s, const struct policy *p,
		  struct incident *out, struct fail *f)
{
	struct summary_info sum;
	memset(out, 0, sizeof *out);
	out->rows_before = out->rows_after = -1;
	out->prior_before = out->prior_after = RATE_UNDEFINED;
	out->beta_before = out->beta_after = RATE_UNDEFINED;
	out->min_group_size = policy_get(p, POLICY_MIN_GROUP_SIZE);
	if (timeline_summary(s, p, &sum, f) != 0)
		return -1;
	/* what is used of the summary: the actor whole, the rest in
	 * fixed fields */
	out->prod_actor = sum.deployed_actor; /* taken over */
	sum.deployed_actor = NULL;
	summary_info_release(&sum);
	if (verdict_production(s, &out->prod, f) != 0)
		return -1;
	out->firing_critical = sum.open_critical;
	out->firing_warning = sum.open_warning;
	if (sum.last_fair[0] && (out->last_fair = strdup(sum.last_fair)) == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (!out->prod.found)
		return 0;
	out->active = !sum.deployed_fair || sum.open_critical > 0;
	if (!out->prod.in_store)
		return gather_way_out(s, p, out, f);
	if (verdict_of(s, p, out->prod.run, VERDICT_FAIR, &out->fair, f) != 0)
		return -1;
	out->active = !out->fair.passed || sum.open_critical > 0;
	out->compared = out->last_fair != NULL &&
			strcmp(out->last_fair, out->prod.run) != 0;
	if (out->compared) {
		out->base_loaded = out->cand_loaded = 1;
		if (verdict_pair(s, p, out->last_fair, out->prod.run, &out->base,
				 &out->cand, &out->j, f) != 0)
			return -1;
		out->beta_before = out->base.run.beta_factor;
	} else {
		/* on its own: the same run for both sides (core/judge.h) */
		out->cand_loaded = 1;
		if (judgeload(s, out->prod.run, &out->cand, f) != 0)
			return -1;
		if (judge_runs(&out->cand.view, &out->cand.view, p,
			       &out->j) != 0)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	out->beta_after = out->cand.run.beta_factor;
	audit_weights(&out->cand, p, &out->weights_after);
	if (out->compared)
		audit_weights(&out->base, p, &out->weights_before);
	if (gather_harms(out, p) != 0 || gather_fairness(out, p) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (out->compared) {
		if (gather_changes(s, out, f) != 0)
			return -1;
		if (gather_coverage(out) != 0 || gather_claims(out) != 0)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	return gather_way_out(s, p, out, f);
}

void incident_release(struct incident *in)
{
	if (in->base_loaded)
		judgeload_release(&in->base);
	if (in->cand_loaded)
		judgeload_release(&in->cand);
	judgement_release(&in->j);
	run_verdict_release(&in->fair);
	free(in->prod_actor);
	for (size_t i = 0; i < in->nharm; i++)
		free(in->harm[i].group);
	free(in->harm);
	for (size_t i = 0; i < in->nchange; i++) {
		free(in->change[i].name);
		free(in->change[i].before);
		free(in->change[i].after);
	}
	free(in->change);
	for (size_t i = 0; i < in->nabsent; i++)
		free(in->absent[i].name);
	free(in->absent);
	for (size_t i = 0; i < in->nadded; i++)
		free(in->added[i].name);
	free(in->added);
	for (size_t i = 0; i < in->npsi; i++)
		free(in->psi[i].feature);
	free(in->psi);
	for (size_t i = 0; i < in->nclaim; i++) {
		free(in->claim[i].name);
		free(in->claim[i].why);
	}
	free(in->claim);
	for (size_t i = 0; i < in->nfair_agg; i++)
		free(in->fair_agg[i].feature);
	free(in->fair_agg);
	free(in->not_comparable);
	free(in->rollback_to);
	for (size_t i = 0; i < in->ndeploy_instead; i++)
		free(in->deploy_instead[i]);
	free(in->deploy_instead);
	free(in->last_fair);
	memset(in, 0, sizeof *in);
}

int incident_betas_alike(double beta_a, double beta_b)
{
	return !rate_defined(beta_a) || !rate_defined(beta_b) ||
	       beta_a == beta_b;
}

int incident_evaluations_alike(long long rows_a, long long rows_b,
			       const uint64_t *groups_a,
			       const uint64_t *groups_b)
{
	return (rows_a < 0 || rows_b < 0 || rows_a == rows_b) &&
	       (groups_a == NULL || groups_b == NULL ||
		*groups_a == *groups_b);
}

size_t incident_count(const struct incident *in, enum finding_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < in->j.nfindings; i++)
		n += in->j.finding[i].severity == sev;
	return n;
}
