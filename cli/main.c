/*
 * main.c — fairtop's entry point and command table.
 *
 * Global options come before the command: --db FILE, --help,
 * --version.  Each command also accepts --db and --help itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/text.h"

#ifndef FAIRTOP_VERSION
#define FAIRTOP_VERSION "0.1.0"
#endif

static const struct command commands[] = {
	{"ingest", cmd_ingest, "ingest [--replace] PATH...",
	 "read run folders (or folders of run folders) into the store"},
	{"runs", cmd_runs, "runs [--format text|csv|json]",
	 "list the runs with their headline performance and fairness"},
	{"show", cmd_show, "show RUN [--format text|json]",
	 "one run: parameters, overall metrics, per-group tables"},
	{"compare", cmd_compare,
	 "compare BASELINE CANDIDATE [--reference GROUP] [--policy FILE] "
	 "[--format text|csv|json]",
	 "two runs side by side: performance next to fairness"},
	{"alerts", cmd_alerts,
	 "alerts [--state firing|acknowledged|resolved] "
	 "[--format text|csv|json]",
	 "alerts raised when runs were ingested"},
	{"ack", cmd_ack, "ack ID [--by NAME] [--note TEXT]",
	 "acknowledge a firing alert (recorded in the audit log)"},
	{"deploy", cmd_deploy,
	 "deploy RUN --reason TEXT [--by NAME] [--override] [--exec CMD]",
	 "record that RUN is in production (gated; --override on record)"},
	{"rollback", cmd_rollback,
	 "rollback [--to RUN] --reason TEXT [--by NAME] [--dry-run] [--yes]",
	 "roll production back to the last fair model"},
	{"report", cmd_report, "report [--since DATE] [--format md|json|text]",
	 "the post-mortem timeline and summary"},
	{"audit", cmd_audit, "audit [--verify] [--format text|csv|json]",
	 "the append-only record of decisions; --verify checks its chain"},
	{"policy", cmd_policy, "policy [--policy FILE] [--format text|json]",
	 "the fairness policy in force, and where each value came from"},
	{"gate", cmd_gate,
	 "gate --baseline B --candidate C [--policy FILE] "
	 "[--format text|json|junit]",
	 "exit 1 when the candidate degrades fairness (CI)"},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

int cli_exit_code(enum fail_kind kind)
{
	switch (kind) {
	case FAIL_NONE:
		return EXIT_OK;
	case FAIL_DATA:
		return EXIT_DATA;
	case FAIL_USAGE:
		return EXIT_USAGE;
	case FAIL_INTERNAL:
		return EXIT_INTERNAL;
	}
	return EXIT_INTERNAL;
}

int cli_report(const struct fail *f)
{
	fprintf(stderr, "fairtop: %s\n", f->msg);
	return cli_exit_code(f->kind);
}

void cli_print_usage(const char *cmd, int to_stderr)
{
	FILE *out = to_stderr ? stderr : stdout;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			fprintf(out, "usage: fairtop [--db FILE] %s\n",
				commands[i].usage);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char msg[512], shown[512];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the message may quote what the user typed */
	fprintf(stderr, "fairtop %s: %s\n", cmd,
		text_sanitize(shown, sizeof shown, msg, strlen(msg)));
	cli_print_usage(cmd, 1);
	fprintf(stderr, "(fairtop %s --help for more)\n", cmd);
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, int c, const char *arg)
{
	if (c == ':')
		return cli_usage_error(cmd, "%s: expected a value after it",
				       arg);
	return cli_usage_error(cmd, "unknown option '%s'", arg);
}

static void print_help(FILE *out)
{
	fprintf(out,
		"fairtop — performance next to per-group fairness, for the "
		"hour a model got\nfaster or more accurate while it became "
		"less fair.\n\n"
		"usage: fairtop [--db FILE] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\noptions:\n"
		"  --db FILE    the store (default: $FAIRTOP_DB, then "
		"./fairtop.db)\n"
		"  --version    print the version\n"
		"  --help       this help; COMMAND --help for a command's\n"
		"\nexit codes: 0 ok, 1 a gate or check failed, 2 bad usage, "
		"65 bad input data,\n70 internal error.  See fairtop(1).\n");
}

int main(int argc, char **argv)
{
	struct cli cli = {NULL};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--version") == 0) {
			printf("fairtop %s\n", FAIRTOP_VERSION);
			return EXIT_OK;
		} else if (strcmp(a, "--db") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "fairtop: --db: expected a "
					"file name\n");
				return EXIT_USAGE;
			}
			cli.db_path = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			cli.db_path = a + 5;
		} else {
			char shown[128];
			fprintf(stderr, "fairtop: unknown option '%s'\n"
				"(fairtop --help lists commands and "
				"options)\n",
				text_sanitize(shown, sizeof shown, a,
					      strlen(a)));
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		/* the dashboard is not there yet: list the runs */
		char *runs_argv[] = {"runs", NULL};
		return cmd_runs(&cli, 1, runs_argv);
	}
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(&cli, argc - i, argv + i);
	char shown[128];
	fprintf(stderr, "fairtop: unknown command '%s'\n",
		text_sanitize(shown, sizeof shown, argv[i], strlen(argv[i])));
	print_help(stderr);
	return EXIT_USAGE;
}
