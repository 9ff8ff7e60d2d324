/*
 * deployflow.c — a deployment, told.  See deployflow.h.
 */
#include "cli/deployflow.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/actor.h"
#include "core/runinfo.h"

const char *deployflow_hook(const char *exec, const struct policy *p)
{
	if (exec == NULL)
		return p->deploy_exec;
	if (exec[0] == '\0' && p->deploy_exec[0] != '\0')
		printf("the policy's deploy hook is skipped (--exec \"\")\n");
	return exec;
}

const char *deployflow_actor(const char *explicit_actor)
{
	if (explicit_actor != NULL && *explicit_actor != '\0')
		return explicit_actor;
	return actor_default();
}

int deployflow_run(struct store *s, const struct deploy_request *req)
{
	struct fail f;
	struct deploy_outcome o;
	char key[RUN_ID_MAX + 1];
	fail_init(&f);
	output_safe(key, sizeof key, req->run->key);
	if (req->hook != NULL && req->hook[0] != '\0') {
		printf("running the deploy hook (timeout %d s)...\n",
		       req->timeout);
		fflush(stdout);
	}
	if (deployrun(s, req, &o, &f) != 0)
		return cli_report(&f);
	if (o.done) {
		char *actor = output_safe_new(req->actor);
		printf("%s: %s is now in production (deployment #%lld by "
		       "%s)\n", req->kind, key, (long long)o.id,
		       actor ? actor : "?");
		free(actor);
		return EXIT_OK;
	}
	fprintf(stderr, "fairtop: %s of %s FAILED: %s; the previous "
		"deployment stays current (deployment #%lld recorded as "
		"failed)\n", req->kind, key, deployrun_failure(&o),
		(long long)o.id);
	if (o.hook.status >= 0)
		fprintf(stderr, "fairtop: hook exit status %d\n",
			o.hook.status);
	if (o.hook.stopped_by) /* recorded: now end as the signal asked */
		return 128 + o.hook.stopped_by;
	const char *tail = o.hook_started ? o.hook.tail : o.why;
	if (tail[0] != '\0') {
		fprintf(stderr, "fairtop: hook output (last lines):\n");
		output_print_lines(stderr, "  | ", tail);
	}
	return EXIT_CHECK_FAILED;
}
