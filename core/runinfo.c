/*
 * runinfo.c — reading run.csv.  See runinfo.h.
 */
#include "core/runinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/confusion.h"
#include "core/csvread.h"
#include "core/isotime.h"
#include "core/number.h"


void runinfo_init(struct run_info *ri)
{
	memset(ri, 0, sizeof *ri);
	ri->beta_factor = RATE_UNDEFINED;
}

void runinfo_release(struct run_info *ri)
{
	char **owned[] = {&ri->run,        &ri->model,
			  &ri->version,    &ri->parent,
			  &ri->commit,     &ri->data_version,
			  &ri->started_at, &ri->finished_at,
			  &ri->status,     &ri->class_weights_text,
			  &ri->positive_label, &ri->negative_label,
			  &ri->sensitive_text};
	for (size_t i = 0; i < sizeof owned / sizeof *owned; i++)
		free(*owned[i]);
	for (size_t i = 0; i < ri->nsensitive; i++)
		free(ri->sensitive[i]);
	for (size_t i = 0; i < ri->nparams; i++) {
		free(ri->param[i].key);
		free(ri->param[i].value);
	}
	free(ri->param);
	runinfo_init(ri);
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int runinfo_is_iso8601(const char *s)
{
	static const int days_in[] = {31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
		return 0;
	int year = two(s) * 100 + two(s + 2);
	int month = two(s + 5), day = two(s + 8);
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month < 1 || month > 12 || day < 1 || day > days_in[month - 1] ||
	    (month == 2 && day == 29 && !leap))
		return 0;
	s += 10;
	if (*s == '\0')
		return 1;
	if (*s != 'T' && *s != ' ')
		return 0;
	s++;
	if (!digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) ||
	    two(s) > 23 || two(s + 3) > 59)
		return 0;
	s += 5;
	if (*s == ':') {
		if (!digits(s + 1, 2) || two(s + 1) > 60)
			return 0;
		s += 3;
		if (*s == '.' || *s == ',') {
			s++;
			if (!digits(s, 1))
				return 0;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	if (*s == '\0' || (s[0] == 'Z' && s[1] == '\0'))
		return 1;
	if ((*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' &&
	    digits(s + 4, 2) && s[6] == '\0')
		return two(s + 1) <= 14 && two(s + 4) <= 59;
	return 0;
}

struct reader {
	const char *name;
	struct run_info *ri;
	long last_line;
};

static char *dup_field(const struct csv_row *row, size_t i)
{
	char *s = malloc(row->len[i] + 1);
	if (s != NULL) {
		memcpy(s, row->field[i], row->len[i]);
		s[row->len[i]] = '\0';
	}
	return s;
}

static int split_sensitive(struct reader *r, long line, struct fail *f)
{
	struct run_info *ri = r->ri;
	const char *p = ri->sensitive_text;
	char shown[64];
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0)
			return fail_at(f, r->name, line,
				       "key 'sensitive': expected column "
				       "names separated by commas, found an "
				       "empty name");
		if (ri->nsensitive == RUNINFO_MAX_SENSITIVE)
			return fail_at(f, r->name, line,
				       "key 'sensitive': expected at most %d "
				       "columns, found a %dth, '%s'",
				       RUNINFO_MAX_SENSITIVE,
				       RUNINFO_MAX_SENSITIVE + 1,
				       fail_quote(shown, sizeof shown, p,
						  len));
		for (size_t i = 0; i < ri->nsensitive; i++)
			if (strlen(ri->sensitive[i]) == len &&
			    memcmp(ri->sensitive[i], p, len) == 0)
				return fail_at(f, r->name, line,
					       "key 'sensitive': expected each "
					       "column once, found '%s' twice",
					       fail_quote(shown, sizeof shown,
							  p, len));
		char *name = malloc(len + 1);
		if (name == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		memcpy(name, p, len);
		name[len] = '\0';
		ri->sensitive[ri->nsensitive++] = name;
		p += len;
		while (*p == ' ')
			p++;
		if (*p == ',') {
			p++;
			if (*p == '\0') /* a trailing comma: an empty name */
				return fail_at(f, r->name, line,
					       "key 'sensitive': expected column "
					       "names separated by commas, found "
					       "an empty name");
		}
	}
	return 0;
}

/* Check a known key's value; 0 when fine. */
static int check_value(struct reader *r, const char *key, const char *value,
		       long line, struct fail *f)
{
	struct run_info *ri = r->ri;
	char shown[64];
	size_t len = strlen(value);
	if (strcmp(key, "run") == 0) {
		if (len == 0 || len > RUN_ID_MAX)
			return fail_at(f, r->name, line,
				       "key 'run': expected a run id of 1 to "
				       "%d bytes, found %zu bytes",
				       RUN_ID_MAX, len);
	} else if (strcmp(key, "model") == 0) {
		if (len == 0)
			return fail_at(f, r->name, line,
				       "key 'model': expected a model name, "
				       "found an empty value");
	} else if (strcmp(key, "started_at") == 0 ||
		   strcmp(key, "finished_at") == 0) {
		if (!isotime_valid(value))
			return fail_at(f, r->name, line,
				       "key '%s': expected an ISO 8601 date "
				       "such as 2026-01-22T14:05:00Z (years "
				       "0001 to 9999 in UTC), found '%s'",
				       key, fail_quote(shown, sizeof shown,
						       value, len));
	} else if (strcmp(key, "beta_factor") == 0) {
		enum number_status st = number_parse(value, len,
						     &ri->beta_factor);
		if (st != NUMBER_OK || !(ri->beta_factor > 0)) {
			ri->beta_factor = RATE_UNDEFINED;
			return fail_at(f, r->name, line,
				       "key 'beta_factor': expected a positive "
				       "finite number, found '%s'",
				       fail_quote(shown, sizeof shown, value,
						  len));
		}
	} else if (strcmp(key, "positive_label") == 0) {
		if (len == 0 || len > 63)
			return fail_at(f, r->name, line,
				       "key 'positive_label': expected a label "
				       "of 1 to 63 bytes, found %zu bytes", len);
	} else if (strcmp(key, "negative_label") == 0) {
		if (len == 0 || len > 63)
			return fail_at(f, r->name, line,
				       "key 'negative_label': expected a label "
				       "of 1 to 63 bytes, found %zu bytes", len);
	} else if (strcmp(key, "class_weights") == 0) {
		char where[512];
		snprintf(where, sizeof where, "%s:%ld", r->name, line);
		return classweights_parse(value, where, ri->class_weights,
					  &ri->nclass_weights, f);
	} else if (strcmp(key, "sensitive") == 0) {
		return split_sensitive(r, line, f);
	}
	return 0;
}

static char **known_slot(struct run_info *ri, const char *key)
{
	struct {
		const char *key;
		char **slot;
	} known[] = {
		{"run", &ri->run},
		{"model", &ri->model},
		{"version", &ri->version},
		{"parent", &ri->parent},
		{"commit", &ri->commit},
		{"data_version", &ri->data_version},
		{"started_at", &ri->started_at},
		{"finished_at", &ri->finished_at},
		{"status", &ri->status},
		{"class_weights", &ri->class_weights_text},
		{"positive_label", &ri->positive_label},
		{"negative_label", &ri->negative_label},
		{"sensitive", &ri->sensitive_text},
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(known[i].key, key) == 0)
			return known[i].slot;
	return NULL;
}

static int is_duplicate(const struct run_info *ri, const char *key,
			int beta_seen)
{
	if (strcmp(key, "beta_factor") == 0)
		return beta_seen;
	for (size_t i = 0; i < ri->nparams; i++)
		if (strcmp(ri->param[i].key, key) == 0)
			return 1;
	return 0;
}

static int on_row(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct reader *r = ctx;
	struct run_info *ri = r->ri;
	char shown[64];
	r->last_line = row->line;
	if (row->index == 0) {
		char shown2[64];
		if (row->nfields != 2 || strcmp(row->field[0], "key") != 0 ||
		    strcmp(row->field[1], "value") != 0)
			return fail_at(f, r->name, row->line,
				       "expected the header 'key,value', found "
				       "'%s%s%s%s'",
				       fail_quote(shown, sizeof shown,
						  row->field[0], row->len[0]),
				       row->nfields > 1 ? "," : "",
				       row->nfields > 1
					       ? fail_quote(shown2, sizeof shown2,
							    row->field[1],
							    row->len[1])
					       : "",
				       row->nfields > 2 ? ",..." : "");
		return 0;
	}
	if (row->nfields != 2)
		return fail_at(f, r->name, row->line,
			       "expected 2 fields (key,value), found %zu",
			       row->nfields);
	const char *key = row->field[0];
	if (row->len[0] == 0)
		return fail_at(f, r->name, row->line,
			       "expected a key in column 1, found an empty "
			       "field");
	char **slot = known_slot(ri, key);
	int beta_seen = rate_defined(ri->beta_factor);
	if ((slot != NULL && *slot != NULL) || is_duplicate(ri, key, beta_seen))
		return fail_at(f, r->name, row->line,
			       "expected each key once, found '%s' again",
			       fail_quote(shown, sizeof shown, key,
					  row->len[0]));
	char *value = dup_field(row, 1);
	if (value == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	if (slot != NULL) {
		*slot = value;
	} else if (strcmp(key, "beta_factor") != 0) {
		char *k = dup_field(row, 0);
		if (k == NULL ||
		    ARRAY_GROW(ri->param, ri->nparams + 1, ri->params_cap) != 0) {
			free(k);
			free(value);
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		}
		ri->param[ri->nparams].key = k;
		ri->param[ri->nparams].value = value;
		ri->nparams++;
	}
	int rc = check_value(r, key, value, row->line, f);
	if (slot == NULL && strcmp(key, "beta_factor") == 0)
		free(value);
	return rc;
}

static int finish(struct reader *r, long rows, struct fail *f)
{
	struct run_info *ri = r->ri;
	static const char *const required[] = {"run", "model", "started_at"};
	if (rows == 0)
		return fail_at(f, r->name, 1,
			       "expected the header 'key,value', found an "
			       "empty file");
	for (size_t i = 0; i < 3; i++)
		if (*known_slot(ri, required[i]) == NULL)
			return fail_at(f, r->name, r->last_line + 1,
				       "expected a row with the required key "
				       "'%s', found the end of the file",
				       required[i]);
	if (ri->positive_label == NULL) {
		ri->positive_label = strdup("1");
		if (ri->positive_label == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	if (ri->negative_label != NULL &&
	    strcmp(ri->negative_label, ri->positive_label) == 0)
		return fail_at(f, r->name, r->last_line,
			       "key 'negative_label': expected a label other "
			       "than the positive one, found the same");
	return 0;
}

int runinfo_read(const struct source *src, struct run_info *ri,
		 struct fail *f)
{
	struct reader r = {src->name, ri, 0};
	long rows = 0;
	if (csvread_rows(src, on_row, &r, &rows, f) != 0)
		return -1;
	return finish(&r, rows, f);
}
