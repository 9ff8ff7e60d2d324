/*
 * main.c — fairtop's entry point: global options, the dashboard, or a
 * command of the table (cli/command.c).
 *
 * Global options come before the command: --db FILE, --help,
 * --version.  Each command also accepts --db and --help itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "core/text.h"

#ifndef FAIRTOP_VERSION
#define FAIRTOP_VERSION "0.1.0"
#endif

static void print_help(FILE *out)
{
	fprintf(out,
		"fairtop — performance next to per-group fairness, for the "
		"hour a model got\nfaster or more accurate while it became "
		"less fair.\n\n"
		"usage: fairtop [--db FILE] [DASHBOARD OPTIONS]   the dashboard\n"
		"       fairtop [--db FILE] COMMAND [ARGS]\n\n"
		"commands:\n");
	int width = 0; /* the longest name's */
	for (size_t i = 0; i < command_count; i++)
		if ((int)strlen(command_table[i]->name) > width)
			width = (int)strlen(command_table[i]->name);
	for (size_t i = 0; i < command_count; i++)
		fprintf(out, "  %-*s  %s\n", width, command_table[i]->name,
			command_table[i]->summary);
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
		"  --read-only         no rollback (R), no deploy (d), no "
		"acknowledging (a)\n"
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

/* glibc gives the top of its heap back to the kernel as soon as 128 KB
 * of it are free, and takes it again at the next allocation, each page
 * zeroed on first touch: an ingest of a folder freed and took back each
 * run's groups and buffers, 226,000 page faults over 1,000 runs, 40 %
 * of its time.  16 MB kept at the top (and no trim below 32 MB) make
 * them 1,200; the memory used stays what it was (the pages kept are
 * those the next run uses again). */
static void malloc_setup(void)
{
#ifdef __GLIBC__
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}

int main(int argc, char **argv)
{
	malloc_setup();
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
			static const char *const global[] = {
				"--db", "--policy", "--help", "--version",
				"--color", "--read-only", "--bench-frames",
				"--delay"};
			char shown[128], typed[64];
			snprintf(typed, sizeof typed, "%.*s",
				 (int)strcspn(a, "="), a);
			const char *near = cli_nearest(
				typed, global, sizeof global / sizeof *global);
			text_sanitize(shown, sizeof shown, a, strlen(a));
			if (near != NULL)
				fprintf(stderr, "fairtop: unknown option '%s'; "
					"did you mean '%s'? (fairtop --help "
					"lists the options)\n", shown, near);
			else
				fprintf(stderr, "fairtop: unknown option '%s'\n"
					"(fairtop --help lists commands and "
					"options)\n", shown);
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
	const struct command_spec *c = command_find(argv[i]);
	if (c != NULL)
		return command_run(c, &cli, argc - i, argv + i);
	char shown[128];
	text_sanitize(shown, sizeof shown, argv[i], strlen(argv[i]));
	/* a typo at 3 a.m.: name the command meant, not the whole help */
	const char *names[64];
	size_t nnames = command_count < 64 ? command_count : 64;
	for (size_t k = 0; k < nnames; k++)
		names[k] = command_table[k]->name;
	const char *near = cli_nearest(argv[i], names, nnames);
	if (near != NULL)
		fprintf(stderr, "fairtop: unknown command '%s'; did you mean "
			"'%s'? (fairtop --help lists the commands)\n", shown,
			near);
	else
		fprintf(stderr, "fairtop: unknown command '%s' (fairtop "
			"--help lists the commands)\n", shown);
	return EXIT_USAGE;
}
