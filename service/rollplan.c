/*
 * rollplan.c — the rollback target and the runs passed over.  See
 * rollplan.h.
 */
#include "service/rollplan.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/lastfair.h"
#include "service/verdict.h"
#include "storage/deploy_store.h"

void rollplan_release(struct rollplan *plan)
{
	judgeload_release(&plan->current);
	judgeload_release(&plan->target);
	for (size_t i = 0; i < plan->nover; i++)
		free(plan->over[i].why);
	free(plan->over);
	free(plan->target_why);
	free(plan->alt);
	memset(plan, 0, sizeof *plan);
}

static char *safe(char *buf, size_t size, const char *s)
{
	return text_sanitize(buf, size, s, strlen(s));
}

static int add_over(struct rollplan *plan, const char *key, const char *why)
{
	if (ARRAY_GROW(plan->over, plan->nover + 1, plan->over_cap) != 0)
		return -1;
	char *whole = text_sanitize_new(why);
	if (whole == NULL)
		return -1;
	struct passed_over *p = &plan->over[plan->nover++];
	safe(p->key, sizeof p->key, key);
	p->why = whole;
	return 0;
}

static int add_alt(struct rollplan *plan, const char *key)
{
	if (ARRAY_GROW(plan->alt, plan->nalt + 1, plan->alt_cap) != 0)
		return -1;
	struct rollplan_alt *a = &plan->alt[plan->nalt++];
	safe(a->key, sizeof a->key, key);
	store_copy(a->run_key, sizeof a->run_key, key);
	return 0;
}

/* 1 when run_key has a done deployment in d[0..n). */
static int was_deployed(const struct stored_deployment *d, size_t n,
			const char *run_key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].state, "done") == 0 &&
		    strcmp(d[i].run_key, run_key) == 0)
			return 1;
	return 0;
}

/* The fair verdict of the run called key: 0 (*v filled), 1 not in the
 * store, -1 the store failed. */
static int fair_of(struct verdict_ctx *c, const char *key,
		   struct run_verdict *v, struct fail *f)
{
	/* the kept verdict when there is one; else judged, not kept
	 * loaded */
	return verdict_ctx_key(c, key, VERDICT_FAIR, v, f);
}

/* Each deployment as core/lastfair.h needs it: whether its run is in
 * the store and passes on its own.  A store error is an error, never
 * "not in the store". */
static int facts_of(struct verdict_ctx *c, const struct stored_deployment *d,
		    size_t n, struct deployed_fact *facts, struct fail *f)
{
	for (size_t i = 0; i < n; i++) {
		facts[i].run = d[i].run_key;
		facts[i].done = strcmp(d[i].state, "done") == 0;
		if (!facts[i].done)
			continue;
		struct run_verdict v;
		int got = fair_of(c, d[i].run_key, &v, f);
		if (got < 0)
			return -1;
		facts[i].in_store = got == 0;
		facts[i].fair = got == 0 && v.passed;
		run_verdict_release(&v);
	}
	return 0;
}

int rollplan_make(struct store *s, const struct policy *p, const char *to,
		  struct rollplan *plan, struct fail *f)
{
	struct stored_deployment *d = NULL;
	struct stored_run *runs = NULL;
	struct deployed_fact *facts = NULL;
	struct verdict_ctx vc;
	size_t nd = 0, nruns = 0;
	int rc = -1;
	memset(plan, 0, sizeof *plan);
	memset(&vc, 0, sizeof vc);
	if (verdict_ctx_init(&vc, s, p, f) != 0 ||
	    store_deployments_list(s, &d, &nd, f) != 0 ||
	    store_list_runs(s, &runs, &nruns, f) != 0)
		goto out;
	facts = calloc(nd ? nd : 1, sizeof *facts);
	if (facts == NULL)
		goto oom;
	if (facts_of(&vc, d, nd, facts, f) != 0)
		goto out;
	size_t cur = lastfair_production(facts, nd);
	assert(cur <= nd);
	if (cur == nd) {
		snprintf(plan->no_target, sizeof plan->no_target,
			 "nothing is in production: no rollback to make");
		rc = 0;
		goto out;
	}
	int got = judgeload_present(s, d[cur].run_key, &plan->current, f);
	if (got < 0)
		goto out;
	plan->has_current = 1;
	plan->current_in_store = got == 0;
	store_copy(plan->current_key, sizeof plan->current_key,
		   d[cur].run_key);
	snprintf(plan->current_since, sizeof plan->current_since, "%s",
		 d[cur].time);
	snprintf(plan->current_kind, sizeof plan->current_kind, "%s",
		 d[cur].kind);
	plan->current_fair = facts[cur].fair;

	/* runs started after production did (or, with its run not in the
	 * store, after it was deployed) are newer than it; those fair on
	 * their own and never deployed are offered instead, newest first */
	const char *cur_time = plan->current_in_store
				       ? plan->current.run.started_at
				       : d[cur].time;
	for (size_t i = nruns; i-- > 0;) {
		const struct stored_run *r = &runs[i];
		if (strcmp(r->started_at, cur_time) <= 0 ||
		    strcmp(r->key, plan->current_key) == 0 ||
		    was_deployed(d, nd, r->key))
			continue;
		struct run_verdict v;
		int judged = fair_of(&vc, r->key, &v, f);
		if (judged < 0)
			goto out;
		int passes = judged == 0 && v.passed;
		run_verdict_release(&v);
		if (passes && add_alt(plan, r->key) != 0)
			goto oom;
	}

	if (to != NULL) {
		struct run_verdict v;
		if (judgeload(s, to, &plan->target, f) != 0)
			goto out;
		plan->has_target = 1;
		plan->chosen = 1;
		if (verdict_judge(NULL, &plan->target, p, VERDICT_FAIR, "", &v,
				  NULL) != 0)
			goto oom;
		plan->target_fair = v.passed;
		plan->target_why = v.first; /* taken over */
		v.first = NULL;
		rc = 0;
		goto out;
	}
	if (plan->current_in_store && plan->current_fair) {
		char shown[256];
		plan->nothing_to_do = 1;
		snprintf(plan->no_target, sizeof plan->no_target,
			 "production %s passes the policy: nothing to roll "
			 "back", safe(shown, sizeof shown, plan->current_key));
		rc = 0;
		goto out;
	}

	size_t target = lastfair_rollback_target(facts, nd);
	assert(target <= nd);
	if (target != nd) {
		if (judgeload(s, d[target].run_key, &plan->target, f) != 0)
			goto out;
		plan->has_target = 1;
		plan->target_fair = 1;
	}

	/* why each run between the target and the current one (newest
	 * first) was passed over */
	const char *floor_time = plan->has_target ? plan->target.run.started_at
						  : "";
	for (size_t i = nruns; i-- > 0;) {
		const struct stored_run *r = &runs[i];
		char *line;
		if (strcmp(r->started_at, cur_time) > 0 &&
		    strcmp(r->key, plan->current_key) != 0)
			continue; /* newer than production */
		if (strcmp(r->started_at, floor_time) <= 0 ||
		    (plan->has_target &&
		     strcmp(r->key, plan->target.run.key) == 0))
			continue;
		struct run_verdict v;
		int judged = fair_of(&vc, r->key, &v, f);
		if (judged < 0)
			goto out;
		int fair = judged != 0 || v.passed;
		const char *rule = judged == 0 ? verdict_first(&v) : "";
		if (strcmp(r->key, plan->current_key) == 0)
			line = strbuf_dupf("in production now (%s since %s)%s%s",
					   plan->current_kind,
					   plan->current_since,
					   fair ? "" : "; fails the policy: ",
					   rule);
		else if (was_deployed(d, nd, r->key))
			line = strbuf_dupf("was in production; %s%s",
					   fair ? "passes the policy"
						: "fails the policy: ",
					   rule);
		else
			line = strbuf_dupf("never deployed%s%s",
					   fair ? "" : "; fails the policy: ",
					   rule);
		run_verdict_release(&v);
		int added = line != NULL && add_over(plan, r->key, line) == 0;
		free(line);
		if (!added)
			goto oom;
	}
	if (!plan->has_target)
		snprintf(plan->no_target, sizeof plan->no_target,
			 "no fair target: no run that was in production "
			 "before the current one passes the policy now");
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	free(facts);
	verdict_ctx_release(&vc);
	stored_deployments_free(d, nd);
	stored_runs_free(runs, nruns);
	return rc;
}
