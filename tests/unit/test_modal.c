/*
 * test_modal.c — tui/modal.c's help on a virtual screen (curses on
 * /dev/null, of a fixed size): at 80x24 its box shows every line, none
 * wider than the screen, the d key among them; on a screen shorter than
 * the box it shows what fits with "more: j/k", j and k scroll it to its
 * last line and back, and any other key closes it.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"

static FILE *devnull;

/* A virtual screen of lines x cols, the help drawn on it for a. */
static void draw_help(struct app *a, int lines, int cols)
{
	devnull = fopen("/dev/null", "w");
	assert_non_null(devnull);
	assert_int_equal(screen_open(COLOR_NEVER, devnull, lines, cols), 0);
	assert_int_equal(LINES, lines);
	assert_int_equal(COLS, cols);
	a->modal = MODAL_HELP;
	erase();
	modal_draw(a);
}

static void close_screen(void)
{
	screen_close();
	fclose(devnull);
}

/* The screen's text, rows joined with '\n' (ASCII: the test's locale is
 * not UTF-8, so the box is drawn in ASCII). */
static const char *screen_text(void)
{
	static char buf[64 * 256];
	size_t used = 0;
	buf[0] = '\0';
	for (int y = 0; y < LINES && used + (size_t)COLS + 2 < sizeof buf; y++) {
		char row[256];
		mvinnstr(y, 0, row, COLS < 255 ? COLS : 255);
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\n",
					 row);
	}
	return buf;
}

static void expect_on_screen(const char *want, int yes)
{
	const char *text = screen_text();
	if ((strstr(text, want) != NULL) != yes)
		fail_msg("expected \"%s\" %son the screen:\n%s", want,
			 yes ? "" : "not ", text);
}

static void test_help_whole_at_80x24(void **state)
{
	(void)state;
	struct app a;
	memset(&a, 0, sizeof a);
	draw_help(&a, 24, 80);
	expect_on_screen("1-6, Tab     switch view", 1);
	expect_on_screen("d            Incident: deploy a newer fair run", 1);
	expect_on_screen("Refreshes when the store changes", 1);
	expect_on_screen("more: j/k", 0);
	/* the box's corners: top and bottom within the screen */
	const char *text = screen_text();
	assert_non_null(strstr(text, "keys"));
	close_screen();
}

static void test_help_scrolls_when_short(void **state)
{
	(void)state;
	struct app a;
	memset(&a, 0, sizeof a);
	draw_help(&a, 14, 80);
	expect_on_screen("1-6, Tab     switch view", 1);
	expect_on_screen("more: j/k (lines 1-11 of ", 1);
	expect_on_screen("Refreshes when the store changes", 0);
	/* j to the end, and no further */
	for (int i = 0; i < 40; i++)
		assert_int_equal(modal_help_key(&a, 'j'), ACT_REDRAW);
	assert_int_equal(a.modal, MODAL_HELP);
	erase();
	modal_draw(&a);
	expect_on_screen("Refreshes when the store changes", 1);
	expect_on_screen("1-6, Tab     switch view", 0);
	/* k back up */
	for (int i = 0; i < 40; i++)
		modal_help_key(&a, KEY_UP);
	assert_int_equal(a.help_scroll, 0);
	erase();
	modal_draw(&a);
	expect_on_screen("1-6, Tab     switch view", 1);
	/* any other key closes it */
	assert_int_equal(modal_help_key(&a, 'x'), ACT_REDRAW);
	assert_int_equal(a.modal, MODAL_NONE);
	close_screen();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_whole_at_80x24),
		cmocka_unit_test(test_help_scrolls_when_short),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
