/*
 * cmd_sql.c — `fairtop sql --dialect D --table T --sensitive a,b
 * --positive-label P --negative-label N [--step COL] [--weight COL]
 * [--score COL] [--y-true COL] [--y-pred COL] [--query counts|scores]`
 *
 * Prints the queries a user runs where the data lives (core/sqlgen.h):
 * their results, exported as CSV with a header, are counts.csv and
 * scores.csv of a run folder.  Needs no store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/groups.h"
#include "core/sqlgen.h"

enum {
	OPT_DIALECT,
	OPT_TABLE,
	OPT_SENSITIVE,
	OPT_POSITIVE,
	OPT_NEGATIVE,
	OPT_STEP,
	OPT_WEIGHT,
	OPT_SCORE,
	OPT_Y_TRUE,
	OPT_Y_PRED,
	OPT_QUERY,
	NOPTIONS
};

static const char *const queries[] = {"counts", "scores", NULL};

static const struct option_spec options[] = {
	[OPT_DIALECT] = {"dialect", 0, "NAME",
			 "postgres, duckdb, sqlite, spark, bigquery or trino",
			 OPTION_CHOICE, sqlgen_dialect_names, NULL,
			 OPTION_REQUIRED},
	[OPT_TABLE] = {"table", 0, "TABLE",
		       "the predictions' table (schema.table: each part\n"
		       "quoted on its own)", OPTION_NONEMPTY, NULL, "a table",
		       OPTION_REQUIRED},
	[OPT_SENSITIVE] = {"sensitive", 0, "COLS",
			   "the sensitive columns, joined by ','",
			   OPTION_NONEMPTY, NULL, "column names",
			   OPTION_REQUIRED},
	[OPT_POSITIVE] = {"positive-label", 0, "LABEL",
			  "the positive label (compared as text)",
			  OPTION_NONEMPTY, NULL, "a label", OPTION_REQUIRED},
	[OPT_NEGATIVE] = {"negative-label", 0, "LABEL",
			  "the negative label (compared as text)",
			  OPTION_NONEMPTY, NULL, "a label", OPTION_REQUIRED},
	[OPT_STEP] = {"step", 0, "COL",
		      "the checkpoint column (default: every row step 0)",
		      OPTION_NONEMPTY, NULL, "a column", 0},
	[OPT_WEIGHT] = {"weight", 0, "COL",
			"the weight column (default: every row weighs 1)",
			OPTION_NONEMPTY, NULL, "a column", 0},
	[OPT_SCORE] = {"score", 0, "COL",
		       "the score column: adds the scores query", OPTION_NONEMPTY,
		       NULL, "a column", 0},
	[OPT_Y_TRUE] = {"y-true", 0, "COL", "the true label's column "
			"(default y_true)", OPTION_NONEMPTY, NULL, "a column",
			0},
	[OPT_Y_PRED] = {"y-pred", 0, "COL", "the predicted label's column "
			"(default y_pred)", OPTION_NONEMPTY, NULL, "a column",
			0},
	[OPT_QUERY] = {"query", 0, "WHICH",
		       "print only this query: counts or scores",
		       OPTION_CHOICE, queries, NULL, 0},
};

static int check(struct cmd_args *a)
{
	static const int required[] = {OPT_DIALECT, OPT_TABLE, OPT_SENSITIVE,
				       OPT_POSITIVE, OPT_NEGATIVE};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (a->value[required[i]] == NULL)
			return cli_usage_error("sql", "expected --%s, found "
					       "none",
					       options[required[i]].name);
	if (a->value[OPT_QUERY] != NULL &&
	    strcmp(a->value[OPT_QUERY], "scores") == 0 &&
	    a->value[OPT_SCORE] == NULL)
		return cli_usage_error("sql", "--query scores: expected "
				       "--score COL, found none");
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	char *cols = strdup(a->value[OPT_SENSITIVE]);
	const char *sensitive[EVAL_MAX_FEATURES + 1];
	size_t n = 0;
	struct strbuf out = STRBUF_INIT;
	struct fail f;
	int rc = EXIT_INTERNAL;
	fail_init(&f);
	if (cols == NULL) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		rc = cli_report(&f);
		goto out;
	}
	/* split on ',' keeping empty names, so that sqlgen_check refuses
	 * them; more than the most an evaluation holds is refused there */
	for (char *p = cols;; ) {
		char *comma = strchr(p, ',');
		if (comma != NULL)
			*comma = '\0';
		if (n < EVAL_MAX_FEATURES + 1)
			sensitive[n] = p;
		n++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	struct sqlgen_options o = {
		.dialect = (enum sqlgen_dialect)sqlgen_dialect_of(
			a->value[OPT_DIALECT]),
		.table = a->value[OPT_TABLE],
		.sensitive = sensitive,
		.nsensitive = n,
		.positive_label = a->value[OPT_POSITIVE],
		.negative_label = a->value[OPT_NEGATIVE],
		.y_true = a->value[OPT_Y_TRUE] ? a->value[OPT_Y_TRUE]
					       : "y_true",
		.y_pred = a->value[OPT_Y_PRED] ? a->value[OPT_Y_PRED]
					       : "y_pred",
		.step = a->value[OPT_STEP],
		.weight = a->value[OPT_WEIGHT],
		.score = a->value[OPT_SCORE],
	};
	if (sqlgen_check(&o, &f) != 0) {
		rc = cli_usage_error("sql", "%s", f.msg);
		goto out;
	}
	const char *only = a->value[OPT_QUERY];
	int counts = only == NULL || strcmp(only, "counts") == 0;
	int scores = o.score != NULL &&
		     (only == NULL || strcmp(only, "scores") == 0);
	if ((counts && sqlgen_counts(&o, &out) != 0) ||
	    (counts && scores && strbuf_addch(&out, '\n') != 0) ||
	    (scores && sqlgen_scores(&o, &out) != 0)) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		rc = cli_report(&f);
		goto out;
	}
	fwrite(out.buf, 1, out.len, stdout);
	rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_INTERNAL;
out:
	strbuf_release(&out);
	free(cols);
	return rc;
}

const struct command_spec cmd_sql_spec = {
	.name = "sql",
	.summary = "the GROUP BY that makes counts.csv where the data lives",
	.options = options,
	.noptions = NOPTIONS,
	.store = COMMAND_NO_STORE,
	.help = "Print the query that reduces a table of predictions to "
		"counts.csv, for\nPostgreSQL, DuckDB, SQLite, Spark SQL, "
		"BigQuery or Trino: one row per\nstep and cell of the "
		"sensitive columns, with rows, rows_positive, tp,\nfp, tn, "
		"fn, w2_positive, w2_negative and bad.  With --score, a "
		"second\nquery gives the score histograms (scores.csv).  "
		"Export each result as\nCSV with its header (a folder of "
		"part-*.csv files is read as one) into\na run folder beside "
		"run.csv, and ingest it.  A cell with bad > 0 (a\nlabel NULL "
		"or neither label, a bad weight or score) is refused.",
	.check = check,
	.run = run,
};
