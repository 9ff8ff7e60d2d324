/*
 * test_isotime.c — core/isotime.c: every accepted ISO 8601 form comes
 * out as the same UTC text, offsets crossing midnight, month, year and
 * leap day; refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/isotime.h"

static void same(const char *in, const char *want)
{
	char out[64];
	assert_int_equal(isotime_utc(in, out, sizeof out), 0);
	assert_string_equal(out, want);
}

static void test_forms(void **state)
{
	(void)state;
	same("2026-01-03", "2026-01-03T00:00:00Z");
	same("2026-01-03T09:00:00Z", "2026-01-03T09:00:00Z");
	same("2026-01-03T09:00Z", "2026-01-03T09:00:00Z");
	same("2026-01-03 09:00:07", "2026-01-03T09:00:07Z");
	/* a fraction is dropped, the time truncated to its second */
	same("2026-01-03T09:00:07.250Z", "2026-01-03T09:00:07Z");
	same("2026-01-03T09:00:07.999999Z", "2026-01-03T09:00:07Z");
	same("2026-01-03T14:00:00.000Z", "2026-01-03T14:00:00Z");
	same("2026-01-03T14:00:00,5+01:00", "2026-01-03T13:00:00Z");
}

/* One canonical text per second: times of the same second are equal as
 * text, and text order is time order across fractions. */
static void test_order(void **state)
{
	(void)state;
	char a[32], b[32];
	assert_int_equal(isotime_utc("2026-01-03T10:00:00.9Z", a, sizeof a), 0);
	assert_int_equal(isotime_utc("2026-01-03T10:00:00Z", b, sizeof b), 0);
	assert_string_equal(a, b);
	assert_int_equal(isotime_utc("2026-01-03T10:00:01Z", b, sizeof b), 0);
	assert_true(strcmp(a, b) < 0);
}

/* Years 0001 to 9999 in UTC; an offset that carries a time out of them
 * is refused, never written with five digits or a sign. */
static void test_range(void **state)
{
	(void)state;
	char out[32] = "untouched";
	same("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z");
	same("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z");
	assert_int_equal(isotime_utc("0000-06-01T00:00:00Z", out, sizeof out),
			 -1);
	assert_int_equal(isotime_utc("0001-01-01T00:30:00+01:00", out,
				     sizeof out),
			 -1);
	assert_int_equal(isotime_utc("9999-12-31T23:30:00-01:00", out,
				     sizeof out),
			 -1);
	assert_string_equal(out, "untouched");
	assert_int_equal(isotime_valid("9999-12-31T23:30:00-01:00"), 0);
	assert_int_equal(isotime_valid("2026-01-03T09:00:00Z"), 1);
}

static void test_offsets(void **state)
{
	(void)state;
	/* 09:00 at +02:00 is 07:00 UTC */
	same("2026-01-03T09:00:00+02:00", "2026-01-03T07:00:00Z");
	/* back over midnight and the year: 01:30 +02:00 on 1 January */
	same("2026-01-01T01:30:00+02:00", "2025-12-31T23:30:00Z");
	/* forward over the year: 23:30 -01:00 on 31 December */
	same("2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00Z");
	/* into a leap day: 2024-03-01 00:15 +00:30 */
	same("2024-03-01T00:15:00+00:30", "2024-02-29T23:45:00Z");
	/* half-hour offset, forward over a month end */
	same("2026-04-30T22:00:00-05:30", "2026-05-01T03:30:00Z");
}

static void test_refused(void **state)
{
	(void)state;
	char out[64] = "untouched";
	assert_int_equal(isotime_utc("2026-02-30", out, sizeof out), -1);
	assert_int_equal(isotime_utc("yesterday", out, sizeof out), -1);
	assert_int_equal(isotime_utc("2026-01-03T25:00:00Z", out, sizeof out),
			 -1);
	assert_string_equal(out, "untouched");
	/* too small a buffer is an error, not a cut time */
	char tiny[8];
	assert_int_equal(isotime_utc("2026-01-03", tiny, sizeof tiny), -1);
}

/* Against values from `date -u -d ... +%s` (GNU coreutils). */
static void test_seconds(void **state)
{
	(void)state;
	long long t = -1;
	assert_int_equal(isotime_seconds("1970-01-01T00:00:00Z", &t), 0);
	assert_true(t == 0);
	assert_int_equal(isotime_seconds("2026-01-22T18:45:00Z", &t), 0);
	assert_true(t == 1769107500LL);
	/* an offset is taken to UTC first; a leap day counts */
	assert_int_equal(isotime_seconds("2024-03-01T00:15:00+00:30", &t), 0);
	assert_true(t == 1709250300LL);
	assert_int_equal(isotime_seconds("0001-01-01T00:00:00Z", &t), 0);
	assert_true(t == -62135596800LL);
	assert_int_equal(isotime_seconds("yesterday", &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
