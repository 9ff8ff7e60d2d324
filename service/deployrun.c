/*
 * deployrun.c — record, hook, close.  See deployrun.h.
 */
#include "service/deployrun.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "service/verdict.h"
#include "storage/deploy_store.h"

/* How often the outcome is tried before giving up, and the first wait
 * (doubled each time): 0.25 + 0.5 + 1 + 2 + 4 s, room enough for a
 * disk that filled while the hook ran (the hook's own logs, say) to be
 * given space back. */
#define RECORD_TRIES 6
#define RECORD_FIRST_WAIT_MS 250

static void wait_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&t, &t) != 0)
		;
}

/* Close deployment out->id as the hook ended, trying again while the
 * store cannot be written.  When it never can: what happened, exactly,
 * in *f (the deployment stays pending). */
static int record_outcome(struct store *s, const struct deploy_request *req,
			  const struct deploy_outcome *out, int ok,
			  const char *tail, struct fail *f)
{
	struct fail last;
	long wait = RECORD_FIRST_WAIT_MS, waited = 0;
	for (int i = 0; i < RECORD_TRIES; i++) {
		fail_init(&last);
		if (store_deployment_finish(s, out->id, ok, out->hook.status,
					    tail, req->details_json,
					    &last) == 0)
			return 0;
		if (i + 1 < RECORD_TRIES) {
			wait_ms(wait);
			waited += wait;
			wait *= 2;
		}
	}
	char hook[96];
	if (!out->had_hook)
		snprintf(hook, sizeof hook, "there was no deploy hook");
	else if (ok)
		snprintf(hook, sizeof hook, "the deploy hook succeeded (exit "
			 "0): %s is most likely live", req->run->key);
	else
		snprintf(hook, sizeof hook, "the deploy hook failed: nothing "
			 "was shipped");
	return fail_set(f, last.kind, "%s of %s: %s, but deployment #%lld "
			"could not be recorded (tried %d times over %.1f s): "
			"%s; it stays pending and the store still names the "
			"previous deployment current: once the store can be "
			"written, %s", req->kind, req->run->key, hook,
			(long long)out->id, RECORD_TRIES, waited / 1000.0,
			last.msg,
			ok ? "deploy it again to record it" :
			     "nothing needs doing");
}

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
	if (record_outcome(s, req, out, ok, tail, f) != 0)
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
