/*
 * test_dialog.c — tui/dialog.c: text fields and the rollback dialog.
 *
 * A field takes printable bytes (UTF-8 arrives from curses one byte at a
 * time) and refuses control keys; Backspace (KEY_BACKSPACE, DEL or ^H)
 * removes one whole character, however many bytes it has; the text
 * never overflows.  The dialog opens on the reason field with the actor
 * filled in, is ready only once by, reason and a confirmation equal to
 * the target's run id are there; Tab and arrows move between fields in
 * a cycle, Esc cancels from anywhere, Enter submits when ready and is
 * refused otherwise, and no mistyped confirmation submits.  No terminal
 * is needed: keys in, actions out.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curses.h>
#include <string.h>

#include "tui/dialog.h"

#define ESC 27

/* Feed every byte of s to the field. */
static void type_field(struct field *fl, const char *s)
{
	for (; *s; s++)
		assert_int_equal(field_key(fl, (unsigned char)*s), 1);
}

/* Feed every byte of s to the dialog; each must be taken quietly. */
static void type_dialog(struct decision_dialog *d, const char *s)
{
	for (; *s; s++)
		assert_int_equal(dialog_key(d, (unsigned char)*s), DIALOG_NONE);
}

static void expect_field(const struct field *fl, const char *text)
{
	assert_string_equal(fl->text, text);
	assert_int_equal(fl->len, strlen(text));
}

/* --- fields ---------------------------------------------------------------- */

static void test_field_typing(void **state)
{
	(void)state;
	struct field fl;
	field_set(&fl, "");
	expect_field(&fl, "");
	type_field(&fl, "r02 ok");
	expect_field(&fl, "r02 ok");
	assert_int_equal(field_key(&fl, '~'), 1);
	expect_field(&fl, "r02 ok~");
}

static void test_field_backspace(void **state)
{
	(void)state;
	struct field fl;
	field_set(&fl, "abcd");
	/* the three Backspace codes curses and terminals send */
	assert_int_equal(field_key(&fl, KEY_BACKSPACE), 1);
	expect_field(&fl, "abc");
	assert_int_equal(field_key(&fl, 127), 1);
	expect_field(&fl, "ab");
	assert_int_equal(field_key(&fl, 8), 1);
	expect_field(&fl, "a");
	assert_int_equal(field_key(&fl, KEY_BACKSPACE), 1);
	expect_field(&fl, "");
	/* on an empty field: taken, nothing happens */
	assert_int_equal(field_key(&fl, KEY_BACKSPACE), 1);
	expect_field(&fl, "");
}

static void test_field_utf8_backspace(void **state)
{
	(void)state;
	struct field fl;
	field_set(&fl, "");
	/* a, é (2 bytes), € (3 bytes), 😀 (4 bytes), typed byte by byte */
	type_field(&fl, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_int_equal(fl.len, 10);
	field_key(&fl, KEY_BACKSPACE);
	expect_field(&fl, "a\xc3\xa9\xe2\x82\xac");
	field_key(&fl, KEY_BACKSPACE);
	expect_field(&fl, "a\xc3\xa9");
	field_key(&fl, 127);
	expect_field(&fl, "a");
	field_key(&fl, 127);
	expect_field(&fl, "");
	/* a name of only multi-byte characters */
	field_set(&fl, "\xc3\xa9\xc3\xa9");
	field_key(&fl, KEY_BACKSPACE);
	expect_field(&fl, "\xc3\xa9");
	field_key(&fl, KEY_BACKSPACE);
	expect_field(&fl, "");
}

static void test_field_refuses_control_keys(void **state)
{
	(void)state;
	struct field fl;
	field_set(&fl, "x");
	const int keys[] = {0,        1,         '\t',      '\n',     '\r',
			    ESC,      0x1f,      KEY_LEFT,  KEY_RIGHT, KEY_UP,
			    KEY_DOWN, KEY_ENTER, KEY_BTAB,  KEY_RESIZE, -1};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		assert_int_equal(field_key(&fl, keys[i]), 0);
		expect_field(&fl, "x");
	}
}

static void test_field_never_overflows(void **state)
{
	(void)state;
	struct field fl;
	field_set(&fl, "");
	for (int i = 0; i < 3 * FIELD_MAX; i++)
		assert_int_equal(field_key(&fl, 'x'), 1);
	assert_int_equal(fl.len, FIELD_MAX - 1);
	assert_int_equal(strlen(fl.text), FIELD_MAX - 1);
	field_key(&fl, KEY_BACKSPACE);
	assert_int_equal(fl.len, FIELD_MAX - 2);
	/* field_set cuts too */
	char longer[2 * FIELD_MAX];
	memset(longer, 'y', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	field_set(&fl, longer);
	assert_int_equal(fl.len, FIELD_MAX - 1);
	assert_int_equal(strlen(fl.text), FIELD_MAX - 1);
	field_set(&fl, NULL);
	expect_field(&fl, "");
}

/* --- dialog state ---------------------------------------------------------- */

static void test_dialog_open(void **state)
{
	(void)state;
	struct decision_dialog d;
	memset(&d, 0x5a, sizeof d);
	dialog_open(&d, "r02", "alice");
	assert_string_equal(d.target, "r02");
	expect_field(&d.by, "alice");
	expect_field(&d.reason, "");
	expect_field(&d.confirm, "");
	/* the actor is filled in: the reason is what to type first */
	assert_int_equal(d.focus, FOCUS_REASON);
	assert_false(dialog_ready(&d));
	/* no actor known ($USER unset) */
	dialog_open(&d, "r02", "");
	expect_field(&d.by, "");
	assert_false(dialog_ready(&d));
}

static void test_dialog_ready_needs_all_three(void **state)
{
	(void)state;
	struct decision_dialog d;
	dialog_open(&d, "r02", "");
	assert_string_equal(dialog_missing(&d), "who is rolling back (by)");
	field_set(&d.confirm, "r02");
	field_set(&d.reason, "fairness regression");
	/* by still missing */
	assert_false(dialog_ready(&d));
	assert_string_equal(dialog_missing(&d), "who is rolling back (by)");
	field_set(&d.by, "alice");
	assert_true(dialog_ready(&d));
	assert_string_equal(dialog_missing(&d), "");
	/* reason missing */
	field_set(&d.reason, "");
	assert_false(dialog_ready(&d));
	assert_string_equal(dialog_missing(&d), "a reason");
	field_set(&d.reason, "r");
	assert_true(dialog_ready(&d));
	/* confirmation missing */
	field_set(&d.confirm, "");
	assert_false(dialog_ready(&d));
	assert_string_equal(dialog_missing(&d),
			    "the target's run id, typed to confirm");
}

static void test_dialog_confirm_must_equal_target(void **state)
{
	(void)state;
	struct decision_dialog d;
	dialog_open(&d, "r02", "alice");
	field_set(&d.reason, "regression");
	static const char *const wrong[] = {
		"r0",   "r03",  "R02",  "r02 ", " r02", "r020",
		"r 02", "02",   "r2",   "r02\n", "r0\xc2\xb2"};
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
		field_set(&d.confirm, wrong[i]);
		assert_false(dialog_ready(&d));
	}
	field_set(&d.confirm, "r02");
	assert_true(dialog_ready(&d));
}

/* --- dialog keys ----------------------------------------------------------- */

static void test_dialog_focus_cycles(void **state)
{
	(void)state;
	struct decision_dialog d;
	dialog_open(&d, "r02", "alice");
	/* Tab: reason, confirm, by, reason */
	assert_int_equal(dialog_key(&d, '\t'), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_CONFIRM);
	assert_int_equal(dialog_key(&d, '\t'), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_BY);
	assert_int_equal(dialog_key(&d, '\t'), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_REASON);
	/* Shift-Tab the other way: by, confirm, reason */
	assert_int_equal(dialog_key(&d, KEY_BTAB), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_BY);
	assert_int_equal(dialog_key(&d, KEY_BTAB), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_CONFIRM);
	assert_int_equal(dialog_key(&d, KEY_BTAB), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_REASON);
	/* arrows as Tab and Shift-Tab */
	dialog_key(&d, KEY_DOWN);
	assert_int_equal(d.focus, FOCUS_CONFIRM);
	dialog_key(&d, KEY_UP);
	dialog_key(&d, KEY_UP);
	assert_int_equal(d.focus, FOCUS_BY);
	/* moving never changes a field */
	expect_field(&d.by, "alice");
	expect_field(&d.reason, "");
	expect_field(&d.confirm, "");
}

static void test_dialog_typing_goes_to_focus(void **state)
{
	(void)state;
	struct decision_dialog d;
	dialog_open(&d, "r02", "");
	type_dialog(&d, "why");
	expect_field(&d.reason, "why");
	dialog_key(&d, '\t');
	type_dialog(&d, "r02");
	expect_field(&d.confirm, "r02");
	dialog_key(&d, '\t');
	type_dialog(&d, "b\xc3\xb8" "b");
	expect_field(&d.by, "b\xc3\xb8" "b");
	/* Backspace, too, goes to the focused field */
	assert_int_equal(dialog_key(&d, KEY_BACKSPACE), DIALOG_NONE);
	assert_int_equal(dialog_key(&d, KEY_BACKSPACE), DIALOG_NONE);
	expect_field(&d.by, "b");
	expect_field(&d.reason, "why");
	expect_field(&d.confirm, "r02");
}

static void test_dialog_escape_cancels(void **state)
{
	(void)state;
	struct decision_dialog d;
	dialog_open(&d, "r02", "alice");
	assert_int_equal(dialog_key(&d, ESC), DIALOG_CANCEL);
	/* even when everything is in place */
	field_set(&d.reason, "regression");
	field_set(&d.confirm, "r02");
	assert_true(dialog_ready(&d));
	d.focus = FOCUS_CONFIRM;
	assert_int_equal(dialog_key(&d, ESC), DIALOG_CANCEL);
	/* and Esc is not typed into the field */
	expect_field(&d.confirm, "r02");
}

static void test_dialog_enter(void **state)
{
	(void)state;
	const int enters[] = {'\n', '\r', KEY_ENTER};
	for (size_t i = 0; i < 3; i++) {
		struct decision_dialog d;
		dialog_open(&d, "r02", "alice");
		/* refused until ready, from every field */
		assert_int_equal(dialog_key(&d, enters[i]), DIALOG_REFUSED);
		type_dialog(&d, "regression");
		assert_int_equal(dialog_key(&d, enters[i]), DIALOG_REFUSED);
		dialog_key(&d, '\t');
		type_dialog(&d, "r02");
		assert_true(dialog_ready(&d));
		assert_int_equal(dialog_key(&d, enters[i]), DIALOG_SUBMIT);
		/* Enter is not typed into the field */
		expect_field(&d.confirm, "r02");
		d.focus = FOCUS_BY;
		assert_int_equal(dialog_key(&d, enters[i]), DIALOG_SUBMIT);
	}
}

/* d's deploy dialog: by and reason, no confirm field; Tab moves
 * between the two; another target keeps what was typed. */
static void test_dialog_deploy(void **state)
{
	(void)state;
	struct decision_dialog d;
	dialog_open_deploy(&d, "r06", "");
	assert_int_equal(d.kind, DIALOG_DEPLOY);
	assert_int_equal(d.focus, FOCUS_REASON);
	assert_string_equal(dialog_missing(&d), "who is deploying (by)");
	assert_int_equal(dialog_key(&d, '\t'), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_BY);
	type_dialog(&d, "alice");
	assert_int_equal(dialog_key(&d, '\t'), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_REASON);
	assert_int_equal(dialog_key(&d, KEY_BTAB), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_BY);
	assert_int_equal(dialog_key(&d, KEY_UP), DIALOG_NONE);
	assert_int_equal(d.focus, FOCUS_REASON);
	assert_string_equal(dialog_missing(&d), "a reason");
	assert_int_equal(dialog_key(&d, '\n'), DIALOG_REFUSED);
	type_dialog(&d, "fair and newer");
	/* no run id to type: ready with by and reason */
	assert_true(dialog_ready(&d));
	dialog_set_target(&d, "r07");
	assert_string_equal(d.target, "r07");
	expect_field(&d.by, "alice");
	expect_field(&d.reason, "fair and newer");
	expect_field(&d.confirm, "");
	assert_int_equal(dialog_key(&d, '\r'), DIALOG_SUBMIT);
}

static void test_dialog_mistyped_never_submits(void **state)
{
	(void)state;
	static const char *const typos[] = {"r2", "r03", "R02", "r020",
					    "r02 ", "r0", "02"};
	for (size_t i = 0; i < sizeof typos / sizeof *typos; i++) {
		struct decision_dialog d;
		dialog_open(&d, "r02", "alice");
		type_dialog(&d, "fairness regression");
		dialog_key(&d, '\t');
		type_dialog(&d, typos[i]);
		for (int k = 0; k < 3; k++)
			assert_int_equal(dialog_key(&d, '\n'), DIALOG_REFUSED);
		assert_int_equal(dialog_key(&d, KEY_ENTER), DIALOG_REFUSED);
		assert_int_equal(dialog_key(&d, '\r'), DIALOG_REFUSED);
	}
	/* a typo fixed with Backspace: then it goes */
	struct decision_dialog d;
	dialog_open(&d, "r02", "alice");
	type_dialog(&d, "regression");
	dialog_key(&d, '\t');
	type_dialog(&d, "r03");
	assert_int_equal(dialog_key(&d, '\n'), DIALOG_REFUSED);
	assert_int_equal(dialog_key(&d, KEY_BACKSPACE), DIALOG_NONE);
	type_dialog(&d, "2");
	assert_int_equal(dialog_key(&d, '\n'), DIALOG_SUBMIT);
}

static void test_dialog_whole_flow_without_actor(void **state)
{
	(void)state;
	/* $USER unset: reason, Shift-Tab to by, name, Tab Tab to confirm */
	struct decision_dialog d;
	dialog_open(&d, "r02", "");
	type_dialog(&d, "fairness regression");
	assert_int_equal(dialog_key(&d, KEY_BTAB), DIALOG_NONE);
	type_dialog(&d, "alice");
	assert_int_equal(dialog_key(&d, '\n'), DIALOG_REFUSED);
	dialog_key(&d, '\t');
	dialog_key(&d, '\t');
	assert_int_equal(d.focus, FOCUS_CONFIRM);
	type_dialog(&d, "r02");
	assert_int_equal(dialog_key(&d, '\n'), DIALOG_SUBMIT);
	expect_field(&d.by, "alice");
	expect_field(&d.reason, "fairness regression");
	expect_field(&d.confirm, "r02");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_typing),
		cmocka_unit_test(test_field_backspace),
		cmocka_unit_test(test_field_utf8_backspace),
		cmocka_unit_test(test_field_refuses_control_keys),
		cmocka_unit_test(test_field_never_overflows),
		cmocka_unit_test(test_dialog_open),
		cmocka_unit_test(test_dialog_ready_needs_all_three),
		cmocka_unit_test(test_dialog_confirm_must_equal_target),
		cmocka_unit_test(test_dialog_focus_cycles),
		cmocka_unit_test(test_dialog_typing_goes_to_focus),
		cmocka_unit_test(test_dialog_escape_cancels),
		cmocka_unit_test(test_dialog_enter),
		cmocka_unit_test(test_dialog_mistyped_never_submits),
		cmocka_unit_test(test_dialog_deploy),
		cmocka_unit_test(test_dialog_whole_flow_without_actor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
