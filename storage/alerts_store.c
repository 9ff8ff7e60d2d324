/*
 * alerts_store.c — alert state in the store.  See alerts_store.h.
 */
#include "storage/alerts_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/number.h"
#include "storage/audit.h"

/* {"baseline": x, "candidate": y, "threshold": z} with null for
 * undefined values; numbers exact. */
static void details_json(const struct alert_new *a, char *buf, size_t size)
{
	char b[40], c[40], t[40];
	const double v[3] = {a->baseline, a->candidate, a->threshold};
	char *out[3] = {b, c, t};
	for (int i = 0; i < 3; i++) {
		if (v[i] != v[i])
			snprintf(out[i], 40, "null");
		else
			number_format_shortest(out[i], 40, v[i]);
	}
	snprintf(buf, size,
		 "{\"baseline\": %s, \"candidate\": %s, \"threshold\": %s}", b,
		 c, t);
}

int store_alerts_sync(struct store *s, const char *run_key,
		      const char *baseline_key, const struct alert_new *a,
		      size_t n, struct fail *f)
{
	/* a resolved alert raised again fires afresh: an earlier
	 * acknowledgement was of the earlier firing (the audit log keeps
	 * it), and left in place would show a firing alert as
	 * acknowledged.  SET expressions see the row as it was, so `state`
	 * is the old state in each CASE. */
	static const char upsert[] =
		"INSERT INTO alerts (run_key, rule, severity, state, subject,"
		" details, first_seen, last_seen, baseline_key, message)"
		" VALUES (?1, ?2, ?3, 'firing', ?4, ?5, ?6, ?6, ?7, ?8)"
		" ON CONFLICT (run_key, rule, subject) DO UPDATE SET"
		" severity = excluded.severity, details = excluded.details,"
		" last_seen = excluded.last_seen,"
		" baseline_key = excluded.baseline_key,"
		" message = excluded.message,"
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
		"UPDATE alerts SET state = 'resolved'"
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
	if (own && store_begin(s, f) != 0)
		return -1;
	if (sqlite3_prepare_v2(s->db, upsert, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "recording alerts");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		details_json(&a[i], details, sizeof details);
		sqlite3_bind_text(st, 1, run_key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, a[i].rule, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, alert_severity_name(a[i].severity), -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 4, a[i].subject, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, details, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
		if (baseline_key)
			sqlite3_bind_text(st, 7, baseline_key, -1,
					  SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 7);
		sqlite3_bind_text(st, 8, a[i].message, -1, SQLITE_TRANSIENT);
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
	sqlite3_finalize(st);
	st = NULL;
	snprintf(ids + ids_used, ids_size - ids_used, "]");
	if (sqlite3_prepare_v2(s->db, resolve, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "resolving alerts");
		goto out;
	}
	sqlite3_bind_text(st, 1, run_key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, ids, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "resolving alerts");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	free(ids);
	if (own) {
		if (rc == 0)
			rc = store_commit(s, f);
		else
			store_rollback(s);
	}
	return rc;
}

void stored_alerts_free(struct stored_alert *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++) {
		char *text[] = {a[i].run_key,        a[i].baseline_key,
				a[i].rule,           a[i].severity,
				a[i].state,          a[i].subject,
				a[i].message,        a[i].details,
				a[i].first_seen,     a[i].last_seen,
				a[i].acknowledged_by, a[i].acknowledged_at,
				a[i].ack_note};
		for (size_t k = 0; k < sizeof text / sizeof *text; k++)
			free(text[k]);
	}
	free(a);
}

int store_alerts_list(struct store *s, const char *state,
		      struct stored_alert **a, size_t *n, struct fail *f)
{
	static const char sql[] =
		"SELECT id, run_key, baseline_key, rule, severity, state,"
		" subject, message, details, first_seen, last_seen,"
		" acknowledged_by, acknowledged_at, ack_note FROM alerts"
		" WHERE ?1 IS NULL OR state = ?1"
		" ORDER BY CASE state WHEN 'firing' THEN 0"
		"  WHEN 'acknowledged' THEN 1 ELSE 2 END,"
		" CASE severity WHEN 'critical' THEN 0 ELSE 1 END,"
		" first_seen DESC, id DESC";
	sqlite3_stmt *st = NULL;
	struct stored_alert *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*a = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "listing alerts");
	if (state)
		sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			size_t c = cap ? cap * 2 : 32;
			struct stored_alert *p = realloc(out, c * sizeof *p);
			if (p == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			out = p;
			cap = c;
		}
		struct stored_alert *x = &out[count++];
		x->id = sqlite3_column_int64(st, 0);
		x->run_key = store_column_strdup(st, 1);
		x->baseline_key = store_column_strdup(st, 2);
		x->rule = store_column_strdup(st, 3);
		x->severity = store_column_strdup(st, 4);
		x->state = store_column_strdup(st, 5);
		x->subject = store_column_strdup(st, 6);
		x->message = store_column_strdup(st, 7);
		x->details = store_column_strdup(st, 8);
		x->first_seen = store_column_strdup(st, 9);
		x->last_seen = store_column_strdup(st, 10);
		x->acknowledged_by = store_column_strdup(st, 11);
		x->acknowledged_at = store_column_strdup(st, 12);
		x->ack_note = store_column_strdup(st, 13);
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
	sqlite3_bind_text(st, 2, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	if (note)
		sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
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

static int by_run_key(const void *a, const void *b)
{
	return strcmp(((const struct alert_tally *)a)->run_key,
		      ((const struct alert_tally *)b)->run_key);
}

int alerts_tally(const struct stored_alert *a, size_t n,
		 struct alert_tallies *out)
{
	out->n = 0;
	out->t = calloc(n ? n : 1, sizeof *out->t);
	if (out->t == NULL)
		return -1;
	/* one entry per alert, sorted, then merged by run */
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(a[i].state, "resolved") == 0)
			continue;
		struct alert_tally *t = &out->t[m++];
		t->run_key = a[i].run_key;
		if (strcmp(a[i].severity, "critical") == 0)
			t->critical = 1;
		else
			t->warning = 1;
		t->acknowledged = strcmp(a[i].state, "acknowledged") == 0;
	}
	qsort(out->t, m, sizeof *out->t, by_run_key);
	for (size_t i = 0; i < m; i++) {
		if (out->n > 0 &&
		    strcmp(out->t[out->n - 1].run_key, out->t[i].run_key) == 0) {
			out->t[out->n - 1].critical += out->t[i].critical;
			out->t[out->n - 1].warning += out->t[i].warning;
			out->t[out->n - 1].acknowledged +=
				out->t[i].acknowledged;
		} else {
			out->t[out->n++] = out->t[i];
		}
	}
	return 0;
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
	t->t = NULL;
	t->n = 0;
}
