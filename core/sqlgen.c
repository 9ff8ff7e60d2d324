/*
 * sqlgen.c — the pushdown queries of `fairtop sql`.  See sqlgen.h.
 *
 * Both queries are three nested SELECTs, so that the user's columns
 * appear once, in the innermost, and everything above works on
 * fairtop's own names (fairtop_*), which no user column can shadow:
 *
 *   fairtop_cast    the user's columns: step cast to a whole number,
 *                   each sensitive column as it is (fairtop_f1..),
 *                   the labels as 1, 0 or NULL (compared as text),
 *                   the weight and the score cast to double;
 *   fairtop_rows    plus fairtop_ok, 1 for a row fairtop would count,
 *                   0 for a bad one (a NULL condition falls to ELSE 0);
 *   the grouping    by step and every feature: sums of CASEs.
 *
 * The dialects differ only in quoting, escaping and type names
 * (struct dialect below); README's "Pushdown" section lists them.
 */
#include "core/sqlgen.h"

#include <string.h>

#include "core/groups.h"

const char *const sqlgen_dialect_names[] = {
	"postgres", "duckdb", "sqlite", "spark", "bigquery", "trino", NULL,
};

struct dialect {
	char quote;          /* of identifiers: '"' or '`' */
	int backslash;       /* literals escape with '\' (else '' ) */
	int ident_backslash; /* identifiers escape with '\' (else the
			      * quote doubled) */
	const char *text;    /* the type labels are cast to */
	const char *real;    /* the double type */
	const char *whole;   /* the integer type */
	int has_floor;       /* FLOOR(); else CAST truncates (sqlite) */
};

static const struct dialect dialects[] = {
	[SQLGEN_POSTGRES] = {'"', 0, 0, "TEXT", "DOUBLE PRECISION", "BIGINT",
			     1},
	[SQLGEN_DUCKDB] = {'"', 0, 0, "VARCHAR", "DOUBLE", "BIGINT", 1},
	[SQLGEN_SQLITE] = {'"', 0, 0, "TEXT", "REAL", "INTEGER", 0},
	[SQLGEN_SPARK] = {'`', 1, 0, "STRING", "DOUBLE", "BIGINT", 1},
	[SQLGEN_BIGQUERY] = {'`', 1, 1, "STRING", "FLOAT64", "INT64", 1},
	[SQLGEN_TRINO] = {'"', 0, 0, "VARCHAR", "DOUBLE", "BIGINT", 1},
};

/* Columns of the results: no sensitive column may be called so. */
static const char *const result_columns[] = {
	"step", "group", "rows", "rows_positive", "tp", "fp", "tn", "fn",
	"w2_positive", "w2_negative", "bad", "bin", "weight",
};

int sqlgen_dialect_of(const char *name)
{
	for (int i = 0; sqlgen_dialect_names[i] != NULL; i++)
		if (strcmp(sqlgen_dialect_names[i], name) == 0)
			return i;
	return -1;
}

int sqlgen_check(const struct sqlgen_options *o, struct fail *f)
{
	if (o->nsensitive == 0 || o->nsensitive > EVAL_MAX_FEATURES)
		return fail_set(f, FAIL_USAGE, "--sensitive: expected 1 to %d "
				"column names, found %zu", EVAL_MAX_FEATURES,
				o->nsensitive);
	const char *t = o->table;
	if (t[0] == '\0' || t[0] == '.' || t[strlen(t) - 1] == '.' ||
	    strstr(t, "..") != NULL)
		return fail_set(f, FAIL_USAGE, "--table: expected a table name "
				"(parts joined by '.'), found '%s'", t);
	for (size_t i = 0; i < o->nsensitive; i++) {
		const char *s = o->sensitive[i];
		if (s[0] == '\0')
			return fail_set(f, FAIL_USAGE, "--sensitive: expected "
					"column names joined by ',', found an "
					"empty one");
		if (strlen(s) > FEATURE_NAME_MAX)
			return fail_set(f, FAIL_USAGE, "--sensitive: expected "
					"a name of at most %d bytes, found %zu",
					FEATURE_NAME_MAX, strlen(s));
		for (size_t k = 0;
		     k < sizeof result_columns / sizeof *result_columns; k++)
			if (strcmp(s, result_columns[k]) == 0)
				return fail_set(f, FAIL_USAGE, "--sensitive: "
						"'%s' is a column of the "
						"result; rename it in a view "
						"first", s);
		for (size_t k = 0; k < i; k++)
			if (strcmp(s, o->sensitive[k]) == 0)
				return fail_set(f, FAIL_USAGE, "--sensitive: "
						"expected each column once, "
						"found '%s' twice", s);
	}
	const char *cols[][2] = {{"--step", o->step}, {"--weight", o->weight},
				 {"--score", o->score}};
	for (size_t k = 0; k < 3; k++)
		if (cols[k][1] != NULL && cols[k][1][0] == '\0')
			return fail_set(f, FAIL_USAGE, "%s: expected a column "
					"name, found ''", cols[k][0]);
	if (o->positive_label[0] == '\0' || o->negative_label[0] == '\0')
		return fail_set(f, FAIL_USAGE, "--positive-label, "
				"--negative-label: expected a label, found ''");
	if (strcmp(o->positive_label, o->negative_label) == 0)
		return fail_set(f, FAIL_USAGE, "--negative-label: expected a "
				"label other than the positive one, found '%s' "
				"for both", o->positive_label);
	return 0;
}

/* s quoted as one identifier of the dialect. */
static void ident(struct strbuf *out, const struct dialect *d, const char *s,
		  size_t len)
{
	strbuf_addch(out, d->quote);
	for (size_t i = 0; i < len; i++) {
		if (d->ident_backslash && (s[i] == '\\' || s[i] == d->quote))
			strbuf_addch(out, '\\');
		else if (!d->ident_backslash && s[i] == d->quote)
			strbuf_addch(out, d->quote);
		strbuf_addch(out, s[i]);
	}
	strbuf_addch(out, d->quote);
}

static void ident_str(struct strbuf *out, const struct dialect *d,
		      const char *s)
{
	ident(out, d, s, strlen(s));
}

/* A table name: each part between dots quoted on its own. */
static void table(struct strbuf *out, const struct dialect *d, const char *s)
{
	for (;;) {
		const char *dot = strchr(s, '.');
		size_t len = dot ? (size_t)(dot - s) : strlen(s);
		ident(out, d, s, len);
		if (dot == NULL)
			break;
		strbuf_addch(out, '.');
		s = dot + 1;
	}
}

/* s as a string literal of the dialect. */
static void literal(struct strbuf *out, const struct dialect *d,
		    const char *s)
{
	strbuf_addch(out, '\'');
	for (; *s; s++) {
		if (d->backslash && *s == '\n')
			strbuf_addstr(out, "\\n");
		else if (d->backslash && *s == '\r')
			strbuf_addstr(out, "\\r");
		else if (d->backslash && (*s == '\\' || *s == '\''))
			strbuf_addf(out, "\\%c", *s);
		else if (*s == '\'')
			strbuf_addstr(out, "''");
		else
			strbuf_addch(out, *s);
	}
	strbuf_addch(out, '\'');
}

/* CASE CAST(col AS text) WHEN 'pos' THEN 1 WHEN 'neg' THEN 0 END */
static void label(struct strbuf *out, const struct sqlgen_options *o,
		  const struct dialect *d, const char *col)
{
	strbuf_addstr(out, "CASE CAST(");
	ident_str(out, d, col);
	strbuf_addf(out, " AS %s) WHEN ", d->text);
	literal(out, d, o->positive_label);
	strbuf_addstr(out, " THEN 1 WHEN ");
	literal(out, d, o->negative_label);
	strbuf_addstr(out, " THEN 0 END");
}

/* ", fairtop_f1, fairtop_f2" */
static void feature_list(struct strbuf *out, const struct sqlgen_options *o)
{
	for (size_t i = 0; i < o->nsensitive; i++)
		strbuf_addf(out, ", fairtop_f%zu", i + 1);
}

/* The two inner SELECTs, from "FROM (" to ") AS fairtop_rows\n". */
static void inner(struct strbuf *out, const struct sqlgen_options *o,
		  const struct dialect *d, int with_score)
{
	strbuf_addstr(out, "FROM (\n  SELECT fairtop_step");
	feature_list(out, o);
	strbuf_addstr(out, ", fairtop_w");
	if (with_score)
		strbuf_addstr(out, ", fairtop_s");
	strbuf_addstr(out, ", fairtop_t, fairtop_p,\n"
			   "    CASE WHEN fairtop_t IS NOT NULL"
			   " AND fairtop_p IS NOT NULL\n"
			   "      AND fairtop_w >= 0"
			   " AND fairtop_w - fairtop_w = 0\n");
	if (with_score)
		strbuf_addstr(out, "      AND fairtop_s >= 0"
				   " AND fairtop_s <= 1\n");
	strbuf_addstr(out, "      THEN 1 ELSE 0 END AS fairtop_ok\n"
			   "  FROM (\n    SELECT\n      ");
	if (o->step != NULL) {
		strbuf_addstr(out, "CAST(");
		ident_str(out, d, o->step);
		strbuf_addf(out, " AS %s)", d->whole);
	} else {
		strbuf_addstr(out, "0");
	}
	strbuf_addstr(out, " AS fairtop_step,\n");
	for (size_t i = 0; i < o->nsensitive; i++) {
		strbuf_addstr(out, "      ");
		ident_str(out, d, o->sensitive[i]);
		strbuf_addf(out, " AS fairtop_f%zu,\n", i + 1);
	}
	strbuf_addstr(out, "      ");
	label(out, o, d, o->y_true);
	strbuf_addstr(out, " AS fairtop_t,\n      ");
	label(out, o, d, o->y_pred);
	strbuf_addstr(out, " AS fairtop_p,\n      ");
	if (o->weight != NULL) {
		strbuf_addstr(out, "CAST(");
		ident_str(out, d, o->weight);
		strbuf_addf(out, " AS %s)", d->real);
	} else {
		strbuf_addstr(out, "1");
	}
	strbuf_addstr(out, " AS fairtop_w");
	if (with_score) {
		strbuf_addstr(out, ",\n      CAST(");
		ident_str(out, d, o->score);
		strbuf_addf(out, " AS %s) AS fairtop_s", d->real);
	}
	strbuf_addstr(out, "\n    FROM ");
	table(out, d, o->table);
	strbuf_addstr(out, "\n  ) AS fairtop_cast\n) AS fairtop_rows\n");
}

/* "  fairtop_step AS "step",\n  fairtop_f1 AS "sex",\n" */
static void select_keys(struct strbuf *out, const struct sqlgen_options *o,
			const struct dialect *d)
{
	strbuf_addstr(out, "SELECT\n  fairtop_step AS ");
	ident_str(out, d, "step");
	strbuf_addstr(out, ",\n");
	for (size_t i = 0; i < o->nsensitive; i++) {
		strbuf_addf(out, "  fairtop_f%zu AS ", i + 1);
		ident_str(out, d, o->sensitive[i]);
		strbuf_addstr(out, ",\n");
	}
}

static void sum_case(struct strbuf *out, const struct dialect *d,
		     const char *when, const char *then, const char *name)
{
	strbuf_addf(out, "  SUM(CASE WHEN fairtop_ok = 1%s THEN %s ELSE 0 "
		    "END) AS ", when, then);
	ident_str(out, d, name);
	strbuf_addstr(out, ",\n");
}

int sqlgen_counts(const struct sqlgen_options *o, struct strbuf *out)
{
	const struct dialect *d = &dialects[o->dialect];
	strbuf_addstr(out, "-- fairtop counts: one row per step and cell of "
			   "the sensitive columns;\n-- export it with its "
			   "header as counts.csv (fairtop-formats(5))\n");
	select_keys(out, o, d);
	strbuf_addstr(out, "  SUM(fairtop_ok) AS ");
	ident_str(out, d, "rows");
	strbuf_addstr(out, ",\n");
	sum_case(out, d, " AND fairtop_t = 1", "1", "rows_positive");
	sum_case(out, d, " AND fairtop_t = 1 AND fairtop_p = 1", "fairtop_w",
		 "tp");
	sum_case(out, d, " AND fairtop_t = 0 AND fairtop_p = 1", "fairtop_w",
		 "fp");
	sum_case(out, d, " AND fairtop_t = 0 AND fairtop_p = 0", "fairtop_w",
		 "tn");
	sum_case(out, d, " AND fairtop_t = 1 AND fairtop_p = 0", "fairtop_w",
		 "fn");
	sum_case(out, d, " AND fairtop_t = 1", "fairtop_w * fairtop_w",
		 "w2_positive");
	sum_case(out, d, " AND fairtop_t = 0", "fairtop_w * fairtop_w",
		 "w2_negative");
	strbuf_addstr(out, "  SUM(1 - fairtop_ok) AS ");
	ident_str(out, d, "bad");
	strbuf_addstr(out, "\n");
	inner(out, o, d, 0);
	strbuf_addstr(out, "GROUP BY fairtop_step");
	feature_list(out, o);
	strbuf_addstr(out, ";\n");
	return strbuf_failed(out) ? -1 : 0;
}

int sqlgen_scores(const struct sqlgen_options *o, struct strbuf *out)
{
	const struct dialect *d = &dialects[o->dialect];
	strbuf_addf(out, "-- fairtop scores: the weight in each of %d equal "
		    "score bins on [0,1] (bin -1: bad rows);\n-- export it "
		    "with its header as scores.csv (fairtop-formats(5))\n",
		    SCORE_BINS);
	select_keys(out, o, d);
	strbuf_addstr(out, "  fairtop_bin AS ");
	ident_str(out, d, "bin");
	strbuf_addstr(out, ",\n");
	sum_case(out, d, "", "fairtop_w", "weight");
	strbuf_addstr(out, "  SUM(1 - fairtop_ok) AS ");
	ident_str(out, d, "bad");
	strbuf_addstr(out, "\nFROM (\n  SELECT fairtop_step");
	feature_list(out, o);
	strbuf_addf(out, ", fairtop_w, fairtop_ok,\n"
		    "    CASE WHEN fairtop_ok = 0 THEN -1\n"
		    "      WHEN fairtop_s * %d >= %d THEN %d\n",
		    SCORE_BINS, SCORE_BINS, SCORE_BINS - 1);
	if (d->has_floor)
		strbuf_addf(out, "      ELSE CAST(FLOOR(fairtop_s * %d) AS %s)"
			    " END AS fairtop_bin\n", SCORE_BINS, d->whole);
	else /* CAST truncates, which is FLOOR on scores >= 0 */
		strbuf_addf(out, "      ELSE CAST(fairtop_s * %d AS %s)"
			    " END AS fairtop_bin\n", SCORE_BINS, d->whole);
	/* the two inner SELECTs, indented one level deeper */
	struct strbuf in = STRBUF_INIT;
	inner(&in, o, d, 1);
	for (size_t i = 0; i < in.len; i++) {
		if (i == 0 || in.buf[i - 1] == '\n')
			strbuf_addstr(out, "  ");
		strbuf_addch(out, in.buf[i]);
	}
	int failed = strbuf_failed(&in);
	strbuf_release(&in);
	strbuf_addstr(out, ") AS fairtop_binned\nGROUP BY fairtop_step");
	feature_list(out, o);
	strbuf_addstr(out, ", fairtop_bin;\n");
	return failed || strbuf_failed(out) ? -1 : 0;
}
