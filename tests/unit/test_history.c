/*
 * test_history.c — core/history.c: metrics.csv points handed to the
 * callback in file order with their step, timestamp, metric, group,
 * value and line; an empty timestamp and group; columns in any order;
 * the callback stopping the read; every refusal with its whole message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/history.h"

#define MAX_POINTS 8

struct seen {
	int n;
	int stop_at; /* point index at which to stop, -1: never */
	long line[MAX_POINTS];
	int64_t step[MAX_POINTS];
	char timestamp[MAX_POINTS][64];
	char metric[MAX_POINTS][64];
	char group[MAX_POINTS][64];
	double value[MAX_POINTS];
};

static int collect(void *ctx, const struct metric_point *p, struct fail *f)
{
	struct seen *s = ctx;
	int i = s->n++;
	assert_true(i < MAX_POINTS);
	s->line[i] = p->line;
	s->step[i] = p->step;
	snprintf(s->timestamp[i], sizeof s->timestamp[i], "%s", p->timestamp);
	snprintf(s->metric[i], sizeof s->metric[i], "%s", p->metric);
	snprintf(s->group[i], sizeof s->group[i], "%s", p->group);
	s->value[i] = p->value;
	if (i == s->stop_at)
		return fail_at(f, "store", p->line, "stopped at point %d", i);
	return 0;
}

static int read_str(const char *text, struct seen *s, long *n, struct fail *f)
{
	struct source src = source_buffer(text, strlen(text), "m.csv");
	memset(s, 0, sizeof *s);
	s->stop_at = -1;
	fail_init(f);
	return history_read(&src, collect, s, n, f);
}

static void refused(const char *text, const char *msg)
{
	struct seen s;
	struct fail f;
	assert_int_equal(read_str(text, &s, NULL, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, msg);
}

static const char good[] =
	"step,timestamp,metric,group,value\n"
	"100,2026-01-03T09:00:47Z,loss,,0.692\n"
	"\n"
	"100,,accuracy,sex=F,0.5\n"
	"200,2026-01-03 10:00:00+01:00,throughput,sex=F & age=old,1084.8\n"
	"0,2026-01-03,latency_ms,,-3e2\n";

static void check_good(const struct seen *s)
{
	assert_int_equal(s->n, 4);
	assert_int_equal(s->line[0], 2);
	assert_int_equal(s->step[0], 100);
	assert_string_equal(s->timestamp[0], "2026-01-03T09:00:47Z");
	assert_string_equal(s->metric[0], "loss");
	assert_string_equal(s->group[0], "");
	assert_true(s->value[0] == 0.692);
	assert_int_equal(s->line[1], 4);
	assert_int_equal(s->step[1], 100);
	assert_string_equal(s->timestamp[1], "");
	assert_string_equal(s->metric[1], "accuracy");
	assert_string_equal(s->group[1], "sex=F");
	assert_true(s->value[1] == 0.5);
	assert_int_equal(s->line[2], 5);
	assert_int_equal(s->step[2], 200);
	assert_string_equal(s->timestamp[2], "2026-01-03 10:00:00+01:00");
	assert_string_equal(s->metric[2], "throughput");
	assert_string_equal(s->group[2], "sex=F & age=old");
	assert_true(s->value[2] == 1084.8);
	assert_int_equal(s->line[3], 6);
	assert_int_equal(s->step[3], 0);
	assert_string_equal(s->metric[3], "latency_ms");
	assert_true(s->value[3] == -300.0);
}

static void test_points_in_order(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long n = -1;
	assert_int_equal(read_str(good, &s, &n, &f), 0);
	assert_int_equal(n, 4);
	assert_int_equal(f.kind, FAIL_NONE);
	check_good(&s);
}

static void test_columns_any_order(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long n = -1;
	assert_int_equal(read_str("value,group,metric,step,timestamp\n"
				  "0.25,sex=M,tpr,7,\n",
				  &s, &n, &f), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s.step[0], 7);
	assert_string_equal(s.metric[0], "tpr");
	assert_string_equal(s.group[0], "sex=M");
	assert_string_equal(s.timestamp[0], "");
	assert_true(s.value[0] == 0.25);
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long n = -1;
	memset(&s, 0, sizeof s);
	s.stop_at = 1;
	struct source src = source_buffer(good, strlen(good), "m.csv");
	fail_init(&f);
	assert_int_equal(history_read(&src, collect, &s, &n, &f), -1);
	assert_string_equal(f.msg, "store:4: stopped at point 1");
	assert_int_equal(s.n, 2);
	assert_int_equal(n, 2);
}

static void test_read_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/fairtop-history-XXXXXX";
	char path[128];
	struct seen s;
	struct fail f;
	long n = -1;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/metrics.csv", dir);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(good, out);
	assert_int_equal(fclose(out), 0);
	memset(&s, 0, sizeof s);
	s.stop_at = -1;
	struct source src = source_file(path, "metrics.csv");
	fail_init(&f);
	assert_int_equal(history_read(&src, collect, &s, &n, &f), 0);
	assert_int_equal(n, 4);
	check_good(&s);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* --- refusals ------------------------------------------------------- */

static void test_bad_step(void **state)
{
	(void)state;
	refused("step,timestamp,metric,group,value\n1,,loss,,1\nx,,loss,,1\n",
		"m.csv:3: column 'step': expected a whole number >= 0, found "
		"'x'");
	refused("step,timestamp,metric,group,value\n1.5,,loss,,1\n",
		"m.csv:2: column 'step': expected a whole number >= 0, found "
		"'1.5'");
	refused("step,timestamp,metric,group,value\n-1,,loss,,1\n",
		"m.csv:2: column 'step': expected a whole number >= 0, found "
		"'-1'");
}

static void test_bad_timestamp(void **state)
{
	(void)state;
	refused("step,timestamp,metric,group,value\n1,22/01/2026,loss,,1\n",
		"m.csv:2: column 'timestamp': expected an ISO 8601 time such "
		"as 2026-01-22T14:05:00Z or nothing, found '22/01/2026'");
	refused("step,timestamp,metric,group,value\n"
		"1,2026-02-30T00:00:00Z,loss,,1\n",
		"m.csv:2: column 'timestamp': expected an ISO 8601 time such "
		"as 2026-01-22T14:05:00Z or nothing, found "
		"'2026-02-30T00:00:00Z'");
}

static void test_bad_metric_and_group(void **state)
{
	(void)state;
	refused("step,timestamp,metric,group,value\n1,,,,1\n",
		"m.csv:2: column 'metric': expected a metric name, found an "
		"empty field");
	refused("step,timestamp,metric,group,value\n1,,tpr,A,1\n",
		"m.csv:2: column 'group': expected nothing (overall) or "
		"feature=value, found 'A'");
}

static void test_bad_value(void **state)
{
	(void)state;
	static const char *const bad[] = {"nan", "inf", "-inf", "abc", "1e999",
					  "0x10"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[128], msg[256];
		snprintf(text, sizeof text,
			 "step,timestamp,metric,group,value\n1,,loss,,%s\n",
			 bad[i]);
		snprintf(msg, sizeof msg,
			 "m.csv:2: column 'value': expected a finite number, "
			 "found '%s'", bad[i]);
		refused(text, msg);
	}
	refused("step,timestamp,metric,group,value\n1,,loss,,\n",
		"m.csv:2: column 'value': expected a finite number, found an "
		"empty field");
}

static void test_bad_shape(void **state)
{
	(void)state;
	refused("step,time,metric,group,value\n1,,loss,,1\n",
		"m.csv:1: column 2: expected one of the columns "
		"step,timestamp,metric,group,value, found unknown column "
		"'time'");
	refused("step,metric,group,value\n1,loss,,1\n",
		"m.csv:1: expected a column 'timestamp' (header "
		"step,timestamp,metric,group,value), found none");
	refused("step,timestamp,metric,group,value,step\n",
		"m.csv:1: expected each column once, found 'step' in columns "
		"1 and 6");
	refused("step,timestamp,metric,group,value\n1,,loss,1\n",
		"m.csv:2: expected 5 fields as in the header, found 4");
	refused("step,timestamp,metric,group,value\n",
		"m.csv:2: expected at least one metric row after the header, "
		"found the end of the file");
	refused("", "m.csv:1: expected the header "
		    "'step,timestamp,metric,group,value', found an empty file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points_in_order),
		cmocka_unit_test(test_columns_any_order),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_bad_step),
		cmocka_unit_test(test_bad_timestamp),
		cmocka_unit_test(test_bad_metric_and_group),
		cmocka_unit_test(test_bad_value),
		cmocka_unit_test(test_bad_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
