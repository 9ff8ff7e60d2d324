/*
 * isotime.h — ISO 8601 times in one canonical form.
 *
 * Runs and deployments are ordered by time as text, which is right only
 * when every time is written the same way.  isotime_utc() turns any
 * form runinfo_is_iso8601() accepts (a date alone, a space for the T,
 * seconds or not, a fraction, Z, an offset or none — read as UTC) into
 * "YYYY-MM-DDTHH:MM:SSZ", the fraction kept when there is one.
 */
#ifndef FAIRTOP_ISOTIME_H
#define FAIRTOP_ISOTIME_H

#include <stddef.h>

/* Returns 0, or -1 when in is not an ISO 8601 time (out untouched). */
int isotime_utc(const char *in, char *out, size_t size);

#endif
