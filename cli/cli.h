/*
 * cli.h — what every subcommand gets, and the command table's shape.
 *
 * One file per command under cli/, one row per command in main.c.  A
 * command returns one of fairtop's exit codes.
 */
#ifndef FAIRTOP_CLI_H
#define FAIRTOP_CLI_H

#include "core/fail.h"
#include "tui/screen.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_CHECK_FAILED = 1, /* a gate or a check failed */
	EXIT_USAGE = 2,
	EXIT_DATA = 65,        /* bad input data */
	EXIT_INTERNAL = 70,
	EXIT_TEMPFAIL = 75,    /* another decision holds the store: retry */
};

struct cli {
	const char *db_path;     /* --db, or NULL: see store_default_path() */
	const char *policy_path; /* --policy before the command, or NULL */
};

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;   /* "ingest [--replace] PATH..." */
	const char *summary; /* one line for `fairtop --help` */
};

/* The exit code for a failure kind. */
int cli_exit_code(enum fail_kind kind);

/* Print "fairtop: <msg>" and return the matching exit code. */
int cli_report(const struct fail *f);

/* cli_report(), returning code instead of the failure's own. */
int cli_report_code(const struct fail *f, int code);

/* --wait SECONDS of deploy and rollback: whole seconds from 0 to 3600
 * into *out; else a usage error printed for cmd, and -1. */
int cli_parse_wait(const char *cmd, const char *arg, int *out);

/* Said once on stderr while a decision waits for another's lock
 * (storage/declock.h). */
void cli_say_waiting(long pid);

/* Print "fairtop CMD: <msg>", a usage hint, and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A getopt_long() failure (run with an optstring starting ':'): c is
 * ':' for an option missing its value, '?' for an unknown one; arg is
 * argv[optind - 1].  Prints and returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, const char *arg);

/* Say on stderr which deployments are still pending: a hook that never
 * reported back (fairtop killed while it ran, or still running). */
struct store;
void cli_warn_pending(struct store *s);

/* Print the usage of cmd (from the table) to out. */
void cli_print_usage(const char *cmd, int to_stderr);

/* Options of `fairtop` without a command (the dashboard). */
struct dashboard_options {
	int interval_tenths; /* -d TENTHS, default 10 */
	enum color_mode color;
	int read_only;
	int bench_frames;
	const char *policy_path;
};

int cmd_dashboard(struct cli *cli, const struct dashboard_options *d);
int cmd_ingest(struct cli *cli, int argc, char **argv);
int cmd_runs(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_gate(struct cli *cli, int argc, char **argv);
int cmd_compare(struct cli *cli, int argc, char **argv);
int cmd_policy(struct cli *cli, int argc, char **argv);
int cmd_alerts(struct cli *cli, int argc, char **argv);
int cmd_ack(struct cli *cli, int argc, char **argv);
int cmd_deploy(struct cli *cli, int argc, char **argv);
int cmd_rollback(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);

#endif
