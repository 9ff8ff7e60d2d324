/*
 * page.h — a page of text lines with their role, drawn by any screen.
 *
 * A service builds a page once (the incident's, say); the dashboard
 * wraps and scrolls it, the CLI prints it as text or Markdown, so the
 * two say the same words.  Lines are unsanitised (names come from
 * input): whoever shows them sanitises them (core/text.h).
 */
#ifndef FAIRTOP_PAGE_H
#define FAIRTOP_PAGE_H

#include <stddef.h>

enum page_tone {
	PAGE_PLAIN,
	PAGE_BAD,   /* fails, harms */
	PAGE_WARN,  /* possible, not comparable */
	PAGE_GOOD,  /* passes, the way out */
	PAGE_DIM,   /* an aside: informational, not weighed */
	PAGE_TITLE, /* a body line that names columns (a table's header) */
};

struct page_line {
	int heading;          /* a section's title */
	enum page_tone tone;
	char *text;           /* owned; a body line's text has no indent */
};

struct page {
	struct page_line *line;
	size_t n, cap;
	int failed;           /* an append ran out of memory */
};

#define PAGE_INIT {NULL, 0, 0, 0}

/* Append a heading or a body line (printf-formatted).  0, or -1 when
 * out of memory: the page is marked failed and later appends do
 * nothing, so a sequence may be checked once with page.failed. */
int page_heading(struct page *pg, enum page_tone tone, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int page_line(struct page *pg, enum page_tone tone, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free the lines; pg is left empty (PAGE_INIT). */
void page_release(struct page *pg);

/* Separates the parts of a body line that a narrow screen may put on
 * lines of their own ("version 1.1 -> 1.4 · parent r01 -> r04"). */
#define PAGE_SEP " \xc2\xb7 "

#endif
