/*
 * test_mlflow.c — core/mlflow.c and core/mlflow_files.c: the pure parts
 * of reading MLflow: epoch milliseconds as fairtop's canonical time
 * (agreeing with core/isotime.c), scikit-learn's class_weight, metric
 * keys naming a group, the file store's status numbers, meta.yaml, the
 * SOURCE and artifact URIs, CSV fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/isotime.h"
#include "core/mlflow.h"
#include "core/mlflow_files.h"

static void ms(int64_t in, const char *want)
{
	char out[64], again[64];
	assert_int_equal(mlflow_ms_to_iso(in, out, sizeof out), 0);
	assert_string_equal(out, want);
	/* the canonical form: isotime_utc() leaves it as it is */
	assert_int_equal(isotime_utc(out, again, sizeof again), 0);
	assert_string_equal(again, out);
}

static void test_ms_to_iso(void **state)
{
	(void)state;
	char out[64];
	ms(0, "1970-01-01T00:00:00Z");
	ms(1767430800123, "2026-01-03T09:00:00Z"); /* ms dropped */
	ms(1767430800999, "2026-01-03T09:00:00Z");
	ms(1767430801000, "2026-01-03T09:00:01Z");
	ms(-1, "1969-12-31T23:59:59Z");            /* toward the past */
	ms(-1000, "1969-12-31T23:59:59Z");
	ms(-1001, "1969-12-31T23:59:58Z");
	ms(1709164800000, "2024-02-29T00:00:00Z"); /* a leap day */
	ms(253402300799999, "9999-12-31T23:59:59Z");
	ms(-62135596800000, "0001-01-01T00:00:00Z");
	assert_int_equal(mlflow_ms_to_iso(253402300800000, out, sizeof out), -1);
	assert_int_equal(mlflow_ms_to_iso(-62135596800001, out, sizeof out), -1);
	assert_int_equal(mlflow_ms_to_iso(0, out, 5), -1);
}

static void cw(const char *in, int want_rc, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	char why[256] = "";
	int rc = mlflow_class_weight(in, &sb, why, sizeof why);
	assert_int_equal(rc, want_rc);
	if (want != NULL)
		assert_string_equal(sb.buf, want);
	if (rc < 0) {
		assert_non_null(strstr(why, "expected {label: weight, ...}"));
		assert_int_equal(sb.len, 0);
	}
	strbuf_release(&sb);
}

static void test_class_weight(void **state)
{
	(void)state;
	cw("{0: 0.917, 1: 1.099}", 1, "0:0.917;1:1.099");
	cw("{0: 0.82270670505964627, 1: 1.2746972594008923}", 1,
	   "0:0.82270670505964627;1:1.2746972594008923");
	cw("{'a': 1.0, \"b\": 2}", 1, "a:1.0;b:2");
	cw("  {1:5,0:1,}  ", 1, "1:5;0:1");
	cw("{0: np.float64(0.917), 1: numpy.float64(1.099)}", 1,
	   "0:0.917;1:1.099");
	cw("{'it\\'s': 1e-3}", 1, "it's:1e-3");
	cw("balanced", 0, "");
	cw("None", 0, "");
	cw("", 0, "");
	cw("{}", 0, "");
	cw("{0: heavy}", -1, "");
	cw("{0: -1}", -1, "");
	cw("{0: nan}", -1, "");
	cw("{0 0.5}", -1, "");
	cw("{0: 0.5", -1, "");
	cw("{0: 0.5} extra", -1, "");
	cw("{'a:b': 1}", -1, "");       /* ':' cannot be in fairtop's label */
	cw("{'a;b': 1}", -1, "");
	cw("[0.5, 0.5]", -1, "");
	cw("{'open: 1}", -1, "");
}

static void split(const char *key, const char *metric, const char *group)
{
	const char *g;
	size_t n = mlflow_metric_split(key, &g);
	assert_int_equal(n, strlen(metric));
	assert_memory_equal(key, metric, n);
	assert_string_equal(g, group);
}

static void test_metric_split(void **state)
{
	(void)state;
	split("accuracy", "accuracy", "");
	split("tpr/group=A", "tpr", "group=A");
	split("val/tpr/sex=F", "val/tpr", "sex=F");
	split("tpr/group=A & age=18-25", "tpr", "group=A & age=18-25");
	split("train/loss", "train/loss", "");
	split("a=b", "a=b", "");              /* no '/': no group */
	split("/group=A", "/group=A", "");    /* no name before it */
	split("tpr/=A", "tpr/=A", "");        /* no feature */
	split("x/group=A/y", "x/group=A/y", ""); /* the last part names none */
}

static void test_status(void **state)
{
	(void)state;
	assert_string_equal(mlflow_status_name(1), "RUNNING");
	assert_string_equal(mlflow_status_name(2), "SCHEDULED");
	assert_string_equal(mlflow_status_name(3), "FINISHED");
	assert_string_equal(mlflow_status_name(4), "FAILED");
	assert_string_equal(mlflow_status_name(5), "KILLED");
	assert_null(mlflow_status_name(0));
	assert_null(mlflow_status_name(6));
	assert_true(mlflow_is_infinite(1.7976931348623157e308));
	assert_true(mlflow_is_infinite(-1.7976931348623157e308));
	assert_false(mlflow_is_infinite(1.7976931348623155e308));
	assert_false(mlflow_is_infinite(0));
}

static void yaml(const char *text, const char *key, const char *want)
{
	int oom = 0;
	char *v = mlflow_yaml_get(text, key, &oom);
	assert_int_equal(oom, 0);
	if (want == NULL) {
		assert_null(v);
	} else {
		assert_non_null(v);
		assert_string_equal(v, want);
	}
	free(v);
}

static void test_meta_yaml(void **state)
{
	(void)state;
	static const char meta[] =
		"artifact_uri: file:///m/1/abc/artifacts\n"
		"end_time: null\n"
		"entry_point_name: ''\n"
		"experiment_id: '1'\n"
		"lifecycle_stage: active\r\n"
		"run_id: abc\n"
		"run_name: \"my: run\"\n"
		"run_uuid: abc\n"
		"start_time: 1767430800123\n"
		"status: 3\n"
		"tags: []\n";
	yaml(meta, "artifact_uri", "file:///m/1/abc/artifacts");
	yaml(meta, "end_time", NULL);
	yaml(meta, "entry_point_name", NULL);
	yaml(meta, "experiment_id", "1");
	yaml(meta, "lifecycle_stage", "active");
	yaml(meta, "run_name", "my: run");
	yaml(meta, "run", NULL);          /* a prefix of run_id is not it */
	yaml(meta, "status", "3");
	yaml(meta, "start_time", "1767430800123");
	yaml(meta, "missing", NULL);
	yaml("", "status", NULL);
	yaml("status: 3", "status", "3"); /* no final newline */
}

static void source(const char *in, enum mlflow_source_kind kind,
		   const char *want)
{
	char out[256];
	assert_int_equal(mlflow_source_parse(in, out, sizeof out), kind);
	assert_string_equal(out, want);
}

static void test_source(void **state)
{
	(void)state;
	char out[256];
	source("mlflow.db", MLFLOW_SOURCE_PATH, "mlflow.db");
	source("sqlite:///mlflow.db", MLFLOW_SOURCE_PATH, "mlflow.db");
	source("sqlite:////srv/mlflow.db", MLFLOW_SOURCE_PATH, "/srv/mlflow.db");
	source("file:///srv/ml%20runs", MLFLOW_SOURCE_PATH, "/srv/ml runs");
	source("./mlruns", MLFLOW_SOURCE_PATH, "./mlruns");
	source("postgresql://u:secret@h/db", MLFLOW_SOURCE_UNSUPPORTED,
	       "postgresql");
	source("http://localhost:5000", MLFLOW_SOURCE_UNSUPPORTED, "http");
	source("databricks", MLFLOW_SOURCE_UNSUPPORTED, "databricks");
	source("databricks-uc", MLFLOW_SOURCE_UNSUPPORTED, "databricks-uc");
	source("databricks://prof", MLFLOW_SOURCE_UNSUPPORTED, "databricks");
	source("file://otherhost/x", MLFLOW_SOURCE_UNSUPPORTED, "file");
	assert_int_equal(mlflow_artifact_path("/a/b", out, sizeof out), 0);
	assert_string_equal(out, "/a/b");
	assert_int_equal(mlflow_artifact_path("file:///a/b", out, sizeof out), 0);
	assert_string_equal(out, "/a/b");
	assert_int_equal(mlflow_artifact_path("file:/a/b", out, sizeof out), 0);
	assert_string_equal(out, "/a/b");
	assert_int_equal(mlflow_artifact_path("file://localhost/a", out,
					      sizeof out), 0);
	assert_string_equal(out, "/a");
	assert_int_equal(mlflow_artifact_path("s3://b/k", out, sizeof out), 1);
	assert_int_equal(mlflow_artifact_path("mlflow-artifacts:/1/x", out,
					      sizeof out), 1);
	assert_int_equal(mlflow_artifact_path("gs://b/k", out, sizeof out), 1);
}

static void field(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	mlflow_csv_field(&sb, in);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_csv_field(void **state)
{
	(void)state;
	field("plain", "plain");
	field("", "");
	field("a,b", "\"a,b\"");
	field("say \"hi\"", "\"say \"\"hi\"\"\"");
	field("two\nlines", "\"two\nlines\"");
	field(" padded", "\" padded\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ms_to_iso),
		cmocka_unit_test(test_class_weight),
		cmocka_unit_test(test_metric_split),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_meta_yaml),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_csv_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
