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
#include "service/incident.h"
#include "service/incident_page.h"

static void json_rate(FILE *out, const struct incident_rate *r)
{
	if (!r->present) {
		fputs("null", out);
		return;
	}
	fputs("{\"value\": ", out);
	json_number(out, r->value);
	fputs(", \"low\": ", out);
	json_number(out, r->ci.low);
	fputs(", \"high\": ", out);
	json_number(out, r->ci.high);
	fputs(", \"rows\": ", out);
	json_number(out, r->rows);
	fputc('}', out);
}

static void json_weights(FILE *out, const struct incident_weights *w)
{
	fputc('[', out);
	for (size_t i = 0; i < w->n; i++) {
		fprintf(out, "%s{\"label\": ", i ? ", " : "");
		json_string(out, w->logged[i].label);
		fputs(", \"logged\": ", out);
		json_number(out, w->logged[i].weight);
		fputs(", \"exact\": ", out);
		json_number(out, w->exact[i]);
		fputs(", \"relative_difference\": ", out);
		json_number(out, w->error[i]);
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_groups(FILE *out, const struct incident_group *g, size_t n)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{\"group\": ", i ? ", " : "");
		json_string(out, g[i].name);
		fputs(", \"rows\": ", out);
		json_number(out, g[i].rows);
		fputc('}', out);
	}
	fputc(']', out);
}

static void print_json(const struct incident *in)
{
	FILE *o = stdout;
	const struct production *pr = &in->prod;
	fprintf(o, "{\"incident\": %s,\n \"production\": ",
		in->active ? "true" : "false");
	if (!pr->found) {
		fputs("null", o);
	} else {
		fputs("{\"run\": ", o);
		json_string(o, pr->run);
		fputs(", \"kind\": ", o);
		json_string(o, pr->kind);
		fputs(", \"actor\": ", o);
		json_string(o, pr->actor);
		fputs(", \"since\": ", o);
		json_string(o, pr->since);
		fprintf(o, ", \"in_store\": %s", pr->in_store ? "true" : "false");
		if (pr->in_store) {
			fprintf(o, ", \"passes\": %s, \"rules_failed\": %zu",
				in->fair.passed ? "true" : "false",
				in->fair.fails);
			fputs(", \"first_failure\": ", o);
			json_string(o, in->fair.first[0] ? in->fair.first
							 : NULL);
		}
		fputc('}', o);
	}
	fprintf(o, ",\n \"firing\": {\"critical\": %zu, \"warning\": %zu}",
		in->firing_critical, in->firing_warning);
	fputs(",\n \"last_fair\": ", o);
	json_string(o, in->last_fair);
	fputs(",\n \"compared_with\": ", o);
	json_string(o, in->compared ? in->last_fair : NULL);
	fputs(",\n \"harmed\": [", o);
	for (size_t i = 0; i < in->nharm; i++) {
		const struct incident_harm *h = &in->harm[i];
		fprintf(o, "%s\n  {\"group\": ", i ? "," : "");
		json_string(o, h->group);
		fputs(", \"metric\": ", o);
		json_string(o, h->metric);
		fputs(", \"before\": ", o);
		json_rate(o, &h->before);
		fputs(", \"after\": ", o);
		json_rate(o, &h->after);
		fprintf(o, ", \"low_n\": %s, \"severity\": ",
			h->low_n ? "true" : "false");
		json_string(o, finding_severity_name(h->severity));
		fprintf(o, ", \"established\": %s}",
			h->established == 1 ? "true" : "false");
	}
	fputs("],\n \"changed\": [", o);
	for (size_t i = 0; i < in->nchange; i++) {
		const struct incident_change *c = &in->change[i];
		fprintf(o, "%s\n  {\"name\": ", i ? "," : "");
		json_string(o, c->name);
		fputs(", \"before\": ", o);
		json_string(o, c->before);
		fputs(", \"after\": ", o);
		json_string(o, c->after);
		fputc('}', o);
	}
	fputs("],\n \"coverage\": {\"rows_before\": ", o);
	if (in->rows_before >= 0)
		json_int(o, in->rows_before);
	else
		fputs("null", o);
	fputs(", \"rows_after\": ", o);
	if (in->rows_after >= 0)
		json_int(o, in->rows_after);
	else
		fputs("null", o);
	fputs(", \"absent\": ", o);
	json_groups(o, in->absent, in->nabsent);
	fputs(", \"new\": ", o);
	json_groups(o, in->added, in->nadded);
	fputs("},\n \"data\": {\"psi_shares\": [", o);
	for (size_t i = 0; i < in->npsi; i++) {
		fprintf(o, "%s{\"feature\": ", i ? ", " : "");
		json_string(o, in->psi[i].feature);
		fputs(", \"psi\": ", o);
		json_number(o, in->psi[i].psi);
		fputs(", \"severity\": ", o);
		json_string(o, finding_severity_name(in->psi[i].severity));
		fprintf(o, ", \"established\": %s}",
			in->psi[i].established ? "true" : "false");
	}
	fputs("], \"label_prior_before\": ", o);
	json_number(o, in->prior_before);
	fputs(", \"label_prior_after\": ", o);
	json_number(o, in->prior_after);
	fputs("},\n \"beta_factor\": {\"before\": ", o);
	json_number(o, in->beta_before);
	fputs(", \"after\": ", o);
	json_number(o, in->beta_after);
	fputs("},\n \"class_weights\": {\"before\": ", o);
	json_weights(o, &in->weights_before);
	fputs(", \"after\": ", o);
	json_weights(o, &in->weights_after);
	fputs("},\n \"claims\": [", o);
	for (size_t i = 0; i < in->nclaim; i++) {
		const struct incident_claim *c = &in->claim[i];
		fprintf(o, "%s\n  {\"name\": ", i ? "," : "");
		json_string(o, c->name);
		fputs(", \"before\": ", o);
		json_number(o, c->before);
		fputs(", \"after\": ", o);
		json_number(o, c->after);
		fputs(", \"change\": ", o);
		json_number(o, c->change);
		fprintf(o, ", \"unit\": \"%s\", \"comparable\": %s, \"why\": ",
			c->in_points ? "points" : "percent",
			c->why ? "false" : "true");
		json_string(o, c->why);
		fputc('}', o);
	}
	fputs("],\n \"way_out\": {\"rollback_to\": ", o);
	json_string(o, in->rollback_to);
	fputs(", \"deploy_instead\": [", o);
	for (size_t i = 0; i < in->ndeploy_instead; i++) {
		fputs(i ? ", " : "", o);
		json_string(o, in->deploy_instead[i]);
	}
	fputs("]},\n \"findings\": ", o);
	findings_print_json(o, &in->j);
	fputs("}\n", o);
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
	.summary = "production against the last fair model: who is harmed, "
		   "what changed, the way out",
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
