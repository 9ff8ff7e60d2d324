/*
 * cmd_audit.c — `fairtop audit [head] [--verify [--head COUNT:HASH]]
 * [--format text|csv|json]`
 *
 * The append-only record of decisions: deployments, overrides,
 * rollbacks, acknowledgements, gate decisions.  --verify walks the
 * SHA-256 chain and names the first row that does not hold, checks the
 * deployments, gate decisions and acknowledgements against it and the
 * append-only triggers in place, and with --head that the log still
 * extends an anchor printed earlier by `audit head`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/json.h"
#include "core/isotime.h"
#include "storage/audit.h"

/* When the entry's event happened, when fairtop recorded it later (the
 * history of deployments.csv: details {"at": TIME}) into buf; "" when
 * it happened when it was recorded. */
static const char *happened(const struct audit_row *r, char *buf, size_t size)
{
	static const char key[] = "\"at\": \"";
	const char *at = r->details ? strstr(r->details, key) : NULL;
	buf[0] = '\0';
	if (at == NULL)
		return buf;
	at += sizeof key - 1;
	size_t len = strcspn(at, "\"\\");
	char raw[64];
	if (len >= sizeof raw)
		return buf;
	memcpy(raw, at, len);
	raw[len] = '\0';
	if (isotime_utc(raw, buf, size) != 0)
		snprintf(buf, size, "%s", raw);
	return buf;
}

static void print_text(const struct audit_row *r, size_t n)
{
	static const char *const header[] = {"ID",     "RECORDED", "HAPPENED",
					     "ACTOR",  "ACTION",   "RUN",
					     "REASON"};
	struct table *t = table_new(7, header,
				    (const int[]){1, 0, 0, 0, 0, 0, 0});
	if (t == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		char id[32], when[64];
		snprintf(id, sizeof id, "%lld", (long long)r[i].id);
		happened(&r[i], when, sizeof when);
		const char *cells[] = {id,
				       r[i].time,
				       when[0] ? when : "-",
				       r[i].actor,
				       r[i].action,
				       r[i].run_key ? r[i].run_key : "",
				       r[i].reason ? r[i].reason : ""};
		table_add(t, cells);
	}
	if (n > 0)
		table_print(t, stdout, 0);
	else
		printf("the audit log is empty\n");
	table_free(t);
}

static void print_csv(const struct audit_row *r, size_t n)
{
	static const char *const header[] = {"id",     "time",    "actor",
					     "action", "run",     "reason",
					     "details", "prev_hash", "hash"};
	for (size_t k = 0; k < 9; k++)
		csv_field(stdout, header[k], k == 0);
	csv_end(stdout);
	for (size_t i = 0; i < n; i++) {
		printf("%lld", (long long)r[i].id);
		const char *f[] = {r[i].time,    r[i].actor,   r[i].action,
				   r[i].run_key, r[i].reason,  r[i].details,
				   r[i].prev_hash, r[i].hash};
		for (size_t k = 0; k < 8; k++)
			csv_field(stdout, f[k] ? f[k] : "", 0);
		csv_end(stdout);
	}
}

static void print_json(const struct audit_row *r, size_t n)
{
	struct json_writer w;
	json_writer_init(&w, stdout);
	json_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		json_space(&w, "\n  ");
		json_object_begin(&w);
		json_key(&w, "id");
		json_integer(&w, (long long)r[i].id);
		const char *keys[] = {"time",   "actor",     "action", "run",
				      "reason", "prev_hash", "hash"};
		const char *vals[] = {r[i].time,   r[i].actor,    r[i].action,
				      r[i].run_key, r[i].reason,  r[i].prev_hash,
				      r[i].hash};
		for (size_t k = 0; k < 7; k++) {
			json_key(&w, keys[k]);
			json_str(&w, vals[k]);
		}
		/* details is text here: its JSON came from outside fairtop
		 * when a row was forged, so it is not spliced in */
		json_key(&w, "details");
		json_str(&w, r[i].details);
		json_object_end(&w);
	}
	if (n)
		json_space(&w, "\n");
	json_array_end(&w);
	putchar('\n');
}

enum { OPT_VERIFY, OPT_HEAD };

/* An anchor "COUNT:HASH" into *count and hash: 0, or -1 when it is not
 * one. */
static int parse_anchor(const char *text, int64_t *count,
			char hash[CHAIN_HEX_SIZE])
{
	char *end;
	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	long long n = strtoll(text, &end, 10);
	if (*end != ':' || strlen(end + 1) != CHAIN_HEX_SIZE - 1 ||
	    strspn(end + 1, "0123456789abcdef") != CHAIN_HEX_SIZE - 1)
		return -1;
	*count = n;
	snprintf(hash, CHAIN_HEX_SIZE, "%s", end + 1);
	return 0;
}

static int check(struct cmd_args *a)
{
	int64_t count;
	char hash[CHAIN_HEX_SIZE];
	if (a->argc > 1 || (a->argc == 1 && strcmp(a->argv[0], "head") != 0))
		return cli_usage_error("audit", "expected nothing or 'head', "
				       "found '%s'", a->argv[a->argc - 1]);
	if (a->argc == 1 && a->count[OPT_VERIFY] > 0)
		return cli_usage_error("audit", "expected 'head' or "
				       "--verify, found both");
	if (a->value[OPT_HEAD] != NULL && a->count[OPT_VERIFY] == 0)
		return cli_usage_error("audit", "--head: expected --verify "
				       "with it");
	if (a->value[OPT_HEAD] != NULL &&
	    parse_anchor(a->value[OPT_HEAD], &count, hash) != 0)
		return cli_usage_error("audit", "--head: expected COUNT:HASH "
				       "(as `fairtop audit head` prints it: a "
				       "row count, ':' and 64 lowercase hex "
				       "digits), found '%s'",
				       a->value[OPT_HEAD]);
	return EXIT_OK;
}

static void say_broken(void *ctx, const char *problem)
{
	const char *path = ctx;
	fprintf(stderr, "fairtop: audit log of %s is BROKEN: %s\n", path,
		problem);
}

/* --verify: the chain, the tables checked against it, the anchor. */
static int verify(struct cmd_args *a)
{
	struct store *s = a->store;
	int64_t bad = 0, rows = 0, count = 0;
	char reason[512], hash[CHAIN_HEX_SIZE], last[CHAIN_HEX_SIZE];
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	int got = store_audit_verify(s, &bad, reason, sizeof reason, &f);
	if (got < 0)
		return cli_report(&f);
	if (got == 1) {
		fprintf(stderr, "fairtop: audit log of %s is BROKEN at row "
			"%lld: %s\n", s->path, (long long)bad, reason);
		rc = EXIT_CHECK_FAILED;
	}
	long problems = store_audit_check_records(s, say_broken, s->path, &f);
	if (problems < 0)
		return cli_report(&f);
	if (problems > 0)
		rc = EXIT_CHECK_FAILED;
	if (a->value[OPT_HEAD] != NULL) {
		parse_anchor(a->value[OPT_HEAD], &count, hash);
		got = store_audit_check_head(s, count, hash, reason,
					     sizeof reason, &f);
		if (got < 0)
			return cli_report(&f);
		if (got == 1) {
			fprintf(stderr, "fairtop: audit log of %s is BROKEN: "
				"it does not extend the anchor %lld:%.12s...: "
				"%s\n", s->path, (long long)count, hash,
				reason);
			rc = EXIT_CHECK_FAILED;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	if (store_audit_head(s, &rows, last, &f) != 0)
		return cli_report(&f);
	printf("audit log intact: %lld row%s, SHA-256 chain verified; "
	       "deployments, gate decisions and acknowledgements match it\n",
	       (long long)rows, rows == 1 ? "" : "s");
	if (a->value[OPT_HEAD] != NULL)
		printf("extends the anchor %lld:%.12s... (%lld row%s after "
		       "it, not judged by the anchor)\n", (long long)count,
		       hash, (long long)(rows - count),
		       rows - count == 1 ? "" : "s");
	return EXIT_OK;
}

static int run(struct cmd_args *a)
{
	int verify_it = a->count[OPT_VERIFY] > 0;
	enum output_format format = output_format_of(a->format);
	struct store *s = a->store;
	struct audit_row *rows = NULL;
	size_t n = 0;
	struct fail f;
	int rc = EXIT_OK;
	fail_init(&f);
	if (verify_it)
		return verify(a);
	if (a->argc == 1) {
		int64_t count = 0;
		char hash[CHAIN_HEX_SIZE];
		if (store_audit_head(s, &count, hash, &f) != 0)
			return cli_report(&f);
		printf("%lld:%s\n", (long long)count, hash);
		return EXIT_OK;
	}
	if (store_audit_list(s, &rows, &n, &f) != 0) {
		rc = cli_report(&f);
		goto out;
	}
	if (format == FORMAT_TEXT)
		print_text(rows, n);
	else if (format == FORMAT_CSV)
		print_csv(rows, n);
	else
		print_json(rows, n);
out:
	audit_rows_free(rows, n);
	return rc;
}

static const struct option_spec options[] = {
	[OPT_VERIFY] = {"verify", 0, NULL,
			"check the chain: exit 1 naming the first row edited, "
			"inserted\nor removed behind fairtop's back",
			OPTION_FLAG, NULL, NULL, 0},
	[OPT_HEAD] = {"head", 0, "COUNT:HASH",
		      "with --verify: also check that the log still extends "
		      "this\nanchor, printed earlier by `fairtop audit head`",
		      OPTION_STRING, NULL, NULL, 0},
};

static const char *const formats[] = {"text", "csv", "json", NULL};

const struct command_spec cmd_audit_spec = {
	.name = "audit",
	.summary = "the append-only record of decisions; --verify checks its "
		   "chain",
	.options = options,
	.noptions = sizeof options / sizeof *options,
	.args = "[head]",
	.store = COMMAND_STORE_READ,
	.formats = formats,
	.help = "List the audit log: every deploy, override, rollback, "
		"acknowledgement and gate decision, oldest first.  Rows "
		"cannot be changed through fairtop or SQLite (triggers), and "
		"each carries a SHA-256 chained to the row before.  --verify "
		"also checks every deployment, gate decision and "
		"acknowledgement against it.",
	.help_after = "`fairtop audit head` prints the chain's tail, COUNT:HASH "
		      "(the row count and\nthe last row's hash), to keep "
		      "outside the store; --verify --head\nCOUNT:HASH then "
		      "finds rows removed from the end, or the chain rebuilt\n"
		      "or rewritten before the anchor.  Rows appended after "
		      "it are not judged\nby the anchor.",
	.check = check,
	.run = run,
};
