/*
 * verdict.h — the three verdicts on a run, made in one place.
 *
 * Every screen, command and report asks here and never judges on its
 * own, so they agree about each run:
 *   - fair: the run on its own, against the policy's absolute rules
 *     (parity, odds) and the incident's audits (exact class weights,
 *     beta_factor).  The last fair model and the rollback target are
 *     chosen on this verdict (core/lastfair.h).
 *   - vs production: the run as a candidate against the run in
 *     production now; what `deploy` gates on.  The production run
 *     itself, or any run when nothing is in production, is judged on
 *     its own (the note says why).
 *   - at arrival: against the run that was in production when the run
 *     started (historical, fixed); what the timeline and the report
 *     tell.  With nothing in production then, on its own.
 * A baseline named by the deployment history but not in the store is
 * absent: the run is judged on its own and the note says so.  A store
 * that fails while any of this is read is an error (-1, FAIL_INTERNAL),
 * never taken for "absent": every path that decides fails closed.
 *
 * Each verdict carries its baseline and the digest of the policy that
 * made it (core/policy.h), so one made under another policy is never
 * shown as current.
 */
#ifndef FAIRTOP_VERDICT_H
#define FAIRTOP_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "core/judge.h"
#include "core/policy.h"
#include "core/runinfo.h"
#include "service/judgeload.h"
#include "storage/runread.h"
#include "storage/store.h"

enum verdict_kind {
	VERDICT_FAIR,
	VERDICT_VS_PROD,
	VERDICT_AT_ARRIVAL,
};
#define VERDICT_KINDS 3

/* "fair", "vs_production", "at_arrival" (JSON keys and CSV columns). */
const char *verdict_kind_name(enum verdict_kind k);

struct run_verdict {
	enum verdict_kind kind;
	int passed;
	char baseline[256];   /* the run judged against; "" on its own */
	char note[384];       /* why on its own; "" against a baseline */
	size_t fails;         /* rules failed */
	/* the first failed rule's message, whole (a group's name in it
	 * may run to INTERSECTION_NAME_MAX bytes); owned: release with
	 * run_verdict_release(); NULL when none failed */
	char *first;
	char policy[POLICY_DIGEST_SIZE];
};

/* Free what v owns (v may be zeroed); v stays zeroed-safe. */
void run_verdict_release(struct run_verdict *v);
void run_verdicts_release(struct run_verdict v[VERDICT_KINDS]);

/* v's first failed rule's message, "" when none. */
const char *verdict_first(const struct run_verdict *v);

/* What is in production: the run of the last completed deployment. */
struct production {
	int found;            /* 0: nothing was ever deployed */
	int in_store;         /* the run is in the store */
	int64_t deployment_id;
	char run[RUN_ID_MAX + 1], kind[32], since[64];
};

/* Read what is in production.  0, or -1 with *f filled. */
int verdict_production(struct store *s, struct production *out,
		       struct fail *f);

/* The baseline a verdict of this kind judges run against, production
 * being *prod: 0 with its key in buf, 1 judged on its own (note gets
 * why, "" for fair), -1 the store failed.  Asks what every verdict asks
 * (the context's choice below), for one run. */
int verdict_baseline(struct store *s, const struct stored_run *run,
		     enum verdict_kind kind, const struct production *prod,
		     char *buf, size_t size, char *note, size_t note_size,
		     struct fail *f);

/* Judge run against base (NULL: on its own) into out; j, when not
 * NULL, gets the whole judgement (release with judgement_release()).
 * -1 when out of memory. */
int verdict_judge(const struct judged_run *base, const struct judged_run *run,
		  const struct policy *p, enum verdict_kind kind,
		  const char *note, struct run_verdict *out,
		  struct judgement *j);

/*
 * A context for asking many verdicts in a row (a listing, a report, the
 * dashboard): reads production and the deployment history once, keeps
 * the baselines it loads, and looks for a kept verdict
 * (storage/verdict_store.h) before judging.  Verdicts it judged are
 * kept in the store by verdict_ctx_flush().  Borrows s and p, which
 * must outlive it.
 */
struct verdict_done;  /* a deployment that completed: time, run */
struct verdict_known; /* a run key looked up: its id, or absent */
struct verdict_new;   /* a verdict judged, to keep */

struct verdict_ctx {
	struct store *s;
	const struct policy *p;
	char digest[POLICY_DIGEST_SIZE];
	int64_t changes;          /* run_changes when the context began */
	struct production prod;
	struct judged_run **base; /* loaded baselines, each allocated */
	size_t nbase, capbase;
	struct verdict_done *done; /* oldest first */
	size_t ndone;
	struct verdict_known *known;
	size_t nknown, capknown;
	struct verdict_new *fresh;
	size_t nfresh, capfresh;
};

int verdict_ctx_init(struct verdict_ctx *c, struct store *s,
		     const struct policy *p, struct fail *f);
void verdict_ctx_release(struct verdict_ctx *c);

/* Keep the verdicts judged since the last flush, in one transaction: the
 * caller's write transaction when one is open, else its own, which does
 * not wait for a store another process is writing (it fails at once).
 * When a run was replaced or changed since the context began
 * (run_changes moved), what was judged may be of rows that are gone:
 * nothing is kept.  A failure loses nothing but time: the
 * verdicts are judged again when next asked.  0, or -1 with *f. */
int verdict_ctx_flush(struct verdict_ctx *c, struct fail *f);

/* A run as a listing reads it: its id, key and start, borrowed. */
struct verdict_run_ref {
	int64_t id;
	const char *key, *started_at;
};

/* The baseline a verdict of kind judges run r against, from what the
 * context read: 0 with its key in buf, 1 on its own (note, may be NULL,
 * gets why), -1 with *f. */
int verdict_ctx_baseline(struct verdict_ctx *c, const struct verdict_run_ref *r,
			 enum verdict_kind kind, char *buf, size_t size,
			 char *note, size_t note_size, struct fail *f);

/* One verdict of a run not loaded: the kept one when there is one,
 * else the run is loaded and judged.  0, or -1 with *f filled. */
int verdict_ctx_ref(struct verdict_ctx *c, const struct verdict_run_ref *r,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct fail *f);

/* The three verdicts of run (already loaded), indexed by kind.  0, or
 * -1 with *f filled. */
int verdict_ctx_all(struct verdict_ctx *c, const struct judged_run *run,
		    struct run_verdict out[VERDICT_KINDS], struct fail *f);

/* One verdict of run, with the judgement when j is not NULL; *base
 * gets the baseline loaded (borrowed from c), NULL on its own. */
int verdict_ctx_one(struct verdict_ctx *c, const struct judged_run *run,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct judgement *j, const struct judged_run **base,
		    struct fail *f);

/* The baseline run called key loaded into c (borrowed): 0, 1 not in the
 * store, -1 error. */
int verdict_ctx_load(struct verdict_ctx *c, const char *key,
		     const struct judged_run **out, struct fail *f);

/* One verdict of the run called key: 0 done, 1 no such run (*f
 * untouched), -1 the store failed (*f filled). */
int verdict_ctx_key(struct verdict_ctx *c, const char *key,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct fail *f);

/* One verdict of the run called key, loading what it needs: 0, or -1
 * with *f filled (FAIL_USAGE when there is no such run). */
int verdict_of(struct store *s, const struct policy *p, const char *run_key,
	       enum verdict_kind kind, struct run_verdict *out,
	       struct fail *f);

/* An explicit pair, as `gate --baseline B`, `compare` and the dashboard's
 * Compare judge it: the runs called baseline and candidate loaded into
 * *base and *cand (release them with judgeload_release(), also after a
 * failure) and the candidate judged against the baseline into *j
 * (release with judgement_release()).  The same judge_runs() as every
 * verdict.  0, or -1 with *f (FAIL_USAGE when a run is not in the
 * store). */
int verdict_pair(struct store *s, const struct policy *p,
		 const char *baseline, const char *candidate,
		 struct judged_run *base, struct judged_run *cand,
		 struct judgement *j, struct fail *f);

/* Every run, oldest first, with its three verdicts: fn is called once
 * a run (run and v borrowed for the call); a non-zero return stops the
 * listing, which returns -1 (fn fills *f). */
typedef int verdict_each_fn(void *ctx, const struct stored_run *run,
			    const struct run_verdict v[VERDICT_KINDS],
			    struct fail *f);
int verdict_each_run(struct store *s, const struct policy *p,
		     verdict_each_fn *fn, void *ctx, struct fail *f);

/* Judge every run against production (what is not kept yet) and keep
 * the verdicts: called when production changes.  0, or -1 with *f. */
int verdict_keep_vs_production(struct store *s, const struct policy *p,
			       struct fail *f);

/* "pass" or "FAIL". */
const char *verdict_word(const struct run_verdict *v);

#endif
