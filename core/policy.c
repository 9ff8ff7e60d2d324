/*
 * policy.c — reading the fairness policy with inih.  See policy.h.
 *
 * inih reports no line to its handler, so the input (a file or a buffer,
 * see source.h) is fed to it through ini_parse_stream() with a reader
 * that counts lines: when the handler runs, the reader's count is the
 * line being handled.
 */
#include "core/policy.h"

#include <ini.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/judge.h"
#include "core/number.h"
#include "core/text.h"

static const struct policy_key_info keys[POLICY_NKEYS] = {
	[POLICY_MAX_DP_DIFFERENCE] = {"fairness", "max_dp_difference", 0.10, 0,
				      1, 0, 0,
				      "largest demographic parity difference "
				      "(max - min selection rate)"},
	[POLICY_MIN_DP_RATIO] = {"fairness", "min_dp_ratio", 0.80, 0, 1, 0, 0,
				 "smallest demographic parity ratio "
				 "(min / max selection rate)"},
	[POLICY_MAX_EO_DIFFERENCE] = {"fairness", "max_eo_difference", 0.10, 0,
				      1, 0, 0,
				      "largest equalized odds difference "
				      "(max of TPR and FPR differences)"},
	[POLICY_MAX_RATE_DROP] = {"fairness", "max_rate_drop", 0.05, 0, 1, 0, 0,
				  "largest fall of a group's TPR or selection "
				  "rate against the baseline that also widens "
				  "its gap to the best-off group by as much"},
	[POLICY_MIN_GROUP_SIZE] = {"fairness", "min_group_size", 30, 1, 1e12, 0,
				   1,
				   "groups with fewer rows are low-n: they "
				   "warn but do not fail on their own"},
	[POLICY_CONFIDENCE] = {"fairness", "confidence", 0.95, 0.5,
			       0.999999, 0, 0,
			       "a disparity fails only when established at "
			       "this confidence, simultaneously over every "
			       "comparison of the verdict; below, it warns"},
	[POLICY_REQUIRE_GROUPS] = {"coverage", "require_baseline_groups", 1, 0,
				   1, 1, 0,
				   "every group of the baseline's evaluation "
				   "must be in the candidate's"},
	[POLICY_MAX_GROUP_SHRINK] = {"coverage", "max_group_shrink", 0.5, 0, 1,
				     0, 0,
				     "largest relative fall of a group's rows "
				     "against the baseline"},
	[POLICY_REQUIRE_ROWS] = {"coverage", "require_baseline_rows", 1, 0, 1,
				 1, 0,
				 "the candidate must evaluate at least as many "
				 "rows as the baseline"},
	[POLICY_CLASS_WEIGHT_TOL] = {"audits", "class_weight_tolerance", 1e-9,
				     0, 1, 0, 0,
				     "largest relative difference between "
				     "logged and exact balanced class weights"},
	[POLICY_REQUIRE_BETA] = {"audits", "require_beta_factor", 1, 0, 1, 1, 0,
				 "a run's config must carry beta_factor"},
	[POLICY_PSI_BINS] = {"drift", "psi_bins", 10, 1, 100, 0, 1,
			     "equal-width score bins on [0,1] for PSI (a "
			     "divisor of 100)"},
	[POLICY_PSI_WARNING] = {"drift", "psi_warning", 0.1, 0, 1e6, 0, 0,
				"PSI at or above which drift warns"},
	[POLICY_PSI_CRITICAL] = {"drift", "psi_critical", 0.25, 0, 1e6, 0, 0,
				 "PSI at or above which drift is critical"},
	[POLICY_DEPLOY_TIMEOUT] = {"deploy", "timeout", 300, 1, 86400, 0, 1,
				   "seconds the deploy hook may run"},
};

const struct policy_key_info *policy_key_info(enum policy_key k)
{
	return &keys[k];
}

void policy_defaults(struct policy *p)
{
	memset(p, 0, sizeof *p);
	for (int k = 0; k < POLICY_NKEYS; k++) {
		p->value[k].number = keys[k].default_value;
		snprintf(p->value[k].origin, sizeof p->value[k].origin,
			 "default");
	}
	snprintf(p->deploy_exec_origin, sizeof p->deploy_exec_origin,
		 "default");
	snprintf(p->source, sizeof p->source, "built-in defaults");
}

#define POLICY_CHUNK 4096 /* bytes read from the source at a time */

struct parse {
	struct policy *p;
	const char *name;
	const char *origin_prefix;
	struct fail *f;
	long line;        /* the line being handled */
	long error_line;  /* the line of the handler's first error */
	struct source_stream in;
	const char *at;   /* the bytes read and not yet taken */
	size_t left;
	long seen[POLICY_NKEYS]; /* the line each key was set on, 0: not */
};

/* Record the handler's first error (later ones are noise). */
static int handler_fail(struct parse *ps, const char *msg)
{
	if (ps->error_line == 0) {
		ps->error_line = ps->line;
		fail_at(ps->f, ps->name, ps->line, "%s", msg);
	}
	return 0;
}

/* The next byte, or EOF at the end of the input (or on a read error,
 * which ends it as well). */
static int next_char(struct parse *ps)
{
	if (ps->left == 0)
		ps->left = source_read(&ps->in, POLICY_CHUNK, &ps->at);
	if (ps->left == 0)
		return EOF;
	ps->left--;
	return (unsigned char)*ps->at++;
}

/* inih's reader: one line of the input per call, so that ps->line and
 * inih's own count both number lines as a person does.  inih's buffer
 * holds num - 1 bytes, and it would take the rest of a longer line for
 * a line of its own (a bogus syntax error, and every number after it
 * off by one): such a line is refused here, at its own number, and
 * handed to inih as an empty comment. */
static char *read_line(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	size_t n = 0;
	int c = EOF;
	if (num <= 1)
		return NULL;
	while (n + 1 < (size_t)num && (c = next_char(ps)) != EOF) {
		str[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return NULL;
	str[n] = '\0';
	ps->line++;
	if (c != EOF && c != '\n') {
		/* the buffer is full: fine if the line ends right here */
		c = next_char(ps);
		if (c != EOF && c != '\n') {
			char msg[128];
			while (c != EOF && c != '\n')
				c = next_char(ps);
			snprintf(msg, sizeof msg, "expected a line of at most "
				 "%d bytes, found a longer one", num - 1);
			handler_fail(ps, msg);
			snprintf(str, (size_t)num, ";");
		}
	}
	return str;
}

static int parse_bool(const char *v, double *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* Where a value came from, "PREFIX NAME" with ":LINE" when with_line,
 * into dst; a long path is cut visibly (text_copy_cut), never inside a
 * character. */
static void set_origin(char *dst, size_t size, const struct parse *ps,
		       int with_line)
{
	char whole[8192];
	if (with_line)
		snprintf(whole, sizeof whole, "%s%s:%ld", ps->origin_prefix,
			 ps->name, ps->line);
	else
		snprintf(whole, sizeof whole, "%s%s", ps->origin_prefix,
			 ps->name);
	text_copy_cut(dst, size, whole);
}

static int on_value(void *user, const char *section, const char *name,
		    const char *value)
{
	struct parse *ps = user;
	char shown[64], shown_name[64], msg[512];
	fail_quote(shown, sizeof shown, value, strlen(value));
	if (strcmp(section, "deploy") == 0 && strcmp(name, "exec") == 0) {
		snprintf(ps->p->deploy_exec, sizeof ps->p->deploy_exec, "%s",
			 value);
		set_origin(ps->p->deploy_exec_origin,
			   sizeof ps->p->deploy_exec_origin, ps, 1);
		return 1;
	}
	int known_section = 0;
	for (int k = 0; k < POLICY_NKEYS; k++) {
		const struct policy_key_info *ki = &keys[k];
		if (strcmp(section, ki->section) != 0)
			continue;
		known_section = 1;
		if (strcmp(name, ki->name) != 0)
			continue;
		double v = 0;
		if (ki->is_bool) {
			if (parse_bool(value, &v) != 0) {
				snprintf(msg, sizeof msg,
					 "%s: expected true or false, found "
					 "'%s'", ki->name, shown);
				return handler_fail(ps, msg);
			}
		} else {
			int bad = number_parse(value, strlen(value), &v) !=
					  NUMBER_OK ||
				  v < ki->min || v > ki->max ||
				  (ki->is_int && v != (double)(long long)v);
			if (!bad && k == POLICY_PSI_BINS)
				bad = 100 % (long long)v != 0;
			if (bad) {
				snprintf(msg, sizeof msg,
					 "%s: expected %s from %g to %g%s, "
					 "found '%s'", ki->name,
					 ki->is_int ? "a whole number"
						    : "a number",
					 ki->min, ki->max,
					 k == POLICY_PSI_BINS
						 ? " that divides 100"
						 : "",
					 shown);
				return handler_fail(ps, msg);
			}
		}
		if (ps->seen[k] != 0) {
			snprintf(msg, sizeof msg,
				 "expected each key once, found %s again (first "
				 "set on line %ld)", ki->name, ps->seen[k]);
			return handler_fail(ps, msg);
		}
		ps->seen[k] = ps->line;
		ps->p->value[k].number = v;
		set_origin(ps->p->value[k].origin,
			   sizeof ps->p->value[k].origin, ps, 1);
		return 1;
	}
	fail_quote(shown_name, sizeof shown_name, name, strlen(name));
	if (!known_section && strcmp(section, "deploy") != 0) {
		char shown_section[64];
		snprintf(msg, sizeof msg,
			 "expected a section [fairness], [coverage], [audits], "
			 "[drift] or [deploy], found '%s' in [%s]",
			 shown_name,
			 fail_quote(shown_section, sizeof shown_section,
				    section, strlen(section)));
		return handler_fail(ps, msg);
	}
	snprintf(msg, sizeof msg, "expected a key of [%s] (see fairtop "
		 "policy), found unknown key '%s'", section, shown_name);
	return handler_fail(ps, msg);
}

static int finish(struct parse *ps, int rc)
{
	struct policy *p = ps->p;
	if (rc == -1)
		return fail_set(ps->f, FAIL_USAGE, "%s: cannot open the "
				"policy file", ps->name);
	if (rc == -2)
		return fail_set(ps->f, FAIL_INTERNAL, "out of memory");
	if (rc > 0 && (ps->error_line == 0 || rc < ps->error_line)) {
		fail_init(ps->f);
		return fail_at(ps->f, ps->name, rc,
			       "expected 'key = value', '[section]' or a "
			       "comment");
	}
	if (ps->error_line != 0)
		return -1;
	double warn = policy_get(p, POLICY_PSI_WARNING);
	double crit = policy_get(p, POLICY_PSI_CRITICAL);
	if (warn > crit) {
		/* blamed on the later of the two lines (one of them is set
		 * here, or the defaults would agree) */
		long wl = ps->seen[POLICY_PSI_WARNING];
		long cl = ps->seen[POLICY_PSI_CRITICAL];
		if (wl >= cl)
			return fail_at(ps->f, ps->name, wl,
				       "psi_warning: expected at most "
				       "psi_critical (%g, %s), found %g",
				       crit, p->value[POLICY_PSI_CRITICAL].origin,
				       warn);
		return fail_at(ps->f, ps->name, cl,
			       "psi_critical: expected at least psi_warning "
			       "(%g, %s), found %g", warn,
			       p->value[POLICY_PSI_WARNING].origin, crit);
	}
	set_origin(p->source, sizeof p->source, ps, 0);
	return 0;
}

int policy_read(struct policy *p, const struct source *src,
		const char *origin_prefix, struct fail *f)
{
	struct parse ps = {.p = p, .name = src->name,
			   .origin_prefix = origin_prefix, .f = f};
	struct fail why; /* the policy says why in its own words */
	fail_init(&why);
	if (source_open(&ps.in, src, POLICY_CHUNK, &why) != 0)
		return finish(&ps, why.kind == FAIL_INTERNAL ? -2 : -1);
	int rc = ini_parse_stream(read_line, &ps, on_value, &ps);
	source_close(&ps.in);
	return finish(&ps, rc);
}

/* Append "DIR/fairtop/fairtop.ini" to s when it fits. */
static void search_add(struct policy_search *s, const char *dir, size_t len,
		       const char *under, int system)
{
	if (s->n == POLICY_SEARCH_MAX || len == 0 || dir[0] != '/')
		return; /* the XDG spec: relative folders are ignored */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	int w = snprintf(s->path[s->n], POLICY_PATH_MAX, "%.*s%s", (int)len,
			 dir, under);
	if (w < 0 || w >= POLICY_PATH_MAX)
		return;
	s->system[s->n++] = system;
}

size_t policy_search(struct policy_search *s)
{
	s->n = 0;
	snprintf(s->path[s->n], POLICY_PATH_MAX, "fairtop.ini");
	s->system[s->n++] = 0;
	const char *home = getenv("XDG_CONFIG_HOME");
	if (home != NULL && home[0] == '/')
		search_add(s, home, strlen(home), "/fairtop/fairtop.ini", 0);
	else if ((home = getenv("HOME")) != NULL && home[0] == '/')
		search_add(s, home, strlen(home),
			   "/.config/fairtop/fairtop.ini", 0);
	const char *dirs = getenv("XDG_CONFIG_DIRS");
	if (dirs == NULL || dirs[0] == '\0')
		dirs = "/etc/xdg";
	for (const char *d = dirs;;) {
		size_t len = strcspn(d, ":");
		search_add(s, d, len, "/fairtop/fairtop.ini", 1);
		if (d[len] == '\0')
			break;
		d += len + 1;
	}
	return s->n;
}

/* The path as shown: "./fairtop.ini" for the current folder's. */
static const char *shown_path(const char *path)
{
	return strcmp(path, "fairtop.ini") == 0 ? "./fairtop.ini" : path;
}

/* p->warning when others could have written the file found at path:
 * picked up from wherever fairtop runs, it may relax the gate or set
 * the deploy hook.  A system folder's file may be root's. */
static void trust_check(struct policy *p, const char *path,
			const struct stat *sb, int system)
{
	const char *who = NULL;
	if (sb->st_mode & S_IWOTH)
		who = "is world-writable: anyone";
	else if (sb->st_uid != geteuid() && !(system && sb->st_uid == 0))
		who = "is not yours: its owner";
	else if (sb->st_mode & S_IWGRP)
		who = "is group-writable: anyone in its group";
	if (who != NULL)
		snprintf(p->warning, sizeof p->warning,
			 "%s %s can relax the gate or set the deploy hook",
			 shown_path(path), who);
}

int policy_load(struct policy *p, const char *explicit_path, struct fail *f)
{
	struct stat sb;
	struct source src;
	struct policy_search search;
	policy_defaults(p);
	if (explicit_path != NULL) {
		src = source_file(explicit_path, explicit_path);
		return policy_read(p, &src, "", f);
	}
	const char *env = getenv("FAIRTOP_POLICY");
	if (env != NULL && *env != '\0') {
		src = source_file(env, env);
		return policy_read(p, &src, "$FAIRTOP_POLICY=", f);
	}
	policy_search(&search);
	size_t used = 0;
	for (size_t i = 0; i < search.n; i++) {
		int w = snprintf(p->searched + used, sizeof p->searched - used,
				 "%s%s", i ? "\n" : "",
				 shown_path(search.path[i]));
		if (w < 0 || (size_t)w >= sizeof p->searched - used) {
			p->searched[used] = '\0'; /* whole paths only */
			break;
		}
		used += (size_t)w;
	}
	for (size_t i = 0; i < search.n; i++) {
		const char *path = search.path[i];
		if (stat(path, &sb) != 0)
			continue;
		src = source_file(path, path);
		int rc = policy_read(p, &src, "", f);
		trust_check(p, path, &sb, search.system[i]);
		return rc;
	}
	return 0;
}

char *policy_to_json(const struct policy *p)
{
	size_t size = 4096 + strlen(p->deploy_exec) * 6;
	char *out = malloc(size);
	size_t used = 0;
	if (out == NULL)
		return NULL;
	used += (size_t)snprintf(out, size, "{");
	for (int k = 0; k < POLICY_NKEYS; k++) {
		char num[64];
		number_format_exact(num, sizeof num, p->value[k].number);
		used += (size_t)snprintf(out + used, size - used,
					 "%s\"%s.%s\": %s", k ? ", " : "",
					 keys[k].section, keys[k].name, num);
	}
	/* the deploy hook, as a JSON string (null when none) */
	if (p->deploy_exec[0] == '\0') {
		snprintf(out + used, size - used, ", \"deploy.exec\": null}");
		return out;
	}
	used += (size_t)snprintf(out + used, size - used,
				 ", \"deploy.exec\": \"");
	for (const unsigned char *c = (const unsigned char *)p->deploy_exec;
	     *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			used += (size_t)snprintf(out + used, size - used,
						 "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			used += (size_t)snprintf(out + used, size - used,
						 "\\u%04x", *c);
		else
			out[used++] = (char)*c;
	}
	snprintf(out + used, size - used, "\"}");
	return out;
}

void policy_digest(const struct policy *p, char out[POLICY_DIGEST_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t sum[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	static const char rules[] = "rules=" JUDGE_RULES_VERSION "\n";
	sha256_update(&ctx, sizeof rules - 1, (const uint8_t *)rules);
	for (int k = 0; k < POLICY_NKEYS; k++) {
		/* the deploy section decides nothing about a verdict */
		if (strcmp(keys[k].section, "deploy") == 0)
			continue;
		char line[160];
		char num[64];
		number_format_exact(num, sizeof num, p->value[k].number);
		int w = snprintf(line, sizeof line, "%s.%s=%s\n",
				 keys[k].section, keys[k].name, num);
		sha256_update(&ctx, (size_t)w, (const uint8_t *)line);
	}
	sha256_digest(&ctx, sizeof sum, sum);
	for (size_t i = 0; i < (POLICY_DIGEST_SIZE - 1) / 2; i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 15];
	}
	out[POLICY_DIGEST_SIZE - 1] = '\0';
}
