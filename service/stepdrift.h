/*
 * stepdrift.h — how a run's groups moved across the steps of its own
 * history: per-group rates at the first and last evaluation step, the
 * PSI of each group's scores between them, and the first and last value
 * of every metric of metrics.csv.  Shown by `fairtop show`
 * (cli/stepdrift_out.h).
 */
#ifndef FAIRTOP_STEPDRIFT_H
#define FAIRTOP_STEPDRIFT_H

#include "core/policy.h"
#include "storage/evalread.h"
#include "storage/runread.h"

struct step_group {
	char *name;              /* "group=A", "(all)"; owned */
	struct rates first, last;
	double psi;              /* scores, first vs last; undefined when none */
};

struct stepdrift {
	int64_t first_step, last_step;
	size_t nsteps;
	struct step_group *group;
	size_t ngroups;
	struct metric_span *spans;
	size_t nspans;
};

/* Load the drift of run r (policy for the PSI bins).  Release with
 * stepdrift_release() in every case. */
int stepdrift_load(struct store *s, const struct stored_run *r,
		   const struct policy *p, struct stepdrift *out,
		   struct fail *f);
void stepdrift_release(struct stepdrift *d);

#endif
