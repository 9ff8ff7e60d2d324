/*
 * rollplan.h — choosing the run to roll back to, with the reasons.
 *
 * The target is the most recent run that was in production (a done
 * deployment) before the current one and passes the policy now, judged
 * on its own (parity, odds, audits: the rules that need no baseline).
 * Every run between the target and the current one, the current one
 * included, is listed with why it was passed over: in production now or
 * before and failing the policy (with the rule), or never deployed.
 * Runs newer than production that pass on their own and were never
 * deployed are the other way out: deploy one instead (deploy gates it
 * against production); a run that fails is never offered.  When
 * production passes the policy there is nothing to roll back: no target,
 * unless one is named.
 * Used by `fairtop rollback` and the dashboard's R; cli/cmd_rollback.c
 * and tui/modal.c print it.
 */
#ifndef FAIRTOP_ROLLPLAN_H
#define FAIRTOP_ROLLPLAN_H

#include <stdio.h>

#include "service/judgeload.h"
#include "core/policy.h"
#include "core/runinfo.h"

struct passed_over {
	char key[RUN_ID_MAX + 1]; /* sanitised */
	char *why;       /* sanitised, whole; owned by the plan */
};

/* A run to deploy instead of rolling back: newer than production, fair
 * on its own, never deployed. */
struct rollplan_alt {
	char key[RUN_ID_MAX + 1];     /* sanitised, to show */
	char run_key[RUN_ID_MAX + 1]; /* as recorded, to act on */
};

struct rollplan {
	int has_current;       /* something is in production */
	char current_key[RUN_ID_MAX + 1]; /* its run, as recorded
					   * (unsanitised) */
	int current_in_store;  /* 0: named by the history only: no verdict,
				* `current` left empty */
	struct judged_run current;
	int current_fair;
	char current_since[64], current_kind[32];
	int has_target;
	int chosen;            /* named with --to, not chosen by the plan */
	struct judged_run target;
	int target_fair;
	char *target_why;      /* the rule it fails, whole; NULL when it
				* passes or was not judged; owned */
	struct passed_over *over;
	size_t nover, over_cap;
	int nothing_to_do;     /* production passes: no target (none
				* was named) */
	char no_target[512];   /* why there is no target */
	struct rollplan_alt *alt; /* deploy one instead, newest first */
	size_t nalt, alt_cap;
};

/* Make the plan; `to` names the target (NULL: choose).  Returns 0, or
 * -1 with *f filled.  Release with rollplan_release() in every case. */
int rollplan_make(struct store *s, const struct policy *p, const char *to,
		  struct rollplan *plan, struct fail *f);
void rollplan_release(struct rollplan *plan);

#endif
