/*
 * table.c — width-aware tables.  See table.h.
 */
#include "tui/table.h"

#include <assert.h>

int table_layout(const struct column *cols, int n, int w, int *shown,
		 int *width)
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
			/* the spare width is shared by the growing columns,
			 * the first ones taking what does not divide */
			int spare = w > need ? w - need : 0, growing = 0;
			for (int i = 0; i < n; i++)
				growing += shown[i] && cols[i].grow;
			for (int i = 0; i < n; i++) {
				width[i] = shown[i] ? cols[i].width : 0;
				if (shown[i] && cols[i].grow && growing > 0) {
					int share = (spare + growing - 1) /
						    growing;
					width[i] += share;
					spare -= share;
					growing--;
				}
			}
			return count;
		}
	}
	return 0;
}

void table_draw(int y, int x, int w, int height, const struct column *cols,
		int ncols, size_t nrows, size_t first, long sel,
		table_cell_fn cell, void *ctx)
{
	int shown[32], width[32];
	assert(cols != NULL && cell != NULL);
	if (ncols > 32)
		ncols = 32;
	table_layout(cols, ncols, w, shown, width);
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
