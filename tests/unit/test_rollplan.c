/*
 * test_rollplan.c — service/rollplan.c: the run a rollback goes to, and
 * why each run between it and production was passed over, on small
 * stores with a deployment history from deployments.csv (so that every
 * time is known).
 *
 * Runs are judged on their own (the fair verdict).  Two evaluations, as
 * confusion counts of groups sex=F and sex=M, 200 rows each:
 *   FAIR    both groups alike: passes;
 *   UNFAIR  selection rates (90+10)/200 = .5 and (50+10)/200 = .3:
 *           demographic parity difference .2 > .10 fails first, so its
 *           first rule reads "demographic parity difference across sex
 *           0.200 ...".
 *
 * The cases: nothing deployed; production unfair with an earlier fair
 * deployment (the target), runs between them never deployed, fair and
 * not, and newer runs offered instead when fair; fair runs deployed out
 * of the order they started in ("was in production; passes"); no fair
 * deployment at all; production named by the history but not in the
 * store; a target named with --to; production fair (nothing to roll
 * back, newer fair runs never deployed still named).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/fixture.h"
#include "service/rollplan.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("rollplan");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

#define FAIR "1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"
#define UNFAIR "1,sex=F,90,10,90,10\n1,sex=M,50,10,90,50\n"
#define UNFAIR_FIRST "demographic parity difference across sex 0.200"

/* A run folder fixture_dir/NNN (dir_name) for run key, ingested. */
static void ingest(struct store *s, const char *dir_name, const char *key,
		   const char *started, const char *counts)
{
	fixture_ingest_counts(s, dir_name, key, NULL, started, counts);
}

#define RUN(s, key, day, counts) \
	ingest((s), (key), (key), "2026-01-0" day "T00:00:00Z", (counts))

/* deployments.csv rows "time,run,kind,actor,reason", imported. */
static void history(struct store *s, const char *rows)
{
	fixture_history(s, rows);
}

static void plan_of(struct store *s, const char *to, struct rollplan *plan)
{
	struct policy p;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	if (rollplan_make(s, &p, to, plan, &f) != 0)
		fail_msg("rollplan_make: %s", f.msg);
	assert_int_equal(f.kind, FAIL_NONE);
}

/* The keys offered instead of a rollback, ", " between them. */
static const char *alts(const struct rollplan *plan)
{
	static char buf[1024];
	buf[0] = '\0';
	for (size_t i = 0; i < plan->nalt; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, sizeof buf - used, "%s%s", i ? ", " : "",
			 plan->alt[i].key);
	}
	return buf;
}

/* the passed-over line i is KEY with WHY starting with prefix */
static void over_is(const struct rollplan *plan, size_t i, const char *key,
		    const char *prefix)
{
	assert_true(i < plan->nover);
	assert_string_equal(plan->over[i].key, key);
	if (strncmp(plan->over[i].why, prefix, strlen(prefix)) != 0)
		fail_msg("over[%zu] (%s): expected \"%s...\", found \"%s\"", i,
			 key, prefix, plan->over[i].why);
}

static void test_nothing_deployed(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	RUN(s, "r1", "1", FAIR);
	RUN(s, "r2", "2", UNFAIR);
	plan_of(s, NULL, &plan);
	assert_false(plan.has_current);
	assert_false(plan.has_target);
	assert_int_equal(plan.nover, 0);
	assert_string_equal(plan.no_target,
			    "nothing is in production: no rollback to make");
	assert_string_equal(alts(&plan), "");
	rollplan_release(&plan);
	store_free(s);
}

static void test_unfair_production(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	/* oldest first; r2 in production since day 5 */
	RUN(s, "r1", "1", FAIR);
	/* started with r1, to the second: not after the target */
	ingest(s, "r1same", "r1same", "2026-01-01T00:00:00Z", UNFAIR);
	ingest(s, "rA", "rA\033", "2026-01-02T00:00:00Z", UNFAIR);
	RUN(s, "rB", "3", FAIR);
	RUN(s, "r2", "4", UNFAIR);
	RUN(s, "r4", "6", FAIR);
	RUN(s, "r5", "7", UNFAIR);
	ingest(s, "r6", "r6\033", "2026-01-08T00:00:00Z", FAIR);
	history(s, "2026-01-01T12:00:00Z,r1,deploy,a,first\n"
		   "2026-01-05T00:00:00Z,r2,override,b,needed\n");
	/* rB's deployment failed: it was never in production */
	int64_t id;
	struct fail f;
	fail_init(&f);
	if (store_deployment_begin(s, "rB", "deploy", "ann", "try", &id,
				   &f) != 0 ||
	    store_deployment_finish(s, id, 0, 1, NULL, "{}", &f) != 0)
		fail_msg("failed deployment of rB: %s", f.msg);
	plan_of(s, NULL, &plan);

	assert_true(plan.has_current);
	assert_string_equal(plan.current_key, "r2");
	assert_true(plan.current_in_store);
	assert_string_equal(plan.current.run.key, "r2");
	assert_false(plan.current_fair);
	assert_string_equal(plan.current_kind, "override");
	assert_string_equal(plan.current_since, "2026-01-05T00:00:00Z");

	/* the newest earlier fair deployment */
	assert_true(plan.has_target);
	assert_false(plan.chosen);
	assert_string_equal(plan.target.run.key, "r1");
	assert_true(plan.target_fair);
	assert_string_equal(plan.no_target, "");

	/* newer than production and fair on its own, newest first, keys
	 * sanitised (ESC shows as '?'); r5 fails, so it is not offered */
	assert_string_equal(alts(&plan), "r6?, r4");

	/* between r1 and production, newest first; r1 itself is not
	 * listed, nor r1same, nor the runs newer than production */
	assert_int_equal(plan.nover, 3);
	over_is(&plan, 0, "r2", "in production now (override since "
		"2026-01-05T00:00:00Z); fails the policy: " UNFAIR_FIRST);
	over_is(&plan, 1, "rB", "never deployed");
	assert_string_equal(plan.over[1].why, "never deployed");
	over_is(&plan, 2, "rA?", "never deployed; fails the policy: "
		UNFAIR_FIRST);
	rollplan_release(&plan);
	assert_null(plan.over);
	assert_int_equal(plan.nover, 0);
	store_free(s);
}

static void test_deployed_out_of_order(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	/* rX started after r1 but was deployed before it: the target is
	 * r1, the newest fair deployment, and rX, started between r1 and
	 * production, is passed over although it passes */
	RUN(s, "r1", "1", FAIR);
	RUN(s, "rX", "2", FAIR);
	RUN(s, "rY", "3", UNFAIR);
	RUN(s, "r2", "4", UNFAIR);
	history(s, "2026-01-05T00:00:00Z,rX,deploy,a,x\n"
		   "2026-01-06T00:00:00Z,r1,deploy,a,y\n"
		   "2026-01-07T00:00:00Z,rY,deploy,a,z\n"
		   "2026-01-08T00:00:00Z,r2,override,b,w\n");
	plan_of(s, NULL, &plan);
	assert_string_equal(plan.current_key, "r2");
	assert_string_equal(plan.current_since, "2026-01-08T00:00:00Z");
	assert_true(plan.has_target);
	assert_string_equal(plan.target.run.key, "r1");
	assert_int_equal(plan.nover, 3);
	over_is(&plan, 0, "r2", "in production now (override since "
		"2026-01-08T00:00:00Z); fails the policy: " UNFAIR_FIRST);
	over_is(&plan, 1, "rY", "was in production; fails the policy: "
		UNFAIR_FIRST);
	assert_string_equal(plan.over[2].key, "rX");
	assert_string_equal(plan.over[2].why,
			    "was in production; passes the policy");
	assert_string_equal(alts(&plan), "");
	rollplan_release(&plan);
	store_free(s);
}

static void test_no_fair_target(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	RUN(s, "r1", "1", UNFAIR);
	RUN(s, "r2", "3", UNFAIR);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n"
		   "2026-01-04T00:00:00Z,r2,override,b,y\n");
	plan_of(s, NULL, &plan);
	assert_true(plan.has_current);
	assert_false(plan.has_target);
	assert_string_equal(plan.no_target,
			    "no fair target: no run that was in production "
			    "before the current one passes the policy now");
	/* with no target every older run is listed */
	assert_int_equal(plan.nover, 2);
	over_is(&plan, 0, "r2", "in production now (override since "
		"2026-01-04T00:00:00Z); fails the policy: " UNFAIR_FIRST);
	over_is(&plan, 1, "r1", "was in production; fails the policy: "
		UNFAIR_FIRST);
	rollplan_release(&plan);
	store_free(s);
}

static void test_production_not_in_store(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	/* ghost, in production since day 4, was never ingested: runs
	 * started after that deployment are newer than production */
	RUN(s, "r1", "1", FAIR);
	RUN(s, "r3", "5", FAIR);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n"
		   "2026-01-04T00:00:00Z,ghost,override,b,y\n");
	plan_of(s, NULL, &plan);
	assert_true(plan.has_current);
	assert_string_equal(plan.current_key, "ghost");
	assert_false(plan.current_in_store);
	assert_false(plan.current_fair);
	assert_string_equal(plan.current_since, "2026-01-04T00:00:00Z");
	assert_true(plan.has_target);
	assert_string_equal(plan.target.run.key, "r1");
	assert_string_equal(alts(&plan), "r3");
	assert_int_equal(plan.nover, 0);
	rollplan_release(&plan);
	store_free(s);
}

static void test_target_named(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	struct policy p;
	struct fail f;
	RUN(s, "r1", "1", FAIR);
	RUN(s, "rA", "2", UNFAIR);
	RUN(s, "r2", "3", UNFAIR);
	history(s, "2026-01-01T12:00:00Z,r1,deploy,a,x\n"
		   "2026-01-04T00:00:00Z,r2,override,b,y\n");

	/* --to rA: taken as named, with the rule it fails; no runs
	 * passed over (the plan did not choose) */
	plan_of(s, "rA", &plan);
	assert_true(plan.has_target);
	assert_true(plan.chosen);
	assert_string_equal(plan.target.run.key, "rA");
	assert_false(plan.target_fair);
	if (strncmp(plan.target_why, UNFAIR_FIRST, strlen(UNFAIR_FIRST)) != 0)
		fail_msg("target_why: expected \"%s...\", found \"%s\"",
			 UNFAIR_FIRST, plan.target_why);
	assert_int_equal(plan.nover, 0);
	assert_string_equal(plan.current_key, "r2");
	rollplan_release(&plan);

	plan_of(s, "r1", &plan);
	assert_true(plan.chosen);
	assert_true(plan.target_fair);
	assert_null(plan.target_why);
	rollplan_release(&plan);

	/* a run that is not in the store: a usage error */
	policy_defaults(&p);
	fail_init(&f);
	assert_int_equal(rollplan_make(s, &p, "nope", &plan, &f), -1);
	assert_int_equal(f.kind, FAIL_USAGE);
	assert_non_null(strstr(f.msg, "nope"));
	rollplan_release(&plan);
	store_free(s);
}

static void test_production_passes(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct rollplan plan;
	/* r2 fair in production (rolled back to from r3): nothing to roll
	 * back; r3 (newer, unfair, deployed) and r5 (newer, unfair) are
	 * never offered, r6 (fair, deployed before) neither, r4 is */
	RUN(s, "r1", "1", FAIR);
	RUN(s, "r2", "2", FAIR);
	RUN(s, "r3", "3", UNFAIR);
	RUN(s, "r4", "4", FAIR);
	RUN(s, "r5", "5", UNFAIR);
	RUN(s, "r6", "6", FAIR);
	history(s, "2026-01-07T00:00:00Z,r1,deploy,a,x\n"
		   "2026-01-07T01:00:00Z,r6,deploy,a,x\n"
		   "2026-01-07T02:00:00Z,r3,override,b,y\n"
		   "2026-01-08T00:00:00Z,r2,rollback,c,z\n");
	plan_of(s, NULL, &plan);
	assert_true(plan.has_current);
	assert_string_equal(plan.current_key, "r2");
	assert_true(plan.current_fair);
	assert_true(plan.nothing_to_do);
	assert_false(plan.has_target);
	assert_string_equal(plan.no_target, "production r2 passes the "
			    "policy: nothing to roll back");
	assert_int_equal(plan.nover, 0);
	assert_string_equal(alts(&plan), "r4");
	assert_string_equal(plan.alt[0].run_key, "r4");
	rollplan_release(&plan);

	/* named with --to: the plan takes it */
	plan_of(s, "r1", &plan);
	assert_false(plan.nothing_to_do);
	assert_true(plan.has_target);
	assert_true(plan.chosen);
	assert_string_equal(plan.target.run.key, "r1");
	rollplan_release(&plan);
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_nothing_deployed),
		IN_TMP(test_unfair_production),
		IN_TMP(test_deployed_out_of_order),
		IN_TMP(test_no_fair_target),
		IN_TMP(test_production_not_in_store),
		IN_TMP(test_target_named),
		IN_TMP(test_production_passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
