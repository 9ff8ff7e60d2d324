/*
 * number.c — locale-independent number parsing.  See number.h.
 *
 * The syntax is checked here, by hand, so that what strtod() would
 * accept beyond plain decimals (nan, inf, hex, locale separators) is
 * refused.  Short decimals take an exact fast path: when the digits
 * form an integer m < 2^53 and the decimal exponent e satisfies
 * |e| <= 22, both m and 10^|e| are exact doubles and one IEEE
 * multiplication or division gives the correctly rounded result
 * (Clinger's fast path).  Everything else goes to strtod_l() with the
 * "C" locale.
 */
#define _GNU_SOURCE
#include "core/number.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double number_pow10_exact[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static locale_t c_locale(void)
{
	static locale_t loc = (locale_t)0;
	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* 1 when s[0..len) is word, ASCII letters in any case. */
static int is_word(const char *s, size_t len, const char *word)
{
	size_t i = 0;
	for (; i < len && word[i] != '\0'; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a')
						    : s[i];
		if (c != word[i])
			return 0;
	}
	return i == len && word[i] == '\0';
}

static double slow_parse(const char *s, size_t len, int *range_error)
{
	char stack[64];
	char *copy = len < sizeof stack ? stack : malloc(len + 1);
	if (copy == NULL) {
		*range_error = 1;
		return 0;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	errno = 0;
	double v = strtod_l(copy, NULL, c_locale());
	*range_error = errno == ERANGE && isinf(v);
	if (copy != stack)
		free(copy);
	return v;
}

enum number_status number_parse(const char *s, size_t len, double *out)
{
	if (number_parse_plain(s, len, out))
		return NUMBER_OK;
	size_t i = 0;
	int negative = 0;
	uint64_t mantissa = 0;
	int mantissa_digits = 0; /* significant digits in mantissa */
	int dropped_digits = 0;  /* integer digits beyond 19 */
	int frac_digits = 0;     /* fraction digits kept in mantissa */
	int any_digit = 0;
	int lost_precision = 0;
	long exponent = 0;

	if (len == 0)
		return NUMBER_EMPTY;
	if (s[i] == '+' || s[i] == '-') {
		negative = s[i] == '-';
		i++;
	}
	for (; i < len && is_digit(s[i]); i++) {
		any_digit = 1;
		if (mantissa_digits < 19) {
			mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
			if (mantissa != 0)
				mantissa_digits++;
		} else {
			dropped_digits++;
			lost_precision = 1;
		}
	}
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && is_digit(s[i]); i++) {
			any_digit = 1;
			if (mantissa_digits < 19) {
				mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
				if (mantissa != 0)
					mantissa_digits++;
				frac_digits++;
			} else if (s[i] != '0') {
				lost_precision = 1;
			}
		}
	}
	if (!any_digit) {
		/* what strtod() would take for nan or infinity */
		const char *rest = s + i;
		size_t rest_len = len - i;
		if (is_word(rest, rest_len, "nan") ||
		    is_word(rest, rest_len, "inf") ||
		    is_word(rest, rest_len, "infinity"))
			return NUMBER_NOT_FINITE;
		return NUMBER_SYNTAX;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		int exp_negative = 0;
		int exp_digit = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-')) {
			exp_negative = s[i] == '-';
			i++;
		}
		for (; i < len && is_digit(s[i]); i++) {
			exp_digit = 1;
			if (exponent < 100000)
				exponent = exponent * 10 + (s[i] - '0');
		}
		if (!exp_digit)
			return NUMBER_SYNTAX;
		if (exp_negative)
			exponent = -exponent;
	}
	if (i != len)
		return NUMBER_SYNTAX;

	long e10 = exponent - frac_digits + dropped_digits;
	if (!lost_precision && mantissa < (UINT64_C(1) << 53) && e10 >= -22 &&
	    e10 <= 22) {
		double v = (double)mantissa;
		v = e10 < 0 ? v / number_pow10_exact[-e10] : v * number_pow10_exact[e10];
		*out = negative ? -v : v;
		return NUMBER_OK;
	}
	int range_error = 0;
	double v = slow_parse(s, len, &range_error);
	if (range_error || !isfinite(v))
		return NUMBER_NOT_FINITE;
	*out = v;
	return NUMBER_OK;
}

enum number_status number_parse_int(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	int negative = 0;
	uint64_t v = 0;
	uint64_t limit = (uint64_t)INT64_MAX; /* 2^63 - 1, or 2^63 below 0 */
	int overflow = 0;
	if (len == 0)
		return NUMBER_EMPTY;
	if (s[0] == '+' || s[0] == '-') {
		negative = s[0] == '-';
		i++;
	}
	if (negative)
		limit++;
	if (i == len)
		return NUMBER_SYNTAX;
	for (; i < len; i++) {
		if (!is_digit(s[i]))
			return NUMBER_SYNTAX;
		uint64_t d = (uint64_t)(s[i] - '0');
		/* checked before it happens: v * 10 + d may wrap */
		if (v > (limit - d) / 10)
			overflow = 1;
		else
			v = v * 10 + d;
	}
	if (overflow)
		return NUMBER_NOT_FINITE;
	if (negative)
		*out = v == limit ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return NUMBER_OK;
}

const char *number_status_str(enum number_status st)
{
	switch (st) {
	case NUMBER_OK:
		return "a number";
	case NUMBER_EMPTY:
		return "an empty field";
	case NUMBER_SYNTAX:
		return "not a number";
	case NUMBER_NOT_FINITE:
		return "not a finite number";
	}
	return "?";
}

char *number_format_exact(char *buf, size_t size, double v)
{
	locale_t old = uselocale(c_locale());
	snprintf(buf, size, "%.17g", v);
	uselocale(old);
	return buf;
}

char *number_format_shortest(char *buf, size_t size, double v)
{
	locale_t old = uselocale(c_locale());
	/* whole numbers print whole (30, not 3e+01) while exact */
	if (fabs(v) < 1e15 && v == (double)(int64_t)v) {
		snprintf(buf, size, "%.0f", v);
		uselocale(old);
		return buf;
	}
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		if (strtod_l(buf, NULL, c_locale()) == v)
			break;
	}
	uselocale(old);
	return buf;
}
