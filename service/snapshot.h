/*
 * snapshot.h — what the dashboard draws, read from the store in one go.
 *
 * The screen never touches the database: storage fills these structs,
 * the views draw them.  A snapshot holds the header's facts (deployed
 * run, last fair run, open alerts) and three parts, each read only when
 * a view shows it: the runs with their headline numbers and their gate
 * verdict against the deployed run (Runs, Compare, Drift), the alerts
 * (Alerts) and the timeline (Timeline).  The Compare and Drift views
 * load their own, smaller snapshots for the runs and feature they show.
 * Strings are as stored (unsanitised): the views sanitise what they
 * draw.
 */
#ifndef FAIRTOP_SNAPSHOT_H
#define FAIRTOP_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "core/groups.h"
#include "core/judge.h"
#include "core/policy.h"
#include "core/runinfo.h"
#include "storage/alerts_store.h"
#include "service/judgeload.h"
#include "service/rundisparity.h"
#include "storage/store.h"
#include "service/timeline.h"
#include "service/verdictcache.h"

enum verdict_mark { MARK_NONE = -1, MARK_FAIL = 0, MARK_PASS = 1 };

/* One of a run's verdicts (service/verdict.h) as the Runs view shows
 * it. */
struct snap_verdict {
	enum verdict_mark mark;
	char *rule;        /* the first rule it fails, whole; "" (owned) */
	char against[RUN_ID_MAX + 1]; /* the baseline; "" on its own */
};

struct snap_run {
	char key[RUN_ID_MAX + 1], started[64];
	char *model, *version; /* whole (owned; "" when not recorded) */
	double accuracy, f_beta, throughput;
	double dp, eo, worst_tpr;
	/* owned, like the verdicts' rules: a run held is a few hundred
	 * bytes, not kilobytes, for a store of a hundred thousand runs */
	char *worst_group; /* "" when none */
	struct snap_verdict fair;    /* on its own */
	struct snap_verdict vs_prod; /* against production; the
				      * production run, or every run when
				      * nothing is deployed: on its own */
	size_t open_alerts, critical_alerts;
	long long rows_evaluated; /* over every step; -1 unknown */
	/* what its evaluation is (service/incident.h): its rows at the
	 * final step (-1 unknown) and its groups (core/groupset.h) */
	long long final_rows;
	int has_groups_digest;
	uint64_t groups_digest;
	double beta_factor;       /* RATE_UNDEFINED when absent */
	int is_deployed, is_last_fair;
	/* its evaluation is not like the last fair model's (other rows or
	 * other groups: service/incident.h): its performance is no gain
	 * over it */
	int unlike_last_fair;
	/* its F-beta weighs recall by another beta_factor than the last
	 * fair model's: its F-beta alone is no gain over it */
	int beta_unlike_last_fair;
};

/* The parts of a snapshot read on demand. */
enum snap_part {
	SNAP_RUNS = 1,
	SNAP_ALERTS = 2,
	SNAP_TIMELINE = 4,
	SNAP_ALL = 7,
};

struct snapshot {
	/* the header, read by snapshot_refresh(): production is its
	 * subject */
	char deployed[RUN_ID_MAX + 1]; /* the production run, "" when none */
	char deployed_kind[32];    /* deploy, override, rollback */
	char deployed_since[64];
	/* whole, as service/timeline.h's summary gives them; owned (NULL
	 * before the first refresh) */
	char *deployed_actor;
	char *deployed_why;        /* the first rule it fails */
	int deployed_in_store;
	int deployed_fair;         /* its fair verdict passes */
	char last_fair[RUN_ID_MAX + 1];
	size_t open_critical, open_warning; /* production's firing alerts */
	size_t cand_critical, cand_warning; /* the other runs' */
	size_t cand_runs_critical;          /* runs with a critical one */
	char refreshed[32];
	unsigned fresh;        /* the parts read since the last refresh */
	struct snap_run *runs; /* newest first */
	size_t nruns;
	size_t unlike_last_fair; /* how many runs held are marked so (their
				  * F-beta alone included) */
	/* what the runs held were read under: while none of it moved, a
	 * read of the runs reads only those added since (ids above
	 * max_id), and takes each run's alerts and marks again from what
	 * it holds */
	struct runs_basis {
		int valid;
		const struct policy *p;
		int64_t changes;      /* run_changes */
		int prod_found;
		char prod_run[RUN_ID_MAX + 1];
		int64_t prod_id;      /* 0: not in the store */
		int64_t max_id;       /* the highest run id read */
	} basis;
	/* the runs part read a page at a time: 0 (the default) reads
	 * every run at once; n reads the newest n, and
	 * snapshot_read_more() the next n each call, so a first frame
	 * costs a page, not the store (set it once, after zeroing) */
	size_t page_size;
	/* the timeline part: 0 (the default) every event; n the events
	 * of the newest n runs and what happened since (service/
	 * timeline.h, timeline_load_recent()) */
	size_t timeline_runs;
	struct runs_reading {
		int more; /* older runs than those held remain to read */
		/* the last run of the last page: the next starts after */
		char started[64];
		char key[RUN_ID_MAX + 1];
		/* the highest run id when the first page was read: the
		 * pages read no run above it (those are read as added) */
		int64_t upto;
	} reading;
	/* the runs' open alerts, as read with the runs */
	struct alert_tallies tally;
	/* the last fair model the runs' marks were taken against */
	struct runs_marked {
		char last_fair[RUN_ID_MAX + 1];
		int has_fair;
		long long fair_rows;
		int fair_has_groups;
		uint64_t fair_groups;
		double fair_beta;
	} marked;
	struct stored_alert *alerts;
	size_t nalerts;
	struct timeline timeline;
	/* the verdicts judged on the fly, for the next read of the runs */
	struct verdict_cache verdicts;
};

/* After the store changed: read the header again and mark every part
 * out of date.  Parts keep what they hold (still readable) until
 * snapshot_need() reads them again.  snap starts zeroed (or from
 * snapshot_release()).  On failure the snapshot is left as it was. */
int snapshot_refresh(struct store *s, const struct policy *p,
		     struct snapshot *snap, struct fail *f);

/* Read the parts in `want` (SNAP_*) that are out of date.  On failure a
 * part keeps what it held and stays out of date.  The runs part reads
 * only the runs added since its last read, while no run was replaced,
 * deleted or changed (run_changes), production is the same run and the
 * policy the same: a refresh then costs what was added, and a pass over
 * the runs held for their alerts and marks, not a read of every run.
 * p must be the same policy, not changed, for every call on one
 * snapshot (the verdicts kept are judged with it; another pointer
 * judges everything again). */
int snapshot_need(struct store *s, const struct policy *p,
		  struct snapshot *snap, unsigned want, struct fail *f);

/* Paged runs (page_size > 0): read the next page of older runs into
 * those held, while snap->reading.more and the runs part is fresh;
 * nothing to do otherwise.  A page reads only its own runs, so the
 * dashboard reads on between keys and stays answerable.  When what the
 * runs were read under moved (a run replaced, production, the policy),
 * the runs part goes out of date and the next snapshot_need() reads
 * again from the newest.  The runs added since the first page are read
 * by snapshot_need() as ever (ids above the first page's upper bound),
 * never twice. */
int snapshot_read_more(struct store *s, const struct policy *p,
		       struct snapshot *snap, struct fail *f);

void snapshot_release(struct snapshot *snap);

/* Another store was opened in place of the one read (the file at its
 * path replaced): nothing read from the old one is taken as current,
 * neither the verdicts cached (their run ids were the old store's) nor
 * the runs held (all are read again).  What is shown stays until then. */
void snapshot_store_changed(struct snapshot *snap);

/* Compare: both runs, the judgement of candidate against baseline, and
 * each run's aggregates with their intervals (under the same policy). */
struct snap_compare {
	struct judged_run base, cand;
	struct judgement j;
	struct run_disparity base_ci, cand_ci;
	int loaded;
};

int snapshot_compare(struct store *s, const struct policy *p,
		     const char *baseline, const char *candidate,
		     struct snap_compare *out, struct fail *f);
void snap_compare_release(struct snap_compare *c);

/* Drift of one feature: each group's rate in each run (oldest first),
 * and across the steps of one run. */
enum drift_metric { DRIFT_TPR, DRIFT_SELECTION, DRIFT_FPR, DRIFT_NMETRICS };

struct snap_series {
	char *group;   /* the group's label, whole (owned) */
	double *value; /* one per point, RATE_UNDEFINED when missing */
};

struct snap_drift {
	char feature[FEATURE_NAME_MAX + 1]; /* any name ingest takes */
	char **features;       /* every single feature of the store */
	size_t nfeatures;
	char (*point)[RUN_ID_MAX + 1]; /* run keys (or steps) along the x
				       * axis */
	size_t npoints;
	/* the runs across are the newest DRIFT_RUNS (storage/driftcache.h)
	 * of a store that may hold more: the title says so */
	int newest_only;
	struct snap_series *series;
	size_t nseries;
	/* the selected run's steps */
	int64_t *steps;
	size_t nsteps;
	struct snap_series *step_series;
	size_t nstep_series;
};

/* The drift of feature (NULL or unknown: the first) for metric m, with
 * the steps of run `run` (may be NULL).  cache (storage/driftcache.h)
 * keeps what was read for the next call; NULL reads everything. */
struct drift_cache;
int snapshot_drift(struct store *s, struct drift_cache *cache,
		   const char *feature, enum drift_metric m, const char *run,
		   struct snap_drift *out, struct fail *f);
void snap_drift_release(struct snap_drift *d);

/* The feature whose groups' rate (metric m, at each run's final step)
 * spreads the widest across runs, into buf; "" when none has a defined
 * rate.  Ties go to the first by name. */
int snapshot_drift_pick(struct store *s, struct drift_cache *cache,
			enum drift_metric m, char *buf, size_t size,
			struct fail *f);

const char *drift_metric_name(enum drift_metric m);

/* PRAGMA data_version: changes when another connection commits. */
int snapshot_data_version(struct store *s, int64_t *version,
			  struct fail *f);

#endif
