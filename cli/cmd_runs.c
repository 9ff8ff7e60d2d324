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
#include "service/runload.h"
#include "service/verdict.h"
#include "storage/summary_store.h"

/*
 * The runs are read one at a time (storage/summary_store.h: each run
 * with its kept headline) and printed as they come: the time is a read
 * of each run's row, the memory one run's.  No run's groups are loaded
 * unless it has no kept headline (a store from before headlines were
 * kept), and its verdicts are the kept ones (service/verdict.h) unless
 * none is kept yet; those judged here are held (a few dozen bytes
 * each) to be kept at the end, but over a read-only store.  Text lines
 * its columns up: a first pass over the headlines measures them, a
 * second prints.
 */

/* A run's numbers as listed. */
struct listed {
	double accuracy, f_beta, worst_tpr, dp, eo;
	char worst_group[GROUP_NAME_MAX + 1]; /* "" when none */
	long long rows;                       /* final step's; -1 unknown */
};

/* The numbers of r: its kept headline's, else read from its rows (the
 * run's groups at its final step, summarised as when it was kept). */
static int numbers_of(struct store *s, const struct run_headline_row *r,
		      struct listed *out, struct fail *f)
{
	const struct run_headline *h = r->kept;
	memset(out, 0, sizeof *out);
	if (h != NULL) {
		out->accuracy = h->accuracy;
		out->f_beta = h->f_beta;
		out->worst_tpr = h->worst_tpr;
		out->dp = h->dp;
		out->eo = h->eo;
		store_copy(out->worst_group, sizeof out->worst_group,
			   h->worst_group);
		out->rows = r->final_rows;
		return 0;
	}
	struct stored_run sr;
	struct loaded_run lr;
	int got = store_find_run(s, r->key, &sr, f);
	if (got != 0)
		return got < 0 ? -1
			       : fail_set(f, FAIL_INTERNAL, "run %s vanished "
					  "while it was read", r->key);
	int rc = runload(s, &sr, &lr, f);
	if (rc == 0) {
		const struct run_summary *sum = &lr.summary;
		out->accuracy = sum->has_overall ? sum->overall.accuracy
						 : RATE_UNDEFINED;
		out->f_beta = sum->has_overall ? sum->overall.f_beta
					       : RATE_UNDEFINED;
		out->worst_tpr = sum->worst_tpr;
		out->dp = sum->dp_difference;
		out->eo = sum->eo_difference;
		if (rate_defined(sum->worst_tpr))
			runload_group_name(&lr, sum->worst_tpr_group,
					   out->worst_group,
					   sizeof out->worst_group);
		out->rows = runload_rows(&lr);
	}
	runload_release(&lr);
	stored_run_release(&sr);
	return rc;
}

struct listing {
	struct store *s;
	struct verdict_ctx *vc;
	enum output_format format;
	struct table *t;   /* text */
	int measuring;     /* text: the first pass */
	struct json_writer w;
	size_t n;          /* runs printed */
};

/* A run's line of text: its cells, and the buffers they point into. */
struct text_line {
	char rows[32], acc[16], fb[16], tpr[16], dp[16], eo[16];
	char started[11];
	const char *cell[13];
};

static void text_line(const struct run_headline_row *r,
		      const struct listed *l, const char *fair,
		      const char *vs_prod, struct text_line *t)
{
	snprintf(t->started, sizeof t->started, "%s",
		 r->started_at ? r->started_at : "");
	if (l->rows >= 0)
		snprintf(t->rows, sizeof t->rows, "%lld", l->rows);
	else
		snprintf(t->rows, sizeof t->rows, "n/a");
	t->cell[0] = r->key;
	t->cell[1] = r->model;
	t->cell[2] = r->version ? r->version : "";
	t->cell[3] = t->started;
	t->cell[4] = t->rows;
	t->cell[5] = output_rate(t->acc, sizeof t->acc, l->accuracy);
	t->cell[6] = output_rate(t->fb, sizeof t->fb, l->f_beta);
	t->cell[7] = output_rate(t->tpr, sizeof t->tpr, l->worst_tpr);
	t->cell[8] = l->worst_group;
	t->cell[9] = output_rate(t->dp, sizeof t->dp, l->dp);
	t->cell[10] = output_rate(t->eo, sizeof t->eo, l->eo);
	t->cell[11] = fair;
	t->cell[12] = vs_prod;
}

static int print_text(struct listing *ls, const struct run_headline_row *r,
		      const struct listed *l,
		      const struct run_verdict v[VERDICT_KINDS])
{
	struct text_line t;
	memset(&t, 0, sizeof t);
	if (ls->measuring) {
		/* measured without the verdicts: "pass" and "FAIL" are as
		 * wide, and no wider than their headers */
		text_line(r, l, "pass", "pass", &t);
		table_measure(ls->t, t.cell);
		return 0;
	}
	text_line(r, l, verdict_word(&v[VERDICT_FAIR]),
		  verdict_word(&v[VERDICT_VS_PROD]), &t);
	return table_print_row(ls->t, stdout, 0, t.cell);
}

static void print_csv(const struct run_headline_row *r,
		      const struct listed *l,
		      const struct run_verdict v[VERDICT_KINDS])
{
	csv_field(stdout, r->key, 1);
	csv_field(stdout, r->model, 0);
	csv_field(stdout, r->version, 0);
	csv_field(stdout, r->started_at, 0);
	if (l->rows >= 0)
		printf(",%lld", l->rows);
	else
		csv_field(stdout, "", 0);
	csv_number(stdout, l->accuracy, 0);
	csv_number(stdout, l->f_beta, 0);
	csv_number(stdout, l->worst_tpr, 0);
	csv_field(stdout, l->worst_group, 0);
	csv_number(stdout, l->dp, 0);
	csv_number(stdout, l->eo, 0);
	csv_field(stdout, v[VERDICT_FAIR].passed ? "pass" : "fail", 0);
	csv_field(stdout, v[VERDICT_VS_PROD].passed ? "pass" : "fail", 0);
	csv_field(stdout, v[VERDICT_VS_PROD].baseline, 0);
	csv_field(stdout, v[VERDICT_AT_ARRIVAL].passed ? "pass" : "fail", 0);
	csv_field(stdout, v[VERDICT_AT_ARRIVAL].baseline, 0);
	csv_field(stdout, v[VERDICT_FAIR].policy, 0);
	csv_end(stdout);
}

static void print_json(struct json_writer *w, const struct run_headline_row *r,
		       const struct listed *l,
		       const struct run_verdict v[VERDICT_KINDS])
{
	json_space(w, "\n  ");
	json_object_begin(w);
	json_key(w, "run");
	json_str(w, r->key);
	json_key(w, "model");
	json_str(w, r->model);
	json_key(w, "version");
	json_str(w, r->version);
	json_key(w, "started_at");
	json_str(w, r->started_at);
	json_key(w, "rows");
	json_count(w, l->rows);
	json_key(w, "accuracy");
	json_num(w, l->accuracy);
	json_key(w, "f_beta");
	json_num(w, l->f_beta);
	json_key(w, "worst_tpr");
	json_num(w, l->worst_tpr);
	json_key(w, "worst_tpr_group");
	json_str(w, rate_defined(l->worst_tpr) ? l->worst_group : NULL);
	json_key(w, "dp_difference");
	json_num(w, l->dp);
	json_key(w, "eo_difference");
	json_num(w, l->eo);
	json_space(w, "\n   ");
	json_key(w, "verdicts");
	verdicts_json(w, v);
	json_object_end(w);
}

/* One run: its numbers, its verdicts (not while measuring), printed. */
static int list_run(void *ctx, const struct run_headline_row *r,
		    struct fail *f)
{
	struct listing *ls = ctx;
	struct listed l;
	struct run_verdict v[VERDICT_KINDS];
	int rc = -1;
	memset(v, 0, sizeof v);
	if (numbers_of(ls->s, r, &l, f) != 0)
		return -1;
	if (!ls->measuring) {
		struct verdict_run_ref ref = {r->id, r->key, r->started_at};
		for (int k = 0; k < VERDICT_KINDS; k++)
			if (verdict_ctx_ref(ls->vc, &ref, (enum verdict_kind)k,
					    &v[k], f) != 0)
				goto out;
	}
	if (ls->format == FORMAT_TEXT) {
		if (print_text(ls, r, &l, v) != 0) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
	} else if (ls->format == FORMAT_CSV) {
		print_csv(r, &l, v);
	} else {
		print_json(&ls->w, r, &l, v);
	}
	ls->n += !ls->measuring;
	rc = 0;
out:
	run_verdicts_release(v);
	return rc;
}

static void csv_header(void)
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
}

/* The listing in one read transaction: a run ingested meanwhile is
 * either in both passes or in neither. */
static int list(struct listing *ls, struct fail *f)
{
	static const char *const header[] = {
		"RUN",    "MODEL",     "VERSION", "STARTED", "ROWS",
		"ACC",    "F-BETA",    "WORST TPR", "GROUP",  "DP DIFF",
		"EO DIFF", "FAIR",     "VS PROD"};
	static const int right[] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0};
	int rc = -1;
	if (store_begin_read(ls->s, f) != 0)
		return -1;
	if (ls->format == FORMAT_TEXT) {
		ls->t = table_new(13, header, right);
		if (ls->t == NULL) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		ls->measuring = 1;
		if (store_each_run_listed(ls->s, list_run, ls, f) != 0)
			goto out;
		ls->measuring = 0;
		table_print(ls->t, stdout, 0);
	} else if (ls->format == FORMAT_CSV) {
		csv_header();
	} else {
		json_writer_init(&ls->w, stdout);
		json_array_begin(&ls->w);
	}
	if (store_each_run_listed(ls->s, list_run, ls, f) != 0)
		goto out;
	if (ls->format == FORMAT_TEXT && ls->n == 0)
		printf("(no runs yet: fairtop ingest DIR)\n");
	if (ls->format == FORMAT_JSON) {
		if (ls->n)
			json_space(&ls->w, "\n");
		json_array_end(&ls->w);
		putchar('\n');
	}
	rc = store_commit(ls->s, f);
out:
	if (rc != 0)
		store_rollback(ls->s);
	table_free(ls->t);
	ls->t = NULL;
	return rc;
}

static int run(struct cmd_args *a)
{
	struct listing ls;
	struct verdict_ctx vc;
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	memset(&ls, 0, sizeof ls);
	ls.s = a->store;
	ls.vc = &vc;
	ls.format = output_format_of(a->format);
	if (verdict_ctx_init(&vc, ls.s, a->policy, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	cli_warn_pending(ls.s);
	if (list(&ls, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	/* keep what was judged for the next reader (best effort) */
	struct fail ignored;
	fail_init(&ignored);
	verdict_ctx_flush(&vc, &ignored);
out:
	verdict_ctx_release(&vc);
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
