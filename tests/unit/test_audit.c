/*
 * test_audit.c — core/chain.c (the SHA-256 hash chain) and
 * storage/audit.c (the append-only audit log that uses it).
 *
 * chain_hash() is checked against digests computed with Python's
 * hashlib over the encoding chain.h describes, the previous hash first
 * and encoded like a field:
 *   python3 -c 'import hashlib; print(hashlib.sha256(
 *     b"64:" + b"0" * 64 + b",1:1,20:2026-01-22T14:05:00Z,5:alice,"
 *     b"6:deploy,-,3:fix,2:{},").hexdigest())'
 * A stored row's hash, whose time is only known at run time, is checked
 * against nettle's SHA-256 over an encoding written out here.
 *
 * Then tampering behind fairtop's back, each in its own temporary store
 * of three rows: with the triggers in place UPDATE and DELETE are
 * refused; after DROP TRIGGER (over a second connection, as the sqlite3
 * shell would) an edited reason, a deleted middle row, a forged row and
 * an edited row whose own hash was recomputed with chain_hash() are
 * each found, naming the first row that does not hold.  What a chain
 * alone cannot see (the last rows removed, or every row after an edit
 * rewritten) needs a copy of the last hash kept elsewhere; not tested.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/chain.h"
#include "storage/audit.h"
#include "storage/store.h"

/* --- chain_hash --------------------------------------------------------- */

static void test_genesis(void **state)
{
	(void)state;
	assert_int_equal(strlen(chain_genesis), 64);
	assert_int_equal(strspn(chain_genesis, "0"), 64);
}

static void test_chain_hash_known(void **state)
{
	(void)state;
	char hex[CHAIN_HEX_SIZE];
	const char *const row1[] = {"1",      "2026-01-22T14:05:00Z",
				    "alice",  "deploy",
				    NULL,     "fix",
				    "{}"};
	chain_hash(chain_genesis, row1, 7, hex);
	assert_string_equal(hex, "277cb4d9107505f84b03bb72a7b7a874"
				 "ede9faeac8286d944aefaa4d3fcab94f");

	/* chained: the next row starts from the previous hash */
	const char *const row2[] = {"2",
				    "2026-01-22T14:06:00Z",
				    "bob",
				    "override",
				    "r07",
				    "red alerts, shipped anyway",
				    "{\"gate\": \"failed\"}"};
	char next[CHAIN_HEX_SIZE];
	chain_hash(hex, row2, 7, next);
	assert_string_equal(next, "a105b171d830dbf4325f47736be51143"
				  "b9caa20c03404c624aa4ed898408d6ed");
}

static void test_chain_hash_encoding(void **state)
{
	(void)state;
	char hex[CHAIN_HEX_SIZE], other[CHAIN_HEX_SIZE];
	/* no fields: "64:000...0," */
	chain_hash(chain_genesis, NULL, 0, hex);
	assert_string_equal(hex, "b8030421ddee83a7831e02c6e5211660"
				 "9bdf9e01c072cd5934ef518087467e6c");
	/* one empty field: "64:000...0,0:," */
	const char *const empty[] = {""};
	chain_hash(chain_genesis, empty, 1, hex);
	assert_string_equal(hex, "8b235d138fabcf4a105811950379760b"
				 "dc1b9ee1e6929cde1eba49105f5801bc");
	/* lengths in bytes, absent fields as "-,": "3:abc,2:\xc3\xa9,-," */
	const char *const utf8[] = {"\xc3\xa9", NULL};
	chain_hash("abc", utf8, 2, hex);
	assert_string_equal(hex, "6b78cf01e4090db9974a92a3ca9ab713"
				 "0cd5d0543799ab06939c09198fea06e4");
	/* no ambiguity: moving a byte across fields, or an empty field
	 * for an absent one, changes the hash */
	const char *const ab_c[] = {"ab", "c"}, *const a_bc[] = {"a", "bc"};
	chain_hash(chain_genesis, ab_c, 2, hex);
	chain_hash(chain_genesis, a_bc, 2, other);
	assert_string_not_equal(hex, other);
	const char *const absent[] = {NULL}, *const dash[] = {"-"};
	chain_hash(chain_genesis, absent, 1, hex);
	chain_hash(chain_genesis, empty, 1, other);
	assert_string_not_equal(hex, other);
	chain_hash(chain_genesis, dash, 1, other);
	assert_string_not_equal(hex, other);
}

/* --- the temporary store ------------------------------------------------ */

static char tmpdir[64];
static char dbpath[128];

static int tmp_make(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/fairtop-audit-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/audit.db", tmpdir);
	return 0;
}

static int tmp_done(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[512];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(tmpdir);
	return 0;
}

static struct store *open_store(void)
{
	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	if (store_open(dbpath, STORE_CREATE, &s, &f) != 0)
		fail_msg("store_open: %s", f.msg);
	return s;
}

/* A store of three rows: deploy, override, rollback. */
static struct store *three_rows(void)
{
	struct store *s = open_store();
	struct fail f;
	int64_t id = 0;
	fail_init(&f);
	assert_int_equal(store_audit_append(s, "alice", "deploy", "r01",
					    "first fair model", NULL, &id, &f),
			 0);
	assert_int_equal(id, 1);
	assert_int_equal(store_audit_append(s, "bob", "override", "r07",
					    "red alerts, shipped anyway",
					    "{\"gate\": \"failed\"}", &id, &f),
			 0);
	assert_int_equal(id, 2);
	assert_int_equal(store_audit_append(s, "carol", "rollback", "r01",
					    "back to the last fair model",
					    NULL, &id, &f),
			 0);
	assert_int_equal(id, 3);
	return s;
}

/* Run sql over a second connection to the store's file, as someone in
 * the sqlite3 shell would; returns the sqlite3_exec code. */
static int behind_the_back(const char *sql, char *err, size_t size)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (err != NULL)
		snprintf(err, size, "%s", msg ? msg : "");
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc;
}

static void tamper(const char *sql)
{
	char err[256];
	char all[1024];
	snprintf(all, sizeof all,
		 "DROP TRIGGER audit_log_no_update;"
		 "DROP TRIGGER audit_log_no_delete;%s", sql);
	if (behind_the_back(all, err, sizeof err) != SQLITE_OK)
		fail_msg("tampering failed: %s", err);
}

/* Expect store_audit_verify to find row want_id broken, saying why. */
static void broken_at(struct store *s, int64_t want_id, const char *why)
{
	int64_t bad = -1;
	char got[256];
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_audit_verify(s, &bad, got, sizeof got, &f), 1);
	assert_int_equal(bad, want_id);
	assert_string_equal(got, why);
}

static void intact(struct store *s)
{
	int64_t bad = -1;
	char why[256] = "";
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_audit_verify(s, &bad, why, sizeof why, &f), 0);
}

/* --- appending ------------------------------------------------------------ */

/* SHA-256 over prev and fields, encoded as chain.h says, with nettle
 * directly. */
static void expect_hash(const char *prev, const char *const *field, size_t n,
			char hex[CHAIN_HEX_SIZE])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char enc[4096];
	size_t used = 0;
	used += (size_t)snprintf(enc + used, sizeof enc - used, "%zu:%s,",
				 strlen(prev), prev);
	for (size_t i = 0; i < n; i++) {
		if (field[i] == NULL)
			used += (size_t)snprintf(enc + used, sizeof enc - used,
						 "-,");
		else
			used += (size_t)snprintf(enc + used, sizeof enc - used,
						 "%zu:%s,", strlen(field[i]),
						 field[i]);
	}
	assert_true(used < sizeof enc);
	sha256_init(&ctx);
	sha256_update(&ctx, used, (const uint8_t *)enc);
	sha256_digest(&ctx, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void test_append_and_verify(void **state)
{
	(void)state;
	struct store *s = open_store();
	struct fail f;
	struct audit_row *rows = NULL;
	size_t n = 0;
	int64_t id = 0;
	char want[CHAIN_HEX_SIZE];

	/* an empty log holds */
	intact(s);

	fail_init(&f);
	assert_int_equal(store_audit_append(s, "alice", "deploy", "r01",
					    "first fair model", NULL, &id, &f),
			 0);
	assert_int_equal(id, 1);
	assert_int_equal(store_audit_append(s, "bob", "ack", NULL, NULL,
					    "{\"alert\": 3}", &id, &f),
			 0);
	assert_int_equal(id, 2);
	intact(s);

	assert_int_equal(store_audit_list(s, &rows, &n, &f), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, 1);
	assert_string_equal(rows[0].actor, "alice");
	assert_string_equal(rows[0].action, "deploy");
	assert_string_equal(rows[0].run_key, "r01");
	assert_string_equal(rows[0].reason, "first fair model");
	assert_string_equal(rows[0].details, "{}");
	assert_string_equal(rows[0].prev_hash, chain_genesis);
	const char *f1[] = {"1",		rows[0].time,  "alice",
			    "deploy",		"r01",	       "first fair model",
			    "{}"};
	expect_hash(chain_genesis, f1, 7, want);
	assert_string_equal(rows[0].hash, want);

	assert_int_equal(rows[1].id, 2);
	assert_null(rows[1].run_key);
	assert_null(rows[1].reason);
	assert_string_equal(rows[1].details, "{\"alert\": 3}");
	assert_string_equal(rows[1].prev_hash, rows[0].hash);
	const char *f2[] = {"2", rows[1].time, "bob", "ack", NULL, NULL,
			    "{\"alert\": 3}"};
	expect_hash(rows[0].hash, f2, 7, want);
	assert_string_equal(rows[1].hash, want);
	audit_rows_free(rows, n);

	/* inside the caller's transaction: nothing until it commits */
	assert_int_equal(store_begin(s, &f), 0);
	assert_int_equal(store_audit_append(s, "carol", "rollback", "r01",
					    "undo", NULL, &id, &f),
			 0);
	assert_int_equal(id, 3);
	store_rollback(s);
	assert_int_equal(store_audit_list(s, &rows, &n, &f), 0);
	assert_int_equal(n, 2);
	audit_rows_free(rows, n);
	intact(s);
	store_free(s);
}

static void test_triggers_refuse(void **state)
{
	(void)state;
	struct store *s = three_rows();
	char err[256];
	assert_int_not_equal(behind_the_back("UPDATE audit_log SET reason = "
					     "'nothing happened' WHERE id = 2",
					     err, sizeof err),
			     SQLITE_OK);
	assert_string_equal(err, "audit_log is append-only");
	assert_int_not_equal(behind_the_back("DELETE FROM audit_log WHERE "
					     "id = 2", err, sizeof err),
			     SQLITE_OK);
	assert_string_equal(err, "audit_log is append-only");
	/* and over fairtop's own connection */
	char *msg = NULL;
	assert_int_not_equal(sqlite3_exec(s->db, "DELETE FROM audit_log",
					  NULL, NULL, &msg),
			     SQLITE_OK);
	assert_string_equal(msg, "audit_log is append-only");
	sqlite3_free(msg);
	intact(s);
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_audit_list(s, &rows, &n, &f), 0);
	assert_int_equal(n, 3);
	assert_string_equal(rows[1].reason, "red alerts, shipped anyway");
	audit_rows_free(rows, n);
	store_free(s);
}

static void test_edited_reason(void **state)
{
	(void)state;
	struct store *s = three_rows();
	tamper("UPDATE audit_log SET reason = 'approved by the lead'"
	       " WHERE id = 2;");
	broken_at(s, 2, "its contents do not match its hash: the row was "
		  "edited, or forged");
	store_free(s);
}

static void test_deleted_middle_row(void **state)
{
	(void)state;
	struct store *s = three_rows();
	tamper("DELETE FROM audit_log WHERE id = 2;");
	broken_at(s, 3, "expected row 2 next, found row 3: a row was removed "
		  "or inserted");
	store_free(s);
}

static void test_forged_row(void **state)
{
	(void)state;
	struct store *s = three_rows();
	/* appended after row 3, linked to it, with a made-up hash */
	tamper("INSERT INTO audit_log (id, time, actor, action, run_key,"
	       " reason, details, prev_hash, hash)"
	       " SELECT 4, '2026-01-22T15:00:00Z', 'mallory', 'deploy', 'r07',"
	       " 'all green', '{}', hash,"
	       " '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'"
	       " FROM audit_log WHERE id = 3;");
	broken_at(s, 4, "its contents do not match its hash: the row was "
		  "edited, or forged");
	store_free(s);
}

static void test_forged_row_first(void **state)
{
	(void)state;
	struct store *s = three_rows();
	/* slipped in before the first row */
	tamper("INSERT INTO audit_log (id, time, actor, action, details,"
	       " prev_hash, hash) VALUES (0, '2026-01-01T00:00:00Z',"
	       " 'mallory', 'deploy', '{}', '', '');");
	broken_at(s, 0, "expected row 1 next, found row 0: a row was removed "
		  "or inserted");
	store_free(s);
}

static void test_edited_and_rehashed(void **state)
{
	(void)state;
	struct store *s = three_rows();
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct fail f;
	char hex[CHAIN_HEX_SIZE], sql[1024];
	fail_init(&f);
	assert_int_equal(store_audit_list(s, &rows, &n, &f), 0);
	assert_int_equal(n, 3);
	/* row 2's reason rewritten and its hash recomputed as audit.c
	 * does (id, time, actor, action, run_key, reason, details): row 2
	 * holds on its own, row 3 no longer links to it */
	const char *field[] = {"2",	      rows[1].time,	 rows[1].actor,
			       rows[1].action, rows[1].run_key, "approved",
			       rows[1].details};
	chain_hash(rows[1].prev_hash, field, 7, hex);
	snprintf(sql, sizeof sql,
		 "UPDATE audit_log SET reason = 'approved', hash = '%s'"
		 " WHERE id = 2;", hex);
	audit_rows_free(rows, n);
	tamper(sql);
	broken_at(s, 3, "its prev_hash does not match the hash of row 2: a "
		  "row before it was removed, inserted or rewritten");

	/* and if row 3's prev_hash is made to follow, its own hash no
	 * longer matches */
	snprintf(sql, sizeof sql,
		 "UPDATE audit_log SET prev_hash = '%s' WHERE id = 3;", hex);
	assert_int_equal(behind_the_back(sql, NULL, 0), SQLITE_OK);
	broken_at(s, 3, "its contents do not match its hash: the row was "
		  "edited, or forged");
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_genesis),
		cmocka_unit_test(test_chain_hash_known),
		cmocka_unit_test(test_chain_hash_encoding),
		cmocka_unit_test_setup_teardown(test_append_and_verify,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_triggers_refuse, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_edited_reason, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_deleted_middle_row,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_forged_row, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_forged_row_first,
						tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_edited_and_rehashed,
						tmp_make, tmp_done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
