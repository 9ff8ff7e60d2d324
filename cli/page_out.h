/*
 * page_out.h — printing a page (core/page.h) as text or Markdown.
 *
 * Text: headings as they are, body lines indented two spaces, each
 * sanitised (core/text.h).  Markdown: headings as "### ", body lines as
 * list items, sanitised and with the characters that start HTML, an
 * entity, a link, code or emphasis escaped (< & [ ] ` * \ | # !), so a
 * name from the input can inject neither HTML nor a link into a chat
 * or a post-mortem document.  '_' inside a word is no emphasis in
 * CommonMark and '>' mid-line no quote: both stay as they are, so
 * names like beta_factor read (and grep) as written.
 */
#ifndef FAIRTOP_PAGE_OUT_H
#define FAIRTOP_PAGE_OUT_H

#include <stdio.h>

#include "core/page.h"

void page_print_text(FILE *out, const struct page *pg);
void page_print_md(FILE *out, const struct page *pg);

/* s sanitised and escaped for Markdown text, to out. */
void md_text(FILE *out, const char *s);

#endif
