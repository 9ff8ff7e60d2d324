/*
 * text.h — making untrusted names safe to show on a terminal.
 *
 * Run ids, model names, group names and parameters come from files
 * fairtop does not control.  Before any of them reaches a terminal,
 * text_sanitize() replaces what could move the cursor, change colours,
 * ring the bell or reorder text, and what cannot be seen: C0 and C1
 * control characters, DEL, Unicode bidi marks, overrides and isolates,
 * zero-width characters (U+200B..U+200D, U+2060, U+FEFF and their
 * like), tag characters (U+E0000..U+E007F) and bytes that are not valid
 * UTF-8.  Each becomes one '?', so two names that look alike are alike.
 * Valid printable UTF-8 passes through.
 *
 * Text is laid out by terminal columns, not bytes nor code points:
 * East Asian wide and fullwidth characters take two, combining marks
 * none (text_char_width), the same in any locale.
 */
#ifndef FAIRTOP_TEXT_H
#define FAIRTOP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Write a sanitised copy of src[0..len) into dst (always NUL-terminated,
 * cut at a character boundary when dst is too small).  Returns dst. */
char *text_sanitize(char *dst, size_t size, const char *src, size_t len);
/* The same into a new string, whole (sanitising never lengthens); NULL
 * src gives "".  The caller frees it; NULL when out of memory. */
char *text_sanitize_new(const char *src);

/* Copy src into dst of `size` bytes (at least 4), whole when it fits;
 * when it does not, cut before the character that would not fit (never
 * inside a UTF-8 sequence) and end with "...", so a cut copy says so.
 * Returns 1 when src was cut, 0 when copied whole. */
int text_copy_cut(char *dst, size_t size, const char *src);

/* Number of bytes of the next valid UTF-8 sequence at s (1..4), or 0
 * when the bytes at s are not valid UTF-8. len is what remains. */
size_t text_utf8_len(const unsigned char *s, size_t len);

/* 1 when every byte of s[0..len) is safe as is (the fast path). */
int text_is_safe(const char *s, size_t len);

/* Terminal columns of code point cp as shown: 0 for a combining mark,
 * 2 for an East Asian wide or fullwidth character, else 1. */
int text_char_width(uint32_t cp);

/* Terminal columns of sanitised UTF-8 s (an invalid byte counts one,
 * as the '?' it becomes). */
size_t text_width(const char *s);

/* The length in bytes of the longest start of sanitised s that takes
 * at most cols columns (combining marks stay with their character);
 * *used (when not NULL) gets the columns it takes. */
size_t text_fit(const char *s, size_t cols, size_t *used);

/* Word wrapping of (sanitised) text into lines of `width` terminal
 * columns (text_char_width): the length in bytes of s's
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
