/*
 * verdict.c — fair, vs production, at arrival.  See verdict.h.
 */
#include "service/verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/deploy_store.h"
#include "storage/lineage.h"
#include "storage/runread.h"

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

const char *verdict_word(const struct run_verdict *v)
{
	return v->passed ? "pass" : "FAIL";
}

int verdict_production(struct store *s, struct production *out,
		       struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	if (store_deployments_list(s, &d, &n, f) != 0)
		return -1;
	for (size_t i = n; i-- > 0;) {
		if (strcmp(d[i].state, "done") != 0)
			continue;
		out->found = 1;
		out->deployment_id = d[i].id;
		store_copy(out->run, sizeof out->run, d[i].run_key);
		store_copy(out->kind, sizeof out->kind, d[i].kind);
		store_copy(out->actor, sizeof out->actor, d[i].actor);
		store_copy(out->since, sizeof out->since, d[i].time);
		break;
	}
	stored_deployments_free(d, n);
	if (!out->found)
		return 0;
	struct stored_run r;
	int got = store_find_run(s, out->run, &r, f);
	if (got < 0)
		return -1;
	if (got == 0)
		stored_run_release(&r);
	out->in_store = got == 0;
	return 0;
}

int verdict_baseline(struct store *s, const struct stored_run *run,
		     enum verdict_kind kind, const struct production *prod,
		     char *buf, size_t size, char *note, size_t note_size,
		     struct fail *f)
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
		if (strcmp(prod->run, run->key) == 0) {
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
	char then[256];
	int got = store_deployed_run_at(s, run->started_at, then, sizeof then,
					f);
	if (got < 0)
		return -1;
	if (got == 1) {
		snprintf(note, note_size, "nothing was in production when it "
			 "started");
		return 1;
	}
	if (strcmp(then, run->key) == 0) {
		snprintf(note, note_size, "it was in production itself when "
			 "it started");
		return 1;
	}
	struct stored_run r;
	got = store_find_run(s, then, &r, f);
	if (got < 0)
		return -1;
	if (got == 1) {
		snprintf(note, note_size, "%s, in production when it started, "
			 "is not in the store", then);
		return 1;
	}
	stored_run_release(&r);
	store_copy(buf, size, then);
	return 0;
}

int verdict_judge(const struct judged_run *base, const struct judged_run *run,
		  const struct policy *p, enum verdict_kind kind,
		  const char *note, struct run_verdict *out,
		  struct judgement *j)
{
	struct judgement own;
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
	for (size_t i = 0; i < jj->nfindings; i++)
		if (jj->finding[i].severity == FINDING_FAIL &&
		    out->fails++ == 0)
			store_copy(out->first, sizeof out->first,
				   jj->finding[i].message);
	if (j == NULL)
		judgement_release(&own);
	return 0;
}

int verdict_ctx_init(struct verdict_ctx *c, struct store *s,
		     const struct policy *p, struct fail *f)
{
	memset(c, 0, sizeof *c);
	c->s = s;
	c->p = p;
	policy_digest(p, c->digest);
	return verdict_production(s, &c->prod, f);
}

void verdict_ctx_release(struct verdict_ctx *c)
{
	for (size_t i = 0; i < c->nbase; i++) {
		judgeload_release(c->base[i]);
		free(c->base[i]);
	}
	free(c->base);
	memset(c, 0, sizeof *c);
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
	struct judged_run **grown = realloc(c->base,
					    (c->nbase + 1) * sizeof *grown);
	if (grown == NULL)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	c->base = grown;
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

int verdict_ctx_one(struct verdict_ctx *c, const struct judged_run *run,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct judgement *j, const struct judged_run **base,
		    struct fail *f)
{
	char key[256], note[384];
	const struct judged_run *b = NULL;
	int got = verdict_baseline(c->s, &run->run, kind, &c->prod, key,
				   sizeof key, note, sizeof note, f);
	if (got < 0)
		return -1;
	if (got == 0) {
		int loaded = verdict_ctx_load(c, key, &b, f);
		if (loaded < 0)
			return -1;
		if (loaded == 1) /* gone between two reads */
			snprintf(note, sizeof note, "%s is not in the store",
				 key);
	}
	if (base != NULL)
		*base = b;
	if (verdict_judge(b, run, c->p, kind, note, out, j) != 0)
		return fail_set(f, FAIL_INTERNAL, "out of memory");
	return 0;
}

int verdict_ctx_all(struct verdict_ctx *c, const struct judged_run *run,
		    struct run_verdict out[VERDICT_KINDS], struct fail *f)
{
	for (int k = 0; k < VERDICT_KINDS; k++)
		if (verdict_ctx_one(c, run, (enum verdict_kind)k, &out[k],
				    NULL, NULL, f) != 0)
			return -1;
	return 0;
}

int verdict_ctx_key(struct verdict_ctx *c, const char *key,
		    enum verdict_kind kind, struct run_verdict *out,
		    struct fail *f)
{
	struct judged_run run;
	int got = judgeload_present(c->s, key, &run, f);
	if (got == 0)
		got = verdict_ctx_one(c, &run, kind, out, NULL, NULL, f);
	judgeload_release(&run);
	return got;
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

int verdict_each_run(struct store *s, const struct policy *p,
		     verdict_each_fn *fn, void *ctx, struct fail *f)
{
	struct verdict_ctx c;
	struct stored_run *runs = NULL;
	size_t n = 0;
	int rc = -1;
	if (verdict_ctx_init(&c, s, p, f) != 0 ||
	    store_list_runs(s, &runs, &n, f) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct judged_run jr;
		struct run_verdict v[VERDICT_KINDS];
		int got = judgeload_present(s, runs[i].key, &jr, f);
		if (got == 1)
			fail_set(f, FAIL_INTERNAL, "run %s vanished while "
				 "listed", runs[i].key);
		if (got == 0 && verdict_ctx_all(&c, &jr, v, f) == 0 &&
		    fn(ctx, &jr, v, f) == 0) {
			judgeload_release(&jr);
			continue;
		}
		judgeload_release(&jr);
		goto out;
	}
	rc = 0;
out:
	stored_runs_free(runs, n);
	verdict_ctx_release(&c);
	return rc;
}
