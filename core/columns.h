/*
 * columns.h — matching a CSV header against a fixed set of columns.
 *
 * For files whose columns are all known (metrics.csv, counts.csv): each
 * expected column must appear exactly once, in any order, and nothing
 * else may.  The result maps each expected column to its position.
 */
#ifndef FAIRTOP_COLUMNS_H
#define FAIRTOP_COLUMNS_H

#include <stddef.h>

#include "core/csvread.h"
#include "core/fail.h"

/* expected[0..n) names; pos[k] gets the field index of expected[k].
 * Errors name the file and the header's line. */
int columns_match(const struct csv_row *header, const char *name,
		  const char *const *expected, size_t n, size_t *pos,
		  struct fail *f);

#endif
