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
	same("2026-01-03T09:00:07.250Z", "2026-01-03T09:00:07.250Z");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
