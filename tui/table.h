/*
 * table.h — a table that fits the terminal's width.
 *
 * Each column has a minimum width, a priority and an alignment.
 * table_layout() decides which columns show (dropping the lowest
 * priorities first when the terminal is narrow) and how wide each is
 * (the `grow` columns share what is left, up to their content's
 * width).  Pure, and tested.
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

/* The same, a growing column growing no wider than want[i] (the width
 * of its content; want NULL: no limit): the spare width goes to the
 * growing columns that need it, and what none needs is left at the
 * right. */
int table_layout_fit(const struct column *cols, int n, int w,
		     const int *want, int *shown, int *width);

/* How many rows table_draw() reads to size the growing columns. */
#define TABLE_MEASURE 2000

/* Draw a header row, then rows via a callback giving each cell's text
 * and role.  sel is the selected row (or -1); rows from `first` fill
 * `height` lines below the header. */
typedef void (*table_cell_fn)(void *ctx, size_t row, int col, char *buf,
			      size_t size, enum role *role);

void table_draw(int y, int x, int w, int height, const struct column *cols,
		int ncols, size_t nrows, size_t first, long sel,
		table_cell_fn cell, void *ctx);

#endif
