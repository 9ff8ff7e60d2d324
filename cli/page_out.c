/*
 * page_out.c — printing a page.  See page_out.h.
 */
#include "cli/page_out.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* s sanitised into an allocated copy (sanitising never lengthens a
 * text: each unsafe sequence becomes one '?'); NULL when out of
 * memory. */
static char *sanitised(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1);
	if (out != NULL)
		text_sanitize(out, len + 1, s, len);
	return out;
}

static void put(FILE *out, const char *s)
{
	char *safe = sanitised(s);
	fputs(safe ? safe : "(out of memory)", out);
	free(safe);
}

void page_print_text(FILE *out, const struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++) {
		const struct page_line *l = &pg->line[i];
		if (l->heading && i > 0)
			fputc('\n', out);
		if (!l->heading)
			fputs("  ", out);
		put(out, l->text);
		fputc('\n', out);
	}
}

void md_text(FILE *out, const char *s)
{
	char *safe = sanitised(s);
	if (safe == NULL) {
		fputs("(out of memory)", out);
		return;
	}
	for (const char *p = safe; *p; p++) {
		switch (*p) {
		case '<':
			fputs("&lt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '\\': case '`': case '*': case '[': case ']':
		case '|': case '#': case '!':
			fputc('\\', out);
			fputc(*p, out);
			break;
		default:
			fputc(*p, out);
		}
	}
	free(safe);
}

void page_print_md(FILE *out, const struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++) {
		const struct page_line *l = &pg->line[i];
		if (l->heading) {
			fputs(i > 0 ? "\n### " : "### ", out);
			md_text(out, l->text);
			fputs("\n\n", out);
			continue;
		}
		fputs("- ", out);
		md_text(out, l->text);
		fputc('\n', out);
	}
}
