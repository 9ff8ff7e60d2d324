/*
 * counts.h — counts.csv: an evaluation already aggregated elsewhere.
 *
 * Two forms, told apart by the header (columns in any order):
 *
 * Long: `step,group,tp,fp,tn,fn`.  `group` is empty for the overall
 * population, `feature=value`, or an intersection `f1=v1 & f2=v2`.
 * When every row names the same set of features, the rows are cells and
 * fairtop adds them up into each feature, each intersection and the
 * overall, exactly as from predictions.csv.  Otherwise each row is taken
 * as given, and a step without an overall row gets the sum of its first
 * feature's groups.  Row counts are unknown (the counts may be
 * weighted).
 *
 * Wide, what `fairtop sql` gives (core/sqlgen.h): `step,<one column per
 * sensitive feature>,rows,tp,fp,tn,fn` and optionally rows_positive,
 * w2_positive and w2_negative (both or neither) and bad.  Each row is a
 * finest cell (every feature), added up as the long form's cells.  rows
 * and rows_positive are real row counts, so intervals and low-n work as
 * from predictions.csv; without rows_positive the counts must be
 * unweighted (tp+fp+tn+fn = rows) and rows_positive is tp+fn; the sums
 * of squared weights give Kish's effective n (without them, the row
 * counts do).  A cell with bad > 0 is refused.  With it may come
 * scores.csv, `step,<the same features>,bin,weight[,bad]`: the weight
 * of each of SCORE_BINS score bins of a cell of counts.csv.
 *
 * Either file may come in shards (part-*.csv, as Spark and BigQuery
 * export), each with its header, read as one file; messages name the
 * shard and its line.
 */
#ifndef FAIRTOP_COUNTS_H
#define FAIRTOP_COUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "core/groups.h"
#include "core/source.h"

/* Read counts.csv from src (a file or a buffer, named src->name in
 * messages).  On success *out is a finished evaluation (caller frees);
 * on error -1 with *f filled and *out NULL. */
int counts_read(const struct source *src, struct evaluation **out,
		struct fail *f);

struct counts_summary {
	int wide;          /* 1: the wide form */
	int64_t rows;      /* wide: rows over every cell; -1 long form */
	int has_scores;    /* scores.csv was read */
};

/* Read counts.csv from parts[0..nparts) read as one file (each part
 * with its header, an empty part skipped), and scores.csv likewise from
 * scores[0..nscores) when nscores > 0 (wide form only).  On success *out
 * is a finished evaluation (caller frees) and *sum (may be NULL) says
 * what was read; on error -1 with *f filled and *out NULL. */
int counts_read_parts(const struct source *parts, size_t nparts,
		      const struct source *scores, size_t nscores,
		      struct evaluation **out, struct counts_summary *sum,
		      struct fail *f);

/* Parse a group "f1=v1 & f2=v2" (or "" for overall) into a mask and
 * value indices of ev, interning features and values.  Errors are
 * fail_at(name, line). */
int counts_parse_group(struct evaluation *ev, const char *text, size_t len,
		       const char *name, long line, unsigned *mask,
		       uint32_t *value, struct fail *f);

#endif
