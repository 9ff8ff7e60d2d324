/*
 * chart.c — braille and ASCII line charts.  See chart.h.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/chart.h"

#include <assert.h>
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/confusion.h"
#include "tui/screen.h"

struct chart_scale chart_scale_of(const struct chart_series *s, size_t n,
				  size_t npoints)
{
	struct chart_scale sc = {0, 1};
	int any = 0;
	double lo = 1, hi = 0;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < npoints; i++) {
			double v = s[k].value[i];
			if (!rate_defined(v))
				continue;
			any = 1;
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
	if (!any)
		return sc;
	/* 0.30 / 0.05 is 5.999...: a little slack keeps 0.30 on its step */
	sc.lo = floor(lo / 0.05 + 1e-9) * 0.05;
	sc.hi = ceil(hi / 0.05 - 1e-9) * 0.05;
	if (sc.hi - sc.lo < 0.05)
		sc.hi = sc.lo + 0.05;
	if (sc.lo < 0)
		sc.lo = 0;
	if (sc.hi > 1)
		sc.hi = 1;
	if (sc.hi <= sc.lo)
		sc.lo = sc.hi - 0.05;
	assert(sc.hi > sc.lo); /* chart_row() divides by the span */
	return sc;
}

int chart_row(const struct chart_scale *sc, double v, int rows)
{
	if (!rate_defined(v) || rows <= 0)
		return -1;
	double t = (v - sc->lo) / (sc->hi - sc->lo);
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	int r = (int)((1 - t) * (rows - 1) + 0.5);
	return r;
}

int chart_col(size_t i, size_t npoints, int cols)
{
	if (npoints <= 1 || cols <= 1)
		return 0;
	return (int)((double)i * (cols - 1) / (double)(npoints - 1) + 0.5);
}

static const enum role series_role[] = {ROLE_GOOD, ROLE_BAD, ROLE_WARN,
					ROLE_TITLE, ROLE_DIM, ROLE_NORMAL};

/* Braille: a cell is 2 dots wide, 4 high; bit of dot (dx, dy). */
static unsigned braille_bit(int dx, int dy)
{
	static const unsigned bits[4][2] = {
		{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
	return bits[dy][dx];
}

static void put_braille(int y, int x, unsigned bits, enum role r)
{
	/* one wide character: no UTF-8 for curses to decode */
	wchar_t wc[2] = {(wchar_t)(0x2800 + bits), 0};
	cchar_t cell;
	setcchar(&cell, wc, A_NORMAL, 0, NULL);
	attrset(screen_attr(r));
	mvadd_wch(y, x, &cell);
	attrset(A_NORMAL);
}

/* Set the dot (or, in ASCII, the cell) at sub-cell (cc, rr). */
static void plot(unsigned *cells, int rows, int cols, int unicode, int cc,
		 int rr)
{
	int cell_c = unicode ? cc / 2 : cc;
	int cell_r = unicode ? rr / 4 : rr;
	if (cell_c >= cols || cell_r >= rows)
		return;
	cells[(size_t)cell_r * (size_t)cols + (size_t)cell_c] |=
		unicode ? braille_bit(cc % 2, rr % 4) : 1;
}

/* Set the dots of sub-column cc from sub-row lo to hi, as plot() would
 * one by one. */
static void plot_column(unsigned *cells, int rows, int cols, int unicode,
			int cc, int lo, int hi)
{
	int cell_c = unicode ? cc / 2 : cc;
	int sub_rows = unicode ? rows * 4 : rows;
	if (cell_c >= cols)
		return;
	if (hi >= sub_rows)
		hi = sub_rows - 1;
	for (int rr = lo; rr <= hi;) {
		int cell_r = unicode ? rr / 4 : rr;
		int end = unicode ? cell_r * 4 + 3 : rr;
		unsigned bits = 0;
		if (end > hi)
			end = hi;
		for (int r = rr; r <= end; r++)
			bits |= unicode ? braille_bit(cc % 2, r % 4) : 1;
		cells[(size_t)cell_r * (size_t)cols + (size_t)cell_c] |= bits;
		rr = end + 1;
	}
}

/* A straight segment: the points from + (to - from) * t / steps (C
 * division) for t = 0..steps, steps the longer side, with each quotient
 * carried from the one before instead of divided again. */
static void segment(unsigned *cells, int rows, int cols, int unicode,
		    int c0, int r0, int c1, int r1)
{
	int adc = abs(c1 - c0), adr = abs(r1 - r0);
	int sc = c1 < c0 ? -1 : 1, sr = r1 < r0 ? -1 : 1;
	int steps = adc > adr ? adc : adr;
	/* q = |d| t / steps, e its remainder; |d| <= steps: q grows by
	 * at most 1 a step */
	int qc = 0, ec = 0, qr = 0, er = 0;
	if (steps > 0 && adr == steps) {
		/* steep: the row moves every step, so the points stand in
		 * runs down one sub-column each */
		for (int t = 0; t <= steps;) {
			int cc = c0 + sc * qc, first = t, moved = 0;
			while (!moved && t <= steps) {
				ec += adc;
				moved = ec >= steps;
				if (moved) {
					ec -= steps;
					qc++;
				}
				t++;
			}
			int ra = r0 + sr * first, rb = r0 + sr * (t - 1);
			plot_column(cells, rows, cols, unicode, cc,
				    ra < rb ? ra : rb, ra < rb ? rb : ra);
		}
		return;
	}
	for (int t = 0; t <= steps; t++) {
		plot(cells, rows, cols, unicode, c0 + sc * qc, r0 + sr * qr);
		ec += adc;
		if (ec >= steps) {
			ec -= steps;
			qc++;
		}
		er += adr;
		if (er >= steps) {
			er -= steps;
			qr++;
		}
	}
}

void chart_draw(int y, int x, int h, int w, const struct chart_series *s,
		size_t n, size_t npoints, const char *const *xlabels)
{
	const int axis = 6;
	int rows = h - 1;     /* last row: x labels */
	int cols = w - axis - 16; /* room for line labels on the right */
	if (rows < 2 || cols < 4 || npoints == 0)
		return;
	struct chart_scale sc = chart_scale_of(s, n, npoints);
	char label[32];
	for (int r = 0; r < rows; r++) {
		if (r == 0 || r == rows - 1 || r == rows / 2) {
			double v = sc.hi - (sc.hi - sc.lo) * r / (rows - 1);
			snprintf(label, sizeof label, "%5.2f", v);
			screen_put(y + r, x, axis - 1, label, ROLE_DIM);
		}
		screen_put(y + r, x + axis - 1, 1,
			   screen_unicode() ? "\xe2\x94\x82" : "|", ROLE_DIM);
	}
	int unicode = screen_unicode();
	/* per cell, the braille bits of each series */
	unsigned *cells = calloc((size_t)rows * (size_t)cols * (n ? n : 1),
				 sizeof *cells);
	if (cells == NULL)
		return;
	for (size_t k = 0; k < n; k++) {
		int prev_c = -1, prev_r = -1;
		for (size_t i = 0; i < npoints; i++) {
			double v = s[k].value[i];
			if (!rate_defined(v)) {
				prev_c = -1;
				continue;
			}
			/* sub-cell resolution in braille */
			int sub_cols = unicode ? cols * 2 : cols;
			int sub_rows = unicode ? rows * 4 : rows;
			int c = chart_col(i, npoints, sub_cols);
			int r = chart_row(&sc, v, sub_rows);
			/* a straight segment from the previous point */
			unsigned *mine = cells + k * (size_t)rows * (size_t)cols;
			if (prev_c < 0)
				segment(mine, rows, cols, unicode, c, r, c, r);
			else
				segment(mine, rows, cols, unicode, prev_c, prev_r,
					c, r);
			prev_c = c;
			prev_r = r;
		}
	}
	/* a later series draws over an earlier one: each cell is drawn
	 * once, in the last series that reaches it */
	int *top = malloc((size_t)rows * (size_t)cols * sizeof *top);
	if (top == NULL) {
		free(cells);
		return;
	}
	for (size_t at = 0; at < (size_t)rows * (size_t)cols; at++) {
		top[at] = -1;
		for (size_t k = n; k-- > 0;)
			if (cells[k * (size_t)rows * (size_t)cols + at]) {
				top[at] = (int)k;
				break;
			}
	}
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			size_t at = (size_t)r * (size_t)cols + (size_t)c;
			if (top[at] < 0)
				continue;
			size_t k = (size_t)top[at];
			enum role role = series_role[k % (sizeof series_role /
							  sizeof *series_role)];
			unsigned bits = cells[k * (size_t)rows * (size_t)cols +
					      at];
			char mark[2] = {s[k].label && s[k].label[0]
						? s[k].label[0]
						: (char)('1' + k),
					0};
			if (unicode)
				put_braille(y + r, x + axis + c, bits, role);
			else
				screen_put(y + r, x + axis + c, 1, mark, role);
		}
	free(top);
	char *label_used = calloc((size_t)rows, 1);
	for (size_t k = 0; k < n; k++) {
		enum role role = series_role[k % (sizeof series_role /
						  sizeof *series_role)];
		/* the label at the line's last defined point */
		for (size_t i = npoints; i-- > 0;) {
			if (!rate_defined(s[k].value[i]))
				continue;
			int r = chart_row(&sc, s[k].value[i], rows);
			/* lines that end close together: labels on the
			 * nearest free rows */
			for (int d = 0; label_used && d < rows; d++) {
				if (r + d < rows && !label_used[r + d]) {
					r += d;
					break;
				}
				if (r - d >= 0 && !label_used[r - d]) {
					r -= d;
					break;
				}
			}
			if (label_used)
				label_used[r] = 1;
			char text[64];
			snprintf(text, sizeof text, " %s %.3f",
				 s[k].label ? s[k].label : "", s[k].value[i]);
			screen_put(y + r, x + axis + cols, 16, text, role);
			break;
		}
	}
	free(cells);
	free(label_used);
	/* x labels: first, last and those that fit */
	int last_end = -1;
	for (size_t i = 0; i < npoints && xlabels; i++) {
		int c = x + axis + chart_col(i, npoints, cols);
		int len = (int)screen_width(xlabels[i]);
		if (c - len / 2 <= last_end)
			continue;
		int at = c - len / 2 < x + axis ? x + axis : c - len / 2;
		screen_put(y + rows, at, len, xlabels[i], ROLE_DIM);
		last_end = at + len;
	}
}
