/*
 * cmd_alerts.c — `fairtop alerts [--state S] [--format text|csv|json]`
 * and `fairtop ack ID --by NAME [--note TEXT]`.
 *
 * Alerts are raised when a run is ingested, from the judgement against
 * the deployed run (or the previous run): firing first, then
 * acknowledged, then resolved; critical before warning.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/number.h"
#include "storage/alerts_store.h"

static void print_alerts_help(void)
{
	cli_print_usage("alerts", 0);
	printf("\nList alerts: firing first, then acknowledged, then "
	       "resolved; critical before\nwarning.  Alerts are raised when "
	       "a run is ingested, by judging it against\nthe deployed run "
	       "(or the run before it): fairness policy breaches, a\ngroup's "
	       "TPR or selection rate falling, lost coverage, class weights "
	       "that\nare not the exact balanced ones, a missing beta_factor "
	       "(all critical), and\nPSI drift (warning from 0.1, critical "
	       "from 0.25).\n\n"
	       "  --state S   firing, acknowledged or resolved\n"
	       "  --format F  text (default), csv or json\n"
	       "  --db FILE   the store\n");
}

static void print_text(const struct stored_alert *a, size_t n)
{
	static const char *const header[] = {"ID",   "SEVERITY", "STATE",
					     "RUN",  "RULE",     "SUBJECT",
					     "FIRST SEEN"};
	struct table *t = table_new(7, header, (const int[]){1, 0, 0, 0, 0,
							      0, 0});
	if (t == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)a[i].id);
		const char *cells[] = {id,         a[i].severity, a[i].state,
				       a[i].run_key, a[i].rule,   a[i].subject,
				       a[i].first_seen};
		table_add(t, cells);
	}
	if (n > 0)
		table_print(t, stdout, 0);
	table_free(t);
	for (size_t i = 0; i < n; i++) {
		char msg[1100], by[256], note[512];
		if (strcmp(a[i].state, "resolved") == 0)
			continue;
		printf("  #%lld %s\n", (long long)a[i].id,
		       output_safe(msg, sizeof msg, a[i].message));
		if (a[i].acknowledged_by)
			printf("      acknowledged by %s at %s%s%s\n",
			       output_safe(by, sizeof by, a[i].acknowledged_by),
			       a[i].acknowledged_at,
			       a[i].ack_note ? ": " : "",
			       output_safe(note, sizeof note,
					   a[i].ack_note ? a[i].ack_note : ""));
	}
	if (n == 0)
		printf("no alerts\n");
}

static void print_csv(const struct stored_alert *a, size_t n)
{
	static const char *const header[] = {
		"id",      "severity",   "state",     "run",
		"baseline", "rule",      "subject",   "message",
		"first_seen", "last_seen", "acknowledged_by", "ack_note"};
	for (size_t k = 0; k < 12; k++)
		csv_field(stdout, header[k], k == 0);
	csv_end(stdout);
	for (size_t i = 0; i < n; i++) {
		printf("%lld", (long long)a[i].id);
		const char *f[] = {a[i].severity, a[i].state, a[i].run_key,
				   a[i].baseline_key, a[i].rule, a[i].subject,
				   a[i].message, a[i].first_seen,
				   a[i].last_seen, a[i].acknowledged_by,
				   a[i].ack_note};
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			csv_field(stdout, f[k] ? f[k] : "", 0);
		csv_end(stdout);
	}
}

static void print_json(const struct stored_alert *a, size_t n)
{
	printf("[");
	for (size_t i = 0; i < n; i++) {
		printf("%s\n  {\"id\": %lld", i ? "," : "", (long long)a[i].id);
		const char *keys[] = {"severity", "state", "run", "baseline",
				      "rule", "subject", "message",
				      "first_seen", "last_seen",
				      "acknowledged_by", "acknowledged_at",
				      "ack_note"};
		const char *vals[] = {a[i].severity, a[i].state, a[i].run_key,
				      a[i].baseline_key, a[i].rule,
				      a[i].subject, a[i].message,
				      a[i].first_seen, a[i].last_seen,
				      a[i].acknowledged_by,
				      a[i].acknowledged_at, a[i].ack_note};
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
			printf(", \"%s\": ", keys[k]);
			json_string(stdout, vals[k]);
		}
		/* details is JSON written by fairtop itself */
		printf(", \"values\": %s}", a[i].details ? a[i].details : "{}");
	}
	printf("%s]\n", n ? "\n" : "");
}

int cmd_alerts(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"state", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *state = NULL;
	enum output_format format = FORMAT_TEXT;
	char why[256];
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			if (strcmp(optarg, "firing") != 0 &&
			    strcmp(optarg, "acknowledged") != 0 &&
			    strcmp(optarg, "resolved") != 0)
				return cli_usage_error(
					"alerts", "--state: expected firing, "
					"acknowledged or resolved, found '%s'",
					optarg);
			state = optarg;
			break;
		case 'f':
			if (output_parse_format(optarg, 7, &format, why,
						sizeof why) != 0)
				return cli_usage_error("alerts", "%s", why);
			break;
		case 'd':
			cli->db_path = optarg;
			break;
		case 'h':
			print_alerts_help();
			return EXIT_OK;
		default:
			return cli_bad_option("alerts", c, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("alerts", "expected no arguments, found "
				       "'%s'", argv[optind]);
	struct store *s = NULL;
	struct stored_alert *a = NULL;
	size_t n = 0;
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	if (store_open(store_default_path(cli->db_path), STORE_OPEN_EXISTING,
		       &s, &f) != 0 ||
	    store_alerts_list(s, state, &a, &n, &f) != 0) {
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
	store_free(s);
	return rc;
}

static void print_ack_help(void)
{
	cli_print_usage("ack", 0);
	printf("\nAcknowledge a firing alert: who looked at it, and why it "
	       "may keep firing.\nRecorded in the audit log.\n\n"
	       "  --by NAME    who acknowledges (default: $USER)\n"
	       "  --note TEXT  what was decided\n"
	       "  --db FILE    the store\n");
}

int cmd_ack(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"by", required_argument, NULL, 'b'},
		{"note", required_argument, NULL, 'n'},
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *by = getenv("USER"), *note = NULL;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			by = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		case 'd':
			cli->db_path = optarg;
			break;
		case 'h':
			print_ack_help();
			return EXIT_OK;
		default:
			return cli_bad_option("ack", c, argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("ack", "expected one alert ID (fairtop "
				       "alerts lists them)");
	int64_t id;
	const char *arg = argv[optind];
	if (number_parse_int(arg, strlen(arg), &id) != NUMBER_OK || id <= 0)
		return cli_usage_error("ack", "expected an alert ID (a whole "
				       "number), found '%s'", arg);
	if (by == NULL || *by == '\0')
		return cli_usage_error("ack", "expected --by NAME (no $USER "
				       "to default to)");
	struct store *s = NULL;
	struct fail f;
	int rc;
	fail_init(&f);
	if (store_open(store_default_path(cli->db_path), STORE_OPEN_EXISTING,
		       &s, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
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
out:
	store_free(s);
	return rc;
}
