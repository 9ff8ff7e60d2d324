/*
 * model.h — the Runs view's model: which runs show, in which order.
 *
 * Pure functions over a snapshot's runs, so sorting and filtering are
 * tested without a terminal.
 */
#ifndef FAIRTOP_MODEL_H
#define FAIRTOP_MODEL_H

#include <stddef.h>

#include "service/snapshot.h"

enum sort_key {
	SORT_STARTED, /* newest first by default */
	SORT_RUN,
	SORT_ACCURACY,
	SORT_F_BETA,
	SORT_THROUGHPUT,
	SORT_DP,
	SORT_EO,
	SORT_WORST_TPR,
	SORT_ALERTS,
	SORT_NKEYS
};

const char *sort_key_name(enum sort_key k);

/* 1 when run matches filter (case-insensitive substring of its id,
 * model or version; "" matches everything). */
int model_matches(const struct snap_run *run, const char *filter);

/* The indexes into runs[0..n) that match filter, sorted by key (reverse
 * flips the order; undefined numbers always sort last).  Writes at most
 * n indexes into out; returns how many. */
size_t model_rows(const struct snap_run *runs, size_t n, const char *filter,
		  enum sort_key key, int reverse, size_t *out);

/* The same for runs in the snapshot's order (newest first, then by key
 * Z to A: service/snapshot.h), which is the default order's: the rows
 * in that order are taken as they are, without a comparison (the
 * dashboard builds its rows again at each page of runs it reads). */
size_t model_rows_listed(const struct snap_run *runs, size_t n,
			 const char *filter, enum sort_key key, int reverse,
			 size_t *out);

/* 1 when alert x matches filter (case-insensitive substring of its run,
 * rule, subject, severity, state or message; "" matches everything): the
 * Alerts view's `/`. */
int model_alert_matches(const struct stored_alert *x, const char *filter);

#endif
