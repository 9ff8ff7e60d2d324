/*
 * judgeload.c — load a run for judging.  See judgeload.h.
 */
#include "service/judgeload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

void judgeload_release(struct judged_run *jr)
{
	runload_release(&jr->lr);
	store_hists_free(jr->hist, jr->nhist);
	stored_metrics_free(jr->metrics, jr->nmetrics);
	free(jr->jm);
	stored_run_release(&jr->run);
	memset(jr, 0, sizeof *jr);
}

static int load_found(struct store *s, struct judged_run *out,
		      struct fail *f);

int judgeload(struct store *s, const char *key, struct judged_run *out,
	      struct fail *f)
{
	int got = judgeload_present(s, key, out, f);
	if (got == 1) {
		char shown[256];
		return fail_set(f, FAIL_USAGE, "no run '%s' in the store %s "
				"(fairtop runs lists them)",
				text_sanitize(shown, sizeof shown, key,
					      strlen(key)),
				s->path);
	}
	return got;
}

int judgeload_present(struct store *s, const char *key,
		      struct judged_run *out, struct fail *f)
{
	memset(out, 0, sizeof *out);
	int got = store_find_run(s, key, &out->run, f);
	if (got != 0)
		return got < 0 ? -1 : 1;
	return load_found(s, out, f);
}

/* Everything else of the run found in out->run. */
static int load_found(struct store *s, struct judged_run *out,
		      struct fail *f)
{
	if (runload(s, &out->run, &out->lr, f) != 0)
		return -1;
	if (out->run.final_step >= 0 &&
	    store_run_hists(s, out->run.id, out->run.final_step, &out->hist,
			    &out->nhist, f) != 0)
		return -1;
	if (store_run_last_metrics(s, out->run.id, &out->metrics,
				   &out->nmetrics, f) != 0)
		return -1;
	out->jm = calloc(out->nmetrics ? out->nmetrics : 1, sizeof *out->jm);
	if (out->jm == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	for (size_t i = 0; i < out->nmetrics; i++) {
		out->jm[i].name = out->metrics[i].name;
		out->jm[i].value = out->metrics[i].value;
	}
	struct judge_run *v = &out->view;
	v->key = out->run.key;
	v->groups = out->lr.input;
	v->summary = &out->lr.summary;
	v->hist = out->nhist == out->lr.ngroups
			  ? (const double *const *)out->hist : NULL;
	v->beta_factor = out->run.beta_factor;
	v->label[0] = out->run.positive_label;
	v->label[1] = out->run.negative_label;
	v->metrics = out->jm;
	v->nmetrics = out->nmetrics;
	/* label counts from the overall group already loaded */
	v->label_count[0] = v->label_count[1] = RATE_UNDEFINED;
	for (size_t i = 0; i < out->lr.ngroups; i++) {
		const struct confusion *c = &out->lr.input[i].counts;
		if (out->lr.input[i].kind != SUMMARY_OVERALL)
			continue;
		if (c->rows >= 0) {
			v->label_count[0] = (double)c->rows_positive;
			v->label_count[1] = (double)(c->rows - c->rows_positive);
		} else {
			v->label_count[0] = c->tp + c->fn;
			v->label_count[1] = c->fp + c->tn;
		}
		break;
	}
	if (out->run.class_weights != NULL) {
		struct fail ignore;
		fail_init(&ignore);
		/* checked at ingest; an unreadable value logs no weights */
		if (classweights_parse(out->run.class_weights, "run",
				       out->logged, &v->nlogged, &ignore) != 0)
			v->nlogged = 0;
		v->logged = out->logged;
	}
	return 0;
}
