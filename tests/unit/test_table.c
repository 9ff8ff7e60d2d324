/*
 * test_table.c — tui/table.c: which columns a table shows in a given
 * width, and how wide each is.
 *
 * Columns are separated by one space.  When everything fits, every
 * column shows at its minimum width and the shown `grow` columns share
 * what is left, the first ones taking what does not divide evenly.  When the width is short, whole priority levels
 * drop, the highest number first, until the rest fits; priority-0
 * columns always show, even when they do not fit.  Expected widths are
 * added up by hand next to each check, on a small table and on the Runs
 * view's own columns (tui/view_runs.c) at 80, 100 and 120 columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tui/table.h"

/* Lay out cols in w; shown and width must match the expected arrays
 * (widths of hidden columns are 0); returns nothing, fails with a
 * readable message. */
static void expect_layout(const struct column *cols, int n, int w,
			  const int *want_shown, const int *want_width)
{
	int shown[32], width[32];
	int want_count = 0;
	memset(shown, 0x5a, sizeof shown);
	memset(width, 0x5a, sizeof width);
	for (int i = 0; i < n; i++)
		want_count += want_shown[i];
	int count = table_layout(cols, n, w, shown, width);
	int same = count == want_count;
	for (int i = 0; same && i < n; i++)
		same = shown[i] == want_shown[i] && width[i] == want_width[i];
	if (!same) {
		print_error("width %d: expected %d columns, found %d\n", w,
			    want_count, count);
		for (int i = 0; i < n; i++)
			print_error("  %-8s expected %s %d, found %s %d\n",
				    cols[i].title,
				    want_shown[i] ? "shown" : "hidden",
				    want_width[i],
				    shown[i] == 1   ? "shown"
				    : shown[i] == 0 ? "hidden"
						    : "unset",
				    width[i]);
		fail();
	}
}

#define SHOWN(...) ((const int[]){__VA_ARGS__})
#define WIDTH(...) ((const int[]){__VA_ARGS__})

/*
 * A: 4 wide, priority 0
 * B: 10 wide, priority 0, grows
 * C: 5 wide, priority 2
 * D: 6 wide, priority 1
 * E: 3 wide, priority 3
 * All five: 4 + 10 + 5 + 6 + 3 + 4 spaces = 32.
 */
static const struct column small[] = {
	{"A", 4, 0, 0, 0}, {"B", 10, 0, 0, 1}, {"C", 5, 2, 1, 0},
	{"D", 6, 1, 1, 0}, {"E", 3, 3, 0, 0},
};

static void test_all_fit(void **state)
{
	(void)state;
	/* exactly 32: no spare */
	expect_layout(small, 5, 32, SHOWN(1, 1, 1, 1, 1),
		      WIDTH(4, 10, 5, 6, 3));
}

static void test_grow_takes_spare(void **state)
{
	(void)state;
	/* 40: 8 spare, all to B */
	expect_layout(small, 5, 40, SHOWN(1, 1, 1, 1, 1),
		      WIDTH(4, 18, 5, 6, 3));
	/* 200: 168 spare */
	expect_layout(small, 5, 200, SHOWN(1, 1, 1, 1, 1),
		      WIDTH(4, 178, 5, 6, 3));
}

static void test_narrow_drops_highest_priority_first(void **state)
{
	(void)state;
	/* 31: E (priority 3) goes; A B C D need 4+10+5+6+3 = 28, B takes 3 */
	expect_layout(small, 5, 31, SHOWN(1, 1, 1, 1, 0),
		      WIDTH(4, 13, 5, 6, 0));
	/* 28: exactly A B C D */
	expect_layout(small, 5, 28, SHOWN(1, 1, 1, 1, 0),
		      WIDTH(4, 10, 5, 6, 0));
	/* 27: C (priority 2) goes too; A B D need 4+10+6+2 = 22, B takes 5 */
	expect_layout(small, 5, 27, SHOWN(1, 1, 0, 1, 0),
		      WIDTH(4, 15, 0, 6, 0));
	/* 22: exactly A B D */
	expect_layout(small, 5, 22, SHOWN(1, 1, 0, 1, 0),
		      WIDTH(4, 10, 0, 6, 0));
	/* 21: D (priority 1) goes; A B need 15, B takes 6 */
	expect_layout(small, 5, 21, SHOWN(1, 1, 0, 0, 0),
		      WIDTH(4, 16, 0, 0, 0));
	/* 15: exactly A B */
	expect_layout(small, 5, 15, SHOWN(1, 1, 0, 0, 0),
		      WIDTH(4, 10, 0, 0, 0));
}

static void test_priority_zero_always_shown(void **state)
{
	(void)state;
	/* 14, 5, 0 and negative: A and B do not fit but still show, at
	 * their minimum widths (the drawing clips them) */
	const int widths[] = {14, 5, 1, 0, -3};
	for (size_t i = 0; i < sizeof widths / sizeof *widths; i++)
		expect_layout(small, 5, widths[i], SHOWN(1, 1, 0, 0, 0),
			      WIDTH(4, 10, 0, 0, 0));
}

static void test_same_priority_drops_together(void **state)
{
	(void)state;
	/* X 10 p0 grows, Y 5 p1, Z 5 p1: all need 22 */
	const struct column cols[] = {
		{"X", 10, 0, 0, 1}, {"Y", 5, 1, 0, 0}, {"Z", 5, 1, 0, 0}};
	expect_layout(cols, 3, 22, SHOWN(1, 1, 1), WIDTH(10, 5, 5));
	/* 21: Y alone would fit (16) but Y and Z share a level: both go */
	expect_layout(cols, 3, 21, SHOWN(1, 0, 0), WIDTH(21, 0, 0));
}

static void test_grow_columns_share(void **state)
{
	(void)state;
	/* two grow columns share the spare, the first taking the odd one */
	const struct column two[] = {
		{"P", 3, 0, 0, 1}, {"Q", 3, 0, 0, 1}, {"R", 3, 0, 0, 0}};
	/* 3+3+3+2 = 11; 20 leaves 9: P 5, Q 4 */
	expect_layout(two, 3, 20, SHOWN(1, 1, 1), WIDTH(8, 7, 3));
	/* 21 leaves 10: 5 each */
	expect_layout(two, 3, 21, SHOWN(1, 1, 1), WIDTH(8, 8, 3));
	/* P grows but has priority 1: in 20 everything fits (5+3+3+2 =
	 * 13), 7 spare: P 4, Q 3; in 12 P is hidden and Q, the one shown
	 * grow column, takes what Q R leave (3+3+1 = 7, so 5) */
	const struct column hid[] = {
		{"P", 5, 1, 0, 1}, {"Q", 3, 0, 0, 1}, {"R", 3, 0, 0, 0}};
	expect_layout(hid, 3, 20, SHOWN(1, 1, 1), WIDTH(9, 6, 3));
	expect_layout(hid, 3, 12, SHOWN(0, 1, 1), WIDTH(0, 8, 3));
	/* no grow column: the spare stays unused */
	const struct column none[] = {{"P", 3, 0, 0, 0}, {"Q", 3, 1, 0, 0}};
	expect_layout(none, 2, 30, SHOWN(1, 1), WIDTH(3, 3));
}

static void test_no_columns(void **state)
{
	(void)state;
	int shown[1], width[1];
	assert_int_equal(table_layout(small, 0, 80, shown, width), 0);
}

/* The Runs view's columns, as tui/view_runs.c declares them. */
static const struct column runs_view[] = {
	{"", 3, 0, 0, 0},          {"RUN", 5, 0, 0, 1},
	{"MODEL", 8, 3, 0, 1},     {"VER", 4, 2, 0, 0},
	{"DATE", 10, 2, 0, 0},     {"ACC", 5, 0, 1, 0},
	{"F-BETA", 6, 1, 1, 0},    {"THRPT", 6, 1, 1, 0},
	{"DP", 5, 0, 1, 0},        {"EO", 5, 0, 1, 0},
	{"WORST TPR", 13, 0, 0, 0}, {"FAIR", 4, 0, 0, 0},
	{"VS PROD", 7, 0, 0, 0},   {"ALERTS", 6, 0, 1, 0},
};

static void test_runs_view_widths(void **state)
{
	(void)state;
	/* priority 0: mark 3, RUN 5, ACC 5, DP 5, EO 5, WORST 13, FAIR 4,
	 * VS PROD 7, ALERTS 6 = 53 + 8 spaces = 61.  Priority 1: F-BETA
	 * 6, THRPT 6 = 12 + 2 spaces: 75.  Priority 2: VER 4, DATE 10 +
	 * 2: 91.  Priority 3: MODEL 8 + 1: 100. */
	expect_layout(runs_view, 14, 80,
		      SHOWN(1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1),
		      WIDTH(3, 10, 0, 0, 0, 5, 6, 6, 5, 5, 13, 4, 7, 6));
	expect_layout(runs_view, 14, 91,
		      SHOWN(1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
		      WIDTH(3, 5, 0, 4, 10, 5, 6, 6, 5, 5, 13, 4, 7, 6));
	expect_layout(runs_view, 14, 99,
		      SHOWN(1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
		      WIDTH(3, 13, 0, 4, 10, 5, 6, 6, 5, 5, 13, 4, 7, 6));
	/* 120: 20 spare, RUN and MODEL 10 each */
	expect_layout(runs_view, 14, 120,
		      SHOWN(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
		      WIDTH(3, 15, 18, 4, 10, 5, 6, 6, 5, 5, 13, 4, 7, 6));
	/* 64: only priority 0 (61), RUN takes 3 */
	expect_layout(runs_view, 14, 64,
		      SHOWN(1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1),
		      WIDTH(3, 8, 0, 0, 0, 5, 0, 0, 5, 5, 13, 4, 7, 6));
}

static void test_widths_add_up(void **state)
{
	(void)state;
	/* with a grow column shown and the minimum fitting, the shown
	 * widths and the spaces between them fill w exactly */
	for (int w = 15; w <= 300; w++) {
		int shown[5], width[5];
		int count = table_layout(small, 5, w, shown, width);
		int total = count - 1;
		for (int i = 0; i < 5; i++) {
			if (!shown[i])
				assert_int_equal(width[i], 0);
			total += width[i];
		}
		assert_int_equal(total, w);
	}
}

/* Growing columns grow only to their content (want); what no column
 * wants stays unused at the right, as the Runs view at 200 columns
 * leaves it instead of a RUN column of 100 blanks. */
static void test_grow_to_content(void **state)
{
	(void)state;
	static const struct column cols[] = {
		{"RUN", 5, 0, 0, 1},
		{"MODEL", 8, 0, 0, 1},
		{"ACC", 5, 0, 1, 0},
	};
	int shown[3], width[3];
	/* 5 + 1 + 8 + 1 + 5 = 20 of 200: RUN's content is 3 wide (its
	 * minimum 5 stands), MODEL's 13: 180 columns are left over */
	table_layout_fit(cols, 3, 200, (const int[]){3, 13, 5}, shown,
			 width);
	assert_int_equal(width[0], 5);
	assert_int_equal(width[1], 13);
	assert_int_equal(width[2], 5);
	/* a long RUN (30) takes what it needs, MODEL too, in 40: spare
	 * 20, shared 10 and 10, then RUN takes the rest of its 25 */
	table_layout_fit(cols, 3, 40, (const int[]){30, 13, 5}, shown,
			 width);
	assert_int_equal(width[0] + width[1], 40 - 2 - 5);
	assert_int_equal(width[1], 13);
	assert_int_equal(width[0], 20);
	/* no want: as table_layout, every spare column to the growers */
	table_layout_fit(cols, 3, 200, NULL, shown, width);
	assert_int_equal(width[0] + width[1] + width[2] + 2, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_fit),
		cmocka_unit_test(test_grow_takes_spare),
		cmocka_unit_test(test_narrow_drops_highest_priority_first),
		cmocka_unit_test(test_priority_zero_always_shown),
		cmocka_unit_test(test_same_priority_drops_together),
		cmocka_unit_test(test_grow_columns_share),
		cmocka_unit_test(test_no_columns),
		cmocka_unit_test(test_runs_view_widths),
		cmocka_unit_test(test_widths_add_up),
		cmocka_unit_test(test_grow_to_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
