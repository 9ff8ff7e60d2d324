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

#include "core/chain.h"
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

/* Check the record against the audit log (audit_records.c): every
 * deployment, gate decision and acknowledgement has its audit row and
 * says what it says, every audit row naming one has it, and the
 * append-only triggers are in place (those store_open() re-created,
 * s->restored, count as missing).  say(ctx, problem) is called once per
 * problem, with a message borrowed for the call ("deployment #3 is an
 * override in the audit log (row 7) but 'deploy' in the deployments
 * table").  Returns how many, or -1 with *f filled. */
long store_audit_check_records(struct store *s,
			       void (*say)(void *ctx, const char *problem),
			       void *ctx, struct fail *f);

/* The chain's tail, to keep outside the store: *count rows, the last
 * one's hash into hash (chain_genesis's zeros when empty). */
int store_audit_head(struct store *s, int64_t *count, char hash[CHAIN_HEX_SIZE],
		     struct fail *f);

/* Whether the store still extends the tail count:hash taken earlier: 0
 * when row count is there with that hash (rows appended after it are
 * not judged here: store_audit_verify() checks they chain); 1 when not,
 * with why[] saying what; -1 on error. */
int store_audit_check_head(struct store *s, int64_t count, const char *hash,
			   char *why, size_t why_size, struct fail *f);

#endif
