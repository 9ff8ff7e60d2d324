/*
 * runread.h — reading runs back out of the store.
 *
 * Everything returned is owned by the caller and freed with the
 * matching _release / _free function.  Nothing here computes a metric:
 * the counts go to core/ (summary.h) for that.
 */
#ifndef FAIRTOP_RUNREAD_H
#define FAIRTOP_RUNREAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/confusion.h"
#include "core/fail.h"
#include "storage/store.h"

struct stored_run {
	int64_t id;
	/* NULL when not recorded */
	char *key, *model, *version, *parent, *git_commit, *data_version;
	char *started_at, *finished_at, *status, *class_weights;
	char *positive_label, *negative_label, *sensitive, *source;
	char *evaluation, *ingested_at;
	double beta_factor;   /* RATE_UNDEFINED when absent */
	int64_t final_step;   /* -1 when no evaluation */
	int64_t rows_evaluated; /* -1 when unknown */
	int has_scores;
};

struct stored_group {
	char *feature; /* "" overall, "group", "group & age" */
	char *kind;    /* overall, feature, intersection */
	char *label;   /* "" overall, "A", "group=A & age=18-25" */
	struct confusion counts;
};

struct stored_param {
	char *key, *value;
};

void stored_run_release(struct stored_run *r);
void stored_runs_free(struct stored_run *runs, size_t n);
void stored_groups_free(struct stored_group *g, size_t n);
void stored_params_free(struct stored_param *p, size_t n);

/* All runs, oldest first (started_at, then run id). */
int store_list_runs(struct store *s, struct stored_run **runs, size_t *n,
		    struct fail *f);

/* The run called key: 0 found, 1 not found (nothing filled), -1 error. */
int store_find_run(struct store *s, const char *key, struct stored_run *out,
		   struct fail *f);

/* The groups of a run at one step, in stored order (overall, features,
 * intersections). */
int store_run_groups(struct store *s, int64_t run_id, int64_t step,
		     struct stored_group **groups, size_t *n, struct fail *f);

/* The run's other parameters, in file order. */
int store_run_params(struct store *s, int64_t run_id,
		     struct stored_param **params, size_t *n, struct fail *f);

/* Label counts at the final step, for class weights: counts[0] positive,
 * counts[1] negative (rows when known, else weighted). */
int store_run_label_counts(struct store *s, const struct stored_run *r,
			   double counts[2], struct fail *f);

#endif
