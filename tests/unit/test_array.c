/*
 * test_array.c — core/array.h: ARRAY_GROW() and ARRAY_GROW_ZERO().
 *
 * Covers the first growth (ARRAY_MIN, or need when more), doubling,
 * jumps past double, no call when there is room, elements kept across
 * growth, zeroed new elements, arrays of structs, and sizes that would
 * wrap or that no allocator can give (the pointer and the capacity are
 * then left as they were).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/array.h"

/* Under AddressSanitizer, let an impossible allocation return NULL (as
 * glibc does) instead of stopping the test: that is the path tested. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_first_growth(void **state)
{
	(void)state;
	int *a = NULL;
	size_t cap = 0;
	assert_int_equal(ARRAY_GROW(a, 1, cap), 0);
	assert_non_null(a);
	assert_int_equal(cap, ARRAY_MIN);
	free(a);

	a = NULL;
	cap = 0;
	assert_int_equal(ARRAY_GROW(a, 100, cap), 0);
	assert_int_equal(cap, 100); /* more than ARRAY_MIN: exactly need */
	free(a);

	a = NULL;
	cap = 0;
	size_t none = 0;
	assert_int_equal(ARRAY_GROW(a, none, cap), 0); /* nothing needed */
	assert_null(a);
	assert_int_equal(cap, 0);
}

static void test_doubles_and_keeps(void **state)
{
	(void)state;
	long *a = NULL;
	size_t n = 0, cap = 0, grew = 0, last = 0;
	for (long i = 0; i < 10000; i++) {
		assert_int_equal(ARRAY_GROW(a, n + 1, cap), 0);
		if (cap != last) {
			if (last != 0)
				assert_int_equal(cap, last * 2);
			last = cap;
			grew++;
		}
		a[n++] = i * 7;
	}
	/* 16, 32, ..., 16384: 11 growths for 10000 appends */
	assert_int_equal(grew, 11);
	assert_int_equal(cap, 16384);
	for (long i = 0; i < 10000; i++)
		assert_int_equal(a[i], i * 7);
	free(a);
}

static void test_room_means_no_change(void **state)
{
	(void)state;
	char *a = NULL;
	size_t cap = 0;
	assert_int_equal(ARRAY_GROW(a, 20, cap), 0);
	char *before = a;
	size_t cap_before = cap;
	for (size_t need = 0; need <= cap_before; need++) {
		assert_int_equal(ARRAY_GROW(a, need, cap), 0);
		assert_ptr_equal(a, before);
		assert_int_equal(cap, cap_before);
	}
	/* one more than allocated: doubles */
	assert_int_equal(ARRAY_GROW(a, cap_before + 1, cap), 0);
	assert_int_equal(cap, cap_before * 2);
	/* far more than double: exactly need */
	assert_int_equal(ARRAY_GROW(a, 1000, cap), 0);
	assert_int_equal(cap, 1000);
	free(a);
}

struct pair {
	double x;
	char name[13];
};

static void test_zeroed_structs(void **state)
{
	(void)state;
	struct pair *p = NULL;
	size_t cap = 0;
	assert_int_equal(ARRAY_GROW_ZERO(p, 3, cap), 0);
	for (size_t i = 0; i < cap; i++) {
		assert_true(p[i].x == 0.0);
		assert_int_equal(p[i].name[12], 0);
	}
	memset(p, 0xab, cap * sizeof *p);
	size_t old = cap;
	assert_int_equal(ARRAY_GROW_ZERO(p, old + 1, cap), 0);
	/* the old elements kept, only the new ones zeroed */
	const unsigned char *bytes = (const unsigned char *)p;
	for (size_t i = 0; i < old * sizeof *p; i++)
		assert_int_equal(bytes[i], 0xab);
	for (size_t i = old * sizeof *p; i < cap * sizeof *p; i++)
		assert_int_equal(bytes[i], 0);
	free(p);
}

/* Through a struct member and a pointer to one, as the callers do. */
struct list {
	struct pair *item;
	size_t n, cap;
};

static int push(struct list *l, double x)
{
	if (ARRAY_GROW(l->item, l->n + 1, l->cap) != 0)
		return -1;
	l->item[l->n].x = x;
	l->n++;
	return 0;
}

static void test_member(void **state)
{
	(void)state;
	struct list l = {0};
	for (int i = 0; i < 50; i++)
		assert_int_equal(push(&l, i), 0);
	assert_int_equal(l.n, 50);
	assert_int_equal(l.cap, 64);
	assert_true(l.item[49].x == 49.0);
	free(l.item);
}

static void test_sizes_that_would_wrap(void **state)
{
	(void)state;
	struct pair *p = NULL;
	size_t cap = 0;
	assert_int_equal(ARRAY_GROW(p, 4, cap), 0);
	struct pair *before = p;
	size_t cap_before = cap;
	/* need * sizeof *p wraps around SIZE_MAX: refused, never a small
	 * block */
	assert_int_equal(ARRAY_GROW(p, SIZE_MAX, cap), -1);
	assert_int_equal(ARRAY_GROW(p, SIZE_MAX / sizeof *p + 1, cap), -1);
	assert_int_equal(ARRAY_GROW(p, (size_t)PTRDIFF_MAX / sizeof *p + 1,
				    cap),
			 -1);
	assert_ptr_equal(p, before);
	assert_int_equal(cap, cap_before);
	free(p);

	/* the capacity chosen never passes the limit, doubling or not */
	size_t limit = (size_t)PTRDIFF_MAX / 24;
	assert_int_equal(array_next_cap(limit - 1, limit, 24), limit);
	assert_int_equal(array_next_cap(limit / 2 + 1, limit / 2 + 2, 24),
			 limit);
	assert_int_equal(array_next_cap(limit / 2, limit / 2 + 1, 24),
			 limit / 2 * 2);
	assert_int_equal(array_next_cap(0, limit + 1, 24), 0);
	assert_int_equal(array_next_cap(0, SIZE_MAX, 1), 0);
	assert_int_equal(array_next_cap(0, 1, SIZE_MAX), 0);
	assert_int_equal(array_next_cap(0, 1, 1), ARRAY_MIN);
	assert_int_equal(array_next_cap(ARRAY_MIN, ARRAY_MIN + 1, 1),
			 2 * ARRAY_MIN);
}

static void test_allocation_that_fails(void **state)
{
	(void)state;
	char *a = NULL;
	size_t cap = 0;
	assert_int_equal(ARRAY_GROW(a, 10, cap), 0);
	memcpy(a, "kept", 5);
	char *before = a;
	size_t cap_before = cap;
	/* within the limit, but no machine has PTRDIFF_MAX bytes */
	assert_int_equal(ARRAY_GROW(a, (size_t)PTRDIFF_MAX, cap), -1);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, cap_before);
	assert_string_equal(a, "kept");
	/* and the array still grows afterwards */
	assert_int_equal(ARRAY_GROW(a, cap + 1, cap), 0);
	assert_string_equal(a, "kept");
	free(a);

	/* from nothing: stays nothing */
	double *d = NULL;
	cap = 0;
	assert_int_equal(ARRAY_GROW_ZERO(d, (size_t)PTRDIFF_MAX / 8, cap), -1);
	assert_null(d);
	assert_int_equal(cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_growth),
		cmocka_unit_test(test_doubles_and_keeps),
		cmocka_unit_test(test_room_means_no_change),
		cmocka_unit_test(test_zeroed_structs),
		cmocka_unit_test(test_member),
		cmocka_unit_test(test_sizes_that_would_wrap),
		cmocka_unit_test(test_allocation_that_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
