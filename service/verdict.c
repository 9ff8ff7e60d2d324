/*
 * verdict.c — fair, vs production, at arrival.  See verdict.h.
 */
#include "service/verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "storage/deploy_store.h"
#include "storage/lineage.h"
#include "storage/runread.h"
#include "storage/verdict_store.h"

const char *verdict_kind_name(enum verdict_kind k)
{
	switch (k) {
	case VERDICT_FAIR:
		return "fair";
	case VERDICT_VS_PROD:
		return "vs_production";
	case VERDICT_AT_ARRIVAL:
		return "at_arrival";
	}
	return "?";
}

void run_verdict_release(struct run_verdict *v)
{
	free(v->first);
	v->first = NULL;
}

void run_verdicts_release(struct run_verdict v[VERDICT_KINDS])
{
	for (int k = 0; k < VERDICT_KINDS; k++)
		run_verdict_release(&v[k]);
}

const char *verdict_first(const struct run_verdict *v)
{
	return v->first ? v->first : "";
}

const char *verdict_word(const struct run_verdict *v)
{
	return v->passed ? "pass" : "FAIL";
}

struct verdict_done {
	char *time, *run;
};

struct verdict_known {
	char *key;
	int64_t id; /* 0: not in the store */
};

struct verdict_new {
	int64_t run, baseline;
	struct kept_verdict v;
};

/* What was in production at `time` among the completed deployments
 * d[0..n) (oldest first, by time then id, as the store lists them):
 * the last one at or before it; NULL when none. */
static const char *deployed_at(const struct verdict_done *d, size_t n,
			       const char *time)
{
	const char *run = NULL;
	for (size_t i = 0; i < n && strcmp(d[i].time, time) <= 0; i++)
		run = d[i].run;
	return run;
}

/*
 * The one choice of a baseline, for every kind: 0 with its key in buf,
 * 1 on its own with the reason in note.  `then` is what was in
 * production when the run started (NULL: nothing), then_in_store
 * whether that run is in the store.
 */
static int choose(enum verdict_kind kind, const char *run_key,
		  const struct production *prod, const char *then,
		  int then_in_store, char *buf, size_t size, char *note,
		  size_t note_size)
{
	buf[0] = note[0] = '\0';
	switch (kind) {
	case VERDICT_FAIR:
		return 1;
	case VERDICT_VS_PROD:
		if (!prod->found) {
			snprintf(note, note_size, "nothing is in production");
			return 1;
		}
		if (strcmp(prod->run, run_key) == 0) {
			snprintf(note, note_size, "in production now");
			return 1;
		}
		if (!prod->in_store) {
			snprintf(note, note_size, "%s, in production, is not "
				 "in the store", prod->run);
			return 1;
		}
		store_copy(buf, size, prod->run);
		return 0;
	case VERDICT_AT_ARRIVAL:
		break;
	}
	if (then == NULL) {
		snprintf(note, note_size, "nothing was in production when it "
			 "started");
		return 1;
	}
	if (strcmp(then, run_key) == 0) {
		snprintf(note, note_size, "it was in production itself when "
			 "it started");
		return 1;
	}
	if (!then_in_store) {
		snprintf(note, note_size, "%s, in production when it started, "
			 "is not in the store", then);
		return 1;
	}
	store_copy(buf, size, then);
	return 0;
}

/* Whether the run called key is in the store: 0 (*id set), 1 not, -1
 * error. */
static int run_id_of(struct store *s, const char *key, int64_t *id,
		     struct fail *f)
{
	struct stored_run r;
	int got = store_find_run(s, key, &r, f);
	if (got == 0) {
		*id = r.id;
		stored_run_release(&r);
	}
	return got;
}

int verdict_production(struct store *s, struct production *out,
		       struct fail *f)
{
	char run[256];
	memset(out, 0, sizeof *out);
	int got = store_deployed_run(s, run, sizeof run, f);
	if (got != 0)
		return got < 0 ? -1 : 0;
	struct stored_deployment *d = NULL;
	size_t n = 0;
	if (store_deployments_list(s, &d, &n, f) != 0)
		return -1;
	for (size_t i = n; i-- > 0;) {
		if (strcmp(d[i].state, "done") != 0)
			continue;
		out->found = 1;
		out->deployment_id = d[i].id;
		store_copy(out->run, sizeof out->run, d[i].run_key);
		store_copy(out->kind, sizeof out->kind, d[i].kind);
		store_copy(out->since, sizeof out->since, d[i].time);
		break;
	}
	stored_deployments_free(d, n);
	if (!out->found)
		return 0;
	int64_t id;
	got = run_id_of(s, out->run, &id, f);
	if (got < 0)
		return -1;
	out->in_store = got == 0;
	return 0;
}

int verdict_judge(const struct judged_run *base, const struct judged_run *run,
		  const struct policy *p, enum verdict_kind kind,
		  const char *note, struct run_verdict *out,
		  struct judgement *j)
{
	struct judgement own;
	memset(&own, 0, sizeof own);
	struct judgement *jj = j ? j : &own;
	memset(out, 0, sizeof *out);
	out->kind = kind;
	policy_digest(p, out->policy);
	/* on its own: against itself, the rules relative to a baseline
	 * cannot fire */
	if (judge_runs(base ? &base->view : &run->view, &run->view, p, jj) != 0)
		return -1;
	out->passed = jj->passed;
	if (base != NULL)
		store_copy(out->baseline, sizeof out->baseline, base->run.key);
	store_copy(out->note, sizeof out->note, note ? note : "");
	int rc = 0;
	for (size_t i = 0; i < jj->nfindings; i++)
		if (jj->finding[i].severity == FINDING_FAIL &&
		    out->fails++ == 0 &&
		    (out->first = strdup(jj->finding[i].message)) == NULL)
			rc = -1;
	if (j == NULL)
		judgement_release(&own);
	return rc;
}

int verdict_pair(struct store *s, const struct policy *p,
		 const char *baseline, const char *candidate,
		 struct judged_run *base, struct judged_run *cand,
		 struct judgement *j, struct fail *f)
{
	memset(base, 0, sizeof *base);
	memset(cand, 0, sizeof *cand);
	memset(j, 0, sizeof *j);
	if (judgeload(s, baseline, base, f) != 0 ||
	    judgeload(s, candidate, cand, f) != 0)
		return -1;
	if (judge_runs(&base->view, &cand->view, p, j) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

int verdict_ctx_init(struct verdict_ctx *c, struct store *s,
		     const struct policy *p, struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	memset(c, 0, sizeof *c);
	c->s = s;
	c->p = p;
	policy_digest(p, c->digest);
	if (store_run_changes(s, &c->changes, f) != 0 ||
	    verdict_production(s, &c->prod, f) != 0 ||
	    store_deployments_list(s, &d, &n, f) != 0)
		return -1;
	c->done = calloc(n ? n : 1, sizeof *c->done);
	if (c->done == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(d[i].state, "done") != 0)
			continue;
		struct verdict_done *x = &c->done[c->ndone++];
		x->time = strdup(d[i].time);
		x->run = strdup(d[i].run_key);
		if (x->time == NULL || x->run == NULL)
			goto oom;
	}
	stored_deployments_free(d, n);
	return 0;
oom:
	stored_deployments_free(d, n);
	return fail_set(f, FAIL_INTERNAL, "out of memory");
}

/* Drop the verdicts judged and not kept. */
static void forget_fresh(struct verdict_ctx *c)
{
	for (size_t i = 0; i < c->nfresh; i++)
		kept_verdict_release(&c->fresh[i].v);
	c->nfresh = 0;
}

void verdict_ctx_release(struct verdict_ctx *c)
{
	for (size_t i = 0; i < c->nbase; i++) {
		judgeload_release(c->base[i]);
		free(c->base[i]);
	}
	free(c->base);
	for (size_t i = 0; c->done && i < c->ndone; i++) {
		free(c->done[i].time);
		free(c->done[i].run);
	}
	free(c->done);
	for (size_t i = 0; i < c->nknown; i++)
		free(c->known[i].key);
	free(c->known);
	forget_fresh(c);
	free(c->fresh);
	memset(c, 0, sizeof *c);
}

/* The id of the run called key (0: not in the store), looked up once
 * per context.  0, or -1 with *f. */
static int known_id(struct verdict_ctx *c, const char *key, int64_t *id,
		    struct fail *f)
{
	for (size_t i = 0; i < c->nknown; i++)
		if (strcmp(c->known[i].key, key) == 0) {
			*id = c->known[i].id;
			return 0;
		}
	int got = run_id_of(c->s, key, id, f);
	if (got < 0)
		return -1;
	if (got == 1)
		*id = 0;
	if (ARRAY_GROW(c->known, c->nknown + 1, c->capknown) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	char *copy = strdup(key);
	if (copy == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	c->known[c->nknown].key = copy;
	c->known[c->nknown++].id = *id;
	return 0;
}

int verdict_ctx_load(struct verdict_ctx *c, const char *key,
		     const struct judged_run **out, struct fail *f)
{
	*out = NULL;
	for (size_t i = 0; i < c->nbase; i++)
		if (strcmp(c->base[i]->run.key, key) == 0) {
			*out = c->base[i];
			return 0;
		}
	if (ARRAY_GROW(c->base, c->nbase + 1, c->capbase) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	struct judged_run *jr = malloc(sizeof *jr);
	if (jr == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	int got = judgeload_present(c->s, key, jr, f);
	if (got != 0) {
		judgeload_release(jr);
		free(jr);
		return got;
	}
	c->base[c->nbase++] = jr;
	*out = jr;
	return 0;
}

/* The baseline of kind for the run (key, started_at), from what the
 * context read: 0 with its key and id, 1 on its own (note), -1 error. */
static int ctx_baseline(struct verdict_ctx *c, const char *key,
			const char *started_at, enum verdict_kind kind,
			char *buf, size_t size, int64_t *base_id, char *note,
			size_t note_size, struct fail *f)
{
	const char *then = NULL;
	int64_t then_id = 0;
	*base_id = 0;
	if (kind == VERDICT_AT_ARRIVAL) {
		then = deployed_at(c->done, c->ndone, started_at);
		if (then != NULL && known_id(c, then, &then_id, f) != 0)
			return -1;
	}
	int got = choose(kind, key, &c->prod, then, then_id != 0, buf, size,
			 note, note_size);
	if (got == 0 && known_id(c, buf, base_id, f) != 0)
		return -1;
	if (got == 0 && *base_id == 0) {
		/* gone since production was read */
		snprintf(note, note_size, "%s is not in the store", buf);
		buf[0] = '\0';
		return 1;
	}
	return got;
}

int verdict_ctx_baseline(struct verdict_ctx *c, const struct verdict_run_ref *r,
			 enum verdict_kind kind, char *buf, size_t size,
			 char *note, size_t note_size, struct fail *f)
{
	char own_note[384];
	int64_t id;
	return ctx_baseline(c, r->key, r->started_at, kind, buf, size, &id,
			    note ? note : own_note,
			    note ? note_size : sizeof own_note, f);
}

static void fill(struct run_verdict *out, enum verdict_kind kind,
		 const char *digest, const char *base, const char *note,
		 struct kept_verdict *k)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->passed = k->passed;
	out->fails = k->fails;
	out->first = k->first; /* taken over */
	k->first = NULL;
	store_copy(out->baseline, sizeof out->baseline, base);
	store_copy(out->note, sizeof out->note, note);
	store_copy(out->policy, sizeof out->policy, digest);
}

/* Remember a verdict judged, for verdict_ctx_flush(); a read-only
 * store keeps none, and a listing over it holds none in memory. */
static int remember(struct verdict_ctx *c, int64_t run, int64_t base,
		    const struct run_verdict *v, struct fail *f)
{
	if (c->s->read_only)
		return 0;
	if (ARRAY_GROW(c->fresh, c->nfresh + 1, c->capfresh) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	struct verdict_new *x = &c->fresh[c->nfresh++];
	x->run = run;
	x->baseline = base;
	x->v.passed = v->passed;
	x->v.fails = v->fails;
	x->v.first = NULL;
	if (v->first != NULL && (x->v.first = strdup(v->first)) == NULL) {
		c->nfresh--;
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	}
	return 0;
}

/* The verdict of kind for run r, loaded (jr) or not (NULL: loaded here
 * when no kept verdict answers).  j, when not NULL, wants the whole
 * judgement: then the run is judged even when a verdict is kept. */
static int one(struct verdict_ctx *c, const struct verdict_run_ref *r,
	       const struct judged_run *jr, enum verdict_kind kind,
	       struct run_verdict *out, struct judgement *j,
	       const struct judged_run **base_out, struct fail *f)
{
	char key[256], note[384];
	int64_t base_id;
	const struct judged_run *b = NULL;
	struct judged_run own;
	int rc = -1;
	memset(&own, 0, sizeof own);
	memset(out, 0, sizeof *out);
	if (base_out != NULL)
		*base_out = NULL;
	int got = ctx_baseline(c, r->key, r->started_at, kind, key,
			       sizeof key, &base_id, note, sizeof note, f);
	if (got < 0)
		return -1;
	if (j == NULL && base_out == NULL) {
		struct kept_verdict k;
		int kept = store_verdict_find(c->s, r->id, base_id, c->digest,
					      &k, f);
		if (kept < 0)
			return -1;
		if (kept == 0) {
			fill(out, kind, c->digest, key, note, &k);
			return 0;
		}
	}
	if (got == 0) {
		int loaded = verdict_ctx_load(c, key, &b, f);
		if (loaded < 0)
			return -1;
		if (loaded == 1) /* gone between two reads */
			return fail_set(f, FAIL_INTERNAL, "run %s vanished "
					"while it was read", key);
	}
	if (jr == NULL) {
		int loaded = judgeload_present(c->s, r->key, &own, f);
		if (loaded != 0) {
			if (loaded == 1)
				fail_set(f, FAIL_INTERNAL, "run %s vanished "
					 "while it was read", r->key);
			goto out;
		}
		jr = &own;
	}
	if (verdict_judge(b, jr, c->p, kind, note, out, j) != 0) {
		run_verdict_release(out);
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (remember(c, r->id, base_id, out, f) != 0) {
		run_verdict_release(out);
		goto out;
	}
	if (base_out != NULL)
		*base_out = b;
	rc = 0;
out:
	judgeload_release(&own);
	return rc;
}

int verdict_ctx_one(struct verdict_ctx *c, const struct judged_run *run,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct judgement *j, const struct judged_run **base,
		    struct fail *f)
{
	struct verdict_run_ref r = {run->run.id, run->run.key,
				    run->run.started_at};
	return one(c, &r, run, kind, out, j, base, f);
}

int verdict_ctx_ref(struct verdict_ctx *c, const struct verdict_run_ref *r,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct fail *f)
{
	return one(c, r, NULL, kind, out, NULL, NULL, f);
}

int verdict_ctx_all(struct verdict_ctx *c, const struct judged_run *run,
		    struct run_verdict out[VERDICT_KINDS], struct fail *f)
{
	struct verdict_run_ref r = {run->run.id, run->run.key,
				    run->run.started_at};
	memset(out, 0, VERDICT_KINDS * sizeof *out);
	for (int k = 0; k < VERDICT_KINDS; k++)
		if (one(c, &r, run, (enum verdict_kind)k, &out[k], NULL, NULL,
			f) != 0) {
			run_verdicts_release(out);
			return -1;
		}
	return 0;
}

int verdict_ctx_key(struct verdict_ctx *c, const char *key,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct fail *f)
{
	struct stored_run r;
	memset(out, 0, sizeof *out);
	int got = store_find_run(c->s, key, &r, f);
	if (got != 0)
		return got;
	struct verdict_run_ref ref = {r.id, r.key, r.started_at};
	got = one(c, &ref, NULL, kind, out, NULL, NULL, f);
	stored_run_release(&r);
	return got;
}

int verdict_ctx_flush(struct verdict_ctx *c, struct fail *f)
{
	if (c->nfresh == 0)
		return 0;
	/* a read-only store keeps no verdicts: judged again next time */
	if (c->s->read_only) {
		forget_fresh(c);
		return 0;
	}
	/* inside the caller's write transaction (ingest), or its own */
	int own = !store_in_transaction(c->s);
	int64_t now;
	if (own && store_try_begin(c->s, f) != 0)
		return -1;
	if (store_run_changes(c->s, &now, f) != 0) {
		if (own)
			store_rollback(c->s);
		return -1;
	}
	if (now != c->changes) {
		/* judged from rows that may be gone: keep none of it */
		if (own)
			store_rollback(c->s);
		forget_fresh(c);
		return 0;
	}
	for (size_t i = 0; i < c->nfresh; i++)
		if (store_verdict_put(c->s, c->fresh[i].run,
				      c->fresh[i].baseline, c->digest,
				      &c->fresh[i].v, f) != 0) {
			if (own)
				store_rollback(c->s);
			return -1;
		}
	if (own && store_commit(c->s, f) != 0)
		return -1;
	forget_fresh(c);
	return 0;
}

int verdict_of(struct store *s, const struct policy *p, const char *run_key,
	       enum verdict_kind kind, struct run_verdict *out,
	       struct fail *f)
{
	struct verdict_ctx c;
	struct judged_run run;
	int rc = -1;
	memset(&run, 0, sizeof run);
	if (verdict_ctx_init(&c, s, p, f) == 0 &&
	    judgeload(s, run_key, &run, f) == 0)
		rc = verdict_ctx_one(&c, &run, kind, out, NULL, NULL, f);
	judgeload_release(&run);
	verdict_ctx_release(&c);
	return rc;
}

/* The verdicts of the kinds in `mask` (1 << kind) of every run, oldest
 * first, given to fn (when not NULL) with those not asked for zeroed;
 * with `keep`, what was judged is kept at the end. */
static int each_run(struct store *s, const struct policy *p, unsigned mask,
		    int keep, verdict_each_fn *fn, void *ctx, struct fail *f)
{
	struct verdict_ctx c;
	struct stored_run *runs = NULL;
	size_t n = 0;
	int rc = -1;
	if (verdict_ctx_init(&c, s, p, f) != 0 ||
	    store_list_runs(s, &runs, &n, f) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct run_verdict v[VERDICT_KINDS];
		struct verdict_run_ref r = {runs[i].id, runs[i].key,
					    runs[i].started_at};
		memset(v, 0, sizeof v);
		for (int k = 0; k < VERDICT_KINDS; k++)
			if ((mask & 1u << k) &&
			    one(&c, &r, NULL, (enum verdict_kind)k, &v[k],
				NULL, NULL, f) != 0) {
				run_verdicts_release(v);
				goto out;
			}
		int stop = fn != NULL && fn(ctx, &runs[i], v, f) != 0;
		run_verdicts_release(v);
		if (stop)
			goto out;
	}
	rc = keep ? verdict_ctx_flush(&c, f) : 0;
out:
	stored_runs_free(runs, n);
	verdict_ctx_release(&c);
	return rc;
}

int verdict_each_run(struct store *s, const struct policy *p,
		     verdict_each_fn *fn, void *ctx, struct fail *f)
{
	return each_run(s, p, (1u << VERDICT_KINDS) - 1, 0, fn, ctx, f);
}

int verdict_keep_vs_production(struct store *s, const struct policy *p,
			       struct fail *f)
{
	return each_run(s, p, 1u << VERDICT_VS_PROD, 1, NULL, NULL, f);
}

int verdict_baseline(struct store *s, const struct stored_run *run,
		     enum verdict_kind kind, const struct production *prod,
		     char *buf, size_t size, char *note, size_t note_size,
		     struct fail *f)
{
	/* through a context, as every verdict chooses: the one choice */
	struct policy any;
	struct verdict_ctx c;
	policy_defaults(&any);
	int64_t id;
	int got = -1;
	if (verdict_ctx_init(&c, s, &any, f) == 0) {
		c.prod = *prod;
		got = ctx_baseline(&c, run->key, run->started_at, kind, buf,
				   size, &id, note, note_size, f);
	}
	verdict_ctx_release(&c);
	return got;
}
