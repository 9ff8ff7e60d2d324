/*
 * test_lastfair.c — core/lastfair.c: production, the last fair model
 * and the rollback target, chosen over hand-made deployment facts
 * (oldest first), with no store.
 *
 * Each case is a history a store could hold: nothing deployed; only
 * failed or pending deployments; production fair (the last fair model
 * is production itself, the rollback target an earlier fair run of
 * another key); production unfair (the target is the last fair model);
 * the production run deployed twice (the target is never that run
 * again); a deployed run that is not in the store (skipped, whatever
 * its `fair` says); nothing fair (n).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/lastfair.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A completed deployment of a run in the store. */
#define DONE(run, fair) {run, 1, 1, fair}

static void test_no_deployments(void **state)
{
	(void)state;
	/* d is never read when n is 0: NULL must do */
	assert_int_equal(lastfair_production(NULL, 0), 0);
	assert_int_equal(lastfair_model(NULL, 0), 0);
	assert_int_equal(lastfair_rollback_target(NULL, 0), 0);
}

static void test_only_failed_or_pending(void **state)
{
	(void)state;
	/* a failed or pending deployment is not in production, even of a
	 * run in the store that passes */
	const struct deployed_fact d[] = {
		{"r1", 0, 1, 1},
		{"r2", 0, 1, 1},
		{"r3", 0, 0, 0},
	};
	assert_int_equal(lastfair_production(d, N(d)), N(d));
	assert_int_equal(lastfair_model(d, N(d)), N(d));
	assert_int_equal(lastfair_rollback_target(d, N(d)), N(d));
}

static void test_pending_after_production(void **state)
{
	(void)state;
	/* r2's deployment never completed: r1 stays production, and a
	 * rollback has nowhere to go (nothing before r1) */
	const struct deployed_fact d[] = {
		DONE("r1", 1),
		{"r2", 0, 1, 1},
	};
	assert_int_equal(lastfair_production(d, N(d)), 0);
	assert_int_equal(lastfair_model(d, N(d)), 0);
	assert_int_equal(lastfair_rollback_target(d, N(d)), N(d));
}

static void test_production_fair(void **state)
{
	(void)state;
	/* r3 in production passes: it is the last fair model; the target
	 * is the newest earlier fair run of another key, r1, past the
	 * unfair r2 and a failed deployment of the fair r4 */
	const struct deployed_fact d[] = {
		DONE("r1", 1),
		DONE("r2", 0),
		DONE("r3", 1),
		{"r4", 0, 1, 1},
	};
	assert_int_equal(lastfair_production(d, N(d)), 2);
	assert_int_equal(lastfair_model(d, N(d)), 2);
	assert_int_equal(lastfair_rollback_target(d, N(d)), 0);
}

static void test_production_unfair(void **state)
{
	(void)state;
	/* r5 in production fails: the last fair model and the target are
	 * both r2, the newest completed fair deployment */
	const struct deployed_fact d[] = {
		DONE("r1", 1),
		DONE("r2", 1),
		DONE("r4", 0),
		DONE("r5", 0),
	};
	assert_int_equal(lastfair_production(d, N(d)), 3);
	assert_int_equal(lastfair_model(d, N(d)), 1);
	assert_int_equal(lastfair_rollback_target(d, N(d)), 1);
	assert_int_equal(lastfair_rollback_target(d, N(d)),
			 lastfair_model(d, N(d)));
}

static void test_same_run_twice(void **state)
{
	(void)state;
	/* r2 deployed, r3 deployed, r2 deployed again (a rollback to it):
	 * production is the second r2; rolling back to the first r2 would
	 * change nothing, so the target is r1 */
	const struct deployed_fact d[] = {
		DONE("r1", 1),
		DONE("r2", 1),
		DONE("r3", 0),
		DONE("r2", 1),
	};
	assert_int_equal(lastfair_production(d, N(d)), 3);
	assert_int_equal(lastfair_model(d, N(d)), 3);
	size_t t = lastfair_rollback_target(d, N(d));
	assert_int_equal(t, 0);
	assert_string_equal(d[t].run, "r1");

	/* with no other fair run before it, no target at all */
	const struct deployed_fact e[] = {
		DONE("r2", 1),
		DONE("r3", 0),
		DONE("r2", 1),
	};
	assert_int_equal(lastfair_rollback_target(e, N(e)), N(e));
	/* the keys compare by content, not by pointer (the store gives
	 * each deployment its own copy of the key) */
	char first[] = "r2", again[] = "r2";
	const struct deployed_fact g[] = {
		DONE("r1", 1),
		DONE(first, 1),
		DONE(again, 1),
	};
	assert_int_equal(lastfair_production(g, N(g)), 2);
	assert_int_equal(lastfair_model(g, N(g)), 2);
	assert_int_equal(lastfair_rollback_target(g, N(g)), 0);
}

static void test_not_in_store_skipped(void **state)
{
	(void)state;
	/* r2 was deployed but is not in the store: it is never the last
	 * fair model nor the target, even with fair set (a caller that
	 * left it stale must not make it one) */
	const struct deployed_fact d[] = {
		DONE("r1", 1),
		{"r2", 1, 0, 1},
		DONE("r3", 0),
	};
	assert_int_equal(lastfair_production(d, N(d)), 2);
	assert_int_equal(lastfair_model(d, N(d)), 0);
	assert_int_equal(lastfair_rollback_target(d, N(d)), 0);

	/* production itself not in the store: still production (the last
	 * completed deployment), never the last fair model */
	const struct deployed_fact e[] = {
		DONE("r1", 1),
		{"gone", 1, 0, 1},
	};
	assert_int_equal(lastfair_production(e, N(e)), 1);
	assert_int_equal(lastfair_model(e, N(e)), 0);
	assert_int_equal(lastfair_rollback_target(e, N(e)), 0);
}

static void test_nothing_fair(void **state)
{
	(void)state;
	const struct deployed_fact d[] = {
		DONE("r1", 0),
		{"r2", 1, 0, 0},
		{"r3", 0, 1, 1},
		DONE("r4", 0),
	};
	assert_int_equal(lastfair_production(d, N(d)), 3);
	assert_int_equal(lastfair_model(d, N(d)), N(d));
	assert_int_equal(lastfair_rollback_target(d, N(d)), N(d));

	/* one deployment, fair: the last fair model, but no target */
	const struct deployed_fact e[] = {DONE("r1", 1)};
	assert_int_equal(lastfair_production(e, 1), 0);
	assert_int_equal(lastfair_model(e, 1), 0);
	assert_int_equal(lastfair_rollback_target(e, 1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_deployments),
		cmocka_unit_test(test_only_failed_or_pending),
		cmocka_unit_test(test_pending_after_production),
		cmocka_unit_test(test_production_fair),
		cmocka_unit_test(test_production_unfair),
		cmocka_unit_test(test_same_run_twice),
		cmocka_unit_test(test_not_in_store_skipped),
		cmocka_unit_test(test_nothing_fair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
