/*
 * timeline.h — the post-mortem timeline, built from the store.
 *
 * Oldest first: runs (with the gate's verdict against what was deployed
 * when they started, and their alerts), deployments, overrides (marked
 * loud), rollbacks, failed deployments and acknowledgements; and a
 * summary: what is deployed, the last fair model (the most recent run in
 * production that passes the policy on its own), the open alerts, the
 * overrides ever made.  `fairtop report` prints it; the dashboard's
 * Timeline view draws it.
 */
#ifndef FAIRTOP_TIMELINE_H
#define FAIRTOP_TIMELINE_H

#include <stddef.h>

#include "core/policy.h"
#include "core/runinfo.h"
#include "storage/alerts_store.h"
#include "storage/store.h"

struct event {
	char time[64];   /* when it happened */
	char recorded[64]; /* when fairtop recorded it, when that is
			    * another time (history imported later); ""
			    * otherwise or when not known */
	char kind[32];   /* run, deploy, override, rollback, ack, ... */
	char run[RUN_ID_MAX + 1];
	/* whole, never cut; owned (timeline_release() frees them), never
	 * NULL once the timeline is loaded */
	char *actor;
	char *text;
	int loud;        /* an override: never to be missed */
	int failed;      /* a deployment whose hook failed */
};

struct summary_info {
	char deployed[RUN_ID_MAX + 1];
	char deployed_kind[32], deployed_since[64];
	/* whole, never cut; owned (summary_info_release() frees them),
	 * never NULL once loaded: "" when nothing is deployed */
	char *deployed_how;    /* "deploy by ACTOR at TIME" */
	char *deployed_actor;
	char *deployed_why;    /* the first rule it fails, "" when none */
	int deployed_in_store; /* the production run is in the store */
	int deployed_fair;     /* its fair verdict passes */
	char last_fair[RUN_ID_MAX + 1];
	/* firing alerts: production's (the alarms) and the other runs'
	 * (candidate findings), counted apart */
	size_t open_critical, open_warning; /* production's */
	struct alert_split alerts;
	size_t overrides;
};

struct timeline {
	struct event *e;
	size_t n, cap;
	/* "" when every event is there; else only the events after this
	 * time are (timeline_load_recent() left older runs out: it is the
	 * start of the newest run left out) */
	char after[64];
	struct summary_info sum;
};

/* Build the timeline (unsanitised text: callers sanitise when they
 * print).  Release with timeline_release() in every case. */
int timeline_load(struct store *s, const struct policy *p,
		  struct timeline *out, struct fail *f);
/* The same for the newest runs only (newest > 0): every event after
 * the start of the newest run left out (t->after), which holds the
 * events of the newest `newest` runs (fewer when runs left out share
 * their start) and everything that happened since; every event when
 * the store has no more runs.
 * What the dashboard shows, at a cost that does not grow with the
 * store; the report reads everything.  newest 0: timeline_load(). */
int timeline_load_recent(struct store *s, const struct policy *p,
			 size_t newest, struct timeline *out, struct fail *f);

void timeline_release(struct timeline *t);

/* The summary alone (what the dashboard's header shows).  Release with
 * summary_info_release() in every case. */
int timeline_summary(struct store *s, const struct policy *p,
		     struct summary_info *out, struct fail *f);
void summary_info_release(struct summary_info *sum);

#endif
