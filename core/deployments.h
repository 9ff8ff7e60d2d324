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

/* One row; strings borrowed for the duration of the callback. */
struct deployment_row {
	long line;
	const char *time, *run, *kind, *actor, *reason;
};

typedef int (*deployment_fn)(void *ctx, const struct deployment_row *row,
			     struct fail *f);

int deployments_read(const char *path, const char *name, deployment_fn fn,
		     void *ctx, long *nrows, struct fail *f);
int deployments_read_buffer(const char *data, size_t size, const char *name,
			    deployment_fn fn, void *ctx, long *nrows,
			    struct fail *f);

/* 1 when kind is deploy, override or rollback. */
int deployments_kind_valid(const char *kind);

#endif
