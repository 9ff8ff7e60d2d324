/*
 * source.c — files and buffers behind one reading.  See source.h.
 *
 * The only place in core/ where a file and a buffer are told apart.
 */
#include "core/source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
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

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void source_parts_free(char **paths, size_t n)
{
	for (size_t i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
}

int source_list_parts(const char *dir, char ***paths, size_t *n,
		      struct fail *f)
{
	char **list = NULL;
	size_t count = 0, cap = 0;
	int rc = -1;
	*paths = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (d == NULL)
		return fail_set(f, FAIL_DATA, "%s: cannot open: %s", dir,
				strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "part-", 5) != 0 || len < 9 ||
		    strcmp(e->d_name + len - 4, ".csv") != 0)
			continue;
		if (count == cap) {
			size_t grown = cap ? cap * 2 : 16;
			char **p = realloc(list, grown * sizeof *p);
			if (p == NULL)
				goto oom;
			list = p;
			cap = grown;
		}
		size_t size = strlen(dir) + len + 2;
		list[count] = malloc(size);
		if (list[count] == NULL)
			goto oom;
		snprintf(list[count], size, "%s%s%s", dir,
			 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/",
			 e->d_name);
		count++;
	}
	if (count == 0) {
		fail_set(f, FAIL_DATA, "%s: expected part-*.csv files in the "
			 "folder, found none", dir);
		goto out;
	}
	qsort(list, count, sizeof *list, compare_names);
	*paths = list;
	*n = count;
	list = NULL;
	rc = 0;
	goto out;
oom:
	fail_set(f, FAIL_INTERNAL, "out of memory");
out:
	closedir(d);
	source_parts_free(list, count);
	return rc;
}

int path_is_file(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int path_is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}
