/*
 * stepdrift_out.c — a run's drift across its own steps, printed for
 * `fairtop show`.  See stepdrift_out.h.
 */
#include "cli/stepdrift_out.h"

#include <stdio.h>
#include <string.h>

#include "cli/output.h"
#include "core/json.h"

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

static void write_rates(struct json_writer *w, const struct rates *r)
{
	json_object_begin(w);
	json_key(w, "selection_rate");
	json_num(w, r->selection_rate);
	json_key(w, "tpr");
	json_num(w, r->tpr);
	json_key(w, "fpr");
	json_num(w, r->fpr);
	json_object_end(w);
}

void stepdrift_json(struct json_writer *w, const struct stepdrift *d)
{
	json_object_begin(w);
	json_key(w, "steps");
	json_integer(w, (long long)d->nsteps);
	json_key(w, "first_step");
	if (d->nsteps >= 2)
		json_integer(w, d->first_step);
	else
		json_null(w);
	json_key(w, "last_step");
	if (d->nsteps >= 2)
		json_integer(w, d->last_step);
	else
		json_null(w);
	json_key(w, "groups");
	json_array_begin(w);
	for (size_t i = 0; i < d->ngroups; i++) {
		const struct step_group *g = &d->group[i];
		json_object_begin(w);
		json_key(w, "group");
		json_str(w, g->name);
		json_key(w, "first");
		write_rates(w, &g->first);
		json_key(w, "last");
		write_rates(w, &g->last);
		json_key(w, "psi_scores");
		json_num(w, g->psi);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "metrics");
	json_array_begin(w);
	for (size_t i = 0; i < d->nspans; i++) {
		const struct metric_span *m = &d->spans[i];
		json_object_begin(w);
		json_key(w, "metric");
		json_str(w, m->metric);
		json_key(w, "group");
		json_str(w, m->group);
		json_key(w, "first_step");
		json_integer(w, m->first_step);
		json_key(w, "first");
		json_num(w, m->first);
		json_key(w, "last_step");
		json_integer(w, m->last_step);
		json_key(w, "last");
		json_num(w, m->last);
		json_key(w, "points");
		json_integer(w, (long long)m->points);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

void stepdrift_print_json(const struct stepdrift *d, FILE *out)
{
	struct json_writer w;
	json_writer_init(&w, out);
	stepdrift_json(&w, d);
}
