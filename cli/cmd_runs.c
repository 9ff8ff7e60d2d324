/*
 * cmd_runs.c — `fairtop runs [--policy FILE] [--format text|csv|json]`
 *
 * One line per run, oldest first: id, model, version, start, rows
 * evaluated, accuracy, F-beta (with the run's own beta), the worst
 * group's TPR, and the worst demographic parity and equalized odds
 * differences over the run's sensitive features.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "cli/verdict_out.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "service/runload.h"
#include "service/verdict.h"

static void print_text(struct stored_run *runs, struct loaded_run *lr,
		       const struct run_verdict (*v)[VERDICT_KINDS], size_t n)
{
	static const char *const header[] = {
		"RUN",    "MODEL",     "VERSION", "STARTED", "ROWS",
		"ACC",    "F-BETA",    "WORST TPR", "GROUP",  "DP DIFF",
		"EO DIFF", "FAIR",     "VS PROD"};
	static const int right[] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0};
	struct table *t = table_new(13, header, right);
	if (t == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct run_summary *s = &lr[i].summary;
		char rows[32], acc[16], fb[16], tpr[16], dp[16], eo[16];
		char started[11];
		struct strbuf worst = STRBUF_INIT;
		snprintf(started, sizeof started, "%s",
			 runs[i].started_at ? runs[i].started_at : "");
		if (runload_rows(&lr[i]) >= 0)
			snprintf(rows, sizeof rows, "%lld",
				 (long long)runload_rows(&lr[i]));
		else
			snprintf(rows, sizeof rows, "n/a");
		if (rate_defined(s->worst_tpr))
			runload_group_name_add(&lr[i], s->worst_tpr_group,
					       &worst);
		const char *cells[] = {
			runs[i].key,
			runs[i].model,
			runs[i].version ? runs[i].version : "",
			started,
			rows,
			output_rate(acc, sizeof acc,
				    s->has_overall ? s->overall.accuracy
						   : RATE_UNDEFINED),
			output_rate(fb, sizeof fb,
				    s->has_overall ? s->overall.f_beta
						   : RATE_UNDEFINED),
			output_rate(tpr, sizeof tpr, s->worst_tpr),
			worst.buf,
			output_rate(dp, sizeof dp, s->dp_difference),
			output_rate(eo, sizeof eo, s->eo_difference),
			verdict_word(&v[i][VERDICT_FAIR]),
			verdict_word(&v[i][VERDICT_VS_PROD]),
		};
		table_add(t, cells);
		strbuf_release(&worst);
	}
	table_print(t, stdout, 0);
	table_free(t);
	if (n == 0)
		printf("(no runs yet: fairtop ingest DIR)\n");
}

static void print_csv(struct stored_run *runs, struct loaded_run *lr,
		      const struct run_verdict (*v)[VERDICT_KINDS], size_t n)
{
	static const char *const header[] = {
		"run",        "model",           "version",
		"started_at", "rows",            "accuracy",
		"f_beta",     "worst_tpr",       "worst_tpr_group",
		"dp_difference", "eo_difference", "fair",
		"vs_production", "vs_production_baseline", "at_arrival",
		"at_arrival_baseline", "policy_digest"};
	for (size_t k = 0; k < 17; k++)
		csv_field(stdout, header[k], k == 0);
	csv_end(stdout);
	for (size_t i = 0; i < n; i++) {
		const struct run_summary *s = &lr[i].summary;
		struct strbuf worst = STRBUF_INIT;
		if (rate_defined(s->worst_tpr))
			runload_group_name_add(&lr[i], s->worst_tpr_group,
					       &worst);
		csv_field(stdout, runs[i].key, 1);
		csv_field(stdout, runs[i].model, 0);
		csv_field(stdout, runs[i].version, 0);
		csv_field(stdout, runs[i].started_at, 0);
		if (runload_rows(&lr[i]) >= 0)
			printf(",%lld", (long long)runload_rows(&lr[i]));
		else
			csv_field(stdout, "", 0);
		csv_number(stdout, s->has_overall ? s->overall.accuracy
						  : RATE_UNDEFINED, 0);
		csv_number(stdout, s->has_overall ? s->overall.f_beta
						  : RATE_UNDEFINED, 0);
		csv_number(stdout, s->worst_tpr, 0);
		csv_field(stdout, worst.buf, 0);
		strbuf_release(&worst);
		csv_number(stdout, s->dp_difference, 0);
		csv_number(stdout, s->eo_difference, 0);
		csv_field(stdout, v[i][VERDICT_FAIR].passed ? "pass" : "fail",
			  0);
		csv_field(stdout, v[i][VERDICT_VS_PROD].passed ? "pass"
							       : "fail", 0);
		csv_field(stdout, v[i][VERDICT_VS_PROD].baseline, 0);
		csv_field(stdout, v[i][VERDICT_AT_ARRIVAL].passed ? "pass"
								  : "fail", 0);
		csv_field(stdout, v[i][VERDICT_AT_ARRIVAL].baseline, 0);
		csv_field(stdout, v[i][VERDICT_FAIR].policy, 0);
		csv_end(stdout);
	}
}

static void print_json(struct stored_run *runs, struct loaded_run *lr,
		       const struct run_verdict (*v)[VERDICT_KINDS], size_t n)
{
	struct json_writer w;
	json_writer_init(&w, stdout);
	json_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		const struct run_summary *s = &lr[i].summary;
		struct strbuf worst = STRBUF_INIT;
		int has_worst = rate_defined(s->worst_tpr);
		if (has_worst)
			runload_group_name_add(&lr[i], s->worst_tpr_group,
					       &worst);
		json_space(&w, "\n  ");
		json_object_begin(&w);
		json_key(&w, "run");
		json_str(&w, runs[i].key);
		json_key(&w, "model");
		json_str(&w, runs[i].model);
		json_key(&w, "version");
		json_str(&w, runs[i].version);
		json_key(&w, "started_at");
		json_str(&w, runs[i].started_at);
		json_key(&w, "rows");
		if (runload_rows(&lr[i]) >= 0)
			json_integer(&w, runload_rows(&lr[i]));
		else
			json_null(&w);
		json_key(&w, "accuracy");
		json_num(&w, s->has_overall ? s->overall.accuracy
					    : RATE_UNDEFINED);
		json_key(&w, "f_beta");
		json_num(&w, s->has_overall ? s->overall.f_beta
					    : RATE_UNDEFINED);
		json_key(&w, "worst_tpr");
		json_num(&w, s->worst_tpr);
		json_key(&w, "worst_tpr_group");
		json_str(&w, has_worst ? worst.buf : NULL);
		strbuf_release(&worst);
		json_key(&w, "dp_difference");
		json_num(&w, s->dp_difference);
		json_key(&w, "eo_difference");
		json_num(&w, s->eo_difference);
		json_space(&w, "\n   ");
		json_key(&w, "verdicts");
		verdicts_json(&w, v[i]);
		json_object_end(&w);
	}
	if (n)
		json_space(&w, "\n");
	json_array_end(&w);
	putchar('\n');
}

static int run(struct cmd_args *a)
{
	enum output_format format = output_format_of(a->format);
	struct store *s = a->store;
	struct stored_run *runs = NULL;
	struct loaded_run *lr = NULL;
	struct run_verdict (*v)[VERDICT_KINDS] = NULL;
	struct verdict_ctx vc;
	size_t n = 0;
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	memset(&vc, 0, sizeof vc);
	if (store_list_runs(s, &runs, &n, &f) != 0 ||
	    verdict_ctx_init(&vc, s, a->policy, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	cli_warn_pending(s);
	lr = calloc(n ? n : 1, sizeof *lr);
	v = calloc(n ? n : 1, sizeof *v);
	if (lr == NULL || v == NULL) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		rc = cli_report(&f);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct verdict_run_ref r = {runs[i].id, runs[i].key,
					    runs[i].started_at};
		for (int k = 0; k < VERDICT_KINDS; k++)
			if (verdict_ctx_ref(&vc, &r, (enum verdict_kind)k,
					    &v[i][k], &f) != 0) {
				rc = cli_report(&f);
				goto out;
			}
		if (runload(s, &runs[i], &lr[i], &f) != 0) {
			rc = cli_report(&f);
			goto out;
		}
	}
	/* keep what was judged for the next reader (best effort) */
	struct fail ignored;
	fail_init(&ignored);
	verdict_ctx_flush(&vc, &ignored);
	if (format == FORMAT_TEXT)
		print_text(runs, lr, v, n);
	else if (format == FORMAT_CSV)
		print_csv(runs, lr, v, n);
	else
		print_json(runs, lr, v, n);
out:
	for (size_t i = 0; lr && i < n; i++)
		runload_release(&lr[i]);
	for (size_t i = 0; v && i < n; i++)
		run_verdicts_release(v[i]);
	free(lr);
	free(v);
	verdict_ctx_release(&vc);
	stored_runs_free(runs, n);
	return rc;
}

static const char *const formats[] = {"text", "csv", "json", NULL};

const struct command_spec cmd_runs_spec = {
	.name = "runs",
	.summary = "list the runs with their headline performance and "
		   "fairness",
	.store = COMMAND_STORE_READ,
	.policy = 1,
	.formats = formats,
	.help = "List the runs in the store, oldest first, with accuracy, "
		"F-beta (the run's\nown beta_factor; n/a without one), the "
		"worst group's TPR, and the worst\ndemographic parity and "
		"equalized odds differences over the sensitive\nfeatures.  "
		"n/a marks a value that is undefined (a zero "
		"denominator).\nFAIR is the run's verdict on its own, VS "
		"PROD against the run in production\n(on its own for "
		"production itself); csv and json add the verdict at\n"
		"arrival, against what was in production when the run "
		"started, and the\ndigest of the policy that made them.",
	.run = run,
};
