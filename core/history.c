/*
 * history.c — reading metrics.csv.  See history.h.
 */
#include "core/history.h"

#include <string.h>

#include "core/columns.h"
#include "core/csvread.h"
#include "core/isotime.h"
#include "core/number.h"
#include "core/runinfo.h"

enum { STEP, TIMESTAMP, METRIC, GROUP, VALUE, NCOLUMNS };

static const char *const columns[NCOLUMNS] = {"step", "timestamp", "metric",
					      "group", "value"};

struct reader {
	const char *name;
	history_fn fn;
	void *ctx;
	size_t pos[NCOLUMNS];
	long points;
};

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
	struct metric_point p;
	size_t i = r->pos[STEP];
	p.line = row->line;
	if (number_parse_int(row->field[i], row->len[i], &p.step) != NUMBER_OK ||
	    p.step < 0)
		return fail_at(f, r->name, row->line,
			       "column 'step': expected a whole number >= 0, "
			       "found '%s'",
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	i = r->pos[TIMESTAMP];
	p.timestamp = row->field[i];
	if (row->len[i] > 0 && !isotime_valid(p.timestamp))
		return fail_at(f, r->name, row->line,
			       "column 'timestamp': expected an ISO 8601 time "
			       "such as 2026-01-22T14:05:00Z or nothing, found "
			       "'%s'",
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	i = r->pos[METRIC];
	p.metric = row->field[i];
	if (row->len[i] == 0)
		return fail_at(f, r->name, row->line,
			       "column 'metric': expected a metric name, found "
			       "an empty field");
	i = r->pos[GROUP];
	p.group = row->field[i];
	if (row->len[i] > 0 && memchr(p.group, '=', row->len[i]) == NULL)
		return fail_at(f, r->name, row->line,
			       "column 'group': expected nothing (overall) or "
			       "feature=value, found '%s'",
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	i = r->pos[VALUE];
	enum number_status st = number_parse(row->field[i], row->len[i],
					     &p.value);
	if (st == NUMBER_EMPTY)
		return fail_at(f, r->name, row->line,
			       "column 'value': expected a finite number, "
			       "found an empty field");
	if (st != NUMBER_OK)
		return fail_at(f, r->name, row->line,
			       "column 'value': expected a finite number, "
			       "found '%s'",
			       fail_quote(shown, sizeof shown, row->field[i],
					  row->len[i]));
	r->points++;
	return r->fn(r->ctx, &p, f);
}

static int finish(struct reader *r, long rows, struct fail *f)
{
	if (rows == 0)
		return fail_at(f, r->name, 1,
			       "expected the header "
			       "'step,timestamp,metric,group,value', found an "
			       "empty file");
	if (r->points == 0)
		return fail_at(f, r->name, 2,
			       "expected at least one metric row after the "
			       "header, found the end of the file");
	return 0;
}

int history_read(const struct source *src, history_fn fn, void *ctx,
		 long *npoints, struct fail *f)
{
	struct reader r = {.name = src->name, .fn = fn, .ctx = ctx};
	long rows = 0;
	int rc = csvread_rows(src, on_row, &r, &rows, f);
	if (rc == 0)
		rc = finish(&r, rows, f);
	if (npoints)
		*npoints = r.points;
	return rc;
}
