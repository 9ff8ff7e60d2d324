/*
 * test_chart.c — tui/chart.c: the chart's scale, rows and columns, and
 * one drawing on a virtual screen.
 *
 * chart_scale_of() covers every defined value with a range rounded out
 * to multiples of 0.05 and clamped to [0,1], at least 0.05 high; with
 * nothing defined it is [0,1].  chart_row() puts hi on row 0 and lo on
 * the last row, rounding to the nearest row, clamping values outside the
 * range and answering -1 for an undefined value.  chart_col() spreads the
 * points from column 0 to the last column; a single point sits at 0.
 * Expected values are worked out by hand next to each check; ranges are
 * compared to 1e-9 since 0.05 steps are not exact in binary.
 *
 * chart_draw() is drawn once in the C locale (ASCII: each series' letter
 * in the cells its line crosses) on a curses screen written to
 * /dev/null, and read back with mvinch(); edge cases (one point, gaps,
 * nothing defined, an area too small) are drawn for the sanitizers.
 * A value exactly on a 0.05 step, such as 0.30, stays on it (0.30/0.05
 * is 5.999... in doubles: this once gave the axis one step too many).
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/confusion.h"
#include "tui/chart.h"
#include "tui/screen.h"

#define NA RATE_UNDEFINED

static void close_to(double got, double want, const char *expr,
		     const char *file, int line)
{
	if (!(fabs(got - want) <= 1e-9)) {
		print_error("%s:%d: %s: got %.17g, want %.17g\n", file, line,
			    expr, got, want);
		_fail(file, line);
	}
}

#define assert_close(got, want) close_to((got), (want), #got, __FILE__, \
					 __LINE__)

/* The scale of one series of n values. */
static struct chart_scale scale1(const double *v, size_t n)
{
	struct chart_series s = {"A", v};
	return chart_scale_of(&s, 1, n);
}

/* --- chart_scale_of ------------------------------------------------------- */

static void test_scale_pads_to_005(void **state)
{
	(void)state;
	/* 0.62 down to 0.60, 0.78 up to 0.80 */
	const double v[] = {0.62, 0.78};
	struct chart_scale sc = scale1(v, 2);
	assert_close(sc.lo, 0.60);
	assert_close(sc.hi, 0.80);
	/* 0.52 .. 0.97: 0.50 .. 1.00 */
	const double w[] = {0.97, 0.52, 0.61};
	sc = scale1(w, 3);
	assert_close(sc.lo, 0.50);
	assert_close(sc.hi, 1.00);
	/* values already on a step that is exact in binary stay */
	const double x[] = {0.25, 0.75};
	sc = scale1(x, 2);
	assert_close(sc.lo, 0.25);
	assert_close(sc.hi, 0.75);
}

static void test_scale_all_series_and_gaps(void **state)
{
	(void)state;
	/* the lowest of every series (0.42) and the highest (0.57), the
	 * gaps ignored: 0.40 .. 0.60 */
	const double a[] = {NA, 0.42, NA};
	const double b[] = {0.57, NA, 0.51};
	struct chart_series s[2] = {{"A", a}, {"B", b}};
	struct chart_scale sc = chart_scale_of(s, 2, 3);
	assert_close(sc.lo, 0.40);
	assert_close(sc.hi, 0.60);
}

static void test_scale_clamped_to_unit(void **state)
{
	(void)state;
	/* -0.03 would round to -0.05, 1.02 to 1.05: clamped to 0 and 1 */
	const double v[] = {-0.03, 1.02};
	struct chart_scale sc = scale1(v, 2);
	assert_close(sc.lo, 0);
	assert_close(sc.hi, 1);
	/* 0.01 .. 0.99: 0 .. 1 */
	const double w[] = {0.99, 0.01};
	sc = scale1(w, 2);
	assert_close(sc.lo, 0);
	assert_close(sc.hi, 1);
}

static void test_scale_at_least_one_step(void **state)
{
	(void)state;
	/* one value: a 0.05 high range starting at its step */
	const double half[] = {0.5};
	struct chart_scale sc = scale1(half, 1);
	assert_close(sc.lo, 0.50);
	assert_close(sc.hi, 0.55);
	const double near[] = {0.52, 0.53};
	sc = scale1(near, 2);
	assert_close(sc.lo, 0.50);
	assert_close(sc.hi, 0.55);
	/* at the ends of [0,1] the range stays inside it */
	const double zero[] = {0.0};
	sc = scale1(zero, 1);
	assert_close(sc.lo, 0);
	assert_close(sc.hi, 0.05);
	const double one[] = {1.0, 1.0};
	sc = scale1(one, 2);
	assert_close(sc.lo, 0.95);
	assert_close(sc.hi, 1);
}

static void test_scale_nothing_defined(void **state)
{
	(void)state;
	const double v[] = {NA, NA, NA};
	struct chart_scale sc = scale1(v, 3);
	assert_true(sc.lo == 0 && sc.hi == 1);
	/* no series, no points */
	sc = chart_scale_of(NULL, 0, 3);
	assert_true(sc.lo == 0 && sc.hi == 1);
	sc = scale1(v, 0);
	assert_true(sc.lo == 0 && sc.hi == 1);
}

static void test_scale_always_covers(void **state)
{
	(void)state;
	/* for every pair of values 0.00 .. 1.00 in 0.01 steps: lo and hi
	 * are 0.05 steps inside [0,1], at least 0.05 apart, covering both */
	for (int i = 0; i <= 100; i++)
		for (int j = i; j <= 100; j++) {
			const double v[] = {i / 100.0, j / 100.0};
			struct chart_scale sc = scale1(v, 2);
			double slo = sc.lo / 0.05, shi = sc.hi / 0.05;
			if (!(sc.lo >= 0 && sc.hi <= 1 &&
			      sc.hi - sc.lo >= 0.05 - 1e-9 &&
			      sc.lo <= v[0] + 1e-9 && sc.hi >= v[1] - 1e-9 &&
			      fabs(slo - round(slo)) < 1e-6 &&
			      fabs(shi - round(shi)) < 1e-6)) {
				print_error("values %.2f %.2f: range %.17g .. "
					    "%.17g\n", v[0], v[1], sc.lo, sc.hi);
				fail();
			}
		}
}

static void test_scale_value_on_a_step(void **state)
{
	(void)state;
	/* 0.30 and 0.70 are round 0.05 steps: the range is 0.30 .. 0.70.
	 * tui/chart.c computes floor(0.30 / 0.05) = floor(5.999...) = 5 and
	 * shows 0.25 .. 0.70 (likewise 0.15, 0.35, 0.60, 0.95 ...). */
	const double v[] = {0.30, 0.70};
	struct chart_scale sc = scale1(v, 2);
	assert_close(sc.lo, 0.30);
	assert_close(sc.hi, 0.70);
	const double w[] = {0.60};
	sc = scale1(w, 1);
	assert_close(sc.lo, 0.60);
	assert_close(sc.hi, 0.65);
}

/* --- chart_row ------------------------------------------------------------ */

static void test_row_ends_and_middle(void **state)
{
	(void)state;
	struct chart_scale sc = {0, 1};
	/* 11 rows, 0 .. 10: hi on the top row, lo on the bottom one */
	assert_int_equal(chart_row(&sc, 1.0, 11), 0);
	assert_int_equal(chart_row(&sc, 0.0, 11), 10);
	assert_int_equal(chart_row(&sc, 0.5, 11), 5);
	/* 0.3: (1 - 0.3) * 10 = 7 */
	assert_int_equal(chart_row(&sc, 0.3, 11), 7);
	/* nearest row: 0.74 is 2.6 rows from the top, so row 3; 0.76 is
	 * 2.4 rows, so row 2 */
	assert_int_equal(chart_row(&sc, 0.74, 11), 3);
	assert_int_equal(chart_row(&sc, 0.76, 11), 2);
	/* 5 rows: the middle one is 2 */
	assert_int_equal(chart_row(&sc, 0.5, 5), 2);
}

static void test_row_on_a_narrow_scale(void **state)
{
	(void)state;
	struct chart_scale sc = {0.55, 0.90};
	assert_int_equal(chart_row(&sc, 0.90, 9), 0);
	assert_int_equal(chart_row(&sc, 0.55, 9), 8);
	/* the middle, 0.725, on row 4 of 0 .. 8 */
	assert_int_equal(chart_row(&sc, 0.725, 9), 4);
	/* outside the range: clamped to the first or last row */
	assert_int_equal(chart_row(&sc, 0.99, 9), 0);
	assert_int_equal(chart_row(&sc, 0.10, 9), 8);
}

static void test_row_undefined(void **state)
{
	(void)state;
	struct chart_scale sc = {0, 1};
	assert_int_equal(chart_row(&sc, NA, 11), -1);
	/* no rows at all */
	assert_int_equal(chart_row(&sc, 0.5, 0), -1);
	/* one row: everything on it */
	assert_int_equal(chart_row(&sc, 0.0, 1), 0);
	assert_int_equal(chart_row(&sc, 1.0, 1), 0);
}

/* --- chart_col ------------------------------------------------------------ */

static void test_col_first_last_middle(void **state)
{
	(void)state;
	assert_int_equal(chart_col(0, 6, 50), 0);
	assert_int_equal(chart_col(5, 6, 50), 49);
	/* 5 points over 41 columns: every 10 */
	assert_int_equal(chart_col(2, 5, 41), 20);
	assert_int_equal(chart_col(3, 5, 41), 30);
	/* 4 points over 10 columns: 0, 3, 6, 9 */
	assert_int_equal(chart_col(1, 4, 10), 3);
	assert_int_equal(chart_col(2, 4, 10), 6);
	assert_int_equal(chart_col(3, 4, 10), 9);
	/* 3 points over 10 columns: the middle is 4.5, rounded to 5 */
	assert_int_equal(chart_col(1, 3, 10), 5);
}

static void test_col_single_point(void **state)
{
	(void)state;
	assert_int_equal(chart_col(0, 1, 50), 0);
	assert_int_equal(chart_col(0, 0, 50), 0);
	/* one column: everything in it */
	assert_int_equal(chart_col(0, 5, 1), 0);
	assert_int_equal(chart_col(4, 5, 1), 0);
}

static void test_col_in_order(void **state)
{
	(void)state;
	/* columns grow with i, stay in 0 .. cols-1, and differ when there
	 * are no more points than columns */
	for (int cols = 2; cols <= 60; cols += 7)
		for (size_t n = 2; n <= 40; n++) {
			int prev = -1;
			for (size_t i = 0; i < n; i++) {
				int c = chart_col(i, n, cols);
				assert_in_range(c, 0, cols - 1);
				if (n <= (size_t)cols)
					assert_true(c > prev);
				else
					assert_true(c >= prev);
				prev = c;
			}
			assert_int_equal(prev, cols - 1);
		}
}

/* --- chart_draw, in ASCII ------------------------------------------------- */

static FILE *devnull;

static int screen_up(void **state)
{
	(void)state;
	/* a fixed terminal and the C locale: ASCII drawing */
	setenv("TERM", "xterm", 1);
	setenv("LC_ALL", "C", 1);
	devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		return -1;
	if (screen_open(COLOR_NEVER, devnull, 24, 80) != 0)
		return -1;
	return screen_unicode() ? -1 : 0;
}

static int screen_down(void **state)
{
	(void)state;
	screen_close();
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
	return 0;
}

/* The text on row y from column x, n characters. */
static const char *text_at(int y, int x, int n)
{
	static char buf[128];
	int i;
	for (i = 0; i < n && i < (int)sizeof buf - 1; i++)
		buf[i] = (char)(mvinch(y, x + i) & A_CHARTEXT);
	buf[i] = '\0';
	return buf;
}

static void test_draw_ascii(void **state)
{
	(void)state;
	/* 12 rows (11 for the chart, 1 for x labels), 40 columns: the axis
	 * takes 6, the labels 16, the plot 18 (columns 6 .. 23).  A rises
	 * from 0 to 1, B falls from 1 to 0: scale 0 .. 1. */
	const double a[] = {0.0, 1.0};
	const double b[] = {1.0, 0.0};
	struct chart_series s[2] = {{"A", a}, {"B", b}};
	const char *const xl[] = {"r1", "r2"};
	erase();
	chart_draw(0, 0, 12, 40, s, 2, 2, xl);
	/* y labels on the top, middle (rows / 2 = 5) and bottom rows */
	assert_string_equal(text_at(0, 0, 6), " 1.00|");
	assert_string_equal(text_at(5, 0, 6), " 0.50|");
	assert_string_equal(text_at(10, 0, 6), " 0.00|");
	assert_string_equal(text_at(3, 5, 1), "|");
	/* each line starts and ends where its values say, in its letter */
	assert_string_equal(text_at(10, 6, 1), "A");
	assert_string_equal(text_at(0, 23, 1), "A");
	assert_string_equal(text_at(0, 6, 1), "B");
	assert_string_equal(text_at(10, 23, 1), "B");
	/* the line is continuous: a letter on every row */
	for (int y = 0; y <= 10; y++)
		assert_non_null(strpbrk(text_at(y, 6, 18), "AB"));
	/* labels right of the plot, with the last value */
	assert_string_equal(text_at(0, 24, 8), " A 1.000");
	assert_string_equal(text_at(10, 24, 8), " B 0.000");
	/* x labels below: first at the plot's left, last centred on its
	 * column (23 - 2 / 2 = 22) */
	assert_string_equal(text_at(11, 6, 2), "r1");
	assert_string_equal(text_at(11, 22, 2), "r2");
}

static void test_draw_edges(void **state)
{
	(void)state;
	const double one[] = {0.4};
	const double gaps[] = {NA, 0.3, NA, NA, 0.9, NA};
	const double none[] = {NA, NA, NA, NA, NA, NA};
	struct chart_series s1 = {"A", one};
	struct chart_series s3[3] = {{"A", gaps}, {"", none}, {NULL, gaps}};
	const char *const xl[] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff"};
	erase();
	/* one point: scale 0.40 .. 0.45, so on the bottom row (4 of 5), at
	 * the plot's first column, labelled on that row */
	chart_draw(0, 0, 6, 40, &s1, 1, 1, xl);
	assert_string_equal(text_at(4, 6, 1), "A");
	assert_string_equal(text_at(4, 24, 8), " A 0.400");
	assert_string_equal(text_at(5, 6, 1), "a");
	/* gaps, a series with nothing defined, labels missing */
	erase();
	chart_draw(2, 3, 10, 60, s3, 3, 6, xl);
	chart_draw(2, 3, 10, 60, s3, 3, 6, NULL);
	/* the smallest area drawn (2 rows, 4 columns), and smaller ones,
	 * which draw nothing */
	erase();
	chart_draw(0, 0, 3, 26, s3, 3, 6, xl);
	erase();
	chart_draw(0, 0, 2, 80, s3, 3, 6, xl);
	chart_draw(0, 0, 20, 25, s3, 3, 6, xl);
	chart_draw(0, 0, 20, 80, s3, 3, 0, xl);
	assert_string_equal(text_at(0, 0, 10), "          ");
	/* drawn partly off the screen: clipped */
	erase();
	chart_draw(18, 50, 12, 60, s3, 3, 6, xl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_pads_to_005),
		cmocka_unit_test(test_scale_all_series_and_gaps),
		cmocka_unit_test(test_scale_clamped_to_unit),
		cmocka_unit_test(test_scale_at_least_one_step),
		cmocka_unit_test(test_scale_nothing_defined),
		cmocka_unit_test(test_scale_always_covers),
		cmocka_unit_test(test_scale_value_on_a_step),
		cmocka_unit_test(test_row_ends_and_middle),
		cmocka_unit_test(test_row_on_a_narrow_scale),
		cmocka_unit_test(test_row_undefined),
		cmocka_unit_test(test_col_first_last_middle),
		cmocka_unit_test(test_col_single_point),
		cmocka_unit_test(test_col_in_order),
		cmocka_unit_test_setup_teardown(test_draw_ascii, screen_up,
						screen_down),
		cmocka_unit_test_setup_teardown(test_draw_edges, screen_up,
						screen_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
