/*
 * json.h — a small streaming JSON writer, after git's json-writer.
 *
 * The writer tracks the nesting and the commas itself: a command says
 * what it writes (an object, a key, a string, a number), never where a
 * comma or a quote goes.  Members are separated by ", " and keys
 * followed by ": ", as fairtop has always printed them; json_space()
 * puts whitespace of the caller's choice (a newline, an indent) before
 * the next member or element, after its comma (instead of the space),
 * or before the closing bracket.
 *
 *	struct json_writer w;
 *	json_writer_init(&w, stdout);
 *	json_object_begin(&w);
 *	json_key(&w, "run");
 *	json_str(&w, key);
 *	json_key(&w, "accuracy");
 *	json_num(&w, acc);
 *	json_object_end(&w);            {"run": "r05", "accuracy": 0.882}
 *
 * json_writer_init_memory() and json_writer_text() do the same into a
 * string.
 *
 * Strings are escaped as JSON wants (quote, backslash) and so that no
 * byte can move a terminal's cursor: control characters, DEL, C1 and
 * bidi controls as \u00XX / \uXXXX, a byte that is not valid UTF-8 as
 * \ufffd; valid printable UTF-8 passes through.  Numbers carry 17
 * significant digits at most, the shortest that reads back to the same
 * double; an undefined value (NaN) or an infinity is null.  Writing out
 * of order (a value where a key is due, an end that closes nothing) is
 * a bug of the caller: an assert.
 */
#ifndef FAIRTOP_JSON_H
#define FAIRTOP_JSON_H

#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *out;      /* borrowed */
	int depth;      /* open objects and arrays */
	int want_key;   /* inside an object, a key is due */
	char kind[JSON_MAX_DEPTH];  /* '{' or '[' of each open level */
	char empty[JSON_MAX_DEPTH]; /* nothing written in it yet */
	const char *space; /* whitespace before the next item (borrowed) */
	int memory;     /* out is json_writer_init_memory()'s stream */
	char *text;     /* its buffer, and the size written */
	size_t size;
};

/* A writer to out (not closed by the writer). */
void json_writer_init(struct json_writer *w, FILE *out);

/* A writer to memory, for JSON that is kept rather than printed (an
 * audit row's details): 0, or -1 when out of memory.  The writer must
 * not move until json_writer_text() ends it. */
int json_writer_init_memory(struct json_writer *w);

/* What a memory writer wrote, NUL-terminated (caller frees), the
 * writer ended; NULL when out of memory. */
char *json_writer_text(struct json_writer *w);

void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);

/* The key of the next member of the object open (escaped as strings). */
void json_key(struct json_writer *w, const char *key);

/* Values: in an array, its next element; in an object, after a key. */
void json_str(struct json_writer *w, const char *s); /* NULL: null */
void json_num(struct json_writer *w, double v);      /* NaN, inf: null */
void json_integer(struct json_writer *w, long long v);
/* A count: the integer, or null when it is negative (unknown). */
void json_count(struct json_writer *w, long long n);
void json_bool(struct json_writer *w, int b);
void json_null(struct json_writer *w);
/* A value that is JSON already, written as is: only text fairtop wrote
 * itself (a stored alert's details), never text from outside. */
void json_raw(struct json_writer *w, const char *json);

/* Whitespace (borrowed until used) to write before the next member or
 * element, after the comma that separates it and in place of the
 * space, or before the next closing bracket: "\n " for one per line. */
void json_space(struct json_writer *w, const char *ws);

/* s escaped as a JSON string literal (with its quotes) to out, as
 * json_str() writes it. */
void json_write_string(FILE *out, const char *s);

#endif
