/*
 * store.h — the SQLite store: opening, migrating, transactions.
 *
 * One SQLite file holds everything fairtop knows.  store_open() sets
 * WAL, foreign keys and a busy timeout, and brings the schema up to date
 * through the numbered migrations of schema.c, keyed on PRAGMA
 * user_version.  All SQL goes through prepared statements with bound
 * parameters.
 */
#ifndef FAIRTOP_STORE_H
#define FAIRTOP_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/fail.h"

/* Statements kept prepared on the connection, for reads made many
 * times a frame, and ingest's writes, made for every run of a folder. */
enum store_cached {
	STORE_VERDICT_FIND,
	STORE_VERDICT_PUT,
	STORE_INGEST_FIND_RUN,
	STORE_INGEST_RUN,
	STORE_INGEST_PARAM,
	STORE_INGEST_FEATURE,
	STORE_INGEST_GROUP,
	STORE_INGEST_COUNTS,
	STORE_INGEST_COUNTS_BATCH,
	STORE_INGEST_BIN,
	STORE_INGEST_METRIC,
	STORE_INGEST_METRICS_BATCH,
	/* what ingest reads and writes again for every run it judges at
	 * arrival (service/alerteval.c): the run loaded, production and
	 * the history read, alerts kept, the headline kept */
	STORE_FIND_RUN,
	STORE_RUN_GROUPS,
	STORE_RUN_HISTS,
	STORE_RUN_LAST_METRICS,
	STORE_RUN_CHANGES,
	STORE_DEPLOYMENTS_LIST,
	STORE_DEPLOYED_RUN,
	STORE_ALERTS_UPSERT,
	STORE_ALERTS_RESOLVE,
	STORE_SAVE_HEADLINE,
	STORE_NCACHED
};

struct store {
	sqlite3 *db;
	char *path; /* owned */
	sqlite3_stmt *cached[STORE_NCACHED]; /* finalised by store_free */
	/* Opened read-only (SQLITE_OPEN_READONLY): every write fails, and
	 * store_begin() refuses with read_only_why.  immutable: not even
	 * the -shm file could be opened, so the store is read as the file
	 * holds it (SQLite's immutable=1), and another writer's changes
	 * are not seen. */
	int read_only;
	int immutable;
	char read_only_why[512]; /* "you may not write its folder /x" */
	/* the file at path when it was opened: store_file_state() */
	uint64_t file_dev, file_ino;
	/* The append-only triggers store_open() found missing (dropped
	 * behind fairtop's back) and re-created, as "a, b", or NULL;
	 * owned.  Missing ones a read-only store keeps missing are found
	 * by store_guards_missing(). */
	char *restored;
	/* foreign keys not checked: since a store_begin_adding() */
	int keys_unchecked;
};

/* A question asked every few thousand steps of every statement: a
 * non-zero answer stops the statement at once, which then fails
 * (SQLITE_INTERRUPT).  For an interactive reader that must stay
 * responsive while it reads.  stop NULL: never asked. */
typedef int store_stop_fn(void *ctx);
void store_set_interrupt(struct store *s, store_stop_fn *stop, void *ctx);

/* What is at the store's path now, against what was opened. */
enum store_file {
	STORE_FILE_SAME,     /* the file opened */
	STORE_FILE_GONE,     /* nothing: deleted or moved away */
	STORE_FILE_REPLACED, /* another file (mv, or deleted and made
			      * again): open it anew */
};

/* stat() of s->path against the file opened (device and inode). */
enum store_file store_file_state(const struct store *s);

enum store_mode {
	STORE_OPEN_EXISTING, /* fail when there is no store at path, or
			      * when it cannot be written */
	STORE_CREATE,        /* create it on first use */
	STORE_OPEN_READ,     /* an existing store; read-only when this
			      * user may not write it (read_only set) */
	STORE_OPEN_READ_ONLY, /* an existing store, never written */
};

/* The store path to use: explicit if not NULL, else $FAIRTOP_DB, else
 * ./fairtop.db.  Borrowed (from the argument or the environment). */
const char *store_default_path(const char *explicit_path);

/* Open (and migrate) the store at path.  On success *out is owned by the
 * caller (store_free()).  Errors: FAIL_USAGE when there is no store and
 * mode is not STORE_CREATE; FAIL_DATA when the file is not a fairtop
 * store (not SQLite, or another program's database); FAIL_INTERNAL
 * otherwise, among them a store this user may not write opened with
 * STORE_OPEN_EXISTING or STORE_CREATE ("cannot change the store PATH:
 * you may not write its folder DIR ..."), checked before anything is
 * opened.  A read-only store (STORE_OPEN_READ*) is never migrated: one
 * older than this fairtop is refused. */
int store_open(const char *path, enum store_mode mode, struct store **out,
	       struct fail *f);
void store_free(struct store *s);

/* The append-only triggers (schema_guard()) missing from the store, as
 * "a, b" into buf ("" when none).  Returns the count, or -1 with *f
 * filled. */
int store_guards_missing(struct store *s, char *buf, size_t size,
			 struct fail *f);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
/* Notices on stderr while a store opens (an upgrade of its schema, at
 * a terminal only): on (1, the default) or off (0: the dashboard's
 * screen is on the terminal). */
void store_notices(int on);

int store_begin(struct store *s, struct fail *f);

/* A write transaction, as store_begin(), that only adds rows, each
 * naming a row it added itself or one that it read in the transaction
 * (nothing deleted, no key changed): the foreign keys hold by
 * construction and are not checked row by row (a tenth of an ingest's
 * work).  They are checked again from the next store_begin() or
 * store_try_begin() on. */
int store_begin_adding(struct store *s, struct fail *f);
/* BEGIN (deferred): reads up to the COMMIT see one state of the store,
 * and take no write lock. */
int store_begin_read(struct store *s, struct fail *f);
/* End a transaction begun only when `own` (callers that join the one
 * their caller opened pass 0): committed when rc is 0, else rolled
 * back.  Returns rc, or -1 when the commit fails. */
int store_end(struct store *s, int own, int rc, struct fail *f);
/* store_begin() that does not wait: a store another process is
 * writing fails at once (for writes that are only a cache). */
int store_try_begin(struct store *s, struct fail *f);
int store_commit(struct store *s, struct fail *f);
void store_rollback(struct store *s);

/* Fill *f with "store PATH: <what>: <sqlite message>"; returns -1. */
int store_fail(struct store *s, struct fail *f, const char *what);

/* Column i of the current row as a malloc'ed string (caller frees),
 * NULL for SQL NULL or when out of memory. */
char *store_column_strdup(sqlite3_stmt *st, int i);

/* The same into *out (NULL for SQL NULL), telling the two NULLs apart:
 * 0, or -1 when out of memory (SQLite's text or the copy).
 *
 * Text is bound to statements with SQLITE_STATIC across storage/: each
 * string bound outlives the step that reads it, and SQLITE_TRANSIENT's
 * copy can fail for want of memory, which leaves the parameter NULL
 * with nothing to say so when the statement runs. */
int store_column_dup(sqlite3_stmt *st, int i, char **out);

/* src into buf, cut to size - 1 bytes as snprintf("%s") would cut it,
 * "" for NULL; returns the length copied. */
size_t store_copy(char *buf, size_t size, const char *src);

/* Column i of the current row into buf as store_copy() copies. */
size_t store_column_copy(sqlite3_stmt *st, int i, char *buf, size_t size);

/* The store's run_changes count (schema 6: bumped by triggers when a
 * run is deleted or its rows are changed in place): a reader that keeps
 * what it read of each run may keep it while this count stands.
 * Returns -1 with *f filled when it cannot be read. */
int store_run_changes(struct store *s, int64_t *out, struct fail *f);

/* The statement of slot `which`, prepared from sql on first use and
 * reset (bindings cleared) on every later one: 0 with *st borrowed from
 * s, or -1 with *f filled. */
int store_cached(struct store *s, enum store_cached which, const char *sql,
		 sqlite3_stmt **st, struct fail *f);

/* The same for a caller that says its own failure (store_fail()):
 * SQLITE_OK with *st borrowed from s, else SQLite's code, *st NULL.
 * A statement used this way is given back with store_cached_done() on
 * every path, as one prepared would be finalised: no statement of the
 * cache is used by two callers at once (none of those that use one
 * calls back out while it steps). */
int store_cached_rc(struct store *s, enum store_cached which,
		    const char *sql, sqlite3_stmt **st);

/* Done with a cached statement (NULL: nothing): reset, so that it holds
 * no read of the store open, and its bindings cleared, as they may
 * point into the caller's buffers.  Returns sqlite3_reset()'s code. */
int store_cached_done(sqlite3_stmt *st);

/* PRAGMA data_version: changes when another connection commits. */
int store_data_version(struct store *s, int64_t *version, struct fail *f);

/* 1 while a transaction is open on s (store_begin, store_begin_read). */
int store_in_transaction(const struct store *s);

/* Current UTC time as ISO 8601 ("2026-01-22T14:05:00Z") into buf. */
void store_now(char *buf, size_t size);

#endif
