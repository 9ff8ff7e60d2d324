/*
 * groups.h — reducing an evaluation to confusion counts per group.
 *
 * An evaluation has up to EVAL_MAX_FEATURES sensitive features.  Rows
 * (or pre-aggregated counts) are added to cells keyed by (step, mask,
 * values): `mask` says which features the cell is about, `values` gives
 * each such feature's value as an index interned by evaluation_value().
 * evaluation_finish() then derives every group fairtop reports, per
 * step: the overall population (mask 0), each feature's groups (one bit)
 * and every intersection (two bits or more), by adding cells up.
 * Confusion counts add, so this gives exactly what counting each group's
 * rows would.  Memory grows with the number of distinct groups, never
 * with the number of rows.
 */
#ifndef FAIRTOP_GROUPS_H
#define FAIRTOP_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "core/confusion.h"
#include "core/fail.h"

#define EVAL_MAX_FEATURES 6
#define FEATURE_NAME_MAX 256  /* bytes in a sensitive feature's name */
#define GROUP_VALUE_MAX 1024  /* bytes in a group's value */
/* What one evaluation may hold, so that memory, the store, the
 * judgement and the dashboard's tables stay small whatever the input:
 * distinct values (groups) of one feature, and cells, the distinct
 * (step, combination of every feature's value) that rows fall in.
 * The readers refuse the row that would go past either. */
#define EVAL_MAX_GROUPS 1000
#define EVAL_MAX_CELLS 10000
/* The readers refuse longer names, so these bound every name an
 * evaluation makes: a feature group's "feature=value" and the longest
 * intersection label ("f1=v1 & f2=v2 & ...", every feature), and a
 * mask's name ("f1 & f2 & ...").  Bytes, without the NUL. */
#define GROUP_NAME_MAX (FEATURE_NAME_MAX + 1 + GROUP_VALUE_MAX)
#define INTERSECTION_NAME_MAX \
	(EVAL_MAX_FEATURES * GROUP_NAME_MAX + (EVAL_MAX_FEATURES - 1) * 3)
#define MASK_NAME_MAX \
	(EVAL_MAX_FEATURES * FEATURE_NAME_MAX + (EVAL_MAX_FEATURES - 1) * 3)
#define SCORE_BINS 100 /* equal-width score bins on [0,1] */

struct eval_group {
	int64_t step;
	unsigned mask;                     /* features this group is about */
	uint32_t value[EVAL_MAX_FEATURES]; /* value index, 0 where not in mask */
	struct confusion counts;
	double *hist; /* SCORE_BINS weights, or NULL: no scores */
};

struct evaluation;

/* A new, empty evaluation; with_scores keeps score histograms.  Caller
 * frees with evaluation_free().  NULL when out of memory. */
struct evaluation *evaluation_new(int with_scores);
void evaluation_free(struct evaluation *ev);

/* Index of the feature called name (added when new).  -1 with *f filled
 * when there would be more than EVAL_MAX_FEATURES. */
int evaluation_feature(struct evaluation *ev, const char *name, size_t len,
		       struct fail *f);
size_t evaluation_feature_count(const struct evaluation *ev);
const char *evaluation_feature_name(const struct evaluation *ev, size_t j);

/* Index of value s[0..len) of feature j, interned on first sight.
 * Returns -1 when out of memory, EVAL_FULL when it would be feature j's
 * (EVAL_MAX_GROUPS + 1)th value (nothing interned). */
#define EVAL_FULL (-2)
int64_t evaluation_value(struct evaluation *ev, size_t j, const char *s,
			 size_t len);

/* Fill *f for an EVAL_FULL from evaluation_value(ev, j, s, len): "name:
 * line: column 'FEATURE': expected at most 1000 distinct groups, found
 * a 1001st ('s')".  Returns -1. */
int evaluation_fail_groups(const struct evaluation *ev, size_t j,
			   const char *s, size_t len, const char *name,
			   long line, struct fail *f);

/* Fill *f for an EVAL_FULL from evaluation_add() or
 * evaluation_add_counts(): "name:line: expected at most 10000 distinct
 * cells (steps times combinations of groups), found a 10001st (step N:
 * LABEL)".  Returns -1. */
int evaluation_fail_cells(const struct evaluation *ev, int64_t step,
			  unsigned mask, const uint32_t *value,
			  const char *name, long line, struct fail *f);
/* The value's text; borrowed, valid until evaluation_free(). */
const char *evaluation_value_name(const struct evaluation *ev, size_t j,
				  uint32_t index);

/* Count one example into cell (step, mask, value).  score is
 * RATE_UNDEFINED when there is none.  Returns -1 when out of memory,
 * EVAL_FULL when the cell would be the (EVAL_MAX_CELLS + 1)th (nothing
 * added). */
int evaluation_add(struct evaluation *ev, int64_t step, unsigned mask,
		   const uint32_t *value, int truth, int pred, double weight,
		   double score);

/* Add pre-aggregated counts to cell (step, mask, value).  0, -1 out of
 * memory, 1 when a sum of the cell is no longer finite (counts beyond
 * 1.8e308 in all: the caller refuses the row; the cell is left so),
 * EVAL_FULL as evaluation_add(). */
int evaluation_add_counts(struct evaluation *ev, int64_t step, unsigned mask,
			  const uint32_t *value, const struct confusion *c);

/* Add weight to score bin `bin` (0 to SCORE_BINS - 1) of the existing
 * cell (step, mask, value), of an evaluation made with scores.  0; 1
 * when there is no such cell (nothing added); -1 when the sum is no
 * longer finite (the bin is left so). */
int evaluation_add_hist(struct evaluation *ev, int64_t step, unsigned mask,
			const uint32_t *value, int bin, double weight);

/* Add every cell of `from` (not finished, with the same features in the
 * same order) into `into`, matching values by their text.  Counts add,
 * so reading a file in two parts and merging gives the counts of
 * reading it whole (up to the order of floating-point additions, fixed
 * by where the parts are cut).  Returns -1 when out of memory or the
 * features differ, EVAL_FULL (with `into` untouched) when the two
 * together would hold more than EVAL_MAX_GROUPS values of a feature or
 * EVAL_MAX_CELLS cells. */
int evaluation_merge(struct evaluation *into, const struct evaluation *from);

/* Derive the reported groups; call once, after the last add.  Returns -1
 * when out of memory. */
int evaluation_finish(struct evaluation *ev);

/* The derived groups, sorted by step, then overall, features in order,
 * intersections; within a feature by value text.  Borrowed. */
size_t evaluation_group_count(const struct evaluation *ev);
const struct eval_group *evaluation_group(const struct evaluation *ev,
					  size_t i);

/* 1 when no group has a positive tp, fp, tn or fn: every weight (or
 * count) added was zero, so that every rate is undefined.  After
 * evaluation_finish(). */
int evaluation_weighs_nothing(const struct evaluation *ev);

/* The order of groups within a step (the order above, step apart):
 * negative, 0 (the same group) or positive. */
int evaluation_group_order(const struct evaluation *ev,
			   const struct eval_group *a,
			   const struct eval_group *b);

/* The last (highest) step seen, 0 when none. */
int64_t evaluation_final_step(const struct evaluation *ev);

/* Name of a mask's feature: "" overall, "group", "group & age". */
void evaluation_mask_name(const struct evaluation *ev, unsigned mask,
			  char *buf, size_t size);

/* Label of a group within its feature: "" overall, "A" for one feature,
 * "group=A & age=18-25" for an intersection. */
void evaluation_group_label(const struct evaluation *ev,
			    const struct eval_group *g, char *buf,
			    size_t size);

#endif
