/*
 * test_app.c — tui/app.c without a terminal: what each view shows is
 * read when it is drawn, and is never what the store held before a
 * change.
 *
 * The dashboard's connection reads; a second connection to the same
 * file writes, as another process's ingest, ack or deploy would.  After
 * PRAGMA data_version moves the dashboard reloads (app_reload(), as its
 * loop does) and each view is drawn (app_load_for_view()): every view
 * must show the new state, in whatever order the views are visited,
 * including a view that was read before the change and one that was
 * not shown in between.  Were any part kept, the acknowledged alert
 * would still fire, the new run or the deployment would be missing.
 * A reload reads no part that the current view does not show, the Runs
 * view's selection stays on its run, and the dashboard's own write
 * (which does not move data_version) shows after app_reload().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/fixture.h"
#include "storage/alerts_store.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"
#include "tui/app.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("app");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* A run with counts for sex=F and sex=M at steps 1 and 2. */
static void ingest(struct store *s, const char *key, const char *started)
{
	char dir[256], text[1024];
	struct ingest_result res;
	struct fail f;
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir, key);
	mkdir(dir, 0755);
	snprintf(text, sizeof text,
		 "key,value\nrun,%s\nmodel,m\nstarted_at,%s\n"
		 "beta_factor,1\n", key, started);
	fixture_write_file(dir, "run.csv", text);
	fixture_write_file(dir, "counts.csv",
		   "step,group,tp,fp,tn,fn\n"
		   "1,sex=F,40,10,40,10\n1,sex=M,30,10,50,10\n"
		   "2,sex=F,45,5,45,5\n2,sex=M,35,5,55,5\n");
	fail_init(&f);
	if (store_ingest_run(s, dir, 0, &res, &f) != 0)
		fail_msg("ingest %s: %s", key, f.msg);
}

static void raise_alerts(struct store *s, const char *run)
{
	struct alert_new a[2];
	struct fail f;
	memset(a, 0, sizeof a);
	a[0].severity = ALERT_CRITICAL;
	snprintf(a[0].rule, sizeof a[0].rule, "tpr_drop");
	a[0].subject = "sex/sex=M";
	a[0].message = "";
	a[1].severity = ALERT_WARNING;
	snprintf(a[1].rule, sizeof a[1].rule, "dp_difference");
	a[1].subject = "sex";
	a[1].message = "";
	for (int i = 0; i < 2; i++)
		a[i].baseline = a[i].candidate = a[i].threshold =
			RATE_UNDEFINED;
	fail_init(&f);
	if (store_alerts_sync(s, run, NULL, NULL, a, 2, &f) != 0)
		fail_msg("alerts: %s", f.msg);
}

static void deploy(struct store *s, const char *run)
{
	fixture_deploy(s, run, "deploy");
}

static void app_start(struct app *a, struct store *s)
{
	struct fail f;
	memset(a, 0, sizeof *a);
	a->store = s;
	a->metric = DRIFT_TPR;
	policy_defaults(&a->policy);
	fail_init(&f);
	assert_int_equal(snapshot_data_version(s, &a->data_version, &f), 0);
	assert_int_equal(app_reload(a, &f), 0);
}

static void app_stop(struct app *a)
{
	snapshot_release(&a->snap);
	snap_compare_release(&a->cmp);
	snap_drift_release(&a->drift);
	driftcache_release(&a->drift_cache);
	incident_release(&a->inc);
	page_release(&a->inc_page);
	rollplan_release(&a->plan);
	free(a->rows);
	free(a->alert_rows);
}

/* What the loop does when it polls: reload when data_version moved. */
static void poll_store(struct app *a)
{
	int64_t v;
	struct fail f;
	fail_init(&f);
	assert_int_equal(snapshot_data_version(a->store, &v, &f), 0);
	assert_true(v != a->data_version);
	a->data_version = v;
	assert_int_equal(app_reload(a, &f), 0);
}

static void show(struct app *a, enum view_id v)
{
	struct fail f;
	fail_init(&f);
	a->view = v;
	if (app_load_for_view(a, &f) != 0)
		fail_msg("view %d: %s", (int)v, f.msg);
}

static const struct stored_alert *alert_of(const struct app *a,
					   const char *rule)
{
	for (size_t i = 0; i < a->snap.nalerts; i++)
		if (strcmp(a->snap.alerts[i].rule, rule) == 0)
			return &a->snap.alerts[i];
	fail_msg("no alert %s", rule);
	return NULL;
}

static int has_event(const struct app *a, const char *kind, const char *run)
{
	const struct timeline *t = &a->snap.timeline;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].kind, kind) == 0 &&
		    strcmp(t->e[i].run, run) == 0)
			return 1;
	return 0;
}

static void test_every_view_fresh_after_another_process_writes(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct app a;
	ingest(other, "r1", "2026-01-01T00:00:00Z");
	ingest(other, "r2", "2026-01-02T00:00:00Z");
	raise_alerts(other, "r2");
	app_start(&a, dash);
	for (int v = 0; v < VIEW_COUNT; v++)
		show(&a, (enum view_id)v);
	assert_int_equal(a.snap.nruns, 2);
	/* nothing deployed: r2's alerts are a candidate's findings */
	assert_int_equal(a.snap.open_critical, 0);
	assert_int_equal(a.snap.open_warning, 0);
	assert_int_equal(a.snap.cand_critical, 1);
	assert_int_equal(a.snap.cand_warning, 1);
	assert_int_equal(a.snap.cand_runs_critical, 1);
	assert_string_equal(alert_of(&a, "tpr_drop")->state, "firing");
	assert_false(has_event(&a, "run", "r3"));
	assert_int_equal(a.drift.npoints, 2);
	int64_t tpr_drop = alert_of(&a, "tpr_drop")->id;

	/* another process: a run, an acknowledgement, a deployment */
	ingest(other, "r3", "2026-01-03T00:00:00Z");
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_alert_ack(other, tpr_drop, "bob", NULL, &f), 0);
	deploy(other, "r2");
	poll_store(&a);

	/* the header at once; no part is read before its view is drawn:
	 * r2 in production, its alerts production's alarms */
	assert_string_equal(a.snap.deployed, "r2");
	assert_int_equal(a.snap.open_critical, 0);
	assert_int_equal(a.snap.open_warning, 1);
	assert_int_equal(a.snap.cand_critical, 0);
	assert_int_equal(a.snap.fresh, 0);

	show(&a, VIEW_TIMELINE);
	assert_int_equal(a.snap.fresh, SNAP_TIMELINE);
	assert_true(has_event(&a, "run", "r3"));
	assert_true(has_event(&a, "deploy", "r2"));
	assert_true(has_event(&a, "ack", "r2"));
	assert_string_equal(a.snap.timeline.sum.deployed, "r2");

	show(&a, VIEW_ALERTS);
	assert_string_equal(alert_of(&a, "tpr_drop")->state, "acknowledged");

	show(&a, VIEW_DRIFT);
	assert_int_equal(a.drift.npoints, 3);
	assert_string_equal(a.drift.point[2], "r3");

	show(&a, VIEW_RUNS);
	assert_int_equal(a.snap.nruns, 3);
	assert_string_equal(a.snap.runs[0].key, "r3");
	assert_true(a.snap.runs[1].is_deployed);
	assert_int_equal(a.snap.runs[1].critical_alerts, 1);
	assert_int_equal(a.snap.runs[1].open_alerts, 2);
	/* judged on its own and against the deployed run now */
	assert_int_not_equal(a.snap.runs[0].fair.mark, MARK_NONE);
	assert_int_not_equal(a.snap.runs[0].vs_prod.mark, MARK_NONE);
	assert_string_equal(a.snap.runs[0].vs_prod.against,
			    a.snap.runs[1].key);

	/* the pair chosen on the first visit stays */
	show(&a, VIEW_COMPARE);
	assert_true(a.cmp.loaded);
	assert_string_equal(a.cmp.base.run.key, "r1");
	assert_string_equal(a.cmp.cand.run.key, "r2");
	app_stop(&a);
	store_free(other);
	store_free(dash);
}

static void test_selection_stays_on_its_run(void **state)
{
	(void)state;
	struct store *dash = fixture_open_store(), *other = fixture_open_store();
	struct app a;
	ingest(other, "r1", "2026-01-01T00:00:00Z");
	ingest(other, "r2", "2026-01-02T00:00:00Z");
	app_start(&a, dash);
	show(&a, VIEW_RUNS);
	a.sel_run = 1; /* newest first: r1 */
	assert_string_equal(app_selected_run(&a), "r1");
	show(&a, VIEW_DRIFT);
	assert_int_equal(a.drift.nsteps, 2);

	ingest(other, "r0", "2026-01-03T00:00:00Z");
	poll_store(&a);
	show(&a, VIEW_ALERTS); /* runs not read here */
	assert_string_equal(app_selected_run(&a), "r1");
	show(&a, VIEW_RUNS);
	assert_int_equal(a.nrows, 3);
	assert_string_equal(app_selected_run(&a), "r1");
	assert_int_equal(a.sel_run, 2);
	app_stop(&a);
	store_free(other);
	store_free(dash);
}

static void test_own_write_shows_after_reload(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct app a;
	struct fail f;
	ingest(s, "r1", "2026-01-01T00:00:00Z");
	raise_alerts(s, "r1");
	app_start(&a, s);
	show(&a, VIEW_ALERTS);
	int64_t id = alert_of(&a, "dp_difference")->id;
	fail_init(&f);
	assert_int_equal(store_alert_ack(s, id, "me", "seen", &f), 0);
	/* our own commit does not move our data_version: the dashboard
	 * reloads after it writes (ACT_RELOAD) */
	assert_int_equal(app_reload(&a, &f), 0);
	show(&a, VIEW_ALERTS);
	assert_string_equal(alert_of(&a, "dp_difference")->state,
			    "acknowledged");
	assert_int_equal(a.snap.open_warning, 0);
	app_stop(&a);
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_every_view_fresh_after_another_process_writes),
		IN_TMP(test_selection_stays_on_its_run),
		IN_TMP(test_own_write_shows_after_reload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
