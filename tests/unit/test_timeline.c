/*
 * test_timeline.c — service/timeline.c: the post-mortem timeline and
 * its summary, on a small store whose whole history is known.
 *
 * Evaluations as in test_alerteval.c (confusion counts of sex=F and
 * sex=M): FAIR passes; UNFAIR fails three rules on its own (parity
 * difference .2, ratio .6, odds difference .4), the first read
 * "demographic parity difference across sex 0.200 ..."; FEWER (300 rows)
 * fails against a 400-row baseline with "the candidate evaluated 300
 * rows, fewer than the baseline's 400".
 *
 * The story, oldest first:
 *   01-01 00:00  r1 (FAIR, v1) starts: nothing in production, passes
 *   01-01 06:00  r2 (UNFAIR, v2) starts: nothing in production, FAIL,
 *                3 rules, 3 critical alerts
 *   01-02        r1 deployed by a, "first"
 *   01-04        r2 deployed by b despite the policy (an override)
 *   01-05        r3 (FEWER, v3) starts, at the second r1 is rolled back
 *                to by c: at arrival against r1 ("at or before"), FAIL,
 *                1 rule, 1 critical alert; its run event comes before
 *                the rollback of the same second
 *   now          a deployment of r3 that failed, one still pending; one
 *                of r2's alerts acknowledged by ann ("seen"), then the
 *                other two at once by bob (no note).
 * 10 events: 3 runs, 3 deployments from the history, 2 from fairtop, 2
 * acknowledgements.  The four of "now" may share a second, where their
 * order is not defined: they are found by kind.
 *
 * The summary: r1 in production by rollback, fair, the last fair model;
 * one override ever; production has no alerts; the candidates' firing
 * ones are r3's one critical (r2's are acknowledged).
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
#include "service/alerteval.h"
#include "service/timeline.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("timeline");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

#define FAIR "1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"
#define UNFAIR "1,sex=F,90,10,90,10\n1,sex=M,50,10,90,50\n"
#define FEWER "1,sex=F,60,8,67,15\n1,sex=M,60,8,67,15\n"
#define UNFAIR_FIRST "demographic parity difference across sex 0.200"

static void ingest(struct store *s, const char *key, const char *version,
		   const char *started, const char *counts)
{
	fixture_ingest_counts(s, NULL, key, version, started, counts);
}

static void history(struct store *s, const char *rows)
{
	fixture_history(s, rows);
}

static void evaluate(struct store *s, const struct policy *p, const char *key)
{
	struct fail f;
	fail_init(&f);
	if (alerteval_run(s, key, p, NULL, NULL, &f) != 0)
		fail_msg("alerteval_run %s: %s", key, f.msg);
}

/* The store of the story above; *acked_id gets the id of the alert
 * acknowledged alone. */
static struct store *story(const struct policy *p, int64_t *acked_id)
{
	struct store *s = fixture_open_store();
	struct fail f;
	int64_t id;
	fail_init(&f);
	ingest(s, "r1", "v1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r2", "v2", "2026-01-01T06:00:00Z", UNFAIR);
	ingest(s, "r3", "v3", "2026-01-05T00:00:00Z", FEWER);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,first\n"
		   "2026-01-04T00:00:00Z,r2,override,b,needed\n"
		   "2026-01-05T00:00:00Z,r1,rollback,c,back\n");
	evaluate(s, p, "r1");
	evaluate(s, p, "r2");
	evaluate(s, p, "r3");
	if (store_deployment_begin(s, "r3", "deploy", "ann", "try", &id,
				   &f) != 0 ||
	    store_deployment_finish(s, id, 0, 1, "hook said no", "{}", &f) != 0 ||
	    store_deployment_begin(s, "r3", "deploy", "ann", "again", &id,
				   &f) != 0)
		fail_msg("deployments of r3: %s", f.msg);

	struct stored_alert *a;
	size_t n, acked;
	if (store_alerts_list_run(s, "r2", NULL, &a, &n, &f) != 0)
		fail_msg("alerts of r2: %s", f.msg);
	assert_int_equal(n, 3);
	*acked_id = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].rule, "dp_ratio") == 0)
			*acked_id = a[i].id;
	stored_alerts_free(a, n);
	assert_true(*acked_id > 0);
	assert_int_equal(store_alert_ack(s, *acked_id, "ann", "seen", &f), 0);
	assert_int_equal(store_alerts_ack_run(s, "r2", "bob", NULL, &acked,
					      NULL, &f),
			 0);
	assert_int_equal(acked, 2);
	return s;
}

static void event_is(const struct event *e, const char *time,
		     const char *kind, const char *run, const char *actor,
		     const char *text)
{
	assert_string_equal(e->time, time);
	assert_string_equal(e->kind, kind);
	assert_string_equal(e->run, run);
	assert_string_equal(e->actor, actor);
	assert_string_equal(e->text, text);
}

/* The one event of kind in t.e[from..n), failing when not one. */
static const struct event *only(const struct timeline *t, size_t from,
				const char *kind)
{
	const struct event *found = NULL;
	for (size_t i = from; i < t->n; i++) {
		if (strcmp(t->e[i].kind, kind) != 0)
			continue;
		if (found != NULL)
			fail_msg("two events of kind '%s'", kind);
		found = &t->e[i];
	}
	if (found == NULL)
		fail_msg("no event of kind '%s' from %zu on", kind, from);
	return found;
}

static void test_events(void **state)
{
	(void)state;
	struct policy p;
	struct timeline t;
	struct fail f;
	int64_t acked_id;
	char want[512];
	policy_defaults(&p);
	struct store *s = story(&p, &acked_id);
	fail_init(&f);
	assert_int_equal(timeline_load(s, &p, &t, &f), 0);
	assert_int_equal(t.n, 10);

	event_is(&t.e[0], "2026-01-01T00:00:00Z", "run", "r1", "",
		 "m v1 started; at arrival, on its own (nothing was in "
		 "production when it started): pass");
	assert_false(t.e[0].loud);

	/* r2: the first rule's whole message is core/judge.c's; its start
	 * and the alerts that follow it are this file's */
	assert_string_equal(t.e[1].time, "2026-01-01T06:00:00Z");
	assert_string_equal(t.e[1].kind, "run");
	assert_string_equal(t.e[1].run, "r2");
	const char *head = "m v2 started; at arrival, on its own (nothing "
			   "was in production when it started): FAIL, 3 "
			   "rules (" UNFAIR_FIRST;
	const char *tail = "); alerts: 3 critical, 0 warning, 3 "
			   "acknowledged";
	size_t len = strlen(t.e[1].text);
	if (strncmp(t.e[1].text, head, strlen(head)) != 0 ||
	    len < strlen(tail) ||
	    strcmp(t.e[1].text + len - strlen(tail), tail) != 0)
		fail_msg("r2's event: expected \"%s ... %s\", found \"%s\"",
			 head, tail, t.e[1].text);

	event_is(&t.e[2], "2026-01-02T00:00:00Z", "deploy", "r1", "a",
		 "deployed by a: \"first\"");
	assert_false(t.e[2].loud);
	event_is(&t.e[3], "2026-01-04T00:00:00Z", "override", "r2", "b",
		 "OVERRIDE: deployed despite the fairness policy; deployed "
		 "by b: \"needed\"");
	assert_true(t.e[3].loud);
	/* the run before what happened in its second (timeline.c adds
	 * run events first, so a sort that keeps that order, as glibc's
	 * merge sort does, passes here even without the tie-break) */
	event_is(&t.e[4], "2026-01-05T00:00:00Z", "run", "r3", "",
		 "m v3 started; at arrival, against r1 in production: FAIL, "
		 "1 rule (the candidate evaluated 300 rows, fewer than the "
		 "baseline's 400); alerts: 1 critical, 0 warning, 0 "
		 "acknowledged");
	event_is(&t.e[5], "2026-01-05T00:00:00Z", "rollback", "r1", "c",
		 "rolled back to it by c: \"back\"");
	assert_false(t.e[5].loud);
	assert_false(t.e[5].failed);

	/* now: after every event of January, each once */
	for (size_t i = 6; i < t.n; i++)
		assert_true(strcmp(t.e[i].time, "2026-01-05T00:00:00Z") > 0);
	const struct event *e = only(&t, 6, "deploy (FAILED)");
	assert_string_equal(e->run, "r3");
	assert_true(e->failed);
	assert_string_equal(e->text, "deployed by ann: \"try\"; the deploy "
			    "hook failed, nothing changed");
	e = only(&t, 6, "deploy (pending)");
	assert_false(e->failed);
	assert_string_equal(e->text,
			    "deployed by ann: \"again\"; still pending: its "
			    "outcome was never recorded (fairtop killed, the "
			    "store not writable when the hook ended, or still "
			    "running); the previous deployment stays current");
	/* two acts of acknowledging: ann's one alert, bob's two */
	size_t acks = 0;
	for (size_t i = 6; i < t.n; i++) {
		if (strcmp(t.e[i].kind, "ack") != 0)
			continue;
		acks++;
		assert_string_equal(t.e[i].run, "r2");
		if (strcmp(t.e[i].actor, "ann") == 0) {
			snprintf(want, sizeof want, "alert #%lld (critical "
				 "dp_ratio) acknowledged by ann: seen",
				 (long long)acked_id);
			assert_string_equal(t.e[i].text, want);
		} else {
			assert_string_equal(t.e[i].actor, "bob");
			assert_string_equal(t.e[i].text,
					    "2 alerts of r2 acknowledged at "
					    "once by bob");
		}
	}
	assert_int_equal(acks, 2);

	/* the summary, as timeline_summary() gives it */
	assert_string_equal(t.sum.deployed, "r1");
	assert_string_equal(t.sum.deployed_how,
			    "rollback by c at 2026-01-05T00:00:00Z");
	assert_string_equal(t.sum.deployed_kind, "rollback");
	assert_string_equal(t.sum.deployed_actor, "c");
	assert_string_equal(t.sum.deployed_since, "2026-01-05T00:00:00Z");
	assert_true(t.sum.deployed_in_store);
	assert_true(t.sum.deployed_fair);
	assert_string_equal(t.sum.deployed_why, "");
	assert_string_equal(t.sum.last_fair, "r1");
	assert_int_equal(t.sum.overrides, 1);
	assert_int_equal(t.sum.open_critical, 0);
	assert_int_equal(t.sum.open_warning, 0);
	assert_int_equal(t.sum.alerts.cand_critical, 1);
	assert_int_equal(t.sum.alerts.cand_warning, 0);
	assert_int_equal(t.sum.alerts.cand_runs_critical, 1);
	timeline_release(&t);
	assert_null(t.e);
	assert_int_equal(t.n, 0);

	struct summary_info sum;
	assert_int_equal(timeline_summary(s, &p, &sum, &f), 0);
	assert_string_equal(sum.deployed, "r1");
	assert_string_equal(sum.last_fair, "r1");
	assert_int_equal(sum.overrides, 1);
	assert_int_equal(sum.alerts.cand_critical, 1);
	summary_info_release(&sum);
	store_free(s);
}

static void test_summary_unfair_production(void **state)
{
	(void)state;
	struct policy p;
	struct summary_info sum;
	struct fail f;
	struct store *s = fixture_open_store();
	policy_defaults(&p);
	fail_init(&f);
	/* r2 in production by override, its alerts firing: production's
	 * alarms; the last fair model is r1, before it */
	ingest(s, "r1", "v1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r2", "v2", "2026-01-01T06:00:00Z", UNFAIR);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,first\n"
		   "2026-01-04T00:00:00Z,r2,override,b,needed\n"
		   "2026-01-04T01:00:00Z,r2,override,b,again\n");
	evaluate(s, &p, "r1");
	evaluate(s, &p, "r2");
	assert_int_equal(timeline_summary(s, &p, &sum, &f), 0);
	assert_string_equal(sum.deployed, "r2");
	assert_string_equal(sum.deployed_how,
			    "override by b at 2026-01-04T01:00:00Z");
	assert_true(sum.deployed_in_store);
	assert_false(sum.deployed_fair);
	if (strncmp(sum.deployed_why, UNFAIR_FIRST, strlen(UNFAIR_FIRST)) != 0)
		fail_msg("deployed_why: expected \"%s...\", found \"%s\"",
			 UNFAIR_FIRST, sum.deployed_why);
	assert_string_equal(sum.last_fair, "r1");
	assert_int_equal(sum.overrides, 2);
	assert_int_equal(sum.open_critical, 3);
	assert_int_equal(sum.open_warning, 0);
	assert_int_equal(sum.alerts.cand_critical, 0);
	summary_info_release(&sum);

	/* nothing deployed at all: an empty summary, and a timeline of
	 * the run events alone */
	store_free(s);
	fixture_remove_tree(fixture_dir);
	assert_int_equal(fixture_make_dir("timeline"), 0);
	s = fixture_open_store();
	ingest(s, "r1", "v1", "2026-01-01T00:00:00Z", FAIR);
	assert_int_equal(timeline_summary(s, &p, &sum, &f), 0);
	assert_string_equal(sum.deployed, "");
	assert_string_equal(sum.last_fair, "");
	assert_int_equal(sum.overrides, 0);
	assert_string_equal(sum.deployed_how, "");
	assert_string_equal(sum.deployed_actor, "");
	assert_string_equal(sum.deployed_why, "");
	summary_info_release(&sum);
	struct timeline t;
	assert_int_equal(timeline_load(s, &p, &t, &f), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.e[0].kind, "run");
	/* no alerts: no alert words */
	assert_string_equal(t.e[0].text,
			    "m v1 started; at arrival, on its own (nothing was "
			    "in production when it started): pass");
	timeline_release(&t);
	store_free(s);
}

/* A long actor and reason cross from the store to every reader whole:
 * nothing in between has a fixed buffer to cut them. */
static void test_long_names_whole(void **state)
{
	(void)state;
	struct policy p;
	struct fail f;
	char actor[401], reason[5001], rows[6000];
	memset(actor, 'a', sizeof actor - 1);
	actor[sizeof actor - 1] = '\0';
	memset(reason, 'r', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	policy_defaults(&p);
	fail_init(&f);
	struct store *s = fixture_open_store();
	ingest(s, "r2", "v2", "2026-01-01T06:00:00Z", UNFAIR);
	snprintf(rows, sizeof rows, "2026-01-04T00:00:00Z,r2,override,%s,%s\n",
		 actor, reason);
	history(s, rows);
	struct summary_info sum;
	assert_int_equal(timeline_summary(s, &p, &sum, &f), 0);
	assert_string_equal(sum.deployed_actor, actor);
	assert_int_equal(strlen(sum.deployed_how),
			 strlen("override by  at 2026-01-04T00:00:00Z") + 400);
	summary_info_release(&sum);
	struct timeline t;
	assert_int_equal(timeline_load(s, &p, &t, &f), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.e[1].kind, "override");
	assert_string_equal(t.e[1].actor, actor);
	assert_non_null(strstr(t.e[1].text, reason));
	assert_string_equal(t.e[0].actor, "");
	timeline_release(&t);
	store_free(s);
}

/* The newest runs' timeline (the dashboard's): the events of those
 * runs and everything from the oldest of their starts on, each as the
 * whole timeline has it; the summary the whole store's. */
static void test_newest_runs(void **state)
{
	(void)state;
	struct policy p;
	struct timeline all, t;
	struct fail f;
	int64_t acked_id;
	policy_defaults(&p);
	struct store *s = story(&p, &acked_id);
	fail_init(&f);
	assert_int_equal(timeline_load(s, &p, &all, &f), 0);
	assert_int_equal(all.n, 10);
	assert_string_equal(all.after, "");
	static const struct {
		size_t newest, n;
		const char *after; /* the newest start left out */
	} cases[] = {
		/* r3 and what followed r2's start: the deployments of
		 * 01-02 and 01-04, r3's start and rollback, the four now */
		{1, 8, "2026-01-01T06:00:00Z"},
		{2, 9, "2026-01-01T00:00:00Z"}, /* all but r1's start */
		{3, 10, ""},                    /* every run: everything */
		{50, 10, ""},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		assert_int_equal(timeline_load_recent(s, &p, cases[c].newest,
						       &t, &f), 0);
		assert_int_equal(t.n, cases[c].n);
		assert_string_equal(t.after, cases[c].after);
		/* the last n of the whole timeline, the same, time for
		 * time; events that share their time (the four of "now")
		 * have no defined order between them: compared when the
		 * time is theirs alone */
		for (size_t i = 0; i < t.n; i++) {
			size_t k = all.n - t.n + i;
			const struct event *x = &t.e[i], *y = &all.e[k];
			assert_string_equal(x->time, y->time);
			int shared = (k > 0 && strcmp(all.e[k - 1].time,
						      y->time) == 0) ||
				     (k + 1 < all.n &&
				      strcmp(all.e[k + 1].time, y->time) == 0);
			if (shared)
				continue;
			assert_string_equal(x->kind, y->kind);
			assert_string_equal(x->run, y->run);
			assert_string_equal(x->text, y->text);
		}
		assert_string_equal(t.sum.deployed, all.sum.deployed);
		assert_int_equal(t.sum.overrides, 1);
		timeline_release(&t);
	}
	timeline_release(&all);
	store_free(s);
}

/* Runs of the same start across the cut: none of them is kept, so that
 * "after TIME" holds every event after it and none of that second is
 * half there. */
static void test_newest_runs_tied(void **state)
{
	(void)state;
	static const char counts[] = "1,sex=F,40,10,40,10\n1,sex=M,40,10,40,10\n";
	struct policy p;
	struct timeline t;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	struct store *s = fixture_open_store();
	fixture_ingest_counts(s, NULL, "ra", NULL, "2026-02-01T00:00:00Z",
			      counts);
	fixture_ingest_counts(s, NULL, "rb", NULL, "2026-02-01T00:00:00Z",
			      counts);
	fixture_ingest_counts(s, NULL, "rc", NULL, "2026-02-02T00:00:00Z",
			      counts);
	/* the newest two are rc and rb; ra, left out, starts with rb */
	assert_int_equal(timeline_load_recent(s, &p, 2, &t, &f), 0);
	assert_string_equal(t.after, "2026-02-01T00:00:00Z");
	assert_int_equal(t.n, 1);
	assert_string_equal(t.e[0].run, "rc");
	timeline_release(&t);
	assert_int_equal(timeline_load_recent(s, &p, 3, &t, &f), 0);
	assert_string_equal(t.after, "");
	assert_int_equal(t.n, 3);
	timeline_release(&t);
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_events),
		IN_TMP(test_summary_unfair_production),
		IN_TMP(test_long_names_whole),
		IN_TMP(test_newest_runs),
		IN_TMP(test_newest_runs_tied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
