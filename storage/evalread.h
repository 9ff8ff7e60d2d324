/*
 * evalread.h — the parts of a run's evaluation the judge needs beyond
 * its counts: score histograms and the last value of each metric.
 */
#ifndef FAIRTOP_EVALREAD_H
#define FAIRTOP_EVALREAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "storage/store.h"

/* Score histograms of a run's groups at a step, in the same order as
 * store_run_groups() returns them: hist[i] is SCORE_BINS weights, or
 * NULL for a group without scores.  Caller frees with
 * store_hists_free(hist, n). */
int store_run_hists(struct store *s, int64_t run_id, int64_t step,
		    double ***hist, size_t *n, struct fail *f);
void store_hists_free(double **hist, size_t n);

struct stored_metric {
	char *name;
	double value; /* at the run's last step for that metric */
	int64_t step;
};

/* The overall metrics of a run's history (group ''), each at its last
 * step, by name.  Caller frees with stored_metrics_free(). */
int store_run_last_metrics(struct store *s, int64_t run_id,
			   struct stored_metric **m, size_t *n,
			   struct fail *f);
void stored_metrics_free(struct stored_metric *m, size_t n);


/* The evaluation steps of a run, ascending.  Caller frees *steps. */
int store_run_steps(struct store *s, int64_t run_id, int64_t **steps,
		    size_t *n, struct fail *f);

struct metric_span {
	char *metric, *group;     /* group "" = overall */
	int64_t first_step, last_step;
	double first, last;
	size_t points;
};

/* Each (metric, group) of a run's history with its first and last
 * value.  Caller frees with metric_spans_free(). */
int store_run_metric_spans(struct store *s, int64_t run_id,
			   struct metric_span **spans, size_t *n,
			   struct fail *f);
void metric_spans_free(struct metric_span *spans, size_t n);
#endif
