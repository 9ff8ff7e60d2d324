/*
 * audit_records.c — the record checked against the audit log.  See
 * audit.h (store_audit_check_records).
 *
 * The hash chain covers the audit log only; the deployments, gate
 * decisions and acknowledgements that the report and "deployed now"
 * read live in their own tables.  Each of their rows has an audit row
 * written in the same transaction whose details name it ("deployment":
 * id, "gate_decision": id, "alert": id or "alerts": [ids]); here every
 * such row is matched both ways and its facts compared, so that a row
 * edited, added or removed behind fairtop's back is named even where
 * the chain still holds.  deployments.csv history imported before the
 * audit row named its deployment is matched by kind, run, actor,
 * reason and time.
 */
#include "storage/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/isotime.h"
#include "storage/deploy_store.h"

struct checker {
	struct store *s;
	void (*say)(void *ctx, const char *problem);
	void *ctx;
	long problems;
};

static void problem(struct checker *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct checker *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->problems++;
	c->say(c->ctx, msg);
}

/* Where the value of "key" starts in details, or NULL. */
static const char *detail(const char *details, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	const char *at = details ? strstr(details, pat) : NULL;
	return at ? at + strlen(pat) : NULL;
}

/* The integer value of "key" in details into *out: 1, or 0 when none. */
static int detail_int(const char *details, const char *key, int64_t *out)
{
	const char *at = detail(details, key);
	char *end;
	if (at == NULL)
		return 0;
	long long v = strtoll(at, &end, 10);
	if (end == at)
		return 0;
	*out = v;
	return 1;
}

/* The string value of "key" in details, unescaped, into buf: 1, or 0
 * when none. */
static int detail_str(const char *details, const char *key, char *buf,
		      size_t size)
{
	const char *at = detail(details, key);
	size_t used = 0;
	if (at == NULL || *at != '"')
		return 0;
	for (at++; *at && *at != '"' && used + 1 < size; at++) {
		if (*at == '\\' && at[1] == 'u' && strlen(at) >= 6) {
			buf[used++] = (char)strtol((char[]){at[4], at[5], 0},
						   NULL, 16);
			at += 5;
		} else if (*at == '\\' && at[1]) {
			buf[used++] = *++at;
		} else {
			buf[used++] = *at;
		}
	}
	buf[used] = '\0';
	return 1;
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static const char *article(const char *kind)
{
	return kind[0] == 'o' ? "an" : "a";
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int seen(const int64_t *ids, size_t n, int64_t id)
{
	return bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

/* The deployment of id d against audit row r (a deployment action). */
static void compare_deployment(struct checker *c,
			       const struct stored_deployment *d,
			       const struct audit_row *r)
{
	char kind[64], when[64];
	size_t len = strcspn(r->action, "_");
	int failed = strstr(r->action, "_failed") != NULL;
	snprintf(kind, sizeof kind, "%.*s", (int)len, r->action);
	if (!same(kind, d->kind))
		problem(c, "deployment #%lld is %s %s in the audit log (row "
			"%lld) but '%s' in the deployments table",
			(long long)d->id, article(kind), kind,
			(long long)r->id, d->kind);
	if (!same(r->run_key, d->run_key))
		problem(c, "deployment #%lld is of run '%s' in the audit log "
			"(row %lld) but of '%s' in the deployments table",
			(long long)d->id, r->run_key ? r->run_key : "",
			(long long)r->id, d->run_key);
	if (!same(r->actor, d->actor))
		problem(c, "deployment #%lld is by '%s' in the audit log (row "
			"%lld) but by '%s' in the deployments table",
			(long long)d->id, r->actor, (long long)r->id,
			d->actor);
	if (!same(r->reason, d->reason))
		problem(c, "deployment #%lld has another reason in the audit "
			"log (row %lld) than in the deployments table",
			(long long)d->id, (long long)r->id);
	if (detail_str(r->details, "source", when, sizeof when) &&
	    strcmp(when, "deployments.csv") == 0) {
		if (!same(d->source, "history"))
			problem(c, "deployment #%lld is history from "
				"deployments.csv in the audit log (row %lld) "
				"but '%s' in the deployments table",
				(long long)d->id, (long long)r->id,
				d->source);
	} else if (strcmp(d->state, failed ? "failed" : "done") != 0) {
		problem(c, "deployment #%lld is %s in the audit log (row "
			"%lld) but '%s' in the deployments table",
			(long long)d->id, failed ? "failed" : "done",
			(long long)r->id, d->state);
	}
	if (detail_str(r->details, "time", when, sizeof when) &&
	    !same(when, d->time))
		problem(c, "deployment #%lld happened at %s in the audit log "
			"(row %lld) but at %s in the deployments table",
			(long long)d->id, when, (long long)r->id, d->time);
}

static int is_deployment_action(const char *action)
{
	static const char *const kinds[] = {
		"deploy", "override", "rollback", "deploy_failed",
		"override_failed", "rollback_failed"};
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
		if (strcmp(action, kinds[k]) == 0)
			return 1;
	return 0;
}

/* A row of deployments.csv audited before its audit row named its
 * deployment ("at" is the time as written there). */
static int legacy_match(const struct audit_row *r,
			const struct stored_deployment *d, int exact)
{
	char at[64], time[64];
	if (!same(d->source, "history") || !same(r->run_key, d->run_key) ||
	    !detail_str(r->details, "at", at, sizeof at))
		return 0;
	if (isotime_utc(at, time, sizeof time) != 0)
		snprintf(time, sizeof time, "%s", at);
	if (!same(time, d->time))
		return 0;
	return !exact || (same(r->action, d->kind) &&
			  same(r->actor, d->actor) &&
			  same(r->reason, d->reason));
}

static int check_deployments(struct checker *c, const struct audit_row *rows,
			     size_t n, struct fail *f)
{
	struct stored_deployment *d = NULL;
	size_t nd = 0, nlegacy = 0, lcap = 0;
	size_t *legacy = NULL;
	char *matched = NULL;
	int rc = -1;
	if (store_deployments_list(c->s, &d, &nd, f) != 0)
		return -1;
	matched = calloc(nd + 1, 1);
	if (matched == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *r = &rows[i];
		int64_t id;
		if (!is_deployment_action(r->action))
			continue;
		if (!detail_int(r->details, "deployment", &id)) {
			if (detail(r->details, "at") == NULL)
				continue; /* not fairtop's: the chain judges */
			if (ARRAY_GROW(legacy, nlegacy + 1, lcap) != 0)
				goto oom;
			legacy[nlegacy++] = i;
			continue;
		}
		size_t k = 0;
		while (k < nd && d[k].id != id)
			k++;
		if (k == nd) {
			problem(c, "deployment #%lld is in the audit log (row "
				"%lld) but not in the deployments table",
				(long long)id, (long long)r->id);
			continue;
		}
		if (matched[k])
			problem(c, "deployment #%lld is in the audit log "
				"twice (row %lld again)", (long long)id,
				(long long)r->id);
		matched[k] = 1;
		compare_deployment(c, &d[k], r);
	}
	/* the history audited before its rows were named: exact matches
	 * first, then by run and time, to say what differs */
	for (int exact = 1; exact >= 0; exact--) {
		for (size_t j = 0; j < nlegacy; j++) {
			if (legacy[j] == (size_t)-1)
				continue;
			const struct audit_row *r = &rows[legacy[j]];
			for (size_t k = 0; k < nd; k++) {
				if (matched[k] || !legacy_match(r, &d[k], exact))
					continue;
				matched[k] = 1;
				if (!exact)
					compare_deployment(c, &d[k], r);
				legacy[j] = (size_t)-1;
				break;
			}
		}
	}
	for (size_t j = 0; j < nlegacy; j++) {
		if (legacy[j] == (size_t)-1)
			continue;
		const struct audit_row *r = &rows[legacy[j]];
		problem(c, "the %s of run '%s' from deployments.csv in the "
			"audit log (row %lld) is not in the deployments table",
			r->action, r->run_key ? r->run_key : "",
			(long long)r->id);
	}
	for (size_t k = 0; k < nd; k++) {
		if (matched[k])
			continue;
		/* a deployment is audited when it closes */
		if (same(d[k].state, "pending") && same(d[k].source, "fairtop"))
			continue;
		problem(c, "deployment #%lld (%s %s of '%s' at %s) is not in "
			"the audit log", (long long)d[k].id,
			article(d[k].kind), d[k].kind, d[k].run_key, d[k].time);
	}
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	free(matched);
	free(legacy);
	stored_deployments_free(d, nd);
	return rc;
}

static int check_gates(struct checker *c, const struct audit_row *rows,
		       size_t n, struct fail *f)
{
	sqlite3_stmt *find = NULL, *all = NULL;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0;
	int rc = -1, step;
	if (sqlite3_prepare_v2(c->s->db,
			       "SELECT time, baseline_key, candidate_key, passed"
			       " FROM gate_decisions WHERE id = ?1",
			       -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->s->db,
			       "SELECT id, candidate_key, baseline_key, passed"
			       " FROM gate_decisions ORDER BY id",
			       -1, &all, NULL) != SQLITE_OK) {
		store_fail(c->s, f, "reading the gate decisions");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *r = &rows[i];
		int64_t id;
		int pass = strcmp(r->action, "gate_pass") == 0;
		if ((!pass && strcmp(r->action, "gate_fail") != 0) ||
		    !detail_int(r->details, "gate_decision", &id))
			continue;
		if (ARRAY_GROW(ids, nids + 1, cap) != 0) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		ids[nids++] = id;
		sqlite3_bind_int64(find, 1, id);
		step = sqlite3_step(find);
		if (step == SQLITE_DONE) {
			problem(c, "gate decision #%lld is in the audit log "
				"(row %lld) but not in the gate_decisions "
				"table", (long long)id, (long long)r->id);
		} else if (step == SQLITE_ROW) {
			char time[64], base[512], cand[512], want[512];
			store_column_copy(find, 0, time, sizeof time);
			store_column_copy(find, 1, base, sizeof base);
			store_column_copy(find, 2, cand, sizeof cand);
			int passed = sqlite3_column_int(find, 3);
			if (passed != pass)
				problem(c, "gate decision #%lld %s in the audit "
					"log (row %lld) but %s in the "
					"gate_decisions table", (long long)id,
					pass ? "passed" : "failed",
					(long long)r->id,
					passed ? "passed" : "failed");
			if (!same(cand, r->run_key))
				problem(c, "gate decision #%lld judged '%s' in "
					"the audit log (row %lld) but '%s' in "
					"the gate_decisions table",
					(long long)id, r->run_key, (long long)r->id,
					cand);
			if (detail_str(r->details, "baseline", want,
				       sizeof want) &&
			    strcmp(want, "(too long)") != 0 &&
			    !same(want, base))
				problem(c, "gate decision #%lld was against "
					"'%s' in the audit log (row %lld) but "
					"'%s' in the gate_decisions table",
					(long long)id, want, (long long)r->id,
					base);
			if (detail_str(r->details, "time", want, sizeof want) &&
			    !same(want, time))
				problem(c, "gate decision #%lld was made at %s "
					"in the audit log (row %lld) but at %s "
					"in the gate_decisions table",
					(long long)id, want, (long long)r->id,
					time);
		} else {
			store_fail(c->s, f, "reading the gate decisions");
			goto out;
		}
		sqlite3_reset(find);
	}
	qsort(ids, nids, sizeof *ids, cmp_id);
	while ((step = sqlite3_step(all)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(all, 0);
		if (seen(ids, nids, id))
			continue;
		problem(c, "gate decision #%lld (%s of '%s' against '%s') is "
			"not in the audit log", (long long)id,
			sqlite3_column_int(all, 3) ? "a pass" : "a fail",
			(const char *)sqlite3_column_text(all, 1),
			(const char *)sqlite3_column_text(all, 2));
	}
	if (step != SQLITE_DONE) {
		store_fail(c->s, f, "reading the gate decisions");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(find);
	sqlite3_finalize(all);
	free(ids);
	return rc;
}

/* The alert ids an "ack" row names ({"alert": id} or {"alerts": [ids]})
 * into ids (grown); returns how many, -1 when out of memory. */
static long ack_ids(const struct audit_row *r, int64_t **ids, size_t *n,
		    size_t *cap)
{
	int64_t one;
	long added = 0;
	if (detail_int(r->details, "alert", &one)) {
		if (ARRAY_GROW(*ids, *n + 1, *cap) != 0)
			return -1;
		(*ids)[(*n)++] = one;
		return 1;
	}
	const char *at = detail(r->details, "alerts");
	if (at == NULL || *at != '[')
		return 0;
	for (at++; *at && *at != ']';) {
		char *end;
		long long v = strtoll(at, &end, 10);
		if (end == at)
			break;
		if (ARRAY_GROW(*ids, *n + 1, *cap) != 0)
			return -1;
		(*ids)[(*n)++] = v;
		added++;
		at = end + strspn(end, ", ");
	}
	return added;
}

static int check_acks(struct checker *c, const struct audit_row *rows,
		      size_t n, struct fail *f)
{
	sqlite3_stmt *find = NULL, *acked = NULL;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0;
	size_t *row_of = NULL; /* the audit row of ids[k] */
	size_t rcap = 0;
	int rc = -1, step;
	if (sqlite3_prepare_v2(c->s->db, "SELECT 1 FROM alerts WHERE id = ?1",
			       -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->s->db,
			       "SELECT id, run_key, acknowledged_by, ack_note"
			       " FROM alerts WHERE acknowledged_at IS NOT NULL"
			       " ORDER BY id",
			       -1, &acked, NULL) != SQLITE_OK) {
		store_fail(c->s, f, "reading the alerts");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *r = &rows[i];
		if (strcmp(r->action, "ack") != 0)
			continue;
		size_t from = nids;
		if (ack_ids(r, &ids, &nids, &cap) < 0 ||
		    ARRAY_GROW(row_of, nids, rcap) != 0) {
			fail_set(f, FAIL_INTERNAL, "out of memory");
			goto out;
		}
		for (size_t k = from; k < nids; k++) {
			row_of[k] = i;
			sqlite3_bind_int64(find, 1, ids[k]);
			step = sqlite3_step(find);
			sqlite3_reset(find);
			if (step == SQLITE_DONE)
				problem(c, "alert #%lld is acknowledged in the "
					"audit log (row %lld) but not in the "
					"alerts table", (long long)ids[k],
					(long long)r->id);
			else if (step != SQLITE_ROW) {
				store_fail(c->s, f, "reading the alerts");
				goto out;
			}
		}
	}
	while ((step = sqlite3_step(acked)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(acked, 0);
		const char *run = (const char *)sqlite3_column_text(acked, 1);
		const char *by = (const char *)sqlite3_column_text(acked, 2);
		const char *note = (const char *)sqlite3_column_text(acked, 3);
		int found = 0;
		for (size_t k = 0; k < nids && !found; k++) {
			const struct audit_row *r = &rows[row_of[k]];
			found = ids[k] == id && same(r->actor, by) &&
				same(r->run_key, run) && same(r->reason, note);
		}
		if (!found)
			problem(c, "alert #%lld is acknowledged by '%s' in the "
				"alerts table but no such acknowledgement of "
				"it is in the audit log", (long long)id,
				by ? by : "");
	}
	if (step != SQLITE_DONE) {
		store_fail(c->s, f, "reading the alerts");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(find);
	sqlite3_finalize(acked);
	free(ids);
	free(row_of);
	return rc;
}

long store_audit_check_records(struct store *s,
			       void (*say)(void *ctx, const char *problem),
			       void *ctx, struct fail *f)
{
	struct checker c = {s, say, ctx, 0};
	struct audit_row *rows = NULL;
	size_t n = 0;
	char missing[512];
	long rc = -1;
	int k = store_guards_missing(s, missing, sizeof missing, f);
	if (k < 0)
		return -1;
	if (k > 0)
		problem(&c, "trigger%s %s missing (dropped behind fairtop's "
			"back; a writable open re-creates %s)", k > 1 ? "s" : "",
			missing, k > 1 ? "them" : "it");
	if (s->restored != NULL)
		problem(&c, "trigger%s %s missing: dropped behind fairtop's "
			"back, re-created now (audit row triggers_restored)",
			strchr(s->restored, ',') ? "s" : "", s->restored);
	if (store_begin_read(s, f) != 0)
		return -1;
	if (store_audit_list(s, &rows, &n, f) == 0 &&
	    check_deployments(&c, rows, n, f) == 0 &&
	    check_gates(&c, rows, n, f) == 0 && check_acks(&c, rows, n, f) == 0)
		rc = c.problems;
	audit_rows_free(rows, n);
	if (rc < 0)
		store_rollback(s);
	else if (store_commit(s, f) != 0)
		rc = -1;
	return rc;
}
