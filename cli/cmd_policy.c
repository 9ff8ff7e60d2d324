/*
 * cmd_policy.c — `fairtop policy [--policy FILE] [--format text|json]`
 *
 * Every threshold in force and where it came from: the built-in
 * default, a file (with its line), or the file named by
 * $FAIRTOP_POLICY.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/number.h"
#include "core/policy.h"

static void print_help(void)
{
	cli_print_usage("policy", 0);
	printf("\nPrint the fairness policy in force: each value and where it "
	       "came from.\nThe policy is read from --policy FILE, else "
	       "$FAIRTOP_POLICY, else\n./fairtop.ini when it exists, else "
	       "the built-in defaults.  An INI file:\n\n"
	       "  [fairness]\n  max_dp_difference = 0.10\n"
	       "  min_dp_ratio = 0.80\n  max_eo_difference = 0.10\n"
	       "  max_rate_drop = 0.05\n  min_group_size = 30\n\n"
	       "  --policy FILE  the policy file\n"
	       "  --format F     text (default) or json\n");
}

int cmd_policy(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"policy", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = NULL;
	enum output_format format = FORMAT_TEXT;
	char why[256];
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'p':
			path = optarg;
			break;
		case 'f':
			if (output_parse_format(optarg,
						1u << FORMAT_TEXT |
							1u << FORMAT_JSON,
						&format, why, sizeof why) != 0)
				return cli_usage_error("policy", "%s", why);
			break;
		case 'd':
			cli->db_path = optarg;
			break;
		case 'h':
			print_help();
			return EXIT_OK;
		default:
			return cli_bad_option("policy", c, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("policy", "expected no arguments, found "
				       "'%s'", argv[optind]);
	struct policy p;
	struct fail f;
	fail_init(&f);
	if (policy_load(&p, path ? path : cli->policy_path, &f) != 0)
		return cli_report(&f);

	char num[64], buf[1024];
	if (format == FORMAT_JSON) {
		printf("{\"source\": ");
		json_string(stdout, p.source);
		printf(", \"values\": [");
		for (int k = 0; k < POLICY_NKEYS; k++) {
			const struct policy_key_info *ki = policy_key_info(k);
			printf("%s\n  {\"section\": \"%s\", \"key\": \"%s\", "
			       "\"value\": ", k ? "," : "", ki->section,
			       ki->name);
			if (ki->is_bool)
				printf("%s", policy_get(&p, k) ? "true" : "false");
			else
				json_number(stdout, policy_get(&p, k));
			printf(", \"origin\": ");
			json_string(stdout, p.value[k].origin);
			printf("}");
		}
		printf(",\n  {\"section\": \"deploy\", \"key\": \"exec\", "
		       "\"value\": ");
		json_string(stdout, p.deploy_exec[0] ? p.deploy_exec : NULL);
		printf(", \"origin\": ");
		json_string(stdout, p.deploy_exec_origin);
		printf("}\n]}\n");
		return EXIT_OK;
	}
	printf("policy in force: %s\n", output_safe(buf, sizeof buf, p.source));
	const char *section = "";
	for (int k = 0; k < POLICY_NKEYS; k++) {
		const struct policy_key_info *ki = policy_key_info(k);
		if (strcmp(section, ki->section) != 0) {
			section = ki->section;
			printf("\n[%s]\n", section);
		}
		if (ki->is_bool)
			snprintf(num, sizeof num, "%s",
				 policy_get(&p, k) ? "true" : "false");
		else
			number_format_shortest(num, sizeof num,
					       policy_get(&p, k));
		char left[128];
		snprintf(left, sizeof left, "%s = %s", ki->name, num);
		printf("%-36s ; %s — %s\n", left,
		       output_safe(buf, sizeof buf, p.value[k].origin),
		       ki->meaning);
	}
	char left[1100];
	snprintf(left, sizeof left, "exec = %s", p.deploy_exec);
	char origin[600];
	printf("%-36s ; %s — the deploy hook (none when empty)\n",
	       output_safe(buf, sizeof buf, left),
	       output_safe(origin, sizeof origin, p.deploy_exec_origin));
	return EXIT_OK;
}
