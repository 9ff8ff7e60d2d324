/*
 * audit.h — the append-only record of decisions.
 *
 * Every deploy, override, rollback, acknowledgement and gate decision
 * adds one row: time, actor, action, run, reason, details (JSON).
 * Triggers refuse UPDATE and DELETE, and each row carries a SHA-256
 * chained to the previous row's (core/chain.h), so that
 * store_audit_verify() finds a row edited, inserted or removed behind
 * fairtop's back, for example after DROP TRIGGER in the sqlite3 shell.
 */
#ifndef FAIRTOP_AUDIT_H
#define FAIRTOP_AUDIT_H

#include <stdint.h>

#include "core/fail.h"
#include "storage/store.h"

/* Append a row.  Runs inside the caller's transaction if there is one,
 * else in its own.  run_key, reason may be NULL; details_json NULL is
 * "{}". */
int store_audit_append(struct store *s, const char *actor,
		       const char *action, const char *run_key,
		       const char *reason, const char *details_json,
		       int64_t *id, struct fail *f);

struct audit_row {
	int64_t id;
	char *time, *actor, *action, *run_key, *reason, *details;
	char *prev_hash, *hash;
};

/* Every row, oldest first.  Caller frees with audit_rows_free(). */
int store_audit_list(struct store *s, struct audit_row **rows, size_t *n,
		     struct fail *f);
void audit_rows_free(struct audit_row *rows, size_t n);

/* Check the chain.  Returns 0 when intact; 1 when broken, with
 * *bad_id the first row that does not hold and why[] saying what;
 * -1 on error. */
int store_audit_verify(struct store *s, int64_t *bad_id, char *why,
		       size_t why_size, struct fail *f);

#endif
