/*
 * cmd_report.c — `fairtop report [--since DATE] [--format md|json|text]`
 *
 * The post-mortem timeline, oldest first: runs (with the gate's verdict
 * against what was deployed when they started), alerts, acknowledgements,
 * deployments, overrides (loudly) and rollbacks; then a summary: what is
 * deployed, the last fair model, the open alerts, every override ever
 * made.  The Markdown is ready to paste into a post-mortem document.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "storage/judgeload.h"
#include "cli/output.h"
#include "core/runinfo.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"

enum report_format { REPORT_MD, REPORT_JSON, REPORT_TEXT };

struct event {
	char time[64];
	char kind[32];   /* run, deploy, override, rollback, ack, ... */
	char run[256];
	char actor[256];
	char text[2048];
	int loud;        /* an override: never to be missed */
};

struct events {
	struct event *e;
	size_t n, cap;
};

static struct event *add_event(struct events *ev)
{
	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 64;
		struct event *p = realloc(ev->e, cap * sizeof *p);
		if (p == NULL)
			return NULL;
		ev->e = p;
		ev->cap = cap;
	}
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

static void print_help(void)
{
	cli_print_usage("report", 0);
	printf("\nThe post-mortem timeline, oldest first: runs with the "
	       "gate's verdict against\nwhat was deployed when they started, "
	       "alerts, acknowledgements, deployments,\noverrides (marked "
	       "loudly) and rollbacks; then a summary: what is deployed,\nthe "
	       "last fair model, the open alerts and every override ever "
	       "made.\n\n"
	       "  --since DATE  only events at or after DATE (ISO 8601)\n"
	       "  --policy FILE the policy\n"
	       "  --format F    md (default), json or text\n"
	       "  --db FILE     the store\n");
}

struct summary_info {
	char deployed[256], deployed_how[512];
	char last_fair[256];
	size_t open_critical, open_warning;
	size_t overrides;
};

/* Run events: the gate verdict against the baseline of its time. */
static int run_events(struct store *s, const struct policy *p,
		      const struct stored_alert *alerts, size_t nalerts,
		      struct events *ev, struct fail *f)
{
	struct stored_run *runs = NULL;
	size_t n = 0;
	if (store_list_runs(s, &runs, &n, f) != 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct event *x = add_event(ev);
		if (x == NULL) {
			rc = fail_set(f, FAIL_INTERNAL, "out of memory");
			break;
		}
		snprintf(x->time, sizeof x->time, "%s", runs[i].started_at);
		snprintf(x->kind, sizeof x->kind, "run");
		snprintf(x->run, sizeof x->run, "%s", runs[i].key);
		char base[512], verdict[1400] = "";
		struct judged_run b, c;
		memset(&b, 0, sizeof b);
		memset(&c, 0, sizeof c);
		int got = judgeload_baseline_for(s, runs[i].key, base,
						 sizeof base, f);
		if (got < 0 || judgeload(s, runs[i].key, &c, f) != 0) {
			judgeload_release(&c);
			rc = -1;
			break;
		}
		struct judgement j;
		memset(&j, 0, sizeof j);
		if (got == 0 && judgeload(s, base, &b, f) == 0 &&
		    judge_runs(&b.view, &c.view, p, &j) == 0) {
			size_t fails = 0;
			const char *first = "";
			for (size_t k = 0; k < j.nfindings; k++)
				if (j.finding[k].severity == FINDING_FAIL &&
				    fails++ == 0)
					first = j.finding[k].message;
			if (fails)
				snprintf(verdict, sizeof verdict,
					 "gate against %s: FAIL, %zu rule%s "
					 "(%s)", base, fails,
					 fails == 1 ? "" : "s", first);
			else
				snprintf(verdict, sizeof verdict,
					 "gate against %s: pass", base);
		} else if (got == 1) {
			int fair;
			char why[1024];
			if (judgeload_fair(&c, p, &fair, why, sizeof why) == 0)
				snprintf(verdict, sizeof verdict,
					 "no baseline; on its own: %s%s%s",
					 fair ? "passes" : "FAILS",
					 fair ? "" : " (", fair ? "" : why);
			if (!fair)
				strncat(verdict, ")",
					sizeof verdict - strlen(verdict) - 1);
		}
		judgement_release(&j);
		judgeload_release(&b);
		judgeload_release(&c);
		size_t crit = 0, warn = 0, acked = 0;
		for (size_t k = 0; k < nalerts; k++) {
			if (strcmp(alerts[k].run_key, runs[i].key) != 0 ||
			    strcmp(alerts[k].state, "resolved") == 0)
				continue;
			if (strcmp(alerts[k].severity, "critical") == 0)
				crit++;
			else
				warn++;
			acked += strcmp(alerts[k].state, "acknowledged") == 0;
		}
		char alert_text[128] = "";
		if (crit + warn)
			snprintf(alert_text, sizeof alert_text,
				 "; alerts: %zu critical, %zu warning, %zu "
				 "acknowledged", crit, warn, acked);
		snprintf(x->text, sizeof x->text, "%s %s started; %s%s",
			 runs[i].model,
			 runs[i].version ? runs[i].version : "", verdict,
			 alert_text);
	}
	stored_runs_free(runs, n);
	return rc;
}

static int deployment_events(struct store *s, struct events *ev,
			     struct summary_info *sum, struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	if (store_deployments_list(s, &d, &n, f) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct event *x = add_event(ev);
		if (x == NULL) {
			stored_deployments_free(d, n);
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		}
		int failed = strcmp(d[i].state, "done") != 0;
		int override = strcmp(d[i].kind, "override") == 0;
		snprintf(x->time, sizeof x->time, "%s", d[i].time);
		snprintf(x->kind, sizeof x->kind, "%s%s", d[i].kind,
			 failed ? (strcmp(d[i].state, "pending") == 0
					   ? " (pending)" : " (FAILED)")
				: "");
		snprintf(x->run, sizeof x->run, "%s", d[i].run_key);
		snprintf(x->actor, sizeof x->actor, "%s", d[i].actor);
		x->loud = override;
		snprintf(x->text, sizeof x->text, "%s%s by %s: \"%s\"%s",
			 override ? "OVERRIDE: deployed despite the fairness "
				    "policy; "
				  : "",
			 strcmp(d[i].kind, "rollback") == 0
				 ? "rolled back to it"
				 : "deployed",
			 d[i].actor, d[i].reason,
			 failed ? "; the deploy hook failed, nothing changed"
				: "");
		if (override)
			sum->overrides++;
		if (!failed) {
			snprintf(sum->deployed, sizeof sum->deployed, "%s",
				 d[i].run_key);
			snprintf(sum->deployed_how, sizeof sum->deployed_how,
				 "%s by %s at %s", d[i].kind, d[i].actor,
				 d[i].time);
		}
	}
	stored_deployments_free(d, n);
	return 0;
}

static int ack_events(const struct stored_alert *a, size_t n,
		      struct events *ev, struct summary_info *sum,
		      struct fail *f)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(a[i].state, "firing") == 0) {
			if (strcmp(a[i].severity, "critical") == 0)
				sum->open_critical++;
			else
				sum->open_warning++;
		}
		if (a[i].acknowledged_at == NULL)
			continue;
		struct event *x = add_event(ev);
		if (x == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		snprintf(x->time, sizeof x->time, "%s", a[i].acknowledged_at);
		snprintf(x->kind, sizeof x->kind, "ack");
		snprintf(x->run, sizeof x->run, "%s", a[i].run_key);
		snprintf(x->actor, sizeof x->actor, "%s",
			 a[i].acknowledged_by ? a[i].acknowledged_by : "");
		snprintf(x->text, sizeof x->text,
			 "alert #%lld (%s %s) acknowledged by %s%s%s",
			 (long long)a[i].id, a[i].severity, a[i].rule,
			 x->actor, a[i].ack_note ? ": " : "",
			 a[i].ack_note ? a[i].ack_note : "");
	}
	return 0;
}

/* The last fair model: the most recent run in production (done) that
 * passes the policy on its own. */
static int last_fair(struct store *s, const struct policy *p,
		     struct summary_info *sum, struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	if (store_deployments_list(s, &d, &n, f) != 0)
		return -1;
	for (size_t i = n; i-- > 0;) {
		if (strcmp(d[i].state, "done") != 0)
			continue;
		struct judged_run jr;
		struct fail missing;
		fail_init(&missing);
		int fair = 0;
		char why[1024];
		if (judgeload(s, d[i].run_key, &jr, &missing) == 0 &&
		    judgeload_fair(&jr, p, &fair, why, sizeof why) == 0 &&
		    fair) {
			snprintf(sum->last_fair, sizeof sum->last_fair, "%s",
				 d[i].run_key);
			judgeload_release(&jr);
			break;
		}
		judgeload_release(&jr);
	}
	stored_deployments_free(d, n);
	return 0;
}

/* Markdown table cell: sanitised, '|' escaped. */
static void md_cell(const char *s)
{
	char buf[4096];
	output_safe(buf, sizeof buf, s);
	for (const char *c = buf; *c; c++) {
		if (*c == '|')
			fputs("\\|", stdout);
		else
			fputc(*c, stdout);
	}
}

static void print_md(const struct events *ev, const struct summary_info *sum,
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
		printf(")");
	}
	printf("\n- **Last fair model:** ");
	md_cell(sum->last_fair[0] ? sum->last_fair : "none");
	printf("\n- **Open alerts:** %zu critical, %zu warning\n",
	       sum->open_critical, sum->open_warning);
	printf("- **Overrides ever made:** %zu\n", sum->overrides);
	for (size_t i = 0; i < ev->n; i++)
		if (ev->e[i].loud) {
			printf("  - **OVERRIDE** %s, run ", ev->e[i].time);
			md_cell(ev->e[i].run);
			printf(": ");
			md_cell(ev->e[i].text);
			printf("\n");
		}
	printf("\n## Timeline\n\n| time | event | run | details |\n"
	       "|---|---|---|---|\n");
	for (size_t i = 0; i < ev->n; i++) {
		const struct event *x = &ev->e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		printf("| %s | %s", x->time, x->loud ? "**OVERRIDE**" : "");
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
		       const struct summary_info *sum, const char *since)
{
	char a[2048], b[512];
	printf("timeline (oldest first)\n");
	for (size_t i = 0; i < ev->n; i++) {
		const struct event *x = &ev->e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		printf("%-20s  %-18s %-6s %s%s\n", x->time,
		       x->loud ? "!! OVERRIDE !!" : x->kind,
		       output_safe(b, sizeof b, x->run),
		       output_safe(a, sizeof a, x->text), "");
	}
	printf("\nsummary\n");
	printf("  deployed now:      %s%s%s%s\n",
	       sum->deployed[0] ? output_safe(b, sizeof b, sum->deployed)
				: "nothing",
	       sum->deployed[0] ? " (" : "",
	       sum->deployed[0] ? output_safe(a, sizeof a, sum->deployed_how)
				: "",
	       sum->deployed[0] ? ")" : "");
	printf("  last fair model:   %s\n",
	       sum->last_fair[0] ? output_safe(b, sizeof b, sum->last_fair)
				 : "none");
	printf("  open alerts:       %zu critical, %zu warning\n",
	       sum->open_critical, sum->open_warning);
	printf("  overrides ever:    %zu\n", sum->overrides);
}

static void print_json(const struct events *ev,
		       const struct summary_info *sum, const char *since)
{
	printf("{\"summary\": {\"deployed\": ");
	json_string(stdout, sum->deployed[0] ? sum->deployed : NULL);
	printf(", \"deployed_how\": ");
	json_string(stdout, sum->deployed[0] ? sum->deployed_how : NULL);
	printf(", \"last_fair\": ");
	json_string(stdout, sum->last_fair[0] ? sum->last_fair : NULL);
	printf(", \"open_alerts\": {\"critical\": %zu, \"warning\": %zu}, "
	       "\"overrides\": %zu},\n \"timeline\": [",
	       sum->open_critical, sum->open_warning, sum->overrides);
	int first = 1;
	for (size_t i = 0; i < ev->n; i++) {
		const struct event *x = &ev->e[i];
		if (since && strcmp(x->time, since) < 0)
			continue;
		printf("%s\n  {\"time\": ", first ? "" : ",");
		first = 0;
		json_string(stdout, x->time);
		printf(", \"event\": ");
		json_string(stdout, x->kind);
		printf(", \"run\": ");
		json_string(stdout, x->run);
		printf(", \"actor\": ");
		json_string(stdout, x->actor[0] ? x->actor : NULL);
		printf(", \"override\": %s, \"details\": ",
		       x->loud ? "true" : "false");
		json_string(stdout, x->text);
		printf("}");
	}
	printf("%s]}\n", first ? "" : "\n");
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"since", required_argument, NULL, 's'},
		{"policy", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *since = NULL, *policy_path = NULL;
	enum report_format format = REPORT_MD;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!runinfo_is_iso8601(optarg))
				return cli_usage_error(
					"report", "--since: expected an ISO "
					"8601 date such as 2026-01-20, found "
					"'%s'", optarg);
			since = optarg;
			break;
		case 'p':
			policy_path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "md") == 0)
				format = REPORT_MD;
			else if (strcmp(optarg, "json") == 0)
				format = REPORT_JSON;
			else if (strcmp(optarg, "text") == 0)
				format = REPORT_TEXT;
			else
				return cli_usage_error(
					"report", "--format: expected md, json "
					"or text, found '%s'", optarg);
			break;
		case 'd':
			cli->db_path = optarg;
			break;
		case 'h':
			print_help();
			return EXIT_OK;
		default:
			return cli_bad_option("report", c, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("report", "expected no arguments, found "
				       "'%s'", argv[optind]);
	struct policy policy;
	struct store *s = NULL;
	struct stored_alert *alerts = NULL;
	size_t nalerts = 0;
	struct events ev = {NULL, 0, 0};
	struct summary_info sum;
	struct fail f;
	int rc = EXIT_OK;
	memset(&sum, 0, sizeof sum);
	fail_init(&f);
	if (policy_load(&policy, policy_path, &f) != 0 ||
	    store_open(store_default_path(cli->db_path), STORE_OPEN_EXISTING,
		       &s, &f) != 0 ||
	    store_alerts_list(s, NULL, &alerts, &nalerts, &f) != 0 ||
	    run_events(s, &policy, alerts, nalerts, &ev, &f) != 0 ||
	    deployment_events(s, &ev, &sum, &f) != 0 ||
	    ack_events(alerts, nalerts, &ev, &sum, &f) != 0 ||
	    last_fair(s, &policy, &sum, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	qsort(ev.e, ev.n, sizeof *ev.e, by_time);
	if (format == REPORT_MD)
		print_md(&ev, &sum, s->path, since);
	else if (format == REPORT_JSON)
		print_json(&ev, &sum, since);
	else
		print_text(&ev, &sum, since);
out:
	free(ev.e);
	stored_alerts_free(alerts, nalerts);
	store_free(s);
	return rc;
}
