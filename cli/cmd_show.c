/*
 * cmd_show.c — `fairtop show RUN [--policy FILE] [--format text|json]`
 *
 * One run: what it is, its parameters, its overall metrics at the final
 * step, the class weights it logged against the exact balanced ones, and
 * for every feature and intersection the per-group table (low-n groups
 * marked) with the fairness aggregates both ways: the gate's, over the
 * groups of at least min_group_size rows, with its simultaneous interval
 * and whether it is established, beside the value over every group
 * (service/rundisparity.h), under the same policy as the run's
 * verdicts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disparity_out.h"
#include "cli/output.h"
#include "service/runload.h"
#include "cli/stepdrift_out.h"
#include "cli/verdict_out.h"
#include "service/judgeload.h"
#include "service/rundisparity.h"
#include "service/verdict.h"
#include "core/classweights.h"
#include "core/groups.h"
#include "core/interval.h"
#include "core/json.h"
#include "core/number.h"

/* Exact balanced weights and what was logged, matched by label. */
struct weights_view {
	int known;                  /* label counts known */
	double exact[2];            /* [0] positive, [1] negative label */
	const char *label[2];
	struct class_weight logged[CLASSWEIGHTS_MAX];
	size_t nlogged;
	double worst_relative_error; /* RATE_UNDEFINED when not comparable */
};

static void weights_view(struct store *s, const struct stored_run *r,
			 struct weights_view *w)
{
	struct fail f;
	double counts[2];
	fail_init(&f);
	memset(w, 0, sizeof *w);
	w->worst_relative_error = RATE_UNDEFINED;
	w->label[0] = r->positive_label;
	w->label[1] = r->negative_label;
	if (store_run_label_counts(s, r, counts, &f) == 0 &&
	    rate_defined(counts[0]) && r->negative_label != NULL) {
		classweights_balanced(counts, 2, w->exact);
		w->known = 1;
	}
	if (r->class_weights != NULL &&
	    classweights_parse(r->class_weights, "run", w->logged,
			       &w->nlogged, &f) != 0)
		w->nlogged = 0;
	if (!w->known)
		return;
	struct classweight_check check[CLASSWEIGHTS_MAX];
	classweights_check(w->logged, w->nlogged, w->label, counts, check);
	for (size_t i = 0; i < w->nlogged; i++) {
		double e = check[i].relative_error;
		if (rate_defined(e) && (!rate_defined(w->worst_relative_error) ||
					e > w->worst_relative_error))
			w->worst_relative_error = e;
	}
}

static const char *kind_title(const char *kind)
{
	return strcmp(kind, "intersection") == 0 ? "intersection" : "feature";
}

/* --- text --------------------------------------------------------- */

static void text_field(const char *name, const char *value)
{
	char buf[1024];
	if (value != NULL)
		printf("  %-15s %s\n", name, output_safe(buf, sizeof buf, value));
}

/* The per-group table of lr's groups [first, first + count); the
 * low-n groups (rd's policy) marked with "*", its legend below when
 * any is. */
static void text_rates_table(const struct loaded_run *lr,
			     const struct run_disparity *rd, size_t first,
			     size_t count, int overall)
{
	static const char *const header[] = {"GROUP",     "N",   "ROWS",
					     "SELECTION", "TPR", "FPR",
					     "PRECISION", "ACCURACY", "F-BETA"};
	static const int right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
	struct table *t = table_new(9, header, right);
	int any_low_n = 0;
	if (t == NULL)
		return;
	for (size_t i = first; i < first + count; i++) {
		const struct rates *r = &lr->summary.rates[i];
		const struct confusion *c = &lr->groups[i].counts;
		char n[32], rows[32], sel[16], tpr[16], fpr[16], prec[16],
			acc[16], fb[16], label[1100];
		int low_n = !overall && rundisparity_low_n(rd, &lr->input[i]);
		any_low_n |= low_n;
		snprintf(n, sizeof n, "%.6g", r->n);
		if (c->rows >= 0)
			snprintf(rows, sizeof rows, "%lld",
				 (long long)c->rows);
		else
			snprintf(rows, sizeof rows, "n/a");
		const char *cells[] = {
			overall ? "(all)"
				: disparity_out_group_label(
					  label, sizeof label,
					  lr->groups[i].label, low_n),
			n,
			rows,
			output_rate(sel, sizeof sel, r->selection_rate),
			output_rate(tpr, sizeof tpr, r->tpr),
			output_rate(fpr, sizeof fpr, r->fpr),
			output_rate(prec, sizeof prec, r->precision),
			output_rate(acc, sizeof acc, r->accuracy),
			output_rate(fb, sizeof fb, r->f_beta),
		};
		table_add(t, cells);
	}
	table_print(t, stdout, 2);
	table_free(t);
	if (any_low_n)
		disparity_out_low_n_legend(stdout, 2, rd->min_group_size);
}

static void text_left_out(const char *what, const struct spread *s)
{
	if (s->left_out > 0)
		printf("  (%zu group%s left out of %s: undefined)\n",
		       s->left_out, s->left_out == 1 ? "" : "s", what);
}

/* The aggregates both ways, side by side (rundisparity_both); then,
 * where the widest pair of the gate's groups is not established but a
 * narrower one is, that pair: the gate judges by it, so say so here
 * too. */
static void text_aggregates(const struct loaded_run *lr,
			    const struct run_disparity *rd,
			    const struct summary_feature *sf)
{
	const struct feature_both *b = rundisparity_both(rd, &lr->summary, sf);
	const struct feature_pairs *pp = rundisparity_pairs(rd, &lr->summary,
							    sf);
	disparity_out_both_text(stdout, 2, b, rd->min_group_size);
	const struct established_pair *pair[] = {
		&pp->dp_difference, &pp->dp_ratio, &pp->eo_difference};
	for (size_t k = 0; k < sizeof pair / sizeof *pair; k++) {
		char v[64], hi[256], lo[256];
		if (!pair[k]->has)
			continue;
		disparity_format_interval(pair[k]->ci, v, sizeof v);
		printf("  %s, gate: %.3f %s established: %s %s against %s\n",
		       b->a[k].name, pair[k]->value, v, pair[k]->metric,
		       output_safe(lo, sizeof lo,
				   lr->input[pair[k]->b].label),
		       output_safe(hi, sizeof hi,
				   lr->input[pair[k]->a].label));
	}
}

static void print_text(struct store *s, const struct stored_run *r,
		       const struct loaded_run *lr,
		       const struct stored_param *params, size_t nparams,
		       const struct policy *pol, const struct run_disparity *rd,
		       const struct run_verdict verdicts[VERDICT_KINDS])
{
	char buf[1024], a[32];
	printf("run %s\n", output_safe(buf, sizeof buf, r->key));
	text_field("model", r->model);
	text_field("version", r->version);
	text_field("parent", r->parent);
	text_field("commit", r->git_commit);
	text_field("data_version", r->data_version);
	text_field("started_at", r->started_at);
	text_field("finished_at", r->finished_at);
	text_field("status", r->status);
	if (rate_defined(r->beta_factor))
		printf("  %-15s %s\n", "beta_factor",
		       number_format_shortest(a, sizeof a, r->beta_factor));
	else
		printf("  %-15s missing (F-beta is n/a)\n", "beta_factor");
	text_field("positive_label", r->positive_label);
	text_field("sensitive", r->sensitive);
	text_field("source", r->source);
	if (r->final_step >= 0) {
		printf("  %-15s %s, final step %lld", "evaluation",
		       r->evaluation, (long long)r->final_step);
		if (runload_rows(lr) >= 0)
			printf(", %lld rows", runload_rows(lr));
		if (r->rows_evaluated > runload_rows(lr))
			printf(" (%lld read over all steps)",
			       (long long)r->rows_evaluated);
		printf("\n");
	} else {
		printf("  %-15s none (no predictions.csv or counts.csv)\n",
		       "evaluation");
	}

	static const char *const kind_words[VERDICT_KINDS] = {
		"fair", "vs production", "at arrival"};
	printf("\nverdicts (policy %s, digest %s)\n",
	       output_safe(buf, sizeof buf, pol->source), verdicts[0].policy);
	for (int k = 0; k < VERDICT_KINDS; k++) {
		char *line = verdict_line_new(&verdicts[k]);
		printf("  %-15s %s\n", kind_words[k],
		       line ? line : "(out of memory)");
		free(line);
	}
	disparity_out_legend(stdout, 2, rd->confidence, rd->min_group_size);

	struct weights_view w;
	weights_view(s, r, &w);
	if (w.known || w.nlogged) {
		printf("\nclass weights (balanced: n / (k * n_c))\n");
		for (size_t i = 0; i < w.nlogged; i++)
			printf("  logged %-10s %s\n",
			       output_safe(buf, sizeof buf, w.logged[i].label),
			       number_format_shortest(a, sizeof a,
						      w.logged[i].weight));
		for (int k = 0; w.known && k < 2; k++)
			printf("  exact  %-10s %s\n",
			       output_safe(buf, sizeof buf, w.label[k]),
			       rate_defined(w.exact[k])
				       ? number_format_shortest(a, sizeof a,
								w.exact[k])
				       : "n/a (no examples of this label)");
		if (rate_defined(w.worst_relative_error))
			printf("  %s (largest relative difference %.3g)\n",
			       w.worst_relative_error > 1e-9
				       ? "DIFFER: the logged weights are not "
					 "the exact balanced weights"
				       : "match",
			       w.worst_relative_error);
		else if (w.nlogged == 0)
			printf("  (no class_weights logged)\n");
	}

	if (nparams > 0) {
		printf("\nparameters\n");
		for (size_t i = 0; i < nparams; i++) {
			char v[1024];
			printf("  %-15s %s\n",
			       output_safe(buf, sizeof buf, params[i].key),
			       output_safe(v, sizeof v, params[i].value));
		}
	}

	for (size_t k = 0; k < lr->summary.nfeatures; k++) {
		const struct summary_feature *sf = &lr->summary.features[k];
		const struct stored_group *g = &lr->groups[sf->first];
		if (sf->kind == SUMMARY_OVERALL) {
			printf("\noverall\n");
			text_rates_table(lr, rd, sf->first, sf->count, 1);
			continue;
		}
		printf("\n%s %s\n", kind_title(g->kind),
		       output_safe(buf, sizeof buf, sf->name));
		text_rates_table(lr, rd, sf->first, sf->count, 0);
		text_aggregates(lr, rd, sf);
		text_left_out("selection rate", &sf->fair.selection);
		text_left_out("TPR", &sf->fair.tpr);
		text_left_out("FPR", &sf->fair.fpr);
	}
	struct stepdrift drift;
	struct fail f;
	fail_init(&f);
	if (stepdrift_load(s, r, pol, &drift, &f) == 0)
		stepdrift_print_text(&drift, stdout);
	stepdrift_release(&drift);
}

/* --- JSON --------------------------------------------------------- */

/* The rates as members of the object open in w. */
static void write_rates(struct json_writer *w, const struct rates *r)
{
	json_key(w, "n");
	json_num(w, r->n);
	json_key(w, "base_rate");
	json_num(w, r->base_rate);
	json_key(w, "selection_rate");
	json_num(w, r->selection_rate);
	json_key(w, "tpr");
	json_num(w, r->tpr);
	json_key(w, "fpr");
	json_num(w, r->fpr);
	json_key(w, "precision");
	json_num(w, r->precision);
	json_key(w, "accuracy");
	json_num(w, r->accuracy);
	json_key(w, "f_beta");
	json_num(w, r->f_beta);
}

static void write_counts(struct json_writer *w, const struct confusion *c)
{
	json_key(w, "rows");
	json_count(w, c->rows);
	json_key(w, "tp");
	json_num(w, c->tp);
	json_key(w, "fp");
	json_num(w, c->fp);
	json_key(w, "tn");
	json_num(w, c->tn);
	json_key(w, "fn");
	json_num(w, c->fn);
}

/* The 95 % Wilson interval of each rate, and whether the group is
 * smaller than the policy's min_group_size (low-n: left out of the
 * gate's aggregates). */
static void write_wilson(struct json_writer *w, const struct rates *r,
			 const struct confusion *c, int low_n)
{
	struct interval ci[GROUP_RATES];
	interval_group_rates(c, r, WILSON_Z95, ci);
	static const char *const names[GROUP_RATES] = {
		"selection_rate", "tpr", "fpr", "precision"};
	json_key(w, "wilson95");
	json_object_begin(w);
	for (int k = 0; k < GROUP_RATES; k++) {
		json_key(w, names[k]);
		json_array_begin(w);
		json_num(w, ci[k].low);
		json_num(w, ci[k].high);
		json_array_end(w);
	}
	json_object_end(w);
	json_key(w, "low_n");
	json_bool(w, low_n);
}

static void write_spread(struct json_writer *w, const char *key,
			 const struct spread *s)
{
	json_key(w, key);
	json_object_begin(w);
	json_key(w, "min");
	json_num(w, s->min);
	json_key(w, "max");
	json_num(w, s->max);
	json_key(w, "groups_used");
	json_integer(w, (long long)s->used);
	json_key(w, "groups_left_out");
	json_integer(w, (long long)s->left_out);
	json_object_end(w);
}

static void write_pair(struct json_writer *w, const struct loaded_run *lr,
		       const char *key, const struct established_pair *p)
{
	json_key(w, key);
	if (!p->has) {
		json_null(w);
		return;
	}
	json_object_begin(w);
	json_key(w, "value");
	json_num(w, p->value);
	json_key(w, "low");
	json_num(w, p->ci.low);
	json_key(w, "high");
	json_num(w, p->ci.high);
	json_key(w, "metric");
	json_str(w, p->metric);
	json_key(w, "groups");
	json_array_begin(w);
	json_str(w, lr->input[p->b].label);
	json_str(w, lr->input[p->a].label);
	json_array_end(w);
	json_object_end(w);
}

/* When an aggregate's own pair is not established, the established pair
 * the gate would judge by (lower rate first), else null. */
static void write_pairs(struct json_writer *w, const struct loaded_run *lr,
			const struct feature_pairs *pp)
{
	json_key(w, "established_pairs");
	json_object_begin(w);
	write_pair(w, lr, "demographic_parity_difference", &pp->dp_difference);
	write_pair(w, lr, "demographic_parity_ratio", &pp->dp_ratio);
	write_pair(w, lr, "equalized_odds_difference", &pp->eo_difference);
	json_object_end(w);
}

/* A count that is -1 when unknown: null. */
static void write_count(struct json_writer *w, const char *key, long long v)
{
	json_key(w, key);
	json_count(w, v);
}

static void print_json(struct store *s, const struct stored_run *r,
		       const struct loaded_run *lr,
		       const struct stored_param *params, size_t nparams,
		       const struct policy *pol, const struct run_disparity *rd,
		       const struct run_verdict v[VERDICT_KINDS])
{
	struct json_writer jw, *w = &jw;
	json_writer_init(w, stdout);
	json_object_begin(w);
	json_key(w, "run");
	json_str(w, r->key);
	json_space(w, "\n ");
	json_key(w, "verdicts");
	verdicts_json(w, v);
	const char *fields[][2] = {
		{"model", r->model},
		{"version", r->version},
		{"parent", r->parent},
		{"commit", r->git_commit},
		{"data_version", r->data_version},
		{"started_at", r->started_at},
		{"finished_at", r->finished_at},
		{"status", r->status},
		{"positive_label", r->positive_label},
		{"negative_label", r->negative_label},
		{"sensitive", r->sensitive},
		{"source", r->source},
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		json_key(w, fields[i][0]);
		json_str(w, fields[i][1]);
	}
	json_key(w, "beta_factor");
	json_num(w, r->beta_factor);

	json_space(w, "\n ");
	json_key(w, "evaluation");
	json_object_begin(w);
	json_key(w, "source");
	json_str(w, r->evaluation);
	write_count(w, "step", r->final_step);
	write_count(w, "rows", runload_rows(lr));
	write_count(w, "rows_all_steps", r->rows_evaluated);
	json_object_end(w);

	struct weights_view wv;
	weights_view(s, r, &wv);
	json_space(w, "\n ");
	json_key(w, "class_weights");
	json_object_begin(w);
	json_key(w, "logged");
	if (wv.nlogged == 0) {
		json_null(w);
	} else {
		json_object_begin(w);
		for (size_t i = 0; i < wv.nlogged; i++) {
			json_key(w, wv.logged[i].label);
			json_num(w, wv.logged[i].weight);
		}
		json_object_end(w);
	}
	json_key(w, "exact");
	if (!wv.known) {
		json_null(w);
	} else {
		json_object_begin(w);
		for (int k = 0; k < 2; k++) {
			json_key(w, wv.label[k]);
			json_num(w, wv.exact[k]);
		}
		json_object_end(w);
	}
	json_key(w, "max_relative_error");
	json_num(w, wv.worst_relative_error);
	json_object_end(w);

	json_space(w, "\n ");
	json_key(w, "parameters");
	json_object_begin(w);
	for (size_t i = 0; i < nparams; i++) {
		json_key(w, params[i].key);
		json_str(w, params[i].value);
	}
	json_object_end(w);

	const struct run_summary *sum = &lr->summary;
	json_space(w, "\n ");
	json_key(w, "overall");
	if (sum->has_overall) {
		json_object_begin(w);
		write_rates(w, &sum->overall);
		json_object_end(w);
	} else {
		json_null(w);
	}
	char worst[INTERSECTION_NAME_MAX + 1] = "";
	if (rate_defined(sum->worst_tpr))
		runload_group_name(lr, sum->worst_tpr_group, worst,
				   sizeof worst);
	json_space(w, "\n ");
	json_key(w, "intervals");
	json_object_begin(w);
	json_key(w, "confidence");
	json_num(w, rd->confidence);
	json_key(w, "min_group_size");
	json_num(w, rd->min_group_size);
	json_object_end(w);
	json_space(w, "\n ");
	json_key(w, "summary");
	json_object_begin(w);
	json_key(w, "dp_difference");
	json_num(w, sum->dp_difference);
	json_key(w, "eo_difference");
	json_num(w, sum->eo_difference);
	json_key(w, "worst_tpr");
	json_num(w, sum->worst_tpr);
	json_key(w, "worst_tpr_group");
	json_str(w, worst[0] ? worst : NULL);
	json_object_end(w);

	json_space(w, "\n ");
	json_key(w, "features");
	json_array_begin(w);
	for (size_t k = 0; k < sum->nfeatures; k++) {
		const struct summary_feature *sf = &sum->features[k];
		if (sf->kind == SUMMARY_OVERALL)
			continue;
		json_space(w, "\n  ");
		json_object_begin(w);
		json_key(w, "name");
		json_str(w, sf->name);
		json_key(w, "kind");
		json_str(w, lr->groups[sf->first].kind);
		json_key(w, "demographic_parity_difference");
		json_num(w, sf->fair.dp_difference);
		json_key(w, "demographic_parity_ratio");
		json_num(w, sf->fair.dp_ratio);
		json_key(w, "equalized_odds_difference");
		json_num(w, sf->fair.eo_difference);
		json_key(w, "equalized_odds_ratio");
		json_num(w, sf->fair.eo_ratio);
		json_key(w, "equal_opportunity_difference");
		json_num(w, sf->fair.eop_difference);
		/* beside the values over every group above: the gate's,
		 * and the intervals with both */
		disparity_out_write_both_json(w, rundisparity_both(rd, sum, sf));
		write_pairs(w, lr, rundisparity_pairs(rd, sum, sf));
		write_spread(w, "selection_rate_spread", &sf->fair.selection);
		write_spread(w, "tpr_spread", &sf->fair.tpr);
		write_spread(w, "fpr_spread", &sf->fair.fpr);
		json_space(w, "\n   ");
		json_key(w, "groups");
		json_array_begin(w);
		for (size_t i = sf->first; i < sf->first + sf->count; i++) {
			json_space(w, "\n    ");
			json_object_begin(w);
			json_key(w, "group");
			json_str(w, lr->groups[i].label);
			write_rates(w, &sum->rates[i]);
			write_counts(w, &lr->groups[i].counts);
			write_wilson(w, &sum->rates[i], &lr->groups[i].counts,
				     rundisparity_low_n(rd, &lr->input[i]));
			json_object_end(w);
		}
		json_array_end(w);
		json_object_end(w);
	}
	json_array_end(w);
	struct stepdrift d;
	struct fail f;
	fail_init(&f);
	json_space(w, "\n ");
	json_key(w, "across_steps");
	if (stepdrift_load(s, r, pol, &d, &f) == 0)
		stepdrift_json(w, &d);
	else
		json_null(w);
	stepdrift_release(&d);
	json_object_end(w);
	putchar('\n');
}

static int check(struct cmd_args *a)
{
	if (a->argc != 1)
		return cli_usage_error("show", "expected one RUN id, found %d "
				       "arguments", a->argc);
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	enum output_format format = output_format_of(a->format);
	const char *key = a->argv[0];

	struct store *s = a->store;
	struct stored_run r;
	struct loaded_run lr;
	struct stored_param *params = NULL;
	size_t nparams = 0;
	struct fail f;
	int rc = EXIT_OK;
	int found = 0;
	const struct policy *pol = a->policy;
	struct verdict_ctx vc;
	struct judged_run jr;
	struct run_disparity rd;
	struct run_verdict v[VERDICT_KINDS];
	fail_init(&f);
	memset(v, 0, sizeof v);
	memset(&rd, 0, sizeof rd);
	memset(&r, 0, sizeof r);
	memset(&lr, 0, sizeof lr);
	memset(&vc, 0, sizeof vc);
	memset(&jr, 0, sizeof jr);
	int got = store_find_run(s, key, &r, &f);
	if (got < 0) {
		rc = cli_report(&f);
		goto out;
	}
	if (got == 1) {
		char shown[256];
		fprintf(stderr, "fairtop: no run '%s' in the store %s "
			"(fairtop runs lists them)\n",
			output_safe(shown, sizeof shown, key), s->path);
		rc = EXIT_USAGE;
		goto out;
	}
	found = 1;
	if (runload(s, &r, &lr, &f) != 0 ||
	    store_run_params(s, r.id, &params, &nparams, &f) != 0 ||
	    verdict_ctx_init(&vc, s, pol, &f) != 0 ||
	    judgeload(s, key, &jr, &f) != 0 ||
	    verdict_ctx_all(&vc, &jr, v, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	if (rundisparity_init(&rd, &lr, pol) != 0) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		rc = cli_report(&f);
		goto out;
	}
	if (format == FORMAT_JSON)
		print_json(s, &r, &lr, params, nparams, pol, &rd, v);
	else
		print_text(s, &r, &lr, params, nparams, pol, &rd, v);
out:
	run_verdicts_release(v);
	rundisparity_release(&rd);
	stored_params_free(params, nparams);
	runload_release(&lr);
	judgeload_release(&jr);
	verdict_ctx_release(&vc);
	if (found)
		stored_run_release(&r);
	return rc;
}

static const char *const formats[] = {"text", "json", NULL};

const struct command_spec cmd_show_spec = {
	.name = "show",
	.summary = "one run: parameters, overall metrics, per-group tables",
	.args = "RUN",
	.store = COMMAND_STORE_READ,
	.policy = 1,
	.formats = formats,
	.help = "Show one run: its identity and parameters, overall "
		"metrics, the class\nweights it logged next to the exact "
		"balanced weights of its labels, and for\nevery sensitive "
		"feature and intersection a per-group table (n, selection\n"
		"rate, TPR, FPR, precision, accuracy) with demographic "
		"parity and equalized\nodds both ways: as the gate judges "
		"them, over the groups of at least\nmin_group_size rows, "
		"with the simultaneous interval and whether it is\n"
		"established (its interval excludes 0, or 1 for a ratio), "
		"and over every\ngroup, low-n included; low-n groups are "
		"marked *.  Numbers are from the\nfinal step of the "
		"evaluation.",
	.check = check,
	.run = run,
};
