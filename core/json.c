/*
 * json.c — the streaming JSON writer.  See json.h.
 */
#include "core/json.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/number.h"
#include "core/text.h"

void json_writer_init(struct json_writer *w, FILE *out)
{
	assert(w != NULL && out != NULL);
	memset(w, 0, sizeof *w);
	w->out = out;
}

int json_writer_init_memory(struct json_writer *w)
{
	assert(w != NULL);
	memset(w, 0, sizeof *w);
	w->memory = 1;
	w->out = open_memstream(&w->text, &w->size);
	return w->out != NULL ? 0 : -1;
}

char *json_writer_text(struct json_writer *w)
{
	assert(w->memory && w->out != NULL && w->depth == 0);
	int failed = fclose(w->out) != 0;
	char *text = w->text;
	memset(w, 0, sizeof *w);
	if (failed) {
		free(text);
		return NULL;
	}
	return text;
}

/* Before a value or a key: the comma, then the whitespace asked for
 * (json_space()), else one space after a comma. */
static void item(struct json_writer *w)
{
	int comma = w->depth > 0 && !w->empty[w->depth - 1];
	if (w->depth > 0)
		w->empty[w->depth - 1] = 0;
	if (comma)
		fputc(',', w->out);
	if (w->space != NULL) {
		fputs(w->space, w->out);
		w->space = NULL;
	} else if (comma) {
		fputc(' ', w->out);
	}
}

/* Before a value: in an object, its key was written; in an array, the
 * comma. */
static void value(struct json_writer *w)
{
	if (w->depth > 0 && w->kind[w->depth - 1] == '{') {
		assert(!w->want_key); /* json_key() first */
		w->want_key = 1;
		return;
	}
	item(w);
}

static void begin(struct json_writer *w, char kind)
{
	assert(w->depth < JSON_MAX_DEPTH);
	value(w);
	fputc(kind, w->out);
	w->kind[w->depth] = kind;
	w->empty[w->depth] = 1;
	w->depth++;
	w->want_key = kind == '{';
}

static void end(struct json_writer *w, char kind)
{
	assert(w->depth > 0 && w->kind[w->depth - 1] == kind);
	assert(kind != '{' || w->want_key); /* no key left without value */
	if (w->space != NULL) {
		fputs(w->space, w->out);
		w->space = NULL;
	}
	w->depth--;
	fputc(kind == '{' ? '}' : ']', w->out);
	w->want_key = w->depth > 0 && w->kind[w->depth - 1] == '{';
}

void json_object_begin(struct json_writer *w)
{
	begin(w, '{');
}

void json_object_end(struct json_writer *w)
{
	end(w, '{');
}

void json_array_begin(struct json_writer *w)
{
	begin(w, '[');
}

void json_array_end(struct json_writer *w)
{
	end(w, '[');
}

void json_key(struct json_writer *w, const char *key)
{
	assert(w->depth > 0 && w->kind[w->depth - 1] == '{' && w->want_key);
	item(w);
	json_write_string(w->out, key);
	fputs(": ", w->out);
	w->want_key = 0;
}

void json_str(struct json_writer *w, const char *s)
{
	value(w);
	json_write_string(w->out, s);
}

void json_num(struct json_writer *w, double v)
{
	char buf[64];
	value(w);
	if (isnan(v) || isinf(v))
		fputs("null", w->out);
	else
		fputs(number_format_shortest(buf, sizeof buf, v), w->out);
}

void json_integer(struct json_writer *w, long long v)
{
	value(w);
	fprintf(w->out, "%lld", v);
}

void json_count(struct json_writer *w, long long n)
{
	if (n >= 0)
		json_integer(w, n);
	else
		json_null(w);
}

void json_bool(struct json_writer *w, int b)
{
	value(w);
	fputs(b ? "true" : "false", w->out);
}

void json_null(struct json_writer *w)
{
	value(w);
	fputs("null", w->out);
}

void json_raw(struct json_writer *w, const char *json)
{
	value(w);
	fputs(json, w->out);
}

void json_space(struct json_writer *w, const char *ws)
{
	w->space = ws;
}

void json_write_string(FILE *out, const char *s)
{
	if (s == NULL) {
		fputs("null", out);
		return;
	}
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);
	fputc('"', out);
	for (size_t i = 0; i < len;) {
		size_t n = text_utf8_len(u + i, len - i);
		if (n == 0) {
			fputs("\\ufffd", out);
			i++;
			continue;
		}
		if (u[i] == '"' || u[i] == '\\') {
			fputc('\\', out);
			fputc(u[i], out);
		} else if (!text_is_safe(s + i, n)) {
			/* decode the one code point to escape it; beyond
			 * U+FFFF (tag characters) as a surrogate pair */
			static const unsigned char lead[5] = {0, 0x7f, 0x1f,
							      0x0f, 0x07};
			unsigned long cp = u[i] & lead[n];
			for (size_t k = 1; k < n; k++)
				cp = (cp << 6) | (u[i + k] & 0x3fu);
			if (cp > 0xffff)
				fprintf(out, "\\u%04lx\\u%04lx",
					0xd800 + ((cp - 0x10000) >> 10),
					0xdc00 + ((cp - 0x10000) & 0x3ff));
			else
				fprintf(out, "\\u%04lx", cp);
		} else {
			fwrite(s + i, 1, n, out);
		}
		i += n;
	}
	fputc('"', out);
}
