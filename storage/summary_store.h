/*
 * summary_store.h — a run's headline and arrival verdict, kept.
 *
 * Written when a run's alerts are evaluated (at ingest): its headline
 * numbers (accuracy, F-beta, worst parity and odds differences, worst
 * group's TPR, throughput) and the gate's verdict against the baseline
 * it was judged against then.  The dashboard and the report read these
 * instead of judging every run again.  A run without a row (a store
 * from before) is judged on the fly.
 */
#ifndef FAIRTOP_SUMMARY_STORE_H
#define FAIRTOP_SUMMARY_STORE_H

#include "core/judge.h"
#include "storage/judgeload.h"
#include "storage/store.h"

struct run_headline {
	double accuracy, f_beta, dp, eo, worst_tpr, throughput;
	char worst_group[256];
	char baseline[256];  /* "" when judged on its own */
	int gate_passed;
	size_t gate_fails;
	char gate_first[1024];
};

/* The headline of jr and the verdict j (against baseline, NULL for
 * none). */
void headline_of(const struct judged_run *jr, const struct judgement *j,
		 const char *baseline, struct run_headline *out);

int store_save_headline(struct store *s, int64_t run_id,
			const struct run_headline *h, struct fail *f);

/* 0 found, 1 none stored, -1 error. */
int store_load_headline(struct store *s, int64_t run_id,
			struct run_headline *out, struct fail *f);

/* Every kept headline at once, for listing many runs. */
struct headlines {
	int64_t *run_id;          /* ascending */
	struct run_headline *h;
	size_t n;
};
int store_load_headlines(struct store *s, struct headlines *out,
			 struct fail *f);
/* The headline of run_id, or NULL when none is kept. */
const struct run_headline *headlines_find(const struct headlines *hs,
					  int64_t run_id);
void headlines_release(struct headlines *hs);

#endif
