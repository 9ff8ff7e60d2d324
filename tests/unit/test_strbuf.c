/*
 * test_strbuf.c — core/strbuf.c: the growable string.
 *
 * Covers the empty strbuf (a "" that is never NULL, with and without
 * strbuf_init), appends of bytes (NUL included), strings and bytes one
 * at a time through many growths, printf appends shorter and longer
 * than the room at hand (the second formatting pass), setlen and reset
 * keeping the memory, detach of a text and of an empty one, and the
 * failures: a size that would wrap, an allocation no machine can give,
 * a format that cannot be converted; each leaves the text as it was,
 * marks the buffer failed, and makes later appends do nothing until
 * release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "core/strbuf.h"

/* Under AddressSanitizer, let an impossible allocation return NULL (as
 * glibc does) instead of stopping the test: that is the path tested. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_empty(void **state)
{
	(void)state;
	struct strbuf a = STRBUF_INIT, b;
	strbuf_init(&b);
	assert_non_null(a.buf);
	assert_string_equal(a.buf, "");
	assert_string_equal(b.buf, "");
	assert_int_equal(a.len, 0);
	assert_false(strbuf_failed(&a));
	strbuf_reset(&a); /* on the shared "": nothing */
	strbuf_setlen(&a, 0);
	assert_string_equal(a.buf, "");
	assert_int_equal(strbuf_add(&a, "", 0), 0);
	assert_string_equal(a.buf, "");
	strbuf_release(&a);
	strbuf_release(&b);
	assert_string_equal(a.buf, "");
}

static void test_appends(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_addstr(&sb, "group"), 0);
	assert_int_equal(strbuf_addch(&sb, '='), 0);
	assert_int_equal(strbuf_add(&sb, "A\0B", 3), 0);
	assert_int_equal(sb.len, 9);
	assert_memory_equal(sb.buf, "group=A\0B", 10);
	strbuf_setlen(&sb, 7);
	assert_string_equal(sb.buf, "group=A");
	strbuf_setlen(&sb, 100); /* longer than the text: nothing */
	assert_int_equal(sb.len, 7);
	size_t alloc = sb.alloc;
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.alloc, alloc);
	/* one byte at a time through many growths */
	for (int i = 0; i < 100000; i++)
		assert_int_equal(strbuf_addch(&sb, 'a' + i % 26), 0);
	assert_int_equal(sb.len, 100000);
	assert_int_equal(strlen(sb.buf), 100000);
	assert_true(sb.alloc > sb.len);
	for (int i = 0; i < 100000; i += 1001)
		assert_int_equal(sb.buf[i], 'a' + i % 26);
	strbuf_release(&sb);
}

static void test_addf(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(strbuf_addf(&sb, "%s=%d", "age", 42), 0);
	assert_string_equal(sb.buf, "age=42");
	assert_int_equal(strbuf_addf(&sb, "%s", ""), 0);
	assert_string_equal(sb.buf, "age=42");
	/* longer than any first guess: formatted twice */
	char big[5000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(strbuf_addf(&sb, " [%s] %05d", big, 7), 0);
	assert_int_equal(sb.len, 6 + 2 + 4999 + 2 + 5);
	assert_memory_equal(sb.buf, "age=42 [qqq", 11);
	assert_string_equal(sb.buf + sb.len - 7, "] 00007");
	assert_int_equal(strlen(sb.buf), sb.len);
	/* every length around the room left after the first guess (64
	 * bytes): formatted once or twice, the text is the same */
	strbuf_release(&sb);
	for (int n = 0; n < 300; n++) {
		for (int pre = 0; pre < 70; pre += 23) {
			strbuf_addf(&sb, "%.*s", pre, big);
			assert_int_equal(strbuf_addf(&sb, "<%.*s>", n, big), 0);
			assert_int_equal(sb.len, (size_t)(pre + n + 2));
			assert_int_equal(strlen(sb.buf), sb.len);
			assert_int_equal(sb.buf[pre], '<');
			assert_int_equal(sb.buf[pre + n + 1], '>');
			assert_true(sb.alloc > sb.len);
			strbuf_release(&sb);
		}
	}
}

static void test_detach(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "kept");
	size_t len = 0;
	char *s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "kept");
	assert_int_equal(len, 4);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.alloc, 0);
	free(s);
	/* an empty one: still a string the caller frees */
	s = strbuf_detach(&sb, NULL);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void check_failed_and_kept(struct strbuf *sb, const char *text)
{
	assert_true(strbuf_failed(sb));
	assert_string_equal(sb->buf, text);
	assert_int_equal(sb->len, strlen(text));
	/* later appends do nothing */
	assert_int_equal(strbuf_addstr(sb, "more"), -1);
	assert_int_equal(strbuf_addch(sb, 'x'), -1);
	assert_int_equal(strbuf_addf(sb, "%d", 1), -1);
	assert_string_equal(sb->buf, text);
	/* and it cannot be handed over */
	size_t len = 99;
	assert_null(strbuf_detach(sb, &len));
	assert_int_equal(len, 99);
	assert_false(strbuf_failed(sb)); /* released */
	assert_int_equal(strbuf_addstr(sb, "again"), 0);
	assert_string_equal(sb->buf, "again");
	strbuf_release(sb);
}

static void test_sizes_that_would_wrap(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "name");
	assert_int_equal(strbuf_grow(&sb, SIZE_MAX), -1);
	check_failed_and_kept(&sb, "name");

	strbuf_addstr(&sb, "name");
	assert_int_equal(strbuf_grow(&sb, SIZE_MAX - 4), -1);
	check_failed_and_kept(&sb, "name");

	/* from nothing */
	assert_int_equal(strbuf_grow(&sb, SIZE_MAX - 1), -1);
	check_failed_and_kept(&sb, "");
}

static void test_allocation_that_fails(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "name");
	/* within the limits, but no machine has the bytes */
	assert_int_equal(strbuf_grow(&sb, (size_t)PTRDIFF_MAX - 10), -1);
	check_failed_and_kept(&sb, "name");
	assert_int_equal(strbuf_grow(&sb, (size_t)PTRDIFF_MAX - 10), -1);
	check_failed_and_kept(&sb, "");
}

static void test_format_error(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "before");
	/* U+0100 has no form in the C locale: vsnprintf fails */
	const wchar_t wide[] = {0x100, 0};
	assert_int_equal(strbuf_addf(&sb, "%ls", wide), -1);
	check_failed_and_kept(&sb, "before");
}

/* strbuf_dupf(): a new string, whole however long, "" kept as "". */
static void test_dupf(void **state)
{
	(void)state;
	char *s = strbuf_dupf("%s by %s", "deploy", "ana");
	assert_non_null(s);
	assert_string_equal(s, "deploy by ana");
	free(s);
	s = strbuf_dupf("%s", "");
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	char big[9000];
	memset(big, 'n', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	s = strbuf_dupf("<%s>", big);
	assert_non_null(s);
	assert_int_equal(strlen(s), sizeof big + 1);
	assert_int_equal(s[sizeof big], '>');
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_dupf),
		cmocka_unit_test(test_sizes_that_would_wrap),
		cmocka_unit_test(test_allocation_that_fails),
		cmocka_unit_test(test_format_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
