/*
 * cmd_report.c — `fairtop report [--since DATE] [--format md|json|text|html]`
 *
 * The post-mortem timeline, oldest first: runs (with the gate's verdict
 * against what was deployed when they started), alerts, acknowledgements,
 * deployments, overrides (loudly) and rollbacks; then a summary: what is
 * deployed, the last fair model, the open alerts, every override ever
 * made.  The Markdown is ready to paste into a post-mortem document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/page_out.h"
#include "core/json.h"
#include "cli/report_story.h"
#include "cli/disparity_out.h"
#include "cli/output.h"
#include "cli/report_html.h"
#include "cli/verdict_out.h"
#include "service/rundisparity.h"
#include "service/runload.h"
#include "service/verdict.h"
#include "core/runinfo.h"
#include "service/timeline.h"

enum report_format { REPORT_MD, REPORT_JSON, REPORT_TEXT };

struct events {
	const struct event *e;
	size_t n, cap;
};

/* --- fairness of production and of the last fair model -------------- */

static void md_cell(const char *s);

/* One run's aggregates, each with its interval (core/disparity.h), for
 * the post-mortem: what production's disparities were, beyond noise or
 * not, next to the model a rollback would restore. */
struct fairness_view {
	const char *key, *role;  /* "r05", "production" */
	int found;
	struct stored_run run;
	struct loaded_run lr;
	struct run_disparity rd;
};

static int fairness_load(struct store *s, const struct policy *p,
			 struct fairness_view *v, struct fail *f)
{
	int got = store_find_run(s, v->key, &v->run, f);
	if (got < 0)
		return -1;
	if (got == 1)
		return 0; /* named by the history, not in the store */
	v->found = 1;
	if (runload(s, &v->run, &v->lr, f) != 0)
		return -1;
	if (rundisparity_init(&v->rd, &v->lr, p) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

static void fairness_release(struct fairness_view *v)
{
	if (!v->found)
		return;
	rundisparity_release(&v->rd);
	runload_release(&v->lr);
	stored_run_release(&v->run);
}

/* The views of production and of the last fair model (once when they
 * are the same run); *n of them. */
static int fairness_views(struct store *s, const struct policy *p,
			  const struct summary_info *sum,
			  struct fairness_view v[2], size_t *n,
			  struct fail *f)
{
	*n = 0;
	memset(v, 0, 2 * sizeof *v);
	if (sum->deployed[0] && sum->deployed_in_store) {
		v[*n].key = sum->deployed;
		v[*n].role = "production";
		(*n)++;
	}
	if (sum->last_fair[0] &&
	    (*n == 0 || strcmp(sum->last_fair, sum->deployed) != 0)) {
		v[*n].key = sum->last_fair;
		v[*n].role = "last fair model";
		(*n)++;
	}
	for (size_t i = 0; i < *n; i++)
		if (fairness_load(s, p, &v[i], f) != 0)
			return -1;
	return 0;
}

static void print_fairness_md(const struct fairness_view *v, size_t n)
{
	char a[128], b[128], c[128];
	if (n == 0)
		return;
	printf("\n## Fairness of production and of the last fair model\n");
	for (size_t i = 0; i < n; i++) {
		if (!v[i].found)
			continue;
		const struct run_summary *sm = &v[i].lr.summary;
		printf("\n### ");
		md_cell(v[i].key);
		printf(" (%s)\n\n| feature | demographic parity difference | "
		       "demographic parity ratio | equalized odds difference "
		       "|\n|---|---|---|---|\n", v[i].role);
		for (size_t k = 0; k < sm->nfeatures; k++) {
			const struct summary_feature *sf = &sm->features[k];
			if (sf->kind == SUMMARY_OVERALL)
				continue;
			const struct feature_disparity *fd =
				rundisparity_of(&v[i].rd, sm, sf);
			printf("| ");
			md_cell(sf->name);
			printf(" | %s | %s | %s |\n",
			       disparity_out_text(a, sizeof a,
						  &fd->dp_difference),
			       disparity_out_text(b, sizeof b, &fd->dp_ratio),
			       disparity_out_text(c, sizeof c,
						  &fd->eo_difference));
		}
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].found) {
			printf("\n");
			disparity_out_legend(stdout, 0, v[i].rd.confidence,
					     v[i].rd.min_group_size);
			break;
		}
}

static void print_fairness_text(const struct fairness_view *v, size_t n)
{
	char a[128], name[512];
	for (size_t i = 0; i < n; i++) {
		if (!v[i].found)
			continue;
		const struct run_summary *sm = &v[i].lr.summary;
		printf("\nfairness of %s (%s)\n",
		       output_safe(name, sizeof name, v[i].key), v[i].role);
		for (size_t k = 0; k < sm->nfeatures; k++) {
			const struct summary_feature *sf = &sm->features[k];
			if (sf->kind == SUMMARY_OVERALL)
				continue;
			const struct feature_disparity *fd =
				rundisparity_of(&v[i].rd, sm, sf);
			printf("  %s\n", output_safe(name, sizeof name,
						     sf->name));
			printf("    DP difference  %s\n",
			       disparity_out_text(a, sizeof a,
						  &fd->dp_difference));
			printf("    DP ratio       %s\n",
			       disparity_out_text(a, sizeof a, &fd->dp_ratio));
			printf("    EO difference  %s\n",
			       disparity_out_text(a, sizeof a,
						  &fd->eo_difference));
		}
	}
}

static void print_fairness_json(struct json_writer *w,
				const struct fairness_view *v, size_t n)
{
	json_space(w, "\n ");
	json_key(w, "fairness");
	json_array_begin(w);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].found)
			continue;
		any = 1;
		const struct run_summary *sm = &v[i].lr.summary;
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "run");
		json_str(w, v[i].key);
		json_key(w, "role");
		json_str(w, v[i].role);
		json_key(w, "confidence");
		json_num(w, v[i].rd.confidence);
		json_key(w, "features");
		json_array_begin(w);
		for (size_t k = 0; k < sm->nfeatures; k++) {
			const struct summary_feature *sf = &sm->features[k];
			if (sf->kind == SUMMARY_OVERALL)
				continue;
			const struct feature_disparity *fd =
				rundisparity_of(&v[i].rd, sm, sf);
			json_object_begin(w);
			json_key(w, "feature");
			json_str(w, sf->name);
			json_key(w, "demographic_parity_difference");
			disparity_out_write_json(w, &fd->dp_difference);
			json_key(w, "demographic_parity_ratio");
			disparity_out_write_json(w, &fd->dp_ratio);
			json_key(w, "equalized_odds_difference");
			disparity_out_write_json(w, &fd->eo_difference);
			json_object_end(w);
		}
		json_array_end(w);
		json_object_end(w);
	}
	if (any)
		json_space(w, "\n ");
	json_array_end(w);
}

/* Markdown table cell: sanitised, with '|' and what could start HTML or
 * a link escaped (cli/page_out.h). */
static void md_cell(const char *s)
{
	md_text(stdout, s);
}

static void print_md(const struct events *ev, const struct summary_info *sum,
		     const struct fairness_view *fv, size_t nfv,
		     const char *store_path, const char *since)
{
	char now[32], buf[1024];
	store_now(now, sizeof now);
	printf("# fairtop post-mortem report\n\n");
	printf("Store `%s`, generated %s%s%s.\n\n",
	       output_safe(buf, sizeof buf, store_path), now,
	       since ? ", events since " : "", since ? since : "");
	printf("## Summary\n\n");
	printf("- **Deployed now:** %s", sum->deployed[0] ? "" : "nothing");
	if (sum->deployed[0]) {
		md_cell(sum->deployed);
		printf(" (");
		md_cell(sum->deployed_how);
		printf(")%s", !sum->deployed_in_store ? ", not in the store"
			      : sum->deployed_fair ? ", passes the policy"
						   : ", **FAILS the policy**");
	}
	printf("\n- **Last fair model:** ");
	md_cell(sum->last_fair[0] ? sum->last_fair : "none");
	printf("\n- **Open alerts of production:** %zu critical, %zu "
	       "warning\n", sum->open_critical, sum->open_warning);
	printf("- **Findings of other runs (candidates):** %zu critical, %zu "
	       "warning; %zu run%s failing\n", sum->alerts.cand_critical,
	       sum->alerts.cand_warning, sum->alerts.cand_runs_critical,
	       sum->alerts.cand_runs_critical == 1 ? "" : "s");
	printf("- **Overrides ever made:** %zu\n", sum->overrides);
	for (size_t i = 0; i < ev->n; i++)
		if (ev->e[i].loud) {
			printf("  - **OVERRIDE** %s, run ", ev->e[i].time);
			md_cell(ev->e[i].run);
			printf(": ");
			md_cell(ev->e[i].text);
			printf("\n");
		}
	print_fairness_md(fv, nfv);
	printf("\n## Timeline\n\nBy the time each event happened; "
	       "\"recorded\" is when fairtop learned of it, when later (the "
	       "history of deployments.csv).\n\n"
	       "| time | recorded | event | run | details |\n"
	       "|---|---|---|---|---|\n");
	for (size_t i = 0; i < ev->n; i++) {
		const struct event *x = &ev->e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		printf("| %s | %s | %s", x->time, x->recorded,
		       x->loud ? "**OVERRIDE**" : "");
		if (!x->loud)
			md_cell(x->kind);
		printf(" | ");
		md_cell(x->run);
		printf(" | ");
		if (x->loud)
			printf("**");
		md_cell(x->text);
		if (x->loud)
			printf("**");
		printf(" |\n");
	}
}

static void print_text(const struct events *ev,
		       const struct summary_info *sum,
		       const struct fairness_view *fv, size_t nfv,
		       const char *since)
{
	char a[2048], b[512];
	printf("timeline (oldest first)\n");
	for (size_t i = 0; i < ev->n; i++) {
		const struct event *x = &ev->e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		printf("%-20s  %-18s %-6s %s%s%s%s\n", x->time,
		       x->loud ? "!! OVERRIDE !!" : x->kind,
		       output_safe(b, sizeof b, x->run),
		       output_safe(a, sizeof a, x->text),
		       x->recorded[0] ? " (recorded " : "", x->recorded,
		       x->recorded[0] ? ")" : "");
	}
	printf("\nsummary\n");
	printf("  deployed now:      %s%s%s%s\n",
	       sum->deployed[0] ? output_safe(b, sizeof b, sum->deployed)
				: "nothing",
	       sum->deployed[0] ? " (" : "",
	       sum->deployed[0] ? output_safe(a, sizeof a, sum->deployed_how)
				: "",
	       !sum->deployed[0]	  ? ""
	       : !sum->deployed_in_store ? "), not in the store"
	       : sum->deployed_fair	  ? "), passes the policy"
					  : "), FAILS the policy");
	printf("  last fair model:   %s\n",
	       sum->last_fair[0] ? output_safe(b, sizeof b, sum->last_fair)
				 : "none");
	printf("  open alerts:       %zu critical, %zu warning (production)\n",
	       sum->open_critical, sum->open_warning);
	printf("  candidates:        %zu critical, %zu warning; %zu run%s "
	       "failing\n", sum->alerts.cand_critical,
	       sum->alerts.cand_warning, sum->alerts.cand_runs_critical,
	       sum->alerts.cand_runs_critical == 1 ? "" : "s");
	printf("  overrides ever:    %zu\n", sum->overrides);
	for (size_t i = 0; i < ev->n; i++)
		if (ev->e[i].loud)
			printf("    !! %s %s: %s\n", ev->e[i].time,
			       output_safe(b, sizeof b, ev->e[i].run),
			       output_safe(a, sizeof a, ev->e[i].text));
	print_fairness_text(fv, nfv);
}

static int run_json(void *ctx, const struct stored_run *run,
		    const struct run_verdict v[VERDICT_KINDS], struct fail *f)
{
	struct json_writer *w = ctx;
	(void)f;
	json_space(w, "\n  ");
	json_object_begin(w);
	json_key(w, "run");
	json_str(w, run->key);
	json_key(w, "started_at");
	json_str(w, run->started_at);
	json_key(w, "verdicts");
	verdicts_json(w, v);
	json_object_end(w);
	return 0;
}

static void print_summary_json(struct json_writer *w, const struct events *ev,
			       const struct summary_info *sum)
{
	json_key(w, "summary");
	json_object_begin(w);
	json_key(w, "deployed");
	json_str(w, sum->deployed[0] ? sum->deployed : NULL);
	json_key(w, "deployed_how");
	json_str(w, sum->deployed[0] ? sum->deployed_how : NULL);
	json_key(w, "production_passes");
	if (!sum->deployed[0] || !sum->deployed_in_store)
		json_null(w);
	else
		json_bool(w, sum->deployed_fair);
	json_key(w, "last_fair");
	json_str(w, sum->last_fair[0] ? sum->last_fair : NULL);
	json_key(w, "open_alerts");
	json_object_begin(w);
	json_key(w, "critical");
	json_integer(w, (long long)sum->open_critical);
	json_key(w, "warning");
	json_integer(w, (long long)sum->open_warning);
	json_object_end(w);
	json_key(w, "candidate_alerts");
	json_object_begin(w);
	json_key(w, "critical");
	json_integer(w, (long long)sum->alerts.cand_critical);
	json_key(w, "warning");
	json_integer(w, (long long)sum->alerts.cand_warning);
	json_key(w, "runs_failing");
	json_integer(w, (long long)sum->alerts.cand_runs_critical);
	json_object_end(w);
	json_key(w, "overrides");
	json_integer(w, (long long)sum->overrides);
	json_key(w, "override_list");
	json_array_begin(w);
	for (size_t i = 0; i < ev->n; i++) {
		if (!ev->e[i].loud)
			continue;
		json_object_begin(w);
		json_key(w, "time");
		json_str(w, ev->e[i].time);
		json_key(w, "run");
		json_str(w, ev->e[i].run);
		json_key(w, "actor");
		json_str(w, ev->e[i].actor);
		json_key(w, "details");
		json_str(w, ev->e[i].text);
		json_object_end(w);
	}
	json_array_end(w);
	json_object_end(w);
}

static int print_json(struct store *s, const struct policy *p,
		      const struct events *ev,
		      const struct summary_info *sum,
		      const struct fairness_view *fv, size_t nfv,
		      const char *since, const struct postmortem *pm,
		      struct fail *f)
{
	struct json_writer w;
	json_writer_init(&w, stdout);
	json_object_begin(&w);
	print_summary_json(&w, ev, sum);
	json_space(&w, "\n ");
	json_key(&w, "timeline");
	json_array_begin(&w);
	int any = 0;
	for (size_t i = 0; i < ev->n; i++) {
		const struct event *x = &ev->e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		any = 1;
		json_space(&w, "\n  ");
		json_object_begin(&w);
		json_key(&w, "time");
		json_str(&w, x->time);
		json_key(&w, "recorded");
		json_str(&w, x->recorded[0] ? x->recorded : NULL);
		json_key(&w, "event");
		json_str(&w, x->kind);
		json_key(&w, "run");
		json_str(&w, x->run);
		json_key(&w, "actor");
		json_str(&w, x->actor[0] ? x->actor : NULL);
		json_key(&w, "override");
		json_bool(&w, x->loud);
		json_key(&w, "details");
		json_str(&w, x->text);
		json_object_end(&w);
	}
	if (any)
		json_space(&w, "\n");
	json_array_end(&w);
	print_fairness_json(&w, fv, nfv);
	json_space(&w, "\n ");
	json_key(&w, "runs");
	json_array_begin(&w);
	if (verdict_each_run(s, p, run_json, &w, f) != 0)
		return -1;
	json_space(&w, "\n");
	json_array_end(&w);
	report_story_json(&w, pm);
	json_object_end(&w);
	fputc('\n', stdout);
	return 0;
}

enum { OPT_SINCE };

static int run(struct cmd_args *a)
{
	const char *since = a->value[OPT_SINCE];
	enum report_format format = strcmp(a->format, "json") == 0   ? REPORT_JSON
				    : strcmp(a->format, "text") == 0 ? REPORT_TEXT
								     : REPORT_MD;
	const struct policy *policy = a->policy;
	struct store *s = a->store;
	struct timeline t;
	struct postmortem pm;
	struct fairness_view fv[2];
	size_t nfv = 0;
	struct fail f;
	int rc = EXIT_OK;
	memset(&t, 0, sizeof t);
	memset(&pm, 0, sizeof pm);
	memset(fv, 0, sizeof fv);
	fail_init(&f);
	if (strcmp(a->format, "html") == 0) {
		cli_warn_pending(s);
		if (report_html_write(s, policy, since, stdout, &f) != 0)
			rc = cli_report(&f);
		goto out;
	}
	if (timeline_load(s, policy, &t, &f) != 0 ||
	    postmortem_make(s, policy, &pm, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	struct events ev = {t.e, t.n, t.cap};
	if (fairness_views(s, policy, &t.sum, fv, &nfv, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	cli_warn_pending(s);
	if (format == REPORT_MD) {
		print_md(&ev, &t.sum, fv, nfv, s->path, since);
		report_story_md(&pm);
	} else if (format == REPORT_JSON) {
		if (print_json(s, policy, &ev, &t.sum, fv, nfv, since, &pm,
			       &f) != 0)
			rc = cli_report(&f);
	} else {
		print_text(&ev, &t.sum, fv, nfv, since);
		report_story_text(&pm);
	}
out:
	postmortem_release(&pm);
	for (size_t i = 0; i < nfv; i++)
		fairness_release(&fv[i]);
	timeline_release(&t);
	return rc;
}

static const struct option_spec options[] = {
	[OPT_SINCE] = {"since", 0, "DATE",
		       "only events at or after DATE (ISO 8601)", OPTION_DATE,
		       NULL, NULL, 0},
};

static const char *const formats[] = {"md", "json", "text", "html",
				       NULL};

const struct command_spec cmd_report_spec = {
	.name = "report",
	.summary = "the post-mortem timeline and summary",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.store = COMMAND_STORE_READ,
	.policy = 1,
	.policy_help = "the policy",
	.formats = formats,
	.help = "The post-mortem timeline, oldest first: runs with the "
		"gate's verdict against\nwhat was deployed when they started, "
		"alerts, acknowledgements, deployments,\noverrides (marked "
		"loudly) and rollbacks; then a summary: what is deployed,\nthe "
		"last fair model, the open alerts and every override ever "
		"made;\nand the fairness of production and of the last fair "
		"model, each aggregate\nwith its interval and whether it is "
		"established.",
	.run = run,
};
