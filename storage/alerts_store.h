/*
 * alerts_store.h — alert state: firing, acknowledged, resolved.
 *
 * An alert is keyed by (run, rule, subject).  store_alerts_sync() sets
 * the alerts of one run to what its latest evaluation raised: new ones
 * start firing, ones raised again keep their state (a resolved one
 * fires again) and get a new last_seen, and those no longer raised are
 * resolved, however quickly evaluations follow each other.  Re-ingesting
 * a run therefore never duplicates its alerts.
 *
 * Two times: began_at is when the alert's condition began in the run's
 * own time (the run's started_at), first_seen when fairtop recorded it.
 * A resolved alert keeps when (resolved_at) and why (resolved_reason):
 * no longer raised, or its run left production (store_alerts_resolve_run,
 * called by deploy and rollback, keeping the deployment's id); those
 * fire again when their run is put back in production
 * (store_alerts_reopen_run).
 */
#ifndef FAIRTOP_ALERTS_STORE_H
#define FAIRTOP_ALERTS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/alerts.h"
#include "core/fail.h"
#include "storage/store.h"

/* Set the alerts of run_key to the n alerts a (borrowed) of its latest
 * evaluation.  baseline_key and began_at may be NULL; began_at is
 * stored for new alerts, and for existing ones only where none was
 * recorded.  An alert raised again after it was resolved fires afresh
 * (its acknowledgement and resolution cleared); one no longer raised
 * is resolved with the reason "no longer raised by the latest
 * evaluation".  Runs inside the caller's transaction if there is one,
 * else in its own. */
int store_alerts_sync(struct store *s, const char *run_key,
		      const char *baseline_key, const char *began_at,
		      const struct alert_new *a, size_t n, struct fail *f);

/* Resolve every firing or acknowledged alert of run_key: state
 * 'resolved', resolved_at now, resolved_reason = reason (borrowed,
 * e.g. "resolved by rollback #4 by lead: r02 replaced r05 in
 * production"), resolved_by_deployment = deployment (0: none).
 * *resolved (may be NULL) is how many.  Runs inside the caller's
 * transaction if there is one, else in its own.  0 done (also when there
 * was nothing to resolve), -1 error. */
int store_alerts_resolve_run(struct store *s, const char *run_key,
			     const char *reason, int64_t deployment,
			     size_t *resolved, struct fail *f);

/* The alerts of run_key that a deployment resolved (its run replaced in
 * production) fire again, acknowledgements cleared: the run is back in
 * production, and so are its alarms.  *reopened (may be NULL) is how
 * many.  In the caller's transaction if there is one.  0, or -1. */
int store_alerts_reopen_run(struct store *s, const char *run_key,
			    size_t *reopened, struct fail *f);

struct stored_alert {
	int64_t id;
	/* NULL when not recorded; all in one block, `text` */
	char *run_key, *baseline_key, *rule, *severity, *state, *subject;
	char *message, *details, *first_seen, *last_seen;
	char *acknowledged_by, *acknowledged_at, *ack_note;
	char *began_at, *resolved_at, *resolved_reason;
	char *text;
};

/* Alerts, firing first, then acknowledged, then resolved; critical
 * before warning; newest first.  state NULL for all.  Caller frees with
 * stored_alerts_free(). */
int store_alerts_list(struct store *s, const char *state,
		      struct stored_alert **a, size_t *n, struct fail *f);
/* The same, of one run only. */
int store_alerts_list_run(struct store *s, const char *run_key,
			  const char *state, struct stored_alert **a,
			  size_t *n, struct fail *f);
void stored_alerts_free(struct stored_alert *a, size_t n);

/* The alerts ever acknowledged (acknowledged_at set), in the order of
 * store_alerts_list().  Caller frees with stored_alerts_free(). */
int store_alerts_acked(struct store *s, struct stored_alert **a, size_t *n,
		       struct fail *f);

/* The firing alerts: critical ones and the others (warning, info). */
int store_alert_counts(struct store *s, size_t *critical, size_t *other,
		       struct fail *f);

/* The firing alerts (not acknowledged, not resolved), those of the
 * run in production apart from the others (the candidates' findings).
 * "warning" counts every severity below critical, as
 * store_alert_counts() does. */
struct alert_split {
	size_t prod_critical, prod_warning;
	size_t cand_critical, cand_warning;
	/* runs other than production with at least one firing critical
	 * alert */
	size_t cand_runs_critical;
};
/* production_key: the deployed run, NULL or "" when nothing is
 * deployed (every alert is then a candidate's). */
int store_alert_counts_split(struct store *s, const char *production_key,
			     struct alert_split *out, struct fail *f);

/* The open (not resolved) alerts of each run, counted once for many
 * lookups: critical, the others (warning), and how many of them are
 * acknowledged. */
struct alert_tally {
	const char *run_key; /* into keys */
	size_t critical, warning, acknowledged;
};
struct alert_tallies {
	struct alert_tally *t; /* sorted by run_key */
	size_t n;
	char *keys;            /* owned */
};
int store_alert_tallies(struct store *s, struct alert_tallies *out,
			struct fail *f);
/* Whether a and b count the same firing alerts of the same runs. */
int alerts_tallies_equal(const struct alert_tallies *a,
			 const struct alert_tallies *b);
const struct alert_tally *alerts_tally_find(const struct alert_tallies *t,
					    const char *run_key);
void alerts_tally_release(struct alert_tallies *t);

/* Acknowledge alert id: 0 done, 1 no such alert, 2 already resolved or
 * acknowledged (nothing changed); records it in the audit log. */
int store_alert_ack(struct store *s, int64_t id, const char *by,
		    const char *note, struct fail *f);

/* Acknowledge every firing alert of run_key at once, by `by` with note
 * (may be NULL), in one transaction (the caller's if one is open) with
 * ONE audit-log entry (action "ack", details {"alerts": [ids], "count":
 * n}); *acked is how many, *audit_id (may be NULL) the entry's id, 0
 * when nothing was firing (then no entry is written).  Returns 0 done
 * (*acked possibly 0), 1 the run has no alerts at all (nothing
 * changed), -1 error. */
int store_alerts_ack_run(struct store *s, const char *run_key,
			 const char *by, const char *note, size_t *acked,
			 int64_t *audit_id, struct fail *f);

#endif
