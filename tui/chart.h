/*
 * chart.h — line charts of per-group rates, in braille or ASCII.
 *
 * chart_scale() maps values to rows and points to columns (pure, and
 * tested); chart_draw() plots one labelled line per series: braille dots
 * (2x4 per cell) where the locale is UTF-8, else the series' own letter
 * in each cell, so that lines read without colour.
 */
#ifndef FAIRTOP_CHART_H
#define FAIRTOP_CHART_H

#include <stddef.h>

struct chart_series {
	const char *label;
	const double *value; /* npoints values, RATE_UNDEFINED for gaps */
};

struct chart_scale {
	double lo, hi;       /* value range shown (lo < hi) */
};

/* A range covering every defined value, padded to a round 0.05 and
 * clamped to [0,1]; [0,1] when nothing is defined. */
struct chart_scale chart_scale_of(const struct chart_series *s, size_t n,
				  size_t npoints);

/* The row (0 = top) of value v in `rows` rows, or -1 when undefined. */
int chart_row(const struct chart_scale *sc, double v, int rows);

/* The column of point i of npoints in `cols` columns. */
int chart_col(size_t i, size_t npoints, int cols);

/* Draw at (y, x), h rows by w columns, with the y axis labels in the
 * first 6 columns and x labels below (h includes them). */
void chart_draw(int y, int x, int h, int w, const struct chart_series *s,
		size_t n, size_t npoints, const char *const *xlabels);

#endif
