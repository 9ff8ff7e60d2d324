/*
 * deploygate.c — the gate before a deployment.  See deploygate.h.
 */
#include "service/deploygate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/decisions.h"

void deploygate_init(struct deploy_gate *g)
{
	memset(g, 0, sizeof *g);
}

void deploygate_release(struct deploy_gate *g)
{
	judgement_release(&g->j);
	run_verdict_release(&g->v);
	judgeload_release(&g->cand);
	verdict_ctx_release(&g->vc);
	memset(g, 0, sizeof *g);
}

int deploygate_load(struct deploy_gate *g, struct store *s, const char *key,
		    struct fail *f)
{
	return judgeload(s, key, &g->cand, f);
}

int deploygate_judge(struct deploy_gate *g, struct store *s,
		     const struct policy *p, const char *actor,
		     deploygate_json_fn *to_json, struct fail *f)
{
	char *policy_json = NULL, *findings_json = NULL;
	int rc = -1;
	/* a store error while reading production or its run stops here,
	 * nothing written */
	if (verdict_ctx_init(&g->vc, s, p, f) != 0 ||
	    verdict_ctx_one(&g->vc, &g->cand, VERDICT_VS_PROD, &g->v, &g->j,
			    &g->base, f) != 0)
		goto out;
	g->passed = g->j.passed;
	const char *base_key = g->base ? g->base->run.key : g->cand.run.key;
	policy_json = policy_to_json(p);
	findings_json = to_json(&g->j);
	if (policy_json == NULL || findings_json == NULL) {
		fail_set(f, FAIL_INTERNAL, "out of memory");
		goto out;
	}
	if (store_record_gate(s, actor, base_key, g->cand.run.key, g->passed,
			      policy_json, findings_json, NULL, f) != 0)
		goto out;
	rc = 0;
out:
	free(policy_json);
	free(findings_json);
	return rc;
}

void deploygate_request(struct deploy_gate *g, const struct policy *p,
			const char *actor, const char *reason,
			const char *hook, struct deploy_request *req)
{
	snprintf(g->details, sizeof g->details, "{\"gate_passed\": %s}",
		 g->passed ? "true" : "false");
	memset(req, 0, sizeof *req);
	req->run = &g->cand.run;
	req->kind = g->passed ? "deploy" : "override";
	req->actor = actor;
	req->reason = reason;
	req->details_json = g->details;
	req->hook = hook;
	req->timeout = (int)policy_get(p, POLICY_DEPLOY_TIMEOUT);
	req->policy = p;
}
