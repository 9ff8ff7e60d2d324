/*
 * test_verdict.c — service/verdict.c, and the paths that decide with it
 * (service/rollplan.c, timeline_summary() in service/timeline.c), on
 * small stores.
 *
 * First the baselines each verdict chooses: nothing deployed (on its
 * own, "nothing is in production"); the run itself in production ("in
 * production now"); a production run the deployment history names but
 * the store does not hold (absent: on its own, the note names it, not an
 * error); at arrival, the deployment at or before the run's start; and
 * the policy digest each verdict carries (it follows the judging keys,
 * not [deploy]).
 *
 * Then the fault sweep.  A store error must never be taken for "absent"
 * or "not fair": a path that decides either gets the answer it gets with
 * no fault, or fails with FAIL_INTERNAL.  An SQLite progress handler
 * interrupts the statement running after the budget-th virtual machine
 * step (SQLITE_INTERRUPT, a real error from inside sqlite3_step() or
 * sqlite3_prepare()); the budget goes 1, 2, 3, ... until the call runs
 * to its end with the handler never firing, so every statement each
 * path runs fails once at each of its steps.  The store holds r1 (fair,
 * deployed first), r2 (unfair, deployed last: production) and the
 * candidate r3 (fair on its own, failing against r2 for its fewer
 * rows), so that any silent fallback changes the answer: r3 judged on
 * its own passes, a rollback plan without r1 has no target, a summary
 * without r1 has no last fair model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/fixture.h"
#include "service/ingest.h"
#include "service/judgeload.h"
#include "service/rollplan.h"
#include "service/timeline.h"
#include "service/verdict.h"
#include "storage/deploy_store.h"
#include "storage/ingest.h"
#include "storage/store.h"

static int tmp_make(void **state)
{
	(void)state;
	return fixture_make_dir("verdict");
}

static int tmp_done(void **state)
{
	(void)state;
	fixture_remove_tree(fixture_dir);
	return 0;
}

/* Confusion counts at step 1, groups sex=F and sex=M, 100 positives in
 * each.  FAIR: both groups alike, 200 rows each.  UNFAIR: selection
 * rates 0.5 and 0.3 (demographic parity difference 0.2).  FEWER: both
 * alike, 150 rows each: fair on its own, failing against a baseline of
 * 400 rows (coverage.require_baseline_rows). */
#define FAIR "1,sex=F,80,10,90,20\n1,sex=M,80,10,90,20\n"
#define UNFAIR "1,sex=F,90,10,90,10\n1,sex=M,50,10,90,50\n"
#define FEWER "1,sex=F,60,8,67,15\n1,sex=M,60,8,67,15\n"

static void ingest(struct store *s, const char *key, const char *started,
		   const char *counts)
{
	fixture_ingest_counts(s, NULL, key, NULL, started, counts);
}

/* The deployment history from before fairtop (deployments.csv rows
 * "time,run,kind,actor,reason"), with the times given. */
static void history(struct store *s, const char *rows)
{
	fixture_history(s, rows);
}

/* A deployment made by fairtop now, done. */
static void deploy(struct store *s, const char *run, const char *kind)
{
	fixture_deploy(s, run, kind);
}

/* One verdict of the run called key, through a fresh context. */
static void one(struct store *s, const struct policy *p, const char *key,
		enum verdict_kind kind, struct run_verdict *v)
{
	struct verdict_ctx c;
	struct judged_run run;
	struct fail f;
	fail_init(&f);
	run_verdict_release(v); /* what an earlier call left */
	if (judgeload(s, key, &run, &f) != 0)
		fail_msg("judgeload %s: %s", key, f.msg);
	if (verdict_ctx_init(&c, s, p, &f) != 0 ||
	    verdict_ctx_one(&c, &run, kind, v, NULL, NULL, &f) != 0)
		fail_msg("verdict of %s: %s", key, f.msg);
	assert_int_equal(v->kind, kind);
	assert_string_equal(v->policy, c.digest);
	verdict_ctx_release(&c);
	judgeload_release(&run);
}

/* verdict_baseline() for the run called key. */
static int baseline(struct store *s, const char *key, enum verdict_kind kind,
		    char *buf, size_t size, char *note, size_t note_size)
{
	struct production prod;
	struct stored_run r;
	struct fail f;
	fail_init(&f);
	assert_int_equal(verdict_production(s, &prod, &f), 0);
	assert_int_equal(store_find_run(s, key, &r, &f), 0);
	int got = verdict_baseline(s, &r, kind, &prod, buf, size, note,
				   note_size, &f);
	stored_run_release(&r);
	assert_true(got == 0 || got == 1);
	assert_int_equal(f.kind, FAIL_NONE);
	return got;
}

/* ------------------------------------------------------------------ */

static void test_nothing_deployed(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct production prod;
	struct run_verdict v = {0};
	struct fail f;
	char key[256], note[384];
	policy_defaults(&p);
	fail_init(&f);
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r2", "2026-01-03T00:00:00Z", UNFAIR);

	assert_int_equal(verdict_production(s, &prod, &f), 0);
	assert_int_equal(prod.found, 0);
	assert_int_equal(prod.in_store, 0);
	assert_string_equal(prod.run, "");

	assert_int_equal(baseline(s, "r2", VERDICT_VS_PROD, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(key, "");
	assert_string_equal(note, "nothing is in production");
	assert_int_equal(baseline(s, "r2", VERDICT_AT_ARRIVAL, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(note, "nothing was in production when it "
			    "started");
	assert_int_equal(baseline(s, "r2", VERDICT_FAIR, key, sizeof key, note,
				  sizeof note), 1);
	assert_string_equal(note, "");

	/* on its own: r1 passes, r2 fails its parity, in every kind */
	for (int k = 0; k < VERDICT_KINDS; k++) {
		one(s, &p, "r1", (enum verdict_kind)k, &v);
		assert_true(v.passed);
		assert_string_equal(v.baseline, "");
		assert_int_equal(v.fails, 0);
		one(s, &p, "r2", (enum verdict_kind)k, &v);
		assert_false(v.passed);
		assert_string_equal(v.baseline, "");
		assert_true(v.fails > 0);
		assert_non_null(strstr(v.first, "demographic parity"));
	}
	one(s, &p, "r2", VERDICT_VS_PROD, &v);
	assert_string_equal(v.note, "nothing is in production");
	run_verdict_release(&v);
	store_free(s);
}

static void test_in_production_now(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct production prod;
	struct run_verdict v = {0};
	struct fail f;
	char key[256], note[384];
	policy_defaults(&p);
	fail_init(&f);
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r2", "2026-01-03T00:00:00Z", UNFAIR);
	ingest(s, "r3", "2026-01-05T00:00:00Z", FEWER);
	deploy(s, "r1", "deploy");
	deploy(s, "r2", "override");

	assert_int_equal(verdict_production(s, &prod, &f), 0);
	assert_int_equal(prod.found, 1);
	assert_int_equal(prod.in_store, 1);
	assert_string_equal(prod.run, "r2");
	assert_string_equal(prod.kind, "override");
	assert_true(prod.deployment_id > 0);

	/* r2 itself: on its own, it fails its parity */
	assert_int_equal(baseline(s, "r2", VERDICT_VS_PROD, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(note, "in production now");
	one(s, &p, "r2", VERDICT_VS_PROD, &v);
	assert_false(v.passed);
	assert_string_equal(v.baseline, "");
	assert_string_equal(v.note, "in production now");

	/* r3 against r2: fewer rows than production, though fair alone */
	assert_int_equal(baseline(s, "r3", VERDICT_VS_PROD, key, sizeof key,
				  note, sizeof note), 0);
	assert_string_equal(key, "r2");
	assert_string_equal(note, "");
	one(s, &p, "r3", VERDICT_VS_PROD, &v);
	assert_false(v.passed);
	assert_string_equal(v.baseline, "r2");
	assert_string_equal(v.note, "");
	assert_int_equal(v.fails, 1);
	assert_non_null(strstr(v.first, "fewer than the baseline"));
	one(s, &p, "r3", VERDICT_FAIR, &v);
	assert_true(v.passed);
	assert_string_equal(v.baseline, "");

	/* through verdict_of and verdict_ctx_key, the same */
	struct run_verdict w = {0};
	assert_int_equal(verdict_of(s, &p, "r3", VERDICT_VS_PROD, &w, &f), 0);
	assert_string_equal(w.baseline, "r2");
	assert_false(w.passed);
	run_verdict_release(&w);
	struct verdict_ctx c;
	assert_int_equal(verdict_ctx_init(&c, s, &p, &f), 0);
	assert_int_equal(verdict_ctx_key(&c, "r3", VERDICT_VS_PROD, &w, &f),
			 0);
	assert_string_equal(w.baseline, "r2");
	run_verdict_release(&w);
	assert_int_equal(verdict_ctx_key(&c, "nope", VERDICT_VS_PROD, &w, &f),
			 1);
	assert_int_equal(f.kind, FAIL_NONE);
	verdict_ctx_release(&c);
	assert_int_equal(verdict_of(s, &p, "nope", VERDICT_VS_PROD, &w, &f),
			 -1);
	assert_int_equal(f.kind, FAIL_USAGE);
	run_verdict_release(&v);
	store_free(s);
}

static void test_production_not_in_store(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct production prod;
	struct run_verdict v = {0};
	struct fail f;
	char key[256], note[384];
	policy_defaults(&p);
	fail_init(&f);
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r3", "2026-01-05T00:00:00Z", FEWER);
	/* ghost is named by the history only, never ingested */
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n"
		   "2026-01-04T00:00:00Z,ghost,override,a,y\n");

	assert_int_equal(verdict_production(s, &prod, &f), 0);
	assert_int_equal(prod.found, 1);
	assert_int_equal(prod.in_store, 0);
	assert_string_equal(prod.run, "ghost");
	assert_int_equal(f.kind, FAIL_NONE);

	assert_int_equal(baseline(s, "r3", VERDICT_VS_PROD, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(key, "");
	assert_string_equal(note, "ghost, in production, is not in the "
			    "store");
	/* absent, not an error: judged on its own, where r3 passes (it
	 * would fail against any 400-row baseline) */
	one(s, &p, "r3", VERDICT_VS_PROD, &v);
	assert_true(v.passed);
	assert_string_equal(v.baseline, "");
	assert_non_null(strstr(v.note, "ghost"));
	run_verdict_release(&v);
	assert_int_equal(verdict_of(s, &p, "r3", VERDICT_VS_PROD, &v, &f), 0);
	assert_non_null(strstr(v.note, "ghost"));

	/* at arrival r3 started after ghost's deployment: the same */
	assert_int_equal(baseline(s, "r3", VERDICT_AT_ARRIVAL, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(note, "ghost, in production when it started, is "
			    "not in the store");
	one(s, &p, "r3", VERDICT_AT_ARRIVAL, &v);
	assert_true(v.passed);
	assert_string_equal(v.baseline, "");

	/* the summary: ghost deployed, not in the store, r1 last fair */
	struct summary_info sum;
	assert_int_equal(timeline_summary(s, &p, &sum, &f), 0);
	assert_string_equal(sum.deployed, "ghost");
	assert_int_equal(sum.deployed_in_store, 0);
	assert_string_equal(sum.last_fair, "r1");
	assert_int_equal(f.kind, FAIL_NONE);
	summary_info_release(&sum);
	run_verdict_release(&v);
	store_free(s);
}

static void test_at_arrival(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct run_verdict v = {0};
	char key[256], note[384];
	policy_defaults(&p);
	ingest(s, "r0", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r1", "2026-01-01T12:00:00Z", FAIR);
	ingest(s, "r2", "2026-01-03T00:00:00Z", UNFAIR);
	/* started the second r2 was deployed: "at or before" takes r2 */
	ingest(s, "r3", "2026-01-04T00:00:00Z", FEWER);
	ingest(s, "r4", "2026-01-05T00:00:00Z", FEWER);
	/* r1 deployed the second it started; a deployment that failed
	 * after r2 (pending/failed never count) */
	history(s, "2026-01-01T12:00:00Z,r1,deploy,a,x\n"
		   "2026-01-04T00:00:00Z,r2,override,a,y\n");
	int64_t id;
	struct fail f;
	fail_init(&f);
	assert_int_equal(store_deployment_begin(s, "r0", "deploy", "ann", "z",
						&id, &f), 0);
	assert_int_equal(store_deployment_finish(s, id, 0, 1, NULL, "{}",
						 &f),
			 0);

	/* r0 started before anything was deployed */
	assert_int_equal(baseline(s, "r0", VERDICT_AT_ARRIVAL, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(note, "nothing was in production when it "
			    "started");
	/* r1 was deployed at the second it started: itself */
	assert_int_equal(baseline(s, "r1", VERDICT_AT_ARRIVAL, key, sizeof key,
				  note, sizeof note), 1);
	assert_string_equal(note, "it was in production itself when it "
			    "started");
	/* r2 against r1 */
	assert_int_equal(baseline(s, "r2", VERDICT_AT_ARRIVAL, key, sizeof key,
				  note, sizeof note), 0);
	assert_string_equal(key, "r1");
	one(s, &p, "r2", VERDICT_AT_ARRIVAL, &v);
	assert_string_equal(v.baseline, "r1");
	assert_false(v.passed);
	/* r3 started at r2's deployment: against r2 */
	assert_int_equal(baseline(s, "r3", VERDICT_AT_ARRIVAL, key, sizeof key,
				  note, sizeof note), 0);
	assert_string_equal(key, "r2");
	one(s, &p, "r3", VERDICT_AT_ARRIVAL, &v);
	assert_string_equal(v.baseline, "r2");
	assert_false(v.passed);
	/* r4 against r2 as well, the failed deployment of r0 (made now,
	 * after every run started) notwithstanding */
	one(s, &p, "r4", VERDICT_AT_ARRIVAL, &v);
	assert_string_equal(v.baseline, "r2");
	/* at arrival is historical: production now is r2 for r2 itself */
	one(s, &p, "r2", VERDICT_VS_PROD, &v);
	assert_string_equal(v.note, "in production now");
	run_verdict_release(&v);
	store_free(s);
}

static void test_policy_digest(void **state)
{
	(void)state;
	struct policy p, q;
	struct fail f;
	char a[POLICY_DIGEST_SIZE], b[POLICY_DIGEST_SIZE];
	policy_defaults(&p);
	policy_digest(&p, a);
	assert_int_equal(strlen(a), POLICY_DIGEST_SIZE - 1);
	assert_int_equal(strspn(a, "0123456789abcdef"), POLICY_DIGEST_SIZE - 1);
	policy_defaults(&q);
	policy_digest(&q, b);
	assert_string_equal(a, b);

	/* the [deploy] section decides nothing about a verdict */
	static const char deploy_ini[] = "[deploy]\ntimeout = 7\n"
					 "exec = /bin/true\n";
	struct source src = source_buffer(deploy_ini, sizeof deploy_ini - 1,
					  "t.ini");
	fail_init(&f);
	assert_int_equal(policy_read(&q, &src, "", &f), 0);
	assert_true(policy_get(&q, POLICY_DEPLOY_TIMEOUT) == 7);
	policy_digest(&q, b);
	assert_string_equal(a, b);

	/* a judging key changed, read from a file: another digest */
	static const char fairness_ini[] = "[fairness]\n"
					   "max_dp_difference = 0.2\n";
	src = source_buffer(fairness_ini, sizeof fairness_ini - 1, "t.ini");
	policy_defaults(&q);
	assert_int_equal(policy_read(&q, &src, "", &f), 0);
	policy_digest(&q, b);
	assert_string_not_equal(a, b);

	/* each judging key, nudged: another digest, each its own */
	char seen[POLICY_NKEYS][POLICY_DIGEST_SIZE];
	for (int k = 0; k < POLICY_NKEYS; k++) {
		policy_defaults(&q);
		const struct policy_key_info *info =
			policy_key_info((enum policy_key)k);
		double v = q.value[k].number;
		q.value[k].number = v < info->max ? info->max : info->min;
		policy_digest(&q, seen[k]);
		if (k == POLICY_DEPLOY_TIMEOUT) {
			assert_string_equal(a, seen[k]);
			continue;
		}
		assert_string_not_equal(a, seen[k]);
		for (int m = 0; m < k; m++)
			if (m != POLICY_DEPLOY_TIMEOUT)
				assert_string_not_equal(seen[m], seen[k]);
	}

	/* a verdict carries the digest of the policy that made it */
	struct store *s = fixture_open_store();
	struct run_verdict v = {0};
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	one(s, &p, "r1", VERDICT_FAIR, &v);
	assert_string_equal(v.policy, a);
	policy_defaults(&q);
	q.value[POLICY_MAX_DP_DIFFERENCE].number = 0.3;
	one(s, &q, "r1", VERDICT_FAIR, &v);
	assert_string_not_equal(v.policy, a);
	run_verdict_release(&v);
	store_free(s);
}

/* ------------------------------------------------------------------ */
/* The fault sweep. */

/* The SQL texts of a path's statements, each once. */
struct sql_set {
	char *sql[256];
	size_t n;
};

static void sql_add(struct sql_set *set, const char *sql)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->sql[i], sql) == 0)
			return;
	assert_true(set->n < sizeof set->sql / sizeof set->sql[0]);
	set->sql[set->n] = strdup(sql);
	assert_non_null(set->sql[set->n]);
	set->n++;
}

static void sql_release(struct sql_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->sql[i]);
	set->n = 0;
}

/* sqlite3_trace_v2() callback: every statement run goes into the set. */
static int trace_stmt(unsigned type, void *arg, void *p, void *x)
{
	(void)x;
	if (type == SQLITE_TRACE_STMT)
		sql_add(arg, sqlite3_sql(p));
	return 0;
}

/* The progress handler's countdown: when left reaches zero the
 * statement running is interrupted, and its SQL noted in hit.  once:
 * the fault is transient (the statements after it run), else every
 * statement after it fails. */
struct fault {
	long left;
	int once;
	int fired;
	sqlite3 *db;
	struct sql_set *hit;
};

static int countdown(void *arg)
{
	struct fault *x = arg;
	if (x->left > 0 && --x->left > 0)
		return 0;
	if (x->fired && x->once)
		return 0;
	if (!x->fired)
		for (sqlite3_stmt *st = sqlite3_next_stmt(x->db, NULL);
		     st != NULL; st = sqlite3_next_stmt(x->db, st))
			if (sqlite3_stmt_busy(st))
				sql_add(x->hit, sqlite3_sql(st));
	x->fired = 1;
	return 1;
}

/* A path that decides, its result written as one line so that results
 * compare as strings.  0 or -1, as the path returns. */
typedef int (*decide_fn)(struct store *s, const struct policy *p,
			 const struct judged_run *cand, char *out, size_t size,
			 struct fail *f);

static int do_production(struct store *s, const struct policy *p,
			 const struct judged_run *cand, char *out, size_t size,
			 struct fail *f)
{
	(void)p;
	(void)cand;
	struct production prod;
	if (verdict_production(s, &prod, f) != 0)
		return -1;
	snprintf(out, size, "found=%d in_store=%d id=%lld run=%s kind=%s "
		 "since=%s", prod.found, prod.in_store,
		 (long long)prod.deployment_id, prod.run, prod.kind,
		 prod.since);
	return 0;
}

static void verdict_line(const struct run_verdict *v, char *out, size_t size)
{
	snprintf(out, size, "kind=%d passed=%d baseline=%s note=%s fails=%zu "
		 "first=%s policy=%s", (int)v->kind, v->passed, v->baseline,
		 v->note, v->fails, verdict_first(v), v->policy);
}

static int do_vs_prod(struct store *s, const struct policy *p,
		      const struct judged_run *cand, char *out, size_t size,
		      struct fail *f)
{
	struct verdict_ctx c;
	struct run_verdict v = {0};
	const struct judged_run *base = NULL;
	int rc = -1;
	if (verdict_ctx_init(&c, s, p, f) == 0 &&
	    verdict_ctx_one(&c, cand, VERDICT_VS_PROD, &v, NULL, &base, f) ==
		    0) {
		verdict_line(&v, out, size);
		size_t used = strlen(out);
		snprintf(out + used, size - used, " loaded=%s",
			 base ? base->run.key : "-");
		rc = 0;
	}
	run_verdict_release(&v);
	verdict_ctx_release(&c);
	return rc;
}

static int do_verdict_of(struct store *s, const struct policy *p,
			 const struct judged_run *cand, char *out, size_t size,
			 struct fail *f)
{
	(void)cand;
	struct run_verdict v[VERDICT_KINDS] = {{0}};
	for (int k = 0; k < VERDICT_KINDS; k++)
		if (verdict_of(s, p, "r3", (enum verdict_kind)k, &v[k], f) != 0) {
			run_verdicts_release(v);
			return -1;
		}
	out[0] = '\0';
	for (int k = 0; k < VERDICT_KINDS; k++) {
		size_t used = strlen(out);
		verdict_line(&v[k], out + used, size - used);
		used = strlen(out);
		snprintf(out + used, size - used, "\n");
	}
	run_verdicts_release(v);
	return 0;
}

static int do_ctx_all(struct store *s, const struct policy *p,
		      const struct judged_run *cand, char *out, size_t size,
		      struct fail *f)
{
	(void)cand;
	struct verdict_ctx c;
	struct run_verdict v[VERDICT_KINDS];
	int rc = -1;
	out[0] = '\0';
	if (verdict_ctx_init(&c, s, p, f) != 0)
		goto done;
	static const char *const keys[] = {"r1", "r2", "r3"};
	for (size_t i = 0; i < 3; i++) {
		struct judged_run run;
		int got = judgeload_present(s, keys[i], &run, f);
		if (got == 0)
			got = verdict_ctx_all(&c, &run, v, f);
		judgeload_release(&run);
		if (got != 0) {
			/* r1..r3 are all in the store */
			if (got == 1)
				fail_msg("%s taken for absent", keys[i]);
			goto done;
		}
		for (int k = 0; k < VERDICT_KINDS; k++) {
			size_t used = strlen(out);
			verdict_line(&v[k], out + used, size - used);
			used = strlen(out);
			snprintf(out + used, size - used, "\n");
		}
		run_verdicts_release(v);
	}
	rc = 0;
done:
	verdict_ctx_release(&c);
	return rc;
}

static int do_rollplan(struct store *s, const struct policy *p,
		       const struct judged_run *cand, char *out, size_t size,
		       struct fail *f)
{
	(void)cand;
	struct rollplan plan;
	int rc = rollplan_make(s, p, NULL, &plan, f);
	if (rc == 0) {
		snprintf(out, size, "current=%s fair=%d has_target=%d "
			 "target=%s target_fair=%d no_target=%s later=%s "
			 "nover=%zu", plan.has_current ? plan.current.run.key
						       : "-",
			 plan.current_fair, plan.has_target,
			 plan.has_target ? plan.target.run.key : "-",
			 plan.target_fair, plan.no_target,
			 plan.nalt ? plan.alt[0].key : "",
			 plan.nover);
		for (size_t i = 0; i < plan.nover; i++) {
			size_t used = strlen(out);
			snprintf(out + used, size - used, "\n%s: %s",
				 plan.over[i].key, plan.over[i].why);
		}
	}
	rollplan_release(&plan);
	return rc;
}

static int do_summary(struct store *s, const struct policy *p,
		      const struct judged_run *cand, char *out, size_t size,
		      struct fail *f)
{
	(void)cand;
	struct summary_info sum;
	if (timeline_summary(s, p, &sum, f) != 0)
		return -1;
	snprintf(out, size, "deployed=%s how=%s in_store=%d fair=%d why=%s "
		 "last_fair=%s critical=%zu warning=%zu overrides=%zu",
		 sum.deployed, sum.deployed_how, sum.deployed_in_store,
		 sum.deployed_fair, sum.deployed_why, sum.last_fair,
		 sum.open_critical, sum.open_warning, sum.overrides);
	summary_info_release(&sum);
	return 0;
}

static int do_timeline(struct store *s, const struct policy *p,
		       const struct judged_run *cand, char *out, size_t size,
		       struct fail *f)
{
	(void)cand;
	struct timeline t;
	int rc = timeline_load(s, p, &t, f);
	if (rc == 0) {
		snprintf(out, size, "deployed=%s last_fair=%s n=%zu",
			 t.sum.deployed, t.sum.last_fair, t.n);
		for (size_t i = 0; i < t.n; i++) {
			size_t used = strlen(out);
			snprintf(out + used, size - used, "\n%s %s %s: %s",
				 t.e[i].time, t.e[i].kind, t.e[i].run,
				 t.e[i].text);
		}
	}
	timeline_release(&t);
	return rc;
}

#define RESULT_SIZE 16384

/* Sweep one path: every budget until the call completes with no fault,
 * each giving the fault-free answer or failing with FAIL_INTERNAL.
 * Returns the number of faults made. */
/* Forget the verdicts kept (storage/verdict_store.h), so that a path
 * judges from the runs' rows, as on a store that keeps none. */
static void forget(struct store *s)
{
	assert_int_equal(sqlite3_exec(s->db, "DELETE FROM verdicts", NULL,
				      NULL, NULL),
			 SQLITE_OK);
}

static long sweep(struct store *s, const struct policy *p,
		  const struct judged_run *cand, const char *name,
		  decide_fn fn, int once, int cold, const char *want_in,
		  size_t *nstmt)
{
	static char want[RESULT_SIZE], got[RESULT_SIZE];
	struct sql_set ran = {{NULL}, 0}, hit = {{NULL}, 0};
	struct fail f;
	fail_init(&f);
	if (cold)
		forget(s);
	sqlite3_trace_v2(s->db, SQLITE_TRACE_STMT, trace_stmt, &ran);
	int ok = fn(s, p, cand, want, sizeof want, &f);
	sqlite3_trace_v2(s->db, 0, NULL, NULL);
	if (ok != 0)
		fail_msg("%s with no fault: %s", name, f.msg);
	/* the fault-free answer is the one the store's history gives */
	if (strstr(want, want_in) == NULL)
		fail_msg("%s with no fault: expected \"%s\" in:\n%s", name,
			 want_in, want);
	long faults = 0;
	for (long budget = 1;; budget++) {
		struct fault x = {budget, once, 0, s->db, &hit};
		fail_init(&f);
		got[0] = '\0';
		if (cold)
			forget(s);
		sqlite3_progress_handler(s->db, 1, countdown, &x);
		int rc = fn(s, p, cand, got, sizeof got, &f);
		sqlite3_progress_handler(s->db, 0, NULL, NULL);
		if (rc == 0) {
			if (strcmp(got, want) != 0)
				fail_msg("%s, fault after %ld steps (%s): "
					 "another answer.\nexpected:\n%s\n"
					 "found:\n%s", name, budget,
					 x.fired ? "fired" : "not fired",
					 want, got);
			assert_int_equal(f.kind, FAIL_NONE);
		} else {
			if (rc != -1 || f.kind != FAIL_INTERNAL)
				fail_msg("%s, fault after %ld steps: expected "
					 "-1 with FAIL_INTERNAL, found %d, "
					 "kind %d: %s", name, budget, rc,
					 (int)f.kind, f.msg);
			if (!x.fired)
				fail_msg("%s failed with no fault: %s", name,
					 f.msg);
		}
		if (!x.fired)
			break;
		faults++;
		if (budget > 5000000)
			fail_msg("%s: no end to the sweep", name);
	}
	/* the store still answers as before */
	fail_init(&f);
	if (cold)
		forget(s);
	if (fn(s, p, cand, got, sizeof got, &f) != 0)
		fail_msg("%s after the sweep: %s", name, f.msg);
	assert_string_equal(got, want);
	/* and each statement the path runs was made to fail; but the
	 * progress handler never fires inside the statements that keep
	 * the verdicts judged (a one-row INSERT, BEGIN, COMMIT: no loop),
	 * best-effort writes whose failure the paths ignore by design */
	for (size_t i = 0; i < ran.n; i++) {
		size_t j = 0;
		if (strncmp(ran.sql[i], "INSERT OR REPLACE INTO verdicts",
			    31) == 0 ||
		    strcmp(ran.sql[i], "BEGIN IMMEDIATE") == 0 ||
		    strcmp(ran.sql[i], "COMMIT") == 0)
			continue;
		while (j < hit.n && strcmp(hit.sql[j], ran.sql[i]) != 0)
			j++;
		if (j == hit.n)
			fail_msg("%s: the statement %s never failed", name,
				 ran.sql[i]);
	}
	assert_true(ran.n > 0);
	*nstmt = ran.n;
	sql_release(&ran);
	sql_release(&hit);
	return faults;
}

/* r1 fair, deployed; r2 unfair, deployed last (production); r3 the
 * candidate, never deployed. */
static struct store *sweep_store(void)
{
	struct store *s = fixture_open_store();
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r2", "2026-01-03T00:00:00Z", UNFAIR);
	ingest(s, "r3", "2026-01-05T00:00:00Z", FEWER);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n"
		   "2026-01-04T00:00:00Z,r2,override,a,y\n");
	return s;
}

static void run_sweeps(int once)
{
	struct store *s = sweep_store();
	struct policy p;
	struct judged_run cand;
	struct fail f;
	policy_defaults(&p);
	fail_init(&f);
	if (judgeload(s, "r3", &cand, &f) != 0)
		fail_msg("r3: %s", f.msg);
	struct {
		const char *name;
		decide_fn fn;
		const char *want_in;
	} paths[] = {
		{"verdict_production", do_production,
		 "found=1 in_store=1 id=2 run=r2 kind=override"},
		{"verdict_ctx_one vs production", do_vs_prod,
		 "passed=0 baseline=r2 note= fails=1"},
		{"verdict_of r3", do_verdict_of, "passed=0 baseline=r2 note= "},
		{"verdict_ctx_all r1..r3", do_ctx_all,
		 "kind=2 passed=0 baseline=r1 note= fails=5"},
		{"rollplan_make", do_rollplan,
		 "current=r2 fair=0 has_target=1 target=r1 target_fair=1 "
		 "no_target= later=r3"},
		{"timeline_summary", do_summary,
		 "deployed=r2 how=override by a at 2026-01-04T00:00:00Z "
		 "in_store=1 fair=0"},
		{"timeline_load", do_timeline, "deployed=r2 last_fair=r1"},
	};
	/* cold: no verdict kept, every path judges from the rows (and
	 * keeps what it judged: the faults reach those writes too); warm:
	 * the verdicts kept by the cold pass answer */
	for (int cold = 1; cold >= 0; cold--)
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		size_t nstmt;
		long n = sweep(s, &p, &cand, paths[i].name, paths[i].fn, once,
			       cold, paths[i].want_in, &nstmt);
		/* every path reads the store many times over */
		assert_true(n > 20);
		print_message("  %s: %ld faults in %zu statements, each "
			      "failed closed or gave the same answer (%s, "
			      "%s)\n", paths[i].name, n, nstmt,
			      once ? "one statement fails"
				   : "every statement after fails",
			      cold ? "no verdict kept" : "verdicts kept");
	}
	judgeload_release(&cand);
	store_free(s);
}

static void test_fault_sweep_transient(void **state)
{
	(void)state;
	run_sweeps(1);
}

static void test_fault_sweep_lasting(void **state)
{
	(void)state;
	run_sweeps(0);
}

/* ------------------------------------------------------------------ */

static long long sql_count(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The fair verdict of key through verdict_ctx_ref (kept first), then
 * what was judged flushed to the store. */
static void fair_ref(struct store *s, const struct policy *p, const char *key,
		     struct run_verdict *v)
{
	struct verdict_ctx c;
	struct stored_run r;
	struct fail f;
	fail_init(&f);
	run_verdict_release(v); /* what an earlier call left */
	assert_int_equal(store_find_run(s, key, &r, &f), 0);
	struct verdict_run_ref ref = {r.id, r.key, r.started_at};
	if (verdict_ctx_init(&c, s, p, &f) != 0 ||
	    verdict_ctx_ref(&c, &ref, VERDICT_FAIR, v, &f) != 0 ||
	    verdict_ctx_flush(&c, &f) != 0)
		fail_msg("fair verdict of %s: %s", key, f.msg);
	verdict_ctx_release(&c);
	stored_run_release(&r);
}

/* A verdict once judged is kept and read back; one kept under another
 * policy is never read; a replaced run takes every kept verdict away. */
static void test_kept_verdicts(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy def, other;
	struct run_verdict v = {0};
	policy_defaults(&def);
	policy_defaults(&other);
	/* r2 fails under both: parity 0.2 > 0.10 and > 0.15, parity ratio
	 * 0.3 / 0.5 = 0.6 < 0.8, equalized odds 0.9 - 0.5 = 0.4 > 0.10 */
	other.value[POLICY_MAX_DP_DIFFERENCE].number = 0.15;
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	ingest(s, "r2", "2026-01-02T00:00:00Z", UNFAIR);
	assert_int_equal(sql_count(s, "SELECT count(*) FROM verdicts"), 0);

	fair_ref(s, &def, "r2", &v);
	assert_int_equal(v.passed, 0);
	assert_int_equal(sql_count(s, "SELECT count(*) FROM verdicts"), 1);

	/* read back, not judged again: a hand-made kept verdict shows */
	assert_int_equal(sqlite3_exec(s->db, "UPDATE verdicts SET passed = 1,"
				      " fails = 0, first = NULL", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	fair_ref(s, &def, "r2", &v);
	assert_int_equal(v.passed, 1);
	assert_null(v.first);

	/* another policy: another digest, judged again (FAIL), and kept
	 * beside the first */
	fair_ref(s, &other, "r2", &v);
	assert_int_equal(v.passed, 0);
	assert_int_equal(v.fails, 3);
	assert_int_equal(sql_count(s, "SELECT count(*) FROM verdicts"), 2);
	char d1[POLICY_DIGEST_SIZE], d2[POLICY_DIGEST_SIZE];
	policy_digest(&def, d1);
	policy_digest(&other, d2);
	assert_string_not_equal(d1, d2);
	assert_string_equal(v.policy, d2);

	/* a run replaced (its id may be given again): every kept verdict
	 * goes, and r2 is judged from its rows again */
	char dir[256], text[256];
	struct ingest_result res;
	struct fail f;
	snprintf(dir, sizeof dir, "%s/r2", fixture_dir);
	snprintf(text, sizeof text, "step,group,tp,fp,tn,fn\n%s", UNFAIR);
	fixture_write_file(dir, "counts.csv", text);
	fail_init(&f);
	assert_int_equal(store_ingest_run(s, dir, 1, &res, &f), 0);
	assert_int_equal(sql_count(s, "SELECT count(*) FROM verdicts"), 0);
	fair_ref(s, &def, "r2", &v);
	assert_int_equal(v.passed, 0);

	/* rows changed by hand: run_changes moves, the kept ones go; every
	 * table a verdict reads counts */
	static const char *const edits[] = {
		"UPDATE confusion SET tp = tp",
		"UPDATE groups SET label = 'Z' WHERE label = 'M'",
		"UPDATE score_bins SET weight = weight",
		"UPDATE metrics SET value = value",
		"UPDATE run_params SET value = value",
		"DELETE FROM confusion WHERE (run_id, step, group_id) ="
		" (SELECT run_id, step, group_id FROM confusion"
		"  ORDER BY run_id DESC, step DESC, group_id DESC LIMIT 1)",
	};
	/* rows for the tables counts.csv leaves empty, put in by hand
	 * (an insert is not counted) */
	assert_int_equal(sqlite3_exec(s->db,
				      "INSERT INTO metrics (run_id, step,"
				      " metric, grp, value) SELECT id, 1, 'loss',"
				      " '', 0.5 FROM runs WHERE run_key = 'r1';"
				      "INSERT INTO run_params (run_id, position,"
				      " key, value) SELECT id, 0, 'lr', '0.1'"
				      " FROM runs WHERE run_key = 'r1';"
				      "INSERT INTO score_bins (run_id, step,"
				      " group_id, bins, bin, weight) SELECT"
				      " c.run_id, c.step, c.group_id, 100, 50, 1"
				      " FROM confusion c LIMIT 1;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		fair_ref(s, &def, "r1", &v);
		assert_true(sql_count(s, "SELECT count(*) FROM verdicts") > 0);
		long long before = sql_count(s, "SELECT count FROM run_changes");
		assert_int_equal(sqlite3_exec(s->db, edits[i], NULL, NULL, NULL),
				 SQLITE_OK);
		assert_true(sql_count(s, "SELECT changes()") > 0);
		assert_true(sql_count(s, "SELECT count FROM run_changes") >
			    before);
		assert_int_equal(sql_count(s, "SELECT count(*) FROM verdicts"),
				 0);
	}
	run_verdict_release(&v);
	store_free(s);
}

/* countdown(), except during COMMIT: SQLite checks the progress handler
 * there after the commit is made, so an "interrupted" COMMIT has in fact
 * committed, which no real store failure does (a COMMIT that fails on
 * I/O rolls back). */
static int countdown_not_commit(void *arg)
{
	struct fault *x = arg;
	/* a COMMIT statement exists only while store_commit() runs it
	 * (it is finalised at once; by then it no longer counts as busy) */
	for (sqlite3_stmt *st = sqlite3_next_stmt(x->db, NULL); st != NULL;
	     st = sqlite3_next_stmt(x->db, st))
		if (strcmp(sqlite3_sql(st), "COMMIT") == 0)
			return 0;
	return countdown(arg);
}

/* Ingest is all or nothing with its verdict at arrival: a store that
 * fails at any step of ingest_run() (the run's rows, its judging, its
 * alerts, its summary, its kept verdicts) leaves none of them; one that
 * does not leaves all of them. */
static void test_ingest_all_or_nothing(void **state)
{
	(void)state;
	struct store *s = fixture_open_store();
	struct policy p;
	struct sql_set hit = {{NULL}, 0};
	policy_defaults(&p);
	ingest(s, "r1", "2026-01-01T00:00:00Z", FAIR);
	history(s, "2026-01-02T00:00:00Z,r1,deploy,a,x\n");
	/* r2, judged at arrival against r1: fewer rows, critical alerts */
	char dir[256], text[512];
	snprintf(dir, sizeof dir, "%s/r2", fixture_dir);
	mkdir(dir, 0755);
	fixture_write_file(dir, "run.csv", "key,value\nrun,r2\nmodel,m\n"
			   "started_at,2026-01-03T00:00:00Z\nbeta_factor,1\n");
	snprintf(text, sizeof text, "step,group,tp,fp,tn,fn\n%s", FEWER);
	fixture_write_file(dir, "counts.csv", text);
	const char *count_all =
		"SELECT (SELECT count(*) FROM runs WHERE run_key = 'r2')"
		" + (SELECT count(*) FROM alerts WHERE run_key = 'r2')"
		" + (SELECT count(*) FROM run_summaries WHERE run_id ="
		"    (SELECT id FROM runs WHERE run_key = 'r2'))"
		" + (SELECT count(*) FROM verdicts WHERE run_id ="
		"    (SELECT id FROM runs WHERE run_key = 'r2'))";
	long faults = 0;
	/* one statement fails at each step (a store that keeps failing
	 * could not even roll back) */
	for (long budget = 1;; budget++) {
		struct fault x = {budget, 1, 0, s->db, &hit};
		struct ingest_result res;
		struct fail f;
		size_t raised = 0;
		fail_init(&f);
		sqlite3_progress_handler(s->db, 1, countdown_not_commit, &x);
		int rc = ingest_run(s, dir, 0, &p, &res, &raised, NULL, &f);
		sqlite3_progress_handler(s->db, 0, NULL, NULL);
		long long n = sql_count(s, count_all);
		if (rc != 0) {
			if (!x.fired)
				fail_msg("ingest failed with no fault: %s",
					 f.msg);
			if (store_in_transaction(s))
				fail_msg("fault after %ld steps (%s): a "
					 "transaction left open", budget,
					 f.msg);
			if (n != 0)
				fail_msg("fault after %ld steps (%s): %lld "
					 "rows of r2 left behind", budget,
					 f.msg, n);
			faults++;
			continue;
		}
		/* stored: the run, 1 summary, its alerts, 2 verdicts */
		assert_true(raised > 0);
		assert_int_equal(n, 1 + (long long)raised + 1 + 2);
		break;
	}
	assert_true(faults > 50);
	print_message("  ingest_run: %ld faults, each leaving nothing of the "
		      "run\n", faults);
	sql_release(&hit);
	store_free(s);
}

#define IN_TMP(test) cmocka_unit_test_setup_teardown(test, tmp_make, tmp_done)

int main(void)
{
	const struct CMUnitTest tests[] = {
		IN_TMP(test_nothing_deployed),
		IN_TMP(test_in_production_now),
		IN_TMP(test_production_not_in_store),
		IN_TMP(test_at_arrival),
		IN_TMP(test_policy_digest),
		IN_TMP(test_kept_verdicts),
		IN_TMP(test_ingest_all_or_nothing),
		IN_TMP(test_fault_sweep_transient),
		IN_TMP(test_fault_sweep_lasting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
