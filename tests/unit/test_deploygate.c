/*
 * test_deploygate.c — service/deploygate.c: the gate `fairtop deploy`
 * and the dashboard's d both pass, on small stores.
 *
 * Two evaluations, as confusion counts of groups sex=F and sex=M, 200
 * rows each (as in test_rollplan.c):
 *   FAIR    both groups alike: passes;
 *   UNFAIR  selection rates .5 and .3: demographic parity difference .2
 *           fails.
 * The cases: a fair run against fair production passes, judged against
 * production, with a gate_pass audit row by its actor and a deploy
 * request of kind "deploy" with {"gate_passed": true}; an unfair one
 * fails (gate_fail recorded, kind "override" would be asked); with
 * nothing in production the run is judged on its own; an unknown run is
 * a usage error and records nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/fixture.h"
#include "service/deploygate.h"
#include "storage/audit.h"

#define FAIR "1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"
#define UNFAIR "1,sex=F,90,10,90,10\n1,sex=M,50,10,90,50\n"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("deploygate");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* The findings' JSON as the caller writes it: here, their count. */
static char *count_json(const struct judgement *j)
{
	char *text = malloc(32);
	if (text != NULL)
		snprintf(text, 32, "[%zu]", j->nfindings);
	return text;
}

static void run_of(struct store *s, const char *key, const char *day,
		   const char *counts)
{
	char started[32];
	snprintf(started, sizeof started, "2026-01-0%sT00:00:00Z", day);
	fixture_ingest_counts(s, key, key, NULL, started, counts);
}

/* The newest audit row's action, actor and run, "action actor run". */
static const char *last_audit(struct store *s)
{
	static char buf[256];
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct fail f;
	fail_init(&f);
	if (store_audit_list(s, &rows, &n, &f) != 0)
		fail_msg("store_audit_list: %s", f.msg);
	if (n == 0)
		snprintf(buf, sizeof buf, "none");
	else
		snprintf(buf, sizeof buf, "%s %s %s", rows[n - 1].action,
			 rows[n - 1].actor,
			 rows[n - 1].run_key ? rows[n - 1].run_key : "-");
	audit_rows_free(rows, n);
	return buf;
}

/* A test's store, policy (the defaults), gate and failure. */
struct ctx {
	struct store *s;
	struct policy p;
	struct deploy_gate g;
	struct fail f;
};

/* r1 (counts1, day 1) and r2 (counts2, day 2, NULL: none) in a new
 * store, r1 in production when deployed. */
static void setup(struct ctx *c, const char *counts1, const char *counts2,
		  int deployed)
{
	c->s = fixture_open_store();
	policy_defaults(&c->p);
	fail_init(&c->f);
	deploygate_init(&c->g);
	run_of(c->s, "r1", "1", counts1);
	if (counts2 != NULL)
		run_of(c->s, "r2", "2", counts2);
	if (deployed)
		fixture_history(c->s, "2026-01-01T12:00:00Z,r1,deploy,a,"
				      "first\n");
}

static void teardown(struct ctx *c)
{
	deploygate_release(&c->g);
	store_free(c->s);
}

/* Gate key for actor; returns the gate's result (-1 on an error). */
static int gate(struct ctx *c, const char *key, const char *actor)
{
	if (deploygate_load(&c->g, c->s, key, &c->f) != 0)
		return -1;
	return deploygate_judge(&c->g, c->s, &c->p, actor, count_json,
				&c->f);
}

static void test_fair_passes(void **state)
{
	(void)state;
	struct ctx c;
	struct deploy_request req;
	setup(&c, FAIR, FAIR, 1);
	assert_int_equal(gate(&c, "r2", "maria"), 0);
	assert_true(c.g.passed);
	assert_non_null(c.g.base);
	assert_string_equal(c.g.base->run.key, "r1");
	assert_string_equal(last_audit(c.s), "gate_pass maria r2");
	deploygate_request(&c.g, &c.p, "maria", "why", "", &req);
	assert_string_equal(req.run->key, "r2");
	assert_string_equal(req.kind, "deploy");
	assert_string_equal(req.actor, "maria");
	assert_string_equal(req.reason, "why");
	assert_string_equal(req.details_json, "{\"gate_passed\": true}");
	assert_int_equal(req.timeout,
			 (int)policy_get(&c.p, POLICY_DEPLOY_TIMEOUT));
	assert_ptr_equal(req.policy, &c.p);
	teardown(&c);
}

static void test_unfair_fails(void **state)
{
	(void)state;
	struct ctx c;
	struct deploy_request req;
	setup(&c, FAIR, UNFAIR, 1);
	assert_int_equal(gate(&c, "r2", "kevin"), 0);
	assert_false(c.g.passed);
	assert_false(c.g.v.passed);
	assert_true(c.g.v.fails > 0);
	assert_true(c.g.j.nfindings > 0);
	assert_string_equal(last_audit(c.s), "gate_fail kevin r2");
	deploygate_request(&c.g, &c.p, "kevin", "why", NULL, &req);
	assert_string_equal(req.kind, "override");
	assert_string_equal(req.details_json, "{\"gate_passed\": false}");
	teardown(&c);
}

static void test_nothing_in_production(void **state)
{
	(void)state;
	struct ctx c;
	setup(&c, UNFAIR, NULL, 0);
	assert_int_equal(gate(&c, "r1", "x"), 0);
	assert_false(c.g.passed);
	assert_null(c.g.base);
	assert_true(c.g.v.note[0] != '\0');
	teardown(&c);
}

static void test_unknown_run(void **state)
{
	(void)state;
	struct ctx c;
	setup(&c, FAIR, NULL, 0);
	assert_int_equal(gate(&c, "nope", "x"), -1);
	assert_int_equal(c.f.kind, FAIL_USAGE);
	assert_string_equal(last_audit(c.s), "none");
	teardown(&c);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_fair_passes),
		IN_TMP(test_unfair_fails),
		IN_TMP(test_nothing_in_production),
		IN_TMP(test_unknown_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
