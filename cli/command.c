/*
 * command.c — the command table and its one parser.
 *
 * Each command is an entry (struct command_spec, cli/cli.h) in its own
 * cli/cmd_*.c; command_table[] lists them.  command_run() reads a
 * command's options with getopt_long() from its entry (GNU order: options
 * before or after the arguments, `--` ends them), checks each value as
 * its kind says, answers --help with text generated from the entry,
 * then loads the policy and opens the store where the entry asks, and
 * calls the handler.  --db, --policy, --format and --help are the
 * parser's own: an entry says whether it takes --policy and which
 * formats it writes.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/policy.h"
#include "core/runinfo.h"
#include "storage/store.h"

const struct command_spec *const command_table[] = {
	&cmd_ingest_spec, &cmd_runs_spec,     &cmd_show_spec,
	&cmd_compare_spec, &cmd_alerts_spec,  &cmd_ack_spec,
	&cmd_deploy_spec, &cmd_rollback_spec, &cmd_report_spec,
	&cmd_audit_spec,  &cmd_policy_spec,   &cmd_gate_spec,
	&cmd_incident_spec, &cmd_sql_spec,
	&cmd_completion_spec,
};
const size_t command_count = sizeof command_table / sizeof *command_table;

/* getopt_long() values of the parser's own options; an entry's own are
 * their index in its options. */
enum {
	VAL_POLICY = 256,
	VAL_FORMAT,
	VAL_DB,
};

const struct command_spec *command_find(const char *name)
{
	for (size_t i = 0; i < command_count; i++)
		if (strcmp(command_table[i]->name, name) == 0)
			return command_table[i];
	return NULL;
}

/* "a, b or c" of a NULL-terminated list, into buf. */
static const char *list_words(char *buf, size_t size,
			      const char *const *words)
{
	size_t n = 0, used = 0;
	while (words[n] != NULL)
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 i == 0 ? "" : i + 1 == n ? " or "
								  : ", ",
					 words[i]);
	return buf;
}

/* "w1|w2|w3" of a NULL-terminated list, into buf. */
static const char *bar_words(char *buf, size_t size,
			     const char *const *words)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; words[i] != NULL && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 i ? "|" : "", words[i]);
	return buf;
}

static int is_choice(const char *const *choices, const char *s)
{
	for (size_t i = 0; choices[i] != NULL; i++)
		if (strcmp(choices[i], s) == 0)
			return 1;
	return 0;
}

/* Help is written for an 80-column terminal: a line longer is broken
 * at its last space before column HELP_WIDTH. */
#define HELP_WIDTH 79

/* text (which may hold line ends) at column *col, each line broken at
 * spaces to fit HELP_WIDTH, a broken line going on after `indent`
 * spaces; *col is the column after it. */
static void put_wrapped(FILE *out, const char *text, int *col, int indent)
{
	const char *p = text;
	while (*p) {
		size_t line = strcspn(p, "\n");
		while ((int)line > HELP_WIDTH - *col) {
			/* the last space that leaves the start within */
			int room = HELP_WIDTH - *col;
			int cut = -1;
			for (int k = room; k > 0; k--)
				if (p[k] == ' ') {
					cut = k;
					break;
				}
			if (cut < 0) /* one word longer than the room */
				break;
			fprintf(out, "%.*s\n%*s", cut, p, indent, "");
			p += cut + 1;
			line -= (size_t)cut + 1;
			*col = indent;
		}
		fprintf(out, "%.*s", (int)line, p);
		*col += (int)line;
		p += line;
		if (*p == '\n') {
			fputc('\n', out);
			p++;
			*col = 0;
		}
	}
}

/* One word of the usage line: on this line when it fits, else on the
 * next, under the command. */
static void usage_word(FILE *out, const char *word, int *col)
{
	int len = (int)strlen(word);
	if (*col + 1 + len > HELP_WIDTH) {
		fprintf(out, "\n%*s", 7, "");
		*col = 7;
	} else {
		fputc(' ', out);
		(*col)++;
	}
	fputs(word, out);
	*col += len;
}

void command_usage(const struct command_spec *c, FILE *out)
{
	char words[128], word[256];
	int col = fprintf(out, "usage: fairtop [--db FILE] %s", c->name);
	if (c->args != NULL)
		usage_word(out, c->args, &col);
	for (size_t i = 0; i < c->noptions; i++) {
		const struct option_spec *o = &c->options[i];
		if (o->flags & OPTION_IN_ARGS)
			continue;
		int req = (o->flags & OPTION_REQUIRED) != 0;
		snprintf(word, sizeof word, "%s--%s%s%s%s", req ? "" : "[",
			 o->name, o->arg ? " " : "", o->arg ? o->arg : "",
			 req ? "" : "]");
		usage_word(out, word, &col);
	}
	if (c->policy)
		usage_word(out, "[--policy FILE]", &col);
	if (c->formats != NULL) {
		snprintf(word, sizeof word, "[--format %s]",
			 bar_words(words, sizeof words, c->formats));
		usage_word(out, word, &col);
	}
	fputc('\n', out);
}

/* One option of the help: "  --name ARG" padded to width, then its
 * help, each further line of it under the first. */
static void help_line(FILE *out, const char *left, const char *help,
		      int width)
{
	int col = fprintf(out, "  %-*s  ", width, left);
	for (const char *p = help; *p;) {
		size_t line = strcspn(p, "\n");
		char *one = strndup(p, line);
		put_wrapped(out, one ? one : "", &col, width + 4);
		free(one);
		p += line;
		if (*p == '\n' && p[1] != '\0') {
			col = fprintf(out, "\n  %-*s  ", width, "") - 1;
			p++;
		} else if (*p == '\n') {
			p++;
		}
	}
	fputc('\n', out);
}

/* "--name ARG" (", -y" after a flag's short form) of an option. */
static const char *option_left(char *buf, size_t size,
			       const struct option_spec *o)
{
	if (o->short_name)
		snprintf(buf, size, "--%s%s%s, -%c", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "",
			 o->short_name);
	else
		snprintf(buf, size, "--%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
	return buf;
}

void command_help(const struct command_spec *c, FILE *out)
{
	char left[64], words[128], fmt_help[160];
	int width = (int)strlen("--policy FILE");
	for (size_t i = 0; i < c->noptions; i++) {
		int w = (int)strlen(option_left(left, sizeof left,
						&c->options[i]));
		if (w > width)
			width = w;
	}
	command_usage(c, out);
	int col = 0;
	fputc('\n', out);
	put_wrapped(out, c->help, &col, 0);
	fputs("\n\n", out);
	for (size_t i = 0; i < c->noptions; i++)
		help_line(out, option_left(left, sizeof left, &c->options[i]),
			  c->options[i].help, width);
	if (c->policy)
		help_line(out, "--policy FILE",
			  c->policy_help ? c->policy_help
					 : "the policy (see fairtop policy)",
			  width);
	if (c->formats != NULL) {
		/* "text (default), csv or json" */
		const char *const *rest = c->formats + 1;
		if (*rest == NULL)
			snprintf(fmt_help, sizeof fmt_help, "%s",
				 c->formats[0]);
		else
			snprintf(fmt_help, sizeof fmt_help,
				 "%s (default)%s%s", c->formats[0],
				 rest[1] == NULL ? " or " : ", ",
				 list_words(words, sizeof words, rest));
		help_line(out, "--format F", fmt_help, width);
	}
	help_line(out, "--db FILE",
		  c->store == COMMAND_STORE_CREATE
			  ? "the store (created on first use)"
		  : c->store == COMMAND_NO_STORE ? "the store (not read)"
						 : "the store",
		  width);
	help_line(out, "--help, -h", "this help", width);
	if (c->help_after != NULL) {
		int after = 0;
		fputc('\n', out);
		put_wrapped(out, c->help_after, &after, 0);
		fputc('\n', out);
	}
}

/* Checks the value of option o as its kind says, into a; EXIT_OK or a
 * usage error printed. */
static int take_value(struct cmd_args *a, size_t i, const char *v)
{
	const struct command_spec *c = a->cmd;
	const struct option_spec *o = &c->options[i];
	char words[256];
	int seconds;
	a->count[i]++;
	switch (o->kind) {
	case OPTION_FLAG:
		return EXIT_OK;
	case OPTION_STRING:
		break;
	case OPTION_NONEMPTY:
		if (*v == '\0')
			return cli_usage_error(c->name, "--%s: expected %s, "
					       "found ''", o->name, o->what);
		break;
	case OPTION_CHOICE:
		if (!is_choice(o->choices, v))
			return cli_usage_error(
				c->name, "--%s: expected %s, found '%s'",
				o->name,
				list_words(words, sizeof words, o->choices),
				v);
		break;
	case OPTION_SECONDS:
		if (cli_parse_wait(c->name, v, &seconds) != 0)
			return EXIT_USAGE;
		a->number[i] = seconds;
		break;
	case OPTION_DATE:
		if (!runinfo_is_iso8601(v))
			return cli_usage_error(
				c->name, "--%s: expected an ISO 8601 date "
				"such as 2026-01-20, found '%s'", o->name, v);
		break;
	}
	a->value[i] = v;
	return EXIT_OK;
}

/* The long option (as "--name") of opts[0..n) nearest to arg
 * ("--nmae" or "--nmae=value"), or NULL.  Points into a static buffer. */
static const char *near_option(const struct option *opts, size_t n,
			       const char *arg)
{
	static char found[64];
	char typed[64];
	const char *names[COMMAND_MAX_OPTIONS + 5];
	if (strncmp(arg, "--", 2) != 0 || n > sizeof names / sizeof *names)
		return NULL;
	snprintf(typed, sizeof typed, "%.*s", (int)strcspn(arg + 2, "="),
		 arg + 2);
	for (size_t i = 0; i < n; i++)
		names[i] = opts[i].name;
	const char *near = cli_nearest(typed, names, n);
	if (near == NULL)
		return NULL;
	snprintf(found, sizeof found, "--%s", near);
	return found;
}

/* The options of argv into a: EXIT_OK, or the exit code of --help or
 * of a usage error (with *done set). */
static int parse(struct cmd_args *a, int argc, char **argv, int *done)
{
	const struct command_spec *c = a->cmd;
	struct option longopts[COMMAND_MAX_OPTIONS + 5];
	char shorts[COMMAND_MAX_OPTIONS + 4] = ":h";
	size_t n = 0, ns = 2;
	char words[256];
	for (size_t i = 0; i < c->noptions; i++) {
		const struct option_spec *o = &c->options[i];
		longopts[n++] = (struct option){
			o->name, o->arg ? required_argument : no_argument,
			NULL, (int)i};
		if (o->short_name)
			shorts[ns++] = o->short_name;
	}
	shorts[ns] = '\0';
	if (c->policy)
		longopts[n++] = (struct option){"policy", required_argument,
						NULL, VAL_POLICY};
	if (c->formats != NULL)
		longopts[n++] = (struct option){"format", required_argument,
						NULL, VAL_FORMAT};
	longopts[n++] = (struct option){"db", required_argument, NULL,
					VAL_DB};
	longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[n] = (struct option){NULL, 0, NULL, 0};

	*done = 1;
	optind = 0;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		int rc = EXIT_OK;
		if (ch >= 0 && (size_t)ch < c->noptions) {
			rc = take_value(a, (size_t)ch, optarg);
		} else if (ch == VAL_POLICY) {
			a->policy_path = optarg;
		} else if (ch == VAL_FORMAT) {
			if (!is_choice(c->formats, optarg))
				rc = cli_usage_error(
					c->name, "--format: expected %s, "
					"found '%s'",
					list_words(words, sizeof words,
						   c->formats),
					optarg);
			a->format = optarg;
		} else if (ch == VAL_DB) {
			a->cli->db_path = optarg;
		} else if (ch == 'h') {
			command_help(c, stdout);
			return EXIT_OK;
		} else {
			/* a short option of an entry: its index */
			size_t i = 0;
			while (i < c->noptions &&
			       c->options[i].short_name != ch)
				i++;
			if (i == c->noptions || ch == ':' || ch == '?')
				return cli_bad_option(
					c->name, ch, argv[optind - 1],
					near_option(longopts, n,
						    argv[optind - 1]));
			rc = take_value(a, i, optarg);
		}
		if (rc != EXIT_OK)
			return rc;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	if (c->args == NULL && a->argc > 0)
		return cli_usage_error(c->name, "expected no arguments, found "
				       "'%s'%s", a->argv[0],
				       c->args_hint ? c->args_hint : "");
	*done = 0;
	return EXIT_OK;
}

static enum store_mode store_mode_of(const struct command_spec *c)
{
	switch (c->store) {
	case COMMAND_STORE_CREATE:
		return STORE_CREATE;
	case COMMAND_STORE_READ:
	case COMMAND_STORE_RECORD:
		return STORE_OPEN_READ;
	default:
		return STORE_OPEN_EXISTING;
	}
}

int command_run(const struct command_spec *c, struct cli *cli, int argc,
		char **argv)
{
	struct cmd_args a;
	struct policy policy;
	struct fail f;
	int done, rc;
	memset(&a, 0, sizeof a);
	a.cli = cli;
	a.cmd = c;
	a.format = c->formats ? c->formats[0] : NULL;
	rc = parse(&a, argc, argv, &done);
	if (done)
		return rc;
	if (c->check != NULL && (rc = c->check(&a)) != EXIT_OK)
		return rc;
	fail_init(&f);
	if (c->policy) {
		int bad = policy_load(&policy,
				      a.policy_path ? a.policy_path
						    : cli->policy_path,
				      &f);
		/* the gate, the hook: a policy others may write is said so
		 * whatever the command (policy, gate, deploy ...) */
		if (policy.warning[0] != '\0')
			fprintf(stderr, "fairtop: warning: %s\n",
				policy.warning);
		if (bad != 0)
			return cli_report(&f);
		a.policy = &policy;
	}
	if (c->store != COMMAND_NO_STORE &&
	    store_open(store_default_path(cli->db_path), store_mode_of(c),
		       &a.store, &f) != 0)
		return cli_report(&f);
	if (a.store != NULL && a.store->read_only &&
	    c->store == COMMAND_STORE_READ)
		fprintf(stderr, "fairtop: note: the store %s is read-only "
			"(%s): changes are disabled, verdicts are not kept\n",
			a.store->path, a.store->read_only_why);
	rc = c->run(&a);
	store_free(a.store);
	return rc;
}
