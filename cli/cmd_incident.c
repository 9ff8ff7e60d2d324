/*
 * cmd_incident.c — `fairtop incident [--format text|md|json]`
 *
 * The dashboard's Incident view for a terminal, a chat or CI:
 * production against the last fair model (service/incident.h), the
 * same page of words (service/incident_page.h) with the way out as
 * commands.  Exit 1 while there is an incident (production fails the
 * policy or has critical alerts firing), 0 when there is none.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/findings.h"
#include "cli/output.h"
#include "cli/page_out.h"
#include "core/json.h"
#include "service/incident.h"
#include "service/incident_page.h"

static void json_rate(struct json_writer *w, const struct incident_rate *r)
{
	if (!r->present) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	json_key(w, "value");
	json_num(w, r->value);
	json_key(w, "low");
	json_num(w, r->ci.low);
	json_key(w, "high");
	json_num(w, r->ci.high);
	json_key(w, "rows");
	json_num(w, r->rows);
	json_object_end(w);
}

static void json_weights(struct json_writer *w, const struct incident_weights *cw)
{
	json_array_begin(w);
	for (size_t i = 0; i < cw->n; i++) {
		json_object_begin(w);
		json_key(w, "label");
		json_str(w, cw->logged[i].label);
		json_key(w, "logged");
		json_num(w, cw->logged[i].weight);
		json_key(w, "exact");
		json_num(w, cw->exact[i]);
		json_key(w, "relative_difference");
		json_num(w, cw->error[i]);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_groups(struct json_writer *w, const struct incident_group *g,
			size_t n)
{
	json_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(w);
		json_key(w, "group");
		json_str(w, g[i].name);
		json_key(w, "rows");
		json_num(w, g[i].rows);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_production(struct json_writer *w, const struct incident *in)
{
	const struct production *pr = &in->prod;
	if (!pr->found) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	json_key(w, "run");
	json_str(w, pr->run);
	json_key(w, "kind");
	json_str(w, pr->kind);
	json_key(w, "actor");
	json_str(w, in->prod_actor);
	json_key(w, "since");
	json_str(w, pr->since);
	json_key(w, "in_store");
	json_bool(w, pr->in_store);
	if (pr->in_store) {
		json_key(w, "passes");
		json_bool(w, in->fair.passed);
		json_key(w, "rules_failed");
		json_integer(w, (long long)in->fair.fails);
		json_key(w, "first_failure");
		json_str(w, in->fair.first);
	}
	json_object_end(w);
}

static void json_harms(struct json_writer *w, const struct incident *in)
{
	json_array_begin(w);
	for (size_t i = 0; i < in->nharm; i++) {
		const struct incident_harm *h = &in->harm[i];
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "group");
		json_str(w, h->group);
		json_key(w, "metric");
		json_str(w, h->metric);
		json_key(w, "before");
		json_rate(w, &h->before);
		json_key(w, "after");
		json_rate(w, &h->after);
		json_key(w, "low_n");
		json_bool(w, h->low_n);
		json_key(w, "severity");
		json_str(w, finding_severity_name(h->severity));
		json_key(w, "established");
		json_bool(w, h->established == 1);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_changes(struct json_writer *w, const struct incident *in)
{
	json_array_begin(w);
	for (size_t i = 0; i < in->nchange; i++) {
		const struct incident_change *c = &in->change[i];
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "name");
		json_str(w, c->name);
		json_key(w, "before");
		json_str(w, c->before);
		json_key(w, "after");
		json_str(w, c->after);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_data(struct json_writer *w, const struct incident *in)
{
	json_object_begin(w);
	json_key(w, "psi_shares");
	json_array_begin(w);
	for (size_t i = 0; i < in->npsi; i++) {
		json_object_begin(w);
		json_key(w, "feature");
		json_str(w, in->psi[i].feature);
		json_key(w, "psi");
		json_num(w, in->psi[i].psi);
		json_key(w, "severity");
		json_str(w, finding_severity_name(in->psi[i].severity));
		json_key(w, "established");
		json_bool(w, in->psi[i].established);
		json_object_end(w);
	}
	json_array_end(w);
	json_key(w, "label_prior_before");
	json_num(w, in->prior_before);
	json_key(w, "label_prior_after");
	json_num(w, in->prior_after);
	json_object_end(w);
}

static void json_claims(struct json_writer *w, const struct incident *in)
{
	json_array_begin(w);
	for (size_t i = 0; i < in->nclaim; i++) {
		const struct incident_claim *c = &in->claim[i];
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "name");
		json_str(w, c->name);
		json_key(w, "before");
		json_num(w, c->before);
		json_key(w, "after");
		json_num(w, c->after);
		json_key(w, "change");
		json_num(w, c->change);
		json_key(w, "unit");
		json_str(w, c->in_points ? "points" : "percent");
		json_key(w, "comparable");
		json_bool(w, c->why == NULL);
		json_key(w, "why");
		json_str(w, c->why);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_aggregate(struct json_writer *w,
			   const struct incident_aggregate *a)
{
	json_object_begin(w);
	json_key(w, "gate_before");
	json_num(w, a->gate_before);
	json_key(w, "gate_after");
	json_num(w, a->gate_after);
	json_key(w, "low");
	json_num(w, a->ci.low);
	json_key(w, "high");
	json_num(w, a->ci.high);
	json_key(w, "established");
	json_bool(w, a->established);
	json_key(w, "all_groups_before");
	json_num(w, a->all_before);
	json_key(w, "all_groups_after");
	json_num(w, a->all_after);
	json_object_end(w);
}

static void json_fairness(struct json_writer *w, const struct incident *in)
{
	json_array_begin(w);
	for (size_t i = 0; i < in->nfair_agg; i++) {
		const struct incident_fairness *fa = &in->fair_agg[i];
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "feature");
		json_str(w, fa->feature);
		json_key(w, "demographic_parity_difference");
		json_aggregate(w, &fa->dp);
		json_key(w, "equalized_odds_difference");
		json_aggregate(w, &fa->eo);
		json_key(w, "low_n_groups");
		json_integer(w, (long long)fa->low_n);
		json_object_end(w);
	}
	json_array_end(w);
}

static void print_json(const struct incident *in)
{
	struct json_writer w;
	json_writer_init(&w, stdout);
	json_object_begin(&w);
	json_key(&w, "incident");
	json_bool(&w, in->active);
	json_space(&w, "\n ");
	json_key(&w, "production");
	json_production(&w, in);
	json_space(&w, "\n ");
	json_key(&w, "firing");
	json_object_begin(&w);
	json_key(&w, "critical");
	json_integer(&w, (long long)in->firing_critical);
	json_key(&w, "warning");
	json_integer(&w, (long long)in->firing_warning);
	json_object_end(&w);
	json_space(&w, "\n ");
	json_key(&w, "last_fair");
	json_str(&w, in->last_fair);
	json_space(&w, "\n ");
	json_key(&w, "compared_with");
	json_str(&w, in->compared ? in->last_fair : NULL);
	json_space(&w, "\n ");
	json_key(&w, "harmed");
	json_harms(&w, in);
	json_space(&w, "\n ");
	json_key(&w, "changed");
	json_changes(&w, in);
	json_space(&w, "\n ");
	json_key(&w, "coverage");
	json_object_begin(&w);
	json_key(&w, "rows_before");
	json_count(&w, in->rows_before);
	json_key(&w, "rows_after");
	json_count(&w, in->rows_after);
	json_key(&w, "absent");
	json_groups(&w, in->absent, in->nabsent);
	json_key(&w, "new");
	json_groups(&w, in->added, in->nadded);
	json_object_end(&w);
	json_space(&w, "\n ");
	json_key(&w, "data");
	json_data(&w, in);
	json_space(&w, "\n ");
	json_key(&w, "beta_factor");
	json_object_begin(&w);
	json_key(&w, "before");
	json_num(&w, in->beta_before);
	json_key(&w, "after");
	json_num(&w, in->beta_after);
	json_object_end(&w);
	json_space(&w, "\n ");
	json_key(&w, "class_weights");
	json_object_begin(&w);
	json_key(&w, "before");
	json_weights(&w, &in->weights_before);
	json_key(&w, "after");
	json_weights(&w, &in->weights_after);
	json_object_end(&w);
	json_space(&w, "\n ");
	json_key(&w, "claims");
	json_claims(&w, in);
	json_space(&w, "\n ");
	json_key(&w, "fairness");
	json_fairness(&w, in);
	json_space(&w, "\n ");
	json_key(&w, "way_out");
	json_object_begin(&w);
	json_key(&w, "rollback_to");
	json_str(&w, in->rollback_to);
	json_key(&w, "deploy_instead");
	json_array_begin(&w);
	for (size_t i = 0; i < in->ndeploy_instead; i++)
		json_str(&w, in->deploy_instead[i]);
	json_array_end(&w);
	json_object_end(&w);
	json_space(&w, "\n ");
	json_key(&w, "findings");
	findings_json(&w, &in->j);
	json_object_end(&w);
	fputc('\n', stdout);
}

static int run(struct cmd_args *a)
{
	struct incident in;
	struct page pg = PAGE_INIT;
	struct fail f;
	int rc;
	fail_init(&f);
	if (incident_make(a->store, a->policy, &in, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	if (strcmp(a->format, "json") == 0) {
		print_json(&in);
	} else {
		if (incident_page(&in, INCIDENT_COMMANDS, &pg) != 0) {
			fail_set(&f, FAIL_INTERNAL, "out of memory");
			rc = cli_report(&f);
			goto out;
		}
		if (strcmp(a->format, "md") == 0)
			page_print_md(stdout, &pg);
		else
			page_print_text(stdout, &pg);
	}
	rc = in.active ? EXIT_CHECK_FAILED : EXIT_OK;
out:
	page_release(&pg);
	incident_release(&in);
	return rc;
}

static const char *const formats[] = {"text", "md", "json", NULL};

const struct command_spec cmd_incident_spec = {
	.name = "incident",
	.summary = "who production harms, what changed, the way out",
	.store = COMMAND_STORE_READ,
	.policy = 1,
	.formats = formats,
	.help = "Print what the dashboard's Incident view shows: whether "
		"production passes\nthe policy, the groups it harms (each rate "
		"before -> after, with its 95 %\ninterval), what changed "
		"against the last fair model (parameters, evaluation\n"
		"coverage, data, class weights, beta_factor), whether each "
		"claimed performance\ngain is comparable at all, the way out "
		"(the rollback target and fair runs\nnever deployed), then "
		"every finding, whole.\n"
		"Exit status: 1 while there is an incident (production fails "
		"the policy or\nhas critical alerts firing), 0 when there is "
		"none.",
	.run = run,
};
