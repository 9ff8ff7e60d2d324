/*
 * fail.c — filling a struct fail with one line the user can act on.
 */
#include "core/fail.h"
#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fail_init(struct fail *f)
{
	f->kind = FAIL_NONE;
	f->msg[0] = '\0';
}

static int vset(struct fail *f, enum fail_kind kind, const char *prefix,
		const char *fmt, va_list ap)
{
	if (f == NULL || f->kind != FAIL_NONE)
		return -1;
	f->kind = kind;
	size_t used = 0;
	if (prefix != NULL) {
		int n = snprintf(f->msg, sizeof f->msg, "%s", prefix);
		used = n < 0 ? 0 : (size_t)n;
		if (used >= sizeof f->msg)
			used = sizeof f->msg - 1;
	}
	vsnprintf(f->msg + used, sizeof f->msg - used, fmt, ap);
	return -1;
}

int fail_set(struct fail *f, enum fail_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(f, kind, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int fail_at(struct fail *f, const char *file, long line, const char *fmt, ...)
{
	char prefix[512], name[400];
	/* a path may come from a folder listing: shown, never obeyed */
	text_sanitize(name, sizeof name, file, strlen(file));
	if (line > 0)
		snprintf(prefix, sizeof prefix, "%s:%ld: ", name, line);
	else
		snprintf(prefix, sizeof prefix, "%s: ", name);
	va_list ap;
	va_start(ap, fmt);
	vset(f, FAIL_DATA, prefix, fmt, ap);
	va_end(ap);
	return -1;
}

const char *fail_quote(char *buf, size_t size, const char *s, size_t len)
{
	const size_t max_bytes = 48;
	if (len > max_bytes) {
		/* cut at a character boundary, then mark the cut */
		size_t cut = max_bytes;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		text_sanitize(buf, size, s, cut);
		size_t used = strlen(buf);
		if (used + 4 <= size)
			memcpy(buf + used, "\xe2\x80\xa6", 4); /* …\0 */
		return buf;
	}
	return text_sanitize(buf, size, s, len);
}
