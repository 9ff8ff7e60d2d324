/*
 * disparity_out.h — an aggregate with its interval, printed the same way
 * by show, compare and every other command (service/rundisparity.h).
 *
 * Text: "0.174 [0.124, 0.221] established", "0.316 [-0.050, 0.610] not
 * established", "n/a" when fewer than two groups of at least
 * min_group_size rows have the rate.  JSON: an object with value, low,
 * high (numbers or null), established (true or false) and the metric
 * the aggregate compares.  CSV: value, low and high as numbers (empty
 * when undefined), established as "yes" or "no" (empty when undefined).
 */
#ifndef FAIRTOP_DISPARITY_OUT_H
#define FAIRTOP_DISPARITY_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "core/disparity.h"

/* The text form into buf; returns buf. */
const char *disparity_out_text(char *buf, size_t size,
			       const struct aggregate_ci *a);

/* The text form, then in parentheses the metric (with_metric: which
 * rate's spread equalized odds is) and the value over every group when
 * the low-n groups the interval leaves out change it:
 * "0.048 [-0.139, 0.523] not established (TPR; 0.060 over every group,
 * low-n included)". */
const char *disparity_out_text_noted(char *buf, size_t size,
				     const struct aggregate_ci *a,
				     double every_group, int with_metric);

/* The JSON object. */
void disparity_out_json(FILE *out, const struct aggregate_ci *a);

/* Four CSV fields after a separator each: the value the interval is of
 * (over the groups of at least min_group_size rows), low, high,
 * established ("" for each when a is NULL: a row without an interval). */
void disparity_out_csv(FILE *out, const struct aggregate_ci *a);

/* The line that says what the intervals are, for a text output:
 * "intervals: 95 % simultaneous over all of a run's comparisons, groups
 * under 30 rows left out". */
void disparity_out_legend(FILE *out, int indent, double confidence,
			  double min_group_size);

#endif
