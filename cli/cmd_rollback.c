/*
 * cmd_rollback.c — `fairtop rollback [--to RUN] --reason TEXT [--by NAME]
 * [--dry-run] [--yes] [--override] [--exec COMMAND] [--policy FILE]`
 *
 * Back to the last stable and fair model: without --to, the target is
 * the most recent run that was in production before the current one and
 * passes the policy now; the command says which, why each newer run
 * was passed over, and which newer fair runs could be deployed instead.
 * When production passes the policy it says so and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/deployflow.h"
#include "service/judgeload.h"
#include "cli/output.h"
#include "core/json.h"
#include "service/rollplan.h"
#include "storage/declock.h"

static void rollplan_print(const struct rollplan *plan, FILE *out)
{
	char a[256], b[256];
	if (!plan->has_current || plan->nothing_to_do) {
		fprintf(out, "%s\n", plan->no_target);
		return;
	}
	fprintf(out, "current: %s (%s since %s), %s\n",
		output_safe(a, sizeof a, plan->current_key),
		plan->current_kind, plan->current_since,
		!plan->current_in_store ? "not in the store: no verdict"
		: plan->current_fair	 ? "passes the policy"
					 : "FAILS the policy");
	if (plan->current_in_store && plan->current_fair)
		fprintf(out, "note:    production already passes the policy: "
			"a rollback is not needed to restore fairness\n");
	if (plan->has_target) {
		char *why = output_safe_new(plan->target_why);
		fprintf(out, "target:  %s, %s: %s the policy%s%s\n",
			output_safe(b, sizeof b, plan->target.run.key),
			plan->chosen ? "chosen with --to"
				     : "the last fair model",
			plan->target_fair ? "passes" : "FAILS",
			plan->target_fair ? "" : ": ", why ? why : "");
		free(why);
	} else
		fprintf(out, "target:  none — %s\n", plan->no_target);
	if (plan->nover > 0) {
		fprintf(out, "passed over:\n");
		for (size_t i = 0; i < plan->nover; i++)
			fprintf(out, "  %s: %s\n", plan->over[i].key,
				plan->over[i].why);
	}
	/* the other way out; deploy gates it against production */
	for (size_t i = 0; i < plan->nalt; i++)
		fprintf(out, "or deploy %s instead: fairtop deploy %s "
			"--reason ... (newer, fair, never deployed)\n",
			plan->alt[i].key, plan->alt[i].key);
}

static void side_by_side(const struct judged_run *cur,
			 const struct judged_run *tgt, int cur_fair,
			 int tgt_fair)
{
	static const char *const header[] = {"", "CURRENT", "TARGET"};
	struct table *t = table_new(3, header, (const int[]){0, 1, 1});
	if (t == NULL)
		return;
	const struct run_summary *a = &cur->lr.summary, *b = &tgt->lr.summary;
	char x[64], y[64];
	const char *row0[] = {"run", cur->run.key, tgt->run.key};
	table_add(t, row0);
	const char *row1[] = {"version", cur->run.version ? cur->run.version : "",
			      tgt->run.version ? tgt->run.version : ""};
	table_add(t, row1);
	struct {
		const char *name;
		double a, b;
	} rows[] = {
		{"accuracy", a->has_overall ? a->overall.accuracy : RATE_UNDEFINED,
		 b->has_overall ? b->overall.accuracy : RATE_UNDEFINED},
		{"F-beta", a->has_overall ? a->overall.f_beta : RATE_UNDEFINED,
		 b->has_overall ? b->overall.f_beta : RATE_UNDEFINED},
		{"DP difference", a->dp_difference, b->dp_difference},
		{"EO difference", a->eo_difference, b->eo_difference},
		{"worst TPR", a->worst_tpr, b->worst_tpr},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		const char *cells[] = {rows[i].name,
				       output_rate(x, sizeof x, rows[i].a),
				       output_rate(y, sizeof y, rows[i].b)};
		table_add(t, cells);
	}
	const char *verdict[] = {"policy", cur_fair ? "passes" : "FAILS",
				 tgt_fair ? "passes" : "FAILS"};
	table_add(t, verdict);
	table_print(t, stdout, 2);
	table_free(t);
}

/* The audit row's details: {"from": the run in production,
 * "policy_passed": the target passes, "override": it does not (--to
 * with --override)} (caller frees; NULL when out of memory). */
static char *details_json(const struct rollplan *plan)
{
	struct json_writer w;
	if (json_writer_init_memory(&w) != 0)
		return NULL;
	json_object_begin(&w);
	json_key(&w, "from");
	json_str(&w, plan->current_key);
	json_key(&w, "policy_passed");
	json_bool(&w, plan->target_fair);
	json_key(&w, "override");
	json_bool(&w, !plan->target_fair);
	json_object_end(&w);
	return json_writer_text(&w);
}

/* Ask for the target's run id on the terminal; 1 when typed. */
static int confirm(const char *target)
{
	char line[512], shown[256];
	printf("type the target run id (%s) to roll back, anything else "
	       "cancels: ", output_safe(shown, sizeof shown, target));
	fflush(stdout);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, target) == 0;
}

enum { OPT_TO, OPT_REASON, OPT_BY, OPT_DRY_RUN, OPT_YES, OPT_OVERRIDE,
       OPT_EXEC, OPT_WAIT };

static int check(struct cmd_args *a)
{
	const char *reason = a->value[OPT_REASON];
	if (reason == NULL || *reason == '\0')
		return cli_usage_error("rollback", "expected --reason TEXT: a "
				       "rollback is on the record with why");
	if (deployflow_actor(a->value[OPT_BY]) == NULL &&
	    !a->count[OPT_DRY_RUN])
		return cli_usage_error("rollback", "expected --by NAME (no "
				       "$USER nor login name to default "
				       "to)");
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	const char *reason = a->value[OPT_REASON], *to = a->value[OPT_TO];
	const char *exec = a->value[OPT_EXEC];
	const char *actor = deployflow_actor(a->value[OPT_BY]);
	int dry_run = a->count[OPT_DRY_RUN] > 0, yes = a->count[OPT_YES] > 0;
	int override = a->count[OPT_OVERRIDE] > 0;
	int wait_seconds = a->value[OPT_WAIT] ? (int)a->number[OPT_WAIT] : 10;
	const struct policy *policy = a->policy;
	struct store *s = a->store;
	struct rollplan plan;
	struct decision_lock lock = {-1};
	char *details = NULL;
	struct fail f;
	int rc;
	fail_init(&f);
	memset(&plan, 0, sizeof plan);
	/* one decision at a time: the plan below and the rollback see the
	 * same production (a dry run decides nothing) */
	if (!dry_run) {
		int held = decision_lock_take(&lock, s, wait_seconds,
					      cli_say_waiting, &f);
		if (held != 0) {
			rc = held == 1 ? cli_report_code(&f, EXIT_TEMPFAIL)
				       : cli_report(&f);
			goto out;
		}
	}
	if (rollplan_make(s, policy, to, &plan, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	rollplan_print(&plan, stdout);
	cli_warn_pending(s);
	if (plan.nothing_to_do) {
		rc = EXIT_OK;
		goto out;
	}
	if (!plan.has_target) {
		rc = EXIT_CHECK_FAILED;
		goto out;
	}
	if (!plan.target_fair && !override) {
		char shown[512];
		fprintf(stderr, "fairtop: %s fails the policy; add --override "
			"to roll back to it anyway (recorded as such)\n",
			output_safe(shown, sizeof shown, plan.target.run.key));
		rc = EXIT_CHECK_FAILED;
		goto out;
	}
	if (dry_run) {
		printf("dry run: nothing written\n");
		rc = EXIT_OK;
		goto out;
	}
	if (!yes) {
		if (!isatty(STDIN_FILENO)) {
			fprintf(stderr, "fairtop: rollback needs confirmation: "
				"run it on a terminal, or add --yes\n");
			rc = EXIT_USAGE;
			goto out;
		}
		printf("\n");
		if (plan.current_in_store)
			side_by_side(&plan.current, &plan.target,
				     plan.current_fair, plan.target_fair);
		printf("\n");
		if (!confirm(plan.target.run.key)) {
			printf("cancelled: nothing written\n");
			rc = EXIT_CHECK_FAILED;
			goto out;
		}
	}
	details = details_json(&plan);
	if (details == NULL) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		rc = cli_report(&f);
		goto out;
	}
	struct deploy_request req = {
		.run = &plan.target.run,
		.kind = "rollback",
		.actor = actor,
		.reason = reason,
		.details_json = details,
		.hook = deployflow_hook(exec, policy),
		.timeout = (int)policy_get(policy, POLICY_DEPLOY_TIMEOUT),
		.policy = policy,
	};
	rc = deployflow_run(s, &req);
out:
	free(details);
	rollplan_release(&plan);
	decision_lock_release(&lock);
	return rc;
}

static const struct option_spec options[] = {
	[OPT_TO] = {"to", 0, "RUN",
		    "roll back to this run (it must pass the policy, or "
		    "--override)", OPTION_STRING, NULL, NULL, 0},
	[OPT_REASON] = {"reason", 0, "TEXT", "why (required)", OPTION_STRING,
			NULL, NULL, OPTION_REQUIRED},
	[OPT_BY] = {"by", 0, "NAME", "who (default: $USER)", OPTION_STRING,
		    NULL, NULL, 0},
	[OPT_DRY_RUN] = {"dry-run", 0, NULL,
			 "say what would happen; write nothing", OPTION_FLAG,
			 NULL, NULL, 0},
	[OPT_YES] = {"yes", 'y', NULL, "do not ask for confirmation",
		     OPTION_FLAG, NULL, NULL, 0},
	[OPT_OVERRIDE] = {"override", 0, NULL,
			  "roll back to a --to run that fails the policy",
			  OPTION_FLAG, NULL, NULL, 0},
	[OPT_EXEC] = {"exec", 0, "CMD",
		      "the deploy hook (see fairtop deploy)", OPTION_STRING,
		      NULL, NULL, 0},
	[OPT_WAIT] = {"wait", 0, "SECONDS", "while another deploy or rollback is deciding, wait this long\n"
		      "for it (default 10), then give up (exit 75)",
		      OPTION_SECONDS, NULL, NULL, 0},
};

const struct command_spec cmd_rollback_spec = {
	.name = "rollback",
	.summary = "roll production back to the last fair model",
	.args_hint = " (the target is --to RUN)",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.store = COMMAND_STORE_WRITE,
	.policy = 1,
	.policy_help = "the policy",
	/* one paragraph: --help wraps it to the terminal's 80 columns */
	.help = "Roll production back to the last fair model: the most "
		"recent run that was in production before the current one "
		"and passes the fairness policy now.  Says which run that is "
		"and why each newer run was passed over, and names the newer "
		"runs that pass and were never deployed: deploy one of "
		"those instead.  When production passes the policy it says "
		"so, changes nothing and exits 0 (unless --to names a run).  "
		"On a terminal it shows current and target side by side and "
		"asks you to type the target's run id; elsewhere it needs "
		"--yes.",
	.check = check,
	.run = run,
};
