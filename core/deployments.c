/*
 * deployments.c — reading deployments.csv.  See deployments.h.
 */
#include "core/deployments.h"

#include <string.h>

#include "core/columns.h"
#include "core/csvread.h"
#include "core/isotime.h"
#include "core/runinfo.h"

enum { TIME, RUN, KIND, ACTOR, REASON, NCOLUMNS };

static const char *const columns[NCOLUMNS] = {"time", "run", "kind", "actor",
					      "reason"};

struct reader {
	const char *name;
	deployment_fn fn;
	void *ctx;
	size_t pos[NCOLUMNS];
	long rows;
};

int deployments_kind_valid(const char *kind)
{
	return strcmp(kind, "deploy") == 0 || strcmp(kind, "override") == 0 ||
	       strcmp(kind, "rollback") == 0;
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
	struct deployment_row d = {
		.line = row->line,
		.time = row->field[r->pos[TIME]],
		.run = row->field[r->pos[RUN]],
		.kind = row->field[r->pos[KIND]],
		.actor = row->field[r->pos[ACTOR]],
		.reason = row->field[r->pos[REASON]],
	};
	if (!isotime_valid(d.time))
		return fail_at(f, r->name, row->line,
			       "column 'time': expected an ISO 8601 time such "
			       "as 2026-01-22T14:05:00Z (years 0001 to 9999 in "
			       "UTC), found '%s'",
			       fail_quote(shown, sizeof shown, d.time,
					  strlen(d.time)));
	if (d.run[0] == '\0')
		return fail_at(f, r->name, row->line,
			       "column 'run': expected a run id, found an "
			       "empty field");
	if (strlen(d.run) > RUN_ID_MAX)
		return fail_at(f, r->name, row->line,
			       "column 'run': expected a run id of at most "
			       "%d bytes, found %zu bytes", RUN_ID_MAX,
			       strlen(d.run));
	if (!deployments_kind_valid(d.kind))
		return fail_at(f, r->name, row->line,
			       "column 'kind': expected deploy, override or "
			       "rollback, found '%s'",
			       fail_quote(shown, sizeof shown, d.kind,
					  strlen(d.kind)));
	if (d.actor[0] == '\0')
		return fail_at(f, r->name, row->line,
			       "column 'actor': expected who deployed, found "
			       "an empty field");
	if (strcmp(d.kind, "override") == 0 && d.reason[0] == '\0')
		return fail_at(f, r->name, row->line,
			       "column 'reason': expected the reason for the "
			       "override, found an empty field");
	r->rows++;
	return r->fn(r->ctx, &d, f);
}

static int finish(struct reader *r, long rows, struct fail *f)
{
	if (rows == 0)
		return fail_at(f, r->name, 1,
			       "expected the header "
			       "'time,run,kind,actor,reason', found an empty "
			       "file");
	return 0;
}

int deployments_read(const struct source *src, deployment_fn fn, void *ctx,
		     long *nrows, struct fail *f)
{
	struct reader r = {.name = src->name, .fn = fn, .ctx = ctx};
	long rows = 0;
	int rc = csvread_rows(src, on_row, &r, &rows, f);
	if (rc == 0)
		rc = finish(&r, rows, f);
	if (nrows)
		*nrows = r.rows;
	return rc;
}
