/*
 * test_sqlgen.c — core/sqlgen.c: the queries of `fairtop sql`.
 *
 * Spark's, BigQuery's and Trino's queries are compared with golden
 * files (tests/golden/sql/DIALECT-{counts,scores}.sql, read from the top
 * of the tree as make unit runs), made with a table, a column and a
 * label holding quotes, a backtick and a backslash; PostgreSQL's and
 * DuckDB's are run on the engines by t2710.  Here also: each dialect's
 * quoting of identifiers and literals, SQLite's binning without FLOOR,
 * the queries without --step and --weight, and the options refused.
 * To remake the golden files after a deliberate change:
 *     ./fairtop sql --dialect D --table 'proj.ds.pre`d"s' \
 *       --sensitive 'sex,ag`e"' --positive-label yes \
 *       --negative-label "it's\no" --step step --weight weight \
 *       --score score --query counts|scores
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sqlgen.h"

static const char *const tricky_sensitive[] = {"sex", "ag`e\""};

static struct sqlgen_options tricky(enum sqlgen_dialect d)
{
	return (struct sqlgen_options){
		.dialect = d,
		.table = "proj.ds.pre`d\"s",
		.sensitive = tricky_sensitive,
		.nsensitive = 2,
		.positive_label = "yes",
		.negative_label = "it's\\no",
		.y_true = "y_true",
		.y_pred = "y_pred",
		.step = "step",
		.weight = "weight",
		.score = "score",
	};
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = malloc(1 << 16);
	size_t n = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	if (buf != NULL)
		buf[n] = '\0';
	return buf;
}

static void golden(enum sqlgen_dialect d)
{
	const char *name = sqlgen_dialect_names[d];
	struct sqlgen_options o = tricky(d);
	for (int q = 0; q < 2; q++) {
		char path[128];
		snprintf(path, sizeof path, "tests/golden/sql/%s-%s.sql", name,
			 q ? "scores" : "counts");
		char *want = slurp(path);
		assert_non_null(want);
		struct strbuf sb = STRBUF_INIT;
		assert_int_equal(q ? sqlgen_scores(&o, &sb)
				   : sqlgen_counts(&o, &sb), 0);
		if (strcmp(sb.buf, want) != 0)
			fail_msg("%s differs from what sqlgen makes:\n%s",
				 path, sb.buf);
		strbuf_release(&sb);
		free(want);
	}
}

static void test_golden_spark(void **state)
{
	(void)state;
	golden(SQLGEN_SPARK);
}

static void test_golden_bigquery(void **state)
{
	(void)state;
	golden(SQLGEN_BIGQUERY);
}

static void test_golden_trino(void **state)
{
	(void)state;
	golden(SQLGEN_TRINO);
}

static char *counts_of(struct sqlgen_options o)
{
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(sqlgen_counts(&o, &sb), 0);
	return strbuf_detach(&sb, NULL);
}

static char *scores_of(struct sqlgen_options o)
{
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(sqlgen_scores(&o, &sb), 0);
	return strbuf_detach(&sb, NULL);
}

#define assert_has(text, part)                                               \
	do {                                                                 \
		if (strstr((text), (part)) == NULL)                          \
			fail_msg("expected '%s' in:\n%s", (part), (text));   \
	} while (0)

#define assert_lacks(text, part)                                             \
	do {                                                                 \
		if (strstr((text), (part)) != NULL)                          \
			fail_msg("expected no '%s' in:\n%s", (part), (text)); \
	} while (0)

static void test_quoting(void **state)
{
	(void)state;
	char *s = counts_of(tricky(SQLGEN_POSTGRES));
	assert_has(s, "FROM \"proj\".\"ds\".\"pre`d\"\"s\"");
	assert_has(s, "\"ag`e\"\"\" AS fairtop_f2");
	assert_has(s, "WHEN 'it''s\\no' THEN 0");
	assert_has(s, "CAST(\"y_true\" AS TEXT)");
	assert_has(s, "CAST(\"weight\" AS DOUBLE PRECISION)");
	free(s);
	s = counts_of(tricky(SQLGEN_SPARK));
	assert_has(s, "`ag``e\"` AS fairtop_f2");
	assert_has(s, "WHEN 'it\\'s\\\\no' THEN 0");
	free(s);
	s = counts_of(tricky(SQLGEN_BIGQUERY));
	assert_has(s, "`ag\\`e\"` AS fairtop_f2");
	assert_has(s, "CAST(`weight` AS FLOAT64)");
	free(s);
	s = counts_of(tricky(SQLGEN_DUCKDB));
	assert_has(s, "CAST(\"y_true\" AS VARCHAR)");
	assert_has(s, "CAST(\"weight\" AS DOUBLE)");
	free(s);
}

static void test_portable(void **state)
{
	(void)state;
	for (int d = 0; sqlgen_dialect_names[d] != NULL; d++) {
		char *c = counts_of(tricky((enum sqlgen_dialect)d));
		char *s = scores_of(tricky((enum sqlgen_dialect)d));
		const char *const never[] = {"FILTER", "GROUPING", "||",
					     "CONCAT"};
		for (size_t k = 0; k < 4; k++) {
			assert_lacks(c, never[k]);
			assert_lacks(s, never[k]);
		}
		assert_has(c, "GROUP BY fairtop_step, fairtop_f1, fairtop_f2;");
		assert_has(s, "GROUP BY fairtop_step, fairtop_f1, fairtop_f2, "
			      "fairtop_bin;");
		assert_has(s, "WHEN fairtop_s * 100 >= 100 THEN 99");
		assert_has(s, "AND fairtop_s >= 0 AND fairtop_s <= 1");
		free(c);
		free(s);
	}
	char *s = scores_of(tricky(SQLGEN_SQLITE));
	assert_lacks(s, "FLOOR");
	assert_has(s, "ELSE CAST(fairtop_s * 100 AS INTEGER)");
	assert_has(s, "CAST(\"score\" AS REAL)");
	free(s);
	s = scores_of(tricky(SQLGEN_POSTGRES));
	assert_has(s, "ELSE CAST(FLOOR(fairtop_s * 100) AS BIGINT)");
	free(s);
}

static void test_defaults(void **state)
{
	(void)state;
	struct sqlgen_options o = tricky(SQLGEN_DUCKDB);
	o.step = NULL;
	o.weight = NULL;
	char *s = counts_of(o);
	assert_has(s, "      0 AS fairtop_step,");
	assert_has(s, "      1 AS fairtop_w\n");
	assert_lacks(s, "\"weight\"");
	free(s);
}

static void test_check(void **state)
{
	(void)state;
	struct fail f;
	struct sqlgen_options o = tricky(SQLGEN_POSTGRES);
	fail_init(&f);
	assert_int_equal(sqlgen_check(&o, &f), 0);
	const char *const reserved[] = {"a", "rows"};
	o.sensitive = reserved;
	assert_int_equal(sqlgen_check(&o, &f), -1);
	assert_non_null(strstr(f.msg, "'rows' is a column of the result"));
	const char *const twice[] = {"a", "a"};
	o.sensitive = twice;
	fail_init(&f);
	assert_int_equal(sqlgen_check(&o, &f), -1);
	assert_non_null(strstr(f.msg, "found 'a' twice"));
	const char *const empty[] = {"a", ""};
	o.sensitive = empty;
	fail_init(&f);
	assert_int_equal(sqlgen_check(&o, &f), -1);
	o = tricky(SQLGEN_POSTGRES);
	o.negative_label = "yes";
	fail_init(&f);
	assert_int_equal(sqlgen_check(&o, &f), -1);
	assert_non_null(strstr(f.msg, "other than the positive one"));
	o = tricky(SQLGEN_POSTGRES);
	o.table = "a..b";
	fail_init(&f);
	assert_int_equal(sqlgen_check(&o, &f), -1);
	o.nsensitive = 7;
	o.table = "t";
	fail_init(&f);
	assert_int_equal(sqlgen_check(&o, &f), -1);
	assert_int_equal(sqlgen_dialect_of("trino"), SQLGEN_TRINO);
	assert_int_equal(sqlgen_dialect_of("mysql"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_spark),
		cmocka_unit_test(test_golden_bigquery),
		cmocka_unit_test(test_golden_trino),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_portable),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
