/*
 * decisions.c — gate decisions.  See decisions.h.
 */
#include "storage/decisions.h"

#include <stdio.h>

#include "core/runinfo.h"
#include "core/text.h"
#include "storage/audit.h"

int store_record_gate(struct store *s, const char *actor,
		      const char *baseline, const char *candidate, int passed,
		      const char *policy_json, const char *findings_json,
		      int64_t *id, struct fail *f)
{
	static const char sql[] =
		"INSERT INTO gate_decisions (time, baseline_key, candidate_key,"
		" passed, policy, findings) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = NULL;
	/* a run id quoted for JSON: at most 6 bytes (\u00XX) a byte */
	char now[32], base[6 * RUN_ID_MAX + 3], details[sizeof base + 200];
	int64_t row;
	store_now(now, sizeof now);
	if (store_begin(s, f) != 0)
		return -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		/* the message before the rollback, which resets it */
		store_fail(s, f, "recording the gate decision");
		store_rollback(s);
		return -1;
	}
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, baseline, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, candidate, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, passed != 0);
	sqlite3_bind_text(st, 5, policy_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, findings_json, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	/* the message before finalize, which resets it */
	if (rc != SQLITE_DONE)
		store_fail(s, f, "recording the gate decision");
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_rollback(s);
		return -1;
	}
	row = sqlite3_last_insert_rowid(s->db);
	/* the decision's id, time and baseline, for `audit --verify` to
	 * check its row against */
	text_json_quote(base, sizeof base, baseline);
	snprintf(details, sizeof details,
		 "{\"gate_decision\": %lld, \"passed\": %s, \"time\": \"%s\", "
		 "\"baseline\": %s}", (long long)row,
		 passed ? "true" : "false", now, base);
	if (store_audit_append(s, actor, passed ? "gate_pass" : "gate_fail",
			       candidate, NULL, details, NULL, f) != 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, f) != 0)
		return -1;
	if (id != NULL)
		*id = row;
	return 0;
}
