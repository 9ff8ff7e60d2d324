/*
 * deployments.h — deployments.csv: the deployment history from before
 * fairtop.
 *
 * Header `time,run,kind,actor,reason` (any order); kind is deploy,
 * override or rollback; time ISO 8601.  Rows are handed over one at a
 * time.
 */
#ifndef FAIRTOP_DEPLOYMENTS_H
#define FAIRTOP_DEPLOYMENTS_H

#include <stddef.h>

#include "core/fail.h"
#include "core/source.h"

/* One row; strings borrowed for the duration of the callback. */
struct deployment_row {
	long line;
	const char *time, *run, *kind, *actor, *reason;
};

typedef int (*deployment_fn)(void *ctx, const struct deployment_row *row,
			     struct fail *f);

/* Read deployments.csv from src (a file or a buffer, named src->name in
 * messages); *nrows (may be NULL) gets the number of deployments. */
int deployments_read(const struct source *src, deployment_fn fn, void *ctx,
		     long *nrows, struct fail *f);

/* 1 when kind is deploy, override or rollback. */
int deployments_kind_valid(const char *kind);

#endif
