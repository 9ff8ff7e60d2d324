/*
 * mlflow_files.c — an mlruns/ folder, read.  See mlflow_files.h.
 */
#define _DEFAULT_SOURCE
#include "core/source.h"
#include "core/mlflow_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/array.h"
#include "core/number.h"
#include "core/strbuf.h"

/* The longest file fairtop reads from the tree (a meta.yaml, a param,
 * a metric's history is read line by line). */
#define META_MAX (1 << 20)

static int oom(struct fail *f)
{
	return fail_set(f, FAIL_INTERNAL, "out of memory");
}

/* The whole small file at path as a new string (caller frees), NULL
 * with *f filled. */
static char *slurp(const char *path, struct fail *f)
{
	FILE *fp = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char chunk[4096];
	size_t got;
	if (fp == NULL) {
		fail_set(f, FAIL_DATA, "%s: cannot open: %s", path,
			 strerror(errno));
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		strbuf_add(&sb, chunk, got);
		if (sb.len > META_MAX)
			break;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad || sb.len > META_MAX || strbuf_failed(&sb) ||
	    memchr(sb.buf, '\0', sb.len) != NULL) {
		fail_set(f, FAIL_DATA, "%s: %s", path,
			 bad ? "read error"
			 : strbuf_failed(&sb) ? "out of memory"
			 : sb.len > META_MAX ? "expected a file under 1 MiB, "
					       "found a larger one"
					     : "expected text, found a NUL byte");
		strbuf_release(&sb);
		return NULL;
	}
	if (sb.alloc == 0) /* empty: a string of our own to free */
		return strdup("");
	return strbuf_detach(&sb, NULL);
}

char *mlflow_yaml_get(const char *text, const char *key, int *oom_out)
{
	size_t klen = strlen(key);
	const char *p = text;
	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == ':') {
			const char *v = p + klen + 1;
			size_t vlen = len - klen - 1;
			while (vlen > 0 && (*v == ' ' || *v == '\t')) {
				v++;
				vlen--;
			}
			while (vlen > 0 && (v[vlen - 1] == ' ' ||
					    v[vlen - 1] == '\r' ||
					    v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && (v[0] == '\'' || v[0] == '"') &&
			    v[vlen - 1] == v[0]) {
				v++;
				vlen -= 2;
			} else if ((vlen == 4 && memcmp(v, "null", 4) == 0) ||
				   (vlen == 1 && v[0] == '~')) {
				vlen = 0;
			}
			if (vlen == 0)
				return NULL;
			char *out = malloc(vlen + 1);
			if (out == NULL) {
				*oom_out = 1;
				return NULL;
			}
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return out;
		}
		p += len + (eol != NULL);
	}
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir (not starting with '.'), sorted; caller frees
 * each and the array.  -1 when dir cannot be read or out of memory. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	size_t cap = 0;
	*names = NULL;
	*n = 0;
	if (d == NULL)
		return -1;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		char *name = strdup(e->d_name);
		if (name == NULL || ARRAY_GROW(*names, *n + 1, cap) != 0) {
			free(name);
			closedir(d);
			return -1;
		}
		(*names)[(*n)++] = name;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, cmp_names);
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int join(char *buf, size_t size, const char *a, const char *b)
{
	size_t len = strlen(a);
	int n = snprintf(buf, size, "%s%s%s", a,
			 len && a[len - 1] == '/' ? "" : "/", b);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* dir/name/meta.yaml read, or NULL (no such file: *f untouched). */
static char *meta_of(const char *dir, const char *name, char *path,
		     size_t size, struct fail *f)
{
	char sub[4096];
	if (join(sub, sizeof sub, dir, name) != 0 ||
	    join(path, size, sub, "meta.yaml") != 0 || !path_is_file(path))
		return NULL;
	return slurp(path, f);
}

int mlflow_files_is_store(const char *dir)
{
	char **names;
	size_t n;
	int yes = 0;
	char path[4096];
	if (list_dir(dir, &names, &n) != 0)
		return 0;
	for (size_t i = 0; i < n && !yes; i++) {
		struct fail f;
		fail_init(&f);
		if (strcmp(names[i], "models") == 0 &&
		    join(path, sizeof path, dir, names[i]) == 0 &&
		    path_is_dir(path)) {
			yes = 1;
			break;
		}
		char *meta = meta_of(dir, names[i], path, sizeof path, &f);
		int o = 0;
		char *id = meta ? mlflow_yaml_get(meta, "experiment_id", &o)
				: NULL;
		yes = id != NULL;
		free(id);
		free(meta);
	}
	free_names(names, n);
	return yes;
}

/* A time field of meta.yaml: 0 absent, 1 set, -1 not a whole number. */
static int meta_time(const char *meta, const char *key, int64_t *out,
		     int *o)
{
	char *v = mlflow_yaml_get(meta, key, o);
	if (v == NULL)
		return 0;
	int rc = number_parse_int(v, strlen(v), out) == NUMBER_OK ? 1 : -1;
	free(v);
	return rc;
}

static int read_run(const char *path, const char *meta,
		    const char *experiment_id, const char *experiment,
		    struct mlflow_run *r, struct fail *f)
{
	int o = 0;
	memset(r, 0, sizeof *r);
	r->id = mlflow_yaml_get(meta, "run_uuid", &o);
	if (r->id == NULL)
		r->id = mlflow_yaml_get(meta, "run_id", &o);
	r->name = mlflow_yaml_get(meta, "run_name", &o);
	r->experiment_id = strdup(experiment_id);
	r->experiment = experiment ? strdup(experiment) : NULL;
	r->lifecycle = mlflow_yaml_get(meta, "lifecycle_stage", &o);
	r->artifact_uri = mlflow_yaml_get(meta, "artifact_uri", &o);
	char *status = mlflow_yaml_get(meta, "status", &o);
	if (o || r->experiment_id == NULL ||
	    (experiment != NULL && r->experiment == NULL)) {
		free(status);
		return oom(f);
	}
	if (r->id == NULL) {
		free(status);
		return fail_set(f, FAIL_DATA, "%s: expected a run_uuid, found "
				"none", path);
	}
	int64_t code = 0;
	if (status != NULL &&
	    number_parse_int(status, strlen(status), &code) == NUMBER_OK) {
		const char *name = mlflow_status_name((long)code);
		free(status);
		if (name == NULL)
			return fail_set(f, FAIL_DATA, "%s: status: expected 1 "
					"to 5 (RUNNING ... KILLED), found %lld",
					path, (long long)code);
		status = strdup(name);
		if (status == NULL)
			return oom(f);
	}
	r->status = status;
	int a = meta_time(meta, "start_time", &r->start_ms, &o);
	int b = meta_time(meta, "end_time", &r->end_ms, &o);
	if (a < 0 || b < 0)
		return fail_set(f, FAIL_DATA, "%s: %s: expected epoch "
				"milliseconds, found another value", path,
				a < 0 ? "start_time" : "end_time");
	r->has_start = a == 1;
	r->has_end = b == 1;
	return o ? oom(f) : 0;
}

/* The runs of experiment folder exp_dir into *runs. */
static int experiment_runs(const char *exp_dir, const char *id,
			   const char *name, const struct mlflow_filter *flt,
			   struct mlflow_run **runs, size_t *n, size_t *cap,
			   struct fail *f)
{
	char **names;
	size_t count;
	char path[4096];
	int rc = 0;
	if (list_dir(exp_dir, &names, &count) != 0)
		return fail_set(f, FAIL_DATA, "%s: cannot read the folder",
				exp_dir);
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (flt->run != NULL && strcmp(flt->run, names[i]) != 0)
			continue;
		char *meta = meta_of(exp_dir, names[i], path, sizeof path, f);
		if (meta == NULL) {
			if (f->kind != FAIL_NONE)
				rc = -1;
			continue; /* not a run: artifacts, tags/ ... */
		}
		if (ARRAY_GROW(*runs, *n + 1, *cap) != 0) {
			free(meta);
			rc = oom(f);
			break;
		}
		rc = read_run(path, meta, id, name, &(*runs)[*n], f);
		(*n)++; /* released by the caller, filled or not */
		free(meta);
	}
	free_names(names, count);
	return rc;
}

int mlflow_files_runs(const char *dir, const struct mlflow_filter *filter,
		      struct mlflow_run **runs, size_t *n, struct fail *f)
{
	char **names;
	size_t count, cap = 0;
	char path[4096], exp_dir[4096];
	int rc = 0;
	*runs = NULL;
	*n = 0;
	if (list_dir(dir, &names, &count) != 0)
		return fail_set(f, FAIL_USAGE, "%s: cannot read the folder",
				dir);
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (strcmp(names[i], "models") == 0)
			continue;
		char *meta = meta_of(dir, names[i], path, sizeof path, f);
		if (meta == NULL) {
			if (f->kind != FAIL_NONE)
				rc = -1;
			continue;
		}
		int o = 0;
		char *id = mlflow_yaml_get(meta, "experiment_id", &o);
		char *name = mlflow_yaml_get(meta, "name", &o);
		free(meta);
		if (o) {
			rc = oom(f);
		} else if (id != NULL &&
			   (filter->experiment == NULL ||
			    strcmp(filter->experiment, id) == 0 ||
			    (name && strcmp(filter->experiment, name) == 0)) &&
			   join(exp_dir, sizeof exp_dir, dir, names[i]) == 0) {
			rc = experiment_runs(exp_dir, id, name, filter, runs, n,
					     &cap, f);
		}
		free(id);
		free(name);
	}
	free_names(names, count);
	if (rc != 0) {
		mlflow_runs_free(*runs, *n);
		*runs = NULL;
		*n = 0;
	}
	return rc;
}

/* The folder of run r in dir: dir/<experiment_id>/<run id>. */
static int run_dir(char *buf, size_t size, const char *dir,
		   const struct mlflow_run *r)
{
	char exp[4096];
	return join(exp, sizeof exp, dir, r->experiment_id) ||
	       join(buf, size, exp, r->id);
}

typedef int (*leaf_fn)(struct mlflow_run *r, const char *path,
		       const char *key, struct fail *f);

/* Each file under folder, its key the path below base joined by '/'. */
static int walk(const char *folder, const char *key, struct mlflow_run *r,
		leaf_fn fn, int depth, struct fail *f)
{
	char **names;
	size_t count;
	int rc = 0;
	if (depth > 32)
		return fail_set(f, FAIL_DATA, "%s: expected keys at most 32 "
				"folders deep, found deeper", folder);
	if (list_dir(folder, &names, &count) != 0)
		return 0; /* no params/, no tags/: none */
	for (size_t i = 0; i < count && rc == 0; i++) {
		char path[4096], sub[4096];
		if (join(path, sizeof path, folder, names[i]) != 0 ||
		    (key[0] && join(sub, sizeof sub, key, names[i]) != 0)) {
			rc = fail_set(f, FAIL_DATA, "%s: path too long", folder);
			break;
		}
		if (!key[0])
			snprintf(sub, sizeof sub, "%s", names[i]);
		if (path_is_dir(path))
			rc = walk(path, sub, r, fn, depth + 1, f);
		else if (path_is_file(path))
			rc = fn(r, path, sub, f);
	}
	free_names(names, count);
	return rc;
}

static int leaf_param(struct mlflow_run *r, const char *path,
		      const char *key, struct fail *f)
{
	char *v = slurp(path, f);
	if (v == NULL)
		return -1;
	int rc = mlflow_add_param(r, key, v) != 0 ? oom(f) : 0;
	free(v);
	return rc;
}

static int leaf_tag(struct mlflow_run *r, const char *path,
		    const char *key, struct fail *f)
{
	char *v = slurp(path, f);
	if (v == NULL)
		return -1;
	int rc = mlflow_add_tag(r, key, v) != 0 ? oom(f) : 0;
	free(v);
	return rc;
}

/* One line "timestamp value step [dataset digest]" of a metric file. */
static int metric_line(struct mlflow_run *r, const char *path, long line,
		       char *text, const char *key, struct fail *f)
{
	char *field[3];
	size_t nf = 0;
	for (char *save = NULL, *t = strtok_r(text, " \t\r", &save);
	     t != NULL && nf < 3; t = strtok_r(NULL, " \t\r", &save))
		field[nf++] = t;
	if (nf == 0)
		return 0;
	int64_t ts, step = 0;
	double v = 0;
	int is_nan = 0;
	if (nf < 2 || number_parse_int(field[0], strlen(field[0]), &ts) ||
	    (nf == 3 && number_parse_int(field[2], strlen(field[2]), &step)))
		return fail_at(f, path, line, "expected 'timestamp value "
			       "step', found another line");
	const char *s = field[1];
	if (strcmp(s, "nan") == 0 || strcmp(s, "NaN") == 0)
		is_nan = 1;
	else if (strcmp(s, "inf") == 0 || strcmp(s, "Infinity") == 0)
		v = MLFLOW_INFINITY;
	else if (strcmp(s, "-inf") == 0 || strcmp(s, "-Infinity") == 0)
		v = -MLFLOW_INFINITY;
	else if (number_parse(s, strlen(s), &v) != NUMBER_OK)
		return fail_at(f, path, line, "expected a number as the "
			       "value, found another");
	return mlflow_add_point(r, key, v, ts, step, is_nan) ? oom(f) : 0;
}

static int leaf_metric(struct mlflow_run *r, const char *path,
		       const char *key, struct fail *f)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;
	if (fp == NULL)
		return fail_set(f, FAIL_DATA, "%s: cannot open: %s", path,
				strerror(errno));
	while (rc == 0 && getline(&line, &cap, fp) >= 0) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		rc = metric_line(r, path, lineno, line, key, f);
	}
	free(line);
	fclose(fp);
	return rc;
}

int mlflow_files_details(const char *dir, struct mlflow_run *r,
			 struct fail *f)
{
	char base[4096], sub[4096];
	if (run_dir(base, sizeof base, dir, r) != 0)
		return fail_set(f, FAIL_DATA, "%s: path too long", dir);
	if (join(sub, sizeof sub, base, "params") ||
	    walk(sub, "", r, leaf_param, 0, f))
		return -1;
	if (join(sub, sizeof sub, base, "tags") ||
	    walk(sub, "", r, leaf_tag, 0, f))
		return -1;
	if (join(sub, sizeof sub, base, "metrics") ||
	    walk(sub, "", r, leaf_metric, 0, f))
		return -1;
	return 0;
}

/* The versions and aliases of model folder mdir (model name). */
static int model_registry(const char *mdir, const char *model,
			  struct mlflow_registry *reg, struct fail *f)
{
	char **names;
	size_t count;
	char path[4096];
	int rc = 0;
	if (list_dir(mdir, &names, &count) != 0)
		return 0;
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (strncmp(names[i], "version-", 8) != 0)
			continue;
		char *meta = meta_of(mdir, names[i], path, sizeof path, f);
		if (meta == NULL) {
			if (f->kind != FAIL_NONE)
				rc = -1;
			continue;
		}
		int o = 0;
		char *run_id = mlflow_yaml_get(meta, "run_id", &o);
		char *version = mlflow_yaml_get(meta, "version", &o);
		if (o || mlflow_add_version(reg, model,
					    version ? version : names[i] + 8,
					    run_id) != 0)
			rc = oom(f);
		free(run_id);
		free(version);
		free(meta);
	}
	free_names(names, count);
	char adir[4096];
	if (rc != 0 || join(adir, sizeof adir, mdir, "aliases") != 0 ||
	    list_dir(adir, &names, &count) != 0)
		return rc;
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (join(path, sizeof path, adir, names[i]) != 0 ||
		    !path_is_file(path))
			continue;
		char *v = slurp(path, f);
		if (v == NULL) {
			rc = -1;
			break;
		}
		v[strcspn(v, " \r\n")] = '\0';
		if (mlflow_add_alias(reg, model, names[i], v) != 0)
			rc = oom(f);
		free(v);
	}
	free_names(names, count);
	return rc;
}

int mlflow_files_registry(const char *dir, struct mlflow_registry *reg,
			  struct fail *f)
{
	char models[4096], mdir[4096];
	char **names;
	size_t count;
	int rc = 0;
	if (join(models, sizeof models, dir, "models") != 0 ||
	    list_dir(models, &names, &count) != 0)
		return 0; /* no registry */
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (join(mdir, sizeof mdir, models, names[i]) != 0 ||
		    !path_is_dir(mdir))
			continue;
		/* the model's name: its meta.yaml's, else the folder's */
		char path[4096];
		char *meta = meta_of(models, names[i], path, sizeof path, f);
		int o = 0;
		char *name = meta ? mlflow_yaml_get(meta, "name", &o) : NULL;
		free(meta);
		if (f->kind != FAIL_NONE || o) {
			free(name);
			rc = o ? oom(f) : -1;
			break;
		}
		rc = model_registry(mdir, name ? name : names[i], reg, f);
		free(name);
	}
	free_names(names, count);
	return rc;
}
