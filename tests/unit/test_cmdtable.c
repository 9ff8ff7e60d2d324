/*
 * test_cmdtable.c — cli/command.c: the command table against the man
 * page and the generated --help.
 *
 * For every command of command_table[] and every option it takes (its
 * own, and --policy and --format when the entry says so):
 *   - man/fairtop.1 lists it in the command's SYNOPSIS block and in the
 *     command's heading under COMMANDS;
 *   - `fairtop COMMAND --help` (command_help()) lists it;
 * and the reverse: every option the man page lists in those two places,
 * and every option line of the generated help, is in the table.  The
 * formats of --format in the SYNOPSIS are the entry's, in its order; the
 * shared options under OPTIONS name exactly the commands that take them.
 * --db and --help are every command's: the help lists them, the man page
 * has them under OPTIONS.
 *
 * The man page is read from man/fairtop.1 (make unit runs from the top
 * of the tree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define MAX_NAMES 64
#define NAME_MAX_LEN 32

struct names {
	char name[MAX_NAMES][NAME_MAX_LEN];
	size_t n;
};

static char *man;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *p = realloc(buf, cap * 2 + 1);
			if (p == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	(void)state;
	man = slurp("man/fairtop.1");
	if (man == NULL)
		man = slurp("../../man/fairtop.1");
	return man == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	free(man);
	return 0;
}

static int has_name(const struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->name[i], name) == 0)
			return 1;
	return 0;
}

static void add_name(struct names *ns, const char *name)
{
	if (!has_name(ns, name) && ns->n < MAX_NAMES)
		snprintf(ns->name[ns->n++], NAME_MAX_LEN, "%s", name);
}

/* The options a command takes, by the table: its own, --policy,
 * --format (not --db nor --help, everyone's). */
static void table_options(const struct command_spec *c, struct names *ns)
{
	ns->n = 0;
	for (size_t i = 0; i < c->noptions; i++)
		add_name(ns, c->options[i].name);
	if (c->policy)
		add_name(ns, "policy");
	if (c->formats != NULL)
		add_name(ns, "format");
}

/* The options written "\-\-name" (roff) in [from, to) into ns. */
static void roff_options(const char *from, const char *to, struct names *ns)
{
	for (const char *p = from; p && p < to;) {
		const char *hit = strstr(p, "\\-\\-");
		if (hit == NULL || hit >= to)
			break;
		char name[NAME_MAX_LEN];
		size_t n = 0;
		const char *q = hit + 4;
		while (q < to && n + 1 < sizeof name) {
			if ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
				name[n++] = *q++;
			else if (q[0] == '\\' && q[1] == '-' && n > 0)
				name[n++] = '-', q += 2;
			else
				break;
		}
		name[n] = '\0';
		if (n > 0)
			add_name(ns, name);
		p = q;
	}
}

/* The section ".SH NAME" of the man page: [*from, *to). */
static void man_section(const char *name, const char **from, const char **to)
{
	char head[64];
	snprintf(head, sizeof head, "\n.SH %s\n", name);
	*from = strstr(man, head);
	assert_non_null(*from);
	*from += strlen(head);
	*to = strstr(*from, "\n.SH ");
	if (*to == NULL)
		*to = *from + strlen(*from);
}

/* The SYNOPSIS block (.SY fairtop ... .YS) of command c. */
static int synopsis_block(const struct command_spec *c, const char **from,
			  const char **to)
{
	const char *s, *e;
	char line[64];
	snprintf(line, sizeof line, "\n.B %s\n", c->name);
	man_section("SYNOPSIS", &s, &e);
	for (const char *b = strstr(s, ".SY fairtop"); b && b < e;
	     b = strstr(b + 1, ".SY fairtop")) {
		const char *end = strstr(b, "\n.YS");
		if (end == NULL || end > e)
			return -1;
		const char *hit = strstr(b, line);
		if (hit != NULL && hit < end) {
			*from = b;
			*to = end;
			return 0;
		}
	}
	return -1;
}

/* The heading line of command c under COMMANDS: ".TP\n.BR name ...". */
static int commands_heading(const struct command_spec *c, const char **from,
			    const char **to)
{
	const char *s, *e;
	char head[64];
	snprintf(head, sizeof head, ".TP\n.BR %s ", c->name);
	man_section("COMMANDS", &s, &e);
	const char *hit = strstr(s, head);
	if (hit == NULL || hit >= e)
		return -1;
	*from = hit;
	*to = strchr(hit + 4, '\n');
	return *to ? 0 : -1;
}

/* Compares the table's options of c with those found in a place. */
static int same_options(const struct command_spec *c, const struct names *t,
			const struct names *found, const char *where)
{
	int bad = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!has_name(found, t->name[i])) {
			print_error("%s: --%s is in the table, not in %s\n",
				    c->name, t->name[i], where);
			bad = 1;
		}
	for (size_t i = 0; i < found->n; i++)
		if (strcmp(found->name[i], "db") != 0 &&
		    strcmp(found->name[i], "help") != 0 &&
		    !has_name(t, found->name[i])) {
			print_error("%s: --%s is in %s, not in the table\n",
				    c->name, found->name[i], where);
			bad = 1;
		}
	return bad;
}

static void test_man_synopsis(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		struct names t, found = {.n = 0};
		const char *from, *to;
		table_options(c, &t);
		if (synopsis_block(c, &from, &to) != 0) {
			print_error("%s: no SYNOPSIS block in man/fairtop.1\n",
				    c->name);
			bad = 1;
			continue;
		}
		roff_options(from, to, &found);
		bad |= same_options(c, &t, &found, "the man page's SYNOPSIS");
	}
	assert_int_equal(bad, 0);
}

static void test_man_commands(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		struct names t, found = {.n = 0};
		const char *from, *to;
		table_options(c, &t);
		if (commands_heading(c, &from, &to) != 0) {
			print_error("%s: no heading under COMMANDS in "
				    "man/fairtop.1\n", c->name);
			bad = 1;
			continue;
		}
		roff_options(from, to, &found);
		bad |= same_options(c, &t, &found,
				    "the man page's heading under COMMANDS");
	}
	assert_int_equal(bad, 0);
}

/* The formats of --format in c's SYNOPSIS block, in order, are the
 * entry's: "\-\-format "\~\fBtext\fR|\fBcsv\fR|\fBjson\fR"". */
static void test_man_formats(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		const char *from, *to;
		if (c->formats == NULL || synopsis_block(c, &from, &to) != 0)
			continue;
		const char *p = strstr(from, "\\-\\-format");
		if (p == NULL || p >= to)
			continue; /* test_man_synopsis says so */
		const char *eol = strchr(p, '\n');
		size_t i = 0;
		for (const char *q = strstr(p, "\\fB"); q && q < eol;
		     q = strstr(q, "\\fB")) {
			q += 3;
			size_t n = strcspn(q, "\\");
			if (c->formats[i] == NULL ||
			    strlen(c->formats[i]) != n ||
			    strncmp(q, c->formats[i], n) != 0) {
				print_error("%s: the SYNOPSIS's format %zu is "
					    "'%.*s', the table's '%s'\n",
					    c->name, i + 1, (int)n, q,
					    c->formats[i] ? c->formats[i]
							  : "(none)");
				bad = 1;
			}
			i++;
		}
		if (c->formats[i] != NULL) {
			print_error("%s: the table's format '%s' is not in the "
				    "SYNOPSIS\n", c->name, c->formats[i]);
			bad = 1;
		}
	}
	assert_int_equal(bad, 0);
}

/* Under OPTIONS, a shared option's paragraph names in bold exactly the
 * commands that take it (when it names any). */
static void test_man_shared_options(void **state)
{
	(void)state;
	const char *s, *e;
	int bad = 0;
	man_section("OPTIONS", &s, &e);
	for (const char *p = strstr(s, ".TP\n"); p && p < e;
	     p = strstr(p + 1, ".TP\n")) {
		struct names opt = {.n = 0};
		const char *eol = strchr(p + 4, '\n');
		roff_options(p + 4, eol, &opt);
		if (opt.n == 0)
			continue;
		const char *end = strstr(eol, "\n.TP\n");
		const char *pp = strstr(eol, "\n.PP\n");
		if (end == NULL || end > e)
			end = e;
		if (pp != NULL && pp < end)
			end = pp;
		const char *name = opt.name[0];
		int in_man[64] = {0}, named = 0;
		assert_true(command_count <= 64);
		for (size_t k = 0; k < command_count; k++) {
			char b1[64], b2[64];
			snprintf(b1, sizeof b1, ".BR %s ", command_table[k]->name);
			snprintf(b2, sizeof b2, ".RB ( %s ",
				 command_table[k]->name);
			const char *h1 = strstr(eol, b1), *h2 = strstr(eol, b2);
			in_man[k] = (h1 && h1 < end) || (h2 && h2 < end);
			named |= in_man[k];
		}
		for (size_t k = 0; named && k < command_count; k++) {
			struct names t;
			table_options(command_table[k], &t);
			if (in_man[k] == has_name(&t, name))
				continue;
			print_error("OPTIONS: --%s %s %s, which %s it\n", name,
				    in_man[k] ? "names" : "does not name",
				    command_table[k]->name,
				    in_man[k] ? "does not take" : "takes");
			bad = 1;
		}
	}
	assert_int_equal(bad, 0);
}

/* The generated help of c, as a string the caller frees. */
static char *help_of(const struct command_spec *c)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	command_help(c, f);
	long size = ftell(f);
	assert_true(size > 0);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	return buf;
}

/* "--name" in text, not followed by more of a name. */
static int help_mentions(const char *text, const char *name)
{
	char want[NAME_MAX_LEN + 3];
	snprintf(want, sizeof want, "--%s", name);
	for (const char *p = strstr(text, want); p; p = strstr(p + 1, want)) {
		char after = p[strlen(want)];
		if (!((after >= 'a' && after <= 'z') || after == '-'))
			return 1;
	}
	return 0;
}

static void test_help(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		struct names t, lines = {.n = 0};
		char *help = help_of(c);
		char usage[64];
		table_options(c, &t);
		add_name(&t, "db");
		add_name(&t, "help");
		snprintf(usage, sizeof usage, "usage: fairtop [--db FILE] %s",
			 c->name);
		if (strncmp(help, usage, strlen(usage)) != 0) {
			print_error("%s --help: expected it to begin '%s'\n",
				    c->name, usage);
			bad = 1;
		}
		/* every option of the table is listed on a line of its own
		 * and in the usage (bar --db's and --help's), which may run
		 * to a few lines, up to the first blank one */
		const char *eol = strstr(help, "\n\n");
		for (size_t i = 0; i < t.n; i++) {
			char line[NAME_MAX_LEN + 8];
			snprintf(line, sizeof line, "\n  --%s", t.name[i]);
			if (strstr(help, line) == NULL) {
				print_error("%s --help: expected a line for "
					    "--%s\n", c->name, t.name[i]);
				bad = 1;
			}
			char *first = strndup(help, (size_t)(eol - help));
			if (strcmp(t.name[i], "help") != 0 &&
			    strcmp(t.name[i], "db") != 0 &&
			    !help_mentions(first, t.name[i])) {
				print_error("%s --help: expected --%s in the "
					    "usage line\n", c->name, t.name[i]);
				bad = 1;
			}
			free(first);
		}
		/* and every option line is the table's */
		for (const char *p = strstr(help, "\n  --"); p;
		     p = strstr(p + 1, "\n  --")) {
			char name[NAME_MAX_LEN];
			size_t n = strspn(p + 5, "abcdefghijklmnopqrstuvwxyz-");
			snprintf(name, sizeof name, "%.*s", (int)n, p + 5);
			add_name(&lines, name);
		}
		for (size_t i = 0; i < lines.n; i++)
			if (!has_name(&t, lines.name[i])) {
				print_error("%s --help: lists --%s, not in the "
					    "table\n", c->name, lines.name[i]);
				bad = 1;
			}
		free(help);
	}
	assert_int_equal(bad, 0);
}

/* --db and --help, every command's, are under OPTIONS. */
/* Every command's --help fits an 80-column terminal: no line wider
 * (characters, not bytes: a dash may take three). */
static void test_help_fits_80(void **state)
{
	(void)state;
	for (size_t i = 0; i < command_count; i++) {
		char *text = help_of(command_table[i]);
		int width = 0, line = 1;
		for (const unsigned char *p = (const unsigned char *)text; *p;
		     p++) {
			if (*p == '\n') {
				width = 0;
				line++;
				continue;
			}
			if ((*p & 0xc0) != 0x80 && ++width > 80)
				fail_msg("%s --help, line %d: expected at most "
					 "80 columns, found more",
					 command_table[i]->name, line);
		}
		free(text);
	}
}

static void test_man_global(void **state)
{
	(void)state;
	const char *s, *e;
	struct names found = {.n = 0};
	man_section("OPTIONS", &s, &e);
	roff_options(s, e, &found);
	assert_true(has_name(&found, "db"));
	assert_true(has_name(&found, "help"));
}

/* The table itself: names unique, option indices fit cmd_args. */
static void test_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < command_count; k++) {
		const struct command_spec *c = command_table[k];
		assert_non_null(c->run);
		assert_true(c->noptions <= COMMAND_MAX_OPTIONS);
		assert_ptr_equal(command_find(c->name), c);
		for (size_t i = 0; i < c->noptions; i++) {
			const struct option_spec *o = &c->options[i];
			assert_non_null(o->help);
			assert_true((o->kind == OPTION_FLAG) == (o->arg == NULL));
			if (o->kind == OPTION_CHOICE)
				assert_non_null(o->choices);
			if (o->kind == OPTION_NONEMPTY)
				assert_non_null(o->what);
			assert_string_not_equal(o->name, "db");
			assert_string_not_equal(o->name, "help");
			assert_string_not_equal(o->name, "policy");
			assert_string_not_equal(o->name, "format");
		}
	}
	assert_null(command_find("frobnicate"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_help_fits_80),
		cmocka_unit_test(test_man_synopsis),
		cmocka_unit_test(test_man_commands),
		cmocka_unit_test(test_man_formats),
		cmocka_unit_test(test_man_shared_options),
		cmocka_unit_test(test_man_global),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
