/*
 * strbuf.h — a growable string, after git's strbuf.
 *
 * For text whose length is not known in advance (a name built from
 * parts, a message with names in it): no fixed buffer to cut it.
 *
 *	struct strbuf sb = STRBUF_INIT;
 *	strbuf_addstr(&sb, feature);
 *	strbuf_addf(&sb, "=%s", value);
 *	if (strbuf_failed(&sb))
 *		... out of memory
 *	use(sb.buf);                     (NUL-terminated, sb.len bytes)
 *	strbuf_release(&sb);
 *
 * sb.buf is never NULL: an unused strbuf points at a shared empty
 * string (do not write into it).  An append that runs out of memory
 * leaves the text as it was, returns -1 and marks the buffer failed;
 * from then on appends do nothing and return -1, so a sequence of them
 * may be checked once, at the end, with strbuf_failed().  Lengths are
 * checked: a text that would pass PTRDIFF_MAX bytes fails the same way.
 */
#ifndef FAIRTOP_STRBUF_H
#define FAIRTOP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;    /* NUL-terminated, len bytes before the NUL */
	size_t len;
	size_t alloc; /* bytes allocated; 0: buf is the shared "" */
	int failed;   /* an append ran out of memory */
};

extern char strbuf_empty_[1];
#define STRBUF_INIT {strbuf_empty_, 0, 0, 0}

/* An empty strbuf.  strbuf_release() frees its text and leaves it empty
 * (and no longer failed), ready for use again. */
void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

/* The text, handed over: the caller frees it; sb is left empty.  NULL
 * when the buffer failed or (for an empty text) out of memory; sb is
 * then released. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Make room for extra more bytes (and the NUL) without reallocating on
 * the way.  0 or -1 as an append. */
int strbuf_grow(struct strbuf *sb, size_t extra);

/* Append bytes, a string, a byte, or printf-formatted text: 0, or -1
 * when out of memory or already failed (the text as it was). */
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Keep the first len bytes (len <= sb->len); the memory is kept. */
/* A new heap string: printf of fmt, whole; NULL when out of memory.
 * The caller frees it. */
char *strbuf_dupf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

void strbuf_setlen(struct strbuf *sb, size_t len);
static inline void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

static inline int strbuf_failed(const struct strbuf *sb)
{
	return sb->failed;
}

#endif
