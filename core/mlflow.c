/*
 * mlflow.c — MLflow runs in memory, and the pure mapping.  See mlflow.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/mlflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array.h"
#include "core/number.h"

void mlflow_run_release_details(struct mlflow_run *r)
{
	for (size_t i = 0; i < r->nparams; i++) {
		free(r->param[i].key);
		free(r->param[i].value);
	}
	for (size_t i = 0; i < r->ntags; i++) {
		free(r->tag[i].key);
		free(r->tag[i].value);
	}
	for (size_t i = 0; i < r->nmetrics; i++)
		free(r->metric[i].key);
	free(r->param);
	free(r->tag);
	free(r->metric);
	r->param = r->tag = NULL;
	r->metric = NULL;
	r->nparams = r->params_cap = r->ntags = r->tags_cap = 0;
	r->nmetrics = r->metrics_cap = 0;
}

void mlflow_run_release(struct mlflow_run *r)
{
	mlflow_run_release_details(r);
	free(r->id);
	free(r->name);
	free(r->experiment_id);
	free(r->experiment);
	free(r->status);
	free(r->lifecycle);
	free(r->artifact_uri);
	memset(r, 0, sizeof *r);
}

void mlflow_runs_free(struct mlflow_run *runs, size_t n)
{
	for (size_t i = 0; runs != NULL && i < n; i++)
		mlflow_run_release(&runs[i]);
	free(runs);
}

void mlflow_registry_release(struct mlflow_registry *reg)
{
	for (size_t i = 0; i < reg->nversions; i++) {
		free(reg->version[i].model);
		free(reg->version[i].version);
		free(reg->version[i].run_id);
	}
	for (size_t i = 0; i < reg->naliases; i++) {
		free(reg->alias[i].model);
		free(reg->alias[i].alias);
		free(reg->alias[i].version);
	}
	free(reg->version);
	free(reg->alias);
	memset(reg, 0, sizeof *reg);
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int add_kv(struct mlflow_kv **items, size_t *n, size_t *cap,
		  const char *key, const char *value)
{
	if (ARRAY_GROW(*items, *n + 1, *cap) != 0)
		return -1;
	char *k = strdup(key), *v = strdup(value ? value : "");
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return -1;
	}
	(*items)[*n].key = k;
	(*items)[*n].value = v;
	(*n)++;
	return 0;
}

int mlflow_add_param(struct mlflow_run *r, const char *key, const char *value)
{
	return add_kv(&r->param, &r->nparams, &r->params_cap, key, value);
}

int mlflow_add_tag(struct mlflow_run *r, const char *key, const char *value)
{
	return add_kv(&r->tag, &r->ntags, &r->tags_cap, key, value);
}

int mlflow_add_point(struct mlflow_run *r, const char *key, double value,
		     int64_t timestamp, int64_t step, int is_nan)
{
	if (ARRAY_GROW(r->metric, r->nmetrics + 1, r->metrics_cap) != 0)
		return -1;
	struct mlflow_point *p = &r->metric[r->nmetrics];
	p->key = strdup(key);
	if (p->key == NULL)
		return -1;
	p->value = value;
	p->timestamp = timestamp;
	p->step = step;
	p->is_nan = is_nan;
	r->nmetrics++;
	return 0;
}

int mlflow_add_version(struct mlflow_registry *reg, const char *model,
		       const char *version, const char *run_id)
{
	if (ARRAY_GROW(reg->version, reg->nversions + 1, reg->versions_cap))
		return -1;
	struct mlflow_version v = {dup_or_null(model), dup_or_null(version),
				   dup_or_null(run_id)};
	if (v.model == NULL || v.version == NULL) {
		free(v.model);
		free(v.version);
		free(v.run_id);
		return -1;
	}
	reg->version[reg->nversions++] = v;
	return 0;
}

int mlflow_add_alias(struct mlflow_registry *reg, const char *model,
		     const char *alias, const char *version)
{
	if (ARRAY_GROW(reg->alias, reg->naliases + 1, reg->aliases_cap))
		return -1;
	struct mlflow_alias a = {dup_or_null(model), dup_or_null(alias),
				 dup_or_null(version)};
	if (a.model == NULL || a.alias == NULL || a.version == NULL) {
		free(a.model);
		free(a.alias);
		free(a.version);
		return -1;
	}
	reg->alias[reg->naliases++] = a;
	return 0;
}

static const char *find_kv(const struct mlflow_kv *items, size_t n,
			   const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].key, key) == 0)
			return items[i].value;
	return NULL;
}

const char *mlflow_tag(const struct mlflow_run *r, const char *key)
{
	return find_kv(r->tag, r->ntags, key);
}

const char *mlflow_param(const struct mlflow_run *r, const char *key)
{
	return find_kv(r->param, r->nparams, key);
}

int mlflow_ms_to_iso(int64_t ms, char *buf, size_t size)
{
	/* years 0001 to 9999: -62135596800 s to 253402300799 s */
	int64_t secs = ms / 1000;
	if (ms % 1000 < 0)
		secs--; /* toward the past */
	if (secs < -62135596800LL || secs > 253402300799LL)
		return -1;
	time_t t = (time_t)secs;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A label: a Python string literal ('a', "a", with \ escapes) or a bare
 * token (0, -1, True) up to the ':'.  Appended to out; *pp moved past
 * it.  0, or -1 when malformed. */
static int read_label(const char **pp, struct strbuf *out)
{
	const char *p = *pp;
	size_t start = out->len;
	if (*p == '\'' || *p == '"') {
		char q = *p++;
		while (*p != q) {
			if (*p == '\0')
				return -1;
			if (*p == '\\' && p[1] != '\0')
				p++;
			strbuf_addch(out, *p++);
		}
		p++;
	} else {
		const char *end = p;
		while (*end != '\0' && *end != ':' && *end != ',' &&
		       *end != '}')
			end++;
		size_t len = (size_t)(end - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		strbuf_add(out, p, len);
		p = end;
	}
	/* fairtop's text separates labels with ';' and weights with ':' */
	size_t len = out->len - start;
	if (len == 0 || memchr(out->buf + start, ':', len) != NULL ||
	    memchr(out->buf + start, ';', len) != NULL)
		return -1;
	*pp = p;
	return 0;
}

/* A weight: a number, or one wrapped as np.float64(x), numpy.float64(x)
 * or float(x).  Appended as written; 0 or -1. */
static int read_weight(const char **pp, struct strbuf *out)
{
	static const char *const wraps[] = {"np.float64(", "numpy.float64(",
					    "np.float32(", "float("};
	const char *p = *pp;
	int wrapped = 0;
	for (size_t i = 0; i < sizeof wraps / sizeof *wraps; i++) {
		size_t len = strlen(wraps[i]);
		if (strncmp(p, wraps[i], len) == 0) {
			p += len;
			wrapped = 1;
			break;
		}
	}
	p = skip_space(p);
	const char *end = p;
	while (*end != '\0' && *end != ',' && *end != '}' && *end != ')' &&
	       *end != ' ')
		end++;
	double w;
	if (number_parse(p, (size_t)(end - p), &w) != NUMBER_OK || w < 0)
		return -1;
	strbuf_add(out, p, (size_t)(end - p));
	p = skip_space(end);
	if (wrapped) {
		if (*p != ')')
			return -1;
		p = skip_space(p + 1);
	}
	*pp = p;
	return 0;
}

int mlflow_class_weight(const char *text, struct strbuf *out, char *why,
			size_t why_size)
{
	char shown[64];
	const char *p = skip_space(text);
	size_t len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\n'))
		len--;
	if (len == 0 || (len == 4 && memcmp(p, "None", 4) == 0) ||
	    (len == 8 && memcmp(p, "balanced", 8) == 0))
		return 0;
	size_t start = out->len;
	int count = 0;
	if (*p != '{')
		goto bad;
	p = skip_space(p + 1);
	while (*p != '}') {
		if (count > 0)
			strbuf_addch(out, ';');
		if (read_label(&p, out) != 0)
			goto bad;
		p = skip_space(p);
		if (*p != ':')
			goto bad;
		strbuf_addch(out, ':');
		p = skip_space(p + 1);
		if (read_weight(&p, out) != 0)
			goto bad;
		count++;
		if (*p == ',')
			p = skip_space(p + 1);
		else if (*p != '}')
			goto bad;
	}
	if (*skip_space(p + 1) != '\0')
		goto bad;
	return count > 0;
bad:
	strbuf_setlen(out, start);
	snprintf(why, why_size, "expected {label: weight, ...}, 'balanced' "
		 "or None, found \"%s\"",
		 fail_quote(shown, sizeof shown, text, strlen(text)));
	return -1;
}

size_t mlflow_metric_split(const char *key, const char **group)
{
	const char *slash = strrchr(key, '/');
	if (slash != NULL && slash != key && strchr(slash + 1, '=') != NULL &&
	    slash[1] != '=') {
		*group = slash + 1;
		return (size_t)(slash - key);
	}
	*group = "";
	return strlen(key);
}

const char *mlflow_status_name(long code)
{
	static const char *const names[] = {"RUNNING", "SCHEDULED",
					    "FINISHED", "FAILED", "KILLED"};
	return code >= 1 && code <= 5 ? names[code - 1] : NULL;
}

int mlflow_is_infinite(double v)
{
	return v >= MLFLOW_INFINITY || v <= -MLFLOW_INFINITY;
}

void mlflow_csv_field(struct strbuf *out, const char *s)
{
	size_t len = strlen(s);
	int quote = strpbrk(s, ",\"\r\n") != NULL ||
		    (len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
	if (!quote) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

/* The length of a URI's scheme ("s3" of "s3://b"), 0 when there is
 * none (a path; "C:" is not taken for one: schemes have two letters or
 * more). */
static size_t scheme_len(const char *s)
{
	size_t i = 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	       (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
	       s[i] == '.')
		i++;
	return s[i] == ':' && i >= 2 ? i : 0;
}

/* Percent-decode s into buf; -1 when it does not fit. */
static int decode(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	for (; *s; s++) {
		int c = (unsigned char)*s;
		if (c == '%' && s[1] && s[2]) {
			char hex[3] = {s[1], s[2], 0};
			char *end;
			long v = strtol(hex, &end, 16);
			if (*end == '\0' && v > 0) {
				c = (int)v;
				s += 2;
			}
		}
		if (n + 1 >= size)
			return -1;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return 0;
}

/* file:/P, file:///P, file://localhost/P as P; else NULL. */
static const char *file_uri_path(const char *s)
{
	if (strncmp(s, "file:", 5) != 0)
		return NULL;
	s += 5;
	if (strncmp(s, "//localhost/", 12) == 0)
		return s + 11;
	if (strncmp(s, "///", 3) == 0)
		return s + 2;
	if (strncmp(s, "//", 2) == 0)
		return NULL; /* another host */
	return s;
}

enum mlflow_source_kind mlflow_source_parse(const char *source, char *path,
					    size_t size)
{
	size_t n = scheme_len(source);
	const char *p;
	if (n == 0 && strncmp(source, "databricks", 10) == 0 &&
	    (source[10] == '\0' || source[10] == '-')) {
		snprintf(path, size, "%s", source);
		return MLFLOW_SOURCE_UNSUPPORTED;
	}
	if (n == 0) {
		snprintf(path, size, "%s", source);
		return MLFLOW_SOURCE_PATH;
	}
	if (strncmp(source, "sqlite:///", 10) == 0) {
		snprintf(path, size, "%s", source + 10);
		return MLFLOW_SOURCE_PATH;
	}
	if ((p = file_uri_path(source)) != NULL && decode(p, path, size) == 0)
		return MLFLOW_SOURCE_PATH;
	snprintf(path, size, "%.*s", (int)n, source);
	return MLFLOW_SOURCE_UNSUPPORTED;
}

int mlflow_artifact_path(const char *uri, char *buf, size_t size)
{
	const char *p = file_uri_path(uri);
	if (p != NULL)
		return decode(p, buf, size);
	if (scheme_len(uri) > 0)
		return 1;
	int n = snprintf(buf, size, "%s", uri);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
