/*
 * deployflow.h — putting a run in production: record, hook, close.
 *
 * Shared by `deploy` and `rollback` (and the dashboard's R): the
 * deployment is recorded pending, the hook runs (when one is set), and
 * the deployment is closed done or failed.  A failed hook leaves the
 * previous deployment current.
 */
#ifndef FAIRTOP_DEPLOYFLOW_H
#define FAIRTOP_DEPLOYFLOW_H

#include "core/policy.h"
#include "storage/runread.h"
#include "storage/store.h"

struct deploy_request {
	const struct stored_run *run;
	const char *kind;    /* deploy, override, rollback */
	const char *actor;
	const char *reason;
	const char *details_json; /* for the audit row */
	const char *hook;    /* NULL or "" for none */
	int timeout;         /* seconds */
};

/* Carry out the request; prints what happened.  Returns an exit code:
 * 0 done, 1 the hook failed or timed out, 70 the store failed. */
int deployflow_run(struct store *s, const struct deploy_request *req);

/* The actor: explicit, else $USER; NULL when neither. */
const char *deployflow_actor(const char *explicit_actor);

#endif
