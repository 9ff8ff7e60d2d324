/*
 * fixture.h — what the storage and dashboard unit tests share: a
 * scratch folder per test group, files written into it, a store in it.
 */
#ifndef FAIRTOP_TEST_FIXTURE_H
#define FAIRTOP_TEST_FIXTURE_H

#include "storage/store.h"

struct snapshot; /* service/snapshot.h */
struct snap_run;

/* The scratch folder, /tmp/fairtop-NAME-XXXXXX once made. */
extern char fixture_dir[64];

/* Make fixture_dir for NAME; 0, or -1 (a cmocka setup's result). */
int fixture_make_dir(const char *name);

/* Remove path and everything under it (no error when absent). */
void fixture_remove_tree(const char *path);

/* Write text as dir/file; fails the test when it cannot. */
void fixture_write_file(const char *dir, const char *file, const char *text);

/* The store fixture_dir/s.db, created on first use; fails the test when
 * it cannot be opened. */
struct store *fixture_open_store(void);

/* A run folder fixture_dir/DIR_NAME (dir_name NULL: the key) of a
 * run.csv (run KEY, model m, version when not NULL, started_at
 * STARTED, beta_factor 1) and a counts.csv of the rows COUNTS
 * ("step,group,tp,fp,tn,fn" lines), ingested into s; fails the test
 * when it cannot be. */
void fixture_ingest_counts(struct store *s, const char *dir_name,
			   const char *key, const char *version,
			   const char *started, const char *counts);

/* The deployment history ROWS ("time,run,kind,actor,reason" lines)
 * imported into s as a deployments.csv; fails the test when it cannot
 * be. */
void fixture_history(struct store *s, const char *rows);

/* A deployment of run (kind "deploy", "rollback", ...) made by fairtop
 * now by ann, done; fails the test when it cannot be made. */
void fixture_deploy(struct store *s, const char *run, const char *kind);

/* The run called key among those snap holds; fails the test when there
 * is none. */
const struct snap_run *fixture_run_of(const struct snapshot *snap,
				      const char *key);

#endif
