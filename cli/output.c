/*
 * output.c — text tables, CSV and JSON.  See output.h.
 */
#include "cli/output.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/confusion.h"
#include "core/number.h"
#include "core/text.h"

#define CELL_MAX 1024

const char *output_rate(char *buf, size_t size, double v)
{
	if (!rate_defined(v))
		snprintf(buf, size, "n/a");
	else
		snprintf(buf, size, "%.3f", v);
	return buf;
}

const char *output_safe(char *buf, size_t size, const char *s)
{
	if (s == NULL)
		s = "";
	return text_sanitize(buf, size, s, strlen(s));
}

char *output_safe_new(const char *s)
{
	return text_sanitize_new(s);
}

void output_print_lines(FILE *out, const char *prefix, const char *text)
{
	char buf[CELL_MAX];
	while (text && *text) {
		size_t len = strcspn(text, "\n");
		if (len > 0 || text[len] == '\n')
			fprintf(out, "%s%s\n", prefix,
				text_sanitize(buf, sizeof buf, text, len));
		text += len;
		if (*text == '\n')
			text++;
	}
}

size_t output_width(const char *s)
{
	return text_width(s);
}

struct table {
	size_t ncols, nrows;
	char **cell; /* nrows * ncols, row 0 the header */
	size_t cells_cap;
	int *right;
	size_t *width; /* each column's, over the rows added and measured */
};

struct table *table_new(size_t ncols, const char *const *header,
			const int *right)
{
	struct table *t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	t->ncols = ncols;
	t->right = calloc(ncols ? ncols : 1, sizeof *t->right);
	t->width = calloc(ncols ? ncols : 1, sizeof *t->width);
	if (t->right == NULL || t->width == NULL) {
		table_free(t);
		return NULL;
	}
	for (size_t i = 0; right && i < ncols; i++)
		t->right[i] = right[i];
	if (table_add(t, header) != 0) {
		table_free(t);
		return NULL;
	}
	return t;
}

/* Widen column c to hold s (sanitised). */
static void widen(struct table *t, size_t c, const char *s)
{
	size_t w = s ? output_width(s) : 0;
	if (w > t->width[c])
		t->width[c] = w;
}

int table_add(struct table *t, const char *const *cells)
{
	if ((t->ncols != 0 && t->nrows + 1 > SIZE_MAX / t->ncols) ||
	    ARRAY_GROW(t->cell, (t->nrows + 1) * t->ncols, t->cells_cap) != 0)
		return -1;
	for (size_t i = 0; i < t->ncols; i++) {
		char buf[CELL_MAX];
		output_safe(buf, sizeof buf, cells[i]);
		t->cell[t->nrows * t->ncols + i] = strdup(buf);
		widen(t, i, t->cell[t->nrows * t->ncols + i]);
	}
	t->nrows++;
	return 0;
}

void table_measure(struct table *t, const char *const *cells)
{
	for (size_t i = 0; i < t->ncols; i++) {
		char buf[CELL_MAX];
		widen(t, i, output_safe(buf, sizeof buf, cells[i]));
	}
}

/* One row of sanitised cells, padded to the table's widths. */
static void print_cells(const struct table *t, FILE *out, int indent,
			const char *const *cell)
{
	fprintf(out, "%*s", indent, "");
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cell[c] ? cell[c] : "";
		size_t w = output_width(s);
		size_t pad = t->width[c] > w ? t->width[c] - w : 0;
		int last = c + 1 == t->ncols;
		if (t->right[c])
			fprintf(out, "%*s%s", (int)pad, "", s);
		else
			fprintf(out, "%s%*s", s, last ? 0 : (int)pad, "");
		if (!last)
			fputs("  ", out);
	}
	fputc('\n', out);
}

void table_print(const struct table *t, FILE *out, int indent)
{
	for (size_t r = 0; r < t->nrows; r++)
		print_cells(t, out, indent,
			    (const char *const *)&t->cell[r * t->ncols]);
}

int table_print_row(const struct table *t, FILE *out, int indent,
		    const char *const *cells)
{
	char **safe = calloc(t->ncols ? t->ncols : 1, sizeof *safe);
	int rc = -1;
	if (safe == NULL)
		return -1;
	for (size_t i = 0; i < t->ncols; i++) {
		char buf[CELL_MAX];
		if ((safe[i] = strdup(output_safe(buf, sizeof buf, cells[i]))) ==
		    NULL)
			goto out;
	}
	print_cells(t, out, indent, (const char *const *)safe);
	rc = 0;
out:
	for (size_t i = 0; i < t->ncols; i++)
		free(safe[i]);
	free(safe);
	return rc;
}

void table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->right);
	free(t->width);
	free(t);
}

void csv_field(FILE *out, const char *s, int first)
{
	char buf[CELL_MAX * 4];
	output_safe(buf, sizeof buf, s);
	if (!first)
		fputc(',', out);
	if (strpbrk(buf, ",\"") == NULL && buf[0] != ' ') {
		fputs(buf, out);
		return;
	}
	fputc('"', out);
	for (const char *p = buf; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

void csv_number(FILE *out, double v, int first)
{
	char buf[64];
	if (!first)
		fputc(',', out);
	if (rate_defined(v))
		fputs(number_format_shortest(buf, sizeof buf, v), out);
}

void csv_end(FILE *out)
{
	fputc('\n', out);
}


void xml_text(FILE *out, const char *s)
{
	char buf[CELL_MAX * 4];
	output_safe(buf, sizeof buf, s);
	for (const char *p = buf; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			fputc(*p, out);
		}
	}
}

enum output_format output_format_of(const char *name)
{
	if (name != NULL && strcmp(name, "csv") == 0)
		return FORMAT_CSV;
	if (name != NULL && strcmp(name, "json") == 0)
		return FORMAT_JSON;
	return FORMAT_TEXT;
}
