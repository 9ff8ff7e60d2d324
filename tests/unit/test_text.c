/*
 * test_text.c — core/text.c: making untrusted names safe for a terminal.
 *
 * Covers text_sanitize() on terminal controls (ESC sequences, BEL,
 * backspace, CR, LF, TAB, DEL), C1 controls written as UTF-8 (U+0085,
 * U+009B), bidi overrides, embeddings, isolates and marks, which all
 * become one '?'; valid multi-byte UTF-8 passing through; invalid bytes
 * (0xff, lone continuation, overlong, surrogate, beyond U+10FFFF,
 * truncated) becoming one '?' per byte; truncation to small buffers
 * that never splits a character and always terminates; and
 * text_utf8_len() / text_is_safe() on the same inputs.
 *
 * Every expected output is written out by hand from the byte values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

/* Sanitise src[0..len) into a roomy buffer and compare. */
static void check_sanitize_len(const char *src, size_t len, const char *want)
{
	char dst[256];
	memset(dst, 'X', sizeof dst);
	assert_ptr_equal(text_sanitize(dst, sizeof dst, src, len), dst);
	assert_string_equal(dst, want);
}

static void check_sanitize(const char *src, const char *want)
{
	check_sanitize_len(src, strlen(src), want);
}

static void test_c0_controls_and_del(void **state)
{
	(void)state;
	/* ESC (0x1b) goes; what follows it is plain text and harmless */
	check_sanitize("\x1b[31mred\x1b[0m", "?[31mred?[0m");
	check_sanitize("\x1b]0;title\x07", "?]0;title?"); /* OSC, ended by BEL */
	check_sanitize("a\x07" "b", "a?b");  /* BEL */
	check_sanitize("ab\bc", "ab?c");     /* backspace */
	check_sanitize("over\rwrite", "over?write"); /* CR */
	check_sanitize("two\nlines", "two?lines");   /* LF */
	check_sanitize("tab\there", "tab?here");
	check_sanitize("del\x7f", "del?");
	check_sanitize("\x01\x1f", "??");
	/* a NUL inside the given length is a control too */
	check_sanitize_len("a\0b", 3, "a?b");
	check_sanitize("plain text 123 !~", "plain text 123 !~");
	check_sanitize("", "");
}

static void test_c1_and_bidi(void **state)
{
	(void)state;
	/* U+0085 NEL = C2 85, U+009B CSI = C2 9B: two bytes, one '?' */
	check_sanitize("a\xc2\x85" "b", "a?b");
	check_sanitize("\xc2\x9b" "31m", "?31m");
	check_sanitize("\xc2\x80\xc2\x9f", "??"); /* U+0080, U+009F */
	/* U+00A0 (C2 A0), just past the C1 range, is printable */
	check_sanitize("\xc2\xa0", "\xc2\xa0");
	/* U+202E RIGHT-TO-LEFT OVERRIDE = E2 80 AE */
	check_sanitize("abc\xe2\x80\xae" "fdp.exe", "abc?fdp.exe");
	/* U+202A..U+202D embeddings and overrides: E2 80 AA..AD */
	check_sanitize("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
		       "????");
	/* U+2066..U+2069 isolates: E2 81 A6..A9 */
	check_sanitize("x\xe2\x81\xa6y\xe2\x81\xa7z\xe2\x81\xa8w\xe2\x81\xa9",
		       "x?y?z?w?");
	/* U+200E, U+200F marks (E2 80 8E, E2 80 8F), U+061C (D8 9C) */
	check_sanitize("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "???");
	/* neighbours that are fine: U+2070 (E2 81 B0) just after the
	 * invisible formatting block U+2060..U+206F, U+202F (E2 80 AF)
	 * just after the overrides, U+2027 (E2 80 A7) just before the line
	 * separators */
	check_sanitize("\xe2\x81\xb0", "\xe2\x81\xb0");
	check_sanitize("\xe2\x80\xaf", "\xe2\x80\xaf"); /* U+202F */
	check_sanitize("\xe2\x80\xa7", "\xe2\x80\xa7"); /* U+2027 */
}

/* Characters that cannot be seen: two ids that look alike must not be
 * two ids that print alike. */
static void test_invisible(void **state)
{
	(void)state;
	/* U+200B ZWSP, U+200C ZWNJ, U+200D ZWJ: E2 80 8B..8D */
	check_sanitize("run\xe2\x80\x8b" "1", "run?1");
	check_sanitize("\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d", "???");
	/* U+2060 WORD JOINER (E2 81 A0), U+2061..U+2064 invisible
	 * operators, U+2065 (reserved in the same block) */
	check_sanitize("a\xe2\x81\xa0" "b", "a?b");
	check_sanitize("\xe2\x81\xa1\xe2\x81\xa4\xe2\x81\xa5", "???");
	/* U+FEFF ZERO WIDTH NO-BREAK SPACE (EF BB BF), first or not */
	check_sanitize("\xef\xbb\xbf" "F", "?F");
	check_sanitize("F\xef\xbb\xbf", "F?");
	/* U+2028, U+2029 line and paragraph separators: E2 80 A8, A9 */
	check_sanitize("\xe2\x80\xa8\xe2\x80\xa9", "??");
	/* U+00AD SOFT HYPHEN (C2 AD), U+034F GRAPHEME JOINER (CD 8F) */
	check_sanitize("a\xc2\xad" "b\xcd\x8f", "a?b?");
	/* Hangul fillers U+3164 (E3 85 A4), U+FFA0 (EF BE A0) */
	check_sanitize("\xe3\x85\xa4\xef\xbe\xa0", "??");
	/* tag characters U+E0000..U+E007F: F3 A0 80 80 .. F3 A0 81 BF,
	 * four bytes, one '?' each; U+E0041 TAG LATIN CAPITAL A */
	check_sanitize("id\xf3\xa0\x81\x81", "id?");
	check_sanitize("\xf3\xa0\x80\x80\xf3\xa0\x81\xbf", "??");
	/* variation selectors supplement U+E0100 (F3 A0 84 80) */
	check_sanitize("\xf3\xa0\x84\x80", "?");
	/* the edges: U+DFFFF (F3 9F BF BF) before the tags, U+E1000
	 * (F3 A1 80 80) after their block, U+200A HAIR SPACE (E2 80 8A)
	 * before the zero widths are shown as they are */
	check_sanitize("\xf3\x9f\xbf\xbf", "\xf3\x9f\xbf\xbf");
	check_sanitize("\xf3\xa1\x80\x80", "\xf3\xa1\x80\x80");
	check_sanitize("\xe2\x80\x8a", "\xe2\x80\x8a");
	assert_int_equal(text_is_safe("\xe2\x80\x8b", 3), 0);
	assert_int_equal(text_is_safe("\xf3\xa0\x81\x81", 4), 0);
}

/* Terminal columns: wide characters two, combining marks none. */
static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_char_width('A'), 1);
	assert_int_equal(text_char_width(0xe9), 1);     /* é */
	assert_int_equal(text_char_width(0x301), 0);    /* combining acute */
	assert_int_equal(text_char_width(0x20dd), 0);   /* enclosing circle */
	assert_int_equal(text_char_width(0x1160), 0);   /* Hangul medial */
	assert_int_equal(text_char_width(0x4e2d), 2);   /* 中 */
	assert_int_equal(text_char_width(0xac00), 2);   /* 가 */
	assert_int_equal(text_char_width(0x3042), 2);   /* あ */
	assert_int_equal(text_char_width(0xff21), 2);   /* fullwidth A */
	assert_int_equal(text_char_width(0xff61), 1);   /* halfwidth 。 */
	assert_int_equal(text_char_width(0x1f600), 2);  /* emoji */
	assert_int_equal(text_char_width(0x20000), 2);  /* plane 2 */
	assert_int_equal(text_char_width(0x2013), 1);   /* en dash */
	assert_int_equal(text_char_width(0x25b2), 1);   /* ▲ */
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("abc"), 3);
	/* 中文 = E4 B8 AD E6 96 87 */
	assert_int_equal(text_width("\xe4\xb8\xad\xe6\x96\x87"), 4);
	/* e + U+0301 (CC 81): one column */
	assert_int_equal(text_width("e\xcc\x81"), 1);
	assert_int_equal(text_width("F\xe4\xb8\xad" "e\xcc\x81"), 4);
	/* an invalid byte counts as the '?' it becomes */
	assert_int_equal(text_width("a\xff"), 2);

	size_t used;
	/* 中文x into 3 columns: only 中 fits (文 would make 4) */
	assert_int_equal(text_fit("\xe4\xb8\xad\xe6\x96\x87x", 3, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(text_fit("\xe4\xb8\xad\xe6\x96\x87x", 4, &used), 6);
	assert_int_equal(used, 4);
	/* a combining mark stays with its character */
	assert_int_equal(text_fit("e\xcc\x81" "f", 1, &used), 3);
	assert_int_equal(used, 1);
	assert_int_equal(text_fit("abc", 0, NULL), 0);
	assert_int_equal(text_fit("abc", 10, &used), 3);
	assert_int_equal(used, 3);
}

static void test_valid_utf8_passes(void **state)
{
	(void)state;
	check_sanitize("caf\xc3\xa9", "caf\xc3\xa9");             /* é */
	check_sanitize("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac");
	check_sanitize("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");   /* U+1F600 */
	check_sanitize("sex=F & age=18\xe2\x80\x93" "25",         /* en dash */
		       "sex=F & age=18\xe2\x80\x93" "25");
	/* the edges of the ranges: U+D7FF, U+E000, U+FFFD, U+10FFFF */
	check_sanitize("\xed\x9f\xbf", "\xed\x9f\xbf");
	check_sanitize("\xee\x80\x80", "\xee\x80\x80");
	check_sanitize("\xef\xbf\xbd", "\xef\xbf\xbd");
	check_sanitize("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
	check_sanitize("\xdf\xbf", "\xdf\xbf"); /* U+07FF */
	check_sanitize("\xe0\xa0\x80", "\xe0\xa0\x80"); /* U+0800 */
	check_sanitize("\xf0\x90\x80\x80", "\xf0\x90\x80\x80"); /* U+10000 */
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	check_sanitize("a\xff" "b", "a?b");
	check_sanitize("\xfe", "?");
	check_sanitize("\x80", "?");               /* lone continuation */
	check_sanitize("a\xbf\xbf" "b", "a??b");   /* two of them */
	check_sanitize("\xc0\xaf", "??");          /* overlong '/' */
	check_sanitize("\xc1\xbf", "??");          /* overlong U+007F */
	check_sanitize("\xe0\x80\xaf", "???");     /* overlong, 3 bytes */
	check_sanitize("\xf0\x80\x80\xaf", "????");/* overlong, 4 bytes */
	check_sanitize("\xed\xa0\x80", "???");     /* surrogate U+D800 */
	check_sanitize("\xed\xbf\xbf", "???");     /* surrogate U+DFFF */
	check_sanitize("\xf4\x90\x80\x80", "????");/* U+110000 */
	check_sanitize("\xf5\x80\x80\x80", "????");/* F5 never leads */
	/* truncated at the end: E6 97 is two bytes of the three of 日 */
	check_sanitize("ab\xe6\x97", "ab??");
	check_sanitize("\xf0\x9f\x98", "???");
	check_sanitize("\xc3", "?");
	/* a lead byte followed by a non-continuation: only the lead goes */
	check_sanitize("\xc3" "A", "?A");
	check_sanitize("\xe6\x97" "A", "??A");
	check_sanitize("\xe6\x97\xe6\x97\xa5", "??\xe6\x97\xa5");
}

/* A sanitised string cut to every buffer size: pieces[] is the full
 * output as characters; the result for size s must be the longest run
 * of whole pieces that fits in s - 1 bytes. */
static void check_truncation(const char *src, const char *const *pieces,
			     size_t npieces)
{
	char dst[64];
	for (size_t size = 1; size <= 40; size++) {
		char want[64] = "";
		size_t used = 0;
		for (size_t k = 0; k < npieces; k++) {
			size_t n = strlen(pieces[k]);
			if (used + n > size - 1)
				break;
			memcpy(want + used, pieces[k], n);
			used += n;
			want[used] = '\0';
		}
		memset(dst, 'X', sizeof dst);
		text_sanitize(dst, size, src, strlen(src));
		assert_string_equal(dst, want);
		/* nothing written past the buffer */
		for (size_t k = size; k < sizeof dst; k++)
			assert_int_equal(dst[k], 'X');
	}
}

static void test_truncation(void **state)
{
	(void)state;
	/* "日本" into 4 bytes: 日 (3) and the NUL; into 3: nothing */
	char dst[16];
	text_sanitize(dst, 4, "\xe6\x97\xa5\xe6\x9c\xac", 6);
	assert_string_equal(dst, "\xe6\x97\xa5");
	text_sanitize(dst, 3, "\xe6\x97\xa5\xe6\x9c\xac", 6);
	assert_string_equal(dst, "");
	text_sanitize(dst, 6, "\xe6\x97\xa5\xe6\x9c\xac", 6);
	assert_string_equal(dst, "\xe6\x97\xa5");
	text_sanitize(dst, 7, "\xe6\x97\xa5\xe6\x9c\xac", 6);
	assert_string_equal(dst, "\xe6\x97\xa5\xe6\x9c\xac");
	/* the emoji needs 5 bytes with its NUL */
	text_sanitize(dst, 4, "\xf0\x9f\x98\x80", 4);
	assert_string_equal(dst, "");
	text_sanitize(dst, 5, "\xf0\x9f\x98\x80", 4);
	assert_string_equal(dst, "\xf0\x9f\x98\x80");
	/* size 1: just the NUL */
	text_sanitize(dst, 1, "abc", 3);
	assert_string_equal(dst, "");
	/* size 0: nothing is written at all */
	dst[0] = 'Z';
	assert_ptr_equal(text_sanitize(dst, 0, "abc", 3), dst);
	assert_int_equal(dst[0], 'Z');

	/* every size, over a mix of 1-, 2-, 3- and 4-byte characters and
	 * replaced ones: "a" "é" "?"(ESC) "日" "?"(U+202E) "😀" "?"(FF)
	 * "本" "z" */
	static const char *const pieces[] = {
		"a", "\xc3\xa9", "?", "\xe6\x97\xa5", "?", "\xf0\x9f\x98\x80",
		"?", "\xe6\x9c\xac", "z",
	};
	check_truncation("a\xc3\xa9\x1b\xe6\x97\xa5\xe2\x80\xae"
			 "\xf0\x9f\x98\x80\xff\xe6\x9c\xac" "z",
			 pieces, sizeof pieces / sizeof *pieces);
	static const char *const plain[] = {"a", "b", "c", "d", "e"};
	check_truncation("abcde", plain, 5);
}

static void test_utf8_len(void **state)
{
	(void)state;
#define LEN(bytes) text_utf8_len((const unsigned char *)(bytes), \
				 sizeof(bytes) - 1)
	assert_int_equal(LEN("a"), 1);
	assert_int_equal(LEN("\x7f"), 1);          /* ASCII, if unsafe */
	assert_int_equal(LEN("\xc3\xa9"), 2);      /* é */
	assert_int_equal(LEN("\xc2\x85"), 2);      /* valid, if unsafe */
	assert_int_equal(LEN("\xe6\x97\xa5"), 3);  /* 日 */
	assert_int_equal(LEN("\xf0\x9f\x98\x80"), 4);
	assert_int_equal(LEN("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
	assert_int_equal(LEN("\xed\x9f\xbf"), 3);  /* U+D7FF */
	assert_int_equal(LEN("\xee\x80\x80"), 3);  /* U+E000 */
	assert_int_equal(LEN("\xff"), 0);
	assert_int_equal(LEN("\x80"), 0);
	assert_int_equal(LEN("\xc0\xaf"), 0);
	assert_int_equal(LEN("\xc1\xbf"), 0);
	assert_int_equal(LEN("\xe0\x80\xaf"), 0);
	assert_int_equal(LEN("\xe0\x9f\xbf"), 0);  /* overlong U+07FF */
	assert_int_equal(LEN("\xf0\x8f\xbf\xbf"), 0); /* overlong U+FFFF */
	assert_int_equal(LEN("\xed\xa0\x80"), 0);
	assert_int_equal(LEN("\xf4\x90\x80\x80"), 0);
	assert_int_equal(LEN("\xc3" "A"), 0);
	assert_int_equal(LEN("\xe6\x97"), 0);      /* truncated */
	/* a valid sequence whose length runs past what remains */
	assert_int_equal(text_utf8_len((const unsigned char *)"\xc3\xa9", 1), 0);
	assert_int_equal(text_utf8_len((const unsigned char *)"\xe6\x97\xa5",
				       2), 0);
	/* only the next character is measured */
	assert_int_equal(LEN("\xc3\xa9" "abc"), 2);
#undef LEN
}

static void test_is_safe(void **state)
{
	(void)state;
#define SAFE(bytes) text_is_safe((bytes), sizeof(bytes) - 1)
	assert_int_equal(SAFE(""), 1);
	assert_int_equal(SAFE("run-2026-01-22 v1.3"), 1);
	assert_int_equal(SAFE("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac "
			      "\xf0\x9f\x98\x80"), 1);
	assert_int_equal(SAFE("\x1b[31m"), 0);
	assert_int_equal(SAFE("a\x07"), 0);
	assert_int_equal(SAFE("a\tb"), 0);
	assert_int_equal(SAFE("a\x7f"), 0);
	assert_int_equal(SAFE("\xc2\x85"), 0);
	assert_int_equal(SAFE("\xc2\x9b"), 0);
	assert_int_equal(SAFE("\xe2\x80\xae"), 0);
	assert_int_equal(SAFE("\xe2\x81\xa6"), 0);
	assert_int_equal(SAFE("\xe2\x81\xa9"), 0);
	assert_int_equal(SAFE("\xff"), 0);
	assert_int_equal(SAFE("\xc0\xaf"), 0);
	assert_int_equal(SAFE("\xed\xa0\x80"), 0);
	assert_int_equal(SAFE("ok\xe6\x97"), 0);
	assert_int_equal(SAFE("a\0b"), 0);
	/* only s[0..len) is looked at */
	assert_int_equal(text_is_safe("ab\x1b", 2), 1);
#undef SAFE
}

/* Wrap s at width; the lines joined by '|'. */
static const char *wrapped(const char *s, size_t width)
{
	static char out[512];
	size_t used = 0;
	while (*s != '\0') {
		size_t next;
		size_t n = text_wrap(s, width, &next);
		assert_true(next > 0); /* always moves on */
		used += (size_t)snprintf(out + used, sizeof out - used, "%s%.*s",
					 used ? "|" : "", (int)n, s);
		s += next;
	}
	out[used] = '\0';
	return out;
}

static void test_wrap(void **state)
{
	(void)state;
	size_t next;
	assert_int_equal(text_wrap("", 10, &next), 0);
	assert_int_equal(next, 0);
	assert_string_equal(wrapped("short", 10), "short");
	assert_string_equal(wrapped("exactly10c", 10), "exactly10c");
	assert_string_equal(wrapped("the quick brown fox", 10),
			    "the quick|brown fox");
	/* a space right after a full line, spaces at the cut skipped */
	assert_string_equal(wrapped("abcde fghij   klm", 5), "abcde|fghij|klm");
	/* a word longer than the line is cut where the line ends */
	assert_string_equal(wrapped("abcdefghijkl mn", 5), "abcde|fghij|kl mn");
	/* UTF-8: columns are characters, never a cut inside one */
	assert_string_equal(wrapped("\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9", 4),
			    "\xc3\xa9\xc3\xa9\xc3\xa9|\xc3\xa9\xc3\xa9");
	assert_string_equal(wrapped("\xe2\x96\xb2\xe2\x96\xb2\xe2\x96\xb2", 2),
			    "\xe2\x96\xb2\xe2\x96\xb2|\xe2\x96\xb2");
	/* wide characters take two columns, marks none */
	assert_string_equal(wrapped("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 4),
			    "\xe4\xb8\xad\xe6\x96\x87|\xe5\xad\x97");
	assert_string_equal(wrapped("e\xcc\x81" "e\xcc\x81" "e", 2),
			    "e\xcc\x81" "e\xcc\x81|e");
	/* a wide character alone on a line of one column still moves on */
	assert_string_equal(wrapped("\xe4\xb8\xad\xe6\x96\x87", 1),
			    "\xe4\xb8\xad|\xe6\x96\x87");
	/* width 0 behaves as 1 and still ends */
	assert_string_equal(wrapped("ab", 0), "a|b");
	/* a leading space is kept, not taken for a break */
	assert_string_equal(wrapped(" ab cd", 3), " ab|cd");
}

/* Distances worked out by hand: one edit of each kind, two edits, and
 * the cap. */
static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(text_distance("rollback", "rollback", 2), 0);
	assert_int_equal(text_distance("rollbak", "rollback", 2), 1);  /* insert */
	assert_int_equal(text_distance("rolback", "rollback", 2), 1);  /* insert */
	assert_int_equal(text_distance("rollbackk", "rollback", 2), 1); /* delete */
	assert_int_equal(text_distance("rollbeck", "rollback", 2), 1); /* substitute */
	assert_int_equal(text_distance("rlolback", "rollback", 2), 1); /* swap */
	assert_int_equal(text_distance("gaet", "gate", 2), 1);
	assert_int_equal(text_distance("rnus", "runs", 2), 1);
	assert_int_equal(text_distance("shwo", "show", 2), 1);
	assert_int_equal(text_distance("depoy", "deploy", 2), 1);
	assert_int_equal(text_distance("ack", "alerts", 2), 3);        /* capped */
	assert_int_equal(text_distance("", "ack", 5), 3);
	assert_int_equal(text_distance("xyz", "", 1), 2);              /* capped */
	assert_int_equal(text_distance("compre", "compare", 2), 1);
	assert_int_equal(text_distance("reprot", "report", 2), 1);
	assert_int_equal(text_distance("ingset", "ingest", 2), 1);
	assert_int_equal(text_distance("ab", "ba", 2), 1);
	assert_int_equal(text_distance("abc", "cba", 3), 2);
}

static void test_json_quote(void **state)
{
	(void)state;
	char buf[64];
	text_json_quote(buf, sizeof buf, "r05");
	assert_string_equal(buf, "\"r05\"");
	text_json_quote(buf, sizeof buf, "a\"b\\c\n\x01");
	assert_string_equal(buf, "\"a\\\"b\\\\c\\u000a\\u0001\"");
	text_json_quote(buf, 6, "r0123456");
	assert_string_equal(buf, "\"(too");  /* cut to fit: still a C string */
	char big[16];
	text_json_quote(big, sizeof big, "0123456789abcdef");
	assert_string_equal(big, "\"(too long)\"");
}

/* A copy that does not fit is cut before a whole character and says
 * so with "..."; one that fits is whole. */
static void test_copy_cut(void **state)
{
	(void)state;
	char buf[8];
	assert_int_equal(text_copy_cut(buf, sizeof buf, "abcdefg"), 0);
	assert_string_equal(buf, "abcdefg");
	assert_int_equal(text_copy_cut(buf, sizeof buf, ""), 0);
	assert_string_equal(buf, "");
	assert_int_equal(text_copy_cut(buf, sizeof buf, "abcdefgh"), 1);
	assert_string_equal(buf, "abcd...");
	/* "ab" then e-acute (2 bytes) then the euro sign (3 bytes):
	 * the cut at 4 bytes falls inside the euro sign */
	assert_int_equal(text_copy_cut(buf, sizeof buf,
				       "ab\xc3\xa9\xe2\x82\xac!"), 1);
	assert_string_equal(buf, "ab\xc3\xa9...");
	/* inside the e-acute: back to before it */
	assert_int_equal(text_copy_cut(buf, sizeof buf,
				       "abc\xc3\xa9\xe2\x82\xac"), 1);
	assert_string_equal(buf, "abc...");
	/* 4-byte characters: the one that fits whole is kept ... */
	assert_int_equal(text_copy_cut(buf, sizeof buf,
				       "\xf0\x9f\x98\x80\xf0\x9f\x98\x80"),
			 1);
	assert_string_equal(buf, "\xf0\x9f\x98\x80...");
	/* ... and one cut after its first byte is not */
	assert_int_equal(text_copy_cut(buf, sizeof buf,
				       "a\xf0\x9f\x98\x80\xf0\x9f\x98\x80"),
			 1);
	assert_string_equal(buf, "a...");
	/* the smallest size allowed */
	char small[4];
	assert_int_equal(text_copy_cut(small, sizeof small, "abc"), 0);
	assert_string_equal(small, "abc");
	assert_int_equal(text_copy_cut(small, sizeof small, "abcd"), 1);
	assert_string_equal(small, "...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c0_controls_and_del),
		cmocka_unit_test(test_c1_and_bidi),
		cmocka_unit_test(test_invisible),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_valid_utf8_passes),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_is_safe),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_json_quote),
		cmocka_unit_test(test_copy_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
