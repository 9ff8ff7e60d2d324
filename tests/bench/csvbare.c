/*
 * csvbare.c — the speed of libcsv alone, the yardstick for `make bench`.
 *
 *   csvbare FILE    parse FILE, print the number of rows libcsv reported
 *
 * It reads and parses exactly as fairtop's reader does (core/csvread.c):
 * fread in 256 KiB chunks, the same parser options (CSV_STRICT |
 * CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL), the same byte order
 * mark skip, csv_fini at the end; but its callbacks do nothing (the row
 * callback only counts).  The time it takes is therefore the floor that
 * fairtop's ingest cannot go below: tests/bench/bench.sh reports fairtop's
 * ingest rate as a share of this one, and what is missing is fairtop's own
 * work (building rows, converting numbers, counting, the SQLite store).
 *
 * The count is that of row ends as libcsv reports them with CSV_REPALL_NL:
 * every line end, the header's and those of blank lines included (a CRLF
 * counts twice).  On the generator's files (LF, no blank line) it equals
 * `wc -l`.
 *
 * Exit status: 0 ok, 1 cannot read or parse the file, 2 bad usage.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (256 * 1024)

static void on_field(void *data, size_t size, void *arg)
{
	(void)data;
	(void)size;
	(void)arg;
}

static void on_row_end(int c, void *arg)
{
	(void)c;
	++*(unsigned long long *)arg;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: csvbare FILE\n");
		return 2;
	}
	const char *path = argv[1];
	FILE *in = fopen(path, "rb");
	if (in == NULL) {
		fprintf(stderr, "csvbare: %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL |
				 CSV_APPEND_NULL) != 0) {
		fprintf(stderr, "csvbare: out of memory\n");
		fclose(in);
		return 1;
	}
	char *chunk = malloc(CHUNK_SIZE);
	if (chunk == NULL) {
		fprintf(stderr, "csvbare: out of memory\n");
		csv_free(&p);
		fclose(in);
		return 1;
	}
	unsigned long long rows = 0;
	int started = 0, rc = 0;
	for (;;) {
		size_t n = fread(chunk, 1, CHUNK_SIZE, in);
		const char *s = chunk;
		size_t len = n;
		if (!started && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (n > 0)
			started = 1;
		if (len > 0 &&
		    csv_parse(&p, s, len, on_field, on_row_end, &rows) != len) {
			fprintf(stderr, "csvbare: %s: %s\n", path,
				csv_strerror(csv_error(&p)));
			rc = 1;
			goto out;
		}
		if (n < CHUNK_SIZE) {
			if (ferror(in)) {
				fprintf(stderr, "csvbare: %s: read error: %s\n",
					path, strerror(errno));
				rc = 1;
				goto out;
			}
			break;
		}
	}
	if (csv_fini(&p, on_field, on_row_end, &rows) != 0) {
		fprintf(stderr, "csvbare: %s: %s\n", path,
			csv_strerror(csv_error(&p)));
		rc = 1;
		goto out;
	}
	printf("%llu\n", rows);
out:
	free(chunk);
	csv_free(&p);
	fclose(in);
	return rc;
}
