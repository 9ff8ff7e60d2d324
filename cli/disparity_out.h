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
 * And a feature's aggregates both ways, the gate's beside those over
 * every group, with the mark of its low-n groups (rundisparity_both).
 */
#ifndef FAIRTOP_DISPARITY_OUT_H
#define FAIRTOP_DISPARITY_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "core/disparity.h"
#include "service/rundisparity.h"

/* The text form into buf; returns buf. */
const char *disparity_out_text(char *buf, size_t size,
			       const struct aggregate_ci *a);

/* The text form, then for equalized odds which rate's spread it is:
 * "0.048 [-0.139, 0.523] not established (TPR)". */
const char *disparity_out_text_metric(char *buf, size_t size,
				      const struct aggregate_ci *a);

/* The gate's side of an aggregate for a table cell: the text form with
 * its metric when it has an interval, else the value ("0.750", "n/a"). */
const char *disparity_out_gate_text(char *buf, size_t size,
				    const struct aggregate_both *b);

/* A feature's aggregates both ways, side by side (rundisparity_both),
 * as a table:
 *   AGGREGATE                      GATE (GROUPS >= 30 ROWS)              EVERY GROUP (LOW-N INCLUDED)
 *   demographic parity difference  0.050 [-0.021, 0.120] not established  0.444
 *   equalized odds ratio           0.750                                  0.000 */
void disparity_out_both_text(FILE *out, int indent,
			     const struct feature_both *b,
			     double min_group_size);

/* The headers of the two sides: "GATE (GROUPS >= 30 ROWS)" (upper 1)
 * or "gate (groups >= 30 rows)", and "EVERY GROUP (LOW-N INCLUDED)". */
const char *disparity_out_gate_header(char *buf, size_t size,
				      double min_group_size, int upper);
const char *disparity_out_all_header(int upper);

/* A group's label in a table, with " *" after it when low_n. */
const char *disparity_out_group_label(char *buf, size_t size,
				      const char *label, int low_n);

/* The legend of that mark, for a table that has one:
 * "* fewer than 30 rows: left out of the gate's aggregates". */
void disparity_out_low_n_legend(FILE *out, int indent,
				double min_group_size);

struct json_writer; /* core/json.h */

/* A feature's aggregates both ways in JSON, as members of the object
 * open in w: "low_n_groups" (how many of its groups are under
 * min_group_size), "gate_values" (every aggregate over the groups of at
 * least min_group_size rows: the gate's) and "intervals" (the three
 * aggregates with an interval: value, the gate's, and value_all_groups
 * beside it, then low, high, established, metric).  The values over
 * every group stay the feature's own keys. */
void disparity_out_write_both_json(struct json_writer *w,
				   const struct feature_both *b);

/* The JSON object: as w's next value, or on its own to out. */
void disparity_out_write_json(struct json_writer *w,
			      const struct aggregate_ci *a);
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
