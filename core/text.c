/*
 * text.c — sanitising untrusted text for terminals.  See text.h.
 */
#include "core/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t text_utf8_len(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t need;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

/* The code point of a valid sequence of n bytes. */
static uint32_t decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[5] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp = s[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

static int is_unsafe_code_point(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 1;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls, CSI among them */
		return 1;
	if (cp >= 0x202a && cp <= 0x202e) /* bidi embeddings, overrides */
		return 1;
	if (cp >= 0x2066 && cp <= 0x2069) /* bidi isolates */
		return 1;
	if (cp == 0x200e || cp == 0x200f || cp == 0x061c) /* marks */
		return 1;
	return 0;
}

int text_is_safe(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = text_utf8_len(u + i, len - i);
		if (n == 0 || is_unsafe_code_point(decode(u + i, n)))
			return 0;
		i += n;
	}
	return 1;
}

char *text_sanitize(char *dst, size_t size, const char *src, size_t len)
{
	const unsigned char *u = (const unsigned char *)src;
	size_t out = 0;
	if (size == 0)
		return dst;
	for (size_t i = 0; i < len;) {
		size_t n = text_utf8_len(u + i, len - i);
		int bad = n == 0 || is_unsafe_code_point(decode(u + i, n));
		size_t emit = bad ? 1 : n;
		if (out + emit >= size)
			break;
		if (bad)
			dst[out] = '?';
		else
			memcpy(dst + out, src + i, n);
		out += emit;
		i += n == 0 ? 1 : n;
	}
	dst[out] = '\0';
	return dst;
}

size_t text_wrap(const char *s, size_t width, size_t *next)
{
	size_t cols = 0, cut = 0, i = 0;
	if (width == 0)
		width = 1;
	for (; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue; /* inside a character */
		if (cols == width)
			break; /* s[i] starts the first character past the line */
		if (s[i] == ' ' && i > 0)
			cut = i;
		cols++;
	}
	if (s[i] == '\0') {
		*next = i;
		return i;
	}
	/* the line is full: break at the last space, or a space right
	 * after the line, or else in the middle of the word */
	if (s[i] == ' ')
		cut = i;
	else if (cut == 0)
		cut = i;
	size_t at = cut;
	while (s[at] == ' ')
		at++;
	*next = at;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return cut;
}

size_t text_distance(const char *a, const char *b, size_t limit)
{
	size_t n = strlen(a), m = strlen(b);
	if ((n > m ? n - m : m - n) > limit || n > 64 || m > 64)
		return limit + 1;
	/* optimal string alignment, three rows of the table */
	size_t row[3][65];
	for (size_t j = 0; j <= m; j++)
		row[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t *cur = row[i % 3], *prev = row[(i - 1) % 3];
		size_t *prev2 = row[(i + 1) % 3];
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
	}
	size_t d = row[n % 3][m];
	return d > limit ? limit + 1 : d;
}

void text_json_quote(char *buf, size_t size, const char *s)
{
	size_t used = 0;
	int fits = size >= 2;
	if (fits)
		buf[used++] = '"';
	for (const unsigned char *c = (const unsigned char *)s;
	     fits && *c != '\0'; c++) {
		char esc[8];
		size_t n;
		if (*c == '"' || *c == '\\')
			n = (size_t)snprintf(esc, sizeof esc, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			n = (size_t)snprintf(esc, sizeof esc, "\\u%04x", *c);
		else
			esc[0] = (char)*c, n = 1;
		if (used + n + 2 > size) {
			fits = 0;
			break;
		}
		memcpy(buf + used, esc, n);
		used += n;
	}
	if (fits) {
		buf[used++] = '"';
		buf[used] = '\0';
	} else {
		snprintf(buf, size, "\"(too long)\"");
	}
}
