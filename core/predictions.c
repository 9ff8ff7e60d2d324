/*
 * predictions.c — predictions.csv, streamed into groups.  See
 * predictions.h.
 */
#include "core/predictions.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvread.h"
#include "core/number.h"

enum column_role {
	COL_IGNORED = 0, /* id */
	COL_Y_TRUE,
	COL_Y_PRED,
	COL_SCORE,
	COL_WEIGHT,
	COL_STEP,
	COL_SENSITIVE,
};

struct reader;
struct second_half;
typedef int (*column_fn)(struct reader *r, size_t i, const char *s,
			 size_t len, long line);

struct reader {
	const char *name;
	const struct predictions_options *opt;
	struct evaluation *ev;
	struct predictions_summary *sum;
	size_t ncolumns;
	enum column_role *role;
	column_fn *column_fn; /* what to do with each column's fields */
	int *feature; /* feature index of a sensitive column */
	char **header;
	unsigned full_mask;
	size_t positive_len;
	size_t negative_len;
	int have_negative;
	/* a one-byte label's meaning, looked up on every row: 0 not yet
	 * known, 1 the negative label, 2 the positive one */
	unsigned char label_byte[256];

	/* the row being read, field by field */
	uint32_t value[EVAL_MAX_FEATURES];
	int truth, pred;
	double weight, score;
	int64_t step;
	int row_failed;        /* row_fail holds the row's first error */
	struct fail row_fail;
	/* the last step read: rows of one checkpoint repeat it */
	char last_step_text[24];
	size_t last_step_len;
	int64_t last_step;

	/* reading on two threads: the first half's reader has the
	 * second half to start and take in; the second's has a flag
	 * telling it to give up */
	struct second_half *half;
	atomic_int *cancel;
};

static const char *const reserved[] = {"y_true", "y_pred", "score",
				       "weight", "step",   "id"};
static const enum column_role reserved_role[] = {
	COL_Y_TRUE, COL_Y_PRED, COL_SCORE, COL_WEIGHT, COL_STEP, COL_IGNORED};

static int is_listed(const struct predictions_options *opt, const char *name)
{
	for (size_t i = 0; i < opt->nsensitive; i++)
		if (strcmp(opt->sensitive[i], name) == 0)
			return 1;
	return 0;
}

static int read_header(struct reader *r, const struct csv_row *row,
		       struct fail *f)
{
	char shown[64];
	r->ncolumns = row->nfields;
	r->role = calloc(row->nfields, sizeof *r->role);
	r->feature = calloc(row->nfields, sizeof *r->feature);
	r->header = calloc(row->nfields, sizeof *r->header);
	r->column_fn = calloc(row->nfields, sizeof *r->column_fn);
	if (!r->role || !r->feature || !r->header || !r->column_fn)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	for (size_t i = 0; i < row->nfields; i++) {
		const char *col = row->field[i];
		r->header[i] = strdup(col);
		if (r->header[i] == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		for (size_t k = 0; k < i; k++)
			if (strcmp(r->header[k], col) == 0)
				return fail_at(f, r->name, row->line,
					       "expected each column once, "
					       "found '%s' in columns %zu and %zu",
					       fail_quote(shown, sizeof shown, col,
							  row->len[i]),
					       k + 1, i + 1);
		if (row->len[i] == 0)
			return fail_at(f, r->name, row->line,
				       "column %zu: expected a column name, "
				       "found an empty one", i + 1);
		if (row->len[i] > FEATURE_NAME_MAX)
			return fail_at(f, r->name, row->line,
				       "column %zu: expected a column name of "
				       "at most %d bytes, found %zu bytes", i + 1,
				       FEATURE_NAME_MAX, row->len[i]);
		int is_reserved = 0;
		for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++)
			if (strcmp(col, reserved[k]) == 0) {
				r->role[i] = reserved_role[k];
				is_reserved = 1;
			}
		if (is_reserved)
			continue;
		if (r->opt->sensitive != NULL && !is_listed(r->opt, col))
			return fail_at(f, r->name, row->line,
				       "column %zu: expected y_true, y_pred, "
				       "score, weight, step, id or a sensitive "
				       "column named in run.csv, found unknown "
				       "column '%s'", i + 1,
				       fail_quote(shown, sizeof shown, col,
						  row->len[i]));
		struct fail why;
		fail_init(&why);
		int j = evaluation_feature(r->ev, col, row->len[i], &why);
		if (j < 0 && why.kind == FAIL_INTERNAL)
			return fail_set(f, FAIL_INTERNAL, "%s", why.msg);
		if (j < 0)
			return fail_at(f, r->name, row->line,
				       "%s (column '%s')%s", why.msg,
				       fail_quote(shown, sizeof shown, col,
						  row->len[i]),
				       r->opt->sensitive != NULL
					       ? ""
					       : "; name the sensitive columns "
						 "with the key 'sensitive' in "
						 "run.csv");
		r->role[i] = COL_SENSITIVE;
		r->feature[i] = j;
		r->full_mask |= 1u << j;
	}
	static const char *const required[] = {"y_true", "y_pred"};
	for (size_t k = 0; k < 2; k++) {
		int found = 0;
		for (size_t i = 0; i < row->nfields; i++)
			found |= strcmp(r->header[i], required[k]) == 0;
		if (!found)
			return fail_at(f, r->name, row->line,
				       "expected a column '%s', found none "
				       "(columns are y_true, y_pred, optional "
				       "score, weight, step, id, and the "
				       "sensitive features)", required[k]);
	}
	for (size_t k = 0; r->opt->sensitive && k < r->opt->nsensitive; k++) {
		int found = 0;
		for (size_t i = 0; i < row->nfields; i++)
			found |= strcmp(r->header[i], r->opt->sensitive[k]) == 0;
		if (!found)
			return fail_at(f, r->name, row->line,
				       "expected the sensitive column '%s' "
				       "named in run.csv, found none",
				       fail_quote(shown, sizeof shown,
						  r->opt->sensitive[k],
						  strlen(r->opt->sensitive[k])));
	}
	for (size_t i = 0; i < row->nfields; i++) {
		r->sum->has_score |= r->role[i] == COL_SCORE;
		r->sum->has_weight |= r->role[i] == COL_WEIGHT;
		r->sum->has_step |= r->role[i] == COL_STEP;
	}
	return 0;
}

/* 1 for the positive label, 0 for the negative one, -1 with *f set. */
static int label_of(struct reader *r, const char *s, size_t len, size_t i,
		    long line, struct fail *f)
{
	char shown[64], pos[64], neg[64];
	if (len == 1 && r->label_byte[(unsigned char)s[0]] != 0)
		return r->label_byte[(unsigned char)s[0]] - 1;
	if (len == r->positive_len &&
	    memcmp(s, r->opt->positive_label, len) == 0)
		return 1;
	if (r->have_negative && len == r->negative_len &&
	    memcmp(s, r->sum->negative_label, len) == 0)
		return 0;
	if (len == 0)
		return fail_at(f, r->name, line,
			       "column '%s': expected a label, found an empty "
			       "field", r->header[i]);
	if (!r->have_negative && len >= sizeof r->sum->negative_label)
		return fail_at(f, r->name, line,
			       "column '%s': expected a label of at most %zu "
			       "bytes, found %zu bytes", r->header[i],
			       sizeof r->sum->negative_label - 1, len);
	if (!r->have_negative) {
		memcpy(r->sum->negative_label, s, len);
		r->sum->negative_label[len] = '\0';
		r->negative_len = len;
		r->have_negative = 1;
		if (len == 1)
			r->label_byte[(unsigned char)s[0]] = 1;
		return 0;
	}
	fail_quote(pos, sizeof pos, r->opt->positive_label, r->positive_len);
	fail_quote(neg, sizeof neg, r->sum->negative_label, r->negative_len);
	fail_quote(shown, sizeof shown, s, len);
	return fail_at(f, r->name, line,
		       "column '%s': expected a binary label ('%s' positive "
		       "or '%s'), found a third class '%s'; fairtop judges "
		       "binary classifiers (set positive_label in run.csv "
		       "if '%s' is not the positive label)",
		       r->header[i], pos, neg, shown, pos);
}

/* Parse field i as a number in [lo, hi]; on error "column 'NAME':
 * expected <expected>, found 'TEXT'". */
static int number_field(struct reader *r, const char *s, size_t len,
			size_t i, long line, const char *expected, double lo,
			double hi, double *out, struct fail *f)
{
	char shown[64];
	enum number_status st = number_parse(s, len, out);
	if (st == NUMBER_OK && *out >= lo && *out <= hi)
		return 0;
	if (st == NUMBER_EMPTY)
		return fail_at(f, r->name, line,
			       "column '%s': expected %s, found an empty field",
			       r->header[i], expected);
	return fail_at(f, r->name, line,
		       "column '%s': expected %s, found '%s'", r->header[i],
		       expected,
		       fail_quote(shown, sizeof shown, s,
				  len));
}

static void row_reset(struct reader *r)
{
	memset(r->value, 0, sizeof r->value);
	r->truth = r->pred = 0;
	r->weight = 1;
	r->score = RATE_UNDEFINED;
	r->step = 0;
	r->row_failed = 0;
	fail_init(&r->row_fail);
}

/* One field of a data row, parsed at once into the row's state by the
 * function of its column's role.  Each returns 0, or non-zero with
 * r->row_fail set: the error is kept and reported at the row's end,
 * after the field count is checked (a short row is reported as short,
 * not as a bad value).  The common cases (one-byte labels, plain
 * decimals, a checkpoint's repeated step) are settled first, inline. */
static int field_ignored(struct reader *r, size_t i, const char *s,
			 size_t len, long line)
{
	(void)r, (void)i, (void)s, (void)len, (void)line;
	return 0;
}

static int field_y_true(struct reader *r, size_t i, const char *s,
			size_t len, long line)
{
	if (len == 1 && r->label_byte[(unsigned char)s[0]] != 0) {
		r->truth = r->label_byte[(unsigned char)s[0]] - 1;
		return 0;
	}
	return (r->truth = label_of(r, s, len, i, line, &r->row_fail)) < 0;
}

static int field_y_pred(struct reader *r, size_t i, const char *s,
			size_t len, long line)
{
	if (len == 1 && r->label_byte[(unsigned char)s[0]] != 0) {
		r->pred = r->label_byte[(unsigned char)s[0]] - 1;
		return 0;
	}
	return (r->pred = label_of(r, s, len, i, line, &r->row_fail)) < 0;
}

static int field_score(struct reader *r, size_t i, const char *s,
		       size_t len, long line)
{
	if (number_parse_plain(s, len, &r->score) && r->score <= 1)
		return 0;
	return number_field(r, s, len, i, line,
			    "a probability of the positive label in [0,1]", 0,
			    1, &r->score, &r->row_fail);
}

static int field_weight(struct reader *r, size_t i, const char *s,
			size_t len, long line)
{
	if (number_parse_plain(s, len, &r->weight))
		return 0;
	return number_field(r, s, len, i, line, "a non-negative finite weight",
			    0, HUGE_VAL, &r->weight, &r->row_fail);
}

static int field_step(struct reader *r, size_t i, const char *s,
		      size_t len, long line)
{
	char shown[64];
	(void)i;
	if (len > 0 && len == r->last_step_len &&
	    memcmp(s, r->last_step_text, len) == 0) {
		r->step = r->last_step;
		return 0;
	}
	enum number_status st = number_parse_int(s, len, &r->step);
	if (st != NUMBER_OK || r->step < 0)
		return fail_at(&r->row_fail, r->name, line,
			       "column 'step': expected a whole number >= 0, "
			       "found '%s'",
			       fail_quote(shown, sizeof shown, s, len));
	if (len < sizeof r->last_step_text) {
		memcpy(r->last_step_text, s, len);
		r->last_step_len = len;
		r->last_step = r->step;
	}
	return 0;
}

static int field_sensitive(struct reader *r, size_t i, const char *s,
			   size_t len, long line)
{
	if (len > GROUP_VALUE_MAX)
		return fail_at(&r->row_fail, r->name, line,
			       "column '%s': expected a group of at most %d "
			       "bytes, found %zu bytes", r->header[i],
			       GROUP_VALUE_MAX, len);
	/* fields are taken as written (core/csvread.c): " F" and "F"
	 * would be two groups that print alike */
	if (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
			s[len - 1] == '\t')) {
		char shown[128];
		return fail_at(&r->row_fail, r->name, line,
			       "column '%s': expected a group without spaces "
			       "or tabs around it, found '%s'", r->header[i],
			       fail_quote(shown, sizeof shown, s, len));
	}
	size_t j = (size_t)r->feature[i];
	int64_t v = evaluation_value(r->ev, j, s, len);
	if (v == EVAL_FULL)
		return evaluation_fail_groups(r->ev, j, s, len, r->name, line,
					      &r->row_fail);
	if (v < 0)
		return fail_set(&r->row_fail, FAIL_INTERNAL, "out of memory");
	r->value[j] = (uint32_t)v;
	return 0;
}

static const column_fn column_fns[] = {
	[COL_IGNORED] = field_ignored,     [COL_Y_TRUE] = field_y_true,
	[COL_Y_PRED] = field_y_pred,       [COL_SCORE] = field_score,
	[COL_WEIGHT] = field_weight,       [COL_STEP] = field_step,
	[COL_SENSITIVE] = field_sensitive,
};

static int on_field(void *ctx, size_t i, const char *s, size_t len, long line)
{
	struct reader *r = ctx;
	if (i < r->ncolumns && !r->row_failed &&
	    r->column_fn[i](r, i, s, len, line) != 0)
		r->row_failed = 1;
	return 0;
}

static int on_row_end(void *ctx, size_t nfields, long line, struct fail *f)
{
	struct reader *r = ctx;
	int rc = 0;
	if (r->cancel != NULL &&
	    atomic_load_explicit(r->cancel, memory_order_relaxed))
		return fail_set(f, FAIL_INTERNAL, "cancelled");
	if (nfields != r->ncolumns) {
		rc = fail_at(f, r->name, line,
			     "expected %zu fields as in the header, found %zu",
			     r->ncolumns, nfields);
	} else if (r->row_failed) {
		*f = r->row_fail;
		rc = -1;
	} else if ((rc = evaluation_add(r->ev, r->step, r->full_mask,
					r->value, r->truth, r->pred, r->weight,
					r->score)) != 0) {
		rc = rc == EVAL_FULL
			     ? evaluation_fail_cells(r->ev, r->step,
						     r->full_mask, r->value,
						     r->name, line, f)
			     : fail_set(f, FAIL_INTERNAL, "out of memory");
	} else {
		r->sum->rows++;
	}
	row_reset(r);
	return rc;
}

/* --- reading on two threads ---------------------------------------
 *
 * A large file is read in two halves at once, cut after the first line
 * end past the middle.  The first half's reader parses the header, then
 * starts a thread that reads from the cut to the end into an evaluation
 * of its own, with the same columns; it reads on up to the cut itself.
 * There it takes the second half in (evaluation_merge) when all of
 * these hold; otherwise it reads on past the cut as if there had been
 * no second half, so that every message, line number included, is the
 * one reading the file whole would give:
 *
 *   - a row ended exactly at the cut (it did not fall inside a quoted
 *     field), so the second half began at a row, as it assumed;
 *   - the second half found nothing wrong (its line numbers would be
 *     wrong, so its messages are never shown);
 *   - it took the same negative label, or one half saw none.
 *
 * Where the cut falls depends only on the file's size, never on the
 * machine, so the counts (sums of weights, added half by half) are the
 * same everywhere. */
struct second_half {
	struct reader r; /* the header's tables borrowed from the first */
	struct predictions_summary sum;
	struct fail f;
	int rc;
	int started, running;
	pthread_t thread;
	atomic_int cancel;
	/* what to read: the source, from `start` on */
	const struct source *src;
	size_t start;
};

static int refuse_header(void *ctx, const struct csv_row *row, struct fail *f)
{
	(void)ctx, (void)row;
	return fail_set(f, FAIL_INTERNAL, "a header in the second half");
}

static void *second_half_main(void *arg)
{
	struct second_half *h = arg;
	static const struct csv_field_handlers handlers = {
		refuse_header, on_field, on_row_end};
	struct csvread_range range = {h->start, 0, NULL};
	h->rc = csvread_fields(h->src, &handlers, &range, &h->r, NULL, &h->f);
	return NULL;
}

/* Called once the header is read: the second half gets a reader like
 * the first's (same columns, features in the same order) and starts. */
static int second_half_start(struct reader *first)
{
	struct second_half *h = first->half;
	struct fail f;
	fail_init(&f);
	h->r = *first;
	h->r.half = NULL;
	h->r.cancel = &h->cancel;
	h->r.sum = &h->sum;
	h->r.ev = evaluation_new(1);
	if (h->r.ev == NULL)
		return -1;
	for (size_t j = 0; j < evaluation_feature_count(first->ev); j++) {
		const char *name = evaluation_feature_name(first->ev, j);
		if (evaluation_feature(h->r.ev, name, strlen(name), &f) < 0)
			return -1;
	}
	memset(&h->sum, 0, sizeof h->sum);
	h->sum.has_score = first->sum->has_score;
	h->sum.has_weight = first->sum->has_weight;
	h->sum.has_step = first->sum->has_step;
	fail_init(&h->f);
	atomic_init(&h->cancel, 0);
	if (pthread_create(&h->thread, NULL, second_half_main, h) != 0)
		return 0; /* no thread: the first half reads on alone */
	h->started = h->running = 1;
	return 0;
}

/* Wait for the second half (told to give up when `cancel`). */
static void second_half_join(struct second_half *h, int cancel)
{
	if (!h->running)
		return;
	if (cancel)
		atomic_store(&h->cancel, 1);
	pthread_join(h->thread, NULL);
	h->running = 0;
}

static void second_half_release(struct second_half *h)
{
	second_half_join(h, 1);
	evaluation_free(h->r.ev);
	h->r.ev = NULL;
}

/* csvread's at_pause at the cut: take the second half in (1) or read
 * on (0); -1 when out of memory. */
static int at_cut(void *ctx, int clean, struct fail *f)
{
	struct reader *r = ctx;
	struct second_half *h = r->half;
	if (!h->started)
		return 0;
	second_half_join(h, !clean);
	struct reader *b = &h->r;
	int same_label = !r->have_negative || !b->have_negative ||
			 (r->negative_len == b->negative_len &&
			  memcmp(r->sum->negative_label, h->sum.negative_label,
				 r->negative_len) == 0);
	if (!clean || h->rc != 0 || !same_label) {
		second_half_release(h);
		return 0;
	}
	int merged = evaluation_merge(r->ev, b->ev);
	if (merged == EVAL_FULL) {
		/* together past a limit: read on, to refuse the row that
		 * goes past it with its own line */
		second_half_release(h);
		return 0;
	}
	if (merged != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	r->sum->rows += h->sum.rows;
	if (!r->have_negative && b->have_negative) {
		memcpy(r->sum->negative_label, h->sum.negative_label,
		       sizeof r->sum->negative_label);
		r->negative_len = b->negative_len;
		r->have_negative = 1;
	}
	second_half_release(h);
	return 1;
}

/* Where to cut src, of `size` bytes: just past the first '\n' from the
 * middle on, looking at most 1 MiB past the middle; 0 when not found
 * before the end (the input is then read whole). */
static size_t cut_in(const struct source *src, size_t size)
{
	enum { BLOCK = 64 * 1024 };
	size_t cut = 0;
	struct source_stream in;
	struct fail ignored;
	fail_init(&ignored);
	if (source_open(&in, src, BLOCK, &ignored) != 0)
		return 0;
	size_t at = size / 2;
	if (source_seek(&in, at, &ignored) == 0) {
		for (int k = 0; k < 16 && cut == 0; k++) {
			const char *got;
			size_t n = source_read(&in, BLOCK, &got);
			const char *nl = memchr(got, '\n', n);
			if (nl != NULL)
				cut = at + (size_t)(nl - got) + 1;
			at += n;
			if (n < BLOCK)
				break;
		}
	}
	source_close(&in);
	return cut < size ? cut : 0;
}

static int on_header(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct reader *r = ctx;
	row_reset(r);
	if (read_header(r, row, f) != 0)
		return -1;
	for (size_t i = 0; i < r->ncolumns; i++)
		r->column_fn[i] = column_fns[r->role[i]];
	if (r->half != NULL && second_half_start(r) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

int predictions_read(const struct source *src,
		     const struct predictions_options *opt,
		     struct evaluation **out, struct predictions_summary *sum,
		     struct fail *f)
{
	const char *name = src->name;
	struct reader r;
	struct second_half *half = NULL;
	long rows = 0;
	int rc = -1;
	memset(&r, 0, sizeof r);
	memset(sum, 0, sizeof *sum);
	r.name = name;
	r.opt = opt;
	r.sum = sum;
	r.positive_len = strlen(opt->positive_label);
	if (r.positive_len == 1)
		r.label_byte[(unsigned char)opt->positive_label[0]] = 2;
	*out = NULL;
	/* whether there are scores is known only from the header: keep
	 * histograms; without a score column they stay empty */
	r.ev = evaluation_new(1);
	if (r.ev == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	static const struct csv_field_handlers handlers = {on_header, on_field,
							    on_row_end};
	/* a large file is read in two halves, one per thread */
	size_t split_min = opt->split_min_bytes ? opt->split_min_bytes
						: PREDICTIONS_SPLIT_MIN_BYTES;
	size_t size = source_size(src);
	struct csvread_range range = {0, 0, at_cut};
	if (size >= split_min)
		range.pause = cut_in(src, size);
	if (range.pause > 0) {
		half = calloc(1, sizeof *half);
		if (half == NULL) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		half->src = src;
		half->start = range.pause;
		r.half = half;
	}
	if (csvread_fields(src, &handlers, &range, &r, &rows, f) != 0)
		goto out;
	if (rows == 0) {
		fail_at(f, name, 1, "expected a header line (y_true,y_pred,"
			"...), found an empty file");
		goto out;
	}
	if (sum->rows == 0) {
		fail_at(f, name, 2, "expected at least one prediction after "
			"the header, found the end of the file");
		goto out;
	}
	if (evaluation_finish(r.ev) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	/* weights all zero weigh nothing: every rate would be undefined,
	 * and a run with nothing to judge must not pass as fair */
	if (evaluation_weighs_nothing(r.ev)) {
		fail_at(f, name, 2, "expected at least one row with a positive "
			"weight, found all %lld weights zero: no evaluation",
			(long long)sum->rows);
		goto out;
	}
	*out = r.ev;
	r.ev = NULL;
	rc = 0;
out:
	if (half != NULL)
		second_half_release(half);
	free(half);
	evaluation_free(r.ev);
	for (size_t i = 0; i < r.ncolumns && r.header; i++)
		free(r.header[i]);
	free(r.header);
	free(r.role);
	free(r.column_fn);
	free(r.feature);
	return rc;
}
