/*
 * source.h — where an input comes from: a file, or bytes in memory.
 *
 * Every reader of fairtop's inputs (run.csv, metrics.csv,
 * predictions.csv, counts.csv, deployments.csv, fairtop.ini) takes a
 * `struct source` and reads it through a `struct source_stream`, as
 * redis's rio serves files and memory with the same code: the reader
 * never knows which of the two it reads, and the source carries the name
 * that its messages give ("name:line: ...").  The ingest reads files;
 * the unit tests and the fuzz harnesses read buffers, through the same
 * code paths.
 */
#ifndef FAIRTOP_SOURCE_H
#define FAIRTOP_SOURCE_H

#include <stdio.h>

#include "core/fail.h"

/* A file or a buffer.  Nothing is copied: the strings and the bytes are
 * borrowed, and must outlive every reading of the source. */
struct source {
	const char *name; /* in messages, "name:line: ..." */
	const char *path; /* the file to read, or NULL: data[0..size) */
	const char *data;
	size_t size;
};

/* The file at path, named `name` in messages (often the path itself). */
struct source source_file(const char *path, const char *name);

/* size bytes at data (need not end with a NUL), named `name`. */
struct source source_buffer(const char *data, size_t size, const char *name);

/* Its size in bytes: a buffer's, or a regular file's; 0 for a file that
 * cannot be looked at or is not a regular file (a pipe). */
size_t source_size(const struct source *src);

/* The shards of one file as Spark and BigQuery export it: the files
 * named part-*.csv in folder dir (nothing else there is read: _SUCCESS,
 * .crc files), sorted by name.  On success *paths holds *n paths (at
 * least one; each "dir/part-..."), freed with source_parts_free(); -1
 * with *f filled when the folder cannot be read or holds no part. */
int source_list_parts(const char *dir, char ***paths, size_t *n,
		      struct fail *f);
void source_parts_free(char **paths, size_t n);

/* One reading of a source, from the start or from a byte offset.  A
 * source may be read by several streams at once (on several threads):
 * each opens the file for itself. */
struct source_stream {
	const struct source *src; /* borrowed */
	FILE *file;               /* NULL when reading a buffer */
	char *chunk;              /* a file's bytes are read into it */
	size_t chunk_size;        /* the most one read gives */
	size_t pos;               /* offset of the next byte */
	int failed;               /* a read failed ... */
	int error;                /* ... with this errno */
};

/* Open src for reading from its first byte, at most chunk_size bytes a
 * read (a file gets a buffer of that size; a buffer source allocates
 * nothing).  Returns 0, or -1 with *f filled as "name: cannot open:
 * <reason>" (FAIL_DATA) or "name: out of memory" (FAIL_INTERNAL), with
 * nothing to close then. */
int source_open(struct source_stream *st, const struct source *src,
		size_t chunk_size, struct fail *f);

/* Go on from byte pos (at or past the end: nothing more to read).
 * Returns 0, or -1 with *f filled as "name: cannot seek: <reason>". */
int source_seek(struct source_stream *st, size_t pos, struct fail *f);

/* The next bytes, at most `want` (which must not exceed the chunk size):
 * *out points at them, borrowed until the next call or the close.
 * Returns how many; fewer than `want` only at the end of the input or on
 * a read error, which source_error() tells apart. */
size_t source_read(struct source_stream *st, size_t want, const char **out);

/* After a short read: -1 with *f filled as "name: read error: <reason>"
 * when the read failed, 0 when the input ended. */
int source_error(const struct source_stream *st, struct fail *f);

/* Close the file and free the chunk, if any.  The stream may not be
 * read again. */
void source_close(struct source_stream *st);

/* 1 when path is a regular file (a folder), following links; 0 when it
 * is something else or cannot be seen. */
int path_is_file(const char *path);
int path_is_dir(const char *path);

#endif
