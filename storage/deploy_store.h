/*
 * deploy_store.h — deployments on record.
 *
 * A deployment made by fairtop is recorded `pending` before its hook
 * runs and `done` or `failed` after, with the hook's exit status and the
 * tail of its output; only `done` deployments count as what is in
 * production.  The history from before fairtop comes from
 * deployments.csv (source 'history'), taken once however often it is
 * ingested.  Each deployment adds a row to the audit log.
 */
#ifndef FAIRTOP_DEPLOY_STORE_H
#define FAIRTOP_DEPLOY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "storage/store.h"

/* Import deployments.csv at path, all or nothing.  *added gets the rows
 * new to the store. */
int store_import_deployments(struct store *s, const char *path,
			     long *added, struct fail *f);

/* Record a deployment of run_key (kind deploy, override or rollback) as
 * pending.  *id gets its id. */
int store_deployment_begin(struct store *s, const char *run_key,
			   const char *kind, const char *actor,
			   const char *reason, int64_t *id, struct fail *f);

/* Close deployment id as done (ok != 0) or failed, with the hook's exit
 * status (-1: no hook, or killed) and output tail (may be NULL), and
 * put the outcome in the audit log: action KIND when done, KIND_failed
 * when not, with details_json.  When done, in the same transaction: the
 * alerts still open of the run it replaced in production (the last done
 * deployment before this one closes) resolve, with the deployment as the
 * reason, and those of its own run that an earlier replacement resolved
 * fire again. */
int store_deployment_finish(struct store *s, int64_t id, int ok,
			    int hook_status, const char *hook_output,
			    const char *details_json, struct fail *f);

/* Record a deployment of run_key seen outside fairtop (an MLflow
 * registry alias, at import): kind deploy, done at once, time now,
 * source `source` ("mlflow"), its audit row with details_json (may be
 * NULL) after the deployment's id and time, and the alerts of the run it
 * replaces resolved as store_deployment_finish() does.  When run_key is
 * already in production nothing is recorded: *recorded gets 0, else 1. */
int store_deployment_observed(struct store *s, const char *run_key,
			      const char *actor, const char *reason,
			      const char *source, const char *details_json,
			      int *recorded, struct fail *f);

struct stored_deployment {
	int64_t id;
	char *time, *run_key, *kind, *actor, *reason, *state, *source;
	char *hook_output;
	char *recorded_at; /* when fairtop recorded it (an import's time for
			    * deployments.csv), NULL when not known */
	int hook_status; /* -1 when none */
};

/* All deployments, oldest first.  Caller frees with
 * stored_deployments_free(). */
int store_deployments_list(struct store *s, struct stored_deployment **d,
			   size_t *n, struct fail *f);
void stored_deployments_free(struct stored_deployment *d, size_t n);

#endif
