/*
 * oom.h — an allocation-fault injector for the unit tests: fail the Nth
 * allocation.
 *
 * A test program linked with the injector (tests/unit/oom.o and the
 * linker's --wrap for malloc, calloc, realloc, strdup and strndup: see
 * OOM_WRAP in the Makefile) has every such call made from its own
 * objects, fairtop's included, go through a countdown; oom_init() routes
 * SQLite's own allocations through the same countdown
 * (SQLITE_CONFIG_MALLOC), and libcsv's buffer grows through the realloc
 * core/csvread.c hands it, which is the wrapped one.  Allocations made
 * inside other shared libraries (inih, libc's own, such as fopen's
 * buffer) are not seen.  The count is one thread's: the paths swept read
 * small files on one thread.
 *
 * time() is wrapped too, to a fixed moment, so that what a path writes
 * (ingested_at, the audit chain's hashes) is the same from one call to
 * the next and two stores compare byte for byte.
 */
#ifndef FAIRTOP_TEST_OOM_H
#define FAIRTOP_TEST_OOM_H

/* Route SQLite's allocations through the injector: before any other
 * SQLite call of the program.  Fails the test when SQLite refuses. */
void oom_init(void);

/* Count allocations from now; n > 0: the nth of them fails (NULL,
 * errno ENOMEM), once, and those after it succeed; n == 0: none
 * fails. */
void oom_start(long n);

/* Stop counting and failing; the allocations made since oom_start(). */
long oom_stop(void);

/* The failure asked for by the last oom_start() was made. */
int oom_fired(void);

/* The moment time() gives. */
#define OOM_NOW 1769904000 /* 2026-02-01T00:00:00Z */

#endif
