/*
 * test_hashmap.c — core/hashmap.c: the hash index over a caller's array.
 *
 * Covers lookups and misses in an empty map, growth from nothing to
 * 100,000 entries (at most half full, every entry found after each
 * doubling), keys whose hashes are all equal (every candidate offered,
 * the caller tells them apart), hashes equal in their low 32 bits,
 * probes wrapping past the last slot, removal (backward shift: what
 * stays is found, what went is not, wrapped clusters included) against
 * a model through 200,000 random operations, clear, reserve, and the
 * limits: indexes from HASHMAP_MAX on and reservations past it fail and
 * leave the map as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/hashmap.h"

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	return x;
}

/* A table of int64 keys in an array, indexed by a hashmap; `hash` can
 * be swapped for a bad one. */
struct table {
	struct hashmap m;
	int64_t *key;
	unsigned char *live;
	size_t n;
	uint64_t (*hash)(int64_t);
};

static uint64_t good_hash(int64_t k)
{
	return mix((uint64_t)k);
}

static uint64_t same_hash(int64_t k)
{
	(void)k;
	return 12345;
}

/* equal in the low 32 bits (what a slot keeps), apart above */
static uint64_t high_apart(int64_t k)
{
	return ((uint64_t)k << 32) | 77u;
}

/* The index of k, or HASHMAP_NONE; *pos where the probe stopped. */
static uint32_t find(const struct table *t, int64_t k,
		     struct hashmap_pos *pos)
{
	uint32_t i;
	for (i = hashmap_first(&t->m, t->hash(k), pos); i != HASHMAP_NONE;
	     i = hashmap_next(&t->m, pos))
		if (t->key[i] == k)
			return i;
	return HASHMAP_NONE;
}

static uint32_t insert(struct table *t, int64_t k)
{
	struct hashmap_pos pos;
	uint32_t i = find(t, k, &pos);
	if (i != HASHMAP_NONE)
		return i;
	t->key = realloc(t->key, (t->n + 1) * sizeof *t->key);
	t->live = realloc(t->live, t->n + 1);
	assert_non_null(t->key);
	assert_non_null(t->live);
	t->key[t->n] = k;
	t->live[t->n] = 1;
	assert_int_equal(hashmap_put(&t->m, &pos, (uint32_t)t->n), 0);
	return (uint32_t)t->n++;
}

static void table_release(struct table *t)
{
	hashmap_release(&t->m);
	free(t->key);
	free(t->live);
	memset(t, 0, sizeof *t);
}

static void test_empty(void **state)
{
	(void)state;
	struct hashmap m;
	struct hashmap_pos pos;
	hashmap_init(&m);
	assert_int_equal(hashmap_first(&m, 42, &pos), HASHMAP_NONE);
	hashmap_clear(&m); /* no slots yet: nothing to do */
	assert_int_equal(m.count, 0);
	/* a put after a miss on an empty map makes the slots */
	assert_int_equal(hashmap_put(&m, &pos, 0), 0);
	assert_int_equal(m.nslots, HASHMAP_MIN_SLOTS);
	assert_int_equal(hashmap_first(&m, 42, &pos), 0);
	assert_int_equal(hashmap_next(&m, &pos), HASHMAP_NONE);
	hashmap_release(&m);
	hashmap_release(&m); /* twice is fine */
	assert_null(m.slot);
}

static void test_growth(void **state)
{
	(void)state;
	struct table t = {.hash = good_hash};
	size_t last = 0;
	for (int64_t k = 0; k < 100000; k++) {
		assert_int_equal(insert(&t, k * 7919), (uint32_t)k);
		assert_true(t.m.count * 2 <= t.m.nslots);
		if (t.m.nslots != last) {
			/* just grown: everything still there */
			struct hashmap_pos pos;
			for (int64_t j = 0; j <= k; j++)
				assert_int_equal(find(&t, j * 7919, &pos),
						 (uint32_t)j);
			last = t.m.nslots;
		}
	}
	assert_int_equal(t.m.count, 100000);
	assert_int_equal(t.m.nslots, 262144);
	/* inserting again finds, adds nothing */
	for (int64_t k = 0; k < 100000; k += 997)
		assert_int_equal(insert(&t, k * 7919), (uint32_t)k);
	assert_int_equal(t.n, 100000);
	struct hashmap_pos pos;
	assert_int_equal(find(&t, -1, &pos), HASHMAP_NONE);
	assert_int_equal(find(&t, 7918, &pos), HASHMAP_NONE);
	table_release(&t);
}

static void test_all_one_hash(void **state)
{
	(void)state;
	struct table t = {.hash = same_hash};
	for (int64_t k = 0; k < 500; k++)
		assert_int_equal(insert(&t, 1000 - k), (uint32_t)k);
	struct hashmap_pos pos;
	for (int64_t k = 0; k < 500; k++)
		assert_int_equal(find(&t, 1000 - k, &pos), (uint32_t)k);
	assert_int_equal(find(&t, 1, &pos), HASHMAP_NONE);
	/* every entry is offered as a candidate, each once */
	size_t offered = 0;
	unsigned char *seen = calloc(500, 1);
	assert_non_null(seen);
	for (uint32_t i = hashmap_first(&t.m, 12345, &pos);
	     i != HASHMAP_NONE; i = hashmap_next(&t.m, &pos)) {
		assert_true(i < 500);
		assert_int_equal(seen[i], 0);
		seen[i] = 1;
		offered++;
	}
	assert_int_equal(offered, 500);
	free(seen);
	table_release(&t);

	/* the same low 32 bits: slots cannot tell them apart, the caller
	 * does */
	t.hash = high_apart;
	for (int64_t k = 1; k <= 100; k++)
		insert(&t, k);
	for (int64_t k = 1; k <= 100; k++)
		assert_int_equal(find(&t, k, &pos), (uint32_t)(k - 1));
	assert_int_equal(find(&t, 101, &pos), HASHMAP_NONE);
	table_release(&t);
}

/* hash = the slot wanted in a map of 64 slots */
static uint64_t slot_hash(int64_t k)
{
	return (uint64_t)k >> 16;
}

static void test_wrap_around(void **state)
{
	(void)state;
	struct table t = {.hash = slot_hash};
	struct hashmap_pos pos;
	/* keys wanting slots 62, 63 and 63: the third wraps to slot 0,
	 * then one wanting 0 goes to 1 */
	int64_t k62 = (int64_t)62 << 16, k63a = (int64_t)63 << 16,
		k63b = ((int64_t)63 << 16) | 1, k0 = 0;
	insert(&t, k62);
	insert(&t, k63a);
	insert(&t, k63b);
	insert(&t, k0);
	assert_int_equal(t.m.nslots, 64);
	assert_int_equal(t.m.slot[0].index, 3);
	assert_int_equal(t.m.slot[1].index, 4);
	assert_int_equal(find(&t, k63b, &pos), 2);
	assert_int_equal(pos.at, 0);
	/* removing 63a pulls 63b back from 0 to 63, then k0 home to 0 */
	assert_int_equal(find(&t, k63a, &pos), 1);
	hashmap_remove(&t.m, &pos);
	assert_int_equal(t.m.count, 3);
	assert_int_equal(t.m.slot[63].index, 3);
	assert_int_equal(t.m.slot[0].index, 4);
	assert_int_equal(t.m.slot[1].index, 0);
	assert_int_equal(find(&t, k63a, &pos), HASHMAP_NONE);
	assert_int_equal(find(&t, k63b, &pos), 2);
	assert_int_equal(find(&t, k0, &pos), 3);
	assert_int_equal(find(&t, k62, &pos), 0);
	table_release(&t);
}

static void test_remove_against_model(void **state)
{
	(void)state;
	/* keys 0..4095 in a map kept small (hashes crowd into few slots
	 * when the key space is small): insert or remove at random, and
	 * check every key after each step of a sample */
	enum { KEYS = 4096 };
	struct hashmap m;
	hashmap_init(&m);
	uint32_t where[KEYS]; /* the key's index in the map, or NONE */
	int64_t key_of[KEYS]; /* index -> key: the "array" */
	for (size_t i = 0; i < KEYS; i++)
		where[i] = HASHMAP_NONE;
	uint64_t seed = 88172645463325252u;
	size_t live = 0;
	for (int step = 0; step < 200000; step++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		int64_t k = (int64_t)(seed % KEYS);
		/* a poor hash on purpose: long runs of neighbours */
		uint64_t h = (uint64_t)k / 3;
		struct hashmap_pos pos;
		uint32_t got = HASHMAP_NONE;
		for (uint32_t i = hashmap_first(&m, h, &pos); i != HASHMAP_NONE;
		     i = hashmap_next(&m, &pos))
			if (key_of[i] == k) {
				got = i;
				break;
			}
		assert_int_equal(got, where[k]);
		if (got == HASHMAP_NONE) {
			/* the key's own number as its index */
			key_of[k] = k;
			assert_int_equal(hashmap_put(&m, &pos, (uint32_t)k), 0);
			where[k] = (uint32_t)k;
			live++;
		} else {
			hashmap_remove(&m, &pos);
			where[k] = HASHMAP_NONE;
			live--;
		}
		assert_int_equal(m.count, live);
		if (step % 5000 == 0)
			for (int64_t j = 0; j < KEYS; j++) {
				uint32_t at = HASHMAP_NONE;
				for (uint32_t i = hashmap_first(
					     &m, (uint64_t)j / 3, &pos);
				     i != HASHMAP_NONE;
				     i = hashmap_next(&m, &pos))
					if (key_of[i] == j) {
						at = i;
						break;
					}
				assert_int_equal(at, where[j]);
			}
	}
	hashmap_release(&m);
}

static void test_clear_and_add(void **state)
{
	(void)state;
	struct table t = {.hash = good_hash};
	for (int64_t k = 0; k < 1000; k++)
		insert(&t, k);
	size_t nslots = t.m.nslots;
	struct hashmap_slot *slots = t.m.slot;
	hashmap_clear(&t.m);
	assert_int_equal(t.m.count, 0);
	assert_int_equal(t.m.nslots, nslots); /* memory kept */
	assert_ptr_equal(t.m.slot, slots);
	struct hashmap_pos pos;
	assert_int_equal(find(&t, 5, &pos), HASHMAP_NONE);
	/* refilled without lookups, in another order */
	for (int64_t k = 999; k >= 0; k--)
		assert_int_equal(hashmap_add(&t.m, good_hash(k), (uint32_t)k),
				 0);
	for (int64_t k = 0; k < 1000; k++)
		assert_int_equal(find(&t, k, &pos), (uint32_t)k);
	table_release(&t);
}

static void test_reserve(void **state)
{
	(void)state;
	struct hashmap m;
	hashmap_init(&m);
	assert_int_equal(hashmap_reserve(&m, 0), 0);
	assert_int_equal(m.nslots, HASHMAP_MIN_SLOTS);
	assert_int_equal(hashmap_reserve(&m, 1000), 0);
	assert_int_equal(m.nslots, 2048);
	/* 1000 puts then do not grow */
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(hashmap_add(&m, mix(i), i), 0);
	assert_int_equal(m.nslots, 2048);
	assert_int_equal(hashmap_reserve(&m, 10), 0); /* never shrinks */
	assert_int_equal(m.nslots, 2048);
	hashmap_release(&m);
}

static void test_limits(void **state)
{
	(void)state;
	struct hashmap m;
	hashmap_init(&m);
	assert_int_equal(hashmap_add(&m, 1, 7), 0);
	struct hashmap_slot *slots = m.slot;
	/* more than HASHMAP_MAX entries: refused before any allocation */
	assert_int_equal(hashmap_reserve(&m, (size_t)HASHMAP_MAX + 1), -1);
	assert_int_equal(hashmap_reserve(&m, SIZE_MAX), -1);
	assert_ptr_equal(m.slot, slots);
	assert_int_equal(m.nslots, HASHMAP_MIN_SLOTS);
	/* an index the slots cannot hold (index + 1 must fit, and
	 * HASHMAP_NONE means none) */
	struct hashmap_pos pos;
	assert_int_equal(hashmap_first(&m, 2, &pos), HASHMAP_NONE);
	assert_int_equal(hashmap_put(&m, &pos, HASHMAP_MAX), -1);
	assert_int_equal(hashmap_put(&m, &pos, HASHMAP_NONE), -1);
	assert_int_equal(hashmap_add(&m, 2, UINT32_MAX - 1), -1);
	assert_int_equal(m.count, 1);
	assert_int_equal(hashmap_first(&m, 2, &pos), HASHMAP_NONE);
	/* the largest index is fine */
	assert_int_equal(hashmap_put(&m, &pos, HASHMAP_MAX - 1), 0);
	assert_int_equal(hashmap_first(&m, 2, &pos), HASHMAP_MAX - 1);
	assert_int_equal(hashmap_first(&m, 1, &pos), 7);
	hashmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_all_one_hash),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_remove_against_model),
		cmocka_unit_test(test_clear_and_add),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
