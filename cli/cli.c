/*
 * cli.c — what every command shares: exit codes, reporting a failure,
 * usage errors, the warnings said before a command's output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/runinfo.h"
#include "core/text.h"
#include "storage/declock.h"
#include "storage/deploy_store.h"

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
	const struct command_spec *c = command_find(cmd);
	if (c != NULL)
		command_usage(c, to_stderr ? stderr : stdout);
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

/* How many of d[0..n) are pending. */
static size_t count_pending(const struct stored_deployment *d, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += strcmp(d[i].state, "pending") == 0;
	return k;
}

void cli_warn_pending(struct store *s)
{
	struct stored_deployment *d = NULL;
	size_t n = 0;
	struct fail f;
	fail_init(&f);
	if (store_deployments_list(s, &d, &n, &f) != 0)
		return;
	/* a decision under way has its deployment pending while its hook
	 * runs: no stale record.  Read again after the lock was seen free,
	 * so that one which finished meanwhile is not taken for stale. */
	if (count_pending(d, n) > 0) {
		stored_deployments_free(d, n);
		d = NULL;
		n = 0;
		if (decision_lock_held(s) ||
		    store_deployments_list(s, &d, &n, &f) != 0)
			return;
	}
	for (size_t i = 0; i < n; i++) {
		char key[RUN_ID_MAX + 1];
		if (strcmp(d[i].state, "pending") != 0)
			continue;
		char *actor = output_safe_new(d[i].actor);
		fprintf(stderr, "fairtop: warning: deployment #%lld (%s of %s "
			"by %s at %s) is still pending: its outcome was never "
			"recorded (fairtop was killed while its hook ran, or "
			"the store could not be written when the hook ended); "
			"the previous deployment stays current\n",
			(long long)d[i].id, d[i].kind,
			text_sanitize(key, sizeof key, d[i].run_key,
				      strlen(d[i].run_key)),
			actor ? actor : "?", d[i].time);
		free(actor);
	}
	stored_deployments_free(d, n);
}

const char *cli_nearest(const char *typed, const char *const *names,
			size_t n)
{
	const char *near = NULL;
	size_t len = strlen(typed);
	size_t best = len < 3 ? len : 3; /* "x" is near nothing */
	for (size_t k = 0; k < n; k++) {
		size_t d = text_distance(typed, names[k], 2);
		if (d < best) {
			best = d;
			near = names[k];
		}
	}
	return near;
}

int cli_bad_option(const char *cmd, int c, const char *arg,
		   const char *near)
{
	if (c == '?' && near != NULL) {
		char shown[512];
		fprintf(stderr, "fairtop %s: unknown option '%s'; did you mean "
			"'%s'? (fairtop %s --help lists the options)\n", cmd,
			text_sanitize(shown, sizeof shown, arg, strlen(arg)),
			near, cmd);
		return EXIT_USAGE;
	}
	if (c == ':')
		return cli_usage_error(cmd, "%s: expected a value after it",
				       arg);
	return cli_usage_error(cmd, "unknown option '%s'", arg);
}
