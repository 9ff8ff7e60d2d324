/*
 * rollplan.c — the rollback target and the runs passed over.  See
 * rollplan.h.
 */
#include "service/rollplan.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "storage/deploy_store.h"

void rollplan_release(struct rollplan *plan)
{
	judgeload_release(&plan->current);
	judgeload_release(&plan->target);
	free(plan->over);
	memset(plan, 0, sizeof *plan);
}

static char *safe(char *buf, size_t size, const char *s)
{
	return text_sanitize(buf, size, s, strlen(s));
}

static int add_over(struct rollplan *plan, const char *key, const char *why)
{
	struct passed_over *p = realloc(plan->over,
					(plan->nover + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	plan->over = p;
	p = &plan->over[plan->nover++];
	safe(p->key, sizeof p->key, key);
	safe(p->why, sizeof p->why, why);
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

int rollplan_make(struct store *s, const struct policy *p, const char *to,
		  struct rollplan *plan, struct fail *f)
{
	struct stored_deployment *d = NULL;
	struct stored_run *runs = NULL;
	size_t nd = 0, nruns = 0;
	int rc = -1;
	memset(plan, 0, sizeof *plan);
	if (store_deployments_list(s, &d, &nd, f) != 0 ||
	    store_list_runs(s, &runs, &nruns, f) != 0)
		goto out;
	/* the current deployment: the last done one */
	size_t cur = nd;
	for (size_t i = nd; i-- > 0;)
		if (strcmp(d[i].state, "done") == 0) {
			cur = i;
			break;
		}
	if (cur == nd) {
		snprintf(plan->no_target, sizeof plan->no_target,
			 "nothing is in production: no rollback to make");
		rc = 0;
		goto out;
	}
	if (judgeload(s, d[cur].run_key, &plan->current, f) != 0)
		goto out;
	plan->has_current = 1;
	snprintf(plan->current_since, sizeof plan->current_since, "%s",
		 d[cur].time);
	snprintf(plan->current_kind, sizeof plan->current_kind, "%s",
		 d[cur].kind);
	char why[1024];
	if (judgeload_fair(&plan->current, p, &plan->current_fair, why,
			   sizeof why) != 0)
		goto oom;

	if (to != NULL) {
		if (judgeload(s, to, &plan->target, f) != 0)
			goto out;
		plan->has_target = 1;
		plan->chosen = 1;
		if (judgeload_fair(&plan->target, p, &plan->target_fair,
				   plan->target_why,
				   sizeof plan->target_why) != 0)
			goto oom;
		rc = 0;
		goto out;
	}

	/* earlier deployments, most recent first, each run once */
	for (size_t i = cur; i-- > 0;) {
		if (strcmp(d[i].state, "done") != 0 ||
		    strcmp(d[i].run_key, d[cur].run_key) == 0)
			continue;
		int seen = 0;
		for (size_t k = i + 1; k < cur; k++)
			seen |= strcmp(d[k].run_key, d[i].run_key) == 0 &&
				strcmp(d[k].state, "done") == 0;
		if (seen)
			continue;
		struct judged_run cand;
		struct fail missing;
		fail_init(&missing);
		if (judgeload(s, d[i].run_key, &cand, &missing) != 0) {
			judgeload_release(&cand);
			continue; /* deployed once, not in the store */
		}
		int fair;
		char cand_why[1024];
		if (judgeload_fair(&cand, p, &fair, cand_why,
				   sizeof cand_why) != 0) {
			judgeload_release(&cand);
			goto oom;
		}
		if (fair) {
			plan->target = cand;
			plan->has_target = 1;
			plan->target_fair = 1;
			break;
		}
		judgeload_release(&cand);
	}

	/* why each run between the target and the current one (newest
	 * first) was passed over */
	const char *floor_time = plan->has_target ? plan->target.run.started_at
						  : "";
	const char *cur_time = plan->current.run.started_at;
	for (size_t i = nruns; i-- > 0;) {
		const struct stored_run *r = &runs[i];
		char line[1400];
		if (strcmp(r->started_at, cur_time) > 0 &&
		    strcmp(r->key, plan->current.run.key) != 0) {
			size_t used = strlen(plan->later);
			char shown[256];
			snprintf(plan->later + used, sizeof plan->later - used,
				 "%s%s", used ? ", " : "",
				 safe(shown, sizeof shown, r->key));
			continue;
		}
		if (strcmp(r->started_at, floor_time) <= 0 ||
		    (plan->has_target &&
		     strcmp(r->key, plan->target.run.key) == 0))
			continue;
		struct judged_run jr;
		struct fail missing;
		int fair = 1;
		char rule[1024] = "";
		fail_init(&missing);
		if (judgeload(s, r->key, &jr, &missing) == 0 &&
		    judgeload_fair(&jr, p, &fair, rule, sizeof rule) != 0) {
			judgeload_release(&jr);
			goto oom;
		}
		judgeload_release(&jr);
		if (strcmp(r->key, plan->current.run.key) == 0)
			snprintf(line, sizeof line,
				 "in production now (%s since %s)%s%s",
				 plan->current_kind, plan->current_since,
				 fair ? "" : "; fails the policy: ", rule);
		else if (was_deployed(d, nd, r->key))
			snprintf(line, sizeof line,
				 "was in production; %s%s",
				 fair ? "passes the policy" : "fails the "
							      "policy: ",
				 rule);
		else
			snprintf(line, sizeof line, "never deployed%s%s",
				 fair ? "" : "; fails the policy: ", rule);
		if (add_over(plan, r->key, line) != 0)
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
	stored_deployments_free(d, nd);
	stored_runs_free(runs, nruns);
	return rc;
}

