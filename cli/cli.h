/*
 * cli.h — what every subcommand gets, and the command table's shape.
 *
 * One file per command under cli/, each defining its entry of the
 * command table (struct command_spec below), one row per command in
 * command_table[] (cli/command.c).  A command returns one of fairtop's
 * exit codes.
 */
#ifndef FAIRTOP_CLI_H
#define FAIRTOP_CLI_H

#include <stdio.h>

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

/*
 * The command table (cli/command.c), after tmux's cmd_table[]: each
 * command is one struct command_spec, defined in its own cli/cmd_*.c,
 * and one generic parser (command_run()) reads its options, prints its
 * --help, opens the store and loads the policy as the entry says, then
 * calls its handler.  The shell completion is generated from it
 * (cli/cmd_completion.c: `fairtop completion bash|zsh|fish`).
 */

/* How a command uses the store.  READ opens a store this user may not
 * write read-only, with a one-line note on stderr (readers keep
 * verdicts in its cache only when they can); WRITE refuses such a
 * store before anything is read, exit 70; RECORD reads it and leaves
 * its handler to say what it could not record (gate). */
enum command_store {
	COMMAND_NO_STORE,
	COMMAND_STORE_READ,
	COMMAND_STORE_WRITE,
	COMMAND_STORE_CREATE, /* written, and created on first use */
	COMMAND_STORE_RECORD, /* read; its decision recorded when it can */
};

enum option_kind {
	OPTION_FLAG,     /* no value; counted in cmd_args.count */
	OPTION_STRING,   /* any value */
	OPTION_NONEMPTY, /* any value but '': "--run: expected a run" */
	OPTION_CHOICE,   /* one of choices: "expected 1 or 2, found 'x'" */
	OPTION_SECONDS,  /* whole seconds, 0 to 3600, into cmd_args.number */
	OPTION_DATE,     /* an ISO 8601 date or time */
};

/* option_spec.flags */
#define OPTION_REQUIRED 1 /* the usage line shows it without brackets */
#define OPTION_IN_ARGS 2  /* the usage line shows it in command_spec.args */

struct option_spec {
	const char *name;    /* the long name, without "--" */
	char short_name;     /* -y, or 0 */
	const char *arg;     /* the value's name ("TEXT"); NULL for a flag.
			      * The shell completion reads it (and the words
			      * of command_spec.args): RUN, BASELINE,
			      * CANDIDATE, B, C complete run ids, ID a firing
			      * alert's, FILE a file, PATH a file or folder,
			      * CMD a command; any other, nothing */
	const char *help;    /* for --help; "\n" continues under it */
	enum option_kind kind;
	const char *const *choices; /* OPTION_CHOICE: NULL-terminated */
	const char *what;    /* OPTION_NONEMPTY: "a run" */
	int flags;           /* OPTION_REQUIRED, OPTION_IN_ARGS */
};

#define COMMAND_MAX_OPTIONS 12

struct policy;
struct command_spec;

/* What a handler gets: the options parsed, by their index in the
 * entry's options; the positional arguments; the store and the policy
 * when the entry asks for them.  All borrowed for the handler's call. */
struct cmd_args {
	struct cli *cli;
	const struct command_spec *cmd;
	const char *value[COMMAND_MAX_OPTIONS]; /* the last value, or NULL */
	int count[COMMAND_MAX_OPTIONS];         /* times given */
	long number[COMMAND_MAX_OPTIONS];       /* OPTION_SECONDS */
	int argc;                /* the positional arguments */
	char **argv;
	const char *format;      /* one of cmd->formats; the first unless
				  * --format said otherwise */
	const char *policy_path; /* --policy after the command, else
				  * before it, else NULL */
	struct store *store;     /* as cmd->store says, else NULL */
	struct policy *policy;   /* when cmd->policy, else NULL */
};

struct command_spec {
	const char *name;
	const char *summary;    /* one line for `fairtop --help` */
	const char *args;       /* the positional arguments in the usage
				 * ("RUN", "PATH..."); NULL for none */
	const char *args_hint;  /* args NULL: said after "expected no
				 * arguments, found 'x'" */
	const struct option_spec *options; /* but --policy, --format, --db
					    * and --help */
	size_t noptions;
	enum command_store store;
	int policy;             /* loads the policy; takes --policy FILE */
	const char *policy_help; /* --policy's help; NULL: the usual */
	const char *const *formats; /* --format's, NULL-terminated, the
				     * default first; NULL: no --format */
	const char *help;       /* --help: what the command does */
	const char *help_after; /* --help: after the options, or NULL */
	/* Checks the arguments before anything is opened: EXIT_OK, or
	 * the exit code of a usage error it printed.  May be NULL. */
	int (*check)(struct cmd_args *a);
	int (*run)(struct cmd_args *a);
};

/* Every command, in `fairtop --help` order. */
extern const struct command_spec *const command_table[];
extern const size_t command_count;

/* The entry named name, or NULL. */
const struct command_spec *command_find(const char *name);

/* Run c on argv (argv[0] is the command's name): parse, check, open,
 * call its handler, close.  Returns an exit code. */
int command_run(const struct command_spec *c, struct cli *cli, int argc,
		char **argv);

/* c's --help text, generated from its entry, to out. */
void command_help(const struct command_spec *c, FILE *out);

/* c's usage line "usage: fairtop [--db FILE] NAME ..." to out. */
void command_usage(const struct command_spec *c, FILE *out);

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
 * argv[optind - 1]; near (or NULL) the option meant, from
 * cli_nearest().  Prints and returns EXIT_USAGE: with near, one line
 * naming it and where the options are listed. */
int cli_bad_option(const char *cmd, int c, const char *arg,
		   const char *near);

/* Of names[0..n), the one closest to typed (edit distance, at most 2,
 * and less than typed's length), or NULL.  Borrowed from names. */
const char *cli_nearest(const char *typed, const char *const *names,
			size_t n);

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
extern const struct command_spec cmd_ingest_spec, cmd_runs_spec,
	cmd_show_spec, cmd_compare_spec, cmd_alerts_spec, cmd_ack_spec,
	cmd_deploy_spec, cmd_rollback_spec, cmd_report_spec, cmd_audit_spec,
	cmd_policy_spec, cmd_gate_spec, cmd_incident_spec,
	cmd_sql_spec;
extern const struct command_spec cmd_completion_spec;

/* The completion script for shell ("bash", "zsh" or "fish"), generated
 * from command_table[], to out (cli/cmd_completion.c); -1 for another
 * shell. */
int completion_script(const char *shell, FILE *out);

#endif
