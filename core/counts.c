/*
 * counts.c — reading counts.csv.  See counts.h.
 */
#include "core/counts.h"

#include <math.h>
#include <string.h>

#include "core/columns.h"
#include "core/csvread.h"
#include "core/number.h"

enum { STEP, GROUP, TP, FP, TN, FN, NCOLUMNS };

static const char *const columns[NCOLUMNS] = {"step", "group", "tp",
					      "fp",   "tn",    "fn"};

/* The wide form's columns; the others are features. */
enum {
	W_STEP, W_ROWS, W_TP, W_FP, W_TN, W_FN, W_ROWS_POSITIVE, W_W2P,
	W_W2N, W_BAD, NWIDE
};
static const char *const wide_columns[NWIDE] = {
	"step", "rows", "tp", "fp", "tn", "fn", "rows_positive",
	"w2_positive", "w2_negative", "bad"};
#define WIDE_REQUIRED 6 /* the first six */

/* scores.csv's; the others are features. */
enum { S_STEP, S_BIN, S_WEIGHT, S_BAD, NSCORES };
static const char *const score_columns[NSCORES] = {"step", "bin", "weight",
						   "bad"};
#define SCORES_REQUIRED 3

#define ABSENT ((size_t)-1)
#define MAX_COLUMNS (NWIDE + EVAL_MAX_FEATURES)

enum form { FORM_UNKNOWN, FORM_LONG, FORM_WIDE };

struct reader {
	const char *name;     /* of the part being read */
	struct evaluation *ev;
	enum form form;
	int scores;           /* reading scores.csv */
	size_t pos[NCOLUMNS]; /* long form */
	size_t wpos[NWIDE];   /* wide form and scores.csv: the known
			       * columns' positions, or ABSENT */
	size_t ncolumns;
	int feature[MAX_COLUMNS]; /* a column's feature index, or -1 */
	size_t nfeatures;     /* fixed by counts.csv's first header */
	long points;
	int64_t rows;         /* wide: rows over every cell */
};

static size_t trim(const char **s, size_t len)
{
	while (len > 0 && **s == ' ') {
		(*s)++;
		len--;
	}
	while (len > 0 && (*s)[len - 1] == ' ')
		len--;
	return len;
}

int counts_parse_group(struct evaluation *ev, const char *text, size_t len,
		       const char *name, long line, unsigned *mask,
		       uint32_t *value, struct fail *f)
{
	char shown[64];
	*mask = 0;
	memset(value, 0, EVAL_MAX_FEATURES * sizeof *value);
	len = trim(&text, len);
	if (len == 0)
		return 0;
	const char *end = text + len;
	if (text[len - 1] == '&') /* "f=v &": nothing after the last '&' */
		return fail_at(f, name, line,
			       "column 'group': expected feature=value "
			       "(joined by ' & ' for an intersection), "
			       "found '%s'",
			       fail_quote(shown, sizeof shown, text, len));
	while (text < end) {
		const char *amp = memchr(text, '&', (size_t)(end - text));
		const char *part = text;
		size_t part_len = trim(&part, (size_t)((amp ? amp : end) - text));
		const char *eq = memchr(part, '=', part_len);
		if (eq == NULL || eq == part)
			return fail_at(f, name, line,
				       "column 'group': expected feature=value "
				       "(joined by ' & ' for an intersection), "
				       "found '%s'",
				       fail_quote(shown, sizeof shown, part,
						  part_len));
		const char *feat = part;
		size_t feat_len = trim(&feat, (size_t)(eq - part));
		const char *val = eq + 1;
		size_t val_len = trim(&val, part_len - (size_t)(eq + 1 - part));
		if (feat_len > FEATURE_NAME_MAX || val_len > GROUP_VALUE_MAX)
			return fail_at(f, name, line,
				       "column 'group': expected a feature "
				       "name of at most %d bytes and a value of "
				       "at most %d, found %zu and %zu",
				       FEATURE_NAME_MAX, GROUP_VALUE_MAX,
				       feat_len, val_len);
		struct fail why;
		fail_init(&why);
		int j = evaluation_feature(ev, feat, feat_len, &why);
		if (j < 0 && why.kind == FAIL_INTERNAL)
			return fail_set(f, FAIL_INTERNAL, "%s", why.msg);
		if (j < 0)
			return fail_at(f, name, line, "column 'group': %s",
				       why.msg);
		if ((*mask >> j) & 1u)
			return fail_at(f, name, line,
				       "column 'group': expected each feature "
				       "once, found '%s' twice",
				       fail_quote(shown, sizeof shown, feat,
						  feat_len));
		int64_t v = evaluation_value(ev, (size_t)j, val, val_len);
		if (v == EVAL_FULL)
			return evaluation_fail_groups(ev, (size_t)j, val,
						      val_len, name, line, f);
		if (v < 0)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		*mask |= 1u << j;
		value[j] = (uint32_t)v;
		text = amp ? amp + 1 : end;
	}
	return 0;
}

/* Field i (named col in messages) as a non-negative finite count. */
static int count_at(struct reader *r, const struct csv_row *row, size_t i,
		    const char *col, double *out, struct fail *f)
{
	char shown[64];
	enum number_status st = number_parse(row->field[i], row->len[i], out);
	if (st == NUMBER_EMPTY)
		return fail_at(f, r->name, row->line,
			       "column '%s': expected a non-negative finite "
			       "count, found an empty field", col);
	if (st != NUMBER_OK || *out < 0)
		return fail_at(f, r->name, row->line,
			       "column '%s': expected a non-negative finite "
			       "count, found '%s'", col,
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	return 0;
}

static int count_field(struct reader *r, const struct csv_row *row, int col,
		       double *out, struct fail *f)
{
	return count_at(r, row, r->pos[col], columns[col], out, f);
}

/* Field i (named col) as a whole number >= 0. */
static int whole_at(struct reader *r, const struct csv_row *row, size_t i,
		    const char *col, int64_t *out, struct fail *f)
{
	char shown[64];
	if (number_parse_int(row->field[i], row->len[i], out) != NUMBER_OK ||
	    *out < 0)
		return fail_at(f, r->name, row->line,
			       "column '%s': expected a whole number >= 0, "
			       "found '%s'", col,
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	return 0;
}

static int on_long_row(struct reader *r, const struct csv_row *row,
		       struct fail *f)
{
	char shown[64];
	int64_t step;
	size_t i;
	if (whole_at(r, row, r->pos[STEP], "step", &step, f) != 0)
		return -1;
	unsigned mask;
	uint32_t value[EVAL_MAX_FEATURES];
	i = r->pos[GROUP];
	if (counts_parse_group(r->ev, row->field[i], row->len[i], r->name,
			       row->line, &mask, value, f) != 0)
		return -1;
	struct confusion c;
	confusion_init(&c);
	c.rows = c.rows_positive = -1;
	if (count_field(r, row, TP, &c.tp, f) ||
	    count_field(r, row, FP, &c.fp, f) ||
	    count_field(r, row, TN, &c.tn, f) ||
	    count_field(r, row, FN, &c.fn, f))
		return -1;
	int added = evaluation_add_counts(r->ev, step, mask, value, &c);
	if (added == EVAL_FULL)
		return evaluation_fail_cells(r->ev, step, mask, value,
					     r->name, row->line, f);
	if (added < 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (added > 0)
		/* infinity would make the group's rates undefined, and an
		 * undefined group is left out of the gate: refused instead */
		return fail_at(f, r->name, row->line,
			       "expected counts whose sums are finite, found "
			       "group '%s' at step %lld summing beyond 1.8e308 "
			       "with this row",
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]),
			       (long long)step);
	r->points++;
	return 0;
}

/* The header of a wide counts.csv or of scores.csv: the known columns
 * into r->wpos, the others features.  The first header of counts.csv
 * names the features; every later one (another part, scores.csv) must
 * name the same. */
static int wide_header(struct reader *r, const struct csv_row *row,
		       struct fail *f)
{
	const char *const *known = r->scores ? score_columns : wide_columns;
	size_t nknown = r->scores ? NSCORES : NWIDE;
	size_t required = r->scores ? SCORES_REQUIRED : WIDE_REQUIRED;
	int first = !r->scores && r->form == FORM_UNKNOWN;
	char shown[64];
	unsigned seen = 0;
	for (size_t k = 0; k < NWIDE; k++)
		r->wpos[k] = ABSENT;
	if (row->nfields > MAX_COLUMNS)
		return fail_at(f, r->name, row->line,
			       "expected at most %d sensitive features beside "
			       "the columns %s, found %zu columns",
			       EVAL_MAX_FEATURES,
			       r->scores ? "step,bin,weight,bad"
					 : "step,rows,tp,fp,tn,fn,"
					   "rows_positive,w2_positive,"
					   "w2_negative,bad",
			       row->nfields);
	r->ncolumns = row->nfields;
	for (size_t i = 0; i < row->nfields; i++) {
		const char *col = row->field[i];
		size_t k;
		r->feature[i] = -1;
		for (k = 0; k < nknown; k++)
			if (strcmp(col, known[k]) == 0)
				break;
		if (k < nknown) {
			if (r->wpos[k] != ABSENT)
				return fail_at(f, r->name, row->line,
					       "expected each column once, "
					       "found '%s' in columns %zu and "
					       "%zu", known[k], r->wpos[k] + 1,
					       i + 1);
			r->wpos[k] = i;
			continue;
		}
		if (row->len[i] == 0 || row->len[i] > FEATURE_NAME_MAX)
			return fail_at(f, r->name, row->line,
				       "column %zu: expected a feature name of "
				       "1 to %d bytes, found %zu bytes", i + 1,
				       FEATURE_NAME_MAX, row->len[i]);
		size_t before = evaluation_feature_count(r->ev);
		struct fail why;
		fail_init(&why);
		int j = evaluation_feature(r->ev, col, row->len[i], &why);
		if (j < 0 && why.kind == FAIL_INTERNAL)
			return fail_set(f, FAIL_INTERNAL, "%s", why.msg);
		if (j < 0)
			return fail_at(f, r->name, row->line, "%s (column "
				       "'%s')", why.msg,
				       fail_quote(shown, sizeof shown, col,
						  row->len[i]));
		if (!first && (size_t)j >= before)
			return fail_at(f, r->name, row->line,
				       "column %zu: expected the sensitive "
				       "features of counts.csv's first header, "
				       "found '%s'", i + 1,
				       fail_quote(shown, sizeof shown, col,
						  row->len[i]));
		if ((seen >> j) & 1u)
			return fail_at(f, r->name, row->line,
				       "expected each column once, found '%s' "
				       "twice",
				       fail_quote(shown, sizeof shown, col,
						  row->len[i]));
		seen |= 1u << j;
		r->feature[i] = j;
	}
	for (size_t k = 0; k < required; k++)
		if (r->wpos[k] == ABSENT)
			return fail_at(f, r->name, row->line,
				       "expected a column '%s', found none",
				       known[k]);
	if (!r->scores && (r->wpos[W_W2P] == ABSENT) !=
				  (r->wpos[W_W2N] == ABSENT))
		return fail_at(f, r->name, row->line,
			       "expected the columns w2_positive and "
			       "w2_negative together, found one of them");
	if (first)
		r->nfeatures = evaluation_feature_count(r->ev);
	else if (seen != (1u << r->nfeatures) - 1u)
		return fail_at(f, r->name, row->line,
			       "expected a column for each of the %zu "
			       "sensitive features of counts.csv's first "
			       "header, found fewer", r->nfeatures);
	return 0;
}

/* The step and the feature values of a wide row, and its `bad`. */
static int wide_keys(struct reader *r, const struct csv_row *row,
		     size_t bad_pos, int64_t *step, uint32_t *value,
		     struct fail *f)
{
	if (whole_at(r, row, r->wpos[0], "step", step, f) != 0)
		return -1;
	memset(value, 0, EVAL_MAX_FEATURES * sizeof *value);
	for (size_t i = 0; i < r->ncolumns; i++) {
		if (r->feature[i] < 0)
			continue;
		if (row->len[i] > GROUP_VALUE_MAX)
			return fail_at(f, r->name, row->line,
				       "column %zu: expected a group of at "
				       "most %d bytes, found %zu bytes", i + 1,
				       GROUP_VALUE_MAX, row->len[i]);
		int64_t v = evaluation_value(r->ev, (size_t)r->feature[i],
					     row->field[i], row->len[i]);
		if (v == EVAL_FULL)
			return evaluation_fail_groups(r->ev,
						      (size_t)r->feature[i],
						      row->field[i],
						      row->len[i], r->name,
						      row->line, f);
		if (v < 0)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		value[r->feature[i]] = (uint32_t)v;
	}
	if (bad_pos != ABSENT) {
		int64_t bad;
		if (whole_at(r, row, bad_pos, "bad", &bad, f) != 0)
			return -1;
		if (bad > 0)
			return fail_at(f, r->name, row->line,
				       "%lld rows with a missing or unknown "
				       "label or a bad weight%s in this cell; "
				       "fix the data or filter them in the "
				       "query", (long long)bad,
				       r->scores ? " or score" : "");
	}
	return 0;
}

static int on_wide_row(struct reader *r, const struct csv_row *row,
		       struct fail *f)
{
	int64_t step, rows, positive;
	uint32_t value[EVAL_MAX_FEATURES];
	unsigned mask = (1u << r->nfeatures) - 1u;
	if (wide_keys(r, row, r->wpos[W_BAD], &step, value, f) != 0)
		return -1;
	struct confusion c;
	confusion_init(&c);
	if (whole_at(r, row, r->wpos[W_ROWS], "rows", &rows, f) ||
	    count_at(r, row, r->wpos[W_TP], "tp", &c.tp, f) ||
	    count_at(r, row, r->wpos[W_FP], "fp", &c.fp, f) ||
	    count_at(r, row, r->wpos[W_TN], "tn", &c.tn, f) ||
	    count_at(r, row, r->wpos[W_FN], "fn", &c.fn, f))
		return -1;
	if (r->wpos[W_ROWS_POSITIVE] != ABSENT) {
		if (whole_at(r, row, r->wpos[W_ROWS_POSITIVE], "rows_positive",
			     &positive, f) != 0)
			return -1;
		if (positive > rows)
			return fail_at(f, r->name, row->line,
				       "column 'rows_positive': expected at "
				       "most rows (%lld), found %lld",
				       (long long)rows, (long long)positive);
	} else {
		/* unweighted counts are row counts: tp+fn of them are
		 * positive */
		double n = c.tp + c.fp + c.tn + c.fn;
		if (n != (double)rows || c.tp + c.fn != floor(c.tp + c.fn))
			return fail_at(f, r->name, row->line,
				       "expected a column 'rows_positive' for "
				       "weighted counts, found tp+fp+tn+fn "
				       "(%.17g) other than rows (%lld) and none",
				       n, (long long)rows);
		positive = (int64_t)(c.tp + c.fn);
	}
	if (r->wpos[W_W2P] != ABSENT &&
	    (count_at(r, row, r->wpos[W_W2P], "w2_positive", &c.w2_positive,
		      f) ||
	     count_at(r, row, r->wpos[W_W2N], "w2_negative", &c.w2_negative,
		      f)))
		return -1;
	c.rows = rows;
	c.rows_positive = positive;
	int added = evaluation_add_counts(r->ev, step, mask, value, &c);
	if (added == EVAL_FULL)
		return evaluation_fail_cells(r->ev, step, mask, value,
					     r->name, row->line, f);
	if (added < 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (added > 0 || rows > INT64_MAX / 2 - r->rows)
		return fail_at(f, r->name, row->line,
			       "expected counts whose sums are finite, found "
			       "a cell at step %lld summing beyond 1.8e308 "
			       "with this row", (long long)step);
	r->rows += rows;
	r->points++;
	return 0;
}

static int on_score_row(struct reader *r, const struct csv_row *row,
			struct fail *f)
{
	int64_t step, bin;
	double weight;
	uint32_t value[EVAL_MAX_FEATURES];
	unsigned mask = (1u << r->nfeatures) - 1u;
	if (wide_keys(r, row, r->wpos[S_BAD], &step, value, f) != 0 ||
	    count_at(r, row, r->wpos[S_WEIGHT], "weight", &weight, f) != 0)
		return -1;
	size_t i = r->wpos[S_BIN];
	if (number_parse_int(row->field[i], row->len[i], &bin) != NUMBER_OK ||
	    bin < 0 || bin >= SCORE_BINS) {
		char shown[64];
		return fail_at(f, r->name, row->line,
			       "column 'bin': expected a bin from 0 to %d, "
			       "found '%s'", SCORE_BINS - 1,
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	}
	int added = evaluation_add_hist(r->ev, step, mask, value, (int)bin,
					weight);
	if (added > 0)
		return fail_at(f, r->name, row->line,
			       "expected a cell of counts.csv, found step "
			       "%lld and groups that counts.csv has no row "
			       "for", (long long)step);
	if (added < 0)
		return fail_at(f, r->name, row->line,
			       "expected weights whose sums are finite, found "
			       "a bin at step %lld summing beyond 1.8e308 with "
			       "this row", (long long)step);
	r->points++;
	return 0;
}

static int has_column(const struct csv_row *row, const char *name)
{
	for (size_t i = 0; i < row->nfields; i++)
		if (strcmp(row->field[i], name) == 0)
			return 1;
	return 0;
}

static int on_row(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct reader *r = ctx;
	if (row->index == 0) {
		if (r->scores)
			return wide_header(r, row, f);
		enum form form = has_column(row, "group") ? FORM_LONG
				 : has_column(row, "rows") ? FORM_WIDE
							   : FORM_LONG;
		if (r->form != FORM_UNKNOWN && form != r->form)
			return fail_at(f, r->name, row->line,
				       "expected the header of the first part "
				       "(with%s a column 'group'), found one "
				       "with%s", r->form == FORM_LONG ? "" : "out",
				       form == FORM_LONG ? "" : "out");
		int rc = form == FORM_LONG
				 ? columns_match(row, r->name, columns,
						 NCOLUMNS, r->pos, f)
				 : wide_header(r, row, f);
		r->form = form;
		if (form == FORM_LONG)
			r->ncolumns = NCOLUMNS;
		return rc;
	}
	if (row->nfields != r->ncolumns)
		return fail_at(f, r->name, row->line,
			       "expected %zu fields as in the header, found %zu",
			       r->ncolumns, row->nfields);
	if (r->scores)
		return on_score_row(r, row, f);
	return r->form == FORM_LONG ? on_long_row(r, row, f)
				    : on_wide_row(r, row, f);
}

/* Read parts[0..n) as one file into r: 0, or -1 with *f filled. */
static int read_parts(struct reader *r, const struct source *parts,
		      size_t n, struct fail *f)
{
	long rows = 0;
	for (size_t k = 0; k < n; k++) {
		/* Spark writes an empty part for an empty partition */
		if (n > 1 && parts[k].path != NULL &&
		    source_size(&parts[k]) == 0)
			continue;
		r->name = parts[k].name;
		if (csvread_rows(&parts[k], on_row, r, &rows, f) != 0)
			return -1;
		if (rows == 0)
			return fail_at(f, r->name, 1, "expected the header "
				       "'%s', found an empty file",
				       r->scores ? "step,<features>,bin,weight"
						 : "step,group,tp,fp,tn,fn");
	}
	if (r->points == 0)
		return fail_at(f, r->name ? r->name : parts[n - 1].name,
			       rows > 0 ? rows + 1 : 2,
			       "expected at least one row of %s after the "
			       "header, found the end of the file",
			       r->scores ? "score weights" : "counts");
	return 0;
}

int counts_read_parts(const struct source *parts, size_t nparts,
		      const struct source *scores, size_t nscores,
		      struct evaluation **out, struct counts_summary *sum,
		      struct fail *f)
{
	struct reader r = {.name = NULL};
	int rc = -1;
	*out = NULL;
	r.ev = evaluation_new(nscores > 0);
	if (r.ev == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (read_parts(&r, parts, nparts, f) != 0)
		goto out;
	long last_line = r.points + 1;
	const char *last_name = r.name;
	if (nscores > 0) {
		if (r.form != FORM_WIDE) {
			fail_set(f, FAIL_DATA, "%s: expected counts.csv in the "
				 "wide form (step,<features>,rows,tp,fp,tn,fn) "
				 "beside scores.csv, found the long form "
				 "(step,group,...)", scores[0].name);
			goto out;
		}
		r.scores = 1;
		r.points = 0;
		r.name = NULL;
		if (read_parts(&r, scores, nscores, f) != 0)
			goto out;
	}
	if (evaluation_finish(r.ev) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	/* a group derived from finite cells (a feature's group summing
	 * its intersections) may still sum beyond 1.8e308 */
	for (size_t k = 0; k < evaluation_group_count(r.ev); k++) {
		const struct eval_group *g = evaluation_group(r.ev, k);
		const struct confusion *c = &g->counts;
		if (isfinite(c->tp) && isfinite(c->fp) && isfinite(c->tn) &&
		    isfinite(c->fn))
			continue;
		char label[512];
		evaluation_group_label(r.ev, g, label, sizeof label);
		fail_at(f, last_name, last_line, "expected counts whose sums "
			"are finite, found group '%s' at step %lld summing "
			"beyond 1.8e308 over the rows up to here",
			label[0] ? label : "(all)", (long long)g->step);
		goto out;
	}
	/* counts all zero count nothing: every rate would be undefined,
	 * and a run with nothing to judge must not pass as fair */
	if (evaluation_weighs_nothing(r.ev)) {
		fail_at(f, parts[0].name, 2, "expected at least one row with a "
			"positive count, found all %ld rows' counts zero: no "
			"evaluation", last_line - 1);
		goto out;
	}
	if (sum != NULL) {
		sum->wide = r.form == FORM_WIDE;
		sum->rows = sum->wide ? r.rows : -1;
		sum->has_scores = nscores > 0;
	}
	*out = r.ev;
	r.ev = NULL;
	rc = 0;
out:
	evaluation_free(r.ev);
	return rc;
}

int counts_read(const struct source *src, struct evaluation **out,
		struct fail *f)
{
	return counts_read_parts(src, 1, NULL, 0, out, NULL, f);
}
