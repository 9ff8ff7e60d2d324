/*
 * fixture.c — see fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/fixture.h"

char fixture_dir[64];

int fixture_make_dir(const char *name)
{
	snprintf(fixture_dir, sizeof fixture_dir, "/tmp/fairtop-%s-XXXXXX",
		 name);
	return mkdtemp(fixture_dir) == NULL ? -1 : 0;
}

void fixture_remove_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	DIR *d = opendir(path);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[1024];
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		fixture_remove_tree(sub);
	}
	if (d != NULL)
		closedir(d);
	rmdir(path);
}

void fixture_write_file(const char *dir, const char *file, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *out = fopen(path, "w");
	assert_non_null(out);
	fputs(text, out);
	assert_int_equal(fclose(out), 0);
}

struct store *fixture_open_store(void)
{
	char path[256];
	struct store *s = NULL;
	struct fail f;
	fail_init(&f);
	snprintf(path, sizeof path, "%s/s.db", fixture_dir);
	if (store_open(path, STORE_CREATE, &s, &f) != 0)
		fail_msg("store_open %s: %s", path, f.msg);
	return s;
}
