/*
 * audit.c — the audit log and its hash chain.  See audit.h.
 */
#include "storage/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/chain.h"

/* The fields a row's hash covers, in order. */
static void row_hash(const char *prev, int64_t id, const char *time,
		     const char *actor, const char *action,
		     const char *run_key, const char *reason,
		     const char *details, char hex[CHAIN_HEX_SIZE])
{
	char id_text[32];
	snprintf(id_text, sizeof id_text, "%lld", (long long)id);
	const char *field[] = {id_text, time,    actor,  action,
			       run_key, reason, details};
	chain_hash(prev, field, sizeof field / sizeof *field, hex);
}

int store_audit_append(struct store *s, const char *actor,
		       const char *action, const char *run_key,
		       const char *reason, const char *details_json,
		       int64_t *id, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int own = sqlite3_get_autocommit(s->db);
	int rc = -1;
	char now[32], prev[CHAIN_HEX_SIZE], hash[CHAIN_HEX_SIZE];
	int64_t last_id = 0;
	const char *details = details_json ? details_json : "{}";
	if (own && store_begin(s, f) != 0)
		return -1;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, hash FROM audit_log"
			       " ORDER BY id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "reading the audit log");
		goto out;
	}
	snprintf(prev, sizeof prev, "%s", chain_genesis);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		last_id = sqlite3_column_int64(st, 0);
		const unsigned char *h = sqlite3_column_text(st, 1);
		snprintf(prev, sizeof prev, "%s", h ? (const char *)h : "");
	} else if (step != SQLITE_DONE) {
		store_fail(s, f, "reading the audit log");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	store_now(now, sizeof now);
	row_hash(prev, last_id + 1, now, actor, action, run_key, reason,
		 details, hash);
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO audit_log (id, time, actor, action,"
			       " run_key, reason, details, prev_hash, hash)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "writing the audit log");
		goto out;
	}
	sqlite3_bind_int64(st, 1, last_id + 1);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	if (run_key)
		sqlite3_bind_text(st, 5, run_key, -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, details, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_fail(s, f, "writing the audit log");
		goto out;
	}
	if (id != NULL)
		*id = last_id + 1;
	rc = 0;
out:
	sqlite3_finalize(st);
	return store_end(s, own, rc, f);
}

void audit_rows_free(struct audit_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		struct audit_row *r = &rows[i];
		free(r->time);
		free(r->actor);
		free(r->action);
		free(r->run_key);
		free(r->reason);
		free(r->details);
		free(r->prev_hash);
		free(r->hash);
	}
	free(rows);
}

int store_audit_list(struct store *s, struct audit_row **rows, size_t *n,
		     struct fail *f)
{
	sqlite3_stmt *st = NULL;
	struct audit_row *out = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*rows = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, time, actor, action, run_key, reason,"
			       " details, prev_hash, hash FROM audit_log"
			       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading the audit log");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_GROW(out, count + 1, cap) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		struct audit_row *r = &out[count++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		/* SQL NULL stays NULL; a copy that fails is out of memory */
		if (store_column_dup(st, 1, &r->time) != 0 ||
		    store_column_dup(st, 2, &r->actor) != 0 ||
		    store_column_dup(st, 3, &r->action) != 0 ||
		    store_column_dup(st, 4, &r->run_key) != 0 ||
		    store_column_dup(st, 5, &r->reason) != 0 ||
		    store_column_dup(st, 6, &r->details) != 0 ||
		    store_column_dup(st, 7, &r->prev_hash) != 0 ||
		    store_column_dup(st, 8, &r->hash) != 0) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		audit_rows_free(out, count);
		return fail_set(f, FAIL_INTERNAL, "store %s: reading the audit "
				"log failed (%s)", s->path, sqlite3_errstr(rc));
	}
	*rows = out;
	*n = count;
	return 0;
}

int store_audit_verify(struct store *s, int64_t *bad_id, char *why,
		       size_t why_size, struct fail *f)
{
	struct audit_row *rows = NULL;
	size_t n = 0;
	if (store_audit_list(s, &rows, &n, f) != 0)
		return -1;
	const char *prev = chain_genesis;
	int result = 0;
	for (size_t i = 0; i < n && result == 0; i++) {
		const struct audit_row *r = &rows[i];
		char hash[CHAIN_HEX_SIZE];
		*bad_id = r->id;
		if (r->id != (int64_t)i + 1) {
			snprintf(why, why_size, "expected row %zu next, found "
				 "row %lld: a row was removed or inserted",
				 i + 1, (long long)r->id);
			result = 1;
		} else if (r->prev_hash == NULL ||
			   strcmp(r->prev_hash, prev) != 0) {
			snprintf(why, why_size, "its prev_hash does not match "
				 "the hash of row %zu: a row before it was "
				 "removed, inserted or rewritten", i);
			result = 1;
		} else {
			row_hash(prev, r->id, r->time, r->actor, r->action,
				 r->run_key, r->reason, r->details, hash);
			if (r->hash == NULL || strcmp(r->hash, hash) != 0) {
				snprintf(why, why_size, "its contents do not "
					 "match its hash: the row was edited, "
					 "or forged");
				result = 1;
			}
		}
		prev = r->hash ? r->hash : "";
	}
	audit_rows_free(rows, n);
	return result;
}

int store_audit_head(struct store *s, int64_t *count, char hash[CHAIN_HEX_SIZE],
		     struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	*count = 0;
	snprintf(hash, CHAIN_HEX_SIZE, "%s", chain_genesis);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT (SELECT count(*) FROM audit_log), hash"
			       " FROM audit_log ORDER BY id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "reading the audit log");
		goto out;
	}
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		store_column_copy(st, 1, hash, CHAIN_HEX_SIZE);
	} else if (step != SQLITE_DONE) {
		store_fail(s, f, "reading the audit log");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int store_audit_check_head(struct store *s, int64_t count, const char *hash,
			   char *why, size_t why_size, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int64_t have = 0;
	char last[CHAIN_HEX_SIZE];
	int rc = -1;
	if (store_audit_head(s, &have, last, f) != 0)
		return -1;
	if (have < count) {
		snprintf(why, why_size, "the anchor is row %lld, but the log "
			 "has %lld row%s: rows were removed", (long long)count,
			 (long long)have, have == 1 ? "" : "s");
		return 1;
	}
	if (count == 0)
		return 0; /* the empty log: every chain extends it */
	if (sqlite3_prepare_v2(s->db, "SELECT hash FROM audit_log"
			       " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, "reading the audit log");
		goto out;
	}
	sqlite3_bind_int64(st, 1, count);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		store_column_copy(st, 0, last, sizeof last);
		if (strcmp(last, hash) == 0) {
			rc = 0;
		} else {
			snprintf(why, why_size, "row %lld's hash is %.12s..., "
				 "not the anchor's %.12s...: row %lld or one "
				 "before it was rewritten, removed or inserted, "
				 "or the chain rebuilt", (long long)count, last,
				 hash, (long long)count);
			rc = 1;
		}
	} else if (step == SQLITE_DONE) {
		snprintf(why, why_size, "row %lld, the anchor, is not in the "
			 "log: rows were removed", (long long)count);
		rc = 1;
	} else {
		store_fail(s, f, "reading the audit log");
	}
out:
	sqlite3_finalize(st);
	return rc;
}
