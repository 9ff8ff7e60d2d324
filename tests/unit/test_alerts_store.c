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
 * The lifecycle (schema 7): began_at stored for new alerts and kept; a
 * resolution records when and why, and is cleared when the alert fires
 * again; store_alerts_resolve_run() resolves a run's open alerts inside
 * or outside the caller's transaction; store_alerts_ack_run()
 * acknowledges a run's firing alerts with one audit entry;
 * store_alert_counts_split() counts production apart from candidates;
 * a store at schema 6 migrates with began_at taken from its runs.
 *
 * About time: sync resolves the run's alerts it did not raise, however
 * soon after the previous sync.  Some tests move last_seen of the
 * run's alerts to 2000-01-01 through SQL (age()), as if the earlier
 * sync had been long ago, to check that sync sets it again.  No
 * assertion depends on the wall clock.
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
#include "storage/schema.h"
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
	/* the message lives as long as the test: a ring of them */
	static char message[256][128];
	static size_t next;
	char *m = message[next++ % 256];
	snprintf(m, sizeof message[0], "%s of %s", rule, subject);
	a.subject = subject;
	a.message = m;
	a.baseline = baseline;
	a.candidate = candidate;
	a.threshold = threshold;
	return a;
}

static void sync_run(const char *run, const struct alert_new *a, size_t n)
{
	struct fail f;
	fail_init(&f);
	if (store_alerts_sync(store, run, "base", "2026-01-18T11:00:00Z", a, n,
			      &f) != 0)
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
	assert_int_equal(store_alerts_sync(store, "r08", NULL, NULL, b, 1, &f),
			 0);
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

/* --- the lifecycle (schema 7) -------------------------------------------- */

static const char reason_rollback[] =
	"resolved by rollback #4 by lead: r02 replaced r07 in production";

static void sync_began(const char *run, const char *began,
		       const struct alert_new *a, size_t n)
{
	struct fail f;
	fail_init(&f);
	if (store_alerts_sync(store, run, "base", began, a, n, &f) != 0)
		fail_msg("store_alerts_sync: %s", f.msg);
}

/* The one alert (run, rule, subject) as listed; caller frees the list
 * (*all, *n). */
static struct stored_alert *find(const char *run, const char *rule,
				 const char *subject,
				 struct stored_alert **all, size_t *n)
{
	*all = list(NULL, n);
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*all)[i].run_key, run) == 0 &&
		    strcmp((*all)[i].rule, rule) == 0 &&
		    strcmp((*all)[i].subject, subject) == 0)
			return &(*all)[i];
	fail_msg("no alert %s %s %s", run, rule, subject);
	return NULL;
}

static size_t resolve_run(const char *run, const char *reason)
{
	struct fail f;
	size_t k = 12345;
	fail_init(&f);
	if (store_alerts_resolve_run(store, run, reason, 0, &k, &f) != 0)
		fail_msg("store_alerts_resolve_run: %s", f.msg);
	return k;
}

static struct alert_split split(const char *production)
{
	struct alert_split x;
	struct fail f;
	fail_init(&f);
	if (store_alert_counts_split(store, production, &x, &f) != 0)
		fail_msg("store_alert_counts_split: %s", f.msg);
	return x;
}

static void test_began_at_stored_and_kept(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	struct stored_alert *all, *x;
	size_t n;
	sync_began("r07", "2026-01-18T11:00:00Z", a, 1);
	x = find("r07", "tpr_drop", "sex/sex=F", &all, &n);
	assert_string_equal(x->began_at, "2026-01-18T11:00:00Z");
	/* first_seen is when fairtop recorded it, not the run's time */
	assert_string_not_equal(x->first_seen, x->began_at);
	assert_null(x->resolved_at);
	assert_null(x->resolved_reason);
	stored_alerts_free(all, n);

	/* raised again with another time: began_at kept; a new alert of
	 * the same sync takes the new time */
	age("r07");
	sync_began("r07", "2026-02-01T00:00:00Z", a, 2);
	x = find("r07", "tpr_drop", "sex/sex=F", &all, &n);
	assert_string_equal(x->began_at, "2026-01-18T11:00:00Z");
	stored_alerts_free(all, n);
	x = find("r07", "psi_shares", "sex", &all, &n);
	assert_string_equal(x->began_at, "2026-02-01T00:00:00Z");
	stored_alerts_free(all, n);

	/* no time given: NULL, then filled by the first sync that has one;
	 * a sync without one keeps what is recorded */
	sync_began("r08", NULL, a, 1);
	x = find("r08", "tpr_drop", "sex/sex=F", &all, &n);
	assert_null(x->began_at);
	stored_alerts_free(all, n);
	sync_began("r08", "2026-01-21T16:00:00Z", a, 1);
	sync_began("r08", NULL, a, 1);
	x = find("r08", "tpr_drop", "sex/sex=F", &all, &n);
	assert_string_equal(x->began_at, "2026-01-21T16:00:00Z");
	stored_alerts_free(all, n);
	sync_began("r07", NULL, a, 2);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND began_at IS NULL"), 0);
}

static void test_sync_resolution_recorded_and_cleared(void **state)
{
	(void)state;
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
	};
	struct stored_alert *all, *x;
	size_t n;
	sync_run("r07", a, 2);
	sync_run("r07", a + 1, 1);
	x = find("r07", "tpr_drop", "sex/sex=F", &all, &n);
	assert_string_equal(x->state, "resolved");
	assert_non_null(x->resolved_at);
	assert_string_equal(x->resolved_reason,
			    "no longer raised by the latest evaluation");
	stored_alerts_free(all, n);
	x = find("r07", "psi_shares", "sex", &all, &n);
	assert_null(x->resolved_at);
	assert_null(x->resolved_reason);
	stored_alerts_free(all, n);

	/* resolved with a reason, raised again: firing, no resolution */
	assert_int_equal(resolve_run("r07", reason_rollback), 1);
	sync_run("r07", a, 2);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " state = 'firing'"), 2);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " resolved_at IS NOT NULL"
			       " OR resolved_reason IS NOT NULL"), 0);
}

/* r07: firing critical, firing warning, acknowledged critical, and one
 * resolved by sync; r08: two firing. */
static void lifecycle_store(void)
{
	const struct alert_new a[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
		alert(ALERT_CRITICAL, "dp_ratio", "sex", 0.9, 0.7, 0.8),
		alert(ALERT_CRITICAL, "fewer_rows", "", 200, 199,
		      RATE_UNDEFINED),
	};
	sync_run("r07", a, 4);
	sync_run("r07", a, 3); /* fewer_rows resolved */
	assert_int_equal(ack(id_of("r07", "dp_ratio", "sex"), "alice",
			     "looking"), 0);
	sync_run("r08", a, 2);
}

static void test_resolve_run(void **state)
{
	(void)state;
	lifecycle_store();
	struct stored_alert *all, *x;
	size_t n;
	assert_int_equal(resolve_run("r07", reason_rollback), 3);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state != 'resolved'"), 0);
	const char *const rules[][2] = {{"tpr_drop", "sex/sex=F"},
					{"psi_shares", "sex"},
					{"dp_ratio", "sex"}};
	for (size_t i = 0; i < 3; i++) {
		x = find("r07", rules[i][0], rules[i][1], &all, &n);
		assert_string_equal(x->state, "resolved");
		assert_string_equal(x->resolved_reason, reason_rollback);
		assert_non_null(x->resolved_at);
		stored_alerts_free(all, n);
	}
	/* the acknowledgement stays on record */
	x = find("r07", "dp_ratio", "sex", &all, &n);
	assert_string_equal(x->acknowledged_by, "alice");
	assert_string_equal(x->ack_note, "looking");
	stored_alerts_free(all, n);
	/* already resolved: left with its own reason */
	x = find("r07", "fewer_rows", "", &all, &n);
	assert_string_equal(x->resolved_reason,
			    "no longer raised by the latest evaluation");
	stored_alerts_free(all, n);
	/* another run: untouched */
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r08' AND state = 'firing'"
			       " AND resolved_at IS NULL"), 2);
	/* again, or a run without alerts: nothing to resolve */
	assert_int_equal(resolve_run("r07", reason_rollback), 0);
	assert_int_equal(resolve_run("r99", reason_rollback), 0);
	/* no audit row: resolving is the deploy's or rollback's record */
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 1);
	/* the count may be left out */
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_alerts_resolve_run(store, "r08", "gone", 0, NULL,
						  &f), 0);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r08' AND resolved_reason = 'gone'"),
			 2);
}

static void test_resolve_run_in_transaction(void **state)
{
	(void)state;
	lifecycle_store();
	struct fail f;
	fail_init(&f);
	/* inside the caller's transaction: part of it, rolled back with it */
	assert_int_equal(store_begin(store, &f), 0);
	assert_int_equal(resolve_run("r07", reason_rollback), 3);
	assert_true(store_in_transaction(store));
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state = 'resolved'"), 4);
	store_rollback(store);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state = 'resolved'"), 1);
	/* committed with it */
	assert_int_equal(store_begin(store, &f), 0);
	assert_int_equal(resolve_run("r07", reason_rollback), 3);
	assert_int_equal(store_commit(store, &f), 0);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state = 'resolved'"), 4);
	/* outside one: its own, committed */
	assert_false(store_in_transaction(store));
	assert_int_equal(resolve_run("r08", reason_rollback), 2);
	assert_false(store_in_transaction(store));
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " state != 'resolved'"), 0);
}

static void test_ack_run(void **state)
{
	(void)state;
	lifecycle_store();
	int64_t drop = id_of("r07", "tpr_drop", "sex/sex=F");
	int64_t psi = id_of("r07", "psi_shares", "sex");
	struct fail f;
	size_t acked = 99;
	int64_t entry = -1;
	fail_init(&f);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 1);

	/* the two firing alerts of r07, one audit entry */
	assert_int_equal(store_alerts_ack_run(store, "r07", "lead",
					      "rolling back", &acked, &entry,
					      &f), 0);
	assert_int_equal(acked, 2);
	assert_int_equal(entry, 2);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 2);
	struct audit_row *rows = NULL;
	size_t nrows = 0;
	assert_int_equal(store_audit_list(store, &rows, &nrows, &f), 0);
	assert_int_equal(nrows, 2);
	assert_int_equal(rows[1].id, 2);
	assert_string_equal(rows[1].actor, "lead");
	assert_string_equal(rows[1].action, "ack");
	assert_string_equal(rows[1].run_key, "r07");
	assert_string_equal(rows[1].reason, "rolling back");
	char details[128];
	snprintf(details, sizeof details, "{\"alerts\": [%lld,%lld], "
		 "\"count\": 2}", (long long)drop, (long long)psi);
	assert_string_equal(rows[1].details, details);
	audit_rows_free(rows, nrows);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state = 'acknowledged'"
			       " AND acknowledged_by = 'lead'"
			       " AND ack_note = 'rolling back'"
			       " AND acknowledged_at IS NOT NULL"), 2);
	/* the one acknowledged before keeps its acknowledgement; the
	 * resolved one stays resolved; r08 is not r07 */
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND acknowledged_by = 'alice'"
			       " AND state = 'acknowledged'"), 1);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r07' AND state = 'resolved'"
			       " AND acknowledged_at IS NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r08' AND state = 'firing'"), 2);

	/* nothing firing any more: 0, no entry */
	acked = 99;
	entry = -1;
	assert_int_equal(store_alerts_ack_run(store, "r07", "lead", NULL,
					      &acked, &entry, &f), 0);
	assert_int_equal(acked, 0);
	assert_int_equal(entry, 0);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 2);

	/* a run with no alerts at all: 1, nothing changed */
	assert_int_equal(store_alerts_ack_run(store, "r99", "lead", NULL,
					      &acked, NULL, &f), 1);
	assert_int_equal(acked, 0);
	assert_int_equal(count("SELECT count(*) FROM audit_log"), 2);

	/* without a note, without asking for the entry's id */
	assert_int_equal(store_alerts_ack_run(store, "r08", "bob", NULL,
					      &acked, NULL, &f), 0);
	assert_int_equal(acked, 2);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE"
			       " actor = 'bob' AND reason IS NULL"
			       " AND run_key = 'r08'"), 1);

	/* the chain still holds */
	int64_t bad = 0;
	char why[256];
	assert_int_equal(store_audit_verify(store, &bad, why, sizeof why, &f),
			 0);
}

static void test_counts_split(void **state)
{
	(void)state;
	const struct alert_new crit[] = {
		alert(ALERT_CRITICAL, "tpr_drop", "sex/sex=F", 0.8, 0.72, 0.05),
		alert(ALERT_CRITICAL, "dp_ratio", "sex", 0.9, 0.7, 0.8),
		alert(ALERT_CRITICAL, "dp_difference", "sex", 0, 0.2, 0.1),
		alert(ALERT_CRITICAL, "eo_difference", "sex", 0, 0.2, 0.1),
	};
	const struct alert_new warn[] = {
		alert(ALERT_WARNING, "psi_shares", "sex", RATE_UNDEFINED, 0.12,
		      0.1),
		alert(ALERT_WARNING, "psi_scores", "sex/sex=F", RATE_UNDEFINED,
		      0.12, 0.1),
		alert(ALERT_WARNING, "low_n", "age", RATE_UNDEFINED, 0.3, 0.1),
	};
	/* r04 (production): 4 critical (one then acknowledged) and 3
	 * warnings (one then resolved): firing 3 critical, 2 warning */
	struct alert_new r04[7];
	memcpy(r04, crit, sizeof crit);
	memcpy(r04 + 4, warn, sizeof warn);
	sync_run("r04", r04, 7);
	sync_run("r04", r04, 6); /* low_n resolved */
	assert_int_equal(ack(id_of("r04", "eo_difference", "sex"), "a", NULL),
			 0);
	/* r05: 2 critical, 1 warning firing */
	const struct alert_new r05[] = {crit[0], crit[1], warn[0]};
	sync_run("r05", r05, 3);
	/* r06: 1 warning firing, no critical */
	sync_run("r06", warn + 1, 1);
	/* r07: 1 critical, acknowledged: not firing */
	sync_run("r07", crit, 1);
	assert_int_equal(ack(id_of("r07", "tpr_drop", "sex/sex=F"), "a", NULL),
			 0);
	/* r08: 1 critical firing */
	sync_run("r08", crit + 2, 1);

	struct alert_split x = split("r04");
	assert_int_equal(x.prod_critical, 3);
	assert_int_equal(x.prod_warning, 2);
	assert_int_equal(x.cand_critical, 3);      /* r05 2, r08 1 */
	assert_int_equal(x.cand_warning, 2);       /* r05 1, r06 1 */
	assert_int_equal(x.cand_runs_critical, 2); /* r05, r08 */

	/* production r05 */
	x = split("r05");
	assert_int_equal(x.prod_critical, 2);
	assert_int_equal(x.prod_warning, 1);
	assert_int_equal(x.cand_critical, 4);
	assert_int_equal(x.cand_warning, 3);
	assert_int_equal(x.cand_runs_critical, 2); /* r04, r08 */

	/* nothing deployed (NULL or ""), or production without alerts:
	 * every firing alert is a candidate's */
	const char *none[] = {NULL, "", "r99", "r07"};
	for (size_t i = 0; i < 4; i++) {
		x = split(none[i]);
		assert_int_equal(x.prod_critical, 0);
		assert_int_equal(x.prod_warning, 0);
		assert_int_equal(x.cand_critical, 6);
		assert_int_equal(x.cand_warning, 4);
		assert_int_equal(x.cand_runs_critical, 3);
	}

	/* the total agrees with store_alert_counts() */
	size_t critical, other;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_alert_counts(store, &critical, &other, &f), 0);
	assert_int_equal(critical, 6);
	assert_int_equal(other, 4);

	/* every open alert resolved (r04: 5 firing, 1 acknowledged):
	 * nothing counted */
	assert_int_equal(resolve_run("r04", "x") + resolve_run("r05", "x") +
				 resolve_run("r06", "x") +
				 resolve_run("r07", "x") +
				 resolve_run("r08", "x"),
			 6 + 3 + 1 + 1 + 1);
	x = split("r04");
	assert_int_equal(x.prod_critical + x.prod_warning + x.cand_critical +
				 x.cand_warning + x.cand_runs_critical,
			 0);
}

/* Run sql on db, failing the test with SQLite's message. */
static void exec_or_fail(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void test_migration_from_6(void **state)
{
	(void)state;
	char path[128];
	sqlite3 *db = NULL;
	/* a store as fairtop left it at schema 6, with an alert of a run
	 * it holds and one of a run since removed */
	snprintf(path, sizeof path, "%s/v6.db", tmpdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_or_fail(db, "BEGIN");
	for (int k = 1; k <= 6; k++)
		exec_or_fail(db, schema_migration(k));
	exec_or_fail(db, "PRAGMA user_version = 6");
	exec_or_fail(db,
		     "INSERT INTO runs (run_key, model, started_at,"
		     " positive_label, source, evaluation, ingested_at)"
		     " VALUES ('r04', 'm', '2026-01-18T11:00:00Z', '1', 'x',"
		     " 'none', '2026-12-01T00:00:00Z')");
	exec_or_fail(db,
		     "INSERT INTO alerts (run_key, rule, severity, state,"
		     " first_seen, last_seen) VALUES"
		     " ('r04', 'tpr_drop', 'critical', 'firing',"
		     "  '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'),"
		     " ('r04', 'dp_ratio', 'critical', 'resolved',"
		     "  '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'),"
		     " ('gone', 'dp_ratio', 'warning', 'firing',"
		     "  '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')");
	exec_or_fail(db, "COMMIT");
	sqlite3_close(db);

	struct store *old = NULL;
	struct fail f;
	fail_init(&f);
	if (store_open(path, STORE_OPEN_EXISTING, &old, &f) != 0)
		fail_msg("store_open: %s", f.msg);
	struct store *keep = store;
	store = old; /* for count() and list() */
	assert_int_equal(count("PRAGMA user_version"), schema_version());
	assert_true(schema_version() >= 7);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'r04'"
			       " AND began_at = '2026-01-18T11:00:00Z'"), 2);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " run_key = 'gone' AND began_at IS NULL"), 1);
	assert_int_equal(count("SELECT count(*) FROM alerts WHERE"
			       " resolved_at IS NOT NULL"
			       " OR resolved_reason IS NOT NULL"), 0);
	/* the kept verdicts' table, empty, by its columns */
	assert_int_equal(count("SELECT count(*) FROM pragma_table_info("
			       "'verdicts') WHERE name IN ('run_id',"
			       " 'baseline_id', 'policy_digest', 'passed',"
			       " 'fails', 'first')"),
			 6);
	assert_int_equal(count("SELECT count(*) FROM verdicts"), 0);
	size_t n;
	struct stored_alert *a = list(NULL, &n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_null(a[i].resolved_at);
		assert_null(a[i].resolved_reason);
		if (strcmp(a[i].run_key, "r04") == 0)
			assert_string_equal(a[i].began_at,
					    "2026-01-18T11:00:00Z");
		else
			assert_null(a[i].began_at);
	}
	stored_alerts_free(a, n);
	/* and the migrated store works as a new one */
	assert_int_equal(resolve_run("r04", reason_rollback), 1);
	store = keep;
	store_free(old);
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
		cmocka_unit_test_setup_teardown(test_began_at_stored_and_kept,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(
			test_sync_resolution_recorded_and_cleared, tmp_make,
			tmp_done),
		cmocka_unit_test_setup_teardown(test_resolve_run, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(
			test_resolve_run_in_transaction, tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_ack_run, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_counts_split, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_migration_from_6,
						tmp_make, tmp_done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
