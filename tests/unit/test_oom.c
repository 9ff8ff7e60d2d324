/*
 * test_oom.c — allocation failures over ingest, the gate and the
 * dashboard's snapshot (tests/unit/oom.h injects them).
 *
 * Each path is swept: for N = 1, 2, 3, ... it runs with the Nth
 * allocation failing (malloc and its kin in fairtop's objects, SQLite's
 * own, libcsv's buffer), once, until it runs to its end without
 * reaching N.  Every run must either succeed with what the run with no
 * failure gives (its exit code, its output, the store byte for byte:
 * time() is fixed) or report "out of memory" with exit 70 (FAIL_INTERNAL
 * for the snapshot, which the dashboard shows) and leave the store as it
 * was.  ASan (make unit-asan) adds: no crash, no leak on any of those
 * paths.
 *
 * Ingest and the gate go through the command table, as `fairtop --db
 * s.db ingest DIR` and `fairtop --db s.db gate ...` run them (the store
 * opened and the policy loaded under the same faults); their stdout and
 * stderr are caught in files.  Each run starts from a copy of a store
 * made once (template.db) when the run before changed it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/fixture.h"
#include "tests/unit/oom.h"

#include "cli/cli.h"
#include "cli/findings.h"
#include "core/strbuf.h"
#include "service/snapshot.h"

/* The scratch folder in memory where there is one (/dev/shm): each
 * sweep opens, writes and closes the store thousands of times, and a
 * disk's fsync() would make it minutes. */
static int tmp_make(void **state)
{
	(void)state;
	struct stat sb;
	if (stat("/dev/shm", &sb) != 0 || !S_ISDIR(sb.st_mode))
		return fixture_make_dir("oom");
	snprintf(fixture_dir, sizeof fixture_dir,
		 "/dev/shm/fairtop-oom-XXXXXX");
	return mkdtemp(fixture_dir) == NULL ? fixture_make_dir("oom") : 0;
}

/* stdout and stderr while a path runs with them caught, -1 else */
static int keep_out = -1, keep_err = -1;

/* stdout and stderr back where they were before a path ran. */
static void restore_out(void)
{
	fflush(stdout);
	fflush(stderr);
	dup2(keep_out, 1);
	dup2(keep_err, 2);
	close(keep_out);
	close(keep_err);
	keep_out = keep_err = -1;
}

/* stdout and stderr back, if a path stopped while they were caught (a
 * crash): what it said is shown. */
static void uncatch(void)
{
	char path[300];
	if (keep_out < 0)
		return;
	oom_stop();
	restore_out();
	snprintf(path, sizeof path, "%s/stderr", fixture_dir);
	FILE *in = fopen(path, "r");
	int c;
	fprintf(stderr, "the path stopped; its stderr:\n");
	while (in != NULL && (c = getc(in)) != EOF)
		putc(c, stderr);
	if (in != NULL)
		fclose(in);
}

static int tmp_done(void **state)
{
	(void)state;
	uncatch();
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* Counts at step 1 of groups sex=F and sex=M (test_verdict.c's):
 * FAIR alike; UNFAIR selection rates 0.5 and 0.3. */
#define FAIR "1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"
#define UNFAIR "1,sex=F,90,10,90,10\n1,sex=M,50,10,90,50\n"

static char db_path[256], template_path[256];

/* Fail allocation 1, 1 + stride, 1 + 2 * stride ...: 1, every one, in
 * the plain build; under ASan, 10 times slower, every 13th unless
 * OOM_STRIDE says otherwise (OOM_STRIDE=1 for the whole sweep). */
static long stride = 1;

/* ------------------------------------------------------------------ */
/* The store, byte for byte where it counts: the schema, user_version
 * and every row of every table, as text. */

static void dump_value(struct strbuf *sb, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		strbuf_addstr(sb, "NULL");
		break;
	case SQLITE_INTEGER:
		strbuf_addf(sb, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		strbuf_addf(sb, "%.17g", sqlite3_column_double(st, i));
		break;
	case SQLITE_BLOB: {
		const unsigned char *b = sqlite3_column_blob(st, i);
		int n = sqlite3_column_bytes(st, i);
		strbuf_addstr(sb, "x'");
		for (int k = 0; k < n; k++)
			strbuf_addf(sb, "%02x", b[k]);
		strbuf_addch(sb, '\'');
		break;
	}
	default:
		strbuf_addf(sb, "'%s'", (const char *)sqlite3_column_text(st, i));
	}
}

static void dump_query(sqlite3 *db, const char *sql, struct strbuf *sb)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("dump: %s: %s", sql, sqlite3_errmsg(db));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			if (i > 0)
				strbuf_addch(sb, '|');
			dump_value(sb, st, i);
		}
		strbuf_addch(sb, '\n');
	}
	if (rc != SQLITE_DONE)
		fail_msg("dump: %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

/* The store at path as text (caller frees). */
static char *dump(const char *path)
{
	sqlite3 *db = NULL;
	struct strbuf sb = STRBUF_INIT;
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("dump: cannot open %s", path);
	dump_query(db, "PRAGMA user_version", &sb);
	dump_query(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema"
		       " ORDER BY type, name", &sb);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema"
					    " WHERE type = 'table' ORDER BY"
					    " name", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		strbuf_reset(&sql);
		strbuf_addf(&sql, "SELECT * FROM \"%s\"", name);
		strbuf_addf(&sb, "-- %s\n", name);
		dump_query(db, sql.buf, &sb);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	strbuf_release(&sql);
	assert_false(strbuf_failed(&sb));
	return strbuf_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ */
/* Files: the template store copied over the store, output read back. */

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(in);
	assert_false(strbuf_failed(&sb));
	return strbuf_detach(&sb, NULL);
}

static void copy_file(const char *from, const char *to)
{
	char *text = NULL;
	struct stat sb;
	assert_int_equal(stat(from, &sb), 0);
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	assert_non_null(in);
	assert_non_null(out);
	text = malloc((size_t)sb.st_size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)sb.st_size, in),
			 (size_t)sb.st_size);
	assert_int_equal(fwrite(text, 1, (size_t)sb.st_size, out),
			 (size_t)sb.st_size);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	free(text);
}

/* The store, back as the template holds it. */
static void restore_store(void)
{
	char side[300];
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
	copy_file(template_path, db_path);
}

/* The store as it is now made the template: closed (its WAL
 * checkpointed into the file), copied. */
static void make_template(struct store *s)
{
	store_free(s);
	copy_file(db_path, template_path);
}

/* ------------------------------------------------------------------ */
/* One path under one fault. */

struct outcome {
	int rc;        /* the exit code (the snapshot: 0 or 70) */
	char *out;     /* stdout; the snapshot: what it holds */
	char *err;     /* stderr; the snapshot: the failure's message */
	int fired;     /* the fault asked for was made */
	long made;     /* allocations counted */
};

static void outcome_release(struct outcome *o)
{
	free(o->out);
	free(o->err);
	memset(o, 0, sizeof *o);
}

typedef int path_fn(const void *arg, struct strbuf *out, struct fail *f);

/* A command of the table, as `fairtop --db s.db ARGV...` runs it. */
static int run_command(const void *arg, struct strbuf *out, struct fail *f)
{
	(void)out;
	(void)f;
	char *const *argv = arg;
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	struct cli cli = {db_path, NULL};
	const struct command_spec *c = command_find(argv[0]);
	assert_non_null(c);
	return command_run(c, &cli, argc, (char **)argv);
}

/* Run fn with the nth allocation failing (0: none), its stdout and
 * stderr caught. */
static void run_path(path_fn *fn, const void *arg, long n, struct outcome *o)
{
	char out_path[300], err_path[300];
	struct strbuf held = STRBUF_INIT;
	struct fail f;
	fail_init(&f);
	snprintf(out_path, sizeof out_path, "%s/stdout", fixture_dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", fixture_dir);
	fflush(stdout);
	fflush(stderr);
	keep_out = dup(1);
	keep_err = dup(2);
	int to_out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int to_err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(keep_out >= 0 && keep_err >= 0 && to_out >= 0 &&
		    to_err >= 0);
	dup2(to_out, 1);
	dup2(to_err, 2);
	oom_start(n);
	o->rc = fn(arg, &held, &f);
	o->made = oom_stop();
	o->fired = oom_fired();
	restore_out();
	close(to_out);
	close(to_err);
	o->out = slurp(out_path);
	o->err = slurp(err_path);
	if (held.len > 0 || f.kind != FAIL_NONE) {
		/* a path that reports through *f: its text and message */
		if (strbuf_failed(&held))
			fail_msg("the test's own text ran out of memory");
		free(o->out);
		free(o->err);
		o->out = strbuf_detach(&held, NULL);
		o->err = strdup(f.msg);
		assert_non_null(o->err);
		if (o->rc != 0) {
			if (f.kind != FAIL_INTERNAL)
				fail_msg("failed with kind %d, not "
					 "FAIL_INTERNAL: %s", (int)f.kind,
					 f.msg);
			o->rc = cli_exit_code(f.kind);
		}
	}
	strbuf_release(&held);
}

/* The first line where got differs from want, both shown. */
static const char *first_difference(const char *got, const char *want)
{
	static char text[4096];
	const char *g = got, *w = want;
	while (*g != '\0' && *g == *w) {
		if (*g == '\n')
			want = w + 1, got = g + 1;
		g++;
		w++;
	}
	snprintf(text, sizeof text, "found:    %.*s\nexpected: %.*s",
		 (int)strcspn(got, "\n"), got, (int)strcspn(want, "\n"),
		 want);
	return text;
}

/* Sweep fn over every allocation it makes; the number of faults.
 * warm: run it once with no fault first, and start each run from the
 * store it leaves (a gate or the dashboard keeps the verdicts it judges,
 * a cache, written when it can: the store they leave unchanged is the
 * one where those verdicts are kept already). */
static long sweep(const char *name, path_fn *fn, const void *arg, int warm)
{
	struct outcome want = {0}, got = {0};
	restore_store();
	if (warm) {
		run_path(fn, arg, 0, &want);
		outcome_release(&want);
		copy_file(db_path, template_path);
	}
	char *before = dump(db_path);
	run_path(fn, arg, 0, &want);
	char *after = dump(db_path);
	if (want.rc != EXIT_OK && want.rc != EXIT_CHECK_FAILED)
		fail_msg("%s with no fault: exit %d: %s", name, want.rc,
			 want.err);
	long faults = 0, ok = 0;
	int changed = 1;
	for (long n = 1;; n += stride) {
		if (changed)
			restore_store();
		run_path(fn, arg, n, &got);
		char *now = dump(db_path);
		if (!got.fired) {
			/* past the last allocation: the path as with no
			 * fault */
			if (got.rc != want.rc || strcmp(got.out, want.out) != 0 ||
			    strcmp(now, after) != 0)
				fail_msg("%s: no fault made, and another outcome"
					 " (exit %d): %s", name, got.rc, got.err);
			if (got.made != want.made)
				fail_msg("%s: %ld allocations, %ld with no "
					 "fault", name, got.made, want.made);
			free(now);
			outcome_release(&got);
			break;
		}
		faults++;
		if (got.rc == EXIT_INTERNAL) {
			if (strstr(got.err, "out of memory") == NULL)
				fail_msg("%s, allocation %ld failing: exit 70, "
					 "but not \"out of memory\": %s", name,
					 n, got.err);
			if (strcmp(now, before) != 0)
				fail_msg("%s, allocation %ld failing: exit 70 "
					 "(%s), and the store changed", name, n,
					 got.err);
			changed = 0;
		} else {
			if (got.rc != want.rc)
				fail_msg("%s, allocation %ld failing: exit %d, "
					 "expected %d or 70: %s", name, n,
					 got.rc, want.rc, got.err);
			if (strcmp(got.out, want.out) != 0)
				fail_msg("%s, allocation %ld failing: "
					 "succeeded with another output:\n%s",
					 name, n, first_difference(got.out,
								   want.out));
			if (strcmp(now, after) != 0)
				fail_msg("%s, allocation %ld failing: "
					 "succeeded, and the store holds "
					 "another thing than with no fault",
					 name, n);
			ok++;
			changed = 1;
		}
		free(now);
		outcome_release(&got);
		if (n > 1000000)
			fail_msg("%s: no end to the sweep", name);
	}
	/* the sweep must have failed many allocations, most of them for
	 * real */
	assert_true(faults * stride > 50);
	assert_true(faults - ok > faults / 2);
	print_message("  %s: %ld allocations failed one at a time (stride "
		      "%ld over %ld): %ld reported out of memory (exit 70), "
		      "store unchanged; %ld succeeded as with no fault\n",
		      name, faults, stride, want.made, faults - ok, ok);
	outcome_release(&want);
	free(before);
	free(after);
	return faults;
}

/* ------------------------------------------------------------------ */
/* The run folders and stores swept. */

/* The first lines of a sample run's file (the header and lines-1
 * rows), into dir. */
static void sample_head(const char *run, const char *file, int lines,
			const char *dir)
{
	char path[512], line[4096];
	struct strbuf sb = STRBUF_INIT;
	snprintf(path, sizeof path, "sample_runs/%s/%s", run, file);
	FILE *in = fopen(path, "r");
	if (in == NULL)
		fail_msg("%s: not found (the tests run from the top folder)",
			 path);
	for (int i = 0; (lines < 0 || i < lines) &&
			fgets(line, sizeof line, in) != NULL; i++)
		strbuf_addstr(&sb, line);
	fclose(in);
	assert_false(strbuf_failed(&sb));
	fixture_write_file(dir, file, sb.buf);
	strbuf_release(&sb);
}

/* fixture_dir/NAME: sample run RUN's run.csv, its first 200 predictions
 * and 40 metric points (a batch of 32 stored at once, then 8 alone:
 * storage/ingest.c). */
static void sample_folder(const char *name, const char *run)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir, name);
	mkdir(dir, 0755);
	sample_head(run, "run.csv", -1, dir);
	sample_head(run, "predictions.csv", 201, dir);
	sample_head(run, "metrics.csv", 41, dir);
}

/* fixture_dir/NAME: a counts run. */
static void counts_folder(const char *name, const char *started,
			  const char *counts)
{
	char dir[300], text[2048];
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir, name);
	mkdir(dir, 0755);
	snprintf(text, sizeof text, "key,value\nrun,%s\nmodel,m\n"
		 "started_at,%s\nbeta_factor,1\n", name, started);
	fixture_write_file(dir, "run.csv", text);
	snprintf(text, sizeof text, "step,group,tp,fp,tn,fn\n%s", counts);
	fixture_write_file(dir, "counts.csv", text);
}

/* `fairtop ingest DIR` with no fault, its output thrown away. */
static void ingest_quietly(const char *name)
{
	char dir[300];
	struct outcome o = {0};
	snprintf(dir, sizeof dir, "%s/%s", fixture_dir, name);
	char *argv[] = {"ingest", dir, NULL};
	run_path(run_command, argv, 0, &o);
	if (o.rc != EXIT_OK)
		fail_msg("ingest %s: exit %d: %s", name, o.rc, o.err);
	outcome_release(&o);
}

/* The folders, and the template: r1 fair and deployed; with more, r02
 * (the sample run, predictions and metrics) and r2 (unfair) ingested,
 * judged and alerted at arrival, and r2 deployed over r1 by override. */
static void make_store(int more)
{
	snprintf(db_path, sizeof db_path, "%s/s.db", fixture_dir);
	snprintf(template_path, sizeof template_path, "%s/template.db",
		 fixture_dir);
	sample_folder("r02", "r02");
	counts_folder("r1", "2026-01-01T00:00:00Z", FAIR);
	counts_folder("r2", "2026-01-20T00:00:00Z", UNFAIR);
	struct store *s = fixture_open_store();
	ingest_quietly("r1");
	fixture_history(s, "2026-01-02T00:00:00Z,r1,deploy,a,first\n");
	if (more) {
		ingest_quietly("r02");
		ingest_quietly("r2");
		fixture_history(s, "2026-01-02T00:00:00Z,r1,deploy,a,first\n"
				   "2026-01-21T00:00:00Z,r2,override,b,fast\n");
	}
	make_template(s);
}

static void print_total(const char *what, long n)
{
	print_message("oom sweep: %s %ld faults\n", what, n);
}

/* ------------------------------------------------------------------ */

static void test_ingest(void **state)
{
	(void)state;
	char pred[300], counts[300];
	make_store(0);
	snprintf(pred, sizeof pred, "%s/r02", fixture_dir);
	snprintf(counts, sizeof counts, "%s/r2", fixture_dir);
	char *ingest_pred[] = {"ingest", pred, NULL};
	char *ingest_counts[] = {"ingest", counts, NULL};
	long n = sweep("ingest r02 (predictions, metrics)", run_command,
		       ingest_pred, 0);
	n += sweep("ingest r2 (counts)", run_command, ingest_counts, 0);
	/* 40 groups: a batch of 32 confusion rows stored at once, then 8
	 * alone */
	struct strbuf rows = STRBUF_INIT;
	for (int g = 0; g < 40; g++)
		strbuf_addf(&rows, "1,sex=g%02d,%d,10,50,%d\n", g, 40 + g,
			    60 - g);
	assert_false(strbuf_failed(&rows));
	counts_folder("r3", "2026-01-30T00:00:00Z", rows.buf);
	strbuf_release(&rows);
	snprintf(counts, sizeof counts, "%s/r3", fixture_dir);
	n += sweep("ingest r3 (40 groups)", run_command, ingest_counts, 0);
	print_total("ingest", n);
}

static void test_gate(void **state)
{
	(void)state;
	make_store(1);
	char *pair[] = {"gate", "--baseline", "r1", "--candidate", "r02",
			NULL};
	char *deployed[] = {"gate", "--baseline", "deployed", "--candidate",
			    "r02", NULL};
	char *json[] = {"gate", "--baseline", "r02", "--candidate", "r2",
			"--format", "json", NULL};
	long n = sweep("gate r1 r02", run_command, pair, 1);
	n += sweep("gate deployed r02", run_command, deployed, 1);
	n += sweep("gate r02 r2 --format json", run_command, json, 1);
	print_total("gate", n);
}

/* The dashboard's reading: the header, every part, the Compare view
 * of r1 and r2; what it holds written out, so that two runs compare. */
static int do_snapshot(const void *arg, struct strbuf *out, struct fail *f)
{
	(void)arg;
	struct store *s = NULL;
	struct policy p;
	struct snapshot snap;
	struct snap_compare c;
	char *findings = NULL;
	int rc = -1;
	policy_defaults(&p);
	memset(&snap, 0, sizeof snap);
	memset(&c, 0, sizeof c);
	/* arg: the runs a page at a time, the dashboard's way */
	snap.page_size = arg ? *(const size_t *)arg : 0;
	snap.timeline_runs = snap.page_size;
	if (store_open(db_path, STORE_OPEN_READ, &s, f) != 0 ||
	    snapshot_refresh(s, &p, &snap, f) != 0 ||
	    snapshot_need(s, &p, &snap, SNAP_ALL, f) != 0)
		goto out;
	while (snap.reading.more)
		if (snapshot_read_more(s, &p, &snap, f) != 0)
			goto out;
	if (snapshot_compare(s, &p, "r1", "r2", &c, f) != 0)
		goto out;
	findings = findings_to_json(&c.j);
	if (findings == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	rc = 0;
	oom_stop(); /* the test's own text */
	strbuf_addf(out, "deployed=%s kind=%s since=%s actor=%s why=%s "
		    "in_store=%d fair=%d last_fair=%s open=%zu/%zu "
		    "cand=%zu/%zu/%zu\n", snap.deployed, snap.deployed_kind,
		    snap.deployed_since, snap.deployed_actor, snap.deployed_why,
		    snap.deployed_in_store, snap.deployed_fair, snap.last_fair,
		    snap.open_critical, snap.open_warning, snap.cand_critical,
		    snap.cand_warning, snap.cand_runs_critical);
	for (size_t i = 0; i < snap.nruns; i++) {
		const struct snap_run *r = &snap.runs[i];
		strbuf_addf(out, "run %s %s %s %s acc=%.6g dp=%.6g eo=%.6g "
			    "worst=%s fair=%d:%s:%s vs_prod=%d:%s:%s "
			    "alerts=%zu/%zu deployed=%d last_fair=%d "
			    "unlike=%d\n", r->key, r->started, r->model,
			    r->version, r->accuracy, r->dp, r->eo,
			    r->worst_group, (int)r->fair.mark, r->fair.rule,
			    r->fair.against, (int)r->vs_prod.mark,
			    r->vs_prod.rule, r->vs_prod.against, r->open_alerts,
			    r->critical_alerts, r->is_deployed,
			    r->is_last_fair, r->unlike_last_fair);
	}
	for (size_t i = 0; i < snap.nalerts; i++)
		strbuf_addf(out, "alert %lld %s %s %s %s\n",
			    (long long)snap.alerts[i].id,
			    snap.alerts[i].run_key, snap.alerts[i].rule,
			    snap.alerts[i].severity, snap.alerts[i].message);
	for (size_t i = 0; i < snap.timeline.n; i++)
		strbuf_addf(out, "event %s %s %s %s: %s\n",
			    snap.timeline.e[i].time, snap.timeline.e[i].kind,
			    snap.timeline.e[i].run, snap.timeline.e[i].actor,
			    snap.timeline.e[i].text);
	strbuf_addf(out, "compare %s %s passed=%d ci=%zu/%zu %s\n",
		    c.base.run.key, c.cand.run.key, c.j.passed, c.base_ci.n,
		    c.cand_ci.n, findings);
out:
	free(findings);
	snap_compare_release(&c);
	snapshot_release(&snap);
	store_free(s);
	return rc;
}

static void test_snapshot(void **state)
{
	(void)state;
	make_store(1);
	static const size_t one = 1;
	long n = sweep("snapshot", do_snapshot, NULL, 1);
	n += sweep("snapshot, a run a page", do_snapshot, &one, 1);
	print_total("snapshot", n);
}

int main(void)
{
	/* before any SQLite call */
	oom_init();
	/* no policy file but the built-in one, one actor */
	unsetenv("FAIRTOP_POLICY");
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	setenv("XDG_CONFIG_DIRS", "/nonexistent", 1);
	setenv("USER", "tester", 1);
#ifdef __SANITIZE_ADDRESS__
	stride = 13;
#endif
	const char *given = getenv("OOM_STRIDE");
	if (given != NULL && atol(given) > 0)
		stride = atol(given);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ingest, tmp_make,
						tmp_done),
		cmocka_unit_test_setup_teardown(test_gate, tmp_make, tmp_done),
		cmocka_unit_test_setup_teardown(test_snapshot, tmp_make,
						tmp_done),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
