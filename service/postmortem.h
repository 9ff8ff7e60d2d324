/*
 * postmortem.h — the story a post-mortem tells, gathered from the store.
 *
 * What `fairtop report` adds to the timeline (service/timeline.h):
 *   - the exposure windows: from the deployment (or override) that put
 *     a run failing the policy in production to the deployment of a
 *     fair run that ended it (a rollback, usually), or still open, with
 *     their durations;
 *   - the causes, each its own list, from every run's findings at
 *     arrival (against what was in production when it started): class
 *     weights logged against exact, a missing beta_factor, lost
 *     evaluation coverage (rows, groups), data drift (data_version
 *     changes, PSI of group shares and scores, the label prior);
 *   - each override with its actor, reason and the alerts of its run
 *     firing at that moment; each rollback, from -> to, by whom;
 *   - each run's findings at arrival, whole and structured.
 * Verdicts come from service/verdict.h, so the report agrees with every
 * screen.  Strings are as stored (unsanitised).
 */
#ifndef FAIRTOP_POSTMORTEM_H
#define FAIRTOP_POSTMORTEM_H

#include <stddef.h>
#include <stdint.h>

#include "core/judge.h"
#include "core/policy.h"
#include "storage/store.h"

struct pm_window {
	char *run, *kind, *actor; /* the deployment that opened it */
	char *opened;             /* its time */
	char *closed;             /* NULL: still open */
	char *closed_run, *closed_kind, *closed_actor;
	long long seconds;        /* to closed, or to the report's time;
				   * -1 when a time cannot be read */
};

enum pm_cause {
	PM_CLASS_WEIGHTS,
	PM_BETA_FACTOR,
	PM_COVERAGE,
	PM_DRIFT,
	PM_CAUSES
};

struct pm_item {
	enum pm_cause cause;
	enum finding_severity severity;
	char *run;      /* the run it is about */
	char *against;  /* its baseline at arrival; NULL on its own */
	char *rule;     /* the finding's rule, or "data_version" */
	char *text;     /* one whole sentence */
};

struct pm_alert {
	int64_t id;
	char *rule, *severity, *subject;
};

struct pm_override {
	char *time, *run, *actor, *reason, *state;
	char *recorded;          /* when fairtop recorded it, NULL unknown */
	int imported;            /* from deployments.csv */
	struct pm_alert *firing; /* its run's alerts firing at that time */
	size_t nfiring;
};

struct pm_rollback {
	char *time, *from, *to, *actor, *reason, *state;
};

struct pm_run {
	char *run, *started;
	char *against;          /* NULL: judged on its own at arrival */
	int passed;
	struct judgement j;     /* its findings at arrival */
};

struct postmortem {
	char now[32];           /* when it was gathered */
	struct pm_window *window;
	size_t nwindow;
	struct pm_item *item;
	size_t nitem;
	struct pm_override *ovr;
	size_t novr;
	struct pm_rollback *rb;
	size_t nrb;
	struct pm_run *run;
	size_t nrun;
	char *rollback_to;      /* the rollback target while a window is
				 * open, NULL otherwise */
};

/* Gather it.  0, or -1 with *f filled.  Release with
 * postmortem_release() in every case. */
int postmortem_make(struct store *s, const struct policy *p,
		    struct postmortem *out, struct fail *f);
void postmortem_release(struct postmortem *pm);

/* "Class-weight rounding", "Missing beta_factor", ... */
const char *postmortem_cause_title(enum pm_cause c);
/* "class_weights", "beta_factor", "coverage", "drift" (JSON keys). */
const char *postmortem_cause_key(enum pm_cause c);

/* "3 days 4 h 5 min" (or "n/a" for a negative count) into buf. */
const char *postmortem_duration(char *buf, size_t size, long long seconds);

/* "22 Jan 2026" of an ISO time (its first ten characters), else the
 * time as given. */
const char *postmortem_day(char *buf, size_t size, const char *iso);

/* n with thousands separators: "3,800". */
const char *postmortem_count(char *buf, size_t size, long long n);

#endif
