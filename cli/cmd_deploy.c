/*
 * cmd_deploy.c — `fairtop deploy RUN --reason TEXT [--by NAME]
 * [--override] [--exec COMMAND] [--policy FILE]`
 *
 * Records that RUN is now in production.  The gate runs first against
 * the deployed run (or, with nothing deployed, the run's own fairness):
 * a run that fails it is refused unless --override, which is recorded
 * as an override — the C07 deployment of 22 January, on the record
 * forever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/deployflow.h"
#include "cli/findings.h"
#include "cli/output.h"
#include "service/deploygate.h"
#include "storage/declock.h"

enum { OPT_REASON, OPT_BY, OPT_OVERRIDE, OPT_EXEC, OPT_WAIT };

static int check(struct cmd_args *a)
{
	const char *reason = a->value[OPT_REASON];
	if (a->argc != 1)
		return cli_usage_error("deploy", "expected one RUN id");
	if (reason == NULL || *reason == '\0')
		return cli_usage_error("deploy", "expected --reason TEXT: a "
				       "deployment is on the record with why");
	if (deployflow_actor(a->value[OPT_BY]) == NULL)
		return cli_usage_error("deploy", "expected --by NAME (no "
				       "$USER nor login name to default "
				       "to)");
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	const char *reason = a->value[OPT_REASON], *exec = a->value[OPT_EXEC];
	const char *actor = deployflow_actor(a->value[OPT_BY]);
	int override = a->count[OPT_OVERRIDE] > 0;
	int wait_seconds = a->value[OPT_WAIT] ? (int)a->number[OPT_WAIT] : 10;
	const struct policy *policy = a->policy;
	struct store *s = a->store;
	struct deploy_gate g;
	struct decision_lock lock = {-1};
	char shown[512];
	struct fail f;
	int rc;
	fail_init(&f);
	deploygate_init(&g);
	/* one decision at a time: the gate below and the deployment see
	 * the same production */
	int held = decision_lock_take(&lock, s, wait_seconds,
					  cli_say_waiting, &f);
	if (held == 1) {
		rc = cli_report_code(&f, EXIT_TEMPFAIL);
		goto out;
	}
	if (held != 0 || deploygate_load(&g, s, a->argv[0], &f) != 0)
		goto fail;
	cli_warn_pending(s);
	/* the candidate's vs-production verdict, recorded as a gate
	 * decision (service/deploygate.h: the dashboard's d asks the same) */
	if (deploygate_judge(&g, s, policy, actor, findings_to_json, &f) != 0)
		goto fail;
	output_safe(shown, sizeof shown, g.cand.run.key);
	{
		/* first, as gate's first line: what it was judged against,
		 * under which policy (a ./fairtop.ini may relax the gate) */
		char base_shown[512], source[1024];
		output_safe(source, sizeof source, policy->source);
		if (g.base != NULL)
			printf("deploy: %s against %s in production (policy: "
			       "%s)\n", shown, output_safe(base_shown,
							 sizeof base_shown,
							 g.base->run.key),
			       source);
		else
			printf("deploy: %s on its own (policy: %s)\n", shown,
			       source);
		fflush(stdout);
	}
	if (!g.passed && !override) {
		char base_shown[512];
		if (g.base != NULL)
			fprintf(stderr, "fairtop: deploy %s REFUSED: it fails "
				"the fairness policy against %s, in production:"
				"\n", shown, output_safe(base_shown,
							 sizeof base_shown,
							 g.base->run.key));
		else
			fprintf(stderr, "fairtop: deploy %s REFUSED: it fails "
				"the fairness policy on its own (%s):\n", shown,
				output_safe(base_shown, sizeof base_shown,
					    g.v.note));
		findings_print_text(stderr, &g.j, 2, FINDING_FAIL);
		char note[2048], who[512];
		output_safe(who, sizeof who, actor);
		if (g.j.performance_note[0])
			fprintf(stderr, "performance: %s\n",
				output_safe(note, sizeof note,
					    g.j.performance_note));
		fprintf(stderr, "fairtop: to deploy it anyway, add --override; "
			"it will be recorded as an override by %s\n", who);
		rc = EXIT_CHECK_FAILED;
		goto out;
	}
	if (!g.passed) {
		char who[512];
		printf("OVERRIDE: %s fails the fairness policy; deploying it "
		       "anyway, on the record as an override by %s\n", shown,
		       output_safe(who, sizeof who, actor));
	}
	struct deploy_request req;
	deploygate_request(&g, policy, actor, reason,
			   deployflow_hook(exec, policy), &req);
	rc = deployflow_run(s, &req);
	goto out;
fail:
	rc = cli_report(&f);
out:
	deploygate_release(&g);
	decision_lock_release(&lock);
	return rc;
}

static const struct option_spec options[] = {
	[OPT_REASON] = {"reason", 0, "TEXT", "why (required)", OPTION_STRING,
			NULL, NULL, OPTION_REQUIRED},
	[OPT_BY] = {"by", 0, "NAME", "who (default: $USER)", OPTION_STRING,
		    NULL, NULL, 0},
	[OPT_OVERRIDE] = {"override", 0, NULL,
			  "deploy even though the run fails the policy",
			  OPTION_FLAG, NULL, NULL, 0},
	[OPT_EXEC] = {"exec", 0, "CMD",
		      "the deploy hook (no shell; words split on blanks)",
		      OPTION_STRING, NULL, NULL, 0},
	[OPT_WAIT] = {"wait", 0, "SECONDS", "while another deploy or rollback is deciding, wait this long\n"
		      "for it (default 10), then give up (exit 75)",
		      OPTION_SECONDS, NULL, NULL, 0},
};

const struct command_spec cmd_deploy_spec = {
	.name = "deploy",
	.summary = "record that RUN is in production (gated; --override on "
		   "record)",
	.args = "RUN",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.store = COMMAND_STORE_WRITE,
	.policy = 1,
	.policy_help = "the policy",
	.help = "Record that RUN is now in production.  The fairness gate "
		"runs first against\nthe deployed run; a run that fails it is "
		"refused (exit 1) unless --override\nis given, which is "
		"recorded as an override with its actor and reason.  The\n"
		"deploy hook (policy [deploy] exec, or --exec) runs with "
		"FAIRTOP_RUN,\nFAIRTOP_MODEL, FAIRTOP_VERSION, FAIRTOP_ACTION, "
		"FAIRTOP_REASON and\nFAIRTOP_ACTOR in its environment; if it "
		"fails the previous deployment stays\ncurrent.",
	.check = check,
	.run = run,
};
