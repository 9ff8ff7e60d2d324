/*
 * judgeload.h — a run loaded from the store with everything the judge
 * reads (counts, histograms, last metrics, logged class weights), and
 * the resolution of run names given on the command line.
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

/* Whether the run passes the policy on its own (the rules that need no
 * baseline: parity, odds, audits).  *passes gets 1 or 0; why gets the
 * first violated rule's message ("" when it passes).  -1 when out of
 * memory. */
int judgeload_fair(const struct judged_run *jr, const struct policy *p,
		   int *passes, char *why, size_t why_size);

/* The baseline a run is judged against when it arrives: the run that
 * was in production when it started (when that run is in the store and
 * is not the run itself), else the run started before it.  0 found
 * (key in buf), 1 none, -1 error. */
int judgeload_baseline_for(struct store *s, const char *run_key, char *buf,
			   size_t size, struct fail *f);

/* Resolve "deployed" as a baseline for candidate: the run of the last
 * completed deployment, else the newest run started before candidate.
 * Writes the run key into buf. */
int judgeload_resolve_deployed(struct store *s, const char *candidate,
			       char *buf, size_t size, struct fail *f);

#endif
