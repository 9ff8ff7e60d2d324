/*
 * test_runinfo.c — core/runinfo.c: a full run.csv (every known key,
 * other keys kept as parameters in file order), the `sensitive` list
 * split and trimmed, defaults (positive_label "1", beta_factor
 * undefined), class weights; every refusal with its whole message; and
 * runinfo_is_iso8601 on good and bad dates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/confusion.h"
#include "core/runinfo.h"

/* Read text as run.csv; returns runinfo_read's result.  *ri is
 * initialised here and must be released by the caller. */
static int read_str(const char *text, struct run_info *ri, struct fail *f)
{
	struct source src = source_buffer(text, strlen(text), "run.csv");
	runinfo_init(ri);
	fail_init(f);
	return runinfo_read(&src, ri, f);
}

/* Expect text to be refused with exactly msg. */
static void refused(const char *text, const char *msg)
{
	struct run_info ri;
	struct fail f;
	assert_int_equal(read_str(text, &ri, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, msg);
	runinfo_release(&ri);
}

static const char full[] =
	"key,value\n"
	"run,r42\n"
	"model,loan-approval\n"
	"learning_rate,0.01\n"
	"version,2.1\n"
	"parent,r41\n"
	"commit,45f7409e45f4\n"
	"data_version,2026-01\n"
	"started_at,2026-01-22T14:05:00Z\n"
	"finished_at,2026-01-22T15:00:00+01:00\n"
	"epochs,20\n"
	"status,finished\n"
	"beta_factor,0.5\n"
	"class_weights,0:0.625;1:2.5\n"
	"positive_label,approved\n"
	"sensitive,\" group , age,region \"\n"
	"optimizer,\"adam, with decay\"\n";

static void test_full(void **state)
{
	(void)state;
	struct run_info ri;
	struct fail f;
	assert_int_equal(read_str(full, &ri, &f), 0);
	assert_int_equal(f.kind, FAIL_NONE);
	assert_string_equal(ri.run, "r42");
	assert_string_equal(ri.model, "loan-approval");
	assert_string_equal(ri.version, "2.1");
	assert_string_equal(ri.parent, "r41");
	assert_string_equal(ri.commit, "45f7409e45f4");
	assert_string_equal(ri.data_version, "2026-01");
	assert_string_equal(ri.started_at, "2026-01-22T14:05:00Z");
	assert_string_equal(ri.finished_at, "2026-01-22T15:00:00+01:00");
	assert_string_equal(ri.status, "finished");
	assert_true(ri.beta_factor == 0.5);
	assert_string_equal(ri.class_weights_text, "0:0.625;1:2.5");
	assert_int_equal(ri.nclass_weights, 2);
	assert_string_equal(ri.class_weights[0].label, "0");
	assert_true(ri.class_weights[0].weight == 0.625);
	assert_string_equal(ri.class_weights[1].label, "1");
	assert_true(ri.class_weights[1].weight == 2.5);
	assert_string_equal(ri.positive_label, "approved");
	assert_string_equal(ri.sensitive_text, " group , age,region ");
	assert_int_equal(ri.nsensitive, 3);
	assert_string_equal(ri.sensitive[0], "group");
	assert_string_equal(ri.sensitive[1], "age");
	assert_string_equal(ri.sensitive[2], "region");
	assert_int_equal(ri.nparams, 3);
	assert_string_equal(ri.param[0].key, "learning_rate");
	assert_string_equal(ri.param[0].value, "0.01");
	assert_string_equal(ri.param[1].key, "epochs");
	assert_string_equal(ri.param[1].value, "20");
	assert_string_equal(ri.param[2].key, "optimizer");
	assert_string_equal(ri.param[2].value, "adam, with decay");
	runinfo_release(&ri);
	/* released means initialised again */
	assert_null(ri.run);
	assert_int_equal(ri.nparams, 0);
	assert_true(isnan(ri.beta_factor));
}

static void test_minimal_defaults(void **state)
{
	(void)state;
	struct run_info ri;
	struct fail f;
	assert_int_equal(read_str("key,value\n"
				  "run,r1\n"
				  "model,m\n"
				  "started_at,2026-01-03\n",
				  &ri, &f), 0);
	assert_string_equal(ri.run, "r1");
	assert_string_equal(ri.positive_label, "1");
	assert_true(isnan(ri.beta_factor));
	assert_false(rate_defined(ri.beta_factor));
	assert_int_equal(ri.nclass_weights, 0);
	assert_null(ri.class_weights_text);
	assert_int_equal(ri.nsensitive, 0);
	assert_null(ri.sensitive_text);
	assert_null(ri.version);
	assert_null(ri.finished_at);
	assert_int_equal(ri.nparams, 0);
	runinfo_release(&ri);
}

static void test_crlf_and_bom(void **state)
{
	(void)state;
	struct run_info ri;
	struct fail f;
	assert_int_equal(read_str("\xef\xbb\xbfkey,value\r\n"
				  "run,r1\r\n\r\n"
				  "model,m\r\n"
				  "started_at,2026-01-03T09:00:00Z\r\n"
				  "beta_factor,2\r\n",
				  &ri, &f), 0);
	assert_string_equal(ri.model, "m");
	assert_true(ri.beta_factor == 2.0);
	runinfo_release(&ri);
}

static void test_single_sensitive(void **state)
{
	(void)state;
	struct run_info ri;
	struct fail f;
	assert_int_equal(read_str("key,value\nrun,r1\nmodel,m\n"
				  "started_at,2026-01-03\nsensitive,sex\n",
				  &ri, &f), 0);
	assert_int_equal(ri.nsensitive, 1);
	assert_string_equal(ri.sensitive[0], "sex");
	runinfo_release(&ri);
}

static void test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/fairtop-runinfo-XXXXXX";
	char path[128];
	struct run_info ri;
	struct fail f;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/run.csv", dir);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(full, out);
	assert_int_equal(fclose(out), 0);
	struct source src = source_file(path, "r42/run.csv");
	runinfo_init(&ri);
	fail_init(&f);
	assert_int_equal(runinfo_read(&src, &ri, &f), 0);
	assert_string_equal(ri.run, "r42");
	assert_int_equal(ri.nparams, 3);
	runinfo_release(&ri);

	src = source_file("/nonexistent/fairtop/run.csv", "x/run.csv");
	fail_init(&f);
	runinfo_init(&ri);
	assert_int_equal(runinfo_read(&src, &ri, &f), -1);
	assert_string_equal(f.msg, "x/run.csv: cannot open: No such file or "
			    "directory");
	runinfo_release(&ri);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* --- refusals ------------------------------------------------------- */

static void test_wrong_header(void **state)
{
	(void)state;
	refused("name,value\nrun,r1\nmodel,m\nstarted_at,2026-01-03\n",
		"run.csv:1: expected the header 'key,value', found "
		"'name,value'");
	refused("key,value,extra\nrun,r1\n",
		"run.csv:1: expected the header 'key,value', found "
		"'key,value,...'");
	refused("run,r1\nmodel,m\n",
		"run.csv:1: expected the header 'key,value', found 'run,r1'");
	refused("\n\nkey\n",
		"run.csv:3: expected the header 'key,value', found 'key'");
}

static void test_missing_required(void **state)
{
	(void)state;
	refused("key,value\nmodel,m\nstarted_at,2026-01-03\n",
		"run.csv:4: expected a row with the required key 'run', "
		"found the end of the file");
	refused("key,value\nrun,r1\nstarted_at,2026-01-03\n",
		"run.csv:4: expected a row with the required key 'model', "
		"found the end of the file");
	refused("key,value\nrun,r1\nmodel,m\n",
		"run.csv:4: expected a row with the required key "
		"'started_at', found the end of the file");
	refused("key,value\n",
		"run.csv:2: expected a row with the required key 'run', "
		"found the end of the file");
}

static void test_duplicate_key(void **state)
{
	(void)state;
	refused("key,value\nrun,r1\nmodel,m\nmodel,n\n",
		"run.csv:4: expected each key once, found 'model' again");
	refused("key,value\nrun,r1\nlr,1\nmodel,m\nlr,2\n",
		"run.csv:5: expected each key once, found 'lr' again");
	refused("key,value\nrun,r1\nbeta_factor,1\nbeta_factor,2\n",
		"run.csv:4: expected each key once, found 'beta_factor' "
		"again");
}

static void test_field_count(void **state)
{
	(void)state;
	refused("key,value\nrun,r1\nmodel,m,extra\n",
		"run.csv:3: expected 2 fields (key,value), found 3");
	refused("key,value\nrun\n",
		"run.csv:2: expected 2 fields (key,value), found 1");
	refused("key,value\n,r1\n",
		"run.csv:2: expected a key in column 1, found an empty field");
}

static void test_bad_date(void **state)
{
	(void)state;
	refused("key,value\nrun,r1\nmodel,m\nstarted_at,22/01/2026\n",
		"run.csv:4: key 'started_at': expected an ISO 8601 date such "
		"as 2026-01-22T14:05:00Z (years 0001 to 9999 in UTC), found "
		"'22/01/2026'");
	refused("key,value\nrun,r1\nfinished_at,2026-02-30T10:00:00Z\n",
		"run.csv:3: key 'finished_at': expected an ISO 8601 date "
		"such as 2026-01-22T14:05:00Z (years 0001 to 9999 in UTC), "
		"found '2026-02-30T10:00:00Z'");
	/* an offset carrying the time out of the years supported */
	refused("key,value\nrun,r1\nstarted_at,9999-12-31T23:30:00-01:00\n",
		"run.csv:3: key 'started_at': expected an ISO 8601 date such "
		"as 2026-01-22T14:05:00Z (years 0001 to 9999 in UTC), found "
		"'9999-12-31T23:30:00-01:00'");
}

static void test_bad_beta(void **state)
{
	(void)state;
	static const char *const bad[] = {"abc", "nan", "inf", "0", "-1",
					  "", "-0", "1e999"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[128], msg[256];
		snprintf(text, sizeof text,
			 "key,value\nrun,r1\nmodel,m\nbeta_factor,%s\n",
			 bad[i]);
		snprintf(msg, sizeof msg,
			 "run.csv:4: key 'beta_factor': expected a positive "
			 "finite number, found '%s'", bad[i]);
		refused(text, msg);
	}
}

static void test_bad_class_weights(void **state)
{
	(void)state;
	refused("key,value\nrun,r1\nclass_weights,0:abc;1:2\n",
		"run.csv:3: key 'class_weights': expected a non-negative "
		"finite weight after '0:', found 'abc'");
	refused("key,value\nrun,r1\nclass_weights,0.5\n",
		"run.csv:3: key 'class_weights': expected 'label:weight', "
		"found '0.5'");
}

static void test_bad_sensitive(void **state)
{
	(void)state;
	refused("key,value\nrun,r1\nsensitive,\"group,,age\"\n",
		"run.csv:3: key 'sensitive': expected column names "
		"separated by commas, found an empty name");
	refused("key,value\nrun,r1\nsensitive,\"group, age,\"\n",
		"run.csv:3: key 'sensitive': expected column names "
		"separated by commas, found an empty name");
	refused("key,value\nrun,r1\nsensitive,\"group, age , group\"\n",
		"run.csv:3: key 'sensitive': expected each column once, "
		"found 'group' twice");
	/* as many names as an evaluation has features (6, as README and
	 * the man page say), not one more */
	assert_int_equal(RUNINFO_MAX_SENSITIVE, 6);
	refused("key,value\nrun,r1\nmodel,m\nsensitive,\"a,b,c,d,e,f,g\"\n",
		"run.csv:4: key 'sensitive': expected at most 6 columns, "
		"found a 7th, 'g'");
	struct run_info ri;
	struct fail f;
	assert_int_equal(read_str("key,value\nrun,r1\nmodel,m\n"
				  "started_at,2026-01-03\n"
				  "sensitive,\"a,b,c,d,e,f\"\n", &ri, &f), 0);
	assert_int_equal(ri.nsensitive, 6);
	runinfo_release(&ri);
}

static void test_bad_run_and_label(void **state)
{
	(void)state;
	refused("key,value\nrun,\n",
		"run.csv:2: key 'run': expected a run id of 1 to 200 bytes, "
		"found 0 bytes");
	refused("key,value\nrun,r1\nmodel,\n",
		"run.csv:3: key 'model': expected a model name, found an "
		"empty value");
	refused("key,value\nrun,r1\npositive_label,\n",
		"run.csv:3: key 'positive_label': expected a label of 1 to "
		"63 bytes, found 0 bytes");
}

static void test_empty_file(void **state)
{
	(void)state;
	refused("", "run.csv:1: expected the header 'key,value', found an "
		    "empty file");
	refused("\n\n", "run.csv:1: expected the header 'key,value', found "
			"an empty file");
}

static void test_csv_syntax_error(void **state)
{
	(void)state;
	refused("key,value\nrun,r\"1\n",
		"run.csv:2: field 2: expected no '\"' inside an unquoted "
		"field (quote the whole field and double each '\"' in it), "
		"found '\"1'");
}

/* --- ISO 8601 ------------------------------------------------------- */

static void test_iso8601(void **state)
{
	(void)state;
	static const char *const good[] = {
		"2026-01-22",
		"2026-01-22T14:05:00Z",
		"2026-01-22T14:05:00",
		"2026-01-22T14:05:00+01:00",
		"2026-01-22T14:05:00-05:30",
		"2026-01-22 14:05:00Z",
		"2026-01-22T14:05Z",
		"2026-01-22T14:05",
		"2026-01-22T14:05:00.123Z",
		"2026-01-22T23:59:59Z",
		"2026-01-22T00:00:00Z",
		"2026-12-31",
		"2024-02-29",
		"2000-02-29",
		"2026-04-30",
	};
	static const char *const bad[] = {
		"",
		"2026-02-30",
		"2026-01-22T24:00:00Z",
		"2026-01-22T24:00",
		"2026-01-22T14:60:00Z",
		"2026-13-01",
		"2026-00-10",
		"2026-01-00",
		"2026-01-32",
		"2026-04-31",
		"2025-02-29",
		"2100-02-29",
		"26-01-22",
		"2026/01/22",
		"22/01/2026",
		"2026-1-22",
		"2026-01-22T",
		"2026-01-22T14",
		"2026-01-22T14:05:00.",
		"2026-01-22T14:05:00+1",
		"2026-01-22T14:05:00+01",
		"2026-01-22T14:05:00+15:00",
		"2026-01-22T14:05:00Zjunk",
		"2026-01-22x",
		"2026-01-22T14:05:00 Z",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		if (!runinfo_is_iso8601(good[i]))
			fail_msg("refused good date '%s'", good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (runinfo_is_iso8601(bad[i]))
			fail_msg("accepted bad date '%s'", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_single_sensitive),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_wrong_header),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_field_count),
		cmocka_unit_test(test_bad_date),
		cmocka_unit_test(test_bad_beta),
		cmocka_unit_test(test_bad_class_weights),
		cmocka_unit_test(test_bad_sensitive),
		cmocka_unit_test(test_bad_run_and_label),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_csv_syntax_error),
		cmocka_unit_test(test_iso8601),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
