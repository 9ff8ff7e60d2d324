/*
 * output.h — writing what fairtop shows: text tables, CSV, JSON.
 *
 * Every string that came from an input file passes through here and is
 * sanitised (core/text.h) before it reaches the output, whatever the
 * format.  Undefined rates print as "n/a" in text, an empty field in
 * CSV and null in JSON; defined ones print with 3 decimals in text and
 * with the shortest text that reads back as the same double (at most 17
 * significant digits) in CSV and JSON.
 */
#ifndef FAIRTOP_OUTPUT_H
#define FAIRTOP_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

enum output_format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON };

/* The format named "text", "csv" or "json" (a command's --format, as
 * the command table checked it); FORMAT_TEXT for any other name. */
enum output_format output_format_of(const char *name);

/* A rate for text: "0.123", or "n/a".  Returns buf. */
const char *output_rate(char *buf, size_t size, double v);

/* Sanitised copy of s for a terminal (NULL prints as ""). */
const char *output_safe(char *buf, size_t size, const char *s);
/* The same, whole whatever its length (sanitising never lengthens):
 * the caller frees it; NULL when out of memory. */
char *output_safe_new(const char *s);

/* Print multi-line text sanitised line by line, each line after
 * prefix. */
void output_print_lines(FILE *out, const char *prefix, const char *text);

/* Terminal columns taken by a sanitised UTF-8 string (text_width: two
 * for a wide character, none for a combining mark). */
size_t output_width(const char *s);

/* --- text tables -------------------------------------------------- */

struct table;

/* A table with ncols columns; right[i] != 0 right-aligns column i.
 * Caller frees with table_free(). */
struct table *table_new(size_t ncols, const char *const *header,
			const int *right);
/* Add a row of ncols cells (copied, sanitised). */
int table_add(struct table *t, const char *const *cells);
/* Print with columns two spaces apart, indented by indent spaces. */
void table_print(const struct table *t, FILE *out, int indent);

/* A table too long to hold, printed as table_print() would print it
 * with every row added: each row measured first (table_measure(): its
 * widths taken, the row not kept), then table_print() for the header,
 * then each row again, with the same cells, by table_print_row().  0,
 * or -1 when out of memory (nothing printed). */
void table_measure(struct table *t, const char *const *cells);
int table_print_row(const struct table *t, FILE *out, int indent,
		    const char *const *cells);
void table_free(struct table *t);

/* --- CSV ---------------------------------------------------------- */

/* One field, sanitised, quoted when needed; sep printed before it
 * unless first. */
void csv_field(FILE *out, const char *s, int first);
/* A number, exact (shortest round trip), or an empty field. */
void csv_number(FILE *out, double v, int first);
void csv_end(FILE *out);

/* JSON: core/json.h's writer, one for every command. */



/* --- XML ---------------------------------------------------------- */

/* Text for an XML attribute or element: sanitised, & < > " ' escaped. */
void xml_text(FILE *out, const char *s);
#endif
