/*
 * predictions.h — reading predictions.csv into per-group counts.
 *
 * Columns: y_true, y_pred (required), score, weight, step, id
 * (optional) and one column per sensitive feature.  Rows are streamed:
 * each is reduced at once to weighted confusion counts and a score
 * histogram of its (step, group) cell (see groups.h).  Labels are
 * strings; the positive label comes from run.csv (default "1") and the
 * evaluation may hold exactly one other label.
 */
#ifndef FAIRTOP_PREDICTIONS_H
#define FAIRTOP_PREDICTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "core/groups.h"
#include "core/source.h"

struct predictions_options {
	const char *positive_label;  /* borrowed */
	/* The sensitive columns; NULL = every column not reserved. */
	const char *const *sensitive; /* borrowed */
	size_t nsensitive;
	/* From this size on (0: PREDICTIONS_SPLIT_MIN_BYTES; SIZE_MAX:
	 * never) the input is read in two halves on two threads. */
	size_t split_min_bytes;
};

#define PREDICTIONS_SPLIT_MIN_BYTES ((size_t)1 << 20)

struct predictions_summary {
	int64_t rows;
	int has_score, has_weight, has_step;
	char negative_label[64]; /* the other label seen, "" if none */
};

/* Read predictions.csv from src (a file or a buffer, named src->name in
 * messages; borrowed, also by the second half's thread, until the call
 * returns).  On success *out is a finished evaluation the caller frees
 * with evaluation_free().  On error returns -1 with *f filled
 * ("name:line: ...") and *out NULL. */
int predictions_read(const struct source *src,
		     const struct predictions_options *opt,
		     struct evaluation **out, struct predictions_summary *sum,
		     struct fail *f);

#endif
