/*
 * page.c — a page of text lines.  See page.h.
 */
#include "core/page.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/strbuf.h"

static int add(struct page *pg, int heading, enum page_tone tone,
	       const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	if (pg->failed)
		return -1;
	if (strbuf_vaddf(&sb, fmt, ap) != 0 ||
	    ARRAY_GROW(pg->line, pg->n + 1, pg->cap) != 0) {
		strbuf_release(&sb);
		pg->failed = 1;
		return -1;
	}
	char *text = strbuf_detach(&sb, NULL);
	if (text == NULL) {
		pg->failed = 1;
		return -1;
	}
	pg->line[pg->n].heading = heading;
	pg->line[pg->n].tone = tone;
	pg->line[pg->n].text = text;
	pg->n++;
	return 0;
}

int page_heading(struct page *pg, enum page_tone tone, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = add(pg, 1, tone, fmt, ap);
	va_end(ap);
	return rc;
}

int page_line(struct page *pg, enum page_tone tone, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = add(pg, 0, tone, fmt, ap);
	va_end(ap);
	return rc;
}

void page_release(struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		free(pg->line[i].text);
	free(pg->line);
	memset(pg, 0, sizeof *pg);
}
