/*
 * test_alerts_store.c — storage/alerts_store.c: alert state in a real
 * store, in a temporary folder.
 *
 * store_alerts_sync() inserts the alerts a run raises as firing; the
 * same alerts again change nothing but last_seen (no duplicates); an
 * alert no longer raised is resolved; a resolved one raised again fires
 * again; an acknowledged one raised again stays acknowledged.
 * store_alert_ack() returns 0, 1 or 2 as alerts_store.h says and writes
 * one audit row per acknowledgement.  The list orders firing, then
 * acknowledged, then resolved, critical before warning, and filters by
 * state.
 *
 * About time: sync stamps last_seen with the current second, and
 * resolves the run's alerts whose last_seen is not that second.  Two
 * syncs within one second therefore resolve nothing (alerts_store.c
 * keeps an alert rather than drop it).  A test cannot wait for the
 * clock, so before a sync that should resolve, it moves last_seen of
 * the run's alerts to 2000-01-01 through SQL, as if the earlier sync
 * had been long ago.  No assertion depends on the wall clock.
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
#include <unistd.h>

#include "storage/alerts_store.h"
#include "storage/audit.h"
#include "storage/store.h"

/* --- the temporary store ------------------------------------------------ */

static char tmpdir[64];
static struct store *store;

static int tmp_make(void **state)
{
	(void)state;
	char path[128];
	struct fail f;
	strcpy(tmpdir, "/tmp/fairtop-alerts-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/alerts.db", tmpdir);
	fail_init(&f);
	store = NULL;
	return store_open(path, STORE_CREATE, &store, &f);
}

static int tmp_done(void **state)
{
	(void)state;
	store_free(store);
	store = NULL;
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[512];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(tmpdir);
	return 0;
}

/* --- helpers ------------------------------------------------------------- */

static struct alert_new alert(enum alert_severity sev, const char *rule,
			      const char *subject, double baseline,
			      double candidate, double threshold)
{
	struct alert_new a;
	memset(&a, 0, sizeof a);
	a.severity = sev;
	snprintf(a.rule, sizeof a.rule, "%s", rule);
	snprintf(a.subject, sizeof a.subject, "%s", subject);
	snprintf(a.message, sizeof a.message, "%s of %s", rule, subject);
	a.baseline = baseline;
	a.candidate = candidate;
	a.threshold = threshold;
	return a;
}

static void sync_run(const char *run, const struct alert_new *a, size_t n)
{
	struct fail f;
	fail_init(&f);
	if (store_alerts_sync(store, run, "base", a, n, &f) != 0)
		fail_msg("store_alerts_sync: %s", f.msg);
}

/* As if the run's alerts were last seen long ago (see the top). */
static void age(const char *run)
{
	char sql[256];
	char *msg = NULL;
	snprintf(sql, sizeof sql,
		 "UPDATE alerts SET last_seen = '2000-01-01T00:00:00Z'"
		 " WHERE run_key = '%s'", run);
	assert_int_equal(sqlite3_exec(store->db, sql, NULL, NULL, &msg),
			 SQLITE_OK);
}

static long long count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static struct stored_alert *list(const char *state, size_t *n)
{
	struct stored_alert *a = NULL;
	struct fail f;
	fail_init(&f);
	if (store_alerts_list(store, state, &a, n, &f) != 0)
		fail_msg("store_alerts_list: %s", f.msg);
	return a;
}

/* The state of the run's alert (rule, subject). */
static const char *state_of(struct stored_alert *a, size_t n, const char *run,
			    const char *rule, const char *subject)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].run_key, run) == 0 &&
		    strcmp(a[i].rule, rule) == 0 &&
		    strcmp(a[i].subject, subject) == 0)
			return a[i].state;
	return "(none)";
}

static int64_t id_of(const char *run, const char *rule, const char *subject)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(store->db,
					    "SELECT id FROM alerts WHERE"
					    " run_key = ?1 AND rule = ?2"
					    " AND subject = ?3",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, subject, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int ack(int64_t id, const char *by, const char *note)
{
	struct fail f;
	fail_init(&f);
	int rc = store_alert_ack(store, id, by, note, &f);
	if (rc < 0)
		fail_msg("store_alert_ack: %s", f.msg);
	return rc;
}

/* --- sync ---------------------------------------------------------------- */

static void test_sync_inserts(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	size_t n;
	sync_run("r07", a, 2);
	struct stored_alert *s = list(NULL, &n);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].rule, "tpr_drop");
	assert_string_equal(s[0].run_key, "r07");
	assert_string_equal(s[0].baseline_key, "base");
	assert_string_equal(s[0].severity, "critical");
	assert_string_equal(s[0].state, "firing");
	assert_string_equal(s[0].subject, "sex/sex=F");
	assert_string_equal(s[0].message, "tpr_drop of sex/sex=F");
	assert_string_equal(s[0].details, "{\"baseline\": 0.8, \"candidate\": "
			    "0.72, \"threshold\": 0.05}");
	assert_string_equal(s[0].first_seen, s[0].last_seen);
	assert_null(s[0].acknowledged_by);
	assert_null(s[0].acknowledged_at);
	assert_null(s[0].ack_note);
	assert_string_equal(s[1].rule, "psi_shares");
	assert_string_equal(s[1].severity, "warning");
	assert_string_equal(s[1].details, "{\"baseline\": null, \"candidate\": "
			    "0.12, \"threshold\": 0.1}");
	stored_alerts_free(s, n);

	/* no baseline: NULL */
	const struct alert_new b[] = {
		alert(ALERT_CRITICAL, "beta_factor", "", RATE_UNDEFINED,
		      RATE_UNDEFINED, RATE_UNDEFINED),
	};
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_alerts_sync(store, "r08", NULL, b, 1, &f), 0);
	s = list(NULL, &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].run_key, "r08") == 0) {
			assert_null(s[i].baseline_key);
			assert_string_equal(s[i].details,
					    "{\"baseline\": null, \"candidate\":"
					    " null, \"threshold\": null}");
		}
	stored_alerts_free(s, n);
}

static void test_sync_no_duplicates(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	sync_run("r07", a, 2);
	int64_t first = id_of("r07", "tpr_drop", "sex/sex=F");
	sync_run("r07", a, 2);
	age("r07");
	sync_run("r07", a, 2);
	assert_int_equal(count("SELECT count(*) FROM alerts"), 2);
	assert_int_equal(count("SELECT count(*) FROM alerts"
			       " WHERE state = 'firing'"), 2);
	assert_int_equal(id_of("r07", "tpr_drop", "sex/sex=F"), first);
	/* last_seen moved on, first_seen stayed */
	assert_int_equal(count("SELECT count(*) FROM alerts"
			       " WHERE last_seen = '2000-01-01T00:00:00Z'"), 0);

	/* the same rule and subject in another run is another alert */
	sync_run("r08", a, 1);
	assert_int_equal(count("SELECT count(*) FROM alerts"), 3);

	/* a new severity and message replace the old ones */
	struct alert_new louder = alert(ALERT_CRITICAL, "psi_shares", "sex",
					RATE_UNDEFINED, 0.3, 0.25);
	const struct alert_new both[] = {a[0], louder};
	sync_run("r07", both, 2);
	size_t n;
	struct stored_alert *s = list(NULL, &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].run_key, "r07") == 0 &&
		    strcmp(s[i].rule, "psi_shares") == 0) {
			assert_string_equal(s[i].severity, "critical");
			assert_string_equal(s[i].details,
					    "{\"baseline\": null, \"candidate\":"
					    " 0.3, \"threshold\": 0.25}");
		}
	stored_alerts_free(s, n);
}

static void test_sync_resolves(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	const struct alert_new other[] = {
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	size_t n;
	sync_run("r07", a, 2);
	sync_run("r08", other, 1);

	/* tpr_drop no longer raised a sync later: resolved; psi_shares
	 * raised again: firing; r08's alert is not r07's business */
	age("r07");
	age("r08");
	sync_run("r07", a + 1, 1);
	struct stored_alert *s = list(NULL, &n);
	assert_int_equal(n, 3);
	assert_string_equal(state_of(s, n, "r07", "tpr_drop", "sex/sex=F"),
			    "resolved");
	assert_string_equal(state_of(s, n, "r07", "psi_shares", "sex"),
			    "firing");
	assert_string_equal(state_of(s, n, "r08", "psi_shares", "sex"),
			    "firing");
	stored_alerts_free(s, n);

	/* nothing raised at all: every alert of the run resolves */
	age("r07");
	sync_run("r07", NULL, 0);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state = 'resolved'"), 2);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r08' AND state = 'firing'"), 1);
}

static void test_resolved_fires_again(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
	};
	sync_run("r07", a, 1);
	int64_t id = id_of("r07", "tpr_drop", "sex/sex=F");
	age("r07");
	sync_run("r07", NULL, 0);
	assert_int_equal(count("SELECT count(*) FROM alerts"
			       " WHERE state = 'resolved'"), 1);
	sync_run("r07", a, 1);
	assert_int_equal(count("SELECT count(*) FROM alerts"), 1);
	assert_int_equal(count("SELECT count(*) FROM alerts"
			       " WHERE state = 'firing'"), 1);
	assert_int_equal(id_of("r07", "tpr_drop", "sex/sex=F"), id);

	/* acknowledged, resolved, raised again: it fires as a new alert
	 * would, without the old acknowledgement (that stays in the audit
	 * log), and can be acknowledged again */
	assert_int_equal(ack(id, "alice", "on it"), 0);
	age("r07");
	sync_run("r07", NULL, 0);
	sync_run("r07", a, 1);
	size_t n;
	struct stored_alert *s = list(NULL, &n);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].state, "firing");
	assert_null(s[0].acknowledged_by);
	assert_null(s[0].acknowledged_at);
	assert_null(s[0].ack_note);
	stored_alerts_free(s, n);
	assert_int_equal(ack(id, "bob", "again"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_log"
			       " WHERE action = 'ack'"), 2);
}

static void test_acknowledged_stays(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
	};
	sync_run("r07", a, 1);
	int64_t id = id_of("r07", "tpr_drop", "sex/sex=F");
	assert_int_equal(ack(id, "alice", "looking into it"), 0);
	sync_run("r07", a, 1);
	age("r07");
	sync_run("r07", a, 1);
	size_t n;
	struct stored_alert *s = list(NULL, &n);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].state, "acknowledged");
	assert_string_equal(s[0].acknowledged_by, "alice");
	assert_string_equal(s[0].ack_note, "looking into it");
	assert_non_null(s[0].acknowledged_at);
	stored_alerts_free(s, n);
}

/* --- acknowledging ------------------------------------------------------ */

static void test_ack(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	sync_run("r07", a, 2);
	int64_t drop = id_of("r07", "tpr_drop", "sex/sex=F");
	int64_t psi = id_of("r07", "psi_shares", "sex");
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 0);

	/* 0: done, one audit row with actor and note */
	assert_int_equal(ack(drop, "alice", "rolling back r07"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 1);
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_audit_list(store, &rows, &n, &f), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].actor, "alice");
	assert_string_equal(rows[0].action, "ack");
	assert_string_equal(rows[0].run_key, "r07");
	assert_string_equal(rows[0].reason, "rolling back r07");
	char details[64];
	snprintf(details, sizeof details, "{\"alert\": %lld}", (long long)drop);
	assert_string_equal(rows[0].details, details);
	audit_rows_free(rows, n);

	/* 2: already acknowledged; nothing changes, no audit row */
	assert_int_equal(ack(drop, "bob", "me too"), 2);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 1);
	assert_int_equal(count("SELECT count(*) FROM alerts"
			       " WHERE acknowledged_by = 'alice'"), 1);

	/* 1: no such alert */
	assert_int_equal(ack(drop + psi + 100, "alice", "?"), 1);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 1);

	/* 2: resolved */
	age("r07");
	sync_run("r07", NULL, 0);
	assert_int_equal(ack(psi, "alice", "late"), 2);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 1);

	/* a note may be absent */
	sync_run("r07", a + 1, 1);
	assert_int_equal(ack(psi, "carol", NULL), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 2);
	assert_int_equal(count("SELECT count(*) FROM audit_log"
			       " WHERE actor = 'carol' AND reason IS NULL"), 1);

	/* the chain still holds */
	int64_t bad = 0;
	char why[256];
	assert_int_equal(store_audit_verify(store, &bad, why, sizeof why, &f),
			 0);
}

/* --- listing ------------------------------------------------------------ */

static void test_list_order_and_filter(void **state)
{
	(void)state;
	/* r07: two critical and two warnings; r08: one of each */
	const struct alert_new a[] = {
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "low_n", "age", RATE_UNDEFINED, 0.3, 0.1),
		alert(ALERT_CRITICAL, "fewer_rows", "", 200, 199,
		      RATE_UNDEFINED),
	};
	const struct alert_new b[] = {
		alert(ALERT_WARNING, "psi_scores", "sex/sex=M", RATE_UNDEFINED,
		      0.2, 0.1),
		alert(ALERT_CRITICAL, "missing_group", "sex/sex=X", 40, 0,
		      RATE_UNDEFINED),
	};
	sync_run("r07", a, 4);
	sync_run("r08", b, 2);
	/* r07: acknowledge a warning and a critical; r08: resolve the
	 * warning */
	assert_int_equal(ack(id_of("r07", "low_n", "age"), "alice", NULL), 0);
	assert_int_equal(ack(id_of("r07", "fewer_rows", ""), "alice", NULL), 0);
	age("r08");
	sync_run("r08", b + 1, 1);

	size_t n;
	struct stored_alert *s = list(NULL, &n);
	assert_int_equal(n, 6);
	/* firing critical, firing warning, acknowledged critical,
	 * acknowledged warning, resolved; within a class newest first,
	 * and alerts of one sync share first_seen, so by id: r08's
	 * missing_group (id 6) before r07's tpr_drop (id 2) */
	static const char *const want[][3] = {
		{"firing", "critical", "missing_group"},
		{"firing", "critical", "tpr_drop"},
		{"firing", "warning", "psi_shares"},
		{"acknowledged", "critical", "fewer_rows"},
		{"acknowledged", "warning", "low_n"},
		{"resolved", "warning", "psi_scores"},
	};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(s[i].state, want[i][0]);
		assert_string_equal(s[i].severity, want[i][1]);
		assert_string_equal(s[i].rule, want[i][2]);
	}
	stored_alerts_free(s, n);

	s = list("firing", &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(s[i].state, "firing");
	assert_string_equal(s[0].rule, "missing_group");
	stored_alerts_free(s, n);
	s = list("acknowledged", &n);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].rule, "fewer_rows");
	stored_alerts_free(s, n);
	s = list("resolved", &n);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].rule, "psi_scores");
	stored_alerts_free(s, n);
	s = list("nonsense", &n);
	assert_int_equal(n, 0);
	stored_alerts_free(s, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sync_inserts, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_sync_no_duplicates,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_sync_resolves, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_resolved_fires_again,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_acknowledged_stays,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_ack, tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_list_order_and_filter,
						tmp_make, tmp_done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
