/*
 * ingest.h — putting one run folder into the store, all or nothing.
 *
 * store_ingest_run() reads the folder's run.csv, its predictions.csv or
 * counts.csv (the evaluation, reduced to per-group counts in memory
 * bounded by the number of groups) and streams its metrics.csv into the
 * store, all inside one transaction: any error rolls back and leaves
 * nothing of the run behind.
 */
#ifndef FAIRTOP_INGEST_H
#define FAIRTOP_INGEST_H

#include <stdint.h>

#include "core/fail.h"
#include "core/source.h"
#include "storage/store.h"

struct ingest_result {
	char run_key[256];   /* sanitised for printing */
	char run_key_raw[256]; /* as stored (may hold anything) */
	int replaced;        /* an earlier copy of the run was replaced */
	int64_t rows;        /* evaluation rows (predictions), -1 for counts */
	long metric_points;
	size_t groups;       /* groups stored at the final step */
};

/* What store_ingest_run() may do, or-ed together. */
enum {
	INGEST_REPLACE = 1,    /* overwrite a run already in the store */
	INGEST_ONE_THREAD = 2, /* never read a large file on two threads */
};

/* dir: the run folder (path used for reading and in messages); flags:
 * INGEST_* or-ed, 0 for none. */
int store_ingest_run(struct store *s, const char *dir, int flags,
		     struct ingest_result *res, struct fail *f);

/* Called with the run written and its transaction still open: what is
 * written here commits with the run, and a failure (non-zero, *f
 * filled) rolls the run back with it.  run_key as stored. */
typedef int ingest_then_fn(void *ctx, struct store *s, const char *run_key,
			   struct fail *f);

/* store_ingest_run(), and `then` (may be NULL) inside its transaction.
 * The files are read before the transaction begins, so the store is
 * locked only while it is written. */
int store_ingest_run_then(struct store *s, const char *dir, int flags,
			  ingest_then_fn *then, void *ctx,
			  struct ingest_result *res, struct fail *f);

/* A run given as its parts rather than as a folder: what an MLflow run
 * becomes (service/mlflow_import.h).  All borrowed for the call. */
struct ingest_parts {
	const char *origin;          /* where the run came from: stored as
				      * the run's source ("mlflow.db: run
				      * 3f2a...", a folder's path) */
	const struct source *run;    /* run.csv's content */
	const struct source *metrics; /* metrics.csv's content, or NULL */
	const char *evaluation_dir;  /* the folder that may hold
				      * predictions.csv or counts.csv, or
				      * NULL: no evaluation */
};

/* store_ingest_run_then() of a run's parts: the folder entry reads its
 * folder into parts and calls this. */
int store_ingest_parts_then(struct store *s, const struct ingest_parts *parts,
			    int flags, ingest_then_fn *then, void *ctx,
			    struct ingest_result *res, struct fail *f);

/* 1 when dir holds a run.csv. */
int ingest_is_run_folder(const char *dir);

#endif
