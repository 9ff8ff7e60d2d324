/*
 * lineage.c — previous and deployed runs.  See lineage.h.
 */
#include "storage/lineage.h"

#include <stdio.h>

/* Run a query yielding one run key (or none) into buf; kept prepared
 * in slot `which`. */
static int one_key(struct store *s, enum store_cached which, const char *sql,
		   const char *param, char *buf, size_t size, const char *what,
		   struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int result = 1;
	if (store_cached_rc(s, which, sql, &st) != SQLITE_OK)
		return store_fail(s, f, what);
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(buf, size, "%s", t ? (const char *)t : "");
		result = 0;
	} else if (rc != SQLITE_DONE) {
		result = store_fail(s, f, what);
	}
	store_cached_done(st);
	return result;
}

int store_deployed_run(struct store *s, char *buf, size_t size,
		       struct fail *f)
{
	return one_key(s, STORE_DEPLOYED_RUN,
		       "SELECT run_key FROM deployments WHERE state = 'done'"
		       " ORDER BY time DESC, id DESC LIMIT 1",
		       NULL, buf, size, "finding the deployed run", f);
}
