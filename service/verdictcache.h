/*
 * verdictcache.h — the Runs list's verdicts against the deployed run,
 * kept between the dashboard's refreshes.
 *
 * A run's kept summary (run_summaries) holds its verdict against the
 * baseline it was judged against at ingest; once another run is
 * deployed, every run must be judged again against that one, which
 * means loading both runs in full: about half a millisecond a run, too
 * slow to do for every run on each refresh.  But a verdict of run X
 * against baseline B depends only on X's and B's rows and on the
 * policy, and a run's rows are only ever added with a new id (ingest)
 * or deleted with the run (ingest --replace, which may give the id
 * again): while the store's run_changes count (schema 6: deletions of
 * runs and changes by hand) has not moved, the pair of ids (X, B)
 * stands for the same verdict.  So the verdict is kept under that
 * pair, as little of it as the list shows (a few dozen bytes a run, as
 * a store may hold a hundred thousand runs); a new deployment simply
 * asks for other pairs, and every entry goes when the count moves.
 *
 * verdictcache_update() must be called in the same read transaction as
 * the reads that the entries found are taken for, so that the count it
 * read is the count of what they see.
 */
#ifndef FAIRTOP_VERDICTCACHE_H
#define FAIRTOP_VERDICTCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "core/hashmap.h"
#include "core/policy.h"
#include "storage/store.h"
#include "storage/summary_store.h"

/* Baselines of one pass: the deployed run and the run before it. */
#define VERDICTCACHE_BASELINES 2

/* A verdict as the Runs list shows it. */
struct cached_verdict {
	int passed;
	char *first;   /* the first rule it fails, whole; NULL: none */
	char *against; /* the baseline's key, "" on its own */
};

struct verdict_entry {
	int64_t run, baseline; /* run ids; baseline 0: judged on its own */
	struct cached_verdict v; /* its strings owned by the cache */
};

struct verdict_cache {
	int filled;
	int64_t changes;              /* run_changes when filled */
	const struct policy *policy;  /* the policy judged with (borrowed) */
	int64_t last[VERDICTCACHE_BASELINES]; /* the last pass's baselines */
	struct verdict_entry *e;
	size_t n, cap;
	struct hashmap index; /* of e by (run, baseline) */
};

/* An empty cache (all zero is one too); verdictcache_release() frees
 * what it holds and leaves it empty, ready for use again. */
void verdictcache_init(struct verdict_cache *c);
void verdictcache_release(struct verdict_cache *c);

/* Start a pass judged with policy p (which must not change while it is
 * the same pointer) against the run ids in baselines (0 for none):
 * everything goes when the store's run_changes count moved or p is
 * another policy; entries against a baseline neither of this pass nor
 * of the last go too (a rollback to the run deployed before finds its
 * verdicts again). */
int verdictcache_update(struct verdict_cache *c, struct store *s,
			const struct policy *p,
			const int64_t baselines[VERDICTCACHE_BASELINES],
			struct fail *f);

/* The verdict of run judged against baseline (ids; 0 for none), or
 * NULL.  Borrowed from c until the next verdictcache_put() or
 * verdictcache_update(). */
const struct cached_verdict *verdictcache_find(const struct verdict_cache *c,
					       int64_t run, int64_t baseline);

/* Keep the verdict of run against baseline: passed, the first rule
 * failed (NULL or "": none) and the baseline's key (NULL: ""), copied.
 * -1 when out of memory (the cache stays as it was). */
int verdictcache_put(struct verdict_cache *c, int64_t run, int64_t baseline,
		     int passed, const char *first, const char *against);

#endif
