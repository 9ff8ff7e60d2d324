/*
 * test_strtab.c — core/strtab.c: interning strings to stable ids.
 *
 * Covers ids in order of first sight and the same id on every later
 * sight; every one-byte string (NUL and 0xff included) through the
 * shortcut; strings that differ only past a NUL, in length ("A" and
 * "A\0"), in their 8th or 9th byte (the packed-word boundary) or only
 * in their last byte when long; the empty string; 200,000 strings
 * (growth of the array and of the index) with copies that never move;
 * strtab_find() on hits and misses; release and reuse; and the limit of
 * STRTAB_MAX strings, refused with the table left as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/strtab.h"

static void test_ids_in_order(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	assert_int_equal(strtab_intern(&t, "F", 1), 0);
	assert_int_equal(strtab_intern(&t, "M", 1), 1);
	assert_int_equal(strtab_intern(&t, "F", 1), 0);
	assert_int_equal(strtab_intern(&t, "Mxyz", 1), 1); /* len counts */
	assert_int_equal(strtab_intern(&t, "FF", 2), 2);
	assert_int_equal(strtab_intern(&t, "", 0), 3);
	assert_int_equal(strtab_intern(&t, "", 0), 3);
	assert_int_equal(strtab_intern(&t, "18-25", 5), 4);
	assert_int_equal(strtab_intern(&t, "a rather long group value", 25),
			 5);
	assert_int_equal(strtab_intern(&t, "a rather long group value", 25),
			 5);
	assert_int_equal(strtab_count(&t), 6);
	assert_string_equal(strtab_text(&t, 0), "F");
	assert_string_equal(strtab_text(&t, 3), "");
	assert_string_equal(strtab_text(&t, 5), "a rather long group value");
	assert_int_equal(strtab_len(&t, 4), 5);
	strtab_release(&t);
	assert_int_equal(strtab_count(&t), 0);
	/* ready for use again */
	assert_int_equal(strtab_intern(&t, "M", 1), 0);
	strtab_release(&t);
	strtab_release(&t);
}

static void test_every_byte(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	for (int b = 255; b >= 0; b--) {
		char c = (char)b;
		assert_int_equal(strtab_intern(&t, &c, 1), 255 - b);
	}
	for (int b = 0; b < 256; b++) {
		char c = (char)b;
		assert_int_equal(strtab_intern(&t, &c, 1), 255 - b);
		assert_int_equal(strtab_find(&t, &c, 1), 255 - b);
		assert_int_equal(strtab_len(&t, (size_t)(255 - b)), 1);
		assert_int_equal((unsigned char)strtab_text(&t, 255 - b)[0], b);
	}
	assert_int_equal(strtab_count(&t), 256);
	strtab_release(&t);
}

static void test_near_misses(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	/* NUL inside, NUL padding and length */
	assert_int_equal(strtab_intern(&t, "A", 1), 0);
	assert_int_equal(strtab_intern(&t, "A\0", 2), 1);
	assert_int_equal(strtab_intern(&t, "A\0\0", 3), 2);
	assert_int_equal(strtab_intern(&t, "A\0B", 3), 3);
	assert_int_equal(strtab_intern(&t, "A\0C", 3), 4);
	assert_int_equal(strtab_intern(&t, "\0", 1), 5);
	assert_int_equal(strtab_intern(&t, "", 0), 6);
	assert_int_equal(strtab_len(&t, 3), 3);
	assert_memory_equal(strtab_text(&t, 3), "A\0B", 4);
	/* 8 bytes: one word; 9 bytes: hashed and memcmp'ed */
	assert_int_equal(strtab_intern(&t, "abcdefgh", 8), 7);
	assert_int_equal(strtab_intern(&t, "abcdefgi", 8), 8);
	assert_int_equal(strtab_intern(&t, "abcdefghi", 9), 9);
	assert_int_equal(strtab_intern(&t, "abcdefghj", 9), 10);
	assert_int_equal(strtab_intern(&t, "abcdefgh\0", 9), 11);
	assert_int_equal(strtab_intern(&t, "abcdefgh", 8), 7);
	assert_int_equal(strtab_intern(&t, "abcdefghj", 9), 10);
	/* long strings apart only in the last byte */
	char a[300], b[300];
	memset(a, 'x', sizeof a);
	memcpy(b, a, sizeof b);
	b[299] = 'y';
	assert_int_equal(strtab_intern(&t, a, sizeof a), 12);
	assert_int_equal(strtab_intern(&t, b, sizeof b), 13);
	assert_int_equal(strtab_intern(&t, a, sizeof a - 1), 14);
	assert_int_equal(strtab_intern(&t, b, sizeof b), 13);
	assert_int_equal(strtab_find(&t, a, sizeof a), 12);
	assert_int_equal(strtab_find(&t, "B", 1), -1);
	assert_int_equal(strtab_find(&t, "abcdefgj", 8), -1);
	assert_int_equal(strtab_find(&t, "A\0D", 3), -1);
	assert_int_equal(strtab_find(&t, a, 100), -1);
	strtab_release(&t);
}

static void test_many_and_stable(void **state)
{
	(void)state;
	enum { N = 200000 };
	struct strtab t;
	strtab_init(&t);
	const char **first = malloc(N * sizeof *first);
	assert_non_null(first);
	char buf[64];
	for (int i = 0; i < N; i++) {
		/* short and long ones mixed */
		int len = snprintf(buf, sizeof buf,
				   i % 3 ? "v%d" : "value %d of many", i);
		assert_int_equal(strtab_intern(&t, buf, (size_t)len), i);
		first[i] = strtab_text(&t, (size_t)i);
	}
	assert_int_equal(strtab_count(&t), N);
	for (int i = N - 1; i >= 0; i -= 7) {
		int len = snprintf(buf, sizeof buf,
				   i % 3 ? "v%d" : "value %d of many", i);
		assert_int_equal(strtab_intern(&t, buf, (size_t)len), i);
		assert_int_equal(strtab_find(&t, buf, (size_t)len), i);
		/* the copy made on first sight is still where it was */
		assert_ptr_equal(strtab_text(&t, (size_t)i), first[i]);
		assert_string_equal(first[i], buf);
	}
	assert_int_equal(strtab_find(&t, "v200000", 7), -1);
	free(first);
	strtab_release(&t);
}

static void test_full(void **state)
{
	(void)state;
	struct strtab t;
	strtab_init(&t);
	assert_int_equal(strtab_intern(&t, "kept", 4), 0);
	/* pretend the table holds STRTAB_MAX strings (filling it would take
	 * 2^31 of them): a new one is refused, known ones still found */
	size_t count = t.count;
	t.count = STRTAB_MAX;
	assert_int_equal(strtab_intern(&t, "new", 3), -1);
	assert_int_equal(strtab_intern(&t, "n", 1), -1);
	assert_int_equal(strtab_intern(&t, "kept", 4), 0);
	t.count = count;
	assert_int_equal(strtab_count(&t), 1);
	assert_int_equal(strtab_find(&t, "new", 3), -1);
	assert_int_equal(strtab_intern(&t, "new", 3), 1);
	strtab_release(&t);
}

/* The recent slots: strings of 2 to 8 bytes that share a slot push
 * each other out and still get their own ids; a string that is a prefix
 * of the one in its slot, or one with a NUL where the other ends, is not
 * taken for it; strtab_quick() knows only what a slot or the one-byte
 * table holds. */
static void test_recent_slots(void **state)
{
	(void)state;
	struct strtab t;
	char buf[16];
	strtab_init(&t);
	assert_int_equal(strtab_quick(&t, "26-40", 5), -1);
	assert_int_equal(strtab_intern(&t, "26-40", 5), 0);
	assert_int_equal(strtab_quick(&t, "26-40", 5), 0);
	assert_int_equal(strtab_quick(&t, "26-4", 4), -1);
	assert_int_equal(strtab_intern(&t, "26-4", 4), 1);
	assert_int_equal(strtab_intern(&t, "26-4\0", 5), 2);
	assert_int_equal(strtab_intern(&t, "26-40", 5), 0);
	assert_int_equal(strtab_intern(&t, "26-4", 4), 1);
	assert_int_equal(strtab_intern(&t, "26-40x", 6), 3);
	assert_int_equal(strtab_intern(&t, "12345678", 8), 4);
	assert_int_equal(strtab_intern(&t, "123456789", 9), 5);
	assert_int_equal(strtab_quick(&t, "123456789", 9), -1);
	assert_int_equal(strtab_intern(&t, "12345678", 8), 4);
	/* two strings in one slot: found apart, each with its id */
	size_t slot = strtab_recent_slot(strtab_pack("v0", 2), 2);
	char other[8] = "";
	for (int k = 1; k < 100000 && other[0] == '\0'; k++) {
		snprintf(buf, sizeof buf, "v%d", k);
		if (strtab_recent_slot(strtab_pack(buf, strlen(buf)),
				       strlen(buf)) == slot)
			snprintf(other, sizeof other, "%s", buf);
	}
	assert_true(other[0] != '\0');
	assert_int_equal(strtab_intern(&t, "v0", 2), 6);
	assert_int_equal(strtab_intern(&t, other, strlen(other)), 7);
	assert_int_equal(strtab_quick(&t, "v0", 2), -1); /* pushed out */
	assert_int_equal(strtab_intern(&t, "v0", 2), 6);
	assert_int_equal(strtab_quick(&t, "v0", 2), 6);
	assert_int_equal(strtab_intern(&t, other, strlen(other)), 7);
	assert_int_equal(strtab_count(&t), 8);
	/* a released table forgets its slots */
	strtab_release(&t);
	assert_int_equal(strtab_quick(&t, "v0", 2), -1);
	assert_int_equal(strtab_intern(&t, "26-40", 5), 0);
	strtab_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_in_order),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_near_misses),
		cmocka_unit_test(test_many_and_stable),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_recent_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
