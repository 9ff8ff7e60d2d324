/*
 * main.c — fairtop's entry point and command table.
 *
 * Global options come before the command: --db FILE, --help,
 * --version.  Each command also accepts --db and --help itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/text.h"
#include "storage/deploy_store.h"

#ifndef FAIRTOP_VERSION
#define FAIRTOP_VERSION "0.1.0"
#endif

static const struct command commands[] = {
	{"ingest", cmd_ingest, "ingest [--replace] [--threads N] PATH...",
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
	 "alerts [--state firing|acknowledged|resolved] [--run RUN] "
	 "[--format text|csv|json]",
	 "alerts raised when runs were ingested"},
	{"ack", cmd_ack, "ack ID|--run RUN [--by NAME] [--note TEXT]",
	 "acknowledge a firing alert, or a run's (in the audit log)"},
	{"deploy", cmd_deploy,
	 "deploy RUN --reason TEXT [--by NAME] [--override] [--exec CMD] "
	 "[--wait S]",
	 "record that RUN is in production (gated; --override on record)"},
	{"rollback", cmd_rollback,
	 "rollback [--to RUN] --reason TEXT [--by NAME] [--dry-run] [--yes] "
	 "[--wait S]",
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
	/* messages quote input and paths: sanitised on the way out */
	char msg[FAIL_MSG_MAX * 2];
	text_sanitize(msg, sizeof msg, f->msg, strlen(f->msg));
	fprintf(stderr, "fairtop: %s\n", msg);
	return cli_exit_code(f->kind);
}

int cli_report_code(const struct fail *f, int code)
{
	cli_report(f);
	return code;
}

int cli_parse_wait(const char *cmd, const char *arg, int *out)
{
	char *end;
	long w = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || w < 0 || w > 3600) {
		cli_usage_error(cmd, "--wait: expected whole seconds from 0 "
				"to 3600, found '%s'", arg);
		return -1;
	}
	*out = (int)w;
	return 0;
}

void cli_say_waiting(long pid)
{
	if (pid > 0)
		fprintf(stderr, "fairtop: another deploy or rollback (pid %ld) "
			"is deciding on this store; waiting for it\n", pid);
	else
		fprintf(stderr, "fairtop: another deploy or rollback is "
			"deciding on this store; waiting for it\n");
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

void cli_warn_pending(struct store *s)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	struct fail f;
	fail_init(&f);
	if (store_deployments_list(s, &d, &n, &f) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char key[256], actor[256];
		if (strcmp(d[i].state, "pending") != 0)
			continue;
		fprintf(stderr, "fairtop: warning: deployment #%lld (%s of %s "
			"by %s at %s) is still pending: its hook never "
			"reported back (fairtop was killed while it ran, or "
			"is still running it); the previous deployment stays "
			"current\n", (long long)d[i].id, d[i].kind,
			text_sanitize(key, sizeof key, d[i].run_key,
				      strlen(d[i].run_key)),
			text_sanitize(actor, sizeof actor, d[i].actor,
				      strlen(d[i].actor)),
			d[i].time);
	}
	stored_deployments_free(d, n);
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
		"usage: fairtop [--db FILE] [DASHBOARD OPTIONS]   the dashboard\n"
		"       fairtop [--db FILE] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\noptions:\n"
		"  --db FILE           the store (default: $FAIRTOP_DB, then "
		"./fairtop.db)\n"
		"  --policy FILE       the fairness policy, for the dashboard "
		"and any command\n"
		"  --help              this help; COMMAND --help for a "
		"command's\n"
		"  --version           print the version\n"
		"\ndashboard options (fairtop without a command; when "
		"standard output is\nnot a terminal it prints fairtop runs "
		"instead):\n"
		"  -d TENTHS           poll the store every TENTHS/10 s "
		"(default 10)\n"
		"  --color=WHEN        auto (default; honours NO_COLOR), "
		"always, never\n"
		"  --read-only         no rollback (R), no acknowledging (a)\n"
		"  --bench-frames N    render N frames of each view off-screen "
		"and print times\n"
		"\nexit codes: 0 ok, 1 a gate or check failed, 2 bad usage, "
		"65 bad input data,\n70 internal error.  See fairtop(1).\n");
}

/* The value of option a (argv[*i]): "--opt=value" or the next word. */
static const char *option_value(int argc, char **argv, int *i,
				const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int is_option(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int main(int argc, char **argv)
{
	struct cli cli = {NULL, NULL};
	struct dashboard_options dash = {10, COLOR_AUTO, 0, 0, NULL};
	int dashboard_option = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (is_option(a, "--color")) {
			const char *v = option_value(argc, argv, &i, "--color");
			if (v == NULL || (strcmp(v, "auto") != 0 &&
					  strcmp(v, "always") != 0 &&
					  strcmp(v, "never") != 0)) {
				fprintf(stderr, "fairtop: --color: expected "
					"auto, always or never\n");
				return EXIT_USAGE;
			}
			dash.color = strcmp(v, "always") == 0 ? COLOR_ALWAYS
				   : strcmp(v, "never") == 0  ? COLOR_NEVER
							      : COLOR_AUTO;
			dashboard_option = 1;
			continue;
		}
		if (strcmp(a, "-d") == 0 || is_option(a, "--delay")) {
			const char *v = option_value(argc, argv, &i,
						     a[1] == 'd' ? "-d"
								 : "--delay");
			char *end = NULL;
			long t = v ? strtol(v, &end, 10) : 0;
			if (v == NULL || *end != '\0' || t < 1 || t > 600) {
				fprintf(stderr, "fairtop: -d: expected tenths "
					"of a second between store polls, 1 "
					"to 600\n");
				return EXIT_USAGE;
			}
			dash.interval_tenths = (int)t;
			dashboard_option = 1;
			continue;
		}
		if (strcmp(a, "--read-only") == 0) {
			dash.read_only = 1;
			dashboard_option = 1;
			continue;
		}
		if (is_option(a, "--policy")) {
			dash.policy_path = option_value(argc, argv, &i,
							"--policy");
			cli.policy_path = dash.policy_path;
			if (dash.policy_path == NULL) {
				fprintf(stderr, "fairtop: --policy: expected a "
					"file\n");
				return EXIT_USAGE;
			}
			continue;
		}
		if (is_option(a, "--bench-frames")) {
			const char *v = option_value(argc, argv, &i,
						     "--bench-frames");
			char *end = NULL;
			long n = v ? strtol(v, &end, 10) : 0;
			if (v == NULL || *end != '\0' || n < 1 || n > 100000) {
				fprintf(stderr, "fairtop: --bench-frames: "
					"expected a count of frames\n");
				return EXIT_USAGE;
			}
			dash.bench_frames = (int)n;
			dashboard_option = 1;
			continue;
		}
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
	if (i == argc)
		return cmd_dashboard(&cli, &dash);
	if (dashboard_option) {
		fprintf(stderr, "fairtop: --color, -d, --read-only and "
			"--bench-frames are for the dashboard (fairtop "
			"without a command)\n");
		return EXIT_USAGE;
	}
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(&cli, argc - i, argv + i);
	char shown[128];
	text_sanitize(shown, sizeof shown, argv[i], strlen(argv[i]));
	/* a typo at 3 a.m.: name the command meant, not the whole help */
	const char *near = NULL;
	size_t best = 3;
	for (size_t k = 0; k < NCOMMANDS; k++) {
		size_t d = text_distance(argv[i], commands[k].name, 2);
		if (d < best) {
			best = d;
			near = commands[k].name;
		}
	}
	if (near != NULL) {
		fprintf(stderr, "fairtop: unknown command '%s'; did you mean "
			"'%s'? (fairtop --help lists the commands)\n", shown,
			near);
		return EXIT_USAGE;
	}
	fprintf(stderr, "fairtop: unknown command '%s'\n", shown);
	print_help(stderr);
	return EXIT_USAGE;
}
