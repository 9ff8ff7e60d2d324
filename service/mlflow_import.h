/*
 * mlflow_import.h — MLflow's runs into the store (`ingest --mlflow`).
 *
 * Reads an MLflow store, never writing it: a SQL store
 * (storage/mlflow_db.h) or an mlruns/ folder (core/mlflow_files.h).
 * Each run becomes what a run folder gives, run.csv and metrics.csv
 * made in memory and the folder of its evaluation artifacts
 * (fairtop/predictions.csv or fairtop/counts.csv), and goes through the
 * same ingest as a folder (service/ingest.h): one transaction with its
 * verdict at arrival and its alerts.  Deleted runs, unfinished ones
 * (unless asked) and runs already in the store are skipped and
 * counted, so that importing the same store again changes nothing.
 * Then the registry alias (champion) becomes deployment history: when
 * it points at a run other than the one in production, a deployment
 * "observed at import" is recorded, with its audit row.
 */
#ifndef FAIRTOP_MLFLOW_IMPORT_H
#define FAIRTOP_MLFLOW_IMPORT_H

#include <stddef.h>

#include "core/fail.h"
#include "core/mlflow.h"
#include "core/policy.h"
#include "storage/ingest.h"
#include "storage/store.h"

struct mlflow_import_options {
	const char *source;        /* as given: a path, sqlite:///, file: */
	struct mlflow_filter filter;
	const char *model;         /* the registered model whose alias is
				    * followed; NULL: the one holding it */
	const char *alias;         /* "champion" */
	int include_unfinished;    /* RUNNING and SCHEDULED runs too */
	int flags;                 /* INGEST_*: INGEST_REPLACE re-imports
				    * runs already in the store */
	const char *actor;         /* who records the deployment observed */
	const struct policy *policy;
};

/* One run's outcome, as it happens; all borrowed for the call. */
struct mlflow_run_report {
	const char *run_id;             /* MLflow's */
	const struct ingest_result *res; /* stored, else NULL */
	size_t raised, critical;        /* its alerts */
	const struct fail *fail;        /* refused: why; else NULL */
	const char *note;               /* imported without evaluation:
					 * why, or NULL */
};

typedef void mlflow_report_fn(void *ctx, const struct mlflow_run_report *r);

struct mlflow_import_summary {
	const char *name;       /* the source, for messages (borrowed) */
	long imported, refused, already, deleted, unfinished;
	long nan_points, infinite_points;
	enum fail_kind worst;   /* of the runs refused */
	int deployed;           /* a deployment observed was recorded */
	char deployed_run[256]; /* its run (sanitised) */
	char alias_note[1024];  /* why the alias gave no deployment, or "" */
};

/* Import per o; fn(ctx, ...) (may be NULL) hears of each run imported
 * or refused.  Returns 0 when the source was read (runs may have been
 * refused: see sum), -1 with *f filled when it could not be (FAIL_USAGE:
 * not an MLflow store, a URI fairtop cannot read) or the store failed. */
int mlflow_import(struct store *s, const struct mlflow_import_options *o,
		  mlflow_report_fn *fn, void *ctx,
		  struct mlflow_import_summary *sum, struct fail *f);

#endif
