/*
 * isotime.c — canonical UTC times.  See isotime.h.
 */
#include "core/isotime.h"

#include <stdio.h>
#include <string.h>

#include "core/runinfo.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int isotime_utc(const char *in, char *out, size_t size)
{
	if (!runinfo_is_iso8601(in))
		return -1;
	long year = num(in, 4);
	unsigned month = (unsigned)num(in + 5, 2), day = (unsigned)num(in + 8, 2);
	int hour = 0, minute = 0, second = 0;
	long offset = 0; /* minutes east of UTC */
	const char *p = in + 10;
	if (*p == 'T' || *p == ' ') {
		hour = num(p + 1, 2);
		minute = num(p + 4, 2);
		p += 6;
		if (*p == ':') {
			second = num(p + 1, 2);
			p += 3;
			/* a fraction is dropped: truncated to the
			 * second */
			if (*p == '.' || *p == ',')
				p += 1 + strspn(p + 1, "0123456789");
		}
		if (*p == '+' || *p == '-') {
			offset = num(p + 1, 2) * 60 + num(p + 4, 2);
			if (*p == '-')
				offset = -offset;
		}
	}
	/* a leap second stays on its minute */
	long total = days_from_civil(year, month, day) * 1440 + hour * 60 +
		     minute - offset;
	long days = total >= 0 ? total / 1440 : (total - 1439) / 1440;
	long mins = total - days * 1440;
	long y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 1 || y > 9999)
		return -1;
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%04ld-%02u-%02uT%02ld:%02ld:%02dZ", y,
			 m, d, mins / 60, mins % 60, second);
	if (n < 0 || (size_t)n >= size)
		return -1;
	memcpy(out, buf, (size_t)n + 1);
	return 0;
}

int isotime_valid(const char *in)
{
	char out[32];
	return isotime_utc(in, out, sizeof out) == 0;
}

int isotime_seconds(const char *in, long long *out)
{
	char utc[32];
	if (isotime_utc(in, utc, sizeof utc) != 0)
		return -1;
	long days = days_from_civil(num(utc, 4), (unsigned)num(utc + 5, 2),
				    (unsigned)num(utc + 8, 2));
	*out = (long long)days * 86400 + num(utc + 11, 2) * 3600LL +
	       num(utc + 14, 2) * 60LL + num(utc + 17, 2);
	return 0;
}
