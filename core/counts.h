/*
 * counts.h — counts.csv: an evaluation already aggregated elsewhere.
 *
 * Header `step,group,tp,fp,tn,fn` (any order).  `group` is empty for
 * the overall population, `feature=value`, or an intersection
 * `f1=v1 & f2=v2`.  When every row names the same set of features, the
 * rows are cells and fairtop adds them up into each feature, each
 * intersection and the overall, exactly as from predictions.csv.
 * Otherwise each row is taken as given, and a step without an overall
 * row gets the sum of its first feature's groups.  Row counts are
 * unknown (the counts may be weighted).
 */
#ifndef FAIRTOP_COUNTS_H
#define FAIRTOP_COUNTS_H

#include <stddef.h>

#include "core/fail.h"
#include "core/groups.h"
#include "core/source.h"

/* Read counts.csv from src (a file or a buffer, named src->name in
 * messages).  On success *out is a finished evaluation (caller frees);
 * on error -1 with *f filled and *out NULL. */
int counts_read(const struct source *src, struct evaluation **out,
		struct fail *f);

/* Parse a group "f1=v1 & f2=v2" (or "" for overall) into a mask and
 * value indices of ev, interning features and values.  Errors are
 * fail_at(name, line). */
int counts_parse_group(struct evaluation *ev, const char *text, size_t len,
		       const char *name, long line, unsigned *mask,
		       uint32_t *value, struct fail *f);

#endif
