/*
 * store.c — opening and migrating the store.  See store.h.
 *
 * A store this user may not write (the file, or the folder where SQLite
 * keeps a WAL store's -wal and -shm files; or a read-only file system)
 * is found with access() before SQLite opens it: commands that change
 * the store are refused then and there, with the reason, and readers
 * open it with SQLITE_OPEN_READONLY ("mode=ro").  A WAL store whose
 * -shm file does not exist and cannot be created fails even that on the
 * first read (SQLITE_CANTOPEN or SQLITE_READONLY_*); it is then opened
 * as immutable, read as the file holds it, which is what a store nobody
 * can write holds.
 */
#include "storage/store.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/groupset.h"
#include "storage/audit.h"
#include "storage/schema.h"

#define BUSY_TIMEOUT_MS 10000

const char *store_default_path(const char *explicit_path)
{
	if (explicit_path != NULL)
		return explicit_path;
	const char *env = getenv("FAIRTOP_DB");
	if (env != NULL && *env != '\0')
		return env;
	return "fairtop.db";
}

int store_fail(struct store *s, struct fail *f, const char *what)
{
	return fail_set(f, FAIL_INTERNAL, "store %s: %s: %s", s->path, what,
			sqlite3_errmsg(s->db));
}

void store_set_interrupt(struct store *s, store_stop_fn *stop, void *ctx)
{
	/* every 10,000 virtual-machine steps: well under a millisecond
	 * apart, and nothing measurable spent asking */
	sqlite3_progress_handler(s->db, stop ? 10000 : 0, stop, ctx);
}

char *store_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

int store_column_dup(sqlite3_stmt *st, int i, char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	const unsigned char *t = sqlite3_column_text(st, i);
	if (t == NULL || (*out = strdup((const char *)t)) == NULL)
		return -1;
	return 0;
}

size_t store_copy(char *buf, size_t size, const char *src)
{
	size_t n = 0;
	if (size == 0)
		return 0;
	/* bytes up to the first NUL, like "%s" */
	if (src != NULL) {
		n = strnlen(src, size - 1);
		memcpy(buf, src, n);
	}
	buf[n] = '\0';
	return n;
}

size_t store_column_copy(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	assert(st != NULL && i >= 0 && i < sqlite3_column_count(st));
	return store_copy(buf, size, (const char *)sqlite3_column_text(st, i));
}

void store_now(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Run a fixed SQL script (no parameters), statement by statement. */
static int run_script(struct store *s, const char *sql, struct fail *f)
{
	const char *tail = sql;
	while (tail != NULL && *tail != '\0') {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(s->db, tail, -1, &st, &tail) != SQLITE_OK)
			return store_fail(s, f, "preparing the schema");
		if (st == NULL)
			break; /* only whitespace left */
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		/* the message before finalize, which resets it */
		if (rc != SQLITE_DONE)
			store_fail(s, f, "applying the schema");
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

static int pragma_int(struct store *s, const char *sql, int *out,
		      struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, f, sql);
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		store_fail(s, f, sql);
		goto out;
	}
	*out = sqlite3_column_int(st, 0);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int notices_on = 1;

void store_notices(int on)
{
	notices_on = on;
}

static int migrate(struct store *s, struct fail *f)
{
	int version;
	if (pragma_int(s, "PRAGMA user_version", &version, f) != 0)
		return -1;
	if (version > schema_version())
		return fail_set(f, FAIL_INTERNAL,
				"store %s has schema version %d, newer than "
				"this fairtop knows (%d): upgrade fairtop",
				s->path, version, schema_version());
	if (version == schema_version())
		return 0;
	if (s->read_only)
		return fail_set(f, FAIL_INTERNAL,
				"store %s has schema version %d, older than "
				"this fairtop's %d, and is read-only (%s): "
				"open it once with write access to upgrade it",
				s->path, version, schema_version(),
				s->read_only_why);
	if (store_begin(s, f) != 0)
		return -1;
	/* another process may have migrated while we waited */
	if (pragma_int(s, "PRAGMA user_version", &version, f) != 0)
		goto fail;
	/* an upgrade copies tables (a minute for a store of a million
	 * rows): the person waiting at a terminal is told why; a script's
	 * output stays as it was */
	if (version > 0 && version < schema_version() && notices_on &&
	    isatty(STDERR_FILENO))
		fprintf(stderr, "fairtop: upgrading the store %s from schema "
			"%d to %d (once; a large store takes a minute)...\n",
			s->path, version, schema_version());
	for (int k = version + 1; k <= schema_version(); k++) {
		char sql[64];
		if (run_script(s, schema_migration(k), f) != 0)
			goto fail;
		/* PRAGMA takes no bound parameters; k is our own integer */
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", k);
		if (run_script(s, sql, f) != 0)
			goto fail;
	}
	return store_commit(s, f);
fail:
	store_rollback(s);
	return -1;
}

/* The folder of path ("." for a bare name) into buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* path + suffix exists and this user may write it. */
static int side_writable(const char *path, const char *suffix)
{
	char side[4200];
	snprintf(side, sizeof side, "%s%s", path, suffix);
	return access(side, W_OK) == 0;
}

/* 1 with *why ("its folder /x is not writable by you ...") when this
 * user may not change the store at path, else 0.  A file that does not
 * exist counts through its folder; errors other than a refusal (a
 * missing folder) are left for SQLite to report. */
static int cannot_write(const char *path, char *why, size_t size)
{
	char dir[4096];
	struct stat sb;
	int exists = stat(path, &sb) == 0, err;
	dir_of(path, dir, sizeof dir);
	if (exists && access(path, W_OK) != 0) {
		err = errno;
		if (err == EROFS)
			snprintf(why, size, "it is on a read-only file system");
		else if (err == EACCES || err == EPERM)
			snprintf(why, size, "the file is not writable by you");
		else
			return 0;
		return 1;
	}
	if (access(dir, W_OK) == 0)
		return 0;
	err = errno;
	/* a WAL store with both side files there: nothing to create */
	if (exists && side_writable(path, "-wal") &&
	    side_writable(path, "-shm"))
		return 0;
	if (err == EROFS)
		snprintf(why, size, "it is on a read-only file system");
	else if (err == EACCES || err == EPERM)
		snprintf(why, size, "its folder %s is not writable by you, and "
			 "SQLite keeps the store's -wal and -shm files there",
			 dir);
	else
		return 0;
	return 1;
}

/* "file:PATH?query" with PATH percent-encoded as SQLite's URIs want,
 * malloc'ed (caller frees), or NULL when out of memory. */
static char *uri_of(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *uri = malloc(sizeof "file://" + 3 * n + strlen(query));
	if (uri == NULL)
		return NULL;
	/* an absolute path after an empty authority: "//x" stays a path */
	char *o = uri + sprintf(uri, "%s", path[0] == '/' ? "file://" : "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._~-", *p) != NULL) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	strcpy(o, query);
	return uri;
}

/* Open s->path read-only: "mode=ro" when it can be read that way (the
 * -shm file there or creatable), else "immutable=1".  0, or -1 with *f
 * filled; a store that cannot be read at all is left for the caller's
 * first read to report. */
static int open_read_only(struct store *s, struct fail *f)
{
	static const char *const query[] = {"?mode=ro", "?immutable=1"};
	for (int k = 0; k < 2; k++) {
		int version;
		char *uri = uri_of(s->path, query[k]);
		if (uri == NULL)
			return fail_set(f, FAIL_INTERNAL, "out of memory");
		sqlite3_close_v2(s->db);
		s->db = NULL;
		int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY |
					 SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
					 NULL);
		free(uri);
		if (rc != SQLITE_OK)
			return fail_set(f, FAIL_INTERNAL,
					"cannot open store %s: %s", s->path,
					s->db ? sqlite3_errmsg(s->db)
					      : "out of memory");
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
		s->immutable = k == 1;
		if (k == 1 || pragma_int(s, "PRAGMA user_version", &version,
					 f) == 0)
			return 0;
		int code = sqlite3_errcode(s->db) & 0xff;
		fail_init(f);
		if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN)
			return 0;
	}
	return 0;
}

int store_guards_missing(struct store *s, char *buf, size_t size,
			 struct fail *f)
{
	sqlite3_stmt *st = NULL;
	const char *name;
	int missing = 0;
	size_t used = 0;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(s->db,
			       "SELECT 1 FROM sqlite_schema WHERE type ="
			       " 'trigger' AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_fail(s, f, "reading the schema");
	for (size_t k = 0; schema_guard(k, &name) != NULL; k++) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			continue;
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return store_fail(s, f, "reading the schema");
		}
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used,
						 "%s%s", missing ? ", " : "",
						 name);
		missing++;
	}
	sqlite3_finalize(st);
	return missing;
}

/* Re-create the append-only triggers dropped behind fairtop's back,
 * with an audit row saying which (action "triggers_restored", details
 * {"triggers": "a, b"}), and keep their names in s->restored for
 * `audit --verify`.  A read-only store is left as it is. */
static int restore_guards(struct store *s, struct fail *f)
{
	char names[512], details[640];
	const char *name, *sql;
	int rc = -1;
	if (sqlite3_db_readonly(s->db, "main") == 1)
		return 0;
	int missing = store_guards_missing(s, names, sizeof names, f);
	if (missing <= 0)
		return missing;
	if (store_begin(s, f) != 0)
		return -1;
	/* another process may have restored them while we waited */
	missing = store_guards_missing(s, names, sizeof names, f);
	if (missing <= 0) {
		rc = missing;
		goto out;
	}
	for (size_t k = 0; (sql = schema_guard(k, &name)) != NULL; k++) {
		/* "CREATE TRIGGER x" as "CREATE TRIGGER IF NOT EXISTS x" */
		char stmt[1024];
		snprintf(stmt, sizeof stmt, "CREATE TRIGGER IF NOT EXISTS%s",
			 sql + strlen("CREATE TRIGGER"));
		if (run_script(s, stmt, f) != 0)
			goto out;
	}
	snprintf(details, sizeof details, "{\"triggers\": \"%s\"}", names);
	if (store_audit_append(s, "fairtop", "triggers_restored", NULL,
			       "append-only triggers were missing (dropped "
			       "behind fairtop's back)", details, NULL,
			       f) != 0)
		goto out;
	s->restored = strdup(names);
	if (s->restored == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	rc = 0;
out:
	return store_end(s, 1, rc, f);
}

/* The library's settings, before its first use: no memory statistics
 * (fairtop never reads them, and keeping them takes a global mutex at
 * every allocation: 3 % of an ingest's instructions).  Once set, or
 * refused because the library is in use already (a test that set its
 * own allocator), it is left as it is. */
static void library_setup(void)
{
	static int done;
	if (!done) {
		done = 1;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
}

/* fairtop_groups_digest(feature, label): the digest of the groups of
 * its rows (core/groupset.h), 0 over none; for migration 12. */
static void groups_digest_step(sqlite3_context *ctx, int argc,
			       sqlite3_value **argv)
{
	uint64_t *digest = sqlite3_aggregate_context(ctx, sizeof *digest);
	(void)argc;
	if (digest == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	const unsigned char *feature = sqlite3_value_text(argv[0]);
	const unsigned char *label = sqlite3_value_text(argv[1]);
	*digest = groupset_add(*digest, feature ? (const char *)feature : "",
			       label ? (const char *)label : "");
}

static void groups_digest_final(sqlite3_context *ctx)
{
	uint64_t *digest = sqlite3_aggregate_context(ctx, 0);
	sqlite3_result_int64(ctx, digest ? (sqlite3_int64)*digest : 0);
}

static int add_functions(struct store *s, struct fail *f)
{
	if (sqlite3_create_function(s->db, "fairtop_groups_digest", 2,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				    NULL, groups_digest_step,
				    groups_digest_final) != SQLITE_OK)
		return store_fail(s, f, "setting up the store");
	return 0;
}

int store_open(const char *path, enum store_mode mode, struct store **out,
	       struct fail *f)
{
	struct stat sb;
	struct store *s = NULL;
	char why[sizeof s->read_only_why] = "opened with --read-only";
	*out = NULL;
	library_setup();
	if (mode != STORE_CREATE && stat(path, &sb) != 0)
		return fail_set(f, FAIL_USAGE,
				"no store at %s: ingest runs first (fairtop "
				"--db %s ingest DIR), or point --db or "
				"$FAIRTOP_DB at an existing store",
				path, path);
	int ro = mode == STORE_OPEN_READ_ONLY;
	if (!ro && cannot_write(path, why, sizeof why)) {
		if (mode != STORE_OPEN_READ)
			return fail_set(f, FAIL_INTERNAL,
					"the store %s is read-only (%s): this "
					"command changes it, and nothing was "
					"changed; reading commands (runs, "
					"show, gate ...) still work",
					path, why);
		ro = 1;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	if (ro) {
		s->read_only = 1;
		store_copy(s->read_only_why, sizeof s->read_only_why, why);
		if (open_read_only(s, f) != 0)
			goto fail;
	} else {
		int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
		if (mode == STORE_CREATE)
			flags |= SQLITE_OPEN_CREATE;
		if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
			fail_set(f, FAIL_INTERNAL, "cannot open store %s: %s",
				 path,
				 s->db ? sqlite3_errmsg(s->db) : "out of memory");
			goto fail;
		}
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
		if (add_functions(s, f) != 0)
			goto fail;
	}
	int fk = 0;
	if (run_script(s, "PRAGMA foreign_keys = ON", f) != 0 ||
	    pragma_int(s, "PRAGMA foreign_keys", &fk, f) != 0)
		goto fail;
	/* a file that is not a database fails on the first read */
	int version;
	if (pragma_int(s, "PRAGMA user_version", &version, f) != 0) {
		int code = sqlite3_errcode(s->db) & 0xff;
		fail_init(f);
		if (code == SQLITE_NOTADB)
			fail_set(f, FAIL_DATA, "%s is not a fairtop store (not "
				 "an SQLite database): %s", path,
				 sqlite3_errmsg(s->db));
		else if (s->read_only)
			fail_set(f, FAIL_INTERNAL, "cannot read the store %s "
				 "(read-only: %s): %s", path, s->read_only_why,
				 sqlite3_errmsg(s->db));
		else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN ||
			 code == SQLITE_PERM)
			fail_set(f, FAIL_INTERNAL, "cannot use the store %s: "
				 "%s (fairtop needs to write the file and its "
				 "folder: check permissions and that the file "
				 "system is not read-only)", path,
				 sqlite3_errmsg(s->db));
		else if (code == SQLITE_FULL || code == SQLITE_IOERR)
			fail_set(f, FAIL_INTERNAL, "cannot use the store %s: "
				 "%s (is the disk full?)", path,
				 sqlite3_errmsg(s->db));
		else
			fail_set(f, FAIL_INTERNAL, "cannot use the store %s: "
				 "%s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	/* version 0 with tables in it: another program's database, which
	 * the migrations (and WAL) must not touch.  One statement, so that
	 * a fairtop migrating the file meanwhile is seen whole or not. */
	int objects = 0;
	if (pragma_int(s, "SELECT count(*) FROM sqlite_schema WHERE (SELECT"
			  " user_version FROM pragma_user_version) = 0",
		       &objects, f) != 0)
		goto fail;
	if (objects > 0) {
		fail_set(f, FAIL_DATA, "%s is not a fairtop store (an SQLite "
			 "database holding other tables and no fairtop schema "
			 "version): point --db at a fairtop store or at a new "
			 "file", path);
		goto fail;
	}
	sqlite3_stmt *st = NULL;
	if (!s->read_only) {
		if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1,
				       &st, NULL) != SQLITE_OK) {
			store_fail(s, f, "setting WAL mode");
			goto fail;
		}
		sqlite3_step(st); /* a read-only file stays in its mode */
		sqlite3_finalize(st);
		if (run_script(s, "PRAGMA synchronous = NORMAL", f) != 0)
			goto fail;
	}
	if (migrate(s, f) != 0 || (!s->read_only && restore_guards(s, f) != 0))
		goto fail;
	if (stat(path, &sb) == 0) {
		s->file_dev = (uint64_t)sb.st_dev;
		s->file_ino = (uint64_t)sb.st_ino;
	}
	*out = s;
	return 0;
fail:
	store_free(s);
	return -1;
}

enum store_file store_file_state(const struct store *s)
{
	struct stat sb;
	if (stat(s->path, &sb) != 0)
		return STORE_FILE_GONE;
	if ((uint64_t)sb.st_dev != s->file_dev ||
	    (uint64_t)sb.st_ino != s->file_ino)
		return STORE_FILE_REPLACED;
	return STORE_FILE_SAME;
}

void store_free(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STORE_NCACHED; i++)
		sqlite3_finalize(s->cached[i]);
	sqlite3_close_v2(s->db);
	free(s->restored);
	free(s->path);
	free(s);
}

static int exec_simple(struct store *s, const char *sql, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_DONE)
		rc = 0;
	if (rc != 0 && f != NULL)
		store_fail(s, f, sql);
	sqlite3_finalize(st);
	return rc;
}

/* BEGIN that fails (interrupted, busy) can leave the connection out of
 * autocommit: end what it began, so that a failed begin never leaves a
 * transaction open behind the caller's back. */
static int begin(struct store *s, const char *sql, struct fail *f)
{
	if (exec_simple(s, sql, f) == 0)
		return 0;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* -1 with *f filled when s was opened read-only. */
static int refuse_read_only(struct store *s, struct fail *f)
{
	if (!s->read_only)
		return 0;
	if (f != NULL)
		fail_set(f, FAIL_INTERNAL, "the store %s is read-only (%s): "
			 "changes are disabled", s->path, s->read_only_why);
	return -1;
}

/* Foreign keys checked or not from the next transaction on; changed
 * only when they are not so already (a change makes SQLite prepare
 * every statement again). */
static int check_keys(struct store *s, int check, struct fail *f)
{
	if (s->keys_unchecked == !check)
		return 0;
	if (run_script(s, check ? "PRAGMA foreign_keys = ON"
				: "PRAGMA foreign_keys = OFF", f) != 0)
		return -1;
	s->keys_unchecked = !check;
	return 0;
}

int store_begin(struct store *s, struct fail *f)
{
	if (refuse_read_only(s, f) != 0 || check_keys(s, 1, f) != 0)
		return -1;
	return begin(s, "BEGIN IMMEDIATE", f);
}

int store_begin_adding(struct store *s, struct fail *f)
{
	if (refuse_read_only(s, f) != 0 || check_keys(s, 0, f) != 0)
		return -1;
	return begin(s, "BEGIN IMMEDIATE", f);
}

int store_begin_read(struct store *s, struct fail *f)
{
	return begin(s, "BEGIN", f);
}

int store_commit(struct store *s, struct fail *f)
{
	if (exec_simple(s, "COMMIT", f) == 0)
		return 0;
	/* a COMMIT that failed (busy, I/O) can leave the transaction open:
	 * end it, so that a failure never keeps the write lock */
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int store_try_begin(struct store *s, struct fail *f)
{
	if (refuse_read_only(s, f) != 0)
		return -1;
	if (check_keys(s, 1, f) != 0)
		return -1;
	sqlite3_busy_timeout(s->db, 0);
	int rc = begin(s, "BEGIN IMMEDIATE", f);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	return rc;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		exec_simple(s, "ROLLBACK", NULL);
}

int store_run_changes(struct store *s, int64_t *out, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (store_cached_rc(s, STORE_RUN_CHANGES,
			    "SELECT count FROM run_changes", &st) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 0;
	}
	store_cached_done(st);
	return rc == 0 ? 0 : store_fail(s, f, "reading run_changes");
}

int store_data_version(struct store *s, int64_t *version, struct fail *f)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		store_fail(s, f, "reading data_version");
	}
	sqlite3_finalize(st);
	return rc;
}

int store_in_transaction(const struct store *s)
{
	return !sqlite3_get_autocommit(s->db);
}

int store_cached(struct store *s, enum store_cached which, const char *sql,
		 sqlite3_stmt **st, struct fail *f)
{
	if (s->cached[which] == NULL) {
		if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				       &s->cached[which], NULL) != SQLITE_OK)
			return store_fail(s, f, "preparing a statement");
	} else {
		sqlite3_reset(s->cached[which]);
		sqlite3_clear_bindings(s->cached[which]);
	}
	*st = s->cached[which];
	return 0;
}

int store_cached_rc(struct store *s, enum store_cached which,
		    const char *sql, sqlite3_stmt **st)
{
	*st = NULL;
	if (s->cached[which] == NULL) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &s->cached[which], NULL);
		if (rc != SQLITE_OK)
			return rc;
	} else {
		sqlite3_reset(s->cached[which]);
		sqlite3_clear_bindings(s->cached[which]);
	}
	*st = s->cached[which];
	return SQLITE_OK;
}

int store_cached_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return SQLITE_OK;
	int rc = sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int store_end(struct store *s, int own, int rc, struct fail *f)
{
	if (!own)
		return rc;
	if (rc == 0)
		return store_commit(s, f);
	store_rollback(s);
	return rc;
}
