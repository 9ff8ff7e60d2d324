/*
 * verdict_store.h — verdicts kept: a run judged against a baseline
 * (0: on its own) under the policy of a digest.
 *
 * A cache of service/verdict.h's work, so that a listing or a frame of
 * the dashboard reads a thousand verdicts instead of judging a thousand
 * runs.  Schema 7's triggers remove a run's verdicts with the run, those
 * against it with it, and every one when run_changes moves, so a verdict
 * found is the verdict judging would give.
 */
#ifndef FAIRTOP_VERDICT_STORE_H
#define FAIRTOP_VERDICT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/fail.h"
#include "storage/store.h"

struct kept_verdict {
	int passed;
	size_t fails;
	/* the first failed rule's message, whole; owned
	 * (kept_verdict_release()), NULL when none */
	char *first;
};

void kept_verdict_release(struct kept_verdict *v);

/* 0 found (*out filled; release it), 1 none kept, -1 the store failed
 * or memory ran out. */
int store_verdict_find(struct store *s, int64_t run_id, int64_t baseline_id,
		       const char *digest, struct kept_verdict *out,
		       struct fail *f);

/* Keep v (replacing one kept under the same key).  0, or -1. */
int store_verdict_put(struct store *s, int64_t run_id, int64_t baseline_id,
		      const char *digest, const struct kept_verdict *v,
		      struct fail *f);

#endif
