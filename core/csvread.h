/*
 * csvread.h — streaming a CSV file row by row, with line numbers.
 *
 * A thin layer over libcsv in strict mode (CSV_STRICT|CSV_STRICT_FINI).
 * In field mode (csvread_fields), the whole lines of a chunk without a
 * '"' are split by csvread itself, several times faster, with the very
 * calls libcsv would make (see csvread.c; the unit tests and the csv
 * fuzz harness compare the two readings).
 * libcsv reports no positions, so this layer counts physical lines
 * itself: every row handed to the callback carries the line on which it
 * starts, and a syntax error names the line where it happened.  The
 * input (a file or a buffer: see source.h) is read in fixed-size chunks and each row is handed over as soon as it
 * ends: memory is bounded by the longest row (at most CSV_ROW_MAX),
 * never by the row count.
 * A UTF-8 byte order mark is skipped; LF, CRLF and CR line ends are all
 * accepted; blank lines are skipped.
 */
#ifndef FAIRTOP_CSVREAD_H
#define FAIRTOP_CSVREAD_H

#include <stddef.h>

#include "core/fail.h"
#include "core/source.h"

/* Limits on every CSV input, refused at the line that breaks them, so
 * that memory stays flat whatever the file holds: a field of at most
 * CSV_FIELD_MAX bytes (as read: without its quotes); a row of at most
 * CSV_ROW_MAX bytes (its fields and their commas); no NUL byte, refused
 * as soon as it is read. */
#define CSV_FIELD_MAX (1024 * 1024)
#define CSV_ROW_MAX (4 * 1024 * 1024)

/* One row.  Everything here is borrowed: valid only during the
 * callback.  Each field is NUL-terminated; a NUL byte in the input
 * stops the reading where it is, before any later row gets here. */
struct csv_row {
	long line;            /* physical line where the row starts, from 1 */
	long index;           /* 0 for the first row (the header), then 1.. */
	size_t nfields;
	const char *const *field;
	const size_t *len;
};

/* Called once per row.  Return 0 to go on; non-zero (with *f filled)
 * stops the reading. */
typedef int (*csv_row_fn)(void *ctx, const struct csv_row *row,
			  struct fail *f);

/* Read src, calling fn for each row.  *rows_out (may be NULL) gets the
 * number of rows seen, header included.  Returns 0 or -1 with *f filled
 * as "name:line: ..." (name being src->name). */
int csvread_rows(const struct source *src, csv_row_fn fn, void *ctx,
		 long *rows_out, struct fail *f);

/* Field by field, for the hot path (predictions.csv): the header row
 * goes to `header` as a whole row; after it, each field goes to `field`
 * as soon as it is read, libcsv's or csvread's own, without being copied
 * again (s is NUL-terminated and borrowed for the call; line is the line
 * its row starts on, even for a field after a quoted line end), and
 * `row_end` closes each row with its field count.  A non-zero return
 * (with *f filled) stops the reading. */
struct csv_field_handlers {
	csv_row_fn header;
	int (*field)(void *ctx, size_t col, const char *s, size_t len,
		     long line);
	int (*row_end)(void *ctx, size_t nfields, long line, struct fail *f);
};

/* Part of the input, for reading one file on two threads (see
 * predictions.c).
 *
 * start > 0 must be the first byte of a data row: the reading begins
 * there as if the header were behind it (no header callback, no byte
 * order mark); its line numbers count from 1 at start, so its messages
 * are for deciding, not for showing.
 *
 * pause > 0: once the bytes before `pause` are parsed, at_pause(ctx,
 * clean, f) is called, clean being 1 when a row ended exactly there
 * (not inside a quoted field, nor in the middle of a row).  It returns
 * 1 when the rest of the input is taken care of elsewhere (the reading
 * ends there as at the end of the input), 0 to read on as if nothing
 * had happened, -1 to stop with *f filled. */
struct csvread_range {
	size_t start;
	size_t pause;
	int (*at_pause)(void *ctx, int clean, struct fail *f);
};

/* Read src field by field with h (h->header gets the header row), over
 * the part of it that range says (NULL: the whole input).  *rows_out and
 * the return as for csvread_rows(). */
int csvread_fields(const struct source *src,
		   const struct csv_field_handlers *h,
		   const struct csvread_range *range, void *ctx,
		   long *rows_out, struct fail *f);

#endif
