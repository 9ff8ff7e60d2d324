/*
 * test_number.c — core/number.c: reading and writing numbers.
 *
 * Covers number_parse() on every accepted shape (plain, signed,
 * scientific, ".5", "5.", leading zeros, 17- and 25-digit mantissas, the
 * largest and subnormal doubles) and every refused one; its agreement,
 * bit for bit, with strtod() in the C locale on 100,000 pseudo-random
 * decimal strings (the proof of the Clinger fast path); independence
 * from the process locale; number_parse_int() including its overflow
 * limits; and number_format_exact() / number_format_shortest().
 *
 * Expected values are worked out by hand (arithmetic in the comments),
 * written as C literals the compiler converts with correct rounding, or
 * taken from Python's exact fractions (hex literals, noted as such).
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/number.h"

static uint64_t bits(double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof u);
	return u;
}

/* Bit-for-bit equality (so 0.0 and -0.0 differ). */
#define assert_same_double(got, want)                                        \
	do {                                                                 \
		double got_ = (got), want_ = (want);                         \
		if (bits(got_) != bits(want_)) {                             \
			print_error("%s: got %.17g (%a), want %.17g (%a)\n", \
				    #got, got_, got_, want_, want_);         \
			fail();                                              \
		}                                                            \
	} while (0)

/* Parse a NUL-terminated string that must be accepted. */
static double parse_ok(const char *s)
{
	double v = -12345.0;
	enum number_status st = number_parse(s, strlen(s), &v);
	if (st != NUMBER_OK) {
		print_error("number_parse(\"%s\") refused it: %s\n", s,
			    number_status_str(st));
		fail();
	}
	return v;
}

/* A refusal: the status, and *out left alone. */
static void check_refused(const char *s, size_t len, enum number_status want)
{
	double v = 42.0;
	enum number_status st = number_parse(s, len, &v);
	if (st != want) {
		print_error("number_parse(\"%.*s\"): status %d, want %d\n",
			    (int)len, s, (int)st, (int)want);
		fail();
	}
	assert_same_double(v, 42.0);
}

/* --- accepted shapes ------------------------------------------------ */

static void test_plain_and_signed(void **state)
{
	(void)state;
	assert_same_double(parse_ok("0"), 0.0);
	assert_same_double(parse_ok("-0"), -0.0); /* the sign is kept */
	assert_same_double(parse_ok("+0"), 0.0);
	assert_same_double(parse_ok("7"), 7.0);
	assert_same_double(parse_ok("+7"), 7.0);
	assert_same_double(parse_ok("-7"), -7.0);
	assert_same_double(parse_ok("-2.5"), -2.5);
	assert_same_double(parse_ok("123.456"), 123.456);
	assert_same_double(parse_ok("0.917"), 0.917);
	assert_same_double(parse_ok("1.099"), 1.099);
	assert_same_double(parse_ok("0.1"), 0.1);
	/* 2^53 - 1 = 9007199254740991: the largest integer of the fast path */
	assert_same_double(parse_ok("9007199254740991"), 9007199254740991.0);
}

static void test_scientific(void **state)
{
	(void)state;
	assert_same_double(parse_ok("1e3"), 1000.0);
	assert_same_double(parse_ok("1E3"), 1000.0);
	assert_same_double(parse_ok("1.5e3"), 1500.0);  /* 1.5 * 1000 */
	assert_same_double(parse_ok("1.5e+3"), 1500.0);
	assert_same_double(parse_ok("2.5e-3"), 0.0025); /* 25 / 10^4 */
	assert_same_double(parse_ok("-2.5E-3"), -0.0025);
	assert_same_double(parse_ok("1e0"), 1.0);
	assert_same_double(parse_ok("1e007"), 1e7);    /* exponent zeros */
	assert_same_double(parse_ok("1e22"), 1e22);    /* fast path edge */
	assert_same_double(parse_ok("1e23"), 1e23);    /* just beyond it */
	assert_same_double(parse_ok("1e-22"), 1e-22);
	assert_same_double(parse_ok("3e-23"), 3e-23);
	assert_same_double(parse_ok("0.1e-21"), 1e-22); /* 1 * 10^(-1-21) */
	assert_same_double(parse_ok("123456789012345e22"),
			   123456789012345e22);
	/* a huge exponent on zero is still zero */
	assert_same_double(parse_ok("0e999999999"), 0.0);
}

static void test_point_forms_and_leading_zeros(void **state)
{
	(void)state;
	assert_same_double(parse_ok(".5"), 0.5);
	assert_same_double(parse_ok("-.5"), -0.5);
	assert_same_double(parse_ok("5."), 5.0);
	assert_same_double(parse_ok("5.e1"), 50.0);
	assert_same_double(parse_ok(".5e1"), 5.0);
	assert_same_double(parse_ok("007"), 7.0);
	assert_same_double(parse_ok("000.000125"), 0.000125);
	assert_same_double(parse_ok("-00012.50"), -12.5);
	/* 26 leading zeros do not count as significant digits */
	assert_same_double(parse_ok("000000000000000000000000001.5"), 1.5);
	/* 30 fraction digits: 1e-30 */
	assert_same_double(parse_ok("0.000000000000000000000000000001"),
			   1e-30);
	/* trailing fraction zeros beyond 19 digits change nothing */
	assert_same_double(parse_ok("1.000000000000000000000000000000"), 1.0);
}

static void test_long_mantissas(void **state)
{
	(void)state;
	/* 17 digits, 12345678901234567 > 2^53 = 9007199254740992, where the
	 * spacing of doubles is 2: it lies halfway between ...566 and ...568;
	 * ties go to the even significand: 12345678901234566 / 2 =
	 * 6172839450617283 (odd), 12345678901234568 / 2 = 6172839450617284
	 * (even), so ...568. */
	assert_same_double(parse_ok("12345678901234567"), 12345678901234568.0);
	/* 2^53 + 1 = 9007199254740993: halfway between 2^53 and 2^53 + 2;
	 * 2^53 has the even significand. */
	assert_same_double(parse_ok("9007199254740993"), 9007199254740992.0);
	/* 17 significant digits: 0.1 as a double is 0.1000000000000000055511,
	 * the next one up 0.1000000000000000194289; 0.10000000000000001 is
	 * 4.4e-18 from the first and 9.4e-18 from the second. */
	assert_same_double(parse_ok("0.10000000000000001"), 0.1);
	/* 25 digits, 0.1 + 1e-25: nearer 0.1's double (5.55e-18 away) than
	 * the one below it (0.0999999999999999916733, 8.3e-18 away). */
	assert_same_double(parse_ok("0.1000000000000000000000001"), 0.1);
	/* 25 digits: Python float(1234567890123456789012345) (exact integer
	 * rounding) = 1.2345678901234568e+24 = 0x1.056e0f36a6444p+80 */
	assert_same_double(parse_ok("1234567890123456789012345"),
			   0x1.056e0f36a6444p+80);
	/* 25 digits after the point: Python float(Fraction(
	 * 1234567890123456789012345, 10**25)) = 0x1.f9add3746f65fp-4 */
	assert_same_double(parse_ok("0.1234567890123456789012345"),
			   0x1.f9add3746f65fp-4);
	/* 20 integer digits: 19 kept, one dropped; 1e19 exactly */
	assert_same_double(parse_ok("10000000000000000000"), 1e19);
}

static void test_extremes(void **state)
{
	(void)state;
	assert_same_double(parse_ok("1e308"), 1e308);
	assert_same_double(parse_ok("-1e308"), -1e308);
	/* DBL_MAX = 1.7976931348623157e308 = 0x1.fffffffffffffp+1023 */
	assert_same_double(parse_ok("1.7976931348623157e308"),
			   0x1.fffffffffffffp+1023);
	/* 1e-320 is subnormal: below DBL_MIN = 2.2250738585072014e-308;
	 * Python: float('1e-320').hex() = 0x0.00000000007e8p-1022 */
	double sub = parse_ok("1e-320");
	assert_same_double(sub, 0x0.00000000007e8p-1022);
	assert_int_equal(fpclassify(sub), FP_SUBNORMAL);
	/* the smallest subnormal, 2^-1074 = 4.9406564584124654e-324 */
	assert_same_double(parse_ok("4.9406564584124654e-324"), 0x1p-1074);
	/* 2e-324 is below half the smallest subnormal (2.47e-324): 0 */
	assert_same_double(parse_ok("2e-324"), 0.0);
}

/* --- refusals ------------------------------------------------------- */

static void check_refused_str(const char *s, enum number_status want)
{
	check_refused(s, strlen(s), want);
}

static void test_refusals(void **state)
{
	(void)state;
	check_refused_str("", NUMBER_EMPTY);
	check_refused_str("0x1p3", NUMBER_SYNTAX);
	check_refused_str("0x10", NUMBER_SYNTAX);
	check_refused_str("1,5", NUMBER_SYNTAX);
	check_refused_str("1e", NUMBER_SYNTAX);
	check_refused_str("1e+", NUMBER_SYNTAX);
	check_refused_str("1e-", NUMBER_SYNTAX);
	check_refused_str("--1", NUMBER_SYNTAX);
	check_refused_str("+-1", NUMBER_SYNTAX);
	check_refused_str(" 1", NUMBER_SYNTAX);
	check_refused_str("1 ", NUMBER_SYNTAX);
	check_refused_str("\t1", NUMBER_SYNTAX);
	check_refused_str(".", NUMBER_SYNTAX);
	check_refused_str("-", NUMBER_SYNTAX);
	check_refused_str("+", NUMBER_SYNTAX);
	check_refused_str("e5", NUMBER_SYNTAX);
	check_refused_str(".e5", NUMBER_SYNTAX);
	check_refused_str("1.2.3", NUMBER_SYNTAX);
	check_refused_str("1e5.5", NUMBER_SYNTAX);
	check_refused_str("1_000", NUMBER_SYNTAX);
	check_refused_str("abc", NUMBER_SYNTAX);
	/* number.h: NUMBER_NOT_FINITE is "nan, inf, or overflows a double" */
	check_refused_str("nan", NUMBER_NOT_FINITE);
	check_refused_str("NaN", NUMBER_NOT_FINITE);
	check_refused_str("-nan", NUMBER_NOT_FINITE);
	check_refused_str("inf", NUMBER_NOT_FINITE);
	check_refused_str("+INF", NUMBER_NOT_FINITE);
	check_refused_str("-Infinity", NUMBER_NOT_FINITE);
	check_refused_str("1e999", NUMBER_NOT_FINITE);
	check_refused_str("-1e999", NUMBER_NOT_FINITE);
	check_refused_str("1e99999999999999999999", NUMBER_NOT_FINITE);
	/* DBL_MAX = 1.797693134862315708e308; halfway to 2^1024 is
	 * 1.797693134862315807e308; ...159e308 is beyond it: infinity */
	check_refused_str("1.7976931348623159e308", NUMBER_NOT_FINITE);
	/* not words strtod would take in part */
	check_refused_str("nan(1)", NUMBER_SYNTAX);
	check_refused_str("infinit", NUMBER_SYNTAX);
	check_refused_str("info", NUMBER_SYNTAX);
	/* a NUL inside the field is not the end of it */
	check_refused("1\0" "2", 3, NUMBER_SYNTAX);
}

static void test_length_bounded(void **state)
{
	(void)state;
	/* not NUL-terminated: only s[0..len) is read */
	const char digits[3] = {'1', '.', '5'};
	double v = 0;
	assert_int_equal(number_parse(digits, sizeof digits, &v), NUMBER_OK);
	assert_same_double(v, 1.5);
	assert_int_equal(number_parse("2.25xyz", 4, &v), NUMBER_OK);
	assert_same_double(v, 2.25);
	/* the slow path too: 25 digits followed by more digits */
	assert_int_equal(number_parse("1234567890123456789012345999", 25, &v),
			 NUMBER_OK);
	assert_same_double(v, 0x1.056e0f36a6444p+80);
	/* "0." then 68 zeros then "1" = 1e-69, 71 bytes: longer than any
	 * small stack copy the slow path might make */
	char long_zeros[80];
	memcpy(long_zeros, "0.", 2);
	memset(long_zeros + 2, '0', 68);
	memcpy(long_zeros + 70, "1", 2);
	assert_int_equal(strlen(long_zeros), 71);
	assert_same_double(parse_ok(long_zeros), 1e-69);
}

/* --- agreement with strtod on random strings ------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int rng_below(int n)
{
	return (int)(rng_next() % (uint64_t)n);
}

/* A random decimal in buf (NUL-terminated); its length.  *fast is 1 when
 * it has at most 15 significant digits (< 2^53) and a decimal exponent
 * in [-22, 22]: the shape Clinger's fast path takes. */
static size_t random_decimal(char *buf, int *fast)
{
	size_t n = 0;
	int r = rng_below(20);
	if (r == 0)
		buf[n++] = '-';
	else if (r == 1)
		buf[n++] = '+';
	if (rng_below(8) == 0)
		for (int k = 1 + rng_below(3); k > 0; k--)
			buf[n++] = '0';
	int kind = rng_below(10);
	int ndigits = kind < 7 ? 1 + rng_below(15)
		      : kind < 9 ? 16 + rng_below(4)
				 : 20 + rng_below(6);
	int point = rng_below(ndigits + 2); /* > ndigits: no point */
	int frac = point <= ndigits ? ndigits - point : 0;
	for (int k = 0; k < ndigits; k++) {
		if (k == point)
			buf[n++] = '.';
		buf[n++] = (char)('0' + (k == 0 ? 1 + rng_below(9)
						: rng_below(10)));
	}
	if (point == ndigits)
		buf[n++] = '.';
	int exp = 0;
	if (rng_below(2)) {
		if (kind < 7 && rng_below(4) != 0)
			exp = frac + rng_below(45) - 22; /* e10 in [-22, 22] */
		else
			exp = rng_below(661) - 340;
		buf[n++] = rng_below(2) ? 'e' : 'E';
		if (exp < 0)
			buf[n++] = '-';
		else if (rng_below(2))
			buf[n++] = '+';
		if (rng_below(10) == 0)
			buf[n++] = '0';
		n += (size_t)sprintf(buf + n, "%d", exp < 0 ? -exp : exp);
	}
	buf[n] = '\0';
	int e10 = exp - frac;
	*fast = ndigits <= 15 && e10 >= -22 && e10 <= 22;
	return n;
}

static void test_random_against_strtod(void **state)
{
	(void)state;
	enum { COUNT = 100000 };
	char buf[96], padded[96];
	long fast = 0, slow = 0, overflow = 0, subnormal = 0;
	assert_non_null(setlocale(LC_ALL, "C"));
	rng_state = UINT64_C(20240122); /* fixed seed */
	for (int i = 0; i < COUNT; i++) {
		int fast_shape;
		size_t len = random_decimal(buf, &fast_shape);
		fast += fast_shape;
		slow += !fast_shape;
		/* the same bytes followed by a digit that must not be read */
		memcpy(padded, buf, len);
		padded[len] = '7';
		padded[len + 1] = '\0';

		char *end;
		errno = 0;
		double want = strtod(buf, &end);
		int range = errno == ERANGE;
		if (*end != '\0') {
			print_error("strtod stopped early on \"%s\"\n", buf);
			fail();
		}
		double got = -12345.0;
		enum number_status st = number_parse(padded, len, &got);
		if (range && isinf(want)) {
			overflow++;
			if (st != NUMBER_NOT_FINITE) {
				print_error("\"%s\": status %d, want "
					    "NUMBER_NOT_FINITE\n", buf, (int)st);
				fail();
			}
			continue;
		}
		if (fpclassify(want) == FP_SUBNORMAL)
			subnormal++;
		if (st != NUMBER_OK || bits(got) != bits(want)) {
			print_error("\"%s\": status %d, got %a, strtod %a\n",
				    buf, (int)st, got, want);
			fail();
		}
	}
	print_message("%d strings: %ld fast-path shaped, %ld others "
		      "(%ld overflow, %ld subnormal)\n", COUNT, fast, slow,
		      overflow, subnormal);
	/* the sample must exercise both paths well */
	assert_true(fast > COUNT / 2);
	assert_true(slow > COUNT / 5);
	assert_true(overflow > 100);
}

/* --- the inline plain-decimal path --------------------------------- */

/* number_parse_plain() takes what it can (digits with one '.', at most
 * 15 digits) bit for bit as strtod() reads it, and declines the rest. */
static void test_plain_path(void **state)
{
	(void)state;
	double v = -1;
	assert_int_equal(number_parse_plain("0.007302", 8, &v), 1);
	assert_same_double(v, 0.007302);
	assert_int_equal(number_parse_plain("5.", 2, &v), 1);
	assert_same_double(v, 5.0);
	assert_int_equal(number_parse_plain(".5", 2, &v), 1);
	assert_same_double(v, 0.5);
	/* 15 digits: taken; 16: declined (10^16 > 2^53), left to the
	 * general parser, which still reads it exactly */
	assert_int_equal(number_parse_plain("0.12345678901234", 16, &v), 1);
	assert_same_double(v, 0.12345678901234);
	assert_int_equal(number_parse_plain("0.123456789012345", 17, &v), 0);
	assert_int_equal(number_parse_plain("1234567890123456", 16, &v), 0);
	/* the 15 digits with the point anywhere, or none */
	assert_int_equal(number_parse_plain("123456789012345", 15, &v), 1);
	assert_same_double(v, 123456789012345.0);
	assert_int_equal(number_parse_plain("123456789012345.", 16, &v), 1);
	assert_same_double(v, 123456789012345.0);
	assert_int_equal(number_parse_plain(".123456789012345", 16, &v), 1);
	assert_same_double(v, 0.123456789012345);
	assert_int_equal(number_parse_plain("1234567890123456.", 17, &v), 0);
	static const char *const declined[] = {
		"",   ".",   "-0.5", "+1",  "1e3", "1.2.3", "0,5", "nan",
		"1 ", "..",  "5..",  "1.a", "a.1", ".5.",   "1.5e", " 1",
	};
	for (size_t i = 0; i < sizeof declined / sizeof *declined; i++) {
		v = 42;
		assert_int_equal(number_parse_plain(declined[i],
						    strlen(declined[i]), &v),
				 0);
		assert_same_double(v, 42.0);
	}
	/* random plain decimals against strtod */
	rng_state = UINT64_C(20261202);
	long taken = 0;
	for (int i = 0; i < 100000; i++) {
		char buf[24];
		int before = (int)(rng_next() % 9);
		int after = (int)(rng_next() % 12);
		size_t len = 0;
		for (int k = 0; k < before; k++)
			buf[len++] = (char)('0' + rng_next() % 10);
		if (after > 0 || before == 0)
			buf[len++] = '.';
		for (int k = 0; k < after; k++)
			buf[len++] = (char)('0' + rng_next() % 10);
		buf[len] = '\0';
		double got = -1, general = -1;
		int digits = before + after;
		int plain = number_parse_plain(buf, len, &got);
		/* taken exactly when it has 1 to 15 digits */
		assert_int_equal(plain, digits >= 1 && digits <= 15);
		if (!plain)
			continue;
		taken++;
		double want = strtod(buf, NULL);
		if (bits(got) != bits(want) ||
		    number_parse(buf, len, &general) != NUMBER_OK ||
		    bits(general) != bits(want)) {
			print_error("\"%s\": plain %a, general %a, strtod %a\n",
				    buf, got, general, want);
			fail();
		}
	}
	assert_true(taken > 70000);
}

/* --- locale independence ------------------------------------------- */

static void test_locale_independent(void **state)
{
	(void)state;
	static const char *const candidates[] = {
		"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8",
		"fr_FR.utf8", "nl_NL.UTF-8", "it_IT.UTF-8", "es_ES.UTF-8",
		"ru_RU.UTF-8", "pt_BR.UTF-8",
	};
	const char *found = NULL;
	for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
		if (setlocale(LC_ALL, candidates[i]) != NULL &&
		    strcmp(localeconv()->decimal_point, ",") == 0) {
			found = candidates[i];
			break;
		}
	}
	if (found == NULL) {
		setlocale(LC_ALL, "C");
		print_message("skipped: no installed locale has ',' as its "
			      "decimal point (see `locale -a`)\n");
		skip();
		return;
	}
	/* in this locale strtod() itself reads "0.5" as 0 */
	double v = -1;
	assert_int_equal(number_parse("0.5", 3, &v), NUMBER_OK);
	assert_same_double(v, 0.5);
	assert_int_equal(number_parse("1.5e-3", 6, &v), NUMBER_OK);
	assert_same_double(v, 0.0015);
	/* slow path: 25 digits */
	assert_int_equal(number_parse("0.1234567890123456789012345", 27, &v),
			 NUMBER_OK);
	assert_same_double(v, 0x1.f9add3746f65fp-4);
	assert_int_equal(number_parse("0,5", 3, &v), NUMBER_SYNTAX);
	char buf[64];
	assert_string_equal(number_format_exact(buf, sizeof buf, 0.5), "0.5");
	assert_string_equal(number_format_shortest(buf, sizeof buf, 0.917),
			    "0.917");
	setlocale(LC_ALL, "C");
}

/* --- whole numbers --------------------------------------------------- */

static void check_int(const char *s, enum number_status want_st,
		      int64_t want)
{
	int64_t v = 77;
	enum number_status st = number_parse_int(s, strlen(s), &v);
	if (st != want_st) {
		print_error("number_parse_int(\"%s\"): status %d, want %d\n",
			    s, (int)st, (int)want_st);
		fail();
	}
	if (st == NUMBER_OK)
		assert_int_equal(v, want);
	else
		assert_int_equal(v, 77); /* left alone */
}

static void test_parse_int(void **state)
{
	(void)state;
	check_int("0", NUMBER_OK, 0);
	check_int("-0", NUMBER_OK, 0);
	check_int("42", NUMBER_OK, 42);
	check_int("+42", NUMBER_OK, 42);
	check_int("-42", NUMBER_OK, -42);
	check_int("007", NUMBER_OK, 7);
	check_int("9223372036854775807", NUMBER_OK, INT64_MAX); /* 2^63-1 */
	check_int("-9223372036854775808", NUMBER_OK, INT64_MIN); /* -2^63 */
	check_int("-9223372036854775807", NUMBER_OK, -INT64_MAX);
	check_int("9223372036854775808", NUMBER_NOT_FINITE, 0);  /* 2^63 */
	check_int("-9223372036854775809", NUMBER_NOT_FINITE, 0);
	/* 2 * 10^19 wraps a 64-bit unsigned accumulator to
	 * 20000000000000000000 - 18446744073709551616 = 1553255926290448384,
	 * which must not be taken for the value */
	check_int("20000000000000000000", NUMBER_NOT_FINITE, 0);
	check_int("18446744073709551617", NUMBER_NOT_FINITE, 0); /* 2^64+1 */
	check_int("99999999999999999999", NUMBER_NOT_FINITE, 0);
	check_int("100000000000000000000000000000", NUMBER_NOT_FINITE, 0);
	check_int("", NUMBER_EMPTY, 0);
	check_int("-", NUMBER_SYNTAX, 0);
	check_int("+", NUMBER_SYNTAX, 0);
	check_int("1.0", NUMBER_SYNTAX, 0);
	check_int("1e3", NUMBER_SYNTAX, 0);
	check_int(" 1", NUMBER_SYNTAX, 0);
	check_int("1 ", NUMBER_SYNTAX, 0);
	check_int("0x10", NUMBER_SYNTAX, 0);
	check_int("--1", NUMBER_SYNTAX, 0);
	int64_t v = 0;
	assert_int_equal(number_parse_int("12345", 3, &v), NUMBER_OK);
	assert_int_equal(v, 123);
}

static void test_status_words(void **state)
{
	(void)state;
	assert_string_equal(number_status_str(NUMBER_OK), "a number");
	assert_string_equal(number_status_str(NUMBER_EMPTY), "an empty field");
	assert_string_equal(number_status_str(NUMBER_SYNTAX), "not a number");
	assert_string_equal(number_status_str(NUMBER_NOT_FINITE),
			    "not a finite number");
}

/* --- formatting ---------------------------------------------------- */

static void test_format_exact(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(number_format_exact(buf, sizeof buf, 0.5), "0.5");
	assert_string_equal(number_format_exact(buf, sizeof buf, 1.0), "1");
	assert_string_equal(number_format_exact(buf, sizeof buf, -2.25),
			    "-2.25");
	/* 0.1 = 0.1000000000000000055511...; 17 digits: 0.10000000000000001 */
	assert_string_equal(number_format_exact(buf, sizeof buf, 0.1),
			    "0.10000000000000001");
	/* 1/3 = 0.333333333333333314829616256247... as a double */
	assert_string_equal(number_format_exact(buf, sizeof buf, 1.0 / 3.0),
			    "0.33333333333333331");
	assert_string_equal(number_format_exact(buf, sizeof buf, 1e300),
			    "1.0000000000000001e+300");
	/* the return value is buf */
	assert_ptr_equal(number_format_exact(buf, sizeof buf, 2.0), buf);
	/* a small buffer is cut and terminated */
	char small[4];
	number_format_exact(small, sizeof small, 0.1);
	assert_string_equal(small, "0.1");
}

static void test_format_shortest(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(number_format_shortest(buf, sizeof buf, 0.917),
			    "0.917");
	/* 0.1 + 0.2 = 0.3000000000000000444: one ulp above 0.3's double */
	assert_string_equal(number_format_shortest(buf, sizeof buf, 0.1 + 0.2),
			    "0.30000000000000004");
	assert_string_equal(number_format_shortest(buf, sizeof buf, 0.3), "0.3");
	assert_string_equal(number_format_shortest(buf, sizeof buf, 1.0), "1");
	assert_string_equal(number_format_shortest(buf, sizeof buf, -0.5),
			    "-0.5");
	assert_string_equal(number_format_shortest(buf, sizeof buf, 0.0), "0");
	assert_string_equal(number_format_shortest(buf, sizeof buf, 1e21),
			    "1e+21");
	/* 4000 / 3640 = 1.0989010989010988...; Python repr 1.098901098901099 */
	assert_string_equal(number_format_shortest(buf, sizeof buf,
						   0x1.1951951951952p+0),
			    "1.098901098901099");
	/* 2^-1074 = 4.94e-324: "5e-324" already reads back as it */
	assert_string_equal(number_format_shortest(buf, sizeof buf, 0x1p-1074),
			    "5e-324");
	assert_string_equal(number_format_shortest(buf, sizeof buf,
						   0x1.fffffffffffffp+1023),
			    "1.7976931348623157e+308");
}

/* Significant digits of a %g-formatted number. */
static int significant_digits(const char *s)
{
	int n = 0, started = 0;
	for (; *s != '\0' && *s != 'e'; s++) {
		if (*s >= '1' && *s <= '9')
			started = 1;
		if (started && *s >= '0' && *s <= '9')
			n++;
	}
	return n;
}

static void test_format_shortest_random(void **state)
{
	(void)state;
	char buf[64], shorter[320];
	assert_non_null(setlocale(LC_ALL, "C"));
	rng_state = UINT64_C(7);
	for (int i = 0; i < 20000; i++) {
		uint64_t u = rng_next();
		double v;
		memcpy(&v, &u, sizeof v);
		if (!isfinite(v))
			continue;
		number_format_shortest(buf, sizeof buf, v);
		/* reads back exactly (checked with strtod, not our parser) */
		assert_same_double(strtod(buf, NULL), v);
		/* and one digit fewer does not */
		int d = significant_digits(buf);
		assert_true(d >= 1 && d <= 17);
		if (d > 1) {
			snprintf(shorter, sizeof shorter, "%.*g", d - 1, v);
			if (bits(strtod(shorter, NULL)) == bits(v)) {
				print_error("%a: \"%s\" is not the shortest, "
					    "\"%s\" reads back too\n", v, buf,
					    shorter);
				fail();
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_signed),
		cmocka_unit_test(test_scientific),
		cmocka_unit_test(test_point_forms_and_leading_zeros),
		cmocka_unit_test(test_long_mantissas),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_length_bounded),
		cmocka_unit_test(test_random_against_strtod),
		cmocka_unit_test(test_plain_path),
		cmocka_unit_test(test_locale_independent),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_shortest),
		cmocka_unit_test(test_format_shortest_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
