/*
 * sqlgen.h — the GROUP BY a user runs where the data lives.
 *
 * `fairtop sql` prints two queries over a table of predictions, for one
 * engine's dialect.  The counts query groups by step and by every
 * sensitive column (the finest cells: fairtop adds cells up into each
 * feature's groups, the intersections and the overall, as it does from
 * predictions.csv) and gives per cell
 *
 *     step,<features>,rows,rows_positive,tp,fp,tn,fn,
 *     w2_positive,w2_negative,bad
 *
 * the wide form of counts.csv (core/counts.h): rows and rows_positive
 * count rows, tp..fn sum weights (1 a row without --weight), w2_* sum
 * squared weights (Kish's effective n), and bad counts the rows whose
 * y_true or y_pred is NULL or neither label, or whose weight is NULL,
 * negative, NaN or infinite.  The scores query gives the score
 * histograms (`step,<features>,bin,weight,bad`) in fairtop's own bins
 * (SCORE_BINS equal-width bins on [0,1], core/groups.h), the score cast
 * to double first; a bad row (as above, or a score NULL or outside
 * [0,1]) goes to bin -1 with weight 0 and counts in bad.
 *
 * Portable on purpose: CASE rather than FILTER, no GROUPING SETS, no
 * string concatenation; labels are compared as text (CAST(col AS
 * <text type>) = '1'), so an integer and a string column both work.
 * Every identifier the user gives is quoted for the dialect (embedded
 * quotes doubled or escaped), every label written as an escaped literal.
 */
#ifndef FAIRTOP_SQLGEN_H
#define FAIRTOP_SQLGEN_H

#include <stddef.h>

#include "core/fail.h"
#include "core/strbuf.h"

enum sqlgen_dialect {
	SQLGEN_POSTGRES,
	SQLGEN_DUCKDB,
	SQLGEN_SQLITE,
	SQLGEN_SPARK,
	SQLGEN_BIGQUERY,
	SQLGEN_TRINO,
};

/* The dialects' names, NULL-terminated, in enum order. */
extern const char *const sqlgen_dialect_names[];

/* The dialect called name; -1 when none is. */
int sqlgen_dialect_of(const char *name);

/* Everything borrowed. */
struct sqlgen_options {
	enum sqlgen_dialect dialect;
	const char *table;  /* "t", "schema.t": each dot-separated part
			     * quoted on its own */
	const char *const *sensitive;
	size_t nsensitive;  /* 1 to EVAL_MAX_FEATURES */
	const char *positive_label, *negative_label;
	const char *y_true, *y_pred; /* the label columns */
	const char *step;   /* the step column, or NULL: every row step 0 */
	const char *weight; /* or NULL: every row weighs 1 */
	const char *score;  /* or NULL: no scores query */
};

/* Check o (names non-empty, no two sensitive columns alike, none named
 * like a column of the result, labels distinct): 0, or -1 with *f
 * filled (FAIL_USAGE). */
int sqlgen_check(const struct sqlgen_options *o, struct fail *f);

/* Append the counts query (ending ";\n") to out; the scores query
 * needs o->score.  0, or -1 when out of memory (out failed). */
int sqlgen_counts(const struct sqlgen_options *o, struct strbuf *out);
int sqlgen_scores(const struct sqlgen_options *o, struct strbuf *out);

#endif
