/*
 * deployflow.c — record, hook, close.  See deployflow.h.
 */
#include "cli/deployflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/hook.h"
#include "cli/output.h"
#include "storage/deploy_store.h"

const char *deployflow_actor(const char *explicit_actor)
{
	if (explicit_actor != NULL && *explicit_actor != '\0')
		return explicit_actor;
	const char *user = getenv("USER");
	return user != NULL && *user != '\0' ? user : NULL;
}

int deployflow_run(struct store *s, const struct deploy_request *req)
{
	struct fail f;
	int64_t id;
	char key[256], tail[HOOK_TAIL];
	fail_init(&f);
	output_safe(key, sizeof key, req->run->key);
	if (store_deployment_begin(s, req->run->key, req->kind, req->actor,
				   req->reason, req->details_json, &id,
				   &f) != 0)
		return cli_report(&f);
	int ok = 1, status = -1;
	const char *out = NULL;
	struct hook_result hr;
	if (req->hook != NULL && req->hook[0] != '\0') {
		struct hook_env env = {req->run->key,    req->run->model,
				       req->run->version, req->kind,
				       req->reason,       req->actor};
		printf("running the deploy hook (timeout %d s)...\n",
		       req->timeout);
		fflush(stdout);
		if (hook_run(req->hook, &env, req->timeout, &hr, &f) != 0) {
			ok = 0;
			snprintf(hr.tail, sizeof hr.tail, "%s", f.msg);
		} else {
			status = hr.status;
			ok = hr.status == 0 && !hr.timed_out;
		}
		out = hr.tail;
	}
	struct fail close_fail;
	fail_init(&close_fail);
	if (store_deployment_finish(s, id, ok, status, out, &close_fail) != 0)
		return cli_report(&close_fail);
	if (ok) {
		printf("%s: %s is now in production (deployment #%lld by "
		       "%s)\n", req->kind, key, (long long)id,
		       output_safe(tail, sizeof tail, req->actor));
		return EXIT_OK;
	}
	fprintf(stderr, "fairtop: %s of %s FAILED: the deploy hook %s; the "
		"previous deployment stays current (deployment #%lld "
		"recorded as failed)\n", req->kind, key,
		f.kind != FAIL_NONE ? "could not be started"
		: hr.timed_out	    ? "timed out and was killed"
		: hr.signal	    ? "was killed by a signal"
				    : "exited with a non-zero status",
		(long long)id);
	if (status >= 0)
		fprintf(stderr, "fairtop: hook exit status %d\n", status);
	if (out != NULL && out[0] != '\0') {
		fprintf(stderr, "fairtop: hook output (last lines):\n");
		output_print_lines(stderr, "  | ", out);
	}
	return EXIT_CHECK_FAILED;
}
