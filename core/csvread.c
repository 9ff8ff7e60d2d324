/*
 * csvread.c — libcsv with line numbers and row callbacks.  See csvread.h.
 *
 * Line counting: the parser runs with CSV_REPALL_NL, so every line end
 * reaches the row callback, also those of blank lines.  A '\n' that
 * comes right after a row ended by '\r' is the second half of a CRLF and
 * does not count again.  Line ends inside quoted fields are counted from
 * the field's bytes.  Errors that libcsv reports by stopping early are
 * located by counting the line ends up to the offending byte.  A line
 * end is a '\n', a '\r\n' or a lone '\r', wherever it is counted.
 *
 * Limits: a NUL byte is looked for in each chunk before libcsv sees it,
 * and refused there, so that a file of zeros (a sparse file) stops at
 * its first one instead of becoming one field the size of the file.  A
 * field or a row past CSV_FIELD_MAX or CSV_ROW_MAX is refused as soon
 * as a chunk takes it past: libcsv's field buffer and the row's grow by
 * at most one chunk beyond the limit.
 */
#include "core/csvread.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"

#define CHUNK_SIZE (256 * 1024)

/* parse_lines() checks no limit: a line it splits lies in one chunk */
_Static_assert(CHUNK_SIZE <= CSV_FIELD_MAX && CHUNK_SIZE <= CSV_ROW_MAX,
	       "a chunk's line must fit the limits");

struct reader {
	const char *name;
	csv_row_fn fn;
	void *ctx;
	struct fail *f;
	int stopped;

	/* the row being assembled */
	char *buf;
	size_t buf_used, buf_size;
	size_t *offset;
	size_t *len;
	const char **field;
	size_t offset_cap, len_cap, field_cap;
	size_t nfields;
	size_t row_bytes; /* the row's fields so far, a byte each for commas */
	long rows;
	int started; /* bytes seen: no byte order mark to skip any more */

	/* line bookkeeping */
	long row_line;        /* line where the current row starts */
	long newlines_in_row; /* newlines inside its quoted fields */
	int after_cr;         /* the last row ended with a bare '\r' */
	long lines_before;    /* line ends in the chunks already parsed */
	int scan_after_cr;    /* those chunks ended with a '\r' */
	int seen_quote;       /* a '"' was read: fields may hold line ends */
	const struct csv_field_handlers *fields; /* field mode, or NULL */
	int line_open;    /* the bytes parsed so far end inside a line */
	char *scratch;    /* a chunk's whole lines, parsed without libcsv */
	int no_scratch;   /* it could not be had: libcsv parses it all */
};

/* Count the line ends in s[0..n): each '\r', and each '\n' not right
 * after a '\r'.  *after_cr carries a trailing '\r' from one call to the
 * next (a CRLF split between two chunks counts once). */
static long count_lines(const char *s, size_t n, int *after_cr)
{
	long lines = 0;
	int cr = *after_cr;
	if (n > 0 && memchr(s, '\r', n) == NULL) {
		/* the common case, no '\r': count '\n' with memchr */
		const char *end = s + n;
		for (const char *q = s; (q = memchr(q, '\n', (size_t)(end - q)));
		     q++)
			lines++;
		if (cr && s[0] == '\n')
			lines--; /* the second half of a CRLF */
		*after_cr = 0;
		return lines;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r')
			lines++;
		else if (s[i] == '\n' && !cr)
			lines++;
		cr = s[i] == '\r';
	}
	*after_cr = cr;
	return lines;
}

/* Refuse the field being read (field: 1) or its row (0) as too long. */
static void too_long(struct reader *r, long line, int field)
{
	if (field)
		fail_at(r->f, r->name, line,
			"field %zu: expected at most %d bytes, found more",
			r->nfields + 1, CSV_FIELD_MAX);
	else
		fail_at(r->f, r->name, line,
			"expected a line of at most %d bytes, found more "
			"(at field %zu)", CSV_ROW_MAX, r->nfields + 1);
	r->stopped = 1;
}

static void on_field(void *data, size_t size, void *arg)
{
	struct reader *r = arg;
	const char *s = data ? data : "";
	if (r->stopped)
		return;
	r->after_cr = 0;
	/* only a quoted field can hold a line end, and none can before
	 * the first '"' of the file */
	long line = r->row_line + r->newlines_in_row;
	r->row_bytes += size + 1;
	if (size > CSV_FIELD_MAX || r->row_bytes > CSV_ROW_MAX) {
		too_long(r, line, size > CSV_FIELD_MAX);
		return;
	}
	if (r->seen_quote) {
		int cr = 0;
		r->newlines_in_row += count_lines(s, size, &cr);
	}
	if (r->fields != NULL && r->rows > 0) {
		/* field mode, past the header: hand it over */
		/* a field's line is its row's, as in parse_lines() */
		if (r->fields->field(r->ctx, r->nfields++, s, size,
				     r->row_line) != 0)
			r->stopped = 1;
		return;
	}
	if (ARRAY_GROW(r->offset, r->nfields + 1, r->offset_cap) != 0 ||
	    ARRAY_GROW(r->len, r->nfields + 1, r->len_cap) != 0 ||
	    size > SIZE_MAX - 1 - r->buf_used ||
	    ARRAY_GROW(r->buf, r->buf_used + size + 1, r->buf_size) != 0) {
		fail_set(r->f, FAIL_INTERNAL, "%s: out of memory", r->name);
		r->stopped = 1;
		return;
	}
	memcpy(r->buf + r->buf_used, s, size);
	r->buf[r->buf_used + size] = '\0';
	r->offset[r->nfields] = r->buf_used;
	r->len[r->nfields] = size;
	r->buf_used += size + 1;
	r->nfields++;
}

/* on_field for a part of a chunk with no '"' and no NUL, past the
 * header, in field mode: no field can hold a line end or a NUL, so there is
 * nothing to check or count, only the field to hand over. */
static void on_field_plain(void *data, size_t size, void *arg)
{
	struct reader *r = arg;
	if (r->stopped)
		return;
	r->after_cr = 0;
	r->row_bytes += size + 1;
	if (size > CSV_FIELD_MAX || r->row_bytes > CSV_ROW_MAX) {
		too_long(r, r->row_line, size > CSV_FIELD_MAX);
		return;
	}
	if (r->fields->field(r->ctx, r->nfields++, data ? data : "", size,
			     r->row_line) != 0)
		r->stopped = 1;
}

static void on_row_end(int c, void *arg)
{
	struct reader *r = arg;
	if (r->stopped)
		return;
	int crlf_tail = c == '\n' && r->after_cr && r->nfields == 0;
	if (r->fields != NULL && r->rows > 0 && r->nfields > 0) {
		r->rows++;
		if (r->fields->row_end(r->ctx, r->nfields, r->row_line,
				       r->f) != 0) {
			r->stopped = 1;
			return;
		}
	} else if (r->nfields > 0) {
		if (ARRAY_GROW(r->field, r->nfields, r->field_cap) != 0) {
			fail_set(r->f, FAIL_INTERNAL, "%s: out of memory",
				 r->name);
			r->stopped = 1;
			return;
		}
		for (size_t i = 0; i < r->nfields; i++)
			r->field[i] = r->buf + r->offset[i];
		struct csv_row row = {
			.line = r->row_line,
			.index = r->rows,
			.nfields = r->nfields,
			.field = r->field,
			.len = r->len,
		};
		r->rows++;
		if (r->fn(r->ctx, &row, r->f) != 0) {
			r->stopped = 1;
			return;
		}
	}
	r->row_line += r->newlines_in_row;
	if (!crlf_tail && (c == '\n' || c == '\r'))
		r->row_line++;
	r->after_cr = c == '\r';
	r->newlines_in_row = 0;
	r->nfields = 0;
	r->row_bytes = 0;
	r->buf_used = 0;
}

/* libcsv stops at the offending byte, chunk[consumed], in one of two
 * strict-mode cases: a '"' inside a field that did not open with one,
 * or anything but a comma, spaces or a line end after the '"' that
 * closed a quoted field. */
static int parse_error(struct reader *r, struct csv_parser *p,
		       const char *chunk, size_t consumed, size_t chunk_len)
{
	if (csv_error(p) != CSV_EPARSE)
		return fail_set(r->f, FAIL_INTERNAL, "%s: %s", r->name,
				csv_strerror(csv_error(p)));
	int cr = r->scan_after_cr;
	long line = r->lines_before + count_lines(chunk, consumed, &cr) + 1;
	char found[64];
	size_t show = 0;
	while (consumed + show < chunk_len && chunk[consumed + show] != '\n' &&
	       chunk[consumed + show] != '\r')
		show++;
	fail_quote(found, sizeof found, chunk + consumed, show);
	if (!p->quoted)
		return fail_at(r->f, r->name, line,
			       "field %zu: expected no '\"' inside an unquoted "
			       "field (quote the whole field and double each "
			       "'\"' in it), found '%s'", r->nfields + 1,
			       found);
	return fail_at(r->f, r->name, line,
		       "field %zu: expected a comma or a line end after the "
		       "closing '\"', found '%s'", r->nfields + 1, found);
}

static void reader_release(struct reader *r)
{
	free(r->scratch);
	free(r->buf);
	free(r->offset);
	free(r->len);
	free(r->field);
}

/* libcsv trims spaces and tabs around unquoted fields by default, and
 * not around quoted ones: " F" and "F" became one group while "F " made
 * another that prints the same.  One rule for both: every field is taken
 * as written (the readers then refuse what a value may not hold). */
static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* --- chunks without quotes, parsed without libcsv --------------------
 *
 * In field mode, past the header, most chunks hold no '"' (nor NUL).
 * Such text has one reading, which this parser makes at a fraction of
 * libcsv's cost per byte: a field ends at each comma, and at each line
 * end when its line holds anything; a row ends at each line end ('\n'
 * or '\r', each one reported, as CSV_REPALL_NL does); nothing is
 * trimmed (never_space()).  The calls are exactly those csv_parse()
 * would make with csv_options, in the same order, so the callbacks and
 * their line bookkeeping are shared.  libcsv still parses what lies
 * outside a chunk's whole lines: the end of a row begun in the chunk
 * before, and the beginning of one the next chunk ends.
 * test_csvread's test_plain_* compare the two readings. */

static const unsigned char ends_field[256] = {
	[','] = 1, ['\n'] = 1, ['\r'] = 1};

static int is_line_end(char c)
{
	return c == '\n' || c == '\r';
}

/* Parse s[0..n), whole lines of a quote-free chunk from a row's start
 * (s[n - 1] is a line end, so every scan for the end of a field stops
 * within s), writing each field's NUL over the byte that ends it.  A
 * line here lies within one chunk, shorter than CSV_FIELD_MAX and
 * CSV_ROW_MAX: there are no limits to check. */
static void parse_lines(struct reader *r, char *s, size_t n)
{
	const struct csv_field_handlers *h = r->fields;
	char *end = s + n, *q = s;
	while (q < end) {
		char *line = q;
		size_t nfields = 0;
		unsigned char c;
		do {
			char *field = q;
			while (!ends_field[(unsigned char)*q])
				q++;
			c = (unsigned char)*q;
			if (c == ',' || q > line) {
				*q = '\0';
				if (h->field(r->ctx, nfields++, field,
					     (size_t)(q - field),
					     r->row_line) != 0) {
					r->stopped = 1;
					return;
				}
			}
			q++;
		} while (c == ',');
		r->nfields = nfields;
		on_row_end(c, r);
		if (r->stopped)
			return;
	}
}

/* Parse chunk[0..n), which holds no '"' and no NUL, past the header in
 * field mode, with p not inside a quoted field.  Returns how many bytes
 * were parsed, as csv_parse() does (fewer only when libcsv fails; n
 * when a callback stopped the reading, which r->stopped tells). */
static size_t parse_plain(struct reader *r, struct csv_parser *p,
			  const char *chunk, size_t n)
{
	size_t head = 0, tail = n;
	if (r->line_open) {
		/* libcsv ends the row it holds */
		while (head < n && !is_line_end(chunk[head]))
			head++;
		head += head < n;
		size_t done = csv_parse(p, chunk, head, on_field_plain,
					on_row_end, r);
		if (done != head || r->stopped)
			return done;
	}
	while (tail > head && !is_line_end(chunk[tail - 1]))
		tail--;
	if (tail > head && r->scratch == NULL && !r->no_scratch) {
		r->scratch = malloc(CHUNK_SIZE);
		r->no_scratch = r->scratch == NULL;
	}
	if (r->scratch == NULL)
		tail = head; /* libcsv parses it all */
	if (tail > head) {
		memcpy(r->scratch, chunk + head, tail - head);
		parse_lines(r, r->scratch, tail - head);
		if (r->stopped)
			return n;
	}
	return tail + csv_parse(p, chunk + tail, n - tail, on_field_plain,
				on_row_end, r);
}

/* Parse s[0..n), without libcsv where parse_plain() may.  Returns how
 * many bytes were parsed, as csv_parse() does. */
static size_t parse_part(struct reader *r, struct csv_parser *p,
			 const char *s, size_t n)
{
	if (n == 0)
		return 0;
	/* a part without quotes may still lie inside a quoted field that
	 * an earlier one opened: p->quoted says so */
	int plain = r->fields != NULL && r->rows > 0 &&
		    memchr(s, '"', n) == NULL && !p->quoted;
	/* libcsv's own test for a space (' ' or '\t', inline) is the same
	 * as never_space() on a part that holds neither: there it spares
	 * a call per byte */
	int spaceless = memchr(s, ' ', n) == NULL && memchr(s, '\t', n) == NULL;
	csv_set_space_func(p, spaceless ? NULL : never_space);
	size_t done = plain ? parse_plain(r, p, s, n)
			    : csv_parse(p, s, n, on_field, on_row_end, r);
	r->line_open = p->quoted || !is_line_end(s[n - 1]);
	return done;
}

/* Feed one chunk; returns 0 to go on, -1 on error (in r->f). */
static int feed(struct reader *r, struct csv_parser *p, const char *chunk,
		size_t n)
{
	if (!r->started && n >= 3 && memcmp(chunk, "\xef\xbb\xbf", 3) == 0) {
		chunk += 3;
		n -= 3;
	}
	r->started = 1;
	/* a NUL byte ends the reading where it is: the bytes before it
	 * are parsed (a row they end is handed over, a syntax error
	 * before it is reported first), the field it is in is refused */
	const char *nul = memchr(chunk, '\0', n);
	size_t upto = nul != NULL ? (size_t)(nul - chunk) : n;
	if (memchr(chunk, '"', upto) != NULL)
		r->seen_quote = 1;
	/* in field mode, the header and the blank lines before it are
	 * parsed a line at a time, so that the rest of the chunk may be
	 * parsed without libcsv */
	size_t done = 0;
	int cut_short = 0; /* libcsv stopped before the end of a line */
	while (r->fields != NULL && r->rows == 0 && done < upto) {
		size_t end = done;
		while (end < upto && !is_line_end(chunk[end]))
			end++;
		end += end < upto;
		size_t got = parse_part(r, p, chunk + done, end - done);
		cut_short = done + got != end || r->stopped;
		done += got;
		if (cut_short)
			break;
	}
	if (!cut_short)
		done += parse_part(r, p, chunk + done, upto - done);
	if (r->stopped)
		return -1;
	if (done != upto)
		return parse_error(r, p, chunk, done, n);
	if (nul != NULL) {
		int cr = r->scan_after_cr;
		long line = r->lines_before + count_lines(chunk, upto, &cr) + 1;
		return fail_at(r->f, r->name, line,
			       "field %zu: expected text, found a NUL byte",
			       r->nfields + 1);
	}
	/* the field still open, and its row, within the limits */
	if (p->entry_pos > CSV_FIELD_MAX ||
	    r->row_bytes + p->entry_pos > CSV_ROW_MAX) {
		too_long(r, r->row_line + r->newlines_in_row,
			 p->entry_pos > CSV_FIELD_MAX);
		return -1;
	}
	r->lines_before += count_lines(chunk, n, &r->scan_after_cr);
	return 0;
}

static int finish(struct reader *r, struct csv_parser *p)
{
	if (csv_fini(p, on_field, on_row_end, r) != 0) {
		if (r->stopped)
			return -1;
		/* the open field starts where the row's last field ended */
		return fail_at(r->f, r->name, r->row_line + r->newlines_in_row,
			       "field %zu: expected a closing '\"' for the "
			       "quoted field opened on this line, found the "
			       "end of the file", r->nfields + 1);
	}
	return r->stopped ? -1 : 0;
}

static void reader_init(struct reader *r, const char *name, csv_row_fn fn,
			void *ctx, struct fail *f)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	r->fn = fn;
	r->ctx = ctx;
	r->f = f;
	r->row_line = 1;
}

static const unsigned char csv_options =
	CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL;

/* Start a range's reading: past the header at range->start > 0. */
static void reader_start(struct reader *r, const struct csvread_range *range)
{
	if (range != NULL && range->start > 0) {
		r->started = 1; /* no byte order mark in the middle */
		r->rows = 1;    /* the header is behind */
	}
}

/* At range->pause: 1 when the rest is taken care of, 0 to read on, -1
 * on error. */
static int pause_here(struct reader *r, const struct csvread_range *range)
{
	/* clean: a row ended exactly here (line_open covers a quoted
	 * field and a field not ended yet alike) */
	return range->at_pause(r->ctx, !r->line_open, r->f);
}

/* How much to read next from pos: a chunk, cut short at the pause. */
static size_t next_chunk(const struct csvread_range *range, size_t pos)
{
	if (range != NULL && range->pause > pos &&
	    range->pause - pos < CHUNK_SIZE)
		return range->pause - pos;
	return CHUNK_SIZE;
}

/* Read src with fn (rows) or h (fields), over range (may be NULL). */
static int read_source(const struct source *src, csv_row_fn fn,
		       const struct csv_field_handlers *h,
		       const struct csvread_range *range, void *ctx,
		       long *rows_out, struct fail *f)
{
	struct reader r;
	struct csv_parser p;
	struct source_stream in;
	int rc = -1;
	if (source_open(&in, src, CHUNK_SIZE, f) != 0)
		return -1;
	size_t pos = range != NULL ? range->start : 0;
	if (pos > 0 && source_seek(&in, pos, f) != 0) {
		source_close(&in);
		return -1;
	}
	reader_init(&r, src->name, fn, ctx, f);
	r.fields = h;
	reader_start(&r, range);
	if (csv_init(&p, csv_options) != 0) {
		source_close(&in);
		return fail_set(f, FAIL_INTERNAL, "%s: out of memory",
				src->name);
	}
	csv_set_space_func(&p, never_space);
	/* libcsv's buffer grows through realloc() as this object calls it
	 * (the unit tests' allocation-fault injector wraps that one) */
	csv_set_realloc_func(&p, realloc);
	csv_set_free_func(&p, free);
	for (;;) {
		size_t want = next_chunk(range, pos);
		const char *chunk;
		size_t n = source_read(&in, want, &chunk);
		if (n > 0 && feed(&r, &p, chunk, n) != 0)
			goto out;
		pos += n;
		if (range != NULL && range->pause > 0 && pos == range->pause &&
		    n > 0) {
			int taken = pause_here(&r, range);
			if (taken < 0)
				goto out;
			if (taken)
				break;
		}
		if (n < want) {
			if (source_error(&in, f) != 0)
				goto out;
			break;
		}
	}
	if (finish(&r, &p) == 0)
		rc = 0;
out:
	if (rows_out)
		*rows_out = r.rows;
	csv_free(&p);
	reader_release(&r);
	source_close(&in);
	return rc;
}

int csvread_rows(const struct source *src, csv_row_fn fn, void *ctx,
		 long *rows_out, struct fail *f)
{
	return read_source(src, fn, NULL, NULL, ctx, rows_out, f);
}

int csvread_fields(const struct source *src,
		   const struct csv_field_handlers *h,
		   const struct csvread_range *range, void *ctx,
		   long *rows_out, struct fail *f)
{
	return read_source(src, h->header, h, range, ctx, rows_out, f);
}
