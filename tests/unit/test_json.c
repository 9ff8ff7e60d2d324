/*
 * test_json.c — core/json.c: the streaming JSON writer.
 *
 * Covers the exact bytes written: empty and nested objects and arrays
 * with the commas between members and elements (never a leading or a
 * trailing one), keys and string values escaped (quote, backslash,
 * control characters and DEL as \u00XX, C1 and bidi controls as \uXXXX,
 * invalid UTF-8 as \ufffd, valid UTF-8 passed through), numbers with
 * the fewest digits (17 at most) that read back to the same double, null for
 * NaN and infinities, integers, booleans, null, and the whitespace
 * json_space() puts after a comma and before a closing bracket; the
 * text of a writer to memory; and that what it writes parses (python3
 * -m json.tool, when there is a python3).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/json.h"

/* A writer into memory: open with mem_open(), read with mem_text(). */
struct mem {
	char *text;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static void mem_open(struct mem *m)
{
	m->text = NULL;
	m->len = 0;
	m->f = open_memstream(&m->text, &m->len);
	assert_non_null(m->f);
	json_writer_init(&m->w, m->f);
}

/* The text written, the stream closed; the caller frees it. */
static char *mem_text(struct mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	return m->text;
}

static void check(struct mem *m, const char *want)
{
	char *got = mem_text(m);
	assert_string_equal(got, want);
	free(got);
}

static void test_empty_containers(void **state)
{
	(void)state;
	struct mem m;
	mem_open(&m);
	json_object_begin(&m.w);
	json_object_end(&m.w);
	check(&m, "{}");
	mem_open(&m);
	json_array_begin(&m.w);
	json_array_end(&m.w);
	check(&m, "[]");
	mem_open(&m);
	json_array_begin(&m.w);
	json_object_begin(&m.w);
	json_object_end(&m.w);
	json_array_begin(&m.w);
	json_array_end(&m.w);
	json_array_end(&m.w);
	check(&m, "[{}, []]");
}

static void test_nesting_and_commas(void **state)
{
	(void)state;
	struct mem m;
	mem_open(&m);
	json_object_begin(&m.w);
	json_key(&m.w, "run");
	json_str(&m.w, "r05");
	json_key(&m.w, "rows");
	json_integer(&m.w, 3800);
	json_key(&m.w, "passed");
	json_bool(&m.w, 0);
	json_key(&m.w, "note");
	json_null(&m.w);
	json_key(&m.w, "findings");
	json_array_begin(&m.w);
	json_object_begin(&m.w);
	json_key(&m.w, "rule");
	json_str(&m.w, "dp_difference");
	json_key(&m.w, "ok");
	json_bool(&m.w, 1);
	json_object_end(&m.w);
	json_integer(&m.w, -7);
	json_str(&m.w, NULL);
	json_count(&m.w, 0);
	json_count(&m.w, -1); /* unknown */
	json_array_end(&m.w);
	json_key(&m.w, "empty");
	json_object_begin(&m.w);
	json_object_end(&m.w);
	json_object_end(&m.w);
	check(&m, "{\"run\": \"r05\", \"rows\": 3800, \"passed\": false, "
		  "\"note\": null, \"findings\": [{\"rule\": "
		  "\"dp_difference\", \"ok\": true}, -7, null, 0, null], "
		  "\"empty\": {}}");
}

static void test_space(void **state)
{
	(void)state;
	struct mem m;
	mem_open(&m);
	json_array_begin(&m.w);
	for (int i = 1; i <= 2; i++) {
		json_space(&m.w, "\n  ");
		json_object_begin(&m.w);
		json_key(&m.w, "id");
		json_integer(&m.w, i);
		json_space(&m.w, "\n   ");
		json_key(&m.w, "x");
		json_integer(&m.w, 0);
		json_object_end(&m.w);
	}
	json_space(&m.w, "\n");
	json_array_end(&m.w);
	check(&m, "[\n  {\"id\": 1,\n   \"x\": 0},\n  {\"id\": 2,"
		  "\n   \"x\": 0}\n]");
}

static void test_strings_escaped(void **state)
{
	(void)state;
	struct mem m;
	mem_open(&m);
	json_array_begin(&m.w);
	json_str(&m.w, "a \"quoted\" back\\slash");
	json_str(&m.w, "tab\tnl\ncr\rbell\aesc\x1b" "del\x7f");
	json_str(&m.w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"); /* é € 😀 */
	json_str(&m.w, "c1 \xc2\x9b bidi \xe2\x80\xae end");
	json_str(&m.w, "bad \xff\xc3 end");
	json_str(&m.w, "");
	json_array_end(&m.w);
	check(&m, "[\"a \\\"quoted\\\" back\\\\slash\", "
		  "\"tab\\u0009nl\\u000acr\\u000dbell\\u0007esc\\u001b"
		  "del\\u007f\", "
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\", "
		  "\"c1 \\u009b bidi \\u202e end\", "
		  "\"bad \\ufffd\\ufffd end\", \"\"]");
	/* a key is escaped as a string */
	mem_open(&m);
	json_object_begin(&m.w);
	json_key(&m.w, "k\"\n");
	json_integer(&m.w, 1);
	json_object_end(&m.w);
	check(&m, "{\"k\\\"\\u000a\": 1}");
}

static void test_numbers(void **state)
{
	(void)state;
	struct mem m;
	mem_open(&m);
	json_array_begin(&m.w);
	json_num(&m.w, 0.1);
	json_num(&m.w, 0.1741428571428571);
	json_num(&m.w, 1.0 / 3.0);
	json_num(&m.w, 30);
	json_num(&m.w, -2.5e-300);
	json_num(&m.w, NAN);
	json_num(&m.w, INFINITY);
	json_num(&m.w, -INFINITY);
	json_integer(&m.w, 9223372036854775807LL);
	json_array_end(&m.w);
	char *got = mem_text(&m);
	assert_string_equal(got, "[0.1, 0.1741428571428571, "
				 "0.3333333333333333, 30, -2.5e-300, null, "
				 "null, null, 9223372036854775807]");
	/* every number reads back to the same double */
	const double want[] = {0.1, 0.1741428571428571, 1.0 / 3.0, 30,
			       -2.5e-300};
	const char *p = got + 1;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char *end;
		assert_true(strtod(p, &end) == want[i]);
		p = end + 2; /* ", " */
	}
	free(got);
}

/* A memory writer hands back what it wrote as a string, and nothing
 * written is the empty string. */
static void test_memory(void **state)
{
	(void)state;
	struct json_writer w;
	assert_int_equal(json_writer_init_memory(&w), 0);
	json_object_begin(&w);
	json_key(&w, "from");
	json_str(&w, "r\"05");
	json_key(&w, "override");
	json_bool(&w, 0);
	json_object_end(&w);
	char *text = json_writer_text(&w);
	assert_string_equal(text,
			    "{\"from\": \"r\\\"05\", \"override\": false}");
	free(text);
	assert_int_equal(json_writer_init_memory(&w), 0);
	text = json_writer_text(&w);
	assert_string_equal(text, "");
	free(text);
}

/* What the writer writes parses as JSON, when python3 is there to say. */
static void test_parses(void **state)
{
	(void)state;
	if (system("python3 -c '' >/dev/null 2>&1") != 0) {
		skip();
		return;
	}
	char path[] = "/tmp/test_json.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	struct json_writer w;
	json_writer_init(&w, f);
	json_object_begin(&w);
	json_key(&w, "s\x01");
	json_str(&w, "\xe2\x80\xae\xff\x1b[31m\"\\");
	json_space(&w, "\n ");
	json_key(&w, "a");
	json_array_begin(&w);
	json_num(&w, NAN);
	json_num(&w, 1e300);
	json_bool(&w, 1);
	json_object_begin(&w);
	json_object_end(&w);
	json_array_end(&w);
	json_object_end(&w);
	fputc('\n', f);
	assert_int_equal(fclose(f), 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "python3 -m json.tool %s >/dev/null", path);
	int rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_space),
		cmocka_unit_test(test_strings_escaped),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
