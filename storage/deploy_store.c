/*
 * deploy_store.c — deployments.  See deploy_store.h.
 */
#include "storage/deploy_store.h"

#include "storage/alerts_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array.h"
#include "core/deployments.h"
#include "core/isotime.h"
#include "core/strbuf.h"
#include "storage/audit.h"

struct importer {
	struct store *s;
	sqlite3_stmt *st;
	long added;
	const char *path;   /* for messages */
	char latest[32];    /* now plus the clock skew allowed */
	char now[32];       /* when the rows are recorded */
};

/* History may be dated up to this long after the import (clocks of the
 * machines that wrote it differ): beyond, a row from the future would
 * stay "in production now" over every decision made after it. */
#define CLOCK_SKEW_SECONDS 300

/* A JSON string literal of s (quotes, backslashes and control
 * characters escaped) into buf. */
static void json_quote(char *buf, size_t size, const char *s)
{
	size_t used = 0;
	if (size < 3)
		return;
	buf[used++] = '"';
	for (; *s && used + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf[used++] = '\\';
			buf[used++] = (char)c;
		} else if (c < 0x20) {
			used += (size_t)snprintf(buf + used, size - used,
						 "\\u%04x", c);
		} else {
			buf[used++] = (char)c;
		}
	}
	buf[used++] = '"';
	buf[used] = '\0';
}

static int import_row(void *ctx, const struct deployment_row *row,
		      struct fail *f)
{
	struct importer *im = ctx;
	sqlite3_stmt *st = im->st;
	char time[64];
	if (isotime_utc(row->time, time, sizeof time) != 0)
		snprintf(time, sizeof time, "%s", row->time);
	if (strcmp(time, im->latest) > 0)
		return fail_at(f, im->path, row->line, "column 'time': "
			       "expected a time in the past, found %s, after "
			       "now (%s, allowing %d s of clock skew)", time,
			       im->latest, CLOCK_SKEW_SECONDS);
	sqlite3_bind_text(st, 1, time, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->run, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, im->now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_fail(im->s, f, "importing deployments");
	if (sqlite3_changes(im->s->db) == 0)
		return 0; /* already imported */
	im->added++;
	char at[128], details[256];
	json_quote(at, sizeof at, row->time);
	/* the deployment's id, for `audit --verify` to check its row */
	snprintf(details, sizeof details,
		 "{\"source\": \"deployments.csv\", \"at\": %s, "
		 "\"deployment\": %lld}", at,
		 (long long)sqlite3_last_insert_rowid(im->s->db));
	return store_audit_append(im->s, row->actor, row->kind, row->run,
				  row->reason, details, NULL, f);
}

int store_import_deployments(struct store *s, const char *path,
			     long *added, struct fail *f)
{
	struct importer im = {s, NULL, 0, path, "", ""};
	store_now(im.now, sizeof im.now);
	int rc = -1;
	*added = 0;
	time_t latest = time(NULL) + CLOCK_SKEW_SECONDS;
	struct tm tm;
	gmtime_r(&latest, &tm);
	strftime(im.latest, sizeof im.latest, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_begin(s, f) != 0)
		return -1;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO deployments (time, run_key, kind,"
			       " actor, reason, state, source, recorded_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, 'done', 'history',"
			       " ?6) ON CONFLICT DO NOTHING",
			       -1, &im.st, NULL) != SQLITE_OK) {
		store_fail(s, f, "importing deployments");
		goto out;
	}
	struct source src = source_file(path, path);
	if (deployments_read(&src, import_row, &im, NULL, f) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(im.st);
	if (rc == 0) {
		rc = store_commit(s, f);
		*added = im.added;
	} else {
		store_rollback(s);
	}
	return rc;
}

int store_deployment_begin(struct store *s, const char *run_key,
			   const char *kind, const char *actor,
			   const char *reason, int64_t *id, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	char now[32];
	int rc = -1;
	if (store_begin(s, f) != 0)
		return -1;
	store_now(now, sizeof now);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO deployments (time, run_key, kind,"
			       " actor, reason, state, source, recorded_at)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, 'pending',"
			       " 'fairtop', ?1)",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "recording the deployment");
		goto out;
	}
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, run_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "recording the deployment");
		goto out;
	}
	*id = sqlite3_last_insert_rowid(s->db);
	rc = 0;
out:
	sqlite3_finalize(st);
	if (rc == 0)
		rc = store_commit(s, f);
	else
		store_rollback(s);
	return rc;
}

/* The run in production before deployment id closes: the run of the
 * last done deployment other than it, into buf ("" when none). */
static int production_before(struct store *s, int64_t id, char *buf,
			     size_t size, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(s->db,
			       "SELECT run_key FROM deployments"
			       " WHERE state = 'done' AND id != ?1"
			       " ORDER BY time DESC, id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading what is in production");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_column_copy(st, 0, buf, size);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, f, "reading what is in production");
	return 0;
}

/* Deployment id (kind, by actor) put run_key in production in place of
 * replaced ("" when none): the alarms of the run replaced are history
 * now; those of the run put in production that an earlier replacement
 * resolved are alarms again.  In the caller's transaction. */
static int production_changed(struct store *s, int64_t id, const char *kind,
			      const char *actor, const char *run_key,
			      const char *replaced, struct fail *f)
{
	if (replaced[0] != '\0' && strcmp(replaced, run_key) != 0) {
		/* whole: the actor may be long */
		char *why = strbuf_dupf("resolved by %s #%lld by %s: %s "
					"replaced %s in production", kind,
					(long long)id, actor, run_key,
					replaced);
		if (why == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		int rc = store_alerts_resolve_run(s, replaced, why, id, NULL,
						  f);
		free(why);
		if (rc != 0)
			return -1;
	}
	return store_alerts_reopen_run(s, run_key, NULL, f);
}

int store_deployment_finish(struct store *s, int64_t id, int ok,
			    int hook_status, const char *hook_output,
			    const char *details_json, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	char replaced[512];
	char *run_key = NULL, *actor = NULL, *kind = NULL, *reason = NULL;
	char *details = NULL;
	int rc = -1;
	if (store_begin(s, f) != 0)
		return -1;
	/* read in the transaction that closes it: a deployment made
	 * meanwhile (the hook may run for minutes) is seen */
	if (production_before(s, id, replaced, sizeof replaced, f) != 0)
		goto out;
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE deployments SET state = ?2,"
			       " hook_status = ?3, hook_output = ?4"
			       " WHERE id = ?1 RETURNING run_key, actor, kind,"
			       " reason, time",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "closing the deployment");
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, ok ? "done" : "failed", -1, SQLITE_STATIC);
	if (hook_status >= 0)
		sqlite3_bind_int(st, 3, hook_status);
	if (hook_output)
		sqlite3_bind_text(st, 4, hook_output, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, f, "closing the deployment");
		goto out;
	}
	/* whole, however long: the audit row must say what the
	 * deployment row says (audit --verify compares them) */
	run_key = store_column_strdup(st, 0);
	actor = store_column_strdup(st, 1);
	kind = store_column_strdup(st, 2);
	reason = store_column_strdup(st, 3);
	char action[80], when[64];
	store_column_copy(st, 4, when, sizeof when);
	sqlite3_finalize(st);
	st = NULL;
	if (!run_key || !actor || !kind || !reason) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(action, sizeof action, "%s%s", kind, ok ? "" : "_failed");
	/* {"deployment": id, "time": T, "hook_status": n|null, ...the
	 * caller's}: the id and time for `audit --verify` to check the
	 * deployment's row against */
	const char *extra = details_json ? details_json : "{}";
	while (*extra == ' ' || *extra == '{')
		extra++;
	char status[16];
	if (hook_status >= 0)
		snprintf(status, sizeof status, "%d", hook_status);
	else
		snprintf(status, sizeof status, "null");
	details = strbuf_dupf("{\"deployment\": %lld, \"time\": \"%s\", "
			      "\"hook_status\": %s%s%s",
			      (long long)id, when, status,
			      *extra && *extra != '}' ? ", " : "}",
			      *extra && *extra != '}' ? extra : "");
	if (details == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (store_audit_append(s, actor, action, run_key, reason, details,
			       NULL, f) != 0)
		goto out;
	if (ok && production_changed(s, id, kind, actor, run_key, replaced,
				     f) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	free(run_key);
	free(actor);
	free(kind);
	free(reason);
	free(details);
	if (rc == 0)
		rc = store_commit(s, f);
	else
		store_rollback(s);
	return rc;
}

int store_deployment_observed(struct store *s, const char *run_key,
			      const char *actor, const char *reason,
			      const char *source, const char *details_json,
			      int *recorded, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	char replaced[512], now[32], details[4096];
	int rc = -1;
	*recorded = 0;
	if (store_begin(s, f) != 0)
		return -1;
	/* what is in production, read in the transaction that records */
	if (production_before(s, 0, replaced, sizeof replaced, f) != 0)
		goto out;
	if (strcmp(replaced, run_key) == 0) {
		rc = 0; /* already so: nothing observed */
		goto out;
	}
	store_now(now, sizeof now);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO deployments (time, run_key, kind,"
			       " actor, reason, state, source, recorded_at)"
			       " VALUES (?1, ?2, 'deploy', ?3, ?4, 'done', ?5,"
			       " ?1)",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "recording the deployment");
		goto out;
	}
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, run_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "recording the deployment");
		goto out;
	}
	int64_t id = sqlite3_last_insert_rowid(s->db);
	/* as store_deployment_finish() writes it, for `audit --verify` */
	const char *extra = details_json ? details_json : "{}";
	while (*extra == ' ' || *extra == '{')
		extra++;
	snprintf(details, sizeof details,
		 "{\"deployment\": %lld, \"time\": \"%s\", "
		 "\"hook_status\": null%s%s", (long long)id, now,
		 *extra && *extra != '}' ? ", " : "}",
		 *extra && *extra != '}' ? extra : "");
	if (store_audit_append(s, actor, "deploy", run_key, reason, details,
			       NULL, f) != 0 ||
	    production_changed(s, id, "deploy", actor, run_key, replaced,
			       f) != 0)
		goto out;
	*recorded = 1;
	rc = 0;
out:
	sqlite3_finalize(st);
	if (rc == 0)
		rc = store_commit(s, f);
	else
		store_rollback(s);
	return rc;
}

void stored_deployments_free(struct stored_deployment *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].time);
		free(d[i].run_key);
		free(d[i].kind);
		free(d[i].actor);
		free(d[i].reason);
		free(d[i].state);
		free(d[i].source);
		free(d[i].hook_output);
		free(d[i].recorded_at);
	}
	free(d);
}

int store_deployments_list(struct store *s, struct stored_deployment **d,
			   size_t *n, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	struct stored_deployment *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*d = NULL;
	*n = 0;
	if (store_cached_rc(s, STORE_DEPLOYMENTS_LIST,
			    "SELECT id, time, run_key, kind, actor, reason,"
			    " state, source, hook_status, hook_output,"
			    " recorded_at"
			    " FROM deployments ORDER BY time, id",
			    &st) != SQLITE_OK)
		return store_fail(s, f, "listing deployments");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW_ZERO(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		struct stored_deployment *x = &out[count++];
		x->id = sqlite3_column_int64(st, 0);
		x->hook_status = sqlite3_column_type(st, 8) == SQLITE_NULL
					 ? -1
					 : sqlite3_column_int(st, 8);
		if (store_column_dup(st, 1, &x->time) ||
		    store_column_dup(st, 2, &x->run_key) ||
		    store_column_dup(st, 3, &x->kind) ||
		    store_column_dup(st, 4, &x->actor) ||
		    store_column_dup(st, 5, &x->reason) ||
		    store_column_dup(st, 6, &x->state) ||
		    store_column_dup(st, 7, &x->source) ||
		    store_column_dup(st, 9, &x->hook_output) ||
		    store_column_dup(st, 10, &x->recorded_at)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	store_cached_done(st);
	if (rc != SQLITE_DONE) {
		stored_deployments_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: listing "
				"deployments failed (%s)", s->path,
				sqlite3_errstr(rc));
	}
	*d = out;
	*n = count;
	return 0;
}
