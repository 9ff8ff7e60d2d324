/*
 * pageview.h — a page (core/page.h) on the screen, wrapped and
 * scrolled, never cut.
 *
 * Every line is wrapped at the width: a line's parts ("version 1.1 ->
 * 1.4 · parent r01 -> r04", separated by PAGE_SEP) move to the next row
 * whole when they fit there, longer ones break between words.  A
 * heading starts at column 0 and a body line at 2; the rows after a
 * line's first are indented two more.  An empty line is an empty row.
 * The page's tone gives each row its role.  Used by the Incident and
 * Compare views; lines are sanitised as they are drawn.
 */
#ifndef FAIRTOP_PAGEVIEW_H
#define FAIRTOP_PAGEVIEW_H

#include <stddef.h>

#include "core/page.h"

/* Rows pg takes at width columns. */
size_t pageview_rows(const struct page *pg, int width);

/* Draw pg's rows first.. into height screen rows from row top, width
 * columns from column 0. */
void pageview_draw(const struct page *pg, int top, int height, size_t first,
		   int width);

/* Keep *scroll within a page of rows shown height rows at a time: 0
 * when it all fits, else at most rows - height. */
void pageview_clamp(size_t *scroll, size_t rows, int height);

#endif
