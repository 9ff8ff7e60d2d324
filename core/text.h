/*
 * text.h — making untrusted names safe to show on a terminal.
 *
 * Run ids, model names, group names and parameters come from files
 * fairtop does not control.  Before any of them reaches a terminal,
 * text_sanitize() replaces what could move the cursor, change colours,
 * ring the bell or reorder text: C0 and C1 control characters, DEL,
 * Unicode bidi overrides and isolates, and bytes that are not valid
 * UTF-8.  Each becomes one '?'.  Valid printable UTF-8 passes through.
 */
#ifndef FAIRTOP_TEXT_H
#define FAIRTOP_TEXT_H

#include <stddef.h>

/* Write a sanitised copy of src[0..len) into dst (always NUL-terminated,
 * cut at a character boundary when dst is too small).  Returns dst. */
char *text_sanitize(char *dst, size_t size, const char *src, size_t len);

/* Number of bytes of the next valid UTF-8 sequence at s (1..4), or 0
 * when the bytes at s are not valid UTF-8. len is what remains. */
size_t text_utf8_len(const unsigned char *s, size_t len);

/* 1 when every byte of s[0..len) is safe as is (the fast path). */
int text_is_safe(const char *s, size_t len);

/* Word wrapping of (sanitised) text into lines of `width` characters
 * (UTF-8 code points, each one column): the length in bytes of s's
 * first line, cut after the last word that fits (a word longer than
 * the line is cut where the line ends); *next gets where the next line
 * starts, past the spaces at the cut.  At the end of s both are
 * strlen(s).  width 0 is taken as 1. */
size_t text_wrap(const char *s, size_t width, size_t *next);

/* s as a JSON string literal (quotes, backslashes and control
 * characters escaped) into buf; "\"(too long)\"" when it does not fit. */
void text_json_quote(char *buf, size_t size, const char *s);

/* The edit distance (insertions, deletions, substitutions and swaps of
 * two neighbouring bytes) between a and b, counted up to limit: any
 * distance above it is limit + 1.  For "did you mean" hints. */
size_t text_distance(const char *a, const char *b, size_t limit);

#endif
