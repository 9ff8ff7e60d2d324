/*
 * ingest.h — a run folder into the store, with its verdict at arrival.
 *
 * The use case behind `fairtop ingest`: the run's rows
 * (storage/ingest.h), its alerts, headline summary and kept verdicts
 * (service/alerteval.h) commit in one transaction, so that a run is
 * never stored without what was judged of it; any failure leaves nothing
 * of the run behind.
 */
#ifndef FAIRTOP_SERVICE_INGEST_H
#define FAIRTOP_SERVICE_INGEST_H

#include <stddef.h>

#include "core/fail.h"
#include "core/policy.h"
#include "storage/ingest.h"

/* Ingest the run folder dir (flags: INGEST_*) and judge it at arrival
 * under p.  *raised and *critical (may be NULL) get the counts of the
 * alerts it raised.  0, or -1 with *f filled (nothing stored). */
int ingest_run(struct store *s, const char *dir, int flags,
	       const struct policy *p, struct ingest_result *res,
	       size_t *raised, size_t *critical, struct fail *f);

/* ingest_run() of a run given as its parts (storage/ingest.h): the same
 * transaction, the same verdict at arrival and alerts. */
int ingest_parts(struct store *s, const struct ingest_parts *parts,
		 int flags, const struct policy *p, struct ingest_result *res,
		 size_t *raised, size_t *critical, struct fail *f);

#endif
