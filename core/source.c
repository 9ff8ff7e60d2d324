/*
 * source.c — files and buffers behind one reading.  See source.h.
 *
 * The only place in core/ where a file and a buffer are told apart.
 */
#include "core/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

struct source source_file(const char *path, const char *name)
{
	return (struct source){.name = name, .path = path};
}

struct source source_buffer(const char *data, size_t size, const char *name)
{
	return (struct source){.name = name, .data = data, .size = size};
}

size_t source_size(const struct source *src)
{
	struct stat info;
	if (src->path == NULL)
		return src->size;
	return stat(src->path, &info) == 0 && S_ISREG(info.st_mode)
		       ? (size_t)info.st_size
		       : 0;
}

int source_open(struct source_stream *st, const struct source *src,
		size_t chunk_size, struct fail *f)
{
	memset(st, 0, sizeof *st);
	st->src = src;
	st->chunk_size = chunk_size;
	if (src->path == NULL)
		return 0;
	st->file = fopen(src->path, "rb");
	if (st->file == NULL)
		return fail_set(f, FAIL_DATA, "%s: cannot open: %s", src->name,
				strerror(errno));
	st->chunk = malloc(chunk_size);
	if (st->chunk == NULL) {
		source_close(st);
		return fail_set(f, FAIL_INTERNAL, "%s: out of memory",
				src->name);
	}
	return 0;
}

int source_seek(struct source_stream *st, size_t pos, struct fail *f)
{
	if (st->file == NULL) {
		st->pos = pos < st->src->size ? pos : st->src->size;
		return 0;
	}
	if (fseeko(st->file, (off_t)pos, SEEK_SET) != 0)
		return fail_set(f, FAIL_DATA, "%s: cannot seek: %s",
				st->src->name, strerror(errno));
	st->pos = pos;
	return 0;
}

size_t source_read(struct source_stream *st, size_t want, const char **out)
{
	size_t n;
	if (st->file == NULL) {
		n = st->src->size - st->pos;
		if (n > want)
			n = want;
		*out = st->src->data + st->pos;
	} else {
		n = fread(st->chunk, 1, want, st->file);
		if (n < want && ferror(st->file)) {
			st->failed = 1;
			st->error = errno;
		}
		*out = st->chunk;
	}
	st->pos += n;
	return n;
}

int source_error(const struct source_stream *st, struct fail *f)
{
	if (!st->failed)
		return 0;
	return fail_set(f, FAIL_DATA, "%s: read error: %s", st->src->name,
			strerror(st->error));
}

void source_close(struct source_stream *st)
{
	if (st->file != NULL)
		fclose(st->file);
	st->file = NULL;
	free(st->chunk);
	st->chunk = NULL;
}
