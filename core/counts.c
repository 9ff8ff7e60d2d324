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

struct reader {
	const char *name;
	struct evaluation *ev;
	size_t pos[NCOLUMNS];
	long points;
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
		if (v < 0)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		*mask |= 1u << j;
		value[j] = (uint32_t)v;
		text = amp ? amp + 1 : end;
	}
	return 0;
}

static int count_field(struct reader *r, const struct csv_row *row, int col,
		       double *out, struct fail *f)
{
	char shown[64];
	size_t i = r->pos[col];
	enum number_status st = number_parse(row->field[i], row->len[i], out);
	if (st == NUMBER_EMPTY)
		return fail_at(f, r->name, row->line,
			       "column '%s': expected a non-negative finite "
			       "count, found an empty field", columns[col]);
	if (st != NUMBER_OK || *out < 0)
		return fail_at(f, r->name, row->line,
			       "column '%s': expected a non-negative finite "
			       "count, found '%s'", columns[col],
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	return 0;
}

static int on_row(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct reader *r = ctx;
	char shown[64];
	if (row->index == 0)
		return columns_match(row, r->name, columns, NCOLUMNS, r->pos, f);
	if (row->nfields != NCOLUMNS)
		return fail_at(f, r->name, row->line,
			       "expected %d fields as in the header, found %zu",
			       NCOLUMNS, row->nfields);
	int64_t step;
	size_t i = r->pos[STEP];
	if (number_parse_int(row->field[i], row->len[i], &step) != NUMBER_OK ||
	    step < 0)
		return fail_at(f, r->name, row->line,
			       "column 'step': expected a whole number >= 0, "
			       "found '%s'",
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
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

int counts_read(const struct source *src, struct evaluation **out,
		struct fail *f)
{
	const char *name = src->name;
	struct reader r = {.name = name};
	long rows = 0;
	int rc = -1;
	*out = NULL;
	r.ev = evaluation_new(0);
	if (r.ev == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (csvread_rows(src, on_row, &r, &rows, f) != 0)
		goto out;
	if (rows == 0) {
		fail_at(f, name, 1, "expected the header "
			"'step,group,tp,fp,tn,fn', found an empty file");
		goto out;
	}
	if (r.points == 0) {
		fail_at(f, name, 2, "expected at least one row of counts "
			"after the header, found the end of the file");
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
		fail_at(f, name, rows, "expected counts whose sums are "
			"finite, found group '%s' at step %lld summing "
			"beyond 1.8e308 over the rows up to here",
			label[0] ? label : "(all)", (long long)g->step);
		goto out;
	}
	*out = r.ev;
	r.ev = NULL;
	rc = 0;
out:
	evaluation_free(r.ev);
	return rc;
}
