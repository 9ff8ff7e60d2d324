/*
 * cmd_gate.c — `fairtop gate --baseline B --candidate C`
 *
 * The CI gate: exit 0 when the candidate keeps the fairness policy
 * against the baseline, 1 when it does not.  Speed and accuracy are
 * reported and never weighed.  Each decision is stored with the policy
 * in force and both run ids; on a read-only store the verdict still
 * stands, and stderr says it was not recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/actor.h"
#include "cli/findings.h"
#include "core/json.h"
#include "service/judgeload.h"
#include "service/verdict.h"
#include "cli/output.h"
#include "storage/decisions.h"

enum gate_format { GATE_TEXT, GATE_JSON, GATE_JUNIT };

static void print_text(const struct judgement *j, const char *base,
		       const char *note, const char *cand,
		       const struct policy *p)
{
	char b[256], c[256], src[600];
	size_t fails = 0, warns = 0, notes = 0;
	for (size_t i = 0; i < j->nfindings; i++) {
		fails += j->finding[i].severity == FINDING_FAIL;
		warns += j->finding[i].severity == FINDING_WARN;
		notes += j->finding[i].severity == FINDING_INFO;
	}
	if (note[0]) {
		char why[512];
		printf("gate: candidate %s on its own, %s (policy: %s)\n",
		       output_safe(c, sizeof c, cand),
		       output_safe(why, sizeof why, note),
		       output_safe(src, sizeof src, p->source));
	} else {
		printf("gate: candidate %s against baseline %s (policy: "
		       "%s)\n", output_safe(c, sizeof c, cand),
		       output_safe(b, sizeof b, base),
		       output_safe(src, sizeof src, p->source));
	}
	if (j->passed)
		printf("PASS: no fairness rule violated");
	else {
		/* failing findings, as JSON and JUnit count them */
		size_t rules = findings_rules_failed(j);
		printf("FAIL: %zu failure%s (%zu fairness rule%s violated)",
		       fails, fails == 1 ? "" : "s", rules,
		       rules == 1 ? "" : "s");
	}
	if (warns)
		printf(", %zu warning%s", warns, warns == 1 ? "" : "s");
	printf("\n");
	if (fails + warns)
		printf("\n");
	findings_print_text(stdout, j, 2, FINDING_WARN);
	if (notes)
		printf("  (%zu drift note%s: fairtop compare %s %s shows "
		       "them)\n", notes, notes == 1 ? "" : "s",
		       output_safe(b, sizeof b, base),
		       output_safe(c, sizeof c, cand));
	if (j->performance_note[0]) {
		char perf[2048];
		printf("\nperformance: %s\n",
		       output_safe(perf, sizeof perf, j->performance_note));
	}
}

static void print_json(const struct judgement *j, const char *base,
		       const char *note, const char *cand,
		       const char *policy_json)
{
	struct json_writer w;
	json_writer_init(&w, stdout);
	json_object_begin(&w);
	json_key(&w, "baseline");
	json_str(&w, base);
	json_key(&w, "baseline_note");
	json_str(&w, note[0] ? note : NULL);
	json_key(&w, "candidate");
	json_str(&w, cand);
	json_key(&w, "passed");
	json_bool(&w, j->passed);
	json_key(&w, "failures");
	json_integer(&w, (long long)findings_failed(j));
	json_key(&w, "rules_failed");
	json_integer(&w, (long long)findings_rules_failed(j));
	json_space(&w, "\n ");
	json_key(&w, "policy");
	json_raw(&w, policy_json); /* policy_to_json()'s */
	json_space(&w, "\n ");
	json_key(&w, "findings");
	findings_json(&w, j);
	json_space(&w, "\n ");
	json_key(&w, "performance");
	findings_perf_json(&w, j);
	json_space(&w, "\n ");
	json_key(&w, "performance_note");
	json_str(&w, j->performance_note);
	json_object_end(&w);
	putchar('\n');
}

enum { OPT_BASELINE, OPT_CANDIDATE };

static int check(struct cmd_args *a)
{
	if (a->value[OPT_BASELINE] == NULL || a->value[OPT_CANDIDATE] == NULL)
		return cli_usage_error("gate", "expected --baseline B and "
				       "--candidate C");
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	const char *baseline = a->value[OPT_BASELINE];
	const char *candidate = a->value[OPT_CANDIDATE];
	enum gate_format format = strcmp(a->format, "json") == 0    ? GATE_JSON
				  : strcmp(a->format, "junit") == 0 ? GATE_JUNIT
								    : GATE_TEXT;
	const struct policy *policy = a->policy;
	struct store *s = a->store;
	struct judged_run base, cand;
	struct judgement j;
	char *policy_json = NULL, *findings_json = NULL;
	struct verdict_ctx vc;
	char note[384] = "";
	struct fail f;
	int rc = EXIT_INTERNAL;
	fail_init(&f);
	memset(&base, 0, sizeof base);
	memset(&cand, 0, sizeof cand);
	memset(&j, 0, sizeof j);
	memset(&vc, 0, sizeof vc);
	const struct judged_run *bp = NULL;
	if (strcmp(baseline, "deployed") == 0) {
		/* the candidate against production: its vs-production
		 * verdict, as deploy gates on it */
		struct run_verdict v;
		if (judgeload(s, candidate, &cand, &f) != 0 ||
		    verdict_ctx_init(&vc, s, policy, &f) != 0 ||
		    verdict_ctx_one(&vc, &cand, VERDICT_VS_PROD, &v, &j, &bp,
				    &f) != 0)
			goto fail;
		store_copy(note, sizeof note, v.note);
		run_verdict_release(&v);
	} else {
		if (verdict_pair(s, policy, baseline, candidate, &base, &cand,
				 &j, &f) != 0)
			goto fail;
		bp = &base;
	}
	/* judged on its own: the candidate stands as its own baseline */
	const char *base_key = bp ? bp->run.key : cand.run.key;
	policy_json = policy_to_json(policy);
	findings_json = findings_to_json(&j);
	if (policy_json == NULL || findings_json == NULL) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		goto fail;
	}
	const char *actor = actor_default();
	if (s->read_only)
		fprintf(stderr, "fairtop: the store %s is read-only (%s): this "
			"gate decision could not be recorded\n", s->path,
			s->read_only_why);
	else if (store_record_gate(s, actor && *actor ? actor : "fairtop",
				   base_key, cand.run.key, j.passed,
				   policy_json, findings_json, NULL, &f) != 0)
		goto fail;
	if (format == GATE_TEXT)
		print_text(&j, base_key, note, cand.run.key, policy);
	else if (format == GATE_JSON)
		print_json(&j, base_key, note, cand.run.key, policy_json);
	else
		findings_print_junit(stdout, &j, base_key, cand.run.key);
	rc = j.passed ? EXIT_OK : EXIT_CHECK_FAILED;
	goto out;
fail:
	rc = cli_report(&f);
out:
	free(policy_json);
	free(findings_json);
	judgement_release(&j);
	judgeload_release(&base);
	judgeload_release(&cand);
	verdict_ctx_release(&vc);
	return rc;
}

static const struct option_spec options[] = {
	[OPT_BASELINE] = {"baseline", 0, "B",
			  "the run to compare against; 'deployed' for the run "
			  "in\nproduction (the candidate's vs-production "
			  "verdict:\non its own when it is production or "
			  "nothing is)", OPTION_STRING, NULL, NULL,
			  OPTION_REQUIRED},
	[OPT_CANDIDATE] = {"candidate", 0, "C", "the run to judge",
			   OPTION_STRING, NULL, NULL, OPTION_REQUIRED},
};

static const char *const formats[] = {"text", "json", "junit", NULL};

const struct command_spec cmd_gate_spec = {
	.name = "gate",
	.summary = "exit 1 when the candidate degrades fairness (CI)",
	.args_hint = " (name runs with --baseline and --candidate)",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.store = COMMAND_STORE_RECORD,
	.policy = 1,
	.policy_help = "the policy (default: $FAIRTOP_POLICY, then "
		       "./fairtop.ini,\nthen the user's and the system's "
		       "fairtop.ini, then built-in\ndefaults; see fairtop "
		       "policy)",
	.formats = formats,
	.help = "Judge a candidate run against a baseline under the fairness "
		"policy.  Exit 0\nwhen it passes, 1 when it degrades fairness "
		"— even when it is faster or more\naccurate: performance is "
		"shown and never weighed.  Every violated rule is\nlisted "
		"with its metric, feature, group, values and threshold.  The "
		"decision\nis stored with the policy in force.",
	.check = check,
	.run = run,
};
