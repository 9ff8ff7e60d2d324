/*
 * alerts_store.h — alert state: firing, acknowledged, resolved.
 *
 * An alert is keyed by (run, rule, subject).  store_alerts_sync() sets
 * the alerts of one run to what its latest evaluation raised: new ones
 * start firing, ones raised again keep their state (a resolved one
 * fires again) and get a new last_seen, and those no longer raised are
 * resolved, however quickly evaluations follow each other.  Re-ingesting
 * a run therefore never duplicates its alerts.
 */
#ifndef FAIRTOP_ALERTS_STORE_H
#define FAIRTOP_ALERTS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/alerts.h"
#include "core/fail.h"
#include "storage/store.h"

int store_alerts_sync(struct store *s, const char *run_key,
		      const char *baseline_key, const struct alert_new *a,
		      size_t n, struct fail *f);

struct stored_alert {
	int64_t id;
	/* NULL when not recorded; all in one block, `text` */
	char *run_key, *baseline_key, *rule, *severity, *state, *subject;
	char *message, *details, *first_seen, *last_seen;
	char *acknowledged_by, *acknowledged_at, *ack_note;
	char *text;
};

/* Alerts, firing first, then acknowledged, then resolved; critical
 * before warning; newest first.  state NULL for all.  Caller frees with
 * stored_alerts_free(). */
int store_alerts_list(struct store *s, const char *state,
		      struct stored_alert **a, size_t *n, struct fail *f);
void stored_alerts_free(struct stored_alert *a, size_t n);

/* The alerts ever acknowledged (acknowledged_at set), in the order of
 * store_alerts_list().  Caller frees with stored_alerts_free(). */
int store_alerts_acked(struct store *s, struct stored_alert **a, size_t *n,
		       struct fail *f);

/* The firing alerts: critical ones and the others (warning, info). */
int store_alert_counts(struct store *s, size_t *critical, size_t *other,
		       struct fail *f);

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
const struct alert_tally *alerts_tally_find(const struct alert_tallies *t,
					    const char *run_key);
void alerts_tally_release(struct alert_tallies *t);

/* Acknowledge alert id: 0 done, 1 no such alert, 2 already resolved or
 * acknowledged (nothing changed); records it in the audit log. */
int store_alert_ack(struct store *s, int64_t id, const char *by,
		    const char *note, struct fail *f);

#endif
