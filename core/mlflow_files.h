/*
 * mlflow_files.h — reading MLflow's file store, an mlruns/ folder.
 *
 *     mlruns/<experiment_id>/meta.yaml
 *     mlruns/<experiment_id>/<run_uuid>/meta.yaml
 *     mlruns/<experiment_id>/<run_uuid>/metrics/<key>   "timestamp value step"
 *     mlruns/<experiment_id>/<run_uuid>/params/<key>    the value
 *     mlruns/<experiment_id>/<run_uuid>/tags/<key>      the value
 *     mlruns/models/<name>/version-<N>/meta.yaml        run_id among its keys
 *     mlruns/models/<name>/aliases/<alias>              the version number
 *
 * A key holding '/' is stored as sub-folders.  The folder is only read.
 * Errors name the file ("mlruns/0/3f2a.../meta.yaml: ...").
 */
#ifndef FAIRTOP_MLFLOW_FILES_H
#define FAIRTOP_MLFLOW_FILES_H

#include "core/fail.h"
#include "core/mlflow.h"

/* The value of key in a flat YAML text (lines "key: value"; quotes
 * around the value removed), as a new string the caller frees; NULL
 * when the key is absent or its value is null or empty.  *oom is set
 * when memory ran out. */
char *mlflow_yaml_get(const char *text, const char *key, int *oom);

/* 1 when dir looks like an mlruns/ folder: an experiment folder with a
 * meta.yaml naming its experiment_id, or a models/ folder. */
int mlflow_files_is_store(const char *dir);

/* The runs of the mlruns/ folder dir that pass filter (the workspace is
 * not the file store's: it must be NULL), without their details, into
 * *runs[0..*n) (caller frees with mlflow_runs_free()). */
int mlflow_files_runs(const char *dir, const struct mlflow_filter *filter,
		      struct mlflow_run **runs, size_t *n, struct fail *f);

/* Params, tags and metric history of r (a run from
 * mlflow_files_runs() of dir). */
int mlflow_files_details(const char *dir, struct mlflow_run *r,
			 struct fail *f);

/* The model registry of dir (mlruns/models), into *reg (initialised
 * zero; release with mlflow_registry_release()). */
int mlflow_files_registry(const char *dir, struct mlflow_registry *reg,
			  struct fail *f);

#endif
