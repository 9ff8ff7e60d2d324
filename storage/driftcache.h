/*
 * driftcache.h — what the Drift view reads of each run, kept between
 * the dashboard's refreshes.
 *
 * The drift across runs needs the final-step counts of every group of
 * a feature in each of the newest DRIFT_RUNS runs: thousands of rows
 * through four tables, too slow to read again on each refresh.  But a
 * run's rows are only ever added
 * (ingest) or deleted with the run (ingest --replace): a run id, once
 * read, stands for the same rows as long as the store's run_changes
 * count (schema 6: deletions of runs and changes by hand) has not
 * moved.  So driftcache_update() reads, in one read transaction, only
 * the newest of the runs with an id above the highest it has seen
 * (they may push older ones out), and everything again when the count
 * moved.  The result is what a full read would give at that moment,
 * whatever was ingested since.
 *
 * Names (features, group labels) are held once and referred to by
 * index.  The steps of one run (the selected run) are kept the same
 * way.
 */
#ifndef FAIRTOP_DRIFTCACHE_H
#define FAIRTOP_DRIFTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/confusion.h"
#include "core/fail.h"
#include "core/strtab.h"
#include "storage/store.h"

/* The runs read across: the newest with an evaluation (counts or
 * predictions) by start (then key), as many as a
 * chart's columns can show apart (two braille dots a column: a 160-
 * column terminal has about 280), so a store of any size costs the same
 * to chart.  Older runs are in `fairtop runs` and the report. */
#define DRIFT_RUNS 240

/* One group's counts at a run's final step. */
struct drift_count {
	size_t feature, label; /* name indexes */
	int64_t position;      /* the group's place in the run */
	struct confusion counts;
};

struct drift_run {
	int64_t id;
	char *key, *started;   /* owned */
	struct drift_count *g; /* by feature, then position */
	size_t ng;
};

/* The counts of one run's groups of one feature at each step. */
struct drift_steps {
	int filled;
	char *feature, *run;    /* owned, NULL when not filled */
	int64_t changes;        /* run_changes when read */
	size_t *label;          /* the groups, by position: name indexes */
	int64_t *group_id;
	size_t ng;
	int64_t *steps;
	size_t nsteps;
	struct confusion *counts; /* [step * ng + group] */
	unsigned char *present;   /* the same: 1 where a count was read */
	size_t steps_cap, counts_cap, present_cap, g_cap, label_cap;
};

struct drift_cache {
	int filled;
	int64_t changes, max_id; /* run_changes, highest run id read */
	struct strtab names;     /* every name seen, by name index */
	size_t *feature;         /* the single features' names, by name */
	size_t nfeatures, features_cap;
	struct drift_run *runs;  /* with counts, by start then key: the
				  * newest DRIFT_RUNS */
	size_t nruns, runs_cap;
	struct drift_steps steps;
};

/* An empty cache (all zero is one too); driftcache_release() frees what
 * it holds and leaves it empty, ready for use again. */
void driftcache_init(struct drift_cache *c);
void driftcache_release(struct drift_cache *c);

/* Bring c up to date with the store. */
int driftcache_update(struct drift_cache *c, struct store *s,
		      struct fail *f);

/* The name at index i (borrowed from c), "" past the last. */
const char *driftcache_name(const struct drift_cache *c, size_t i);

/* How many names c holds: indexes go from 0 to this - 1. */
size_t driftcache_name_count(const struct drift_cache *c);

/* The index of feature name among c's single features, or -1. */
long driftcache_find_feature(const struct drift_cache *c, const char *name);

/* The counts at each step of run's groups of feature (by name), kept
 * while the store's run_changes count stands (call after
 * driftcache_update()).  *out is borrowed from c. */
int driftcache_steps(struct drift_cache *c, struct store *s,
		     const char *feature, const char *run,
		     const struct drift_steps **out, struct fail *f);

#endif
