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

#include <stddef.h>
#include <stdint.h>

#include "core/confusion.h"
#include "storage/store.h"

struct run_headline {
	double accuracy, f_beta, dp, eo, worst_tpr, throughput;
	char worst_group[256];
	char baseline[256];  /* "" when judged on its own */
	int gate_passed;
	size_t gate_fails;
	char gate_first[1024];
};

int store_save_headline(struct store *s, int64_t run_id,
			const struct run_headline *h, struct fail *f);

/* 0 found, 1 none stored, -1 error. */
int store_load_headline(struct store *s, int64_t run_id,
			struct run_headline *out, struct fail *f);

/* Every run, oldest first (started_at, then key) or newest first, with
 * its kept headline, in one read: fn is called once per run; a non-zero
 * return stops the listing, which then returns -1 (fn fills *f). */
struct run_headline_row {
	int64_t id;
	/* borrowed for the call; NULL when not recorded */
	const char *key, *model, *version, *started_at;
	const struct run_headline *kept; /* NULL when none is kept */
};
typedef int run_headline_fn(void *ctx, const struct run_headline_row *r,
			    struct fail *f);
int store_each_run_headline(struct store *s, int newest_first,
			    run_headline_fn *fn, void *ctx, struct fail *f);

#endif
