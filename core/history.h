/*
 * history.h — metrics.csv: a run's metric history.
 *
 * Header `step,timestamp,metric,group,value` (any order); `group` empty
 * means overall.  Rows are handed to a callback one at a time, so the
 * store can write them as they come.
 */
#ifndef FAIRTOP_HISTORY_H
#define FAIRTOP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "core/source.h"

/* One point; strings borrowed for the duration of the callback. */
struct metric_point {
	long line;
	int64_t step;
	const char *timestamp; /* "" when empty */
	const char *metric;
	const char *group;     /* "" = overall */
	double value;
};

typedef int (*history_fn)(void *ctx, const struct metric_point *p,
			  struct fail *f);

/* Read metrics.csv from src (a file or a buffer, named src->name in
 * messages); *npoints (may be NULL) gets the number of points. */
int history_read(const struct source *src, history_fn fn, void *ctx,
		 long *npoints, struct fail *f);

#endif
