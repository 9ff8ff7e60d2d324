/*
 * verdict_store.c — verdicts kept.  See verdict_store.h.
 */
#include "storage/verdict_store.h"

#include <stdlib.h>
#include <string.h>

void kept_verdict_release(struct kept_verdict *v)
{
	free(v->first);
	v->first = NULL;
}

int store_verdict_find(struct store *s, int64_t run_id, int64_t baseline_id,
		       const char *digest, struct kept_verdict *out,
		       struct fail *f)
{
	sqlite3_stmt *st;
	if (store_cached(s, STORE_VERDICT_FIND,
			 "SELECT passed, fails, first FROM verdicts"
			 " WHERE run_id = ?1 AND baseline_id = ?2"
			 " AND policy_digest = ?3",
			 &st, f) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, baseline_id);
	sqlite3_bind_text(st, 3, digest, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int result = 1;
	if (rc == SQLITE_ROW) {
		out->passed = sqlite3_column_int(st, 0) != 0;
		out->fails = (size_t)sqlite3_column_int64(st, 1);
		out->first = NULL;
		result = 0;
		if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
		    (out->first = store_column_strdup(st, 2)) == NULL)
			result = fail_set(f, FAIL_INTERNAL, "out of memory");
	} else if (rc != SQLITE_DONE) {
		result = store_fail(s, f, "reading a kept verdict");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* they point into the caller's buffers */
	return result;
}

int store_verdict_put(struct store *s, int64_t run_id, int64_t baseline_id,
		      const char *digest, const struct kept_verdict *v,
		      struct fail *f)
{
	sqlite3_stmt *st;
	if (store_cached(s, STORE_VERDICT_PUT,
			 "INSERT OR REPLACE INTO verdicts (run_id, baseline_id,"
			 " policy_digest, passed, fails, first)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			 &st, f) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_int64(st, 2, baseline_id);
	sqlite3_bind_text(st, 3, digest, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, v->passed != 0);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)v->fails);
	if (v->first != NULL && v->first[0])
		sqlite3_bind_text(st, 6, v->first, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st); /* they point into the caller's buffers */
	if (rc != SQLITE_DONE)
		return store_fail(s, f, "keeping a verdict");
	return 0;
}
