/*
 * judgeload.h — a run loaded from the store with everything the judge
 * reads (counts, histograms, last metrics, logged class weights).  Which
 * run a run is judged against is service/verdict.h's one choice.
 */
#ifndef FAIRTOP_JUDGELOAD_H
#define FAIRTOP_JUDGELOAD_H

#include "service/runload.h"
#include "core/judge.h"
#include "storage/evalread.h"

struct judged_run {
	struct stored_run run;
	struct loaded_run lr;
	double **hist;
	size_t nhist;
	struct stored_metric *metrics;
	size_t nmetrics;
	struct judge_metric *jm;
	struct class_weight logged[CLASSWEIGHTS_MAX];
	struct judge_run view; /* what judge_runs() takes; borrows the rest */
};

/* Load the run called key.  Returns 0, or -1 with *f filled (FAIL_USAGE
 * when there is no such run).  Release with judgeload_release(), also
 * after an error. */
int judgeload(struct store *s, const char *key, struct judged_run *out,
	      struct fail *f);
void judgeload_release(struct judged_run *jr);

/* Load the run called key when it is in the store: 0 loaded, 1 not in
 * the store (*f untouched), -1 the store failed (*f filled).  Release
 * with judgeload_release() in every case.  Paths that decide use this,
 * so that a store error is never taken for an absent run. */
int judgeload_present(struct store *s, const char *key,
		      struct judged_run *out, struct fail *f);

#endif
