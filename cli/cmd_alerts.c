/*
 * cmd_alerts.c — `fairtop alerts [--state S] [--run RUN] [--format
 * text|csv|json]` and `fairtop ack ID|--run RUN --by NAME [--note TEXT]`.
 *
 * Alerts are raised when a run is ingested, from the judgement against
 * the deployed run (or the previous run): firing first, then
 * acknowledged, then resolved; critical before warning.  Each says when
 * its condition began in the run's own time (BEGAN: the run's start),
 * apart from when fairtop recorded it; a resolved one says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/actor.h"
#include "cli/output.h"
#include "core/json.h"
#include "core/number.h"
#include "storage/alerts_store.h"
#include "storage/runread.h"

/* "2026-01-18T11:00:00Z" as "2026-01-18 11:00" (the table stays within
 * 80 columns; the header says UTC); any other form as it is. */
static const char *short_time(char *buf, size_t size, const char *iso)
{
	size_t len = iso ? strlen(iso) : 0;
	if (len >= 17 && iso[10] == 'T' && iso[len - 1] == 'Z')
		snprintf(buf, size, "%.10s %.5s", iso, iso + 11);
	else
		snprintf(buf, size, "%s", iso ? iso : "");
	return buf;
}

static void print_text(const struct stored_alert *a, size_t n)
{
	static const char *const header[] = {"ID",   "SEVERITY", "STATE",
					     "RUN",  "RULE",     "SUBJECT",
					     "BEGAN (UTC)"};
	struct table *t = table_new(7, header, (const int[]){1, 0, 0, 0, 0,
							      0, 0});
	if (t == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		char id[32], began[64];
		snprintf(id, sizeof id, "%lld", (long long)a[i].id);
		/* alerts recorded before began_at was: when first seen */
		short_time(began, sizeof began,
			   a[i].began_at ? a[i].began_at : a[i].first_seen);
		const char *cells[] = {id,         a[i].severity, a[i].state,
				       a[i].run_key, a[i].rule,   a[i].subject,
				       began};
		table_add(t, cells);
	}
	if (n > 0)
		table_print(t, stdout, 0);
	table_free(t);
	for (size_t i = 0; i < n; i++) {
		char msg[1100], by[256], note[512], at[64], why[1100];
		int resolved = strcmp(a[i].state, "resolved") == 0;
		/* a resolved alert is listed when it says why */
		if (resolved && a[i].resolved_reason == NULL)
			continue;
		printf("  #%lld %s\n", (long long)a[i].id,
		       output_safe(msg, sizeof msg, a[i].message));
		if (a[i].acknowledged_by)
			printf("      acknowledged by %s at %s%s%s\n",
			       output_safe(by, sizeof by, a[i].acknowledged_by),
			       output_safe(at, sizeof at, a[i].acknowledged_at),
			       a[i].ack_note ? ": " : "",
			       output_safe(note, sizeof note,
					   a[i].ack_note ? a[i].ack_note : ""));
		if (resolved)
			printf("      resolved at %s: %s\n",
			       output_safe(at, sizeof at, a[i].resolved_at),
			       output_safe(why, sizeof why,
					   a[i].resolved_reason));
	}
	if (n == 0)
		printf("no alerts\n");
}

static void print_csv(const struct stored_alert *a, size_t n)
{
	static const char *const header[] = {
		"id",      "severity",   "state",     "run",
		"baseline", "rule",      "subject",   "message",
		"first_seen", "last_seen", "acknowledged_by", "ack_note",
		"began_at", "recorded_at", "resolved_at", "resolved_reason"};
	for (size_t k = 0; k < sizeof header / sizeof *header; k++)
		csv_field(stdout, header[k], k == 0);
	csv_end(stdout);
	for (size_t i = 0; i < n; i++) {
		printf("%lld", (long long)a[i].id);
		const char *f[] = {a[i].severity, a[i].state, a[i].run_key,
				   a[i].baseline_key, a[i].rule, a[i].subject,
				   a[i].message, a[i].first_seen,
				   a[i].last_seen, a[i].acknowledged_by,
				   a[i].ack_note, a[i].began_at,
				   a[i].first_seen, a[i].resolved_at,
				   a[i].resolved_reason};
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			csv_field(stdout, f[k] ? f[k] : "", 0);
		csv_end(stdout);
	}
}

static void print_json(const struct stored_alert *a, size_t n)
{
	struct json_writer w;
	json_writer_init(&w, stdout);
	json_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		json_space(&w, "\n  ");
		json_object_begin(&w);
		json_key(&w, "id");
		json_integer(&w, (long long)a[i].id);
		const char *keys[] = {"severity", "state", "run", "baseline",
				      "rule", "subject", "message",
				      "first_seen", "last_seen",
				      "acknowledged_by", "acknowledged_at",
				      "ack_note", "began_at", "recorded_at",
				      "resolved_at", "resolved_reason"};
		const char *vals[] = {a[i].severity, a[i].state, a[i].run_key,
				      a[i].baseline_key, a[i].rule,
				      a[i].subject, a[i].message,
				      a[i].first_seen, a[i].last_seen,
				      a[i].acknowledged_by,
				      a[i].acknowledged_at, a[i].ack_note,
				      a[i].began_at, a[i].first_seen,
				      a[i].resolved_at, a[i].resolved_reason};
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			json_key(&w, keys[k]);
			json_str(&w, vals[k]);
		}
		/* details is JSON written by fairtop itself */
		json_key(&w, "values");
		json_raw(&w, a[i].details ? a[i].details : "{}");
		json_object_end(&w);
	}
	if (n)
		json_space(&w, "\n");
	json_array_end(&w);
	putchar('\n');
}

enum { ALERTS_STATE, ALERTS_RUN };

static int run_alerts(struct cmd_args *args)
{
	const char *state = args->value[ALERTS_STATE];
	const char *run_key = args->value[ALERTS_RUN];
	enum output_format format = output_format_of(args->format);
	struct store *s = args->store;
	struct stored_alert *a = NULL;
	size_t n = 0;
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	if ((run_key ? store_alerts_list_run(s, run_key, state, &a, &n, &f)
		     : store_alerts_list(s, state, &a, &n, &f)) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	if (format == FORMAT_TEXT)
		print_text(a, n);
	else if (format == FORMAT_CSV)
		print_csv(a, n);
	else
		print_json(a, n);
out:
	stored_alerts_free(a, n);
	return rc;
}

static const char *const states[] = {"firing", "acknowledged", "resolved",
				     NULL};

static const struct option_spec alerts_options[] = {
	[ALERTS_STATE] = {"state", 0, "S", "firing, acknowledged or resolved",
			  OPTION_CHOICE, states, NULL, 0},
	[ALERTS_RUN] = {"run", 0, "RUN", "the alerts of that run only",
			OPTION_NONEMPTY, NULL, "a run", 0},
};

static const char *const alerts_formats[] = {"text", "csv", "json", NULL};

const struct command_spec cmd_alerts_spec = {
	.name = "alerts",
	.summary = "alerts raised when runs were ingested",
	.options = alerts_options,
	.noptions = sizeof alerts_options / sizeof *alerts_options,
	.store = COMMAND_STORE_READ,
	.formats = alerts_formats,
	.help = "List alerts: firing first, then acknowledged, then "
		"resolved; critical before\nwarning.  Alerts are raised when "
		"a run is ingested, by judging it against\nthe deployed run "
		"(or the run before it): fairness policy breaches, a\ngroup's "
		"TPR or selection rate falling, lost coverage, class weights "
		"that\nare not the exact balanced ones, a missing beta_factor "
		"(all critical), and\nPSI drift (warning from 0.1, critical "
		"from 0.25).",
	.help_after = "BEGAN is when the alert's condition began in the run's "
		      "own time (the run's\nstarted_at, UTC); csv and json "
		      "also give recorded_at, when fairtop recorded\nit.  A "
		      "resolved alert says when and why: no longer raised by "
		      "the latest\nevaluation, or its run replaced in "
		      "production by a deploy or rollback.",
	.run = run_alerts,
};

/* ack --run RUN: every firing alert of the run, one audit entry. */
static int ack_run(struct store *s, const char *run_key, const char *by,
		   const char *note)
{
	struct fail f;
	size_t acked = 0;
	int64_t entry = 0;
	char shown[256];
	fail_init(&f);
	output_safe(shown, sizeof shown, run_key);
	int got = store_alerts_ack_run(s, run_key, by, note, &acked, &entry,
				       &f);
	if (got < 0)
		return cli_report(&f);
	if (got == 1) {
		/* no alert at all: a run without findings, or no such run */
		struct stored_run r;
		memset(&r, 0, sizeof r);
		int found = store_find_run(s, run_key, &r, &f);
		if (found < 0)
			return cli_report(&f);
		if (found == 1) {
			fprintf(stderr, "fairtop: no run '%s' (fairtop runs "
				"lists them)\n", shown);
			return EXIT_USAGE;
		}
		stored_run_release(&r);
		printf("nothing to acknowledge: %s has no alerts\n", shown);
		return EXIT_OK;
	}
	if (acked == 0) {
		printf("nothing to acknowledge: no alert of %s is firing\n",
		       shown);
		return EXIT_OK;
	}
	printf("acknowledged %zu alert%s of %s (one audit entry #%lld)\n",
	       acked, acked == 1 ? "" : "s", shown, (long long)entry);
	return EXIT_OK;
}

enum { ACK_RUN, ACK_BY, ACK_NOTE };

static int check_ack(struct cmd_args *a)
{
	const char *by = a->value[ACK_BY] ? a->value[ACK_BY] : actor_default();
	const char *run_key = a->value[ACK_RUN];
	int64_t id = 0;
	if (run_key != NULL && a->argc > 0)
		return cli_usage_error("ack", "expected an alert ID or --run "
				       "RUN, not both (found '%s' with --run)",
				       a->argv[0]);
	if (run_key == NULL && a->argc != 1)
		return cli_usage_error("ack", "expected one alert ID (fairtop "
				       "alerts lists them) or --run RUN");
	if (run_key == NULL) {
		const char *arg = a->argv[0];
		if (number_parse_int(arg, strlen(arg), &id) != NUMBER_OK ||
		    id <= 0)
			return cli_usage_error("ack", "expected an alert ID (a "
					       "whole number), found '%s'", arg);
	}
	if (by == NULL || *by == '\0')
		return cli_usage_error("ack", "expected --by NAME (no "
				       "$USER nor login name to default "
				       "to)");
	return EXIT_OK;
}

static int run_ack(struct cmd_args *a)
{
	const char *by = a->value[ACK_BY] ? a->value[ACK_BY] : actor_default();
	const char *note = a->value[ACK_NOTE], *run_key = a->value[ACK_RUN];
	int64_t id = 0;
	if (run_key != NULL)
		return ack_run(a->store, run_key, by, note);
	number_parse_int(a->argv[0], strlen(a->argv[0]), &id);
	struct store *s = a->store;
	struct fail f;
	int rc;
	fail_init(&f);
	int got = store_alert_ack(s, id, by, note, &f);
	char shown[256];
	if (got < 0) {
		rc = cli_report(&f);
	} else if (got == 1) {
		fprintf(stderr, "fairtop: no alert #%lld (fairtop alerts lists "
			"them)\n", (long long)id);
		rc = EXIT_USAGE;
	} else if (got == 2) {
		fprintf(stderr, "fairtop: alert #%lld is not firing (already "
			"acknowledged or resolved); nothing changed\n",
			(long long)id);
		rc = EXIT_CHECK_FAILED;
	} else {
		printf("alert #%lld acknowledged by %s\n", (long long)id,
		       output_safe(shown, sizeof shown, by));
		rc = EXIT_OK;
	}
	return rc;
}

static const struct option_spec ack_options[] = {
	[ACK_RUN] = {"run", 0, "RUN", "every firing alert of RUN instead of "
		     "one ID", OPTION_NONEMPTY, NULL, "a run", OPTION_IN_ARGS},
	[ACK_BY] = {"by", 0, "NAME", "who acknowledges (default: $USER)",
		    OPTION_STRING, NULL, NULL, 0},
	[ACK_NOTE] = {"note", 0, "TEXT", "what was decided", OPTION_STRING,
		      NULL, NULL, 0},
};

const struct command_spec cmd_ack_spec = {
	.name = "ack",
	.summary = "acknowledge a firing alert, or a run's (in the audit log)",
	.args = "ID|--run RUN",
	.options = ack_options,
	.noptions = sizeof ack_options / sizeof *ack_options,
	.store = COMMAND_STORE_WRITE,
	.help = "Acknowledge a firing alert: who looked at it, and why it "
		"may keep firing.\nWith --run, every firing alert of that run "
		"at once, with one audit entry\nlisting them.  Recorded in the "
		"audit log.\nID is the alert's number (fairtop alerts lists them).",
	.help_after = "Exit: 0 acknowledged (or, with --run, nothing firing to "
		      "acknowledge), 1 the\nalert is not firing, 2 bad usage "
		      "or no such alert or run.",
	.check = check_ack,
	.run = run_ack,
};
