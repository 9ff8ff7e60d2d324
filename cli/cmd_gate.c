/*
 * cmd_gate.c — `fairtop gate --baseline B --candidate C`
 *
 * The CI gate: exit 0 when the candidate keeps the fairness policy
 * against the baseline, 1 when it does not.  Speed and accuracy are
 * reported and never weighed.  Each decision is stored with the policy
 * in force and both run ids.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/actor.h"
#include "cli/findings.h"
#include "service/judgeload.h"
#include "service/verdict.h"
#include "cli/output.h"
#include "storage/decisions.h"

static void print_help(void)
{
	cli_print_usage("gate", 0);
	printf("\nJudge a candidate run against a baseline under the fairness "
	       "policy.  Exit 0\nwhen it passes, 1 when it degrades fairness "
	       "— even when it is faster or more\naccurate: performance is "
	       "shown and never weighed.  Every violated rule is\nlisted "
	       "with its metric, feature, group, values and threshold.  The "
	       "decision\nis stored with the policy in force.\n\n"
	       "  --baseline B   the run to compare against; 'deployed' for "
	       "the run in\n                 production (the candidate's "
	       "vs-production verdict:\n                 on its own when it "
	       "is production or nothing is)\n"
	       "  --candidate C  the run to judge\n"
	       "  --policy FILE  the policy (default: $FAIRTOP_POLICY, then "
	       "./fairtop.ini,\n                 then built-in defaults; see "
	       "fairtop policy)\n"
	       "  --format F     text (default), json or junit\n"
	       "  --db FILE      the store\n");
}

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
		/* rules, as JUnit counts them; findings when more */
		size_t rules = findings_rules_failed(j);
		printf("FAIL: %zu fairness rule%s violated", rules,
		       rules == 1 ? "" : "s");
		if (fails != rules)
			printf(" (%zu findings)", fails);
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
	printf("{\"baseline\": ");
	json_string(stdout, base);
	printf(", \"baseline_note\": ");
	if (note[0])
		json_string(stdout, note);
	else
		printf("null");
	printf(", \"candidate\": ");
	json_string(stdout, cand);
	printf(", \"passed\": %s,\n \"policy\": %s,\n \"findings\": ",
	       j->passed ? "true" : "false", policy_json);
	findings_print_json(stdout, j);
	printf(",\n \"performance\": ");
	findings_print_perf_json(stdout, j);
	printf(",\n \"performance_note\": ");
	json_string(stdout, j->performance_note);
	printf("}\n");
}

int cmd_gate(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"baseline", required_argument, NULL, 'b'},
		{"candidate", required_argument, NULL, 'c'},
		{"policy", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *baseline = NULL, *candidate = NULL, *policy_path = NULL;
	enum gate_format format = GATE_TEXT;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			baseline = optarg;
			break;
		case 'c':
			candidate = optarg;
			break;
		case 'p':
			policy_path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = GATE_TEXT;
			else if (strcmp(optarg, "json") == 0)
				format = GATE_JSON;
			else if (strcmp(optarg, "junit") == 0)
				format = GATE_JUNIT;
			else
				return cli_usage_error(
					"gate", "--format: expected text, json "
					"or junit, found '%s'", optarg);
			break;
		case 'd':
			cli->db_path = optarg;
			break;
		case 'h':
			print_help();
			return EXIT_OK;
		default:
			return cli_bad_option("gate", c, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("gate", "expected no arguments, found "
				       "'%s' (name runs with --baseline and "
				       "--candidate)", argv[optind]);
	if (baseline == NULL || candidate == NULL)
		return cli_usage_error("gate", "expected --baseline B and "
				       "--candidate C");

	struct policy policy;
	struct store *s = NULL;
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
	if (policy_load(&policy, policy_path ? policy_path : cli->policy_path, &f) != 0 ||
	    store_open(store_default_path(cli->db_path), STORE_OPEN_EXISTING,
		       &s, &f) != 0)
		goto fail;
	const struct judged_run *bp = NULL;
	if (strcmp(baseline, "deployed") == 0) {
		/* the candidate against production: its vs-production
		 * verdict, as deploy gates on it */
		struct run_verdict v;
		if (judgeload(s, candidate, &cand, &f) != 0 ||
		    verdict_ctx_init(&vc, s, &policy, &f) != 0 ||
		    verdict_ctx_one(&vc, &cand, VERDICT_VS_PROD, &v, &j, &bp,
				    &f) != 0)
			goto fail;
		store_copy(note, sizeof note, v.note);
	} else {
		if (verdict_pair(s, &policy, baseline, candidate, &base, &cand,
				 &j, &f) != 0)
			goto fail;
		bp = &base;
	}
	/* judged on its own: the candidate stands as its own baseline */
	const char *base_key = bp ? bp->run.key : cand.run.key;
	policy_json = policy_to_json(&policy);
	findings_json = findings_to_json(&j);
	if (policy_json == NULL || findings_json == NULL) {
		fail_set(&f, FAIL_INTERNAL, "out of memory");
		goto fail;
	}
	const char *actor = actor_default();
	if (store_record_gate(s, actor && *actor ? actor : "fairtop",
			      base_key, cand.run.key, j.passed,
			      policy_json, findings_json, NULL, &f) != 0)
		goto fail;
	if (format == GATE_TEXT)
		print_text(&j, base_key, note, cand.run.key, &policy);
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
	store_free(s);
	return rc;
}
