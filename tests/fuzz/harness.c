/*
 * harness.c — libFuzzer harnesses for every input fairtop reads.
 *
 * One source, one binary per reader: FUZZ_TARGET selects which (set by
 * the Makefile: runinfo, metrics, predictions, counts, wide,
 * deployments, policy, mlflow, csv).  Each feeds the fuzzer's bytes to the reader as a buffer
 * source (read as a file source is: see core/source.h) and checks the
 * contract: it returns 0, or -1 with a one-line message filled in;
 * nothing else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classweights.h"
#include "core/counts.h"
#include "core/csvread.h"
#include "core/deployments.h"
#include "core/history.h"
#include "core/mlflow.h"
#include "core/mlflow_files.h"
#include "core/policy.h"
#include "core/predictions.h"
#include "core/runinfo.h"
#include "core/strbuf.h"

static int ignore_point(void *ctx, const struct metric_point *p,
			struct fail *f)
{
	(void)ctx;
	(void)f;
	/* touch every field, as the store would */
	volatile size_t n = strlen(p->metric) + strlen(p->group) +
			    strlen(p->timestamp);
	(void)n;
	return 0;
}

static int ignore_deployment(void *ctx, const struct deployment_row *d,
			     struct fail *f)
{
	(void)ctx;
	(void)f;
	volatile size_t n = strlen(d->time) + strlen(d->run) +
			    strlen(d->kind) + strlen(d->actor) +
			    strlen(d->reason);
	(void)n;
	return 0;
}

/* The csv harness: what each reading of csvread saw, row by row. */
struct csv_log {
	struct strbuf text; /* the rows ended */
	struct strbuf row;  /* field by field: the row's fields so far */
	size_t nfields;
};

static void log_field(struct strbuf *to, const char *s, size_t len,
		      long line)
{
	if (s[len] != '\0')
		abort(); /* a field is NUL-terminated at its length */
	strbuf_addf(to, "%ld:%zu:", line, len);
	strbuf_add(to, s, len);
}

static int log_row(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct csv_log *l = ctx;
	(void)f;
	for (size_t i = 0; i < row->nfields; i++)
		log_field(&l->text, row->field[i], row->len[i], row->line);
	strbuf_addf(&l->text, "|%zu@%ld\n", row->nfields, row->line);
	return 0;
}

static int log_one_field(void *ctx, size_t col, const char *s, size_t len,
			 long line)
{
	struct csv_log *l = ctx;
	if (col != l->nfields++)
		abort();
	log_field(&l->row, s, len, line);
	return 0;
}

static int log_row_end(void *ctx, size_t nfields, long line, struct fail *f)
{
	struct csv_log *l = ctx;
	(void)f;
	if (nfields != l->nfields)
		abort();
	l->nfields = 0;
	strbuf_add(&l->text, l->row.buf, l->row.len);
	strbuf_reset(&l->row);
	strbuf_addf(&l->text, "|%zu@%ld\n", nfields, line);
	return 0;
}

/* Read the input a row at a time (libcsv parses it all) and a field at
 * a time (csvread parses the lines without quotes itself): the two
 * must see the same rows, lines and errors.  (The fields of a row that
 * never ends, at an error, are handed over only field by field.) */
static int csv_both_ways(const char *in, size_t size, struct fail *f)
{
	static const struct csv_field_handlers h = {log_row, log_one_field,
						    log_row_end};
	struct source src = source_buffer(in, size, "t.csv");
	struct csv_log by_rows = {STRBUF_INIT, STRBUF_INIT, 0};
	struct csv_log by_fields = {STRBUF_INIT, STRBUF_INIT, 0};
	struct fail ff;
	long n_rows = -1, n_fields = -2;
	fail_init(&ff);
	int rc = csvread_rows(&src, log_row, &by_rows, &n_rows, f);
	int rc_fields = csvread_fields(&src, &h, NULL, &by_fields, &n_fields,
				       &ff);
	int failed = strbuf_failed(&by_rows.text) ||
		     strbuf_failed(&by_fields.text);
	if (!failed && (rc != rc_fields || n_rows != n_fields ||
	    strcmp(f->msg, ff.msg) != 0 ||
	    by_rows.text.len != by_fields.text.len ||
	    memcmp(by_rows.text.buf, by_fields.text.buf, by_rows.text.len) !=
		    0)) {
		size_t at = 0;
		while (at < by_rows.text.len && at < by_fields.text.len &&
		       by_rows.text.buf[at] == by_fields.text.buf[at])
			at++;
		fprintf(stderr, "by rows: %d '%s', %ld rows; by fields: %d "
			"'%s', %ld rows; the logs part at byte %zu:\n%.80s\n"
			"%.80s\n", rc, f->msg, n_rows, rc_fields, ff.msg,
			n_fields, at, by_rows.text.buf + at,
			by_fields.text.buf + at);
		abort();
	}
	strbuf_release(&by_rows.text);
	strbuf_release(&by_fields.text);
	strbuf_release(&by_fields.row);
	return rc;
}

static void check_message(int rc, const struct fail *f)
{
	if (rc == 0)
		return;
	if (f->kind == FAIL_NONE || f->msg[0] == '\0' ||
	    strchr(f->msg, '\n') != NULL)
		abort(); /* an error must say what, on one line */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct fail f;
	int rc;
	fail_init(&f);
#if defined(FUZZ_runinfo)
	struct source src = source_buffer(in, size, "run.csv");
	struct run_info ri;
	runinfo_init(&ri);
	rc = runinfo_read(&src, &ri, &f);
	runinfo_release(&ri);
#elif defined(FUZZ_metrics)
	struct source src = source_buffer(in, size, "metrics.csv");
	rc = history_read(&src, ignore_point, NULL, NULL, &f);
#elif defined(FUZZ_predictions)
	static const char *const sensitive[] = {"group", "age"};
	struct source src = source_buffer(in, size, "predictions.csv");
	struct predictions_options opt = {"1", NULL, 0, 0};
	struct predictions_summary sum;
	struct evaluation *ev = NULL;
	/* half the inputs with a sensitive list, half without */
	if (size > 0 && data[0] & 1) {
		opt.sensitive = sensitive;
		opt.nsensitive = 2;
	}
	rc = predictions_read(&src, &opt, &ev, &sum, &f);
	/* read in two halves, it must end the same way */
	struct predictions_options halves = opt;
	struct predictions_summary hsum;
	struct evaluation *hev = NULL;
	struct fail hf;
	fail_init(&hf);
	halves.split_min_bytes = 1;
	int hrc = predictions_read(&src, &halves, &hev, &hsum, &hf);
	if (hrc != rc || strcmp(hf.msg, f.msg) != 0 ||
	    (rc == 0 && (hsum.rows != sum.rows ||
			 strcmp(hsum.negative_label, sum.negative_label) != 0 ||
			 evaluation_group_count(hev) !=
				 evaluation_group_count(ev)))) {
		fprintf(stderr, "read whole: %d '%s'; in halves: %d '%s'\n",
			rc, f.msg, hrc, hf.msg);
		abort();
	}
	evaluation_free(hev);
	evaluation_free(ev);
#elif defined(FUZZ_counts)
	struct source src = source_buffer(in, size, "counts.csv");
	struct evaluation *ev = NULL;
	rc = counts_read(&src, &ev, &f);
	evaluation_free(ev);
#elif defined(FUZZ_wide)
	/* counts.csv in two parts and a scores.csv, cut where the input
	 * holds a form feed (the parts of a Spark export, its scores) */
	struct source src[3];
	const char *names[3] = {"part-0.csv", "part-1.csv", "scores.csv"};
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= size && n < 3; i++)
		if (i == size || (data[i] == '\f' && n < 2)) {
			src[n] = source_buffer(in + start, i - start, names[n]);
			n++;
			start = i + 1;
		}
	size_t nparts = n > 2 ? 2 : n, nscores = n > 2 ? 1 : 0;
	struct evaluation *ev = NULL;
	struct counts_summary sum;
	rc = counts_read_parts(src, nparts, src + nparts, nscores, &ev, &sum,
			       &f);
	if (rc == 0 && sum.wide && sum.rows < 0)
		abort(); /* the wide form has real row counts */
	evaluation_free(ev);
#elif defined(FUZZ_mlflow)
	/* the texts an MLflow store hands over: a class_weight param, a
	 * meta.yaml, a metric key, a SOURCE and an artifact_uri */
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, in, size);
	text[size] = '\0';
	struct strbuf out = STRBUF_INIT;
	char why[512], path[4096];
	int got = mlflow_class_weight(text, &out, why, sizeof why);
	if (got < 0 && (why[0] == '\0' || strchr(why, '\n') != NULL))
		abort(); /* a refusal says why, on one line */
	if (got == 1 && !strbuf_failed(&out)) {
		/* what it makes of a dict, run.csv's reader must take or
		 * refuse in words */
		struct class_weight cw[CLASSWEIGHTS_MAX];
		size_t ncw = 0;
		struct fail cf;
		fail_init(&cf);
		if (classweights_parse(out.buf, "run.csv:1", cw, &ncw, &cf) != 0)
			check_message(-1, &cf);
	}
	strbuf_release(&out);
	int oom = 0;
	free(mlflow_yaml_get(text, "run_uuid", &oom));
	const char *group;
	size_t len = mlflow_metric_split(text, &group);
	if (len > strlen(text) ||
	    (group[0] != '\0' && (group < text + len ||
				  group > text + strlen(text))))
		abort(); /* the name and the group are parts of the key */
	mlflow_source_parse(text, path, sizeof path);
	mlflow_artifact_path(text, path, sizeof path);
	free(text);
	rc = 0;
#elif defined(FUZZ_deployments)
	struct source src = source_buffer(in, size, "deployments.csv");
	rc = deployments_read(&src, ignore_deployment, NULL, NULL, &f);
#elif defined(FUZZ_policy)
	/* the text ends at the first NUL, as when the reader took a C
	 * string */
	struct source src = source_buffer(in, strnlen(in, size),
					  "fairtop.ini");
	struct policy p;
	policy_defaults(&p);
	rc = policy_read(&p, &src, "", &f);
#elif defined(FUZZ_csv)
	rc = csv_both_ways(in, size, &f);
#else
#error "define one FUZZ_name target (see the Makefile)"
#endif
	check_message(rc, &f);
	(void)ignore_point;
	(void)ignore_deployment;
	(void)csv_both_ways;
	return 0;
}
