/*
 * declock.h — one decision at a time per store.
 *
 * A deploy or a rollback reads what is in production, judges, runs the
 * deploy hook (which may take minutes) and records the outcome.  Two at
 * once would each judge against a production the other is replacing,
 * and "in production now" would follow whichever wrote last, not
 * whichever shipped last.  So each takes this lock first, for the whole
 * decision: an exclusive fcntl() lock on the file STORE.decide beside
 * the store (created on first use; it holds the holder's pid, for the
 * message a second decision prints).  A process that dies loses the
 * lock with it.
 */
#ifndef FAIRTOP_DECLOCK_H
#define FAIRTOP_DECLOCK_H

#include "core/fail.h"
#include "storage/store.h"

struct decision_lock {
	int fd; /* -1 when not held */
};

/* Take the lock, waiting up to wait_seconds (0: not at all) while
 * another decision holds it; `waiting` (may be NULL) is called once,
 * with the holder's pid (0 when unknown), when it must wait.  0 held,
 * 1 still held by another after the wait (*f says by whom), -1 error. */
int decision_lock_take(struct decision_lock *l, const struct store *s,
		       int wait_seconds, void (*waiting)(long pid),
		       struct fail *f);

/* 1 while another process holds the lock (a decision is being made:
 * its deployment is pending because its hook runs now), else 0. */
int decision_lock_held(const struct store *s);

/* Release it (nothing when not held). */
void decision_lock_release(struct decision_lock *l);

#endif
