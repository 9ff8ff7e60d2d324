/*
 * alerteval.h — evaluating the alert rules for a run just ingested.
 */
#ifndef FAIRTOP_ALERTEVAL_H
#define FAIRTOP_ALERTEVAL_H

#include <stddef.h>

#include "core/fail.h"
#include "core/policy.h"
#include "storage/store.h"

/* Judge run_key at arrival (service/verdict.h: against the run that was
 * in production when it started, else on its own) and set its alerts.  *raised and
 * *critical (may be NULL) get the counts of alerts now raised. */
int alerteval_run(struct store *s, const char *run_key,
		  const struct policy *p, size_t *raised, size_t *critical,
		  struct fail *f);

/* After the deployment history changed (deployments.csv imported): judge
 * again, and set the alerts of, every run whose baseline at arrival is
 * no longer the one it was judged against.  *judged (may be NULL) gets
 * how many.  Each run in its own transaction.  0, or -1 with *f. */
int alerteval_arrivals(struct store *s, const struct policy *p,
		       size_t *judged, struct fail *f);

#endif
