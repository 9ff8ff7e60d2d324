/*
 * fail.h — an error a user can act on.
 *
 * Functions that can fail for a reason the user must see take a
 * `struct fail *` and fill it with one line such as
 * "run.csv:3: column 'value': expected a number, found 'abc'",
 * then return non-zero.  The caller prints it as "fairtop: <msg>".
 * The struct holds its own storage: nothing to free.
 */
#ifndef FAIRTOP_FAIL_H
#define FAIRTOP_FAIL_H

#include <stddef.h>

#define FAIL_MSG_MAX 1024

/* What kind of failure, mapped to fairtop's exit codes by the CLI. */
enum fail_kind {
	FAIL_NONE = 0,
	FAIL_DATA,     /* bad input data: exit 65 */
	FAIL_USAGE,    /* bad usage: exit 2 */
	FAIL_INTERNAL, /* the store, the system: exit 70 */
};

struct fail {
	enum fail_kind kind;
	char msg[FAIL_MSG_MAX];
};

void fail_init(struct fail *f);

/* Set the message (printf-style); returns -1 so callers can
 * `return fail_set(f, FAIL_DATA, ...)`.  Never overwrites a failure
 * already recorded: the first cause is the one the user needs. */
int fail_set(struct fail *f, enum fail_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like fail_set, prefixed with "FILE:LINE: ". */
int fail_at(struct fail *f, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Quote a field found in input for an error message into buf: at most
 * 40 visible characters, control characters escaped, '…' when cut.
 * Returns buf. */
const char *fail_quote(char *buf, size_t size, const char *s, size_t len);

#endif
