/*
 * lastfair.h — which deployment is production, which run is the last
 * fair model, which run a rollback goes back to.
 *
 * Pure choices over the deployment history (oldest first) with, for
 * each deployment, whether its run is in the store and whether the
 * run's *fair* verdict passes (service/verdict.h computes those):
 *   - production: the last deployment that completed (state done);
 *   - the last fair model: the newest completed deployment whose run is
 *     in the store and passes on its own (production itself when it
 *     passes);
 *   - the rollback target: the newest completed deployment before
 *     production, of another run than production's, in the store and
 *     passing.  When production fails, it is the last fair model.
 * Every screen and command asks these, so the header's "last fair", the
 * rollback dialog and `fairtop rollback` name the same run.
 */
#ifndef FAIRTOP_LASTFAIR_H
#define FAIRTOP_LASTFAIR_H

#include <stddef.h>

struct deployed_fact {
	const char *run; /* the run deployed (borrowed) */
	int done;        /* the deployment completed */
	int in_store;    /* the run is in the store */
	int fair;        /* its fair verdict passes (read when in_store) */
};

/* Index of the production deployment in d[0..n), n when none. */
size_t lastfair_production(const struct deployed_fact *d, size_t n);

/* Index of the last fair model's deployment, n when none. */
size_t lastfair_model(const struct deployed_fact *d, size_t n);

/* Index of the rollback target's deployment, n when none. */
size_t lastfair_rollback_target(const struct deployed_fact *d, size_t n);

#endif
