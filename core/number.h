/*
 * number.h — reading numbers from input files, whatever the locale.
 *
 * The dashboard sets a UTF-8 locale, and in some locales strtod() wants
 * "0,5".  Input files always use '.', so every number fairtop reads goes
 * through number_parse(): plain decimal or scientific notation only
 * ("nan", "inf", hex floats and thousands separators are refused), the
 * result correctly rounded to the nearest double, never rounded again.
 */
#ifndef FAIRTOP_NUMBER_H
#define FAIRTOP_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum number_status {
	NUMBER_OK = 0,
	NUMBER_EMPTY,      /* nothing there */
	NUMBER_SYNTAX,     /* not a decimal number */
	NUMBER_NOT_FINITE, /* nan, inf, or overflows a double */
};

/* Parse s[0..len) (need not be NUL-terminated).  *out is set only on
 * NUMBER_OK. */
enum number_status number_parse(const char *s, size_t len, double *out);

/* 10^0 .. 10^22, each exact in a double. */
extern const double number_pow10_exact[23];

/* The shape of nearly every score and weight, parsed inline on the
 * ingest's hot path: unsigned digits with at most one '.', 15 digits at
 * most (so the integer they form, below 10^15 < 2^53, is exact, and so
 * is 10^k for the k digits after the point: one IEEE division gives the
 * correctly rounded result).  Returns 1 with *out set for such text, 0
 * for anything else, which number_parse() then decides.  number_parse()
 * tries this first: the two always agree. */
static inline int number_parse_plain(const char *s, size_t len, double *out)
{
	uint64_t m = 0;
	size_t i = 0, frac = 0;
	if (len == 0 || len > 16)
		return 0;
	/* the digits before the point, then those after it: no test for
	 * the point inside either loop */
	for (; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			break;
		m = m * 10 + d;
	}
	if (i < len) {
		if (s[i] != '.')
			return 0;
		frac = len - i - 1;
		for (i++; i < len; i++) {
			unsigned d = (unsigned)(unsigned char)s[i] - '0';
			if (d > 9)
				return 0;
			m = m * 10 + d;
		}
		if (len == 1 || len - 1 > 15)
			return 0; /* "." alone, or 16 digits */
	} else if (len > 15) {
		return 0;
	}
	*out = (double)m / number_pow10_exact[frac];
	return 1;
}

/* Parse a whole number (optional sign, digits only) into *out. */
enum number_status number_parse_int(const char *s, size_t len, int64_t *out);

/* Words for an error message: "a number", "a finite number", ... */
const char *number_status_str(enum number_status st);

/* Format v locale-independently with %.17g precision into buf (round
 * trips exactly).  Returns buf. */
char *number_format_exact(char *buf, size_t size, double v);

/* The shortest decimal (at most 17 significant digits) that reads
 * back as exactly v, locale-independently.  Returns buf. */
char *number_format_shortest(char *buf, size_t size, double v);

#endif
