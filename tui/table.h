/*
 * table.h — a table that fits the terminal's width.
 *
 * Each column has a minimum width, a priority and an alignment.
 * table_layout() decides which columns show (dropping the lowest
 * priorities first when the terminal is narrow) and how wide each is
 * (the first `grow` column takes what is left).  Pure, and tested.
 */
#ifndef FAIRTOP_TABLE_H
#define FAIRTOP_TABLE_H

#include <stddef.h>

#include "tui/screen.h"

struct column {
	const char *title;
	int width;    /* minimum */
	int priority; /* 0 always shown; higher numbers drop first */
	int right;    /* right-aligned */
	int grow;     /* shares the spare width with the other growing
		       * columns */
};

/* Fill shown[i] (1/0) and width[i] for total width w with one space
 * between columns.  Returns the number of columns shown. */
int table_layout(const struct column *cols, int n, int w, int *shown,
		 int *width);

/* Draw a header row, then rows via a callback giving each cell's text
 * and role.  sel is the selected row (or -1); rows from `first` fill
 * `height` lines below the header. */
typedef void (*table_cell_fn)(void *ctx, size_t row, int col, char *buf,
			      size_t size, enum role *role);

void table_draw(int y, int x, int w, int height, const struct column *cols,
		int ncols, size_t nrows, size_t first, long sel,
		table_cell_fn cell, void *ctx);

#endif
