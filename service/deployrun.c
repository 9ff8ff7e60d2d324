/*
 * deployrun.c — record, hook, close.  See deployrun.h.
 */
#include "service/deployrun.h"

#include <stdio.h>
#include <string.h>

#include "service/verdict.h"
#include "storage/deploy_store.h"

int deployrun(struct store *s, const struct deploy_request *req,
	      struct deploy_outcome *out, struct fail *f)
{
	memset(out, 0, sizeof *out);
	out->hook.status = -1;
	if (store_deployment_begin(s, req->run->key, req->kind, req->actor,
				   req->reason, &out->id, f) != 0)
		return -1;
	int ok = 1;
	const char *tail = NULL;
	if (req->hook != NULL && req->hook[0] != '\0') {
		struct hook_env env = {req->run->key,    req->run->model,
				       req->run->version, req->kind,
				       req->reason,       req->actor};
		struct fail why;
		fail_init(&why);
		out->had_hook = 1;
		if (hook_run(req->hook, &env, req->timeout, &out->hook,
			     &why) != 0) {
			ok = 0;
			snprintf(out->why, sizeof out->why, "%s", why.msg);
			tail = out->why;
		} else {
			out->hook_started = 1;
			ok = out->hook.status == 0 && !out->hook.timed_out &&
			     !out->hook.stopped_by;
			tail = out->hook.tail;
			/* on record: why the hook ended, not only its output */
			if (out->hook.timed_out || out->hook.signal ||
			    out->hook.stopped_by) {
				char head[128];
				if (out->hook.stopped_by)
					snprintf(head, sizeof head,
						 "[stopped: fairtop got signal "
						 "%d while the hook ran]\n",
						 out->hook.stopped_by);
				else if (out->hook.timed_out)
					snprintf(head, sizeof head,
						 "[killed after the %d s "
						 "timeout]\n", req->timeout);
				else
					snprintf(head, sizeof head,
						 "[killed by signal %d]\n",
						 out->hook.signal);
				snprintf(out->why, sizeof out->why, "%s%s",
					 head, out->hook.tail);
				tail = out->why;
			}
		}
	}
	if (store_deployment_finish(s, out->id, ok, out->hook.status, tail,
				    req->details_json, f) != 0)
		return -1;
	out->done = ok;
	/* the verdicts against the new production, judged once here
	 * rather than by every screen; a failure loses only that time */
	if (ok && req->policy != NULL) {
		struct fail ignored;
		fail_init(&ignored);
		verdict_keep_vs_production(s, req->policy, &ignored);
	}
	return 0;
}

const char *deployrun_failure(const struct deploy_outcome *o)
{
	if (o->done)
		return "";
	if (!o->hook_started)
		return "the deploy hook could not be started";
	if (o->hook.stopped_by)
		return "fairtop was interrupted and stopped the deploy hook";
	if (o->hook.timed_out)
		return "the deploy hook timed out and was killed";
	if (o->hook.signal)
		return "the deploy hook was killed by a signal";
	return "the deploy hook exited with a non-zero status";
}
