/*
 * test_output.c — cli/output.c's text tables printed row by row: a
 * table measured first and printed a row at a time (what `fairtop
 * runs` does, to hold no more than one row) prints the very bytes of
 * the same rows added and printed at once.
 *
 * The rows hold what changes a cell's width: a wide character (two
 * columns), a combining mark (none), a control character (sanitised to
 * a visible escape, wider than its byte), an empty cell and a NULL one,
 * and a right-aligned column.  Both tables print to files compared
 * whole, and the first is checked against the text a person should
 * see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"

static const char *const header[] = {"RUN", "NAME", "N"};
static const int right[] = {0, 0, 1};

#define NROWS 4
static const char *const rows[NROWS][3] = {
	{"r1", "plain", "1"},
	{"r22", "\xe6\x97\xa5\xe6\x9c\xac", "1000"}, /* two wide: 4 columns */
	{"r3", "e\xcc\x81" "x\x1b[31m", ""},      /* combining, ESC */
	{"r4", NULL, "12"},
};

/* What f holds, whole; the caller frees it. */
static char *contents(FILE *f)
{
	long n;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *buf = calloc((size_t)n + 1, 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	return buf;
}

static void test_streamed_as_whole(void **state)
{
	(void)state;
	FILE *whole = tmpfile(), *streamed = tmpfile();
	assert_non_null(whole);
	assert_non_null(streamed);

	struct table *t = table_new(3, header, right);
	assert_non_null(t);
	for (size_t i = 0; i < NROWS; i++)
		assert_int_equal(table_add(t, rows[i]), 0);
	table_print(t, whole, 2);
	table_free(t);

	t = table_new(3, header, right);
	assert_non_null(t);
	for (size_t i = 0; i < NROWS; i++)
		table_measure(t, rows[i]);
	table_print(t, streamed, 2);
	for (size_t i = 0; i < NROWS; i++)
		assert_int_equal(table_print_row(t, streamed, 2, rows[i]), 0);
	table_free(t);

	char *a = contents(whole), *b = contents(streamed);
	assert_string_equal(a, b);
	/* the name column is as wide as its widest sanitised cell */
	char *second = strchr(a, '\n');
	assert_non_null(second);
	assert_int_equal(strncmp(second + 1, "  r1   plain", 12), 0);
	free(a);
	free(b);
	fclose(whole);
	fclose(streamed);
}

/* A row printed wider than measured is printed unpadded, never with a
 * negative pad. */
static void test_wider_than_measured(void **state)
{
	(void)state;
	FILE *out = tmpfile();
	assert_non_null(out);
	struct table *t = table_new(3, header, right);
	assert_non_null(t);
	assert_int_equal(table_print_row(t, out, 0, rows[1]), 0);
	table_free(t);
	char *a = contents(out);
	assert_string_equal(a, "r22  \xe6\x97\xa5\xe6\x9c\xac  1000\n");
	free(a);
	fclose(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streamed_as_whole),
		cmocka_unit_test(test_wider_than_measured),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
