/*
 * mlflow_import.c — MLflow runs as run folders in memory.  See
 * mlflow_import.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "service/mlflow_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/source.h"
#include "core/classweights.h"
#include "core/mlflow_files.h"
#include "core/number.h"
#include "core/runinfo.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "service/ingest.h"
#include "service/verdict.h"
#include "storage/declock.h"
#include "storage/deploy_store.h"
#include "storage/mlflow_db.h"
#include "storage/runread.h"

/* The two kinds of MLflow store, behind one face. */
struct reader {
	const char *dir;      /* an mlruns/ folder, or NULL */
	struct mlflow_db *db; /* a SQL store, or NULL */
	char store_dir[4096]; /* the folder holding the store: relative
			       * artifact paths are tried from it */
};

static int reader_runs(struct reader *r, const struct mlflow_filter *flt,
		       struct mlflow_run **runs, size_t *n, struct fail *f)
{
	if (r->db != NULL)
		return mlflow_db_runs(r->db, flt, runs, n, f);
	if (flt->workspace != NULL)
		return fail_set(f, FAIL_USAGE, "%s: --workspace: an mlruns/ "
				"folder has no workspaces (MLflow 3.10+ SQL "
				"stores have)", r->dir);
	return mlflow_files_runs(r->dir, flt, runs, n, f);
}

static int reader_details(struct reader *r, struct mlflow_run *run,
			  struct fail *f)
{
	return r->db != NULL ? mlflow_db_details(r->db, run, f)
			     : mlflow_files_details(r->dir, run, f);
}

static int reader_registry(struct reader *r, const struct mlflow_filter *flt,
			   struct mlflow_registry *reg, struct fail *f)
{
	return r->db != NULL ? mlflow_db_registry(r->db, flt, reg, f)
			     : mlflow_files_registry(r->dir, reg, f);
}

/* Open what o->source names, as sum->name in messages. */
static int reader_open(struct reader *r, const char *source, char *path,
		       size_t size, struct fail *f)
{
	memset(r, 0, sizeof *r);
	if (mlflow_source_parse(source, path, size) != MLFLOW_SOURCE_PATH)
		return fail_set(f, FAIL_USAGE, "%s%s: a %s tracking URI: "
				"fairtop reads MLflow's SQLite store "
				"(mlflow.db, sqlite:///PATH) or an mlruns/ "
				"folder only", path,
				strstr(source, "://") ? "://..." : "", path);
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(r->store_dir, sizeof r->store_dir, ".");
	else
		snprintf(r->store_dir, sizeof r->store_dir, "%.*s",
			 (int)(slash - path), path);
	if (path_is_dir(path)) {
		if (!mlflow_files_is_store(path))
			return fail_set(f, FAIL_USAGE, "%s: not an MLflow store "
					"(expected mlflow.db or an mlruns/ "
					"folder holding <experiment>/meta.yaml)",
					source);
		r->dir = path;
		snprintf(r->store_dir, sizeof r->store_dir, "%s", path);
		return 0;
	}
	return mlflow_db_open(path, source, &r->db, f);
}

static void reader_close(struct reader *r)
{
	mlflow_db_close(r->db);
	r->db = NULL;
}

/* The run.csv keys fairtop fills from MLflow's own fields: a param of
 * that name is kept as "mlflow.param.<name>". */
static const char *const reserved[] = {
	"run", "model", "version", "parent", "commit", "started_at",
	"finished_at", "status", "class_weights", "beta_factor", "sensitive",
	"positive_label", "data_version",
};

static int is_reserved(const char *key)
{
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (strcmp(reserved[i], key) == 0)
			return 1;
	return 0;
}

static void row(struct strbuf *sb, const char *key, const char *value)
{
	mlflow_csv_field(sb, key);
	strbuf_addch(sb, ',');
	mlflow_csv_field(sb, value);
	strbuf_addch(sb, '\n');
}

/* A tag fairtop.<key>, else a param <key>; *from says which. */
static const char *fairtop_value(const struct mlflow_run *r, const char *key,
				 const char **from)
{
	char tag[64];
	snprintf(tag, sizeof tag, "fairtop.%s", key);
	const char *v = mlflow_tag(r, tag);
	*from = "tag";
	if (v == NULL) {
		v = mlflow_param(r, key);
		*from = "param";
	}
	return v;
}

/* The registered version of run id, or NULL. */
static const struct mlflow_version *version_of(
	const struct mlflow_registry *reg, const char *id)
{
	for (size_t i = 0; i < reg->nversions; i++)
		if (reg->version[i].run_id != NULL &&
		    strcmp(reg->version[i].run_id, id) == 0)
			return &reg->version[i];
	return NULL;
}

/* run.csv of r into sb; -1 with *f filled for a value fairtop cannot
 * take (named by where it came from). */
static int make_run_csv(const char *name, const struct mlflow_run *r,
			const struct mlflow_registry *reg, struct strbuf *sb,
			struct fail *f)
{
	char when[64], shown[64], why[256], where[512];
	const char *from, *v;
	strbuf_addstr(sb, "key,value\n");
	row(sb, "run", r->id);
	const struct mlflow_version *mv = version_of(reg, r->id);
	if (mv != NULL) {
		row(sb, "model", mv->model);
		row(sb, "version", mv->version);
	} else {
		const char *model = r->experiment && r->experiment[0]
					    ? r->experiment : "mlflow";
		row(sb, "model", model);
		if (r->name != NULL && r->name[0] != '\0')
			row(sb, "version", r->name);
	}
	if (!r->has_start || mlflow_ms_to_iso(r->start_ms, when, sizeof when))
		return fail_set(f, FAIL_DATA, "%s: run %s: start_time: expected "
				"epoch milliseconds of years 0001 to 9999, "
				"found %s", name, r->id,
				r->has_start ? "another value" : "none");
	row(sb, "started_at", when);
	if (r->has_end && mlflow_ms_to_iso(r->end_ms, when, sizeof when) == 0)
		row(sb, "finished_at", when);
	if (r->status != NULL)
		row(sb, "status", r->status);
	if ((v = mlflow_tag(r, "mlflow.source.git.commit")) != NULL)
		row(sb, "commit", v);
	if ((v = mlflow_tag(r, "mlflow.parentRunId")) != NULL)
		row(sb, "parent", v);
	if ((v = fairtop_value(r, "data_version", &from)) != NULL)
		row(sb, "data_version", v);
	if ((v = fairtop_value(r, "beta_factor", &from)) != NULL) {
		double beta;
		if (number_parse(v, strlen(v), &beta) != NUMBER_OK ||
		    !(beta > 0))
			return fail_set(f, FAIL_DATA, "%s: run %s: %s "
					"%sbeta_factor: expected a positive "
					"finite number, found \"%s\"", name,
					r->id, from,
					from[0] == 't' ? "fairtop." : "",
					fail_quote(shown, sizeof shown, v,
						   strlen(v)));
		row(sb, "beta_factor", v);
	}
	if ((v = fairtop_value(r, "sensitive", &from)) != NULL)
		row(sb, "sensitive", v);
	if ((v = fairtop_value(r, "positive_label", &from)) != NULL)
		row(sb, "positive_label", v);
	if ((v = mlflow_param(r, "class_weight")) != NULL) {
		struct strbuf cw = STRBUF_INIT;
		int k = mlflow_class_weight(v, &cw, why, sizeof why);
		struct class_weight parsed[CLASSWEIGHTS_MAX];
		size_t nparsed;
		snprintf(where, sizeof where, "%s: run %s: param class_weight",
			 name, r->id);
		if (k < 0) {
			strbuf_release(&cw);
			return fail_set(f, FAIL_DATA, "%s: %s", where, why);
		}
		if (k > 0 && classweights_parse(cw.buf, where, parsed,
						&nparsed, f) != 0) {
			strbuf_release(&cw);
			return -1;
		}
		if (k > 0)
			row(sb, "class_weights", cw.buf);
		strbuf_release(&cw);
	}
	/* where it came from, then the params */
	if (r->experiment != NULL)
		row(sb, "mlflow.experiment", r->experiment);
	if (r->name != NULL)
		row(sb, "mlflow.run_name", r->name);
	for (size_t i = 0; i < r->nparams; i++) {
		const char *key = r->param[i].key;
		if (strcmp(key, "data_version") == 0 ||
		    strcmp(key, "beta_factor") == 0 ||
		    strcmp(key, "sensitive") == 0 ||
		    strcmp(key, "positive_label") == 0) {
			/* taken above unless a tag said otherwise: kept then */
			char tag[64];
			snprintf(tag, sizeof tag, "fairtop.%s", key);
			if (mlflow_tag(r, tag) == NULL)
				continue;
		}
		if (is_reserved(key) || strcmp(key, "mlflow.experiment") == 0 ||
		    strcmp(key, "mlflow.run_name") == 0) {
			struct strbuf k = STRBUF_INIT;
			strbuf_addf(&k, "mlflow.param.%s", key);
			row(sb, k.buf, r->param[i].value);
			strbuf_release(&k);
		} else {
			row(sb, key, r->param[i].value);
		}
	}
	if (strbuf_failed(sb))
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

static int cmp_point(const void *a, const void *b)
{
	const struct mlflow_point *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c != 0)
		return c;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	if (x->timestamp != y->timestamp)
		return x->timestamp < y->timestamp ? -1 : 1;
	return 0;
}

/* metrics.csv of r into sb: NaN and infinite points skipped and
 * counted, one value per key and step (the last logged).  *points gets
 * how many rows were written. */
static int make_metrics_csv(struct mlflow_run *r, struct strbuf *sb,
			    long *points, struct mlflow_import_summary *sum,
			    struct fail *f)
{
	char when[64], num[64];
	*points = 0;
	/* stable for equal keys: qsort is not, so equal points (same key,
	 * step and time) keep no order, and the last is any of them */
	qsort(r->metric, r->nmetrics, sizeof *r->metric, cmp_point);
	strbuf_addstr(sb, "step,timestamp,metric,group,value\n");
	for (size_t i = 0; i < r->nmetrics; i++) {
		const struct mlflow_point *p = &r->metric[i];
		if (p->is_nan) {
			sum->nan_points++;
			continue;
		}
		if (mlflow_is_infinite(p->value)) {
			sum->infinite_points++;
			continue;
		}
		/* a later value of the same key and step replaces it */
		size_t j = i + 1;
		while (j < r->nmetrics && r->metric[j].is_nan == 0 &&
		       !mlflow_is_infinite(r->metric[j].value) &&
		       strcmp(r->metric[j].key, p->key) == 0 &&
		       r->metric[j].step == p->step)
			j++;
		if (j > i + 1) {
			i = j - 2; /* the loop's i++ lands on j - 1 */
			continue;
		}
		const char *group;
		size_t mlen = mlflow_metric_split(p->key, &group);
		struct strbuf metric = STRBUF_INIT;
		strbuf_add(&metric, p->key, mlen);
		strbuf_addf(sb, "%lld,", (long long)p->step);
		if (mlflow_ms_to_iso(p->timestamp, when, sizeof when) == 0)
			strbuf_addstr(sb, when);
		strbuf_addch(sb, ',');
		mlflow_csv_field(sb, metric.buf);
		strbuf_addch(sb, ',');
		mlflow_csv_field(sb, group);
		strbuf_addf(sb, ",%s\n",
			    number_format_shortest(num, sizeof num, p->value));
		strbuf_release(&metric);
		(*points)++;
	}
	if (strbuf_failed(sb))
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

/* The folder of r's fairtop artifacts into dir (1), or why there is
 * none into note (0). */
static int find_evaluation(const struct reader *rd, const struct mlflow_run *r,
			   char *dir, size_t size, char *note,
			   size_t note_size)
{
	char path[4096], tried[4096];
	const char *uri = r->artifact_uri;
	int k = uri != NULL ? mlflow_artifact_path(uri, path, sizeof path) : -1;
	if (k == 1) {
		snprintf(note, note_size, "imported without evaluation: its "
			 "artifacts are remote (%s); fetch them with `mlflow "
			 "artifacts download --run-id %s --artifact-path "
			 "fairtop`, then ingest them as a run folder", uri,
			 r->id);
		return 0;
	}
	tried[0] = '\0';
	if (k == 0) {
		/* as written, else from the store's folder */
		snprintf(dir, size, "%s/fairtop", path);
		if (path_is_dir(dir))
			goto found;
		snprintf(tried, sizeof tried, "%s", dir);
		if (path[0] != '/') {
			snprintf(dir, size, "%s/%s/fairtop", rd->store_dir,
				 path);
			if (path_is_dir(dir))
				goto found;
		}
	}
	if (rd->dir != NULL) { /* an mlruns/ folder moved since */
		snprintf(dir, size, "%s/%s/%s/artifacts/fairtop", rd->dir,
			 r->experiment_id, r->id);
		if (path_is_dir(dir))
			goto found;
	}
	snprintf(note, note_size, "imported without evaluation: no "
		 "fairtop/predictions.csv or fairtop/counts.csv among its "
		 "artifacts%s%s", tried[0] ? " in " : "", tried);
	return 0;
found:
	snprintf(path, sizeof path, "%s/predictions.csv", dir);
	snprintf(tried, sizeof tried, "%s/counts.csv", dir);
	if (path_is_file(path) || path_is_file(tried))
		return 1;
	snprintf(note, note_size, "imported without evaluation: %s holds no "
		 "predictions.csv or counts.csv", dir);
	return 0;
}

static int unfinished(const struct mlflow_run *r)
{
	return r->status != NULL && (strcmp(r->status, "RUNNING") == 0 ||
				     strcmp(r->status, "SCHEDULED") == 0);
}

/* Import one run (its details already read). */
static int import_run(struct store *s, const struct mlflow_import_options *o,
		      const struct reader *rd, struct mlflow_run *r,
		      const struct mlflow_registry *reg, const char *name,
		      mlflow_report_fn *fn, void *ctx,
		      struct mlflow_import_summary *sum, struct fail *f)
{
	struct strbuf run_csv = STRBUF_INIT, metrics_csv = STRBUF_INIT;
	struct strbuf origin = STRBUF_INIT, label = STRBUF_INIT;
	struct ingest_result res;
	struct mlflow_run_report rep = {r->id, NULL, 0, 0, NULL, NULL};
	char evaluation[4096], note[1024];
	long points = 0;
	int rc = -1;
	note[0] = '\0';
	strbuf_addf(&label, "%s: run %s", name, r->id);
	strbuf_addf(&origin, "%s (MLflow run %s)", name, r->id);
	if (make_run_csv(name, r, reg, &run_csv, f) != 0 ||
	    make_metrics_csv(r, &metrics_csv, &points, sum, f) != 0)
		goto out;
	int has_eval = find_evaluation(rd, r, evaluation, sizeof evaluation,
				       note, sizeof note);
	struct source run_src = source_buffer(run_csv.buf, run_csv.len,
					      label.buf);
	struct source metrics_src = source_buffer(metrics_csv.buf,
						  metrics_csv.len, label.buf);
	struct ingest_parts parts = {
		.origin = origin.buf,
		.run = &run_src,
		.metrics = points > 0 ? &metrics_src : NULL,
		.evaluation_dir = has_eval ? evaluation : NULL,
	};
	if (strbuf_failed(&label) || strbuf_failed(&origin)) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (ingest_parts(s, &parts, o->flags, o->policy, &res, &rep.raised,
			 &rep.critical, f) != 0)
		goto out;
	rep.res = &res;
	rep.note = note[0] ? note : NULL;
	sum->imported++;
	rc = 0;
out:
	if (rc != 0) {
		sum->refused++;
		if (f->kind > sum->worst)
			sum->worst = f->kind;
		rep.fail = f;
	}
	if (fn != NULL)
		fn(ctx, &rep);
	strbuf_release(&run_csv);
	strbuf_release(&metrics_csv);
	strbuf_release(&origin);
	strbuf_release(&label);
	/* a run refused is counted; a store failing stops the import */
	return rc != 0 && f->kind == FAIL_INTERNAL ? -1 : 0;
}

static int cmp_run(const void *a, const void *b)
{
	const struct mlflow_run *x = a, *y = b;
	if (x->start_ms != y->start_ms)
		return x->start_ms < y->start_ms ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The alias as deployment history: the run it points at, recorded in
 * production when it is not already. */
static int observe_alias(struct store *s, const struct mlflow_import_options *o,
			 const struct mlflow_registry *reg, const char *name,
			 struct mlflow_import_summary *sum, struct fail *f)
{
	const struct mlflow_alias *found = NULL;
	size_t models = 0;
	char shown[256], shown2[256];
	for (size_t i = 0; i < reg->naliases; i++) {
		const struct mlflow_alias *a = &reg->alias[i];
		if (strcmp(a->alias, o->alias) != 0 ||
		    (o->model != NULL && strcmp(a->model, o->model) != 0))
			continue;
		if (found == NULL)
			found = a;
		models++;
	}
	if (found == NULL) {
		if (o->model != NULL || strcmp(o->alias, "champion") != 0)
			snprintf(sum->alias_note, sizeof sum->alias_note,
				 "no alias '%s'%s%s in the registry: no "
				 "deployment recorded",
				 text_sanitize(shown, sizeof shown, o->alias,
					       strlen(o->alias)),
				 o->model ? " of model " : "",
				 o->model ? text_sanitize(shown2,
							  sizeof shown2,
							  o->model,
							  strlen(o->model))
					  : "");
		return 0;
	}
	if (models > 1) {
		snprintf(sum->alias_note, sizeof sum->alias_note,
			 "alias '%s' is on %zu registered models: --model NAME "
			 "says which is production; no deployment recorded",
			 text_sanitize(shown, sizeof shown, o->alias,
				       strlen(o->alias)), models);
		return 0;
	}
	const char *run_id = NULL;
	for (size_t i = 0; i < reg->nversions; i++)
		if (strcmp(reg->version[i].model, found->model) == 0 &&
		    strcmp(reg->version[i].version, found->version) == 0)
			run_id = reg->version[i].run_id;
	text_sanitize(shown2, sizeof shown2, found->model,
		      strlen(found->model));
	if (run_id == NULL) {
		snprintf(sum->alias_note, sizeof sum->alias_note,
			 "alias '%s' of model '%s' points at version %s, "
			 "which has no run: no deployment recorded",
			 text_sanitize(shown, sizeof shown, o->alias,
				       strlen(o->alias)), shown2,
			 found->version);
		return 0;
	}
	struct stored_run sr;
	int k = store_find_run(s, run_id, &sr, f);
	if (k < 0)
		return -1;
	if (k == 0)
		stored_run_release(&sr);
	else {
		snprintf(sum->alias_note, sizeof sum->alias_note,
			 "alias '%s' of model '%s' points at run %s, not in "
			 "the store: no deployment recorded",
			 text_sanitize(shown, sizeof shown, o->alias,
				       strlen(o->alias)), shown2,
			 text_sanitize(sum->deployed_run,
				       sizeof sum->deployed_run, run_id,
				       strlen(run_id)));
		sum->deployed_run[0] = '\0';
		return 0;
	}
	struct strbuf reason = STRBUF_INIT, details = STRBUF_INIT;
	char q_store[1024], q_model[512], q_alias[256], q_version[128];
	strbuf_addf(&reason, "observed at import: alias '%s' of registered "
		    "model '%s' (version %s) in %s", o->alias, found->model,
		    found->version, name);
	text_json_quote(q_store, sizeof q_store, name);
	text_json_quote(q_model, sizeof q_model, found->model);
	text_json_quote(q_alias, sizeof q_alias, o->alias);
	text_json_quote(q_version, sizeof q_version, found->version);
	strbuf_addf(&details, "{\"source\": \"mlflow\", \"store\": %s, "
		    "\"model\": %s, \"alias\": %s, \"version\": %s}", q_store,
		    q_model, q_alias, q_version);
	struct decision_lock lock = {-1};
	int rc = -1, recorded = 0;
	if (strbuf_failed(&reason) || strbuf_failed(&details)) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	/* one decision at a time: a deploy deciding now goes first */
	k = decision_lock_take(&lock, s, 10, NULL, f);
	if (k != 0) {
		if (k > 0)
			f->kind = FAIL_INTERNAL;
		goto out;
	}
	if (store_deployment_observed(s, run_id, o->actor, reason.buf,
				      "mlflow", details.buf, &recorded, f) != 0)
		goto out;
	if (recorded) {
		struct fail ignored;
		fail_init(&ignored);
		sum->deployed = 1;
		text_sanitize(sum->deployed_run, sizeof sum->deployed_run,
			      run_id, strlen(run_id));
		/* judged once here, as a deploy does */
		if (o->policy != NULL)
			verdict_keep_vs_production(s, o->policy, &ignored);
	}
	rc = 0;
out:
	decision_lock_release(&lock);
	strbuf_release(&reason);
	strbuf_release(&details);
	return rc;
}

int mlflow_import(struct store *s, const struct mlflow_import_options *o,
		  mlflow_report_fn *fn, void *ctx,
		  struct mlflow_import_summary *sum, struct fail *f)
{
	struct reader rd;
	struct mlflow_run *runs = NULL;
	struct mlflow_registry reg;
	char path[4096];
	size_t n = 0;
	int rc = -1;
	memset(sum, 0, sizeof *sum);
	memset(&reg, 0, sizeof reg);
	sum->name = o->source;
	if (reader_open(&rd, o->source, path, sizeof path, f) != 0)
		return -1;
	if (reader_runs(&rd, &o->filter, &runs, &n, f) != 0 ||
	    reader_registry(&rd, &o->filter, &reg, f) != 0)
		goto out;
	if (o->filter.run != NULL && n == 0) {
		char shown[128];
		fail_set(f, FAIL_USAGE, "%s: --run %s: no such run%s", o->source,
			 text_sanitize(shown, sizeof shown, o->filter.run,
				       strlen(o->filter.run)),
			 o->filter.experiment ? " in that experiment" : "");
		goto out;
	}
	if (o->filter.experiment != NULL && n == 0) {
		char shown[128];
		fail_set(f, FAIL_USAGE, "%s: --experiment %s: no such "
			 "experiment, or no runs in it", o->source,
			 text_sanitize(shown, sizeof shown, o->filter.experiment,
				       strlen(o->filter.experiment)));
		goto out;
	}
	/* oldest first: each run judged against what came before */
	if (n > 1)
		qsort(runs, n, sizeof *runs, cmp_run);
	for (size_t i = 0; i < n; i++) {
		struct mlflow_run *r = &runs[i];
		if (r->lifecycle != NULL && strcmp(r->lifecycle, "deleted") == 0) {
			sum->deleted++;
			continue;
		}
		if (unfinished(r) && !o->include_unfinished) {
			sum->unfinished++;
			continue;
		}
		if (!(o->flags & INGEST_REPLACE)) {
			struct stored_run sr;
			int k = store_find_run(s, r->id, &sr, f);
			if (k < 0)
				goto out;
			if (k == 0) {
				stored_run_release(&sr);
				sum->already++;
				continue;
			}
		}
		struct fail rf;
		fail_init(&rf);
		int bad = reader_details(&rd, r, &rf) != 0 ||
			  import_run(s, o, &rd, r, &reg, o->source, fn, ctx,
				     sum, &rf) != 0;
		mlflow_run_release_details(r);
		if (bad && rf.kind == FAIL_INTERNAL) {
			*f = rf;
			goto out;
		}
		if (bad) { /* the details could not be read: that run only */
			struct mlflow_run_report rep = {r->id, NULL, 0, 0, &rf,
							NULL};
			sum->refused++;
			if (rf.kind > sum->worst)
				sum->worst = rf.kind;
			if (fn != NULL)
				fn(ctx, &rep);
		}
	}
	if (observe_alias(s, o, &reg, o->source, sum, f) != 0)
		goto out;
	rc = 0;
out:
	mlflow_runs_free(runs, n);
	mlflow_registry_release(&reg);
	reader_close(&rd);
	return rc;
}
