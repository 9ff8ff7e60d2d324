/*
 * stepdrift.c — drift across a run's own steps.  See stepdrift.h.
 */
#include "cli/stepdrift.h"

#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "core/drift.h"
#include "core/groups.h"

void stepdrift_release(struct stepdrift *d)
{
	free(d->group);
	metric_spans_free(d->spans, d->nspans);
	memset(d, 0, sizeof *d);
}

static void group_name(const struct stored_group *g, char *buf, size_t size)
{
	if (strcmp(g->kind, "overall") == 0)
		snprintf(buf, size, "(all)");
	else
		snprintf(buf, size, "%s=%s", g->feature, g->label);
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
		struct step_group *sg = &out->group[out->ngroups++];
		group_name(&g1[i], sg->name, sizeof sg->name);
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

static const char *delta(char *buf, size_t size, double a, double b)
{
	if (!rate_defined(a) || !rate_defined(b))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%+.3f", b - a);
	return buf;
}

void stepdrift_print_text(const struct stepdrift *d, FILE *out)
{
	char h2[64], h3[64];
	if (d->ngroups > 0) {
		fprintf(out, "\nacross the evaluation's steps (%zu steps)\n",
			d->nsteps);
		snprintf(h2, sizeof h2, "STEP %lld", (long long)d->first_step);
		snprintf(h3, sizeof h3, "STEP %lld", (long long)d->last_step);
		const char *header[] = {"GROUP", "METRIC", h2, h3, "CHANGE",
					"PSI (SCORES)"};
		struct table *t = table_new(6, header,
					    (const int[]){0, 0, 1, 1, 1, 1});
		if (t == NULL)
			return;
		for (size_t i = 0; i < d->ngroups; i++) {
			const struct step_group *g = &d->group[i];
			char a[32], b[32], c[32], psi[32];
			if (rate_defined(g->psi))
				snprintf(psi, sizeof psi, "%.3f", g->psi);
			else
				snprintf(psi, sizeof psi, "n/a");
			const char *r1[] = {
				g->name, "TPR", output_rate(a, sizeof a, g->first.tpr),
				output_rate(b, sizeof b, g->last.tpr),
				delta(c, sizeof c, g->first.tpr, g->last.tpr), psi};
			table_add(t, r1);
			const char *r2[] = {
				"", "selection",
				output_rate(a, sizeof a, g->first.selection_rate),
				output_rate(b, sizeof b, g->last.selection_rate),
				delta(c, sizeof c, g->first.selection_rate,
				      g->last.selection_rate),
				""};
			table_add(t, r2);
		}
		table_print(t, out, 2);
		table_free(t);
	}
	if (d->nspans > 0) {
		fprintf(out, "\nmetric history (metrics.csv)\n");
		const char *header[] = {"METRIC", "GROUP", "FIRST", "LAST",
					"CHANGE", "POINTS"};
		struct table *t = table_new(6, header,
					    (const int[]){0, 0, 1, 1, 1, 1});
		if (t == NULL)
			return;
		for (size_t i = 0; i < d->nspans; i++) {
			const struct metric_span *m = &d->spans[i];
			char a[64], b[64], c[32], n[32];
			snprintf(a, sizeof a, "%.6g @%lld", m->first,
				 (long long)m->first_step);
			snprintf(b, sizeof b, "%.6g @%lld", m->last,
				 (long long)m->last_step);
			if (m->first != 0)
				snprintf(c, sizeof c, "%+.1f %%",
					 100 * (m->last - m->first) /
						 (m->first < 0 ? -m->first
							       : m->first));
			else
				snprintf(c, sizeof c, "n/a");
			snprintf(n, sizeof n, "%zu", m->points);
			const char *row[] = {m->metric, m->group, a, b, c, n};
			table_add(t, row);
		}
		table_print(t, out, 2);
		table_free(t);
	}
}

static void json_rates_small(FILE *out, const struct rates *r)
{
	fprintf(out, "{\"selection_rate\": ");
	json_number(out, r->selection_rate);
	fprintf(out, ", \"tpr\": ");
	json_number(out, r->tpr);
	fprintf(out, ", \"fpr\": ");
	json_number(out, r->fpr);
	fprintf(out, "}");
}

void stepdrift_print_json(const struct stepdrift *d, FILE *out)
{
	fprintf(out, "{\"steps\": %zu, \"first_step\": ", d->nsteps);
	if (d->nsteps >= 2)
		json_int(out, d->first_step);
	else
		fprintf(out, "null");
	fprintf(out, ", \"last_step\": ");
	if (d->nsteps >= 2)
		json_int(out, d->last_step);
	else
		fprintf(out, "null");
	fprintf(out, ", \"groups\": [");
	for (size_t i = 0; i < d->ngroups; i++) {
		const struct step_group *g = &d->group[i];
		fprintf(out, "%s{\"group\": ", i ? ", " : "");
		json_string(out, g->name);
		fprintf(out, ", \"first\": ");
		json_rates_small(out, &g->first);
		fprintf(out, ", \"last\": ");
		json_rates_small(out, &g->last);
		fprintf(out, ", \"psi_scores\": ");
		json_number(out, g->psi);
		fprintf(out, "}");
	}
	fprintf(out, "], \"metrics\": [");
	for (size_t i = 0; i < d->nspans; i++) {
		const struct metric_span *m = &d->spans[i];
		fprintf(out, "%s{\"metric\": ", i ? ", " : "");
		json_string(out, m->metric);
		fprintf(out, ", \"group\": ");
		json_string(out, m->group);
		fprintf(out, ", \"first_step\": %lld, \"first\": ",
			(long long)m->first_step);
		json_number(out, m->first);
		fprintf(out, ", \"last_step\": %lld, \"last\": ",
			(long long)m->last_step);
		json_number(out, m->last);
		fprintf(out, ", \"points\": %zu}", m->points);
	}
	fprintf(out, "]}");
}
