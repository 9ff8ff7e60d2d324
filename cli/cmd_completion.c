/*
 * cmd_completion.c — `fairtop completion bash|zsh|fish`
 *
 * Prints a completion script for the shell, generated from the command
 * table (cli/command.c): every command with its summary; every option of
 * each (its own, and the parser's --policy, --format, --db and --help as
 * the entry says) with the first line of its help, whether it takes a
 * value, and what to complete for the value; the positional arguments.
 * A new command or option appears in the scripts with no change here.
 *
 * What a value is comes from the entry: an OPTION_CHOICE's choices,
 * --format's formats; otherwise the name the entry gives the value
 * (option_spec.arg, or a word of command_spec.args), see metavar_kind():
 * RUN, BASELINE, CANDIDATE, B and C are run ids, completed by calling
 * `fairtop [--db FILE] runs --format csv` quietly (the --db of the
 * command line); ID is a firing alert's id (`fairtop alerts`); FILE is a
 * file, PATH a file or folder, CMD a command; a lower-case word (audit's
 * "head") is itself; anything else is free text, not completed.
 *
 * The options of fairtop before a command (main.c's) are listed here,
 * in global_options[], as main.c parses them by hand.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

enum value_kind {
	VALUE_NONE,    /* a flag */
	VALUE_TEXT,    /* free text: nothing to complete */
	VALUE_WORDS,   /* one of words */
	VALUE_FILE,
	VALUE_PATH,    /* a file or a folder */
	VALUE_RUN,
	VALUE_ALERT,
	VALUE_COMMAND,
};

/* An option as the scripts see it. */
struct copt {
	const char *name;  /* without "--" */
	char short_name;   /* or 0 */
	const char *help;  /* its help; the first line is shown */
	enum value_kind kind;
	const char *const *words; /* VALUE_WORDS */
};

static const char *const color_words[] = {"auto", "always", "never", NULL};

/* fairtop's options before a command (cli/main.c). */
static const struct copt global_options[] = {
	{"db", 0, "the store (default: $FAIRTOP_DB, then ./fairtop.db)",
	 VALUE_FILE, NULL},
	{"policy", 0, "the fairness policy, for the dashboard and any command",
	 VALUE_FILE, NULL},
	{"help", 'h', "this help", VALUE_NONE, NULL},
	{"version", 0, "print the version", VALUE_NONE, NULL},
	{"color", 0, "the dashboard's colour: auto, always or never",
	 VALUE_WORDS, color_words},
	{"read-only", 0, "the dashboard without rollback, deploy or ack",
	 VALUE_NONE, NULL},
	{"delay", 'd', "the dashboard polls the store every TENTHS/10 s",
	 VALUE_TEXT, NULL},
	{"bench-frames", 0, "render N frames of each view off-screen",
	 VALUE_TEXT, NULL},
};
#define NGLOBAL (sizeof global_options / sizeof *global_options)

/* What a value named name (RUN, FILE, ...) is. */
static enum value_kind metavar_kind(const char *name, size_t len)
{
	static const struct {
		const char *name;
		enum value_kind kind;
	} map[] = {
		{"RUN", VALUE_RUN},       {"BASELINE", VALUE_RUN},
		{"CANDIDATE", VALUE_RUN}, {"B", VALUE_RUN},
		{"C", VALUE_RUN},         {"ID", VALUE_ALERT},
		{"FILE", VALUE_FILE},     {"PATH", VALUE_PATH},
		{"CMD", VALUE_COMMAND},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (strlen(map[i].name) == len &&
		    strncmp(map[i].name, name, len) == 0)
			return map[i].kind;
	return VALUE_TEXT;
}

#define COPT_MAX (COMMAND_MAX_OPTIONS + 4)

/* c's options, its own then --policy, --format, --db, --help; returns
 * how many.  formats_words points into c. */
static size_t command_options(const struct command_spec *c,
			      struct copt out[COPT_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < c->noptions && n < COMMAND_MAX_OPTIONS; i++) {
		const struct option_spec *o = &c->options[i];
		struct copt *d = &out[n++];
		d->name = o->name;
		d->short_name = o->short_name;
		d->help = o->help;
		d->words = NULL;
		if (o->kind == OPTION_FLAG)
			d->kind = VALUE_NONE;
		else if (o->kind == OPTION_CHOICE) {
			d->kind = VALUE_WORDS;
			d->words = o->choices;
		} else
			d->kind = metavar_kind(o->arg, strlen(o->arg));
	}
	if (c->policy)
		out[n++] = (struct copt){"policy", 0,
					 c->policy_help ? c->policy_help
							: "the policy",
					 VALUE_FILE, NULL};
	if (c->formats != NULL)
		out[n++] = (struct copt){"format", 0, "the output format",
					 VALUE_WORDS, c->formats};
	out[n++] = (struct copt){"db", 0, "the store", VALUE_FILE, NULL};
	out[n++] = (struct copt){"help", 'h', "this help", VALUE_NONE, NULL};
	return n;
}

/* The positional arguments of c, from c->args ("RUN", "PATH...",
 * "ID|--run RUN", "[head]"): the value kinds named (a bit per kind) and
 * the literal words, space-separated, into words. */
static unsigned positional(const struct command_spec *c, char *words,
			   size_t size)
{
	unsigned kinds = 0;
	size_t used = 0;
	words[0] = '\0';
	if (c->args == NULL)
		return 0;
	for (const char *p = c->args; *p;) {
		size_t n = strcspn(p, " |[]."), skip = 0;
		if (n == 0) {
			p++;
			continue;
		}
		if (p[0] == '-') {
			/* "--run RUN": an option's, completed as the option */
			skip = strcspn(p + n, "|") + n;
		} else if (islower((unsigned char)p[0])) {
			if (used + n + 2 < size) {
				used += (size_t)snprintf(words + used,
							 size - used, "%s%.*s",
							 used ? " " : "",
							 (int)n, p);
			}
		} else {
			kinds |= 1u << metavar_kind(p, n);
		}
		p += skip ? skip : n;
	}
	return kinds;
}

/* The first line of help, made safe for the shells' quoting: no quotes,
 * backslashes or '$' (left out); no brackets, parentheses or colons,
 * which zsh's specs and fish's descriptions read (said with a space). */
static const char *short_help(char *buf, size_t size, const char *help)
{
	size_t n = 0;
	for (const char *p = help; *p && *p != '\n' && n + 1 < size; p++) {
		char ch = *p;
		if (strchr("'\"\\`$", ch) != NULL)
			continue;
		buf[n++] = strchr("[]():", ch) != NULL ? ' ' : ch;
	}
	buf[n] = '\0';
	return buf;
}

/* words (NULL-terminated; NULL: none), space-separated. */
static void words_out(FILE *out, const char *const *words)
{
	for (size_t i = 0; words != NULL && words[i] != NULL; i++)
		fprintf(out, "%s%s", i ? " " : "", words[i]);
}

/* --- bash -------------------------------------------------------------- */

/* The shell code adding to COMPREPLY the completions of a value of kind
 * (words for VALUE_WORDS). */
static void bash_value(FILE *out, enum value_kind kind,
		       const char *const *words, const char *indent)
{
	switch (kind) {
	case VALUE_WORDS:
		fprintf(out, "%sCOMPREPLY+=($(compgen -W '", indent);
		words_out(out, words);
		fprintf(out, "' -- \"$cur\"))\n");
		break;
	case VALUE_FILE:
	case VALUE_PATH:
		fprintf(out, "%s_fairtop_files\n", indent);
		break;
	case VALUE_RUN:
		fprintf(out, "%sCOMPREPLY+=($(compgen -W \"$(_fairtop_ids runs)\" "
			"-- \"$cur\"))\n", indent);
		break;
	case VALUE_ALERT:
		fprintf(out, "%sCOMPREPLY+=($(compgen -W \"$(_fairtop_ids "
			"alerts --state firing)\" -- \"$cur\"))\n", indent);
		break;
	case VALUE_COMMAND:
		fprintf(out, "%sCOMPREPLY+=($(compgen -c -- \"$cur\"))\n",
			indent);
		break;
	case VALUE_NONE:
	case VALUE_TEXT:
		fprintf(out, "%s:\n", indent);
		break;
	}
}

/* The case arms completing the values of opts[0..n). */
static void bash_option_values(FILE *out, const struct copt *opts, size_t n,
			       const char *indent)
{
	for (size_t i = 0; i < n; i++) {
		const struct copt *o = &opts[i];
		if (o->kind == VALUE_NONE)
			continue;
		fprintf(out, "%s--%s", indent, o->name);
		if (o->short_name)
			fprintf(out, "|-%c", o->short_name);
		fprintf(out, ")\n");
		char deeper[32];
		snprintf(deeper, sizeof deeper, "%s\t", indent);
		bash_value(out, o->kind, o->words, deeper);
		fprintf(out, "%s\treturn ;;\n", indent);
	}
}

static void bash_option_names(FILE *out, const struct copt *opts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s--%s", i ? " " : "", opts[i].name);
		if (opts[i].short_name)
			fprintf(out, " -%c", opts[i].short_name);
	}
}

static void bash_script(FILE *out)
{
	fprintf(out,
		"# bash completion for fairtop, generated by `fairtop "
		"completion bash`\n"
		"# from its command table.  Source it, or install it as\n"
		"# share/bash-completion/completions/fairtop.\n\n"
		"# The ids of `fairtop [--db FILE] WHAT... --format csv`, "
		"quietly\n"
		"# (the first column; ids that CSV quotes are left out).\n"
		"_fairtop_ids()\n{\n"
		"\tlocal i db=\n"
		"\tfor ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do\n"
		"\t\tcase ${COMP_WORDS[i]} in\n"
		"\t\t--db)\n"
		"\t\t\tdb=${COMP_WORDS[i + 1]}\n"
		"\t\t\t# --db=FILE, split at '='\n"
		"\t\t\t[[ $db == = ]] && db=${COMP_WORDS[i + 2]} ;;\n"
		"\t\t--db=*) db=${COMP_WORDS[i]#--db=} ;;\n"
		"\t\tesac\n"
		"\tdone\n"
		"\t\"${COMP_WORDS[0]}\" ${db:+--db \"$db\"} \"$@\" --format "
		"csv 2>/dev/null </dev/null |\n"
		"\t\tawk -F, 'NR > 1 && $1 !~ /^\"/ { print $1 }'\n"
		"}\n\n"
		"_fairtop_files()\n{\n"
		"\tlocal IFS=$'\\n'\n"
		"\tcompopt -o filenames 2>/dev/null\n"
		"\tCOMPREPLY+=($(compgen -f -- \"$cur\"))\n"
		"}\n\n"
		"_fairtop()\n{\n"
		"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i w\n"
		"\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
		"\t# --opt=value: bash splits it at '='\n"
		"\tif [[ $cur == = ]]; then\n"
		"\t\tcur=\n"
		"\telif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
		"\t\tprev=${COMP_WORDS[COMP_CWORD - 2]}\n"
		"\tfi\n"
		"\t# the command: the first word that is neither an option "
		"nor its value\n"
		"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
		"\t\tw=${COMP_WORDS[i]}\n"
		"\t\tcase $w in\n"
		"\t\t--db | --policy | --color | -d | --delay | "
		"--bench-frames)\n"
		"\t\t\t[[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))\n"
		"\t\t\t((i++)) ;;\n"
		"\t\t= | -*) ;;\n"
		"\t\t*)\n"
		"\t\t\tcmd=$w\n"
		"\t\t\tbreak ;;\n"
		"\t\tesac\n"
		"\tdone\n"
		"\tCOMPREPLY=()\n"
		"\tif [[ -z $cmd ]]; then\n"
		"\t\tcase $prev in\n");
	bash_option_values(out, global_options, NGLOBAL, "\t\t");
	fprintf(out, "\t\tesac\n"
		"\t\tif [[ $cur == -* ]]; then\n"
		"\t\t\tCOMPREPLY=($(compgen -W '");
	bash_option_names(out, global_options, NGLOBAL);
	fprintf(out, "' -- \"$cur\"))\n"
		"\t\telse\n"
		"\t\t\tCOMPREPLY=($(compgen -W '");
	for (size_t k = 0; k < command_count; k++)
		fprintf(out, "%s%s", k ? " " : "", command_table[k]->name);
	fprintf(out, "' -- \"$cur\"))\n"
		"\t\tfi\n"
		"\t\treturn\n"
		"\tfi\n"
		"\tcase $cmd in\n");
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		struct copt opts[COPT_MAX];
		size_t n = command_options(c, opts);
		char words[128];
		unsigned kinds = positional(c, words, sizeof words);
		fprintf(out, "\t%s)\n\t\tcase $prev in\n", c->name);
		bash_option_values(out, opts, n, "\t\t");
		fprintf(out, "\t\tesac\n"
			"\t\tif [[ $cur == -* ]]; then\n"
			"\t\t\tCOMPREPLY=($(compgen -W '");
		bash_option_names(out, opts, n);
		fprintf(out, "' -- \"$cur\"))\n\t\t\treturn\n\t\tfi\n");
		if (words[0])
			fprintf(out, "\t\tCOMPREPLY+=($(compgen -W '%s' -- "
				"\"$cur\"))\n", words);
		for (unsigned v = VALUE_FILE; v <= VALUE_COMMAND; v++)
			if (kinds & (1u << v))
				bash_value(out, (enum value_kind)v, NULL,
					   "\t\t");
		fprintf(out, "\t\t;;\n");
	}
	fprintf(out, "\tesac\n}\n\ncomplete -F _fairtop fairtop\n");
}

/* --- zsh --------------------------------------------------------------- */

static void zsh_value(FILE *out, const struct copt *o)
{
	char meta[32];
	snprintf(meta, sizeof meta, "%s", o->name);
	switch (o->kind) {
	case VALUE_NONE:
		break;
	case VALUE_TEXT:
		fprintf(out, ":%s: ", meta);
		break;
	case VALUE_WORDS:
		fprintf(out, ":%s:(", meta);
		words_out(out, o->words);
		fprintf(out, ")");
		break;
	case VALUE_FILE:
	case VALUE_PATH:
		fprintf(out, ":%s:_files", meta);
		break;
	case VALUE_RUN:
		fprintf(out, ":%s:_fairtop_runs", meta);
		break;
	case VALUE_ALERT:
		fprintf(out, ":%s:_fairtop_alerts", meta);
		break;
	case VALUE_COMMAND:
		fprintf(out, ":%s:_command_names -e", meta);
		break;
	}
}

/* One _arguments spec per option, each on a line of its own. */
static void zsh_option_specs(FILE *out, const struct copt *opts, size_t n,
			     const char *indent)
{
	char help[256];
	for (size_t i = 0; i < n; i++) {
		const struct copt *o = &opts[i];
		const char *eq = o->kind == VALUE_NONE ? "" : "=";
		short_help(help, sizeof help, o->help);
		if (o->short_name)
			fprintf(out, "%s'(-%c --%s)'{-%c,--%s%s}'[%s]", indent,
				o->short_name, o->name, o->short_name, o->name,
				eq, help);
		else
			fprintf(out, "%s'--%s%s[%s]", indent, o->name, eq,
				help);
		zsh_value(out, o);
		fprintf(out, "' \\\n");
	}
}

static void zsh_script(FILE *out)
{
	char help[256];
	fprintf(out,
		"#compdef fairtop\n"
		"# zsh completion for fairtop, generated by `fairtop "
		"completion zsh`\n"
		"# from its command table.  Install it as _fairtop in a "
		"folder of $fpath\n"
		"# (share/zsh/site-functions).\n\n"
		"# The ids of `fairtop [--db FILE] WHAT... --format csv`, "
		"quietly (the first\n"
		"# column; ids that CSV quotes are left out).\n"
		"_fairtop_ids() {\n"
		"  local -a db\n"
		"  local i\n"
		"  for ((i = 1; i < $#words; i++)); do\n"
		"    [[ $words[i] == --db ]] && db=(--db \"$words[i+1]\")\n"
		"    [[ $words[i] == --db=* ]] && db=(--db "
		"\"${words[i]#--db=}\")\n"
		"  done\n"
		"  \"${_fairtop_cmd:-fairtop}\" $db \"$@\" --format csv "
		"2>/dev/null </dev/null |\n"
		"    awk -F, 'NR > 1 && $1 !~ /^\"/ { print $1 }'\n"
		"}\n\n"
		"_fairtop_runs() {\n"
		"  local -a ids\n"
		"  ids=(${(f)\"$(_fairtop_ids runs)\"})\n"
		"  _wanted runs expl 'run' compadd -a ids\n"
		"}\n\n"
		"_fairtop_alerts() {\n"
		"  local -a ids\n"
		"  ids=(${(f)\"$(_fairtop_ids alerts --state firing)\"})\n"
		"  _wanted alerts expl 'firing alert' compadd -a ids\n"
		"}\n\n"
		"_fairtop() {\n"
		"  local curcontext=$curcontext state line ret=1\n"
		"  local _fairtop_cmd=$words[1]\n"
		"  local -a commands\n"
		"  commands=(\n");
	for (size_t k = 0; k < command_count; k++)
		fprintf(out, "    '%s:%s'\n", command_table[k]->name,
			short_help(help, sizeof help,
				   command_table[k]->summary));
	fprintf(out, "  )\n  _arguments -C \\\n");
	zsh_option_specs(out, global_options, NGLOBAL, "    ");
	fprintf(out, "    '1: :->command' \\\n"
		"    '*:: :->args' && ret=0\n"
		"  case $state in\n"
		"  command)\n"
		"    _describe -t commands 'fairtop command' commands && ret=0\n"
		"    ;;\n"
		"  args)\n"
		"    curcontext=${curcontext%%:*:*}:fairtop-$words[1]:\n"
		"    case $words[1] in\n");
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		struct copt opts[COPT_MAX];
		size_t n = command_options(c, opts);
		char words[128];
		unsigned kinds = positional(c, words, sizeof words);
		fprintf(out, "    %s)\n      _arguments \\\n", c->name);
		zsh_option_specs(out, opts, n, "        ");
		if (words[0])
			fprintf(out, "        '1:word:(%s)' \\\n", words);
		else if (kinds & (1u << VALUE_RUN))
			fprintf(out, "        '*:run:_fairtop_runs' \\\n");
		else if (kinds & (1u << VALUE_ALERT))
			fprintf(out, "        '*:alert:_fairtop_alerts' \\\n");
		else if (kinds & ((1u << VALUE_PATH) | (1u << VALUE_FILE)))
			fprintf(out, "        '*:path:_files' \\\n");
		fprintf(out, "        && ret=0\n      ;;\n");
	}
	fprintf(out, "    esac\n    ;;\n  esac\n  return ret\n}\n\n"
		"_fairtop \"$@\"\n");
}

/* --- fish -------------------------------------------------------------- */

static void fish_option(FILE *out, const char *cond, const struct copt *o)
{
	char help[256];
	fprintf(out, "complete -c fairtop -n '%s' -l %s", cond, o->name);
	if (o->short_name)
		fprintf(out, " -s %c", o->short_name);
	switch (o->kind) {
	case VALUE_NONE:
		break;
	case VALUE_TEXT:
		fprintf(out, " -x");
		break;
	case VALUE_WORDS:
		fprintf(out, " -x -a '");
		words_out(out, o->words);
		fprintf(out, "'");
		break;
	case VALUE_FILE:
	case VALUE_PATH:
		fprintf(out, " -r -F");
		break;
	case VALUE_RUN:
		fprintf(out, " -x -a '(__fairtop_ids runs)'");
		break;
	case VALUE_ALERT:
		fprintf(out, " -x -a '(__fairtop_ids alerts --state firing)'");
		break;
	case VALUE_COMMAND:
		fprintf(out, " -x -a '(__fish_complete_command)'");
		break;
	}
	fprintf(out, " -d '%s'\n", short_help(help, sizeof help, o->help));
}

static void fish_script(FILE *out)
{
	char help[256];
	fprintf(out,
		"# fish completion for fairtop, generated by `fairtop "
		"completion fish`\n"
		"# from its command table.  Install it as "
		"share/fish/vendor_completions.d/fairtop.fish.\n\n"
		"# The ids of `fairtop [--db FILE] WHAT... --format csv`, "
		"quietly (the first\n"
		"# column; ids that CSV quotes are left out).\n"
		"function __fairtop_ids\n"
		"    set -l words (commandline -opc)\n"
		"    set -l db\n"
		"    for i in (seq (count $words))\n"
		"        if test \"$words[$i]\" = --db; and test $i -lt (count "
		"$words)\n"
		"            set db --db $words[(math $i + 1)]\n"
		"        else if string match -q -- '--db=*' $words[$i]\n"
		"            set db --db (string replace -- '--db=' '' "
		"$words[$i])\n"
		"        end\n"
		"    end\n"
		"    $words[1] $db $argv --format csv 2>/dev/null </dev/null |"
		" awk -F, 'NR > 1 && $1 !~ /^\"/ { print $1 }'\n"
		"end\n\n"
		"complete -c fairtop -f\n");
	for (size_t i = 0; i < NGLOBAL; i++)
		fish_option(out, "__fish_use_subcommand", &global_options[i]);
	for (size_t k = 0; k < command_count; k++)
		fprintf(out, "complete -c fairtop -n '__fish_use_subcommand' "
			"-a %s -d '%s'\n", command_table[k]->name,
			short_help(help, sizeof help,
				   command_table[k]->summary));
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		struct copt opts[COPT_MAX];
		size_t n = command_options(c, opts);
		char cond[96], words[128];
		unsigned kinds = positional(c, words, sizeof words);
		snprintf(cond, sizeof cond, "__fish_seen_subcommand_from %s",
			 c->name);
		fprintf(out, "\n");
		for (size_t i = 0; i < n; i++)
			fish_option(out, cond, &opts[i]);
		if (words[0])
			fprintf(out, "complete -c fairtop -n '%s' -a '%s'\n",
				cond, words);
		if (kinds & (1u << VALUE_RUN))
			fprintf(out, "complete -c fairtop -n '%s' -a "
				"'(__fairtop_ids runs)'\n", cond);
		if (kinds & (1u << VALUE_ALERT))
			fprintf(out, "complete -c fairtop -n '%s' -a "
				"'(__fairtop_ids alerts --state firing)'\n",
				cond);
		if (kinds & ((1u << VALUE_PATH) | (1u << VALUE_FILE)))
			fprintf(out, "complete -c fairtop -n '%s' -F\n", cond);
	}
}

static const char *const shells[] = {"bash", "zsh", "fish", NULL};

int completion_script(const char *shell, FILE *out)
{
	if (strcmp(shell, "bash") == 0)
		bash_script(out);
	else if (strcmp(shell, "zsh") == 0)
		zsh_script(out);
	else if (strcmp(shell, "fish") == 0)
		fish_script(out);
	else
		return -1;
	return 0;
}

static int check(struct cmd_args *a)
{
	if (a->argc != 1)
		return cli_usage_error("completion", "expected one shell: "
				       "bash, zsh or fish");
	for (size_t i = 0; shells[i] != NULL; i++)
		if (strcmp(a->argv[0], shells[i]) == 0)
			return EXIT_OK;
	char shown[64];
	snprintf(shown, sizeof shown, "%s", a->argv[0]);
	return cli_usage_error("completion", "expected bash, zsh or fish, "
			       "found '%s'", shown);
}

static int run(struct cmd_args *a)
{
	if (completion_script(a->argv[0], stdout) != 0)
		return EXIT_USAGE;
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_INTERNAL;
}

const struct command_spec cmd_completion_spec = {
	.name = "completion",
	.summary = "a completion script for bash, zsh or fish",
	.args = "bash|zsh|fish",
	.store = COMMAND_NO_STORE,
	.help = "Print a completion script for bash, zsh or fish, generated "
		"from\nfairtop's command table: commands, options, "
		"formats, choices, files, and\nrun ids (read quietly with "
		"`fairtop runs`).  make install installs all three.\n"
		"By hand:\n\n"
		"  bash: source <(fairtop completion bash)\n"
		"  zsh:  fairtop completion zsh > ~/.zfunc/_fairtop "
		"(a folder of $fpath)\n"
		"  fish: fairtop completion fish > "
		"~/.config/fish/completions/fairtop.fish",
	.check = check,
	.run = run,
};
