/*
 * table.c — width-aware tables.  See table.h.
 */
#include "tui/table.h"

#include <assert.h>

/* Share spare among the growing shown columns, the first ones taking
 * what does not divide; a column with want[i] set stops at it, and what
 * no column wants is left over (blank at the right). */
static void share_spare(const struct column *cols, int n, const int *shown,
			const int *want, int spare, int *width)
{
	while (spare > 0) {
		int growing = 0;
		for (int i = 0; i < n; i++)
			growing += shown[i] && cols[i].grow &&
				   (want == NULL || width[i] < want[i]);
		if (growing == 0)
			return;
		int given = 0;
		for (int i = 0; i < n && spare > 0; i++) {
			if (!shown[i] || !cols[i].grow ||
			    (want != NULL && width[i] >= want[i]))
				continue;
			int share = (spare + growing - 1) / growing;
			if (want != NULL && share > want[i] - width[i])
				share = want[i] - width[i];
			width[i] += share;
			spare -= share;
			given += share;
			growing--;
		}
		if (given == 0)
			return;
	}
}

int table_layout_fit(const struct column *cols, int n, int w,
		     const int *want, int *shown, int *width)
{
	int max_priority = 0;
	for (int i = 0; i < n; i++)
		if (cols[i].priority > max_priority)
			max_priority = cols[i].priority;
	/* drop the lowest priorities until the minimum widths fit */
	for (int limit = max_priority; limit >= 0; limit--) {
		int need = 0, count = 0;
		for (int i = 0; i < n; i++) {
			shown[i] = cols[i].priority <= limit;
			if (shown[i]) {
				need += cols[i].width + (count ? 1 : 0);
				count++;
			}
		}
		if (need <= w || limit == 0) {
			for (int i = 0; i < n; i++)
				width[i] = shown[i] ? cols[i].width : 0;
			share_spare(cols, n, shown, want,
				    w > need ? w - need : 0, width);
			return count;
		}
	}
	return 0;
}

int table_layout(const struct column *cols, int n, int w, int *shown,
		 int *width)
{
	return table_layout_fit(cols, n, w, NULL, shown, width);
}

void table_draw(int y, int x, int w, int height, const struct column *cols,
		int ncols, size_t nrows, size_t first, long sel,
		table_cell_fn cell, void *ctx)
{
	assert(cols != NULL && cell != NULL);
	int shown[32], width[32], want[32] = {0};
	if (ncols > 32)
		ncols = 32;
	/* a growing column grows to its widest cell (title included), of
	 * the first TABLE_MEASURE rows: so the list does not jump as it
	 * scrolls */
	for (int c = 0; c < ncols; c++)
		want[c] = (int)screen_width(cols[c].title);
	for (size_t row = 0; row < nrows && row < TABLE_MEASURE; row++)
		for (int c = 0; c < ncols; c++) {
			char buf[1024];
			enum role role = ROLE_NORMAL;
			if (!cols[c].grow)
				continue;
			buf[0] = '\0';
			cell(ctx, row, c, buf, sizeof buf, &role);
			int cw = (int)screen_width(buf);
			if (cw > want[c])
				want[c] = cw;
		}
	table_layout_fit(cols, ncols, w, want, shown, width);
	int cx = x;
	for (int c = 0; c < ncols; c++) {
		if (!shown[c])
			continue;
		if (cols[c].right)
			screen_put_right(y, cx, width[c], cols[c].title,
					 ROLE_TITLE);
		else
			screen_put(y, cx, width[c], cols[c].title, ROLE_TITLE);
		cx += width[c] + 1;
	}
	for (int line = 0; line < height - 1; line++) {
		size_t row = first + (size_t)line;
		if (row >= nrows)
			break;
		int is_sel = (long)row == sel;
		if (is_sel)
			screen_fill(y + 1 + line, x, w, ROLE_SELECTED);
		cx = x;
		for (int c = 0; c < ncols; c++) {
			if (!shown[c])
				continue;
			char buf[1024];
			enum role role = ROLE_NORMAL;
			buf[0] = '\0';
			cell(ctx, row, c, buf, sizeof buf, &role);
			if (is_sel)
				role = ROLE_SELECTED;
			if (cols[c].right)
				screen_put_right(y + 1 + line, cx, width[c],
						 buf, role);
			else
				screen_put(y + 1 + line, cx, width[c], buf,
					   role);
			cx += width[c] + 1;
		}
	}
}
