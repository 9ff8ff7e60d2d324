/*
 * columns.c — header matching.  See columns.h.
 */
#include "core/columns.h"

#include <stdio.h>
#include <string.h>

static void list(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < n && used < size; k++) {
		int w = snprintf(buf + used, size - used, "%s%s",
				 k ? "," : "", names[k]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int columns_match(const struct csv_row *header, const char *name,
		  const char *const *expected, size_t n, size_t *pos,
		  struct fail *f)
{
	char want[256], shown[64];
	list(want, sizeof want, expected, n);
	for (size_t k = 0; k < n; k++)
		pos[k] = (size_t)-1;
	for (size_t i = 0; i < header->nfields; i++) {
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(header->field[i], expected[k]) == 0)
				break;
		if (k == n)
			return fail_at(f, name, header->line,
				       "column %zu: expected one of the "
				       "columns %s, found unknown column '%s'",
				       i + 1, want,
				       fail_quote(shown, sizeof shown,
						  header->field[i],
						  header->len[i]));
		if (pos[k] != (size_t)-1)
			return fail_at(f, name, header->line,
				       "expected each column once, found '%s' "
				       "in columns %zu and %zu", expected[k],
				       pos[k] + 1, i + 1);
		pos[k] = i;
	}
	for (size_t k = 0; k < n; k++)
		if (pos[k] == (size_t)-1)
			return fail_at(f, name, header->line,
				       "expected a column '%s' (header %s), "
				       "found none", expected[k], want);
	return 0;
}
