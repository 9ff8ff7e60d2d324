/*
 * deploygate.h — the gate a deployment passes first, for `fairtop
 * deploy` and the dashboard's d alike, so that the two never disagree.
 *
 * The run is loaded and judged as a candidate against the run in
 * production (its vs-production verdict, service/verdict.h; with
 * nothing in production, on its own), and the gate decision is recorded
 * with its actor, the policy and the findings (storage/decisions.h)
 * whether it passes or not.  The caller holds the decision lock
 * (storage/declock.h) from before the gate until the deployment is
 * recorded, so both see the same production; it decides what a failed
 * gate means (the CLI's --override; the dashboard never overrides) and
 * carries the deployment out with service/deployrun.h, from the request
 * deploygate_request() fills.  Prints nothing.
 */
#ifndef FAIRTOP_DEPLOYGATE_H
#define FAIRTOP_DEPLOYGATE_H

#include "core/judge.h"
#include "core/policy.h"
#include "service/deployrun.h"
#include "service/judgeload.h"
#include "service/verdict.h"

/* The findings as the JSON text recorded with the gate decision
 * (cli/findings.h's findings_to_json: service/ links no printing code,
 * so the caller hands it in).  Malloc'ed, caller frees; NULL when out of
 * memory. */
typedef char *deploygate_json_fn(const struct judgement *j);

struct deploy_gate {
	struct judged_run cand;        /* the run, loaded */
	struct run_verdict v;          /* its vs-production verdict */
	struct judgement j;            /* the whole judgement: the findings
					* and performance note to show */
	const struct judged_run *base; /* production, judged against
					* (borrowed from the gate); NULL:
					* judged on its own (v.note says
					* why) */
	int passed;                    /* the gate passed */
	char details[64];              /* the deployment's audit details */
	struct verdict_ctx vc;
};

/* Set up g, empty.  Release with deploygate_release() in every case. */
void deploygate_init(struct deploy_gate *g);
void deploygate_release(struct deploy_gate *g);

/* Load the run called key into g->cand.  0, or -1 with *f filled
 * (FAIL_USAGE when there is no such run). */
int deploygate_load(struct deploy_gate *g, struct store *s, const char *key,
		    struct fail *f);

/* Judge the loaded run against production under policy p and record
 * the gate decision for actor (findings as to_json writes them): 0 with
 * g->passed, g->j, g->v and g->base set, or -1 with *f filled (nothing
 * recorded).  p is borrowed until deploygate_release(). */
int deploygate_judge(struct deploy_gate *g, struct store *s,
		     const struct policy *p, const char *actor,
		     deploygate_json_fn *to_json, struct fail *f);

/* The deployment of the gated run: kind "deploy" when the gate passed,
 * "override" when it did not (only the CLI's --override asks for that),
 * the details {"gate_passed": true|false}, the timeout and policy from
 * p, hook (NULL or "": none).  req borrows from g, actor, reason, hook
 * and p. */
void deploygate_request(struct deploy_gate *g, const struct policy *p,
			const char *actor, const char *reason,
			const char *hook, struct deploy_request *req);

#endif
