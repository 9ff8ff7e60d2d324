/*
 * stepdrift.c — drift across a run's own steps.  See stepdrift.h.
 */
#include "service/stepdrift.h"

#include <stdlib.h>
#include <string.h>

#include "core/drift.h"
#include "core/groups.h"
#include "core/strbuf.h"

void stepdrift_release(struct stepdrift *d)
{
	for (size_t i = 0; i < d->ngroups; i++)
		free(d->group[i].name);
	free(d->group);
	metric_spans_free(d->spans, d->nspans);
	memset(d, 0, sizeof *d);
}

/* g's name, whole (caller frees); NULL when out of memory. */
static char *group_name(const struct stored_group *g)
{
	struct strbuf sb = STRBUF_INIT;
	if (strcmp(g->kind, "overall") == 0)
		strbuf_addstr(&sb, "(all)");
	else
		strbuf_addf(&sb, "%s=%s", g->feature, g->label);
	return strbuf_detach(&sb, NULL);
}

int stepdrift_load(struct store *s, const struct stored_run *r,
		   const struct policy *p, struct stepdrift *out,
		   struct fail *f)
{
	int64_t *steps = NULL;
	size_t nsteps = 0;
	struct stored_group *g0 = NULL, *g1 = NULL;
	size_t n0 = 0, n1 = 0;
	double **h0 = NULL, **h1 = NULL;
	size_t nh0 = 0, nh1 = 0;
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (store_run_metric_spans(s, r->id, &out->spans, &out->nspans, f) != 0 ||
	    store_run_steps(s, r->id, &steps, &nsteps, f) != 0)
		goto out;
	out->nsteps = nsteps;
	if (nsteps < 2) {
		rc = 0;
		goto out;
	}
	out->first_step = steps[0];
	out->last_step = steps[nsteps - 1];
	if (store_run_groups(s, r->id, out->first_step, &g0, &n0, f) != 0 ||
	    store_run_groups(s, r->id, out->last_step, &g1, &n1, f) != 0 ||
	    store_run_hists(s, r->id, out->first_step, &h0, &nh0, f) != 0 ||
	    store_run_hists(s, r->id, out->last_step, &h1, &nh1, f) != 0)
		goto out;
	out->group = calloc(n1 ? n1 : 1, sizeof *out->group);
	if (out->group == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	size_t bins = (size_t)policy_get(p, POLICY_PSI_BINS);
	for (size_t i = 0; i < n1; i++) {
		if (strcmp(g1[i].kind, "intersection") == 0)
			continue;
		size_t k;
		for (k = 0; k < n0; k++)
			if (strcmp(g0[k].feature, g1[i].feature) == 0 &&
			    strcmp(g0[k].kind, g1[i].kind) == 0 &&
			    strcmp(g0[k].label, g1[i].label) == 0)
				break;
		if (k == n0)
			continue;
		struct step_group *sg = &out->group[out->ngroups];
		sg->name = group_name(&g1[i]);
		if (sg->name == NULL) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		out->ngroups++;
		confusion_rates(&g0[k].counts, r->beta_factor, &sg->first);
		confusion_rates(&g1[i].counts, r->beta_factor, &sg->last);
		sg->psi = RATE_UNDEFINED;
		if (k < nh0 && i < nh1 && h0[k] && h1[i]) {
			double a[SCORE_BINS], b[SCORE_BINS];
			drift_rebin(h0[k], SCORE_BINS, a, bins);
			drift_rebin(h1[i], SCORE_BINS, b, bins);
			sg->psi = drift_psi(a, b, bins);
		}
	}
	rc = 0;
out:
	free(steps);
	stored_groups_free(g0, n0);
	stored_groups_free(g1, n1);
	store_hists_free(h0, nh0);
	store_hists_free(h1, nh1);
	return rc;
}
