/*
 * alerts_store.c — alert state in the store.  See alerts_store.h.
 */
#include "storage/alerts_store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/number.h"
#include "core/strbuf.h"
#include "storage/audit.h"

/* {"baseline": x, "candidate": y, "threshold": z} with null for
 * undefined values; numbers exact. */
static void details_json(const struct alert_new *a, char *buf, size_t size)
{
	char text[3][40];
	const double v[3] = {a->baseline, a->candidate, a->threshold};
	for (int i = 0; i < 3; i++) {
		if (v[i] != v[i])
			snprintf(text[i], sizeof text[i], "null");
		else
			number_format_shortest(text[i], sizeof text[i], v[i]);
	}
	snprintf(buf, size,
		 "{\"baseline\": %s, \"candidate\": %s, \"threshold\": %s}",
		 text[0], text[1], text[2]);
}

/* Why store_alerts_sync() resolves an alert. */
static const char no_longer_raised[] =
	"no longer raised by the latest evaluation";

int store_alerts_sync(struct store *s, const char *run_key,
		      const char *baseline_key, const char *began_at,
		      const struct alert_new *a, size_t n, struct fail *f)
{
	assert(run_key != NULL && (n == 0 || a != NULL));
	/* a resolved alert raised again fires afresh: an earlier
	 * acknowledgement was of the earlier firing (the audit log keeps
	 * it), and left in place would show a firing alert as
	 * acknowledged; its resolution is over.  began_at stays as first
	 * recorded (filled only where none was).  SET expressions see the
	 * row as it was, so `state` is the old state in each CASE. */
	static const char upsert[] =
		"INSERT INTO alerts (run_key, rule, severity, state, subject,"
		" details, first_seen, last_seen, baseline_key, message,"
		" began_at)"
		" VALUES (?1, ?2, ?3, 'firing', ?4, ?5, ?6, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (run_key, rule, subject) DO UPDATE SET"
		" severity = excluded.severity, details = excluded.details,"
		" last_seen = excluded.last_seen,"
		" baseline_key = excluded.baseline_key,"
		" message = excluded.message,"
		" began_at = coalesce(began_at, excluded.began_at),"
		" resolved_at = CASE WHEN state = 'resolved' THEN NULL"
		"  ELSE resolved_at END,"
		" resolved_reason = CASE WHEN state = 'resolved' THEN NULL"
		"  ELSE resolved_reason END,"
		" resolved_by_deployment = CASE WHEN state = 'resolved'"
		"  THEN NULL ELSE resolved_by_deployment END,"
		" acknowledged_by = CASE WHEN state = 'resolved' THEN NULL"
		"  ELSE acknowledged_by END,"
		" acknowledged_at = CASE WHEN state = 'resolved' THEN NULL"
		"  ELSE acknowledged_at END,"
		" ack_note = CASE WHEN state = 'resolved' THEN NULL"
		"  ELSE ack_note END,"
		" state = CASE WHEN state = 'resolved' THEN 'firing'"
		"  ELSE state END"
		" RETURNING id";
	/* the alerts of the run this evaluation did not raise */
	static const char resolve[] =
		"UPDATE alerts SET state = 'resolved', resolved_at = ?3,"
		" resolved_reason = ?4"
		" WHERE run_key = ?1 AND state != 'resolved'"
		" AND id NOT IN (SELECT value FROM json_each(?2))";
	sqlite3_stmt *st = NULL;
	char now[32], details[256];
	int own = sqlite3_get_autocommit(s->db);
	int rc = -1;
	/* the ids raised, as a JSON array for json_each() */
	size_t ids_size = 16 + n * 24;
	char *ids = malloc(ids_size);
	size_t ids_used = 0;
	if (ids == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	ids_used += (size_t)snprintf(ids, ids_size, "[");
	store_now(now, sizeof now);
	if (own && store_begin(s, f) != 0) {
		free(ids);
		return -1;
	}
	if (store_cached_rc(s, STORE_ALERTS_UPSERT, upsert, &st) != SQLITE_OK) {
		store_fail(s, f, "recording alerts");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		assert(a[i].subject != NULL && a[i].message != NULL);
		details_json(&a[i], details, sizeof details);
		sqlite3_bind_text(st, 1, run_key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, a[i].rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, alert_severity_name(a[i].severity), -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 4, a[i].subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, details, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
		if (baseline_key)
			sqlite3_bind_text(st, 7, baseline_key, -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 7);
		sqlite3_bind_text(st, 8, a[i].message, -1, SQLITE_STATIC);
		if (began_at)
			sqlite3_bind_text(st, 9, began_at, -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 9);
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			ids_used += (size_t)snprintf(
				ids + ids_used, ids_size - ids_used, "%s%lld",
				ids_used > 1 ? "," : "",
				(long long)sqlite3_column_int64(st, 0));
		while (step == SQLITE_ROW)
			step = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (step != SQLITE_DONE) {
			store_fail(s, f, "recording alerts");
			goto out;
		}
	}
	store_cached_done(st);
	st = NULL;
	snprintf(ids + ids_used, ids_size - ids_used, "]");
	if (store_cached_rc(s, STORE_ALERTS_RESOLVE, resolve, &st) !=
	    SQLITE_OK) {
		store_fail(s, f, "resolving alerts");
		goto out;
	}
	sqlite3_bind_text(st, 1, run_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ids, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, no_longer_raised, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "resolving alerts");
		goto out;
	}
	rc = 0;
out:
	store_cached_done(st);
	free(ids);
	return store_end(s, own, rc, f);
}

/* Run the UPDATE st (prepared and bound; finalised here) in the
 * caller's transaction when one is open, else in its own; *changed (may
 * be NULL) gets the rows it changed.  what names it in a failure. */
static int update_in_transaction(struct store *s, sqlite3_stmt *st,
				 const char *what, size_t *changed,
				 struct fail *f)
{
	int own = !store_in_transaction(s);
	int rc = -1;
	if (changed)
		*changed = 0;
	if (st == NULL) {
		store_fail(s, f, what);
		return -1;
	}
	if (own && store_begin(s, f) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, what);
	} else {
		if (changed)
			*changed = (size_t)sqlite3_changes(s->db);
		rc = 0;
	}
	sqlite3_finalize(st);
	return store_end(s, own, rc, f);
}

int store_alerts_resolve_run(struct store *s, const char *run_key,
			     const char *reason, int64_t deployment,
			     size_t *resolved, struct fail *f)
{
	static const char sql[] =
		"UPDATE alerts SET state = 'resolved', resolved_at = ?2,"
		" resolved_reason = ?3, resolved_by_deployment = ?4"
		" WHERE run_key = ?1 AND state IN ('firing', 'acknowledged')";
	sqlite3_stmt *st = NULL;
	char now[32];
	store_now(now, sizeof now);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, run_key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		if (reason)
			sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
		if (deployment > 0)
			sqlite3_bind_int64(st, 4, deployment);
	}
	return update_in_transaction(s, st, "resolving the run's alerts",
				     resolved, f);
}

int store_alerts_reopen_run(struct store *s, const char *run_key,
			    size_t *reopened, struct fail *f)
{
	static const char sql[] =
		"UPDATE alerts SET state = 'firing', resolved_at = NULL,"
		" resolved_reason = NULL, resolved_by_deployment = NULL,"
		" acknowledged_by = NULL, acknowledged_at = NULL,"
		" ack_note = NULL"
		" WHERE run_key = ?1 AND state = 'resolved'"
		" AND resolved_by_deployment IS NOT NULL";
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK)
		sqlite3_bind_text(st, 1, run_key, -1, SQLITE_STATIC);
	return update_in_transaction(s, st, "reopening the run's alerts",
				     reopened, f);
}

void stored_alerts_free(struct stored_alert *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++)
		free(a[i].text);
	free(a);
}

/* The text columns of an alert, from column 1 on, in this order. */
#define ALERT_TEXTS 16

static char **alert_text(struct stored_alert *x, int k)
{
	char **texts[ALERT_TEXTS] = {
		&x->run_key,    &x->baseline_key,    &x->rule,
		&x->severity,   &x->state,           &x->subject,
		&x->message,    &x->details,         &x->first_seen,
		&x->last_seen,  &x->acknowledged_by, &x->acknowledged_at,
		&x->ack_note,   &x->began_at,        &x->resolved_at,
		&x->resolved_reason};
	return texts[k];
}

/* The row at st into x: every string in one block.  -1 when out of
 * memory. */
static int read_alert(sqlite3_stmt *st, struct stored_alert *x)
{
	const char *t[ALERT_TEXTS];
	size_t len[ALERT_TEXTS], total = 0;
	x->id = sqlite3_column_int64(st, 0);
	for (int k = 0; k < ALERT_TEXTS; k++) {
		t[k] = (const char *)sqlite3_column_text(st, k + 1);
		len[k] = t[k] ? strlen(t[k]) : 0;
		total += t[k] ? len[k] + 1 : 0;
	}
	x->text = malloc(total ? total : 1);
	if (x->text == NULL)
		return -1;
	char *at = x->text;
	for (int k = 0; k < ALERT_TEXTS; k++) {
		*alert_text(x, k) = t[k] ? at : NULL;
		if (t[k] != NULL) {
			memcpy(at, t[k], len[k] + 1);
			at += len[k] + 1;
		}
	}
	return 0;
}

/* The columns read_alert() reads, and the listing's order (which the
 * alerts_listing index holds). */
#define ALERT_COLUMNS                                                      \
	"SELECT id, run_key, baseline_key, rule, severity, state,"         \
	" subject, message, details, first_seen, last_seen,"               \
	" acknowledged_by, acknowledged_at, ack_note, began_at,"          \
	" resolved_at, resolved_reason FROM alerts"
#define ALERT_ORDER                                                        \
	" ORDER BY CASE state WHEN 'firing' THEN 0"                        \
	"  WHEN 'acknowledged' THEN 1 ELSE 2 END,"                         \
	" CASE severity WHEN 'critical' THEN 0 ELSE 1 END,"                \
	" first_seen DESC, id DESC"

/* The alerts sql selects; it may bind state as ?1 and run_key as ?2
 * (NULL binds nothing). */
static int list_alerts(struct store *s, const char *sql, const char *state,
		       const char *run_key, struct stored_alert **a,
		       size_t *n, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	struct stored_alert *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*a = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "listing alerts");
	if (state)
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	if (run_key)
		sqlite3_bind_text(st, 2, run_key, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (read_alert(st, &out[count]) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		stored_alerts_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: listing alerts "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	}
	*a = out;
	*n = count;
	return 0;
}

int store_alerts_list(struct store *s, const char *state,
		      struct stored_alert **a, size_t *n, struct fail *f)
{
	static const char sql[] = ALERT_COLUMNS
		" WHERE ?1 IS NULL OR state = ?1" ALERT_ORDER;
	return list_alerts(s, sql, state, NULL, a, n, f);
}

int store_alerts_list_run(struct store *s, const char *run_key,
			  const char *state, struct stored_alert **a,
			  size_t *n, struct fail *f)
{
	/* the run's alerts through alerts_by_run, then sorted */
	static const char sql[] = ALERT_COLUMNS
		" WHERE run_key = ?2 AND (?1 IS NULL OR state = ?1)"
		ALERT_ORDER;
	return list_alerts(s, sql, state, run_key, a, n, f);
}

int store_alerts_acked(struct store *s, struct stored_alert **a, size_t *n,
		       struct fail *f)
{
	static const char sql[] = ALERT_COLUMNS
		" WHERE acknowledged_at IS NOT NULL" ALERT_ORDER;
	return list_alerts(s, sql, NULL, NULL, a, n, f);
}

int store_alert_counts(struct store *s, size_t *critical, size_t *other,
		       struct fail *f)
{
	static const char sql[] =
		"SELECT count(*) FILTER (WHERE severity = 'critical'),"
		" count(*) FROM alerts WHERE state = 'firing'";
	sqlite3_stmt *st = NULL;
	int rc = -1;
	*critical = *other = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 crit = sqlite3_column_int64(st, 0);
		*critical = (size_t)crit;
		*other = (size_t)(sqlite3_column_int64(st, 1) - crit);
		rc = 0;
	} else {
		store_fail(s, f, "counting alerts");
	}
	sqlite3_finalize(st);
	return rc;
}

int store_alert_counts_split(struct store *s, const char *production_key,
			     struct alert_split *out, struct fail *f)
{
	/* one row per (run, critical or not): the firing alerts found
	 * through alerts_by_state, grouped (a few rows per run); production
	 * NULL matches no run */
	static const char sql[] =
		"SELECT run_key IS ?1, severity = 'critical', count(*)"
		" FROM alerts WHERE state = 'firing'"
		" GROUP BY run_key, severity = 'critical'";
	sqlite3_stmt *st = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "counting alerts");
	if (production_key && *production_key)
		sqlite3_bind_text(st, 1, production_key, -1,
				  SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int prod = sqlite3_column_int(st, 0);
		int critical = sqlite3_column_int(st, 1);
		size_t k = (size_t)sqlite3_column_int64(st, 2);
		if (prod && critical)
			out->prod_critical += k;
		else if (prod)
			out->prod_warning += k;
		else if (critical) {
			out->cand_critical += k;
			out->cand_runs_critical++;
		} else
			out->cand_warning += k;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		memset(out, 0, sizeof *out);
		return fail_set(f, FAIL_INTERNAL, "store %s: counting alerts "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	}
	return 0;
}

int store_alert_ack(struct store *s, int64_t id, const char *by,
		    const char *note, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	char now[32], details[128];
	int result = -1;
	if (store_begin(s, f) != 0)
		return -1;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT state, run_key FROM alerts WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "finding the alert");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		result = 1;
		goto out;
	}
	if (step != SQLITE_ROW) {
		store_fail(s, f, "finding the alert");
		goto out;
	}
	char state[32], run_key[512];
	snprintf(state, sizeof state, "%s",
		 (const char *)sqlite3_column_text(st, 0));
	snprintf(run_key, sizeof run_key, "%s",
		 (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	st = NULL;
	if (strcmp(state, "firing") != 0) {
		result = 2;
		goto out;
	}
	store_now(now, sizeof now);
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE alerts SET state = 'acknowledged',"
			       " acknowledged_by = ?2, acknowledged_at = ?3,"
			       " ack_note = ?4 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "acknowledging the alert");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "acknowledging the alert");
		goto out;
	}
	snprintf(details, sizeof details, "{\"alert\": %lld}", (long long)id);
	if (store_audit_append(s, by, "ack", run_key, note, details, NULL,
			       f) != 0)
		goto out;
	result = 0;
out:
	sqlite3_finalize(st);
	if (result == 0) {
		if (store_commit(s, f) != 0)
			result = -1;
	} else {
		store_rollback(s);
	}
	return result;
}

int store_alerts_ack_run(struct store *s, const char *run_key,
			 const char *by, const char *note, size_t *acked,
			 int64_t *audit_id, struct fail *f)
{
	/* every alert of the run, through alerts_by_run: whether it has
	 * any, and which are firing */
	static const char find[] =
		"SELECT id, state = 'firing' FROM alerts WHERE run_key = ?1"
		" ORDER BY id";
	static const char update[] =
		"UPDATE alerts SET state = 'acknowledged',"
		" acknowledged_by = ?2, acknowledged_at = ?3, ack_note = ?4"
		" WHERE run_key = ?1 AND state = 'firing'";
	sqlite3_stmt *st = NULL;
	char now[32];
	/* the ids of the alerts acknowledged as a JSON array, "[3,4,5]" */
	struct strbuf ids = STRBUF_INIT, details = STRBUF_INIT;
	size_t total = 0, firing = 0;
	int own = !store_in_transaction(s);
	int result = -1, step;
	*acked = 0;
	if (audit_id)
		*audit_id = 0;
	if (own && store_begin(s, f) != 0)
		return -1;
	if (strbuf_addch(&ids, '[') != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, find, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "finding the run's alerts");
		goto out;
	}
	sqlite3_bind_text(st, 1, run_key, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		total++;
		if (!sqlite3_column_int(st, 1))
			continue;
		if (strbuf_addf(&ids, "%s%lld", firing ? "," : "",
				(long long)sqlite3_column_int64(st, 0)) != 0) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		firing++;
	}
	if (step != SQLITE_DONE) {
		store_fail(s, f, "finding the run's alerts");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (total == 0) {
		result = 1;
		goto out;
	}
	if (firing == 0) {
		result = 0;
		goto out;
	}
	if (strbuf_addch(&ids, ']') != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	store_now(now, sizeof now);
	if (sqlite3_prepare_v2(s->db, update, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "acknowledging the run's alerts");
		goto out;
	}
	sqlite3_bind_text(st, 1, run_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	if (note)
		sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "acknowledging the run's alerts");
		goto out;
	}
	if (strbuf_addf(&details, "{\"alerts\": %s, \"count\": %zu}", ids.buf,
			firing) != 0) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (store_audit_append(s, by, "ack", run_key, note, details.buf,
			       audit_id, f) != 0)
		goto out;
	*acked = firing;
	result = 0;
out:
	sqlite3_finalize(st);
	strbuf_release(&ids);
	strbuf_release(&details);
	/* 1 (no such run) commits nothing worth keeping, but is no error */
	if (store_end(s, own, result < 0 ? -1 : 0, f) != 0)
		return -1;
	return result;
}

int store_alert_tallies(struct store *s, struct alert_tallies *out,
			struct fail *f)
{
	/* in run_key order, from the alerts_by_run index alone */
	static const char sql[] =
		"SELECT run_key, severity = 'critical', state = 'acknowledged'"
		" FROM alerts WHERE state != 'resolved' ORDER BY run_key";
	sqlite3_stmt *st = NULL;
	size_t *key_at = NULL; /* where each run's key starts in keys */
	size_t cap = 0, at_cap = 0, used = 0, keys_cap = 0;
	int rc;
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "counting alerts");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *text = sqlite3_column_text(st, 0);
		const char *key = text ? (const char *)text : "";
		if (out->n == 0 ||
		    strcmp(out->keys + key_at[out->n - 1], key) != 0) {
			size_t len = strlen(key) + 1;
			if (ARRAY_GROW(out->t, out->n + 1, cap) != 0 ||
			    ARRAY_GROW(key_at, out->n + 1, at_cap) != 0 ||
			    ARRAY_GROW(out->keys, used + len, keys_cap) != 0) {
				rc = SQLITE_NOMEM;
				break;
			}
			memcpy(out->keys + used, key, len);
			key_at[out->n] = used;
			used += len;
			memset(&out->t[out->n++], 0, sizeof *out->t);
		}
		struct alert_tally *t = &out->t[out->n - 1];
		if (sqlite3_column_int(st, 1))
			t->critical++;
		else
			t->warning++;
		t->acknowledged += (size_t)sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	/* the keys have stopped moving */
	for (size_t i = 0; i < out->n; i++)
		out->t[i].run_key = out->keys + key_at[i];
	free(key_at);
	if (rc != SQLITE_DONE) {
		alerts_tally_release(out);
		return fail_set(f, FAIL_INTERNAL, "store %s: counting alerts "
				"failed (%s)", s->path, sqlite3_errstr(rc));
	}
	return 0;
}

int alerts_tallies_equal(const struct alert_tallies *a,
			 const struct alert_tallies *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->t[i].critical != b->t[i].critical ||
		    a->t[i].warning != b->t[i].warning ||
		    a->t[i].acknowledged != b->t[i].acknowledged ||
		    strcmp(a->t[i].run_key, b->t[i].run_key) != 0)
			return 0;
	return 1;
}

const struct alert_tally *alerts_tally_find(const struct alert_tallies *t,
					    const char *run_key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->t[mid].run_key, run_key);
		if (c == 0)
			return &t->t[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void alerts_tally_release(struct alert_tallies *t)
{
	free(t->t);
	free(t->keys);
	memset(t, 0, sizeof *t);
}
