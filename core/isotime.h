/*
 * isotime.h — ISO 8601 times in one canonical form.
 *
 * Runs and deployments are ordered by time as text, which is right only
 * when every time is written the same way.  isotime_utc() turns any
 * form runinfo_is_iso8601() accepts (a date alone, a space for the T,
 * seconds or not, a fraction, Z, an offset or none — read as UTC) into
 * "YYYY-MM-DDTHH:MM:SSZ".  A fraction of a second is dropped (the time
 * truncated to its second): "10:00:00.9Z" and "10:00:00Z" are the same
 * time, and order by the order they were recorded in, rather than as
 * text that would put ".9" first.  Supported: years 0001 to 9999 once in
 * UTC (an offset may carry a time across a year's end); others are
 * refused, never written as "-001-..." or "10000-...".
 */
#ifndef FAIRTOP_ISOTIME_H
#define FAIRTOP_ISOTIME_H

#include <stddef.h>

/* Returns 0, or -1 when in is not an ISO 8601 time in the supported
 * range (out untouched). */
int isotime_utc(const char *in, char *out, size_t size);

/* Seconds since 1970-01-01T00:00:00Z of in (any form isotime_utc()
 * takes, a fraction dropped): 0, or -1 when in is not such a time. */
int isotime_seconds(const char *in, long long *out);

/* 1 when isotime_utc() takes in: what readers accept as a time. */
int isotime_valid(const char *in);

#endif
