/*
 * harness.c — libFuzzer harnesses for every input fairtop reads.
 *
 * One source, one binary per reader: FUZZ_TARGET selects which (set by
 * the Makefile: runinfo, metrics, predictions, counts, deployments,
 * policy).  Each feeds the fuzzer's bytes to the reader as a buffer
 * source (read as a file source is: see core/source.h) and checks the
 * contract: it returns 0, or -1 with a one-line message filled in;
 * nothing else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/counts.h"
#include "core/deployments.h"
#include "core/history.h"
#include "core/policy.h"
#include "core/predictions.h"
#include "core/runinfo.h"

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
#else
#error "define one FUZZ_name target (see the Makefile)"
#endif
	check_message(rc, &f);
	(void)ignore_point;
	(void)ignore_deployment;
	return 0;
}
