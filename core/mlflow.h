/*
 * mlflow.h — an MLflow run as fairtop reads it, and the pure mapping.
 *
 * MLflow keeps runs in a SQL store (mlflow.db, read by
 * storage/mlflow_db.h) or in an mlruns/ folder (core/mlflow_files.h).
 * Both readers fill the structs below; service/mlflow_import.h turns
 * each run into the run.csv and metrics.csv a run folder would hold.
 * The functions here are the parts of that mapping that need no store:
 * times in epoch milliseconds, scikit-learn's logged `class_weight`,
 * metric keys naming a group, the file store's status numbers, CSV
 * fields.  Facts about MLflow's stores: /work/shared/MLFLOW.md.
 */
#ifndef FAIRTOP_MLFLOW_H
#define FAIRTOP_MLFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "core/strbuf.h"

/* MLflow stores +-infinity as +-DBL_MAX (1.7976931348623157e308). */
#define MLFLOW_INFINITY 1.7976931348623157e308

struct mlflow_kv {
	char *key, *value;
};

struct mlflow_point {
	char *key;
	double value;
	int64_t timestamp; /* epoch milliseconds */
	int64_t step;
	int is_nan;        /* MLflow's is_nan: the value means nothing */
};

/* One run.  Every string owned (NULL when MLflow has none); the
 * params, tags and metrics are filled by a reader's "details" call and
 * freed by mlflow_run_release_details(). */
struct mlflow_run {
	char *id;              /* runs.run_uuid */
	char *name;            /* runs.name, may be NULL or repeated */
	char *experiment_id, *experiment; /* the experiment's id and name */
	char *status;          /* FINISHED, RUNNING, ... */
	char *lifecycle;       /* active, deleted */
	char *artifact_uri;
	int has_start, has_end;
	int64_t start_ms, end_ms;
	struct mlflow_kv *param, *tag;
	size_t nparams, params_cap, ntags, tags_cap;
	struct mlflow_point *metric;
	size_t nmetrics, metrics_cap;
};

/* A registered model's version, and an alias pointing at one. */
struct mlflow_version {
	char *model, *version, *run_id;
};
struct mlflow_alias {
	char *model, *alias, *version;
};
struct mlflow_registry {
	struct mlflow_version *version;
	size_t nversions, versions_cap;
	struct mlflow_alias *alias;
	size_t naliases, aliases_cap;
};

/* Which runs to read: each NULL for all. */
struct mlflow_filter {
	const char *experiment; /* a name or an id */
	const char *run;        /* a run_uuid */
	const char *workspace;  /* MLflow 3.10+; NULL: every workspace */
};

void mlflow_run_release_details(struct mlflow_run *r);
void mlflow_run_release(struct mlflow_run *r);
void mlflow_runs_free(struct mlflow_run *runs, size_t n);
void mlflow_registry_release(struct mlflow_registry *reg);

/* Append to a run's params or tags (key and value copied), or a metric
 * point (key copied).  0, or -1 when out of memory. */
int mlflow_add_param(struct mlflow_run *r, const char *key, const char *value);
int mlflow_add_tag(struct mlflow_run *r, const char *key, const char *value);
int mlflow_add_point(struct mlflow_run *r, const char *key, double value,
		     int64_t timestamp, int64_t step, int is_nan);
int mlflow_add_version(struct mlflow_registry *reg, const char *model,
		       const char *version, const char *run_id);
int mlflow_add_alias(struct mlflow_registry *reg, const char *model,
		     const char *alias, const char *version);

/* The value of tag or param key of r (borrowed), or NULL. */
const char *mlflow_tag(const struct mlflow_run *r, const char *key);
const char *mlflow_param(const struct mlflow_run *r, const char *key);

/* Epoch milliseconds as fairtop's canonical time "YYYY-MM-DDTHH:MM:SSZ"
 * (core/isotime.h: the time truncated to its second, toward the past
 * for times before 1970).  0, or -1 outside years 0001 to 9999. */
int mlflow_ms_to_iso(int64_t ms, char *buf, size_t size);

/* scikit-learn's logged class_weight, Python's str() of a dict
 * ("{0: 0.917, 1: 1.099}", "{'a': 1.0}", weights possibly written
 * np.float64(0.917)), as fairtop's class_weights text
 * "0:0.917;1:1.099" appended to out; the weights as written.  Returns
 * 1 when appended, 0 when the value means none was logged ("balanced",
 * "None", "{}", empty), -1 when it is none of these, with what was
 * expected in why ("expected {label: weight, ...}, found ..."). */
int mlflow_class_weight(const char *text, struct strbuf *out, char *why,
			size_t why_size);

/* A metric key "name/feature=value" (the last '/' followed by a part
 * holding '='): the length of the metric's name, with *group pointing
 * at the group in key; a key naming no group: its length, *group "". */
size_t mlflow_metric_split(const char *key, const char **group);

/* The file store's status number (meta.yaml) as its name: RUNNING 1,
 * SCHEDULED 2, FINISHED 3, FAILED 4, KILLED 5; NULL for another. */
const char *mlflow_status_name(long code);

/* 1 for +-MLFLOW_INFINITY, MLflow's stand-ins for infinity. */
int mlflow_is_infinite(double v);

/* s as one CSV field (quoted when it holds a comma, a quote, a line
 * end, or space at either end), appended to out. */
void mlflow_csv_field(struct strbuf *out, const char *s);

/* What a SOURCE of `ingest --mlflow` names. */
enum mlflow_source_kind {
	MLFLOW_SOURCE_PATH,        /* a file (mlflow.db) or a folder (mlruns/):
				    * the path, sqlite:/// and file: taken
				    * off, into path */
	MLFLOW_SOURCE_UNSUPPORTED, /* a store fairtop cannot read: its
				    * scheme ("postgresql") into path */
};

/* Classify source: "mlflow.db", "sqlite:///mlflow.db" (relative),
 * "sqlite:////abs/mlflow.db", "file:///abs/mlruns", "mlruns" give the
 * path (file: URIs percent-decoded); "postgresql://...",
 * "mysql://...", "http(s)://...", "databricks", ... give their scheme
 * only (a URI may hold a password: it is never repeated). */
enum mlflow_source_kind mlflow_source_parse(const char *source, char *path,
					    size_t size);

/* A local artifact_uri (a plain path, file:/PATH, file:///PATH,
 * file://localhost/PATH) as a path into buf: 0; 1 for a remote one
 * (s3://, gs://, mlflow-artifacts:, http(s)://, ...), -1 when buf is too
 * small. */
int mlflow_artifact_path(const char *uri, char *buf, size_t size);

#endif
