/*
 * test_csvread.c — core/csvread.c: rows, fields and the physical line of
 * each row across LF, CRLF and CR-only line ends, blank lines, quoted
 * fields spanning lines, a byte order mark and a missing final newline;
 * strict-mode errors naming the exact line; NUL bytes refused; rows
 * longer than the 256 KiB read chunk and rows split across chunks
 * (through a file source on a temporary file); the callback stopping the
 * read; rows_out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csvread.h"

#define CHUNK (256 * 1024) /* csvread's read chunk */
#define MAX_ROWS 16

/* What the callback saw: each row's line, index and fields joined by
 * '|' (a field longer than 100 bytes shows as '#'), and the length and
 * first byte of field 1. */
struct seen {
	int calls;
	long stop_at; /* row index at which to stop, -1: never */
	long line[MAX_ROWS];
	long index[MAX_ROWS];
	size_t nfields[MAX_ROWS];
	char text[MAX_ROWS][256];
	size_t len0[MAX_ROWS];
	char first0[MAX_ROWS];
};

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof *s);
	s->stop_at = -1;
}

static int collect(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct seen *s = ctx;
	int i = s->calls++;
	assert_true(i < MAX_ROWS);
	s->line[i] = row->line;
	s->index[i] = row->index;
	s->nfields[i] = row->nfields;
	s->len0[i] = row->len[0];
	s->first0[i] = row->field[0][0];
	size_t used = 0;
	for (size_t k = 0; k < row->nfields; k++) {
		/* every field is NUL-terminated at its length */
		assert_int_equal(row->field[k][row->len[k]], '\0');
		int n = snprintf(s->text[i] + used, sizeof s->text[i] - used,
				 "%s%s", k ? "|" : "",
				 row->len[k] > 100 ? "#" : row->field[k]);
		assert_true(n >= 0 && (size_t)n < sizeof s->text[i] - used);
		used += (size_t)n;
	}
	if (row->index == s->stop_at)
		return fail_at(f, "cb", row->line, "stopped at row %ld",
			       row->index);
	return 0;
}

/* Read a NUL-terminated buffer; returns csvread_rows's result. */
static int read_str(const char *data, struct seen *s, long *rows,
		    struct fail *f)
{
	struct source src = source_buffer(data, strlen(data), "t.csv");
	fail_init(f);
	return csvread_rows(&src, collect, s, rows, f);
}

/* --- temporary files ------------------------------------------------ */

static char tmpdir[64];

static void tmp_make(void)
{
	strcpy(tmpdir, "/tmp/fairtop-csvread-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
}

static void tmp_path(char *buf, size_t size, const char *file)
{
	snprintf(buf, size, "%s/%s", tmpdir, file);
}

static void tmp_write(const char *file, const char *data, size_t size)
{
	char path[256];
	tmp_path(path, sizeof path, file);
	FILE *out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, size, out), size);
	assert_int_equal(fclose(out), 0);
}

static void tmp_remove(const char *file)
{
	char path[256];
	tmp_path(path, sizeof path, file);
	assert_int_equal(unlink(path), 0);
}

static void tmp_done(void)
{
	assert_int_equal(rmdir(tmpdir), 0);
}

/* --- line ends ------------------------------------------------------ */

static void test_lf(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("a,b\nc,d\n", &s, &rows, &f), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.index[0], 0);
	assert_int_equal(s.nfields[0], 2);
	assert_string_equal(s.text[0], "a|b");
	assert_int_equal(s.line[1], 2);
	assert_int_equal(s.index[1], 1);
	assert_string_equal(s.text[1], "c|d");
	assert_int_equal(f.kind, FAIL_NONE);
}

static void test_crlf(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("a,b\r\nc,d\r\n\r\ne,\r\n", &s, &rows, &f),
			 0);
	assert_int_equal(rows, 3);
	assert_int_equal(s.line[0], 1);
	assert_string_equal(s.text[0], "a|b");
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "c|d");
	assert_int_equal(s.line[2], 4);
	assert_int_equal(s.nfields[2], 2);
	assert_string_equal(s.text[2], "e|");
}

static void test_cr_only(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("a,b\rc,d\r\re,f\r", &s, &rows, &f), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "c|d");
	assert_int_equal(s.line[2], 4);
	assert_string_equal(s.text[2], "e|f");
}

static void test_mixed_line_ends(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	/* line 1 "a" CRLF, line 2 blank LF, line 3 blank CR, line 4 "b" */
	assert_int_equal(read_str("a\r\n\n\rb\n", &s, &rows, &f), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.line[1], 4);
	assert_string_equal(s.text[1], "b");
}

static void test_blank_lines(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("\n\nh1,h2\n\n\n1,2\n\n", &s, &rows, &f), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.line[0], 3);
	assert_int_equal(s.index[0], 0);
	assert_string_equal(s.text[0], "h1|h2");
	assert_int_equal(s.line[1], 6);
	assert_int_equal(s.index[1], 1);
	assert_string_equal(s.text[1], "1|2");
}

static void test_empty_and_blank_only(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("", &s, &rows, &f), 0);
	assert_int_equal(rows, 0);
	assert_int_equal(s.calls, 0);
	rows = -1;
	assert_int_equal(read_str("\n\r\n\r", &s, &rows, &f), 0);
	assert_int_equal(rows, 0);
	assert_int_equal(s.calls, 0);
}

/* --- quoted fields -------------------------------------------------- */

static void test_quoted_three_lines(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("h,v\n\"x\ny\nz\",w\nnext,row\n", &s, &rows,
				  &f), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.line[1], 2);
	assert_int_equal(s.nfields[1], 2);
	assert_string_equal(s.text[1], "x\ny\nz|w");
	assert_int_equal(s.line[2], 5);
	assert_string_equal(s.text[2], "next|row");
}

static void test_quoted_three_lines_crlf(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("h,v\r\n\"x\r\ny\r\nz\",w\r\nnext,row\r\n",
				  &s, &rows, &f), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "x\r\ny\r\nz|w");
	assert_int_equal(s.line[2], 5);
}

static void test_quoted_three_lines_cr(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("h,v\r\"x\ry\rz\",w\rnext,row\r", &s, &rows,
				  &f), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "x\ry\rz|w");
	assert_int_equal(s.line[2], 5);
}

static void test_quoted_doubled_quote_and_comma(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", &s,
				  &rows, &f), 0);
	assert_int_equal(rows, 1);
	assert_int_equal(s.nfields[0], 3);
	assert_string_equal(s.text[0], "a,b|say \"hi\"|");
}

static void test_bom(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("\xef\xbb\xbfkey,value\nrun,r1\n", &s, &rows,
				  &f), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(s.len0[0], 3);
	assert_string_equal(s.text[0], "key|value");
	assert_int_equal(s.line[0], 1);
	assert_int_equal(s.line[1], 2);
}

static void test_no_final_newline(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("a,b\nc,d", &s, &rows, &f), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "c|d");

	seen_init(&s);
	assert_int_equal(read_str("a,b\n\"c\nd\",\"e\"", &s, &rows, &f), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "c\nd|e");
}

/* --- strict-mode errors --------------------------------------------- */

static void test_quote_inside_unquoted_field(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("h1,h2\n1,2\n\nx,ab\"c\n3,4\n", &s, &rows,
				  &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg,
			    "t.csv:4: field 2: expected no '\"' inside an "
			    "unquoted field (quote the whole field and "
			    "double each '\"' in it), found '\"c'");
	assert_int_equal(s.calls, 2);
	assert_int_equal(rows, 2);
}

static void test_quote_inside_unquoted_field_cr(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	seen_init(&s);
	assert_int_equal(read_str("h1,h2\r1,2\r\rab\"c\r3,4\r", &s, NULL, &f),
			 -1);
	assert_string_equal(f.msg,
			    "t.csv:4: field 1: expected no '\"' inside an "
			    "unquoted field (quote the whole field and "
			    "double each '\"' in it), found '\"c'");
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	seen_init(&s);
	assert_int_equal(read_str("h1,h2\n\"ab\"c,d\n", &s, NULL, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg,
			    "t.csv:2: field 1: expected a comma or a line end "
			    "after the closing '\"', found 'c,d'");
	assert_int_equal(s.calls, 1);
}

static void test_text_after_closing_quote_multiline(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	seen_init(&s);
	/* the field opens on line 2 and closes on line 3, where the stray
	 * text is */
	assert_int_equal(read_str("h1,h2\nx,\"a\nb\"c\n", &s, NULL, &f), -1);
	assert_string_equal(f.msg,
			    "t.csv:3: field 2: expected a comma or a line end "
			    "after the closing '\"', found 'c'");
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	assert_int_equal(read_str("h1,h2\n1,2\n\"open\nmore\nstill\n", &s,
				  &rows, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg,
			    "t.csv:3: field 1: expected a closing '\"' for "
			    "the quoted field opened on this line, found the "
			    "end of the file");
	assert_int_equal(rows, 2);
}

static void test_unterminated_quote_after_multiline_field(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	seen_init(&s);
	/* the row starts on line 2; the unterminated quote opens on 3 */
	assert_int_equal(read_str("h1,h2\n\"a\nb\",\"open\nmore\n", &s, NULL,
				  &f), -1);
	assert_string_equal(f.msg,
			    "t.csv:3: field 2: expected a closing '\"' for "
			    "the quoted field opened on this line, found the "
			    "end of the file");
}

static void test_nul_byte(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	static const char data[] = "a,b\nc,d\0e\nf,g\n";
	struct source src = source_buffer(data, sizeof data - 1, "t.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, &rows, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg,
			    "t.csv:2: field 2: expected text, found a NUL "
			    "byte");
	assert_int_equal(s.calls, 1);
	assert_int_equal(rows, 1);

	static const char quoted[] = "h\n\"x\ny\",\"a\0b\"\n";
	src = source_buffer(quoted, sizeof quoted - 1, "t.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_string_equal(f.msg,
			    "t.csv:3: field 2: expected text, found a NUL "
			    "byte");
}

/* --- the callback --------------------------------------------------- */

static void test_callback_stops(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	seen_init(&s);
	s.stop_at = 1;
	/* a syntax error later on must not replace the callback's reason */
	assert_int_equal(read_str("h\n\nr1\nr2\nbad\"q\n", &s, &rows, &f), -1);
	assert_string_equal(f.msg, "cb:3: stopped at row 1");
	assert_int_equal(s.calls, 2);
	assert_int_equal(rows, 2);

	seen_init(&s);
	s.stop_at = 0;
	assert_int_equal(read_str("only\n", &s, &rows, &f), -1);
	assert_string_equal(f.msg, "cb:1: stopped at row 0");
	assert_int_equal(s.calls, 1);
	assert_int_equal(rows, 1);
}

static void test_rows_out_optional(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	seen_init(&s);
	assert_int_equal(read_str("a\nb\nc\n", &s, NULL, &f), 0);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.index[2], 2);
}

/* --- files and chunks ----------------------------------------------- */

struct builder {
	char *data;
	size_t len, cap;
};

static void put(struct builder *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		b->data = realloc(b->data, b->cap);
		assert_non_null(b->data);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void put_str(struct builder *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_run(struct builder *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(b, &c, 1);
}

/* A file of long rows: row 2 longer than a chunk, row 3 across the
 * second chunk boundary, row 4 a quoted two-line field whose CRLF row
 * end is split between the third and the fourth chunk. */
static void build_long(struct builder *b)
{
	put_str(b, "h1,h2\n");                /* line 1 */
	put_run(b, 'x', 300000);              /* line 2 */
	put_str(b, ",y\n");
	assert_true(b->len > CHUNK && b->len < 2 * CHUNK);
	size_t row3 = b->len;                 /* line 3 */
	put_run(b, 'z', 250000);
	put_str(b, ",w\n");
	assert_true(row3 < 2 * CHUNK && b->len > 2 * CHUNK);
	/* line 4-5: "A*1000 \n B*k",end\r\n with '\r' last in chunk 3 */
	size_t k = 3 * CHUNK - 1 - b->len - (1 + 1000 + 1 + 1 + 4);
	put_str(b, "\"");
	put_run(b, 'A', 1000);
	put_str(b, "\n");
	put_run(b, 'B', k);
	put_str(b, "\",end");
	assert_int_equal(b->len, 3 * CHUNK - 1);
	put_str(b, "\r\n");
	put_str(b, "after,crlf\n");           /* line 6 */
}

static void check_long(const struct seen *s)
{
	assert_int_equal(s->calls, 5);
	assert_int_equal(s->line[0], 1);
	assert_string_equal(s->text[0], "h1|h2");
	assert_int_equal(s->line[1], 2);
	assert_int_equal(s->nfields[1], 2);
	assert_int_equal(s->len0[1], 300000);
	assert_int_equal(s->first0[1], 'x');
	assert_string_equal(s->text[1], "#|y");
	assert_int_equal(s->line[2], 3);
	assert_int_equal(s->len0[2], 250000);
	assert_int_equal(s->first0[2], 'z');
	assert_string_equal(s->text[2], "#|w");
	assert_int_equal(s->line[3], 4);
	assert_int_equal(s->first0[3], 'A');
	assert_string_equal(s->text[3], "#|end");
	assert_int_equal(s->line[4], 6);
	assert_string_equal(s->text[4], "after|crlf");
}

/* Check each field of the long rows byte by byte. */
struct long_check {
	int calls;
	size_t k;
};

static int check_fields(void *ctx, const struct csv_row *row, struct fail *f)
{
	struct long_check *c = ctx;
	(void)f;
	c->calls++;
	if (row->index == 1) {
		for (size_t i = 0; i < row->len[0]; i++)
			assert_int_equal(row->field[0][i], 'x');
	} else if (row->index == 2) {
		for (size_t i = 0; i < row->len[0]; i++)
			assert_int_equal(row->field[0][i], 'z');
	} else if (row->index == 3) {
		assert_int_equal(row->len[0], 1000 + 1 + c->k);
		for (size_t i = 0; i < 1000; i++)
			assert_int_equal(row->field[0][i], 'A');
		assert_int_equal(row->field[0][1000], '\n');
		for (size_t i = 1001; i < row->len[0]; i++)
			assert_int_equal(row->field[0][i], 'B');
	}
	return 0;
}

static void test_file_long_rows(void **state)
{
	(void)state;
	struct builder b = {0};
	struct seen s;
	struct fail f;
	long rows = -1;
	char path[256];
	build_long(&b);
	tmp_make();
	tmp_write("big.csv", b.data, b.len);
	tmp_path(path, sizeof path, "big.csv");

	struct source src = source_file(path, "big.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, &rows, &f), 0);
	assert_int_equal(rows, 5);
	check_long(&s);

	struct long_check c = {0, 3 * CHUNK - 1 - 550012 - 1007};
	assert_int_equal(csvread_rows(&src, check_fields, &c, NULL, &f), 0);
	assert_int_equal(c.calls, 5);

	/* the same bytes from memory give the same rows */
	struct source mem = source_buffer(b.data, b.len, "big.csv");
	seen_init(&s);
	assert_int_equal(csvread_rows(&mem, collect, &s, &rows, &f), 0);
	check_long(&s);

	tmp_remove("big.csv");
	tmp_done();
	free(b.data);
}

static void test_file_error_in_later_chunk(void **state)
{
	(void)state;
	struct builder b = {0};
	struct seen s;
	struct fail f;
	char path[256];
	build_long(&b);
	put_str(&b, "\nok,1\nbad\"q,2\n"); /* blank line 7, 8, error on 9 */
	tmp_make();
	tmp_write("bad.csv", b.data, b.len);
	tmp_path(path, sizeof path, "bad.csv");
	struct source src = source_file(path, "bad.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_string_equal(f.msg,
			    "bad.csv:9: field 1: expected no '\"' inside an "
			    "unquoted field (quote the whole field and "
			    "double each '\"' in it), found '\"q,2'");
	assert_int_equal(s.calls, 6);
	assert_int_equal(s.line[5], 8);
	tmp_remove("bad.csv");
	tmp_done();
	free(b.data);
}

static void test_file_cr_across_chunks(void **state)
{
	(void)state;
	struct builder b = {0};
	struct seen s;
	struct fail f;
	char path[256];
	/* CR-only file: a row ends with '\r' as the last byte of chunk 1,
	 * the next chunk starts with a blank line (another '\r') */
	put_str(&b, "h\r");
	put_run(&b, 'x', CHUNK - 1 - b.len);
	put_str(&b, "\r");
	assert_int_equal(b.len, CHUNK);
	put_str(&b, "\rnext\rbad\"\r");
	tmp_make();
	tmp_write("cr.csv", b.data, b.len);
	tmp_path(path, sizeof path, "cr.csv");
	struct source src = source_file(path, "cr.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.line[1], 2);
	assert_int_equal(s.line[2], 4);
	assert_string_equal(f.msg,
			    "cr.csv:5: field 1: expected no '\"' inside an "
			    "unquoted field (quote the whole field and "
			    "double each '\"' in it), found '\"'");
	tmp_remove("cr.csv");
	tmp_done();
	free(b.data);
}

static void test_file_bom_and_no_newline(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	char path[256];
	static const char data[] = "\xef\xbb\xbf" "a,b\r\nc,d";
	tmp_make();
	tmp_write("bom.csv", data, sizeof data - 1);
	tmp_path(path, sizeof path, "bom.csv");
	struct source src = source_file(path, "bom.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, &rows, &f), 0);
	assert_int_equal(rows, 2);
	assert_string_equal(s.text[0], "a|b");
	assert_int_equal(s.line[1], 2);
	assert_string_equal(s.text[1], "c|d");
	tmp_remove("bom.csv");
	tmp_done();
}

static void test_file_missing(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	long rows = -1;
	struct source src = source_file("/nonexistent/fairtop/x.csv", "x.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, &rows, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg,
			    "x.csv: cannot open: No such file or directory");
	assert_int_equal(s.calls, 0);
}

/* --- ranges (one file read on two threads) ------------------------- */

/* What a range read saw: the rows' first fields joined by '|', the
 * header if any, and the pause. */
struct ranged {
	char rows[256];
	int header_calls;
	int pauses, clean;
	int take; /* what at_pause answers */
};

static int ranged_header(void *ctx, const struct csv_row *row,
			 struct fail *f)
{
	(void)row, (void)f;
	((struct ranged *)ctx)->header_calls++;
	return 0;
}

static int ranged_field(void *ctx, size_t col, const char *s, size_t len,
			long line)
{
	struct ranged *r = ctx;
	(void)line;
	if (col == 0) {
		size_t used = strlen(r->rows);
		snprintf(r->rows + used, sizeof r->rows - used, "%s%.*s",
			 used ? "|" : "", (int)len, s);
	}
	return 0;
}

static int ranged_row_end(void *ctx, size_t nfields, long line,
			  struct fail *f)
{
	(void)ctx, (void)nfields, (void)line, (void)f;
	return 0;
}

static int ranged_pause(void *ctx, int clean, struct fail *f)
{
	struct ranged *r = ctx;
	(void)f;
	r->pauses++;
	r->clean = clean;
	return r->take;
}

/* Read data from start, pausing at pause, from a buffer and then from
 * a file; both must see the same. */
static void read_range(const char *data, size_t start, size_t pause,
		       int take, struct ranged *out)
{
	static const struct csv_field_handlers h = {
		ranged_header, ranged_field, ranged_row_end};
	struct csvread_range range = {start, pause, ranged_pause};
	struct ranged from_file;
	struct fail f;
	char path[256];
	memset(out, 0, sizeof *out);
	out->take = take;
	fail_init(&f);
	struct source src = source_buffer(data, strlen(data), "t.csv");
	assert_int_equal(csvread_fields(&src, &h, &range, out, NULL, &f), 0);
	tmp_make();
	tmp_write("range.csv", data, strlen(data));
	tmp_path(path, sizeof path, "range.csv");
	memset(&from_file, 0, sizeof from_file);
	from_file.take = take;
	src = source_file(path, "t.csv");
	assert_int_equal(csvread_fields(&src, &h, &range, &from_file, NULL,
					&f), 0);
	tmp_remove("range.csv");
	tmp_done();
	assert_string_equal(from_file.rows, out->rows);
	assert_int_equal(from_file.header_calls, out->header_calls);
	assert_int_equal(from_file.pauses, out->pauses);
	assert_int_equal(from_file.clean, out->clean);
}

static void test_range_pause(void **state)
{
	(void)state;
	static const char data[] = "h,i\na,1\n\"b\nc,2\nd\",3\ne,4\n";
	struct ranged r;
	/* at a row's start: clean; taken, the reading ends there */
	read_range(data, 0, 8, 1, &r);
	assert_int_equal(r.header_calls, 1);
	assert_int_equal(r.pauses, 1);
	assert_int_equal(r.clean, 1);
	assert_string_equal(r.rows, "a");
	/* not taken: it reads on as if there had been no pause */
	read_range(data, 0, 8, 0, &r);
	assert_int_equal(r.clean, 1);
	assert_string_equal(r.rows, "a|b\nc,2\nd|e");
	/* inside a quoted field, just past a line end: not clean */
	read_range(data, 0, 11, 0, &r);
	assert_int_equal(r.pauses, 1);
	assert_int_equal(r.clean, 0);
	assert_string_equal(r.rows, "a|b\nc,2\nd|e");
	/* in the middle of a row: not clean */
	read_range(data, 0, 6, 0, &r);
	assert_int_equal(r.clean, 0);
	/* in the middle of its first field, none handed over yet */
	read_range(data, 0, 5, 0, &r);
	assert_int_equal(r.pauses, 1);
	assert_int_equal(r.clean, 0);
	assert_string_equal(r.rows, "a|b\nc,2\nd|e");
	/* past the quoted field's row */
	read_range(data, 0, 20, 1, &r);
	assert_int_equal(r.clean, 1);
	assert_string_equal(r.rows, "a|b\nc,2\nd");
}

static void test_range_start(void **state)
{
	(void)state;
	static const char data[] = "h,i\na,1\nb,2\n";
	struct ranged r;
	/* from a row in the middle: no header, only the rows after */
	read_range(data, 8, 0, 0, &r);
	assert_int_equal(r.header_calls, 0);
	assert_int_equal(r.pauses, 0);
	assert_string_equal(r.rows, "b");
	/* a byte order mark is only looked for at the file's start */
	read_range("h\n\xef\xbb\xbfx\n", 2, 0, 0, &r);
	assert_string_equal(r.rows, "\xef\xbb\xbfx");
}

/* The first NUL stops the reading where it is: what follows it (here a
 * '"' that would be a syntax error) is never parsed. */
static void test_nul_stops_at_once(void **state)
{
	(void)state;
	struct seen s;
	struct fail f;
	static const char data[] = "a,b\nc,d\0\"e\nf,g\n";
	struct source src = source_buffer(data, sizeof data - 1, "t.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_string_equal(f.msg,
			    "t.csv:2: field 2: expected text, found a NUL "
			    "byte");
	assert_int_equal(s.calls, 1);
}

/* A field past CSV_FIELD_MAX is refused on its line, whether it ends
 * or runs on to the end of the input; one of CSV_FIELD_MAX bytes is
 * taken. */
static void test_field_limit(void **state)
{
	(void)state;
	struct builder b = {0};
	struct seen s;
	struct fail f;
	put_str(&b, "h,i\n1,2\n3,");
	put_run(&b, 'x', CSV_FIELD_MAX);
	put_str(&b, "\n");
	struct source src = source_buffer(b.data, b.len, "t.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), 0);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.len0[2], 1);

	b.len -= 1; /* one byte more, then the end of the line */
	put_str(&b, "x\n4,5\n");
	src = source_buffer(b.data, b.len, "t.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_int_equal(f.kind, FAIL_DATA);
	assert_string_equal(f.msg, "t.csv:3: field 2: expected at most "
				   "1048576 bytes, found more");
	assert_int_equal(s.calls, 2);

	/* a field that never ends: refused once a chunk takes it past */
	b.len = 0;
	put_str(&b, "h\n\"");
	put_run(&b, 'y', 3 * CSV_FIELD_MAX);
	src = source_buffer(b.data, b.len, "t.csv");
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_string_equal(f.msg, "t.csv:2: field 1: expected at most "
				   "1048576 bytes, found more");
	free(b.data);
}

/* A row past CSV_ROW_MAX (its fields and commas) is refused on its
 * line, however short each field. */
static void test_row_limit(void **state)
{
	(void)state;
	struct builder b = {0};
	struct seen s;
	struct fail f;
	put_str(&b, "h\n1\n");
	for (size_t i = 0; i < CSV_ROW_MAX / 2 + 1; i++)
		put_str(&b, "a,");
	put_str(&b, "a\n");
	struct source src = source_buffer(b.data, b.len, "t.csv");
	seen_init(&s);
	fail_init(&f);
	assert_int_equal(csvread_rows(&src, collect, &s, NULL, &f), -1);
	assert_string_equal(f.msg, "t.csv:3: expected a line of at most "
				   "4194304 bytes, found more (at field "
				   "2097153)");
	assert_int_equal(s.calls, 2);
	free(b.data);
}

/* Read "h1,h2\n", a row that pads the first chunk, then `tail` ending
 * exactly at the first chunk's end, then `next`: into *s, returns
 * csvread_rows's result. */
static int read_across(const char *tail, const char *next, struct seen *s)
{
	struct builder b = {0};
	struct fail f;
	put_str(&b, "h1,h2\np,");
	put_run(&b, 'x', CHUNK - b.len - 1 - strlen(tail));
	put_str(&b, "\n");
	put_str(&b, tail);
	assert_int_equal(b.len, CHUNK);
	put_str(&b, next);
	struct source src = source_buffer(b.data, b.len, "t.csv");
	seen_init(s);
	fail_init(&f);
	int rc = csvread_rows(&src, collect, s, NULL, &f);
	free(b.data);
	return rc;
}

/* Fields keep their spaces and tabs, whether the chunk they are read
 * in holds any or not (in a chunk without any, libcsv's own test for a
 * space is left to it): across a chunk's end, before and after the
 * field's other bytes. */
static void test_spaces_across_chunks(void **state)
{
	(void)state;
	struct seen s;
	/* a chunk without spaces, then one with */
	assert_int_equal(read_across("q,r", " \t\n  s,t \n", &s), 0);
	assert_int_equal(s.calls, 4);
	assert_string_equal(s.text[1], "p|#");
	assert_string_equal(s.text[2], "q|r \t");
	assert_string_equal(s.text[3], "  s|t ");
	assert_int_equal(s.line[3], 4);
	/* a chunk with spaces, then one without: spaces that end the
	 * first chunk stay at the end of their field, or its start */
	assert_int_equal(read_across("u,v  ", "\nw,z\n", &s), 0);
	assert_int_equal(s.calls, 4);
	assert_string_equal(s.text[2], "u|v  ");
	assert_string_equal(s.text[3], "w|z");
	assert_int_equal(read_across("u,v\n \t", "w,z\n", &s), 0);
	assert_int_equal(s.calls, 4);
	assert_string_equal(s.text[2], "u|v");
	assert_string_equal(s.text[3], " \tw|z");
	assert_int_equal(read_across("u,\t", "\t,z\n", &s), 0);
	assert_string_equal(s.text[2], "u|\t\t|z");
	/* spaces only in the first chunk, a blank field in the second */
	assert_int_equal(read_across("  ,", ",\n", &s), 0);
	assert_int_equal(s.nfields[2], 3);
	assert_string_equal(s.text[2], "  ||");
}

/* --- chunks without quotes: csvread's own parser against libcsv ----
 *
 * In field mode, chunks without '"' are parsed by csvread itself; in
 * row mode libcsv parses everything.  Both readings of the same input
 * are logged alike (each row's line, its fields length-prefixed) and
 * must be byte for byte the same: random inputs of a few chunks, with
 * every line end, blank lines, empty fields, spaces and tabs around
 * fields, lines longer than a chunk, and quoted fields in some chunks
 * only, so that the two parsers take turns within a row. */

struct plain_log {
	struct builder b;
	size_t nfields;        /* field mode: the row's fields so far */
	long stop_at;          /* row index at which to stop, -1: never */
	long rows;
};

static void log_field(struct plain_log *l, const char *s, size_t len,
		      long line)
{
	char head[64];
	/* a field is NUL-terminated at its length */
	assert_int_equal(s[len], '\0');
	snprintf(head, sizeof head, "%ld:%zu:", line, len);
	put_str(&l->b, head);
	put(&l->b, s, len);
}

static int log_row(struct plain_log *l, long line, size_t nfields,
		   struct fail *f)
{
	char tail[64];
	snprintf(tail, sizeof tail, "|%zu@%ld\n", nfields, line);
	put_str(&l->b, tail);
	if (l->rows++ == l->stop_at)
		return fail_at(f, "t.csv", line, "stopped");
	return 0;
}

static int log_whole_row(void *ctx, const struct csv_row *row,
			 struct fail *f)
{
	struct plain_log *l = ctx;
	for (size_t i = 0; i < row->nfields; i++)
		log_field(l, row->field[i], row->len[i], row->line);
	return log_row(l, row->line, row->nfields, f);
}

static int log_one_field(void *ctx, size_t col, const char *s, size_t len,
			 long line)
{
	struct plain_log *l = ctx;
	assert_int_equal(col, l->nfields);
	l->nfields++;
	log_field(l, s, len, line);
	return 0;
}

static int log_row_end(void *ctx, size_t nfields, long line, struct fail *f)
{
	struct plain_log *l = ctx;
	assert_int_equal(nfields, l->nfields);
	l->nfields = 0;
	return log_row(l, line, nfields, f);
}

static unsigned plain_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/* A random input of about `size` bytes; with_quotes: some quoted
 * fields (doubled quotes, line ends inside), in bursts, so that most
 * chunks hold none. */
static void plain_input(struct builder *b, unsigned seed, size_t size,
			int with_quotes)
{
	static const char *const line_ends[] = {"\n", "\r\n", "\r"};
	static const char bytes[] = "ab  \t\tx9.-";
	b->len = 0;
	static const char *const headers[] = {
		"h1,h2, h3\n", "\n\r\nh1,h2\n", "\"h\n1\",h2\r\n", "h\r\n\r\n",
	};
	if (seed % 5 == 0)
		put_str(b, "\xef\xbb\xbf");
	put_str(b, headers[seed % 4]);
	const char *end = line_ends[seed % 3];
	while (b->len < size) {
		unsigned kind = plain_random(&seed) % 100;
		if (kind < 3) {
			put_str(b, end); /* a blank line */
			continue;
		}
		if (kind < 6) {
			end = line_ends[plain_random(&seed) % 3];
		} else if (kind == 6 && size > CHUNK) {
			/* a line longer than a chunk */
			put_run(b, 'L', CHUNK + plain_random(&seed) % 999);
		}
		int quotes = with_quotes && (b->len / 70000) % 4 == 1;
		unsigned nfields = 1 + plain_random(&seed) % 6;
		for (unsigned i = 0; i < nfields; i++) {
			if (i > 0)
				put_str(b, ",");
			if (quotes && plain_random(&seed) % 3 == 0) {
				put_str(b, "\"q\"\"\n,");
				put_str(b, end);
				put_str(b, "\"");
				continue;
			}
			unsigned len = plain_random(&seed) % 9;
			for (unsigned k = 0; k < len; k++)
				put(b, &bytes[plain_random(&seed) %
					      (sizeof bytes - 1)], 1);
		}
		put_str(b, end);
	}
	if (seed % 7 == 0)
		b->len -= strlen(end); /* no line end at the end */
}

/* Read b both ways, stopping at row stop_at (-1: never); the logs,
 * the results and the messages must be the same.  Returns the number
 * of rows seen. */
static long plain_compare(const struct builder *b, long stop_at)
{
	static const struct csv_field_handlers h = {
		log_whole_row, log_one_field, log_row_end};
	struct plain_log by_rows = {.stop_at = stop_at};
	struct plain_log by_fields = {.stop_at = stop_at};
	struct fail f_rows, f_fields;
	long n_rows = -1, n_fields = -2;
	struct source src = source_buffer(b->data, b->len, "t.csv");
	fail_init(&f_rows);
	fail_init(&f_fields);
	int rc_rows = csvread_rows(&src, log_whole_row, &by_rows, &n_rows,
				   &f_rows);
	int rc_fields = csvread_fields(&src, &h, NULL, &by_fields, &n_fields,
				       &f_fields);
	assert_int_equal(rc_fields, rc_rows);
	assert_int_equal(n_fields, n_rows);
	assert_string_equal(f_fields.msg, f_rows.msg);
	assert_int_equal(by_fields.b.len, by_rows.b.len);
	assert_memory_equal(by_fields.b.data, by_rows.b.data, by_rows.b.len);
	assert_true(by_rows.rows > (stop_at >= 0 ? stop_at : 10));
	free(by_rows.b.data);
	free(by_fields.b.data);
	return by_rows.rows;
}

static void test_plain_chunks_as_libcsv(void **state)
{
	(void)state;
	struct builder b = {0};
	for (unsigned seed = 1; seed <= 12; seed++) {
		plain_input(&b, seed, 3 * CHUNK + seed * 977, seed % 2);
		/* then stopped by a row's callback, half way */
		plain_compare(&b, plain_compare(&b, -1) / 2);
	}
	/* inputs of less than a chunk: the header, then the quote-free
	 * parser in the same chunk */
	for (unsigned seed = 100; seed <= 140; seed++) {
		plain_input(&b, seed, 500 + seed * 13, seed % 2);
		plain_compare(&b, plain_compare(&b, -1) / 2);
	}
	free(b.data);
}

/* The same, over the line ends that fall exactly at a chunk's end: a
 * CRLF split between two chunks, a '\r' or '\n' last in a chunk, an
 * empty field or a comma last in a chunk. */
static void test_plain_chunk_ends(void **state)
{
	(void)state;
	static const char *const tails[] = {
		"a,b\r", "a,b\n", "a,", ",", "a", "\r", "\n", "a,b\r\n",
	};
	static const char *const heads[] = {
		"\n", "\r\n", ",c\n", "c\n", "\n\n", "\"q\",c\n", "\"q\nr\",c\n",
	};
	for (size_t t = 0; t < sizeof tails / sizeof *tails; t++)
		for (size_t k = 0; k < sizeof heads / sizeof *heads; k++) {
			struct builder b = {0};
			put_str(&b, "h1,h2\n");
			while (b.len < CHUNK - 40)
				put_str(&b, "x,y\n");
			put_run(&b, 'p', CHUNK - b.len - strlen(tails[t]));
			put_str(&b, tails[t]);
			assert_int_equal(b.len, CHUNK);
			put_str(&b, heads[k]);
			for (int i = 0; i < 20; i++)
				put_str(&b, "m,n\n");
			plain_compare(&b, -1);
			free(b.data);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lf),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_cr_only),
		cmocka_unit_test(test_mixed_line_ends),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_empty_and_blank_only),
		cmocka_unit_test(test_quoted_three_lines),
		cmocka_unit_test(test_quoted_three_lines_crlf),
		cmocka_unit_test(test_quoted_three_lines_cr),
		cmocka_unit_test(test_quoted_doubled_quote_and_comma),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_quote_inside_unquoted_field),
		cmocka_unit_test(test_quote_inside_unquoted_field_cr),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_text_after_closing_quote_multiline),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_unterminated_quote_after_multiline_field),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_nul_stops_at_once),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_row_limit),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_rows_out_optional),
		cmocka_unit_test(test_file_long_rows),
		cmocka_unit_test(test_file_error_in_later_chunk),
		cmocka_unit_test(test_file_cr_across_chunks),
		cmocka_unit_test(test_file_bom_and_no_newline),
		cmocka_unit_test(test_file_missing),
		cmocka_unit_test(test_range_pause),
		cmocka_unit_test(test_range_start),
		cmocka_unit_test(test_spaces_across_chunks),
		cmocka_unit_test(test_plain_chunks_as_libcsv),
		cmocka_unit_test(test_plain_chunk_ends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
