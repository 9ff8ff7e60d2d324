/*
 * mlflow_db.h — reading MLflow's SQL store (mlflow.db), never writing it.
 *
 * The file is opened with SQLITE_OPEN_READONLY through a `file:...?mode=ro`
 * URI, and only SELECTs and PRAGMA table_info are run on it, with bound
 * parameters.  mlflow_db_open() checks that the tables and columns
 * fairtop reads are there (core/mlflow.h lists what it fills); extra
 * tables and columns are ignored, among them MLflow 3.10's `workspace`,
 * which --workspace filters on.  A file that is not SQLite, or a SQLite
 * database without MLflow's tables, is refused as FAIL_USAGE: the user
 * named the wrong thing.
 */
#ifndef FAIRTOP_MLFLOW_DB_H
#define FAIRTOP_MLFLOW_DB_H

#include "core/fail.h"
#include "core/mlflow.h"

struct mlflow_db;

/* Open the SQL store at path (named `name` in messages) read-only.  On
 * success *out is owned by the caller (mlflow_db_close()). */
int mlflow_db_open(const char *path, const char *name, struct mlflow_db **out,
		   struct fail *f);
void mlflow_db_close(struct mlflow_db *m);

/* The runs passing filter, oldest first, without their details, into
 * *runs[0..*n) (caller frees with mlflow_runs_free()).  A run of a
 * deleted experiment is given as deleted. */
int mlflow_db_runs(struct mlflow_db *m, const struct mlflow_filter *filter,
		   struct mlflow_run **runs, size_t *n, struct fail *f);

/* Params, tags and metric history (by key, step, timestamp) of r. */
int mlflow_db_details(struct mlflow_db *m, struct mlflow_run *r,
		      struct fail *f);

/* The registered model versions and aliases (of filter's workspace)
 * into *reg (initialised zero; mlflow_registry_release()).  A store
 * without a registry has none. */
int mlflow_db_registry(struct mlflow_db *m, const struct mlflow_filter *filter,
		       struct mlflow_registry *reg, struct fail *f);

#endif
