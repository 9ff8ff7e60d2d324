/*
 * summary_store.h — a run's headline and arrival verdict, kept.
 *
 * Written when a run is ingested: its headline numbers (accuracy,
 * F-beta, worst parity and odds differences, worst group's TPR,
 * throughput) and its verdict at arrival (the baseline and the gate's
 * outcome, for the record; the verdicts every screen reads are those of
 * storage/verdict_store.h, kept with their policy).  The dashboard reads
 * the numbers instead of every run's rows; a run without a row (a store
 * from before) is read from its rows.
 */
#ifndef FAIRTOP_SUMMARY_STORE_H
#define FAIRTOP_SUMMARY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/confusion.h"
#include "core/groups.h"
#include "core/runinfo.h"
#include "storage/store.h"

struct run_headline {
	double accuracy, f_beta, dp, eo, worst_tpr, throughput;
	char worst_group[GROUP_NAME_MAX + 1]; /* a single feature's group */
	char baseline[RUN_ID_MAX + 1];        /* "" when judged on its own */
	int gate_passed;
	size_t gate_fails;
	char gate_first[1024];
	/* what its evaluation is, for telling whether two can be compared
	 * (service/incident.h): its rows at the final step (-1 unknown)
	 * and the digest of its groups of sensitive features
	 * (core/groupset.h); has_groups_digest 0 when not kept */
	long long final_rows;
	int has_groups_digest;
	uint64_t groups_digest;
};

int store_save_headline(struct store *s, int64_t run_id,
			const struct run_headline *h, struct fail *f);

/* What run_id's kept headline says of its evaluation: 1 with *final_rows
 * (-1 unknown) and *digest set, 0 when none is kept, -1 with *f
 * filled. */
int store_kept_evaluation(struct store *s, int64_t run_id,
			  long long *final_rows, uint64_t *digest,
			  struct fail *f);


/* Every run, oldest first (started_at, then key) or newest first, with
 * its kept headline, in one read: fn is called once per run; a non-zero
 * return stops the listing, which then returns -1 (fn fills *f). */
struct run_headline_row {
	int64_t id;
	/* borrowed for the call; NULL when not recorded */
	const char *key, *model, *version, *started_at;
	int64_t rows_evaluated;          /* -1 when unknown */
	double beta_factor;              /* RATE_UNDEFINED when absent */
	const struct run_headline *kept; /* NULL when none is kept */
	/* rows evaluated at the final step (the first overall group's),
	 * -1 when unknown: store_each_run_listed() only */
	int64_t final_rows;
};
typedef int run_headline_fn(void *ctx, const struct run_headline_row *r,
			    struct fail *f);
int store_each_run_headline(struct store *s, int newest_first,
			    run_headline_fn *fn, void *ctx, struct fail *f);

/* The same, newest first, for the runs with an id above `after` only:
 * those added since a reader saw the run of that id (ids only grow
 * while run_changes stands, store.h). */
int store_each_run_headline_after(struct store *s, int64_t after,
				  run_headline_fn *fn, void *ctx,
				  struct fail *f);

/* One page of the newest-first listing: at most `limit` runs with an id
 * up to `upto`, listed after the run (after_started, after_key) (both
 * NULL: from the newest).  A page reads its own rows through the
 * runs_by_start index, not those before it, so a long list is read a
 * page at a time at the same cost per page. */
struct run_page {
	int64_t upto;
	const char *after_started, *after_key; /* borrowed */
	size_t limit;
};
int store_each_run_headline_page(struct store *s,
				 const struct run_page *page,
				 run_headline_fn *fn, void *ctx,
				 struct fail *f);

/* The highest run id in the store, 0 when it has none. */
int store_max_run_id(struct store *s, int64_t *out, struct fail *f);

/* The same, oldest first, with each row's final_rows: what `fairtop
 * runs` lists, read without loading any run's groups. */
int store_each_run_listed(struct store *s, run_headline_fn *fn, void *ctx,
			  struct fail *f);

#endif
