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
