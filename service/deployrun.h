/*
 * deployrun.h — putting a run in production: record, hook, close.
 *
 * Shared by `deploy`, `rollback` and the dashboard's R: the deployment
 * is recorded pending (with its audit row), the hook runs when one is
 * set (core/hook.h), and the deployment is closed done or failed.  A
 * failed hook leaves the previous deployment current.  Once the run is
 * in production, every run's vs-production verdict is judged against it
 * and kept (service/verdict.h), so that the screens read them.  Prints
 * nothing: the caller shows the result.
 */
#ifndef FAIRTOP_DEPLOYRUN_H
#define FAIRTOP_DEPLOYRUN_H

#include <stdint.h>

#include "core/hook.h"
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
	const struct policy *policy; /* when not NULL: once the run is in
				      * production, every run's verdict
				      * against it is judged and kept */
};

struct deploy_outcome {
	int64_t id;          /* the deployment's id */
	int done;            /* 1: in production now */
	int had_hook;
	int hook_started;    /* 0: the hook could not be started */
	struct hook_result hook;
	char why[FAIL_MSG_MAX]; /* when the hook could not start */
};

/* Carry out the request.  Returns 0 when it was recorded (see
 * out->done), -1 when the store failed (*f). */
int deployrun(struct store *s, const struct deploy_request *req,
	      struct deploy_outcome *out, struct fail *f);

/* One line saying why a deployment failed. */
const char *deployrun_failure(const struct deploy_outcome *o);

#endif
